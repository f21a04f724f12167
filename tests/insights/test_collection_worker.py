"""Collection with real Celery workers on the insights queue, against the Mastodon fake over real HTTP: a worker
killed mid-batch loses no snapshot and writes none twice; a publishing backlog goes out before any metrics call; a
429 with Retry-After backs the account off; an expired token warns and collection resumes after reconnecting."""

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from insights.collection import snapshots_dispatch
from insights.models import PublicationSnapshot, ScheduledSnapshot
from publishing.models import Publication, SocialAccount
from tests.conftest import wait_for, worker_env
from tests.factories import SocialAccountFactory
from tests.fakes.mastodon import FakeMastodon
from tests.insights.due import published_with_due_snapshots
from tests.publishing.pipeline import (  # noqa: F401
    PIPELINE_ENV,
    all_in,
    beat_factory,
    due_publication,
    reconnect_mastodon,
    start_worker,
)

State = ScheduledSnapshot.State


@pytest.fixture
def fake():
    with FakeMastodon() as fake:
        yield fake


@pytest.fixture
def account(transactional_db, fake):
    return SocialAccountFactory(**fake.account_fields())


def insights_worker(factory, name: str = "insights", **env):
    return factory("--pool=threads", "--concurrency=1", "-Q", "insights", name=name, env=worker_env(**env))


def all_done() -> bool:
    return not ScheduledSnapshot.objects.exclude(state=State.DONE).exists()


def test_a_worker_killed_mid_batch_loses_no_snapshot_and_writes_none_twice(
    celery_worker_factory, fake, account, settings
):
    settings.INSIGHTS_LEASE_SECONDS = 2
    publications = published_with_due_snapshots(fake, account, 45)  # one batch: calls of 20, 20 and 5
    fake.inject(path=r"^/api/v1/statuses$", delay=30, skip=1)  # the batch's second call hangs on the network
    doomed = insights_worker(celery_worker_factory, name="doomed")
    snapshots_dispatch()
    calls = lambda: len(fake.received("GET", r"^/api/v1/statuses$"))  # noqa: E731
    wait_for(lambda: calls() == 2, message="the batch's second call (the first one answered, not yet recorded)")
    os.killpg(doomed.process.pid, signal.SIGKILL)
    doomed.process.wait()
    assert ScheduledSnapshot.objects.filter(state=State.CLAIMED).exists()

    insights_worker(celery_worker_factory, name="survivor")
    wait_for(lambda: snapshots_dispatch() is not None and all_done(), timeout=60, message="every snapshot taken")

    assert PublicationSnapshot.objects.count() == len(publications)
    taken = PublicationSnapshot.objects.values_list("publication_id", flat=True)
    assert sorted(taken) == sorted(p.pk for p in publications)


def test_a_publishing_backlog_goes_out_before_any_metrics_call(celery_worker_factory, beat_factory, fake, account):  # noqa: F811
    published_with_due_snapshots(fake, account, 30)
    backlog = [due_publication(account, text=f"Nouvelle œuvre {n}") for n in range(12)]
    publisher = start_worker(celery_worker_factory)
    collector = insights_worker(celery_worker_factory, **PIPELINE_ENV)
    beat_factory(INSIGHTS_DISPATCH_INTERVAL="0.5")

    wait_for(lambda: all_in(Publication.State.PUBLISHED, backlog), timeout=60, message="the backlog published")
    wait_for(all_done, timeout=60, message="the metrics taken after it")

    calls = [(r.method, r.path) for r in fake.requests if r.path == "/api/v1/statuses"]
    last_post = max(i for i, call in enumerate(calls) if call[0] == "POST")
    first_metrics = min(i for i, call in enumerate(calls) if call[0] == "GET")
    assert last_post < first_metrics
    ran = "insights.tasks.collect_snapshots["
    assert ran in collector.output() and ran not in publisher.output()  # never on publishing's worker


def test_a_429_with_retry_after_backs_the_account_off(celery_worker_factory, fake, account):
    published_with_due_snapshots(fake, account, 25)
    fake.inject(
        path=r"^/api/v1/statuses$", status=429, body={"error": "Too many requests"}, headers={"Retry-After": "120"}
    )
    insights_worker(celery_worker_factory)
    asked_at = timezone.now()
    snapshots_dispatch()

    wait_for(lambda: ScheduledSnapshot.objects.filter(error__icontains="too many").exists(), message="the 429")
    wait_for(lambda: not ScheduledSnapshot.objects.filter(state=State.CLAIMED).exists(), message="batches settled")
    waiting = ScheduledSnapshot.objects.filter(kind="publication").exclude(state=State.DONE)
    assert waiting.exists()
    assert all(row.next_attempt_at >= asked_at + timedelta(seconds=120) for row in waiting)
    assert snapshots_dispatch() == []  # nothing of the account is claimed before the wait is over
    assert len(fake.received("GET", r"^/api/v1/statuses$")) <= 2


def test_an_expired_token_warns_on_the_account_and_collection_resumes_after_reconnecting(
    celery_worker_factory, fake, account
):
    published_with_due_snapshots(fake, account, 3)
    fake.expire_token()
    insights_worker(celery_worker_factory)
    snapshots_dispatch()

    wait_for(
        lambda: SocialAccount.objects.get(pk=account.pk).status == SocialAccount.Status.NEEDS_RECONNECT,
        message="the account flagged",
    )
    wait_for(lambda: not ScheduledSnapshot.objects.filter(state=State.CLAIMED).exists(), message="rows given back")
    assert ScheduledSnapshot.objects.filter(state=State.DUE).count() == 3
    assert SocialAccount.objects.get(pk=account.pk).status_reason
    assert snapshots_dispatch() == []  # nothing is claimed for an account to reconnect

    reconnect_mastodon(account, fake)
    wait_for(lambda: snapshots_dispatch() is not None and all_done(), timeout=30, message="collection resumed")
    assert PublicationSnapshot.objects.count() == 3
