"""Connecting accounts: OAuth 2 with state and PKCE (X), Mastodon's app registration, Bluesky's app password,
reconnecting releases held publications, and the token refresh task."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from publishing.connections import accounts_refresh_expiring
from publishing.models import Network, Publication, SocialAccount
from tests.conftest import login_client
from tests.factories import PublicationFactory, SocialAccountFactory
from tests.fakes.oauth import authorise

pytestmark = pytest.mark.django_db


def test_x_connects_with_state_and_pkce(client, community_manager, x_app, auth_server):
    login_client(client, community_manager)

    start = client.get(reverse("account_connect", args=["x"]))

    assert start.status_code == 302
    asked = parse_qs(urlsplit(start["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["state"][0]
    response = client.get(authorise(start["Location"]))
    assert response.status_code == 302
    account = SocialAccount.objects.get(network=Network.X)
    assert account.handle == "museum"
    assert account.external_id == auth_server.user["id"]
    assert account.credentials["access_token"] in auth_server.grants.tokens
    assert account.token_expires_at > timezone.now()
    assert account.status == SocialAccount.Status.CONNECTED


def test_a_callback_with_a_wrong_state_is_refused(client, community_manager, x_app, auth_server):
    login_client(client, community_manager)
    start = client.get(reverse("account_connect", args=["x"]))
    back = authorise(start["Location"])
    code = parse_qs(urlsplit(back).query)["code"][0]

    response = client.get(reverse("oauth_callback", args=["x"]), {"code": code, "state": "forged"}, follow=True)

    assert "wrong or expired state" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert not auth_server.received("POST", "/2/oauth2/token")  # the code was never exchanged


def test_a_callback_without_a_started_connection_is_refused(client, community_manager, x_app):
    login_client(client, community_manager)

    response = client.get(reverse("oauth_callback", args=["x"]), {"code": "abc", "state": "abc"}, follow=True)

    assert "wrong or expired state" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_a_network_without_client_id_is_not_offered(client, community_manager, settings):
    settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "linkedin": {"client_id": "", "client_secret": ""}}
    login_client(client, community_manager)

    response = client.get(reverse("account_connect", args=["linkedin"]), follow=True)

    assert "LinkedIn is not set up on this server yet." in response.content.decode()


def test_bluesky_connects_with_an_app_password(client, community_manager, fake_bluesky):
    login_client(client, community_manager)

    response = client.post(
        reverse("account_connect", args=["bluesky"]),
        {"handle": "@museum.bsky.social", "app_password": fake_bluesky.password, "server": fake_bluesky.url},
    )

    assert response.status_code == 302
    account = SocialAccount.objects.get(network=Network.BLUESKY)
    assert account.external_id == fake_bluesky.did
    assert account.credentials["access_token"] in fake_bluesky.access_tokens


def test_bluesky_wrong_app_password_is_explained_and_nothing_is_saved(client, community_manager, fake_bluesky):
    login_client(client, community_manager)

    response = client.post(
        reverse("account_connect", args=["bluesky"]),
        {"handle": "museum.bsky.social", "app_password": "wrong", "server": fake_bluesky.url},
    )

    assert response.status_code == 400
    assert "did not accept this handle and app password" in response.content.decode()
    assert "Invalid identifier" not in response.content.decode()  # our words, not the server's
    assert not SocialAccount.objects.exists()


def test_reconnecting_releases_the_held_publications(client, community_manager):
    account = SocialAccountFactory(handle="musee-marceau", status=SocialAccount.Status.NEEDS_RECONNECT)
    held = PublicationFactory(account=account, state=Publication.State.DUE, held=True)
    login_client(client, community_manager)

    client.post(reverse("account_connect", args=["sandbox"]), {"handle": "musee-marceau"})

    account.refresh_from_db()
    held.refresh_from_db()
    assert account.status == SocialAccount.Status.CONNECTED
    assert not held.held


def test_refresh_renews_expiring_tokens(x_account, fake_x):
    SocialAccount.objects.filter(pk=x_account.pk).update(token_expires_at=timezone.now() + timezone.timedelta(hours=1))
    old = x_account.credentials["access_token"]

    assert accounts_refresh_expiring() == 1

    x_account.refresh_from_db()
    assert x_account.credentials["access_token"] != old
    assert x_account.credentials["access_token"] in fake_x.access_tokens


def test_a_refused_refresh_flags_the_account_holds_its_posts_and_emails_the_team(
    x_account, fake_x, community_manager, sent_mail
):
    SocialAccount.objects.filter(pk=x_account.pk).update(token_expires_at=timezone.now() + timezone.timedelta(hours=1))
    due = PublicationFactory(account=x_account, state=Publication.State.DUE)
    fake_x.revoke()

    with sent_mail():
        assert accounts_refresh_expiring() == 0

    x_account.refresh_from_db()
    due.refresh_from_db()
    assert x_account.status == SocialAccount.Status.NEEDS_RECONNECT
    assert due.held
    assert [m.to for m in mail.outbox] == [[community_manager.email]]
    assert "Reconnect" in mail.outbox[0].subject
