"""Fault tests of the reply pipeline with real processes (worker, beat, Redis), as for publications: a worker
killed mid-reply, a flushed Redis, a 429 with Retry-After. Each case ends with every reply sent once, or waiting for a
person where the network cannot tell; never twice, never lost."""

import uuid

import pytest
import redis
from django.conf import settings

from inbox.models import Message, Reply
from inbox.sending import reply_queue
from inbox.sync import account_sync
from publishing.models import Network, SandboxPost, SandboxReply, SocialAccount
from publishing.vocabulary import Outcome
from tests.conftest import wait_for
from tests.factories import MessageFactory, SocialAccountFactory, UserFactory
from tests.fakes.mastodon import FakeMastodon
from tests.publishing.pipeline import beat_factory, start_worker  # noqa: F401

pytestmark = pytest.mark.worker
State = Reply.State
STATUSES = r"^/api/v1/statuses$"


@pytest.fixture
def mastodon():
    with FakeMastodon() as fake:
        yield fake


@pytest.fixture
def question(transactional_db, mastodon) -> Message:
    account = SocialAccount.objects.create(**mastodon.account_fields())
    mention = mastodon.add_mention("@museum ouvert lundi ?")
    account_sync(account=account)
    return Message.objects.get(external_id=mention["id"])


def _state(reply: Reply) -> str:
    return Reply.objects.get(pk=reply.pk).state


def _our_replies(mastodon) -> list[dict]:
    return [s for s in mastodon.posts() if s["in_reply_to_id"]]


def test_sigkill_mid_reply_sends_it_once(celery_worker_factory, beat_factory, mastodon, question):  # noqa: F811
    # The network accepts the reply, then holds the answer: the worker dies while waiting for it.
    mastodon.inject(method="POST", path=STATUSES, after_handling=True, delay=8)
    first = start_worker(celery_worker_factory, name="doomed", PUBLISHING_LEASE_SECONDS="3")
    reply = reply_queue(message=question, text="Non, fermé le lundi.", by=UserFactory())
    wait_for(lambda: _our_replies(mastodon), message="the network to accept the reply")

    first.stop(sig=9)
    start_worker(celery_worker_factory, name="heir", PUBLISHING_LEASE_SECONDS="3")
    beat_factory()

    wait_for(lambda: _state(reply) == State.SENT, timeout=40, message="the reply to be found on the network")
    assert len(_our_replies(mastodon)) == 1
    sent = Reply.objects.get(pk=reply.pk)
    assert sent.external_id == _our_replies(mastodon)[0]["id"]
    assert list(sent.attempts.values_list("outcome", flat=True)) == [Outcome.UNKNOWN, Outcome.PUBLISHED]


def test_flushed_redis_loses_no_reply(celery_worker_factory, beat_factory):  # noqa: F811
    account = SocialAccountFactory(network=Network.SANDBOX)
    posts = [SandboxPost.objects.create(account=account, idempotency_key=uuid.uuid4()) for _ in range(10)]
    messages = [MessageFactory(account=account, external_id=post.external_id) for post in posts]
    author = UserFactory()
    replies = [reply_queue(message=m, text=f"Merci n° {n}", by=author) for n, m in enumerate(messages)]

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # every queued message is gone
    start_worker(celery_worker_factory)
    beat_factory()

    sent = Reply.objects.filter(pk__in=[r.pk for r in replies], state=State.SENT)
    wait_for(lambda: sent.count() == 10, timeout=40, message="every reply to go out")
    assert SandboxReply.objects.filter(by_museum=True).count() == 10
    assert sorted(Reply.objects.values_list("attempts__number", flat=True)) == [1] * 10


def test_a_429_with_retry_after_is_honoured_for_a_reply(celery_worker_factory, beat_factory, mastodon, question):  # noqa: F811
    headers = {"Retry-After": "2"}
    mastodon.inject(method="POST", path=STATUSES, status=429, headers=headers, body={"error": "Too many requests"})
    start_worker(celery_worker_factory)
    beat_factory()

    reply = reply_queue(message=question, text="Oui, ouvert jusqu'à 18 h.", by=UserFactory())

    wait_for(lambda: _state(reply) == State.SENT, timeout=30, message="the reply to go out")
    assert len(_our_replies(mastodon)) == 1
    limited, sent = Reply.objects.get(pk=reply.pk).attempts.order_by("number")
    assert (limited.outcome, limited.http_status, sent.outcome) == (Outcome.RATE_LIMITED, 429, Outcome.PUBLISHED)
    assert (sent.started_at - limited.finished_at).total_seconds() >= 2.0
