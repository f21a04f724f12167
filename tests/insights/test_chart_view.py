"""Each chart at its own URL: drawn on demand from the spec its page left, for viewers of the same scope only; the
same drawing as in the PDF; a small SVG asking to reload once the spec has expired."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from insights import charts
from insights.report_views import report_context
from insights.selectors import InsightFilters, Period
from tests.conftest import login_client

pytestmark = pytest.mark.django_db

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
CHART_URL = re.compile(r'<img src="(/insights/charts/[0-9a-f]{64}\.svg)" width="\d+" height="\d+" loading="lazy"')


def chart_urls(client, name: str) -> list[str]:
    return CHART_URL.findall(client.get(reverse(name), NOVEMBER).content.decode())


def test_every_chart_of_the_page_is_served_as_an_immutable_private_svg(client, manager, rows):
    client = login_client(client, manager)
    urls = chart_urls(client, "insights")
    assert len(urls) == 5  # growth, cadence, a heat map per network (2), responses
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert response["Cache-Control"] == "private, max-age=86400, immutable"
        assert response.content.startswith(b"<?xml") and b"<svg" in response.content


def test_the_report_pages_charts_are_the_drawings_its_pdf_embeds(client, manager, rows):
    client = login_client(client, manager)
    served = {client.get(url).content.decode() for url in chart_urls(client, "insights_report")}
    context = report_context(InsightFilters(Period.month_of(date(2026, 11, 1))))
    assert served == {chart.svg for chart in context["charts"].values()}
    assert len(served) == 3
    pdf_html = render_to_string("insights/report_pdf.html", context)
    assert all(chart.data_uri in pdf_html for chart in context["charts"].values())


def test_a_chart_published_for_the_team_is_not_found_by_a_curator_and_refused_to_a_stranger(
    client, manager, curator, stranger, rows
):
    url = chart_urls(login_client(client, manager), "insights")[0]
    assert login_client(client, curator).get(url).status_code == 404
    assert login_client(client, stranger).get(url).status_code == 403


def test_a_curators_chart_is_theirs_alone(client, manager, curator, rows):
    chart = charts.render(charts.Chart(title="t", summary="s", headers=[], rows=[]), charts.draw_lines, {"series": []})
    charts.publish([chart], scope=str(curator.pk))
    assert login_client(client, curator).get(chart.url).status_code == 200
    assert login_client(client, manager).get(chart.url).status_code == 404


def test_an_expired_chart_is_a_small_svg_asking_to_reload_never_cached(client, manager, rows):
    client = login_client(client, manager)
    url = chart_urls(client, "insights")[0]
    cache.delete(charts.SPEC_KEY.format(url.rsplit("/", 1)[1].removesuffix(".svg")))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"
    assert "reload the page" in response.content.decode()
