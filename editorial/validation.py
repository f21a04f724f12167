"""Per-network checks of a post, for the live form and for the server-side gate before review.

The adapters count text the network's way and check media, alt text and hashtags; a network without an adapter
still gets the shared checks (alt text, CamelCase hashtags for screen readers).
"""

from dataclasses import dataclass, field

import requests
from django.utils.translation import gettext as _

from publishing.adapters import ADAPTERS, get_adapter
from publishing.adapters.base import AdapterError, MediaInfo, Problem, compose_text, missing_alt_problems
from publishing.adapters.text import hashtag_problems
from publishing.parts import part_texts
from publishing.vocabulary import ProblemLevel


@dataclass
class TargetCheck:
    account: object
    text: str
    problems: list[Problem] = field(default_factory=list)
    length: int | None = None  # counted the network's way, the post's link included
    max_chars: int | None = None
    link_cost: int | None = None  # what the link added at the end of the text counts, when there is one
    parts: list[str] = field(default_factory=list)  # a thread's parts as sent (publishing.parts); empty for one part

    @property
    def remaining(self) -> int | None:
        return None if self.max_chars is None or self.length is None else self.max_chars - self.length

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ProblemLevel.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != "error"]


def shared_problems(text: str, media: list[MediaInfo]) -> list[Problem]:
    """What holds on every network, its limits known or not: each image described, hashtags readable aloud."""
    return [*missing_alt_problems(media), *hashtag_problems(text)]


def check_target(account, text: str, media: list[MediaInfo], link: str = "") -> TargetCheck:
    """Everything wrong with this text on this account's network; errors block review."""
    if account.network not in ADAPTERS:
        problems = [Problem(_("This network cannot check texts yet."), "warning", "no_validator")]
        return TargetCheck(account, text, [*problems, *shared_problems(text, media)])
    adapter = get_adapter(account)
    full = compose_text(text, link)
    try:
        problems = adapter.validate(text, media, link)
        length, max_chars = adapter.count(full), adapter.limits().max_chars
        link_cost = length - adapter.count(text.strip()) if full != text.strip() else None
        if len(parts := part_texts(text, link)) > 1:  # a thread: the counter follows its longest part
            length, link_cost = max(adapter.count(part) for part in parts), None
    except (AdapterError, requests.RequestException):
        # The network's limits could not be read (a misconfigured account): say so, never break the editor.
        problems = [
            Problem(_("The limits of this network could not be read; check the account."), "warning", "no_limits"),
            *shared_problems(text, media),
        ]
        length = max_chars = link_cost = None
    check = TargetCheck(account, text, problems, length=length, max_chars=max_chars, link_cost=link_cost)
    check.parts = parts if len(parts := part_texts(text, link)) > 1 else []
    return check
