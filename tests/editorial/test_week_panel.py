"""The week panel tells the truth about approval (issue 12, item 8): no future-dated or stale "approved by", an
approved week with a post back in review says so, and the approve button goes when nothing is left to approve."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from editorial.models import Post, WeekApproval
from editorial.services.weeks import IsoWeek
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_week() -> IsoWeek:
    return IsoWeek.of(timezone.localdate() + timedelta(days=7))


def _at(week: IsoWeek, day: int = 2):
    return timezone.make_aware(datetime.combine(week.monday + timedelta(days=day), time(10)))


def _approve(week: IsoWeek, by, at=None) -> WeekApproval:
    approved = WeekApproval.State.APPROVED
    return WeekApproval.objects.create(
        year=week.year, week=week.week, state=approved, approved_by=by, approved_at=at or timezone.now()
    )


def _pages(client, week: IsoWeek) -> list[str]:
    return [
        client.get(f"/calendar/week/?week={week.year}-W{week.week}").content.decode(),
        client.get(f"/calendar/weeks/{week.year}/{week.week}/").content.decode(),
    ]


def test_an_approved_week_with_a_post_back_in_review_says_so(client, manager, next_week):
    _approve(next_week, manager)
    PostFactory(scheduled_at=_at(next_week), status=Post.Status.APPROVED)
    PostFactory(scheduled_at=_at(next_week, 3), status=Post.Status.IN_REVIEW)
    client.force_login(manager)

    for page in _pages(client, next_week):
        assert "Approved, 1 post back in review" in page
    assert "Approve the week (1 post in review)" in _pages(client, next_week)[1]


def test_a_future_dated_approval_is_not_shown(client, manager, next_week):
    _approve(next_week, manager, at=_at(next_week))
    client.force_login(manager)

    for page in _pages(client, next_week):
        assert f"by {manager}" not in page and f"Approved by {manager}" not in page


def test_the_approve_button_goes_when_nothing_is_left_to_approve(client, manager, next_week):
    _approve(next_week, manager)
    PostFactory(scheduled_at=_at(next_week), status=Post.Status.APPROVED)
    client.force_login(manager)

    review = _pages(client, next_week)[1]
    assert "Approve the week" not in review
    assert "Approved by" in review
