"""The period pass's groups per institution-local day, so that a year sums a few hundred rows rather than grouping
its 25,000 posts (`insights.selectors.rollups` writes and reads them; PostgreSQL only: SQLite groups the posts).

Each row holds what a group of the period pass carries (`insights.selectors.period.PARTS`: counts and sums, which
add up across days) for the posts of one day and account, and of one campaign (`DayResults`) or one idea's proposer
and kind (`DayIdeaResults`); the same per month, added up from the days (`MonthResults`, `MonthIdeaResults`), which
a period's whole months read instead of their days. The keys are plain ids, not foreign keys: the rows are derived,
rebuilt from the posts whenever these change, and a deleted account or campaign leaves nothing for them to protect.

What tells the rebuild which days changed: triggers on the tables the groups are made of (migration 0011) append
the moments of the publications a write touched to `StaleMoment`; `RollupZone` names the zone the days were cut in.
"""

from django.db import models


class DayParts(models.Model):
    """The sums of a group's posts (see `insights.selectors.period.PARTS`); NULL where none of them has the figure."""

    day = models.DateField(db_index=True)  # local, in `RollupZone.zone`
    account_id = models.BigIntegerField()
    campaign_id = models.BigIntegerField(null=True)
    posts = models.IntegerField()
    measured = models.IntegerField()
    engagements = models.BigIntegerField(null=True)
    views = models.BigIntegerField(null=True)
    rate_followers_sum = models.FloatField(null=True)
    rate_followers_n = models.IntegerField()
    rate_views_sum = models.FloatField(null=True)
    rate_views_n = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day} {self.account_id}"


class IdeaParts(DayParts):
    """The same, of the posts made from an idea of `proposer_id` of `kind` (a post made from two ideas counts in both
    groups, as in the period pass)."""

    proposer_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)

    class Meta:
        abstract = True


class DayResults(DayParts):
    """The posts of a day, account and campaign (none: `campaign_id` NULL)."""


class DayIdeaResults(IdeaParts):
    """The posts of a day, account, campaign, proposer and kind of idea."""


class MonthResults(DayParts):
    """The day rows of a month (`day`: its first) added up: a year sums twelve months' rows, not 365 days'."""


class MonthIdeaResults(IdeaParts):
    """The day rows of ideas of a month added up."""


class StaleMoment(models.Model):
    """A publication moment whose local day's rows no longer match the posts (written by the triggers; consumed by the
    next rebuild). Appended without a unique key: writers never wait on each other for it."""

    moment = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.moment)


class RollupZone(models.Model):
    """The zone the rows' days are in (one row). Absent or another than the institution's: every day is rebuilt."""

    zone = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.zone
