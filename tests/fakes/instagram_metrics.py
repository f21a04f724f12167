"""The insights of the Instagram fake (mixed into FakeInstagram), as ../shared/networks/instagram.md "Metrics"
describes: `GET /{media-id}/insights?metric=…` → `{data: [{name, period: "lifetime", values: [{value}], …}]}` (one
media per call; one unsupported metric fails the whole call with (#100); no data yet → empty `data`); the account's
counts on `GET /{ig-user-id}?fields=followers_count,follows_count,media_count`; demographics on
`GET /{ig-user-id}/insights?metric=follower_demographics&breakdown=…` (≥ 100 followers, else an error)."""

from typing import Any

from tests.fakes.base import Request, Response, route
from tests.fakes.graph import V, graph_error

MEDIA_METRICS = {
    "views",
    "reach",
    "likes",
    "comments",
    "saved",
    "shares",
    "total_interactions",
    "reposts",
    "follows",
    "profile_visits",
}


class InstagramMetricsFake:
    media_insights: dict[str, dict[str, int]]
    followers = 0
    no_views_for: set[str]  # older media that refuse `views`
    demographics: dict[str, dict[str, int]] = {}

    def set_insights(self, media_id: str, **values: int) -> None:
        self.__dict__.setdefault("media_insights", {})[media_id] = values

    def refuse_views(self, media_id: str) -> None:
        self.__dict__.setdefault("no_views_for", set()).add(media_id)

    def metric_entry(self, media_id: str, name: str, value: int) -> dict[str, Any]:
        return {
            "name": name,
            "period": "lifetime",
            "values": [{"value": value}],
            "title": name.title(),
            "description": "",
            "id": f"{media_id}/insights/{name}/lifetime",
        }

    @route("GET", f"{V}/(?P<owner>[^/]+)/(?P<edge>[a-z_]+)")
    def get_edge(self, request: Request, owner: str, edge: str) -> Response:
        if edge != "insights":
            return super().get_edge(request, owner, edge)
        metrics = request.query.get("metric", [""])[0].split(",")
        if owner in self.accounts:
            return self.account_insights(request, owner, metrics)
        if not any(post["id"] == owner for post in self.media):
            return graph_error(100, f"Unsupported get request. Object with ID '{owner}' does not exist", subcode=33)
        refused = [
            m
            for m in metrics
            if m not in MEDIA_METRICS or (m == "views" and owner in self.__dict__.get("no_views_for", set()))
        ]
        if refused:
            return graph_error(
                100,
                f"(#100) The Media Insights API does not support the {refused[0]} metric for this media product type.",
            )
        values = self.__dict__.get("media_insights", {}).get(owner)
        if values is None:
            return Response(200, {"data": []})  # no data yet
        return Response(200, {"data": [self.metric_entry(owner, m, values.get(m, 0)) for m in metrics]})

    def account_insights(self, request: Request, owner: str, metrics: list[str]) -> Response:
        if metrics != ["follower_demographics"]:
            return graph_error(100, "(#100) metric[0] must be one of the following values: follower_demographics, …")
        if self.followers < 100:
            return graph_error(10, "(#10) Not enough followers to show demographics")
        breakdown = request.query.get("breakdown", [""])[0]
        results = [{"dimension_values": [k], "value": v} for k, v in self.demographics.get(breakdown, {}).items()]
        total = {"breakdowns": [{"dimension_keys": [breakdown], "results": results}]}
        return Response(
            200,
            {
                "data": [
                    {
                        "name": "follower_demographics",
                        "period": "lifetime",
                        "total_value": total,
                        "id": f"{owner}/insights/follower_demographics",
                    }
                ]
            },
        )

    @route("GET", f"{V}/(?P<object_id>[^/]+)")
    def get_object(self, request: Request, object_id: str) -> Response:
        if object_id not in self.accounts:
            return super().get_object(request, object_id)
        counts = {
            "followers_count": self.followers,
            "follows_count": 12,
            "media_count": sum(p["owner"] == object_id for p in self.media),
        }
        fields = request.query.get("fields", [""])[0].split(",")
        return Response(200, {"id": object_id, **{k: v for k, v in counts.items() if k in fields}})
