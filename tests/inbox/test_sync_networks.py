"""The inbox against every network's fake server: paging, resuming, no duplicates, threading, one reply, back-off.

Each network differs only in how a test publishes, how a visitor comments, and where the fake records our
replies; the scenarios below say that, and the same tests run for all of them.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from inbox.models import Message, Reply, SyncCursor
from inbox.services import reply_send
from inbox.sync import account_sync
from publishing.adapters import get_adapter
from tests.factories import PublicationFactory, SocialAccountFactory, UserFactory
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.facebook import FacebookFake
from tests.fakes.instagram import InstagramFake
from tests.fakes.linkedin import LinkedInFake
from tests.fakes.threads import ThreadsFake
from tests.fakes.x import FakeX

pytestmark = pytest.mark.django_db


@dataclass
class Network:
    """One network's way of doing the few things the tests need."""

    name: str
    fake: Any
    account: Any = None

    def publish(self):
        if self.name in ("instagram", "threads"):
            external_id, extra = self.fake.add_post("Le Radeau de la Méduse"), {}
        else:
            publication = PublicationFactory(account=self.account, text=f"Le Radeau de la Méduse {self.name}")
            result = get_adapter(self.account).publish(publication)
            external_id, extra = result.external_id, result.extra
        return PublicationFactory(
            account=self.account, state="published", external_id=external_id, extra=extra, published_at=timezone.now()
        )

    def comment(self, publication, text: str, parent=None, who: str = "lea") -> Any:
        """A visitor's comment on the publication, or an answer to `parent` (what this returns for another)."""
        if self.name == "bluesky":
            post = {"uri": publication.external_id, "cid": publication.extra["cid"]}
            return self.fake.add_reply(text, parent=parent or post, root=post, handle=f"{who}.bsky.social")
        if self.name == "x":
            return self.fake.add_mention(
                f"@museum {text}", in_reply_to=(parent or {}).get("id") or publication.external_id, username=who
            )
        if self.name == "linkedin":
            return self.fake.add_comment(
                publication.external_id, text, parent=(parent or {}).get("urn"), actor=f"urn:li:person:{who}"
            )
        return self.fake.add_comment(publication.external_id, text, parent=(parent or {}).get("id"), username=who)

    def external_id(self, created) -> str:
        return created.get("uri") or created.get("urn") or created["id"]

    def replies_sent(self) -> list[str]:
        """The external ids our replies answered, as the fake received them."""
        if self.name == "bluesky":
            return [p["value"]["reply"]["parent"]["uri"] for p in self.fake.posts() if "reply" in p["value"]]
        if self.name == "x":
            bodies = [r.json() for r in self.fake.received("POST", r"/2/tweets$")]
            return [b["reply"]["in_reply_to_tweet_id"] for b in bodies if "reply" in b]
        if self.name == "linkedin":
            organization = self.account.external_id
            return [c["parent"] for c in self.fake.comments if c["actor"] == organization]
        return [r["parent"] for r in self.fake.replies]


FAKES = {
    "facebook": FacebookFake,
    "instagram": InstagramFake,
    "threads": ThreadsFake,
    "linkedin": LinkedInFake,
    "bluesky": FakeBluesky,
    "x": FakeX,
}


@pytest.fixture(params=list(FAKES))
def network(request, settings):
    settings.ADAPTER_TIMEOUT = (2, 1)
    settings.SITE_URL = "https://musee.example"
    with FAKES[request.param]() as fake:
        if request.param == "x":
            settings.SOCIAL_APPS = {
                **settings.SOCIAL_APPS,
                "x": {"client_id": fake.client_id, "client_secret": "x-secret"},
            }
        yield Network(request.param, fake, SocialAccountFactory(**fake.account_fields()))


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
