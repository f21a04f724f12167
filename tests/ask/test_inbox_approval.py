"""Approving a curator's answer from the question's inbox conversation, where the team works: now, or as a
question of the day. Only those who may answer (community managers and up) can; the page comes back to the
conversation."""

import pytest
from django.urls import reverse

from ask.models import Question
from ask.services import channel_account, question_ask
from inbox.models import Message, Reply
from inbox.services import answer_draft
from inbox.sync import account_sync
from tests.conftest import login_client
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

DRAFT = "Depuis au moins 400 000 ans.\n\n![Un foyer préhistorique](https://example.org/foyer.jpg)"


@pytest.fixture
def drafted(curator) -> Message:
    """A visitor's question in the inbox, its answer drafted by the curator it was routed to."""
    question = question_ask(text="Depuis quand fait-on du feu ?", name="Léa", email="", language="fr", held=False)
    account_sync(account=channel_account())
    message = Message.objects.get(external_id=question.external_id)
    answer_draft(message=message, text=DRAFT, by=curator)
    return message


def _approve(client, message: Message, when: str, **extra):
    question = Question.objects.get(pk=message.external_id.removeprefix("question-"))
    back = reverse("inbox_conversation", args=[message.pk])
    data = {"text": DRAFT, "theme": "", "when": when, "next": back, **extra}
    return client.post(reverse("ask_review", args=[question.pk]), data)


def test_the_conversation_offers_to_approve_the_curators_draft_instead_of_a_plain_reply(
    client, community_manager, drafted
):
    login_client(client, community_manager)

    html = client.get(reverse("inbox_conversation", args=[drafted.pk])).content.decode()

    assert "Approve and publish now" in html and "Approve as question of the day" in html
    assert "Depuis au moins 400 000 ans." in html  # the draft, ready to approve
    assert f'action="{reverse("inbox_reply", args=[drafted.pk])}"' not in html


def test_a_community_manager_approves_it_as_the_question_of_the_day_from_the_conversation(
    client, community_manager, drafted
):
    login_client(client, community_manager)

    response = _approve(client, drafted, "daily")

    assert response["Location"] == reverse("inbox_conversation", args=[drafted.pk])
    question = Question.objects.get()
    assert (question.state, question.queue_position, question.approved_by) == ("answered", 1, community_manager)
    html = client.get(response["Location"]).content.decode()
    assert "Approved: the question of the day on" in html
    assert reverse("ask_move_to_day", args=[question.pk]) in html


def test_a_manager_publishes_it_now_from_the_conversation_through_the_reply_pipeline(client, manager, drafted):
    login_client(client, manager)

    response = _approve(client, drafted, "now")

    assert response["Location"] == reverse("inbox_conversation", args=[drafted.pk])
    reply = drafted.replies.exclude(state=Reply.State.DRAFT).get()
    assert (reply.state, reply.text, reply.sent_by) == (Reply.State.QUEUED, DRAFT, manager)
    assert Question.objects.get().approved_by == manager


@pytest.mark.parametrize("role", ["curator", "stranger"])
def test_those_who_may_not_answer_cannot_approve_even_by_posting(client, drafted, role, request):
    login_client(client, request.getfixturevalue(role))

    assert _approve(client, drafted, "now").status_code == 403
    assert _approve(client, drafted, "daily").status_code == 403
    assert Question.objects.get().state == Question.State.RECEIVED
    assert not drafted.replies.exclude(state=Reply.State.DRAFT).exists()


def test_the_way_back_is_this_sites_own(client, community_manager, drafted):
    login_client(client, community_manager)

    response = _approve(client, drafted, "daily", next="https://evil.example/")

    assert response["Location"] == reverse("ask_team")


def test_other_networks_messages_keep_the_plain_reply_form(client, community_manager):
    message = MessageFactory()
    login_client(client, community_manager)

    html = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()

    assert f'action="{reverse("inbox_reply", args=[message.pk])}"' in html
    assert "Approve as question of the day" not in html


def test_a_plain_reply_posted_directly_is_refused_and_nothing_goes_out(client, manager, drafted):
    login_client(client, manager)

    response = client.post(reverse("inbox_reply", args=[drafted.pk]), {"text": "Depuis toujours."}, follow=True)

    assert response.redirect_chain == [(reverse("inbox_conversation", args=[drafted.pk]) + "#reply", 302)]
    assert "not as a plain reply: nothing was sent." in response.content.decode()
    assert not drafted.replies.exclude(state=Reply.State.DRAFT).exists()  # nothing queued, the draft kept
    assert Question.objects.get().state == Question.State.RECEIVED
