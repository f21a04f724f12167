"""The analytics of the Pinterest fake (mixed into FakePinterest), as ../shared/networks/pinterest-tumblr.md
"Pinterest", "Metrics" describes them: `GET /v5/pins/{id}/analytics?start_date&end_date&metric_types&app_types` →
`{"all": {daily_metrics: [{date, data_status, metrics}], summary_metrics, lifetime_metrics: {TOTAL_COMMENTS,
TOTAL_REACTIONS}}}`, `VIDEO_MRC_VIEW` on video Pins only; `start_date` at most 90 days back, a span of at most 90 days;
only the account's own Pins (another's: 403 "Not authorized to access board or Pin.", an unknown one: 404 code 50).
The batch `GET /v5/pins/analytics?pin_ids=…` (≤ 100) answers keyed by Pin id, leaving out Pins it cannot give; it is
a beta: with `batch_enabled` off it answers 403 (the exact refusal is not documented). The account's counts are on
`GET /v5/user_account` (FakePinterest)."""

from datetime import UTC, date, datetime, timedelta

from tests.fakes.base import Request, Response, route

MAX_PINS = 100
DAYS_BACK = 90
METRIC_TYPES = {
    "IMPRESSION", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK", "SAVE_RATE", "TOTAL_COMMENTS", "TOTAL_REACTIONS",
    "PROFILE_VISIT", "USER_FOLLOW", "VIDEO_MRC_VIEW", "VIDEO_START", "VIDEO_10S_VIEW", "QUARTILE_95_PERCENT_VIEW",
    "VIDEO_V50_WATCH_TIME", "VIDEO_AVG_WATCH_TIME",
}  # fmt: skip
LIFETIME = ("TOTAL_COMMENTS", "TOTAL_REACTIONS")
VIDEO_ONLY = {"VIDEO_MRC_VIEW", "VIDEO_START", "VIDEO_10S_VIEW", "QUARTILE_95_PERCENT_VIEW"}


def pinterest_error(*args, **kwargs) -> Response:
    """tests.fakes.pinterest's error body (imported here late: that module mixes this one in)."""
    from tests.fakes.pinterest import pinterest_error as error

    return error(*args, **kwargs)


class PinterestMetricsFake:
    batch_enabled = True
    foreign_pins: set[str] = set()  # Pins on boards the account lost access to

    def add_pin(self, description: str, *, video: bool = False, days_ago: int = 0) -> str:
        """A Pin of the account's first board, created `days_ago` days ago; its id."""
        pin_id = str(next(self.ids))
        created = datetime.now(UTC) - timedelta(days=days_ago)
        media = {"media_type": "video", "media_id": pin_id} if video else {"media_type": "image"}
        pin = {"id": pin_id, "created_at": created.strftime("%Y-%m-%dT%H:%M:%S"), "board_id": self.boards[0]["id"],
               "title": "", "description": description, "link": None, "alt_text": None, "media": media}  # fmt: skip
        with self.lock:
            self.pins.append(pin)
        return pin_id

    def set_analytics(self, pin_id: str, **counts: int) -> None:
        """A Pin's counts so far, by metric type: `IMPRESSION=900, SAVE=40, TOTAL_REACTIONS=12, …`."""
        self.__dict__.setdefault("analytics", {})[pin_id] = counts

    def _window(self, request: Request) -> tuple[date, date] | Response:
        try:
            start = date.fromisoformat(request.query["start_date"][0])
            end = date.fromisoformat(request.query["end_date"][0])
        except (KeyError, ValueError):
            return pinterest_error(400, 1, "Invalid parameters: start_date and end_date are required (YYYY-MM-DD).")
        asked = set(request.query.get("metric_types", [""])[0].split(","))
        if start < date.today() - timedelta(days=DAYS_BACK) or end < start or (end - start).days > DAYS_BACK:
            return pinterest_error(400, 1, "Invalid parameters: the date range must be within the last 90 days.")
        if not asked or asked - METRIC_TYPES:
            return pinterest_error(400, 1, f"Invalid parameters: metric_types {sorted(asked - METRIC_TYPES)}.")
        return start, end

    def _analytics(self, pin: dict, start: date, end: date, asked: set[str]) -> dict:
        counts = self.__dict__.get("analytics", {}).get(pin["id"], {})
        video = (pin.get("media") or {}).get("media_type") == "video"
        given = {m for m in asked if video or m not in VIDEO_ONLY}
        created = date.fromisoformat(pin["created_at"][:10])
        daily = []
        for offset in range((end - start).days + 1):
            day = start + timedelta(days=offset)
            status = "BEFORE_PIN_CREATED" if day < created else "PROCESSING" if day == end else "READY"
            first = day == max(created, start)
            metrics = {m: counts.get(m, 0) if first else 0 for m in given - set(LIFETIME)}
            daily.append({"date": day.isoformat(), "data_status": status, "metrics": metrics})
        summary = {m: counts.get(m, 0) for m in given - set(LIFETIME)}
        lifetime = {m: counts.get(m, 0) for m in given & set(LIFETIME)}
        return {"all": {"daily_metrics": daily, "summary_metrics": summary, "lifetime_metrics": lifetime}}

    def _owned(self, pin_id: str) -> dict | Response:
        pin = next((p for p in self.pins if p["id"] == pin_id), None)
        if pin is None:
            return pinterest_error(404, 50, "Pin not found.")
        if pin_id in self.foreign_pins:
            return pinterest_error(403, 3, "Not authorized to access board or Pin.")
        return pin

    @route("GET", r"/v5/pins/(?P<pin_id>\d+)/analytics")
    def pin_analytics(self, request: Request, pin_id: str) -> Response:
        if denied := self._check(request):
            return denied
        window = self._window(request)
        if isinstance(window, Response):
            return window
        pin = self._owned(pin_id)
        if isinstance(pin, Response):
            return pin
        asked = set(request.query["metric_types"][0].split(","))
        return Response(200, self._analytics(pin, *window, asked))

    @route("GET", r"/v5/pins/analytics")
    def pins_analytics(self, request: Request) -> Response:
        if denied := self._check(request):
            return denied
        if not self.batch_enabled:
            return pinterest_error(403, 3, "Your application is not enabled for this endpoint.")
        window = self._window(request)
        if isinstance(window, Response):
            return window
        ids = [i for i in request.query.get("pin_ids", [""])[0].split(",") if i]
        if not ids or len(ids) > MAX_PINS:
            return pinterest_error(400, 1, f"Invalid parameters: pin_ids takes 1 to {MAX_PINS} ids.")
        asked = set(request.query["metric_types"][0].split(","))
        pins = [pin for i in ids if isinstance(pin := self._owned(i), dict)]
        return Response(200, {pin["id"]: self._analytics(pin, *window, asked) for pin in pins})
