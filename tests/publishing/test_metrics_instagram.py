"""Instagram's insights through real HTTP against the fake: one call per media, views refused by older media asked
again without them (absent, not 0), "no data yet" absent, account counts, demographics above 100 followers only."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import AuthExpired
from tests.factories import PublicationFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def media(fake, account, count: int) -> list:
    return [
        PublicationFactory(account=account, external_id=fake.add_post(f"Œuvre {n}"), state="published")
        for n in range(count)
    ]


def test_each_media_is_one_call_with_views_likes_comments_saves_and_shares(fake_instagram, instagram_account):
    first, second = media(fake_instagram, instagram_account, 2)
    fake_instagram.set_insights(first.external_id, views=1200, likes=80, comments=6, saved=14, shares=3)
    fake_instagram.set_insights(second.external_id, views=10, likes=1)
    adapter = get_adapter(instagram_account)
    assert adapter.metrics_batch == 1

    metrics = adapter.fetch_post_metrics([first])[first.external_id]

    assert (metrics.views, metrics.likes, metrics.replies, metrics.saves, metrics.reposts) == (1200, 80, 6, 14, 3)
    assert given(metrics) == adapter.post_figures  # no quotes, link clicks or video views
    assert len(fake_instagram.received("GET", r"/insights$")) == 1


def test_an_older_media_refusing_views_is_asked_again_without_them(fake_instagram, instagram_account):
    (old,) = media(fake_instagram, instagram_account, 1)
    fake_instagram.set_insights(old.external_id, views=500, likes=20)
    fake_instagram.refuse_views(old.external_id)
    metrics = get_adapter(instagram_account).fetch_post_metrics([old])[old.external_id]
    assert (metrics.views, metrics.likes) == (None, 20)


def test_no_data_yet_is_absent_not_zero(fake_instagram, instagram_account):
    (fresh,) = media(fake_instagram, instagram_account, 1)
    metrics = get_adapter(instagram_account).fetch_post_metrics([fresh])[fresh.external_id]
    assert (metrics.views, metrics.likes, metrics.saves) == (None, None, None)


def test_account_counts_and_demographics_above_the_threshold(fake_instagram, instagram_account):
    fake_instagram.followers = 6500
    fake_instagram.demographics = {
        "age": {"25-34": 2100, "35-44": 1800},
        "gender": {"F": 4200, "M": 2200},
        "country": {"FR": 5000},
        "city": {"Paris, Île-de-France": 2400},
    }
    metrics = get_adapter(instagram_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following) == (6500, 12)
    assert metrics.audience["age"] == {"25-34": 2100, "35-44": 1800}
    assert set(metrics.audience) == {"age", "gender", "country", "city"}


def test_below_100_followers_no_demographics_are_given(fake_instagram, instagram_account):
    fake_instagram.followers = 40
    metrics = get_adapter(instagram_account).fetch_account_metrics()
    assert metrics.followers == 40 and metrics.audience == {}


def test_an_expired_token_asks_for_reconnection(fake_instagram, instagram_account):
    (publication,) = media(fake_instagram, instagram_account, 1)
    fake_instagram.inject(
        path=r"/insights$",
        status=400,
        body={
            "error": {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
        },
    )
    with pytest.raises(AuthExpired):
        get_adapter(instagram_account).fetch_post_metrics([publication])
