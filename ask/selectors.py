"""Reads the public pages share: each a fixed number of queries whatever the page shows."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from ask.models import Question, Theme

PAGE_SIZE = 20
LIST_FIELDS = ["id", "slug", "text", "published_at", "theme__slug", "theme__name_fr", "theme__name_en"]


def answers_latest(limit: int = 6):
    return Question.objects.published().select_related("theme").only(*LIST_FIELDS, "answer")[:limit]


def themes_with_counts():
    published = Q(questions__state=Question.State.PUBLISHED)
    return Theme.objects.annotate(answers=Count("questions", filter=published)).order_by("position", "slug")


def answers_page(*, theme: Theme | None, query: str, number: str | int) -> Page:
    rows = Question.objects.published().select_related("theme").only(*LIST_FIELDS)
    if theme is not None:
        rows = rows.filter(theme=theme)
    if query:
        rows = rows.search(query)
    return Paginator(rows.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(number)
