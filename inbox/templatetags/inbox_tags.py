from django import template

from inbox.safety import linkify

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
