"""Codes people read aloud and tokens browsers keep: one alphabet, one token rule.

A workshop code (``RD7K3Q``) and a pair code are typed by people from a screen, so they use
an alphabet without the look-alikes 0/O and 1/I. A browser token is a random string the
browser keeps to stop double votes; it identifies nobody. The browser side of both rules is
in ``web/widgetkit.js``, whose constants a test compares with these.

>>> len(new_code()) == 6 and set(new_code()) <= set(CODE_ALPHABET)
True
>>> normalise_token("x" * 16), normalise_token("<script>")
('xxxxxxxxxxxxxxxx', None)
"""

from __future__ import annotations

import re
import secrets
from typing import Any

__all__ = ["CODE_ALPHABET", "TOKEN_PATTERN", "new_code", "new_token", "normalise_token"]

#: Letters and digits that cannot be mistaken for one another when read aloud.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: What a browser token looks like: 16 to 64 letters, digits, ``-`` or ``_``.
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,64}"


def new_code(length: int = 6) -> str:
    """A fresh random code that is easy to read aloud and type (for example ``RD7K3Q``)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_token() -> str:
    """A fresh browser token (32 hexadecimal digits), as ``widgetkit.js`` makes them."""
    return secrets.token_hex(16)


def normalise_token(value: Any) -> str | None:
    """A browser's anonymous token if it looks like one, else ``None``."""
    if isinstance(value, str) and re.fullmatch(TOKEN_PATTERN, value):
        return value
    return None
