"""Figures as the Insights page and the report show them: an absent count is "—" with its reason, never 0."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def metric(value, network: str = ""):
    """A count, or "—" explained: the network (named when the figure is one network's) does not give it."""
    if value is None:
        reason = (
            _("Not provided by %(network)s") % {"network": network} if network else _("Not provided by this network")
        )
        return format_html('<span class="absent" title="{}">—</span>', reason)
    return number_format(value, force_grouping=True)


@register.filter
def percent(value, digits: int = 1):
    """A rate (0.0325) as a percentage (3.3 %); absent stays "—"."""
    if value is None:
        return format_html('<span class="absent" title="{}">—</span>', _("Not available"))
    return f"{number_format(100 * value, digits)} %"


@register.filter
def signed(value, kind: str = "count"):
    """A change against the previous period, with its sign: +120, minus 0.4 pt."""
    if value is None:
        return "—"
    if kind == "percent":
        shown = number_format(abs(100 * value), 1) + " " + _("pt")
    elif kind == "seconds":
        from insights.presenters import duration

        shown = duration(abs(value))
    else:
        shown = number_format(abs(value), force_grouping=True)
    return ("+" if value > 0 else "\N{MINUS SIGN}" if value < 0 else "±") + shown


@register.filter
def headline(value, kind: str = "count"):
    if value is None:
        return "—"
    if kind == "percent":
        return percent(value, 2)
    if kind == "seconds":
        from insights.presenters import duration

        return duration(value)
    return number_format(value, force_grouping=True)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
