"""Every network as the integration tests drive it (the drivers): how a test publishes, how a visitor comments, where
the fake records our posts and replies, and how each fault is injected the network's own way. Shared by the adapter
contract suite (tests/publishing/test_contract.py) and the inbox's sync and recheck tests."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from publishing.adapters import get_adapter
from publishing.models import SandboxPost, SandboxReply
from tests.factories import PublicationFactory, SocialAccountFactory
from tests.fakes.base import Response
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.facebook import FakeFacebook
from tests.fakes.graph import graph_error, usage_header
from tests.fakes.instagram import FakeInstagram
from tests.fakes.linkedin import FakeLinkedIn, linkedin_error
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.pinterest import FakePinterest, pinterest_error
from tests.fakes.threads import FakeThreads
from tests.fakes.tumblr import FakeTumblr, tumblr_error
from tests.fakes.x import FakeX, problem


def published(account, fake, text: str = "Le Radeau de la Méduse"):
    """A publication the network holds, as the pipeline leaves it once published. Instagram and Threads need an image
    to publish: there the post is put on the fake directly."""
    publication = PublicationFactory(account=account, text=text, state="sending")
    if account.network in ("instagram", "threads"):
        publication.external_id = fake.add_post(text)
    else:
        result = get_adapter(account).publish(publication)
        publication.external_id, publication.extra = result.external_id, result.extra
    publication.state, publication.published_at = "published", timezone.now()
    publication.save()
    return publication


def given(metrics) -> set[str]:
    """The names of the counts a `PostMetrics` gives (not absent): each network's are its adapter's `post_figures`."""
    return {name for name, value in metrics.counts().items() if value is not None}


@dataclass
class Network:
    """One network's way of doing the few things the tests need."""

    name: str
    fake: Any
    account: Any = None

    def publish(self):
        return published(self.account, self.fake, f"Le Radeau de la Méduse {self.name}")

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
        if self.name == "tumblr":
            return self.fake.add_reply(publication.external_id, text, who=who)
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
        if self.name == "mastodon":
            return [s["in_reply_to_id"] for s in self.fake.posts() if s["in_reply_to_id"]]
        if self.name == "sandbox":
            return list(SandboxReply.objects.filter(by_museum=True).values_list("in_reply_to", flat=True))
        return [r["parent"] for r in self.fake.replies]

    def posts(self) -> list[dict]:
        """The museum's posts the network holds, each as {"id", "text", "alt_texts"}."""
        if self.name == "sandbox":
            rows = SandboxPost.objects.filter(account=self.account).order_by("pk")
            return [{"id": p.external_id, "text": p.text, "alt_texts": p.alt_texts} for p in rows]
        return self.fake.received_posts()

    # Faults, the network's own way ------------------------------------------------------------------------------------

    def revoke(self) -> None:
        """The account's authorisation is withdrawn: its token no longer works and cannot be renewed."""
        FAULTS[self.name].revoke(self.fake)

    def rate_limit(self, seconds: int) -> None:
        """The next call that creates a post is refused by the network's rate limit, asking to wait `seconds`."""
        answer = FAULTS[self.name].rate_limited(seconds)
        path = self.publish_path
        self.fake.inject(method="POST", path=path, status=answer.status, body=answer.body, headers=answer.headers)

    def lose_answer(self) -> None:
        """The next call that creates a post is carried out, but its answer comes later than the client waits."""
        self.fake.inject(method="POST", path=self.publish_path, after_handling=True, delay=1.5)

    @property
    def publish_path(self) -> str:
        return FAULTS[self.name].publish_path

    def calls(self) -> tuple[list, list]:
        """The requests the fake received with the account's token: (those of the work itself, those renewing it)."""
        faults = FAULTS[self.name]
        calls = [r for r in self.fake.requests if not (faults.public_path and re.search(faults.public_path, r.path))]
        renewals = [r for r in calls if faults.renewal_path and re.search(faults.renewal_path, r.path)]
        return [r for r in calls if r not in renewals], renewals


@dataclass(frozen=True)
class Faults:
    """How one network's fake fails the way the network does."""

    publish_path: str  # the call that creates the post: where a lost answer leaves the outcome unknown
    revoke: Callable[[Any], None]
    rate_limited: Callable[[int], Response]  # the network's answer asking to wait so many seconds
    renewal_path: str = ""  # where the adapter renews an expired token, for networks that can
    public_path: str = ""  # what the adapter reads without the account's token


def _new_token(fake) -> None:
    fake.token = "a-newer-token-we-do-not-have"


def _graph_rate_limited(seconds: int) -> Response:
    """Graph says how long in minutes, in its usage header, under code 4 (the app's allowance)."""
    return graph_error(4, "Application request limit reached", headers=usage_header(seconds // 60))


def _retry_after(answer: Response, seconds: int) -> Response:
    answer.headers["Retry-After"] = str(seconds)
    return answer


FAULTS = {
    "facebook": Faults(r"/feed$", _new_token, _graph_rate_limited),
    "instagram": Faults(r"/media_publish$", _new_token, _graph_rate_limited),
    "threads": Faults(r"/threads_publish$", _new_token, _graph_rate_limited),
    "linkedin": Faults(
        r"/rest/posts$",
        _new_token,
        lambda seconds: _retry_after(linkedin_error(429, "Resource level throttle limit reached."), seconds),
    ),
    "x": Faults(
        r"/2/tweets$",
        lambda fake: fake.revoke(),
        lambda seconds: _retry_after(problem(429, "Too Many Requests", "Too Many Requests"), seconds),
        renewal_path=r"/2/oauth2/token$",
    ),
    "mastodon": Faults(
        r"/api/v1/statuses$",
        lambda fake: fake.revoke_token(),
        lambda seconds: Response(429, {"error": "Too many requests"}, {"Retry-After": str(seconds)}),
        public_path=r"/api/v2/instance$",
    ),
    "pinterest": Faults(
        r"/v5/pins$",
        lambda fake: fake.revoke(),
        lambda seconds: _retry_after(pinterest_error(429, 8, "This request exceeded a rate limit."), seconds),
        renewal_path=r"/v5/oauth/token$",
    ),
    "tumblr": Faults(
        r"/v2/blog/[^/]+/posts$",
        lambda fake: fake.revoke(),
        lambda seconds: _retry_after(tumblr_error(429, "Limit Exceeded"), seconds),
        renewal_path=r"/v2/oauth2/token$",
    ),
    "bluesky": Faults(
        r"/com\.atproto\.repo\.putRecord$",
        lambda fake: fake.expire_session(),
        lambda seconds: Response(
            429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, {"Retry-After": str(seconds)}
        ),
        renewal_path=r"/com\.atproto\.server\.refreshSession$",
    ),
}


FAKES = {
    "facebook": FakeFacebook,
    "instagram": FakeInstagram,
    "threads": FakeThreads,
    "linkedin": FakeLinkedIn,
    "bluesky": FakeBluesky,
    "x": FakeX,
    "pinterest": FakePinterest,
    "tumblr": FakeTumblr,
}
# The networks whose comments the inbox reads, answers and rechecks (Pinterest has no comment API; Tumblr's notes
# can be neither answered nor looked up again).
CONVERSING = [name for name in FAKES if name not in ("pinterest", "tumblr")]


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
        if name in ("pinterest", "tumblr"):
            settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, name: fake.social_app()}
        yield Network(name, fake, SocialAccountFactory(**fake.account_fields()))
