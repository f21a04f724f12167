"""Mastodon's metrics through real HTTP against the fake: batches of 20, deleted statuses left out, no views or saves
(absent, not 0), quotes only from 4.5, the pre-4.3 fallback, rate limits and expired tokens."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import AuthExpired, RateLimited
from tests.factories import PublicationFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def statuses(fake, account, count: int) -> list:
    """`count` published statuses of the museum, each with a publication pointing at it."""
    publications = []
    for n in range(count):
        status = fake._status(f"<p>Œuvre {n}</p>", fake.account, None)
        fake.set_counts(status["id"], likes=10 + n, boosts=n, replies=2, quotes=1)
        publications.append(PublicationFactory(account=account, external_id=status["id"], state="published"))
    return publications


def test_post_metrics_come_in_one_call_per_twenty_with_absent_views_and_saves(fake_mastodon, mastodon_account):
    publications = statuses(fake_mastodon, mastodon_account, 20)
    adapter = get_adapter(mastodon_account)
    assert adapter.metrics_batch == 20

    metrics = adapter.fetch_post_metrics(publications)

    assert len(fake_mastodon.received("GET", r"^/api/v1/statuses$")) == 1
    first = metrics[publications[0].external_id]
    assert (first.likes, first.reposts, first.replies, first.quotes) == (10, 0, 2, 1)
    assert given(first) == adapter.post_figures  # no views, saves, link clicks or video views
    assert metrics[publications[5].external_id].likes == 15


def test_a_deleted_status_is_left_out_of_the_answer(fake_mastodon, mastodon_account):
    kept, deleted = statuses(fake_mastodon, mastodon_account, 2)
    fake_mastodon.delete_status(deleted.external_id)
    assert list(get_adapter(mastodon_account).fetch_post_metrics([kept, deleted])) == [kept.external_id]


def test_a_server_before_4_5_gives_no_quotes_which_stay_absent(fake_mastodon, mastodon_account):
    fake_mastodon.gives_quotes = False
    (publication,) = statuses(fake_mastodon, mastodon_account, 1)
    metrics = get_adapter(mastodon_account).fetch_post_metrics([publication])[publication.external_id]
    assert metrics.quotes is None and metrics.likes == 10


def test_a_server_before_4_3_is_read_status_by_status(fake_mastodon, mastodon_account):
    fake_mastodon.old_server = True
    publications = statuses(fake_mastodon, mastodon_account, 3)
    fake_mastodon.delete_status(publications[1].external_id)
    metrics = get_adapter(mastodon_account).fetch_post_metrics(publications)
    assert set(metrics) == {publications[0].external_id, publications[2].external_id}
    assert len(fake_mastodon.received("GET", r"^/api/v1/statuses/\d+$")) == 3


def test_account_metrics_are_read_from_verify_credentials(fake_mastodon, mastodon_account):
    fake_mastodon.set_followers(4500, following=120, statuses=980)
    metrics = get_adapter(mastodon_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts, metrics.audience) == (4500, 120, 980, {})


def test_a_rate_limit_carries_the_wait_the_server_asked_for(fake_mastodon, mastodon_account):
    publications = statuses(fake_mastodon, mastodon_account, 1)
    fake_mastodon.inject(
        path=r"^/api/v1/statuses$", status=429, body={"error": "Too many requests"}, headers={"Retry-After": "30"}
    )
    with pytest.raises(RateLimited) as caught:
        get_adapter(mastodon_account).fetch_post_metrics(publications)
    assert caught.value.retry_after == 30


def test_an_expired_token_asks_for_reconnection(fake_mastodon, mastodon_account):
    fake_mastodon.expire_token()
    with pytest.raises(AuthExpired):
        get_adapter(mastodon_account).fetch_account_metrics()
