"""The charts of the Insights page and of the report, drawn by matplotlib as SVG on the server.

Why matplotlib and SVG: one renderer for the page and the PDF (the same file in both), no JavaScript and nothing inline
for the Content-Security-Policy to refuse (an `<img>` of the app's own URL, or in the PDF of a data: URI), vector
output that prints sharply, and a library that has been kept for twenty years.

Why a URL per chart: drawing a year's ten charts takes about two seconds of CPU, which the first request of a period
used to pay before sending anything. Now a page computes each chart's figures (its table needs them anyway), leaves
the chart's spec in the shared cache under a digest (`publish`), and the browser asks `insights.chart_views` for the
drawing, made on demand and cached by the same digest; the PDF draws the same spec inline.

Accessibility: every chart comes with a text summary (its `alt` and caption) and the table of its figures; colours are
the Okabe-Ito palette, safe for colour-blind readers, and lines also differ by marker and dash so that a grey print
still tells them apart.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
DASHES = ["-", "--", "-.", ":"]
SEQUENTIAL = "cividis"  # perceptually uniform and readable by colour-blind readers
MARKERS_PER_LINE = 40  # about as many markers per line: a year of daily ones made the follower chart 750 kB
CACHE_SECONDS = 3600
SPEC_KEY = "insights:chart-spec:{}"
BAR_LEGEND = 1.15  # inches right of the bars: their legend
BAR_LABELS = 16  # at most about as many labels under bars: the table has every one
HEAT_MAP_RIGHT = 1.05  # inches right of a heat map: its colour bar, the bar's figures and its label


_STYLE = {
    "svg.hashsalt": "museumcm",  # stable ids: the same figures give the same file (and the cache can serve it)
    "font.size": 9,
    # Text as <text>, not glyph outlines (matplotlib's default): outlining every label was a good part of a cold
    # draw and of the file (issue 15's benchmark). The browser and WeasyPrint draw it in DejaVu Sans, the font
    # matplotlib measured it in, or the next sans-serif of the family matplotlib writes (Verdana, Arial, …); the
    # labels become real text, selectable and searchable in the page and the PDF.
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@functools.cache
def _figure_class() -> type[Figure]:
    """matplotlib, set up on the first drawing: the pages only link their charts, and importing it took a process's
    first page 0.7 s of CPU."""
    import matplotlib

    matplotlib.use("svg")  # before anything imports pyplot: no display, no GUI toolkit
    matplotlib.rcParams.update(_STYLE | {"axes.prop_cycle": matplotlib.cycler(color=PALETTE)})
    from matplotlib.figure import Figure

    return Figure


@dataclass
class Chart:
    """A chart and what stands for it without sight: `summary` (one or two sentences) and its table."""

    title: str
    summary: str
    headers: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)
    spec: str = ""  # its drawing as JSON (`render`): [draw function's name, data, width, height]
    digest: str = ""  # of the spec: the drawing's cache key
    pixels: tuple[int, int] = (0, 0)  # its size in CSS pixels: the page keeps its place while the drawing loads
    url: str = ""  # where the page's <img> finds it (`publish`)

    @property
    def ident(self) -> str:
        return self.digest[:12]

    @property
    def svg(self) -> str:
        """The drawing, from the cache or drawn now (and kept)."""
        return drawing(self.digest, self.spec)

    @property
    def body(self) -> SafeString:
        """The table's rows as HTML, each cell localised and escaped as `{{ cell }}` would be, absent ones "—". Built
        here, not by template loops: a year's cadence and heat maps are thousands of cells, which took the template
        engine most of the page's rendering time; and, like the drawing, kept for identical rows in one language."""
        rows = _cached(
            ["table", get_language(), self.rows],
            lambda: "".join(f"<tr>{''.join(map(_cell, row))}</tr>" for row in self.rows),
        )
        return mark_safe(rows)

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _cell(value) -> str:
    return "<td>—</td>" if value is None else f"<td>{conditional_escape(localize(value))}</td>"


def _cached(parts: list, make) -> str:
    """`make()`, or what it gave for the same `parts` within the hour. `parts` are named by the digest of their
    pickle, which is hashed and never loaded: a year's tables are 10,000 cells, and pickling them is three times
    faster than writing them as JSON (1.5 ms a page). Equal pickles are equal rows; equal rows pickled otherwise
    (shared objects are written once) would only be made again."""
    return _kept(hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest(), make)


def _kept(digest: str, make) -> str:
    """`make()`, or what it gave within the hour for what `digest` names."""
    key = f"insights:chart:{digest}"
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, CACHE_SECONDS)
    return value


class Points:
    """A line's points written as JSON already, `[[day, value], …]` (what `json.dumps` writes of them), for `render`'s
    spec to carry as they are: a year's follower growth is 4,700 points, which made into lists and encoded took
    two thirds of the chart's CPU (about 2.3 of 3 ms a request, page or report)."""

    def __init__(self, points: Iterable[tuple[str, int]]):
        """`points`: (an ISO date, an integer) each."""
        self.json = "[" + ", ".join([f'["{day}", {value:d}]' for day, value in points]) + "]"


_WRITTEN = re.compile(r'"\\u0000(\d+)"')  # where `_spec` left a Points' place


def _spec(parts: list) -> str:
    """`parts` as JSON, each `Points` written as it is (`default=str` besides: days as ISO text)."""
    written: list[str] = []

    def placed(value) -> str:
        if isinstance(value, Points):
            written.append(value.json)
            return f"\0{len(written) - 1}"  # no text of ours holds a NUL (PostgreSQL's text cannot)
        return str(value)

    spec = json.dumps(parts, default=placed)
    return _WRITTEN.sub(lambda place: written[int(place[1])], spec) if written else spec


def render(chart: Chart, draw: Callable, data: dict, *, width: float = 7.0, height: float = 3.0) -> Chart:
    """Give `chart` the spec of its drawing, `draw(figure, data)`, and its digest; nothing is drawn yet. The spec is
    JSON (days as ISO text): the text the digest names is what the cache keeps, cheap to store on every request
    (pickling a year's follower series, 4,700 dates, was most of a page's publishing)."""
    chart.spec = _spec([draw.__name__, data, width, height])
    chart.digest = hashlib.sha256(chart.spec.encode()).hexdigest()
    chart.pixels = (round(width * 96), round(height * 96))  # inches, at CSS's 96 pixels to the inch
    return chart


def drawing(digest: str, spec: str) -> str:
    """The SVG of `spec`, whose digest is `digest`: the one drawn within the hour, or drawn now."""

    def draw() -> str:
        name, data, width, height = json.loads(spec)
        figure = _figure_class()(figsize=(width, height), layout="constrained")
        DRAWINGS[name](figure, data)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    return _kept(digest, draw)


def publish(charts: Iterable[Chart], *, scope: str) -> None:
    """Leave each chart's spec in the cache for the chart view, and give it its URL. `scope` is whose figures these
    are ("all", or a curator's id): the view draws a spec only for a viewer of the same scope. One round trip."""
    specs = {}
    for chart in charts:
        key = hashlib.sha256(f"{chart.digest}:{scope}".encode()).hexdigest()
        specs[SPEC_KEY.format(key)] = {"scope": scope, "digest": chart.digest, "spec": chart.spec}
        chart.url = reverse("insights_chart", args=[key])
    cache.set_many(specs, CACHE_SECONDS)


def published(key: str) -> dict | None:
    """What `publish` left under `key` ("scope", "digest", "spec"); None once it has expired."""
    return cache.get(SPEC_KEY.format(key))


def draw_lines(figure: Figure, data: dict) -> None:
    """data: {"series": [[label, [[day, value], …]], …], "ylabel": str}, each day an ISO date or moment."""
    axes = figure.add_subplot()
    for index, (label, points) in enumerate(data["series"]):
        xs = [_moment(x) for x, _value in points]
        axes.plot(
            xs,
            [value for _x, value in points],
            label=label,
            marker=MARKERS[index % len(MARKERS)],
            markersize=3,
            markevery=max(1, len(xs) // MARKERS_PER_LINE),  # every point is on the line; markers only tell lines apart
            linestyle=DASHES[index % len(DASHES)],
            color=PALETTE[index % len(PALETTE)],
        )
    axes.set_ylabel(data.get("ylabel", ""))
    axes.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    if data["series"]:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def _moment(text: str) -> date | datetime:
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def draw_bars(figure: Figure, data: dict) -> None:
    """data: {"labels": [...], "bars": [[label, [values]], …], "line": [label, [values]] or None, "ylabel": str}.

    Fixed margins, as for heat maps (their legend's three short words, the weeks' dates and counts are known): the
    layout engine's measuring pass was nearly half of a year's cadence chart, and its margin cut "Objectif" short."""
    figure.set_layout_engine(None)
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=0.6 / width, right=1 - BAR_LEGEND / width, bottom=0.55 / height, top=1 - 0.12 / height)
    axes = figure.add_subplot()
    labels = data["labels"]
    count = max(len(data["bars"]), 1)
    width = 0.8 / count
    hatches = ["", "//", "..", "xx"]
    for index, (label, values) in enumerate(data["bars"]):
        positions = [i + (index - (count - 1) / 2) * width for i in range(len(labels))]
        axes.bar(
            positions,
            values,
            width,
            label=label,
            color=PALETTE[index],
            hatch=hatches[index % len(hatches)],
            edgecolor="#333333",
            linewidth=0.4,
        )
    if data.get("line"):
        label, values = data["line"]
        axes.step(range(len(labels)), values, where="mid", color="#000000", linestyle="--", label=label)
    step = -(-len(labels) // BAR_LABELS)  # a year's 53 weeks labelled every fourth: each label is drawn and measured
    axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    axes.set_ylabel(data.get("ylabel", ""))
    axes.grid(axis="y", alpha=0.3)
    if data["bars"]:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def draw_heat_map(figure: Figure, data: dict) -> None:
    """data: {"days": [7 labels], "hours": [hours], "cells": [[median or None per hour] per day], "n": same shape}.

    Fixed margins rather than the layout engine: its labels are short and known (weekday abbreviations, two-digit
    hours, the colour bar's figures), and constrained layout cost a measuring pass over the whole figure besides its
    own work, more than half of a heat map's draw (the seven of a year are most of a year's charts)."""
    figure.set_layout_engine(None)
    width, height = figure.get_size_inches()
    left, bottom, top, right = 0.55 / width, 0.35 / height, 1 - 0.12 / height, 1 - HEAT_MAP_RIGHT / width
    axes = figure.add_axes((left, bottom, right - left, top - bottom))
    bar = figure.add_axes((right + 0.12 / width, bottom, 0.14 / width, top - bottom))
    hours, cells, counts = data["hours"], data["cells"], data["n"]
    grid = [[float("nan") if value is None else value for value in row] for row in cells]
    image = axes.imshow(grid, cmap=SEQUENTIAL, aspect="auto")
    axes.set_yticks(range(len(data["days"])), data["days"])
    axes.set_xticks(range(len(hours)), [f"{hour:02d}" for hour in hours])
    for day, row in enumerate(counts):
        for column, n in enumerate(row):
            if n:
                # inside its cell, so out of the layout's bounding boxes: measuring 1,000 counts was a third of a draw
                axes.text(column, day, str(n), ha="center", va="center", fontsize=6, color="#ffffff", in_layout=False)
    figure.colorbar(image, cax=bar, label=data.get("label", ""))


DRAWINGS = {draw.__name__: draw for draw in (draw_lines, draw_bars, draw_heat_map)}
