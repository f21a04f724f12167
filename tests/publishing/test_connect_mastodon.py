"""Connecting a Mastodon-API account: the scopes the instance accepts, one app per instance, no token left alive."""

import importlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.urls import reverse

from publishing.models import MastodonApp, Network, SocialAccount
from publishing.oauth.mastodon import BROAD_SCOPES, GRANULAR_SCOPES
from tests.conftest import login_client
from tests.factories import SocialAccountFactory
from tests.fakes.mastodon import GRANULAR_SCOPES as ADVERTISED
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.oauth import authorise

pytestmark = pytest.mark.django_db


def connect(client, fake: FakeMastodon):
    """Start at museumcm, authorise at the instance, come back: the response of the callback and the scopes asked."""
    start = client.post(reverse("account_connect", args=["mastodon"]), {"instance": fake.url})
    assert start.status_code == 302, start.content.decode()
    asked = parse_qs(urlsplit(start["Location"]).query)["scope"][0].split()
    return client.get(authorise(start["Location"]), follow=True), asked


def test_a_server_whose_verify_credentials_accepts_only_read_connects(client, community_manager):
    login_client(client, community_manager)
    with FakeMastodon(broad_scopes_only=True) as fake:
        _response, asked = connect(client, fake)

    assert asked == list(BROAD_SCOPES)
    account = SocialAccount.objects.get(network=Network.MASTODON)
    assert account.credentials["access_token"] in fake.live_tokens()
    assert account.status == SocialAccount.Status.CONNECTED


def test_granular_scopes_are_asked_where_the_instance_advertises_them(client, community_manager):
    login_client(client, community_manager)
    with FakeMastodon(scopes_supported=ADVERTISED) as fake:
        _response, asked = connect(client, fake)

    assert asked == list(GRANULAR_SCOPES)
    (app,) = fake.apps.values()
    assert app["scopes"] == set(GRANULAR_SCOPES)
    assert SocialAccount.objects.get(network=Network.MASTODON).external_id == fake.account["id"]


def test_connecting_again_reuses_the_app_and_revokes_the_replaced_token(client, community_manager):
    login_client(client, community_manager)
    with FakeMastodon() as fake:
        connect(client, fake)
        first = SocialAccount.objects.get().credentials["access_token"]
        connect(client, fake)

    assert len(fake.received("POST", r"^/api/v1/apps$")) == 1
    assert MastodonApp.objects.count() == 1
    latest = SocialAccount.objects.get().credentials["access_token"]
    assert latest != first
    assert fake.live_tokens() == {latest}


def test_a_token_whose_account_cannot_be_read_is_revoked_and_nothing_is_saved(client, community_manager):
    login_client(client, community_manager)
    # Advertises granular scopes, yet checks the broad one: the connection fails, and its token must not stay alive.
    with FakeMastodon(scopes_supported=ADVERTISED, broad_scopes_only=True) as fake:
        response, _asked = connect(client, fake)

    assert "out_of_scope_for_token" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert fake.grants.tokens and not fake.live_tokens()


def test_the_handle_is_stored_without_the_port(client, community_manager):
    login_client(client, community_manager)
    with FakeMastodon() as fake:
        connect(client, fake)

    account = SocialAccount.objects.get()
    assert account.handle == "museum@127.0.0.1"
    assert account.server_url == fake.url  # the address keeps the port


def test_handles_stored_with_a_port_lose_it_unless_that_would_collide():
    migration = importlib.import_module("publishing.migrations.0007_mastodon_handles_without_port")
    with_port = SocialAccountFactory(network=Network.MASTODON, handle="musee@musees.example:8443")
    twin = SocialAccountFactory(network=Network.MASTODON, handle="expo@musees.example:8443")
    SocialAccountFactory(network=Network.MASTODON, handle="expo@musees.example")
    bluesky = SocialAccountFactory(network=Network.BLUESKY, handle="musee.bsky.social")

    migration.handles_without_port(apps, None)

    handles = {a.pk: a.handle for a in SocialAccount.objects.all()}
    assert handles[with_port.pk] == "musee@musees.example"
    assert handles[twin.pk] == "expo@musees.example:8443"
    assert handles[bluesky.pk] == "musee.bsky.social"
