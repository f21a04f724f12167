from django import template

from museumcm.text import visible_controls

register = template.Library()


@register.filter
def visible(name: str) -> str:
    """A name from outside, its direction overrides and invisible characters shown (escaped as usual)."""
    return visible_controls(str(name)) if name else name
