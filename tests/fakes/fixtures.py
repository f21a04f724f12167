"""Fixtures for the fake networks (a pytest plugin loaded by tests/conftest.py): a started fake server per test,
and a social account pointing at it. One scheme: `fake_<network>` serves, `<network>_account` points at it."""

import pytest

from tests.factories import SocialAccountFactory
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.facebook import FakeFacebook
from tests.fakes.instagram import FakeInstagram
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.oauth import FakeAuthServer
from tests.fakes.pinterest import FakePinterest
from tests.fakes.threads import FakeThreads
from tests.fakes.tumblr import FakeTumblr
from tests.fakes.x import FakeX


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
    return SocialAccountFactory(**fake_mastodon.account_fields())


@pytest.fixture
def fake_takahe():
    """A Mastodon-compatible server as Takahē answers (tests/fakes/mastodon.py lists how it differs)."""
    with FakeMastodon.takahe() as fake:
        yield fake


@pytest.fixture
def takahe_account(db, fake_takahe):
    return SocialAccountFactory(**fake_takahe.account_fields())


@pytest.fixture
def fake_bluesky():
    with FakeBluesky() as fake:
        yield fake


@pytest.fixture
def bluesky_account(db, fake_bluesky):
    return SocialAccountFactory(**fake_bluesky.account_fields())


@pytest.fixture
def fake_x():
    with FakeX() as fake:
        yield fake


@pytest.fixture
def x_account(db, fake_x, settings):
    settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "x": {"client_id": fake_x.client_id, "client_secret": "x-secret"}}
    return SocialAccountFactory(**fake_x.account_fields())


@pytest.fixture
def fake_facebook(settings):
    settings.SITE_URL = "https://musee.example"  # Meta fetches media from its public address
    with FakeFacebook() as fake:
        yield fake


@pytest.fixture
def facebook_account(db, fake_facebook):
    return SocialAccountFactory(**fake_facebook.account_fields())


@pytest.fixture
def fake_instagram(settings):
    settings.SITE_URL = "https://musee.example"
    settings.META_CONTAINER_POLL_INTERVAL = 0.01
    with FakeInstagram(handle="musee") as fake:
        yield fake


@pytest.fixture
def instagram_account(db, fake_instagram):
    return SocialAccountFactory(**fake_instagram.account_fields())


@pytest.fixture
def fake_threads(settings):
    settings.SITE_URL = "https://musee.example"
    settings.META_CONTAINER_POLL_INTERVAL = 0.01
    with FakeThreads(handle="musee") as fake:
        yield fake


@pytest.fixture
def threads_account(db, fake_threads):
    return SocialAccountFactory(**fake_threads.account_fields())


@pytest.fixture
def fake_linkedin():
    with FakeLinkedIn() as fake:
        yield fake


@pytest.fixture
def linkedin_account(db, fake_linkedin):
    return SocialAccountFactory(**fake_linkedin.account_fields())


@pytest.fixture
def fake_pinterest(settings):
    """Pinterest's fake, with museumcm's app pointed at it (the token renewal needs the client)."""
    with FakePinterest() as fake:
        settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "pinterest": fake.social_app()}
        yield fake


@pytest.fixture
def pinterest_account(db, fake_pinterest):
    return SocialAccountFactory(**fake_pinterest.account_fields())


@pytest.fixture
def fake_tumblr(settings):
    """Tumblr's fake, with museumcm's app pointed at it (the rotating token renewal needs the client)."""
    with FakeTumblr() as fake:
        settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "tumblr": fake.social_app()}
        yield fake


@pytest.fixture
def tumblr_account(db, fake_tumblr):
    return SocialAccountFactory(**fake_tumblr.account_fields())


@pytest.fixture
def auth_server():
    """X's authorization server and a Mastodon instance's app registration and login."""
    with FakeAuthServer() as server:
        yield server


@pytest.fixture
def x_app(settings, auth_server):
    """museumcm's X app pointed at `auth_server`."""
    app = auth_server.grants.social_app(auth_server.url, "/i/oauth2/authorize", "/2/oauth2/token")
    settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "x": app}
    return settings.SOCIAL_APPS["x"]
