"""`make run`'s museum has a live Q&A site: answered questions across themes, some waiting, one routed."""

import pytest

from accounts import demo as accounts_demo
from ask import demo as ask_demo
from ask.models import Question, Theme
from inbox.models import Message

pytestmark = pytest.mark.django_db


def test_the_demo_site_is_seeded_once_however_often_it_runs(client):
    accounts_demo.seed()
    ask_demo.seed()
    ask_demo.seed()

    assert Question.objects.published().count() == 12
    assert Theme.objects.count() == 3
    assert set(Question.objects.published().values_list("theme__slug", flat=True)) == {"origins", "history", "future"}
    waiting = Message.objects.filter(account__network="ask", status=Message.Status.OPEN)
    assert waiting.count() == 4
    assert waiting.filter(routed_to__username="claire").count() == 1
    assert "Qui était Lucy ?" in client.get("/ask/answers/").content.decode()
