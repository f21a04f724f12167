"""Collection in one process (the sandbox network): planning, claiming in batches per account, recording once,
yielding to publishing, the per-account allowance. The real-worker behaviour is in test_collection_worker.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from insights.collection import snapshots_collect, snapshots_dispatch
from insights.models import AccountSnapshot, Checkpoint, PublicationSnapshot, ScheduledSnapshot
from insights.planning import checkpoints_to_take, snapshots_plan
from publishing.adapters import get_adapter
from publishing.models import Network, Publication, SandboxPost, SocialAccount
from tests.conftest import login_client
from tests.factories import PublicationFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
State = ScheduledSnapshot.State


def published(account, hours_ago: float) -> Publication:
    publication = PublicationFactory(account=account)
    result = get_adapter(account).publish(publication)
    at = timezone.now() - timedelta(hours=hours_ago)
    SandboxPost.objects.filter(idempotency_key=publication.idempotency_key).update(created_at=at)
    Publication.objects.filter(pk=publication.pk).update(
        state=Publication.State.PUBLISHED, published_at=at, external_id=result.external_id
    )
    return publication


def test_a_publication_gets_its_checkpoints_ahead_and_only_the_latest_one_past():
    now = timezone.now()
    assert checkpoints_to_take(now - timedelta(hours=30), now) == [
        Checkpoint.H24,
        Checkpoint.H48,
        Checkpoint.D7,
        Checkpoint.D30,
    ]
    assert checkpoints_to_take(now, now) == list(Checkpoint)


def test_planning_twice_plans_once():
    account = SocialAccountFactory()
    published(account, hours_ago=2)
    snapshots_plan()
    snapshots_plan()
    assert ScheduledSnapshot.objects.filter(kind="publication").count() == 6
    assert ScheduledSnapshot.objects.filter(kind="account").count() == 1


def test_dispatch_claims_due_rows_in_batches_per_account_and_collect_records_each_once(
    django_capture_on_commit_callbacks,
):
    first, second = SocialAccountFactory(), SocialAccountFactory()
    for hours in (2, 3, 7):
        published(first, hours)
    published(second, 2)
    snapshots_plan()
    with django_capture_on_commit_callbacks():
        tokens = snapshots_dispatch()
    assert ScheduledSnapshot.objects.filter(state=State.CLAIMED).count() == 4 + 2  # one checkpoint past each, 2 days
    assert len(tokens) == 4  # per account: one batch of its publications, one of the account itself
    for token in tokens:
        assert snapshots_collect(claim=token) == "done"
        assert snapshots_collect(claim=token) == "gone"  # a re-delivered message writes nothing
    assert PublicationSnapshot.objects.count() == 4
    assert AccountSnapshot.objects.count() == 2
    assert PublicationSnapshot.objects.filter(quotes__isnull=True, likes__isnull=False).count() == 4


def test_a_late_worker_whose_claim_was_taken_over_writes_nothing(django_capture_on_commit_callbacks):
    published(SocialAccountFactory(), 2)
    snapshots_plan()
    ScheduledSnapshot.objects.filter(kind="account").delete()
    with django_capture_on_commit_callbacks():
        (old,) = snapshots_dispatch()
    ScheduledSnapshot.objects.filter(claim=old).update(lease_until=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks():
        (new,) = snapshots_dispatch()  # the lease ran out: released and claimed again under a new token
    assert snapshots_collect(claim=old) == "gone"
    assert snapshots_collect(claim=new) == "done"
    assert PublicationSnapshot.objects.count() == 1


def test_an_account_with_a_publication_going_out_gets_no_metrics_until_it_is_out(django_capture_on_commit_callbacks):
    account = SocialAccountFactory()
    published(account, 2)
    due = PublicationFactory(account=account, state=Publication.State.DUE, scheduled_at=timezone.now())
    snapshots_plan()
    with django_capture_on_commit_callbacks():
        assert snapshots_dispatch() == []
    Publication.objects.filter(pk=due.pk).update(state=Publication.State.PUBLISHED)
    with django_capture_on_commit_callbacks():
        assert len(snapshots_dispatch()) == 2


def test_metrics_wait_for_the_next_hour_once_the_account_allowance_is_spent(
    settings, django_capture_on_commit_callbacks
):
    settings.INSIGHTS_CALLS_PER_HOUR = 1
    account = SocialAccountFactory()
    published(account, 2)
    snapshots_plan()
    with django_capture_on_commit_callbacks():
        tokens = snapshots_dispatch()
    results = sorted(snapshots_collect(claim=token) for token in tokens)
    assert results == ["done", "quota"]
    waiting = ScheduledSnapshot.objects.get(state=State.DUE, next_attempt_at__isnull=False)
    assert waiting.next_attempt_at > timezone.now() and waiting.attempts == 0


def test_accounts_of_networks_that_give_no_metrics_are_not_scheduled():
    from publishing.adapters import ADAPTERS
    from publishing.adapters.base import Adapter

    silent = [n for n, cls in ADAPTERS.items() if cls.fetch_post_metrics is Adapter.fetch_post_metrics]
    assert silent  # a channel without metrics (the "Ask the museum" site)
    measured = SocialAccountFactory(network=Network.SANDBOX)
    SocialAccountFactory(network=silent[0])
    snapshots_plan()
    assert list(ScheduledSnapshot.objects.values_list("account", flat=True)) == [measured.pk]


def test_figures_a_sandbox_account_imitating_tumblr_would_not_get_are_shown_as_tumblrs_dashes(
    client, manager, django_capture_on_commit_callbacks
):
    account = SocialAccountFactory(imitates=Network.TUMBLR)
    published(account, 2)
    snapshots_plan()
    with django_capture_on_commit_callbacks():
        tokens = snapshots_dispatch()
    assert {snapshots_collect(claim=token) for token in tokens} == {"done"}

    snapshot = PublicationSnapshot.objects.get()
    assert (snapshot.views, snapshot.saves, snapshot.quotes) == (None, None, None)  # absent, never 0
    assert snapshot.likes is not None
    today = timezone.localdate().isoformat()
    page = login_client(client, manager).get(reverse("insights"), {"start": today, "end": today}).content.decode()
    assert page.count('title="Not provided by Tumblr">—') == 4  # views, quotes, saves, link clicks


def test_a_row_of_a_network_that_stopped_giving_metrics_fails_with_a_reason_in_the_institutions_language(
    settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "fr"  # a worker speaks the institution's language; the reason is stored as read
    account = SocialAccountFactory()
    published(account, 2)
    snapshots_plan()
    ScheduledSnapshot.objects.filter(kind="account").delete()
    SocialAccount.objects.filter(pk=account.pk).update(network=Network.ASK)  # planned while it still gave them
    with django_capture_on_commit_callbacks():
        (token,) = snapshots_dispatch()
    with translation.override(settings.LANGUAGE_CODE):
        assert snapshots_collect(claim=token) == "unsupported"
    (row,) = ScheduledSnapshot.objects.filter(kind="publication", state=State.FAILED)
    assert row.error == "Ce réseau ne fournit encore aucune statistique à museumcm."
