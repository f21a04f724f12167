import time
from datetime import date

import pytest
from django.core import signing
from django.core.cache import cache

from ask.forms import STARTED_SALT
from ask.models import Question, Theme


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages start empty in each test."""
    cache.clear()


@pytest.fixture
def themes(db):
    return [
        Theme.objects.create(slug="origins", name_fr="Origines", name_en="Origins", position=1),
        Theme.objects.create(slug="future", name_fr="Avenir", name_en="Future", position=2),
    ]


def started(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def question_form(**fields) -> dict:
    return {
        "text": "Pourquoi avons-nous un menton ?",
        "name": "",
        "email": "",
        "website": "",
        "started": started(),
        **fields,
    }


def queued(n: int, start: int = 1) -> list[Question]:
    """`n` approved answers waiting in the question-of-the-day queue, in this order."""
    questions = []
    for i in range(start, start + n):
        question = Question.objects.create(text=f"Question numéro {i} ?", answer="Réponse.")
        Question.objects.filter(pk=question.pk).update(state="answered", queue_position=i)
        questions.append(question)
    return questions


def released_on(day: date) -> None:
    """The last question of the day went out on `day`: the queue starts after it."""
    Question.objects.create(text="Déjà parue ?", answer="Oui.", state="published", daily_on=day)
