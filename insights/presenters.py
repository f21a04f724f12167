"""The selectors' figures as charts a person reads: a text summary, a table, and the SVG (insights.charts)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from insights.charts import Chart, Points, draw_bars, draw_heat_map, draw_lines, render
from insights.selectors import Cadence, Growth, InboxFigures
from publishing.models import Network


def weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def growth_chart(growth: list[Growth]) -> Chart:
    names = [(str(g.account), g) for g in growth]  # once per account, not per use: its network's label is looked up
    measured = [(name, g) for name, g in names if g.series]
    parts = [
        _("%(account)s: %(start)s → %(end)s (%(change)+d)")
        % {"account": name, "start": number_format(g.start), "end": number_format(g.end), "change": g.change}
        for name, g in measured
    ]
    summary = _("Followers per account over the period. ") + "; ".join(parts) if parts else _("No follower count yet.")
    chart = Chart(
        title=_("Follower growth"),
        summary=summary,
        headers=[_("Account"), _("Start"), _("End"), _("Change"), _("Change %")],
        rows=[
            [name, g.start, g.end, g.change, None if g.percent is None else round(g.percent, 1)] for name, g in names
        ],
    )
    # Each day's ISO text once, not once per account (a year's 4,700 dates were most of the spec's JSON encoding)
    days = {day: day.isoformat() for day in {day for _name, g in measured for day, _count in g.series}}
    series = [[name, Points((days[day], count) for day, count in g.series)] for name, g in measured]
    return render(chart, draw_lines, {"series": series, "ylabel": _("Followers")})


def cadence_chart(rows: list[Cadence]) -> Chart:
    mondays = rows[0].mondays if rows else []
    planned = [sum(week) for week in zip(*(row.planned for row in rows), strict=True)]
    published = [sum(week) for week in zip(*(row.published for row in rows), strict=True)]
    target = [sum(row.target for row in rows)] * len(mondays)
    kept = sum(row.kept_weeks for row in rows)
    total = len(rows) * len(mondays)
    summary = (
        _(
            "Posts planned and published per week against the target of the accounts that have one: on target %(kept)d "
            "weeks out of %(total)d (an account and a week each)."
        )
        % {"kept": kept, "total": total}
        if rows
        else _("No account has a cadence target.")
    )
    chart = Chart(
        title=_("Cadence"),
        summary=summary,
        headers=[_("Account"), _("Week of"), _("Target"), _("Planned"), _("Published"), _("Gap")],
        rows=[
            [name, monday, row.target, planned, published, gap]
            for row, name in ((row, str(row.account)) for row in rows)  # once per account, not per week: 15 ms a year
            for monday, planned, published, gap in zip(row.mondays, row.planned, row.published, row.gaps, strict=True)
        ],
    )
    labels = [monday.strftime("%d/%m") for monday in mondays]
    data = {
        "labels": labels,
        "bars": [[_("Planned"), planned], [_("Published"), published]],
        "line": [_("Target"), target] if rows else None,
        "ylabel": _("Posts"),
    }
    return render(chart, draw_bars, data)


def heat_map_charts(moments: list[dict]) -> list[Chart]:
    per_network: dict[str, list[dict]] = {}
    for cell in moments:
        per_network.setdefault(cell["network"], []).append(cell)
    days = weekday_names()
    return [_heat_map(Network(network).label, per_network[network], days) for network in sorted(per_network)]


def _heat_map(label: str, cells: list[dict], days: list[str]) -> Chart:
    """One pass over the network's cells (a year's are some 170) for the drawing's grids and the table's rows."""
    seen = {c["hour"] for c in cells}
    hours = list(range(min(seen), max(seen) + 1))
    grid = [[None] * len(hours) for _day in range(7)]
    counts = [[0] * len(hours) for _day in range(7)]
    times = {hour: f"{hour:02d}:00" for hour in hours}
    rows = []
    for cell in cells:
        day, hour = cell["weekday"] - 1, cell["hour"]
        grid[day][hour - hours[0]], counts[day][hour - hours[0]] = cell["median"], cell["n"]
        rows.append([days[day], times[hour], round(cell["median"], 1), cell["n"]])
    best = max((c for c in cells if c["n"] >= 2), key=lambda c: c["median"], default=None) or max(
        cells, key=lambda c: c["median"]
    )
    summary = _(
        "%(network)s: median engagements by weekday and hour (local time); the number in each cell is the number of "
        "posts behind it. Best: %(day)s %(hour)02d:00, median %(median)s over %(n)d posts."
    ) % {
        "network": label,
        "day": days[best["weekday"] - 1],
        "hour": best["hour"],
        "median": number_format(best["median"], 1),
        "n": best["n"],
    }
    chart = Chart(
        title=_("Best moments to post: %(network)s") % {"network": label},
        summary=summary,
        headers=[_("Day"), _("Hour"), _("Median engagements"), _("Posts")],
        rows=rows,
    )
    data = {"days": days, "hours": hours, "cells": grid, "n": counts, "label": _("Median engagements")}
    return render(chart, draw_heat_map, data, height=2.6)


def response_chart(inbox: InboxFigures) -> Chart:
    labels = {network: Network(network).label for network in sorted({row.network for row in inbox.per_week})}
    weeks = inbox.per_week
    series = [
        [
            label,
            # each week as its text (what the spec writes of it), not through `charts._spec`'s default one by one
            sorted([[str(row.week), round(row.median_s / 3600, 2)] for row in weeks if row.network == network]),
        ]
        for network, label in labels.items()
    ]
    units = duration_units()
    summary = (
        _("%(answered)d of %(received)d messages answered; median first response %(median)s, 90th percentile %(p90)s.")
        % {
            "answered": inbox.answered,
            "received": inbox.received,
            "median": duration(inbox.overall.median_s, units),
            "p90": duration(inbox.overall.p90_s, units),
        }
        if inbox.overall
        else _("%(received)d messages received, none answered yet.") % {"received": inbox.received}
    )
    chart = Chart(
        title=_("First-response time"),
        summary=summary,
        headers=[_("Network"), _("Week of"), _("Answered"), _("Median"), _("90th percentile")],
        rows=[
            [labels[row.network], row.week, row.answered, duration(row.median_s, units), duration(row.p90_s, units)]
            for row in inbox.per_week
        ],
    )
    return render(chart, draw_lines, {"series": series, "ylabel": _("Median, hours")})


def duration(seconds: float | None, units: tuple[str, str, str] | None = None) -> str:
    """Seconds as people say them: 45 min, 3 h 20, 2 d 4 h. `units` (`duration_units()`) when formatting many: a
    year's table of response times is some 700 durations, and translating the unit for each was most of its cost."""
    if seconds is None:
        return "—"
    in_minutes, in_hours, in_days = units or duration_units()
    minutes = round(seconds / 60)
    if minutes < 60:
        return in_minutes % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return in_hours % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return in_days % {"d": days, "h": hours}


def duration_units() -> tuple[str, str, str]:
    """The formats of a duration in minutes, hours and days, in the active language."""
    return _("%(m)d min"), _("%(h)d h %(m)02d"), _("%(d)d d %(h)d h")
