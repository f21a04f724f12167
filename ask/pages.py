"""How the public pages are rendered, shared by the views and by an answer's pages rendered when it is published."""

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static


def site_context(**extra) -> dict:
    return {
        "ask_site_name": settings.ASK_SITE_NAME,
        "ask_logo_url": settings.ASK_LOGO_URL or static("img/networks/ask.svg"),
        **extra,
    }


def render_public(request, template: str, **extra) -> str:
    """A cached public page, rendered without the context processors: what they add (the signed-in user, their
    messages, the team's navigation, a CSRF token) these pages never show, and a cache miss paid for it. Of the
    request the pages read only the path (the language links' way back)."""
    return render_to_string(template, {**site_context(**extra), "request": request})
