"""How Pinterest counts (../shared/networks/pinterest-tumblr.md, "Pinterest", "Metrics"): a Pin's analytics over the
days since it was created (at most 90 back): impressions (its views), saves, outbound clicks, and for a video Pin its
views (`VIDEO_MRC_VIEW`, absent on an image Pin); the lifetime reactions and comments. Up to 100 Pins a call on the
batch endpoint, a beta some apps lack: refused there, each Pin is asked on its own. No reposts or quotes: absent,
never 0. A Pin gone (or no longer the account's) is left out. The account gives its followers, following and Pins; no
demographics for organic accounts."""

from datetime import timedelta

from django.utils import timezone

from publishing.adapters.base import NotFound, Rejected
from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole

BATCH = 100  # Pin ids per batch analytics call
DAYS_BACK = 90  # how far back `start_date` may go
METRIC_TYPES = "IMPRESSION,SAVE,OUTBOUND_CLICK,TOTAL_COMMENTS,TOTAL_REACTIONS,VIDEO_MRC_VIEW"


class PinterestMetrics:
    """Mixed into PinterestAdapter (its `call` renews an expired token once)."""

    metrics_batch = BATCH
    metrics_fields = ("published_at",)  # the window starts on the day the oldest was published
    post_figures = frozenset({"views", "likes", "replies", "saves", "link_clicks", "video_views"})

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        params = {**_window(publications), "metric_types": METRIC_TYPES, "app_types": "ALL"}
        ids = [p.external_id for p in publications]
        try:
            answer = self.json(self.call("GET", "/v5/pins/analytics", params={**params, "pin_ids": ",".join(ids)}))
        except Rejected as error:
            if error.http_status not in (403, 404):  # the beta not enabled for this app
                raise
            answer = self._one_by_one(ids, params)
        return {pin_id: _post_metrics(pin_id, answer[pin_id]) for pin_id in ids if isinstance(answer.get(pin_id), dict)}

    def _one_by_one(self, ids: list[str], params: dict[str, str]) -> dict[str, dict]:
        answers = {}
        for pin_id in ids:
            try:
                answers[pin_id] = self.json(self.call("GET", f"/v5/pins/{pin_id}/analytics", params=params))
            except NotFound:
                continue
            except Rejected as error:
                if error.http_status != 403:  # "Not authorized to access board or Pin": no longer the account's
                    raise
        return answers

    def fetch_account_metrics(self) -> AccountMetrics:
        user = self.json(self.call("GET", "/v5/user_account"))
        return AccountMetrics(
            followers=whole(user.get("follower_count")),
            following=whole(user.get("following_count")),
            posts=whole(user.get("pin_count")),
        )


def _window(publications: list) -> dict[str, str]:
    """From the day the oldest Pin was published (no further back than Pinterest allows) to today."""
    today = timezone.now().date()
    published = [p.published_at.date() for p in publications if p.published_at]
    start = max(min(published, default=today), today - timedelta(days=DAYS_BACK - 1))
    return {"start_date": start.isoformat(), "end_date": today.isoformat()}


def _post_metrics(pin_id: str, answer: dict) -> PostMetrics:
    counts = answer.get("all") or {}
    summary, lifetime = counts.get("summary_metrics") or {}, counts.get("lifetime_metrics") or {}
    return PostMetrics(
        external_id=pin_id,
        views=whole(summary.get("IMPRESSION")),
        likes=whole(lifetime.get("TOTAL_REACTIONS")),
        replies=whole(lifetime.get("TOTAL_COMMENTS")),
        saves=whole(summary.get("SAVE")),
        link_clicks=whole(summary.get("OUTBOUND_CLICK")),
        video_views=whole(summary.get("VIDEO_MRC_VIEW")),
    )
