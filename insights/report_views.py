"""The manager's report: the page, its PDF, and every figure behind it as CSV or XLSX."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from insights import charts, exports, presenters, selectors
from insights.forms import InsightsForm
from insights.views import chart_scope, curator_scope

POSTS_IN_EXPORT = 10_000  # the posts table of a CSV: every post of a year at a busy museum's pace


def report_context(filters) -> dict:
    """What the report's page, its PDF and its e-mail show."""
    report = selectors.manager_report(filters)
    return {
        "report": report,
        "filters": filters,
        "museum_name": settings.MUSEUM_NAME,
        "charts": {
            "growth": presenters.growth_chart(report.growth),
            "cadence": presenters.cadence_chart(report.cadence),
            "responses": presenters.response_chart(report.inbox),
        },
    }


def _filters(request):
    if curator_scope(request.user) is not None:
        raise PermissionDenied  # the report covers the whole team's work
    return InsightsForm(request.GET or None).filters()


def _file_name(filters, extension: str) -> str:
    return f"report-{filters.period.first:%Y-%m-%d}-{filters.period.last:%Y-%m-%d}.{extension}"


def report(request):
    filters = _filters(request)
    context = {**report_context(filters), "form": InsightsForm(request.GET or None), "query": request.GET.urlencode()}
    charts.publish(context["charts"].values(), scope=chart_scope(None))  # the page links them; the PDF draws them
    return render(request, "insights/report.html", context)


def report_pdf(request):
    filters = _filters(request)
    response = HttpResponse(exports.as_pdf(report_context(filters)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, "pdf")}"'
    return response


def report_figures(request, extension: str):
    filters = _filters(request)
    report = selectors.manager_report(filters)
    rows = exports.figure_rows(report, selectors.posts_table(filters, limit=POSTS_IN_EXPORT))
    if extension == "csv":
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(exports.as_xlsx(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, extension)}"'
    return response
