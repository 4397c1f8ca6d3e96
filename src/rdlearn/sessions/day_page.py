"""The participant's day in one page: the four sessions, one kernel, a session switcher.

The day page (``notebooks/10_day.ipynb``) holds session 1's cells as session 1's own page
has them, so its first load is no heavier; sessions 2-4 are drawn by this kernel the first
time each is opened, or made ahead while the page is idle (:meth:`DayPage.make`).
Switching to a session already opened happens in the browser alone (``day.js``), and no
switch starts a kernel or loads a page.

The browser asks for a session by ``session``; any value is checked here: a session that
does not exist, or a value that is not a session number, is refused with ``message`` and
the page stays where it was.

>>> page = DayPage()
>>> page.session = "99"
>>> page.shown, page.message
(1, 'There is no session 99 here: the sessions are 1 to 4. You are still in session 1.')
"""

from __future__ import annotations

import logging

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.content import loader as content
from rdlearn.sessions import plan
from rdlearn.web import assets

__all__ = ["DayPage", "day", "session_number"]

_log = logging.getLogger(__name__)


def session_number(value: object, known: list[int]) -> int | None:
    """``value`` as one of the ``known`` session numbers, or ``None``.

    >>> session_number("3", [1, 2, 3, 4]), session_number(True, [1, 2]), session_number(9, [1])
    (3, None, None)
    """
    if isinstance(value, bool):
        return None
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) < 4:
        value = int(text)
    return value if isinstance(value, int) and value in known else None


def _output(obj: object) -> dict:
    """``obj`` as a display output, as a notebook cell would show it."""
    from IPython.core.formatters import format_display_data

    data, metadata = format_display_data(obj)
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def _problem(number: int, call: plan.Call, exc: Exception) -> dict:
    from rdlearn.agenda.panel import status

    _log.exception("Session %d: %s failed", number, call.source())
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/html": status("This part of the session could not be drawn. "
                                         "Reload the page to try again."),
                     "text/plain": "This part of the session could not be drawn."}}


class DayPage(anywidget.AnyWidget):
    """The switcher at the top of the day page, and the kernel's side of the day."""

    _esm = assets.esm("day.js", css=("day.css",))
    _css = assets.css("day.css")
    #: Each session's number, switcher label and title.
    sessions = traitlets.List().tag(sync=True)
    #: The session the browser asks for (any value: checked by :meth:`_asked`).
    session = traitlets.Any(1).tag(sync=True)
    #: The session the kernel accepted last.
    shown = traitlets.Int(1).tag(sync=True)
    #: The sessions drawn so far (session 1 is drawn by the page's own cells).
    opened = traitlets.List([1]).tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    #: A session the browser asks to have ready (made, not shown) while the page is idle.
    prefetch = traitlets.Any(None).tag(sync=True)

    def __init__(self, **kwargs):
        labels = {p["notebook"][:2]: p["label"] for p in content.workshop()["pages"]}
        listed = [{"number": s["number"], "title": s["title"],
                   "label": labels.get(f"{s['number']:02d}", str(s["number"]))}
                  for s in content.workshop()["sessions"]]
        super().__init__(sessions=listed, **kwargs)
        self._numbers = [s["number"] for s in listed]
        self._places = {n: w.Output() for n in self._numbers if n != 1}
        for n, place in self._places.items():
            place.add_class("rd-day-later")
            place.add_class(f"rd-day-later--{n}")
        self._made: dict[int, tuple] = {}  # sessions made ahead, not yet shown

    def later(self) -> w.VBox:
        """Where sessions 2-4 are drawn (the day page's last cell shows it)."""
        box = w.VBox(list(self._places.values()))
        box.add_class("rd-day-places")
        return box

    @traitlets.observe("session")
    def _asked(self, change) -> None:
        number = session_number(change["new"], self._numbers)
        if number is None:
            shown = str(change["new"])[:12]
            self.message = (f"There is no session {shown} here: the sessions are "
                            f"{self._numbers[0]} to {self._numbers[-1]}. "
                            f"You are still in session {self.shown}.")
            self.session = self.shown
            return
        if number == self.shown and number in self.opened:
            return
        self.message = ""
        self.draw(number)
        self.shown = number

    @traitlets.observe("prefetch")
    def _ahead(self, change) -> None:
        number = session_number(change["new"], self._numbers)
        if number is not None:
            self.make(number)

    def make(self, number: int) -> tuple:
        """Session ``number``'s outputs, its widgets made but not shown (once).

        The page asks for the next session this way a while after it was drawn, at a moment
        of its own choosing, so that when the whole room moves on together each kernel only
        has to show what is ready: ipywidgets takes about 0.2 s of CPU to make session 3's
        330 widgets, which forty kernels at once turn into seconds for everyone.
        """
        if number in self._made or number not in self._places or number in self.opened:
            return self._made.get(number, ())
        outputs = []
        for call in plan.session_calls(number):
            try:
                result = call.run()
            except Exception as exc:  # noqa: BLE001 - one broken part must not cost the page
                outputs.append(_problem(number, call, exc))
                continue
            if result is not None:
                outputs.append(_output(result))
        self._made[number] = tuple(outputs)
        return self._made[number]

    def draw(self, number: int) -> None:
        """Draw session ``number`` into its place, once (made now, unless made ahead)."""
        if number in self.opened or number not in self._places:
            return
        self._places[number].outputs = self.make(number)
        self._made.pop(number, None)
        self.opened = [*self.opened, number]


def day() -> DayPage:
    """The day page's switcher (display it), whose ``later()`` holds sessions 2-4."""
    return DayPage()
