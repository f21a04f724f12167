"""How the public pages are rendered, shared by the views, an answer's pages rendered when it is published and the lists
rendered ahead (`ask.list_cache`)."""

import functools
import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_urlconf, set_urlconf


def site_context(**extra) -> dict:
    return {
        "ask_site_name": settings.ASK_SITE_NAME,
        "ask_logo_url": settings.ASK_LOGO_URL or static("img/networks/ask.svg"),
        **extra,
    }


def public_urlconfs() -> list[str | None]:
    """The public site's URLs: the app's own (`/ask/…`), and `ASK_HOST`'s at its root when it is set."""
    return [None, "ask.host_urls"] if settings.ASK_HOST else [None]


@contextmanager
def on_site(urlconf: str | None):
    """Addresses reversed and resolved as on this public site (one of `public_urlconfs`) while a page is rendered
    outside a reader's request (when an answer is published, or the lists ahead)."""
    previous = get_urlconf()
    set_urlconf(urlconf)
    try:
        yield
    finally:
        set_urlconf(previous)


def render_public(request, template: str, **extra) -> str:
    """A cached public page, rendered without the context processors: what they add (the signed-in user, their
    messages, the team's navigation, a CSRF token) these pages never show, and a cache miss paid for it. Of the
    request the pages read only the path (the language links' way back)."""
    return render_to_string(template, {**site_context(**extra), "request": request})


@functools.cache
def made_with() -> str:
    """What a page was rendered with besides its answer: the app's code and templates, the translations, the static
    files' names and the settings the page shows. Read once per process: a deployment that changes any of them makes
    every stored answer page and list page rendered ahead stale (each is rendered again on its next visit, under the
    same key)."""
    shown = [settings.SITE_URL, settings.ASK_SITE_NAME, settings.ASK_LOGO_URL, settings.STATIC_URL]
    digest = hashlib.sha256(repr(shown).encode())
    base, manifest = Path(settings.BASE_DIR), Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [*base.glob("ask/**/*.py"), *base.glob("templates/ask/*.html"), *base.glob("locale/*/LC_MESSAGES/*.mo")]
    for path in [*sorted(sources), *([manifest] if manifest.exists() else [])]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
