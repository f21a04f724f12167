"""The networks with an inbox as the integration tests drive them: how a test publishes, how a visitor comments, where
the fake records our replies. Shared by the sync and the recheck tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.models import SandboxPost, SandboxReply
from tests.factories import PublicationFactory, SocialAccountFactory
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.facebook import FacebookFake
from tests.fakes.instagram import InstagramFake
from tests.fakes.linkedin import LinkedInFake
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.threads import ThreadsFake
from tests.fakes.x import FakeX


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
        if self.name == "mastodon":
            parent_id = (parent or {}).get("id") or publication.external_id
            return self.fake.add_mention(f"@museum {text}", in_reply_to=parent_id, acct=f"{who}@example.social")
        if self.name == "sandbox":
            post = SandboxPost.objects.get(pk=publication.external_id.removeprefix("post-"))
            in_reply_to = (parent or {}).get("id") or post.external_id
            reply = SandboxReply.objects.create(post=post, in_reply_to=in_reply_to, author_handle=who, text=text)
            return {"id": reply.external_id}
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
        if self.name == "mastodon":
            return created["id"]  # a status also has a `uri`, but the inbox keys it by id
        return created.get("uri") or created.get("urn") or created["id"]

    def edit(self, created, text: str) -> Any:
        """The visitor edits what `comment` made, on the network."""
        if self.name == "mastodon":
            return self.fake.edit_status(created["id"], f"@museum {text}")
        if self.name == "x":
            return self.fake.edit_tweet(created["id"], f"@museum {text}")
        if self.name == "bluesky":
            return self.fake.edit_record(created["uri"], text)
        if self.name == "linkedin":
            return self.fake.edit_comment(created["urn"], text)
        if self.name == "sandbox":
            return SandboxReply.objects.filter(pk=created["id"].removeprefix("reply-")).update(text=text)
        return self.fake.edit_comment(created["id"], text)

    def delete(self, created) -> None:
        """The visitor deletes what `comment` made, on the network."""
        if self.name == "mastodon":
            self.fake.delete_status(created["id"])
        elif self.name == "x":
            self.fake.delete_tweet(created["id"])
        elif self.name == "bluesky":
            self.fake.delete_record(created["uri"])
        elif self.name == "linkedin":
            self.fake.delete_comment(created["urn"])
        elif self.name == "sandbox":
            SandboxReply.objects.filter(pk=created["id"].removeprefix("reply-")).update(deleted_at=timezone.now())
        else:
            self.fake.delete_comment(created["id"])

    def shown(self, text: str) -> str:
        """A visitor's text as the inbox stores it (mentions carry the museum's handle)."""
        return f"@museum {text}" if self.name in ("mastodon", "x") else text

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


@contextmanager
def on_fake(name: str, settings) -> Iterator[Network]:
    """The network `name` on its started fake server (the sandbox needs none), with an account on it."""
    settings.ADAPTER_TIMEOUT = (2, 1)
    settings.SITE_URL = "https://musee.example"
    if name == "sandbox":
        yield Network(name, None, SocialAccountFactory(network=name))
        return
    with {**FAKES, "mastodon": FakeMastodon}[name]() as fake:
        if name == "x":
            settings.SOCIAL_APPS = {
                **settings.SOCIAL_APPS,
                "x": {"client_id": fake.client_id, "client_secret": "x-secret"},
            }
        yield Network(name, fake, SocialAccountFactory(**fake.account_fields()))
