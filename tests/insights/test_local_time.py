"""Local hours and weeks computed on PostgreSQL from UTC instants and the zone's changes of offset, which Python
finds: posts either side of a change of summer time fall in their own local hour and week."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from insights.models import CadenceTarget, Checkpoint, PublicationSnapshot
from insights.models.latest import refresh
from insights.selectors import InsightFilters, Period, best_moments, cadence
from insights.selectors.metrics import offset_changes
from publishing.models import Publication
from tests.factories import PublicationFactory, SocialAccountFactory

PARIS = ZoneInfo("Europe/Paris")
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def test_the_changes_of_offset_are_found_to_the_second():
    changes, offsets = offset_changes(PARIS, datetime(2025, 11, 30, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    assert changes == [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)]
    assert offsets == [3600, 7200, 3600]
    assert offset_changes(ZoneInfo("Asia/Kolkata"), *MARCH.bounds) == ([], [19800])


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
    published = {week.monday: week.published for week in row.weeks if week.published}
    assert published == {date(2026, 3, 23): 2, date(2026, 3, 30): 1}
