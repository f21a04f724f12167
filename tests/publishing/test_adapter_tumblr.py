"""Tumblr over real HTTP against its fake: NPF posts with images, alt text, a link and tags; the blog's queue; notes
(replies and reblogs) into the inbox; the rotating refresh token stored under the account's row lock; connecting the
user's blogs. What every network does is in test_contract.py; a worker killed mid-renewal in test_faults_tumblr.py."""

import pytest
from django.urls import reverse

from publishing.adapters import get_adapter
from publishing.adapters.base import AuthExpired
from publishing.models import SocialAccount
from tests.conftest import login_client
from tests.factories import MediaFactory, PublicationFactory
from tests.fakes.oauth import authorise
from tests.networks import on_fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(settings):
    with on_fake("tumblr", settings) as network:
        yield network


@pytest.fixture
def fake(network):
    return network.fake


@pytest.fixture
def account(network):
    return network.account


def test_a_post_carries_its_paragraphs_images_with_alt_text_link_and_tags(fake, account):
    text = "Duel du jour : Tour Eiffel contre Atomium.\n\nVotez en reblog ! #MuseumWeek #architecture"
    publication = PublicationFactory(account=account, text=text, post__link="https://musee.example/duel")
    MediaFactory(post=publication.post, alt_text="La tour Eiffel au crépuscule.")

    result = get_adapter(account).publish(publication)

    (request,) = fake.received("POST", r"/posts$")
    assert request.headers["content-type"].startswith("multipart/form-data")
    post = fake.posts_by_id[result.external_id]
    kinds = [block["type"] for block in post["content"]]
    assert kinds == ["text", "text", "image", "link"]
    assert post["content"][2]["alt_text"] == "La tour Eiffel au crépuscule."
    assert post["tags"] == ["MuseumWeek", "architecture"]
    assert post["state"] == "published"
    assert result.url == f"https://www.tumblr.com/museemarceau/{result.external_id}"


def test_a_target_set_to_the_queue_goes_into_the_blogs_queue_and_is_found_there_and_once_published(fake, account):
    publication = PublicationFactory(account=account, text="Pour la file d'attente.")
    publication.extra = {"queue": True}
    adapter = get_adapter(account)

    result = adapter.publish(publication)

    assert [p["id"] for p in fake.queue] == [result.external_id]
    assert (result.url, result.extra) == ("", {"queued": True})
    publication.save()
    assert adapter.find_existing(publication).external_id == result.external_id
    (published,) = fake.publish_queue()  # the queue publishes it under a new id
    assert adapter.find_existing(publication).external_id == published["id"]


def test_replies_and_reblogs_of_the_museums_posts_come_in_with_a_link_to_tumblr(fake, account):
    adapter = get_adapter(account)
    post = adapter.publish(PublicationFactory(account=account, text="Duel : Louvre contre Prado"))
    reply = fake.add_reply(post.external_id, "Le Prado, évidemment !", who="lea-visite")
    reblog = fake.add_reblog(post.external_id, "Team Louvre", who="archi-fan")

    page = adapter.fetch_messages({})

    assert [(m.external_id, m.kind, m.text) for m in page.messages] == [
        (reply["id"], "reply", "Le Prado, évidemment !"),
        (reblog["id"], "quote", "Team Louvre"),
    ]
    assert {m.root_external_id for m in page.messages} == {post.external_id}
    assert page.messages[0].url == f"https://www.tumblr.com/museemarceau/{post.external_id}"
    assert page.messages[1].url == f"https://www.tumblr.com/archi-fan/{reblog['post_id']}"
    again = adapter.fetch_messages(page.cursor)
    assert again.messages == []


def test_a_long_backlog_of_notes_is_walked_back_page_by_page_and_not_fetched_twice(fake, account):
    adapter = get_adapter(account)
    notes = [fake.add_reply("1", f"Réponse {n}") for n in range(45)]
    cursor, seen = {}, []
    for _page in range(10):
        page = adapter.fetch_messages(cursor)
        seen += [m.external_id for m in page.messages]
        cursor = page.cursor
        if not page.more:
            break
    assert sorted(seen) == sorted(n["id"] for n in notes)
    later = fake.add_reply("1", "Une de plus")
    assert [m.external_id for m in adapter.fetch_messages(cursor).messages] == [later["id"]]


def test_a_renewal_stores_the_rotated_refresh_token_and_the_old_one_is_dead(fake, account):
    fake.expire_access_tokens()
    old = account.credentials["refresh_token"]

    get_adapter(account).publish(PublicationFactory(account=account, text="Après renouvellement"))

    account.refresh_from_db()
    assert account.credentials["refresh_token"] != old
    assert old not in fake.refresh_tokens
    assert fake.refreshes == 1


def test_a_worker_holding_a_stale_refresh_token_takes_the_stored_one_instead_of_burning_it(fake, account):
    stale = get_adapter(SocialAccount.objects.get(pk=account.pk))
    get_adapter(account).refresh_credentials()  # another worker renewed first

    stale.refresh_credentials()

    assert fake.refreshes == 1
    account.refresh_from_db()
    assert stale.account.credentials == account.credentials
    assert account.credentials["refresh_token"] in fake.refresh_tokens


def test_a_refused_refresh_token_is_auth_expired(fake, account):
    fake.revoke()

    with pytest.raises(AuthExpired):
        get_adapter(account).refresh_credentials()


def test_connecting_tumblr_offers_the_users_blogs_primary_first(client, community_manager, fake):
    login_client(client, community_manager)
    start = client.get(reverse("account_connect", args=["tumblr"]))
    assert start["Location"].startswith(f"{fake.url}/oauth2/authorize?")
    assert "scope=basic+write+offline_access" in start["Location"]

    client.get(authorise(start["Location"]))

    account = SocialAccount.objects.get(network="tumblr")
    assert (account.handle, account.external_id, account.display_name) == (
        "museemarceau",
        "t:Mm4rc3auUu1d",
        "Musée Marceau",
    )
    assert account.credentials["refresh_token"] in fake.refresh_tokens
    form = fake.received("POST", r"/v2/oauth2/token$")[0].fields()
    assert (form["client_id"], form["client_secret"]) == ("tumblr-client", "tumblr-secret")
