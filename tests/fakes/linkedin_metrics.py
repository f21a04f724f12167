"""The statistics of the LinkedIn fake (mixed into FakeLinkedIn), as ../shared/networks/linkedin.md "Metrics"
describes them: `GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={urn}
&shares=List(…)&ugcPosts=List(…)` → one element per post it keeps (none past 12 months; none for another page's
post, which like a URN in the wrong list is refused with 403 "Unpermitted fields present in PARAMETER"), the page
aggregate without lists; at most 20 URNs (the size we keep to: LinkedIn documents none); `GET /rest/networkSizes/{urn}
?edgeType=COMPANY_FOLLOWED_BY_MEMBER` (the old spelling fails); `GET /rest/organizationalEntityFollowerStatistics`
without a time range → today's follower counts by association, seniority, industry, function, staff count, country
and area, organic and paid, keyed by URNs; `GET /rest/geo?ids=List(…)` names geo URNs. Statistics need the
ADMINISTRATOR role: `statistics_denied` answers 403 ACCESS_DENIED."""

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from tests.fakes.base import Request, Response, route

MAX_URNS = 20
GEO_NAMES = {"105015875": "France", "101165590": "United Kingdom", "106383538": "Greater Paris Metropolitan Region"}
STATISTICS = ("impressionCount", "uniqueImpressionsCount", "clickCount", "likeCount", "commentCount", "shareCount")


def linkedin_error(*args, **kwargs) -> Response:
    """tests.fakes.linkedin's error body (imported here late: that module mixes this one in)."""
    from tests.fakes.linkedin import linkedin_error as error

    return error(*args, **kwargs)


def restli_list(value: str) -> list[str]:
    """`List(a,b)` (already percent-decoded) → ["a", "b"]."""
    inner = value.removeprefix("List(").removesuffix(")")
    return [item for item in inner.split(",") if item]


class LinkedInMetricsFake:
    followers = 0
    statistics_denied = False  # the member is no ADMINISTRATOR of the page
    follower_demographics: dict[str, dict[str, tuple[int, int]]] = {}  # field → {URN: (organic, paid)}

    def set_statistics(self, urn: str, *, impressions=0, clicks=0, likes=0, comments=0, shares=0, days_old=0) -> None:
        """A post's lifetime statistics; `days_old` past 365: LinkedIn no longer keeps them."""
        counts = dict(zip(STATISTICS, (impressions, impressions // 2, clicks, likes, comments, shares), strict=True))
        counts["engagement"] = (clicks + likes + comments + shares) / impressions if impressions else 0.0
        created = datetime.now(UTC) - timedelta(days=days_old)
        self.__dict__.setdefault("statistics", {})[urn] = {"counts": counts, "created": created}

    def _statistics(self, urn: str) -> dict[str, Any] | None:
        kept = self.__dict__.get("statistics", {}).get(urn)
        if kept is None:
            return {"counts": dict.fromkeys(STATISTICS, 0) | {"engagement": 0.0}, "created": datetime.now(UTC)}
        return kept

    def _denied(self, request: Request) -> Response | None:
        entity = request.query.get("organizationalEntity", [""])[0]
        if request.query.get("q") != ["organizationalEntity"] or entity not in self.organizations:
            return linkedin_error(400, "Invalid query parameters passed to request", code="ILLEGAL_ARGUMENT")
        if self.statistics_denied:
            message = f"Not enough permissions to access: organizationalEntityShareStatistics.FINDER ({entity})"
            return linkedin_error(403, message, service_code=100, code="ACCESS_DENIED")
        return None

    @route("GET", "/rest/organizationalEntityShareStatistics")
    def share_statistics(self, request: Request) -> Response:
        if denied := self._denied(request):
            return denied
        entity = request.query["organizationalEntity"][0]
        lists = {name: restli_list(request.query.get(name, [""])[0]) for name in ("shares", "ugcPosts")}
        if sum(len(urns) for urns in lists.values()) > MAX_URNS:
            return linkedin_error(400, f"Too many entities requested (maximum is {MAX_URNS})", code="ILLEGAL_ARGUMENT")
        if not any(lists.values()):
            return Response(200, {"paging": {"count": 10, "start": 0, "links": []}, "elements": [self._page(entity)]})
        own = {p["urn"] for p in self.posts if p["body"]["author"] == entity}
        elements = []
        for name, urns in lists.items():
            for position, urn in enumerate(urns):
                if not urn.startswith(f"urn:li:{name[:-1]}:") or urn not in own:
                    message = (
                        f"Unpermitted fields present in PARAMETER: Data Processing Exception [/{name}[{position}]]"
                    )
                    return linkedin_error(403, message, service_code=100)
                kept = self._statistics(urn)
                if kept["created"] > datetime.now(UTC) - timedelta(days=365):
                    key = name[:-1]
                    elements.append({key: urn, "organizationalEntity": entity, "totalShareStatistics": kept["counts"]})
        return Response(200, {"paging": {"count": 10, "start": 0, "links": []}, "elements": elements})

    def _page(self, entity: str) -> dict[str, Any]:
        kept = [self._statistics(p["urn"])["counts"] for p in self.posts if p["body"]["author"] == entity]
        totals = {name: sum(counts[name] for counts in kept) for name in STATISTICS}
        return {"organizationalEntity": entity, "totalShareStatistics": totals | {"engagement": 0.0}}

    @route("GET", "/rest/networkSizes/(?P<urn>[^/]+)")
    def network_size(self, request: Request, urn: str) -> Response:
        if unquote(urn) not in self.organizations:
            return linkedin_error(404, f"Organization {unquote(urn)} not found", service_code=404)
        if request.query.get("edgeType") != ["COMPANY_FOLLOWED_BY_MEMBER"]:
            return linkedin_error(400, "Invalid value for param edgeType", code="ILLEGAL_ARGUMENT")
        return Response(200, {"firstDegreeSize": self.followers})

    @route("GET", "/rest/organizationalEntityFollowerStatistics")
    def follower_statistics(self, request: Request) -> Response:
        if denied := self._denied(request):
            return denied
        keys = {
            "followerCountsByAssociationType": "associationType",
            "followerCountsBySeniority": "seniority",
            "followerCountsByIndustry": "industry",
            "followerCountsByFunction": "function",
            "followerCountsByStaffCountRange": "staffCountRange",
            "followerCountsByGeoCountry": "geo",
            "followerCountsByGeo": "geo",
        }
        element: dict[str, Any] = {"organizationalEntity": request.query["organizationalEntity"][0]}
        for field, key in keys.items():
            element[field] = [
                {key: bucket, "followerCounts": {"organicFollowerCount": organic, "paidFollowerCount": paid}}
                for bucket, (organic, paid) in self.follower_demographics.get(field, {}).items()
            ]
        return Response(200, {"paging": {"count": 10, "start": 0, "links": []}, "elements": [element]})

    @route("GET", "/rest/geo")
    def geo(self, request: Request) -> Response:
        ids = restli_list(request.query.get("ids", [""])[0])
        results = {
            geo_id: {"id": int(geo_id), "defaultLocalizedName": {"locale": {"country": "US", "language": "en"},
                                                                 "value": GEO_NAMES[geo_id]}}
            for geo_id in ids
            if geo_id in GEO_NAMES
        }  # fmt: skip
        statuses = {geo_id: 200 if geo_id in results else 404 for geo_id in ids}
        return Response(200, {"results": results, "statuses": statuses, "errors": {}})
