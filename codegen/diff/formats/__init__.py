"""Output formats of a diff: text, markdown, json, html.

Every format is written service by service (:func:`stream`): each service's part is rendered
as soon as it is compared and appended to a temporary file, so only one service is held at a
time; the head (totals, notes) is written first once every service is done, then the parts.
:func:`render` does the same for a :class:`~codegen.diff.report.DiffReport` held in memory.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

from codegen.diff.report import DiffReport, DiffRun, ServiceDiff

FORMATS = ("text", "markdown", "json", "html")
EXTENSIONS = {"text": "txt", "markdown": "md", "json": "json", "html": "html"}
SPOOL_BYTES = 4 << 20  # a part larger than this goes to a temporary file


class Parts:
    """Named parts of a report's body, each a sequence of chunks joined by a separator."""

    def __init__(self, names: Iterable[str], *, spool: bool) -> None:
        def buffer() -> IO[str]:
            if spool:
                return tempfile.SpooledTemporaryFile(
                    SPOOL_BYTES, mode="w+", encoding="utf-8", newline="\n"
                )
            return io.StringIO()

        self.files: dict[str, IO[str]] = {name: buffer() for name in names}
        self.counts: dict[str, int] = {name: 0 for name in self.files}

    def add(self, name: str, chunk: str, sep: str) -> None:
        if not chunk:
            return
        f = self.files[name]
        if self.counts[name]:
            f.write(sep)
        f.write(chunk)
        self.counts[name] += 1

    def add_pieces(
        self, name: str, pieces: Iterable[str], sep: str, *, tidy: bool = False
    ) -> None:
        """One chunk written a piece at a time (never joined in memory), its trailing newlines
        dropped; with ``tidy``, also its leading ones, and runs of three or more newlines
        anywhere (across pieces too) shortened to two."""
        f = self.files[name]
        pending = 0  # newlines held back: written only if more text follows
        started = False
        for piece in pieces:
            body = piece.rstrip("\n")
            trail = len(piece) - len(body)
            if not body:
                pending += trail
                continue
            lead = 0
            if tidy:
                while "\n\n\n" in body:
                    body = body.replace("\n\n\n", "\n\n")
                stripped = body.lstrip("\n")
                lead, body = len(body) - len(stripped), stripped
            run = pending + lead
            if not started:
                if self.counts[name]:
                    f.write(sep)
                started = True
                if tidy:
                    run = 0
            elif tidy:
                run = min(run, 2)
            f.write("\n" * run + body)
            pending = trail
        if started:
            self.counts[name] += 1

    def copy(self, name: str, out: IO[str]) -> None:
        f = self.files[name]
        f.seek(0)
        shutil.copyfileobj(f, out)

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def _writer(fmt: str) -> Any:
    from codegen.diff.formats import html, json_format, markdown, text

    writers: dict[str, Any] = {
        "text": text,
        "markdown": markdown,
        "json": json_format,
        "html": html,
    }
    try:
        return writers[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}") from None


Destination = Callable[[], AbstractContextManager[IO[str]]]


def write(
    report: Any,
    services: Iterable[ServiceDiff],
    fmt: str,
    destination: Destination,
    *,
    details: bool = False,
    spool: bool = True,
) -> None:
    """Write the report of ``services`` (rendered one at a time); the head comes from ``report``
    (a :class:`DiffReport`, or a :class:`DiffRun` once ``services`` is exhausted). The
    destination is opened once every service is rendered."""
    writer = _writer(fmt)
    parts = Parts(writer.PARTS, spool=spool)
    try:
        for service in services:
            writer.add_service(parts, service, details=details)
        with destination() as out:
            writer.assemble(report, parts, out, details=details)
    finally:
        parts.close()


def render(report: DiffReport, fmt: str = "text", *, details: bool = False) -> str:
    out = io.StringIO()
    write(report, report.services, fmt, lambda: nullcontext(out), details=details, spool=False)
    return out.getvalue()


def stream(run: DiffRun, fmt: str, destination: Destination, *, details: bool = False) -> None:
    """Compare and render service by service: memory holds one service, not the release."""
    write(run, run.services(), fmt, destination, details=details)
