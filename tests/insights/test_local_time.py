"""Local hours (stored with each post's latest figures, in the institution's zone) and weeks (computed on PostgreSQL
from UTC instants and the zone's changes of offset, which Python finds): posts and messages either side of a change
of summer time fall in their own local hour and week, and a change of the zone setting moves them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbox.selectors import response_times
from insights.models import CadenceTarget, Checkpoint, LatestMetrics, PublicationSnapshot
from insights.models.latest import refresh
from insights.selectors import InsightFilters, Period, best_moments, cadence, inbox_figures
from publishing.models import Publication
from tests.factories import MessageFactory, PublicationFactory, SocialAccountFactory

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


@pytest.mark.django_db
def test_posts_either_side_of_the_change_to_summer_time_keep_their_local_hour_and_week(settings):
    settings.TIME_ZONE = "Europe/Paris"
    account = SocialAccountFactory(network="mastodon")
    for at in (
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # Sunday 01:59:59 in Paris, winter time
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Sunday 03:00 in Paris, summer time
        datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # Monday 30 March 00:30 in Paris: the next week
    ):
        publication = PublicationFactory(
            account=account, state=Publication.State.PUBLISHED, scheduled_at=at, published_at=at
        )
        PublicationSnapshot.objects.create(publication=publication, checkpoint=Checkpoint.H1, taken_at=at, likes=1)
        refresh([publication.pk])
    filters = InsightFilters(MARCH)
    cells = {(c["weekday"], c["hour"]): c["n"] for c in best_moments(filters)}
    assert cells == {(7, 1): 1, (7, 3): 1, (1, 0): 1}
    hours = {c["hour"]: c["n"] for c in best_moments(filters, per_network=False)}
    assert hours == {0: 1, 1: 1, 3: 1}
    CadenceTarget.objects.create(account=account, posts_per_week=1)
    (row,) = cadence(filters)
    published = {monday: n for monday, n in zip(row.mondays, row.published, strict=True) if n}
    assert published == {date(2026, 3, 23): 2, date(2026, 3, 30): 1}


def measured_post_at(at: datetime) -> None:
    publication = PublicationFactory(
        account=SocialAccountFactory(network="mastodon"), state=Publication.State.PUBLISHED, published_at=at
    )
    PublicationSnapshot.objects.create(publication=publication, checkpoint=Checkpoint.H1, taken_at=at, likes=1)
    refresh([publication.pk])


@pytest.mark.django_db
def test_when_the_zone_setting_changes_best_moments_read_each_post_in_the_new_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    measured_post_at(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # Tuesday 00:30 in Paris, Monday 18:30 in New York
    assert [(c["weekday"], c["hour"]) for c in best_moments(InsightFilters(MARCH))] == [(2, 0)]
    settings.TIME_ZONE = "America/New_York"
    assert [(c["weekday"], c["hour"]) for c in best_moments(InsightFilters(MARCH))] == [(1, 18)]
    assert LatestMetrics.objects.get().hours_zone == "America/New_York"


@pytest.mark.django_db
def test_best_moments_read_in_one_statement_while_every_row_is_in_the_zone_and_localize_only_when_one_is_not(settings):
    settings.TIME_ZONE = "Europe/Paris"
    measured_post_at(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # Tuesday 00:30 in Paris, Monday 18:30 in New York
    for per_network in (True, False):
        with CaptureQueriesContext(connection) as steady:
            assert [c["n"] for c in best_moments(InsightFilters(MARCH), per_network=per_network)] == [1]
        assert len(steady) == 1  # no UPDATE before the read: nothing to give another zone
    settings.TIME_ZONE = "America/New_York"
    with CaptureQueriesContext(connection) as moved:
        assert [c["hour"] for c in best_moments(InsightFilters(MARCH), per_network=False)] == [18]
    assert [query["sql"].split()[0] for query in moved] == ["SELECT", "UPDATE", "SELECT"]


@pytest.mark.django_db
def test_messages_either_side_of_a_local_monday_in_summer_time_fall_in_their_own_week(settings):
    settings.TIME_ZONE = "Europe/Paris"
    account = SocialAccountFactory(network="mastodon")
    for at, seconds in (
        (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), 60),  # Sunday 23:30 in Paris, summer time since 03:00
        (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), 120),  # Monday 30 March 00:30 in Paris: the next week
    ):
        MessageFactory(account=account, created_at=at, first_response_at=at + timedelta(seconds=seconds))
    weeks = [(row.week, row.median_s) for row in inbox_figures(InsightFilters(MARCH)).per_week]
    assert weeks == [(date(2026, 3, 30), 120.0), (date(2026, 3, 23), 60.0)]
    since, until = MARCH.bounds
    assert [(row.week, row.median_s) for row in response_times(since=since, until=until)] == weeks
