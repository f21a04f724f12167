"""Pinterest's analytics through real HTTP against the fake: 100 Pins a call within the 90 days allowed; impressions,
saves, outbound clicks, reactions and comments; video views only on video Pins; no reposts or quotes (absent, not 0);
the beta batch refused, each Pin on its own; gone or foreign Pins left out; the account's counts; rate limits and the
renewed token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.adapters.base import RateLimited
from tests.factories import PublicationFactory
from tests.fakes.pinterest import pinterest_error
from tests.networks import given

pytestmark = pytest.mark.django_db


def pins(fake_pinterest, pinterest_account, count: int, *, video: bool = False, days_ago: int = 0) -> list:
    published = timezone.now() - timedelta(days=days_ago)
    return [
        PublicationFactory(
            account=pinterest_account,
            external_id=fake_pinterest.add_pin(f"Œuvre {n}", video=video, days_ago=days_ago),
            state="published",
            published_at=published,
        )
        for n in range(count)
    ]


def test_a_hundred_pins_come_in_one_call_with_absent_reposts_and_quotes(fake_pinterest, pinterest_account):
    publications = pins(fake_pinterest, pinterest_account, 100, days_ago=3)
    first = publications[0].external_id
    fake_pinterest.set_analytics(
        first, IMPRESSION=4200, SAVE=130, OUTBOUND_CLICK=25, TOTAL_REACTIONS=18, TOTAL_COMMENTS=2
    )
    adapter = get_adapter(pinterest_account)
    assert adapter.metrics_batch == 100

    metrics = adapter.fetch_post_metrics(publications)

    (call,) = fake_pinterest.received("GET", r"^/v5/pins/analytics$")
    today = timezone.now().date()
    assert (call.query["start_date"], call.query["end_date"]) == ([str(today - timedelta(days=3))], [str(today)])
    assert len(metrics) == 100
    counted = metrics[first]
    assert (counted.views, counted.saves, counted.link_clicks, counted.likes, counted.replies) == (4200, 130, 25, 18, 2)
    assert given(counted) == adapter.post_figures - {"video_views"}  # an image Pin; no reposts or quotes


def test_a_video_pin_gives_its_views(fake_pinterest, pinterest_account):
    (video,) = pins(fake_pinterest, pinterest_account, 1, video=True)
    fake_pinterest.set_analytics(video.external_id, IMPRESSION=900, VIDEO_MRC_VIEW=310)
    metrics = get_adapter(pinterest_account).fetch_post_metrics([video])[video.external_id]
    assert (metrics.views, metrics.video_views) == (900, 310)


def test_an_old_pin_is_asked_no_further_back_than_ninety_days(fake_pinterest, pinterest_account):
    (old,) = pins(fake_pinterest, pinterest_account, 1, days_ago=200)
    fake_pinterest.set_analytics(old.external_id, IMPRESSION=70)
    metrics = get_adapter(pinterest_account).fetch_post_metrics([old])
    (call,) = fake_pinterest.received("GET", r"^/v5/pins/analytics$")
    assert call.query["start_date"] == [str(timezone.now().date() - timedelta(days=89))]
    assert metrics[old.external_id].saves == 0


def test_without_the_batch_beta_each_pin_is_asked_and_gone_or_foreign_pins_are_left_out(
    fake_pinterest, pinterest_account
):
    kept, gone, foreign = pins(fake_pinterest, pinterest_account, 3)
    fake_pinterest.batch_enabled = False
    fake_pinterest.pins = [p for p in fake_pinterest.pins if p["id"] != gone.external_id]
    fake_pinterest.foreign_pins = {foreign.external_id}
    fake_pinterest.set_analytics(kept.external_id, IMPRESSION=55)

    metrics = get_adapter(pinterest_account).fetch_post_metrics([kept, gone, foreign])

    assert list(metrics) == [kept.external_id] and metrics[kept.external_id].views == 55
    assert len(fake_pinterest.received("GET", r"^/v5/pins/\d+/analytics$")) == 3


def test_the_account_gives_followers_following_and_pins_and_no_audience(fake_pinterest, pinterest_account):
    pins(fake_pinterest, pinterest_account, 2)
    metrics = get_adapter(pinterest_account).fetch_account_metrics()
    assert (metrics.followers, metrics.following, metrics.posts, metrics.audience) == (1200, 80, 2, {})


def test_a_rate_limit_carries_the_wait(fake_pinterest, pinterest_account):
    publications = pins(fake_pinterest, pinterest_account, 1)
    limited = pinterest_error(429, 8, "This request exceeded a rate limit.", {"Retry-After": "120"})
    fake_pinterest.inject(path=r"/analytics$", status=429, body=limited.body, headers=limited.headers)
    with pytest.raises(RateLimited) as caught:
        get_adapter(pinterest_account).fetch_post_metrics(publications)
    assert caught.value.retry_after == 120


def test_an_expired_access_token_is_renewed_and_the_analytics_read(fake_pinterest, pinterest_account):
    publications = pins(fake_pinterest, pinterest_account, 1)
    fake_pinterest.expire_access_tokens()
    assert list(get_adapter(pinterest_account).fetch_post_metrics(publications)) == [publications[0].external_id]
    pinterest_account.refresh_from_db()
    assert pinterest_account.credentials["access_token"] in fake_pinterest.access_tokens
