"""The ``markdown`` format: the changelog entry with every change classified, for PRs and
release notes (GitHub-flavoured: tables, ``<details>``)."""

from __future__ import annotations

from codegen.diff.formats.templating import render_template
from codegen.diff.formats.view import report_view
from codegen.diff.report import DiffReport


def render_markdown(report: DiffReport, *, details: bool = False) -> str:
    text = render_template("report.md.j2", **report_view(report, details=details))
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"
