"""The Insights page for LinkedIn, Pinterest and Tumblr like the others: a figure the network does not give is "—"
with a tooltip naming it; the audience shows where the network gives one (its latest by the period's end), and says
what each network gives and below which threshold, or that it gives nothing."""

from datetime import date

import pytest
from django.urls import reverse

from insights import selectors
from insights.models import AudienceBreakdown, Checkpoint, PublicationSnapshot
from insights.models.latest import refresh
from insights.selectors import InsightFilters, Period
from insights.selectors.audience import Group
from publishing.models import Network
from tests.conftest import login_client
from tests.factories import PublicationFactory, SocialAccountFactory
from tests.insights.history import local

pytestmark = pytest.mark.django_db

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


def breakdown(account, day: date, dimension: str, buckets: dict[str, int]) -> None:
    AudienceBreakdown.objects.bulk_create(
        AudienceBreakdown(account=account, day=day, dimension=dimension, bucket=bucket, value=value)
        for bucket, value in buckets.items()
    )


def measured(account, at, **counts):
    publication = PublicationFactory(account=account, state="published", scheduled_at=at, published_at=at)
    PublicationSnapshot.objects.create(
        publication=publication, checkpoint=Checkpoint.H24, taken_at=at + Checkpoint.H24.offset, **counts
    )
    refresh([publication.pk])  # as the recording service does after writing snapshots
    return publication


@pytest.fixture
def accounts(paris):
    linkedin = SocialAccountFactory(network=Network.LINKEDIN, handle="musee-marceau")
    breakdown(linkedin, date(2026, 11, 2), "country", {"France": 5000, "Belgique": 400, "Japon": 100})
    breakdown(linkedin, date(2026, 11, 2), "city", {"Greater Paris Metropolitan Region": 2900})
    breakdown(linkedin, date(2026, 12, 2), "country", {"Brésil": 9999})  # after the period: not shown
    return {
        "linkedin": linkedin,
        "pinterest": SocialAccountFactory(network=Network.PINTEREST, handle="museemarceau"),
        "tumblr": SocialAccountFactory(network=Network.TUMBLR, handle="museemarceau-blog"),
        "instagram": SocialAccountFactory(network=Network.INSTAGRAM, handle="musee.marceau"),
    }


def test_the_audience_shows_where_given_with_each_networks_threshold_or_its_absence(client, manager, accounts):
    page = login_client(client, manager).get(reverse("insights"), NOVEMBER).content.decode()

    section = page[page.index('id="audience"') :]
    assert "France" in section and "5,000" in section and "90.9 %" in section  # 5000 of 5500 in that dimension
    assert "Greater Paris Metropolitan Region" in section
    assert "Brésil" not in section
    assert "It documents no minimum" in section  # LinkedIn's
    assert "once it has 100 of them" in section  # Instagram's, though it gave none
    assert "Pinterest gives nothing on who follows an account." in section
    assert "Tumblr gives nothing on who follows an account." in section


def test_a_curator_sees_no_audience(client, curator, accounts):
    page = login_client(client, curator).get(reverse("insights"), NOVEMBER).content.decode()
    assert 'id="audience"' not in page


def test_figures_the_network_does_not_give_are_dashes_naming_it(client, manager, accounts):
    measured(accounts["tumblr"], local(11, 3, 10), likes=40, reposts=12, replies=3)
    measured(accounts["pinterest"], local(11, 4, 10), views=900, likes=5, replies=1, saves=30, link_clicks=7)
    measured(accounts["linkedin"], local(11, 5, 10), views=3200, likes=80, reposts=4, replies=6, link_clicks=41)
    PublicationFactory(account=accounts["tumblr"], state="published", published_at=local(11, 6, 10))

    page = login_client(client, manager).get(reverse("insights"), NOVEMBER).content.decode()

    assert page.count('title="Not provided by Tumblr">—') == 4  # views, quotes, saves, link clicks
    assert page.count('title="Not provided by Pinterest">—') == 2  # reposts, quotes
    assert page.count('title="Not provided by LinkedIn">—') == 2  # quotes, saves
    assert "Not measured yet." in page


def test_the_audience_takes_two_queries_whatever_the_accounts_and_days(accounts, django_assert_num_queries):
    filters = InsightFilters(Period(date(2026, 11, 1), date(2026, 11, 30)))
    for day in range(3, 20):
        breakdown(accounts["linkedin"], date(2026, 11, day), "country", {"France": 5000 + day})
    with django_assert_num_queries(2):
        shown = selectors.audience(filters)
    (linkedin,) = [a for a in shown if a.account == accounts["linkedin"]]
    assert linkedin.day == date(2026, 11, 19)
    assert linkedin.dimensions == [("Country", [Group("France", 5019, 1.0)])]
