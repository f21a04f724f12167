"""The rows a search reads (`ask_search`): a published answer's date and vector, kept by the database's trigger in
step with the question whatever writes it (a service, the ORM's update, a delete)."""

from datetime import timedelta

import pytest

from ask import listing
from ask.models import Question, SearchedAnswer
from ask.publication import question_publish, question_withdraw

pytestmark = pytest.mark.django_db


def _searched() -> dict:
    return {row.question_id: row.published_at for row in SearchedAnswer.objects.all()}


def _found(query: str) -> list[int]:
    return [row.pk for row in listing.found(query, offset=0, limit=20)[0]]


def test_only_published_answers_have_a_searched_row_with_their_date():
    waiting = Question.objects.create(text="Pourquoi les mammouths ?", language="fr")
    published = question_publish(question=Question.objects.create(text="Qui a taillé ce silex ?"), answer="Un aïeul.")

    assert _searched() == {published.pk: Question.objects.get(pk=published.pk).published_at}
    assert _found("silex") == [published.pk] and _found("mammouths") == []
    assert waiting.pk not in _searched()


def test_a_withdrawn_or_deleted_answer_is_no_longer_found():
    first, second = (
        question_publish(question=Question.objects.create(text=f"Où dort la chouette {n} ?"), answer="Au grenier.")
        for n in range(2)
    )
    assert _found("chouette") == [second.pk, first.pk]

    question_withdraw(question=first)
    Question.objects.filter(pk=second.pk).delete()

    assert _found("chouette") == [] and _searched() == {}


def test_a_changed_text_or_date_is_searched_as_it_now_reads():
    question = question_publish(question=Question.objects.create(text="Pourquoi la lune ?"), answer="Les marées.")
    later = question.published_at + timedelta(days=1)
    Question.objects.filter(pk=question.pk).update(text="Pourquoi le soleil ?", published_at=later)

    assert _found("lune") == [] and _found("soleil") == [question.pk]
    assert _searched() == {question.pk: later}
