"""The end-of-session quiz: a session's questions, checking an answer, the workbook lines.

The questions are loaded and checked with the instruments, by
:func:`rdlearn.selfcheck.instruments.load_quiz`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdlearn.selfcheck.instruments import load_quiz

__all__ = ["quiz_questions", "check_quiz_answer", "quiz_lines"]


def quiz_questions(session: int) -> list[dict]:
    """The quiz questions of one session."""
    quiz = load_quiz()
    if session not in quiz:
        raise KeyError(f"there is no session {session}")
    return quiz[session]


def check_quiz_answer(question: Mapping, choice: Any) -> bool:
    """Whether ``choice`` (the index of an option) is right; ``ValueError`` if not an option."""
    if isinstance(choice, bool) or not isinstance(choice, int) or not (
        0 <= choice < len(question["options"])
    ):
        raise ValueError("Please choose one of the answers shown.")
    return choice == question["answer"]


def quiz_lines(questions: list[Mapping], choices: Mapping[str, int]) -> list[str]:
    """Plain-text lines for the workbook: each answered question, the answer, and whether right."""
    lines = []
    for q in questions:
        if q["id"] not in choices:
            continue
        choice = choices[q["id"]]
        right = check_quiz_answer(q, choice)
        verdict = "right" if right else f"the answer is {q['options'][q['answer']]}"
        lines.append(f"{q['question']} You answered {q['options'][choice]}: {verdict}.")
    return lines
