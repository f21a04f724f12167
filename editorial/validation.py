"""Per-network checks of a post, for the live form and for the server-side gate before review.

The adapters count text the network's way; the rules every network shares (alt text, CamelCase hashtags for
screen readers) are added here once.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from publishing.adapters import ADAPTERS, get_adapter
from publishing.adapters.base import MediaInfo, Problem

HASHTAG = re.compile(r"(?<!\w)#(\w{2,})")
# A lowercase run this long with no capital is most likely several words glued together (#jourdefermeture).
_GLUED = re.compile(r"[a-zà-ÿ]{9,}")


@dataclass
class TargetCheck:
    account: object
    text: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != "error"]


def hashtag_warnings(text: str) -> list[Problem]:
    return [
        Problem(
            _("#%(tag)s: write hashtags of several words in CamelCase (#JourDeFermeture) so screen readers say them.")
            % {"tag": tag},
            "warning",
            "hashtag_camelcase",
        )
        for tag in dict.fromkeys(HASHTAG.findall(text))
        if tag.islower() and _GLUED.search(tag)
    ]


def alt_text_errors(media: list[MediaInfo]) -> list[Problem]:
    missing = sum(1 for m in media if m.kind == "image" and not m.alt_text.strip())
    if not missing:
        return []
    return [Problem(_("%(n)s image(s) without alt text: describe every image.") % {"n": missing}, "error", "alt_text")]


def check_target(account, text: str, media: list[MediaInfo], link: str = "") -> TargetCheck:
    """Everything wrong with this text on this account's network; errors block review."""
    problems: list[Problem] = []
    if account.network in ADAPTERS:
        problems += get_adapter(account).validate(text, media, link)
    else:
        problems.append(Problem(_("This network cannot check texts yet."), "warning", "no_validator"))
    codes = {p.code for p in problems}
    problems += [p for p in alt_text_errors(media) if p.code not in codes]
    problems += hashtag_warnings(text)
    return TargetCheck(account=account, text=text, problems=problems)


def media_infos(media) -> list[MediaInfo]:
    return [
        MediaInfo(
            kind=m.kind, content_type=m.content_type, size=m.size, alt_text=m.alt_text, width=m.width, height=m.height
        )
        for m in media
    ]
