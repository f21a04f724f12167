"""Per-address limits on asking: one counter per address and hour in the cache (Redis in production), checked
before anything touches the database, so a flood costs one cache round trip per request and slows nobody else."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 3600


def _key(address: str) -> str:
    hour = int(timezone.now().timestamp()) // WINDOW_SECONDS
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]  # no address stored
    return f"ask:asked:{hour}:{digest}"


def address_allowed(address: str | None) -> bool:
    """Count one more question from `address`; False once it has asked `ASK_RATE_LIMIT` this hour."""
    key = _key(address or "unknown")
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= settings.ASK_RATE_LIMIT
