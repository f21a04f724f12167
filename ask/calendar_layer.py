"""The question-of-the-day queue as a layer of the editorial calendar: each queued answer on the day it will go out.

Registered from `AskConfig.ready()` through editorial's layer registry (editorial never imports `ask`)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ask.models import Question
from ask.services import queue_dates
from editorial.layers import Layer, LayerEntry
from museumcm.text import visible_controls

LAYER = "ask"


def queue_entries(first: date, last: date, *, now=None) -> list[LayerEntry]:
    """The queued answers planned between `first` and `last` (local days): one query whatever the queue's length.
    Each can be dragged to another day (`move_url`), which reorders the queue."""
    queue_url = reverse("ask_team")
    entries = []
    for question, at in queue_dates(now=now):
        day = timezone.localtime(at).date()
        if day > last:
            break
        if day >= first:
            move_url = reverse("ask_move_to_day", args=[question.pk])
            title = entry_title(question)
            entries.append(LayerEntry(day, f"{at:%H:%M}", title, url=queue_url, move_url=move_url))
    return entries


def entry_title(question: Question) -> str:
    """The question as the calendar names it: short, its direction overrides and invisible characters shown."""
    return Truncator(visible_controls(question.text)).chars(60)


layer = Layer(
    slug=LAYER,
    label=_("Question of the day"),
    entries=queue_entries,
    permission="inbox.answer_message",
    link_url=lambda: reverse("ask_team"),
    link_label=_("Reorder the queue"),
)
