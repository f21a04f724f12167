"""A post as each network will show it: links, hashtags and mentions highlighted, the text cut where it cuts."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# Where a network folds a long text behind "see more" in the feed (characters; the others show it whole).
FOLD_AT = {"instagram": 125, "linkedin": 210, "facebook": 480}
TOKENS = re.compile(r"(https?://[^\s<>\"]+|#\w+|@[\w.]+(?:@[\w.-]+\w)?)")


@register.filter
def preview_text(text: str, network: str) -> SafeString:
    """`text` escaped, its links, hashtags and mentions marked, folded where `network` folds it."""
    fold = FOLD_AT.get(network)
    if fold is None or len(text) <= fold:
        return _marked(text)
    space = text.rfind(" ", 0, fold)
    cut = space if space > fold // 2 else fold  # between two words, unless a word is very long
    return format_html(
        '{head}<details class="preview-fold"><summary>… {more}</summary>{rest}</details>',
        head=_marked(text[:cut]),
        more=_("see more"),
        rest=_marked(text[cut:]),
    )


def _marked(text: str) -> SafeString:
    parts = TOKENS.split(text)
    # split() alternates plain text and tokens: odd positions are the links, hashtags and mentions
    return mark_safe(  # every part goes through format_html
        "".join(
            format_html('<span class="preview-token">{}</span>', part) if index % 2 else format_html("{}", part)
            for index, part in enumerate(parts)
        )
    )
