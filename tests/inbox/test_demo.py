import pytest

from accounts import demo as accounts_demo
from inbox import demo as inbox_demo
from inbox.models import Message, Reply, SavedReply
from publishing import demo as publishing_demo

pytestmark = pytest.mark.django_db


def test_the_demo_inbox_is_seeded_once_however_often_it_runs():
    accounts_demo.seed()
    publishing_demo.seed()

    inbox_demo.seed()
    inbox_demo.seed()

    assert Message.objects.count() == len(inbox_demo.CONVERSATIONS)
    assert Reply.objects.filter(state=Reply.State.SENT).count() == 2
    assert SavedReply.objects.count() == len(inbox_demo.SAVED_REPLIES)
    assert Message.objects.filter(routed_to__username="claire").exists()
