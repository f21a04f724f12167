"""The metrics of the Bluesky fake (mixed into FakeBluesky), as ../shared/networks/bluesky.md "Metrics" describes:
counts on the post views of `getPosts` (`likeCount`, `repostCount`, `replyCount`, `quoteCount`, and `bookmarkCount`
on newer AppViews only), and `app.bsky.actor.getProfile` with `followersCount`, `followsCount`, `postsCount`; an
unknown actor is 400 InvalidRequest "Profile not found"."""

from tests.fakes.base import Response, route


class BlueskyMetricsFake:
    gives_bookmarks = True  # newer AppViews
    profile_counts = {"followersCount": 0, "followsCount": 0, "postsCount": 0}

    def set_counts(self, uri: str, *, likes=0, reposts=0, replies=0, quotes=0, bookmarks=0) -> None:
        if "post_counts" not in self.__dict__:
            self.post_counts = {}
        self.post_counts[uri] = {
            "likeCount": likes,
            "repostCount": reposts,
            "replyCount": replies,
            "quoteCount": quotes,
            "bookmarkCount": bookmarks,
        }

    def set_followers(self, followers: int, follows: int = 10, posts: int = 100) -> None:
        self.profile_counts = {"followersCount": followers, "followsCount": follows, "postsCount": posts}

    def counts_of(self, uri: str) -> dict:
        counts = dict(self.__dict__.get("post_counts", {}).get(uri) or {})
        counts = {"replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0, **counts}
        if not self.gives_bookmarks:
            counts.pop("bookmarkCount", None)
        return counts

    @route("GET", r"/xrpc/app\.bsky\.actor\.getProfile")
    def get_profile(self, request):
        if denied := self._check(request):
            return denied
        actor = request.query.get("actor", [""])[0]
        if actor not in (self.did, self.handle):
            return Response(400, {"error": "InvalidRequest", "message": "Profile not found"})
        return Response(200, {"did": self.did, "handle": self.handle, **self.profile_counts})
