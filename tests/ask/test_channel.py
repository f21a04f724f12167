"""Questions reach the inbox through the channel; approved answers go out through the reply pipeline, once."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ask.models import Question
from ask.publication import asker_notify, emails_expire
from ask.services import answer_approve, channel_account, question_ask, question_of_the_day_release
from inbox.models import Message, Reply
from inbox.sending import reply_send
from inbox.services import answer_draft, message_route
from inbox.sync import account_sync

pytestmark = pytest.mark.django_db


def _asked(text="D'où vient le feu ?", email="lea@example.org"):
    return question_ask(text=text, name="Léa", email=email, language="fr", held=False)


def _synced_message(question):
    account_sync(account=channel_account())
    return Message.objects.get(account__network="ask", external_id=question.external_id)


def _send_queued():
    for reply in Reply.objects.filter(state=Reply.State.QUEUED):
        reply_send(reply_id=reply.pk)


def test_each_question_arrives_once_in_the_inbox_after_one_sync():
    question = _asked()
    message = _synced_message(question)
    account_sync(account=channel_account())

    assert Message.objects.filter(account__network="ask").count() == 1
    assert (message.text, message.author_name, message.kind) == ("D'où vient le feu ?", "Léa", "direct")


def test_routed_drafted_and_approved_now_the_answer_is_public_once_and_the_asker_told_then_forgotten(
    client, curator, community_manager, themes, django_capture_on_commit_callbacks
):
    question = _asked()
    message = _synced_message(question)
    message_route(message=message, expert=curator, note="", by=community_manager)
    answer_draft(message=message, text="Il y a 400 000 ans.", by=curator)

    answer_approve(message=message, text="Il y a 400 000 ans.", by=community_manager, daily=False, theme=themes[0])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send_queued()
        _send_queued()  # nothing left to send: never twice

    question.refresh_from_db()
    assert question.state == Question.State.PUBLISHED and question.theme == themes[0]
    assert Reply.objects.get().state == Reply.State.SENT
    assert len(callbacks) == 3  # the lists forgotten, the answer's pages rendered, and one e-mail task
    asker_notify(question_id=question.pk)
    asker_notify(question_id=question.pk)
    told = [sent for sent in mail.outbox if sent.to == ["lea@example.org"]]  # the team's notifications aside
    assert len(told) == 1
    assert question.get_absolute_url() in told[0].body
    question.refresh_from_db()
    assert question.email == "" and question.email_erased_at is not None
    assert "Il y a 400 000 ans." in client.get(question.get_absolute_url()).content.decode()


def test_the_question_of_the_day_goes_out_at_the_set_hour_in_the_institutions_time_zone(community_manager, settings):
    settings.ASK_DAILY_HOUR = 10
    first, second = _asked("Premier ?"), _asked("Second ?")
    for question in (first, second):
        answer_approve(message=_synced_message(question), text="Réponse.", by=community_manager, daily=True)
    paris = timezone.get_current_timezone()

    assert question_of_the_day_release(now=datetime(2026, 12, 8, 9, 59, tzinfo=paris)) is None
    released = question_of_the_day_release(now=datetime(2026, 12, 8, 10, 0, tzinfo=paris))
    assert question_of_the_day_release(now=datetime(2026, 12, 8, 18, 0, tzinfo=paris)) is None
    _send_queued()

    assert released.pk == first.pk
    assert Question.objects.get(pk=first.pk).state == Question.State.PUBLISHED
    assert Question.objects.get(pk=second.pk).state == Question.State.ANSWERED
    assert question_of_the_day_release(now=datetime(2026, 12, 9, 10, 5, tzinfo=paris)).pk == second.pk


def test_an_address_is_erased_after_90_days_unanswered():
    old, recent = _asked("Ancienne ?"), _asked("Récente ?")
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))

    assert emails_expire() == 1
    assert Question.objects.get(pk=old.pk).email == ""
    assert Question.objects.get(pk=recent.pk).email == "lea@example.org"


def test_the_visitor_can_withdraw_the_address_from_the_link(client):
    client.post(
        reverse("ask_submit"),
        {"text": "Pourquoi ?", "email": "lea@example.org", "consent": "on", "started": _old_start()},
    )
    page = client.get(reverse("ask_thanks")).content.decode()
    link = page.split('href="http://127.0.0.1:8000')[1].split('"')[0]

    assert client.get(link).status_code == 200 and Question.objects.get().email == "lea@example.org"
    client.post(link)
    assert Question.objects.get().email == ""


def _old_start():
    from tests.ask.conftest import started

    return started()
