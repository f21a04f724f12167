"""SQL expressions of the figures: a publication's latest counts, its engagements, the followers it was posted to.

They are read from each publication's `LatestMetrics` row (kept up to date when snapshots are recorded), joined to
the publications of a period: a plain aggregate, not a subquery per post. A count the network did not give is NULL
and stays NULL through every expression, as does every figure of a post not yet measured (no row): SUM, AVG and
percentiles skip it, so an absent figure never counts as 0.
"""

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, DateField, F, FloatField, Func, IntegerField, Value
from django.db.models.functions import Cast, ExtractHour, ExtractIsoWeekDay, NullIf, TruncWeek


def latest(metric: str):
    """A publication's figure as last measured, for a queryset of publications."""
    return F(f"latest_metrics__{metric}")


def ratio(numerator: str, denominator: str):
    """numerator ÷ denominator as a float; NULL when either is absent or the denominator is 0."""
    return Cast(F(numerator), FloatField()) / NullIf(Cast(F(denominator), FloatField()), Value(0.0))


def measured(publications):
    """Publications annotated with their latest engagements and views, the followers they were posted to, and their
    engagement rates (÷ followers, ÷ views)."""
    return publications.annotate(
        engagements=latest("engagements"), views=latest("views"), followers_then=latest("followers_then")
    ).annotate(rate_followers=ratio("engagements", "followers_then"), rate_views=ratio("engagements", "views"))


def offset_changes(zone: ZoneInfo, start: datetime, end: datetime) -> tuple[list[datetime], list[int]]:
    """The instants between `start` and `end` where `zone`'s offset from UTC changes, and the offsets in seconds:
    `offsets[0]` before the first change, `offsets[i + 1]` from change i on. Found day by day, then to the second."""
    changes, offsets = [], [_offset(zone, int(start.timestamp()))]
    day, last = int(start.timestamp()), int(end.timestamp())
    while day < last:
        following = min(day + 86400, last)
        if _offset(zone, following) != offsets[-1]:
            low, high = day, following  # the offset of `low` is the old one, of `high` the new one
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(zone, middle) == offsets[-1] else (low, middle)
            changes.append(datetime.fromtimestamp(high, UTC))
            offsets.append(_offset(zone, high))
        day = following
    return changes, offsets


def _offset(zone: ZoneInfo, epoch: int) -> int:
    return int(datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset().total_seconds())


class LocalHours(Func):
    """Hours of the day or of the week of a moment in `zone`, for moments between the `bounds` (UTC instants). On
    PostgreSQL from the moment's epoch plus the zone's offset, which changes only at the instants Python finds
    (width_bucket over them): no time-zone conversion per row (best moments over a year: a fifth of the query);
    elsewhere Django's SQL (`local`)."""

    output_field = IntegerField()
    hours_of = ""  # PostgreSQL: what to make of {hours}, the local hours since the epoch

    def __init__(self, moment: str, zone: ZoneInfo, bounds: tuple[datetime, datetime], local):
        self.zone, self.bounds = zone, bounds
        super().__init__(local, F(moment))

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[1])
        changes, offsets = offset_changes(self.zone, *self.bounds)
        offset, offset_params = "%s", (offsets[0],)
        if changes:
            offset = f"(%s::integer[])[width_bucket({sql}, %s::timestamptz[]) + 1]"
            instants = "{" + ",".join(f'"{change.isoformat()}"' for change in changes) + "}"
            offset_params = ("{" + ",".join(map(str, offsets)) + "}", *params, instants)
        hours = f"CAST(floor((date_part('epoch', {sql}) + {offset}) / 3600) AS integer)"
        return self.hours_of.format(hours=hours), (*params, *offset_params)


class LocalHour(LocalHours):
    """The hour of the day of a moment in `zone`, 0 to 23."""

    hours_of = "mod({hours}, 24)"

    def __init__(self, moment: str, zone: ZoneInfo, bounds: tuple[datetime, datetime]):
        super().__init__(moment, zone, bounds, ExtractHour(moment, tzinfo=zone))


class HourOfWeek(LocalHours):
    """The hour of the week of a moment in `zone`, 0 (Monday 00:00) to 167: one number to group by (the weekday and
    the hour apart were two keys to sort on); elsewhere (ISO weekday - 1) x 24 + hour in Django's SQL."""

    hours_of = "mod({hours} + 72, 168)"  # 1970-01-01, hour 0 of the epoch, was a Thursday: hour 72 of its week

    def __init__(self, moment: str, zone: ZoneInfo, bounds: tuple[datetime, datetime]):
        local = (ExtractIsoWeekDay(moment, tzinfo=zone) - 1) * 24 + ExtractHour(moment, tzinfo=zone)
        super().__init__(moment, zone, bounds, local)


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
        days = [*self.mondays, self.mondays[-1] + timedelta(days=7)]
        starts = [datetime.combine(day, datetime.min.time(), tzinfo=self.zone).astimezone(UTC) for day in days]
        mondays = "{" + ",".join(day.isoformat() for day in self.mondays) + "}"
        instants = "{" + ",".join(f'"{start.isoformat()}"' for start in starts) + "}"
        return f"(%s::date[])[width_bucket({sql}, %s::timestamptz[])]", (mondays, *params, instants)


class Percentile(Aggregate):
    """The continuous percentile (PostgreSQL's percentile_cont; the same interpolation on SQLite, registered below)."""

    function = "percentile_cont"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), output_field=FloatField(), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="percentile(%(expressions)s, %(fraction)s)", **extra)


class _SqlitePercentile:
    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        if not self.values:
            return None
        ordered = sorted(self.values)
        position = (len(ordered) - 1) * self.fraction
        low, high = math.floor(position), math.ceil(position)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _register_sqlite_percentile(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("percentile", 2, _SqlitePercentile)


connection_created.connect(_register_sqlite_percentile, dispatch_uid="insights-sqlite-percentile")
