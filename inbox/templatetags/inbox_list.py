"""The inbox list's rows: each message with its author's avatar, its network's icon, its badges and who is on it.

Written with format_html in one pass rather than an {% include %} per row (fifty included rows cost more than the
query). The markup is the one of the partial `inbox/_row.html` (a test renders both and compares them): change them
together. Every value from a message or a user is escaped; translations keep the partial's msgids.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from museumcm.text import visible_controls
from publishing.templatetags.networks import network_icon

register = template.Library()

STATUS_CLASSES = {"open": "badge-ok", "spam": "badge-danger"}
PRESENCE = {"replying": gettext_noop("%(name)s is replying"), "viewing": gettext_noop("%(name)s is viewing")}


@register.simple_tag
def inbox_rows(rows) -> SafeString:
    from inbox.models import Message
    from publishing.models import Network

    labels = {"kinds": dict(Message.Kind.choices), "statuses": dict(Message.Status.choices)}
    labels["networks"] = dict(Network.choices)
    url = reverse("inbox_conversation", args=[0]).removesuffix("0/")
    return mark_safe("".join(message_row(m, labels=labels, url=f"{url}{m.pk}/") for m in rows))  # format_html rows


def message_row(m, *, labels: dict, url: str) -> SafeString:
    created = timezone.localtime(m.created_at)
    return format_html(
        '<tr class="message-row{unread}{deleted}" id="message-{pk}" data-id="{pk}">'
        '<td class="select-cell"><input type="checkbox" name="ids" value="{pk}" form="bulk-form" aria-label="{select}">'
        "</td>"
        '<td class="network-cell"><span class="network network-{network}">{icon}{network_name}</span>'
        '<span class="muted account-handle">{handle}</span></td>'
        '<td class="message-cell"><div class="message-head">{avatar}'
        '<a class="message-link" href="{url}"><span class="author">{author}</span>{at}</a>'
        '<span class="badge badge-muted">{kind}</span>{badges}</div>'
        '<p class="message-snippet" dir="auto">{snippet}</p>{on_post}</td>'
        '<td class="who-cell">{who}</td>'
        '<td class="time-cell"><time datetime="{iso}">{when}</time><br>'
        '<span class="badge {status_class}">{status}</span></td></tr>',
        unread="" if m.read else " is-unread",
        deleted=" is-deleted" if m.deleted else "",
        pk=m.pk,
        select=_tr(gettext_noop("Select the message from %(author)s"), author=visible_controls(m.author_handle)),
        network=m.account.network,
        icon=network_icon(m.account.network),
        network_name=labels["networks"].get(m.account.network, m.account.network),
        handle=m.account.handle,
        avatar=avatar(m),
        url=url,
        author=visible_controls(m.author_name or m.author_handle),
        at=format_html(' <span class="muted">@{}</span>', visible_controls(m.author_handle)) if m.author_name else "",
        kind=labels["kinds"].get(m.kind, m.kind),
        badges=badges(m),
        snippet=m.snippet,
        on_post=on_post(m.publication),
        who=who(m),
        iso=date_format(created, "c"),
        when=date_format(created, "SHORT_DATETIME_FORMAT"),
        status_class=STATUS_CLASSES.get(m.status, "badge-muted"),
        status=labels["statuses"].get(m.status, m.status),
    )


def avatar(m) -> SafeString:
    """The author's picture from their network, else their initial; decorative (the name follows)."""
    if m.author_avatar:
        return format_html(
            '<img class="avatar" src="{}" alt="" width="32" height="32" loading="lazy" referrerpolicy="no-referrer">',
            m.author_avatar,
        )
    initial = (m.author_name or m.author_handle or "?")[:1].upper()
    return format_html('<span class="avatar avatar-initial" aria-hidden="true">{}</span>', initial)


def badges(m) -> SafeString:
    shown = [
        ("", gettext("New"), not m.read),
        (" badge-danger", gettext("Deleted"), m.deleted),
        (" badge-warn", gettext("Not visible"), bool(m.missing_since)),
        (" badge-warn", gettext("Edited"), m.edited),
        (" badge-warn", gettext("Held for moderation"), getattr(m, "held", False)),
    ]
    return format_html_join("", ' <span class="badge{}">{}</span>', ((cls, label) for cls, label, on in shown if on))


def on_post(publication) -> SafeString | str:
    if publication is None:
        return ""
    post = publication.post
    campaign = format_html(" · {}", post.campaign.name) if post.campaign_id else ""
    return format_html('<p class="muted small">{} {}{}</p>', gettext("On"), post.title, campaign)


def who(m) -> SafeString:
    """Who has the message: its assignee, who else has it open right now, the curator it was routed to."""
    if m.assignee_id:
        assigned = _tr(gettext_noop("Assigned to %(name)s"), name=m.assignee)
        parts = [format_html('<span class="assignee">{}</span>', assigned)]
    else:
        parts = [format_html('<span class="muted">{}</span>', gettext("Unassigned"))]
    for p in getattr(m, "presences_live", ()):
        sentence = _tr(PRESENCE.get(p.activity, PRESENCE["viewing"]), name=p.user)
        parts.append(format_html('<br><span class="presence presence-{}">{}</span>', p.activity, sentence))
    if m.routed_to_id:
        asked = _tr(gettext_noop("Asked %(name)s"), name=m.routed_to)
        parts.append(format_html('<br><span class="badge badge-warn">{}</span>', asked))
    return mark_safe("".join(parts))  # each part built by format_html


def _tr(message: str, **values) -> SafeString:
    """Like {% blocktranslate %}: the translated sentence as is, its variables escaped."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(gettext(message) % escaped)  # our translation catalogue, its variables escaped
