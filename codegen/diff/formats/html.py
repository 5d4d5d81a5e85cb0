"""The ``html`` format: one self-contained page (inline CSS, no scripts, no external assets)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from codegen.diff.formats.templating import render_pieces, render_template
from codegen.diff.formats.view import head_view, service_view
from codegen.diff.report import DiffReport, ServiceDiff

if TYPE_CHECKING:
    from codegen.diff.formats import Parts

PARTS = ("nav", "services")


def add_service(parts: Parts, service: ServiceDiff, *, details: bool = False) -> None:
    view = service_view(service, details=details)
    # Each part is one line or block ending in a newline: written without it, joined with it.
    parts.add_pieces("nav", render_pieces("html_nav.html.j2", s=view), "\n")
    parts.add_pieces("services", render_pieces("html_service.html.j2", s=view), "\n")


def assemble(report: Any, parts: Parts, out: IO[str], *, details: bool = False) -> None:
    out.write(render_template("html_head.html.j2", **head_view(report)))
    if parts.counts["nav"]:
        out.write("<nav><ul>\n")
        parts.copy("nav", out)
        out.write("\n</ul></nav>\n")
    out.write("</header>\n<main>\n")
    if parts.counts["services"]:
        parts.copy("services", out)
        out.write("\n")
    out.write("</main>\n</body>\n</html>\n")


def render_html(report: DiffReport, *, details: bool = False) -> str:
    from codegen.diff.formats import render

    return render(report, "html", details=details)
