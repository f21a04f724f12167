"""The sync path against the built-in sandbox network (no HTTP): threading, publication links, idempotent re-sync."""

import uuid

import pytest
from django.utils import timezone

from inbox.models import Message, SyncCursor
from inbox.sync import account_sync
from publishing.models import Network, SandboxPost, SandboxReply
from tests.factories import PublicationFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _published_sandbox_post(account, hours_ago=2):
    post = SandboxPost.objects.create(
        account=account,
        idempotency_key=uuid.uuid4(),
        text="La Joconde vous attend.",
        created_at=timezone.now() - timezone.timedelta(hours=hours_ago),
    )
    publication = PublicationFactory(account=account, external_id=post.external_id, state="published")
    return post, publication


def test_sandbox_replies_arrive_linked_to_their_publication_and_parent():
    account = SocialAccountFactory(network=Network.SANDBOX)
    post, publication = _published_sandbox_post(account)

    result = account_sync(account=account)

    replies = SandboxReply.objects.filter(post=post, by_museum=False)
    assert result.error == ""
    assert replies.count() >= 2
    assert Message.objects.filter(account=account).count() == replies.count()
    assert set(Message.objects.values_list("publication_id", flat=True)) == {publication.pk}
    for reply in replies.exclude(in_reply_to=post.external_id):
        message = Message.objects.get(external_id=reply.external_id)
        assert message.parent.external_id == reply.in_reply_to
    assert SyncCursor.objects.get(account=account).last_synced_at is not None


def test_syncing_again_stores_nothing_twice():
    account = SocialAccountFactory(network=Network.SANDBOX)
    _published_sandbox_post(account)
    account_sync(account=account)
    count = Message.objects.count()

    SyncCursor.objects.filter(account=account).update(cursor={})  # even from the start again
    account_sync(account=account)

    assert Message.objects.count() == count


def test_search_finds_french_words_without_their_accents():
    account = SocialAccountFactory(network=Network.SANDBOX)
    Message.objects.create(
        account=account, external_id="1", text="Quelle émotion devant ce tableau", created_at=timezone.now()
    )
    Message.objects.create(account=account, external_id="2", text="Opening hours?", created_at=timezone.now())

    assert list(Message.objects.search("emotion").values_list("external_id", flat=True)) == ["1"]
    assert list(Message.objects.search("tableaux").values_list("external_id", flat=True)) == ["1"]
    assert list(Message.objects.search("hour").values_list("external_id", flat=True)) == ["2"]


@pytest.mark.worker
def test_beats_fan_out_syncs_every_account_in_a_real_worker(celery_worker):
    from inbox.tasks import sync_all_accounts
    from tests.conftest import wait_for

    first, second = SocialAccountFactory(network=Network.SANDBOX), SocialAccountFactory(network=Network.SANDBOX)
    _published_sandbox_post(first)
    _published_sandbox_post(second)

    sync_all_accounts.delay()

    wait_for(lambda: SyncCursor.objects.filter(last_synced_at__isnull=False).count() == 2, message="both synced")
    assert Message.objects.filter(account=first).exists() and Message.objects.filter(account=second).exists()


def test_a_sync_already_running_is_not_doubled():
    account = SocialAccountFactory(network=Network.SANDBOX)
    _published_sandbox_post(account)
    assert SyncCursor.objects.create(account=account).claim()  # another worker is paging this account

    assert account_sync(account=account).skipped
    assert not Message.objects.exists()
