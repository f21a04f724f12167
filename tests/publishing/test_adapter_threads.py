"""The Threads adapter against a fake graph.threads.net on loopback: containers, emoji counting, errors, inbox."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import (
    AuthExpired,
    MediaInfo,
    RateLimited,
    Rejected,
    TransientError,
)
from tests.factories import PostFactory, PublicationFactory
from tests.fakes.graph import fetched_media, graph_error, jpeg_media
from tests.networks import published

pytestmark = pytest.mark.usefixtures("short_timeouts")


@pytest.fixture
def publication(threads_account):
    post = PostFactory(text="Dernier jour pour voir l'exposition Vermeer.", link="https://musee.example/vermeer")
    jpeg_media(post, alt_text="La Laitière versant du lait dans une jatte.")
    return PublicationFactory(post=post, account=threads_account, text=post.text, state="sending")


def test_publishing_an_image_sends_its_url_alt_text_and_the_link_in_the_text(fake_threads, publication):
    fake_threads.polls_in_progress = 1

    result = get_adapter(publication.account).publish(publication)

    assert fake_threads.received_posts() == [
        {
            "id": result.external_id,
            "text": "Dernier jour pour voir l'exposition Vermeer.\n\nhttps://musee.example/vermeer",
            "alt_texts": ["La Laitière versant du lait dans une jatte."],
        }
    ]
    sent = fake_threads.media[0]["fields"]
    assert sent["media_type"] == "IMAGE"
    assert fetched_media(sent["image_url"]) == publication.post.media.get().file.open("rb").read()
    assert sent["alt_text"] == "La Laitière versant du lait dans une jatte."
    assert sent["text"] == "Dernier jour pour voir l'exposition Vermeer.\n\nhttps://musee.example/vermeer"
    assert (result.external_id, result.url) == (fake_threads.media[0]["id"], fake_threads.media[0]["permalink"])
    publication.refresh_from_db()
    assert publication.extra["container_id"] == fake_threads.media[0]["container"]


def test_a_text_only_post_is_a_text_container(fake_threads, threads_account):
    publication = PublicationFactory(account=threads_account, text="Bonjour Threads !")

    get_adapter(threads_account).publish(publication)

    assert fake_threads.media[0]["fields"] == {"media_type": "TEXT", "text": "Bonjour Threads !"}


def test_several_images_become_a_carousel(fake_threads, publication):
    jpeg_media(publication.post, alt_text="Détail de la jatte.", position=1)
    jpeg_media(publication.post, alt_text="Détail du pain.", position=2)

    get_adapter(publication.account).publish(publication)

    assert fake_threads.media[0]["fields"]["media_type"] == "CAROUSEL"
    assert [c["alt_text"] for c in fake_threads.media[0]["children"]] == [
        "La Laitière versant du lait dans une jatte.",
        "Détail de la jatte.",
        "Détail du pain.",
    ]


def test_emoji_count_their_utf8_bytes_against_the_500_limit(threads_account):
    adapter = get_adapter(threads_account)

    def too_long(text):
        return any(p.code == "too_long" for p in adapter.validate(text, []))

    assert adapter.count("🎨") == 4
    assert adapter.count("Musée") == 5
    assert not too_long("a" * 500)
    assert too_long("a" * 497 + "🎨")  # 497 + 4 = 501
    assert not too_long("a" * 496 + "🎨")
    assert not too_long("a" * 480)
    assert any(p.code == "too_long" for p in adapter.validate("a" * 480, [], link="https://musee.example/vermeer"))


def test_validation_requires_alt_text_and_caps_carousels_at_20(threads_account):
    adapter = get_adapter(threads_account)
    image = MediaInfo(kind="image", content_type="image/jpeg", size=1000, alt_text="Un portrait.")

    def codes(text, media):
        return {p.code for p in adapter.validate(text, media) if p.level == "error"}

    assert codes("Bonjour", [image] * 20) == set()
    assert "too_many_media" in codes("Bonjour", [image] * 21)
    assert "missing_alt" in codes("Bonjour", [MediaInfo("image", "image/jpeg", 1000, "")])
    assert "empty" in codes("", [])


@pytest.mark.parametrize(
    ("error", "options", "kind", "words"),
    [
        ((190, "Error validating access token"), {"subcode": 463}, AuthExpired, "reconnect"),
        ((4, "Application request limit reached"), {}, RateLimited, "limit"),
        ((2, "Service temporarily unavailable"), {}, TransientError, "temporarily"),
        (
            (10, "(#10) The user has not authorized application threads_content_publish"),
            {},
            Rejected,
            "Threads account lacks the permission threads_content_publish",
        ),
        ((100, "Param text must be at most 500 characters long."), {}, Rejected, "500 characters"),
    ],
)
def test_each_documented_error_body_becomes_a_readable_reason_of_the_right_kind(
    fake_threads, publication, error, options, kind, words
):
    fault = graph_error(*error, **options)
    fake_threads.inject(method="POST", path=r"/threads$", status=fault.status, body=fault.body, headers=fault.headers)

    with pytest.raises(kind) as raised:
        get_adapter(publication.account).publish(publication)

    assert type(raised.value) is kind
    assert words in raised.value.reason


def test_a_container_that_failed_to_download_is_refused_with_threads_reason(fake_threads, publication):
    fake_threads.container_outcome = ("ERROR", "FAILED_DOWNLOADING_IMAGE")

    with pytest.raises(Rejected, match="FAILED_DOWNLOADING_IMAGE"):
        get_adapter(publication.account).publish(publication)
    assert fake_threads.media == []


def test_fetching_reads_the_whole_conversation_pages_and_resumes(fake_threads, threads_account):
    publication = published(threads_account, fake_threads)
    first = fake_threads.add_comment(publication.external_id, "Sublime 😍", username="lea")
    fake_threads.add_comment(publication.external_id, "Tout à fait !", parent=first["id"], username="jules")
    fake_threads.add_comment(publication.external_id, "Merci Léa", parent=first["id"], username="musee")
    fake_threads.add_comment(publication.external_id, "mal formé", timestamp=None)
    fake_threads.add_comment(publication.external_id, "C'est quelle salle ?", username="tom")
    fake_threads.max_page = 2
    adapter = get_adapter(threads_account)

    pages = [adapter.fetch_messages({})]
    while pages[-1].more:
        pages.append(adapter.fetch_messages(pages[-1].cursor))

    messages = [m for page in pages for m in page.messages]
    assert [(m.text, m.kind, m.author_handle) for m in messages] == [
        ("Sublime 😍", "comment", "lea"),
        ("Tout à fait !", "reply", "jules"),
        ("C'est quelle salle ?", "comment", "tom"),
    ]
    assert messages[1].parent_external_id == first["id"]
    assert {m.root_external_id for m in messages} == {publication.external_id}

    fake_threads.add_comment(publication.external_id, "Et demain ?", username="nadia")
    assert [m.text for m in adapter.fetch_messages(pages[-1].cursor).messages] == ["Et demain ?"]


def test_quota_reads_the_threads_publishing_limit(fake_threads, threads_account):
    fake_threads.quota_total = 250
    published(threads_account, fake_threads)
    published(threads_account, fake_threads, text="Deuxième")

    assert get_adapter(threads_account).quota() == {"used": 2, "limit": 250, "period": "per 24 hours"}


def test_refreshing_credentials_stores_the_renewed_token(fake_threads, threads_account):
    get_adapter(threads_account).refresh_credentials()

    threads_account.refresh_from_db()
    assert threads_account.credentials["access_token"] == fake_threads.token == "good-token-renewed"
    assert fake_threads.received("GET", "/refresh_access_token")[0].query["grant_type"] == ["th_refresh_token"]
