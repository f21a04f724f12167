"""Threads' insights through real HTTP against the fake: one call per post, shares counted with reposts, no saves or
link clicks (absent), followers only (following and posts absent), demographics from 100 followers."""

import pytest

from publishing.adapters import get_adapter
from tests.factories import PublicationFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def test_each_post_is_one_call_and_what_threads_does_not_count_stays_absent(fake_threads, threads_account):
    media_id = fake_threads.add_post("Œuvre du jour")
    publication = PublicationFactory(account=threads_account, external_id=media_id, state="published")
    fake_threads.set_insights(media_id, views=800, likes=45, replies=4, reposts=3, quotes=2, shares=5)
    adapter = get_adapter(threads_account)
    assert adapter.metrics_batch == 1

    metrics = adapter.fetch_post_metrics([publication])[media_id]

    assert (metrics.views, metrics.likes, metrics.replies, metrics.reposts, metrics.quotes) == (800, 45, 4, 8, 2)
    assert given(metrics) == adapter.post_figures  # no saves, link clicks or video views
    assert len(fake_threads.received("GET", r"/insights$")) == 1


def test_the_account_gives_followers_and_demographics_but_no_following_or_posts(fake_threads, threads_account):
    fake_threads.followers = 3200
    fake_threads.demographics = {"age": {"18-24": 900, "25-34": 1500}, "country": {"FR": 2500}}
    metrics = get_adapter(threads_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts) == (3200, None, None)
    assert metrics.audience == {"age": {"18-24": 900, "25-34": 1500}, "country": {"FR": 2500}}


def test_below_100_followers_threads_gives_no_demographics(fake_threads, threads_account):
    fake_threads.followers = 60
    metrics = get_adapter(threads_account).fetch_account_metrics()
    assert metrics.followers == 60 and metrics.audience == {}
