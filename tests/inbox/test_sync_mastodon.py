"""Inbox sync and replies against the fake Mastodon server: paging, cursor, threading, back-off, failures."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inbox.models import Message, Reply, SyncCursor
from inbox.recheck import messages_recheck
from inbox.sending import reply_send
from inbox.sync import account_sync
from publishing.adapters.mastodon import PAGE_SIZE
from publishing.models import Publication, SocialAccount
from tests.factories import PublicationFactory, UserFactory
from tests.fakes.mastodon import render

pytestmark = pytest.mark.django_db


def museum_status(fake, text="Nouvelle exposition !"):
    return fake._status(render(text), fake.account, None)


def test_sync_pages_through_every_mention_and_resumes_from_the_cursor(fake_mastodon, mastodon_account):
    for n in range(PAGE_SIZE * 2 + 5):
        fake_mastodon.add_mention(f"@museum question {n}")

    first = account_sync(account=mastodon_account)

    assert first.error == ""
    assert first.pages == 3
    assert Message.objects.filter(account=mastodon_account).count() == PAGE_SIZE * 2 + 5
    fake_mastodon.add_mention("@museum one more")
    fake_mastodon.requests.clear()

    second = account_sync(account=mastodon_account)

    assert second.stored == 1
    cursor = SyncCursor.objects.get(account=mastodon_account).cursor
    asked = fake_mastodon.received("GET", r"/notifications")[0].query["min_id"][0]
    assert asked != "0"
    assert int(cursor["min_id"]) > int(asked)
    assert Message.objects.filter(account=mastodon_account).count() == PAGE_SIZE * 2 + 6


def test_syncing_from_scratch_again_creates_no_duplicate(fake_mastodon, mastodon_account):
    for n in range(50):
        fake_mastodon.add_mention(f"@museum hello {n}")
    account_sync(account=mastodon_account)

    SyncCursor.objects.filter(account=mastodon_account).update(cursor={})
    account_sync(account=mastodon_account)

    assert Message.objects.filter(account=mastodon_account).count() == 50


def test_replies_thread_under_their_publication_and_parent(fake_mastodon, mastodon_account):
    ours = museum_status(fake_mastodon)
    publication = PublicationFactory(account=mastodon_account, external_id=ours["id"], state="published")
    question = fake_mastodon.add_mention("@museum Is it open on Monday?", in_reply_to=ours["id"], acct="lea@ex.social")
    answer = fake_mastodon.add_mention("@lea Yes it is!", in_reply_to=question["id"], acct="tom@ex.social")

    account_sync(account=mastodon_account)

    first = Message.objects.get(external_id=question["id"])
    second = Message.objects.get(external_id=answer["id"])
    assert first.publication == publication
    assert first.parent is None  # its parent is our post, not a message
    assert second.parent == first
    assert second.publication == publication
    assert first.author_handle == "lea@ex.social"
    assert first.text == "@museum Is it open on Monday?"


def test_a_reply_arriving_before_its_parent_is_linked_when_the_parent_comes(fake_mastodon, mastodon_account):
    ours = museum_status(fake_mastodon)
    question = fake_mastodon.add_mention("@museum question", in_reply_to=ours["id"])
    answer = fake_mastodon.add_mention("@museum answer", in_reply_to=question["id"])
    fake_mastodon.notifications = [n for n in fake_mastodon.notifications if n["status"]["id"] == answer["id"]]
    account_sync(account=mastodon_account)
    assert Message.objects.get(external_id=answer["id"]).parent is None

    late = {"id": "10", "type": "mention", "account": question["account"], "status": question}
    fake_mastodon.notifications.append(late)  # the parent shows up on a later page
    account_sync(account=mastodon_account)

    assert Message.objects.get(external_id=answer["id"]).parent.external_id == question["id"]


def test_rate_limit_stores_the_back_off_and_the_next_sync_waits(fake_mastodon, mastodon_account):
    fake_mastodon.add_mention("@museum hi")
    fake_mastodon.inject(
        path="/notifications", status=429, body={"error": "Too many requests"}, headers={"Retry-After": "120"}
    )

    result = account_sync(account=mastodon_account)

    cursor = SyncCursor.objects.get(account=mastodon_account)
    assert "Too many requests" in result.error
    assert timezone.now() + timezone.timedelta(seconds=100) < cursor.next_allowed_at
    fake_mastodon.requests.clear()
    assert account_sync(account=mastodon_account).skipped
    assert fake_mastodon.received() == []
    SyncCursor.objects.filter(pk=cursor.pk).update(next_allowed_at=timezone.now())
    assert account_sync(account=mastodon_account).stored == 1


@pytest.mark.parametrize("invalid_token_400", [False, True], ids=["mastodon-401", "takahe-400"])
def test_an_expired_token_flags_the_account_for_reconnecting(fake_mastodon, mastodon_account, invalid_token_400):
    fake_mastodon.invalid_token_400 = invalid_token_400  # Takahē: 400 "Invalid Bearer token"
    fake_mastodon.revoke_token()

    account_sync(account=mastodon_account)

    mastodon_account.refresh_from_db()
    assert mastodon_account.status == SocialAccount.Status.NEEDS_RECONNECT
    assert account_sync(account=mastodon_account).skipped


def test_an_expired_token_found_by_the_inbox_holds_the_publications_and_warns_the_team(
    fake_mastodon, mastodon_account, client, community_manager, sent_mail
):
    due = PublicationFactory(account=mastodon_account, state=Publication.State.DUE)
    fake_mastodon.revoke_token()

    with sent_mail():
        account_sync(account=mastodon_account)

    due.refresh_from_db()
    assert due.held
    assert [m.to for m in mail.outbox] == [[community_manager.email]]
    assert "Reconnect" in mail.outbox[0].subject
    client.force_login(community_manager)
    status = client.get(reverse("publication_status", args=[due.post_id])).content.decode()
    assert "Waiting for reconnection" in status


def test_a_malformed_json_page_is_recorded_and_the_next_sync_goes_on(fake_mastodon, mastodon_account):
    fake_mastodon.add_mention("@museum first")
    account_sync(account=mastodon_account)
    fake_mastodon.add_mention("@museum second")
    fake_mastodon.inject(
        path="/notifications", status=200, body='[{"id": "3", ', headers={"Content-Type": "application/json"}
    )

    broken = account_sync(account=mastodon_account)

    assert broken.error
    assert SyncCursor.objects.get(account=mastodon_account).last_error
    assert Message.objects.count() == 1
    assert account_sync(account=mastodon_account).stored == 1
    assert Message.objects.count() == 2
    assert SyncCursor.objects.get(account=mastodon_account).last_error == ""


def test_malformed_notifications_are_skipped_and_the_rest_stored(fake_mastodon, mastodon_account):
    fake_mastodon.add_mention("@museum good")
    fake_mastodon.notifications.append({"id": "99", "type": "mention", "status": {"id": None}})
    fake_mastodon.notifications.append({"id": "100", "type": "mention", "status": "nonsense"})

    result = account_sync(account=mastodon_account)

    assert result.error == ""
    assert list(Message.objects.values_list("text", flat=True)) == ["@museum good"]


def _queued_reply(message, text="Merci ! Oui, le musée est ouvert."):
    return Reply.objects.create(message=message, author=UserFactory(), text=text, state=Reply.State.QUEUED)


def test_a_reply_is_posted_once_under_the_right_status(fake_mastodon, mastodon_account):
    question = fake_mastodon.add_mention("@museum open on Monday?", acct="lea@ex.social")
    account_sync(account=mastodon_account)
    reply = _queued_reply(Message.objects.get(external_id=question["id"]))

    reply_send(reply_id=reply.pk)
    reply_send(reply_id=reply.pk)  # a re-delivered task finds nothing to claim

    posted = fake_mastodon.received("POST", r"/api/v1/statuses$")
    assert len(posted) == 1
    assert posted[0].fields()["in_reply_to_id"] == question["id"]
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT
    assert reply.external_id == fake_mastodon.posts()[-1]["id"]
    message = reply.message
    message.refresh_from_db()
    assert message.first_response_at is not None
    assert message.status == Message.Status.DONE


def test_a_timeout_after_sending_is_looked_up_on_the_network_instead_of_sent_again(
    fake_mastodon, mastodon_account, short_timeouts
):
    question = fake_mastodon.add_mention("@museum hello")
    account_sync(account=mastodon_account)
    reply = _queued_reply(Message.objects.get(external_id=question["id"]))
    fake_mastodon.inject(method="POST", path=r"/statuses$", after_handling=True, delay=3)

    reply_send(reply_id=reply.pk)

    reply.refresh_from_db()
    assert (reply.state, reply.must_check) == (Reply.State.QUEUED, True)
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())
    reply_send(reply_id=reply.pk)
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT
    assert len(fake_mastodon.posts()) == 1
    assert len(fake_mastodon.received("POST", r"/statuses$")) == 1  # found, not sent again
    assert reply.external_id == fake_mastodon.posts()[0]["id"]


def test_a_refused_reply_fails_with_the_networks_reason(fake_mastodon, mastodon_account):
    question = fake_mastodon.add_mention("@museum hello")
    account_sync(account=mastodon_account)
    reply = _queued_reply(Message.objects.get(external_id=question["id"]), text="x" * 600)

    reply_send(reply_id=reply.pk)

    reply.refresh_from_db()
    assert reply.state == Reply.State.FAILED
    assert "character limit" in reply.error


# Servers that bend the contract (Takahē) ------------------------------------------------------------------------------


def test_a_direct_message_is_labelled_as_one(fake_mastodon, mastodon_account):
    fake_mastodon.add_mention("@museum Puis-je vous écrire en privé ?", visibility="direct")
    fake_mastodon.add_mention("@museum Ouvert demain ?")

    account_sync(account=mastodon_account)

    kinds = dict(Message.objects.values_list("text", "kind"))
    assert kinds == {"@museum Puis-je vous écrire en privé ?": "direct", "@museum Ouvert demain ?": "mention"}


@pytest.mark.parametrize("html_404", [False, True], ids=["mastodon-json-404", "takahe-html-404"])
def test_a_deleted_status_is_marked_deleted_whatever_its_404_looks_like(fake_mastodon, mastodon_account, html_404):
    fake_mastodon.html_404 = html_404
    insult = fake_mastodon.add_mention("@museum Exposition ridicule")
    account_sync(account=mastodon_account)
    fake_mastodon.delete_status(insult["id"])

    result = messages_recheck(account=mastodon_account)

    assert (result.error, result.deleted) == ("", 1)
    assert Message.objects.get(external_id=insult["id"]).deleted


def test_an_html_404_from_a_server_that_is_not_the_accounts_deletes_nothing(fake_mastodon, mastodon_account):
    fake_mastodon.html_404 = True
    question = fake_mastodon.add_mention("@museum Ouvert demain ?")
    account_sync(account=mastodon_account)
    fake_mastodon.delete_status(question["id"])
    fake_mastodon.account = {**fake_mastodon.account, "id": "42"}  # the address now answers for another account

    assert messages_recheck(account=mastodon_account).deleted == 0
    assert not Message.objects.get(external_id=question["id"]).deleted
