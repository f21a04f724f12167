"""Asking an expert and drafting an answer tell the people concerned, in the app and by e-mail."""

from django.urls import reverse

from editorial.models import Notification
from tests.conftest import login_client
from tests.factories import MessageFactory


def test_routing_a_question_notifies_the_curator_in_the_app_and_by_email(
    client, community_manager, curator, manager, sent_mail
):
    message = MessageFactory(author_name="Léa Martin", text="Quelle technique ?", assignee=manager)
    with sent_mail() as mailoutbox:
        login_client(client, community_manager).post(
            reverse("inbox_route", args=[message.pk]), {"expert": curator.pk, "note": "Détrempe ?"}
        )

    notified = {n.recipient: n for n in Notification.objects.filter(kind=Notification.Kind.QUESTION_ROUTED)}
    assert set(notified) == {curator, manager}  # the expert and the conversation's assignee, not the router
    assert notified[curator].url == reverse("inbox_question", args=[message.pk])
    assert "Léa Martin" in notified[curator].message and "Quelle technique ?" in notified[curator].message
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([curator.email, manager.email])


def test_a_draft_notifies_who_routed_it_and_the_curators_list_says_draft_saved(
    client, community_manager, curator, sent_mail
):
    message = MessageFactory(author_name="Léa Martin")
    login_client(client, community_manager).post(
        reverse("inbox_route", args=[message.pk]), {"expert": curator.pk, "note": ""}
    )

    with sent_mail() as mailoutbox:
        login_client(client, curator).post(reverse("inbox_question", args=[message.pk]), {"text": "Une détrempe."})

    [notification] = Notification.objects.filter(kind=Notification.Kind.ANSWER_DRAFTED)
    assert notification.recipient == community_manager
    assert notification.url == reverse("inbox_conversation", args=[message.pk]) + "#reply"
    assert [mail.to for mail in mailoutbox] == [[community_manager.email]]
    questions = client.get(reverse("inbox_questions")).content.decode()
    assert "Draft saved" in questions and "Waiting for you" not in questions
