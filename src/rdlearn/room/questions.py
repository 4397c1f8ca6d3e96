"""Questions asked of the whole room: types, answer checks, thresholds and moderation.

Everything here is pure: plain values in, plain values out, no widgets and no database.
The room's questions live in ``data/questions.yaml`` and are read with
:func:`load_questions`. An answer from a browser is checked with :func:`validate_answer`
(which returns the value to store, or raises :class:`AnswerError` with a message for the
participant). :func:`aggregate` turns the stored answers into what the room may see:
nothing at all below :data:`MIN_ANSWERS` answers, and for words and lines only the ones
the facilitator approved.

Examples
--------
>>> q = Question(id="how-often", kind=SCALE, text="How often?", scale_min=1, scale_max=7)
>>> validate_answer(q, "5")
'5'
>>> aggregate(q, ["5", "6", "7", "5"]).message
'Waiting for at least 5 answers (4 so far).'
>>> aggregate(q, ["5", "6", "7", "5", "5"]).counts[4]
('5', 3)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdlearn.web.codes import new_code, normalise_token
from rdlearn.web.html import esc, tag

__all__ = [
    "MIN_ANSWERS",
    "SINGLE_CHOICE",
    "SCALE",
    "ONE_WORD",
    "SHARE_LINE",
    "KINDS",
    "WORD_MAX_CHARS",
    "LINE_MAX_CHARS",
    "PENDING",
    "APPROVED",
    "REJECTED",
    "NOT_MODERATED",
    "QUESTIONS_FILE",
    "CONNECTION_QUESTION_ID",
    "AnswerError",
    "WorkshopCodeError",
    "Option",
    "Question",
    "Summary",
    "load_questions",
    "question",
    "validate_answer",
    "needs_moderation",
    "initial_moderation",
    "aggregate",
    "word_cloud_html",
    "results_html",
    "normalise_workshop_code",
    "new_workshop_code",
    "normalise_token",
]

#: No count, chart or word is shown until at least this many people have answered.
MIN_ANSWERS = 5

SINGLE_CHOICE = "single_choice"
SCALE = "scale"
ONE_WORD = "one_word"
SHARE_LINE = "share_line"
KINDS = (SINGLE_CHOICE, SCALE, ONE_WORD, SHARE_LINE)

WORD_MAX_CHARS = 30
LINE_MAX_CHARS = 200

#: Moderation states of a stored answer (words and lines wait in a queue).
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
NOT_MODERATED = "none"

QUESTIONS_FILE = "questions.yaml"
#: The room's answers under this id are the r values pairs of the connection exercise
#: chose to share (added by :mod:`rdlearn.connection.store`, revealed from the console).
CONNECTION_QUESTION_ID = "pairs-connection-r"


class AnswerError(ValueError):
    """An answer that cannot be accepted; the message is shown to the participant."""


class WorkshopCodeError(ValueError):
    """A workshop code that is not well formed; the message says what a code looks like."""


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class Option:
    """One choice of a single-choice question."""

    id: str
    label: str


@dataclass(frozen=True)
class Question:
    """A question asked of the room.

    ``research`` (optional) ties the question to published findings, e.g.
    ``{"compare": "mean", "findings": ("leung2008-therapists-frequency", ...)}`` or
    ``{"compare": "share", "option": "yes", "exclude": ("no-clients",), "findings": (...)}``.
    """

    id: str
    kind: str
    text: str
    options: tuple[Option, ...] = ()
    scale_min: int | None = None
    scale_max: int | None = None
    low_label: str = ""
    high_label: str = ""
    hint: str = ""
    sessions: tuple[int, ...] = ()
    keynote: bool = False
    research: Mapping[str, Any] | None = None

    @property
    def moderated(self) -> bool:
        """Whether answers wait for the facilitator's approval before the room sees them."""
        return self.kind in (ONE_WORD, SHARE_LINE)

    def option_label(self, option_id: str) -> str:
        """The label of the option ``option_id``."""
        for option in self.options:
            if option.id == option_id:
                return option.label
        return option_id

    def scale_points(self) -> list[int]:
        """The points of a scale question, lowest first."""
        if self.kind != SCALE:
            return []
        return list(range(int(self.scale_min), int(self.scale_max) + 1))


def _question_from_data(item: Mapping, session_numbers: set[int]) -> Question:
    from rdlearn.content import loader as content

    f = QUESTIONS_FILE
    qid = item["id"].strip()
    where = f"question '{qid}'"
    kind = item["kind"]
    raw_options = (item.get("options") or []) if kind == SINGLE_CHOICE else []
    repeat = content.first_repeat(opt["id"] for opt in raw_options)
    if repeat:
        raise content.ContentError(f, f"{where}, option {repeat[0]}",
                                   f"duplicate option id {repeat[1]!r}")
    options = [Option(opt["id"].strip(), opt["label"].strip()) for opt in raw_options]
    scale = item.get("scale") if kind == SCALE else None
    sessions = item.get("sessions") or []
    unknown = [s for s in sessions if s not in session_numbers]
    if unknown:
        raise content.ContentError(f, f"{where}, key 'sessions'",
                                   f"no session numbered {unknown[0]} in workshop.yaml")
    return Question(
        id=qid, kind=kind, text=item["text"].strip(), options=tuple(options),
        scale_min=scale["min"] if scale else None, scale_max=scale["max"] if scale else None,
        low_label=scale["low"].strip() if scale else "",
        high_label=scale["high"].strip() if scale else "",
        hint=(item.get("hint") or "").strip(), sessions=tuple(sessions),
        keynote=item.get("keynote", False),
        research=_research_from_data(item.get("research"), kind, options, f, where),
    )


def _research_from_data(data: Mapping | None, kind: str, options: list[Option], f: str,
                        where: str) -> dict | None:
    from rdlearn.content import loader as content

    if data is None:
        return None
    where = f"{where}, research"
    findings = tuple(data["findings"])
    if data["compare"] == "mean":
        if kind != SCALE:
            raise content.ContentError(f, where, "compare: mean needs a scale question")
        return {"compare": "mean", "findings": findings}
    if kind != SINGLE_CHOICE:
        raise content.ContentError(f, where, "compare: share needs a single-choice question")
    ids = {o.id for o in options}
    exclude = data.get("exclude") or []
    for oid in [data["option"], *exclude]:
        if oid not in ids:
            raise content.ContentError(f, where, f"unknown option {oid!r}")
    return {"compare": "share", "option": data["option"], "exclude": tuple(exclude),
            "findings": findings}


def load_questions() -> dict[str, Question]:
    """The room's questions from ``data/questions.yaml``, checked, keyed by id.

    The file's shape is checked by its schema (``content/schemas/questions.yaml``); here,
    what a schema cannot see: repeated ids, sessions that exist, research that fits the kind
    of question. Raises :class:`rdlearn.content.loader.ContentError` naming the question and
    the problem.
    """
    from rdlearn.content import loader as content
    from rdlearn.content import schema

    data = schema.validate(content.load_yaml(QUESTIONS_FILE), "questions", file=QUESTIONS_FILE)
    repeat = content.first_repeat(item["id"].strip() for item in data["questions"])
    if repeat:
        raise content.ContentError(QUESTIONS_FILE, f"questions item {repeat[0]}",
                                   f"duplicate id {repeat[1]!r}")
    session_numbers = {s["number"] for s in content.workshop()["sessions"]}
    questions = [_question_from_data(item, session_numbers) for item in data["questions"]]
    return {q.id: q for q in questions}


def question(question_id: str) -> Question:
    """One question from ``data/questions.yaml`` (``KeyError`` with a clear message if absent)."""
    questions = load_questions()
    if question_id not in questions:
        raise KeyError(f"there is no room question with the id {question_id!r}")
    return questions[question_id]


# --------------------------------------------------------------------------- answers

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _clean_text(value: Any) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnswerError("Please type your answer as text.")
    text = unicodedata.normalize("NFC", value)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def validate_answer(q: Question, value: Any) -> str:
    """Check an answer from a browser and return the text to store.

    Raises
    ------
    AnswerError
        With a message for the participant: an unknown option, a number off the scale,
        an empty or too long text.
    """
    if q.kind == SINGLE_CHOICE:
        ids = [o.id for o in q.options]
        if not isinstance(value, str) or value not in ids:
            raise AnswerError("Please choose one of the options shown.")
        return value
    if q.kind == SCALE:
        number = value
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,3}\s*", value):
            number = int(value)
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not q.scale_min <= number <= q.scale_max
        ):
            raise AnswerError(
                f"Please choose a whole number from {q.scale_min} to {q.scale_max}."
            )
        return str(number)
    text = _clean_text(value)
    if not text:
        raise AnswerError("Please write something before sending.")
    if q.kind == ONE_WORD:
        text = text.strip(".,;:!?\"'()[]{}").lower()
        if not text:
            raise AnswerError("Please write a word (letters, not only punctuation).")
        if " " in text:
            raise AnswerError("Please give just one word, without spaces (for example: curious).")
        if len(text) > WORD_MAX_CHARS:
            raise AnswerError(
                f"Please keep your word to {WORD_MAX_CHARS} characters or fewer "
                f"(this one has {len(text)})."
            )
        return text
    if len(text) > LINE_MAX_CHARS:
        raise AnswerError(
            f"Please keep your line to {LINE_MAX_CHARS} characters or fewer "
            f"(this one has {len(text)})."
        )
    return text


def needs_moderation(q: Question) -> bool:
    """Words and lines wait for the facilitator's approval; choices and scales do not."""
    return q.moderated


def initial_moderation(q: Question) -> str:
    """The moderation state of a fresh (or changed) answer to this question."""
    return PENDING if q.moderated else NOT_MODERATED


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Summary:
    """What the room may see of one question's answers.

    ``ready`` is false below :data:`MIN_ANSWERS` answers; then ``counts`` is empty and
    ``message`` says how many answers there are. ``counts`` lists ``(label, count)`` in the
    question's order (options, scale points) or, for words, the most frequent first.
    ``lines`` holds approved shared lines.
    """

    question_id: str
    kind: str
    n: int
    ready: bool
    message: str
    counts: tuple[tuple[str, int], ...] = ()
    mean: float | None = None
    share: float | None = None
    share_n: int = 0
    lines: tuple[str, ...] = ()
    pending: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)


def _value_and_state(answer: Any) -> tuple[str, str]:
    if isinstance(answer, Mapping):
        return str(answer.get("value", "")), str(answer.get("moderation", NOT_MODERATED))
    return str(answer), NOT_MODERATED


def aggregate(q: Question, answers: Iterable[Any]) -> Summary:
    """Summarise the answers to one question, hiding everything below :data:`MIN_ANSWERS`.

    ``answers`` holds stored values, either plain strings or mappings with ``value`` and
    ``moderation``. Words and lines count towards the threshold when given, but only
    approved ones are shown.
    """
    pairs = [_value_and_state(a) for a in answers]
    n = len(pairs)
    pending = sum(1 for _, state in pairs if state == PENDING)
    if n < MIN_ANSWERS:
        return Summary(q.id, q.kind, n, False,
                       f"Waiting for at least {MIN_ANSWERS} answers ({n} so far).",
                       pending=pending)
    message = f"{n} answers."
    if q.kind == SINGLE_CHOICE:
        tally = Counter(v for v, _ in pairs)
        counts = tuple((o.label, tally.get(o.id, 0)) for o in q.options)
        share = None
        share_n = 0
        if q.research and q.research.get("compare") == "share":
            counted = [v for v, _ in pairs if v not in q.research.get("exclude", ())]
            share_n = len(counted)
            if share_n >= MIN_ANSWERS:
                share = 100.0 * sum(1 for v in counted if v == q.research["option"]) / share_n
        return Summary(q.id, q.kind, n, True, message, counts=counts, share=share,
                       share_n=share_n)
    if q.kind == SCALE:
        numbers = [int(v) for v, _ in pairs if re.fullmatch(r"-?\d+", v)]
        tally = Counter(numbers)
        counts = tuple((str(p), tally.get(p, 0)) for p in q.scale_points())
        mean = sum(numbers) / len(numbers) if numbers else None
        return Summary(q.id, q.kind, n, True, message, counts=counts, mean=mean)
    approved = [v for v, state in pairs if state == APPROVED]
    if q.kind == ONE_WORD:
        tally = Counter(approved)
        counts = tuple(sorted(tally.items(), key=lambda item: (-item[1], item[0])))
        return Summary(q.id, q.kind, n, True, message, counts=counts, pending=pending)
    return Summary(q.id, q.kind, n, True, message, lines=tuple(approved), pending=pending)


def word_cloud_html(
    counts: Sequence[tuple[str, int]], *, label: str = "Words from the room"
) -> str:
    """Words as an accessible HTML list, each sized by how many people gave it.

    Every word is escaped, so ``<script>`` shows as text. Screen readers hear the count.
    """
    if not counts:
        return tag("p", "No words to show yet.", class_="rd-wordcloud-empty")
    largest = max(c for _, c in counts) or 1
    items = []
    for word, count in counts:
        size = 1.0 + 1.6 * (count - 1) / max(1, largest - 1) if largest > 1 else 1.2
        times = "person" if count == 1 else "people"
        items.append(
            f'<li class="rd-wordcloud__word" style="font-size: {size:.2f}em">'
            f"{esc(word)}"
            f'<span class="rd-wordcloud__count"> ({count} {times})</span></li>'
        )
    return (
        f'<ul class="rd-wordcloud" aria-label="{esc(label)}" '
        'style="list-style: none; display: flex; flex-wrap: wrap; gap: .4em 1em; '
        'align-items: baseline; padding: 0">' + "".join(items) + "</ul>"
    )


def _bars_html(counts: Sequence[tuple[str, int]], n: int) -> str:
    rows = []
    for label, count in counts:
        width = 100.0 * count / n if n else 0.0
        bar = (f'<span class="rd-bar" style="display: inline-block; height: 1em; '
               f'width: {width:.1f}%; background: var(--rd-accent, #0072B2)"></span>')
        rows.append(
            tag("tr", raw=tag("th", label, scope="row")
                + tag("td", raw=bar, style="width: 60%")
                + tag("td", str(count)))
        )
    head = tag("tr", raw=tag("th", "Answer", scope="col") + tag("th", "", scope="col")
               + tag("th", "People", scope="col"))
    return tag("table", raw=tag("thead", raw=head) + tag("tbody", raw="".join(rows)),
               class_="rd-results-table")


def results_html(q: Question, summary: Summary) -> str:
    """The room's results as light, accessible HTML (no chart library, every text escaped)."""
    parts = [tag("p", q.text, class_="rd-question")]
    if not summary.ready:
        parts.append(tag("p", summary.message, class_="rd-waiting", role="status"))
        return tag("div", raw="".join(parts), class_="rd-results")
    parts.append(tag("p", summary.message, class_="rd-small"))
    if q.kind in (SINGLE_CHOICE, SCALE):
        parts.append(_bars_html(summary.counts, summary.n))
        if summary.mean is not None:
            parts.append(tag("p", f"Average for this room: {summary.mean:.2f} "
                                  f"(on a scale from {q.scale_min} to {q.scale_max}).")
                         )
    elif q.kind == ONE_WORD:
        parts.append(word_cloud_html(summary.counts))
    else:
        if summary.lines:
            parts.append("<ul class=\"rd-shared-lines\">"
                         + "".join(tag("li", line) for line in summary.lines) + "</ul>")
        else:
            parts.append(tag("p", "No lines to show yet."))
    return tag("div", raw="".join(parts), class_="rd-results")


# --------------------------------------------------------------------------- codes


def normalise_workshop_code(text: Any) -> str:
    """A workshop code as stored: upper case, no spaces; 4 to 12 letters, digits or hyphens.

    Raises :class:`WorkshopCodeError` with a message a participant understands.
    """
    if not isinstance(text, str):
        raise WorkshopCodeError("Please type the workshop code shown on the screen.")
    code = "".join(text.split()).upper()
    if not code:
        raise WorkshopCodeError("Please type the workshop code shown on the screen.")
    if not re.fullmatch(r"[A-Z0-9-]{4,12}", code):
        raise WorkshopCodeError(
            "A workshop code has 4 to 12 letters or digits (for example RD7K3Q); "
            "check the code on the screen."
        )
    return code


def new_workshop_code(*, length: int = 6) -> str:
    """A fresh random code that is easy to read aloud and type (e.g. ``RD7K3Q``)."""
    return new_code(length)
