"""What the public pages show (the lists of home, archive, theme, search and embed; an answer's page) read by plain
statements, without the ORM: these reads are what a cache miss makes.

Building a list's statement and twenty model instances through the ORM cost ten times what the database took
(1.3 ms of CPU for an archive page against 0.1 ms for the same rows here; an answer 0.7 against 0.1). What a list
shows is small and fixed: `Listed`. Deep pages find their twenty ids in the newest-first index alone (an
index-only scan skips the rows before them), then read those rows: OFFSET on whole rows read every skipped row.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

from ask.models import Question, Theme

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
# the transaction, and the two statements sent in one execute run as one (outside a request's own transaction).
SEARCH = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true); "
    f"SELECT {COLUMNS}, hits.found FROM (SELECT question_id, count(*) OVER () AS found FROM ask_search s "
    "WHERE search_vector @@ (websearch_to_tsquery('french', museumcm_unaccent(%s)) || "
    "websearch_to_tsquery('english', museumcm_unaccent(%s))) "
    "ORDER BY s.published_at DESC, s.question_id DESC LIMIT %s OFFSET %s) hits "
    f"JOIN ask_question q ON q.id = hits.question_id LEFT JOIN ask_theme t ON t.id = q.theme_id {NEWEST}"
)


ANSWER_FIELDS = ["id", "slug", "text", "name", "answer", "answer_html", "created_at", "published_at"]
ANSWER = (
    f"SELECT {', '.join(f'q.{field}' for field in ANSWER_FIELDS)}, t.id, t.slug, t.name_fr, t.name_en "
    "FROM ask_question q LEFT JOIN ask_theme t ON t.id = q.theme_id WHERE q.id = %s AND q.state = %s"
)
BIGINT_END = 2**63  # past PostgreSQL's bigint: no such answer or offset (the ORM says so for an id out of range)


@dataclass(frozen=True, slots=True)
class Listed:
    """An answer as a list shows it (`ask_tags.answer_list`)."""

    pk: int
    slug: str
    text: str
    published_at: datetime
    theme: Theme | None


def newest(*, offset: int, limit: int, theme: Theme | None = None) -> list[Listed]:
    """Published answers, newest first (of one theme if given)."""
    params = [PUBLISHED, *([theme.pk] if theme else []), limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(PAGE.format(theme="AND q.theme_id = %s" if theme else ""), params)
        return _listed(cursor.fetchall())


def found(query: str, *, offset: int, limit: int) -> tuple[list[Listed], int]:
    """A page of a full-text search (PostgreSQL) and how many answers match, from one statement: the ids and the
    count (a window over the narrow ids) from one scan of the GIN index of `ask_search` and its narrow rows (the
    published answers' ids, dates and vectors: `ask.search`), then those rows by primary key. No rows, no count:
    past the last page the count is 0."""
    if offset >= BIGINT_END:
        return [], 0
    with connection.cursor() as cursor:
        cursor.execute(SEARCH, [query, query, limit, offset])
        rows = cursor.fetchall()
    return _listed(rows), rows[0][-1] if rows else 0


def answer(pk: int) -> Question | None:
    """A published answer with what its page shows, and nothing else (no address, no state but published)."""
    if pk >= BIGINT_END:
        return None
    with connection.cursor() as cursor:
        cursor.execute(ANSWER, [pk, PUBLISHED])
        row = cursor.fetchone()
    if row is None:
        return None
    question = Question(**dict(zip(ANSWER_FIELDS, row, strict=False)), state=PUBLISHED)
    question.created_at, question.published_at = _aware(question.created_at), _aware(question.published_at)
    question.theme = _theme(*row[len(ANSWER_FIELDS) :], {})
    return question


def _listed(rows) -> list[Listed]:
    themes: dict[int, Theme] = {}
    return [
        Listed(pk, slug, text, _aware(published_at), _theme(theme_id, theme_slug, name_fr, name_en, themes))
        for pk, slug, text, published_at, theme_id, theme_slug, name_fr, name_en, *_ in rows
    ]


def _theme(pk: int | None, slug: str, name_fr: str, name_en: str, seen: dict[int, Theme]) -> Theme | None:
    """The answer's theme from its joined columns, one instance per theme of a page."""
    if pk is None:
        return None
    if pk not in seen:
        seen[pk] = Theme(id=pk, slug=slug, name_fr=name_fr, name_en=name_en)
    return seen[pk]


def _aware(moment: datetime) -> datetime:
    """PostgreSQL gives aware times; SQLite the naive UTC ones the ORM would have made aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
