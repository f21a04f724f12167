"""The sandbox's metrics: deterministic, growing then settling, a weekly rhythm of followers, absent stays absent."""

import itertools
import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from publishing.adapters import ADAPTERS, get_adapter, sandbox_metrics
from publishing.models import Network, Publication, SandboxPost
from tests.factories import PublicationFactory, SocialAccountFactory
from tests.networks import given

pytestmark = pytest.mark.django_db


def sandbox_post(hours_ago: float, link: str = "") -> Publication:
    publication = PublicationFactory(post__link=link)
    result = get_adapter(publication.account).publish(publication)
    SandboxPost.objects.filter(idempotency_key=publication.idempotency_key).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    Publication.objects.filter(pk=publication.pk).update(external_id=result.external_id)
    publication.refresh_from_db()
    return publication


def test_post_metrics_are_given_per_external_id_and_the_same_when_asked_again():
    publication = sandbox_post(hours_ago=30)
    adapter = get_adapter(publication.account)
    first = adapter.fetch_post_metrics([publication])
    assert list(first) == [publication.external_id]
    assert first[publication.external_id].likes > 0
    post = SandboxPost.objects.get()
    at = timezone.now()
    assert sandbox_metrics.post_metrics(post, at, replies=0) == sandbox_metrics.post_metrics(post, at, replies=0)


def test_views_and_likes_grow_fast_then_settle():
    sandbox_post(hours_ago=0)
    post = SandboxPost.objects.get()
    views = [
        sandbox_metrics.post_metrics(post, post.created_at + timedelta(hours=h), replies=0).views
        for h in (1, 6, 24, 48, 168, 720)
    ]
    likes = [
        sandbox_metrics.post_metrics(post, post.created_at + timedelta(hours=h), replies=0).likes for h in (1, 24, 720)
    ]
    assert views == sorted(views) and likes == sorted(likes)
    assert views[2] - views[0] > views[5] - views[4]  # the first day brings more than the last three weeks


def test_the_sandbox_does_not_give_quotes_or_video_views_and_link_clicks_only_with_a_link():
    plain, linked = sandbox_post(hours_ago=5), sandbox_post(hours_ago=5, link="https://example.org/expo")
    metrics = get_adapter(plain.account).fetch_post_metrics([plain])[plain.external_id]
    with_link = get_adapter(linked.account).fetch_post_metrics([linked])[linked.external_id]
    assert (metrics.quotes, metrics.video_views, metrics.link_clicks) == (None, None, None)
    assert with_link.link_clicks is not None


@pytest.mark.parametrize("network", Network.imitable())
def test_an_account_imitating_a_network_gives_only_the_figures_that_network_gives(network):
    account = SocialAccountFactory(imitates=network)
    post = SandboxPost.objects.create(
        account=account,
        idempotency_key=uuid.uuid4(),
        link="https://example.org/expo",
        created_at=timezone.now() - timedelta(hours=30),
    )
    publication = PublicationFactory(account=account, external_id=post.external_id)

    metrics = get_adapter(account).fetch_post_metrics([publication])[post.external_id]

    made_up = sandbox_metrics.post_metrics(post, timezone.now(), replies=1)
    assert given(metrics) == given(made_up) & ADAPTERS[network].post_figures
    assert given(metrics) < given(made_up) or network == Network.X  # X counts all the sandbox makes up


def test_a_deleted_sandbox_post_is_absent_from_the_answer():
    publication = sandbox_post(hours_ago=2)
    SandboxPost.objects.all().delete()
    assert get_adapter(publication.account).fetch_post_metrics([publication]) == {}


def test_followers_grow_every_day_more_midweek_than_at_weekends():
    monday = timezone.make_aware(datetime(2026, 3, 2, 23, 59))
    gains = []
    for week in range(8):
        days = [monday + timedelta(days=7 * week + n) for n in range(-1, 7)]
        counts = [sandbox_metrics.followers_at(7, day) for day in days]
        gains.append([later - earlier for earlier, later in itertools.pairwise(counts)])
    assert all(gain > 0 for week in gains for gain in week)
    midweek = sum(week[n] for week in gains for n in (1, 2, 3))
    weekend = sum(week[n] for week in gains for n in (5, 6))
    assert midweek / 3 > 1.5 * weekend / 2


def test_account_metrics_give_counts_and_an_audience_that_adds_up_to_the_followers():
    publication = sandbox_post(hours_ago=1)
    metrics = get_adapter(publication.account).fetch_account_metrics()
    assert metrics.followers > 1000 and metrics.following > 0 and metrics.posts > 0
    assert set(metrics.audience) == {"age", "gender", "country", "city"}
    assert abs(sum(metrics.audience["gender"].values()) - metrics.followers) <= 3
