"""The share of each account's network quota that collection may use: the rest stays publishing's.

Networks count calls per account (or per user token) and publishing must never find the budget spent by metrics.
Collection takes one unit per network call (a batch asks for all its calls at once) from a per-account hourly
allowance (`INSIGHTS_CALLS_PER_HOUR`), kept in the shared cache so every insights worker sees the same count; when it
is spent, metrics wait for the next hour.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def _key(account_id: int, now: datetime) -> str:
    return f"insights:calls:{account_id}:{now:%Y%m%d%H}"


def quota_take(*, account_id: int, calls: int = 1, now: datetime | None = None) -> int:
    """Take up to `calls` calls from the account's allowance for this hour; returns how many were granted (0 once it
    is spent). What is not granted is given back, so workers taking at once never grant more than the allowance."""
    now = now or timezone.now()
    key = _key(account_id, now)
    cache.add(key, 0, timeout=2 * 3600)
    over = min(calls, cache.incr(key, calls) - settings.INSIGHTS_CALLS_PER_HOUR)
    if over > 0:
        cache.decr(key, over)
    return calls - max(over, 0)


def quota_resets_at(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
