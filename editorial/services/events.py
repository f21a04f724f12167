"""Museum events: import from iCal (a URL the museum publishes, or a file), updating by UID, never duplicating."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from editorial.models import EventSource, MuseumEvent
from editorial.timeutils import in_calendar
from publishing import outbound

FETCH_TIMEOUT = 15
MAX_ICS_BYTES = 5 * 1024 * 1024
HEADERS = {"User-Agent": "museumcm", "Accept": "text/calendar, */*;q=0.5"}
# Checked on the raw lines before parsing, whose cost grows faster than the file with nesting (2,000 nested VEVENTs
# took 4 s to fail): a calendar nests VCALENDAR > VEVENT > VALARM, or VCALENDAR > VTIMEZONE > STANDARD.
MAX_DEPTH = 4
MAX_COMPONENTS = 5_000  # icalendar reads about 2,000 events a second


class ImportFailed(Exception):
    """The calendar could not be fetched or read; the message says why, for a person."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    left_out: int = 0  # dates outside the calendar's years, or that cannot be dates at all


def _day(value) -> date:
    """DTSTART/DTEND as a local date: an instant counts on its day in the institution's zone."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _span(component) -> tuple[date, date]:
    start = _day(component.decoded("dtstart"))
    if component.get("dtend") is not None:
        raw_end = component.decoded("dtend")
        # An all-day DTEND is exclusive (the day after); an instant's end day is its own day.
        end = _day(raw_end) - timedelta(days=1) if not isinstance(raw_end, datetime) else _day(raw_end)
    elif component.get("duration") is not None:
        end = _day(component.decoded("dtstart") + component.decoded("duration"))
    else:
        end = start
    return start, max(start, end)


def events_parse(data: bytes) -> tuple[list[dict], int]:
    """The VEVENTs of an iCal file as field dicts, and how many were left out for their dates; raises ImportFailed on
    anything that is not iCal."""
    _check_shape(data)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, RecursionError) as error:
        raise ImportFailed(_("This is not an iCal calendar (.ics).")) from error
    events, left_out = [], 0
    for component in calendar.walk("VEVENT"):
        if component.get("uid") is None or component.get("dtstart") is None:
            continue
        try:
            starts_on, ends_on = _span(component)
        except (ValueError, OverflowError, TypeError):  # a date past year 9999, a duration of millions of days
            starts_on = ends_on = None
        if starts_on is None or not (in_calendar(starts_on) and in_calendar(ends_on)):
            left_out += 1
            continue
        events.append(
            {
                "uid": str(component.get("uid"))[:500],
                "title": str(component.get("summary") or _("Untitled event"))[:300],
                "description": str(component.get("description") or ""),
                "starts_on": starts_on,
                "ends_on": ends_on,
            }
        )
    return events, left_out


def _check_shape(data: bytes) -> None:
    depth = components = 0
    for line in data.splitlines():
        head = line[:6].upper()
        if head.startswith(b"BEGIN:"):
            depth, components = depth + 1, components + 1
            if depth > MAX_DEPTH:
                message = _("Components are nested too deeply in this calendar (more than %(depth)s levels).")
                raise ImportFailed(message % {"depth": MAX_DEPTH})
            if components > MAX_COMPONENTS:
                message = _("This calendar has more than %(count)s components: split it.")
                raise ImportFailed(message % {"count": MAX_COMPONENTS})
        elif head.startswith(b"END:"):
            depth -= 1


@transaction.atomic
def events_import(*, data: bytes, kind: str = MuseumEvent.Kind.EXHIBITION, source: EventSource | None = None):
    """Create or update one event per UID. A re-import changes what changed and adds nothing twice."""
    events, left_out = events_parse(data)
    result = ImportResult(left_out=left_out)
    for fields in events:
        uid = fields.pop("uid")
        existing = MuseumEvent.objects.filter(uid=uid).first()
        if existing is None:
            MuseumEvent.objects.create(uid=uid, kind=kind, source=source, **fields)
            result.created += 1
        elif any(getattr(existing, name) != value for name, value in fields.items()):
            MuseumEvent.objects.filter(pk=existing.pk).update(**fields)
            result.updated += 1
        else:
            result.skipped += 1
    return result


def ics_fetch(url: str) -> bytes:
    """Download an iCal URL (webcal:// is https://) under the outbound policy, refusing what is too big or not there.
    The message never says more than that: what the server answered, or why it was not called, is not shown."""
    if url.startswith("webcal://"):
        url = "https://" + url.removeprefix("webcal://")
    try:
        response = outbound.get(
            url, timeout=FETCH_TIMEOUT, seconds=2 * FETCH_TIMEOUT, max_bytes=MAX_ICS_BYTES, headers=HEADERS
        )
        response.raise_for_status()
    except outbound.ResponseTooLarge as error:
        raise ImportFailed(_("The calendar is larger than 5 MB.")) from error
    except (outbound.OutboundRefused, requests.RequestException) as error:
        raise ImportFailed(_("The calendar could not be downloaded from this address.")) from error
    return response.content


def event_source_import(*, source: EventSource) -> ImportResult:
    """Fetch and import one subscribed URL, remembering when it worked or why it did not."""
    try:
        result = events_import(data=ics_fetch(source.url), kind=source.kind, source=source)
    except ImportFailed as error:
        EventSource.objects.filter(pk=source.pk).update(last_error=str(error))
        raise
    EventSource.objects.filter(pk=source.pk).update(last_imported_at=timezone.now(), last_error="")
    return result


@transaction.atomic
def event_source_add(*, name: str, url: str, kind: str) -> tuple[EventSource, ImportResult]:
    """Subscribe to a URL and import it now (nothing is kept if it cannot be read); beat re-imports it every six
    hours."""
    data = ics_fetch(url)
    events_parse(data)  # refuse a URL that is not a calendar before subscribing to it
    source, _created = EventSource.objects.update_or_create(url=url, defaults={"name": name, "kind": kind})
    result = events_import(data=data, kind=kind, source=source)
    EventSource.objects.filter(pk=source.pk).update(last_imported_at=timezone.now(), last_error="")
    return source, result
