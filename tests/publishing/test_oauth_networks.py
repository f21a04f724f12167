"""Connecting Facebook Pages, Instagram, Threads and LinkedIn end to end: Django's test client against each network's
fake login on loopback (authorize → code → token exchanges → who is behind the token), and the choice of accounts when
one authorisation gives access to several."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.models import Publication, SocialAccount
from publishing.oauth.choice import CHOICE_KEY
from tests.conftest import login_client
from tests.factories import PostFactory, PublicationFactory, SocialAccountFactory
from tests.fakes.facebook import FakeFacebook
from tests.fakes.instagram import FakeInstagram
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.oauth import authorise
from tests.fakes.threads import FakeThreads

pytestmark = pytest.mark.django_db

FAKES = {"facebook": FakeFacebook, "instagram": FakeInstagram, "threads": FakeThreads, "linkedin": FakeLinkedIn}
SIXTY_DAYS = timedelta(days=60)


@pytest.fixture
def network_fake(settings):
    """Start the fake of a network and point museumcm's app for that network at it."""
    started = []

    def start(network: str):
        fake = FAKES[network]().start()
        started.append(fake)
        settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, network: fake.social_app()}
        return fake

    yield start
    for fake in started:
        fake.stop()


@pytest.fixture
def cm_client(client, community_manager):
    return login_client(client, community_manager)


def _connect(client, network: str, **query) -> str:
    """Press "Connect": the authorize URL the browser is sent to."""
    start = client.get(reverse("account_connect", args=[network]), query)
    assert start.status_code == 302
    return start["Location"]


def _scopes(location: str, separator: str = ",") -> set[str]:
    return set(parse_qs(urlsplit(location).query)["scope"][0].split(separator))


def _assert_lasts_sixty_days(account: SocialAccount) -> None:
    assert abs(account.token_expires_at - (timezone.now() + SIXTY_DAYS)) < timedelta(hours=1)


def _stored_credentials() -> list[str]:
    """The credentials column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM publishing_socialaccount")
        return [row[0] for row in cursor.fetchall()]


def _assert_encrypted(token: str) -> None:
    stored = _stored_credentials()
    assert stored
    assert all(token not in column for column in stored)


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


# Facebook Pages -----------------------------------------------------------------------------------------------------


def test_facebook_connects_the_only_page_with_its_page_token_encrypted(cm_client, network_fake):
    fake = network_fake("facebook")

    location = _connect(cm_client, "facebook")

    asked = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{fake.url}/v23.0/dialog/oauth?")
    assert asked["state"][0]
    assert asked["client_id"] == [fake.client_id]
    assert {"pages_show_list", "pages_manage_posts", "pages_read_engagement"} <= _scopes(location)
    response = cm_client.get(authorise(location))
    assert response["Location"] == reverse("social_accounts")
    account = SocialAccount.objects.get(network="facebook")
    assert (account.handle, account.external_id, account.display_name) == (fake.user_id, fake.user_id, "Musée Marceau")
    assert account.credentials == {"access_token": fake.token}
    assert account.token_expires_at is None  # a Page token from a long-lived user token does not expire
    assert account.avatar_url.endswith(f"{fake.user_id}.jpg")
    _assert_encrypted(fake.token)
    exchanges = fake.received("GET", r"/oauth/access_token")
    assert [r.query["grant_type"] for r in exchanges] == [["authorization_code"], ["fb_exchange_token"]]


def test_a_connected_facebook_page_publishes_on_the_server_it_was_connected_on(cm_client, network_fake):
    fake = network_fake("facebook")
    cm_client.get(authorise(_connect(cm_client, "facebook")))
    account = SocialAccount.objects.get(network="facebook")
    post = PostFactory(text="Nocturne ce vendredi.")
    publication = PublicationFactory(post=post, account=account, text=post.text, state=Publication.State.SENDING)

    get_adapter(account).publish(publication)

    assert [p["text"] for p in fake.received_posts(account.external_id)] == ["Nocturne ce vendredi."]


def test_facebook_with_three_pages_asks_which_to_connect_and_connects_only_that_one(cm_client, network_fake):
    fake = network_fake("facebook")
    auditorium = fake.add_page("Auditorium Marceau")
    fake.add_page("Amis du musée")

    response = cm_client.get(authorise(_connect(cm_client, "facebook")))

    assert response["Location"] == reverse("account_choose")
    assert not SocialAccount.objects.exists()
    assert fake.token not in json.dumps(dict(cm_client.session))  # what waits in the session is encrypted
    page = cm_client.get(reverse("account_choose"))
    html = page.content.decode()
    assert [name in html for name in ("Musée Marceau", "Auditorium Marceau", "Amis du musée")] == [True] * 3
    assert fake.token not in html
    choice = page.context["form"]["choice"].value()

    response = cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": [auditorium]}, follow=True)

    account = SocialAccount.objects.get()
    assert (account.handle, account.display_name) == (auditorium, "Auditorium Marceau")
    assert account.credentials == {"access_token": fake.token}
    assert "Connected: Facebook · Auditorium Marceau." in _messages(response)


def test_every_page_of_the_list_of_pages_is_offered(cm_client, network_fake):
    fake = network_fake("facebook")
    fake.add_page("Auditorium Marceau")
    fake.add_page("Amis du musée")
    fake.max_page = 2

    cm_client.get(authorise(_connect(cm_client, "facebook")))

    candidates = cm_client.get(reverse("account_choose")).context["form"].candidates
    assert [c["display_name"] for c in candidates] == ["Musée Marceau", "Auditorium Marceau", "Amis du musée"]


def test_submitting_the_choice_twice_connects_nothing_more(cm_client, network_fake):
    fake = network_fake("facebook")
    second = fake.add_page("Auditorium Marceau")
    cm_client.get(authorise(_connect(cm_client, "facebook")))
    choice = cm_client.get(reverse("account_choose")).context["form"]["choice"].value()
    cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": [second]})

    again = cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": [fake.user_id]}, follow=True)

    assert "expired or was already made: nothing was connected" in _messages(again)
    assert list(SocialAccount.objects.values_list("handle", flat=True)) == [second]


def test_an_expired_choice_connects_nothing(cm_client, network_fake):
    fake = network_fake("facebook")
    fake.add_page("Auditorium Marceau")
    cm_client.get(authorise(_connect(cm_client, "facebook")))
    choice = cm_client.get(reverse("account_choose")).context["form"]["choice"].value()
    session = cm_client.session
    session[CHOICE_KEY] = {**session[CHOICE_KEY], "expires": (timezone.now() - timedelta(seconds=1)).timestamp()}
    session.save()

    response = cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": [fake.user_id]}, follow=True)

    assert "expired or was already made" in _messages(response)
    assert not SocialAccount.objects.exists()


def test_choosing_no_account_asks_again(cm_client, network_fake):
    fake = network_fake("facebook")
    fake.add_page("Auditorium Marceau")
    cm_client.get(authorise(_connect(cm_client, "facebook")))
    choice = cm_client.get(reverse("account_choose")).context["form"]["choice"].value()

    response = cm_client.post(reverse("account_choose"), {"choice": choice})

    assert response.status_code == 400
    assert "Choose at least one account." in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_reconnecting_a_page_ticks_it_shows_its_status_and_releases_its_held_publications(cm_client, network_fake):
    fake = network_fake("facebook")
    fake.add_page("Auditorium Marceau")
    stale = SocialAccountFactory(
        network="facebook",
        handle=fake.user_id,
        credentials={"access_token": "revoked"},
        status=SocialAccount.Status.NEEDS_RECONNECT,
    )
    held = PublicationFactory(account=stale, state=Publication.State.DUE, held=True)
    cm_client.get(authorise(_connect(cm_client, "facebook", handle=fake.user_id)))

    page = cm_client.get(reverse("account_choose"))

    assert page.context["form"]["accounts"].value() == [fake.user_id]
    assert "Needs reconnecting" in page.content.decode()
    choice = page.context["form"]["choice"].value()
    cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": [fake.user_id]})
    stale.refresh_from_db()
    held.refresh_from_db()
    assert stale.status == SocialAccount.Status.CONNECTED
    assert stale.credentials == {"access_token": fake.token}
    assert not held.held
    assert SocialAccount.objects.count() == 1


def test_the_picker_marks_an_account_already_connected(cm_client, network_fake):
    fake = network_fake("facebook")
    fake.add_page("Auditorium Marceau")
    SocialAccountFactory(network="facebook", handle=fake.user_id, display_name="Musée Marceau")
    cm_client.get(authorise(_connect(cm_client, "facebook")))

    page = cm_client.get(reverse("account_choose"))

    assert page.content.decode().count("Already connected") == 1


def test_only_people_who_may_connect_accounts_see_the_picker(client, curator, network_fake):
    login_client(client, curator)

    assert client.get(reverse("account_choose")).status_code == 403


# Instagram --------------------------------------------------------------------------------------------------------


def test_instagram_lists_only_pages_with_an_instagram_account_and_connects_the_chosen_one(cm_client, network_fake):
    fake = network_fake("instagram")
    shop = fake.add_account("musee_boutique")
    fake.pages_without_instagram.append("Page sans Instagram")

    location = _connect(cm_client, "instagram")

    assert {"instagram_basic", "instagram_content_publish", "instagram_manage_comments"} <= _scopes(location)
    assert cm_client.get(authorise(location))["Location"] == reverse("account_choose")
    page = cm_client.get(reverse("account_choose"))
    assert [c["handle"] for c in page.context["form"].candidates] == ["museum", "musee_boutique"]
    choice = page.context["form"]["choice"].value()
    cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": ["musee_boutique"]})
    account = SocialAccount.objects.get()
    assert (account.handle, account.external_id) == ("musee_boutique", shop["external_id"])
    assert account.credentials["access_token"] == fake.token
    assert account.credentials["page_id"]
    assert account.token_expires_at is None
    _assert_encrypted(fake.token)


def test_instagram_with_one_account_connects_it_directly(cm_client, network_fake):
    fake = network_fake("instagram")
    fake.pages_without_instagram.append("Page sans Instagram")

    cm_client.get(authorise(_connect(cm_client, "instagram")))

    account = SocialAccount.objects.get()
    assert (account.handle, account.external_id, account.server_url) == ("museum", fake.user_id, fake.url)


def test_pages_without_instagram_accounts_connect_nothing_and_say_so(cm_client, network_fake):
    fake = network_fake("instagram")
    fake.accounts.clear()
    fake.pages_without_instagram.append("Page sans Instagram")

    response = cm_client.get(authorise(_connect(cm_client, "instagram")), follow=True)

    assert "gives access to no account museumcm can publish on" in _messages(response)
    assert not SocialAccount.objects.exists()


# Threads ----------------------------------------------------------------------------------------------------------


def test_threads_connects_with_a_long_lived_token(cm_client, network_fake):
    fake = network_fake("threads")

    location = _connect(cm_client, "threads")

    assert location.startswith(f"{fake.url}/oauth/authorize?")
    assert {"threads_basic", "threads_content_publish", "threads_manage_replies"} <= _scopes(location)
    cm_client.get(authorise(location))
    account = SocialAccount.objects.get()
    assert (account.handle, account.external_id, account.server_url) == ("museum", fake.user_id, fake.url)
    token = account.credentials["access_token"]
    assert token.startswith("long-") and token in fake.grants.tokens
    _assert_lasts_sixty_days(account)
    _assert_encrypted(token)
    assert fake.received("POST", "/oauth/access_token")[0].form()["grant_type"] == ["authorization_code"]


# LinkedIn ---------------------------------------------------------------------------------------------------------


def test_linkedin_connects_the_organisation_the_member_administers(cm_client, network_fake):
    fake = network_fake("linkedin")

    location = _connect(cm_client, "linkedin")

    assert location.startswith(f"{fake.url}/oauth/v2/authorization?")
    assert {"w_organization_social", "r_organization_social", "rw_organization_admin"} <= _scopes(location, " ")
    cm_client.get(authorise(location))
    account = SocialAccount.objects.get()
    assert (account.handle, account.external_id) == ("musee-marceau", fake.organization)
    assert account.display_name == "Musée Marceau"
    token = account.credentials["access_token"]
    assert token in fake.grants.tokens
    _assert_lasts_sixty_days(account)
    _assert_encrypted(token)


def test_linkedin_with_three_organisations_connects_the_chosen_one(cm_client, network_fake):
    fake = network_fake("linkedin")
    fake.administered["urn:li:organization:2414184"] = {"localizedName": "Auditorium", "vanityName": "auditorium"}
    fake.administered["urn:li:organization:2414185"] = {"localizedName": "Les Amis", "vanityName": "les-amis"}
    cm_client.get(authorise(_connect(cm_client, "linkedin")))
    choice = cm_client.get(reverse("account_choose")).context["form"]["choice"].value()

    cm_client.post(reverse("account_choose"), {"choice": choice, "accounts": ["les-amis"]})

    account = SocialAccount.objects.get()
    assert (account.handle, account.external_id) == ("les-amis", "urn:li:organization:2414185")


def test_linkedin_without_organisations_connects_the_member(cm_client, network_fake):
    fake = network_fake("linkedin")
    fake.administered.clear()

    cm_client.get(authorise(_connect(cm_client, "linkedin")))

    account = SocialAccount.objects.get()
    assert (account.handle, account.external_id) == ("782bbtaQ", "urn:li:person:782bbtaQ")
    assert account.display_name == "Camille Martin"


def test_linkedin_cancelled_by_the_member_says_why(cm_client, network_fake):
    fake = network_fake("linkedin")
    fake.grants.refusal = {
        "error": "user_cancelled_authorize",
        "error_description": "The user cancelled the authorization",
    }

    response = cm_client.get(authorise(_connect(cm_client, "linkedin")), follow=True)

    assert "The user cancelled the authorization" in _messages(response)
    assert not SocialAccount.objects.exists()


# Every network: a forged state, a refused code -------------------------------------------------------------------

TOKEN_PATHS = {
    "facebook": ("GET", r"/oauth/access_token"),
    "instagram": ("GET", r"/oauth/access_token"),
    "threads": ("POST", r"/oauth/access_token"),
    "linkedin": ("POST", r"/oauth/v2/accessToken"),
}


@pytest.mark.parametrize("network", FAKES)
def test_a_callback_with_a_forged_state_exchanges_no_code(cm_client, network_fake, network):
    fake = network_fake(network)
    back = authorise(_connect(cm_client, network))
    code = parse_qs(urlsplit(back).query)["code"][0]

    response = cm_client.get(reverse("oauth_callback", args=[network]), {"code": code, "state": "forged"}, follow=True)

    assert "wrong or expired state" in _messages(response)
    assert not fake.received(*TOKEN_PATHS[network])
    assert not SocialAccount.objects.exists()


REFUSALS = {
    "facebook": "The network refused: Invalid verification code format.",
    "instagram": "The network refused: Invalid verification code format.",
    "threads": "The network refused: Invalid verification code format.",
    "linkedin": "The network refused: Unable to retrieve access token: appid/redirect uri/code verifier does not "
    "match authorization code.",
}


@pytest.mark.parametrize("network", FAKES)
def test_a_refused_code_exchange_shows_the_networks_reason(cm_client, network_fake, network):
    network_fake(network)
    back = urlsplit(authorise(_connect(cm_client, network)))
    state = parse_qs(back.query)["state"][0]

    response = cm_client.get(back.path, {"code": "not-a-code-it-gave", "state": state}, follow=True)

    assert REFUSALS[network] in _messages(response)
    assert not SocialAccount.objects.exists()
