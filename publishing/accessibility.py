"""The one rule of alt text, for the editors' forms, the post's validation and every adapter: each image is described.

A module of its own, free of models and adapters, so that models and forms of any app can ask it.
"""

from publishing.vocabulary import MediaKind


def lacks_alt_text(kind: str, alt_text: str | None) -> bool:
    """An image without a description (blank counts as none); videos carry their own captions."""
    return kind == MediaKind.IMAGE and not (alt_text or "").strip()
