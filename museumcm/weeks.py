"""Local weeks (Monday to Sunday in a zone), as Insights' cadence and the inbox's response times count them, and the
date and instant arrays their statements (and the Insights day rows') pass to PostgreSQL."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import DateField, Func
from django.db.models.functions import TruncWeek


def weeks_of(first: date, last: date) -> list[date]:
    """The Mondays of the weeks from `first` to `last` touch."""
    monday = first - timedelta(days=first.weekday())
    mondays = []
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    return mondays


def week_starts(mondays: list[date], zone: ZoneInfo) -> list[datetime]:
    """The first instant (UTC) of each of the consecutive weeks of `mondays` in `zone`, and the end of the last."""
    days = [*mondays, mondays[-1] + timedelta(days=7)]
    return [datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC) for day in days]


def date_array(days) -> str:
    """Dates as a PostgreSQL array literal (`'{2026-11-02,…}'`, cast to `date[]`): one parameter, not one per date."""
    return "{" + ",".join(day.isoformat() for day in days) + "}"


def instant_array(moments) -> str:
    """Aware datetimes as a PostgreSQL array literal (cast to `timestamptz[]`), as `date_array`."""
    return "{" + ",".join(f'"{moment.isoformat()}"' for moment in moments) + "}"


class WeekOf(Func):
    """The Monday (a date) of the local week of a moment, among consecutive `mondays` in `zone`; NULL outside them.
    On PostgreSQL a binary search of the moment among the weeks' first instants (width_bucket), which Python computes
    with zoneinfo, exact across changes of summer time: no time-zone conversion per row (cadence over a year: 28 ->
    16 ms). Elsewhere Django's TruncWeek in `zone`."""

    output_field = DateField()

    def __init__(self, moment: str, mondays: list[date], zone: ZoneInfo):
        self.mondays, self.zone = mondays, zone
        super().__init__(TruncWeek(moment, tzinfo=zone, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0].lhs)
        instants = instant_array(week_starts(self.mondays, self.zone))
        return f"(%s::date[])[width_bucket({sql}, %s::timestamptz[])]", (date_array(self.mondays), *params, instants)
