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
