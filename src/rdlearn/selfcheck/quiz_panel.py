"""The end-of-session quiz widget: answer, see whether it was right and why, keep it.

Questions come from :mod:`rdlearn.selfcheck.quizzes`; answers are saved in the participant's
browser (key ``rdlearn:v1:selfcheck:quiz-session-<n>``) and appear in the workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from rdlearn.selfcheck import quizzes
from rdlearn.selfcheck._controls import _css_name, _make_store, _message_html, _now, _RadioButtons
from rdlearn.web.html import card, tag

__all__ = ["QuizPanel", "quiz"]


class QuizPanel(widgets.VBox):
    """A session's quiz: choose an answer, check it, read why and where it comes from.

    Build it with :func:`quiz`.
    """

    def __init__(self, session: int, *, store: Any = None, clock: Callable[[], str] = _now):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.session = session
        self.questions = quizzes.quiz_questions(session)
        self.ident = f"quiz-session-{session}"
        self.add_class("rd-selfcheck")
        self.add_class(_css_name(self.ident))
        self.choices: dict[str, int] = {}
        self.controls: dict[str, widgets.Widget] = {}
        self.buttons: dict[str, widgets.Button] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self._clock = clock
        self._quiet = False
        self.store = store if store is not None else _make_store(f"selfcheck:{self.ident}")
        blocks = [widgets.HTML(card(
            f"Quick check: session {session}",
            tag("p", "Choose an answer, then check it to see why. Take your time; nothing is "
                     "timed or scored for speed, and your answers stay in this browser."),
            kind="exercise", heading_level=2))]
        for number, q in enumerate(self.questions, start=1):
            blocks.append(self._question_block(number, q))
        self.children = [*blocks, self.store]
        self.store.observe(self._on_store, names="value")
        if getattr(self.store, "value", None):
            self.restore(self.store.value)

    def _question_block(self, number: int, q: Mapping) -> widgets.Widget:
        base = _css_name("quiz", str(self.session), q["id"])
        heading = widgets.HTML(tag("p", f"{number}. {q['question']}", class_="rd-sc-item-text"))
        radio = _RadioButtons(options=[(text, i) for i, text in enumerate(q["options"])],
                              value=None, description="Your answer",
                              description_allow_html=False,
                              layout=widgets.Layout(width="auto"))
        radio.add_class(base)
        feedback = widgets.HTML()
        feedback.add_class(f"{base}-feedback")
        radio.on_refused = lambda text, fb=feedback: setattr(fb, "value", _message_html(text))
        button = widgets.Button(description="Check my answer")
        button.add_class(f"{base}-check")
        button.on_click(lambda _b, qid=q["id"]: self.check(qid))
        self.controls[q["id"]] = radio
        self.buttons[q["id"]] = button
        self.feedback[q["id"]] = feedback
        block = widgets.VBox([heading, radio, button, feedback])
        block.add_class("rd-sc-item")
        return block

    def _question(self, qid: str) -> Mapping:
        return next(q for q in self.questions if q["id"] == qid)

    def check(self, qid: str, choice: Any = "from-control") -> bool | None:
        """Check the answer to one question and show the explanation with its source."""
        q = self._question(qid)
        if choice == "from-control":
            choice = self.controls[qid].value
        if choice is None:
            self.feedback[qid].value = _message_html("Choose an answer first.")
            return None
        try:
            right = quizzes.check_quiz_answer(q, choice)
        except ValueError as exc:
            self.feedback[qid].value = _message_html(str(exc))
            return None
        self.choices[qid] = choice
        self.feedback[qid].value = self._feedback_html(q, right)
        self.save()
        return right

    @staticmethod
    def _feedback_html(q: Mapping, right: bool) -> str:
        from rdlearn.content import findings

        verdict = "Yes, that's right." if right else (
            f"Not quite. The answer is: {q['options'][q['answer']]}.")
        return tag("div", raw=tag("p", verdict, class_="rd-sc-verdict")
                   + tag("p", q["explanation"])
                   + tag("p", "Source: " + findings.cite(q["finding"]), class_="rd-cite"),
                   class_="rd-sc-feedback", role="status")

    def lines(self) -> list[str]:
        """The plain-text lines saved to the workbook."""
        return quizzes.quiz_lines(self.questions, self.choices)

    def save(self) -> None:
        """Save the answers checked so far in this browser."""
        self._quiet = True
        try:
            self.store.value = {
                "type": "selfcheck", "instrument": self.ident,
                "title": f"Quick check, session {self.session}", "lines": self.lines(),
                "answers": dict(self.choices), "updated": self._clock(),
            }
        finally:
            self._quiet = False

    def _on_store(self, change: Mapping) -> None:
        if not self._quiet and change.get("new"):
            self.restore(change["new"])

    def restore(self, saved: Any) -> None:
        """Bring back the answers checked earlier in this browser (invalid ones are left out)."""
        if not isinstance(saved, Mapping) or saved.get("instrument") != self.ident:
            return
        answers = saved.get("answers")
        if not isinstance(answers, Mapping):
            return
        for qid, choice in answers.items():
            if qid not in self.controls:
                continue
            q = self._question(qid)
            try:
                right = quizzes.check_quiz_answer(q, choice)
            except ValueError:
                continue
            self.choices[qid] = choice
            self.controls[qid].value = choice
            self.feedback[qid].value = self._feedback_html(q, right)


def quiz(session: int, *, store: Any = None, clock: Callable[[], str] = _now) -> QuizPanel:
    """The quick-check quiz of one session (1 to 4): answer, then see why, with the source."""
    return QuizPanel(session, store=store, clock=clock)
