"""What the self-check and quiz widgets share: saving, messages, and guarded selections."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

import ipywidgets as widgets
import traitlets

from rdlearn.web.html import tag


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _make_store(key: str):
    from rdlearn.journal.reflection import BrowserStore

    return BrowserStore(key)


def _css_name(*parts: str | None) -> str:
    return "-".join(["rd-sc", *(p for p in parts if p)])


def _message_html(text: str) -> str:
    return tag("p", text, class_="rd-error", role="alert") if text else ""


def _status_html(text: str) -> str:
    return tag("p", text, class_="rd-status", role="status") if text else ""


# --------------------------------------------------------------------------- guarded controls


class _Guarded:
    """A selection widget that refuses a bad value from the browser instead of failing.

    ipywidgets checks an incoming index against the options and raises; here the error
    is turned into a visible message (through ``on_refused``) and the browser is sent the
    kernel's current value again.
    """

    on_refused: Callable[[str], None] | None = None

    def set_state(self, sync_data: dict) -> None:
        try:
            super().set_state(sync_data)  # type: ignore[misc]
        except (traitlets.TraitError, TypeError, ValueError):
            if self.on_refused is not None:
                self.on_refused("That answer is not one of the choices, so it was not "
                                "saved. Your previous answer is kept.")
            self.send_state()  # type: ignore[attr-defined]


class _ToggleButtons(_Guarded, widgets.ToggleButtons):
    pass


class _Dropdown(_Guarded, widgets.Dropdown):
    pass


class _RadioButtons(_Guarded, widgets.RadioButtons):
    pass
