"""The sandbox's menu of demo accounts: each behaves like its network (its limits, rules, inbox and previews) while
publishing stays offline, in the sandbox's own rows."""

import logging
import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError
from django.urls import reverse

from publishing.adapters import get_adapter
from publishing.adapters.base import MediaInfo
from publishing.adapters.sandbox import imitation_options
from publishing.models import Network, Publication, PublishAttempt, SandboxPost, SocialAccount
from publishing.services import publication_publish
from tests.conftest import login_client
from tests.factories import MediaFactory, PostFactory, PublicationFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
CONNECT = reverse("account_connect", args=["sandbox"])


def imitating(network: str, **kwargs) -> SocialAccount:
    return SocialAccountFactory(imitates=network, options=imitation_options(network), **kwargs)


def menu_entry(html: str, network: str) -> dict[str, str]:
    """The hidden fields of the menu entry's form, as the browser would send them."""
    entry = re.search(rf'data-network="{network}">(.*?)</li>', html, re.DOTALL).group(1)
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', entry))


def publish(publication) -> Publication:
    publication_publish(publication_id=publication.pk)
    publication.refresh_from_db()
    return publication


@pytest.mark.parametrize("network", Network.imitable())
def test_each_menu_entry_connects_a_sandbox_account_that_behaves_like_its_network(client, community_manager, network):
    login_client(client, community_manager)
    page = client.get(CONNECT).content.decode()

    response = client.post(CONNECT, menu_entry(page, network))

    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert (account.network, account.imitates, account.behaves_as) == ("sandbox", network, network)
    assert account.credentials == {}  # offline: nothing to log in to
    assert get_adapter(account).limits() == get_adapter(SocialAccount(network=network)).limits()
    after = client.get(CONNECT).content.decode()
    assert "Connected" in re.search(rf'data-network="{network}">(.*?)</li>', after, re.DOTALL).group(1)


def test_the_menu_offers_every_real_network_and_a_plain_sandbox_account_stays_possible(client, community_manager):
    login_client(client, community_manager)

    html = client.get(CONNECT).content.decode()
    client.post(CONNECT, {"handle": "musee-test", "display_name": "Test", "imitates": ""})

    assert re.findall(r'data-network="(\w+)"', html) == [n.value for n in Network.imitable()]
    assert "Add the Pinterest demo account" in html
    plain = SocialAccount.objects.get(handle="musee-test")
    assert (plain.imitates, plain.behaves_as) == ("", "sandbox")


def test_reconnecting_a_demo_account_keeps_the_network_it_imitates(client, community_manager):
    account = imitating(Network.TUMBLR, handle="demo-tumblr", status=SocialAccount.Status.DISABLED)
    login_client(client, community_manager)

    form = client.get(CONNECT, {"handle": "demo-tumblr"}).context["form"]
    client.post(CONNECT, {name: form[name].value() for name in ("handle", "display_name", "imitates")})

    account.refresh_from_db()
    assert (account.status, account.imitates) == (SocialAccount.Status.CONNECTED, Network.TUMBLR)


def test_a_pinterest_like_post_without_an_image_is_refused_with_a_readable_reason(client, community_manager):
    account = imitating(Network.PINTEREST)
    login_client(client, community_manager)

    check = client.post(reverse("post_validate"), {"accounts": [account.pk], "text": "Le vernissage."})
    publication = PublicationFactory(account=account, state=Publication.State.SENDING, extra={"board_id": "x"})

    html = check.content.decode()
    assert "Pinterest needs an image or a video: a Pin is a picture." in html
    assert "preview-pinterest" in html  # the preview looks like a Pin, not a sandbox post
    assert publish(publication).state == Publication.State.FAILED
    assert "Pinterest needs an image or a video" in publication.error
    assert publication.attempts.get().outcome == PublishAttempt.Outcome.REJECTED
    assert not SandboxPost.objects.exists()


def test_a_pinterest_like_pin_goes_on_its_board_and_a_tumblr_like_post_keeps_its_tags(client, curator):
    pinterest, tumblr = imitating(Network.PINTEREST), imitating(Network.TUMBLR)
    post = PostFactory(text="Nocturne au musée #MuseumWeek #NuitDesMusées")
    MediaFactory(post=post)
    pin = PublicationFactory(post=post, account=pinterest, extra={"board_id": "sandbox-exhibitions"})
    no_board = PublicationFactory(post=PostFactory(), account=pinterest, state=Publication.State.SENDING)
    MediaFactory(post=no_board.post)
    SocialAccount.objects.filter(pk=pinterest.pk).update(options={})  # a board was never chosen nor known

    get_adapter(tumblr).publish(PublicationFactory(post=post, account=tumblr))
    get_adapter(pinterest).publish(pin)
    refused = publish(no_board)

    details = dict(SandboxPost.objects.values_list("account__imitates", "details"))
    assert details == {"pinterest": {"board": "Exhibitions"}, "tumblr": {"tags": ["MuseumWeek", "NuitDesMusées"]}}
    assert "Choose a Pinterest board" in refused.error
    login_client(client, curator)
    feed = client.get(reverse("sandbox_feed")).content.decode()
    assert "On the board Exhibitions" in feed
    assert "#NuitDesMusées" in feed


def test_a_demo_account_counts_and_limits_text_its_network_s_way():
    x, plain = imitating(Network.X), SocialAccountFactory()
    image = MediaInfo(kind="image", content_type="image/png", size=1000, alt_text="Un vase.")

    problems = get_adapter(x).validate("é" * 281, [image] * 5)

    assert "X allows 280 characters; this text has 281." in [p.message for p in problems]
    assert {p.code for p in problems} == {"too_long", "too_many_media"}
    assert get_adapter(plain).validate("é" * 281, [image] * 4) == []


def test_an_x_like_account_publishes_a_thread_part_by_part_once_and_a_plain_one_refuses_it():
    thread = "Ce soir, nocturne.\n---\nLes salles ouvrent à 19 h.\n---\nVenez nombreux !"
    publication = PublicationFactory(account=imitating(Network.X), text=thread)
    plain = PublicationFactory(account=SocialAccountFactory(), text=thread, state=Publication.State.SENDING)

    adapter = get_adapter(publication.account)
    first, again = adapter.publish(publication), adapter.publish(publication)

    posts = list(SandboxPost.objects.order_by("pk"))
    assert [p.text for p in posts] == ["Ce soir, nocturne.", "Les salles ouvrent à 19 h.", "Venez nombreux !"]
    assert [p.in_reply_to for p in posts] == ["", posts[0].external_id, posts[1].external_id]
    assert first == again and first.external_id == posts[0].external_id and len(first.extra["parts"]) == 3
    assert "Sandbox has no threads" in publish(plain).error


def test_a_mastodon_like_account_uses_mastodon_s_defaults_without_calling_any_server(caplog):
    cache.clear()  # no instance's answer remembered from an earlier test
    adapter = get_adapter(imitating(Network.MASTODON))

    with caplog.at_level(logging.INFO, logger="museumcm.adapters"):
        problems = adapter.validate("a" * 501, [])

    assert "Mastodon allows 500 characters; this text has 501." in [p.message for p in problems]
    assert caplog.records == []  # no request tried, not even a refused one


def test_the_inbox_says_a_pinterest_like_account_has_no_comments(client, community_manager):
    imitating(Network.PINTEREST, display_name="Marceau Pins")
    SocialAccountFactory(display_name="Marceau plain")
    login_client(client, community_manager)

    html = client.get(reverse("inbox")).content.decode()

    assert "Marceau Pins: Pinterest offers no way to read comments" in html
    assert "Marceau plain:" not in html


def test_only_a_sandbox_account_can_imitate_a_network():
    with pytest.raises(IntegrityError):
        SocialAccountFactory(network=Network.X, imitates=Network.PINTEREST)
