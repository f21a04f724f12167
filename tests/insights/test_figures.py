"""Every headline figure of the report against the history of tests/insights/history.py, computed by hand."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbox.selectors import _response_rows, _response_rows_python, received_messages, response_times
from insights.models import CadenceTarget
from insights.selectors import (
    InsightFilters,
    Period,
    best_moments,
    cadence,
    cadences,
    follower_growth,
    headlines,
    inbox_figures,
    manager_report,
    period,
    period_accounts,
    period_figures,
    posts_table,
    totals,
)
from museumcm.weeks import WeekOf, weeks_of
from tests.factories import SocialAccountFactory
from tests.insights import history
from tests.insights.history import answered, local

pytestmark = pytest.mark.django_db

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture(autouse=True)
def _paris(paris):
    pass


def test_the_previous_period_of_a_month_is_the_month_before_and_of_a_range_the_same_length():
    assert NOVEMBER.previous() == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert Period(date(2026, 11, 10), date(2026, 11, 16)).previous() == Period(date(2026, 11, 3), date(2026, 11, 9))


def test_headline_figures_match_the_hand_computed_history(rows):
    figures = {row.key: (row.value, row.previous) for row in headlines(InsightFilters(NOVEMBER))[0]}
    assert figures["followers"] == (1100 + 450, 1000 + 500)
    assert figures["followers_gained"] == ((1100 - 1000) + (450 - 500), (1000 - 900) + 0)
    assert figures["published"] == (6, 1)
    assert figures["engagements"] == (50 + 30 + 15 + 20, 10)
    # Mean of the measured posts' rates; p5 (not measured) and p6 (no engagement count) are in neither side.
    assert figures["rate_followers"][0] == pytest.approx((0.05 + 0.03 + 0.03 + 0.02) / 4)
    assert figures["rate_followers"][1] == pytest.approx(10 / 900)
    assert figures["rate_views"] == (pytest.approx(20 / 1000), None)
    # Account A, 2 a week, over the six weeks November touches (Mondays 26 Oct … 30 Nov): kept on 2 Nov and 16 Nov;
    # over October's five (28 Sep … 26 Oct) on none, p0 alone on 5 Oct.
    assert figures["cadence_kept"] == (pytest.approx(2 / 6), 0.0)
    assert figures["received"] == (5, 0)
    assert figures["answered"] == (4, 0)
    # Answered after 300, 600, 1800, 3600 s: median (600 + 1800) / 2; p90 at rank 2.7: 1800 + 0.7 * 1800.
    assert figures["median_response_s"] == (pytest.approx(1200), None)
    assert figures["p90_response_s"] == (pytest.approx(3060), None)


def test_follower_growth_is_absolute_and_relative_per_account(rows):
    growth = {g.account.handle: g for g in follower_growth(InsightFilters(NOVEMBER))}
    a, b = growth["marceau"], growth["marceau.bsky.social"]
    assert (a.start, a.end, a.change, a.percent) == (1000, 1100, 100, pytest.approx(10.0))
    assert (b.start, b.end, b.change, b.percent) == (500, 450, -50, pytest.approx(-10.0))
    assert [day.day for day, _count in a.series] == [31, 10, 30]


def test_absent_metrics_never_count_as_zero(rows):
    figures = totals(InsightFilters(NOVEMBER))
    assert (figures.published, figures.measured, figures.views) == (6, 4, 1000 + 200)
    page = {p.pk: p for p in posts_table(InsightFilters(NOVEMBER))}
    assert page[rows["p6"].pk].engagements is None
    assert page[rows["p6"].pk].rate_followers is None
    assert page[rows["p5"].pk].latest is None
    assert page[rows["p3"].pk].latest.views is None  # Bluesky gives no views: shown "—", not 0
    assert page[rows["p1"].pk].rate_followers == pytest.approx(0.05)


def test_posts_sort_by_any_figure_with_absent_ones_last_either_way(rows):
    by_likes = [p.pk for p in posts_table(InsightFilters(NOVEMBER), sort="likes")]
    assert by_likes[:4] == [rows[name].pk for name in ("p1", "p2", "p4", "p3")]
    ascending = [p.pk for p in posts_table(InsightFilters(NOVEMBER), sort="views", descending=False)]
    assert ascending[:2] == [rows["p6"].pk, rows["p4"].pk]
    assert len(ascending) == 6


def test_top_and_bottom_posts_are_ranked_by_engagement_rate(rows):
    ranked = period_figures(InsightFilters(NOVEMBER), ideas=False).rankings
    top, bottom = ranked.top, ranked.bottom
    assert [p.pk for p in top] == [rows["p1"].pk, rows["p3"].pk, rows["p2"].pk]  # ties: the most recent first
    assert [p.pk for p in bottom] == [rows["p4"].pk]


def test_cadence_counts_planned_and_published_per_week_with_the_gaps(rows):
    (account,) = cadence(InsightFilters(NOVEMBER))
    assert account.mondays == [date(2026, 10, 26), date(2026, 11, 2), *(date(2026, 11, d) for d in (9, 16, 23, 30))]
    assert list(zip(account.planned, account.published, account.gaps, strict=True)) == [
        (0, 0, 2),  # 26 Oct
        (2, 2, 0),  # 2 Nov
        (1, 1, 1),  # 9 Nov: p6
        (2, 2, 0),  # 16 Nov: p4, p5
        (1, 0, 2),  # 23 Nov: p7 planned, p8 cancelled counts nowhere
        (0, 0, 2),  # 30 Nov
    ]
    assert account.kept_weeks == 2


def test_the_cadence_of_a_period_and_the_one_before_come_from_one_pass_week_for_week(rows):
    with CaptureQueriesContext(connection) as queries:
        (november,), (october,) = cadences(InsightFilters(NOVEMBER), [NOVEMBER, NOVEMBER.previous()])
    assert len(queries) == 2  # the targets, then one pass over both periods' weeks
    assert (november.planned, november.published) == ([0, 2, 1, 2, 1, 0], [0, 2, 1, 2, 0, 0])
    assert october.mondays == [date(2026, 9, 28), *(date(2026, 10, d) for d in (5, 12, 19, 26))]
    assert (october.planned, october.published) == ([0, 1, 0, 0, 0], [0, 1, 0, 0, 0])  # p0, Monday 5 October


def test_the_weeks_before_counted_for_their_kept_weeks_alone_are_those_of_the_full_count(rows):
    # Probed (the whole museum) and grouped (a campaign's): the report's previous period needs no planned posts
    for filters, published_before in (
        (InsightFilters(NOVEMBER), [[0, 1, 0, 0, 0]]),  # p0, Monday 5 October
        (InsightFilters(NOVEMBER, campaign=rows["campaign"].pk), [[0, 0, 0, 0, 0]]),
    ):
        (full, full_before) = cadences(filters, [NOVEMBER, NOVEMBER.previous()])
        assert [c.published for c in full_before] == published_before
        with CaptureQueriesContext(connection) as queries:
            (november, october) = cadences(filters, [NOVEMBER], kept_only=(NOVEMBER.previous(),))
        assert len(queries) == 2  # the accounts, then one pass over both periods' weeks
        assert [(c.planned, c.published) for c in november] == [(c.planned, c.published) for c in full]
        assert [(c.planned, c.published, c.kept_weeks) for c in october] == [
            (None, c.published, c.kept_weeks) for c in full_before
        ]


def test_cadence_narrowed_by_campaign_curator_or_network_counts_their_posts_only(rows, curator):
    # A campaign's or a curator's posts are counted in one grouped pass, the others by probing the indexes per week
    by = {
        "campaign": InsightFilters(NOVEMBER, campaign=rows["campaign"].pk),
        "curator": InsightFilters(NOVEMBER, curator=curator.pk),
        "network": InsightFilters(NOVEMBER, network="mastodon"),
        "account": InsightFilters(NOVEMBER, account=rows["a"].pk),
    }
    weeks = {name: [(c.planned, c.published) for c in cadence(filters)] for name, filters in by.items()}
    assert weeks["campaign"] == [([0, 2, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0])]  # p1, p2
    assert weeks["curator"] == [([0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0])]  # p1 (p3 is on B, without a target)
    assert weeks["network"] == weeks["account"] == [([0, 2, 1, 2, 1, 0], [0, 2, 1, 2, 0, 0])]
    assert cadence(InsightFilters(NOVEMBER, network="bluesky")) == []


def test_an_account_with_a_target_and_no_post_has_every_week_empty(rows):
    quiet = SocialAccountFactory(network="mastodon", handle="zz-quiet")
    CadenceTarget.objects.create(account=quiet, posts_per_week=3)
    a, empty = cadence(InsightFilters(NOVEMBER))
    assert (a.account, empty.account) == (rows["a"], quiet)
    assert (empty.planned, empty.published, empty.gaps, empty.kept_weeks) == ([0] * 6, [0] * 6, [3] * 6, 0)


def test_best_moments_give_the_median_and_the_number_of_posts_per_cell(rows):
    moments = best_moments(InsightFilters(NOVEMBER))
    cells = {(c["network"], c["weekday"], c["hour"]): (c["median"], c["n"]) for c in moments}
    assert cells == {("mastodon", 1, 10): (30.0, 3), ("bluesky", 3, 18): (15.0, 1)}  # p6 (absent) in no cell


def test_results_per_campaign_idea_kind_and_curator(rows, curator):
    figures = period_figures(InsightFilters(NOVEMBER))
    campaigns = {row["post__campaign__name"]: row for row in figures.results.campaigns}
    assert (campaigns["MuseumWeek"]["posts"], campaigns["MuseumWeek"]["engagements"]) == (2, 80)
    assert campaigns["MuseumWeek"]["rate_followers"] == pytest.approx(0.04)
    assert (campaigns[None]["posts"], campaigns[None]["engagements"]) == (4, 35)
    kinds = {row["post__ideas__kind"]: row for row in figures.kinds}
    assert (kinds["artwork"]["posts"], kinds["artwork"]["engagements"], kinds["event"]["engagements"]) == (2, 65, 30)
    curators = {row["post__ideas__proposer_id"]: row for row in figures.curators}
    assert (curators[curator.pk]["engagements"], curators[rows["bob"].pk]["engagements"]) == (65, 30)


def test_a_curator_filter_keeps_only_posts_made_from_their_ideas(rows, curator):
    mine = InsightFilters(NOVEMBER, curator=curator.pk)
    assert {p.pk for p in posts_table(mine)} == {rows["p1"].pk, rows["p3"].pk}
    assert totals(mine).engagements == 65


def test_campaign_and_network_filters_narrow_the_posts(rows):
    assert totals(InsightFilters(NOVEMBER, campaign=rows["campaign"].pk)).engagements == 80
    assert totals(InsightFilters(NOVEMBER, network="bluesky")).engagements == 15
    assert totals(InsightFilters(NOVEMBER, account=rows["a"].pk)).published == 5


def test_inbox_figures_are_the_inbox_apps_own_response_times(rows):
    figures = inbox_figures(InsightFilters(NOVEMBER))
    since, until = NOVEMBER.bounds
    assert figures.per_week == response_times(since=since, until=until)
    assert {row["network"]: (row["received"], row["answered"]) for row in figures.per_network} == {
        "mastodon": (4, 3),
        "bluesky": (1, 1),
    }


def test_inbox_figures_come_from_one_pass_and_an_unanswered_week_has_no_response_time(rows):
    answered(rows["b"], local(11, 24, 9), None)  # B's only message of its week, never answered
    with CaptureQueriesContext(connection) as queries:
        figures = inbox_figures(InsightFilters(NOVEMBER))
    assert len(queries) == 1
    assert (figures.received, figures.answered) == (6, 4)
    assert [(row.network, row.week, row.answered, row.median_s) for row in figures.per_week] == [
        ("bluesky", date(2026, 11, 9), 1, 300.0),
        ("mastodon", date(2026, 11, 2), 3, 1800.0),
    ]
    assert (figures.overall.answered, figures.overall.median_s) == (4, pytest.approx(1200.0))
    without = inbox_figures(InsightFilters(NOVEMBER), weekly=False)
    assert (without.per_network, without.overall, without.per_week) == (figures.per_network, figures.overall, [])


def test_the_inbox_counts_on_sqlite_as_on_postgresql_whichever_the_weeks_expression(rows):
    since, until = NOVEMBER.bounds
    messages = received_messages(since=since, until=until)
    weeks = WeekOf("created_at", weeks_of(NOVEMBER.first, NOVEMBER.last), history.PARIS)
    for sets in [(("network", "week"), ("network",), ()), ((),), (("network",), ())]:
        python = sorted(_response_rows_python(messages, sets), key=repr)
        assert python == sorted(_response_rows(messages, sets), key=repr)
        assert python == sorted(_response_rows(messages, sets, weeks), key=repr)


def test_what_worked_names_the_best_network_and_hour(rows):
    report = manager_report(InsightFilters(NOVEMBER))
    assert report.worked[0].startswith("Mastodon engaged most: 3.3% of followers per post over 5 posts")
    assert "10:00" in report.worked[-1]
    assert len(report.worked) == 2  # no kind has the three posts it takes to judge


def test_the_report_takes_as_many_queries_for_three_times_the_history(rows, curator):
    manager_report(InsightFilters(NOVEMBER))  # the day rows of the history built
    with CaptureQueriesContext(connection) as small:
        assert manager_report(InsightFilters(NOVEMBER)).moments  # the exports' figures too
    assert len(small) <= 14  # one more when the cadence and the growth read the accounts each
    history.build_more(rows, copies=2)
    with CaptureQueriesContext(connection) as marked:
        assert manager_report(InsightFilters(NOVEMBER)).moments  # rebuilds the day rows of the days written
    with CaptureQueriesContext(connection) as large:
        assert manager_report(InsightFilters(NOVEMBER)).moments
    assert len(large) == len(small)
    assert len(marked) == len(small) + 2  # the rebuild's two statements, only after writes


@pytest.mark.parametrize("many", [1, period.MANY])
@pytest.mark.parametrize("limit", [2, 50])
def test_the_one_pass_ranks_as_the_table_and_the_rates_do_from_the_indexes_or_not(rows, limit, many, monkeypatch):
    """`many` 1: the measured posts ranked from the indexes, two being enough, fifty not (the unmeasured ones follow
    them); the default: ranked from the period's posts, too few."""
    monkeypatch.setattr(period, "MANY", many)
    filters = InsightFilters(NOVEMBER)
    table = [p.pk for p in posts_table(filters, limit=limit)]
    rankings = period_figures(filters, limit=limit).rankings
    assert [p.pk for p in rankings.table] == table
    assert len(table) == min(limit, 6)
    assert [p.pk for p in rankings.top] == [rows["p1"].pk, rows["p3"].pk, rows["p2"].pk]
    assert [p.pk for p in rankings.bottom] == [rows["p4"].pk]


def test_the_ranked_posts_take_the_period_s_accounts_when_given(rows):
    filters = InsightFilters(NOVEMBER)
    accounts = period_accounts(filters)
    rankings = period_figures(filters, limit=50, accounts=accounts).rankings
    alone = period_figures(filters, limit=50).rankings
    assert [p.pk for p in rankings.table] == [p.pk for p in alone.table]
    assert [p.pk for p in rankings.top] == [p.pk for p in alone.top]
    with CaptureQueriesContext(connection) as queries:
        named = [str(p.account) for p in (*rankings.table, *rankings.top, *rankings.bottom)]
    assert not queries
    assert named == [str(p.account) for p in (*alone.table, *alone.top, *alone.bottom)]
    assert all(any(p.account is account for account in accounts) for p in rankings.table)
