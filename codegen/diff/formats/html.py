"""The ``html`` format: one self-contained page (inline CSS, no scripts, no external assets)."""

from __future__ import annotations

from codegen.diff.formats.templating import render_template
from codegen.diff.formats.view import report_view
from codegen.diff.report import DiffReport


def render_html(report: DiffReport, *, details: bool = False) -> str:
    return render_template("report.html.j2", **report_view(report, details=details))
