"""Fault tests with real processes: a worker killed mid-publish, a flushed Redis, competing workers and beats,
a rate limit, an expired token. The database rows are the truth; each case must end with every post once."""

import time

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, sync_roles
from publishing.models import Network, Publication, PublishAttempt, SandboxPost, SocialAccount
from publishing.services import publications_dispatch
from tests.conftest import login_client, wait_for
from tests.factories import SocialAccountFactory, user_with_role
from tests.fakes.mastodon import FakeMastodon
from tests.publishing.pipeline import (  # noqa: F401
    all_in,
    beat_factory,
    due_publication,
    reconnect_mastodon,
    start_worker,
)

State = Publication.State
pytestmark = pytest.mark.worker
STATUSES = r"^/api/v1/statuses$"


class TimedMastodon(FakeMastodon):
    """The Mastodon fake, noting when each request arrived (faults included)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.arrivals: list[tuple[float, str, str]] = []

    def _take_fault(self, method, path):
        with self.lock:
            self.arrivals.append((time.monotonic(), method, path))
        return super()._take_fault(method, path)

    def status_posts_at(self) -> list[float]:
        return [at for at, method, path in self.arrivals if method == "POST" and path == "/api/v1/statuses"]


@pytest.fixture
def mastodon():
    with TimedMastodon() as fake:
        yield fake


@pytest.fixture
def account(transactional_db, mastodon):
    return SocialAccountFactory(
        network=Network.MASTODON,
        handle="museum@fake.social",
        server_url=mastodon.url,
        external_id=mastodon.account["id"],
        credentials={"access_token": "mastodon-token"},
    )


def test_sigkill_mid_publish_posts_once(celery_worker_factory, beat_factory, mastodon, account):  # noqa: F811
    # The network accepts the post, then holds the answer: the worker dies while waiting for it.
    mastodon.inject(method="POST", path=STATUSES, after_handling=True, delay=8)
    publication = due_publication(account, text="Nocturne ce soir jusqu'à 22 h.")
    first = start_worker(celery_worker_factory, name="doomed", PUBLISHING_LEASE_SECONDS="3")
    beat_factory()
    wait_for(lambda: mastodon.received("POST", STATUSES), message="the post to reach the network")
    wait_for(lambda: mastodon.posts(), message="the network to accept the post")

    first.stop(sig=9)
    start_worker(celery_worker_factory, name="heir", PUBLISHING_LEASE_SECONDS="3")

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the publication to be published")
    assert len(mastodon.posts()) == 1
    publication.refresh_from_db()
    assert publication.external_id == mastodon.posts()[0]["id"]
    outcomes = list(publication.attempts.values_list("outcome", flat=True))
    assert outcomes == [PublishAttempt.Outcome.UNKNOWN, PublishAttempt.Outcome.PUBLISHED]


def test_flushed_redis_loses_no_publication(celery_worker_factory, beat_factory):  # noqa: F811
    account = SocialAccountFactory(network=Network.SANDBOX)
    publications = [due_publication(account, text=f"Œuvre du jour n° {n}") for n in range(20)]
    assert publications_dispatch() == 20  # claimed and queued in Redis; no worker is running yet
    assert all_in(State.SENDING, publications)

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # every queued message is gone
    start_worker(celery_worker_factory)
    beat_factory()

    wait_for(lambda: all_in(State.PUBLISHED, publications), timeout=40, message="every publication to go out")
    assert SandboxPost.objects.count() == 20
    assert PublishAttempt.objects.count() == 20


def test_two_workers_and_two_beats_never_duplicate_over_500_publications(celery_worker_factory, beat_factory):  # noqa: F811
    accounts = [SocialAccountFactory(network=Network.SANDBOX) for _ in range(5)]
    start = timezone.now()
    publications = [
        due_publication(accounts[n % 5], at=start + timezone.timedelta(milliseconds=10 * n), text=f"Post {n}")
        for n in range(500)
    ]
    start_worker(celery_worker_factory, name="one")
    start_worker(celery_worker_factory, name="two")
    beat_factory("beat-one")
    beat_factory("beat-two")

    wait_for(lambda: all_in(State.PUBLISHED, publications), timeout=120, message="all 500 to go out")
    assert SandboxPost.objects.count() == 500
    assert PublishAttempt.objects.count() == 500
    assert set(PublishAttempt.objects.values_list("number", flat=True)) == {1}


def test_429_with_retry_after_is_honoured(celery_worker_factory, beat_factory, mastodon, account):  # noqa: F811
    mastodon.inject(
        method="POST", path=STATUSES, status=429, headers={"Retry-After": "2"}, body={"error": "Too many requests"}
    )
    publication = due_publication(account)
    start_worker(celery_worker_factory)
    beat_factory()

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=30, message="the publication to be published")
    first, second = mastodon.status_posts_at()
    assert second - first >= 2.0
    assert len(mastodon.posts()) == 1
    limited, published = publication.attempts.order_by("number")
    assert limited.outcome == PublishAttempt.Outcome.RATE_LIMITED
    assert limited.http_status == 429
    assert (published.started_at - limited.finished_at).total_seconds() >= 2.0


def test_expired_token_holds_the_account_until_reconnected(
    celery_worker_factory,
    beat_factory,  # noqa: F811
    mastodon,
    account,
    client,
):
    mastodon.expire_token()
    first = due_publication(account, text="Premier post")
    start_worker(celery_worker_factory)
    beat_factory()

    wait_for(
        lambda: SocialAccount.objects.filter(pk=account.pk, status=SocialAccount.Status.NEEDS_RECONNECT).exists(),
        message="the account to need reconnecting",
    )
    second = due_publication(account, text="Second post")  # falls due while the account waits
    time.sleep(3)
    assert len(mastodon.received("POST", STATUSES)) == 1  # at most one call with the dead token
    assert all_in(State.DUE, [first, second])
    sync_roles(apps)  # role groups do not survive transactional tests
    login_client(client, user_with_role(Role.COMMUNITY_MANAGER, username="cm"))
    assert "Needs reconnecting" in client.get(reverse("social_accounts")).content.decode()

    reconnect_mastodon(account, mastodon)

    wait_for(lambda: all_in(State.PUBLISHED, [first, second]), timeout=30, message="both to go out after reconnecting")
    assert sorted(p["content"] for p in mastodon.posts()) == ["<p>Premier post</p>", "<p>Second post</p>"]
