"""What publishing needs of a post, declared here and provided by the app that owns posts (editorial/content.py).

An adapter needs three things of a post beyond its publication's own text: the post's link, whether it has media,
and its media in order (each with kind, content type, size, alt text, dimensions and a readable file: `MediaInfo`'s
fields and `file`). Publishing reads them through the registered source and never names another app's models,
tables or columns; the editorial calendar registers its source from its AppConfig.ready(), as an upper app plugs an
adapter into the adapters' registry.
"""

from typing import Any, Protocol


class ContentSource(Protocol):
    """The worker reads a post's content inside its own statement (publishing/sql.py), so a source gives SQL."""

    def join(self, post_id: str, alias: str) -> str:
        """A JOIN clause bringing the post whose id is the SQL expression `post_id` in as `alias`."""

    def columns(self, alias: str) -> dict[str, str]:
        """What `post()` needs, as name → SQL expression over `alias`."""

    def has_media(self, post_id: str) -> str:
        """An SQL boolean: whether the post whose id is `post_id` has media."""

    def post(self, values: dict[str, Any]) -> Any:
        """The post as adapters read it (`.pk`, `.link`) from the values of `columns()`."""

    def media(self, post_id: int) -> list:
        """The post's media in order (each with MediaInfo's fields and `file`)."""


_sources: list[ContentSource] = []


def provide(source: ContentSource) -> None:
    """Register the source of posts' content (the editorial calendar, from its AppConfig.ready())."""
    _sources[:] = [source]


def source() -> ContentSource:
    if not _sources:
        raise LookupError("No app provides posts' content: is the editorial calendar installed?")
    return _sources[0]
