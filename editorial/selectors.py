"""Reads the calendar views share: posts of a period with everything a cell shows, in constant queries."""

import calendar as std_calendar
from collections import defaultdict
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone

from editorial.models import Media, Post, WeekApproval
from editorial.models.post import calendar_state
from publishing.models import Publication, SocialAccount


@dataclass
class CalendarFilters:
    account: int | None = None
    network: str = ""
    campaign: int | None = None
    status: str = ""
    author: int | None = None

    @property
    def active(self) -> int:
        """How many filters narrow the calendar: a phone shows the count on its folded "Filters"."""
        return sum(1 for value in astuple(self) if value)

    def apply(self, posts):
        # Targets are filtered with EXISTS rather than a join: no duplicate rows, no DISTINCT to sort away.
        targets = Publication.objects.filter(post=OuterRef("pk")).exclude(state=Publication.State.CANCELLED)
        if self.account:
            posts = posts.filter(Exists(targets.filter(account_id=self.account)))
        if self.network:
            posts = posts.filter(Exists(targets.filter(account__network=self.network)))
        if self.campaign:
            posts = posts.filter(campaign_id=self.campaign)
        if self.status:
            posts = posts.filter(status=self.status)
        if self.author:
            posts = posts.filter(author_id=self.author)
        return posts


def local_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the current zone, as UTC instants."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _with_local_day(posts):
    return posts.annotate(local_day=TruncDate("scheduled_at", tzinfo=timezone.get_current_timezone()))


@dataclass(slots=True)
class Target:
    network: str
    account: str
    state: str
    state_label: str

    @property
    def label(self) -> str:
        return f"{self.account} ({self.state_label})"


@dataclass(slots=True)
class Entry:
    """A post as a calendar cell shows it: plain values, no model instances (a busy month has a thousand)."""

    pk: int
    title: str
    scheduled_at: datetime  # in the current zone
    status: str
    author: str
    campaign: str
    campaign_id: int | None
    targets: list[Target]
    state: tuple[str, str]
    detail_url: str
    move_url: str
    day_total: int | None = None  # posts that local day, when only the first few were loaded
    thumbnail_url: str = ""  # of the post's first image

    @property
    def time_label(self) -> str:
        return f"{self.scheduled_at:%H:%M}"


_ENTRY_FIELDS = [
    "pk",
    "title",
    "scheduled_at",
    "status",
    "campaign_id",
    "campaign__name",
    "author__display_name",
    "author__username",
]
_SENTINEL = 999999999


def calendar_posts(first: date, last: date, filters: CalendarFilters, *, per_day: int | None = None) -> list[Entry]:
    """Posts of the period in time order, as entries; with `per_day`, only the first `per_day` of each local day.

    Three queries whatever the number of posts (posts, their publications, the accounts). The month view shows a
    few posts a day and a "+ n more" link: ranking in SQL (a window function) keeps a busy museum's month from
    loading and rendering rows nobody sees.
    """
    posts = filters.apply(Post.objects.between(*local_bounds(first, last)))
    fields = _ENTRY_FIELDS
    if per_day:
        # Both windows see the whole day (the rank filter applies after them): the count feeds "+ n more".
        order = [F("scheduled_at").asc(), F("pk").asc()]
        rank = Window(RowNumber(), partition_by=[F("local_day")], order_by=order)
        total = Window(Count("pk"), partition_by=[F("local_day")])
        posts = _with_local_day(posts).annotate(day_rank=rank, day_total=total).filter(day_rank__lte=per_day)
        fields = [*fields, "day_total"]
    rows = list(_with_first_image(posts).order_by("scheduled_at", "pk").values(*fields, "image_pk", "image_thumb"))
    targets = _targets([row["pk"] for row in rows])
    names = ("post_detail", "post_move", "media_file", "media_thumbnail")
    urls = {name: reverse(name, args=[_SENTINEL]) for name in names}
    zone = timezone.get_current_timezone()
    return [_entry(row, targets.get(row["pk"], []), urls, zone) for row in rows]


def _with_first_image(posts):
    """The first image of each post, as subqueries of the posts' own query (no query per post)."""
    images = Media.objects.filter(post=OuterRef("pk"), kind=Media.Kind.IMAGE).order_by("position", "pk")
    return posts.annotate(
        image_pk=Subquery(images.values("pk")[:1]), image_thumb=Subquery(images.values("thumbnail")[:1])
    )


def _url(urls: dict[str, str], name: str, pk) -> str:
    return urls[name].replace(str(_SENTINEL), str(pk))


def _entry(row: dict, targets: list[Target], urls: dict[str, str], zone) -> Entry:
    pk, image = row["pk"], row["image_pk"]
    thumbnail = ""
    if image:
        thumbnail = _url(urls, "media_thumbnail" if row["image_thumb"] else "media_file", image)
    return Entry(
        pk=row["pk"],
        title=row["title"],
        scheduled_at=row["scheduled_at"].astimezone(zone),
        status=row["status"],
        author=row["author__display_name"] or row["author__username"],
        campaign=row["campaign__name"] or "",
        campaign_id=row["campaign_id"],
        targets=targets,
        state=calendar_state(row["status"], {t.state for t in targets}),
        detail_url=_url(urls, "post_detail", pk),
        move_url=_url(urls, "post_move", pk),
        day_total=row.get("day_total"),
        thumbnail_url=thumbnail,
    )


def _targets(post_ids: list[int]) -> dict[int, list[Target]]:
    if not post_ids:
        return {}
    accounts = {
        a.pk: (a.network, str(a)) for a in SocialAccount.objects.only("pk", "network", "handle", "display_name")
    }
    labels = dict(Publication.State.choices)
    targets: dict[int, list[Target]] = defaultdict(list)
    rows = (
        Publication.objects.filter(post_id__in=post_ids)
        .exclude(state=Publication.State.CANCELLED)
        .order_by("post_id", "account_id")
        .values_list("post_id", "account_id", "state")
    )
    for post_id, account_id, state in rows:
        network, name = accounts[account_id]
        targets[post_id].append(Target(network, name, state, str(labels[state])))
    return targets


def posts_by_day(entries: list[Entry]) -> dict[date, list[Entry]]:
    days: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries:
        days[entry.scheduled_at.date()].append(entry)
    return days


def month_weeks(year: int, month: int) -> list[list[date]]:
    return std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_approvals(days: list[date]) -> dict[tuple[int, int], WeekApproval]:
    """The approval rows of the ISO weeks these days fall in, in one query."""
    weeks = {(d.isocalendar().year, d.isocalendar().week) for d in days}
    years = {y for y, _w in weeks}
    rows = WeekApproval.objects.filter(year__in=years, week__in={w for _y, w in weeks})
    approvals = {(row.year, row.week): row for row in rows.select_related("submitted_by", "approved_by")}
    if any(row.state == WeekApproval.State.APPROVED for row in approvals.values()):
        _count_back_in_review(approvals, min(days), max(days))
    return approvals


def _count_back_in_review(approvals: dict[tuple[int, int], WeekApproval], first: date, last: date) -> None:
    """An approved week one of whose posts was edited or moved since is only partly approved: say so (one query)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first - timedelta(days=first.weekday()), time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=7 - last.weekday()), time.min, tzinfo=zone)
    in_review = Post.objects.filter(status=Post.Status.IN_REVIEW, scheduled_at__gte=start, scheduled_at__lt=end)
    for scheduled_at in in_review.values_list("scheduled_at", flat=True):
        iso = timezone.localtime(scheduled_at, zone).isocalendar()
        row = approvals.get((iso.year, iso.week))
        if row is not None and row.state == WeekApproval.State.APPROVED:
            row.back_in_review += 1


def museum_events(first: date, last: date) -> list:
    """C1's museum events overlapping the period (a background layer), one query."""
    from editorial.models import MuseumEvent

    return list(MuseumEvent.objects.overlapping(first, last))
