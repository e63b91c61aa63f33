"""What reaches a terminal: control, escape and bidirectional-override characters made harmless."""

from __future__ import annotations

import json

import pytest

from newsgraph.terminal import json_safe, printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2Jclear", "\\x1b[2Jclear"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x9b31mred", "\\x9b31mred"),  # C1 CSI: an escape sequence without ESC
        ("a\nnewsgraph: error: forged", "a newsgraph: error: forged"),
        ("over\rwrite\tme", "over write me"),
        ("\u202eevil", "\\u202eevil"),
        ("back\x08space\x7f", "back\\x08space\\x7f"),
        ("Café — «ok» 東京", "Café — «ok» 東京"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown


def test_json_safe_is_the_same_json_value():
    value = {"title": "\x1b[2J\x9b31m\u202e\u2028 Café"}
    text = json_safe(json.dumps(value, ensure_ascii=False))
    assert json.loads(text) == value
    assert not any(ch in text for ch in "\x1b\x9b\u202e\u2028") and "Café" in text
