"""The manager's report: headline figures against the previous period, and what worked, drawn from the data."""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from insights.selectors.accounts import Cadence, Growth, cadences, follower_ends, follower_growth, period_accounts
from insights.selectors.filters import InsightFilters
from insights.selectors.posts import best_moments
from insights.selectors.responses import InboxFigures, inbox_figures
from insights.selectors.results import Results, Totals, period_figures, results, totals

MIN_POSTS_TO_JUDGE = 3  # a network, a kind or an hour is "best" only with at least this many posts behind it


@dataclass
class Headline:
    """One figure of the report's top line, with the previous period's value and the change."""

    key: str
    label: str
    value: float | int | None
    previous: float | int | None
    kind: str = "count"  # count, percent (a rate, shown times 100), seconds

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Report:
    filters: InsightFilters
    headlines: list[Headline]
    growth: list[Growth]
    totals: Totals
    top: list
    campaigns: list[dict]
    kinds: list[dict]
    networks: list[dict]
    cadence: list[Cadence]
    inbox: InboxFigures
    worked: list[str] = field(default_factory=list)

    @cached_property
    def moments(self) -> list[dict]:
        """The best moments per network, weekday and hour: only the CSV and XLSX show them, so only they pay for
        their pass over the period (the largest of a year's report page)."""
        return best_moments(self.filters)


def followers_total(ends: list[tuple[int, int]]) -> int | None:
    """The accounts' last counts; `ends`: the (first, last) follower counts of each account that has one."""
    return sum(last for _first, last in ends) if ends else None


def followers_gained(ends: list[tuple[int, int]]) -> int | None:
    return sum(last - first for first, last in ends) if ends else None


def cadence_kept(rows: list[Cadence]) -> float | None:
    """The share of (account, week) pairs that met their target; None without targets."""
    weeks = sum(len(row.mondays) for row in rows)
    return sum(row.kept_weeks for row in rows) / weeks if weeks else None


def headlines(
    filters: InsightFilters, grouped: Results | None = None, accounts: list | None = None
) -> tuple[list[Headline], dict]:
    """The top line and the figures behind it, for this period (its `results` and `period_accounts` when already at
    hand) and the one before (constant queries)."""
    previous = filters.previous()
    accounts = period_accounts(filters) if accounts is None else accounts  # once for the cadence and the growth
    weeks, weeks_before = cadences(filters, [filters.period], accounts, kept_only=(previous.period,))
    now, before = _figures(filters, grouped, weeks, accounts), _previous(previous, weeks_before)
    labels = {
        "followers": (_("Followers"), "count"),
        "followers_gained": (_("Followers gained"), "count"),
        "published": (_("Posts published"), "count"),
        "engagements": (_("Engagements"), "count"),
        "rate_followers": (_("Engagement rate (÷ followers)"), "percent"),
        "rate_views": (_("Engagement rate (÷ views)"), "percent"),
        "cadence_kept": (_("Weeks on cadence"), "percent"),
        "received": (_("Messages received"), "count"),
        "answered": (_("Messages answered"), "count"),
        "median_response_s": (_("Median first response"), "seconds"),
        "p90_response_s": (_("90th percentile first response"), "seconds"),
    }
    rows = [Headline(key, label, now[key], before[key], kind) for key, (label, kind) in labels.items()]
    return rows, now


def _figures(filters: InsightFilters, grouped: Results | None, weeks: list[Cadence], accounts: list) -> dict:
    growth, grouped, inbox = follower_growth(filters, accounts), grouped or results(filters), inbox_figures(filters)
    ends = [(g.start, g.end) for g in growth if g.series]
    shown = {"growth": growth, "results": grouped, "totals": grouped.totals, "cadence": weeks, "inbox": inbox}
    return shown | _headline(ends, grouped.totals, weeks, inbox)


def _previous(filters: InsightFilters, weeks: list[Cadence]) -> dict:
    """The previous period's headline figures alone, from small queries: the report shows none of its charts or
    tables, so not its year of daily follower counts, results per campaign and network, or weekly response times."""
    return _headline(follower_ends(filters), totals(filters), weeks, inbox_figures(filters, weekly=False))


def _headline(ends: list[tuple[int, int]], sums: Totals, weeks: list[Cadence], inbox: InboxFigures) -> dict:
    return {
        "followers": followers_total(ends),
        "followers_gained": followers_gained(ends),
        "published": sums.published,
        "engagements": sums.engagements,
        "rate_followers": sums.rate_followers,
        "rate_views": sums.rate_views,
        "cadence_kept": cadence_kept(weeks),
        "received": inbox.received,
        "answered": inbox.answered,
        "median_response_s": inbox.overall.median_s if inbox.overall else None,
        "p90_response_s": inbox.overall.p90_s if inbox.overall else None,
    }


def what_worked(networks: list[dict], kinds: list[dict], hours: list[dict]) -> list[str]:
    """Three sentences drawn from the data: the best network, the best kind of post, the best hour."""
    lines = []
    network = _best(networks, "rate_followers")
    if network:
        lines.append(
            _("%(network)s engaged most: %(rate).1f%% of followers per post over %(n)d posts.")
            % {
                "network": network["label"],
                "rate": 100 * network["rate_followers"],
                "n": network["posts"],
            }
        )
    kind = _best(kinds, "rate_followers")
    if kind:
        lines.append(
            _("Posts about “%(kind)s” did best: %(rate).1f%% per post over %(n)d posts.")
            % {
                "kind": kind["label"],
                "rate": 100 * kind["rate_followers"],
                "n": kind["posts"],
            }
        )
    hour = _best([{**row, "posts": row["n"]} for row in hours], "median")
    if hour:
        lines.append(
            _("Posts at %(hour)02d:00 had the highest median engagement (%(median).0f, %(n)d posts).")
            % {"hour": hour["hour"], "median": hour["median"], "n": hour["posts"]}
        )
    return lines


def _best(rows: list[dict], key: str) -> dict | None:
    judged = [row for row in rows if row.get(key) is not None and row["posts"] >= MIN_POSTS_TO_JUDGE]
    return max(judged, key=lambda row: row[key], default=None)


def manager_report(filters: InsightFilters) -> Report:
    """Everything the report shows, in a number of queries independent of the number of posts and snapshots."""
    accounts = period_accounts(filters)  # read once for the top posts, the cadence and the growth
    period = period_figures(filters, accounts=accounts)  # the results, per idea kind and the top posts in one pass
    rows, now = headlines(filters, period.results, accounts)
    networks, kinds = now["results"].networks, period.kinds
    return Report(
        filters=filters,
        headlines=rows,
        growth=now["growth"],
        totals=now["totals"],
        top=period.rankings.top,
        campaigns=now["results"].campaigns,
        kinds=kinds,
        networks=networks,
        cadence=now["cadence"],
        inbox=now["inbox"],
        worked=what_worked(networks, kinds, best_moments(filters, per_network=False)),
    )
