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
            where += f" at {cut(self.pointer, 200)}"
        return f"{where}: {cut(self.message, 400)}"


def cut(text: str, limit: int) -> str:
    """``text``, or its start and how long it was when longer than ``limit`` characters."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 30]}... ({len(text)} characters)"


def displayable(text: str) -> str:
    """``text`` as one line of printable Unicode: what any output (a terminal, a UTF-8 file, a
    comment in generated code, JSON, HTML) can carry as it is.

    Meant for names the toolkit did not choose, file names above all: a byte of a file name
    that is not UTF-8 (which Python holds as a lone surrogate, U+DC80-U+DCFF) is written
    ``\\xff``, any other character that is not printable (a newline, an escape, a lone
    surrogate) as Python writes it in a string (``\\n``, ``\\x1b``, ``\\udfff``)."""
    if text.isprintable():  # the usual case; a surrogate or a control character is not
        return text
    out: list[str] = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif "\udc80" <= ch <= "\udcff":  # os.fsdecode's surrogateescape of a byte
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def excerpt(value: Any, limit: int = 60) -> str:
    """A short excerpt of a JSON value for a message: its ``repr``, or the start of it and what
    the value is (a string of N characters, a list of N items, an object with N keys)."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[: limit - 10]!r}... (a string of {len(value)} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)  # JSON values only: small once strings and integers are bounded above
    if len(text) <= limit:
        return text
    if isinstance(value, list):
        return f"{text[: limit - 10]}... (a list of {_count(len(value), 'item')})"
    if isinstance(value, dict):
        return f"{text[: limit - 10]}... (an object with {_count(len(value), 'key')})"
    return f"{text[: limit - 10]}..."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class SpecError(ApigenError):
    """A spec could not be loaded; ``problems`` lists every problem found, not only the first."""

    fmt = "{file}: {count} problem(s)\n{details}"

    def __init__(self, file: str, problems: list[SpecProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.pointer, p.message))
        details = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(file=file, count=len(self.problems), details=details)


class ModelFileError(ApigenError):
    """A botocore model file (service-2, paginators-1) is malformed: every problem, each with
    the file and a JSON pointer (the first ``LIMIT`` listed, then how many more)."""

    fmt = "{file}: not a usable botocore model: {count} problem(s)\n{details}"
    LIMIT = 20

    def __init__(self, file: str, problems: list[SpecProblem]) -> None:
        self.problems = problems
        shown = [f"  {p}" for p in problems[: self.LIMIT]]
        if len(problems) > self.LIMIT:
            shown.append(f"  ... and {len(problems) - self.LIMIT} more")
        super().__init__(file=file, count=len(problems), details="\n".join(shown))


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
