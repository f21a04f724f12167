"""Recognising the museum's own status on a server that rewrites what it shows.

After an unknown outcome the adapter looks through the account's statuses for the one an earlier attempt made. The
exact text cannot be the test: servers of the Mastodon API show `@user@domain` as `@user` and render links their
own way (Mastodon hides the scheme in invisible spans, Takahē shortens the link's text). What a server cannot
rewrite is compared instead: the words of the text with links removed and mentions reduced to `@user`, whitespace
collapsed, case folded; and the attached media's alt texts, in order. The creation window is the caller's.
"""

import html
import re

import nh3

URL = re.compile(r"https?://\S+", re.IGNORECASE)
# `@user@domain` and `@user`: only the user part survives every server's rendering.
MENTION = re.compile(r"(?<![=/\w])@(\w+)(?:@[\w.-]+\w)?")
# A link's anchor, unless it is a mention or a hashtag (their text is the user's or the tag's name).
LINK_ANCHOR = re.compile(r"<a\b(?![^>]*\bclass=\"[^\"]*\b(?:mention|hashtag)\b)[^>]*>.*?</a>", re.I | re.S)


def html_to_text(content: str) -> str:
    """A status's HTML as plain text: paragraphs and line breaks kept, every tag dropped, entities decoded."""
    content = re.sub(r"<br\s*/?>", "\n", content or "", flags=re.IGNORECASE)
    content = re.sub(r"</p>\s*<p[^>]*>", "\n\n", content, flags=re.IGNORECASE)
    return html.unescape(nh3.clean(content, tags=set())).strip()


def comparable(text: str) -> str:
    """The words a server keeps: links out, mentions as `@user`, whitespace collapsed, case folded."""
    text = MENTION.sub(lambda match: f"@{match.group(1)}", URL.sub(" ", text))
    return " ".join(text.split()).casefold()


def shown_comparable(content: str) -> str:
    """`comparable` of a status's HTML: link anchors dropped whole (their text is the server's rendering)."""
    return comparable(html_to_text(LINK_ANCHOR.sub(" ", content or "")))


def same_status(status: dict, text: str, alt_texts: list[str]) -> bool:
    """Whether the server's `status` is the one sent with `text` and media described by `alt_texts`."""
    media = [item.get("description") or "" for item in status.get("media_attachments") or []]
    if [" ".join(alt.split()) for alt in media] != [" ".join(alt.split()) for alt in alt_texts]:
        return False
    return shown_comparable(status.get("content", "")) == comparable(text)
