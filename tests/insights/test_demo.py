"""`make run`'s demo museum has three months of insights history, seeded once however often the seed runs."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Min
from django.utils import timezone

from insights.models import AccountSnapshot, AudienceBreakdown, CadenceTarget, PublicationSnapshot, ScheduledSnapshot
from publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_three_months_of_published_posts_with_their_snapshots(demo):
    published = Publication.objects.filter(state=Publication.State.PUBLISHED, snapshots__isnull=False).distinct()
    first = published.aggregate(first=Min("published_at"))["first"]
    assert timezone.now() - first > datetime.timedelta(days=85)
    old = published.filter(published_at__lt=timezone.now() - datetime.timedelta(days=31))
    assert old.count() > 30
    assert set(old.annotate(n=Count("snapshots")).values_list("n", flat=True)) == {6}


def test_the_demo_snapshots_leave_what_the_sandbox_does_not_give_absent(demo):
    assert PublicationSnapshot.objects.filter(quotes__isnull=True, video_views__isnull=True).count() == (
        PublicationSnapshot.objects.count()
    )
    assert not PublicationSnapshot.objects.filter(likes__isnull=True).exists()


def test_the_demo_accounts_have_a_snapshot_a_day_growing_and_a_weekly_audience(demo):
    for account_id in AccountSnapshot.objects.values_list("account", flat=True).distinct():
        rows = list(AccountSnapshot.objects.filter(account=account_id).order_by("day"))
        assert len(rows) == 91
        assert [r.followers for r in rows] == sorted(r.followers for r in rows)
        assert (rows[-1].day - rows[0].day).days == 90
    assert AudienceBreakdown.objects.values("dimension").distinct().count() == 4
    assert CadenceTarget.objects.count() == 3


def test_checkpoints_still_ahead_are_due_in_the_schedule(demo):
    ahead = ScheduledSnapshot.objects.filter(state=ScheduledSnapshot.State.DUE)
    assert ahead.exists()
    assert not ahead.filter(due_at__lte=timezone.now()).exists()
    taken = ScheduledSnapshot.objects.filter(state=ScheduledSnapshot.State.DONE).count()
    assert taken == PublicationSnapshot.objects.count()


def test_seeding_again_changes_nothing(demo):
    counts = [PublicationSnapshot.objects.count(), AccountSnapshot.objects.count(), Publication.objects.count()]
    call_command("seed_demo", stdout=StringIO())
    assert [PublicationSnapshot.objects.count(), AccountSnapshot.objects.count(), Publication.objects.count()] == counts
