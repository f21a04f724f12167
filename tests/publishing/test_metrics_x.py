"""X's metrics through real HTTP against the fake: 100 ids a call, impressions and link clicks for recent own
posts, public counts only for older ones (link clicks absent, not 0), deleted posts left out, rate limits."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import RateLimited
from tests.factories import PublicationFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def tweets(fake, account, count: int) -> list:
    publications = []
    for n in range(count):
        tweet = fake._create(f"Œuvre {n}", fake.user)
        publications.append(PublicationFactory(account=account, external_id=tweet["id"], state="published"))
    return publications


def test_recent_posts_give_impressions_and_link_clicks_in_one_call(fake_x, x_account):
    publications = tweets(fake_x, x_account, 3)
    fake_x.set_counts(
        publications[0].external_id,
        impressions=900,
        likes=40,
        retweets=5,
        replies=3,
        quotes=2,
        bookmarks=7,
        link_clicks=11,
    )
    adapter = get_adapter(x_account)
    assert adapter.metrics_batch == 100

    metrics = adapter.fetch_post_metrics(publications)

    assert len(fake_x.received("GET", r"^/2/tweets$")) == 1
    first = metrics[publications[0].external_id]
    assert (first.views, first.likes, first.reposts, first.replies, first.quotes, first.saves, first.link_clicks) == (
        900,
        40,
        5,
        3,
        2,
        7,
        11,
    )
    assert given(first) == adapter.post_figures  # no video views


def test_posts_older_than_30_days_are_asked_again_with_public_counts_only(fake_x, x_account):
    recent, old = tweets(fake_x, x_account, 2)
    fake_x.set_counts(old.external_id, impressions=300, likes=9, link_clicks=4, old=True)

    metrics = get_adapter(x_account).fetch_post_metrics([recent, old])

    assert set(metrics) == {recent.external_id, old.external_id}
    assert (metrics[old.external_id].likes, metrics[old.external_id].views) == (9, 300)
    assert metrics[old.external_id].link_clicks is None  # not given for it: absent, not 0
    assert metrics[recent.external_id].link_clicks == 0
    asked = [r.query["tweet.fields"][0] for r in fake_x.received("GET", r"^/2/tweets$")]
    assert asked[1] == "public_metrics"


def test_a_deleted_post_is_left_out_of_the_answer(fake_x, x_account):
    kept, deleted = tweets(fake_x, x_account, 2)
    fake_x.delete_tweet(deleted.external_id)
    assert list(get_adapter(x_account).fetch_post_metrics([kept, deleted])) == [kept.external_id]


def test_account_metrics_come_from_users_me(fake_x, x_account):
    fake_x.set_followers(4500, following=300, tweets=5200)
    metrics = get_adapter(x_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts) == (4500, 300, 5200)


def test_a_rate_limit_is_reported_with_its_reset(fake_x, x_account):
    publications = tweets(fake_x, x_account, 1)
    fake_x.inject(
        path=r"^/2/tweets$",
        status=429,
        body={"title": "Too Many Requests", "type": "about:blank"},
        headers={"Retry-After": "60"},
    )
    with pytest.raises(RateLimited) as caught:
        get_adapter(x_account).fetch_post_metrics(publications)
    assert caught.value.retry_after and caught.value.retry_after >= 60
