"""Caching of the public pages: whole responses for anonymous readers, one copy per path, language and host, marked
with the pages' generation (`ask.publication.pages_generation`): publishing or withdrawing an answer makes every copy
stale at once. A hit costs one round trip to the cache (the generation and the copy read together)."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from ask.publication import GENERATION_KEY, pages_generation


def page_key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"ask:page:{get_language()}:{request.get_host()}:{path}"


def request_generation(request) -> int:
    """The generation the page being served belongs to: read once per request (by `cached_page` when it serves)."""
    if not hasattr(request, "ask_generation"):
        request.ask_generation = pages_generation()
    return request.ask_generation


def cached_page(view=None, *, fresh: dict | None = None):
    """Serve the stored copy when it is of the current generation; store successful answers for `ASK_CACHE_SECONDS`.

    `fresh` maps a marker in the page to a function giving its per-request value (the asking form's start time):
    the page is stored with the marker and each copy served gets a fresh value.
    """
    if view is None:
        return lambda view: cached_page(view, fresh=fresh)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        request.ask_generation = found.get(GENERATION_KEY) or pages_generation()
        stored = found.get(key)
        if stored is not None and stored["generation"] == request.ask_generation:
            content = stored["content"]
            for marker, make in (fresh or {}).items():
                content = content.replace(marker.encode(), make().encode())
            response = HttpResponse(content, content_type=stored["type"])
            response["X-Ask-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200:
                stored = {"generation": request.ask_generation, "content": response.content}
                cache.set(key, {**stored, "type": response["Content-Type"]}, timeout=settings.ASK_CACHE_SECONDS)
            for marker, make in (fresh or {}).items():
                response.content = response.content.replace(marker.encode(), make().encode())
            response["X-Ask-Cache"] = "miss"
        patch_cache_control(response, public=True, max_age=60)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapper
