"""Each publication's latest figures (LatestMetrics): written by the recording service with the snapshots, rewritten
from the latest snapshot whatever the order rows arrive in, followers of the day of posting kept up to date."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from insights.collection import snapshots_collect, snapshots_dispatch
from insights.models import AccountSnapshot, Checkpoint, LatestMetrics, PublicationSnapshot
from insights.models.latest import refresh, refresh_followers
from insights.planning import snapshots_plan
from tests.factories import PublicationFactory, SocialAccountFactory
from tests.insights.test_collection import published

pytestmark = pytest.mark.django_db


def test_recording_a_batch_writes_the_latest_figures_of_its_publications(django_capture_on_commit_callbacks):
    account = SocialAccountFactory()
    publications = [published(account, hours_ago=2), published(account, hours_ago=3)]
    snapshots_plan()
    with django_capture_on_commit_callbacks():
        tokens = snapshots_dispatch()
    for token in tokens:
        snapshots_collect(claim=token)
    assert LatestMetrics.objects.count() == 2
    for publication in publications:
        snapshot, latest = PublicationSnapshot.objects.get(publication=publication), publication.latest_metrics
        counts = ("likes", "reposts", "replies", "views", "quotes", "saves", "link_clicks", "video_views")
        assert [getattr(latest, name) for name in counts] == [getattr(snapshot, name) for name in counts]
        assert latest.quotes is None  # the sandbox gives no quotes: absent, never 0
        assert latest.engagements == snapshot.engagements
        count = AccountSnapshot.objects.filter(account=account, day__lte=latest.posted_day).first()
        assert latest.followers_then == (count.followers if count else None)
        local = latest.published_at.astimezone(ZoneInfo(settings.TIME_ZONE))
        assert (latest.hour_of_week, latest.hours_zone) == (local.weekday() * 24 + local.hour, settings.TIME_ZONE)


def snap(publication, checkpoint, **counts):
    PublicationSnapshot.objects.create(
        publication=publication, checkpoint=checkpoint, taken_at=publication.published_at + checkpoint.offset, **counts
    )


def test_the_figures_are_those_of_the_latest_snapshot_and_absent_ones_stay_absent(paris):
    publication = PublicationFactory(published_at=datetime(2026, 3, 10, 12, tzinfo=UTC))
    snap(publication, Checkpoint.D7, likes=40, views=900)
    snap(publication, Checkpoint.H24, likes=30, reposts=5, views=800)  # recorded late, taken earlier
    refresh([publication.pk])
    latest = LatestMetrics.objects.get()
    assert (latest.likes, latest.reposts, latest.views, latest.engagements) == (40, None, 900, 40)
    assert (latest.hour_of_week, latest.hours_zone) == (24 + 13, "Europe/Paris")  # Tuesday 13:00 in Paris
    snap(publication, Checkpoint.D30, views=1000)
    refresh([publication.pk])
    latest.refresh_from_db()
    assert (latest.likes, latest.views, latest.engagements) == (None, 1000, None)  # no engagement count given


def test_an_account_count_arriving_late_reaches_the_posts_of_that_day_and_after_only():
    account = SocialAccountFactory()
    days = [date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 12)]
    posts = [
        PublicationFactory(account=account, published_at=datetime.combine(day, datetime.min.time(), UTC))
        for day in days
    ]
    AccountSnapshot.objects.create(account=account, day=days[0], taken_at=timezone.now(), followers=100)
    for publication in posts:
        snap(publication, Checkpoint.H1, likes=1)
    refresh(p.pk for p in posts)
    AccountSnapshot.objects.create(account=account, day=days[1], taken_at=timezone.now(), followers=120)
    AccountSnapshot.objects.create(account=account, day=days[2] + timedelta(days=1), taken_at=timezone.now())
    refresh_followers(account.pk, days[1])
    refresh_followers(account.pk, days[2] + timedelta(days=1))  # no count that day: nothing changes
    then = dict(LatestMetrics.objects.values_list("publication_id", "followers_then"))
    assert [then[p.pk] for p in posts] == [100, 120, 120]
