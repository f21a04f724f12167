"""A chart of the Insights page or of the report, drawn on demand from the spec the page left (insights.charts)."""

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from insights import charts
from insights.views import chart_scope, curator_scope

# The URL names its figures (a digest of them, and of the viewer's scope): what it serves never changes.
BROWSER_SECONDS = 86400


def chart(request, key: str):
    """The chart's SVG, for a viewer of the scope it was published for (another's: 404). Once its spec has left the
    cache, a small SVG asking to reload the page (which publishes it again), never a broken image."""
    scope = chart_scope(curator_scope(request.user))
    spec = charts.published(key)
    if spec is None:
        message = _("This chart has expired: reload the page to see it.")
        response = HttpResponse(render_to_string("insights/chart_expired.svg", {"message": message}))
        response["Cache-Control"] = "private, no-store"
    elif spec["scope"] != scope:
        raise Http404
    else:
        response = HttpResponse(charts.drawing(spec["digest"], spec["spec"]))
        response["Cache-Control"] = f"private, max-age={BROWSER_SECONDS}, immutable"
    response["Content-Type"] = "image/svg+xml"
    return response
