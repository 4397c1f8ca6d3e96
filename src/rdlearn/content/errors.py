"""The errors of the content layer, apart so that every content module can raise them.

>>> str(ContentError("quiz.yaml", "question 's1-x'", "'kind' is missing"))
"data file quiz.yaml, question 's1-x': 'kind' is missing"
"""

from __future__ import annotations

__all__ = ["ContentError", "ContentWarning"]


class ContentError(ValueError):
    """A data file is missing or does not follow its schema.

    The message is written for a facilitator: ``data file X, row 12: value must be 0 to 10``.
    """

    def __init__(self, file: str, where: str | None, problem: str):
        self.file = file
        self.where = where
        self.problem = problem
        place = f"data file {file}" + (f", {where}" if where else "")
        super().__init__(f"{place}: {problem}")


class ContentWarning(UserWarning):
    """Something in the content is odd but usable."""
