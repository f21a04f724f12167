"""Reads the calendar views share: posts of a period with everything a cell shows, in constant queries."""

import calendar as std_calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from editorial.models import Campaign, Post, WeekApproval
from publishing.models import Network, SocialAccount


@dataclass
class CalendarFilters:
    account: int | None = None
    network: str = ""
    campaign: int | None = None
    status: str = ""
    author: int | None = None

    def apply(self, posts):
        if self.account:
            posts = posts.filter(publications__account_id=self.account)
        if self.network:
            posts = posts.filter(publications__account__network=self.network)
        if self.campaign:
            posts = posts.filter(campaign_id=self.campaign)
        if self.status:
            posts = posts.filter(status=self.status)
        if self.author:
            posts = posts.filter(author_id=self.author)
        if self.account or self.network:
            posts = posts.distinct()
        return posts


def local_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the current zone, as UTC instants."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def calendar_posts(first: date, last: date, filters: CalendarFilters) -> list[Post]:
    posts = filters.apply(Post.objects.between(*local_bounds(first, last))).for_calendar()
    return list(posts.order_by("scheduled_at", "pk"))


def posts_by_day(posts: list[Post]) -> dict[date, list[Post]]:
    days: dict[date, list[Post]] = defaultdict(list)
    for post in posts:
        days[timezone.localdate(post.scheduled_at)].append(post)
    return days


def month_weeks(year: int, month: int) -> list[list[date]]:
    return std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_approvals(days: list[date]) -> dict[tuple[int, int], WeekApproval]:
    """The approval rows of the ISO weeks these days fall in, in one query."""
    weeks = {(d.isocalendar().year, d.isocalendar().week) for d in days}
    years = {y for y, _w in weeks}
    rows = WeekApproval.objects.filter(year__in=years, week__in={w for _y, w in weeks})
    return {(row.year, row.week): row for row in rows.select_related("submitted_by", "approved_by")}


@dataclass
class FilterChoices:
    accounts: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    networks: list = field(default_factory=lambda: Network.choices)
    statuses: list = field(default_factory=lambda: Post.Status.choices)


def filter_choices() -> FilterChoices:
    return FilterChoices(
        accounts=list(SocialAccount.objects.exclude(status=SocialAccount.Status.DISABLED)),
        campaigns=list(Campaign.objects.only("pk", "name", "colour")),
        authors=list(get_user_model().objects.active().filter(posts__isnull=False).distinct()),
    )


def museum_events(first: date, last: date) -> list:
    """C1's museum events overlapping the period (a background layer), one query."""
    from editorial.models import MuseumEvent

    return list(MuseumEvent.objects.overlapping(first, last))
