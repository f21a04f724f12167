"""Figures as the Insights page and the report show them: an absent count is "—" with its reason, never 0."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


# The posts table's counts, in its columns' order (engagements, then the two rates, follow).
COUNTED = ("views", "likes", "reposts", "replies", "quotes", "saves", "link_clicks")


@register.filter
def figure_cells(publication) -> SafeString:
    """A row of the posts table's figures as cells: its counts ("—" where its network gives none), engagements and
    both rates. One call, where the template's own cells took some thirty variable lookups a row (50 rows were a
    third of a year page's rendering)."""
    if publication.latest is None:
        counts = format_html('<td colspan="8" class="muted">{}</td>', _("Not measured yet."))
    else:
        account = publication.account
        network = account.get_imitates_display() or account.get_network_display()
        values = [getattr(publication.latest, name) for name in COUNTED] + [publication.engagements]
        counts = format_html_join("", "<td>{}</td>", ((metric(value, network),) for value in values))
    rates = format_html(
        "<td>{}</td><td>{}</td>", percent(publication.rate_followers, 2), percent(publication.rate_views, 2)
    )
    return mark_safe(counts + rates)


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
