"""Each publication's latest figures on one row, so that Insights' figures are plain aggregates over a join.

Computing them on the fly asked, for every post of a period, for its latest snapshot and for the followers of the day
it was posted (two correlated subqueries per post and per figure: 4 s for a year of 25,000 posts). The row is written
whenever snapshots are (`refresh`, by the recording service, the demo and the data migration) and its followers when
an account's count of a day arrives (`refresh_followers`). NULL stays "not given", as in the snapshots.

The publication's moment and network are copied onto the row (neither changes once a post is published), so that the
figures of measured posts only (best moments, top posts) read the period's rows alone, by `published_at`, without
joining a year of publications and accounts.

So is its hour of the week in the institution's zone, with that zone (`hours_zone`): best moments read the medians
per network and hour from an index in that order, rather than converting, sorting and grouping a year of moments (a
year: 18 -> 6 ms of PostgreSQL CPU). A row written under another zone (the setting changed) is rewritten by
`localize`, which best moments run when their read finds such rows: none in steady state.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connections, models, router
from django.db.models import F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, ExtractHour, ExtractIsoWeekDay, NullIf, TruncDate
from django.utils.translation import gettext_lazy as _

from insights.models.rows import insert_rows
from insights.models.snapshots import PUBLICATION_METRICS, PostCounts, count_field, engagements_from
from publishing.models import Publication, SocialAccount

# The engagement rate (÷ followers) as `selectors.metrics.ratio` computes it: the rankings' index is on this expression
RATE_FOLLOWERS = Cast(F("engagements"), FloatField()) / NullIf(Cast(F("followers_then"), FloatField()), Value(0.0))
REFRESH_CHUNK = 2000  # publications per refresh query: the `IN (…)` lists stay short


class LatestMetrics(PostCounts):
    """A publication's counts as last measured (those of its latest snapshot, taken at `taken_at`), their
    engagements, and the account's followers on the day it was posted (`posted_day`, a UTC day as account snapshots
    are; or the last day before it with a count): what the engagement rate divides by."""

    publication = models.OneToOneField(
        Publication, primary_key=True, on_delete=models.CASCADE, related_name="latest_metrics"
    )
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=20)  # the account's (a copy: no choices to keep in step)
    published_at = models.DateTimeField()  # the publication's
    posted_day = models.DateField()
    taken_at = models.DateTimeField()
    engagements = count_field(_("engagements"))  # stored: the figures sum, sort and take medians of it
    followers_then = count_field(_("followers when posted"))
    hour_of_week = models.PositiveSmallIntegerField()  # 0 (Monday 00:00) to 167, local time in `hours_zone`
    hours_zone = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("latest metrics")
        verbose_name_plural = _("latest metrics")
        indexes = [
            models.Index(fields=["account", "posted_day"], name="latest_metrics_posted_idx"),
            models.Index(fields=["published_at"], name="latest_metrics_period_idx"),
            # Best moments read in its order: per hour of the day (the report's) or per network and hour of the week
            models.Index(
                "hours_zone",
                F("hour_of_week") % 24,
                "network",
                "hour_of_week",
                "engagements",
                "published_at",
                name="latest_metrics_hour_idx",
            ),
            # The rankings of measured posts read in their order (backwards for the best), the ties sorted after
            models.Index("engagements", "published_at", "publication", name="latest_metrics_engagements_idx"),
            models.Index(RATE_FOLLOWERS, "published_at", "publication", name="latest_metrics_rate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} at {self.taken_at}"


def institution_zone() -> ZoneInfo:
    """Periods are the institution's days (settings.TIME_ZONE), whoever reads them: a report is the same for all."""
    return ZoneInfo(settings.TIME_ZONE)


def hour_of_week(moment: str, zone: ZoneInfo):
    """The hour of the week of the moment `moment` (a field) in `zone`, 0 (Monday 00:00) to 167."""
    return (ExtractIsoWeekDay(moment, tzinfo=zone) - 1) * 24 + ExtractHour(moment, tzinfo=zone)


def localize(*, apps=global_apps) -> int:
    """Give the rows written under another zone than the institution's their hour in it. One UPDATE; a range either
    side of the zone rather than `<>`, so that the index finds the few (none in steady state) without a scan."""
    zone = institution_zone()
    rows = apps.get_model("insights", "LatestMetrics").objects
    stale = rows.filter(Q(hours_zone__lt=zone.key) | Q(hours_zone__gt=zone.key))
    return stale.update(hour_of_week=hour_of_week("published_at", zone), hours_zone=zone.key)


def followers_on(account, day, *, apps=global_apps):
    """The followers of `account` on `day` or the last day before it that has a count (expressions or values)."""
    snapshots = apps.get_model("insights", "AccountSnapshot").objects
    counts = snapshots.filter(account=account, day__lte=day, followers__isnull=False).order_by("-day")
    return Subquery(counts.values("followers")[:1])


def refresh(publication_ids, *, apps=global_apps) -> None:
    """Rewrite the rows of these publications from their snapshots: per chunk, one read of the publications with their
    followers, one of the snapshots, one upsert. `apps`: the data migration passes its historical models."""
    ids = list(publication_ids)
    for start in range(0, len(ids), REFRESH_CHUNK):
        _refresh(ids[start : start + REFRESH_CHUNK], apps)


def refresh_measured(*, apps=global_apps, **where) -> None:
    """Rewrite the rows of every publication that has snapshots (`where`: filters on the snapshots), for histories
    written in bulk: the data migration, the demo, the benchmark."""
    snapshots = apps.get_model("insights", "PublicationSnapshot").objects.filter(**where)
    refresh(snapshots.order_by("publication_id").values_list("publication_id", flat=True).distinct(), apps=apps)


def record(counts: dict[int, dict], taken_at: datetime) -> None:
    """Collection has just written snapshots of these publications (id → counts by name), taken at `taken_at`, so
    each is its publication's latest: their rows are upserted from them without reading the snapshots back. (On
    PostgreSQL the recording statement does the same, `insights.recording_postgres`; this is the embedded SQLite's.)"""
    _write({pk: {"taken_at": taken_at, **figures} for pk, figures in counts.items()}, global_apps)


def _refresh(ids: list[int], apps) -> None:
    snapshots = apps.get_model("insights", "PublicationSnapshot").objects.filter(publication__in=ids)
    last = {}
    for row in snapshots.order_by("taken_at", "pk").values("publication_id", "taken_at", *PUBLICATION_METRICS):
        last[row.pop("publication_id")] = row
    _write(last, apps)


def _write(last: dict[int, dict], apps) -> None:
    """Upsert the rows of the publications of `last` (publication id → its latest snapshot's `taken_at` and counts),
    with their account's followers on the day each was posted and their hour of the week in the institution's zone."""
    Latest, zone = apps.get_model("insights", "LatestMetrics"), institution_zone()
    publications = (
        apps.get_model("publishing", "Publication")
        .objects.filter(pk__in=list(last), published_at__isnull=False)
        .annotate(day=TruncDate("published_at", tzinfo=UTC), hour=hour_of_week("published_at", zone))
        .annotate(followers=followers_on(OuterRef("account_id"), OuterRef("day"), apps=apps))
        .values_list("pk", "account_id", "account__network", "published_at", "day", "hour", "followers")
    )
    ops = connections[router.db_for_write(Latest)].ops
    rows = [
        (
            pk,
            account_id,
            network,
            ops.adapt_datetimefield_value(published_at),
            ops.adapt_datefield_value(day),
            ops.adapt_datetimefield_value(last[pk]["taken_at"]),
            *(last[pk][name] for name in PUBLICATION_METRICS),
            engagements_from(last[pk]),
            followers,
            hour,
            zone.key,
        )
        for pk, account_id, network, published_at, day, hour, followers in publications
    ]
    fields = [
        "account",
        "network",
        "published_at",
        "posted_day",
        "taken_at",
        *PUBLICATION_METRICS,
        "engagements",
        "followers_then",
        "hour_of_week",
        "hours_zone",
    ]
    insert_rows(Latest, ["publication", *fields], rows, unique=["publication"], update=fields)


def refresh_followers(account_id: int, day: date) -> int:
    """The account's count of `day` arrived: the posts of that day and after take the count now closest before
    them. One UPDATE, over the few posts since that day."""
    rows = LatestMetrics.objects.filter(account_id=account_id, posted_day__gte=day)
    return rows.update(followers_then=followers_on(account_id, OuterRef("posted_day")))
