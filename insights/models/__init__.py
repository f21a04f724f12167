"""Insights' models, one module per sub-domain; import them from here.

Shape shared by every metric column: an integer, or NULL when the network does not provide that figure (Bluesky has
no views, Mastodon no saves). NULL is "absent" and shown as "—"; it never counts as 0 in sums, means or rates.
"""

from insights.models.audience import AudienceBreakdown, CadenceTarget
from insights.models.delivery import ReportDelivery
from insights.models.latest import LatestMetrics
from insights.models.rollups import (
    DayIdeaResults,
    DayResults,
    MonthIdeaResults,
    MonthResults,
    RollupZone,
    StaleMoment,
)
from insights.models.schedule import ScheduledSnapshot, ScheduledSnapshotQuerySet
from insights.models.snapshots import (
    ACCOUNT_METRICS,
    PUBLICATION_METRICS,
    AccountSnapshot,
    Checkpoint,
    PublicationSnapshot,
)

__all__ = [
    "ACCOUNT_METRICS",
    "PUBLICATION_METRICS",
    "AccountSnapshot",
    "AudienceBreakdown",
    "CadenceTarget",
    "Checkpoint",
    "DayIdeaResults",
    "DayResults",
    "LatestMetrics",
    "MonthIdeaResults",
    "MonthResults",
    "PublicationSnapshot",
    "ReportDelivery",
    "RollupZone",
    "ScheduledSnapshot",
    "ScheduledSnapshotQuerySet",
    "StaleMoment",
]
