from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from inbox.safety import linkify
from museumcm.text import visible_controls

register = template.Library()


@register.filter
def safe_message(text: str):
    """Escape a message from a network and make its http(s) links clickable (rel="nofollow noopener")."""
    return linkify(text)


@register.filter
def duration(seconds) -> str:
    """A response time in words short enough for a table cell: 45 s, 12 min, 3.5 h, 2.1 d."""
    if seconds is None:
        return "—"
    seconds = float(seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


@register.inclusion_tag("inbox/_dashboard.html", takes_context=True)
def inbox_dashboard(context):
    """The home page's inbox block: open conversations for the team, questions routed to a curator."""
    from inbox.models import Message
    from inbox.selectors import questions_for

    user = context["request"].user
    data = {"show_inbox": user.has_perm("inbox.view_message"), "show_questions": user.has_perm("inbox.draft_answer")}
    if data["show_inbox"]:
        open_messages = Message.objects.open()
        data["open_count"] = open_messages.count()
        data["mine_count"] = open_messages.filter(assignee=user).count()
        data["latest"] = list(open_messages.select_related("account", "assignee")[:5])
    if data["show_questions"]:
        data["questions"] = list(questions_for(user).filter(status=Message.Status.OPEN)[:5])
    return data


# The inbox list's rows ----------------------------------------------------------------------------------------------
# Rendered in Python in one pass: fifty rows of template tags cost more than the query. Every value from a message
# or a user goes through `escape` (format_html / conditional_escape); translations keep the msgids of the template.


def _tr(message: str, **values) -> str:
    """Like {% blocktranslate %}: the translated sentence as is, its variables escaped."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(gettext(message) % escaped)  # our translation catalogue, its variables escaped


@register.simple_tag
def inbox_rows(rows):
    from inbox.models import Message
    from publishing.models import Network

    kinds, statuses, networks = dict(Message.Kind.choices), dict(Message.Status.choices), dict(Network.choices)
    new, deleted, edited = gettext("New"), gettext("Deleted"), gettext("Edited")
    unassigned, on = gettext("Unassigned"), gettext("On")
    conversation = reverse("inbox_conversation", args=[0]).removesuffix("0/")
    out = []
    for m in rows:
        account = m.account
        badges = []
        if not m.read:
            badges.append(format_html('\n    <span class="badge">{}</span>', new))
        if m.deleted:
            badges.append(format_html('\n    <span class="badge badge-danger">{}</span>', deleted))
        if m.missing_since:
            badges.append(format_html('\n    <span class="badge badge-warn">{}</span>', gettext("Not visible")))
        if m.edited:
            badges.append(format_html('\n    <span class="badge badge-warn">{}</span>', edited))
        publication = m.publication
        on_post = ""
        if publication is not None:
            post = publication.post
            campaign = format_html(" · {}", post.campaign.name) if post.campaign_id else ""
            on_post = format_html('\n    <p class="muted small">{} {}{}</p>', on, post.title, campaign)
        if m.assignee_id:
            who = [
                format_html(
                    '<span class="assignee">{}</span>', _tr(gettext_noop("Assigned to %(name)s"), name=m.assignee)
                )
            ]
        else:
            who = [format_html('<span class="muted">{}</span>', unassigned)]
        for p in getattr(m, "presences_live", ()):
            sentence = (
                gettext_noop("%(name)s is replying")
                if p.activity == "replying"
                else gettext_noop("%(name)s is viewing")
            )
            who.append(
                format_html('<br><span class="presence presence-{}">{}</span>', p.activity, _tr(sentence, name=p.user))
            )
        if m.routed_to_id:
            who.append(
                format_html(
                    '<br><span class="badge badge-warn">{}</span>',
                    _tr(gettext_noop("Asked %(name)s"), name=m.routed_to),
                )
            )
        created = timezone.localtime(m.created_at)
        status_class = {"open": "badge-ok", "spam": "badge-danger"}.get(m.status, "badge-muted")
        out.append(
            format_html(
                '<tr class="message-row{}{}" id="message-{}" data-id="{}">\n'
                '  <td class="select-cell"><input type="checkbox" name="ids" value="{}" form="bulk-form"'
                ' aria-label="{}"></td>\n'
                '  <td><span class="network network-{}"><span class="network-dot" aria-hidden="true"></span>{}</span>\n'
                '    <span class="muted account-handle">{}</span></td>\n'
                '  <td class="message-cell">\n'
                '    <a class="message-link" href="{}{}/"><span class="author">{}</span>\n'
                "      {}</a>\n"
                '    <span class="badge badge-muted">{}</span>{}\n'
                '    <p class="message-snippet" dir="auto">{}</p>{}\n'
                "  </td>\n"
                '  <td class="who-cell">\n    {}\n  </td>\n'
                '  <td class="time-cell"><time datetime="{}">{}</time><br>\n'
                '    <span class="badge {}">{}</span></td>\n'
                "</tr>",
                "" if m.read else " is-unread",
                " is-deleted" if m.deleted else "",
                m.pk,
                m.pk,
                m.pk,
                _tr(gettext_noop("Select the message from %(author)s"), author=visible_controls(m.author_handle)),
                account.network,
                networks.get(account.network, account.network),
                account.handle,
                conversation,
                m.pk,
                visible_controls(m.author_name or m.author_handle),
                format_html('<span class="muted">@{}</span>', visible_controls(m.author_handle))
                if m.author_name
                else "",
                kinds.get(m.kind, m.kind),
                mark_safe("".join(badges)),  # built by format_html above
                m.snippet,
                on_post,
                mark_safe("".join(who)),  # built by format_html above
                date_format(created, "c"),
                date_format(created, "SHORT_DATETIME_FORMAT"),
                status_class,
                statuses.get(m.status, m.status),
            )
        )
    return mark_safe("".join(out))  # each row built by format_html
