"""An answer's text as the public page shows it: paragraphs, links, and images that must have alt text.

The format is the least a curator needs to learn: a blank line between paragraphs, bare links, and an image on a
line of its own as `![what the image shows](https://…/image.jpg)`. Everything else is escaped; nh3 re-checks the
result against an allow-list so a mistake here cannot let markup through.
"""

import re

import nh3
from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>https?://[^\s)]+|/[^\s)]+)\)$")
TAGS = {"p", "a", "br", "figure", "img"}
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "loading"}}


def answer_problems(text: str) -> list[str]:
    """What keeps this answer from being published: an image without its description."""
    problems = []
    for line in text.splitlines():
        match = IMAGE.match(line.strip())
        if match and not match["alt"].strip():
            problems.append(_("Each image needs a description of what it shows (alt text): %(src)s") % match)
    if not text.strip():
        problems.append(_("The answer is empty."))
    return problems


def render_answer(text: str) -> SafeString:
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    html = "".join(_block(block) for block in blocks)
    cleaned = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https"}, link_rel="noopener")
    return mark_safe(cleaned)  # nh3 allow-list output, built from escaped text


def _block(block: str) -> str:
    image = IMAGE.match(block)
    if image:
        return f'<figure><img src="{escape(image["src"])}" alt="{escape(image["alt"])}" loading="lazy"></figure>'
    linked = urlize(block, trim_url_limit=60, autoescape=True).replace("\n", "<br>")
    return f"<p>{linked}</p>"


def plain_excerpt(text: str, length: int = 200) -> str:
    """The answer as plain text (images dropped), cut at a word: for previews, feeds and social posts."""
    words = " ".join(re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text).split())
    return words if len(words) <= length else words[: length - 1].rsplit(" ", 1)[0] + "…"
