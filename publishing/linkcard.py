"""Link cards: a linked page's title, description and image, as the networks' own apps show a link.

A post's link is typed by a person, so every fetch goes through the outbound policy (`publishing.outbound`: public
addresses only, sizes and time capped). A page that cannot be read gives no card, never a failed post.
"""

import logging
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from publishing import outbound

logger = logging.getLogger("museumcm.linkcard")

MAX_PAGE_BYTES = 1_000_000
MAX_IMAGE_BYTES = 1_000_000  # Bluesky's limit for a card's thumbnail
SECONDS = 10.0
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


@dataclass(frozen=True)
class LinkCard:
    url: str
    title: str
    description: str = ""
    image: bytes = b""
    image_type: str = ""


def linkcard_fetch(url: str) -> LinkCard | None:
    """The card of the page at `url` (Open Graph tags first, then `<title>` and the meta description), with its
    image when it is one the networks accept; None when the page cannot be read or says nothing."""
    page = _fetch(url, MAX_PAGE_BYTES)
    if page is None or "html" not in page.headers.get("Content-Type", ""):
        return None
    meta = _head(page.text)
    title = meta.get("og:title") or meta.get("twitter:title") or meta.get("title", "")
    description = meta.get("og:description") or meta.get("twitter:description") or meta.get("description", "")
    image_url = meta.get("og:image") or meta.get("twitter:image")
    image = _fetch(urljoin(page.url, image_url), MAX_IMAGE_BYTES) if image_url else None
    image_type = image.headers.get("Content-Type", "").split(";")[0].strip() if image is not None else ""
    if not (title or description):
        return None
    if image_type not in IMAGE_TYPES:
        image, image_type = None, ""
    return LinkCard(url, title.strip()[:300], description.strip()[:1000], image.content if image else b"", image_type)


def _fetch(url: str, max_bytes: int) -> requests.Response | None:
    """The one call out of this module, under the outbound policy; None (logged) when refused or unread."""
    try:
        response = outbound.get(url, max_bytes=max_bytes, seconds=SECONDS, headers={"Accept": "text/html,image/*"})
    except (outbound.OutboundRefused, requests.RequestException) as error:
        logger.info("link card: %s not read (%s)", url, type(error).__name__)
        return None
    return response if response.status_code == 200 else None


class _Head(HTMLParser):
    """The `<meta>` tags and the `<title>` of a page's head."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta":
            name = (values.get("property") or values.get("name") or "").lower()
            if name and values.get("content") and name not in self.meta:
                self.meta[name] = values["content"]
        self.in_title = tag == "title"
        self.done = self.done or tag == "body"

    def handle_endtag(self, tag):
        self.in_title = False
        self.done = self.done or tag == "head"

    def handle_data(self, data):
        if self.in_title and not self.done:
            self.meta["title"] = self.meta.get("title", "") + data


def _head(html: str) -> dict[str, str]:
    parser = _Head()
    for start in range(0, len(html), 8192):  # stop at the end of the head: the body is not read
        parser.feed(html[start : start + 8192])
        if parser.done:
            break
    return parser.meta
