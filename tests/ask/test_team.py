"""The team's side: approve from the review page, link duplicates, reorder the queue, turn an answer into a post."""

from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ask.models import Question
from ask.publication import asker_notify, question_publish
from ask.services import channel_account, question_ask, queue_dates, queue_move
from ask.social import next_free_slot, text_for
from editorial.models import Post
from inbox.models import Message, Reply
from inbox.sync import account_sync
from publishing.models import Network
from tests.conftest import login_client
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def _synced(text="Pourquoi ?", email=""):
    question = question_ask(text=text, name="", email=email, language="fr", held=False)
    account_sync(account=channel_account())
    return question


def test_the_review_page_queues_an_approved_answer_for_its_day(client, community_manager, themes):
    question = _synced()
    login_client(client, community_manager)

    response = client.post(
        reverse("ask_review", args=[question.pk]),
        {
            "text": "Parce que.\n\n![Un crâne de Cro-Magnon](https://example.org/crane.jpg)",
            "theme": themes[0].pk,
            "when": "daily",
        },
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.state, question.queue_position, question.theme) == ("answered", 1, themes[0])
    assert Reply.objects.get().state == Reply.State.DRAFT


def test_an_image_without_alt_text_is_refused(client, community_manager):
    question = _synced()
    login_client(client, community_manager)

    response = client.post(
        reverse("ask_review", args=[question.pk]), {"text": "Voici.\n\n![](https://example.org/a.jpg)", "when": "now"}
    )

    assert "Each image needs a description" in response.content.decode()
    assert Question.objects.get().state == Question.State.RECEIVED


def test_curators_and_strangers_cannot_approve(client, curator, stranger):
    question = _synced()
    for user in (curator, stranger):
        login_client(client, user)
        assert client.post(reverse("ask_review", args=[question.pk]), {"text": "x", "when": "now"}).status_code == 403


def test_a_duplicate_is_linked_to_the_existing_answer_and_its_visitor_told(client, community_manager):
    original = question_publish(question=_synced("Qui était Lucy ?"), answer="Une australopithèque.")
    duplicate = _synced("C'est qui Lucy ?", email="tom@example.org")
    login_client(client, community_manager)

    client.post(reverse("ask_duplicate", args=[duplicate.pk]), {"original": original.public_url()})
    asker_notify(question_id=duplicate.pk)

    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.email == ""
    assert Message.objects.get(external_id=duplicate.external_id).status == Message.Status.DONE
    told = [sent for sent in mail.outbox if sent.to == ["tom@example.org"]]
    assert len(told) == 1 and original.get_absolute_url() in told[0].body


def test_the_queue_can_be_reordered_and_shows_one_day_each(community_manager):
    first, second = Question.objects.create(text="A ?"), Question.objects.create(text="B ?")
    Question.objects.filter(pk=first.pk).update(state="answered", queue_position=1)
    Question.objects.filter(pk=second.pk).update(state="answered", queue_position=2)

    queue_move(question=second, offset=-1)

    planned = queue_dates(now=timezone.make_aware(datetime(2026, 12, 8, 11, 0)))
    assert [q.pk for q, _when in planned] == [second.pk, first.pk]
    assert [when.day for _q, when in planned] == [9, 10]
    assert planned[0][1].hour == 10


def test_an_answer_becomes_a_draft_post_with_one_text_per_network_at_the_next_free_slot(client, community_manager):
    SocialAccountFactory(network=Network.BLUESKY)
    SocialAccountFactory(network=Network.MASTODON)
    question = question_publish(question=_synced("Pourquoi " + "très " * 80 + "long ?"), answer="Parce que. " * 50)
    login_client(client, community_manager)
    free = next_free_slot()

    response = client.post(reverse("ask_make_post", args=[question.pk]))
    client.post(reverse("ask_make_post", args=[question.pk]))  # a second click opens the same post

    post = Post.objects.get()
    assert response["Location"] == reverse("post_edit", args=[post.pk])
    texts = {p.account.network: p.text for p in post.publications.select_related("account")}
    assert set(texts) == {"bluesky", "mastodon"}
    assert len(texts["bluesky"]) <= 300 and question.public_url() in texts["bluesky"]
    assert post.status == Post.Status.DRAFT and post.scheduled_at == free
    assert next_free_slot() > free  # now taken


def test_the_next_free_slot_skips_taken_hours_and_nights(community_manager, settings):
    settings.WORKING_DAY_STARTS, settings.WORKING_DAY_ENDS = 9, 18
    evening = timezone.make_aware(datetime(2026, 12, 8, 17, 30))
    Post.objects.create(author=community_manager, title="x", text="x", scheduled_at=evening.replace(day=9, hour=9))

    assert next_free_slot(now=evening) == evening.replace(day=9, hour=10, minute=0)


def test_a_social_text_keeps_the_link_whatever_the_question_length():
    question = Question(pk=3, text="Q" * 600, answer="R", slug="3-q", language="en")
    text = text_for(question, 280)
    assert len(text) <= 280 and text.endswith(question.public_url())


def test_the_queue_is_in_the_navigation_of_those_who_approve_only(client, curator, community_manager):
    client.force_login(community_manager)
    assert f'href="{reverse("ask_team")}"' in client.get(reverse("home")).content.decode()
    assert client.get(reverse("ask_team")).status_code == 200

    client.force_login(curator)
    assert f'href="{reverse("ask_team")}"' not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("ask_team")).status_code == 403


def test_the_team_withdraws_an_answer_and_moves_the_queue_from_its_page(client, community_manager, stranger):
    published = question_publish(question=_synced("Publiée ?"), answer="Oui.")
    first, second = Question.objects.create(text="A ?"), Question.objects.create(text="B ?")
    Question.objects.filter(pk=first.pk).update(state="answered", queue_position=1)
    Question.objects.filter(pk=second.pk).update(state="answered", queue_position=2)
    client.force_login(stranger)
    assert client.post(reverse("ask_withdraw", args=[published.pk])).status_code == 403

    login_client(client, community_manager)
    client.post(reverse("ask_move", args=[second.pk]), {"to": "up"})
    client.post(reverse("ask_withdraw", args=[published.pk]))

    assert [q.pk for q in Question.objects.queued()] == [second.pk, first.pk]
    assert Question.objects.get(pk=published.pk).state == Question.State.WITHDRAWN
    assert client.get(published.get_absolute_url()).status_code == 404
