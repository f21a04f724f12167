"""Bluesky's inbox as the real AppView serves it: notifications dated by the author's clock.

The AppView dates (and sorts) a notification by the post's own `createdAt` when that is earlier than when it indexed
the post: a reply written on a phone whose clock is behind, or delayed by a relay backlog, lands in the list *behind*
notifications the inbox has already seen. A sync that stops at the last date it saw never gets it.
"""

import pytest
from django.utils import timezone

from inbox.models import Message
from inbox.sync import account_sync
from publishing.adapters import get_adapter

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


def fetch_all(adapter, cursor: dict) -> tuple[list[str], dict]:
    texts = []
    while True:
        page = adapter.fetch_messages(cursor)
        texts += [message.text for message in page.messages]
        cursor = page.cursor
        if not page.more:
            return texts, cursor


def test_a_reply_dated_earlier_than_what_was_seen_still_arrives_once(fake_bluesky, bluesky_account):
    fake_bluesky.dated_by_author = True
    fake_bluesky.add_mention("Premier")
    adapter = get_adapter(bluesky_account)
    texts, cursor = fetch_all(adapter, {})
    assert texts == ["Premier"]

    fake_bluesky.add_mention("Deuxième")
    fake_bluesky.add_mention("Écrit hors ligne", created_at=timezone.now() - 2 * HOUR)  # dated before "Premier"
    texts, cursor = fetch_all(adapter, cursor)

    assert sorted(texts) == ["Deuxième", "Écrit hors ligne"]
    assert fetch_all(adapter, cursor)[0] == []  # deduplicated by id: nothing comes twice


def test_the_overlap_walks_back_over_several_pages_and_stops_at_the_window(fake_bluesky, bluesky_account):
    fake_bluesky.dated_by_author = True
    for number in range(120):
        fake_bluesky.add_mention(f"Question {number}", created_at=timezone.now() - 3 * 24 * HOUR)
    fake_bluesky.add_mention("Dernière vue")
    adapter = get_adapter(bluesky_account)
    texts, cursor = fetch_all(adapter, {})
    assert len(texts) == 121
    for number in range(60):
        fake_bluesky.add_mention(f"Récente {number}")
    late = fake_bluesky.add_mention("En retard", created_at=timezone.now() - 20 * HOUR)
    before = len(fake_bluesky.received("GET", "listNotifications"))

    texts, cursor = fetch_all(adapter, cursor)

    assert sorted(texts) == sorted([*(f"Récente {n}" for n in range(60)), "En retard"])
    pages = fake_bluesky.received("GET", "listNotifications")[before:]
    assert len(pages) == 2  # 62 within the day, then the page that reaches three days back ends the walk
    assert late["uri"] in cursor["ids"]


def test_a_late_reply_reaches_the_inbox_under_its_publication(fake_bluesky, bluesky_account):
    from tests.factories import PublicationFactory

    fake_bluesky.dated_by_author = True
    publication = PublicationFactory(account=bluesky_account, text="La Joconde")
    result = get_adapter(bluesky_account).publish(publication)
    publication.external_id, publication.state = result.external_id, "published"
    publication.save()
    post = {"uri": result.external_id, "cid": result.extra["cid"]}
    fake_bluesky.add_reply("Sublime", parent=post)
    account_sync(account=bluesky_account)

    fake_bluesky.add_reply("Vue hier soir", parent=post, created_at=timezone.now() - 5 * HOUR, handle="tom.bsky.social")
    assert account_sync(account=bluesky_account).error == ""

    messages = Message.objects.filter(account=bluesky_account)
    assert sorted(messages.values_list("text", flat=True)) == ["Sublime", "Vue hier soir"]
    assert {m.publication_id for m in messages} == {publication.pk}
