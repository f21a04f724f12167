"""Threads on networks without client-chosen ids (X, Mastodon): part by part, each answering the one before.

Each part's id (and link) is stored on the publication as soon as the network gives it (`parts`), so a retry starts
after the last part known. A part whose answer may have been lost (the worker died, the connection dropped) is first
looked for on the account (`find_part`: the same text, answering the part before) and sent only if it is not there:
no part goes out twice and none is lost. The adapter provides `find_part` and `send_part`.

A post that continues a live session's thread (publishing.live) is a thread whose first part answers the session's
previous post on the account.
"""

from publishing.adapters.base import PublishResult


class PartByPart:
    def find_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult | None:
        raise NotImplementedError

    def send_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult:
        raise NotImplementedError

    def publish_thread(self, publication, texts: list[str], media: list) -> PublishResult:
        from publishing.live import chain_parent

        parts = list(publication.extra.get("parts") or [])
        for number in range(len(parts), len(texts)):
            parent = parts[-1]["id"] if parts else chain_parent(publication)
            maybe_sent = bool(parts) or publication.must_check
            found = self.find_part(publication, number, texts[number], parent, media) if maybe_sent else None
            result = found or self.send_part(publication, number, texts[number], parent, media)
            parts.append({"id": result.external_id, "url": result.url})
            _store_parts(publication, parts)
        return _head(parts)

    def thread_found(self, publication, count: int) -> PublishResult | None:
        """The thread once every part is known; None while one may still be missing (`publish` finishes it)."""
        parts = publication.extra.get("parts") or []
        return _head(parts) if len(parts) == count else None


def _head(parts: list[dict]) -> PublishResult:
    """The first part stands for the post (its link, its replies); the others are listed in `parts`."""
    return PublishResult(parts[0]["id"], parts[0]["url"], {"parts": parts})


def _store_parts(publication, parts: list[dict]) -> None:
    """Each part as soon as the network gives it: the next attempt starts after it."""
    from publishing.models import Publication

    publication.extra = {**publication.extra, "parts": list(parts)}
    Publication.objects.filter(pk=publication.pk).update(extra=publication.extra)
