"""Reads the public pages share: each a fixed number of queries whatever the page shows. What every page needs (the
themes and how many answers each has) is read once per generation of the pages and kept in the cache, and by each web
process in its memory."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q

from ask import listing
from ask.models import Question, Theme

PAGE_SIZE = 20
LIST_FIELDS = ["id", "slug", "text", "published_at", "theme__slug", "theme__name_fr", "theme__name_en"]


class KnownCountPaginator(Paginator):
    """A paginator told its count (from the cached figures, or a search's window) instead of counting the rows
    again; `read(offset)` gives a page's rows."""

    def __init__(self, read, *, known_count: int):
        super().__init__([], PAGE_SIZE)
        self.read, self.known_count = read, known_count

    @property
    def count(self) -> int:
        return self.known_count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        return Page(self.read((number - 1) * PAGE_SIZE), number, self)


def answers_latest(limit: int = 6) -> list[listing.Listed]:
    return listing.newest(offset=0, limit=limit)


_kept: dict[int, tuple[float, dict]] = {}  # this process's figures: of the current generation, until they expire


def figures(generation: int) -> dict:
    """{"themes": [Theme with .answers], "total": published answers}: two queries per generation of the pages.

    Each process keeps them too: the cache's copy cost a miss of the archive a round trip and the unpickling of the
    themes. Both copies last `ASK_CACHE_SECONDS`, so that a renamed theme shows as it does on the pages."""
    kept = _kept.get(generation)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    key = f"ask:figures:{generation}"
    found = cache.get(key)
    if found is None:
        published = Q(questions__state=Question.State.PUBLISHED)
        themes = Theme.objects.annotate(answers=Count("questions", filter=published)).order_by("position", "slug")
        found = {"themes": list(themes), "total": Question.objects.published().count()}
        cache.set(key, found, timeout=settings.ASK_CACHE_SECONDS)
    _kept.clear()  # one generation at a time: a newer one makes the others useless
    _kept[generation] = (time.monotonic() + settings.ASK_CACHE_SECONDS, found)
    return found


def answers_page(*, theme: Theme | None, query: str, number: str | int, known: dict) -> Page:
    """A page of the archive (newest first), of a theme, or of a search; `known` is `figures()`."""
    if query:
        return _search_page(query, number)
    count = known["total"] if theme is None else next((t.answers for t in known["themes"] if t.pk == theme.pk), 0)

    def read(offset: int) -> list:
        return listing.newest(offset=offset, limit=PAGE_SIZE, theme=theme)

    return KnownCountPaginator(read, known_count=count).get_page(number)


def _search_page(query: str, number) -> Page:
    """A page of a search: on PostgreSQL its rows and how many answers were found from one statement
    (`ask.listing.found`). A page number that is not a number gives the first page, one past the end or below 1
    the last, as Django's paginator does."""
    if connection.vendor != "postgresql":
        return Paginator(_searched(query), PAGE_SIZE).get_page(number)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    if wanted >= 1:
        rows, count = listing.found(query, offset=(wanted - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        if rows or wanted == 1:
            return Page(rows, wanted, KnownCountPaginator(None, known_count=count))
    count = listing.found(query, offset=0, limit=1)[1]
    last = max(1, -(-count // PAGE_SIZE))
    rows, count = listing.found(query, offset=(last - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return Page(rows, last, KnownCountPaginator(None, known_count=count))


def _searched(query: str):
    """Elsewhere (SQLite, `make run`, which has no full-text search): the words as typed, in the question or its
    answer, newest first."""
    rows = Question.objects.published().select_related("theme").only(*LIST_FIELDS).order_by("-published_at", "-pk")
    query = query.strip()
    return rows.filter(Q(text__icontains=query) | Q(answer__icontains=query))
