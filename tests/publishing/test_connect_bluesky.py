"""Connecting Bluesky: only an app password is accepted.

The account's main password also opens a session, a full-access one (it can change the password and email, delete
the account). The session's scope says which password opened it: `com.atproto.appPass` or
`com.atproto.appPassPrivileged` for an app password, `com.atproto.access` for the main one.
"""

import pytest
from django.urls import reverse

from publishing.adapters import get_adapter
from publishing.adapters.base import AuthExpired
from publishing.models import Network, SocialAccount

pytestmark = pytest.mark.django_db

APP_PASSWORDS = "https://bsky.app/settings/app-passwords"


def connect(client, fake_bluesky, password: str):
    return client.post(
        reverse("account_connect", args=["bluesky"]),
        {"handle": "museum.bsky.social", "app_password": password, "server": fake_bluesky.url},
    )


def test_the_main_password_is_refused_explained_and_its_session_ended(client, community_manager, fake_bluesky):
    client.force_login(community_manager)

    response = connect(client, fake_bluesky, fake_bluesky.main_password)

    assert response.status_code == 400
    page = response.content.decode()
    assert "main password" in page and "app password" in page
    assert f'href="{APP_PASSWORDS}"' in page
    assert not SocialAccount.objects.exists()
    (ended,) = fake_bluesky.received("POST", r"deleteSession$")
    assert ended.bearer() not in fake_bluesky.refresh_tokens and fake_bluesky.refresh_tokens == {}


def test_an_app_password_connects(client, community_manager, fake_bluesky):
    client.force_login(community_manager)

    assert connect(client, fake_bluesky, fake_bluesky.password).status_code == 302

    account = SocialAccount.objects.get(network=Network.BLUESKY)
    assert account.credentials["access_token"] in fake_bluesky.access_tokens
    assert fake_bluesky.received("POST", r"deleteSession$") == []


def test_logging_in_again_with_a_main_password_is_refused_and_nothing_is_kept(fake_bluesky, bluesky_account):
    adapter = get_adapter(bluesky_account)
    before = dict(bluesky_account.credentials)

    with pytest.raises(AuthExpired, match="app password"):
        adapter.login(fake_bluesky.handle, fake_bluesky.main_password)

    bluesky_account.refresh_from_db()
    assert bluesky_account.credentials == before
    assert "app_password" not in bluesky_account.credentials
