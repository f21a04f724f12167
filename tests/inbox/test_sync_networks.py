"""The inbox against every network's fake server: paging, resuming, no duplicates, threading, one reply, back-off.

Each network differs only in how a test publishes, how a visitor comments, and where the fake records our
replies; the scenarios below say that, and the same tests run for all of them.
"""

import pytest
from django.utils import timezone

from inbox.models import Message, Reply, SyncCursor
from inbox.sending import reply_send
from inbox.sync import account_sync
from tests.factories import UserFactory
from tests.networks import CONVERSING, on_fake

pytestmark = pytest.mark.django_db


@pytest.fixture(params=CONVERSING)
def network(request, settings):
    with on_fake(request.param, settings) as network:
        yield network


def test_comments_and_replies_arrive_threaded_under_their_publication(network):
    publication = network.publish()
    first = network.comment(publication, "Est-ce visible en salle ?")
    answer = network.comment(publication, "Oui, salle 700 !", parent=first, who="jules")
    second = network.comment(publication, "Ouvert le lundi ?", who="tom")

    result = account_sync(account=network.account)

    assert result.error == ""
    messages = Message.objects.filter(account=network.account)
    assert messages.count() == 3
    assert {m.publication_id for m in messages} == {publication.pk}
    first_message = messages.get(external_id=network.external_id(first))
    assert messages.get(external_id=network.external_id(answer)).parent == first_message
    assert messages.get(external_id=network.external_id(second)).parent is None
    assert "visible en salle" in first_message.text


def test_syncing_resumes_from_the_cursor_and_never_duplicates(network):
    publication = network.publish()
    network.comment(publication, "Premier")
    account_sync(account=network.account)
    network.comment(publication, "Deuxième", who="jules")

    again = account_sync(account=network.account)

    assert Message.objects.filter(account=network.account).count() == 2
    assert again.error == ""
    SyncCursor.objects.filter(account=network.account).update(cursor={})
    account_sync(account=network.account)
    assert Message.objects.filter(account=network.account).count() == 2


def test_a_reply_goes_out_once_under_the_right_message(network):
    publication = network.publish()
    first = network.comment(publication, "Ouvert le lundi ?")
    account_sync(account=network.account)
    message = Message.objects.get(account=network.account, external_id=network.external_id(first))
    reply = Reply.objects.create(
        message=message, author=UserFactory(), text="Non, le lundi est notre jour de fermeture."
    )

    reply_send(reply_id=reply.pk)
    reply_send(reply_id=reply.pk)

    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT, reply.error
    assert network.replies_sent() == [message.external_id]
    account_sync(account=network.account)  # our reply coming back is not a new message
    assert not Message.objects.filter(account=network.account, external_id=reply.external_id).exists()


def test_a_rate_limit_stores_the_back_off(network):
    publication = network.publish()
    network.comment(publication, "Bonjour")
    network.fake.inject(method="GET", status=429, headers={"Retry-After": "90"}, body={"error": "slow down"}, times=20)

    result = account_sync(account=network.account)

    assert result.error
    cursor = SyncCursor.objects.get(account=network.account)
    assert cursor.next_allowed_at is not None
    assert cursor.next_allowed_at > timezone.now() + timezone.timedelta(seconds=30)
    assert account_sync(account=network.account).skipped
