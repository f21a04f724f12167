"""Month, week and list views of the editorial calendar; each runs a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from editorial.forms.calendar import CalendarFilterForm
from editorial.layers import LAYER_HIDE_PARAM, layers_shown
from editorial.selectors import (
    calendar_posts,
    month_weeks,
    museum_events,
    posts_by_day,
    week_approvals,
)
from editorial.services.weeks import IsoWeek
from editorial.timeutils import CALENDAR_YEARS, in_calendar

_YEARS = {"first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[-1]}
MAX_CHIPS_PER_DAY = 4  # more posts than this in a day collapse into a "+ n more" link to the list


@dataclass
class Day:
    day: date
    posts: list
    events: list
    in_month: bool = True
    total: int | None = None  # when only the first posts of the day were loaded
    layered: list = field(default_factory=list)  # [{"slug", "entry"}] from the layers other apps register

    @property
    def shown(self) -> list:
        return self.posts[:MAX_CHIPS_PER_DAY]

    @property
    def iso(self) -> str:
        return self.day.isoformat()

    @property
    def new_label(self) -> str:
        return _("New post on %(day)s") % {"day": date_format(self.day, "DATE_FORMAT")}

    @property
    def more(self) -> int:
        return max(0, (self.total or len(self.posts)) - len(self.shown))


def _shown(day: date) -> date:
    """A day asked for in the address, if the calendar covers it (else 404: its neighbours may not even exist)."""
    if not in_calendar(day):
        raise Http404(_("The calendar covers the years %(first)s to %(last)s.") % _YEARS)
    return day


def _month(request: HttpRequest) -> date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)
    return _shown(first)


def _week(request: HttpRequest) -> IsoWeek:
    try:
        year, number = request.GET["week"].split("-W")
        iso = IsoWeek(int(year), int(number))
        _shown(iso.monday)  # iso.monday raises ValueError for a week that does not exist
    except (KeyError, ValueError):
        return IsoWeek.of(timezone.localdate())
    return iso


def _filters(request: HttpRequest):
    form = CalendarFilterForm(request.GET or None)
    query = request.GET.copy()
    for key in ("month", "week", "day"):
        query.pop(key, None)
    return form, form.filters(), query.urlencode()


def _events_by_day(events: list, days: list[date]) -> dict[date, list]:
    """The one-day events of each day; events of several days are banners over the week (`_banners`)."""
    return {d: [e for e in events if e.is_single_day and e.starts_on == d] for d in days}


def _banners(events: list, first: date, last: date) -> list:
    return [e for e in events if not e.is_single_day and e.starts_on <= last and e.ends_on >= first]


def _context(request: HttpRequest, days: list[date], *, per_day: int | None = None, **extra) -> dict:
    form, filters, query = _filters(request)
    posts = calendar_posts(days[0], days[-1], filters, per_day=per_day)
    by_day = posts_by_day(posts)
    totals = {day: entries[0].day_total for day, entries in by_day.items()}
    all_events = museum_events(days[0], days[-1])
    events = _events_by_day(all_events, days)
    layers = _layers(request, days)
    return {
        "can_move": request.user.has_perm("editorial.change_post"),
        "can_add": request.user.has_perm("editorial.add_post"),
        "filter_form": form,
        "active_filters": filters.active,
        "query": query,
        "today": timezone.localdate(),
        "posts": posts,
        "by_day": by_day,
        "approvals": week_approvals(days),
        "events": events,
        "banners": _banners(all_events, days[0], days[-1]),
        "days": [Day(d, by_day.get(d, []), events[d], total=totals.get(d), layered=_layered(layers, d)) for d in days],
        "layers": layers,
        **extra,
    }


def _layers(request: HttpRequest, days: list[date]) -> list[dict]:
    """The layers over the calendar, each with a link that shows or hides it (the rest of the address kept)."""
    hidden = request.GET.getlist(LAYER_HIDE_PARAM)
    layers = layers_shown(request.user, days[0], days[-1], hidden)
    for layer in layers:
        query = request.GET.copy()
        slug = layer["layer"].slug
        others = [h for h in hidden if h != slug]
        query.setlist(LAYER_HIDE_PARAM, others if layer["hidden"] else [*others, slug])
        layer["toggle_url"] = f"{request.path}?{query.urlencode()}"
    return layers


def _layered(layers: list[dict], day: date) -> list[dict]:
    return [{"slug": layer["layer"].slug, "entry": e} for layer in layers for e in layer["by_day"].get(day, [])]


def _rows(context: dict, weeks: list[list[date]], month: date) -> list[dict]:
    days = {d.day: d for d in context["days"]}
    rows = []
    for week in weeks:
        iso = IsoWeek.of(week[0])
        for d in week:
            days[d].in_month = d.month == month.month
        rows.append(
            {
                "week": iso,
                "approval": context["approvals"].get((iso.year, iso.week)),
                "days": [days[d] for d in week],
                "banners": _banners(context["banners"], week[0], week[-1]),
            }
        )
    return rows


@permission_required("editorial.view_post", raise_exception=True)
def month(request: HttpRequest) -> HttpResponse:
    first = _month(request)
    weeks = month_weeks(first.year, first.month)
    days = [d for week in weeks for d in week]
    context = _context(request, days, per_day=MAX_CHIPS_PER_DAY, month=first, view="month")
    context["rows"] = _rows(context, weeks, first)
    # Looked up once here rather than in each of the 42 cells.
    context["new_url"], context["list_url"] = reverse("post_new"), reverse("calendar_list")
    context["today_label"], context["new_title"] = _("Today"), _("New post on this day")
    context["nav"] = _nav("calendar", context, "month", _months_around(first), date_format(first, "YEAR_MONTH_FORMAT"))
    return _render(request, "editorial/calendar/month.html", context)


@permission_required("editorial.view_post", raise_exception=True)
def week(request: HttpRequest) -> HttpResponse:
    iso = _week(request)
    days = [iso.monday + timedelta(days=i) for i in range(7)]
    context = _context(request, days, week=iso, view="week")
    context["approval"] = context["approvals"].get((iso.year, iso.week))
    context["hours"], context["working_day_starts"] = _hours(context["days"]), settings.WORKING_DAY_STARTS
    around = [IsoWeek.of(iso.monday + timedelta(days=n)) for n in (-7, 7)]
    values = [f"{w.year}-W{w.week}" for w in around]
    heading = _("Week %(week)s · %(first)s to %(last)s") % {
        "week": iso.week,
        "first": date_format(days[0], "DATE_FORMAT"),
        "last": date_format(days[-1], "DATE_FORMAT"),
    }
    context["nav"] = _nav("calendar_week", context, "week", values, heading)
    context["month"] = iso.monday.replace(day=1)
    return _render(request, "editorial/calendar/week.html", context)


def _hours(days: list[Day]) -> list[dict]:
    """One row per hour, one cell per day, each holding the posts of that hour."""
    slots: dict[tuple[date, int], list] = {}
    for d in days:
        for post in d.posts:
            slots.setdefault((d.day, post.scheduled_at.hour), []).append(post)
    return [
        {
            "hour": hour,
            "label": f"{hour:02d}:00",
            "off": not settings.WORKING_DAY_STARTS <= hour < settings.WORKING_DAY_ENDS,
            "cells": [{"day": d.day, "at": f"{hour:02d}:00", "posts": slots.get((d.day, hour), [])} for d in days],
        }
        for hour in range(24)
    ]


@permission_required("editorial.view_post", raise_exception=True)
def post_list(request: HttpRequest) -> HttpResponse:
    first = _month(request)
    if request.GET.get("day"):
        try:
            day = _shown(date.fromisoformat(request.GET["day"]))
            days = [day]
            first = day.replace(day=1)
        except ValueError:
            days = []
    else:
        days = []
    if not days:
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    context = _context(request, days, month=first, view="list")
    heading = date_format(days[0], "DATE_FORMAT") if len(days) == 1 else date_format(first, "YEAR_MONTH_FORMAT")
    context["nav"] = _nav("calendar_list", context, "month", _months_around(first), heading)
    context["list_days"] = [d for d in context["days"] if d.posts or d.layered]
    return _render(request, "editorial/calendar/list.html", context)


def _months_around(first: date) -> list[str]:
    return [f"{(first - timedelta(days=1)):%Y-%m}", f"{(first + timedelta(days=32)):%Y-%m}"]


def _nav(name: str, context: dict, param: str, around: list[str], heading: str) -> dict:
    """Links to the previous, current and next period, keeping the filters."""
    base, query = reverse(name), context["query"]
    suffix = f"&{query}" if query else ""
    return {
        "heading": heading,
        "previous": f"{base}?{param}={around[0]}{suffix}",
        "today": f"{base}?{query}" if query else base,
        "next": f"{base}?{param}={around[1]}{suffix}",
    }


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    if request.htmx and request.htmx.target == "calendar-grid":
        template = f"{template}#grid"
    return render(request, template, context)
