"""Link cards on Bluesky: a post's link becomes an `app.bsky.embed.external` card, as the official app makes it.

The linked page is a real HTTP server on loopback (tests/fakes/website.py); it is fetched under the outbound policy.
"""

import pytest

from publishing.adapters import get_adapter
from publishing.linkcard import linkcard_fetch
from tests.factories import MediaFactory, PublicationFactory, png_bytes
from tests.fakes.website import FakeWebsite

pytestmark = pytest.mark.django_db


@pytest.fixture
def website():
    with FakeWebsite() as site:
        yield site


def publish(account, text: str, link: str = ""):
    publication = PublicationFactory(account=account, text=text, post__link=link)
    get_adapter(account).publish(publication)
    return publication


def test_a_link_becomes_a_card_with_title_description_and_thumbnail(fake_bluesky, bluesky_account, website):
    image = website.image("/affiche.png", png_bytes(120, 63))
    url = website.page(
        "/expositions/meduse", title="Le Radeau de la Méduse", description="Une salle rouvre.", image=image
    )

    publish(bluesky_account, "Nouvelle salle.", link=url)

    record = fake_bluesky.posts()[0]["value"]
    assert record["text"] == f"Nouvelle salle.\n\n{url}"
    assert record["embed"]["$type"] == "app.bsky.embed.external"
    card = record["embed"]["external"]
    assert (card["uri"], card["title"], card["description"]) == (url, "Le Radeau de la Méduse", "Une salle rouvre.")
    assert card["thumb"]["mimeType"] == "image/png" and card["thumb"]["ref"]["$link"] in fake_bluesky.blobs
    (upload,) = fake_bluesky.received("POST", r"uploadBlob$")
    assert upload.body == png_bytes(120, 63)


def test_a_link_in_the_text_gets_its_card_from_the_page_title_when_there_are_no_og_tags(
    fake_bluesky, bluesky_account, website
):
    url = website.page("/agenda", head='<title>Agenda du musée</title><meta name="description" content="Ce mois-ci">')

    publish(bluesky_account, f"Tout le programme : {url} !")

    card = fake_bluesky.posts()[0]["value"]["embed"]["external"]
    assert (card["uri"], card["title"], card["description"]) == (url, "Agenda du musée", "Ce mois-ci")
    assert "thumb" not in card


def test_a_page_that_cannot_be_read_leaves_the_post_without_a_card(fake_bluesky, bluesky_account, website):
    publish(bluesky_account, "Lien cassé", link=website.url + "/disparue")

    (post,) = fake_bluesky.posts()
    assert "embed" not in post["value"] and post["value"]["text"].endswith("/disparue")


def test_the_outbound_policy_applies_to_the_page_and_its_image(fake_bluesky, bluesky_account, website, settings):
    settings.OUTBOUND_ALLOWED_HOSTS = [fake_bluesky.url.removeprefix("http://")]  # the site is a private address
    url = website.page("/interne", title="Intranet")

    publish(bluesky_account, "Lien", link=url)

    assert "embed" not in fake_bluesky.posts()[0]["value"]
    assert website.received() == []


def test_an_image_too_large_or_not_an_image_gives_a_card_without_thumbnail(website):
    big = website.image("/big.png", b"\x89PNG" + b"0" * 1_100_000)
    assert linkcard_fetch(website.page("/a", title="A", image=big)).image == b""
    text = website.image("/t.txt", b"hello", content_type="text/plain")
    card = linkcard_fetch(website.page("/b", title="B", image=text))
    assert (card.title, card.image, card.image_type) == ("B", b"", "")


def test_images_take_the_embed_and_no_page_is_fetched(fake_bluesky, bluesky_account, website):
    url = website.page("/expo", title="Expo")
    publication = PublicationFactory(account=bluesky_account, text="Regardez", post__link=url)
    MediaFactory(post=publication.post, alt_text="Une salle rouge.")

    get_adapter(bluesky_account).publish(publication)

    assert fake_bluesky.posts()[0]["value"]["embed"]["$type"] == "app.bsky.embed.images"
    assert website.received() == []
