"""Bluesky's recheck as the real AppView answers it: a block hides posts from getPosts, which is not a deletion.

A visitor who blocks the museum disappears from `app.bsky.feed.getPosts` exactly as a deleted post does. Only the
author's repo says whether the record is gone (`com.atproto.repo.getRecord` → 400 RecordNotFound): anything else is
"missing", shown as such, and looked up again until the network shows it or says it is deleted.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox.models import Message, SyncCursor
from inbox.recheck import messages_recheck
from inbox.sync import account_sync
from tests.networks import on_fake

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


# How soon a deletion is seen -------------------------------------------------------------------------------------


def test_a_week_of_messages_is_rechecked_in_one_run_25_per_getposts(network):
    pairs = synced(network, *(f"visitor{n}" for n in range(210)))
    newest_created, newest = pairs[-1]
    network.delete(newest_created)

    result = messages_recheck(account=network.account)

    assert (result.error, result.checked, result.deleted) == ("", 210, 1)
    newest.refresh_from_db()
    assert newest.deleted
    lookups = network.fake.received("GET", r"feed\.getPosts$")
    assert len(lookups) == 9 and max(len(r.query["uris"]) for r in lookups) == 25


def test_recent_messages_are_rechecked_first(network):
    pairs = synced(network, *(f"visitor{n}" for n in range(4)))
    now = timezone.now()
    for age, (_created, message) in zip((50, 30, 28, 2), pairs, strict=True):  # hours; all checked an hour ago
        Message.objects.filter(pk=message.pk).update(
            created_at=now - timezone.timedelta(hours=age), checked_at=now - timezone.timedelta(hours=1)
        )
    Message.objects.filter(pk=pairs[0][1].pk).update(checked_at=now - timezone.timedelta(hours=40))

    messages_recheck(account=network.account, limit=2)

    checked = Message.objects.filter(account=network.account, checked_at__gt=now)
    # The one of the last day, then the one asked about least recently; not the 30-hour-old one checked an hour ago.
    assert set(checked) == {pairs[3][1], pairs[0][1]}


def test_the_accounts_page_shows_the_recheck_lag(network, client, community_manager):
    synced(network, "tom")
    client.force_login(community_manager)
    assert "recent messages checked within" not in client.get(reverse("social_accounts")).content.decode()

    messages_recheck(account=network.account)

    page = client.get(reverse("social_accounts")).content.decode()
    assert "recent messages checked within less than a minute" in page
    three_hours_ago = timezone.now() - timezone.timedelta(hours=3)
    SyncCursor.objects.filter(account=network.account).update(recheck_oldest=three_hours_ago)
    page = client.get(reverse("social_accounts")).content.decode()
    assert "recent messages checked within 3\xa0hours" in page
