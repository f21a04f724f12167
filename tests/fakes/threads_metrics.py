"""The insights of the Threads fake (mixed into FakeThreads), as ../shared/networks/threads.md "Metrics" describes:
`GET /v1.0/{media-id}/insights?metric=views,likes,replies,reposts,quotes,shares` (one post per call, `{data: [{name,
period: "lifetime", values: [{value}], …}]}`); `GET /v1.0/{user-id}/threads_insights?metric=followers_count` →
`total_value: {value}` (the only follower count Threads exposes: no following, no post count), and
`metric=follower_demographics&breakdown=…` (one breakdown per call, ≥ 100 followers, else an error)."""

from tests.fakes.base import Request, Response, route
from tests.fakes.graph import V, graph_error

POST_METRICS = {"views", "likes", "replies", "reposts", "quotes", "shares"}


class ThreadsMetricsFake:
    followers = 0
    demographics: dict[str, dict[str, int]] = {}

    def set_insights(self, media_id: str, **values: int) -> None:
        self.__dict__.setdefault("post_insights", {})[media_id] = values

    @route("GET", f"{V}/(?P<owner>[^/]+)/(?P<edge>[a-z_]+)")
    def get_edge(self, request: Request, owner: str, edge: str) -> Response:
        metrics = request.query.get("metric", [""])[0].split(",")
        if edge == "threads_insights" and owner in self.accounts:
            return self.account_insights(request, owner, metrics)
        if edge != "insights":
            return super().get_edge(request, owner, edge)
        if not any(post["id"] == owner for post in self.media):
            return graph_error(100, f"Unsupported get request. Object with ID '{owner}' does not exist", subcode=33)
        if unknown := [m for m in metrics if m not in POST_METRICS]:
            return graph_error(100, f"(#100) The value must be a valid insights metric: {unknown[0]}")
        values = self.__dict__.get("post_insights", {}).get(owner, {})
        data = [
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": values.get(m, 0)}],
                "title": m.title(),
                "description": "",
                "id": f"{owner}/insights/{m}/lifetime",
            }
            for m in metrics
        ]
        return Response(200, {"data": data})

    def account_insights(self, request: Request, owner: str, metrics: list[str]) -> Response:
        if metrics == ["followers_count"]:
            item = {"name": "followers_count", "period": "day", "total_value": {"value": self.followers}}
            return Response(200, {"data": [{**item, "id": f"{owner}/insights/followers_count/day"}]})
        if metrics != ["follower_demographics"] or self.followers < 100:
            return graph_error(100, "(#100) Follower demographics are not available for this profile")
        breakdown = request.query.get("breakdown", [""])[0]
        results = [{"dimension_values": [k], "value": v} for k, v in self.demographics.get(breakdown, {}).items()]
        total = {"breakdowns": [{"dimension_keys": [breakdown], "results": results}]}
        return Response(200, {"data": [{"name": "follower_demographics", "total_value": total}]})
