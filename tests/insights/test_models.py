"""Insights' rows: absent counts stay absent, one snapshot per checkpoint or day, schedule rows match their kind."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.utils import timezone

from insights.models import AccountSnapshot, Checkpoint, PublicationSnapshot, ScheduledSnapshot
from publishing.models import SocialAccount
from tests.factories import PublicationFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_counts_a_network_does_not_give_are_stored_as_absent_not_zero():
    publication = PublicationFactory()
    PublicationSnapshot.objects.create(
        publication=publication, checkpoint=Checkpoint.H1, taken_at=timezone.now(), likes=4, reposts=0
    )
    snapshot = PublicationSnapshot.objects.get()
    assert (snapshot.likes, snapshot.reposts, snapshot.views, snapshot.saves) == (4, 0, None, None)
    assert snapshot.engagements == 4


def test_engagements_of_a_snapshot_without_any_given_count_is_absent():
    snapshot = PublicationSnapshot(views=120)
    assert snapshot.engagements is None


def test_a_publication_has_one_snapshot_per_checkpoint():
    publication = PublicationFactory()
    PublicationSnapshot.objects.create(publication=publication, checkpoint=Checkpoint.H6, taken_at=timezone.now())
    with pytest.raises(IntegrityError):
        PublicationSnapshot.objects.create(publication=publication, checkpoint=Checkpoint.H6, taken_at=timezone.now())


def test_an_account_has_one_snapshot_per_day():
    account = SocialAccountFactory()
    AccountSnapshot.objects.create(account=account, day=date(2026, 3, 1), taken_at=timezone.now(), followers=10)
    with pytest.raises(IntegrityError):
        AccountSnapshot.objects.create(account=account, day=date(2026, 3, 1), taken_at=timezone.now())


def test_checkpoints_are_measured_after_publication_in_order():
    offsets = [checkpoint.offset.total_seconds() for checkpoint in Checkpoint]
    assert offsets == sorted(offsets) and offsets[0] == 3600 and offsets[-1] == 30 * 86400


def test_a_schedule_row_of_a_publication_must_name_it():
    account = SocialAccountFactory()
    with pytest.raises(IntegrityError):
        ScheduledSnapshot.objects.create(
            kind=ScheduledSnapshot.Kind.PUBLICATION, account=account, due_at=timezone.now()
        )


def test_claimable_rows_are_due_on_connected_accounts_and_past_their_retry_time():
    now = timezone.now()
    connected = SocialAccountFactory()
    lost = SocialAccountFactory(status=SocialAccount.Status.NEEDS_RECONNECT)
    ready = ScheduledSnapshot.objects.create(kind="account", account=connected, day=date(2026, 3, 1), due_at=now)
    ScheduledSnapshot.objects.create(kind="account", account=lost, day=date(2026, 3, 1), due_at=now)
    ScheduledSnapshot.objects.create(
        kind="account",
        account=connected,
        day=date(2026, 3, 2),
        due_at=now,
        next_attempt_at=now + timezone.timedelta(minutes=5),
    )
    ScheduledSnapshot.objects.create(
        kind="account", account=connected, day=date(2026, 3, 3), due_at=now + timezone.timedelta(hours=1)
    )
    assert list(ScheduledSnapshot.objects.claimable(now)) == [ready]


def test_release_gives_rows_of_a_dead_worker_back_to_due():
    now = timezone.now()
    account = SocialAccountFactory()
    dead = ScheduledSnapshot.objects.create(
        kind="account",
        account=account,
        day=date(2026, 3, 1),
        due_at=now,
        state="claimed",
        lease_until=now - timezone.timedelta(seconds=1),
    )
    alive = ScheduledSnapshot.objects.create(
        kind="account",
        account=account,
        day=date(2026, 3, 2),
        due_at=now,
        state="claimed",
        lease_until=now + timezone.timedelta(minutes=1),
    )
    assert ScheduledSnapshot.objects.release(now=now) == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.state, dead.claim, alive.state) == ("due", None, "claimed")
