"""Turning a wall-clock time typed by a person into an instant, honestly; and the years the calendar covers.

A local time can fail to exist (the spring-forward gap: 02:30 on 2027-03-28 in Paris) or exist twice (the autumn
fall-back: 02:30 on 2026-10-25). The first is refused; the second is resolved by an explicit choice of occurrence.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# The years the calendar shows, takes and imports: wide for any museum's plans and archives, and narrow enough that
# every date computed from one (a week's bounds in a time zone, the month after, an event's last day) exists.
CALENDAR_YEARS = range(2000, 2101)


def in_calendar(day: date) -> bool:
    return day.year in CALENDAR_YEARS


@dataclass(frozen=True)
class LocalInstant:
    at: datetime  # aware, in the local zone
    ambiguous: bool  # the wall-clock time occurs twice that day

    @property
    def utc(self) -> datetime:
        return self.at.astimezone(UTC)


def is_gap(naive: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive


def is_ambiguous(naive: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    return not is_gap(naive, zone) and first.utcoffset() != second.utcoffset()


def local_instant(day: date, at: time, zone: zoneinfo.ZoneInfo, *, fold: int = 0) -> LocalInstant:
    """The instant meant by `day` `at` in `zone`; fold 0 is the first occurrence of an ambiguous time.

    Raises ValidationError for a time that does not exist in `zone` that day.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    if is_gap(naive, zone):
        raise ValidationError(
            _("%(time)s does not exist on %(day)s in %(zone)s: the clocks go forward. Choose another time.")
            % {"time": at.strftime("%H:%M"), "day": date_format(day, "DATE_FORMAT"), "zone": zone.key},
            code="dst_gap",
        )
    return LocalInstant(at=naive.replace(tzinfo=zone, fold=fold), ambiguous=is_ambiguous(naive, zone))


def with_offset(value: datetime) -> str:
    """`02:30 (UTC+02:00)`: the offset makes an ambiguous time unambiguous to a reader."""
    offset = value.strftime("%z")
    return f"{value:%H:%M} (UTC{offset[:3]}:{offset[3:]})"
