"""Edits and deletions reach the inbox on every network: recent messages are looked up again on the fake servers.

A visitor deletes an insulting comment or edits a question: after a recheck the inbox shows the message as deleted
(with the text the team saw) or with its new text, and nothing the team decided (status, assignee, routing) is lost.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox.models import Message, SyncCursor
from inbox.recheck import messages_recheck
from inbox.sync import account_sync
from inbox.tasks import recheck_account
from publishing.models import SocialAccount
from tests.factories import MessageFactory, SocialAccountFactory
from tests.networks import CONVERSING, on_fake

pytestmark = pytest.mark.django_db

NETWORKS = ["mastodon", *CONVERSING, "sandbox"]
OVER_HTTP = [name for name in NETWORKS if name != "sandbox"]
# Instagram has no way to edit a comment; every other network lets its author change the text.
EDITABLE = [name for name in NETWORKS if name != "instagram"]
# How each Meta fake shows a comment the museum hid.
HIDDEN = {"facebook": {"is_hidden": True}, "instagram": {"hidden": True}, "threads": {"hide_status": "HIDDEN"}}


@pytest.fixture(params=NETWORKS)
def network(request, settings):
    with on_fake(request.param, settings) as network:
        yield network


def synced(network, *texts: str):
    """Visitors' comments on a fresh publication, pulled into the inbox: (what the fake made, the stored message)."""
    publication = network.publish()
    made = [network.comment(publication, text, who=f"visitor{n}") for n, text in enumerate(texts)]
    assert account_sync(account=network.account).error == ""
    messages = Message.objects.filter(account=network.account)
    return [(created, messages.get(external_id=network.external_id(created))) for created in made]


def network_fields(message: Message) -> tuple:
    message.refresh_from_db()
    return message.text, message.deleted, message.edited


def test_a_message_deleted_on_the_network_is_marked_deleted_and_keeps_its_text_and_triage(
    network, curator, community_manager
):
    (insult, message), (_question, other) = synced(network, "Exposition ridicule, bande de nuls", "Ouvert lundi ?")
    triage = {"status": Message.Status.DONE, "assignee": community_manager, "routed_to": curator, "read": True}
    Message.objects.filter(pk=message.pk).update(route_note="À signaler ?", **triage)
    untouched = network_fields(other)
    network.delete(insult)

    result = messages_recheck(account=network.account)

    assert (result.error, result.checked, result.deleted, result.edited) == ("", 2, 1, 0)
    message.refresh_from_db()
    assert message.deleted and not message.edited
    assert "ridicule" in message.text
    assert (message.status, message.assignee, message.routed_to, message.read) == tuple(triage.values())
    assert message.route_note == "À signaler ?"
    assert network_fields(other) == untouched


@pytest.mark.parametrize("network", EDITABLE, indirect=True)
def test_an_edited_message_gets_its_new_text_and_is_marked_edited(network, community_manager):
    (question, message), (_praise, other) = synced(network, "Ouvert lundi ?", "Magnifique")
    Message.objects.filter(pk=message.pk).update(assignee=community_manager)
    untouched = network_fields(other)
    network.edit(question, "Ouvert le lundi de Pâques ?")

    result = messages_recheck(account=network.account)

    assert (result.error, result.deleted, result.edited) == ("", 0, 1)
    assert network_fields(message) == (network.shown("Ouvert le lundi de Pâques ?"), False, True)
    assert message.assignee == community_manager
    assert network_fields(other) == untouched


def test_messages_nothing_happened_to_stay_as_they_were_and_are_marked_checked(network):
    pairs = synced(network, "Bonjour", "Merci !")
    before = [network_fields(message) for _created, message in pairs]

    result = messages_recheck(account=network.account)

    assert (result.error, result.checked, result.deleted, result.edited) == ("", 2, 0, 0)
    assert [network_fields(message) for _created, message in pairs] == before
    assert not Message.objects.filter(account=network.account, checked_at=None).exists()


@pytest.mark.parametrize("network", OVER_HTTP, indirect=True)
def test_a_rate_limit_during_a_recheck_stores_the_back_off_and_changes_nothing(network):
    [(created, message)] = synced(network, "Un avis que je regrette")
    network.delete(created)
    network.fake.inject(method="GET", status=429, headers={"Retry-After": "90"}, body={"error": "slow down"}, times=20)

    result = messages_recheck(account=network.account)

    assert result.error
    cursor = SyncCursor.objects.get(account=network.account)
    assert cursor.next_allowed_at > timezone.now() + timezone.timedelta(seconds=30)
    message.refresh_from_db()
    assert not message.deleted and message.checked_at is None
    assert messages_recheck(account=network.account).skipped
    assert account_sync(account=network.account).skipped


@pytest.mark.parametrize("network", list(HIDDEN), indirect=True)
def test_a_comment_the_museum_hid_is_not_taken_for_deleted(network):
    [(created, message)] = synced(network, "Un peu hors sujet")
    created["raw"].update(HIDDEN[network.name])

    messages_recheck(account=network.account)

    message.refresh_from_db()
    assert not message.deleted and message.extra["hidden"] is True
    if network.name == "instagram":
        assert message.extra["top_level_id"] == created["id"]  # what answering it needs is kept


@pytest.mark.parametrize("network", ["mastodon", "facebook", "linkedin"], indirect=True)
def test_a_bare_not_found_from_a_wrong_address_deletes_nothing(network):
    [(_created, message)] = synced(network, "Toujours là")
    network.fake.inject(method="GET", status=404, body="<html><body>Not Found</body></html>", times=5)

    result = messages_recheck(account=network.account)

    assert result.deleted == 0
    message.refresh_from_db()
    assert not message.deleted


@pytest.mark.parametrize(
    ("network", "batch", "path"),
    [("bluesky", 25, r"feed\.getPosts$"), ("x", 100, r"^/2/tweets$")],
    indirect=["network"],
)
def test_lookups_go_as_many_at_a_time_as_the_network_allows(network, batch, path):
    synced(network, *(f"Bravo {n}" for n in range(batch + 1)))

    result = messages_recheck(account=network.account, limit=batch + 1)

    assert (result.error, result.checked, result.deleted) == ("", batch + 1, 0)
    assert len(network.fake.received("GET", path)) == 2


@pytest.mark.parametrize("network", ["x"], indirect=True)
@pytest.mark.parametrize("shows_latest", [False, True])
def test_an_edited_tweet_is_read_in_its_latest_version_whichever_version_x_shows(network, shows_latest):
    [(created, message)] = synced(network, "Ouvert lundi ?")
    network.edit(created, "Ouvert le lundi de Pâques ?")
    network.fake.lookup_shows_latest = shows_latest

    messages_recheck(account=network.account)

    assert network_fields(message) == ("@museum Ouvert le lundi de Pâques ?", False, True)
    assert len(network.fake.received("GET", r"^/2/tweets$")) == (1 if shows_latest else 2)


@pytest.mark.parametrize("network", ["bluesky"], indirect=True)
def test_a_rewritten_bluesky_post_is_answered_with_its_new_cid(network):
    [(created, message)] = synced(network, "Ouvert lundi ?")
    rewritten = network.edit(created, "Ouvert le lundi de Pâques ?")

    messages_recheck(account=network.account)

    message.refresh_from_db()
    assert message.extra["cid"] == rewritten["cid"] != created["cid"]
    assert message.extra["uri"] == created["uri"]


@pytest.mark.parametrize("network", ["mastodon"], indirect=True)
def test_an_expired_token_flags_the_account_for_reconnecting(network):
    synced(network, "Bonjour")
    network.fake.expire_token()

    result = messages_recheck(account=network.account)

    assert result.error
    network.account.refresh_from_db()
    assert network.account.status == SocialAccount.Status.NEEDS_RECONNECT
    assert not Message.objects.filter(deleted=True).exists()


def test_only_recent_messages_still_shown_are_rechecked_the_least_recently_checked_first():
    account = SocialAccountFactory(network="sandbox")
    now = timezone.now()
    hours = timezone.timedelta(hours=1)
    fresh = MessageFactory(account=account, created_at=now - hours)
    checked_long_ago = MessageFactory(account=account, created_at=now - 2 * hours, checked_at=now - 24 * hours)
    MessageFactory(account=account, created_at=now - 3 * hours, checked_at=now - hours / 60)
    MessageFactory(account=account, created_at=now - 8 * 24 * hours)
    MessageFactory(account=account, status=Message.Status.SPAM)
    gone = MessageFactory(account=account, deleted=True)

    result = messages_recheck(account=account, limit=2)

    # None of these rows exists on the sandbox: every message looked up comes back deleted.
    assert result.checked == 2
    looked_up = Message.objects.filter(account=account, deleted=True).exclude(pk=gone.pk)
    assert set(looked_up) == {fresh, checked_long_ago}


def test_beat_rechecks_every_account_and_the_conversation_says_deleted_on_the_network(
    settings, client, community_manager
):
    with on_fake("sandbox", settings) as network:
        [(created, message)] = synced(network, "Je retire tout, pardon")
        network.delete(created)

        recheck_account(network.account.pk)

    assert settings.CELERY_BEAT_SCHEDULE["recheck-inbox-messages"]["task"] == "inbox.tasks.recheck_all_accounts"
    client.force_login(community_manager)
    page = client.get(reverse("inbox_conversation", args=[message.pk])).content.decode()
    assert "Deleted on the network" in page
    assert "Je retire tout, pardon" in page


@pytest.mark.worker
def test_beats_fan_out_rechecks_every_account_in_a_real_worker(celery_worker):
    from inbox.tasks import recheck_all_accounts
    from tests.conftest import wait_for

    # Neither message exists on the sandbox any more: a recheck of each account marks it deleted.
    first = MessageFactory(account=SocialAccountFactory(network="sandbox"), text="Premier")
    second = MessageFactory(account=SocialAccountFactory(network="sandbox"), text="Second")

    recheck_all_accounts.delay()

    wait_for(lambda: Message.objects.filter(pk__in=[first.pk, second.pk], deleted=True).count() == 2, message="both")
    assert set(Message.objects.values_list("text", flat=True)) == {"Premier", "Second"}
