"""The Insights page: who sees what, filters and sorting through htmx, absent counts shown as "—", constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login_client
from tests.insights import history

pytestmark = pytest.mark.django_db

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture(autouse=True)
def _paris(paris):
    pass


def test_without_any_filter_the_page_shows_last_month(client, community_manager):
    response = login_client(client, community_manager).get(reverse("insights"))
    assert response.status_code == 200
    assert response.context["filters"].period.first.day == 1


def test_a_stranger_may_not_see_insights(client, stranger):
    assert login_client(client, stranger).get(reverse("insights")).status_code == 403


def test_a_manager_sees_every_figure_and_chart(client, manager, rows):
    response = login_client(client, manager).get(reverse("insights"), NOVEMBER)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<figure class="chart"') == 5  # growth, cadence, responses, a heat map per network (2)
    assert (
        page.count('<img src="/insights/charts/') == 5
    )  # each drawn at its own URL (tests/insights/test_chart_view.py)
    assert "data:image/svg+xml" not in page
    assert 'width="672" height="288" loading="lazy"' in page  # 7 x 3 in: the place it takes before it loads
    assert "The figures as a table" in page
    assert "3.25 %" in page  # the period's engagement rate ÷ followers, (5 + 3 + 3 + 2) / 4
    assert 'title="Not provided by Mastodon">—' in page  # p4's quotes
    assert "Whose ideas worked" in page


def test_a_curator_sees_only_the_results_of_their_own_ideas(client, curator, rows):
    response = login_client(client, curator).get(reverse("insights"), NOVEMBER)
    page = response.content.decode()
    assert response.status_code == 200
    assert rows["p1"].post.title in page and rows["p3"].post.title in page
    assert rows["p2"].post.title not in page and rows["p4"].post.title not in page
    assert "Whose ideas worked" not in page and "Follower growth" not in page


def test_sorting_answers_htmx_with_the_posts_table_only(client, community_manager, rows):
    url = reverse("insights")
    response = login_client(client, community_manager).get(
        url, {**NOVEMBER, "sort": "likes", "order": "asc"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="posts"
    )
    page = response.content.decode()
    assert "<html" not in page and "<figure" not in page
    assert page.index(rows["p3"].post.title) < page.index(rows["p1"].post.title)  # 10 likes before 40
    assert 'aria-sort="ascending"' in page


def test_a_filter_change_answers_htmx_with_the_body(client, community_manager, rows):
    response = login_client(client, community_manager).get(
        reverse("insights"),
        {**NOVEMBER, "campaign": rows["campaign"].pk},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="insights-body",
    )
    page = response.content.decode()
    assert "<html" not in page and "<figure" in page
    assert rows["p1"].post.title in page and rows["p4"].post.title not in page


def test_the_page_takes_as_many_queries_for_three_times_the_history(client, manager, rows):
    client = login_client(client, manager)
    client.get(reverse("insights"), NOVEMBER)  # session and caches warm
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("insights"), NOVEMBER)
    history.build_more(rows, copies=2)
    with CaptureQueriesContext(connection) as marked:
        client.get(reverse("insights"), NOVEMBER)  # rebuilds the day rows of the days written
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("insights"), NOVEMBER)
    assert len(large) == len(small)
    assert len(marked) == len(small) + 2  # the rebuild's two statements, only after writes


def test_the_page_reads_the_accounts_once_for_growth_cadence_and_audience(client, manager, rows):
    """The period's accounts (with their cadence targets) serve the growth, the cadence and the audience; the
    filters' list of accounts reads them again. A query each was three statements to compile and run."""
    client = login_client(client, manager)
    client.get(reverse("insights"), NOVEMBER)  # session and caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("insights"), NOVEMBER).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    accounts = [sql for sql in statements if 'FROM "publishing_socialaccount"' in sql]
    assert len(accounts) == 2
    assert not [sql for sql in statements if 'FROM "insights_cadencetarget"' in sql]
    assert len(statements) <= 19  # two more when growth, cadence and audience read the accounts each


def test_the_default_period_is_last_month():
    from insights.forms import last_month

    assert last_month(date(2026, 12, 7)).first == date(2026, 11, 1)
    assert last_month(date(2026, 12, 7)).last == date(2026, 11, 30)


def test_the_posts_table_in_french_escapes_titles_and_explains_absent_figures(client, manager, rows):
    post = rows["p4"].post
    post.title = "<b>Salle</b> & co"
    post.save(update_fields=["title"])
    response = login_client(client, manager).get(
        reverse("insights"), NOVEMBER, HTTP_ACCEPT_LANGUAGE="fr", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="posts"
    )
    page = response.content.decode()
    assert "&lt;b&gt;Salle&lt;/b&gt; &amp; co</a>" in page and "<b>Salle</b>" not in page
    assert "16 novembre 2026 10:15" in page  # p4's moment, local time
    assert '<td colspan="8" class="muted">Pas encore mesuré.</td>' in page  # p5
    assert 'title="Non fourni par Mastodon">—' in page  # p4's quotes
    assert "<td>2,00 %</td>" in page  # p4's rate ÷ views
