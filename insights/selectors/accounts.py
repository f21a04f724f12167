"""Accounts over a period: follower growth (a line per account) and the cadence kept against each account's target."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.expressions import RawSQL

from insights.models import AccountSnapshot
from insights.selectors.filters import InsightFilters, Period, institution_zone
from museumcm.weeks import WeekOf, week_starts, weeks_of
from publishing.models import Publication, SocialAccount


@dataclass
class Growth:
    account: SocialAccount
    series: list[tuple[date, int]] = field(default_factory=list)  # (day, followers), days with a count only

    @property
    def start(self) -> int | None:
        return self.series[0][1] if self.series else None

    @property
    def end(self) -> int | None:
        return self.series[-1][1] if self.series else None

    @property
    def change(self) -> int | None:
        return None if not self.series else self.end - self.start

    @property
    def percent(self) -> float | None:
        return None if not self.start else 100 * self.change / self.start


def period_accounts(filters: InsightFilters) -> list[SocialAccount]:
    """The filters' accounts, named only (`SocialAccount.objects.named()`), in their order (network, handle), each
    with its cadence target as `target` (posts per week, None without one): one query, which the follower growth, the
    cadence and the audience of a page share (each read them on its own: three statements to compile and run)."""
    accounts = filters.accounts(SocialAccount.objects.named())
    return list(accounts.annotate(target=F("cadence_target__posts_per_week")))


def follower_growth(filters: InsightFilters, accounts: list[SocialAccount] | None = None) -> list[Growth]:
    """Each account's followers from the eve of the period to its last day (the eve, so that the first day's growth
    counts), one query besides `accounts` (`period_accounts`, read if not given). An account whose network gives no
    follower count has an empty series, not zeros."""
    accounts = period_accounts(filters) if accounts is None else accounts
    counts = AccountSnapshot.objects.filter(
        account__in=accounts,
        day__gte=filters.period.first - timedelta(days=1),
        day__lte=filters.period.last,
        followers__isnull=False,
    )
    if connection.vendor == "postgresql":
        # A row per account with its days and counts as two arrays: a year's 4,700 rows through Django's row
        # iterator, then grouped, were most of the growth's CPU (about 4 -> 2 ms).
        rows = counts.values("account_id").order_by("account_id")
        rows = rows.annotate(days=ArrayAgg("day", order_by="day"), followers=ArrayAgg("followers", order_by="day"))
        series = {row["account_id"]: list(zip(row["days"], row["followers"], strict=True)) for row in rows}
    else:
        # Each account's run of rows made into its series at once, not a year's 4,700 days appended one by one
        rows = counts.order_by("account_id", "day").values_list("account_id", "day", "followers")
        series = {
            account_id: [(day, followers) for _account, day, followers in run]
            for account_id, run in groupby(rows, key=itemgetter(0))
        }
    return [Growth(account, series.get(account.pk, [])) for account in accounts]


def follower_ends(filters: InsightFilters) -> list[tuple[int, int]]:
    """The first and last counts of each account's `follower_growth` series, for the figures that need no more (the
    report's previous period): one query, two index probes an account, not its year of days."""
    counts = AccountSnapshot.objects.filter(
        account=OuterRef("pk"),
        day__gte=filters.period.first - timedelta(days=1),
        day__lte=filters.period.last,
        followers__isnull=False,
    ).values("followers")
    accounts = filters.accounts(SocialAccount.objects.all()).annotate(
        first=Subquery(counts.order_by("day")[:1]), last=Subquery(counts.order_by("-day")[:1])
    )
    return list(accounts.filter(first__isnull=False).values_list("first", "last"))


Weeks = tuple[list[int], list[int]]  # an account's planned and published posts, week by week
PLANNED = ~Q(state=Publication.State.CANCELLED)
PUBLISHED = Q(state=Publication.State.PUBLISHED)


@dataclass
class Cadence:
    """An account's planned and published posts per week of `mondays`, as lists in their order: the chart and its
    table read them week by week (an object for each of a year's 700 weeks, built then read, was most of its Python).
    `planned` is None where only the kept weeks were asked for (`cadences`' `kept_only`)."""

    account: SocialAccount
    target: int
    mondays: list[date]
    planned: list[int] | None
    published: list[int]

    @property
    def gaps(self) -> list[int]:
        """Per week, how many posts short of the target it fell (0 when kept)."""
        return [max(0, self.target - published) for published in self.published]

    @property
    def kept_weeks(self) -> int:
        return sum(published >= self.target for published in self.published)


def cadence(filters: InsightFilters, accounts: list[SocialAccount] | None = None) -> list[Cadence]:
    """Per account with a target: planned (scheduled, not cancelled) and published posts in each whole week the
    period touches, local weeks. One query besides `accounts` (`period_accounts`, read if not given)."""
    (rows,) = cadences(filters, [filters.period], accounts)
    return rows


def cadences(
    filters: InsightFilters,
    periods: list[Period],
    accounts: list[SocialAccount] | None = None,
    *,
    kept_only: tuple[Period, ...] = (),
) -> list[list[Cadence]]:
    """`cadence` over each of `periods`, then over each of `kept_only` its published posts alone (`planned` None:
    what `kept_weeks` reads), the filters' own period ignored: the report's period and the one before from one pass
    over their weeks, not two passes over the table's rows, and the weeks before not probed for their planned posts,
    which it does not show (a year: 2,730 index probes -> 2,041). One query besides `accounts`."""
    accounts = period_accounts(filters) if accounts is None else accounts
    targets = [account for account in accounts if account.target is not None]
    everything = [*periods, *kept_only]
    if not targets:
        return [[] for _period in everything]
    mondays = weeks_of(min(p.first for p in everything), max(p.last for p in everything))
    shown = (
        _weeks(mondays, Period(min(p.first for p in periods), max(p.last for p in periods))) if periods else slice(0)
    )
    counts = _per_week(filters, mondays, [account.pk for account in targets], shown)
    none = ([0] * len(mondays), [0] * len(mondays))
    found = []
    for n, period in enumerate(everything):
        weeks, cut, shows_planned = weeks_of(period.first, period.last), _weeks(mondays, period), n < len(periods)
        rows = [(account, counts.get(account.pk, none)) for account in targets]
        found.append(
            [
                Cadence(account, account.target, weeks, planned[cut] if shows_planned else None, published[cut])
                for account, (planned, published) in rows
            ]
        )
    return found


def _weeks(mondays: list[date], period: Period) -> slice:
    """Where the weeks of `period` are among `mondays`."""
    weeks = weeks_of(period.first, period.last)
    start = (weeks[0] - mondays[0]).days // 7
    return slice(start, start + len(weeks))


def _per_week(filters: InsightFilters, mondays: list[date], accounts: list[int], shown: slice) -> dict[int, Weeks]:
    """Planned (scheduled, not cancelled) and published posts per account of `accounts` and week: each counts in the
    week it was planned for and in the week it was published, local weeks; the planned ones of the `shown` weeks at
    least (0 may stand for another week's). Counted by probing two indexes on PostgreSQL, unless the filters narrow
    the posts (a campaign's, a curator's: each probe would join the posts)."""
    starts = week_starts(mondays, institution_zone())
    if connection.vendor == "postgresql" and not filters.narrows_posts:
        return _probed(filters, starts, accounts, shown)
    return _grouped(filters, mondays, starts)


def _probed(filters: InsightFilters, starts: list[datetime], accounts: list[int], shown: slice) -> dict[int, Weeks]:
    """Each account's posts counted week by week by range probes of two partial indexes on publications, (account,
    scheduled_at) not cancelled over the `shown` weeks and (account, published_at) published over all: one statement,
    a row per account with its weeks as two arrays, only-index scans. Grouping the year's 25,000 rows by account and
    week, a week found per row, took twice the CPU (18 -> 9 ms of PostgreSQL)."""
    account, start, end = (RawSQL(column, ()) for column in ("a.id", "w.lo", "w.hi"))
    weeks = len(starts) - 1
    first, last = shown.indices(weeks)[:2]
    counts, params = [], []
    for moment, state, (lo, hi) in (
        ("scheduled_at", PLANNED, (first, max(first, last))),
        ("published_at", PUBLISHED, (0, weeks)),
    ):
        window = {"account_id": account, f"{moment}__gte": start, f"{moment}__lt": end}
        rows = filters.publications(Publication.objects.filter(state, **window)).order_by().values("pk")
        sql, inner = rows.query.sql_with_params()
        counts.append(
            f"ARRAY(SELECT (SELECT count(*) FROM ({sql}) AS p)"
            " FROM unnest(%s::timestamptz[], %s::timestamptz[]) WITH ORDINALITY AS w(lo, hi, i) ORDER BY w.i)"
        )
        params += [*inner, starts[lo:hi], starts[lo + 1 : hi + 1]]
    statement = f"SELECT a.id, {', '.join(counts)} FROM unnest(%s::bigint[]) AS a(id)"
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, accounts])
        return {
            account_id: ([0] * first + planned + [0] * (weeks - first - len(planned)), published)
            for account_id, planned, published in cursor
        }


def _grouped(filters: InsightFilters, mondays: list[date], starts: list[datetime]) -> dict[int, Weeks]:
    """One pass over the weeks' publications grouped by account and the two weeks (NULL where the state does not
    count: three grouping keys, not five), the counts put in their week's place in lists."""
    zone = institution_zone()
    rows = (
        filters.publications(
            Publication.objects.filter(
                PLANNED & Q(scheduled_at__gte=starts[0], scheduled_at__lt=starts[-1])
                | PUBLISHED & Q(published_at__gte=starts[0], published_at__lt=starts[-1])
            )
        )
        .values(
            "account_id",
            planned_week=WeekOf(Case(When(PLANNED, then="scheduled_at")), mondays, zone),
            published_week=WeekOf(Case(When(PUBLISHED, then="published_at")), mondays, zone),
        )
        .annotate(n=Count("pk"))
        .values_list("account_id", "planned_week", "published_week", "n")
    )
    place = {monday: index for index, monday in enumerate(mondays)}
    counts: dict[int, Weeks] = {}
    for account_id, planned_week, published_week, n in rows:
        weeks = counts.setdefault(account_id, ([0] * len(mondays), [0] * len(mondays)))
        if planned_week in place:
            weeks[0][place[planned_week]] += n
        if published_week in place:
            weeks[1][place[published_week]] += n
    return counts
