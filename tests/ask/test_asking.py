"""A visitor asks: clear answers for every kind of bad input, robots stopped, no legitimate question lost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ask.models import Question
from tests.ask.conftest import question_form, started

pytestmark = pytest.mark.django_db

ASK = reverse("ask_submit")


def test_a_question_is_stored_and_the_visitor_thanked(client):
    response = client.post(ASK, question_form(name="Léa", email="lea@example.org", consent="on"), follow=True)

    question = Question.objects.get()
    assert response.redirect_chain[-1][0] == reverse("ask_thanks")
    assert "Thank you for your question" in response.content.decode()
    assert (question.name, question.email, question.state) == ("Léa", "lea@example.org", Question.State.RECEIVED)
    assert question.email_consent_at is not None


def test_the_home_page_shows_the_form_without_a_login(client):
    response = client.get(reverse("ask_home"))

    assert response.status_code == 200
    assert 'name="website"' in response.content.decode()
    assert 'maxlength="600"' in response.content.decode()


def test_html_and_script_are_stored_as_text_and_shown_escaped(client, settings):
    text = "<script>alert(1)</script><b>Pourquoi ?</b>"
    client.post(ASK, question_form(text=text))

    assert Question.objects.get().text == text
    page = _published_page(client, Question.objects.get())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_question_of_100000_characters_is_refused_with_its_length_and_kept_in_the_box(client):
    response = client.post(ASK, question_form(text="a" * 100_000))

    assert response.status_code == 400
    assert "Your question is too long: 100000 characters, 600 at most." in response.content.decode()
    assert Question.objects.count() == 0


def test_direction_overrides_and_zero_width_characters_in_a_name_are_refused_and_shown(client):
    response = client.post(ASK, question_form(name="Lé\u202eal\u200b"))

    assert response.status_code == 400
    assert "[U+202E]" in response.content.decode()
    assert Question.objects.count() == 0


def test_direction_overrides_in_a_question_are_kept_but_shown_visibly(client):
    client.post(ASK, question_form(text="Qui a peint \u202eeuqirfa\u202c ?\u200b"))

    page = _published_page(client, Question.objects.get())
    assert "[U+202E]" in page and "[U+200B]" in page
    assert "\u202e" not in page


def test_a_line_break_in_the_name_cannot_inject_an_email_header(client):
    response = client.post(ASK, question_form(name="Léa\r\nBcc: everyone@example.org", email="a@example.org"))

    assert response.status_code == 400
    assert "Your first name cannot contain a line break." in response.content.decode()
    assert Question.objects.count() == 0


def test_an_address_without_consent_is_not_kept(client):
    response = client.post(ASK, question_form(email="lea@example.org"))

    assert response.status_code == 400
    assert "Tick this box" in response.content.decode()


def test_a_robot_filling_the_honeypot_is_told_and_nothing_is_stored(client):
    response = client.post(ASK, question_form(website="https://spam.example"))

    assert response.status_code == 400
    assert "a field meant to stay empty was filled in" in response.content.decode()
    assert "Pourquoi avons-nous un menton ?" in response.content.decode()  # a person loses nothing
    assert Question.objects.count() == 0


def test_a_form_sent_too_fast_is_refused_and_can_be_sent_again(client):
    response = client.post(ASK, question_form(started=started(seconds_ago=0.5)))

    assert response.status_code == 400
    assert "That was very quick!" in response.content.decode()
    assert client.post(ASK, question_form()).status_code == 302


def test_a_forged_start_time_is_refused(client):
    assert client.post(ASK, question_form(started="1.0")).status_code == 400
    assert Question.objects.count() == 0


def test_a_flood_of_1000_questions_from_one_address_is_limited_and_other_visitors_still_ask(client, settings):
    settings.ASK_RATE_LIMIT = 5
    statuses = [client.post(ASK, question_form(text=f"Question {n} ?")).status_code for n in range(1000)]

    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert Question.objects.count() == 5
    limited = client.post(ASK, question_form(text="Encore une ?"))
    assert "Please wait a little before asking again" in limited.content.decode()
    other = client.post(ASK, question_form(text="Et moi ?"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_a_flood_running_across_the_clocks_hour_gets_no_second_allowance(client, settings, monkeypatch):
    settings.ASK_RATE_LIMIT = 5
    real = timezone.now()
    o_clock = real.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

    monkeypatch.setattr(timezone, "now", lambda: o_clock - timedelta(seconds=1))
    statuses = [client.post(ASK, question_form(text=f"Question {n} ?")).status_code for n in range(3)]
    monkeypatch.setattr(timezone, "now", lambda: o_clock + timedelta(seconds=1))
    statuses += [client.post(ASK, question_form(text=f"Question {n} ?")).status_code for n in range(3, 10)]

    assert statuses == [302] * 5 + [429] * 5
    assert Question.objects.count() == 5


def test_a_question_with_a_link_is_held_for_moderation(client):
    client.post(ASK, question_form(text="Voir https://example.org pourquoi ?"))

    assert Question.objects.get().state == Question.State.MODERATION


def test_the_pages_speak_french_when_the_visitor_switches(client):
    response = client.get(reverse("ask_language", args=["fr"]) + "?next=/ask/")

    assert response.status_code == 302 and response["Location"] == "/ask/"
    assert "Envoyer ma question" in client.get(reverse("ask_home")).content.decode()


def test_the_language_switch_never_redirects_elsewhere(client):
    response = client.get(reverse("ask_language", args=["en"]) + "?next=https://evil.example/")

    assert response["Location"] == reverse("ask_home")


def _published_page(client, question) -> str:
    question.answer, question.state, question.slug = "Voici.", Question.State.PUBLISHED, question.make_slug()
    question.published_at = question.created_at
    question.save()
    return client.get(question.get_absolute_url()).content.decode()


def test_the_asking_address_opened_directly_leads_to_the_form(client):
    assert client.get(ASK)["Location"] == reverse("ask_home") + "#ask"
