"""A known month of history (November 2026, Paris) whose every figure is computed by hand in the tests using it.

Accounts: A (Mastodon, target 2 posts a week) and B (Bluesky). Followers: A 900 on 30 Sep, 1000 on 31 Oct and
10 Nov, 1100 on 30 Nov; B 500 on 31 Oct, 450 on 30 Nov. Posts (local time):
  p1 A Mon 2 Nov 10:00, #MuseumWeek, Claire's artwork idea: likes 40 reposts 8 replies 2 (at +24 h)  → 50, 5 %
  p2 A Mon 2 Nov 10:30, #MuseumWeek, Bob's event idea: likes 30                                       → 30, 3 %
  p3 B Wed 4 Nov 18:00, Claire's artwork idea: likes 10 reposts 2 replies 0 quotes 3                  → 15, 3 %
  p4 A Mon 16 Nov 10:15: likes 20, views 1000                                   → 20, 2 %, 2 % of views
  p5 A Fri 20 Nov 09:00: published, not measured yet
  p6 A Tue 10 Nov 10:00: views 200 and no engagement count at all (absent, never 0)
  p7 A due Wed 25 Nov (planned, not published); p8 A cancelled Thu 26 Nov; p0 A Mon 5 Oct 10:00: likes 10 → 10 / 900.
Inbox: A receives 4 messages in November, answered after 600 s, 1800 s, 3600 s and never; B one, after 300 s.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from editorial.models import Idea, Post
from insights.models import AccountSnapshot, CadenceTarget, Checkpoint, PublicationSnapshot
from insights.models.latest import refresh, refresh_followers
from publishing.models import Network, Publication
from tests.factories import (
    CampaignFactory,
    IdeaFactory,
    MessageFactory,
    PostFactory,
    PublicationFactory,
    SocialAccountFactory,
    UserFactory,
)

PARIS = ZoneInfo("Europe/Paris")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def publish(account, at, *, state=Publication.State.PUBLISHED, campaign=None, idea=None, counts=None):
    post = PostFactory(
        title=f"{account.handle} {at:%d %b %H:%M}", scheduled_at=at, campaign=campaign, status=Post.Status.APPROVED
    )
    publication = PublicationFactory(
        post=post,
        account=account,
        state=state,
        scheduled_at=at,
        published_at=at if state == Publication.State.PUBLISHED else None,
    )
    if counts is not None:
        # An early, smaller snapshot first: the figures are those of the latest one, never a sum or the first.
        early = {key: (value // 4 if value else value) for key, value in counts.items()}
        PublicationSnapshot.objects.create(
            publication=publication, checkpoint=Checkpoint.H1, taken_at=at + Checkpoint.H1.offset, **early
        )
        PublicationSnapshot.objects.create(
            publication=publication, checkpoint=Checkpoint.H24, taken_at=at + Checkpoint.H24.offset, **counts
        )
        refresh([publication.pk])  # as the recording service does after writing snapshots
    if idea is not None:
        Idea.objects.filter(pk=idea.pk).update(post=post, status=Idea.Status.USED)
    return publication


def followers(account, month, day, count):
    AccountSnapshot.objects.create(
        account=account,
        day=datetime(2026, month, day).date(),
        taken_at=local(month, day, 23),
        followers=count,
        following=10,
        posts=100,
    )
    refresh_followers(account.pk, datetime(2026, month, day).date())


def answered(account, at, seconds):
    first = at + timedelta(seconds=seconds) if seconds is not None else None
    return MessageFactory(account=account, created_at=at, first_response_at=first)


def build(curator):
    """Builds the history above; returns its rows by name."""
    a = SocialAccountFactory(network=Network.MASTODON, handle="marceau")
    b = SocialAccountFactory(network=Network.BLUESKY, handle="marceau.bsky.social")
    CadenceTarget.objects.create(account=a, posts_per_week=2)
    for account, month, day, count in [
        (a, 9, 30, 900),
        (a, 10, 31, 1000),
        (a, 11, 10, 1000),
        (a, 11, 30, 1100),
        (b, 10, 31, 500),
        (b, 11, 30, 450),
    ]:
        followers(account, month, day, count)
    museum_week = CampaignFactory(name="MuseumWeek")
    bob = UserFactory(username="bob")
    claire_artwork = IdeaFactory(proposer=curator, kind=Idea.Kind.ARTWORK)
    bob_event = IdeaFactory(proposer=bob, kind=Idea.Kind.EVENT)
    claire_again = IdeaFactory(proposer=curator, kind=Idea.Kind.ARTWORK)
    rows = {
        "p1": publish(
            a,
            local(11, 2, 10),
            campaign=museum_week,
            idea=claire_artwork,
            counts={"likes": 40, "reposts": 8, "replies": 2},
        ),
        "p2": publish(a, local(11, 2, 10, 30), campaign=museum_week, idea=bob_event, counts={"likes": 30}),
        "p3": publish(
            b, local(11, 4, 18), idea=claire_again, counts={"likes": 10, "reposts": 2, "replies": 0, "quotes": 3}
        ),
        "p4": publish(a, local(11, 16, 10, 15), counts={"likes": 20, "views": 1000}),
        "p5": publish(a, local(11, 20, 9)),
        "p6": publish(a, local(11, 10, 10), counts={"views": 200}),
        "p7": publish(a, local(11, 25, 11), state=Publication.State.DUE),
        "p8": publish(a, local(11, 26, 11), state=Publication.State.CANCELLED),
        "p0": publish(a, local(10, 5, 10), counts={"likes": 10}),
    }
    for at, seconds in [
        (local(11, 3, 10), 600),
        (local(11, 3, 11), 1800),
        (local(11, 5, 9), 3600),
        (local(11, 6, 9), None),
    ]:
        answered(a, at, seconds)
    answered(b, local(11, 12, 15), 300)
    return {"a": a, "b": b, "campaign": museum_week, "bob": bob, **rows}


def build_more(rows, *, copies: int) -> None:
    """More posts, snapshots and messages of the same kinds in the same month (query counts must not follow)."""
    for n in range(copies):
        for day in (3, 11, 17):
            publish(rows["a"], local(11, day, 14, n), counts={"likes": 5 + n, "views": 100})
            publish(rows["b"], local(11, day, 15, n), campaign=rows["campaign"], counts={"likes": 3})
            answered(rows["a"], local(11, day, 16, n), 120)
