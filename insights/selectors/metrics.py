"""SQL expressions of the figures: a publication's latest counts, its engagements, the followers it was posted to.

They are read from each publication's `LatestMetrics` row (kept up to date when snapshots are recorded), joined to
the publications of a period: a plain aggregate, not a subquery per post. A count the network did not give is NULL
and stays NULL through every expression, as does every figure of a post not yet measured (no row): SUM, AVG and
percentiles skip it, so an absent figure never counts as 0.
"""

import math

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, F, FloatField, Value
from django.db.models.functions import Cast, NullIf


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
