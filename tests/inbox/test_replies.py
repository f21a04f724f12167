"""The reply pipeline, one step at a time: retries kept on the row, an attempt per call, the sweep that finds what
is due, lost or stuck, and the look before sending again. (With real workers, beat and Redis: test_reply_faults.py.)"""

import uuid

import pytest
from django.core import mail
from django.utils import timezone

from inbox.models import Message, Reply, ReplyAttempt
from inbox.sending import replies_dispatch, reply_retry, reply_send
from inbox.sync import account_sync
from publishing.models import Network, Publication, PublishAttempt, SandboxPost, SandboxReply, SocialAccount
from publishing.vocabulary import Outcome
from tests.factories import MessageFactory, PublicationFactory, SocialAccountFactory, UserFactory

pytestmark = pytest.mark.django_db
State = Reply.State
STATUSES = r"/api/v1/statuses$"


@pytest.fixture
def question(fake_mastodon, mastodon_account):
    mention = fake_mastodon.add_mention("@museum ouvert lundi ?")
    account_sync(account=mastodon_account)
    return Message.objects.get(external_id=mention["id"])


def _reply(message, **fields) -> Reply:
    fields.setdefault("state", State.QUEUED)
    return Reply.objects.create(message=message, author=UserFactory(), text="Non, fermé le lundi.", **fields)


def _ago(**delta):
    return timezone.now() - timezone.timedelta(**delta)


def test_a_sent_reply_leaves_one_completed_attempt(fake_mastodon, question):
    reply = _reply(question)

    assert reply_send(reply_id=reply.pk) == State.SENT

    attempt = ReplyAttempt.objects.get(reply=reply)
    assert (attempt.number, attempt.outcome) == (1, Outcome.PUBLISHED)
    assert attempt.finished_at is not None and attempt.duration_ms is not None


def test_a_failed_call_schedules_the_retry_on_the_row_and_the_next_try_looks_first(
    fake_mastodon, question, django_capture_on_commit_callbacks
):
    fake_mastodon.inject(method="POST", path=STATUSES, status=503, body={"error": "down"})
    reply = _reply(question)

    with django_capture_on_commit_callbacks() as enqueued:
        assert reply_send(reply_id=reply.pk) == State.QUEUED

    assert enqueued == []  # no countdown task: the row says when
    reply.refresh_from_db()
    assert reply.next_attempt_at > timezone.now() and reply.error and reply.must_check
    attempt = reply.attempts.get()
    assert (attempt.outcome, attempt.http_status, attempt.retry_at) == (Outcome.UNKNOWN, 503, reply.next_attempt_at)
    assert reply_send(reply_id=reply.pk) is None  # a message delivered early finds nothing to send yet
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=_ago(seconds=1))
    assert reply_send(reply_id=reply.pk) == State.SENT
    assert len(fake_mastodon.received("POST", STATUSES)) == 2
    assert len(fake_mastodon.received("GET", r"/statuses$")) == 1  # looked through the account's statuses first


def test_a_rate_limit_waits_at_least_what_the_network_asked(fake_mastodon, question):
    headers = {"Retry-After": "120"}
    fake_mastodon.inject(method="POST", path=STATUSES, status=429, headers=headers, body={"error": "slow down"})
    reply = _reply(question)

    reply_send(reply_id=reply.pk)

    reply.refresh_from_db()
    assert reply.attempts.get().outcome == Outcome.RATE_LIMITED
    assert reply.next_attempt_at >= timezone.now() + timezone.timedelta(seconds=119)


def test_the_sweep_sends_a_reply_once_its_retry_time_has_come(
    fake_mastodon, question, django_capture_on_commit_callbacks
):
    reply = _reply(question, next_attempt_at=_ago(seconds=1), attempt_count=1, dispatched_at=_ago(minutes=1))
    later = timezone.now() + timezone.timedelta(minutes=5)
    waiting = _reply(question, next_attempt_at=later, dispatched_at=_ago(hours=1))

    with django_capture_on_commit_callbacks() as enqueued:
        assert replies_dispatch() == 1
    assert len(enqueued) == 1

    assert reply_send(reply_id=waiting.pk) is None
    assert reply_send(reply_id=reply.pk) == State.SENT
    assert list(reply.attempts.values_list("number", flat=True)) == [2]


def test_the_sweep_enqueues_again_a_queued_reply_whose_message_was_lost(question):
    lost = _reply(question, dispatched_at=_ago(hours=1))
    never_enqueued = _reply(question)
    just_enqueued = _reply(question, dispatched_at=timezone.now())

    assert replies_dispatch() == 2
    assert replies_dispatch() == 0  # enqueued again now: not before the redispatch delay

    enqueued_at = dict(Reply.objects.values_list("pk", "dispatched_at"))
    assert enqueued_at[lost.pk] > _ago(seconds=5) and enqueued_at[never_enqueued.pk] is not None
    assert enqueued_at[just_enqueued.pk] == just_enqueued.dispatched_at


def test_a_reply_a_dead_worker_left_sending_is_found_on_the_network_not_sent_twice():
    account = SocialAccountFactory(network=Network.SANDBOX)
    message = MessageFactory(account=account)
    post = SandboxPost.objects.create(account=account, idempotency_key=uuid.uuid4())
    message.external_id = post.external_id
    message.save()
    reply = _reply(message, state=State.SENDING, attempt_count=1, lease_until=_ago(seconds=1))
    ReplyAttempt.objects.create(reply=reply, number=1)
    SandboxReply.objects.create(  # the dead worker's call had gone through
        post=post,
        in_reply_to=post.external_id,
        author_handle=account.handle,
        text=reply.text,
        by_museum=True,
    )

    assert replies_dispatch() == 1
    assert reply_send(reply_id=reply.pk) == State.SENT

    assert SandboxReply.objects.filter(by_museum=True).count() == 1
    outcomes = list(reply.attempts.values_list("outcome", flat=True))
    assert outcomes == [Outcome.UNKNOWN, Outcome.PUBLISHED]


def test_a_reply_of_unknown_outcome_waits_for_a_person_where_the_network_cannot_be_asked():
    message = MessageFactory(account=SocialAccountFactory(network=Network.FACEBOOK))
    reply = _reply(message, state=State.SENDING, attempt_count=1, lease_until=_ago(seconds=1))
    ReplyAttempt.objects.create(reply=reply, number=1)

    replies_dispatch()
    assert reply_send(reply_id=reply.pk) == State.UNCONFIRMED

    assert list(reply.attempts.values_list("outcome", flat=True)) == [Outcome.UNKNOWN, Outcome.UNKNOWN]
    assert "no way to check" in Reply.objects.get(pk=reply.pk).error


def test_a_live_workers_reply_is_not_taken_from_it(question):
    _reply(question, state=State.SENDING, attempt_count=1, lease_until=timezone.now() + timezone.timedelta(minutes=1))

    assert replies_dispatch() == 0


def test_a_reply_fails_with_the_reason_once_its_attempts_run_out(fake_mastodon, question, settings):
    settings.PUBLISHING_MAX_ATTEMPTS = 2
    fake_mastodon.inject(method="POST", path=STATUSES, status=429, body={"error": "slow down"}, times=5)
    reply = _reply(question)

    reply_send(reply_id=reply.pk)
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=_ago(seconds=1))
    assert reply_send(reply_id=reply.pk) == State.FAILED

    reply.refresh_from_db()
    assert reply.error.startswith("Gave up after 2 attempts")
    assert reply_retry(reply=reply, by=UserFactory())  # a person's try starts a new series
    assert reply_send(reply_id=reply.pk) == State.QUEUED


def test_an_expired_token_on_a_reply_holds_the_accounts_publications(
    fake_mastodon, mastodon_account, question, community_manager, sent_mail
):
    due = PublicationFactory(account=mastodon_account, state=Publication.State.DUE)
    reply = _reply(question)
    fake_mastodon.revoke_token()

    with sent_mail():
        assert reply_send(reply_id=reply.pk) == State.FAILED

    assert reply.attempts.get().outcome == Outcome.AUTH_EXPIRED
    mastodon_account.refresh_from_db()
    assert mastodon_account.status == SocialAccount.Status.NEEDS_RECONNECT
    assert Publication.objects.get(pk=due.pk).held
    assert [m.to for m in mail.outbox] == [[community_manager.email]]


def test_an_attempt_reads_as_what_it_was_sending_its_number_and_outcome():
    reply, publication = Reply(text="Non, fermé le lundi.", state=State.SENT), Publication(account=SocialAccount())
    label = Outcome.RATE_LIMITED.label
    assert str(ReplyAttempt(reply=reply, number=2, outcome=Outcome.RATE_LIMITED)) == f"{reply} #2: {label}"
    assert (
        str(PublishAttempt(publication=publication, number=2, outcome=Outcome.RATE_LIMITED))
        == f"{publication} #2: {label}"
    )
