"""Reads the public pages share: each a fixed number of queries whatever the page shows. What every page needs (the
themes and how many answers each has) is read once per generation of the pages and kept in the cache."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from ask.models import Question, Theme
from ask.publication import pages_generation

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


def answers_latest(limit: int = 6):
    return Question.objects.published().select_related("theme").only(*LIST_FIELDS)[:limit]


def figures() -> dict:
    """{"themes": [Theme with .answers], "total": published answers}: two queries per generation of the pages."""
    key = f"ask:figures:{pages_generation()}"
    found = cache.get(key)
    if found is None:
        published = Q(questions__state=Question.State.PUBLISHED)
        themes = Theme.objects.annotate(answers=Count("questions", filter=published)).order_by("position", "slug")
        found = {"themes": list(themes), "total": Question.objects.published().count()}
        cache.set(key, found, timeout=settings.ASK_CACHE_SECONDS)
    return found


def themes_with_counts() -> list[Theme]:
    return figures()["themes"]


def answers_page(*, theme: Theme | None, query: str, number: str | int) -> Page:
    rows = Question.objects.published().select_related("theme").only(*LIST_FIELDS).order_by("-published_at", "-pk")
    if query:
        return Paginator(rows.search(query), PAGE_SIZE).get_page(number)
    known = figures()
    if theme is not None:
        rows = rows.filter(theme=theme)
        count = next((t.answers for t in known["themes"] if t.pk == theme.pk), 0)
    else:
        count = known["total"]
    return KnownCountPaginator(rows, PAGE_SIZE, known_count=count).get_page(number)
