"""A batch of publication snapshots recorded in one PostgreSQL statement, in autocommit.

Statement by statement, a batch paid six round trips (BEGIN, the finishing UPDATE, the snapshots' INSERT, a read of
the publications with their followers, the latest figures' upsert, COMMIT), each a wait for a backend that, on a
loaded machine, waits for a CPU. Here the rows' values go in as one array per column, and data-modifying CTEs do it
all at once: the rows still claimed under the batch's token move to done, and only those (the UPDATE's RETURNING) get
their snapshot and their latest figures; a row released meanwhile (its lease ran out) is neither moved nor written,
whoever claims it next writes it. One statement is one transaction: a worker dying mid-batch leaves all or nothing.
The snapshots' unique constraint stays the last word (ON CONFLICT DO NOTHING).
"""

from django.db import connection
from django.utils import timezone

from insights.models import (
    PUBLICATION_METRICS,
    AccountSnapshot,
    LatestMetrics,
    PublicationSnapshot,
    ScheduledSnapshot,
)
from insights.models.latest import institution_zone
from insights.models.rows import array_literal
from insights.models.snapshots import engagements_from
from publishing.adapters.metrics import PostMetrics
from publishing.models import Publication, SocialAccount

METRICS = ", ".join(PUBLICATION_METRICS)
FROM_DONE = ", ".join(f"d.{name}" for name in PUBLICATION_METRICS)
EXCLUDED = ", ".join(f"{name} = excluded.{name}" for name in PUBLICATION_METRICS)
COLUMNS = ("id", *PUBLICATION_METRICS, "engagements")  # what goes in, one array each
ARRAYS = ", ".join(f"%({name})s::bigint[]" for name in COLUMNS)

RECORD = f"""
WITH fetched AS (
    SELECT * FROM unnest({ARRAYS}) AS f({", ".join(COLUMNS)})
), done AS (
    UPDATE {ScheduledSnapshot._meta.db_table} AS s
    SET state = 'done', lease_until = NULL, attempts = s.attempts + 1, updated_at = %(now)s, error = ''
    FROM fetched AS f
    WHERE s.id = f.id AND s.claim = %(claim)s AND s.state = 'claimed'
    RETURNING s.publication_id, s.checkpoint, f.*
), gone AS (
    UPDATE {ScheduledSnapshot._meta.db_table}
    SET state = 'failed', lease_until = NULL, attempts = attempts + 1, updated_at = %(now)s, error = %(gone_reason)s
    WHERE id = ANY(%(gone)s::bigint[]) AND claim = %(claim)s AND state = 'claimed'
), snapshots AS (
    INSERT INTO {PublicationSnapshot._meta.db_table} (publication_id, checkpoint, taken_at, {METRICS})
    SELECT publication_id, checkpoint, %(now)s, {METRICS} FROM done
    ON CONFLICT (publication_id, checkpoint) DO NOTHING
), latest AS (
    INSERT INTO {LatestMetrics._meta.db_table}
        (publication_id, account_id, network, published_at, posted_day, taken_at, {METRICS}, engagements,
         followers_then, hour_of_week, hours_zone)
    SELECT DISTINCT ON (p.id) p.id, p.account_id, p.network, p.published_at, p.day, %(now)s, {FROM_DONE},
        d.engagements, (
        SELECT a.followers FROM {AccountSnapshot._meta.db_table} AS a
        WHERE a.account_id = p.account_id AND a.day <= p.day AND a.followers IS NOT NULL
        ORDER BY a.day DESC LIMIT 1
    ), (EXTRACT(ISODOW FROM p.local) - 1) * 24 + EXTRACT(HOUR FROM p.local), %(zone)s
    FROM done AS d CROSS JOIN LATERAL (
        SELECT pub.id, pub.account_id, a.network, pub.published_at, (pub.published_at AT TIME ZONE 'UTC')::date AS day,
            pub.published_at AT TIME ZONE %(zone)s AS local  -- as `insights.models.latest.hour_of_week`
        FROM {Publication._meta.db_table} AS pub JOIN {SocialAccount._meta.db_table} AS a ON a.id = pub.account_id
        WHERE pub.id = d.publication_id AND pub.published_at IS NOT NULL
    ) AS p
    ORDER BY p.id
    ON CONFLICT (publication_id) DO UPDATE SET
        account_id = excluded.account_id, network = excluded.network, published_at = excluded.published_at,
        posted_day = excluded.posted_day, taken_at = excluded.taken_at,
        {EXCLUDED}, engagements = excluded.engagements, followers_then = excluded.followers_then,
        hour_of_week = excluded.hour_of_week, hours_zone = excluded.hours_zone
)
SELECT count(*) FROM done
"""


def record_in_one_statement(
    claim: str, fetched: dict[str, PostMetrics], answered: list, gone: list[int], gone_reason: str
) -> int:
    """Record the `answered` rows (`insights.collection.Due`) with what `fetched` says of them, fail the `gone` ones
    (their pks) with `gone_reason`; returns how many snapshots were taken (rows no longer claimed under `claim` are
    not)."""
    figures = [vars(fetched[r.publication.external_id]) for r in answered]  # a PostMetrics' fields by name
    values = {name: [f[name] for f in figures] for name in PUBLICATION_METRICS}
    values |= {"id": [r.pk for r in answered], "engagements": [engagements_from(f) for f in figures]}
    named = {"now": timezone.now(), "claim": claim, "gone": array_literal(gone), "gone_reason": gone_reason}
    named["zone"] = institution_zone().key
    with connection.cursor() as cursor:
        cursor.execute(RECORD, {name: array_literal(column) for name, column in values.items()} | named)
        return cursor.fetchone()[0]
