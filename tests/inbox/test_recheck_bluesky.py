"""Bluesky's recheck as the real AppView answers it: a block hides posts from getPosts, which is not a deletion.

A visitor who blocks the museum disappears from `app.bsky.feed.getPosts` exactly as a deleted post does. Only the
author's repo says whether the record is gone (`com.atproto.repo.getRecord` → 400 RecordNotFound): anything else is
"missing", shown as such, and looked up again until the network shows it or says it is deleted.
"""

import pytest
from django.urls import reverse

from inbox.models import Message
from inbox.recheck import messages_recheck
from inbox.sync import account_sync
from tests.inbox.networks import on_fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(settings):
    with on_fake("bluesky", settings) as network:
        yield network


def synced(network, *visitors: str) -> list[tuple[dict, Message]]:
    publication = network.publish()
    made = [network.comment(publication, f"Un mot de {who}", who=who) for who in visitors]
    assert account_sync(account=network.account).error == ""
    return [(created, Message.objects.get(external_id=created["uri"])) for created in made]


def test_a_visitor_who_blocks_the_museum_is_missing_not_deleted(network, client, community_manager):
    (_created, blocker), (_other, friend) = synced(network, "tom", "lea")
    network.fake.block("tom.bsky.social")

    result = messages_recheck(account=network.account)

    assert (result.error, result.checked, result.deleted, result.missing) == ("", 2, 0, 1)
    blocker.refresh_from_db()
    assert not blocker.deleted and blocker.missing_since is not None
    friend.refresh_from_db()
    assert not friend.deleted and friend.missing_since is None
    client.force_login(community_manager)
    page = client.get(reverse("inbox_conversation", args=[blocker.pk])).content.decode()
    assert "Not visible on the network" in page and "Deleted on the network" not in page
    listing = client.get(reverse("inbox")).content.decode()
    assert listing.count(">Not visible<") == 1


def test_a_missing_message_is_rechecked_and_comes_back_when_the_block_is_lifted(network):
    [(_created, message)] = synced(network, "tom")
    network.fake.block("tom.bsky.social")
    messages_recheck(account=network.account)
    network.fake.block("tom.bsky.social", blocks=False)

    result = messages_recheck(account=network.account)

    assert (result.checked, result.deleted, result.missing) == (1, 0, 0)
    message.refresh_from_db()
    assert not message.deleted and message.missing_since is None


def test_a_missing_message_whose_record_is_then_deleted_is_marked_deleted(network):
    [(created, message)] = synced(network, "tom")
    network.fake.block("tom.bsky.social")
    messages_recheck(account=network.account)
    network.delete(created)

    result = messages_recheck(account=network.account)

    assert (result.deleted, result.missing) == (1, 0)
    message.refresh_from_db()
    assert message.deleted and message.missing_since is None
    assert "Un mot de tom" in message.text
    (lookup,) = network.fake.received("GET", r"repo\.getRecord$")[-1:]
    assert lookup.query["repo"] == [created["uri"].split("/")[2]]
