"""The LinkedIn adapter against a fake LinkedIn REST host on loopback: images, posts, little text, errors, inbox."""

import pytest
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
from publishing.adapters.linkedin import little_text
from tests.factories import PostFactory, PublicationFactory
from tests.fakes.graph import jpeg_media
from tests.fakes.linkedin import ORGANIZATION, linkedin_error
from tests.networks import published

pytestmark = pytest.mark.usefixtures("short_timeouts")


@pytest.fixture
def publication(linkedin_account):
    post = PostFactory(text="La restauration de la Joconde, en images.")
    jpeg_media(post, alt_text="Une restauratrice penchée sur le panneau de bois.")
    return PublicationFactory(post=post, account=linkedin_account, text=post.text, state="sending")


def test_publishing_uploads_the_image_bytes_then_posts_with_alt_text_and_reads_the_id_header(
    fake_linkedin, publication
):
    result = get_adapter(publication.account).publish(publication)

    assert fake_linkedin.received_posts() == [
        {
            "id": result.external_id,
            "text": "La restauration de la Joconde, en images.",
            "alt_texts": ["Une restauratrice penchée sur le panneau de bois."],
        }
    ]
    post = fake_linkedin.posts[0]
    media = publication.post.media.get()
    image = post["body"]["content"]["media"]
    assert image["altText"] == "Une restauratrice penchée sur le panneau de bois."
    with media.file.open("rb") as handle:
        assert fake_linkedin.images[image["id"]]["bytes"] == handle.read()
    assert post["body"]["author"] == ORGANIZATION
    assert post["body"]["visibility"] == "PUBLIC"
    assert result.external_id == post["urn"]
    assert result.url == f"https://www.linkedin.com/feed/update/{post['urn']}/"
    for request in fake_linkedin.received(path="^/rest/"):
        assert request.headers["linkedin-version"]
        assert request.headers["x-restli-protocol-version"] == "2.0.0"


def test_several_images_go_out_as_one_multi_image_post(fake_linkedin, publication):
    jpeg_media(publication.post, alt_text="Le panneau avant restauration.", position=1)

    get_adapter(publication.account).publish(publication)

    images = fake_linkedin.posts[0]["body"]["content"]["multiImage"]["images"]
    assert [i["altText"] for i in images] == [
        "Une restauratrice penchée sur le panneau de bois.",
        "Le panneau avant restauration.",
    ]


def test_commentary_is_escaped_as_little_text_keeping_links_and_hashtags(fake_linkedin, linkedin_account):
    text = "Atelier (6-12 ans) à 10h_30 : [gratuit] *sur réservation* @accueil #MuseumWeek https://musee.example/a_(b)"
    publication = PublicationFactory(account=linkedin_account, text=text)

    get_adapter(linkedin_account).publish(publication)

    assert fake_linkedin.received_posts()[0]["text"] == text
    assert fake_linkedin.posts[0]["commentary"] == (
        r"Atelier \(6-12 ans\) à 10h\_30 : \[gratuit\] \*sur réservation\* \@accueil "
        r"{hashtag|\#|MuseumWeek} https://musee.example/a_(b)"
    )


def test_little_text_escapes_every_reserved_character():
    assert little_text("\\ | { } @ [ ] ( ) < > # * _ ~") == r"\\ \| \{ \} \@ \[ \] \( \) \< \> \# \* \_ \~"
    assert little_text("le#non #oui") == r"le\#non {hashtag|\#|oui}"


def test_a_duplicate_post_is_treated_as_published_with_the_urn_linkedin_names(fake_linkedin, publication):
    fake_linkedin.inject(method="POST", path="^/rest/posts$", after_handling=True, delay=1.5)
    adapter = get_adapter(publication.account)

    with pytest.raises(OutcomeUnknown):
        adapter.publish(publication)
    assert adapter.find_existing(publication) is None  # "send again": LinkedIn itself refuses the copy
    result = adapter.publish(publication)  # the resend is refused as a duplicate of the first post

    assert len(fake_linkedin.posts) == 1
    assert result.external_id == fake_linkedin.posts[0]["urn"]
    assert result.extra["duplicate_of_earlier_attempt"] is True


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        (
            linkedin_error(401, "The token used in the request has been revoked by the user", service_code=65601),
            AuthExpired,
            "revoked",
        ),
        (
            linkedin_error(403, "Not enough permissions to access: partnerApiPostsExternal.CREATE", service_code=100),
            Rejected,
            "lacks a permission",
        ),
        (
            linkedin_error(422, "ERROR :: /commentary :: length of 3001 exceeds the maximum allowed length"),
            Rejected,
            "maximum allowed length",
        ),
        (linkedin_error(500, "Internal Server Error"), TransientError, "Internal Server Error"),
        (
            linkedin_error(429, "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."),
            RateLimited,
            "limit",
        ),
    ],
)
def test_each_documented_error_body_becomes_a_readable_reason_of_the_right_kind(
    fake_linkedin, publication, fault, kind, words
):
    fake_linkedin.inject(method="POST", path="^/rest/posts$", status=fault.status, body=fault.body)

    with pytest.raises(kind) as raised:
        get_adapter(publication.account).publish(publication)

    assert type(raised.value) is kind
    assert words in raised.value.reason
    assert fake_linkedin.posts == []


def test_a_rate_limit_honours_retry_after_or_waits_until_midnight_utc(fake_linkedin, publication):
    adapter = get_adapter(publication.account)
    fault = linkedin_error(429, "Too many requests")
    fake_linkedin.inject(
        method="POST", path="^/rest/posts$", status=429, body=fault.body, headers={"Retry-After": "30"}
    )
    with pytest.raises(RateLimited) as with_header:
        adapter.publish(publication)
    fake_linkedin.inject(method="POST", path="^/rest/posts$", status=429, body=fault.body)
    with pytest.raises(RateLimited) as without_header:
        adapter.publish(publication)

    assert with_header.value.retry_after == 30
    now = timezone.now()
    midnight = (now + timezone.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert abs(without_header.value.retry_after - (midnight - now).total_seconds()) < 5


def test_validation_counts_3000_characters_with_the_link_and_requires_alt_text(linkedin_account):
    adapter = get_adapter(linkedin_account)
    image = MediaInfo(kind="image", content_type="image/jpeg", size=1000, alt_text="Un portrait.")

    def codes(text, media, link=""):
        return {p.code for p in adapter.validate(text, media, link) if p.level == "error"}

    assert codes("a" * 3000, [image]) == set()
    assert "too_long" in codes("a" * 3001, [])
    assert "too_long" in codes("a" * 2990, [], link="https://musee.example/expo")
    assert "missing_alt" in codes("Bonjour", [MediaInfo("image", "image/jpeg", 1000, "")])
    assert "too_many_media" in codes("Bonjour", [image] * 21)
    assert codes("Bonjour", [MediaInfo("video", "video/mp4", 1000)])  # images only on LinkedIn


def test_fetching_pages_comments_by_offset_with_their_replies_and_resumes(fake_linkedin, linkedin_account):
    publication = published(linkedin_account, fake_linkedin)
    first = fake_linkedin.add_comment(publication.external_id, "Bravo aux restaurateurs !")
    fake_linkedin.add_comment(
        publication.external_id, "Combien de temps a duré le chantier ?", actor="urn:li:person:ab12"
    )
    fake_linkedin.add_comment(
        publication.external_id, "Un an, je crois.", parent=first["urn"], actor="urn:li:person:cd34"
    )
    fake_linkedin.add_comment(publication.external_id, "Merci !", parent=first["urn"], actor=ORGANIZATION)
    fake_linkedin.add_comment(publication.external_id, "cassé", created=None)
    fake_linkedin.add_comment(publication.external_id, "Superbe.", actor="urn:li:person:ef56")
    fake_linkedin.max_page = 2
    adapter = get_adapter(linkedin_account)

    pages = [adapter.fetch_messages({})]
    while pages[-1].more:
        pages.append(adapter.fetch_messages(pages[-1].cursor))

    messages = [m for page in pages for m in page.messages]
    assert [(m.text, m.kind) for m in messages] == [
        ("Bravo aux restaurateurs !", "comment"),
        ("Un an, je crois.", "reply"),
        ("Combien de temps a duré le chantier ?", "comment"),
        ("Superbe.", "comment"),
    ]
    assert messages[1].parent_external_id == first["urn"]
    assert messages[0].parent_external_id == publication.external_id
    assert {m.root_external_id for m in messages} == {publication.external_id}
    assert messages[2].author_id == "urn:li:person:ab12"

    fake_linkedin.add_comment(publication.external_id, "Et la suite ?")
    assert [m.text for m in adapter.fetch_messages(pages[-1].cursor).messages] == ["Et la suite ?"]
