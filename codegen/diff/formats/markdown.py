"""The ``markdown`` format: the changelog entry with every change classified, for PRs and
release notes (GitHub-flavoured: tables, ``<details>``)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from codegen.diff.formats.templating import render_pieces, render_template
from codegen.diff.formats.view import head_view, service_view
from codegen.diff.report import DiffReport, ServiceDiff

if TYPE_CHECKING:
    from codegen.diff.formats import Parts

PARTS = ("services",)


def _tidy(text: str) -> str:
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n")


def add_service(parts: Parts, service: ServiceDiff, *, details: bool = False) -> None:
    pieces = render_pieces("md_service.md.j2", s=service_view(service, details=details))
    parts.add_pieces("services", pieces, "\n\n", tidy=True)


def assemble(report: Any, parts: Parts, out: IO[str], *, details: bool = False) -> None:
    out.write(_tidy(render_template("md_head.md.j2", **head_view(report))))
    if parts.counts["services"]:
        out.write("\n\n")
        parts.copy("services", out)
    out.write("\n")


def render_markdown(report: DiffReport, *, details: bool = False) -> str:
    from codegen.diff.formats import render

    return render(report, "markdown", details=details)
