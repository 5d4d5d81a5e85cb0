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
from codegen.diff.report import DiffReport, OperationDiff, ServiceDiff

LINK = "Link ¶"
DOC_LOCATIONS_SHOWN = 6  # per operation; the other formats list every change


def render_text(report: DiffReport, *, details: bool = False) -> str:
    blocks = [service_text(s, details=details) for s in report.services]
    read = "".join(f"{line}\n" for line in report.files_read())
    if read:
        read += "\n"
    if not blocks:
        return f"{read}No changes from {report.old.label} to {report.new.label}.\n"
    return read + "\n\n".join(b.rstrip("\n") for b in blocks) + "\n"


def service_text(service: ServiceDiff, *, details: bool = False) -> str:
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
    for op in main_operations(service):
        lines += operation_text(service, op, details=details)
    docs = [(op, doc_locations(op.changes)) for op in service.operations]
    docs = [(op, where) for op, where in docs if where]
    service_docs = doc_locations(service.service_changes)
    if docs or service_docs:
        lines.append("Documentation changes")
        if service_docs:
            lines.append("(service documentation)")
        for op, where in docs:
            shown = "; ".join(where[:DOC_LOCATIONS_SHOWN])
            more = len(where) - DOC_LOCATIONS_SHOWN
            lines.append(f"{op.name}: {shown}" + (f"; and {more} more" if more > 0 else ""))
        lines.append("")
    return "\n".join(lines)


def operation_text(service: ServiceDiff, op: OperationDiff, *, details: bool = False) -> list[str]:
    lines = [f"{op.name} ({op.status}) {LINK}"]
    if op.status == "updated":
        for direction in SHAPE_DIRECTIONS:
            added = additions(op.changes, direction)
            others = [c for c in op.changes if c.direction == direction and listed(c)]
            if not added and not others:
                continue
            lines.append(DIRECTION_TITLES[direction])
            if added:
                lines.append(pyrepr(added))
            lines += [change_line(c) for c in others]
        own = [c for c in op.changes if c.direction == "operation" and listed(c)]
        if own:
            lines.append(DIRECTION_TITLES["operation"])
            lines += [change_line(c) for c in own]
    lines.append("")
    if details:
        model = service.old_model if op.status == "removed" else service.new_model
        if model is not None and op.name in model.operations:
            lines += operation_details(model, op.name)
            lines.append("")
    return lines
