"""The X adapter against a fake X API v2 on loopback."""

import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.adapters.base import (
    MediaInfo,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from publishing.models import PublishAttempt, SocialAccount
from tests.factories import MP4_HEAD, MediaFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publication(x_account):
    publication = PublicationFactory(account=x_account, text="La Joconde vous attend. #MuseumWeek")
    MediaFactory(post=publication.post, alt_text="Portrait d'une femme souriante devant un paysage.")
    return publication


def test_publish_uploads_the_image_sets_its_alt_text_then_tweets_once(fake_x, publication):
    result = get_adapter(publication.account).publish(publication)

    (tweet,) = fake_x.posts()
    assert result.external_id == tweet["id"]
    assert result.url == f"https://x.com/museum/status/{tweet['id']}"
    assert tweet["sent"] == "La Joconde vous attend. #MuseumWeek"
    assert [m["alt_text"] for m in tweet["media"]] == ["Portrait d'une femme souriante devant un paysage."]
    assert fake_x.received_posts() == [
        {"id": tweet["id"], "text": tweet["sent"], "alt_texts": ["Portrait d'une femme souriante devant un paysage."]}
    ]
    (upload,) = fake_x.received("POST", r"/2/media/upload$")
    parts = upload.multipart()
    assert parts["media"].data.startswith(b"\x89PNG") and parts["media_category"].data == b"tweet_image"


def test_the_quota_left_is_read_from_the_last_post(fake_x, x_account):
    adapter = get_adapter(x_account)
    assert adapter.quota() is None  # X has no endpoint for it: known after the first post
    fake_x.daily_limit = 17
    adapter.publish(PublicationFactory(account=x_account, text="Premier"))
    adapter.publish(PublicationFactory(account=x_account, text="Second"))
    quota = get_adapter(x_account).quota()
    assert (quota["used"], quota["limit"], quota["period"]) == (2, 17, "24 h")


def test_a_video_goes_up_in_chunks_and_waits_for_processing(fake_x, x_account):
    publication = PublicationFactory(account=x_account, text="Les coulisses de l'accrochage.")
    MediaFactory(
        post=publication.post,
        kind="video",
        content_type="video/mp4",
        file=ContentFile(MP4_HEAD + b"v" * 5000, name="coulisses.mp4"),
        alt_text="",
    )
    fake_x.processing_polls = 2
    get_adapter(x_account).publish(publication)

    (tweet,) = fake_x.posts()
    assert tweet["media"][0]["type"] == "video/mp4"
    assert len(fake_x.received("POST", r"/append$")) == 1
    assert len(fake_x.received("GET", r"/2/media/upload$")) == 2  # STATUS until succeeded


def test_the_link_is_appended_and_counted_as_23(fake_x, x_account):
    publication = PublicationFactory(account=x_account, text="Nouvelle salle.", post__link="https://www.louvre.fr/x")
    get_adapter(x_account).publish(publication)
    assert fake_x.posts()[0]["sent"] == "Nouvelle salle.\n\nhttps://www.louvre.fr/x"


def test_a_timeout_after_x_accepted_is_unknown_then_found_despite_tco_links(fake_x, x_account, short_timeouts):
    text = "Ce soir & demain : https://www.louvre.fr/nocturne <3"
    publication = PublicationFactory(account=x_account, text=text)
    PublishAttempt.objects.create(publication=publication, number=1, started_at=timezone.now())
    adapter = get_adapter(x_account)
    fake_x.inject(method="POST", path=r"/2/tweets$", after_handling=True, delay=2)

    with pytest.raises(OutcomeUnknown):
        adapter.publish(publication)

    (tweet,) = fake_x.posts()
    assert "t.co" in tweet["text"] and "&amp;" in tweet["text"]
    assert adapter.find_existing(publication).external_id == tweet["id"]


def test_find_existing_ignores_tweets_from_before_the_first_attempt(fake_x, x_account):
    publication = PublicationFactory(account=x_account, text="Demain le musée est fermé. #JourDeFermeture")
    get_adapter(x_account).publish(PublicationFactory(account=x_account, text=publication.text))
    fake_x.posts()[0]["created_at"] = "2026-01-06T09:00:00.000Z"  # last week's ritual
    PublishAttempt.objects.create(publication=publication, number=1, started_at=timezone.now())
    assert get_adapter(x_account).find_existing(publication) is None


def test_an_expired_access_token_is_refreshed_once_and_kept(fake_x, publication):
    fake_x.expire_access_tokens()
    get_adapter(publication.account).publish(publication)

    assert len(fake_x.posts()) == 1
    assert len(fake_x.received("POST", r"/2/oauth2/token$")) == 1
    stored = SocialAccount.objects.get(pk=publication.account.pk)
    assert stored.credentials["access_token"] in fake_x.access_tokens
    assert stored.credentials["refresh_token"] in fake_x.refresh_tokens
    assert stored.token_expires_at > timezone.now()


@pytest.mark.parametrize(
    ("status", "body", "error_class", "reason"),
    [
        (
            403,
            {"title": "Forbidden", "detail": "You are not allowed to create a Tweet with duplicate content.",
             "type": "about:blank", "status": 403},
            Rejected,
            "X answered: You are not allowed to create a Tweet with duplicate content.",
        ),
        (
            400,
            {"errors": [{"parameters": {"text": ["…"]}, "message": "Invalid text"}], "title": "Invalid Request",
             "detail": "One or more parameters to your request was invalid.",
             "type": "https://api.twitter.com/2/problems/invalid-request"},
            Rejected,
            "One or more parameters to your request was invalid.",
        ),
        (
            429,
            {"title": "UsageCapExceeded", "detail": "Usage cap exceeded: Monthly product cap",
             "type": "https://api.twitter.com/2/problems/usage-capped", "status": 429},
            Rejected,
            "posting quota",
        ),
        (503, {"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank"},
         TransientError, "Service Unavailable"),
    ],
)  # fmt: skip
def test_documented_error_bodies_become_readable_reasons(fake_x, x_account, status, body, error_class, reason):
    publication = PublicationFactory(account=x_account, text="Bonjour")
    fake_x.inject(method="POST", path=r"/2/tweets$", status=status, body=body)
    with pytest.raises(error_class) as raised:
        get_adapter(x_account).publish(publication)
    assert reason in raised.value.reason


def test_a_real_duplicate_is_refused_with_the_network_reason(fake_x, x_account):
    get_adapter(x_account).publish(PublicationFactory(account=x_account, text="Deux fois la même chose"))
    with pytest.raises(Rejected, match="duplicate content"):
        get_adapter(x_account).publish(PublicationFactory(account=x_account, text="Deux fois la même chose"))


def test_429_waits_for_retry_after_or_the_rate_limit_reset(fake_x, x_account):
    publication = PublicationFactory(account=x_account, text="Bonjour")
    adapter = get_adapter(x_account)
    old_shape = {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
    reset = str(int(time.time()) + 120)
    fake_x.inject(method="POST", path=r"/2/tweets$", status=429, body=old_shape, headers={"x-rate-limit-reset": reset})
    with pytest.raises(RateLimited) as raised:
        adapter.publish(publication)
    assert 115 <= raised.value.retry_after <= 120
    assert "Rate limit exceeded" in raised.value.reason

    fake_x.inject(method="POST", path=r"/2/tweets$", status=429, body=old_shape, headers={"Retry-After": "2"})
    with pytest.raises(RateLimited) as raised:
        adapter.publish(publication)
    assert raised.value.retry_after == 2


def test_validate_counts_the_weighted_length(x_account):
    adapter = get_adapter(x_account)
    assert adapter.validate("a" * 280, []) == []
    assert adapter.validate("日" * 140, []) == []
    assert [p.message for p in adapter.validate("日" * 141, [])] == ["X allows 280 characters; this text has 282."]
    assert adapter.validate("a" * 256 + " https://www.louvre.fr/" + "x" * 200, []) == []


def test_validate_media_rules(x_account):
    adapter = get_adapter(x_account)
    gif = MediaInfo(kind="image", content_type="image/gif", size=1000, alt_text="Un chat animé")
    png = MediaInfo(kind="image", content_type="image/png", size=6 * 1024 * 1024, alt_text="")
    codes = sorted(p.code for p in adapter.validate("Bonjour", [gif, png]))
    assert codes == ["media_too_large", "missing_alt", "mix"]


# Inbox ---------------------------------------------------------------------------------------------------------------


def test_fetch_messages_pages_back_then_resumes_with_since_id(fake_x, x_account):
    for number in range(250):
        fake_x.add_mention(f"@museum question {number}")
    adapter = get_adapter(x_account)

    seen, cursor, pages = [], {}, 0
    while True:
        page = adapter.fetch_messages(cursor)
        seen += [m.text for m in page.messages]
        cursor, pages = page.cursor, pages + 1
        if not page.more:
            break
    assert pages == 3
    assert sorted(seen) == sorted(f"@museum question {n}" for n in range(250))

    fake_x.add_mention("@museum encore une")
    page = adapter.fetch_messages(cursor)
    assert [m.text for m in page.messages] == ["@museum encore une"]
    assert adapter.fetch_messages(page.cursor).messages == []


def test_replies_point_at_their_parent_and_conversation_root(fake_x, publication):
    adapter = get_adapter(publication.account)
    tweet_id = adapter.publish(publication).external_id
    first = fake_x.add_mention("@museum salle 711 ?", in_reply_to=tweet_id)
    fake_x.add_mention("@lea_visite @museum oui", in_reply_to=first["id"], username="jules")
    fake_x.add_mention("Regardez ça @museum", quoted=tweet_id, username="kenji")

    direct, nested, quote = adapter.fetch_messages({}).messages
    assert (direct.kind, direct.parent_external_id, direct.root_external_id) == ("reply", tweet_id, tweet_id)
    assert direct.author_handle == "lea_visite" and direct.url.endswith(f"/lea_visite/status/{first['id']}")
    assert (nested.parent_external_id, nested.root_external_id) == (first["id"], tweet_id)
    assert (quote.kind, quote.parent_external_id) == ("quote", tweet_id)


def test_malformed_mentions_are_skipped(fake_x, x_account):
    fake_x.add_mention("@museum avant")
    broken = fake_x.add_mention("@museum cassé")
    broken["created_at"] = None
    fake_x.add_mention("@museum après")
    texts = [m.text for m in get_adapter(x_account).fetch_messages({}).messages]
    assert texts == ["@museum avant", "@museum après"]


@pytest.mark.parametrize("body", ["<html>Bad gateway</html>", ["not", "an", "object"]])
def test_a_malformed_mentions_page_is_a_transient_error(fake_x, x_account, body):
    fake_x.inject(method="GET", path="/mentions", status=200, body=body)
    with pytest.raises(TransientError):
        get_adapter(x_account).fetch_messages({})
