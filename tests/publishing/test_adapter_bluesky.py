"""The Bluesky adapter against a fake PDS on loopback."""

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
    parse_time,
)
from publishing.adapters.bluesky import TID_ALPHABET, tid
from publishing.models import Publication, SocialAccount
from tests.factories import MediaFactory, PublicationFactory

pytestmark = pytest.mark.django_db

FAMILY = "👨‍👩‍👧‍👦"


@pytest.fixture
def publication(bluesky_account):
    publication = PublicationFactory(account=bluesky_account, text="La Joconde vous attend.")
    MediaFactory(post=publication.post, alt_text="Portrait d'une femme souriante devant un paysage.")
    return publication


def test_publish_uploads_the_blob_and_writes_one_post_with_alt_text(fake_bluesky, publication):
    result = get_adapter(publication.account).publish(publication)

    (post,) = fake_bluesky.posts()
    assert result.external_id == post["uri"]
    record = post["value"]
    assert record["text"] == "La Joconde vous attend."
    (image,) = record["embed"]["images"]
    assert image["alt"] == "Portrait d'une femme souriante devant un paysage."
    assert image["aspectRatio"] == {"width": 64, "height": 48}
    assert image["image"]["ref"]["$link"] in fake_bluesky.blobs
    assert fake_bluesky.received_posts() == [
        {"id": post["uri"], "text": record["text"], "alt_texts": ["Portrait d'une femme souriante devant un paysage."]}
    ]
    (upload,) = fake_bluesky.received("POST", r"uploadBlob")
    assert upload.headers["content-type"] == "image/png" and upload.body.startswith(b"\x89PNG")
    assert result.url == f"https://bsky.app/profile/museum.bsky.social/post/{post['uri'].rsplit('/', 1)[-1]}"


def test_the_record_key_is_stored_on_the_publication_before_the_call(fake_bluesky, publication):
    fake_bluesky.inject(method="POST", path="putRecord", status=503, body={"error": "InternalServerError"})
    with pytest.raises(TransientError):
        get_adapter(publication.account).publish(publication)
    stored = Publication.objects.get(pk=publication.pk).extra
    assert len(stored["rkey"]) == 13 and stored["rkey"][0] in TID_ALPHABET[:16]
    (request,) = fake_bluesky.received("POST", "putRecord")
    assert request.json()["rkey"] == stored["rkey"]


def test_a_timeout_after_the_pds_accepted_is_unknown_then_found_and_a_retry_does_not_double(
    fake_bluesky, publication, short_timeouts
):
    adapter = get_adapter(publication.account)
    fake_bluesky.inject(method="POST", path="putRecord", after_handling=True, delay=2)
    with pytest.raises(OutcomeUnknown):
        adapter.publish(publication)

    publication.refresh_from_db()
    found = adapter.find_existing(publication)
    (post,) = fake_bluesky.posts()
    assert found.external_id == post["uri"]

    again = get_adapter(publication.account).publish(publication)  # a blind retry finds the record: no new write
    assert again.external_id == post["uri"] and again.extra["cid"] == post["cid"]
    assert len(fake_bluesky.posts()) == 1
    assert len(fake_bluesky.received("POST", "putRecord")) == 1  # the record written first is left as it was


def test_a_post_sent_after_a_failed_attempt_is_dated_when_it_is_actually_sent(fake_bluesky, publication):
    # Held over a weekend for reconnecting, a post dated at its first attempt would appear days old, and buried.
    fake_bluesky.inject(method="POST", path="putRecord", status=503, body={"error": "InternalServerError"})
    with pytest.raises(TransientError):
        get_adapter(publication.account).publish(publication)
    publication.refresh_from_db()
    first_rkey = publication.extra["rkey"]
    retried_at = timezone.now()

    result = get_adapter(publication.account).publish(publication)

    (post,) = fake_bluesky.posts()
    assert parse_time(post["value"]["createdAt"]) >= retried_at
    assert result.extra["rkey"] == first_rkey  # the record key stays: it is what makes the retry safe


def test_find_existing_is_none_when_nothing_was_written(fake_bluesky, publication):
    adapter = get_adapter(publication.account)
    assert adapter.find_existing(publication) is None  # no record key: never sent
    fake_bluesky.inject(method="POST", path="putRecord", status=503, body={"error": "InternalServerError"})
    with pytest.raises(TransientError):
        adapter.publish(publication)
    publication.refresh_from_db()
    assert adapter.find_existing(publication) is None  # 400 RecordNotFound


def test_the_fake_pds_refuses_a_second_create_with_the_same_rkey(fake_bluesky, bluesky_account):
    adapter = get_adapter(bluesky_account)
    payload = {
        "repo": fake_bluesky.did,
        "collection": "app.bsky.feed.post",
        "rkey": tid(),
        "record": {"$type": "app.bsky.feed.post", "text": "x", "createdAt": "2026-01-01T00:00:00Z"},
    }
    adapter.request("POST", "/xrpc/com.atproto.repo.createRecord", json=payload)
    with pytest.raises(TransientError):
        adapter.request("POST", "/xrpc/com.atproto.repo.createRecord", json=payload)
    assert len(fake_bluesky.posts()) == 1


def test_links_mentions_and_hashtags_become_facets_at_byte_offsets(fake_bluesky, bluesky_account):
    text = f"Été {FAMILY} avec @claire.bsky.social : https://louvre.fr/joconde #MuseumWeek"
    publication = PublicationFactory(account=bluesky_account, text=text)
    get_adapter(bluesky_account).publish(publication)

    record = fake_bluesky.posts()[0]["value"]
    encoded = record["text"].encode()
    spans = {
        facet["features"][0]["$type"].rsplit("#", 1)[1]: encoded[
            facet["index"]["byteStart"] : facet["index"]["byteEnd"]
        ]
        for facet in record["facets"]
    }
    assert spans == {
        "mention": b"@claire.bsky.social",
        "link": b"https://louvre.fr/joconde",
        "tag": b"#MuseumWeek",
    }
    features = {f["features"][0]["$type"]: f["features"][0] for f in record["facets"]}
    assert features["app.bsky.richtext.facet#mention"]["did"] == "did:plc:claire000000000000000000"
    assert features["app.bsky.richtext.facet#tag"]["tag"] == "MuseumWeek"


def test_an_expired_access_token_is_refreshed_once_and_the_new_session_kept(fake_bluesky, publication):
    fake_bluesky.expire_access_tokens()
    get_adapter(publication.account).publish(publication)

    assert len(fake_bluesky.posts()) == 1
    assert len(fake_bluesky.received("POST", "refreshSession")) == 1
    assert fake_bluesky.received("POST", "createSession") == []
    stored = SocialAccount.objects.get(pk=publication.account.pk)
    assert stored.credentials["access_token"] in fake_bluesky.access_tokens
    assert stored.token_expires_at is not None


def test_an_expired_session_without_app_password_needs_reconnecting(fake_bluesky, publication):
    fake_bluesky.expire_session()
    with pytest.raises(AuthExpired, match="Token has expired"):
        get_adapter(publication.account).publish(publication)
    assert fake_bluesky.posts() == []
    assert fake_bluesky.received("POST", "createSession") == []


def test_an_expired_session_logs_in_again_with_the_stored_app_password(fake_bluesky, publication):
    account = publication.account
    account.credentials = {**account.credentials, "app_password": fake_bluesky.password}
    account.save()
    fake_bluesky.expire_session()
    get_adapter(account).publish(publication)
    assert len(fake_bluesky.received("POST", "createSession")) == 1
    assert len(fake_bluesky.posts()) == 1


def test_login_opens_and_stores_a_session(fake_bluesky, bluesky_account):
    bluesky_account.credentials = {}
    adapter = get_adapter(bluesky_account)
    with pytest.raises(AuthExpired, match="Invalid identifier or password"):
        adapter.login(fake_bluesky.handle, "wrong")
    adapter.login(fake_bluesky.handle, fake_bluesky.password)
    stored = SocialAccount.objects.get(pk=bluesky_account.pk)
    assert stored.credentials["did"] == fake_bluesky.did
    assert stored.credentials["refresh_token"] in fake_bluesky.refresh_tokens


@pytest.mark.parametrize(
    ("status", "body", "error_class", "reason"),
    [
        (
            400,
            {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record: Record/text must not be longer"},
            Rejected,
            "Bluesky answered: Invalid app.bsky.feed.post record: Record/text must not be longer (InvalidRequest)",
        ),
        (400, {"error": "BlobTooLarge", "message": "This file is too large."}, Rejected, "This file is too large."),
        (401, {"error": "AuthMissing", "message": "Authentication Required"}, AuthExpired, "Authentication Required"),
        (
            400,
            {"error": "InvalidToken", "message": "Token could not be verified"},
            AuthExpired,
            "could not be verified",
        ),
        (500, {"error": "InternalServerError", "message": "Internal Server Error"}, TransientError, "Internal Server"),
        (502, "", TransientError, "HTTP 502"),
    ],
)
def test_documented_error_bodies_become_readable_reasons(fake_bluesky, publication, status, body, error_class, reason):
    fake_bluesky.inject(method="POST", path="putRecord", status=status, body=body)
    with pytest.raises(error_class) as raised:
        get_adapter(publication.account).publish(publication)
    assert reason in raised.value.reason


def test_429_uses_retry_after_or_the_ratelimit_reset(fake_bluesky, publication):
    import time

    adapter = get_adapter(publication.account)
    body = {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
    fake_bluesky.inject(method="POST", path="putRecord", status=429, body=body, headers={"Retry-After": "2"})
    with pytest.raises(RateLimited) as raised:
        adapter.publish(publication)
    assert raised.value.retry_after == 2

    reset = str(int(time.time()) + 60)
    fake_bluesky.inject(method="POST", path="putRecord", status=429, body=body, headers={"RateLimit-Reset": reset})
    with pytest.raises(RateLimited) as raised:
        adapter.publish(publication)
    assert 55 <= raised.value.retry_after <= 60


def test_validate_counts_graphemes_so_a_zwj_emoji_is_one(bluesky_account):
    adapter = get_adapter(bluesky_account)
    assert adapter.validate("a" * 299 + FAMILY, []) == []
    problems = adapter.validate("a" * 300 + FAMILY, [])
    assert [p.message for p in problems] == ["Bluesky allows 300 characters; this text has 301."]


def test_validate_limits_bytes_images_and_requires_alt_text(bluesky_account):
    adapter = get_adapter(bluesky_account)
    assert [p.code for p in adapter.validate(FAMILY * 300, [])] == ["too_many_bytes"]
    image = MediaInfo(kind="image", content_type="image/jpeg", size=1_000_000, alt_text="Un vase")
    big = MediaInfo(kind="image", content_type="image/jpeg", size=2_500_000, alt_text="")
    codes = [p.code for p in adapter.validate("Bonjour", [image] * 4 + [big])]
    assert sorted(codes) == ["media_too_large", "missing_alt", "too_many_media"]


# Inbox ---------------------------------------------------------------------------------------------------------------


def test_fetch_messages_pages_back_and_resumes_from_what_it_saw(fake_bluesky, bluesky_account):
    for number in range(120):
        fake_bluesky.add_mention(f"Question {number}")
    adapter = get_adapter(bluesky_account)

    seen, cursor, pages = [], {}, 0
    while True:
        page = adapter.fetch_messages(cursor)
        seen += [m.text for m in page.messages]
        cursor, pages = page.cursor, pages + 1
        if not page.more:
            break
    assert pages == 3
    assert sorted(seen) == sorted(f"Question {n}" for n in range(120))

    fake_bluesky.add_mention("Encore une")
    again, cursor = [], {**cursor}
    while True:  # the walk goes back over the last day (dates can be early), recognising what it has by id
        page = adapter.fetch_messages(cursor)
        again += [m.text for m in page.messages]
        cursor = page.cursor
        if not page.more:
            break
    assert again == ["Encore une"]


def test_replies_and_quotes_point_at_their_parent_and_root(fake_bluesky, publication):
    adapter = get_adapter(publication.account)
    ours = adapter.publish(publication)
    post = {"uri": ours.external_id, "cid": ours.extra["cid"]}
    first = fake_bluesky.add_reply("Elle est en salle 711 ?", parent=post)
    fake_bluesky.add_reply("Oui !", parent=first, root=post, handle="jules.bsky.social")
    fake_bluesky.add_quote("Regardez ça", quoted=post)

    direct, nested, quote = adapter.fetch_messages({}).messages
    assert (direct.kind, direct.parent_external_id, direct.root_external_id) == ("reply", post["uri"], post["uri"])
    assert direct.extra == {"uri": first["uri"], "cid": first["cid"], "root": post}
    assert (nested.parent_external_id, nested.root_external_id) == (first["uri"], post["uri"])
    assert (quote.kind, quote.parent_external_id) == ("quote", post["uri"])


def test_malformed_notifications_are_skipped(fake_bluesky, bluesky_account):
    fake_bluesky.add_mention("Avant")
    fake_bluesky.notifications.append({"uri": "at://x/y/z", "reason": "mention", "indexedAt": "2099-01-01T00:00:00Z"})
    fake_bluesky.add_mention("Après")
    adapter = get_adapter(bluesky_account)
    page = adapter.fetch_messages({})
    assert sorted(m.text for m in page.messages) == ["Après", "Avant"]
    fake_bluesky.add_mention("Plus tard")  # the malformed item's future time did not poison the cursor
    assert [m.text for m in adapter.fetch_messages(page.cursor).messages] == ["Plus tard"]


@pytest.mark.parametrize("body", ["<html>Bad gateway</html>", [], {"notifications": {"not": "a list"}}])
def test_a_malformed_notifications_page_is_a_transient_error(fake_bluesky, bluesky_account, body):
    fake_bluesky.inject(method="GET", path="listNotifications", status=200, body=body)
    with pytest.raises(TransientError):
        get_adapter(bluesky_account).fetch_messages({})
