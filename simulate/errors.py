"""Errors a user can fix, reported as one line: ``file:line: key: what is wrong``.

Anything raised as :class:`InputError` reaches the user as that one line and exit code 2; the
command line never shows a traceback for bad input. :class:`InputErrors` carries every problem
found in a file at once (``icsim validate`` shows them all), still one line each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulate import INTERRUPTED  # noqa: F401 - where the commands look for it

if TYPE_CHECKING:  # only annotations: the command imports this first, and fast
    from pathlib import Path


class InputError(Exception):
    """A problem with a file, key or value the user supplied."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"

    @property
    def problems(self) -> list[InputError]:
        """Each problem as its own one-line error (just this one)."""
        return [self]


class InputErrors(InputError):
    """Several problems found together, e.g. every bad key of one file; one line per problem."""

    def __init__(self, problems: list[InputError]):
        if not problems:
            raise ValueError("InputErrors needs at least one problem")
        first = problems[0]
        super().__init__(first.message, file=first.file, line=first.line, key=first.key)
        self._problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self._problems)

    @property
    def problems(self) -> list[InputError]:
        """Each problem as its own one-line error, in the order found."""
        return list(self._problems)
