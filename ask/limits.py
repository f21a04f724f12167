"""Per-address limits on asking: one counter per address in the cache (Redis in production), checked before anything
touches the database, so a flood costs one cache round trip per request and slows nobody else.

The hour is counted from the address's first question, not by the clock: a counter keyed by the clock's hour started
again at each o'clock, so a flood running across it got a second allowance at once (twice the limit in a second)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def _key(address: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]  # no address stored
    return f"ask:asked:{digest}"


def address_allowed(address: str | None) -> bool:
    """Count one more question from `address`; False once it has asked `ASK_RATE_LIMIT` within the hour since its
    first. Only the first question sets the expiry (`add`; `incr` keeps it), so asking again does not extend it."""
    key = _key(address or "unknown")
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= settings.ASK_RATE_LIMIT
