"""``apigen diff``: the command's body (``codegen/cli.py`` only declares its options)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from codegen.diff.changelog import load_changelog
from codegen.diff.formats import stream
from codegen.diff.report import DiffRun, FailOn
from codegen.diff.sources import parse_source
from codegen.diff.suppress import load_suppressions
from codegen.errors import displayable, excerpt
from codegen.files import open_output


def run_diff(
    old: str,
    new: str,
    *,
    services: Sequence[str] = (),
    operations: Sequence[str] = (),
    fmt: str = "text",
    details: bool = False,
    output: Path | None = None,
    fail_on: FailOn = "any",
    ignore: Path | None = None,
    changelog: Path | None = None,
    allow_service_mismatch: bool = False,
) -> int:
    """Compare, write the report, warn on standard error; return the exit status (0 or 1)."""
    suppressions = load_suppressions(ignore) if ignore is not None else []
    log = load_changelog(changelog) if changelog is not None else None
    report = DiffRun(
        parse_source(old, "OLD"),
        parse_source(new, "NEW"),
        services=services,
        operations=operations,
        changelog=log,
        suppressions=suppressions,
        elide_docs=not details,
        allow_service_mismatch=allow_service_mismatch,
    )
    # Compared and rendered service by service (memory holds one service); the destination is
    # opened only once every service is done, so a failed diff leaves no file behind.
    if output is not None:
        stream(report, fmt, lambda: open_output(output), details=details)
        click.echo(f"wrote {displayable(str(output))}", err=True)
    else:
        stream(report, fmt, lambda: contextlib.nullcontext(sys.stdout), details=details)
        sys.stdout.flush()
    for note in report.notes:
        click.echo(f"apigen: note: {note}", err=True)
    for entry in report.unmatched:
        click.echo(
            f"apigen: warning: --ignore {entry.source}: {excerpt(entry.text)} matched no change"
            f"{entry.hint()}",
            err=True,
        )
    return report.exit_code(fail_on)
