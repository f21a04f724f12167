"""A chart's table alternative: every cell localised and escaped as the template would, absent ones "—"."""

import re
from collections import Counter
from datetime import date, timedelta

from django.utils import translation

from insights.charts import MARKERS_PER_LINE, Chart, Points, draw_heat_map, draw_lines, render


def test_the_table_rows_are_localised_escaped_and_show_absent_figures_as_a_dash():
    chart = Chart(
        title="t", summary="s", headers=["a", "b", "c", "d"], rows=[["<b>Musée</b>", 2.5, None, date(2026, 11, 2)]]
    )
    with translation.override("fr"):
        assert chart.body == "<tr><td>&lt;b&gt;Musée&lt;/b&gt;</td><td>2,5</td><td>—</td><td>2 novembre 2026</td></tr>"


def test_a_kept_table_is_the_one_of_the_same_rows_not_of_rows_that_read_alike():
    """Tables are kept by their rows' digest: a day and its ISO text are different rows (as JSON they were one)."""
    with translation.override("fr"):
        as_day = Chart(title="t", summary="s", headers=["d"], rows=[[date(2026, 11, 3)]]).body
        as_text = Chart(title="t", summary="s", headers=["d"], rows=[["2026-11-03"]]).body
        again = Chart(title="t", summary="s", headers=["d"], rows=[[date(2026, 11, 3)]]).body
    assert as_day == again == "<tr><td>3 novembre 2026</td></tr>"
    assert as_text == "<tr><td>2026-11-03</td></tr>"


def test_points_written_ahead_make_the_spec_and_digest_of_the_same_points_as_lists():
    """The follower growth's points are written as JSON once (`Points`); its spec, and so its drawing's cache key and
    URL, are those of the same points given as lists, beside other data and a label that reads like a placeholder."""
    days = [date(2026, 11, 1) + timedelta(days=n) for n in range(40)]
    lines = [["A · \\u0000 1", [[d.isoformat(), 5000 + n] for n, d in enumerate(days)]], ["B", [["2026-11-01", 7]]]]
    data = {"series": lines, "ylabel": "Followers", "since": date(2026, 11, 1)}
    written = {**data, "series": [[label, Points(tuple(point) for point in points)] for label, points in lines]}
    as_lists = render(Chart(title="t", summary="s", headers=[], rows=[]), draw_lines, data)
    as_points = render(Chart(title="t", summary="s", headers=[], rows=[]), draw_lines, written)
    assert as_points.spec == as_lists.spec
    assert as_points.digest == as_lists.digest


def test_a_chart_writes_its_labels_as_text_and_marks_a_long_line_sparsely():
    """Labels as <text> (outlining each glyph was most of a cold draw); a year of daily points is drawn whole,
    but only about MARKERS_PER_LINE of them carry a marker (each a <use> of the marker's path)."""
    start = date(2025, 12, 1)
    points = [[start + timedelta(days=n), 1000 + n] for n in range(366)]
    chart = Chart(title="t", summary="s", headers=[], rows=[])
    svg = render(chart, draw_lines, {"series": [["Mastodon · Musée", points]], "ylabel": "Fans"}).svg
    assert ">Fans</text>" in svg and ">Mastodon · Musée</text>" in svg
    assert 'id="DejaVuSans' not in svg  # no glyph outlines
    uses = Counter(re.findall(r'xlink:href="#(m[0-9a-f]+)"', svg))  # the line's marker, and the axes' ticks
    assert MARKERS_PER_LINE <= max(uses.values()) <= MARKERS_PER_LINE + 2, uses  # and the legend's sample


def test_a_heat_map_shows_each_cells_count_its_days_and_hours_and_the_scales_label():
    """Drawn with fixed margins (no layout engine): every label is still there, as text."""
    counts = [[n + 7 * day for n in range(3)] for day in range(7)]
    data = {"days": list("MTWTFSS"), "hours": [9, 10, 11], "cells": counts, "n": counts, "label": "Median"}
    svg = render(Chart(title="t", summary="s", headers=[], rows=[]), draw_heat_map, data, height=2.6).svg
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert {str(n) for row in counts for n in row if n} <= set(texts)
    assert {"09", "10", "11", "Median", "W"} <= set(texts)
