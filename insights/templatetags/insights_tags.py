"""Figures as the Insights page and the report show them: an absent count is "—" with its reason, never 0."""

from django import template
from django.urls import reverse
from django.utils import dateformat, numberformat, timezone
from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from publishing.models.accounts import NETWORK_LABELS

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
URL_ID = 987654321  # stands for a post's id in its URL, reversed once


class Cells:
    """What the posts table's cells need, looked up once per table rather than once per cell: the language's
    separators and date format, each account's names, the "—" of each network. Looking them up for each of a
    page's 600 cells was most of the table's cost."""

    def __init__(self):
        self.separators = [get_format(name) for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")]
        self.moment_format = get_format("DATETIME_FORMAT")
        self.absent: dict[str, str] = {}  # a network's name: its "—" explained
        self.accounts: dict[int, tuple[str, str]] = {}  # an account's id: its name, and its network's
        self.not_available = percent(None)
        # A post's URL around its id, reversed once: reversing it for each of a page's posts was a fifth of its rows
        self.post_url = reverse("post_detail", args=[URL_ID]).split(str(URL_ID))

    @classmethod
    def of(cls, context) -> "Cells":
        """The one of the template being rendered: its lists and tables share what they look up."""
        if cls not in context.render_context:
            context.render_context[cls] = cls()
        return context.render_context[cls]

    def account(self, account) -> tuple[str, str]:
        if account.pk not in self.accounts:
            # the labels from a dict: get_FOO_display() rebuilds the field's choices at each call (0.5 ms a page)
            imitated = NETWORK_LABELS.get(account.imitates, account.imitates)
            network = str(imitated or NETWORK_LABELS.get(account.network, account.network))
            self.accounts[account.pk] = (str(account), network)
        return self.accounts[account.pk]

    def count(self, value, network: str) -> str:
        """As `metric`: the count grouped, or "—" explained."""
        if value is None:
            if network not in self.absent:
                self.absent[network] = metric(None, network)
            return self.absent[network]
        decimal, grouping, thousands = self.separators
        if grouping == 3 and type(value) is int:  # what numberformat makes of it, without its loop over the digits
            return f"{value:,}".replace(",", thousands)
        return numberformat.format(value, decimal, None, grouping, thousands, force_grouping=True)

    def percent(self, value, digits: int) -> str:
        """As `percent`."""
        if value is None:
            return self.not_available
        decimal, grouping, thousands = self.separators
        return f"{numberformat.format(100 * value, decimal, digits, grouping, thousands)} %"


@register.simple_tag(takes_context=True)
def post_rows(context, posts) -> SafeString:
    """The posts table's rows: each post, its counts ("—" where its network gives none), engagements and both rates.
    Built here, not by the template's loop: 50 rows of eleven cells were half of a year page's rendering."""
    cells, rows = Cells.of(context), []
    for publication in posts:
        figures = _figure_cells(publication, cells)
        rows.append(f"<tr>\n      <td>{_post(publication, cells)}</td>\n      {figures}\n    </tr>\n")
    return mark_safe("".join(rows))


def _figure_cells(publication, cells: Cells) -> str:
    rates = "".join(
        f"<td>{cells.percent(rate, 2)}</td>" for rate in (publication.rate_followers, publication.rate_views)
    )
    if publication.latest is None:
        return format_html('<td colspan="8" class="muted">{}</td>', _("Not measured yet.")) + rates
    network = cells.account(publication.account)[1]
    values = [getattr(publication.latest, name) for name in COUNTED] + [publication.engagements]
    return "".join([f"<td>{cells.count(value, network)}</td>" for value in values]) + rates


@register.simple_tag(takes_context=True)
def post_cell(context, publication) -> SafeString:
    """A post as the tables and lists name it: its title (a link to it), account, moment and link on the network."""
    return _post(publication, Cells.of(context))


def _post(publication, cells: Cells) -> SafeString:
    on_network = ""
    if publication.external_url:
        on_network = format_html(
            '\n<a class="muted" href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            publication.external_url,
            _("on the network"),
        )
    url = str(publication.post_id).join(cells.post_url)
    title, name = escape(publication.post.title), escape(cells.account(publication.account)[0])
    moment = escape(dateformat.format(timezone.localtime(publication.published_at), cells.moment_format))
    return mark_safe(f'<a href="{url}">{title}</a>\n<span class="muted">{name} · {moment}</span>{on_network}\n')


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
