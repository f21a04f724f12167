"""The Insights page (community managers and managers; a curator sees the results of their own ideas only)."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from insights import charts, presenters, selectors
from insights.forms import InsightsForm
from museumcm.http import HtmxHttpRequest

# Who sees what: the whole team's figures come with the right to make posts; a curator (who may propose ideas) sees
# the posts made from their own ideas.
SEES_EVERYTHING = "editorial.add_post"
SEES_OWN_IDEAS = "editorial.view_idea"
POSTS_SHOWN = 50  # the posts table's rows

COLUMNS = [
    ("views", _("Views")),
    ("likes", _("Likes")),
    ("reposts", _("Reposts")),
    ("replies", _("Replies")),
    ("quotes", _("Quotes")),
    ("saves", _("Saves")),
    ("link_clicks", _("Link clicks")),
    ("engagements", _("Engagements")),
    ("rate_followers", _("Rate ÷ followers")),
    ("rate_views", _("Rate ÷ views")),
]


def curator_scope(user) -> int | None:
    """None when the user sees every post's results, their id when only their ideas'; PermissionDenied otherwise."""
    if user.has_perm(SEES_EVERYTHING):
        return None
    if user.has_perm(SEES_OWN_IDEAS):
        return user.pk
    raise PermissionDenied


def chart_scope(curator: int | None) -> str:
    """The scope a chart's spec records: "all" for the team's figures, else the id of the curator whose ideas they
    follow (insights.chart_views serves it to viewers of that scope only)."""
    return "all" if curator is None else str(curator)


def insights(request: HtmxHttpRequest):
    scope = curator_scope(request.user)
    form = InsightsForm(request.GET or None)
    filters = form.filters(curator=scope)
    sort, descending = form.ordering()
    context = {
        "form": form,
        "filters": filters,
        "own_ideas_only": scope is not None,
        "sort": sort,
        "descending": descending,
        "sort_links": _sort_links(request.GET, sort, descending),
        "columns": COLUMNS,
    }
    if request.htmx and request.htmx.target == "posts":
        context["posts"] = selectors.posts_table(filters, sort=sort, descending=descending, limit=POSTS_SHOWN)
        return render(request, "insights/page.html#posts", context)
    context.update(_figures(filters, sort, descending))
    template = "insights/page.html#body" if request.htmx else "insights/page.html"
    return render(request, template, context)


def _figures(filters, sort: str, descending: bool) -> dict:
    accounts = selectors.period_accounts(filters)  # read once for the posts, growth, cadence and audience
    period = selectors.period_figures(filters, sort=sort, descending=descending, limit=POSTS_SHOWN, accounts=accounts)
    growth, cadence = selectors.follower_growth(filters, accounts), selectors.cadence(filters, accounts)
    inbox = selectors.inbox_figures(filters)
    moments = selectors.best_moments(filters)
    shown = {
        "growth": presenters.growth_chart(growth),
        "cadence": presenters.cadence_chart(cadence),
        "responses": presenters.response_chart(inbox),
        "moments": presenters.heat_map_charts(moments),
    }
    charts.publish(
        [shown["growth"], shown["cadence"], shown["responses"], *shown["moments"]], scope=chart_scope(filters.curator)
    )
    return {
        "posts": period.rankings.table,
        "top": period.rankings.top,
        "bottom": period.rankings.bottom,
        "totals": period.results.totals,
        "growth": growth,
        "audience": selectors.audience(filters, accounts),
        "cadence": cadence,
        "inbox": inbox,
        "campaigns": period.results.campaigns,
        "kinds": period.kinds,
        "curators": period.curators,
        "charts": shown,
    }


def _sort_links(query: QueryDict, sort: str, descending: bool) -> dict[str, str]:
    """The query string of each column's header: sorted by it, descending first, the other way when already so."""
    links = {}
    for column in selectors.SORTS:
        params = query.copy()
        params["sort"] = column
        params["order"] = "asc" if column == sort and descending else "desc"
        links[column] = params.urlencode()
    return links
