"""The sandbox network: publishes into the database, invents a deterministic audience, answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.adapters.base import MediaInfo, ReplyTarget
from publishing.models import SandboxPost, SandboxReply
from tests.factories import MediaFactory, PublicationFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def published_post(hours_ago: float = 6, **kwargs):
    publication = PublicationFactory(**kwargs)
    result = get_adapter(publication.account).publish(publication)
    SandboxPost.objects.filter(idempotency_key=publication.idempotency_key).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return publication, result


def test_publishing_stores_the_text_and_alt_texts_once_even_when_retried():
    publication = PublicationFactory(text="La Joconde vous attend.")
    MediaFactory(post=publication.post, alt_text="Portrait d'une femme souriante.")
    adapter = get_adapter(publication.account)

    first = adapter.publish(publication)
    second = adapter.publish(publication)

    assert first.external_id == second.external_id
    post = SandboxPost.objects.get()
    assert post.text == "La Joconde vous attend."
    assert post.alt_texts == ["Portrait d'une femme souriante."]
    assert f"#{first.external_id}" in first.url


def test_find_existing_finds_the_post_by_its_idempotency_key():
    publication = PublicationFactory()
    adapter = get_adapter(publication.account)
    assert adapter.find_existing(publication) is None
    result = adapter.publish(publication)
    assert adapter.find_existing(publication).external_id == result.external_id


def test_an_image_without_alt_text_is_refused_before_publishing():
    publication = PublicationFactory()
    MediaFactory(post=publication.post, alt_text="")
    from publishing.adapters.base import Rejected

    with pytest.raises(Rejected, match="alt text"):
        get_adapter(publication.account).publish(publication)
    assert not SandboxPost.objects.exists()


def test_validate_applies_generic_limits():
    adapter = get_adapter(SocialAccountFactory())
    image = MediaInfo(kind="image", content_type="image/png", size=1000, alt_text="Un vase.")
    assert adapter.validate("x" * 2000, [image] * 4) == []
    problems = adapter.validate("x" * 2001, [image] * 5)
    assert {p.code for p in problems} == {"too_long", "too_many_media"}
    assert "Sandbox allows 2000 characters; this text has 2001." in [p.message for p in problems]
    assert [p.code for p in adapter.validate("  ", [])] == ["empty"]
    assert adapter.validate("", [image]) == []


def test_visitors_reply_over_time_and_a_resync_never_duplicates_them():
    publication, result = published_post(hours_ago=6)
    adapter = get_adapter(publication.account)

    page = adapter.fetch_messages({})
    assert 2 <= len(page.messages) <= 4
    assert not page.more
    assert all(m.root_external_id == result.external_id for m in page.messages)
    assert page.messages[0].parent_external_id == result.external_id
    assert adapter.fetch_messages(page.cursor).messages == []

    again = adapter.fetch_messages({})  # a lost cursor: the same replies, no new ones
    assert [m.external_id for m in again.messages] == [m.external_id for m in page.messages]
    assert SandboxReply.objects.count() == len(page.messages)


def test_replies_are_deterministic_from_the_post():
    publication, _result = published_post(hours_ago=6)
    adapter = get_adapter(publication.account)
    first = [(m.author_handle, m.text) for m in adapter.fetch_messages({}).messages]
    SandboxReply.objects.all().delete()
    second = [(m.author_handle, m.text) for m in adapter.fetch_messages({}).messages]
    assert first == second


def test_a_fresh_post_has_no_replies_yet():
    publication, _result = published_post(hours_ago=0)
    assert get_adapter(publication.account).fetch_messages({}).messages == []


def test_fetch_pages_with_a_cursor():
    account = SocialAccountFactory()
    for _ in range(20):
        published_post(hours_ago=6, account=account)
    adapter = get_adapter(account)
    seen, cursor, pages = [], {}, 0
    while True:
        page = adapter.fetch_messages(cursor)
        seen += [m.external_id for m in page.messages]
        cursor, pages = page.cursor, pages + 1
        if not page.more:
            break
    assert pages >= 2
    assert len(seen) == len(set(seen)) == SandboxReply.objects.count()


def test_the_museum_answers_a_reply_once():
    publication, _result = published_post(hours_ago=6)
    adapter = get_adapter(publication.account)
    message = adapter.fetch_messages({}).messages[0]
    target = ReplyTarget(message.external_id, message.root_external_id)

    first = adapter.reply(
        target, "Merci, oui, elle est visible salle 711.", idempotency_key="7a1d4a7e-0000-4000-8000-000000000001"
    )
    second = adapter.reply(
        target, "Merci, oui, elle est visible salle 711.", idempotency_key="7a1d4a7e-0000-4000-8000-000000000001"
    )

    assert first.external_id == second.external_id
    answer = SandboxReply.objects.get(by_museum=True)
    assert answer.in_reply_to == message.external_id
    assert answer.author_handle == publication.account.handle
    assert [m.external_id for m in adapter.fetch_messages({}).messages if m.external_id == first.external_id] == []


def test_the_feed_page_shows_posts_and_replies_escaped(client, curator, django_assert_max_num_queries):
    publication, _result = published_post(hours_ago=6, text="<script>alert(1)</script> Bonjour")
    get_adapter(publication.account).fetch_messages({})
    client.force_login(curator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sandbox_feed"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Bonjour" in body
    assert SandboxReply.objects.first().text.replace("'", "&#x27;") in body


def test_the_feed_page_needs_a_team_role(client, stranger):
    assert client.get(reverse("sandbox_feed")).status_code == 302
    client.force_login(stranger)
    assert client.get(reverse("sandbox_feed")).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_curator_reads_the_sandbox_feed_in_the_browser(page, curator):
    from playwright.sync_api import expect

    from tests.conftest import browser_login

    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    missing = []
    page.on("response", lambda response: response.status == 404 and missing.append(response.url))
    other = SocialAccountFactory(handle="marceau.jeunesse", display_name="Marceau Jeunesse")
    publication, result = published_post(hours_ago=6, text="La salle des Primitifs rouvre demain.")
    published_post(hours_ago=6, account=other, text="Atelier dessin pour les 6-10 ans.")
    get_adapter(publication.account).fetch_messages({})
    first_reply = SandboxReply.objects.filter(post__account=publication.account).first()

    browser_login(page, curator)
    page.goto("/sandbox/")
    expect(page.get_by_role("heading", name="Sandbox network")).to_be_visible()
    expect(page.get_by_text("Atelier dessin pour les 6-10 ans.")).to_be_visible()
    post = page.locator(f"#{result.external_id}")
    expect(post.get_by_text("La salle des Primitifs rouvre demain.")).to_be_visible()
    expect(post.get_by_text(first_reply.text)).to_be_visible()

    page.get_by_label("Account").select_option(label=publication.account.display_name)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("La salle des Primitifs rouvre demain.")).to_be_visible()
    expect(page.get_by_text("Atelier dessin pour les 6-10 ans.")).to_have_count(0)
    assert errors == [], missing  # no Content-Security-Policy violation


def test_most_visitors_thank_the_museum_for_an_answer_once():
    account = SocialAccountFactory()
    adapter = get_adapter(account)
    for _ in range(6):
        published_post(hours_ago=6, account=account)
    questions = adapter.fetch_messages({}).messages
    for number, question in enumerate(questions[:10]):
        adapter.reply(ReplyTarget(question.external_id), "Merci de votre message !", idempotency_key=f"{number:032x}")
    SandboxReply.objects.filter(by_museum=True).update(created_at=timezone.now() - timedelta(hours=1))

    thanks = [m for m in adapter.fetch_messages({}).messages if m.parent_external_id.startswith("reply-")]
    answers = {f"reply-{pk}" for pk in SandboxReply.objects.filter(by_museum=True).values_list("pk", flat=True)}
    thanked = [m for m in thanks if m.parent_external_id in answers]
    assert 3 <= len(thanked) <= 10
    assert len({m.parent_external_id for m in thanked}) == len(thanked)
    adapter.fetch_messages({})
    assert SandboxReply.objects.filter(in_reply_to__in=answers).count() == len(thanked)
