"""One exception hierarchy for the whole toolkit.

Every error a user can cause (a malformed spec, an unknown botocore release, a bad
command-line argument) is an :class:`ApigenError`. Each subclass carries structured fields
and renders its message from a format string, in the manner of botocore's ``BotoCoreError``;
the CLI prints ``str(error)`` and exits with status 2, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class ApigenError(Exception):
    """Base class of every error the toolkit reports to its users."""

    fmt = "An unspecified error occurred"

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        super().__init__(self.fmt.format(**kwargs))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["kwargs"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True, order=True)
class SpecProblem:
    """One problem found in a spec file: where (file, JSON pointer, line/column) and what."""

    file: str
    pointer: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        if self.pointer:
            where += f" at {self.pointer}"
        return f"{where}: {self.message}"


class SpecError(ApigenError):
    """A spec could not be loaded; ``problems`` lists every problem found, not only the first."""

    fmt = "{file}: {count} problem(s)\n{details}"

    def __init__(self, file: str, problems: list[SpecProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.pointer, p.message))
        details = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(file=file, count=len(self.problems), details=details)


class ModelError(ApigenError):
    """An in-memory model broke one of its invariants (a bug in an importer, or bad input)."""

    fmt = "{where}: {message}"


class UnknownShapeError(ModelError):
    fmt = "unknown shape {name!r} (referenced from {where})"


class UnknownVersionError(ApigenError):
    fmt = "{spec}: no version {version!r}; known versions: {known}"


class UnknownOperationError(ApigenError):
    fmt = "{source}: no operation {name!r}{hint}"


class BotocoreFetchError(ApigenError):
    """A botocore release could not be fetched or read from the cache."""

    fmt = "botocore {version}: {reason}"


class ImportConflictError(ApigenError):
    fmt = "{spec}: cannot import {what}: {reason}"


class CombineConflictError(ApigenError):
    fmt = "{specs} do not agree ({count} conflict(s)): {problems}"


class UsageError(ApigenError):
    fmt = "{message}"
