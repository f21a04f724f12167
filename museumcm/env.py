"""Typed readers of the environment that fail loudly on junk.

Every variable may also be given as `<NAME>_FILE`, the path of a file holding the value (Docker secrets).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_hours(start: str, end: str, default: tuple[int, int]) -> tuple[int, int]:
    """A span of whole hours of the day from two variables, `0 <= start < end <= 24`."""
    hours = env_int(start, default[0]), env_int(end, default[1])
    if not 0 <= hours[0] < hours[1] <= 24:
        raise ImproperlyConfigured(f"{start} and {end} must be whole hours with 0 <= {start} < {end} <= 24.")
    return hours


def env_float(name: str, default: float) -> float:
    raw = env_str(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    raw = env_str(name, default) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]
