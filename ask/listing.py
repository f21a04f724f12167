"""The rows of the public lists (home, archive, theme, search, embed) read by plain statements, without the ORM.

A list page is read on every cache miss, and building its statement and twenty model instances through the ORM cost
ten times what the database took (1.3 ms of CPU for an archive page against 0.1 ms for the same rows here). What a
list shows is small and fixed: `Listed`. Deep pages find their twenty ids in the newest-first index alone (an
index-only scan skips the rows before them), then read those rows: OFFSET on whole rows read every skipped row.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

from ask.models import Question, Theme, local_day

PUBLISHED = Question.State.PUBLISHED.value
COLUMNS = "q.id, q.slug, q.text, q.published_at, t.id, t.slug, t.name_fr, t.name_en"
NEWEST = "ORDER BY q.published_at DESC, q.id DESC"
PAGE = (
    f"SELECT {COLUMNS} FROM ask_question q LEFT JOIN ask_theme t ON t.id = q.theme_id WHERE q.id IN "
    "(SELECT id FROM ask_question q WHERE q.state = %s {theme} "
    f"{NEWEST} LIMIT %s OFFSET %s) {NEWEST}"
)
# The planner does not count what it costs to take each row's vector out of TOAST storage and decompress it
# (~14 µs a row): for a common word it would rather scan the table or walk the newest-first index filtering every
# row (50-130 ms at 10,000 answers, EXPLAIN ANALYZE in BENCHMARKS.md) than read the GIN index of the published
# answers' vectors (2-5 ms). Both are turned off for the search alone: `set_config(…, true)` lasts until the end of
# the transaction, and the two statements sent together are one.
SEARCH = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true); "
    f"SELECT {COLUMNS}, hits.found FROM (SELECT id, count(*) OVER () AS found FROM ask_question q WHERE state = %s "
    "AND search_vector @@ (websearch_to_tsquery('french', museumcm_unaccent(%s)) || "
    f"websearch_to_tsquery('english', museumcm_unaccent(%s))) {NEWEST} LIMIT %s OFFSET %s) hits "
    f"JOIN ask_question q ON q.id = hits.id LEFT JOIN ask_theme t ON t.id = q.theme_id {NEWEST}"
)


@dataclass(frozen=True, slots=True)
class Listed:
    """An answer as a list shows it (`ask_tags.answer_items`)."""

    pk: int
    slug: str
    text: str
    published_at: datetime
    theme: Theme | None

    @property
    def published_day(self) -> str:
        return local_day(self.published_at)


def newest(*, offset: int, limit: int, theme: Theme | None = None) -> list[Listed]:
    """Published answers, newest first (of one theme if given)."""
    params = [PUBLISHED, *([theme.pk] if theme else []), limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(PAGE.format(theme="AND q.theme_id = %s" if theme else ""), params)
        return _listed(cursor.fetchall())


def found(query: str, *, offset: int, limit: int) -> tuple[list[Listed], int]:
    """A page of a full-text search (PostgreSQL) and how many answers match, from one statement: the ids and the
    count (a window over the narrow ids) from one scan of the GIN index, then those rows by primary key. No rows, no
    count: past the last page the count is 0."""
    with connection.cursor() as cursor:
        cursor.execute(SEARCH, [PUBLISHED, query, query, limit, offset])
        rows = cursor.fetchall()
    return _listed(rows), rows[0][-1] if rows else 0


def _listed(rows) -> list[Listed]:
    themes: dict[int, Theme] = {}
    listed = []
    for pk, slug, text, published_at, theme_id, theme_slug, name_fr, name_en, *_ in rows:
        theme = None
        if theme_id is not None:
            theme = themes.get(theme_id) or Theme(id=theme_id, slug=theme_slug, name_fr=name_fr, name_en=name_en)
            themes[theme_id] = theme
        listed.append(Listed(pk, slug, text, _aware(published_at), theme))
    return listed


def _aware(moment: datetime) -> datetime:
    """PostgreSQL gives aware times; SQLite the naive UTC ones the ORM would have made aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
