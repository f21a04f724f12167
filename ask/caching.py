"""Caching of the public pages: whole responses for anonymous readers, one copy per path, language and host, marked
with the pages' generation: publishing or withdrawing an answer makes every copy stale at once. A hit costs one round
trip to the cache (the generation and the copy read together). An answer's own page is stored apart
(`ask.answer_cache`): a publication does not change it."""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import get_script_prefix
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from ask import selectors
from ask.pages import made_with

# A generation starts from the clock, not from 1: emptied (Redis restarted), the cache cannot give back a number
# that a web process has already kept figures for (`selectors.figures`).
GENERATION_KEY = "ask:generation"
# A list's page rendered ahead (`ask.list_cache`) is kept until the next publication (a day at the question of the
# day's rhythm) rather than `ASK_CACHE_SECONDS`: it is served only while the themes read as it shows them and the
# code and settings are those it was rendered with (`list_stamp`), as an answer's stored page is.
AHEAD_SECONDS = 86400


def pages_generation() -> int:
    """The public pages' cache generation: every cached page's key includes it; publishing bumps it."""
    return cache.get_or_set(GENERATION_KEY, time.time_ns, timeout=None)


def pages_forget() -> int:
    """Every cached public list is stale at once (an answer appeared or went away): the new generation."""
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:
        generation = time.time_ns()
        cache.set(GENERATION_KEY, generation, timeout=None)
        return generation


def page_key(request, *, by_host: bool = False, address: str = "") -> str:
    """A page's key: its address (`address`, else the request's), language and site. A list's page shows the site's
    addresses (`ASK_HOST`'s or the app's, under its script prefix) and no host name, so it is stored once per site
    whatever name a reader used (and can be rendered ahead: `ask.list_cache`); a feed or sitemap gives absolute
    addresses: one per host."""
    path = hashlib.sha256((address or request.get_full_path()).encode()).hexdigest()[:32]
    site = request.get_host() if by_host else f"{getattr(request, 'urlconf', None) or ''}:{get_script_prefix()}"
    return f"ask:page:{get_language()}:{site}:{path}"


def request_generation(request) -> int:
    """The generation the page being served belongs to: read once per request (by `cached_page` when it serves)."""
    if not hasattr(request, "ask_generation"):
        request.ask_generation = pages_generation()
    return request.ask_generation


def list_stamp(generation: int) -> tuple:
    """What a list rendered ahead shows besides its rows: the themes (names and counts, `selectors.figures`, re-read
    every `ASK_CACHE_SECONDS`) and what it was rendered with (`made_with`)."""
    themes = selectors.figures(generation)["themes"]
    return made_with(), tuple((t.pk, t.slug, t.name_fr, t.name_en, t.answers) for t in themes)


def served(response: HttpResponse, state: str) -> HttpResponse:
    """What every public page's response says, stored or not: readers' caches may keep it a minute."""
    response["X-Ask-Cache"] = state
    patch_cache_control(response, public=True, max_age=60)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def cached_page(view=None, *, fresh: dict | None = None, by_host: bool = False, address=None):
    """Serve the stored copy when it is of the current generation; store successful answers for `ASK_CACHE_SECONDS`
    (`AHEAD_SECONDS` when the request is a rendering ahead: `ask.list_cache`).

    `fresh` maps a marker in the page to a function of the request giving its value for it (the asking form's start
    time, a search's words as typed): the page is stored with the marker and each copy served gets its own value.
    `address(request)` gives the address a page is stored under (requests that show the same page but for the
    markers share one); `by_host`: see `page_key`.
    """
    if view is None:
        return lambda view: cached_page(view, fresh=fresh, by_host=by_host, address=address)
    markers = re.compile(b"|".join(re.escape(marker.encode()) for marker in fresh)) if fresh else None

    def put_fresh(content: bytes, request) -> bytes:
        if markers is None:
            return content
        values = {marker.encode(): make(request).encode() for marker, make in fresh.items()}
        return markers.sub(lambda found: values[found[0]], content)  # one pass: a value put in is never read again

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = page_key(request, by_host=by_host, address=address(request) if address else "")
        found = cache.get_many([GENERATION_KEY, key])
        request.ask_generation = found.get(GENERATION_KEY) or pages_generation()
        stored, ahead = found.get(key), getattr(request, "ask_ahead", False)
        if _current(stored, request.ask_generation, ahead):
            content = put_fresh(stored["content"], request)
            return served(HttpResponse(content, content_type=stored["type"]), "hit")
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            stored = {
                "generation": request.ask_generation,
                "content": response.content,
                "type": response["Content-Type"],
            }
            if ahead:
                stored["stamp"] = list_stamp(request.ask_generation)
            cache.set(key, stored, timeout=AHEAD_SECONDS if ahead else settings.ASK_CACHE_SECONDS)
        response.content = put_fresh(response.content, request)
        return served(response, "miss")

    return wrapper


def _current(stored: dict | None, generation: int, ahead: bool) -> bool:
    """A stored copy is served while it is of the current generation and, rendered ahead, its stamp holds; rendering
    ahead replaces a reader's copy (kept `ASK_CACHE_SECONDS` only) by one kept longer."""
    if stored is None or stored["generation"] != generation:
        return False
    if "stamp" in stored:
        return stored["stamp"] == list_stamp(generation)
    return not ahead
