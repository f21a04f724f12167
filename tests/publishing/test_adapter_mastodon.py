"""The Mastodon adapter against a fake Mastodon instance on loopback."""

from datetime import timedelta

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
from publishing.adapters.mastodon_matching import html_to_text
from publishing.models import PublishAttempt
from tests.factories import MediaFactory, PublicationFactory
from tests.fakes.mastodon import TAKAHE_VERSION, FakeMastodon

pytestmark = pytest.mark.django_db


@pytest.fixture
def publication(mastodon_account):
    publication = PublicationFactory(account=mastodon_account, text="La Joconde vous attend. #MuseumWeek")
    MediaFactory(post=publication.post, alt_text="Portrait d'une femme souriante devant un paysage.")
    return publication


def test_publish_uploads_the_image_with_its_alt_text_then_posts_once(fake_mastodon, publication):
    result = get_adapter(publication.account).publish(publication)

    (post,) = fake_mastodon.posts()
    assert result.external_id == post["id"]
    assert result.url == post["url"]
    assert post["sent"] == "La Joconde vous attend. #MuseumWeek"
    assert [m["description"] for m in post["media_attachments"]] == [
        "Portrait d'une femme souriante devant un paysage."
    ]
    assert fake_mastodon.received_posts() == [
        {"id": post["id"], "text": post["sent"], "alt_texts": ["Portrait d'une femme souriante devant un paysage."]}
    ]
    (request,) = fake_mastodon.received("POST", r"/api/v1/statuses$")
    assert request.headers["idempotency-key"] == str(publication.idempotency_key)
    (upload,) = fake_mastodon.received("POST", r"/api/v2/media$")
    assert upload.multipart()["file"].data.startswith(b"\x89PNG")


def test_publish_waits_until_the_media_is_processed(fake_mastodon, publication):
    fake_mastodon.processing_polls = 2
    get_adapter(publication.account).publish(publication)
    assert len(fake_mastodon.received("GET", r"/api/v1/media/")) == 3  # 206, 206, 200
    assert len(fake_mastodon.posts()) == 1


def test_the_post_link_is_appended_to_the_text(fake_mastodon, mastodon_account):
    publication = PublicationFactory(account=mastodon_account, text="Nouvelle salle.", post__link="https://louvre.fr/x")
    get_adapter(mastodon_account).publish(publication)
    assert fake_mastodon.posts()[0]["sent"] == "Nouvelle salle.\n\nhttps://louvre.fr/x"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_status(fake_mastodon, publication):
    adapter = get_adapter(publication.account)
    assert adapter.publish(publication).external_id == adapter.publish(publication).external_id
    assert len(fake_mastodon.posts()) == 1


def test_find_existing_ignores_an_identical_older_post(fake_mastodon, mastodon_account):
    publication = PublicationFactory(account=mastodon_account, text="Demain le musée est fermé. #JourDeFermeture")
    twin = PublicationFactory(account=mastodon_account, text=publication.text)
    adapter = get_adapter(mastodon_account)
    adapter.publish(twin)
    fake_mastodon.backdate(fake_mastodon.posts()[0], days=7)
    PublishAttempt.objects.create(publication=publication, number=1, started_at=timezone.now())

    assert adapter.find_existing(publication) is None


def test_find_existing_recognises_the_text_behind_mastodon_html(fake_mastodon, mastodon_account):
    text = "Rendez-vous\n\nsur https://www.louvre.fr/en-ce-moment/expositions/une-tres-longue-adresse & <b>vite</b>"
    publication = PublicationFactory(account=mastodon_account, text=text)
    adapter = get_adapter(mastodon_account)
    adapter.publish(publication)
    assert adapter.find_existing(publication).external_id == fake_mastodon.posts()[0]["id"]


def test_a_5xx_to_a_status_is_an_unknown_outcome_but_a_5xx_to_an_upload_is_transient(fake_mastodon, publication):
    # A server may fail after committing the status (Takahē answered 502 with the status made): look before resending.
    fake_mastodon.inject(method="POST", path=r"/api/v1/statuses$", after_handling=True, status=502, body="Bad Gateway")
    with pytest.raises(OutcomeUnknown):
        get_adapter(publication.account).publish(publication)
    fake_mastodon.inject(method="POST", path=r"/api/v2/media$", status=503, body="<html>Service Unavailable</html>")
    with pytest.raises(TransientError, match="HTTP 503"):
        get_adapter(publication.account).publish(publication)


def test_an_unreadable_2xx_to_a_status_is_an_unknown_outcome(fake_mastodon, publication):
    # A proxy's page instead of the status: the status may well have been made, so look before resending.
    fake_mastodon.inject(method="POST", path=r"/api/v1/statuses$", after_handling=True, status=200, body="<html>OK")
    with pytest.raises(OutcomeUnknown, match="cannot be read"):
        get_adapter(publication.account).publish(publication)


REWRITTEN = "Visite avec @conservatrice@mastodon.example ce soir. #NuitDesMusées"
LONG_LINK = "https://www.louvre.fr/en-ce-moment/expositions/une-tres-longue-adresse/"


def test_find_existing_recognises_a_status_whose_mentions_and_links_the_server_rewrote(fake_takahe, takahe_account):
    publication = PublicationFactory(account=takahe_account, text=REWRITTEN, post__link=LONG_LINK)
    MediaFactory(post=publication.post, alt_text="La cour Carrée de nuit.")
    adapter = get_adapter(takahe_account)
    adapter.publish(publication)
    (post,) = fake_takahe.posts()
    shown = html_to_text(post["content"])
    assert "@conservatrice@" not in shown and LONG_LINK not in shown

    assert adapter.find_existing(publication).external_id == post["id"]


def test_find_existing_tells_apart_a_post_with_other_images_or_already_linked(fake_takahe, takahe_account):
    publication = PublicationFactory(account=takahe_account, text=REWRITTEN)
    MediaFactory(post=publication.post, alt_text="La cour Carrée de nuit.")
    adapter = get_adapter(takahe_account)
    other = PublicationFactory(account=takahe_account, text=REWRITTEN)
    MediaFactory(post=other.post, alt_text="La pyramide sous la pluie.")
    adapter.publish(other)
    twin = PublicationFactory(account=takahe_account, text=REWRITTEN)
    MediaFactory(post=twin.post, alt_text="La cour Carrée de nuit.")
    twin.external_id = adapter.publish(twin).external_id  # the same post on the same account, already recorded
    twin.save()

    assert adapter.find_existing(publication) is None


@pytest.mark.parametrize(
    ("status", "body", "error_class", "reason"),
    [
        (422, {"error": "Validation failed: Text can't be blank"}, Rejected, "Validation failed: Text can't be blank"),
        (
            422,
            {"error": "Cannot attach files that have not finished processing. Try again in a moment!"},
            TransientError,
            "not finished processing",
        ),
        (404, {"error": "Record not found"}, Rejected, "Mastodon answered: Record not found"),
        (401, {"error": "The access token is invalid"}, AuthExpired, "The access token is invalid"),
    ],
)
def test_documented_error_bodies_become_readable_reasons(fake_mastodon, publication, status, body, error_class, reason):
    fake_mastodon.inject(method="POST", path=r"/api/v1/statuses$", status=status, body=body)
    with pytest.raises(error_class) as raised:
        get_adapter(publication.account).publish(publication)
    assert reason in raised.value.reason
    assert not isinstance(raised.value, OutcomeUnknown)


@pytest.mark.parametrize(
    ("invalid_token_400", "reason"), [(False, "access token is invalid"), (True, "Invalid Bearer token")]
)
def test_a_revoked_token_is_auth_expired(fake_mastodon, publication, invalid_token_400, reason):
    fake_mastodon.invalid_token_400 = invalid_token_400  # Takahē answers 400, not 401
    fake_mastodon.revoke_token()
    with pytest.raises(AuthExpired, match=reason):
        get_adapter(publication.account).publish(publication)
    assert fake_mastodon.posts() == []


def test_a_token_without_the_scope_is_auth_expired(fake_mastodon, mastodon_account):
    fake_mastodon.token_scopes[fake_mastodon.token] = {"write"}
    with pytest.raises(AuthExpired, match="out_of_scope_for_token"):
        get_adapter(mastodon_account).request("GET", "/api/v1/accounts/verify_credentials")


def test_429_without_retry_after_waits_for_the_rate_limit_reset(fake_mastodon, publication):
    reset = (timezone.now() + timedelta(seconds=90)).isoformat()
    fake_mastodon.inject(
        method="POST",
        path=r"/api/v2/media$",
        status=429,
        body={"error": "Too many requests"},
        headers={"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "0"},
    )
    with pytest.raises(RateLimited) as raised:
        get_adapter(publication.account).publish(publication)
    assert 80 < raised.value.retry_after <= 90


def test_validate_counts_urls_as_23_and_reads_the_instance_limit(fake_mastodon, mastodon_account):
    adapter = get_adapter(mastodon_account)
    url = "https://www.louvre.fr/" + "a" * 100
    text = "x" * (500 - 24) + " " + url
    assert adapter.validate(text, []) == []
    problems = adapter.validate("y" + text, [])
    assert [p.message for p in problems] == ["Mastodon allows 500 characters; this text has 501."]


def test_a_server_that_counts_links_in_full_is_validated_the_stricter_way(mastodon_account):
    url = "https://www.louvre.fr/en-ce-moment/expositions/" + "a" * 75  # 122 characters
    text = "x" * 400 + " " + url  # 424 the Mastodon way, 523 in full
    with FakeMastodon(count_links_in_full=True, version=TAKAHE_VERSION) as fake:
        mastodon_account.server_url = fake.url
        problems = get_adapter(mastodon_account).validate(text, [])
        publication = PublicationFactory(account=mastodon_account, text=text)
        with pytest.raises(Rejected, match="character limit"):  # what the server would have said at the minute
            get_adapter(mastodon_account).request("POST", "/api/v1/statuses", json={"status": publication.text})

    assert [p.message for p in problems] == ["Mastodon allows 500 characters; this text has 523."]
    with FakeMastodon() as mastodon:  # Mastodon itself counts every URL as 23
        mastodon_account.server_url = mastodon.url
        assert get_adapter(mastodon_account).validate(text, []) == []


def test_validate_uses_a_raised_instance_limit(mastodon_account):
    from tests.fakes.mastodon import FakeMastodon

    with FakeMastodon(max_characters=1000) as fake:
        mastodon_account.server_url = fake.url
        assert get_adapter(mastodon_account).validate("x" * 900, []) == []


def test_validate_requires_alt_text_and_flags_bad_media(mastodon_account):
    adapter = get_adapter(mastodon_account)
    media = [
        MediaInfo(kind="image", content_type="image/png", size=1000, alt_text=""),
        MediaInfo(kind="image", content_type="image/tiff", size=20 * 1024 * 1024, alt_text="Un vase"),
    ]
    codes = [p.code for p in adapter.validate("Bonjour #nuitdesmusees", media)]
    assert sorted(codes) == ["hashtag_case", "media_too_large", "media_type", "missing_alt"]


# Inbox ---------------------------------------------------------------------------------------------------------------


def test_fetch_messages_pages_forward_and_resumes_from_the_cursor(fake_mastodon, mastodon_account):
    for number in range(90):
        fake_mastodon.add_mention(f"Question {number} @museum")
    adapter = get_adapter(mastodon_account)

    seen, cursor = [], {}
    while True:
        page = adapter.fetch_messages(cursor)
        seen += [m.text for m in page.messages]
        cursor = page.cursor
        if not page.more:
            break
    assert seen == [f"Question {n} @museum" for n in range(90)]

    fake_mastodon.add_mention("Encore une question ?")
    page = adapter.fetch_messages(cursor)
    assert [m.text for m in page.messages] == ["Encore une question ?"]
    assert adapter.fetch_messages(page.cursor).messages == []


def test_fetch_messages_threads_replies_to_our_post(fake_mastodon, publication):
    adapter = get_adapter(publication.account)
    post_id = adapter.publish(publication).external_id
    first = fake_mastodon.add_mention("@museum Elle est en salle 711 ?", in_reply_to=post_id, acct="lea@art.social")
    fake_mastodon.add_mention("@lea Oui, j'y étais hier.", in_reply_to=first["id"], acct="jules@example.social")

    direct, nested = adapter.fetch_messages({}).messages
    assert (direct.kind, direct.parent_external_id, direct.root_external_id) == ("reply", post_id, post_id)
    assert direct.author_handle == "lea@art.social"
    assert direct.extra["acct"] == "lea@art.social"
    assert (nested.parent_external_id, nested.root_external_id) == (first["id"], post_id)


def test_fetch_messages_sanitizes_html_and_skips_malformed_items(fake_mastodon, mastodon_account):
    fake_mastodon.add_mention(
        '<script>alert("x")</script>Bonjour <a href="https://x.fr">@museum</a><br>à bientôt &amp; merci'
    )
    fake_mastodon.notifications.append({"id": "2", "type": "mention", "status": {"id": "1", "content": None}})
    fake_mastodon.add_mention("Après l'erreur")

    page = get_adapter(mastodon_account).fetch_messages({})
    assert [m.text for m in page.messages] == ["Bonjour @museum\nà bientôt & merci", "Après l'erreur"]
    assert page.cursor == {"min_id": "3"}


def test_a_media_file_missing_from_storage_is_refused_with_a_reason(fake_mastodon, publication):
    media = publication.post.media.get()
    media.file.storage.delete(media.file.name)
    with pytest.raises(Rejected, match="cannot be read on this server"):
        get_adapter(publication.account).publish(publication)
    assert fake_mastodon.posts() == []


@pytest.mark.parametrize("body", ["<html>Bad gateway</html>", {"error": "unexpected"}])
def test_a_malformed_notifications_page_is_a_transient_error(fake_mastodon, mastodon_account, body):
    fake_mastodon.inject(method="GET", path="/api/v1/notifications", status=200, body=body)
    with pytest.raises(TransientError):
        get_adapter(mastodon_account).fetch_messages({})


def test_a_connection_dropped_after_the_instance_accepted_is_an_unknown_outcome(fake_mastodon, publication):
    fake_mastodon.inject(method="POST", path=r"/api/v1/statuses$", after_handling=True, drop=True)
    with pytest.raises(OutcomeUnknown):
        get_adapter(publication.account).publish(publication)
    assert len(fake_mastodon.posts()) == 1


def test_a_refused_connection_is_transient_not_unknown(mastodon_account, fake_mastodon):
    publication = PublicationFactory(account=mastodon_account, text="Bonjour")
    get_adapter(mastodon_account).configuration()  # limits known (cached) before the instance goes away
    fake_mastodon.stop()
    with pytest.raises(TransientError) as raised:
        get_adapter(mastodon_account).publish(publication)
    assert not isinstance(raised.value, OutcomeUnknown)
