"""Posts of a period: the sortable table, top and bottom posts, the best moments (results per group: results.py)."""

from dataclasses import dataclass

from django.db import connection
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


def _order(sort: str, descending: bool) -> tuple:
    """The ordering of the posts table by `sort` (absent figures last whichever the direction), then the most recent
    first; and the expression it ranks by."""
    key = latest(sort) if sort in PUBLICATION_METRICS and sort != "views" else F(sort)
    return (key.desc(nulls_last=True) if descending else key.asc(nulls_last=True), F("published_at").desc(), "pk"), key


def posts_table(filters: InsightFilters, *, sort: str = "engagements", descending: bool = True, limit: int = 50):
    """The period's posts ordered by one figure (absent figures last whichever the direction), with every latest
    count attached as `latest` (a LatestMetrics, or None before the first measure): one query.

    The period's posts are ranked with their figures alone, and only the page is joined to its posts and accounts:
    ranking a year of posts with their posts' columns alongside took most of the query's time."""
    sort = sort if sort in SORTS else "engagements"
    order, _key = _order(sort, descending)
    ranked = period_publications(filters).order_by(*order).values("pk")[:limit]
    return _page(Publication.objects.filter(pk__in=ranked), order)


def _page(publications, order: tuple) -> list:
    """These publications measured, with their posts, accounts and latest figures (`latest`), in `order`."""
    rows = measured(publications).select_related("account", "post", "latest_metrics")
    page = list(rows.order_by(*order))
    for publication in page:
        publication.latest = getattr(publication, "latest_metrics", None)
    return page


def top_posts(filters: InsightFilters, count: int = 3) -> list:
    """The best posts of the period by engagement rate (÷ followers), measured ones only."""
    best = posts_table(filters, sort="rate_followers", limit=count)
    return [p for p in best if p.rate_followers is not None]


@dataclass
class Rankings:
    table: list  # the posts table (posts_table)
    top: list  # the best posts by engagement rate (÷ followers), measured ones only
    bottom: list  # the worst ones, none of the top


RANKED = """
WITH period AS MATERIALIZED ({period})
SELECT 0, row_id FROM (
    SELECT row_id FROM period ORDER BY sort_key {direction} NULLS LAST, moment DESC, row_id LIMIT {limit}
) AS t
UNION ALL SELECT 1, row_id FROM (
    SELECT row_id FROM period WHERE rate IS NOT NULL ORDER BY rate DESC, moment DESC, row_id LIMIT {count}
) AS b
UNION ALL SELECT 2, row_id FROM (
    SELECT row_id FROM period WHERE rate IS NOT NULL ORDER BY rate ASC, moment DESC, row_id LIMIT {count}
) AS w
"""


def rankings(
    filters: InsightFilters, *, sort: str = "engagements", descending: bool = True, limit: int = 50, count: int = 3
) -> Rankings:
    """The posts table, the top and the bottom posts (those of `posts_table` and `top_and_bottom`) in two queries:
    the period's posts gathered once and ranked three ways in one statement, then the posts ranked fetched. Three
    rankings apart joined a year's posts to their figures three times (the largest part of the page's queries)."""
    sort = sort if sort in SORTS else "engagements"
    order, key = _order(sort, descending)
    period = (
        period_publications(filters)
        .order_by()
        .values(row_id=F("pk"), moment=F("published_at"), rate=F("rate_followers"), sort_key=key)
    )
    sql, params = period.query.sql_with_params()
    statement = RANKED.format(period=sql, direction="DESC" if descending else "ASC", limit=int(limit), count=int(count))
    lists: tuple[list, list, list] = ([], [], [])
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for which, pk in cursor.fetchall():
            lists[which].append(pk)
    rows = {p.pk: p for p in _page(Publication.objects.filter(pk__in=set().union(*lists)), order)}
    table = [p for p in rows.values() if p.pk in lists[0]]
    top, bottom = (
        sorted((rows[pk] for pk in ids), key=_by_rate(best)) for ids, best in ((lists[1], True), (lists[2], False))
    )
    return Rankings(table, top, [p for p in bottom if p not in top])


def _by_rate(best: bool):
    """The order of top (`best`) or bottom posts: by rate, then the most recent first."""
    sign = -1 if best else 1
    return lambda p: (sign * p.rate_followers, -p.published_at.timestamp(), p.pk)


def top_and_bottom(filters: InsightFilters, count: int = 3) -> tuple[list, list]:
    """The best and the worst posts of the period by engagement rate (÷ followers); posts not yet measured are in
    neither."""
    ranked = rankings(filters, limit=0, count=count)
    return ranked.top, ranked.bottom


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
