"""What a Bluesky record carries besides its text: rich-text facets at UTF-8 byte offsets, images with alt text,
and the link card of the first link (mixed into `BlueskyAdapter`, which provides `call`)."""

import re
from typing import Any

from publishing.adapters.base import Rejected, read_file
from publishing.linkcard import linkcard_fetch

# Facets: URLs with a scheme, @handle.domain mentions, #hashtags (not inside a URL: URLs are matched first).
LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\"().,;:!?'\u2019]")
MENTION = re.compile(r"(?<![\w@])@([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]+)+)")
TAG = re.compile(r"(?<![\w&#])#(\w*[^\W\d_]\w*)")


class BlueskyRecords:
    def _embed(self, text: str, media: list) -> dict[str, Any] | None:
        """The images, or else a card for the first link (title, description, thumbnail), as the official app
        makes it: a bare URL is all Bluesky shows otherwise. A record has one embed."""
        images = [self._image(item) for item in media if item.kind == "image"]
        if images:
            return {"$type": "app.bsky.embed.images", "images": images}
        link = LINK.search(text)
        card = linkcard_fetch(link[0]) if link else None
        if card is None:
            return None
        external: dict[str, Any] = {"uri": card.url, "title": card.title, "description": card.description}
        if card.image:
            upload = self.call(
                "POST", "/xrpc/com.atproto.repo.uploadBlob", data=card.image, headers={"Content-Type": card.image_type}
            )
            external["thumb"] = self.json(upload)["blob"]
        return {"$type": "app.bsky.embed.external", "external": external}

    def _image(self, item) -> dict[str, Any]:
        response = self.call(
            "POST",
            "/xrpc/com.atproto.repo.uploadBlob",
            data=read_file(item),
            headers={"Content-Type": item.content_type},
        )
        image = {"image": self.json(response)["blob"], "alt": item.alt_text}
        if item.width and item.height:
            image["aspectRatio"] = {"width": item.width, "height": item.height}
        return image

    def facets(self, text: str) -> list[dict[str, Any]]:
        """Links, mentions and hashtags as rich-text facets, at UTF-8 byte offsets."""
        facets, taken = [], []
        for match in LINK.finditer(text):
            taken.append(match.span())
            facets.append(self._facet(text, match.span(), {"$type": "app.bsky.richtext.facet#link", "uri": match[0]}))
        for match in MENTION.finditer(text):
            if (did := self._resolve(match[1])) and not _inside(match.span(), taken):
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
                facets.append(self._facet(text, match.span(), feature))
        for match in TAG.finditer(text):
            if not _inside(match.span(), taken):
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": match[1]}
                facets.append(self._facet(text, match.span(), feature))
        return sorted(facets, key=lambda facet: facet["index"]["byteStart"])

    @staticmethod
    def _facet(text: str, span: tuple[int, int], feature: dict[str, Any]) -> dict[str, Any]:
        start, end = (len(text[:position].encode()) for position in span)
        return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}

    def _resolve(self, handle: str) -> str | None:
        try:
            response = self.call("GET", "/xrpc/com.atproto.identity.resolveHandle", params={"handle": handle})
            return self.json(response).get("did")
        except Rejected:
            return None  # not a Bluesky handle: left as plain text


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in taken)
