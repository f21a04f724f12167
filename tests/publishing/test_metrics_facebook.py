"""A Facebook Page's metrics through real HTTP against the fake: views, reactions summed, link clicks, shares absent
when 0 read as 0, comments; no saves or quotes (absent); "no data yet" absent; the Page's followers."""

import pytest

from publishing.adapters import get_adapter
from tests.factories import PublicationFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def published(account):
    publication = PublicationFactory(account=account, text="Œuvre du jour")
    result = get_adapter(account).publish(publication)
    publication.external_id = result.external_id
    return publication


def test_a_post_gives_views_reactions_clicks_shares_and_comments(fake_facebook, facebook_account):
    publication = published(facebook_account)
    fake_facebook.set_insights(
        publication.external_id, views=2400, reactions={"like": 60, "love": 12}, link_clicks=31, shares=4, comments=9
    )
    adapter = get_adapter(facebook_account)
    assert adapter.metrics_batch == 1

    metrics = adapter.fetch_post_metrics([publication])[publication.external_id]

    assert (metrics.views, metrics.likes, metrics.link_clicks, metrics.reposts, metrics.replies) == (2400, 72, 31, 4, 9)
    assert given(metrics) == adapter.post_figures  # no saves or quotes


def test_no_insights_yet_are_absent_and_missing_shares_mean_none_shared(fake_facebook, facebook_account):
    publication = published(facebook_account)
    metrics = get_adapter(facebook_account).fetch_post_metrics([publication])[publication.external_id]
    assert (metrics.views, metrics.likes, metrics.link_clicks) == (None, None, None)
    assert metrics.reposts == 0


def test_the_page_gives_its_followers(fake_facebook, facebook_account):
    fake_facebook.followers = 6500
    metrics = get_adapter(facebook_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts, metrics.audience) == (6500, None, None, {})
