"""Results of a period's posts: the totals, and per campaign, network, idea kind and curator.

Each family comes from one grouped pass, rolled up here: the totals and the results per campaign and per network from
the posts grouped by (campaign, network); per idea kind and per curator from the posts grouped by (kind, proposer).
Sums and counts add up exactly, and a mean is rolled up from its sum and the number of posts that have the figure,
so a figure is what a pass per family would give (a post's absent figure still counts nowhere), at a pass less each.
Portable SQL (SQLite has no GROUPING SETS).
"""

from dataclasses import dataclass

from django.db.models import Count, Sum

from editorial.models import Idea
from insights.selectors.filters import InsightFilters
from insights.selectors.posts import period_publications
from publishing.models import Network

# What each group carries: counts and sums only, which add up across groups (means are divided at the end).
PARTS = {
    "posts": Count("pk"),
    "measured": Count("engagements"),
    "engagements": Sum("engagements"),
    "views": Sum("views"),
    "rate_followers_sum": Sum("rate_followers"),
    "rate_followers_n": Count("rate_followers"),
    "rate_views_sum": Sum("rate_views"),
    "rate_views_n": Count("rate_views"),
}
CAMPAIGN = ("post__campaign_id", "post__campaign__name")
NETWORK = ("account__network",)
KIND = ("post__ideas__kind",)
CURATOR = ("post__ideas__proposer_id", "post__ideas__proposer__display_name", "post__ideas__proposer__username")


@dataclass
class Totals:
    published: int
    measured: int
    engagements: int | None
    views: int | None
    rate_followers: float | None  # mean of the posts' rates, over posts whose rate is known
    rate_views: float | None


@dataclass
class Results:
    totals: Totals
    campaigns: list[dict]  # posts without a campaign: `label` None
    networks: list[dict]


def results(filters: InsightFilters) -> Results:
    """The totals, per campaign and per network: one query."""
    groups = _grouped(filters, *CAMPAIGN, *NETWORK)
    whole = next(iter(_rollup(groups, ())), None)
    totals = Totals(0, 0, None, None, None, None)
    if whole:
        totals = Totals(
            whole["posts"],
            whole["measured"],
            whole["engagements"],
            whole["views"],
            whole["rate_followers"],
            whole["rate_views"],
        )
    campaigns = [{**row, "label": row["post__campaign__name"]} for row in _rollup(groups, CAMPAIGN)]
    networks = [{**row, "label": Network(row["account__network"]).label} for row in _rollup(groups, NETWORK)]
    return Results(totals, campaigns, networks)


def totals(filters: InsightFilters) -> Totals:
    return results(filters).totals


def by_campaign(filters: InsightFilters) -> list[dict]:
    return results(filters).campaigns


def by_network(filters: InsightFilters) -> list[dict]:
    return results(filters).networks


def by_ideas(filters: InsightFilters) -> tuple[list[dict], list[dict]]:
    """Results per kind of the ideas posts were made from, and of each person's ideas (which curators' ideas
    worked); posts from no idea are in neither: one query."""
    groups = _grouped(filters, *KIND, *CURATOR)
    kinds = [{**row, "label": Idea.Kind(row["post__ideas__kind"]).label} for row in _rollup(groups, KIND)]
    curators = [{**row, "label": row[CURATOR[1]] or row[CURATOR[2]]} for row in _rollup(groups, CURATOR)]
    return kinds, curators


def by_idea_kind(filters: InsightFilters) -> list[dict]:
    return by_ideas(filters)[0]


def by_curator(filters: InsightFilters) -> list[dict]:
    return by_ideas(filters)[1]


def _grouped(filters: InsightFilters, *keys: str) -> list[dict]:
    """The period's posts grouped by `keys`, each group with its PARTS. Grouped by an idea's columns, posts from no
    idea are left out by the join itself, which lets PostgreSQL start from the few posts that have one."""
    present = {f"{keys[0]}__isnull": False} if "__ideas__" in keys[0] else {}
    return list(period_publications(filters).filter(**present).values(*keys).annotate(**PARTS).order_by())


def _rollup(groups: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """The groups added up per value of `keys` (all of them into one row when `keys` is empty), with their posts,
    measured posts, engagements, views and mean rates; the best rate (÷ followers) first, then by `keys`."""
    added: dict[tuple, dict] = {}
    for group in groups:
        key = tuple(group[k] for k in keys)
        into = added.setdefault(key, {**dict(zip(keys, key, strict=True)), **dict.fromkeys(PARTS, None)})
        for part in PARTS:
            into[part] = group[part] if into[part] is None else into[part] + (group[part] or 0)
    rows = []
    for row in added.values():
        rates = {rate: _mean(row.pop(f"{rate}_sum"), row.pop(f"{rate}_n")) for rate in ("rate_followers", "rate_views")}
        rows.append(row | rates)
    return sorted(rows, key=lambda row: _order(row, keys))


def _mean(total: float | None, count: int) -> float | None:
    return total / count if count else None


def _order(row: dict, keys: tuple[str, ...]) -> tuple:
    """The best rate first, then ascending by each key; absent (None) last either way, as PostgreSQL orders."""
    rate = row["rate_followers"]
    return (rate is None, -(rate or 0), *((row[k] is None, row[k] if row[k] is not None else "") for k in keys))
