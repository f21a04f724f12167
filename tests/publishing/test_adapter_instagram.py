"""The Instagram adapter against a fake Instagram Graph host on loopback: containers, polling, errors, inbox."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.adapters.base import (
    AuthExpired,
    MediaInfo,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from tests.factories import MP4_HEAD, MediaFactory, PostFactory, PublicationFactory
from tests.fakes.graph import fetched_media, graph_error, jpeg_media, usage_header
from tests.networks import published

pytestmark = pytest.mark.usefixtures("short_timeouts")


@pytest.fixture
def publication(instagram_account):
    post = PostFactory(text="La Joconde vous attend. #MuseumWeek")
    jpeg_media(post, alt_text="La Joconde, portrait d'une femme souriante.")
    return PublicationFactory(post=post, account=instagram_account, text=post.text, state="sending")


def test_publishing_an_image_sends_its_public_url_and_alt_text_after_polling_the_container(fake_instagram, publication):
    fake_instagram.polls_in_progress = 2

    result = get_adapter(publication.account).publish(publication)

    assert fake_instagram.received_posts() == [
        {
            "id": result.external_id,
            "text": publication.text,
            "alt_texts": ["La Joconde, portrait d'une femme souriante."],
        }
    ]
    sent = fake_instagram.media[0]["fields"]
    assert sent["caption"] == "La Joconde vous attend. #MuseumWeek"
    assert sent["alt_text"] == "La Joconde, portrait d'une femme souriante."
    media = publication.post.media.get()
    assert sent["image_url"].startswith("https://musee.example/")
    assert fetched_media(sent["image_url"]) == media.file.open("rb").read()
    assert result.external_id == fake_instagram.media[0]["id"]
    assert result.url == fake_instagram.media[0]["permalink"]
    assert (
        len(fake_instagram.received("GET", fake_instagram.media[0]["container"])) == 3
    )  # two IN_PROGRESS, then FINISHED
    publication.refresh_from_db()
    assert publication.extra["container_id"] == fake_instagram.media[0]["container"]


def test_several_images_become_one_carousel_of_children_with_their_alt_texts(fake_instagram, publication):
    jpeg_media(publication.post, alt_text="Le paysage derrière la Joconde.", position=1)

    get_adapter(publication.account).publish(publication)

    assert len(fake_instagram.media) == 1
    assert fake_instagram.media[0]["fields"]["media_type"] == "CAROUSEL"
    children = fake_instagram.media[0]["children"]
    assert [c["alt_text"] for c in children] == [
        "La Joconde, portrait d'une femme souriante.",
        "Le paysage derrière la Joconde.",
    ]
    assert all(c["is_carousel_item"] is True for c in children)


@pytest.mark.parametrize(
    ("error", "headers", "kind", "words"),
    [
        ((190, "Error validating access token"), {"subcode": 463}, AuthExpired, "reconnect"),
        ((4, "(#4) Application request limit reached"), {"headers": usage_header(5, "instagram")}, RateLimited, ""),
        ((9004, "Media download has failed."), {"subcode": 2207052}, Rejected, "SITE_URL"),
        ((9, "Application request limit reached"), {"subcode": 2207042}, RateLimited, "24 hours"),
        ((36000, "The image size is too large."), {"subcode": 2207004}, Rejected, "8 MB"),
        ((2, "An unexpected error has occurred."), {}, TransientError, "unexpected"),
        ((-1, "Instagram server error."), {"subcode": 2207001}, TransientError, "server error"),
        (
            (200, "(#200) Requires instagram_business_content_publish permission to manage the object"),
            {},
            Rejected,
            "lacks the permission instagram_business_content_publish",
        ),
        ((10, "(#10) Application does not have permission for this action"), {}, Rejected, "lacks a permission"),
    ],
)
def test_each_documented_error_body_becomes_a_readable_reason_of_the_right_kind(
    fake_instagram, publication, error, headers, kind, words
):
    code, message = error
    fault = graph_error(code, message, **headers)
    fake_instagram.inject(method="POST", path=r"/media$", status=fault.status, body=fault.body, headers=fault.headers)

    with pytest.raises(kind) as raised:
        get_adapter(publication.account).publish(publication)

    assert type(raised.value) is kind
    assert words in raised.value.reason
    assert fake_instagram.media == []


def test_a_rate_limit_waits_as_long_as_the_usage_header_says(fake_instagram, publication):
    fault = graph_error(80002, "There have been too many calls to this Instagram account.", headers=usage_header(7))
    fake_instagram.inject(method="POST", path=r"/media$", status=fault.status, body=fault.body, headers=fault.headers)

    with pytest.raises(RateLimited) as raised:
        get_adapter(publication.account).publish(publication)

    assert raised.value.retry_after == 7 * 60


def test_a_container_in_error_fails_with_instagrams_reason(fake_instagram, publication):
    fake_instagram.container_outcome = ("ERROR", "Error: Media upload has failed with error code 2207026")

    with pytest.raises(Rejected, match="video format"):
        get_adapter(publication.account).publish(publication)


def test_a_timeout_after_publishing_is_found_again_and_never_posted_twice(fake_instagram, publication):
    fake_instagram.inject(method="POST", path="media_publish", after_handling=True, delay=1.5)
    adapter = get_adapter(publication.account)

    with pytest.raises(OutcomeUnknown):
        adapter.publish(publication)
    publication.refresh_from_db()
    found = adapter.find_existing(publication)
    again = adapter.publish(publication)  # a blind retry reads the container first

    assert len(fake_instagram.media) == 1
    assert found.external_id == again.external_id == fake_instagram.media[0]["id"]
    assert found.url == fake_instagram.media[0]["permalink"]


def test_a_failed_publish_call_leaves_nothing_to_find_and_the_retry_reuses_the_container(fake_instagram, publication):
    fake_instagram.inject(
        method="POST", path="media_publish", status=500, body={"error": {"message": "Oops", "code": 1}}
    )
    adapter = get_adapter(publication.account)

    with pytest.raises(TransientError):
        adapter.publish(publication)
    publication.refresh_from_db()
    assert adapter.find_existing(publication) is None
    adapter.publish(publication)

    assert len(fake_instagram.containers) == 1
    assert len(fake_instagram.media) == 1


def test_validation_requires_an_image_in_jpeg_with_alt_text_and_counts_hashtags(instagram_account):
    adapter = get_adapter(instagram_account)
    jpeg = MediaInfo(kind="image", content_type="image/jpeg", size=1000, alt_text="Un portrait.")

    def codes(text, media):
        return {p.code for p in adapter.validate(text, media) if p.level == "error"}

    assert "media_required" in codes("Bonjour", [])
    assert codes("Bonjour", [jpeg]) == set()
    assert "media_type" in codes("Bonjour", [MediaInfo("image", "image/png", 1000, "Un portrait.")])
    assert "missing_alt" in codes("Bonjour", [MediaInfo("image", "image/jpeg", 1000, "")])
    assert "hashtags" in codes(" ".join(f"#tag{n}" for n in range(31)), [jpeg])
    assert "mentions" in codes(" ".join(f"@ami{n}" for n in range(21)), [jpeg])
    assert "too_long" in codes("a" * 2201, [jpeg])
    assert "too_many_media" in codes("Bonjour", [jpeg] * 11)
    assert "ratio" in codes("Bonjour", [MediaInfo("image", "image/jpeg", 1000, "Une frise.", width=3000, height=1000)])


def test_publishing_refuses_a_png_before_calling_instagram(fake_instagram, instagram_account):
    post = PostFactory()
    MediaFactory(post=post)  # a PNG
    publication = PublicationFactory(post=post, account=instagram_account)

    with pytest.raises(Rejected, match="image/png"):
        get_adapter(instagram_account).publish(publication)

    assert fake_instagram.requests == []


def test_fetching_pages_comments_with_their_replies_and_resumes_from_the_cursor(fake_instagram, instagram_account):
    publication = published(instagram_account, fake_instagram)
    first = fake_instagram.add_comment(publication.external_id, "Magnifique !", minutes_ago=5)
    fake_instagram.add_comment(publication.external_id, "Est-ce visible en salle ?", minutes_ago=4)
    fake_instagram.add_comment(
        publication.external_id, "Oui, salle 700.", parent=first["id"], username="lea", minutes_ago=3
    )
    fake_instagram.add_comment(
        publication.external_id, "Merci !", parent=first["id"], username="musee", user_id=fake_instagram.user_id
    )
    fake_instagram.add_comment(publication.external_id, "cassé", timestamp="pas une date")
    fake_instagram.add_comment(publication.external_id, "Quelle heure ?", minutes_ago=1)
    fake_instagram.max_page = 2
    adapter = get_adapter(instagram_account)

    page1 = adapter.fetch_messages({})
    page2 = adapter.fetch_messages(page1.cursor)

    assert page1.more and not page2.more
    messages = page1.messages + page2.messages
    assert [m.text for m in messages] == [
        "Magnifique !",
        "Oui, salle 700.",
        "Est-ce visible en salle ?",
        "Quelle heure ?",
    ]
    reply = messages[1]
    assert (reply.kind, reply.parent_external_id, reply.root_external_id) == (
        "reply",
        first["id"],
        publication.external_id,
    )
    assert reply.extra["top_level_id"] == first["id"]
    assert (messages[0].parent_external_id, messages[0].root_external_id) == (publication.external_id,) * 2

    fake_instagram.add_comment(publication.external_id, "Et le lundi ?")
    page3 = adapter.fetch_messages(page2.cursor)
    assert [m.text for m in page3.messages] == ["Et le lundi ?"]


def test_quota_reads_the_content_publishing_limit(fake_instagram, instagram_account):
    fake_instagram.quota_total = 50
    published(instagram_account, fake_instagram)

    assert get_adapter(instagram_account).quota() == {"used": 1, "limit": 50, "period": "per 24 hours"}


def test_refreshing_credentials_stores_the_renewed_token(fake_instagram, instagram_account):
    get_adapter(instagram_account).refresh_credentials()

    instagram_account.refresh_from_db()
    assert instagram_account.credentials["access_token"] == fake_instagram.token == "good-token-renewed"
    assert instagram_account.token_expires_at > timezone.now() + timezone.timedelta(days=59)


def test_a_single_video_is_published_as_a_reel(fake_instagram, instagram_account):
    post = PostFactory(text="Dans les coulisses du montage.")
    video = MediaFactory(
        post=post,
        file=ContentFile(MP4_HEAD, name="coulisses.mp4"),
        kind="video",
        content_type="video/mp4",
        alt_text="",
    )
    publication = PublicationFactory(post=post, account=instagram_account, text=post.text)

    get_adapter(instagram_account).publish(publication)

    sent = fake_instagram.media[0]["fields"]
    assert sent["media_type"] == "REELS"
    assert fetched_media(sent["video_url"]) == video.file.open("rb").read()
    assert "alt_text" not in sent


def test_an_expired_container_is_prepared_again_on_the_next_attempt(fake_instagram, publication):
    fake_instagram.container_outcome = ("EXPIRED", "")
    adapter = get_adapter(publication.account)
    with pytest.raises(TransientError, match="expired"):
        adapter.publish(publication)

    fake_instagram.container_outcome = None
    publication.refresh_from_db()
    adapter.publish(publication)

    assert len(fake_instagram.containers) == 2
    assert len(fake_instagram.received_posts()) == 1


def test_a_server_error_while_polling_is_transient_and_nothing_is_published(fake_instagram, publication):
    fake_instagram.polls_in_progress = 1
    fake_instagram.inject(method="GET", path=r"^/v[\d.]+/\d+$", status=503, body="Service Unavailable")

    with pytest.raises(TransientError):
        get_adapter(publication.account).publish(publication)

    assert fake_instagram.received_posts() == []
