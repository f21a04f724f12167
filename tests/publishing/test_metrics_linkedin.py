"""A LinkedIn organisation's statistics through real HTTP against the fake: 20 post URNs a call, each in the list of
its type; impressions, clicks, likes, comments and shares, no quotes or saves (absent, not 0); posts past 12 months
left out; followers and the audience by country and area with names; the permission refusal, the daily rate limit
and the revoked token."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import AuthExpired, RateLimited, Rejected
from tests.fakes.linkedin import linkedin_error
from tests.networks import given, published

pytestmark = pytest.mark.django_db


def posts(account, count: int) -> list:
    """`count` posts the organisation published, each with its publication."""
    return [published(account, None, f"Œuvre {n}") for n in range(count)]


def test_twenty_posts_come_in_one_call_with_absent_quotes_and_saves(fake_linkedin, linkedin_account):
    publications = posts(linkedin_account, 20)
    first = publications[0].external_id
    fake_linkedin.set_statistics(first, impressions=3200, clicks=41, likes=87, comments=6, shares=5)
    adapter = get_adapter(linkedin_account)
    assert adapter.metrics_batch == 20

    metrics = adapter.fetch_post_metrics(publications)

    (call,) = fake_linkedin.received("GET", r"^/rest/organizationalEntityShareStatistics$")
    assert call.query["organizationalEntity"] == [fake_linkedin.organization]
    assert len(metrics) == 20
    counted = metrics[first]
    assert (counted.views, counted.link_clicks, counted.likes, counted.replies, counted.reposts) == (3200, 41, 87, 6, 5)
    assert given(counted) == adapter.post_figures  # no quotes, saves or video views
    assert metrics[publications[1].external_id].likes == 0


def test_each_urn_goes_in_the_list_of_its_type(fake_linkedin, linkedin_account):
    share, ugc = posts(linkedin_account, 2)
    ugc_urn = ugc.external_id.replace("urn:li:share:", "urn:li:ugcPost:")
    for post in fake_linkedin.posts:
        post["urn"] = ugc_urn if post["urn"] == ugc.external_id else post["urn"]
    ugc.external_id = ugc_urn
    fake_linkedin.set_statistics(ugc_urn, impressions=900, likes=12)

    metrics = get_adapter(linkedin_account).fetch_post_metrics([share, ugc])

    (call,) = fake_linkedin.received("GET", r"ShareStatistics$")
    assert (call.query["shares"], call.query["ugcPosts"]) == ([f"List({share.external_id})"], [f"List({ugc_urn})"])
    assert (metrics[ugc_urn].views, metrics[ugc_urn].likes) == (900, 12)


def test_a_post_past_twelve_months_is_left_out(fake_linkedin, linkedin_account):
    recent, old = posts(linkedin_account, 2)
    fake_linkedin.set_statistics(old.external_id, impressions=50, days_old=400)
    assert list(get_adapter(linkedin_account).fetch_post_metrics([recent, old])) == [recent.external_id]


def test_followers_and_the_audience_by_country_and_area_with_their_names(fake_linkedin, linkedin_account):
    fake_linkedin.followers = 6500
    fake_linkedin.follower_demographics = {
        "followerCountsByGeoCountry": {"urn:li:geo:105015875": (5100, 40), "urn:li:geo:101165590": (300, 0)},
        "followerCountsByGeo": {"urn:li:geo:106383538": (2900, 10), "urn:li:geo:999": (12, 0)},
        "followerCountsBySeniority": {"urn:li:seniority:3": (800, 0)},
    }

    metrics = get_adapter(linkedin_account).fetch_account_metrics()

    assert (metrics.followers, metrics.following, metrics.posts) == (6500, None, None)
    assert metrics.audience == {
        "country": {"France": 5140, "United Kingdom": 300},
        "city": {"Greater Paris Metropolitan Region": 2910, "urn:li:geo:999": 12},
    }
    (names,) = fake_linkedin.received("GET", r"^/rest/geo$")
    assert names.query["ids"] == ["List(101165590,105015875,106383538,999)"]


def test_an_organisation_without_demographics_gives_none(fake_linkedin, linkedin_account):
    metrics = get_adapter(linkedin_account).fetch_account_metrics()
    assert metrics.audience == {} and not fake_linkedin.received("GET", r"^/rest/geo$")


def test_a_member_who_is_not_administrator_is_refused_with_the_reason(fake_linkedin, linkedin_account):
    publications = posts(linkedin_account, 1)
    fake_linkedin.statistics_denied = True
    with pytest.raises(Rejected) as caught:
        get_adapter(linkedin_account).fetch_post_metrics(publications)
    assert "permission" in caught.value.reason


def test_the_daily_limit_waits_for_midnight_utc(fake_linkedin, linkedin_account):
    publications = posts(linkedin_account, 1)
    throttled = linkedin_error(429, "Resource level throttle DAY limit for calls to this resource is reached.")
    fake_linkedin.inject(path=r"ShareStatistics$", status=429, body=throttled.body)
    with pytest.raises(RateLimited) as caught:
        get_adapter(linkedin_account).fetch_post_metrics(publications)
    assert 0 < caught.value.retry_after <= 24 * 3600


def test_a_revoked_token_asks_for_reconnection(fake_linkedin, linkedin_account):
    linkedin_account.credentials = {"access_token": "revoked"}
    with pytest.raises(AuthExpired):
        get_adapter(linkedin_account).fetch_account_metrics()
