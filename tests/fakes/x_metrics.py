"""The metrics of the X fake (mixed into FakeX), as ../shared/networks/x.md "Metrics" describes: `GET /2/tweets`
(≤ 100 ids) gives `public_metrics` to any token, and `non_public_metrics`/`organic_metrics` only for the token user's
own posts younger than 30 days; otherwise the post is left out of `data` with a "Field Authorization Error"
(not-authorized-for-field) in `errors`, and the client asks again with `public_metrics` only. The wire says
`retweet_count`/`tweet_count` (the OpenAPI spec `repost_count`/`post_count`). `GET /2/users/me?user.fields=
public_metrics` gives the account's counts."""

PRIVATE_FIELDS = ("non_public_metrics", "organic_metrics")


class XMetricsFake:
    def set_counts(
        self,
        tweet_id: str,
        *,
        impressions=0,
        likes=0,
        retweets=0,
        replies=0,
        quotes=0,
        bookmarks=0,
        link_clicks=0,
        old: bool = False,
    ) -> None:
        """The tweet's counts now; `old`: posted more than 30 days ago (no private metrics any more)."""
        if "tweet_counts" not in self.__dict__:
            self.tweet_counts = {}
        self.tweet_counts[tweet_id] = {
            "public": {
                "retweet_count": retweets,
                "reply_count": replies,
                "like_count": likes,
                "quote_count": quotes,
                "bookmark_count": bookmarks,
                "impression_count": impressions,
            },
            "private": {"impression_count": impressions, "url_link_clicks": link_clicks, "user_profile_clicks": 0},
            "old": old,
        }

    def set_followers(self, followers: int, following: int = 10, tweets: int = 100) -> None:
        self.user_counts = {
            "followers_count": followers,
            "following_count": following,
            "tweet_count": tweets,
            "listed_count": 3,
        }

    def metric_fields(self, tweet: dict, request) -> tuple[dict, dict | None]:
        """What `tweet.fields` asks of this tweet's metrics: the fields, or the error that leaves the tweet out."""
        asked = set(request.query.get("tweet.fields", [""])[0].split(","))
        counts = self.__dict__.get("tweet_counts", {}).get(tweet["id"])
        if counts is None:
            counts = {
                "public": dict.fromkeys(
                    ("retweet_count", "reply_count", "like_count", "quote_count", "bookmark_count", "impression_count"),
                    0,
                ),
                "private": {"impression_count": 0, "url_link_clicks": 0, "user_profile_clicks": 0},
                "old": False,
            }
        fields = {"public_metrics": counts["public"]} if "public_metrics" in asked else {}
        private = asked & set(PRIVATE_FIELDS)
        if private and (counts["old"] or tweet["author_id"] != self.user["id"]):
            field = sorted(private)[0]
            return {}, {
                "title": "Field Authorization Error",
                "detail": f"Sorry, you are not authorized to access '{field}' on the Tweet with ids: {tweet['id']}.",
                "type": "https://api.twitter.com/2/problems/not-authorized-for-field",
                "field": field,
                "resource_type": "tweet",
                "resource_id": tweet["id"],
                "section": "data",
                "value": tweet["id"],
            }
        for name in private:
            fields[name] = (
                dict(counts["private"])
                if name == "non_public_metrics"
                else {k: counts["public"][k] for k in ("like_count", "reply_count", "retweet_count")}
                | {
                    "impression_count": counts["private"]["impression_count"],
                    "url_link_clicks": counts["private"]["url_link_clicks"],
                }
            )
        return fields, None

    def user_fields(self, request) -> dict:
        asked = set(request.query.get("user.fields", [""])[0].split(","))
        counts = self.__dict__.get("user_counts") or {"followers_count": 0, "following_count": 0, "tweet_count": 0}
        return {"public_metrics": counts} if "public_metrics" in asked else {}
