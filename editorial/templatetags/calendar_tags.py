"""A post on the calendar: the month and week views' chips and the list view's rows.

Written as f-strings, every value through `escape`, rather than an {% include %} per post (or format_html, five
times slower): a busy month shows hundreds of posts, and their markup was most of the month view's time. The markup
is the one of the partials `editorial/calendar/_chip.html` and `_row.html` (a test renders both and compares them):
change them together.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from editorial.selectors import Entry, Target
from publishing.templatetags.networks import icon_html, network_icon_urls

register = template.Library()


@register.simple_tag
def calendar_chips(entries: list[Entry], *, can_move: bool) -> SafeString:
    """The chips of a day (or an hour); a post whose time has passed cannot move."""
    now, move_label, icons = timezone.now(), _("Move"), network_icon_urls()
    return mark_safe(  # each value escaped in chip()
        "".join(
            chip(entry, can_move=can_move and entry.scheduled_at > now, move_label=move_label, icons=icons)
            for entry in entries
        )
    )


@register.simple_tag
def calendar_rows(entries: list[Entry]) -> SafeString:
    """The list view's table rows of a day."""
    labels = {"time": _("Time"), "post": _("Post"), "networks": _("Networks"), "status": _("Status")}
    labels |= {"author": _("Author"), "campaign": _("Campaign")}
    icons = network_icon_urls()
    return mark_safe("".join(row(entry, labels=labels, icons=icons) for entry in entries))  # each value escaped


def chip(entry: Entry, *, can_move: bool, move_label: str, icons: dict[str, str]) -> str:
    url, title, move_url = escape(entry.detail_url), escape(entry.title), escape(entry.move_url)
    drag = move = ""
    if can_move:
        drag = f' draggable="true" data-move-url="{move_url}" data-time="{entry.time_label}"'
        hidden = f'<span class="visually-hidden"> {title}</span>'
        move = f'<a class="chip-move" href="{move_url}">{escape(move_label)}{hidden}</a>'
    return (
        f'<div class="chip chip-{escape(entry.state[0])}"{drag} data-post="{entry.pk}">'
        f'<a class="chip-link" href="{url}" hx-get="{url}" hx-target="#side-panel" hx-swap="innerHTML">'
        f'{thumbnail(entry.thumbnail_url)}<span class="chip-text"><time datetime="{entry.scheduled_at.isoformat()}">'
        f'{entry.time_label}</time> <span class="chip-title">{title}</span></span></a>'
        f'<span class="chip-meta">{target_icons(entry.targets, icons=icons)}'
        f'<span class="chip-state">{escape(entry.state[1])}</span></span>{move}</div>'
    )


def row(entry: Entry, *, labels: dict[str, str], icons: dict[str, str]) -> str:
    url, state = escape(entry.detail_url), escape(entry.state[0])
    label = {key: escape(text) for key, text in labels.items()}
    return (
        f'<tr class="row-{state}" data-post="{entry.pk}">'
        f'<td data-label="{label["time"]}">'
        f'<time datetime="{entry.scheduled_at.isoformat()}">{entry.time_label}</time></td>'
        f'<td data-label="{label["post"]}" class="row-post">{thumbnail(entry.thumbnail_url)}'
        f'<a href="{url}" hx-get="{url}" hx-target="#side-panel">{escape(entry.title)}</a></td>'
        f'<td data-label="{label["networks"]}">{target_names(entry.targets, icons=icons)}</td>'
        f'<td data-label="{label["status"]}"><span class="status status-{state}">{escape(entry.state[1])}</span></td>'
        f'<td data-label="{label["author"]}">{escape(entry.author)}</td>'
        f'<td data-label="{label["campaign"]}">{escape(entry.campaign)}</td></tr>'
    )


def thumbnail(url: str) -> str:
    """The post's first image, decorative next to its title (the title says what the post is)."""
    return f'<img class="post-thumb" src="{escape(url)}" alt="" width="40" height="40" loading="lazy">' if url else ""


def target_icons(targets: list[Target], *, icons: dict[str, str]) -> str:
    """A chip's networks as icons, each named by its account and its state."""
    return "".join(
        f'<span class="network network-{escape(t.network)} pub-{escape(t.state)}" '
        f'title="{escape(t.account)} · {escape(t.state_label)}">{icon_html(icons[t.network], label=t.label)}</span>'
        for t in targets
    )


def target_names(targets: list[Target], *, icons: dict[str, str]) -> str:
    return " ".join(
        f'<span class="network network-{escape(t.network)} pub-{escape(t.state)}">{icon_html(icons[t.network])}'
        f'{escape(t.account)} <span class="muted">({escape(t.state_label)})</span></span>'
        for t in targets
    )
