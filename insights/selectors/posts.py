"""Posts of a period: the sortable table, top and bottom posts, the best moments (results per group: results.py)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F

from insights.models import PUBLICATION_METRICS, LatestMetrics
from insights.models.latest import localize
from insights.selectors.filters import InsightFilters, institution_zone, published_between
from insights.selectors.metrics import Percentile, latest, measured, ratio
from insights.selectors.period import Ranked
from publishing.models import Publication

# The cells of best moments (`_medians`), flagged false, then a row flagged true if rows of another zone are left: the
# range either side of the zone, as `localize` finds them, on the index that leads with it.
STALE = (
    "SELECT cells.*, false FROM ({cells}) AS cells UNION ALL SELECT {nulls}true WHERE EXISTS "
    f"(SELECT 1 FROM {LatestMetrics._meta.db_table} WHERE hours_zone < %s OR hours_zone > %s)"
)
# The posts table's columns that sort, with the metric each sorts by.
SORTS = (*PUBLICATION_METRICS, "engagements", "rate_followers", "rate_views", "published_at")
# What the tables and files show of a ranked post besides its figures (`insights_tags.post_cell`, `exports`).
SHOWN = (
    "post__title",
    "published_at",
    "external_url",
    "account__network",
    "account__imitates",
    "account__handle",
    "account__display_name",
    *(f"latest_metrics__{metric}" for metric in PUBLICATION_METRICS),
)


def period_publications(filters: InsightFilters):
    """Publications published in the period, with the filters applied, measured (metrics.measured)."""
    publications = filters.publications(published_between(Publication.objects.all(), filters.period))
    return measured(publications)


def period_metrics(filters: InsightFilters):
    """The latest figures of the period's measured posts, with the filters applied and their engagement rates: what
    figures of measured posts only read, without joining a year of publications (a row's `published_at` is set once,
    when its publication is published for good)."""
    start, end = filters.period.bounds
    rows = filters.metrics(LatestMetrics.objects.filter(published_at__gte=start, published_at__lt=end))
    return rows.annotate(
        rate_followers=ratio("engagements", "followers_then"), rate_views=ratio("engagements", "views")
    )


def sort_key(sort: str):
    """The expression the posts table sorts by for the column `sort` (the engagements for an unknown one)."""
    sort = sort if sort in SORTS else "engagements"
    return latest(sort) if sort in PUBLICATION_METRICS and sort != "views" else F(sort)


def _order(sort: str, descending: bool) -> tuple:
    """The ordering of the posts table by `sort` (absent figures last whichever the direction), then the most recent
    first; and the expression it ranks by."""
    key = sort_key(sort)
    return (key.desc(nulls_last=True) if descending else key.asc(nulls_last=True), F("published_at").desc(), "pk"), key


def posts_table(filters: InsightFilters, *, sort: str = "engagements", descending: bool = True, limit: int = 50):
    """The period's posts ordered by one figure (absent figures last whichever the direction), with every latest
    count attached as `latest` (a LatestMetrics, or None before the first measure): one query.

    The period's posts are ranked with their figures alone, and only the page is joined to its posts and accounts:
    ranking a year of posts with their posts' columns alongside took most of the query's time."""
    order, _key = _order(sort, descending)
    ranked = period_publications(filters).order_by(*order).values("pk")[:limit]
    return _page(Publication.objects.filter(pk__in=ranked), order)


def _page(publications, order: tuple, accounts: list | None = None) -> list:
    """These publications measured, with their posts, accounts and latest figures (`latest`), in `order`: the columns
    that name a post (`SHOWN`) and its figures only, not every column of three tables (three JSON ones, credentials
    decrypted), which made fetching a year page's 56 posts cost more than ranking the year. Their accounts are
    those of `accounts` (`period_accounts`, named) when given, not joined and built again for each post."""
    if accounts is None:
        rows = measured(publications).select_related("account", "post", "latest_metrics").only(*SHOWN)
    else:
        shown = [name for name in SHOWN if not name.startswith("account__")]
        rows = measured(publications).select_related("post", "latest_metrics").only("account_id", *shown)
    page = list(rows.order_by(*order))
    named = {account.pk: account for account in accounts or ()}
    for publication in page:
        publication.latest = getattr(publication, "latest_metrics", None)
        if publication.account_id in named:  # else read when asked (the filters' accounts have every post's)
            publication.account = named[publication.account_id]
    return page


@dataclass
class Rankings:
    table: list  # the posts table (posts_table)
    top: list  # the best posts by engagement rate (÷ followers), measured ones only
    bottom: list  # the worst ones, none of the top


def ranked_posts(ranked: Ranked, sort: str, descending: bool, accounts: list | None = None) -> Rankings:
    """The posts of the rankings found by `period.period_pass` (ids), fetched in one query: the table in its order,
    the top and the bottom by rate, then the most recent first. `accounts`: as `_page`'s."""
    order, _key = _order(sort, descending)
    ids = {*ranked.table, *ranked.top, *ranked.bottom}
    rows = {p.pk: p for p in _page(Publication.objects.filter(pk__in=ids), order, accounts)}
    table = [p for p in rows.values() if p.pk in ranked.table]
    top, bottom = (
        sorted((rows[pk] for pk in ids), key=_by_rate(best))
        for ids, best in ((ranked.top, True), (ranked.bottom, False))
    )
    return Rankings(table, top, [p for p in bottom if p not in top])


def _by_rate(best: bool):
    """The order of top (`best`) or bottom posts: by rate, then the most recent first."""
    sign = -1 if best else 1
    return lambda p: (sign * p.rate_followers, -p.published_at.timestamp(), p.pk)


def best_moments(filters: InsightFilters, *, per_network: bool = True) -> list[dict]:
    """Median engagements per network, weekday (1 = Monday) and hour, local time, with the number of posts behind
    each cell (`n`); posts not yet measured count in no cell. `per_network=False`: per hour only, all networks.

    From each post's hour of the week as stored (`LatestMetrics.hour_of_week`, in the institution's zone: rows of
    another zone are given theirs first), read in the index's order: no time-zone conversion or sort of the period."""
    hour = F("hour_of_week") % 24  # as indexed
    if not per_network:
        rows = _medians(filters, (), ("hour",), hour=hour)
        return sorted(({**row, "network": ""} for row in rows), key=lambda row: row["hour"])
    cells = _medians(filters, ("network", "hour_of_week"), ("hour", "network", "hour_of_week"), hour=hour)
    rows = sorted(cells, key=lambda row: (row["network"], row["hour_of_week"]))
    for row in rows:
        row["weekday"] = row.pop("hour_of_week") // 24 + 1
    return rows


def _medians(filters: InsightFilters, fields: tuple[str, ...], order: tuple[str, ...], **expressions) -> list[dict]:
    """The median engagements and the number of measured posts per value of `fields` and `expressions`, in `order`.

    The statement's rows are read as the database gives them (a float, an integer): a year's 1,200 cells through
    Django's converters, which call float() and int() on each, and its row iterator were most of best_moments.

    The same statement tells whether rows of another zone than the institution's are left (`STALE`): only then are
    they given theirs (`localize`, an UPDATE) and the cells read again. An UPDATE before every read, which finds none
    in steady state, cost a statement per page (1 ms of CPU, most of it Django building it)."""
    cells = (
        period_metrics(filters)
        .filter(engagements__isnull=False, hours_zone=institution_zone().key)
        .values(*fields, **expressions)
        .annotate(median=Percentile("engagements", 0.5), n=Count("engagements"))  # the index has no pk
        .order_by(*order)
    )
    names = [*cells.query.values_select, *cells.query.annotation_select]  # the columns, as values() names them
    sql, params = cells.query.sql_with_params()
    statement = STALE.replace("{cells}", sql).replace("{nulls}", "NULL, " * len(names))
    zone = institution_zone().key
    for _attempt in range(2):  # a second read only after rows of another zone were given theirs
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, zone, zone])
            rows = cursor.fetchall()
        if not any(row[-1] for row in rows):
            break
        localize()
    return [dict(zip(names, row[:-1], strict=True)) for row in rows if not row[-1]]
