"""Who follows each account, as its network last said by the end of the period: the largest groups of each dimension
(age, gender, country, city) with their share, and what the network gives and withholds (its threshold)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from insights.models import AudienceBreakdown
from insights.selectors.accounts import period_accounts
from insights.selectors.filters import InsightFilters
from publishing.adapters import adapter_class
from publishing.models import SocialAccount

Dimension = AudienceBreakdown.Dimension


@dataclass
class Group:
    bucket: str
    followers: int
    share: float  # of the followers the network counted in this dimension


@dataclass
class Audience:
    account: SocialAccount
    day: date | None = None
    dimensions: list[tuple[str, list[Group]]] = field(default_factory=list)  # (dimension's label, largest groups)

    @property
    def note(self) -> str:
        """What the network gives of an audience and its threshold; for a network that gives none, that it does not."""
        network = adapter_class(self.account.network)
        return str(network.audience_note) or _("%(network)s gives nothing on who follows an account.") % {
            "network": self.account.get_network_display()
        }


def audience(
    filters: InsightFilters, accounts: list[SocialAccount] | None = None, *, largest: int = 5
) -> list[Audience]:
    """Each account's latest audience on or before the period's last day: one query besides `accounts` (the filters'
    accounts in their order, network and handle: `accounts.period_accounts`, read if not given), whatever the
    history."""
    accounts = period_accounts(filters) if accounts is None else accounts
    latest_day = AudienceBreakdown.objects.filter(account=OuterRef("account_id"), day__lte=filters.period.last)
    rows = AudienceBreakdown.objects.filter(
        account__in=accounts, day=Subquery(latest_day.order_by("-day").values("day")[:1])
    ).order_by("account_id", "dimension", "-value", "bucket")
    found: dict[int, dict[str, list[AudienceBreakdown]]] = {}
    for row in rows:
        found.setdefault(row.account_id, {}).setdefault(row.dimension, []).append(row)
    shown = []
    for account in accounts:
        given = found.get(account.pk, {})
        entry = Audience(account)
        for dimension in Dimension:
            if groups := given.get(dimension.value):
                total = sum(g.value for g in groups)
                top = [Group(g.bucket, g.value, g.value / total if total else 0.0) for g in groups[:largest]]
                entry.dimensions.append((str(dimension.label), top))
                entry.day = groups[0].day
        shown.append(entry)
    return shown
