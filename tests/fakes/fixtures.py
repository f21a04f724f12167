"""Fixtures for the fake networks (a pytest plugin loaded by tests/conftest.py): a started fake server per test,
and a social account pointing at it."""

import pytest

from publishing.models import Network
from tests.factories import SocialAccountFactory
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.mastodon import FakeMastodon


@pytest.fixture
def short_timeouts(settings):
    """Adapters give up after one second: a test of a hanging network does not wait the real 30 s."""
    settings.ADAPTER_TIMEOUT = (2, 1)


@pytest.fixture
def fake_mastodon():
    with FakeMastodon() as fake:
        yield fake


@pytest.fixture
def mastodon_account(db, fake_mastodon):
    return SocialAccountFactory(
        network=Network.MASTODON,
        handle="museum@fake.social",
        server_url=fake_mastodon.url,
        external_id=fake_mastodon.account["id"],
        credentials={"access_token": "mastodon-token"},
    )


@pytest.fixture
def fake_bluesky():
    with FakeBluesky() as fake:
        yield fake


@pytest.fixture
def bluesky_account(db, fake_bluesky):
    return SocialAccountFactory(
        network=Network.BLUESKY,
        handle=fake_bluesky.handle,
        server_url=fake_bluesky.url,
        external_id=fake_bluesky.did,
        credentials=bluesky_credentials(fake_bluesky.session()),
    )


def bluesky_credentials(session: dict) -> dict:
    """A Bluesky session as the connect flow stores it."""
    return {"access_token": session["accessJwt"], "refresh_token": session["refreshJwt"], "did": session["did"]}
