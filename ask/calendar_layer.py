"""The question-of-the-day queue as a layer of the editorial calendar: each queued answer on the day it will go out.

Registered from `AskConfig.ready()` through editorial's layer registry (editorial never imports `ask`)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ask.services import queue_dates
from editorial.layers import Layer, LayerEntry

LAYER = "ask"


def queue_entries(first: date, last: date, *, now=None) -> list[LayerEntry]:
    """The queued answers planned between `first` and `last` (local days): one query whatever the queue's length."""
    queue_url = reverse("ask_team")
    entries = []
    for question, at in queue_dates(now=now):
        day = timezone.localtime(at).date()
        if day > last:
            break
        if day >= first:
            title = Truncator(question.text).chars(60)
            entries.append(LayerEntry(day=day, time_label=f"{at:%H:%M}", title=title, url=queue_url))
    return entries


layer = Layer(
    slug=LAYER,
    label=_("Question of the day"),
    entries=queue_entries,
    permission="inbox.answer_message",
    link_url=lambda: reverse("ask_team"),
    link_label=_("Reorder the queue"),
)
