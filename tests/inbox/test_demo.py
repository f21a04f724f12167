"""The demo: seeded once, and still answerable after the beat's recheck and sync have run (issue 12, item 2)."""

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from editorial import demo as editorial_demo
from inbox import demo as inbox_demo
from inbox.models import Message, Reply, SavedReply
from inbox.recheck import messages_recheck
from inbox.sending import reply_queue, reply_send
from inbox.sync import account_sync
from publishing import demo as publishing_demo
from publishing.models import Network, Publication, SandboxPost, SandboxReply, SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    accounts_demo.seed()
    publishing_demo.seed()
    editorial_demo.seed()
    inbox_demo.seed()


def test_the_demo_inbox_is_seeded_once_however_often_it_runs(demo):
    inbox_demo.seed()
    editorial_demo.seed()

    assert Message.objects.count() == len(inbox_demo.CONVERSATIONS)
    assert Reply.objects.filter(state=Reply.State.SENT).count() == 2
    assert SavedReply.objects.count() == len(inbox_demo.SAVED_REPLIES)
    assert Message.objects.filter(routed_to__username="claire").exists()


def test_the_seeded_conversations_stay_answerable_after_recheck_and_sync(demo, django_capture_on_commit_callbacks):
    seeded = set(Message.objects.values_list("pk", flat=True))
    for account in SocialAccount.objects.filter(network=Network.SANDBOX):
        assert messages_recheck(account=account).error == ""
        assert account_sync(account=account).error == ""

    assert not Message.objects.filter(pk__in=seeded, deleted=True).exists()
    assert Message.objects.filter(pk__in=seeded).count() == len(inbox_demo.CONVERSATIONS)  # synced, not doubled
    question = Message.objects.get(author_handle="nadia.k")
    camille = question.routed_by
    with django_capture_on_commit_callbacks():  # the send task is run below, in this process
        reply = reply_queue(message=question, text="C'est de la détrempe sur bois.", by=camille)
    reply_send(reply_id=reply.pk)
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT, reply.error
    assert SandboxReply.objects.filter(by_museum=True, text="C'est de la détrempe sur bois.").exists()


def test_the_sandbox_feed_shows_the_posts_the_calendar_says_are_published(demo, client):
    published = Publication.objects.filter(state=Publication.State.PUBLISHED, account__network=Network.SANDBOX)
    assert published.exists()
    for publication in published:
        sandbox_post = SandboxPost.objects.get(idempotency_key=publication.idempotency_key)
        assert publication.external_id == sandbox_post.external_id
        assert sandbox_post.created_at == publication.published_at
    client.force_login(User.objects.get(username="camille"))
    page = client.get("/sandbox/").content.decode()
    assert f'id="{published.latest("published_at").external_id}"' in page
