"""Posts of a period: the sortable table, top and bottom posts, the best moments, campaigns, idea kinds, curators."""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay

from editorial.models import Idea
from insights.models import PUBLICATION_METRICS
from insights.selectors.filters import InsightFilters, institution_zone, published_between
from insights.selectors.metrics import Percentile, latest, measured
from publishing.models import Network, Publication

# The posts table's columns that sort, with the metric each sorts by.
SORTS = (*PUBLICATION_METRICS, "engagements", "rate_followers", "rate_views", "published_at")


def period_publications(filters: InsightFilters):
    """Publications published in the period, with the filters applied, measured (metrics.measured)."""
    publications = filters.publications(published_between(Publication.objects.all(), filters.period))
    return measured(publications)


def posts_table(filters: InsightFilters, *, sort: str = "engagements", descending: bool = True, limit: int = 50):
    """The period's posts ordered by one figure (absent figures last whichever the direction), with every latest
    count attached as `latest` (a LatestMetrics, or None before the first measure): one query.

    The period's posts are ranked with their figures alone, and only the page is joined to its posts and accounts:
    ranking a year of posts with their posts' columns alongside took most of the query's time."""
    sort = sort if sort in SORTS else "engagements"
    key = latest(sort) if sort in PUBLICATION_METRICS and sort != "views" else F(sort)
    order = (key.desc(nulls_last=True) if descending else key.asc(nulls_last=True), F("published_at").desc(), "pk")
    ranked = period_publications(filters).order_by(*order).values("pk")[:limit]
    rows = measured(Publication.objects.filter(pk__in=ranked)).select_related("account", "post", "latest_metrics")
    page = list(rows.order_by(*order))
    for publication in page:
        publication.latest = getattr(publication, "latest_metrics", None)
    return page


def top_and_bottom(filters: InsightFilters, count: int = 3) -> tuple[list, list]:
    """The best and the worst posts of the period by engagement rate (÷ followers); posts not yet measured are in
    neither."""
    rated = dict(sort="rate_followers", limit=count)
    top = [p for p in posts_table(filters, descending=True, **rated) if p.rate_followers is not None]
    bottom = [p for p in posts_table(filters, descending=False, **rated) if p.rate_followers is not None]
    return top, [p for p in bottom if p not in top]


@dataclass
class Totals:
    published: int
    measured: int
    engagements: int | None
    views: int | None
    rate_followers: float | None  # mean of the posts' rates, over posts whose rate is known
    rate_views: float | None


def totals(filters: InsightFilters) -> Totals:
    # Grouped on a column every row shares rather than aggregate(): aggregate() names its results like the per-post
    # annotations they sum up, and then refers to the shadowed annotations ("column rate_followers does not exist").
    groups = (
        period_publications(filters)
        .values("state")
        .annotate(
            published=Count("pk"),
            measured=Count("engagements"),
            engagements=Sum("engagements"),
            views=Sum("views"),
            rate_followers=Avg("rate_followers"),
            rate_views=Avg("rate_views"),
        )
    )
    empty = {"published": 0, "measured": 0, "engagements": None, "views": None}
    figures = next(iter(groups.order_by()), {**empty, "rate_followers": None, "rate_views": None})
    figures.pop("state", None)
    return Totals(**figures)


def best_moments(filters: InsightFilters, *, per_network: bool = True) -> list[dict]:
    """Median engagements per network, weekday (1 = Monday) and hour, local time, with the number of posts behind
    each cell (`n`); posts not yet measured count in no cell. `per_network=False`: per hour only, all networks."""
    zone = institution_zone()
    keys = ("account__network", "weekday", "hour") if per_network else ("hour",)
    rows = (
        period_publications(filters)
        .filter(engagements__isnull=False)
        .annotate(weekday=ExtractIsoWeekDay("published_at", tzinfo=zone), hour=ExtractHour("published_at", tzinfo=zone))
        .values(*keys)
        .annotate(median=Percentile("engagements", 0.5), n=Count("pk"))
        .order_by(*keys)
    )
    return [{**row, "network": row.pop("account__network", "")} for row in rows]


def _results_by(filters: InsightFilters, *keys: str) -> list[dict]:
    """Per value of `keys`; rows whose first key is absent (a post from no idea) are left out by the join itself,
    which lets PostgreSQL start from the few posts that have one rather than from every post of the period."""
    present = {f"{keys[0]}__isnull": False} if "__ideas__" in keys[0] else {}
    return list(
        period_publications(filters)
        .filter(**present)
        .values(*keys)
        .annotate(
            posts=Count("pk"),
            engagements=Sum("engagements"),
            rate_followers=Avg("rate_followers"),
            rate_views=Avg("rate_views"),
        )
        .order_by(F("rate_followers").desc(nulls_last=True), *keys)
    )


def by_campaign(filters: InsightFilters) -> list[dict]:
    """Results per campaign (posts without one: `label` None)."""
    rows = _results_by(filters, "post__campaign_id", "post__campaign__name")
    return [{**row, "label": row["post__campaign__name"]} for row in rows]


def by_idea_kind(filters: InsightFilters) -> list[dict]:
    """Results per kind of the ideas posts were made from (posts from no idea are left out)."""
    rows = _results_by(filters, "post__ideas__kind")
    return [{**row, "label": Idea.Kind(row["post__ideas__kind"]).label} for row in rows]


def by_curator(filters: InsightFilters) -> list[dict]:
    """Results of each person's ideas: which curators' ideas worked."""
    keys = ("post__ideas__proposer_id", "post__ideas__proposer__display_name", "post__ideas__proposer__username")
    rows = _results_by(filters, *keys)
    return [{**row, "label": row[keys[1]] or row[keys[2]]} for row in rows]


def by_network(filters: InsightFilters) -> list[dict]:
    rows = _results_by(filters, "account__network")
    return [{**row, "label": Network(row["account__network"]).label} for row in rows]
