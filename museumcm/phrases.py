"""Sentences stored as an event and translated when shown, so each reader sees them in their own language.

A phrase is `{"msgid": "%(user)s approved %(week)s.", "params": {"user": "Marc", "week": {...}}}`: the English
msgid (marked with gettext_noop so makemessages keeps it) and its values, which may be phrases themselves. A plain
string is shown as it is (names, file names, rows written before phrases existed).
"""

import re
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

Phrase = dict[str, Any]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def phrase(msgid: str, **params: Any) -> Phrase:
    return {"msgid": msgid, "params": params}


def render(value: Phrase | str | None) -> str:
    """The phrase in the active language; a plain string as it is."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    params = {name: render(v) if isinstance(v, dict) else v for name, v in (value.get("params") or {}).items()}
    text = gettext(value["msgid"])
    return text % params if params else text


def parse(text: str, msgids: Iterable[str], languages: Iterable[str]) -> Phrase | None:
    """Which of `msgids`, in which language, wrote `text`: its phrase, or None. For data migrations of rows that
    stored the sentence already translated; a value that is itself one of the sentences becomes a nested phrase."""
    msgids, languages = list(msgids), list(languages)
    for msgid in msgids:
        for language in languages:
            with translation.override(language):
                translated = gettext(msgid)
            try:
                match = _pattern(translated).fullmatch(text)
            except re.error:  # a placeholder used twice: such a sentence is left as it was written
                continue
            if match:
                params = {name: parse(v, msgids, languages) or v for name, v in match.groupdict().items()}
                return phrase(msgid, **params)
    return None


def _pattern(translated: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(translated)  # text, name, text, name, …, text
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*)" for i, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)
