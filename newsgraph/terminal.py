"""Text on its way to a terminal: untrusted strings (titles, file names, article text, engine and
server messages) with every control, escape and bidirectional-override character made harmless, so
that none clears the screen, retitles the window, moves the cursor or forges a line."""

from __future__ import annotations

import re

# C0 controls and DEL, C1 controls (0x9b alone starts an escape sequence on many terminals),
# Unicode line and paragraph separators, and the bidirectional overrides and isolates that reorder
# what is shown.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BLANK = "\t\n\r\x0b\x0c\u2028\u2029"


def printable(text: object) -> str:
    """`text` as it may be printed: white space controls (newline, tab, carriage return) become a
    space, every other unsafe character a visible escape (ESC is shown as \\x1b)."""
    return _UNSAFE.sub(_visible, str(text))


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _BLANK:
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# What json.dumps(ensure_ascii=False) leaves raw of _UNSAFE (it escapes C0 controls itself).
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with every character unsafe on a terminal written as a \\u escape: the same JSON
    value, so machine output stays exact."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
