"""The metrics endpoints of the Mastodon fake (mixed into FakeMastodon), as ../shared/networks/mastodon.md
"Metrics" describes them: `GET /api/v1/statuses?id[]=…` (4.3+) takes at most 20 ids (more → 422) and silently leaves
out deleted or hidden ones; an older server answers 404 there (then `GET /api/v1/statuses/:id` each); counts are
`favourites_count`, `reblogs_count`, `replies_count` and, from 4.5, `quotes_count`; the account's are on
`verify_credentials`."""

from tests.fakes.base import Response, route

BATCH_LIMIT = 20


class MastodonMetricsFake:
    counts: dict[str, dict[str, int]]
    old_server = False  # before 4.3: no batch lookup
    gives_quotes = True  # 4.5+

    def set_counts(self, status_id: str, *, likes=0, boosts=0, replies=0, quotes=0) -> None:
        """What the status's author server counts now."""
        if not hasattr(self, "counts"):
            self.counts = {}
        self.counts[status_id] = {
            "favourites_count": likes,
            "reblogs_count": boosts,
            "replies_count": replies,
            "quotes_count": quotes,
        }

    def set_followers(self, followers: int, following: int = 10, statuses: int = 100) -> None:
        self.account.update(followers_count=followers, following_count=following, statuses_count=statuses)

    def counted(self, status: dict) -> dict:
        counts = dict(
            getattr(self, "counts", {}).get(status["id"])
            or dict.fromkeys(("favourites_count", "reblogs_count", "replies_count", "quotes_count"), 0)
        )
        if not self.gives_quotes:
            counts.pop("quotes_count")
        return {**status, **counts}

    @route("GET", r"/api/v1/statuses")
    def statuses_batch(self, request):
        if denied := self._unauthorized(request):
            return denied
        if self.old_server:
            return self._not_found()
        ids = request.query.get("id[]", [])
        if len(ids) > BATCH_LIMIT:
            return Response(422, {"error": f"Too many ids requested (maximum is {BATCH_LIMIT})"})
        with self.lock:
            found = [self._find(i) for i in ids]
            return Response(200, [self.counted(s) for s in found if s is not None])
