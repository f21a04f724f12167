"""A claimed batch spans several network calls (insights.collection.CALLS_PER_CLAIM), each of the network's size:
what one call's failure or the allowance's end does to the rest of the batch. In one process, over real HTTP to the
Mastodon fake (20 statuses per call)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from insights.collection import snapshots_collect, snapshots_dispatch
from insights.models import Checkpoint, LatestMetrics, PublicationSnapshot, ScheduledSnapshot
from tests.insights.due import published_with_due_snapshots

State = ScheduledSnapshot.State
STATUSES = r"^/api/v1/statuses$"


@pytest.fixture
def batch(fake_mastodon, mastodon_account, django_capture_on_commit_callbacks) -> str:
    """45 due snapshots claimed as one batch: calls of 20, 20 and 5."""
    published_with_due_snapshots(fake_mastodon, mastodon_account, 45)
    with django_capture_on_commit_callbacks():
        (claim,) = snapshots_dispatch()
    return claim


def test_one_batch_asks_in_the_network_size_and_records_each_snapshot_once(fake_mastodon, batch):
    assert snapshots_collect(claim=batch) == "done"
    asked = [len(r.query.get("id[]", [])) for r in fake_mastodon.received("GET", STATUSES)]
    assert asked == [20, 20, 5]
    assert PublicationSnapshot.objects.count() == 45
    assert set(ScheduledSnapshot.objects.values_list("state", "attempts")) == {(State.DONE, 1)}


def test_a_failed_call_keeps_what_the_calls_before_it_fetched_and_the_calls_after_it_wait_without_an_attempt(
    fake_mastodon, batch
):
    fake_mastodon.inject(path=STATUSES, status=503, body={"error": "Down for maintenance"}, skip=1)
    assert snapshots_collect(claim=batch) == "transient"
    assert len(fake_mastodon.received("GET", STATUSES)) == 2  # the third call was not made
    rows = ScheduledSnapshot.objects.order_by("pk")
    assert [(r.state, r.attempts, bool(r.next_attempt_at)) for r in rows] == (
        [(State.DONE, 1, False)] * 20 + [(State.DUE, 1, True)] * 20 + [(State.DUE, 0, True)] * 5
    )  # the untried wait too: the network has just failed
    assert PublicationSnapshot.objects.count() == 20


def test_the_calls_the_allowance_does_not_cover_wait_for_the_next_hour_untried(settings, fake_mastodon, batch):
    settings.INSIGHTS_CALLS_PER_HOUR = 2
    assert snapshots_collect(claim=batch) == "done"
    assert len(fake_mastodon.received("GET", STATUSES)) == 2
    assert PublicationSnapshot.objects.count() == 40
    waiting = ScheduledSnapshot.objects.exclude(state=State.DONE)
    assert waiting.count() == 5
    assert all(r.state == State.DUE and r.attempts == 0 and r.next_attempt_at > timezone.now() for r in waiting)


def test_a_rate_limit_makes_every_row_of_the_batch_wait_as_asked(fake_mastodon, batch):
    fake_mastodon.inject(path=STATUSES, status=429, body={"error": "Too many requests"}, headers={"Retry-After": "120"})
    asked_at = timezone.now()
    assert snapshots_collect(claim=batch) == "rate_limited"
    rows = ScheduledSnapshot.objects.all()
    assert all(r.state == State.DUE and r.next_attempt_at >= asked_at + timedelta(seconds=120) for r in rows)
    assert sorted(r.attempts for r in rows) == [0] * 25 + [1] * 20  # only the first call's rows were tried


def test_a_deleted_status_fails_as_gone_while_the_others_get_their_snapshot_and_latest_figures(
    fake_mastodon, mastodon_account, django_capture_on_commit_callbacks
):
    publications = published_with_due_snapshots(fake_mastodon, mastodon_account, 3)
    fake_mastodon.delete_status(publications[1].external_id)
    with django_capture_on_commit_callbacks():
        (claim,) = snapshots_dispatch()
    with translation.override("fr"):  # a worker speaks the institution's language
        assert snapshots_collect(claim=claim) == "done"
    rows = ScheduledSnapshot.objects.order_by("pk")
    assert [(r.state, r.attempts) for r in rows] == [(State.DONE, 1), (State.FAILED, 1), (State.DONE, 1)]
    assert rows[1].error == "Le réseau n'a plus ce post."
    measured = {publications[0].pk, publications[2].pk}
    assert set(PublicationSnapshot.objects.values_list("publication_id", flat=True)) == measured
    assert set(LatestMetrics.objects.values_list("publication_id", "likes")) == {
        (publications[0].pk, 0),
        (publications[2].pk, 2),
    }


def test_two_checkpoints_of_one_publication_in_a_batch_are_both_taken_and_its_latest_figures_written_once(
    fake_mastodon, mastodon_account, django_capture_on_commit_callbacks
):
    (publication,) = published_with_due_snapshots(fake_mastodon, mastodon_account, 1)
    ScheduledSnapshot.objects.create(
        kind="publication",
        account=mastodon_account,
        publication=publication,
        checkpoint=Checkpoint.H6,
        due_at=timezone.now(),
    )  # the +1 h one waited for a retry until the +6 h one came due
    with django_capture_on_commit_callbacks():
        (claim,) = snapshots_dispatch()
    assert snapshots_collect(claim=claim) == "done"
    assert sorted(PublicationSnapshot.objects.values_list("checkpoint", flat=True)) == [Checkpoint.H1, Checkpoint.H6]
    assert LatestMetrics.objects.get().engagements == 1  # likes 0, boosts 1
