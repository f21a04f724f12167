# ruff: noqa: F811  (pytest fixtures imported from tests/publishing/pipeline.py)
"""Fault tests of Pinterest and Tumblr with real workers: an ambiguous failure ends in one post (neither network has an
idempotency key: the heir looks before sending again), and Tumblr's rotating refresh token survives a worker killed
between the network's new token and storing it: the old one works once more, or the account asks to reconnect."""

import pytest

from publishing.models import Publication, PublishAttempt, SocialAccount
from tests.conftest import wait_for
from tests.factories import MediaFactory, SocialAccountFactory
from tests.fakes.pinterest import FakePinterest
from tests.fakes.tumblr import FakeTumblr
from tests.publishing.pipeline import all_in, beat_factory, due_publication, start_worker  # noqa: F401

State = Publication.State
pytestmark = pytest.mark.worker
TOKEN = r"/v2/oauth2/token$"


def clients(fake) -> dict[str, str]:
    """The worker's environment naming the fake's OAuth client (settings.SOCIAL_APPS)."""
    client_id, secret = next(iter(fake.grants.clients.items()))
    prefix = "PINTEREST" if isinstance(fake, FakePinterest) else "TUMBLR"
    return {f"{prefix}_CLIENT_ID": client_id, f"{prefix}_CLIENT_SECRET": secret}


@pytest.fixture
def pinterest():
    with FakePinterest() as fake:
        yield fake


@pytest.fixture
def tumblr():
    with FakeTumblr() as fake:
        yield fake


def test_a_pin_whose_answer_is_lost_is_found_on_its_board_not_pinned_twice(
    celery_worker_factory,
    beat_factory,
    transactional_db,
    pinterest,
):
    account = SocialAccountFactory(**pinterest.account_fields())
    pinterest.inject(method="POST", path=r"/v5/pins$", after_handling=True, drop=True)
    publication = due_publication(account, text="Nocturne : les jardins éclairés.")
    MediaFactory(post=publication.post, alt_text="Les jardins du musée, la nuit.")
    start_worker(celery_worker_factory, **clients(pinterest))
    beat_factory()

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the Pin to be published")
    assert len(pinterest.pins) == 1
    publication.refresh_from_db()
    assert publication.external_id == pinterest.pins[0]["id"]
    assert list(publication.attempts.values_list("outcome", flat=True)) == [
        PublishAttempt.Outcome.UNKNOWN,
        PublishAttempt.Outcome.PUBLISHED,
    ]


def test_sigkill_while_tumblr_holds_the_answer_posts_once(
    celery_worker_factory, beat_factory, transactional_db, tumblr
):
    account = SocialAccountFactory(**tumblr.account_fields())
    tumblr.inject(method="POST", path=r"/posts$", after_handling=True, delay=8)
    publication = due_publication(account, text="Match du jour : Sagrada Família contre Opéra Garnier.")
    doomed = start_worker(celery_worker_factory, name="doomed", PUBLISHING_LEASE_SECONDS="3", **clients(tumblr))
    beat_factory()
    wait_for(lambda: tumblr.posts_by_id, message="Tumblr to accept the post")

    doomed.stop(sig=9)
    start_worker(celery_worker_factory, name="heir", PUBLISHING_LEASE_SECONDS="3", **clients(tumblr))

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the post to be published")
    assert len(tumblr.received_posts()) == 1
    publication.refresh_from_db()
    assert publication.external_id == tumblr.received_posts()[0]["id"]


def killed_while_renewing(celery_worker_factory, beat_factory, tumblr, account):
    """The access token has expired; a worker's renewal is carried out by Tumblr (a new pair, the old refresh token
    rotated out) and the worker is killed before it can store the answer. An heir takes over."""
    tumblr.expire_access_tokens()
    tumblr.inject(method="POST", path=TOKEN, after_handling=True, delay=8)
    publication = due_publication(account, text="Duel : Tour Eiffel contre Atomium.")
    doomed = start_worker(celery_worker_factory, name="doomed", PUBLISHING_LEASE_SECONDS="3", **clients(tumblr))
    beat_factory()
    wait_for(lambda: tumblr.refreshes == 1, message="Tumblr to rotate the refresh token")

    doomed.stop(sig=9)
    start_worker(celery_worker_factory, name="heir", PUBLISHING_LEASE_SECONDS="3", **clients(tumblr))
    return publication


def test_killed_between_receiving_and_storing_a_new_refresh_token_the_old_one_works_once_more(
    celery_worker_factory,
    beat_factory,
    transactional_db,
    tumblr,
):
    tumblr.old_refresh_valid_once = True
    account = SocialAccountFactory(**tumblr.account_fields())
    first_refresh = account.credentials["refresh_token"]

    publication = killed_while_renewing(celery_worker_factory, beat_factory, tumblr, account)

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the post to be published")
    assert len(tumblr.received_posts()) == 1
    account.refresh_from_db()
    assert tumblr.refreshes == 2  # the heir renewed with the old refresh token, once
    assert account.credentials["refresh_token"] != first_refresh
    assert account.credentials["refresh_token"] in tumblr.refresh_tokens  # what is stored is the live one
    assert account.status == SocialAccount.Status.CONNECTED


def test_killed_between_receiving_and_storing_a_new_refresh_token_the_account_asks_to_reconnect(
    celery_worker_factory,
    beat_factory,
    transactional_db,
    tumblr,
):
    account = SocialAccountFactory(**tumblr.account_fields())

    publication = killed_while_renewing(celery_worker_factory, beat_factory, tumblr, account)

    wait_for(
        lambda: SocialAccount.objects.filter(pk=account.pk, status=SocialAccount.Status.NEEDS_RECONNECT).exists(),
        timeout=40,
        message="the account to ask for reconnecting",
    )
    account.refresh_from_db()
    assert "invalid" in account.status_reason.lower()
    publication.refresh_from_db()
    assert (publication.state, publication.held) == (State.DUE, True)  # waiting for the reconnection, not lost
    assert tumblr.received_posts() == []
