"""Collection through the adapters of LinkedIn, Pinterest and Tumblr, in one process over real HTTP to their fakes:
batches in each network's size, absent figures stored as NULL, the audience recorded with its names, and a rate limit
that makes the account's snapshots wait."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insights.collection import snapshots_collect, snapshots_dispatch
from insights.models import AccountSnapshot, AudienceBreakdown, Checkpoint, PublicationSnapshot, ScheduledSnapshot
from tests.factories import PublicationFactory
from tests.fakes.tumblr import tumblr_error
from tests.networks import published

pytestmark = pytest.mark.django_db
State = ScheduledSnapshot.State


def due(account, publications) -> None:
    """Each publication's +1 h snapshot, due now."""
    ScheduledSnapshot.objects.bulk_create(
        ScheduledSnapshot(
            kind="publication", account=account, publication=p, checkpoint=Checkpoint.H1, due_at=timezone.now()
        )
        for p in publications
    )


def collect(capture) -> list[str]:
    with capture():
        claims = snapshots_dispatch()
    return [snapshots_collect(claim=claim) for claim in claims]


def test_linkedin_posts_go_twenty_a_call_and_absent_figures_stay_null(
    fake_linkedin, linkedin_account, django_capture_on_commit_callbacks
):
    publications = [published(linkedin_account, None, f"Œuvre {n}") for n in range(25)]
    fake_linkedin.set_statistics(publications[0].external_id, impressions=3200, likes=87, clicks=41)
    due(linkedin_account, publications)

    assert collect(django_capture_on_commit_callbacks) == ["done"]

    calls = fake_linkedin.received("GET", r"ShareStatistics$")
    assert [len(c.query["shares"][0].split(",")) for c in calls] == [20, 5]
    assert PublicationSnapshot.objects.count() == 25
    first = PublicationSnapshot.objects.get(publication=publications[0])
    assert (first.views, first.likes, first.link_clicks, first.quotes, first.saves) == (3200, 87, 41, None, None)


def test_a_linkedin_organisations_day_records_its_followers_and_named_audience(
    fake_linkedin, linkedin_account, django_capture_on_commit_callbacks
):
    fake_linkedin.followers = 6500
    fake_linkedin.follower_demographics = {"followerCountsByGeoCountry": {"urn:li:geo:105015875": (5100, 40)}}
    ScheduledSnapshot.objects.create(
        kind="account", account=linkedin_account, day=timezone.localdate(), due_at=timezone.now()
    )

    assert collect(django_capture_on_commit_callbacks) == ["done"]

    (row,) = AudienceBreakdown.objects.all()
    assert (row.dimension, row.bucket, row.value) == ("country", "France", 5140)
    snapshot = AccountSnapshot.objects.get(account=linkedin_account)
    assert (snapshot.followers, snapshot.following, snapshot.posts) == (6500, None, None)


def test_pinterest_without_the_batch_beta_still_records_every_pin(
    fake_pinterest, pinterest_account, django_capture_on_commit_callbacks
):
    fake_pinterest.batch_enabled = False
    publications = []
    for n in range(3):
        pin = fake_pinterest.add_pin(f"Œuvre {n}")
        fake_pinterest.set_analytics(pin, IMPRESSION=100 * n, SAVE=n)
        publications.append(
            PublicationFactory(
                account=pinterest_account, external_id=pin, state="published", published_at=timezone.now()
            )
        )
    due(pinterest_account, publications)

    assert collect(django_capture_on_commit_callbacks) == ["done"]

    saved = PublicationSnapshot.objects.order_by("views").values_list("views", "saves", "reposts")
    assert list(saved) == [(0, 0, None), (100, 1, None), (200, 2, None)]


def test_a_pinterest_batch_costs_the_same_queries_for_two_pins_or_twelve(
    fake_pinterest, pinterest_account, django_capture_on_commit_callbacks
):
    """The window of the analytics call starts on the day the oldest Pin was published: each publication's
    `published_at` comes with the batch (left deferred, each cost a query)."""
    queries = []
    for count in (2, 12):
        publications = [
            PublicationFactory(
                account=pinterest_account,
                external_id=fake_pinterest.add_pin(f"Œuvre {n}"),
                state="published",
                published_at=timezone.now(),
            )
            for n in range(count)
        ]
        due(pinterest_account, publications)
        with django_capture_on_commit_callbacks():
            (claim,) = snapshots_dispatch()
        with CaptureQueriesContext(connection) as captured:
            assert snapshots_collect(claim=claim) == "done"
        queries.append(len(captured))
    assert queries[0] == queries[1]
    assert PublicationSnapshot.objects.count() == 14


def test_tumblrs_limit_makes_the_blogs_snapshots_wait(fake_tumblr, tumblr_account, django_capture_on_commit_callbacks):
    publications = [published(tumblr_account, None, f"Duel {n}") for n in range(2)]
    due(tumblr_account, publications)
    fake_tumblr.inject(path=r"/notes$", status=429, body=tumblr_error(429, "Limit Exceeded").body)

    assert "rate_limited" in collect(django_capture_on_commit_callbacks)

    assert PublicationSnapshot.objects.count() == 0
    waiting = ScheduledSnapshot.objects.all()
    assert all(r.state == State.DUE and r.next_attempt_at > timezone.now() for r in waiting)
