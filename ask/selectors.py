"""Reads the public pages share: each a fixed number of queries whatever the page shows. What every page needs (the
themes and how many answers each has) is read once per generation of the pages and kept in the cache."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, Q, Window

from ask.models import Question, Theme

PAGE_SIZE = 20
LIST_FIELDS = ["id", "slug", "text", "published_at", "theme__slug", "theme__name_fr", "theme__name_en"]


class KnownCountPaginator(Paginator):
    """A paginator told its count (from the cached figures) instead of counting the rows again."""

    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @property
    def count(self) -> int:
        return self.known_count

    def page(self, number):
        """Rows of a deep page found by their ids alone (an index-only scan of the newest-first index skips the
        rows before them), then read: OFFSET on whole rows read every skipped row (38 ms at page 480 of 500)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


def answers_latest(limit: int = 6):
    return Question.objects.published().select_related("theme").only(*LIST_FIELDS)[:limit]


def figures(generation: int) -> dict:
    """{"themes": [Theme with .answers], "total": published answers}: two queries per generation of the pages."""
    key = f"ask:figures:{generation}"
    found = cache.get(key)
    if found is None:
        published = Q(questions__state=Question.State.PUBLISHED)
        themes = Theme.objects.annotate(answers=Count("questions", filter=published)).order_by("position", "slug")
        found = {"themes": list(themes), "total": Question.objects.published().count()}
        cache.set(key, found, timeout=settings.ASK_CACHE_SECONDS)
    return found


def answers_page(*, theme: Theme | None, query: str, number: str | int, known: dict) -> Page:
    """A page of the archive (newest first), of a theme, or of a search; `known` is `figures()`."""
    rows = Question.objects.published().select_related("theme").only(*LIST_FIELDS).order_by("-published_at", "-pk")
    if query:
        return _search_page(rows, query, number)
    if theme is not None:
        rows = rows.filter(theme=theme)
        count = next((t.answers for t in known["themes"] if t.pk == theme.pk), 0)
    else:
        count = known["total"]
    return KnownCountPaginator(rows, PAGE_SIZE, known_count=count).get_page(number)


def _search_page(rows, query: str, number) -> Page:
    """A page of a search: its 20 rows and how many answers were found from one statement on the GIN index of the
    published answers' vectors (the count a window over the matches: one index scan, the rows narrow since
    migration 0004).

    The planner does not count what it costs to take each row's vector out of TOAST storage and decompress it
    (~14 µs a row): for a common word it would rather scan the table or walk the newest-first index filtering every
    row (50-130 ms at 10,000 answers, EXPLAIN ANALYZE in BENCHMARKS.md) than read the GIN index (2-5 ms). Both are
    turned off for these statements only. A page number that is not a page of the results (past the end, not a
    number) is counted first and read after, as Django's paginator does.
    """
    found = rows.search(query)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
                )
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0
        hits = []
        if wanted >= 1:
            counted = found.annotate(found=Window(Count("*")))
            hits = list(counted[(wanted - 1) * PAGE_SIZE : wanted * PAGE_SIZE])
        if hits or wanted == 1:
            paginator = KnownCountPaginator(found, PAGE_SIZE, known_count=hits[0].found if hits else 0)
            return Page(hits, wanted, paginator)
        page = Paginator(found, PAGE_SIZE).get_page(number)
        page.object_list = list(page.object_list)
    return page
