"""The ``text`` format: the changelog entry of the seed document, one per service.

::

    Amazon Elastic Compute Cloud

    2020/02/04 - Amazon Elastic Compute Cloud - 2 updated api methods

    Changes  Amazon VPC Flow Logs adds support for 1-minute aggregation intervals.

    CreateFlowLogs (updated) Link ¶
    Changes (request)
    {'MaxAggregationInterval': 'integer'}

The ``{...}`` dict shows what was added, nested by member path (lists collapsed to their items);
every other change follows it on a line of its own with its severity. Operations whose only
changes are to documentation are listed apart at the end. ``Link ¶`` is kept from the seed: it
is how AWS's page renders the permalink after each operation name, and keeping it makes the
output line-for-line comparable with published entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from codegen.diff.details import operation_details
from codegen.diff.formats.common import (
    DIRECTION_TITLES,
    SHAPE_DIRECTIONS,
    additions,
    change_line,
    counts_text,
    date_slashes,
    doc_locations,
    listed,
    main_operations,
    pyrepr,
)
from codegen.diff.formats.view import reach_text, severity_text
from codegen.diff.report import DiffReport, OperationDiff, ServiceDiff, SharedChange

if TYPE_CHECKING:
    from codegen.diff.formats import Parts

LINK = "Link ¶"
DOC_LOCATIONS_SHOWN = 6  # per operation; the other formats list every change
SHARED_TITLE = "Changes shared by many places"


def shared_lines(g: SharedChange, *, details: bool = False) -> list[str]:
    """A change found once in a shape and reached from many places: one line, then its places."""
    return [
        f"{g.label}: {g.message} [{severity_text(g)}]",
        f"  reached from {reach_text(g, details=details)}",
    ]


PARTS = ("services",)


def add_service(parts: Parts, service: ServiceDiff, *, details: bool = False) -> None:
    parts.add_pieces("services", service_pieces(service, details=details), "\n\n")


def assemble(report: Any, parts: Parts, out: IO[str], *, details: bool = False) -> None:
    read = "".join(f"{line}\n" for line in report.files_read())
    if read:
        out.write(read + "\n")
    if not parts.counts["services"]:
        out.write(f"No changes from {report.old.label} to {report.new.label}.\n")
        return
    parts.copy("services", out)
    out.write("\n")


def render_text(report: DiffReport, *, details: bool = False) -> str:
    from codegen.diff.formats import render

    return render(report, "text", details=details)


def service_text(service: ServiceDiff, *, details: bool = False) -> str:
    return "".join(service_pieces(service, details=details)).rstrip("\n")


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def service_pieces(service: ServiceDiff, *, details: bool = False) -> Iterator[str]:
    """The service's block, a piece at a time (one per operation): with ``--details`` one
    service's text can be larger than memory should hold (quicksight: 142 MB)."""
    lines = [service.full_name, ""]
    date = date_slashes(service.date)
    head = f"{service.full_name} - {counts_text(service)}"
    if service.status == "removed":
        head = f"{service.full_name} - service removed ({counts_text(service)})"
    elif service.status == "added":
        head = f"{service.full_name} - new service, {counts_text(service)}"
    lines += [f"{date} - {head}" if date else head, ""]
    if service.summary:
        lines += [f"Changes  {service.summary}", ""]
    own = [c for c in service.service_changes if listed(c)]
    if own:
        lines.append(DIRECTION_TITLES["service"])
        lines += [change_line(c) for c in own]
        lines.append("")
    real = [g for g in service.shared if g.severity != "docs"]
    if real:
        lines.append(SHARED_TITLE)
        for g in real:
            lines += shared_lines(g, details=details)
        lines.append("")
    yield _joined(lines)
    for op in main_operations(service):
        yield _joined(operation_text(service, op, details=details))
    lines = []
    docs = [(op, doc_locations(op.own)) for op in service.operations]
    docs = [(op, where) for op, where in docs if where]
    service_docs = doc_locations(service.service_changes)
    shared_docs = [g for g in service.shared if g.severity == "docs"]
    if docs or service_docs or shared_docs:
        lines.append("Documentation changes")
        if service_docs:
            lines.append("(service documentation)")
        for op, where in docs:
            shown = "; ".join(where[:DOC_LOCATIONS_SHOWN])
            more = len(where) - DOC_LOCATIONS_SHOWN
            lines.append(f"{op.name}: {shown}" + (f"; and {more} more" if more > 0 else ""))
        for g in shared_docs:
            lines += shared_lines(g, details=details)
        lines.append("")
    yield _joined(lines)


def operation_text(service: ServiceDiff, op: OperationDiff, *, details: bool = False) -> list[str]:
    lines = [f"{op.name} ({op.status}) {LINK}"]
    if op.status == "updated":
        for direction in SHAPE_DIRECTIONS:
            added = additions(op.own, direction)
            others = [c for c in op.own if c.direction == direction and listed(c)]
            if not added and not others:
                continue
            lines.append(DIRECTION_TITLES[direction])
            if added:
                lines.append(pyrepr(added))
            lines += [change_line(c) for c in others]
        own = [c for c in op.own if c.direction == "operation" and listed(c)]
        if own:
            lines.append(DIRECTION_TITLES["operation"])
            lines += [change_line(c) for c in own]
        shared = [g.label for g in op.shared if g.severity != "docs"]
        if shared:
            lines.append(f"Shared changes (above): {', '.join(shared)}")
    lines.append("")
    if details:
        model = service.old_model if op.status == "removed" else service.new_model
        if model is not None and op.name in model.operations:
            lines += operation_details(model, op.name)
            lines.append("")
    return lines
