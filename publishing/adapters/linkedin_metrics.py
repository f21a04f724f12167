"""How a LinkedIn organisation counts (../shared/networks/linkedin.md, "Metrics"): per post, the organisation's share
statistics (impressions, clicks, likes, comments, shares), 20 URNs a call, each in the list of its type (`shares` or
`ugcPosts`: the wrong list is refused); a post past the 12 months LinkedIn keeps has no element and is left out. The
live counters (`socialMetadata`) run ahead of the statistics, and the two families are never mixed: only the
statistics are read. LinkedIn's clicks count clicks on the post, the organisation's name or logo: the nearest it has
to link clicks. No quotes, saves or video views (museumcm posts no video there): absent, never 0.

The organisation gives its followers (`networkSizes`), no following or post count, and an audience of followers by
country and by area (`…ByGeoCountry`, `…ByGeo`: a metropolitan area or region, stored as the city), as geo URNs
resolved to names (`/rest/geo`). LinkedIn documents no minimum below which it withholds a group, so a missing country
or area is "not given" like elsewhere. No age or gender for organisations."""

from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole

BATCH = 20  # URNs per statistics call: the maximum is not documented (keep ≤ 20)
LISTS = {"share": "shares", "ugcPost": "ugcPosts"}  # a post URN's type → the statistics parameter that takes it
AREAS = {"country": "followerCountsByGeoCountry", "city": "followerCountsByGeo"}


def restli_list(values: list[str]) -> str:
    """Rest.li 2.0's `List(a,b)`: each value encoded, the brackets and commas left as they are."""
    return "List(" + ",".join(quote(v, safe="") for v in values) + ")"


class LinkedInMetrics:
    """Mixed into LinkedInAdapter (`author` is the organisation's URN)."""

    metrics_batch = BATCH
    post_figures = frozenset({"views", "likes", "reposts", "replies", "link_clicks"})
    audience_note = _(
        "LinkedIn gives an organisation's followers by country and by area. It documents no minimum: a small group may "
        "be left out without notice."
    )

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        by_list: dict[str, list[str]] = {}
        for publication in publications:
            kind = publication.external_id.split(":")[2] if publication.external_id.count(":") >= 3 else ""
            if kind in LISTS:  # anything else (an activity URN) has no statistics: left out
                by_list.setdefault(LISTS[kind], []).append(publication.external_id)
        if not by_list:
            return {}
        query = "&".join(f"{name}={restli_list(urns)}" for name, urns in by_list.items())
        path = (
            f"/rest/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={quote(self.author, safe='')}&{query}"
        )
        asked = {urn for urns in by_list.values() for urn in urns}
        found = {}
        for element in self.json(self.request("GET", path)).get("elements") or []:
            urn = str(element.get("share") or element.get("ugcPost") or "")
            if urn in asked:
                found[urn] = _post_metrics(urn, element.get("totalShareStatistics") or {})
        return found

    def fetch_account_metrics(self) -> AccountMetrics:
        urn = quote(self.author, safe="")
        size = self.json(self.request("GET", f"/rest/networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER"))
        return AccountMetrics(followers=whole(size.get("firstDegreeSize")), audience=self._audience(urn))

    def _audience(self, urn: str) -> dict[str, dict[str, int]]:
        """The follower statistics without a time range: today's counts by country and area, organic and paid."""
        path = f"/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity={urn}"
        elements = self.json(self.request("GET", path)).get("elements") or [{}]
        counted = {
            dimension: {
                str(row.get("geo")): value
                for row in elements[0].get(field) or []
                if row.get("geo") and (value := whole(row.get("followerCounts"))) is not None
            }
            for dimension, field in AREAS.items()
        }
        names = self._geo_names({geo for buckets in counted.values() for geo in buckets})
        return {
            dimension: {names.get(geo, geo): value for geo, value in buckets.items()}
            for dimension, buckets in counted.items()
            if buckets
        }

    def _geo_names(self, urns: set[str]) -> dict[str, str]:
        """Geo URNs → their names, in one batch call; a URN LinkedIn does not name stays as it is."""
        ids = sorted(urn.rsplit(":", 1)[-1] for urn in urns)
        if not ids:
            return {}
        results = self.json(self.request("GET", f"/rest/geo?ids=List({','.join(ids)})")).get("results") or {}
        return {
            f"urn:li:geo:{geo_id}": str(name)
            for geo_id, geo in results.items()
            if (name := ((geo or {}).get("defaultLocalizedName") or {}).get("value"))
        }


def _post_metrics(urn: str, counts: dict) -> PostMetrics:
    return PostMetrics(
        external_id=urn,
        views=whole(counts.get("impressionCount")),
        likes=whole(counts.get("likeCount")),
        reposts=whole(counts.get("shareCount")),
        replies=whole(counts.get("commentCount")),
        link_clicks=whole(counts.get("clickCount")),
    )
