"""The connection-rating exercise's widgets for a pair (session 3).

:func:`connection_rating` lets two partners start or join a pair (each on their own
device, or both on one), prompts each of them privately at the end of every minute for a
rating from 0 to 10, and shows their result once both have finished
(:func:`rdlearn.connection.results.result_view`). Its browser side is ``connection.js``.

The rules live in :mod:`rdlearn.connection.exercise` and the pairs in
:mod:`rdlearn.connection.store`; these widgets only gather values and show results. Every
value from a browser is checked there, every text is escaped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from rdlearn.connection import exercise
from rdlearn.connection.exercise import (
    CLIENT,
    ROLE_NAMES,
    ROLES,
    THERAPIST,
    PairError,
    PairResult,
)
from rdlearn.connection.results import minutes_list, pair_store, result_view, style
from rdlearn.connection.store import PairStore
from rdlearn.room.store import StoreError
from rdlearn.room.widgets import message_box, participant_room, say
from rdlearn.web import assets
from rdlearn.web.codes import new_token, normalise_token
from rdlearn.web.html import tag

__all__ = ["TOKEN_KEY", "PairLink", "ConnectionRating", "connection_rating"]

#: Where the browser keeps its pair token (and the last pair code), as a JSON object.
TOKEN_KEY = "rdlearn:v1:pair-token"

_REFRESH_EVERY = 0.2  # seconds of the clock: ticks arriving faster are ignored
_HEARTBEAT_EVERY = 10.0  # seconds between "still here" notes to the store

_LOW_ANCHOR = "0 = not at all connected"
_HIGH_ANCHOR = "10 = deeply connected"




# --------------------------------------------------------------------------- the browser link


class PairLink(anywidget.AnyWidget):
    """An invisible link to the browser: its pair token, the last pair code, ticks, the cue.

    Only a valid token, a valid pair code and a whole-number tick are accepted from the
    browser. Increasing ``cue`` plays a gentle tone there (when ``sound`` is on).
    """

    _esm = assets.esm("connection.js")
    token = traitlets.Unicode("").tag(sync=True)
    remembered = traitlets.Unicode("").tag(sync=True)
    remember = traitlets.Unicode("").tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    interval_ms = traitlets.Int(1000).tag(sync=True)
    cue = traitlets.Int(0).tag(sync=True)
    sound = traitlets.Bool(True).tag(sync=True)

    def set_state(self, sync_data: dict) -> None:
        """Accept from the browser only a valid token, pair code and tick."""
        accepted: dict[str, Any] = {}
        if "token" in sync_data and normalise_token(sync_data["token"]):
            accepted["token"] = sync_data["token"]
        if "remembered" in sync_data:
            try:
                accepted["remembered"] = exercise.normalise_pair_code(sync_data["remembered"])
            except PairError:
                pass
        tick = sync_data.get("tick")
        if isinstance(tick, int) and not isinstance(tick, bool) and 0 <= tick < 2**31:
            accepted["tick"] = tick
        if accepted:
            super().set_state(accepted)


class _Choice(w.ToggleButtons):
    """Toggle buttons that refuse a value the browser should not send, and say so."""

    def __init__(self, *, message: w.HTML, **kwargs: Any):
        self._message = message
        super().__init__(**kwargs)

    def set_state(self, sync_data: dict) -> None:
        try:
            super().set_state(sync_data)
        except (traitlets.TraitError, TypeError, ValueError):
            say(self._message, "That choice is not one of the buttons shown; please choose "
                                "again.", role="alert")


def _show(widget: w.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"


# --------------------------------------------------------------------------- the exercise


class ConnectionRating(w.VBox):
    """The connection-rating exercise on one page: set up or join, rate each minute, see results."""

    def __init__(self, *, store: PairStore, seconds_per_minute: float, room: Any = None):
        self.pairs = store
        self.room = room
        self.seconds_per_minute = seconds_per_minute
        self.code: str | None = None
        self.tokens: dict[str, str] = {}
        self.one_device = False
        self.result: PairResult | None = None
        self.asking: tuple[str, int] | None = None
        self._cued = 0
        self._last_refresh = float("-inf")
        self._last_heartbeat = float("-inf")

        self.link = PairLink(interval_ms=min(1000, max(200, int(seconds_per_minute * 250))))
        self.link.observe(lambda _: self.refresh(), names="tick")
        self.link.observe(lambda _: self._offer_rejoin(), names="remembered")

        # -- setting up
        self.setup_message = message_box(family="pairs", kind="message")
        self.rating_message = message_box(family="pairs", kind="message")
        self.rating_message.add_class("rd-pairs-rating-message")
        self.length_choice = _Choice(
            message=self.setup_message,
            options=[(f"{n} minutes", n) for n in exercise.LENGTHS], value=exercise.LENGTHS[-1],
            description="Length", style={"description_width": "initial"})
        self.role_choice = _Choice(
            message=self.setup_message, options=[(ROLE_NAMES[r], r) for r in ROLES],
            value=None, description="My role", style={"description_width": "initial"})
        self.create_button = w.Button(description="Make a pair code", button_style="primary")
        self.code_input = w.Text(description="Pair code", placeholder="e.g. K7M3PQ")
        self.code_input.add_class("rd-pairs-code-input")
        self.join_button = w.Button(description="Join this pair", button_style="primary")
        self.rejoin_button = w.Button(description="Rejoin my pair")
        self.one_device_button = w.Button(description="Both of us on this device")
        self.create_button.on_click(lambda _: self.create())
        self.join_button.on_click(lambda _: self.join(self.code_input.value))
        self.rejoin_button.on_click(lambda _: self.join(self.link.remembered, rejoin=True))
        self.one_device_button.on_click(lambda _: self.start_one_device())
        _show(self.rejoin_button, False)
        for widget, name in ((self.role_choice, "role"), (self.length_choice, "length"),
                             (self.create_button, "create"), (self.join_button, "join"),
                             (self.rejoin_button, "rejoin"),
                             (self.one_device_button, "one-device")):
            widget.add_class(f"rd-pairs-{name}")
        self.setup = w.VBox([
            w.HTML(tag("p", "One of you makes a pair code; the other joins with it on their "
                            "own device. Or share one device and take turns.")),
            self.role_choice, self.length_choice,
            w.HBox([self.create_button, self.one_device_button]),
            w.HBox([self.code_input, self.join_button]), self.rejoin_button,
            self.setup_message,
        ])

        # -- waiting for the partner
        self.code_html = message_box(family="pairs", kind="code-box")
        self.partner_html = message_box(family="pairs", kind="partner")
        self.consent = w.Checkbox(
            value=False, indent=False,
            description="If we both agree, add our r (only that number) to the room's "
                        "anonymous picture", layout=w.Layout(width="auto"))
        self.consent.observe(lambda change: self.set_consent(change["new"]), names="value")
        self.begin_button = w.Button(description="Begin the session", button_style="primary")
        self.begin_button.on_click(lambda _: self.begin())
        self.waiting_message = message_box(family="pairs", kind="message")
        self.begin_button.add_class("rd-pairs-begin")
        self.consent.add_class("rd-pairs-consent")
        self.waiting = w.VBox([self.code_html, self.consent, self.begin_button,
                               self.waiting_message])

        # -- rating every minute
        self.minute_html = message_box(family="pairs", kind="minute")
        self.prompt_html = message_box(family="pairs", kind="prompt")
        self.rating = _Choice(
            message=self.rating_message,
            options=[(str(i), i) for i in range(exercise.LOWEST, exercise.HIGHEST + 1)], value=None,
            description="Connection", style={"description_width": "initial",
                                             "button_width": "2.8rem"},
            tooltips=[_LOW_ANCHOR] + [str(i) for i in range(1, 10)] + [_HIGH_ANCHOR])
        self.rating.add_class("rd-pairs-rating")
        self.anchors = w.HTML(tag("p", f"{_LOW_ANCHOR} · {_HIGH_ANCHOR}", class_="rd-small"))
        self.save_button = w.Button(description="Save my rating", button_style="primary")
        self.save_button.on_click(lambda _: self.save_rating())
        self.rating_box = w.VBox([self.rating, self.anchors, self.save_button])
        self.missed_html = message_box(family="pairs", kind="missed")
        self.finish_button = w.Button(description="Stop early")
        self.finish_button.on_click(lambda _: self.finish())
        self.save_button.add_class("rd-pairs-save")
        self.finish_button.add_class("rd-pairs-finish")
        self.running = w.VBox([self.minute_html, self.prompt_html, self.rating_box,
                               self.rating_message, self.missed_html, self.finish_button])

        self.result_box = w.VBox()
        self.result_box.add_class("rd-pairs-result-box")
        super().__init__([style(), self.link, self.setup, self.waiting, self.partner_html,
                          self.running, self.result_box])
        self.add_class("rd-pairs")
        self._stage("setup")

    # -- helpers

    def _now(self) -> float:
        return self.pairs.now()

    def _stage(self, stage: str) -> None:
        self.stage = stage
        _show(self.setup, stage == "setup")
        _show(self.waiting, stage == "waiting")
        _show(self.running, stage == "running")
        _show(self.partner_html, stage in ("waiting", "running"))
        _show(self.result_box, stage == "result")

    def _token(self) -> str | None:
        token = normalise_token(self.link.token)
        if token is None:
            say(self.setup_message, "This page is still connecting; please try again in a "
                                     "moment.", role="alert")
        return token

    def _offer_rejoin(self) -> None:
        code = self.link.remembered
        _show(self.rejoin_button, bool(code) and self.code is None)
        if code:
            self.rejoin_button.description = f"Rejoin pair {code}"

    def _workshop(self) -> str | None:
        code = getattr(self.room, "code", "") if self.room is not None else ""
        return code or None

    def _entered(self, code: str, tokens: dict[str, str], *, one_device: bool) -> None:
        self.code, self.tokens, self.one_device = code, tokens, one_device
        self.result, self.asking, self._cued = None, None, 0
        if not one_device:
            self.link.remember = code
        _show(self.rejoin_button, False)
        self.setup_message.value = ""
        self.refresh(force=True)

    # -- setting up

    def create(self) -> bool:
        """Make a new pair with the chosen length and role; show its code."""
        role = self.role_choice.value
        if role not in ROLES:
            say(self.setup_message, "Choose your role first: client or therapist.", role="alert")
            return False
        token = self._token()
        if token is None:
            return False
        try:
            code = self.pairs.create(token=token, role=role, minutes=self.length_choice.value,
                                     seconds_per_minute=self.seconds_per_minute,
                                     workshop=self._workshop())
        except (PairError, StoreError) as exc:
            say(self.setup_message, str(exc), role="alert")
            return False
        self._entered(code, {role: token}, one_device=False)
        return True

    def join(self, text: Any, *, rejoin: bool = False) -> bool:
        """Join the pair with this code in the chosen role (or rejoin in one's own role)."""
        token = self._token()
        if token is None:
            return False
        role = None if rejoin else self.role_choice.value
        try:
            code = exercise.normalise_pair_code(text)
            try:
                role = self.pairs.join(code, token=token, role=None)
            except PairError:
                if role is None:
                    raise
                role = self.pairs.join(code, token=token, role=role)
        except (PairError, StoreError) as exc:
            say(self.setup_message, str(exc), role="alert")
            return False
        self._entered(code, {role: token}, one_device=False)
        return True

    def start_one_device(self) -> bool:
        """Both partners on this device: each rates in turn, and each rating is hidden."""
        tokens = {role: new_token() for role in ROLES}
        try:
            code = self.pairs.create(token=tokens[CLIENT], role=CLIENT,
                                     minutes=self.length_choice.value,
                                     seconds_per_minute=self.seconds_per_minute,
                                     workshop=self._workshop())
            self.pairs.join(code, token=tokens[THERAPIST], role=THERAPIST)
        except (PairError, StoreError) as exc:
            say(self.setup_message, str(exc), role="alert")
            return False
        self._entered(code, tokens, one_device=True)
        return True

    def set_consent(self, consent: Any) -> bool:
        """Record this partner's (or, on one device, both partners') choice about sharing."""
        if self.code is None or not isinstance(consent, bool):
            return False
        try:
            for token in self.tokens.values():
                self.pairs.set_consent(self.code, token=token, consent=consent)
        except (PairError, StoreError) as exc:
            say(self.waiting_message, str(exc), role="alert")
            return False
        return True

    def begin(self) -> bool:
        """Start the minute clock (once both partners are in)."""
        if self.code is None:
            return False
        try:
            self.pairs.begin(self.code, token=next(iter(self.tokens.values())))
        except (PairError, StoreError) as exc:
            say(self.waiting_message, str(exc), role="alert")
            return False
        self.waiting_message.value = ""
        self.refresh(force=True)
        return True

    # -- rating

    def save_rating(self) -> bool:
        """Save the chosen rating for the minute being asked about; then hide it."""
        if self.code is None or self.asking is None:
            say(self.rating_message, "There is no minute to rate just now.", role="alert")
            return False
        role, minute = self.asking
        value = self.rating.value
        if value is None:
            say(self.rating_message, "Choose a number from 0 to 10 first.", role="alert")
            return False
        try:
            self.pairs.rate(self.code, token=self.tokens[role], minute=minute, rating=value)
        except (PairError, StoreError) as exc:
            say(self.rating_message, str(exc), role="alert")
            self.refresh(force=True)
            return False
        self.rating.value = None
        hidden = ("Saved and hidden." if self.one_device
                  else "Saved. Your partner cannot see it until you have both finished.")
        say(self.rating_message, f"Minute {minute}: {hidden}")
        self.refresh(force=True)
        return True

    def finish(self) -> bool:
        """Mark this partner (on one device, both) as finished."""
        if self.code is None:
            return False
        try:
            for token in self.tokens.values():
                self.pairs.finish(self.code, token=token)
        except (PairError, StoreError) as exc:
            say(self.rating_message, str(exc), role="alert")
            return False
        self.refresh(force=True)
        return True

    # -- showing

    def refresh(self, *, force: bool = False) -> None:
        """Read the pair's state and show the right step, prompt and partner news."""
        now = self._now()
        if not force and now - self._last_refresh < _REFRESH_EVERY:
            return
        self._last_refresh = now
        if self.code is None or self.result is not None:
            return
        try:
            if now - self._last_heartbeat >= _HEARTBEAT_EVERY:
                for token in self.tokens.values():
                    self.pairs.heartbeat(self.code, token=token)
                self._last_heartbeat = now
            states = {role: self.pairs.status(self.code, token=token)
                      for role, token in self.tokens.items()}
        except exercise.UnknownPairError as exc:
            self.code = None
            self.link.remember = ""
            self._stage("setup")
            say(self.setup_message, str(exc), role="alert")
            return
        except (PairError, StoreError) as exc:
            say(self.rating_message, f"Cannot reach your pair just now: {exc}", role="alert")
            return
        first = next(iter(states.values()))
        if first.both_finished:
            self._collect()
            return
        if first.state in (exercise.WAITING, exercise.READY):
            self._show_waiting(first)
        else:
            self._show_running(states)

    def _show_waiting(self, status: exercise.PairStatus) -> None:
        self._stage("waiting")
        mine = "" if self.one_device else f" You are the {status.role}."
        self.code_html.value = (
            tag("p", "Your pair code:") + tag("p", status.code, class_="rd-pairs-code")
            + tag("p", f"A {status.minutes}-minute session.{mine} "
                  + ("" if self.one_device else "Your partner types this code on their own "
                                                "device and chooses the other role.")))
        self.consent.disabled = status.workshop is None
        if status.workshop is None:
            self.consent.description = ("Sharing your r with the room needs the room's "
                                        "workshop code on this page")
        self.begin_button.disabled = not status.partner_joined
        if status.partner_joined:
            say(self.partner_html, "Your partner has joined. Begin when you are both ready.")
        else:
            say(self.partner_html, "Waiting for your partner to join…")

    def _show_running(self, states: dict[str, exercise.PairStatus]) -> None:
        self._stage("running")
        first = next(iter(states.values()))
        ended = first.minutes_ended
        if ended > self._cued:
            self._cued = ended
            self.link.cue += 1
        if ended < first.minutes:
            self.minute_html.value = tag(
                "p", f"Minute {ended + 1} of {first.minutes} is under way.", role="timer")
        else:
            self.minute_html.value = tag("p", f"All {first.minutes} minutes are over.")
        self.asking = next(((role, s.due[0]) for role, s in states.items() if s.due), None)
        if self.asking is not None:
            role, minute = self.asking
            question = (f"How connected did you feel to your partner during minute {minute}?")
            if self.one_device:
                other = ROLE_NAMES[THERAPIST if role == CLIENT else CLIENT].lower()
                question = (f"{ROLE_NAMES[role]}, your turn (the {other} looks away): "
                            + question)
            self.prompt_html.value = tag("p", question, role="status")
            _show(self.rating_box, True)
        else:
            finished = all(s.finished for s in states.values())
            if finished:
                words = "You have finished. Your partner's ratings stay hidden until they " \
                        "finish too."
            elif ended < first.minutes:
                words = f"Carry on. The next prompt comes at the end of minute {ended + 1}."
            else:
                words = "Every minute is rated or past. Press “I have finished”."
            self.prompt_html.value = tag("p", words, role="status")
            _show(self.rating_box, False)
        missed = sorted({m for s in states.values() for m in s.missed})
        self.missed_html.value = tag(
            "p", f"Minutes left blank (not rated in time): {minutes_list(missed)}.",
            class_="rd-small") if missed else ""
        done = all(s.finished for s in states.values())
        _show(self.finish_button, not done)
        self.finish_button.description = ("I have finished" if ended >= first.minutes
                                           else "Stop early")
        news = []
        if not self.one_device:
            if first.partner_finished:
                news.append("Your partner has finished.")
            elif first.partner_away:
                news.append(f"Your partner's page has not been in touch for over a minute. "
                            f"They can rejoin with the code {first.code}; their ratings are "
                            "kept.")
        say(self.partner_html, " ".join(news), role="alert" if first.partner_away else "status")

    def _collect(self) -> None:
        try:
            result = self.pairs.result(self.code, token=next(iter(self.tokens.values())))
        except (PairError, StoreError) as exc:
            say(self.rating_message, str(exc), role="alert")
            return
        self.result = result
        self.asking = None
        self.link.remember = ""
        self.result_box.children = (result_view(result),)
        self._stage("result")


def connection_rating(*, store: Any = None, now: Callable[[], float] = time.time,
                      seconds_per_minute: float = 60.0) -> ConnectionRating:
    """The connection-rating exercise (after Cooper, 2012).

    Parameters
    ----------
    store
        A :class:`rdlearn.room.store.Store` or :class:`rdlearn.connection.store.PairStore`
        (by default the room's store).
    now
        The clock in seconds (tests pass their own).
    seconds_per_minute
        How long an exercise 'minute' lasts, from 0.5 to 60 seconds (60 in a workshop; a
        page made for a quick rehearsal or a browser test passes less).
    """
    seconds_per_minute = exercise.check_seconds_per_minute(seconds_per_minute)
    return ConnectionRating(store=pair_store(store, now), seconds_per_minute=seconds_per_minute,
                            room=participant_room())
