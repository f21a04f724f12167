"""A post on the calendar: the month and week views' chips and the list view's rows.

Written with format_html rather than an {% include %} per post: a busy month shows hundreds of posts, and the
template engine's per-include cost was most of the month view's time. The markup is the one of the partials
`editorial/calendar/_chip.html` and `_row.html` (a test renders both and compares them): change them together.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from editorial.selectors import Entry, Target
from publishing.templatetags.networks import network_icon

register = template.Library()


@register.simple_tag
def calendar_chips(entries: list[Entry], *, can_move: bool) -> SafeString:
    """The chips of a day (or an hour); a post whose time has passed cannot move."""
    now, move_label = timezone.now(), _("Move")
    return mark_safe(  # each chip built by format_html
        "".join(chip(entry, can_move=can_move and entry.scheduled_at > now, move_label=move_label) for entry in entries)
    )


@register.simple_tag
def calendar_rows(entries: list[Entry]) -> SafeString:
    """The list view's table rows of a day."""
    labels = {"time": _("Time"), "post": _("Post"), "networks": _("Networks"), "status": _("Status")}
    labels |= {"author": _("Author"), "campaign": _("Campaign")}
    return mark_safe("".join(row(entry, labels=labels) for entry in entries))  # each row built by format_html


def chip(entry: Entry, *, can_move: bool, move_label: str) -> SafeString:
    return format_html(
        '<div class="chip chip-{state}"{drag} data-post="{pk}">'
        '<a class="chip-link" href="{url}" hx-get="{url}" hx-target="#side-panel" hx-swap="innerHTML">{thumb}'
        '<span class="chip-text"><time datetime="{iso}">{time}</time> '
        '<span class="chip-title">{title}</span></span></a>'
        '<span class="chip-meta">{targets}<span class="chip-state">{state_label}</span></span>{move}</div>',
        state=entry.state[0],
        drag=format_html(' draggable="true" data-move-url="{}" data-time="{}"', entry.move_url, entry.time_label)
        if can_move
        else "",
        pk=entry.pk,
        url=entry.detail_url,
        thumb=thumbnail(entry.thumbnail_url),
        iso=entry.scheduled_at.isoformat(),
        time=entry.time_label,
        title=entry.title,
        targets=target_icons(entry.targets),
        state_label=entry.state[1],
        move=format_html(
            '<a class="chip-move" href="{}">{}<span class="visually-hidden"> {}</span></a>',
            entry.move_url,
            move_label,
            entry.title,
        )
        if can_move
        else "",
    )


def row(entry: Entry, *, labels: dict[str, str]) -> SafeString:
    return format_html(
        '<tr class="row-{state}" data-post="{pk}">'
        '<td data-label="{l_time}"><time datetime="{iso}">{time}</time></td>'
        '<td data-label="{l_post}" class="row-post">{thumb}'
        '<a href="{url}" hx-get="{url}" hx-target="#side-panel">{title}</a></td>'
        '<td data-label="{l_networks}">{targets}</td>'
        '<td data-label="{l_status}"><span class="status status-{state}">{state_label}</span></td>'
        '<td data-label="{l_author}">{author}</td><td data-label="{l_campaign}">{campaign}</td></tr>',
        state=entry.state[0],
        pk=entry.pk,
        iso=entry.scheduled_at.isoformat(),
        time=entry.time_label,
        thumb=thumbnail(entry.thumbnail_url),
        url=entry.detail_url,
        title=entry.title,
        targets=target_names(entry.targets),
        state_label=entry.state[1],
        author=entry.author,
        campaign=entry.campaign,
        **{f"l_{key}": label for key, label in labels.items()},
    )


def thumbnail(url: str) -> SafeString | str:
    """The post's first image, decorative next to its title (the title says what the post is)."""
    if not url:
        return ""
    return format_html('<img class="post-thumb" src="{}" alt="" width="40" height="40" loading="lazy">', url)


def target_icons(targets: list[Target]) -> SafeString:
    """A chip's networks as icons, each named by its account and its state."""
    return format_html_join(
        "",
        '<span class="network network-{} pub-{}" title="{}">{}</span>',
        ((t.network, t.state, f"{t.account} · {t.state_label}", _icon(t)) for t in targets),
    )


def target_names(targets: list[Target]) -> SafeString:
    return format_html_join(
        " ",
        '<span class="network network-{} pub-{}">{}{} <span class="muted">({})</span></span>',
        ((t.network, t.state, network_icon(t.network), t.account, t.state_label) for t in targets),
    )


def _icon(target: Target) -> SafeString:
    return network_icon(target.network, label=target.label)
