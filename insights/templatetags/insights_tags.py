"""Figures as the Insights page and the report show them: an absent count is "—" with its reason, never 0."""

from django import template
from django.urls import reverse
from django.utils import numberformat, timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.html import format_html
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


class Numbers:
    """`number_format` for the active language, its separators looked up once rather than for each figure: the
    posts table is some 500 of them, and the lookups were most of its cost."""

    def __init__(self):
        self.separators = [get_format(name) for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")]
        self.not_available = percent(None)
        self.absent: dict[str, str] = {}

    def count(self, value, network: str) -> str:
        """As `metric`: the count grouped, or "—" explained."""
        if value is None:
            if network not in self.absent:
                self.absent[network] = metric(None, network)
            return self.absent[network]
        decimal, grouping, thousands = self.separators
        return numberformat.format(value, decimal, None, grouping, thousands, force_grouping=True)

    def percent(self, value, digits: int) -> str:
        """As `percent`."""
        if value is None:
            return self.not_available
        decimal, grouping, thousands = self.separators
        return f"{numberformat.format(100 * value, decimal, digits, grouping, thousands)} %"


@register.simple_tag
def post_rows(posts) -> SafeString:
    """The posts table's rows: each post, its counts ("—" where its network gives none), engagements and both rates.
    Built here, not by the template's loop: 50 rows of eleven cells were half of a year page's rendering."""
    numbers, rows = Numbers(), []
    for publication in posts:
        cells = _figure_cells(publication, numbers)
        rows.append(f"<tr>\n      <td>{post_cell(publication)}</td>\n      {cells}\n    </tr>\n")
    return mark_safe("".join(rows))


def _figure_cells(publication, numbers: Numbers) -> str:
    rates = "".join(
        f"<td>{numbers.percent(rate, 2)}</td>" for rate in (publication.rate_followers, publication.rate_views)
    )
    if publication.latest is None:
        return format_html('<td colspan="8" class="muted">{}</td>', _("Not measured yet.")) + rates
    account = publication.account
    network = account.get_imitates_display() or account.get_network_display()
    values = [getattr(publication.latest, name) for name in COUNTED] + [publication.engagements]
    return "".join([f"<td>{numbers.count(value, network)}</td>" for value in values]) + rates


@register.simple_tag
def post_cell(publication) -> SafeString:
    """A post as the tables and lists name it: its title (a link to it), account, moment and link on the network."""
    on_network = ""
    if publication.external_url:
        on_network = format_html(
            '\n<a class="muted" href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            publication.external_url,
            _("on the network"),
        )
    moment = date_format(timezone.localtime(publication.published_at), "DATETIME_FORMAT")
    return format_html(
        '<a href="{}">{}</a>\n<span class="muted">{} · {}</span>{}\n',
        reverse("post_detail", args=[publication.post_id]),
        publication.post.title,
        publication.account,
        moment,
        on_network,
    )


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
