"""The browser's code and token rules (web/widgetkit.js) are the same as web/codes.py's."""

from __future__ import annotations

import re

from rdlearn.web import assets, codes


def _js_constant(text: str, name: str) -> str:
    match = re.search(rf"export const {name} = (.+?);\n", text)
    assert match, f"widgetkit.js defines no {name}"
    return match.group(1)


def test_widgetkit_code_alphabet_and_token_pattern_equal_codes_py():
    text = assets.path("widgetkit.js").read_text(encoding="utf-8")
    assert _js_constant(text, "CODE_ALPHABET") == f'"{codes.CODE_ALPHABET}"'
    assert _js_constant(text, "TOKEN_PATTERN") == f"/^{codes.TOKEN_PATTERN}$/"


def test_the_room_and_the_connection_exercise_take_the_kits_rules():
    for name in ("room_link.js", "connection.js"):
        text = assets.path(name).read_text(encoding="utf-8")
        assert 'from "./widgetkit.js"' in text
        assert "function newToken" not in text and "ABCDEFGH" not in text
