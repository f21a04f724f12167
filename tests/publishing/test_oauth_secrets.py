"""Secrets of the connect flows are never shown, logged or left readable: a failed code exchange says nothing of the
client secret it carried, and what the session keeps between "Connect" and the network's answer (the PKCE verifier)
is encrypted like stored credentials."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from publishing.models import SocialAccount
from publishing.oauth.flow import SESSION_KEY
from tests.conftest import login_client
from tests.fakes.facebook import FakeFacebook
from tests.fakes.oauth import authorise

pytestmark = pytest.mark.django_db


@pytest.fixture
def facebook(settings):
    with FakeFacebook() as fake:
        settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "facebook": fake.social_app()}
        yield fake


def test_a_failed_code_exchange_shows_and_logs_no_client_secret(client, community_manager, facebook, caplog):
    secret = facebook.social_app()["client_secret"]
    login_client(client, community_manager)
    back = urlsplit(authorise(client.get(reverse("account_connect", args=["facebook"]))["Location"]))
    facebook.stop()  # the exchange (a GET carrying client_secret in its query) meets a closed port

    response = client.get(back.path, parse_qs(back.query), follow=True)

    shown = " ".join(str(message) for message in response.context["messages"])
    assert "could not be reached" in shown
    assert secret not in response.content.decode()
    assert secret not in caplog.text
    assert not SocialAccount.objects.exists()


def test_the_pkce_verifier_waits_encrypted_in_the_session(client, community_manager, x_app, auth_server):
    login_client(client, community_manager)

    start = client.get(reverse("account_connect", args=["x"]))

    kept = client.session[SESSION_KEY]
    assert set(kept) == {"network", "state", "sealed"}
    assert "verifier" not in json.dumps(kept)
    client.get(authorise(start["Location"]))  # the exchange still proves the verifier: the connection completes
    assert SocialAccount.objects.get().handle == "museum"
