"""What an Insights view is about: a period of local days, and the account, network, campaign and curator filters."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from insights.models.latest import institution_zone


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC: where periods and the day rows (`selectors.rollups`) cut."""
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both included, in the institution's days."""

    first: date
    last: date

    @classmethod
    def month_of(cls, day: date) -> "Period":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls(first, following - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[first 00:00, the day after last 00:00) local, as UTC instants."""
        zone = institution_zone()
        return day_start(self.first, zone), day_start(self.last + timedelta(days=1), zone)

    def previous(self) -> "Period":
        """The period just before, of the same length; a whole month's is the whole previous month."""
        if self.first.day == 1 and self == Period.month_of(self.first):
            return Period.month_of(self.first - timedelta(days=1))
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))


@dataclass(frozen=True)
class InsightFilters:
    """The page's and the report's filters. `curator` (a user id) narrows everything to posts made from that person's
    ideas: what a curator may see."""

    period: Period
    account: int | None = None
    network: str = ""
    campaign: int | None = None
    curator: int | None = None

    def previous(self) -> "InsightFilters":
        return replace(self, period=self.period.previous())

    @property
    def narrows_posts(self) -> bool:
        """Whether the filters keep some posts of an account and not others (a campaign's, a curator's)."""
        return bool(self.campaign or self.curator)

    def publications(self, publications):
        """Narrow a queryset of publications."""
        return self._narrow(publications, network="account__network", post="")

    def metrics(self, rows):
        """Narrow a queryset of LatestMetrics, which carry their publication's account and network."""
        return self._narrow(rows, network="network", post="publication__")

    def _narrow(self, rows, *, network: str, post: str):
        """`network`: the rows' path to their network; `post`: to the publication whose post is filtered."""
        from editorial.models import Idea

        if self.account:
            rows = rows.filter(account_id=self.account)
        if self.network:
            rows = rows.filter(**{network: self.network})
        if self.campaign:
            rows = rows.filter(**{f"{post}post__campaign_id": self.campaign})
        if self.curator:
            ideas = Idea.objects.filter(post_id=OuterRef(f"{post}post_id"), proposer_id=self.curator)
            rows = rows.filter(Exists(ideas))
        return rows

    def accounts(self, accounts):
        if self.account:
            accounts = accounts.filter(pk=self.account)
        if self.network:
            accounts = accounts.filter(network=self.network)
        return accounts


def published_between(publications, period: Period):
    start, end = period.bounds
    return publications.filter(Q(published_at__gte=start) & Q(published_at__lt=end), state="published")
