"""SQL expressions of the figures: a publication's latest counts, its engagements, the followers it was posted to.

A count the network did not give is NULL and stays NULL through every expression: SUM, AVG and percentiles skip it,
so an absent figure never counts as 0.
"""

import math
from datetime import UTC

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, Case, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate

from insights.models import AccountSnapshot, PublicationSnapshot

# What counts as an engagement: someone acted on the post (PublicationSnapshot.engagements, in SQL).
ENGAGEMENT_METRICS = ("likes", "reposts", "replies", "quotes", "saves")


def engagements_of(prefix: str = ""):
    """likes + reposts + replies + quotes + saves over those given; NULL when the network gave none of them."""
    given = [f"{prefix}{name}" for name in ENGAGEMENT_METRICS]
    none_given = Q(**{f"{given[0]}__isnull": True})
    for name in given[1:]:
        none_given &= Q(**{f"{name}__isnull": True})
    total = sum((Coalesce(F(name), Value(0)) for name in given[1:]), Coalesce(F(given[0]), Value(0)))
    return Case(When(none_given, then=Value(None)), default=total)


def latest(expression):
    """A publication's figure as last measured (its latest snapshot), for a queryset of publications."""
    snapshots = PublicationSnapshot.objects.filter(publication=OuterRef("pk")).order_by("-taken_at", "-pk")
    return Subquery(snapshots.annotate(figure=expression).values("figure")[:1])


def followers_when_posted():
    """The account's followers on the day of the publication (UTC days, as account snapshots are taken), or the last
    day before it that has a count."""
    counts = AccountSnapshot.objects.filter(
        account=OuterRef("account_id"), day__lte=OuterRef("posted_day"), followers__isnull=False
    ).order_by("-day")
    return Subquery(counts.values("followers")[:1])


def ratio(numerator: str, denominator: str):
    """numerator ÷ denominator as a float; NULL when either is absent or the denominator is 0."""
    return Cast(F(numerator), FloatField()) / NullIf(Cast(F(denominator), FloatField()), Value(0.0))


def measured(publications):
    """Publications annotated with their latest engagements and views, the followers they were posted to, and their
    engagement rates (÷ followers, ÷ views)."""
    return (
        publications.annotate(posted_day=TruncDate("published_at", tzinfo=UTC))
        .annotate(
            engagements=latest(engagements_of()),
            views=latest(F("views")),
            followers_then=followers_when_posted(),
        )
        .annotate(rate_followers=ratio("engagements", "followers_then"), rate_views=ratio("engagements", "views"))
    )


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
