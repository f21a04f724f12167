"""What adapters answer when asked how posts and accounts do (`Adapter.fetch_post_metrics`,
`Adapter.fetch_account_metrics`). Every count is an int, or None when the network does not provide it: None is
"absent", never 0, and is stored as NULL (insights)."""

from dataclasses import dataclass, field, fields, replace

AUDIENCE_DIMENSIONS = ("age", "gender", "country", "city")


@dataclass(frozen=True)
class PostMetrics:
    """One publication's lifetime counts as the network gives them now. `reposts` covers boosts, reblogs and
    shares; `replies` covers comments; `views` is impressions or views, whichever the network counts."""

    external_id: str
    views: int | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    saves: int | None = None
    link_clicks: int | None = None
    video_views: int | None = None

    def counts(self) -> dict[str, int | None]:
        """The counts by name (the columns of `insights.PublicationSnapshot`)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "external_id"}

    def keeping(self, figures) -> "PostMetrics":
        """The same counts with those outside `figures` absent: what a network giving only `figures` would answer."""
        return replace(self, **{name: None for name in self.counts() if name not in figures})


@dataclass(frozen=True)
class AccountMetrics:
    """An account's counts now, and its audience where the network gives one.

    `audience` maps a dimension of `AUDIENCE_DIMENSIONS` to {bucket: followers}; a dimension the network does not
    give (or withholds below its threshold) is missing from the dict, never an empty or zero bucket.
    """

    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    audience: dict[str, dict[str, int]] = field(default_factory=dict)

    def counts(self) -> dict[str, int | None]:
        return {"followers": self.followers, "following": self.following, "posts": self.posts}


def whole(value) -> int | None:
    """A count from a network's JSON: an int (a numeric string too), or None when absent or not a number. A dict of
    breakdowns (Meta may answer so) is summed."""
    if type(value) is int:  # what networks answer nearly always (a bool is not one): the checks below are for the rest
        return value
    if isinstance(value, dict):
        parts = [whole(v) for v in value.values()]
        parts = [p for p in parts if p is not None]
        return sum(parts) if parts else None
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
