"""The bulk upsert every sync goes through: edits, deletions, odd and hostile data from the networks."""

from datetime import UTC, datetime

import pytest

from inbox.models import Message, SyncCursor
from inbox.sync import account_sync, messages_upsert
from publishing.adapters.base import FetchedMessage
from tests.factories import SocialAccountFactory
from tests.fakes.mastodon import render

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def fetched(external_id="1", text="Bonjour", **fields) -> FetchedMessage:
    defaults = {"kind": "comment", "created_at": WHEN, "author_id": "a1", "author_handle": "lea"}
    return FetchedMessage(external_id=external_id, text=text, **{**defaults, **fields})


def test_an_edited_message_is_updated_and_marked_edited_without_losing_triage():
    account = SocialAccountFactory()
    messages_upsert(account=account, fetched=[fetched(text="Ouvert lundi ?")])
    Message.objects.update(status=Message.Status.DONE, read=True)

    messages_upsert(account=account, fetched=[fetched(text="Ouvert le lundi de Pâques ?")])

    message = Message.objects.get()
    assert (message.text, message.edited) == ("Ouvert le lundi de Pâques ?", True)
    assert (message.status, message.read) == (Message.Status.DONE, True)


def test_a_deleted_message_is_marked_deleted_and_keeps_what_we_saw():
    account = SocialAccountFactory()
    messages_upsert(account=account, fetched=[fetched(text="Un avis")])

    messages_upsert(account=account, fetched=[fetched(text="", deleted=True)])

    message = Message.objects.get()
    assert message.deleted and message.text == "Un avis" and not message.edited


def test_an_edit_on_mastodon_reaches_the_inbox(fake_mastodon, mastodon_account):
    status = fake_mastodon.add_mention("@museum ouvert lundi ?")
    account_sync(account=mastodon_account)
    status["content"] = render("@museum ouvert lundi de Pâques ?")
    SyncCursor.objects.filter(account=mastodon_account).update(cursor={})

    account_sync(account=mastodon_account)

    message = Message.objects.get()
    assert message.text == "@museum ouvert lundi de Pâques ?" and message.edited


@pytest.mark.parametrize(
    "item",
    [
        fetched(external_id=""),
        fetched(created_at="yesterday"),
        fetched(kind="story"),
        fetched(created_at=None),
    ],
)
def test_malformed_items_are_skipped_and_the_rest_stored(item):
    account = SocialAccountFactory()
    stored = messages_upsert(account=account, fetched=[item, fetched(external_id="ok")])
    assert stored == 1
    assert list(Message.objects.values_list("external_id", flat=True)) == ["ok"]


def test_odd_but_valid_data_is_stored_whole_and_safe():
    account = SocialAccountFactory()
    long_text = "é" * 10_000
    items = [
        fetched("html", "<script>alert(1)</script><b>gras</b>"),
        fetched("long", long_text),
        fetched("rtl", "مرحبا بالمتحف \u202eevil"),
        fetched("emoji", "👩🏽‍🎨👨‍👩‍👧‍👦🏳️‍🌈"),
        fetched("nul", "a\x00b", author_name="x" * 500, url="javascript:alert(1)", author_avatar="data:x"),
        fetched("naive", "sans fuseau", created_at=datetime(2026, 11, 20, 10, 0)),
    ]

    assert messages_upsert(account=account, fetched=items) == len(items)

    stored = {m.external_id: m for m in Message.objects.all()}
    assert stored["html"].text == "<script>alert(1)</script><b>gras</b>"  # stored as sent, escaped when shown
    assert stored["long"].text == long_text
    assert stored["emoji"].text == "👩🏽‍🎨👨‍👩‍👧‍👦🏳️‍🌈"
    assert stored["nul"].text == "ab"
    assert len(stored["nul"].author_name) == 300
    assert stored["nul"].url == "" and stored["nul"].author_avatar == ""
    assert stored["naive"].created_at == WHEN
    assert list(Message.objects.search("bienvenue").values_list("external_id", flat=True)) == []
    assert list(Message.objects.search("gras").values_list("external_id", flat=True)) == ["html"]
