"""Names that come from outside (authors on the networks, the public site) shown as what they are.

A right-to-left override makes `‮gpj.exe` read `exe.jpg` and can make a name pass for another one; zero-width
characters make two different names look the same. Shown, these characters are not obeyed: each is replaced by
its code point (`[U+202E]`). A zero-width joiner inside an emoji sequence (👨‍👩‍👧) is how that emoji is written,
so it stays.
"""

import unicodedata

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_ZWJ = "\u200d"
_SUSPECTS = _BIDI_CONTROLS | _INVISIBLE


def visible_controls(text: str) -> str:
    """`text` with its bidirectional controls and invisible characters written out as code points."""
    if not text or _SUSPECTS.isdisjoint(text):  # the usual case, without a look at each character
        return text
    return "".join(f"[U+{ord(char):04X}]" if _hidden(text, position) else char for position, char in enumerate(text))


def _hidden(text: str, position: int) -> bool:
    char = text[position]
    if char in _BIDI_CONTROLS:
        return True
    if char not in _INVISIBLE:
        return False
    return not (
        char == _ZWJ and 0 < position < len(text) - 1 and _emoji(text[position - 1]) and _emoji(text[position + 1])
    )


def _emoji(char: str) -> bool:
    return unicodedata.category(char) in {"So", "Sk"} or char == "\ufe0f"
