"""Layers that upper apps lay over the calendar (STYLE: editorial never imports them; they register here).

An app registers a `Layer` from its `AppConfig.ready()`; for the days shown, the calendar asks each layer the user
may see for its entries (one query at most per layer, whatever the number of entries) unless the user hid it.

An entry with a `move_url` can be dragged to another day, as a post is, or moved from its "Move" link: the calendar
POSTs `day=<YYYY-MM-DD>` there (htmx), and the app answers with `editorial/calendar/_move_status.html` and the
`calendar-changed` event when it moved. A GET of the same address is the form to move it without dragging. The app
checks who may move it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

LAYER_HIDE_PARAM = "hide"  # ?hide=<slug> hides a layer; it is kept in the calendar's links like the filters


@dataclass(frozen=True)
class LayerEntry:
    day: date
    time_label: str
    title: str
    url: str
    move_url: str = ""  # where the calendar posts the day it was dropped on (none: it stays where it is)


@dataclass(frozen=True)
class Layer:
    slug: str
    label: str  # lazily translated
    entries: Callable[[date, date], list[LayerEntry]]  # (first day, last day) → the entries of those days
    permission: str = ""  # needed to see the layer
    link_url: Callable[[], str] | None = None  # where its entries are managed (e.g. the queue's reorder page)
    link_label: str = ""


_LAYERS: dict[str, Layer] = {}


def register_layer(layer: Layer) -> None:
    _LAYERS[layer.slug] = layer


def layers_shown(user, first: date, last: date, hidden: list[str]) -> list[dict]:
    """Each layer the user may see, with its entries by day (none for a hidden one: it costs no query then)."""
    shown = []
    for layer in _LAYERS.values():
        if layer.permission and not user.has_perm(layer.permission):
            continue
        by_day: dict[date, list[LayerEntry]] = {}
        if layer.slug not in hidden:
            for entry in layer.entries(first, last):
                by_day.setdefault(entry.day, []).append(entry)
        shown.append(
            {
                "layer": layer,
                "hidden": layer.slug in hidden,
                "by_day": by_day,
                "link_url": layer.link_url() if layer.link_url else "",
            }
        )
    return shown
