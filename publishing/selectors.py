"""Reads that several pages share: the accounts overview, what needs attention, quotas, the active pause."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.adapters import get_adapter
from publishing.adapters.base import AdapterError
from publishing.models import Heartbeat, Network, Publication, PublishAttempt, PublishingPause, SocialAccount

State = Publication.State

# Posting limits per rolling day that the networks document (Threads: 250 posts; Instagram's content publishing
# limit, 50 in the current docs). X bills per post instead: its remaining allowance is read from the adapter.
DAILY_POST_LIMITS = {Network.THREADS: 250, Network.INSTAGRAM: 50}

# Beat records a heartbeat every 30 s through a worker; past this, the team is told publishing looks stopped.
HEARTBEAT_STALE_AFTER = 120


def active_pause() -> PublishingPause | None:
    return PublishingPause.objects.active().select_related("started_by").first()


def accounts_overview():
    """Every account with how many publications wait on it (held, or due on a disabled account), and since when
    the inbox's recheck has looked at all its recent messages (its lag; the inbox's cursor, named by relation)."""
    waiting = Q(publications__state=State.DUE)
    held = Q(publications__state=State.DUE, publications__held=True)
    return SocialAccount.objects.annotate(
        waiting=Count("publications", filter=waiting),
        held=Count("publications", filter=held),
        recheck_oldest=Max("sync_cursor__recheck_oldest"),
    )


def accounts_by_handle(network: str, handles: list[str]) -> dict[str, SocialAccount]:
    """The accounts already made for these handles on the network (to show which are connected)."""
    return {account.handle: account for account in SocialAccount.objects.filter(network=network, handle__in=handles)}


def sandbox_menu() -> list[dict[str, Any]]:
    """The sandbox's ready-made demo accounts, one per real network, each with the sandbox accounts that already
    imitate that network (the demo seeds some)."""
    imitating: dict[str, list[SocialAccount]] = {}
    for account in SocialAccount.objects.filter(network=Network.SANDBOX).exclude(imitates=""):
        imitating.setdefault(account.imitates, []).append(account)
    return [
        {
            "network": network.value,
            "label": network.label,
            "handle": f"demo-{network.value}",
            "display_name": _("%(network)s demo") % {"network": network.label},
            "accounts": imitating.get(network.value, []),
        }
        for network in Network.imitable()
    ]


def publications_of_post(post_id: int):
    """A post's publications with their account and attempts, for the status partial (a fixed number of queries)."""
    attempts = PublishAttempt.objects.order_by("number")
    return (
        Publication.objects.filter(post_id=post_id)
        .select_related("account")
        .prefetch_related(Prefetch("attempts", queryset=attempts))
        .order_by("account__network", "account__handle")
    )


@dataclass(frozen=True)
class Attention:
    failed: list[Publication]
    to_reconnect: list[SocialAccount]
    heartbeat_age: float | None

    @property
    def worker_silent(self) -> bool:
        return self.heartbeat_age is None or self.heartbeat_age > HEARTBEAT_STALE_AFTER

    @property
    def empty(self) -> bool:
        return not self.failed and not self.to_reconnect and not self.worker_silent


def attention(limit: int = 20) -> Attention:
    """What the dashboard lists: failed or unconfirmed publications, accounts to reconnect, a silent worker."""
    failed = Publication.objects.needing_attention().select_related("account", "post").order_by("-updated_at")
    to_reconnect = SocialAccount.objects.filter(status=SocialAccount.Status.NEEDS_RECONNECT).annotate(
        held=Count("publications", filter=Q(publications__state=State.DUE, publications__held=True))
    )
    return Attention(list(failed[:limit]), list(to_reconnect), Heartbeat.age())


def account_quota(account: SocialAccount) -> dict[str, Any] | None:
    """What the network says about the account's posting allowance, when its adapter can tell.

    Adapters expose it as `quota()` returning a mapping with `used` and `limit` (and optionally `period`).
    """
    adapter = get_adapter(account)
    quota = getattr(adapter, "quota", None)
    if quota is None:
        return None
    try:
        value = quota()
    except AdapterError as error:
        return {"error": error.reason}
    if value is None:
        return None
    return dict(value) if isinstance(value, dict) else dict(vars(value))


@dataclass(frozen=True)
class QuotaWarning:
    account: SocialAccount
    day: date
    planned: int
    limit: int


def quota_warnings(accounts, day: date) -> list[QuotaWarning]:
    """For the calendar: accounts whose planned posts on `day` (in the current time zone) exceed a daily limit."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = start + timedelta(days=1)
    limited = [a for a in accounts if a.network in DAILY_POST_LIMITS]
    if not limited:
        return []
    planned = dict(
        Publication.objects.filter(account__in=limited, scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(state__in=[State.CANCELLED, State.FAILED])
        .values_list("account")
        .annotate(n=Count("pk"))
        .values_list("account", "n")
    )
    warnings = []
    for account in limited:
        limit = DAILY_POST_LIMITS[account.network]
        if planned.get(account.pk, 0) > limit:
            warnings.append(QuotaWarning(account, day, planned[account.pk], limit))
    return warnings
