"""Threads: a post published in several parts, each answering the one before.

The team writes the parts in one text, separated by a line holding only `---` (the editor says so). Each part is
validated on its own, the post's media and link go with the first part, and networks without threads refuse a text
of several parts with a reason instead of publishing it as one.
"""

import re

from django.utils.translation import gettext

PART_BREAK = re.compile(r"^[ \t]*---[ \t]*\r?$", re.MULTILINE)  # a form sends its lines ended by \r\n


def split_parts(text: str) -> list[str]:
    """The parts of a text, in order (empty parts dropped); a text without a break is one part."""
    parts = [part.strip() for part in PART_BREAK.split(text or "")]
    return [part for part in parts if part] or [(text or "").strip()]


def thread_problems(adapter, parts: list[str], media: list, link: str = "") -> list:
    """What `Adapter.validate` finds in a text of several parts: a refusal where the network has no threads, else
    each part's own problems (named by its number), the media and the link counted with the first part."""
    from publishing.adapters.base import Problem, compose_text
    from publishing.adapters.text import hashtag_problems

    if not adapter.can_thread:
        message = gettext("%(network)s has no threads: write this post as one part (without the --- lines).")
        return [Problem(message % {"network": adapter.network_name}, code="no_threads")]
    limits = adapter.limits()
    problems = list(adapter.media_problems(media, limits))
    for number, part in enumerate(parts, start=1):
        text = compose_text(part, link) if number == 1 else part
        for problem in adapter.text_problems(text, limits, media if number == 1 else None):
            message = gettext("Part %(number)s: %(problem)s") % {"number": number, "problem": problem.message}
            problems.append(Problem(message, problem.level, problem.code))
    return [*problems, *hashtag_problems("\n".join(parts))]


def part_texts(text: str, link: str = "") -> list[str]:
    """The texts as sent: the post's link at the end of the first part, unless the text carries it already."""
    from publishing.adapters.base import compose_text

    parts = split_parts(text)
    if link and link in text:
        return parts
    return [compose_text(parts[0], link), *parts[1:]]
