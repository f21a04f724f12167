"""How Instagram counts (../shared/networks/instagram.md, "Metrics"): one insights call per media (no batch); views,
likes, comments, saves and shares; no quotes, link clicks or video views (absent). One unsupported metric fails the
whole call (#100): some older media refuse `views`, asked again without it (views then absent). Empty `data` is "no
data yet", not 0. Demographics (age, gender, country, city) need 100 followers: below that the network refuses, and
the dimension is left out (not given)."""

from django.utils.translation import gettext_lazy as _

from publishing.adapters.base import Rejected
from publishing.adapters.metrics import AUDIENCE_DIMENSIONS, AccountMetrics, PostMetrics, whole

MEDIA_METRICS = ("views", "likes", "comments", "saved", "shares")
UNSUPPORTED = "does not support"


class InstagramMetrics:
    """Mixed into InstagramAdapter."""

    metrics_batch = 1
    post_figures = frozenset({"views", "likes", "reposts", "replies", "saves"})
    audience_note = _(
        "Instagram gives the age, gender, country and city of an account's followers once it has 100 of them; below "
        "that, nothing."
    )

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        found = {}
        for publication in publications:
            media_id = publication.external_id
            try:
                data = self._media_insights(media_id, MEDIA_METRICS)
            except Rejected as error:
                if UNSUPPORTED not in error.reason:
                    raise
                data = self._media_insights(media_id, MEDIA_METRICS[1:])
            found[media_id] = _post_metrics(media_id, data)
        return found

    def _media_insights(self, media_id: str, metrics) -> dict[str, int | None]:
        answer = self.get_json(media_id, "insights", metric=",".join(metrics))
        return {
            item.get("name"): whole((item.get("values") or [{}])[0].get("value")) for item in answer.get("data") or []
        }

    def fetch_account_metrics(self) -> AccountMetrics:
        counts = self.get_json(self.user_id, fields="followers_count,follows_count,media_count")
        return AccountMetrics(
            followers=whole(counts.get("followers_count")),
            following=whole(counts.get("follows_count")),
            posts=whole(counts.get("media_count")),
            audience=self._audience(),
        )

    def _audience(self) -> dict[str, dict[str, int]]:
        audience = {}
        for dimension in AUDIENCE_DIMENSIONS:
            try:
                answer = self.get_json(
                    self.user_id,
                    "insights",
                    metric="follower_demographics",
                    period="lifetime",
                    metric_type="total_value",
                    timeframe="this_month",
                    breakdown=dimension,
                )
            except Rejected:
                break  # under the network's threshold (100 followers): no dimension is given
            if given := buckets(answer):
                audience[dimension] = given
        return audience


def buckets(answer: dict) -> dict[str, int]:
    data = answer.get("data") or [{}]
    breakdowns = (data[0].get("total_value") or {}).get("breakdowns") or [{}]
    results = breakdowns[0].get("results") or []
    return {
        str(r["dimension_values"][0]): whole(r.get("value"))
        for r in results
        if r.get("dimension_values") and whole(r.get("value")) is not None
    }


def _post_metrics(media_id: str, data: dict[str, int | None]) -> PostMetrics:
    return PostMetrics(
        external_id=media_id,
        views=data.get("views"),
        likes=data.get("likes"),
        reposts=data.get("shares"),
        replies=data.get("comments"),
        saves=data.get("saved"),
    )
