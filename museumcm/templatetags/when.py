"""Elapsed time in words, without "il y a 0 minute": under a minute is "just now" / "less than a minute"."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

register = template.Library()

A_MINUTE = timedelta(minutes=1)


@register.filter
def ago(value: datetime | None) -> str:
    """`il y a 3 minutes` / `3 minutes ago`; `à l'instant` / `just now` under a minute."""
    if not value:
        return ""
    if timezone.now() - value < A_MINUTE:
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(value)}


@register.filter
def elapsed(value: datetime | None) -> str:
    """`3 minutes`, or `less than a minute` where timesince would say `0 minutes`."""
    if not value:
        return ""
    if timezone.now() - value < A_MINUTE:
        return gettext("less than a minute")
    return timesince(value)
