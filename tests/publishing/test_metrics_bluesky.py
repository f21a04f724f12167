"""Bluesky's metrics through real HTTP against the fake: 25 uris a call, gone posts left out, no views or link
clicks (absent, not 0), bookmarks only where the AppView gives them, the profile's counts, rate limits."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import RateLimited
from publishing.models import Publication
from tests.factories import PublicationFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def published(account, count: int) -> list[Publication]:
    publications = []
    for n in range(count):
        publication = PublicationFactory(account=account, text=f"Œuvre {n}")
        result = get_adapter(account).publish(publication)
        Publication.objects.filter(pk=publication.pk).update(external_id=result.external_id, state="published")
        publication.refresh_from_db()
        publications.append(publication)
    return publications


def test_post_metrics_come_in_one_call_per_25_with_absent_views(fake_bluesky, bluesky_account):
    publications = published(bluesky_account, 3)
    fake_bluesky.set_counts(publications[0].external_id, likes=12, reposts=3, replies=2, quotes=1, bookmarks=4)
    adapter = get_adapter(bluesky_account)
    assert adapter.metrics_batch == 25

    metrics = adapter.fetch_post_metrics(publications)

    assert len(fake_bluesky.received("GET", r"getPosts$")) == 1
    first = metrics[publications[0].external_id]
    assert (first.likes, first.reposts, first.replies, first.quotes, first.saves) == (12, 3, 2, 1, 4)
    assert given(first) == adapter.post_figures  # no views, link clicks or video views
    assert metrics[publications[1].external_id].likes == 0


def test_an_older_appview_gives_no_bookmarks_which_stay_absent(fake_bluesky, bluesky_account):
    fake_bluesky.gives_bookmarks = False
    (publication,) = published(bluesky_account, 1)
    assert get_adapter(bluesky_account).fetch_post_metrics([publication])[publication.external_id].saves is None


def test_a_deleted_post_is_left_out_of_the_answer(fake_bluesky, bluesky_account):
    kept, deleted = published(bluesky_account, 2)
    fake_bluesky.delete_record(deleted.external_id)
    assert list(get_adapter(bluesky_account).fetch_post_metrics([kept, deleted])) == [kept.external_id]


def test_account_metrics_come_from_the_profile(fake_bluesky, bluesky_account):
    fake_bluesky.set_followers(2100, follows=80, posts=640)
    metrics = get_adapter(bluesky_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts, metrics.audience) == (2100, 80, 640, {})


def test_a_rate_limit_is_reported_with_its_wait(fake_bluesky, bluesky_account):
    publications = published(bluesky_account, 1)
    fake_bluesky.inject(
        path=r"getPosts$",
        status=429,
        body={"error": "RateLimitExceeded", "message": "Rate Limit"},
        headers={"Retry-After": "40"},
    )
    with pytest.raises(RateLimited) as caught:
        get_adapter(bluesky_account).fetch_post_metrics(publications)
    assert caught.value.retry_after and caught.value.retry_after >= 40
