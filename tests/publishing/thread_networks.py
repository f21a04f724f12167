"""The networks that publish a thread part by part (no client-chosen ids), as the thread tests drive their fakes:
how to start the fake, where posts are sent, and the museum's posts as (id, text, the id it answers)."""

from publishing.adapters.mastodon_matching import html_to_text
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.threads import FakeThreads
from tests.fakes.x import FakeX


def tweets(fake) -> list[tuple[str, str, str | None]]:
    return [
        (t["id"], t["sent"], next((r["id"] for r in t["referenced_tweets"] or [] if r["type"] == "replied_to"), None))
        for t in fake.posts()
    ]


def statuses(fake) -> list[tuple[str, str, str | None]]:
    return [(s["id"], html_to_text(s["content"]), s["in_reply_to_id"]) for s in fake.posts()]


def threads_posts(fake) -> list[tuple[str, str, str | None]]:
    return [(p["id"], p["text"], p["fields"].get("reply_to_id")) for p in fake.media]


# A Mastodon-API server that ignores Idempotency-Key and rewrites what it shows (Takahē) is the hard case.
PART_BY_PART = {
    "x": (FakeX, r"^/2/tweets$", tweets),
    "mastodon": (FakeMastodon.takahe, r"^/api/v1/statuses$", statuses),
    "threads": (FakeThreads, r"/threads_publish$", threads_posts),
}


def thread_of(read, fake, texts: list[str]) -> tuple[list[str], list[tuple[str, str | None]]]:
    """The ids of the museum's posts, and what a whole thread of `texts` would read as on this fake."""
    posts = read(fake)
    ids = [post_id for post_id, _text, _parent in posts]
    return ids, list(zip(texts, [None, *ids[: len(texts) - 1]], strict=True))
