"""Tumblr's notes through real HTTP against the fake: one call per post, likes, reblogs and replies (the rest of the
notes); no views, saves or clicks (absent, not 0); a deleted post left out; the blog's followers and posts; the
"Limit Exceeded" answer and the rotating token renewed on the way."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import RateLimited
from tests.factories import PublicationFactory
from tests.fakes.tumblr import tumblr_error
from tests.networks import given, published

pytestmark = pytest.mark.django_db


def posts(account, count: int) -> list:
    """`count` posts the blog published, each with its publication."""
    return [published(account, None, f"Duel {n} : Tour Eiffel contre Atomium.") for n in range(count)]


def test_a_post_gives_likes_reblogs_and_replies_and_nothing_tumblr_does_not_count(fake_tumblr, tumblr_account):
    (publication,) = posts(tumblr_account, 1)
    fake_tumblr.set_notes(publication.external_id, likes=310, reblogs=95, replies=24)
    adapter = get_adapter(tumblr_account)
    assert adapter.metrics_batch == 1

    metrics = adapter.fetch_post_metrics([publication])[publication.external_id]

    (call,) = fake_tumblr.received("GET", r"/notes$")
    assert (call.query["id"], call.query["mode"]) == ([publication.external_id], ["conversation"])
    assert (metrics.likes, metrics.reposts, metrics.replies) == (310, 95, 24)
    assert given(metrics) == adapter.post_figures  # no views, saves, link clicks, quotes or video views


def test_a_post_without_notes_counts_zero_and_a_deleted_one_is_left_out(fake_tumblr, tumblr_account):
    kept, deleted = posts(tumblr_account, 2)
    del fake_tumblr.posts_by_id[deleted.external_id]
    metrics = get_adapter(tumblr_account).fetch_post_metrics([kept, deleted])
    assert list(metrics) == [kept.external_id]
    assert (metrics[kept.external_id].likes, metrics[kept.external_id].replies) == (0, 0)


def test_the_blog_gives_its_followers_and_posts(fake_tumblr, tumblr_account):
    posts(tumblr_account, 3)
    metrics = get_adapter(tumblr_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts, metrics.audience) == (5000, None, 3, {})


def test_limit_exceeded_is_a_rate_limit(fake_tumblr, tumblr_account):
    publications = posts(tumblr_account, 1)
    fake_tumblr.inject(path=r"/notes$", status=429, body=tumblr_error(429, "Limit Exceeded").body)
    with pytest.raises(RateLimited):
        get_adapter(tumblr_account).fetch_post_metrics(publications)


def test_an_expired_access_token_is_renewed_and_the_new_refresh_token_kept(fake_tumblr, tumblr_account):
    publications = posts(tumblr_account, 1)
    fake_tumblr.expire_access_tokens()
    assert list(get_adapter(tumblr_account).fetch_post_metrics(publications)) == [publications[0].external_id]
    tumblr_account.refresh_from_db()
    assert tumblr_account.credentials["refresh_token"] in fake_tumblr.refresh_tokens


def test_a_post_sent_to_the_queue_is_counted_under_the_id_it_got_when_published(fake_tumblr, tumblr_account):
    publication = PublicationFactory(account=tumblr_account, text="Nocturne de vendredi", extra={"queue": True})
    result = get_adapter(tumblr_account).publish(publication)
    publication.external_id, publication.extra = result.external_id, {**publication.extra, **result.extra}
    publication.save()
    assert get_adapter(tumblr_account).fetch_post_metrics([publication]) == {}  # still waiting in the queue

    (live,) = fake_tumblr.publish_queue()
    fake_tumblr.set_notes(live["id"], likes=12, reblogs=3, replies=1)
    metrics = get_adapter(tumblr_account).fetch_post_metrics([publication])

    assert (metrics[publication.external_id].likes, metrics[publication.external_id].replies) == (12, 1)
    publication.refresh_from_db()
    assert publication.extra["tumblr_live_id"] == live["id"]
    get_adapter(tumblr_account).fetch_post_metrics([publication])
    assert len(fake_tumblr.received("GET", r"/posts$")) == 2  # remembered: not looked for again
