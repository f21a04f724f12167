"""An answer's public page, stored under its own key and rendered into the cache when the answer is published.

The lists (home, archive, themes, search) change with every publication and are stored for a generation that any
publication ends (`ask.caching`). An answer's page shows the answer, its theme and the site's frame only: it is
stored with no expiry, in each language and on each host the public site answers on, as soon as the answer is
published. A reader's first visit is then a hit, and publishing another answer leaves it stored. A stored page is
served only while it is what rendering would give now:

- the answer's own version is the one it was rendered under: publishing or withdrawing the answer bumps it after
  the transaction, so a page rendered from the rows before holds the old version (a published answer is not
  edited: only an unanswered question's answer can be approved);
- its theme reads the same (`selectors.figures`, as the lists show it);
- the code, templates, translations and settings it was rendered with are the same (`made_with`: a deployment).
"""

import time
import zlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import get_script_prefix
from django.utils import translation

from ask import listing, selectors
from ask.caching import GENERATION_KEY, pages_generation, served
from ask.pages import made_with, on_site, public_urlconfs, render_public


def answer_number(slug: str) -> int | None:
    """The answer an address names: its number (the text after it is only for people), if it can be one."""
    number = slug.split("-", 1)[0]
    return int(number) if number.isdigit() and int(number) < listing.BIGINT_END else None


def render(request, question) -> bytes:
    return render_public(request, "ask/answer.html", question=question).encode()


def answer_page(request, slug: str) -> HttpResponse:
    """The answer's page: its stored copy while it is what rendering would give, else rendered (and stored)."""
    pk = answer_number(slug)
    if pk is None:
        raise Http404
    version, key = _version_key(pk), answer_page_key(pk, translation.get_language(), getattr(request, "urlconf", None))
    found = cache.get_many([GENERATION_KEY, version, key])
    stamp, stored = (found.get(version), made_with(), slug), found.get(key)
    if stored is not None and stored["stamp"] == stamp:
        themes = selectors.figures(found.get(GENERATION_KEY) or pages_generation())["themes"]
        if stored["theme"] == _theme_now(stored["theme"], themes):
            return served(HttpResponse(zlib.decompress(stored["content"])), "hit")
    if stamp[0] is None:
        stamp = (answer_version(pk), *stamp[1:])
    question = listing.answer(pk)
    if question is None:
        raise Http404
    if question.slug != slug:  # the text's part of the address is only for people: the number decides
        return served(HttpResponsePermanentRedirect(question.get_absolute_url()), "miss")
    content = render(request, question)
    cache.set(key, _stored(stamp, question, content), timeout=None)
    return served(HttpResponse(content), "miss")


def answer_pages_store(pk: int) -> None:
    """The published answer's pages rendered into the cache, in each language and for each host of the public site,
    as a reader's request would (`listing.answer`, the view's template), under a new version of the answer."""
    question = listing.answer(pk)
    if question is None:
        return
    version, pages = answer_version_bump(pk), {}
    for each in public_urlconfs():
        with on_site(each):
            request = HttpRequest()
            request.path = question.get_absolute_url()
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    stamp = (version, made_with(), question.slug)
                    pages[answer_page_key(pk, language, each)] = _stored(stamp, question, render(request, question))
    cache.set_many(pages, timeout=None)


def answer_pages_forget(pk: int) -> None:
    """The answer went away: its stored pages are stale, and gone (but for one a request may have been storing)."""
    answer_version_bump(pk)
    cache.delete_many(_page_keys([pk]))


def answer_pages_left(pks: list[int]) -> int:
    """Of these withdrawn answers, the stored pages still in the cache are forgotten; how many there were (none
    unless a withdrawal found the whole of Redis away: `ask.publication.withdrawn_pages_sweep`)."""
    left = list(cache.get_many(_page_keys(pks)))
    if left:
        cache.delete_many(left)
    return len(left)


def _page_keys(pks: list[int]) -> list[str]:
    return [
        answer_page_key(pk, language, each)
        for pk in pks
        for each in public_urlconfs()
        for language, _name in settings.LANGUAGES
    ]


def answer_version(pk: int) -> int:
    return cache.get_or_set(_version_key(pk), time.time_ns, timeout=None)


def answer_version_bump(pk: int) -> int:
    try:
        return cache.incr(_version_key(pk))
    except ValueError:
        return answer_version(pk)


def _stored(stamp: tuple, question, content: bytes) -> dict:
    """Compressed: an answer's text is on its page three times (the page, its description, its QAPage data)."""
    theme = question.theme
    shown = (theme.pk, theme.slug, theme.name_fr, theme.name_en) if theme else None
    return {"stamp": stamp, "theme": shown, "content": zlib.compress(content)}


def _theme_now(stored: tuple | None, themes) -> tuple | None:
    if stored is None:
        return None
    return next(((t.pk, t.slug, t.name_fr, t.name_en) for t in themes if t.pk == stored[0]), None)


def _version_key(pk: int) -> str:
    return f"ask:answer:{pk}:version"


def answer_page_key(pk: int, language: str, urlconf: str | None) -> str:
    return f"ask:answer:{pk}:{language}:{urlconf or ''}:{get_script_prefix()}"
