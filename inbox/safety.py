"""Untrusted text from the networks made safe to show: everything escaped, only http(s) links become anchors.

Django's `urlize` escapes and links; nh3 then re-parses the result with an allow-list (only `a` and `br`, only
http/https targets, rel forced to "nofollow noopener"), so even a mistake upstream cannot let markup through.
"""

import nh3
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
REL = "nofollow noopener"


def linkify(text: str) -> SafeString:
    linked = urlize(text or "", trim_url_limit=60, nofollow=False, autoescape=True).replace("\n", "<br>")
    cleaned = nh3.clean(
        linked, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"}, link_rel=REL
    )
    return mark_safe(cleaned)  # nh3 allow-list output, built from escaped text
