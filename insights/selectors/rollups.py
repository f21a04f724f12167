"""The period pass's groups summed from day and month rows (`insights.models.rollups`) on PostgreSQL: a year is ~1,600
month rows rather than 25,000 posts joined to their figures, posts and ideas, then grouped.

The rows must always be what the pass over the posts would give. Whatever writes the tables they are made of
(publishing's compare-and-set updates, either recording path, followers refreshed, editorial's saves and updates, a
cascade) fires a trigger that marks the publications' moments stale (migrations 0011, 0013): nothing in the apps
below insights has to know. Each read first rebuilds the marked days from the posts, then their months, then sums.

A rebuild takes its turn (a transaction's advisory lock: two readers rebuilding one day would each keep its rows),
consumes the marks its statement sees, and rebuilds their days in a later statement, which sees at least every write
those marks stand for: a mark committed after the first statement stays for the next reader. Days are the
institution's (cut where `Period.bounds` cuts, by Python's zone database); rows cut in another zone are all rebuilt.
One statement when nothing is marked (the rebuild's two would change nothing: skipping them saves 1 ms of CPU a
read), three when something is: never more, whatever the size of the history.
"""

from datetime import date, timedelta
from functools import cache

from django.db import connection, transaction

from editorial.models import Idea, Post
from insights.models import DayIdeaResults, DayResults, MonthIdeaResults, MonthResults, RollupZone, StaleMoment
from insights.selectors.filters import InsightFilters, day_start, institution_zone
from insights.selectors.metrics import measured
from insights.selectors.period import AGGREGATES, PARTS, Grouped, period_rows
from museumcm.weeks import date_array, instant_array
from publishing.models import Publication, SocialAccount

TURN = 0x1A5C_0115  # the advisory lock rebuilds take turns on
COLUMNS = ", ".join(PARTS)
SUMS = ", ".join(f"SUM(r.{part}) AS {part}" for part in PARTS)
POSTS, IDEAS, ZONE = Post._meta.db_table, Idea._meta.db_table, RollupZone._meta.db_table
DAYS, IDEA_DAYS = DayResults._meta.db_table, DayIdeaResults._meta.db_table
MONTHS, IDEA_MONTHS = MonthResults._meta.db_table, MonthIdeaResults._meta.db_table
MONTH = "date_trunc('month', r.day::timestamp)::date"
CAMPAIGN_KEYS, IDEA_KEYS = "r.account_id, r.campaign_id", "r.account_id, r.campaign_id, r.proposer_id, r.kind"

CONSUME = f"""
WITH turn AS (SELECT pg_advisory_xact_lock({TURN})),
consumed AS (DELETE FROM {StaleMoment._meta.db_table} RETURNING moment)
SELECT z.zone, ARRAY(SELECT DISTINCT moment FROM consumed),
    CASE WHEN z.zone IS DISTINCT FROM %(zone)s THEN (SELECT min(published_at) FROM {Publication._meta.db_table}
        WHERE state = 'published') END,
    CASE WHEN z.zone IS DISTINCT FROM %(zone)s THEN (SELECT max(published_at) FROM {Publication._meta.db_table}
        WHERE state = 'published') END
FROM turn LEFT JOIN {ZONE} AS z ON z.id = 1
"""
# the posts of the days `%s` (their first instants `%s`) with their day, where `%s` (there are days), from `%s` to
# before `%s`, among the days `%s`
REBUILT = (
    "SELECT * FROM (SELECT (%s::date[])[width_bucket(p.moment, %s::timestamptz[])] AS day, p.* "
    "FROM ({rows}) AS p WHERE %s AND p.moment >= %s AND p.moment < %s) AS p WHERE day = ANY(%s::date[])"
)
REBUILD = f"""
WITH p AS ({REBUILT}),
gone AS (DELETE FROM {DAYS} WHERE day = ANY(%s::date[]) OR %s),
gone_ideas AS (DELETE FROM {IDEA_DAYS} WHERE day = ANY(%s::date[]) OR %s),
zone AS (INSERT INTO {ZONE} (id, zone) SELECT 1, %s WHERE %s ON CONFLICT (id) DO UPDATE SET zone = excluded.zone),
campaigns AS (
    INSERT INTO {DAYS} (day, account_id, campaign_id, {COLUMNS})
    SELECT p.day, p.account_ref, post.campaign_id, {AGGREGATES} FROM p LEFT JOIN {POSTS} AS post ON post.id = p.post_ref
    GROUP BY p.day, p.account_ref, post.campaign_id
)
INSERT INTO {IDEA_DAYS} (day, account_id, campaign_id, proposer_id, kind, {COLUMNS})
SELECT p.day, p.account_ref, post.campaign_id, i.proposer_id, i.kind, {AGGREGATES}
FROM p JOIN {IDEAS} AS i ON i.post_id = p.post_ref LEFT JOIN {POSTS} AS post ON post.id = p.post_ref
WHERE i.kind IS NOT NULL GROUP BY p.day, p.account_ref, post.campaign_id, i.proposer_id, i.kind
"""
# the month rows of the months `months` (their first days, from `start` to before `end`) added up from their days
REMONTH = f"""
WITH gone AS (DELETE FROM {MONTHS} WHERE day = ANY(%(months)s::date[]) OR %(everything)s),
gone_ideas AS (DELETE FROM {IDEA_MONTHS} WHERE day = ANY(%(months)s::date[]) OR %(everything)s),
campaigns AS (
    INSERT INTO {MONTHS} (day, {CAMPAIGN_KEYS.replace("r.", "")}, {COLUMNS})
    SELECT {MONTH}, {CAMPAIGN_KEYS}, {SUMS} FROM {DAYS} AS r
    WHERE r.day >= %(start)s AND r.day < %(end)s AND {MONTH} = ANY(%(months)s::date[]) GROUP BY {MONTH}, {CAMPAIGN_KEYS}
)
INSERT INTO {IDEA_MONTHS} (day, {IDEA_KEYS.replace("r.", "")}, {COLUMNS})
SELECT {MONTH}, {IDEA_KEYS}, {SUMS} FROM {IDEA_DAYS} AS r
WHERE r.day >= %(start)s AND r.day < %(end)s AND {MONTH} = ANY(%(months)s::date[]) GROUP BY {MONTH}, {IDEA_KEYS}
"""


def period_groups(filters: InsightFilters) -> Grouped | None:
    """The period's groups from the month rows of its whole months and the day rows of its other days, brought up to
    date first; None where they cannot answer: on SQLite (the pass is cheap there, and has no triggers), and for a
    curator (only their ideas' posts, which no row tells apart)."""
    if connection.vendor != "postgresql" or filters.curator:
        return None
    refresh()
    campaigns, params = _rows(filters, DAYS, MONTHS, CAMPAIGN_KEYS)
    ideas, idea_params = _rows(filters, IDEA_DAYS, IDEA_MONTHS, IDEA_KEYS)
    ctes = (
        f"day_campaigns AS (SELECT r.campaign_id AS campaign_ref, r.account_id AS account_ref, {SUMS} "
        f"FROM ({campaigns}) AS r GROUP BY r.campaign_id, r.account_id), "
        f"day_ideas AS (SELECT r.proposer_id AS proposer_ref, r.kind, {SUMS} "
        f"FROM ({ideas}) AS r GROUP BY r.proposer_id, r.kind)"
    )
    posts = "SELECT COALESCE(SUM(posts), 0) FROM day_campaigns"
    return Grouped(ctes, params + idea_params, "SELECT * FROM day_campaigns", "SELECT * FROM day_ideas", posts)


def _rows(filters: InsightFilters, days: str, months: str, keys: str) -> tuple[str, list]:
    """The rows of the filters' period (the month rows of its whole months, the day rows of the others), account,
    network and campaign, with their `keys` and PARTS."""
    first, last = filters.period.first, filters.period.last
    start = first if first.day == 1 else _next_month(first)
    end = _next_month(last) if _next_month(last) == last + timedelta(days=1) else last.replace(day=1)
    where, params = _where(filters)
    columns, around = f"{keys}, {COLUMNS}", "(r.day >= %s AND r.day < %s OR r.day >= %s AND r.day <= %s)"
    return (
        f"SELECT {columns} FROM {months} AS r WHERE r.day >= %s AND r.day < %s{where} UNION ALL "
        f"SELECT {columns} FROM {days} AS r WHERE {around}{where}"  # the days before and after (all if no month)
    ), [start, end, *params, first, min(start, last + timedelta(days=1)), max(end, first), last, *params]


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _where(filters: InsightFilters) -> tuple[str, list]:
    """The rows of the filters' account, network and campaign (conditions after the period's)."""
    clauses, params = [], []
    if filters.account:
        clauses.append("r.account_id = %s")
        params.append(filters.account)
    if filters.network:
        clauses.append(f"r.account_id IN (SELECT id FROM {SocialAccount._meta.db_table} WHERE network = %s)")
        params.append(filters.network)
    if filters.campaign:
        clauses.append("r.campaign_id = %s")
        params.append(filters.campaign)
    return "".join(f" AND {clause}" for clause in clauses), params


def refresh() -> None:
    """Rebuild the day rows of the days marked stale, or of every day if they were cut in another zone, then the
    month rows of their months."""
    zone = institution_zone()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CONSUME, {"zone": zone.key})
        cut_in, moments, first, last = cursor.fetchone()
        everything = cut_in != zone.key
        if everything:
            days = _between(first.astimezone(zone).date(), last.astimezone(zone).date()) if first else []
        else:
            days = sorted({moment.astimezone(zone).date() for moment in moments})
        if not (days or everything):
            return  # nothing marked: the rebuild would delete and insert no row
        cursor.execute(*_rebuild(days, everything))
        months = sorted({day.replace(day=1) for day in days})
        start, end = (months[0], _next_month(months[-1])) if months else (None, None)
        cursor.execute(REMONTH, {"months": date_array(months), "everything": everything, "start": start, "end": end})


def _between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _rebuild(days: list[date], everything: bool) -> tuple[str, list]:
    """The statement that rewrites the rows of `days` (all rows if `everything`) from the posts, and its params."""
    zone = institution_zone()
    span = _between(days[0], days[-1]) if days else []
    starts = [day_start(day, zone) for day in [*span, days[-1] + timedelta(days=1)]] if days else [None]
    rows, params = _published()
    listed, spanned = date_array(days), date_array(span)
    instants = instant_array(start for start in starts if start)
    return REBUILD.replace("{rows}", rows), [
        *(spanned, instants, *params, bool(days), starts[0], starts[-1], listed),
        *(listed, everything, listed, everything, zone.key, everything),
    ]


@cache
def _published() -> tuple[str, tuple]:
    """The published posts as the period pass reads them, compiled once (2 ms of CPU a read): the days' bounds are
    applied around it."""
    published = Publication.objects.filter(state=Publication.State.PUBLISHED)
    return period_rows(measured(published)).query.sql_with_params()
