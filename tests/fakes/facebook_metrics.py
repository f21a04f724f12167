"""The Page insights of the Facebook fake (mixed into FakeFacebook), as ../shared/networks/facebook.md "Metrics"
describes: `GET /{post-id}/insights?metric=post_media_view,post_reactions_by_type_total,post_clicks_by_type` →
`{data: [{name, period: "lifetime", values: [{value}], …}]}` (empty `data`: no data yet; one removed metric name
fails the whole call with error 100); counters on
`GET /{post-id}?fields=shares,comments.summary(…)`
(`shares` absent when 0); the Page's `followers_count` and `fan_count`."""

from tests.fakes.base import Request, Response, route
from tests.fakes.graph import V, graph_error

VALID = {
    "post_media_view",
    "post_total_media_view_unique",
    "post_reactions_by_type_total",
    "post_clicks",
    "post_clicks_by_type",
    "post_video_views",
}


class FacebookMetricsFake:
    followers = 0

    def set_insights(self, post_id: str, *, views=0, reactions=None, link_clicks=0, shares=0, comments=0) -> None:
        self.__dict__.setdefault("post_insights", {})[post_id] = {
            "post_media_view": views,
            "post_reactions_by_type_total": reactions or {},
            "post_clicks_by_type": {"link clicks": link_clicks, "other clicks": 1},
            "post_clicks": link_clicks + 1,
            "shares": shares,
            "comments": comments,
        }

    def _post(self, object_id: str) -> dict | None:
        return next((p for p in self.posts if object_id in (p["id"], p["id"].split("_")[1])), None)

    @route("GET", f"{V}/(?P<owner>[^/]+)/insights")
    def post_insights(self, request: Request, owner: str) -> Response:
        if self._post(owner) is None:
            return graph_error(100, f"Unsupported get request. Object with ID '{owner}' does not exist", subcode=33)
        metrics = request.query.get("metric", [""])[0].split(",")
        if removed := [m for m in metrics if m not in VALID]:
            return graph_error(100, f"(#100) The value must be a valid insights metric: {removed[0]}")
        values = self.__dict__.get("post_insights", {}).get(self._post(owner)["id"])
        if values is None:
            return Response(200, {"data": []})
        data = [
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": values.get(m, 0)}],
                "title": m,
                "description": "",
                "id": f"{owner}/insights/{m}/lifetime",
            }
            for m in metrics
        ]
        return Response(200, {"data": data})

    # Same path as FakeFacebook.get_object, which it answers for when the query asks for counts: routes with groups
    # are tried in name order (tests/fakes/base.py), and "counted_object" comes before "get_object".
    @route("GET", f"{V}/(?P<object_id>[^/]+)")
    def counted_object(self, request: Request, object_id: str) -> Response:
        asked = request.query.get("fields", [""])[0]
        if object_id in self.accounts and "followers_count" in asked:
            return Response(200, {"id": object_id, "followers_count": self.followers, "fan_count": self.followers + 7})
        post = self._post(object_id)
        if post is None or "shares" not in asked:
            return self.get_object(request, object_id)
        values = self.__dict__.get("post_insights", {}).get(post["id"], {})
        answer = {"id": post["id"], "comments": {"data": [], "summary": {"total_count": values.get("comments", 0)}}}
        if values.get("shares"):
            answer["shares"] = {"count": values["shares"]}  # absent when 0
        return Response(200, answer)
