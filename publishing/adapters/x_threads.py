"""X threads: each part a tweet answering the one before (mixed into `XAdapter`).

X has no idempotency key. Each part's tweet id is stored on the publication as soon as X gives it (`parts`), so a
retry starts after the last part known; a part whose answer may have been lost (the worker died, the connection
dropped) is first looked for among the account's tweets (same text, answering the part before) and sent only if
it is not there. No part goes out twice and none is lost.
"""

from datetime import UTC
from typing import Any

from publishing.adapters.base import PublishResult, first_sent_at


class XThreads:
    def publish_thread(self, publication, texts: list[str], media: list) -> PublishResult:
        ids = list(publication.extra.get("parts") or [])
        for number in range(len(ids), len(texts)):
            parent = ids[-1] if ids else None
            maybe_sent = bool(ids) or publication.must_check
            found = self._find_part(publication, texts[number], parent) if maybe_sent else None
            if found is None:
                payload: dict[str, Any] = {"text": texts[number]}
                if number == 0 and media:
                    payload["media"] = {"media_ids": [self._upload(item) for item in media]}
                if parent:
                    payload["reply"] = {"in_reply_to_tweet_id": parent}
                found = self._tweet(payload).external_id
            ids.append(found)
            _store_parts(publication, ids)
        return PublishResult(ids[0], self.tweet_url(ids[0]), {"parts": ids})

    def thread_found(self, publication, count: int) -> PublishResult | None:
        """The thread once every part's tweet is known; None while one may still be missing (`publish` finishes)."""
        ids = publication.extra.get("parts") or []
        return PublishResult(ids[0], self.tweet_url(ids[0]), {"parts": ids}) if len(ids) == count else None

    def _find_part(self, publication, text: str, parent: str | None) -> str | None:
        """The id of the account's tweet with this text answering `parent` (None: not a reply), sent since the
        publication's first attempt."""
        from publishing.adapters.x import PAGE_SIZE, comparable

        params: dict[str, Any] = {"max_results": PAGE_SIZE, "tweet.fields": "created_at,referenced_tweets"}
        if since := first_sent_at(publication):
            params["start_time"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        response = self.call("GET", f"/2/users/{self.user_id()}/tweets", params=params)
        wanted = comparable(text)
        for tweet in self.json(response).get("data") or []:
            references = tweet.get("referenced_tweets") or []
            answered = next((str(r.get("id")) for r in references if r.get("type") == "replied_to"), None)
            if comparable(tweet.get("text", "")) == wanted and answered == parent:
                return str(tweet["id"])
        return None


def _store_parts(publication, ids: list[str]) -> None:
    """Each part's id as soon as X gives it: the next attempt starts after it."""
    from publishing.models import Publication

    publication.extra = {**publication.extra, "parts": list(ids)}
    Publication.objects.filter(pk=publication.pk).update(extra=publication.extra)
