"""Posts of a period: the sortable table, top and bottom posts, the best moments (results per group: results.py)."""

from django.db.models import Count, F

from insights.models import PUBLICATION_METRICS
from insights.selectors.filters import InsightFilters, institution_zone, published_between
from insights.selectors.metrics import HourOfWeek, LocalHour, Percentile, latest, measured
from publishing.models import Publication

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


def top_posts(filters: InsightFilters, count: int = 3) -> list:
    """The best posts of the period by engagement rate (÷ followers), measured ones only."""
    best = posts_table(filters, sort="rate_followers", limit=count)
    return [p for p in best if p.rate_followers is not None]


def top_and_bottom(filters: InsightFilters, count: int = 3) -> tuple[list, list]:
    """The best and the worst posts of the period by engagement rate (÷ followers); posts not yet measured are in
    neither."""
    top = top_posts(filters, count)
    worst = posts_table(filters, sort="rate_followers", descending=False, limit=count)
    bottom = [p for p in worst if p.rate_followers is not None]
    return top, [p for p in bottom if p not in top]


def best_moments(filters: InsightFilters, *, per_network: bool = True) -> list[dict]:
    """Median engagements per network, weekday (1 = Monday) and hour, local time, with the number of posts behind
    each cell (`n`); posts not yet measured count in no cell. `per_network=False`: per hour only, all networks."""
    zone = institution_zone()
    if not per_network:
        rows = _medians(filters, hour=LocalHour("published_at", tzinfo=zone))
        return [{**row, "network": ""} for row in rows]
    rows = list(_medians(filters, network=F("account__network"), hour_of_week=HourOfWeek("published_at", zone)))
    for row in rows:
        row["weekday"], row["hour"] = divmod(row.pop("hour_of_week"), 24)
        row["weekday"] += 1
    return rows


def _medians(filters: InsightFilters, **keys):
    """The median engagements and the number of measured posts per value of `keys`, in the order of `keys`."""
    return (
        period_publications(filters)
        .filter(engagements__isnull=False)
        .values(**keys)
        .annotate(median=Percentile("engagements", 0.5), n=Count("pk"))
        .order_by(*keys)
    )
