"""The lists' pages rendered into the cache ahead of their readers (the home page, each theme's first page and
every page of the archive), when a publication or a withdrawal starts a new generation of the lists
(`ask.caching`): the crowd a shared answer brings finds them stored.

A task renders them a few seconds after the generation changed (`RENDER_DELAY`); of several publications in a row
only the last one's task renders, the others find their generation over and stop. Each page is requested as a
reader's would be (the view, resolved from its address, stores a miss), so it is stored under the generation the
view read before it read the rows: never under one it was not rendered for. A newer generation arriving mid-render
stops the task (the newer one's task renders); a page already stored is a hit, so a re-delivered task costs a
cache read a page. Cost: pages x languages x sites (505 x 2 x 1-2 at 10,000 answers, each 2-4 ms of CPU), most
read first. They are kept until the next publication (`ask.caching.AHEAD_SECONDS`), served while the themes read as
they show them and the code is the same.
"""

import logging
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import resolve, reverse
from django.utils import translation
from redis.exceptions import RedisError

from ask import selectors
from ask.caching import pages_forget
from ask.pages import on_site, public_urlconfs

logger = logging.getLogger("museumcm.ask")

RENDER_DELAY = 5  # seconds: a burst of publications (a team publishing several answers) renders once


def pages_renew() -> None:
    """Every list is stale at once, and the lists' pages of the new generation are rendered ahead by a task."""
    from ask.tasks import render_lists

    render_lists.apply_async([pages_forget()], countdown=RENDER_DELAY)


def list_pages_store(*, generation: int) -> int:
    """The lists' pages requested in each language and on each site while `generation` is the pages' current
    one; returns how many were rendered (not already stored). A cache that is away ends it (logged): the pages are
    then rendered on their first visits."""
    try:
        known = selectors.figures(generation)
        pages = math.ceil(known["total"] / selectors.PAGE_SIZE)
        addresses = [
            ("ask_home", {}, ""),
            ("ask_archive", {}, ""),
            *(("ask_theme", {"theme": theme.slug}, "") for theme in known["themes"]),
            *(("ask_archive", {}, f"page={number}") for number in range(1, pages + 1)),
        ]
        rendered = 0
        for name, kwargs, query in addresses:
            for urlconf in public_urlconfs():
                for language, _name in settings.LANGUAGES:
                    response, current = _get(urlconf, language, name, kwargs, query)
                    if current != generation:
                        return rendered
                    rendered += response["X-Ask-Cache"] == "miss"
    except RedisError as error:
        logger.warning("The lists' pages were not rendered ahead: the cache is away (%s)", error)
        return 0
    return rendered


def _get(urlconf: str | None, language: str, name: str, kwargs: dict, query: str) -> tuple[HttpResponse, int]:
    """The page named `name` on this site, in this language, with `query`, as a reader's GET would have it, and the
    generation it was served for."""
    with on_site(urlconf), translation.override(language):
        request = HttpRequest()
        request.method, request.urlconf, request.ask_ahead = "GET", urlconf, True
        request.path = request.path_info = reverse(name, kwargs=kwargs)
        request.META["QUERY_STRING"], request.GET = query, QueryDict(query)
        match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs), request.ask_generation
