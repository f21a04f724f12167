"""Pinterest over real HTTP against its fake: the board per post target, carousels, the video's upload and processing
poll, validation, the token renewal, and connecting an account with its boards. What every network does is in
test_contract.py."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from publishing.adapters import get_adapter
from publishing.adapters.base import AuthExpired, MediaInfo, Rejected
from publishing.models import SocialAccount
from tests.conftest import login_client
from tests.factories import MP4_HEAD, MediaFactory, PublicationFactory
from tests.fakes.oauth import authorise
from tests.networks import on_fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(settings):
    with on_fake("pinterest", settings) as network:
        yield network


@pytest.fixture
def fake(network):
    return network.fake


@pytest.fixture
def account(network):
    return network.account


def test_a_pin_goes_on_the_board_the_target_chose_with_title_link_and_alt_text(fake, account):
    expositions = fake.boards[1]["id"]
    publication = PublicationFactory(
        account=account, text="L'atelier du sculpteur.", post__link="https://musee.example/atelier"
    )
    publication.extra = {"board_id": expositions, "title": "L'atelier"}
    MediaFactory(post=publication.post, alt_text="Un atelier baigné de lumière.")

    result = get_adapter(account).publish(publication)

    (pin,) = fake.pins
    assert (pin["board_id"], pin["title"], pin["link"]) == (expositions, "L'atelier", "https://musee.example/atelier")
    assert (pin["description"], pin["alt_text"]) == ("L'atelier du sculpteur.", "Un atelier baigné de lumière.")
    assert fake.received("POST", r"/v5/pins$")[0].json()["media_source"]["source_type"] == "image_base64"
    assert result.url == f"https://www.pinterest.com/pin/{pin['id']}/"
    assert result.extra == {"board_id": expositions}


def test_without_a_chosen_board_the_accounts_first_board_is_used(fake, account):
    publication = PublicationFactory(account=account, text="Collections")
    MediaFactory(post=publication.post)

    get_adapter(account).publish(publication)

    assert fake.pins[0]["board_id"] == fake.boards[0]["id"]


def test_an_account_without_any_board_refuses_before_calling(fake, account):
    account.options = {}
    publication = PublicationFactory(account=account, text="Sans tableau")
    MediaFactory(post=publication.post)

    with pytest.raises(Rejected, match="board"):
        get_adapter(account).publish(publication)
    assert fake.received("POST", r"/v5/pins$") == []


def test_three_images_make_one_carousel_pin(fake, account):
    publication = PublicationFactory(account=account, text="Trois vues")
    for _n in range(3):
        MediaFactory(post=publication.post)

    get_adapter(account).publish(publication)

    source = fake.received("POST", r"/v5/pins$")[0].json()["media_source"]
    assert (source["source_type"], len(source["items"])) == ("multiple_image_base64", 3)


def test_a_video_is_registered_uploaded_polled_until_processed_then_pinned(fake, account):
    fake.processing_polls = 2
    publication = PublicationFactory(account=account, text="Les coulisses")
    video = ContentFile(MP4_HEAD + b"v" * 3000, name="coulisses.mp4")
    MediaFactory(post=publication.post, kind="video", content_type="video/mp4", file=video, alt_text="")

    get_adapter(account).publish(publication)

    (upload,) = fake.received("POST", r"/s3-upload$")
    assert "authorization" not in upload.headers  # the bucket gets the signed fields, never the Pinterest token
    assert len(fake.received("GET", r"/v5/media/\d+$")) == 3
    assert fake.pins[0]["media"]["media_type"] == "video"
    publication.refresh_from_db()
    assert publication.extra["pinterest_media_id"] == fake.pins[0]["media"]["media_id"]


def test_a_video_pinterest_cannot_process_is_refused(fake, account):
    fake.video_fails = True
    publication = PublicationFactory(account=account, text="Abîmée")
    video = ContentFile(MP4_HEAD + b"v" * 3000, name="abimee.mp4")
    MediaFactory(post=publication.post, kind="video", content_type="video/mp4", file=video, alt_text="")

    with pytest.raises(Rejected, match="could not process"):
        get_adapter(account).publish(publication)
    assert fake.pins == []


def test_validation_needs_a_picture_and_counts_the_description_alone(account):
    adapter = get_adapter(account)
    image = MediaInfo(kind="image", content_type="image/jpeg", size=1000, alt_text="Une statue.")

    assert [p.code for p in adapter.validate("Un texte seul", [])] == ["empty"]
    assert adapter.validate("x" * 800, [image], link="https://musee.example/" + "a" * 1500) == []
    assert [p.code for p in adapter.validate("x" * 801, [image])] == ["too_long"]
    webp = MediaInfo(kind="image", content_type="image/webp", size=1000, alt_text="Une statue.")
    assert [p.code for p in adapter.validate("Vue", [webp])] == ["media_type"]
    assert "too_many_media" in [p.code for p in adapter.validate("Vues", [image] * 6)]


def test_an_expired_token_is_renewed_once_and_the_new_pair_stored(fake, account):
    fake.expire_access_tokens()
    publication = PublicationFactory(account=account, text="Renouvelé")
    MediaFactory(post=publication.post)
    old_refresh = account.credentials["refresh_token"]

    get_adapter(account).publish(publication)

    account.refresh_from_db()
    assert account.credentials["refresh_token"] != old_refresh
    assert account.credentials["refresh_token"] in fake.refresh_tokens
    assert account.token_expires_at is not None
    assert len(fake.pins) == 1


def test_a_refused_refresh_token_asks_for_reconnecting(fake, account):
    fake.revoke()

    with pytest.raises(AuthExpired):
        get_adapter(account).refresh_credentials()


def test_connecting_pinterest_stores_the_account_with_its_boards(client, community_manager, fake):
    fake.boards.append(fake._board("Nocturnes"))
    login_client(client, community_manager)
    start = client.get(reverse("account_connect", args=["pinterest"]))
    assert start["Location"].startswith(f"{fake.url}/oauth/?")
    assert (
        "scope=boards%3Aread%2Cboards%3Awrite%2Cpins%3Aread%2Cpins%3Awrite%2Cuser_accounts%3Aread" in start["Location"]
    )

    client.get(authorise(start["Location"]))

    account = SocialAccount.objects.get(network="pinterest")
    assert (account.handle, account.display_name, account.server_url) == ("museemarceau", "Musée Marceau", fake.url)
    assert [b["name"] for b in account.options["boards"]] == ["Collections", "Expositions", "Nocturnes"]
    assert account.credentials["refresh_token"] in fake.refresh_tokens
    token_call = fake.received("POST", r"/v5/oauth/token$")[0]
    assert token_call.headers["authorization"].startswith("Basic ")  # the client authenticates with HTTP Basic
