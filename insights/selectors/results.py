"""Results of a period's posts: the totals, and per campaign, network, idea kind and curator.

Each family comes from a grouping of the period's one pass (`insights.selectors.period`), rolled up here: the totals
and the results per campaign and per network from the posts grouped by (campaign, network); per idea kind and per
curator from the posts grouped by (kind, proposer). Sums and counts add up exactly, and a mean is rolled up from its
sum and the number of posts that have the figure, so a figure is what a pass per family would give (a post's absent
figure still counts nowhere). Portable SQL (SQLite has no GROUPING SETS).
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Sum

from editorial.models import Idea
from insights.selectors.filters import InsightFilters
from insights.selectors.period import PARTS, period_pass
from insights.selectors.posts import Rankings, period_metrics, period_publications, ranked_posts, sort_key
from insights.selectors.rollups import period_groups
from publishing.models import Network

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


@dataclass
class PeriodFigures:
    results: Results
    kinds: list[dict]  # per idea kind
    curators: list[dict]  # per proposer (which curators' ideas worked)
    rankings: Rankings


def period_figures(
    filters: InsightFilters,
    *,
    sort: str = "engagements",
    descending: bool = True,
    limit: int = 0,
    count: int = 3,
    ideas: bool = True,
    accounts: list | None = None,
) -> PeriodFigures:
    """The results, per idea kind and curator (`ideas`), the posts table (`limit` posts by `sort`) and the top and
    bottom `count` posts, from one pass over the period's posts (its groups from the day rows where they answer),
    and the ranked posts fetched: two queries, and the day rows' two. `accounts`: the filters' accounts when at hand
    (`period_accounts`), which the ranked posts take rather than joining and building theirs."""
    found = period_pass(
        period_publications(filters),
        period_metrics(filters),
        grouped=period_groups(filters),
        ideas=ideas,
        sort_key=sort_key(sort),
        descending=descending,
        limit=limit,
        count=count,
    )
    kinds = [{**row, "label": Idea.Kind(row["post__ideas__kind"]).label} for row in _rollup(found.ideas, KIND)]
    curators = [{**row, "label": row[CURATOR[1]] or row[CURATOR[2]]} for row in _rollup(found.ideas, CURATOR)]
    return PeriodFigures(
        _results(found.campaigns),
        kinds,
        curators,
        ranked_posts(found.ranked, sort, descending, accounts) if limit or count else Rankings([], [], []),
    )


def _results(groups: list[dict]) -> Results:
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


def results(filters: InsightFilters) -> Results:
    """The totals, per campaign and per network: one query."""
    return period_figures(filters, count=0, ideas=False).results


def totals(filters: InsightFilters) -> Totals:
    """The totals alone, by one aggregate over the period's posts (what the report's previous period needs): the
    figures of `results(filters).totals`, an absent one counted nowhere (COUNT, SUM and AVG skip NULL)."""
    figures = period_publications(filters).aggregate(
        posts=Count("pk"),
        measured_posts=Count("engagements"),
        engagements_sum=Sum("engagements"),
        views_sum=Sum("views"),
        rate_followers_mean=Avg("rate_followers"),
        rate_views_mean=Avg("rate_views"),
    )
    return Totals(
        figures["posts"],
        figures["measured_posts"],
        figures["engagements_sum"],
        figures["views_sum"],
        figures["rate_followers_mean"],
        figures["rate_views_mean"],
    )


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
