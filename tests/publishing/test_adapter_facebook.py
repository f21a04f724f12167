"""The Facebook Pages adapter against a fake Graph host on loopback: photos with alt text, feed, errors, inbox."""

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
from tests.factories import MP4_HEAD, MediaFactory, PostFactory, PublicationFactory, SocialAccountFactory
from tests.fakes.graph import fetched_media, graph_error, jpeg_media, usage_header
from tests.networks import published

pytestmark = pytest.mark.usefixtures("short_timeouts")


@pytest.fixture
def publication(facebook_account):
    post = PostFactory(text="Nocturne ce vendredi jusqu'à 21 h 45.")
    jpeg_media(post, alt_text="La Victoire de Samothrace éclairée de nuit.")
    return PublicationFactory(post=post, account=facebook_account, text=post.text, state="sending")


def test_publishing_uploads_unpublished_photos_with_alt_text_then_one_feed_post(fake_facebook, publication):
    jpeg_media(publication.post, alt_text="La cour Napoléon, la pyramide illuminée.", position=1)

    result = get_adapter(publication.account).publish(publication)

    assert fake_facebook.received_posts() == [
        {
            "id": result.external_id,
            "text": "Nocturne ce vendredi jusqu'à 21 h 45.",
            "alt_texts": ["La Victoire de Samothrace éclairée de nuit.", "La cour Napoléon, la pyramide illuminée."],
        }
    ]
    post = fake_facebook.posts[0]
    assert [p["alt_text_custom"] for p in post["photos"]] == [
        "La Victoire de Samothrace éclairée de nuit.",
        "La cour Napoléon, la pyramide illuminée.",
    ]
    assert all(p["published"] == "false" and p["size"] > 0 for p in post["photos"])
    assert result.external_id == post["id"]
    assert result.url == fake_facebook.permalink(post["id"])


def test_a_text_post_with_a_link_sends_the_link_for_its_preview(fake_facebook, facebook_account):
    post = PostFactory(text="Le programme de l'été est en ligne.", link="https://musee.example/ete")
    publication = PublicationFactory(post=post, account=facebook_account)

    get_adapter(facebook_account).publish(publication)

    assert fake_facebook.posts[0]["link"] == "https://musee.example/ete"
    assert fake_facebook.posts[0]["message"] == "Le programme de l'été est en ligne."


@pytest.mark.parametrize(
    ("error", "options", "kind", "words"),
    [
        (
            (190, "Error validating access token: The session has been invalidated"),
            {"subcode": 460},
            AuthExpired,
            "reconnect",
        ),
        ((32, "Page request limit reached"), {"headers": usage_header(12)}, RateLimited, "limit"),
        ((613, "Calls to this api have exceeded the rate limit."), {}, RateLimited, "rate limit"),
        ((1, "An unknown error occurred"), {}, TransientError, "unknown error"),
        ((506, "(#506) Duplicate status message"), {}, Rejected, "duplicate"),
        (
            (200, "(#200) Requires pages_manage_posts permission to manage the object"),
            {},
            Rejected,
            "Facebook Page lacks the permission pages_manage_posts",
        ),
        (
            (368, "The action attempted has been deemed abusive or is otherwise disallowed"),
            {},
            Rejected,
            "temporarily blocked",
        ),
        (
            (100, "Invalid parameter"),
            {"title": "Message too long", "user_msg": "Shorten your message."},
            Rejected,
            "Message too long: Shorten your message.",
        ),
    ],
)
def test_each_documented_error_body_becomes_a_readable_reason_of_the_right_kind(
    fake_facebook, publication, error, options, kind, words
):
    fault = graph_error(*error, **options)
    fake_facebook.inject(method="POST", path=r"/feed$", status=fault.status, body=fault.body, headers=fault.headers)

    with pytest.raises(kind) as raised:
        get_adapter(publication.account).publish(publication)

    assert type(raised.value) is kind
    assert words in raised.value.reason
    assert fake_facebook.posts == []


def test_posting_the_same_message_twice_is_refused_as_a_duplicate(fake_facebook, facebook_account):
    first = PublicationFactory(account=facebook_account, text="Bonne année !")
    second = PublicationFactory(account=facebook_account, text="Bonne année !")
    adapter = get_adapter(facebook_account)

    adapter.publish(first)
    with pytest.raises(Rejected, match="duplicate"):
        adapter.publish(second)

    assert len(fake_facebook.posts) == 1


def test_find_existing_answers_none_when_the_feed_post_never_arrived(fake_facebook, publication):
    fake_facebook.inject(method="POST", path=r"/feed$", drop=True)
    adapter = get_adapter(publication.account)

    with pytest.raises((OutcomeUnknown, TransientError)):
        adapter.publish(publication)
    publication.refresh_from_db()

    assert publication.extra["first_sent_at"]
    assert adapter.find_existing(publication) is None
    assert fake_facebook.posts == []


def test_find_existing_ignores_other_posts_of_the_page(fake_facebook, facebook_account, publication):
    other = PublicationFactory(account=facebook_account, text="Un autre message.")
    get_adapter(facebook_account).publish(other)
    publication.extra = {"first_sent_at": timezone.now().isoformat()}

    assert get_adapter(facebook_account).find_existing(publication) is None


def test_validation_counts_facebooks_limit_and_requires_alt_text(facebook_account):
    adapter = get_adapter(facebook_account)
    jpeg = MediaInfo(kind="image", content_type="image/jpeg", size=1000, alt_text="Un portrait.")

    def codes(text, media):
        return {p.code for p in adapter.validate(text, media) if p.level == "error"}

    assert codes("a" * 63206, [jpeg]) == set()
    assert "too_long" in codes("a" * 63207, [])
    assert "missing_alt" in codes("Bonjour", [MediaInfo("image", "image/jpeg", 1000, "  ")])
    assert "media_too_large" in codes("Bonjour", [MediaInfo("image", "image/jpeg", 5 * 1024 * 1024, "Un portrait.")])


def test_fetching_pages_comments_and_replies_and_resumes_from_the_cursor(fake_facebook, facebook_account):
    publication = published(facebook_account, fake_facebook)
    first = fake_facebook.add_comment(publication.external_id, "Magnifique !", username="Léa Martin")
    fake_facebook.add_comment(publication.external_id, "Salle 700, je crois.", parent=first["id"], username="Jules")
    fake_facebook.add_comment(
        publication.external_id, "Merci !", parent=first["id"], username="Musée", user_id=fake_facebook.user_id
    )
    fake_facebook.add_comment(publication.external_id, "cassé", created_time="hier")
    fake_facebook.add_comment(publication.external_id, "Ouvert le lundi ?", username="Tom")
    fake_facebook.max_page = 2
    adapter = get_adapter(facebook_account)

    pages = [adapter.fetch_messages({})]
    while pages[-1].more:
        pages.append(adapter.fetch_messages(pages[-1].cursor))

    assert len(pages) == 3
    messages = [m for page in pages for m in page.messages]
    assert [m.text for m in messages] == ["Magnifique !", "Salle 700, je crois.", "Ouvert le lundi ?"]
    assert [m.kind for m in messages] == ["comment", "reply", "comment"]
    assert messages[1].parent_external_id == first["id"]
    assert {m.root_external_id for m in messages} == {publication.external_id}
    assert messages[0].author_name == "Léa Martin"

    fake_facebook.add_comment(publication.external_id, "Et le mardi ?")
    again = adapter.fetch_messages(pages[-1].cursor)
    assert [m.text for m in again.messages] == ["Et le mardi ?"]


def test_fetching_goes_through_every_recent_publication(fake_facebook, facebook_account):
    older = published(facebook_account, fake_facebook, text="Hier")
    newer = published(facebook_account, fake_facebook, text="Aujourd'hui")
    fake_facebook.add_comment(older.external_id, "Sur le post d'hier")
    fake_facebook.add_comment(newer.external_id, "Sur le post du jour")
    adapter = get_adapter(facebook_account)

    first = adapter.fetch_messages({})
    second = adapter.fetch_messages(first.cursor)

    assert first.more and not second.more
    assert [(m.text, m.root_external_id) for m in first.messages + second.messages] == [
        ("Sur le post du jour", newer.external_id),
        ("Sur le post d'hier", older.external_id),
    ]


def test_a_video_post_is_sent_by_public_url_with_the_text_as_description(fake_facebook, facebook_account):
    post = PostFactory(text="Dans les coulisses du montage.")
    video = MediaFactory(
        post=post,
        file=ContentFile(MP4_HEAD, name="coulisses.mp4"),
        kind="video",
        content_type="video/mp4",
        alt_text="",
    )
    publication = PublicationFactory(post=post, account=facebook_account, text=post.text)

    result = get_adapter(facebook_account).publish(publication)

    assert len(fake_facebook.posts) == 1
    assert fetched_media(fake_facebook.posts[0]["video_url"]) == video.file.open("rb").read()
    assert fake_facebook.posts[0]["message"] == "Dans les coulisses du montage."
    assert result.external_id == fake_facebook.posts[0]["id"]


def test_one_fake_serves_several_pages_each_with_its_own_posts(fake_facebook, facebook_account):
    other = SocialAccountFactory(**fake_facebook.add_account("musee-annexe"))
    for target in (facebook_account, other):
        get_adapter(target).publish(PublicationFactory(account=target, text="Même message sur deux Pages."))

    assert [p["text"] for p in fake_facebook.received_posts(other.external_id)] == ["Même message sur deux Pages."]
    assert len(fake_facebook.received_posts()) == 2


def test_a_slow_network_while_reading_comments_is_transient_not_ambiguous(fake_facebook, facebook_account):
    publication = published(facebook_account, fake_facebook)
    fake_facebook.latency = 1.5

    with pytest.raises(TransientError) as raised:
        get_adapter(facebook_account).fetch_messages({})

    assert type(raised.value) is TransientError
    assert publication.external_id


def test_reading_pauses_once_the_usage_header_nears_the_allowance(fake_facebook, facebook_account):
    publication = published(facebook_account, fake_facebook)
    fake_facebook.add_comment(publication.external_id, "Premier")
    fake_facebook.add_comment(publication.external_id, "Second")
    fake_facebook.max_page = 1
    fake_facebook.usage_headers = usage_header(3, percent=97)
    adapter = get_adapter(facebook_account)

    first = adapter.fetch_messages({})
    calls = len(fake_facebook.requests)
    with pytest.raises(RateLimited) as raised:
        adapter.fetch_messages(first.cursor)

    assert [m.text for m in first.messages] == ["Premier"]
    assert len(fake_facebook.requests) == calls  # the second page was not asked for
    assert raised.value.retry_after == 3 * 60


def test_publishing_goes_on_when_the_usage_header_nears_the_allowance(fake_facebook, publication):
    fake_facebook.usage_headers = usage_header(3, percent=97)

    result = get_adapter(publication.account).publish(publication)

    assert result.url == fake_facebook.permalink(fake_facebook.posts[0]["id"])
