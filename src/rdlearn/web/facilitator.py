"""The facilitator key: one check for every facilitator action.

``rdlearn serve`` prints a key and hands it to its kernels in the environment variable
:data:`KEY_VARIABLE`. The console, the facilitator notes and the keynote's reveal all ask
:func:`key_matches` before they act, every time.

In a room served behind a login that knows the room's facilitators (the JupyterHub recipe
sets :data:`LOGIN_VARIABLE` for the room's server and kernels), the console's browser code
asks the server for the key instead of the facilitator typing it; the server answers only
the facilitators (``rdlearn.serve.login``), and the kernel checks the key it gets here, like
a typed one.

>>> key_matches(" k3y ", {KEY_VARIABLE: "k3y"}), key_matches("k3y", {})
(True, False)
>>> key_matches(None, {KEY_VARIABLE: "k3y"})
False
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["KEY_VARIABLE", "LOGIN_VARIABLE", "behind_login", "expected_key", "key_matches"]

KEY_VARIABLE = "RDLEARN_FACILITATOR_KEY"
#: ``"1"`` when the room is served behind a hub login (never on the laptop).
LOGIN_VARIABLE = "RDLEARN_HUB_LOGIN"


def behind_login(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this room is served behind a login whose facilitators may ask for the key.

    >>> behind_login({LOGIN_VARIABLE: "1"}), behind_login({}), behind_login({LOGIN_VARIABLE: "0"})
    (True, False, False)
    """
    return (os.environ if environ is None else environ).get(LOGIN_VARIABLE) == "1"


def expected_key(environ: Mapping[str, str] | None = None) -> str:
    """The key this server expects, or ``""`` when none is set (then nothing unlocks)."""
    return ((os.environ if environ is None else environ).get(KEY_VARIABLE) or "").strip()


def key_matches(typed: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``typed`` is the server's key (surrounding spaces ignored, constant time)."""
    expected = expected_key(environ)
    if not expected or not isinstance(typed, str):
        return False
    return hmac.compare_digest(typed.strip().encode(), expected.encode())
