"""The ``json`` format: every change as data, described by ``specs/diff-report.schema.json``.

A change found once in a shape and reached from many places is listed once, under its
service's ``shared`` (with the number of places and a few of them; all with ``--details``);
``changes`` lists every other change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from codegen.diff.details import operation_details
from codegen.diff.report import DiffReport, OperationDiff, ServiceDiff

if TYPE_CHECKING:
    from codegen.diff.formats import Parts

FORMAT_ID = "apigen-diff/1"
SCHEMA_ID = "https://apigen.invalid/specs/diff-report.schema.json"
PARTS = ("services", "changes")
_SEP = ",\n"


def _dump(value: Any, indent: int) -> str:
    """``value`` as indented JSON, its lines shifted right by ``indent`` spaces."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return "\n".join(" " * indent + line for line in text.split("\n"))


def operation_document(
    s: ServiceDiff, op: OperationDiff, *, details: bool = False
) -> dict[str, Any]:
    """One operation; with ``details``, its documentation, parameters and response structure
    as the text format shows them (``details``, a list of lines)."""
    out: dict[str, Any] = {
        "name": op.name,
        "status": op.status,
        "worst": op.worst,
        "changes": len(op.changes),
    }
    if details:
        model = s.old_model if op.status == "removed" else s.new_model
        lines = (
            operation_details(model, op.name)
            if model is not None and op.name in model.operations
            else []
        )
        out["details"] = "\n".join(lines).strip("\n").splitlines()
    return out


def service_document(s: ServiceDiff, *, details: bool = False) -> dict[str, Any]:
    """One service as JSON data (its operations' details made all at once: see
    :func:`service_pieces` for the text written an operation at a time)."""
    before, after = _service_fields(s, details=details)
    return {
        **before,
        "operations": [operation_document(s, op, details=details) for op in s.operations],
        **after,
    }


def _service_fields(s: ServiceDiff, *, details: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A service's fields before and after its ``operations``."""
    before = {
        "service": s.name,
        "name": s.full_name,
        "status": s.status,
        "date": s.date,
        "summary": s.summary,
        "severities": s.severity_counts(),
    }
    return before, {"shared": [g.to_json(details=details) for g in s.shared]}


def service_pieces(s: ServiceDiff, *, details: bool = False, indent: int = 4) -> Iterator[str]:
    """:func:`service_document` as indented JSON text (the same text as :func:`_dump`), written
    an operation at a time: with ``--details`` one operation's details are held, never the
    whole service's."""
    fields = _service_fields(s, details=details)
    before, after = (json.dumps(f, indent=2, ensure_ascii=False) for f in fields)
    pad = " " * indent
    yield "\n".join(pad + line for line in (before[:-2] + ',\n  "operations": [').split("\n"))
    for i, op in enumerate(s.operations):
        yield (",\n" if i else "\n") + _dump(
            operation_document(s, op, details=details), indent + 4
        )
    close = "\n" + pad + "  ]" if s.operations else "]"
    yield close + ",\n" + "\n".join(pad + line for line in after[2:].split("\n"))


def add_service(parts: Parts, service: ServiceDiff, *, details: bool = False) -> None:
    parts.add_pieces("services", service_pieces(service, details=details), _SEP)
    held = {id(c) for g in service.shared for c in g.changes}
    for c in service.changes:
        if id(c) not in held:
            parts.add("changes", _dump(c.to_json(), 4), _SEP)


def assemble(report: Any, parts: Parts, out: IO[str], *, details: bool = False) -> None:
    head = {
        "$schema": SCHEMA_ID,
        "format": FORMAT_ID,
        "old": report.old.to_json(),
        "new": report.new.to_json(),
        "summary": {
            **report.severity_counts(),
            "total": report.total,
            "services": report.service_count,
            "suppressed": len(report.suppressed),
        },
        "notes": list(report.notes),
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    out.write(text[: text.rindex("\n}")] + ",\n")
    for name in PARTS:
        if parts.counts[name]:
            out.write(f'  "{name}": [\n')
            parts.copy(name, out)
            out.write("\n  ],\n")
        else:
            out.write(f'  "{name}": [],\n')
    tail = {
        "suppressed": [c.to_json() for c in report.suppressed],
        "unmatchedSuppressions": [{"source": e.source, "entry": e.text} for e in report.unmatched],
    }
    text = json.dumps(tail, indent=2, ensure_ascii=False)
    out.write(text[text.index("\n") + 1 :] + "\n")


def report_document(report: DiffReport, *, details: bool = False) -> dict[str, Any]:
    from codegen.diff.formats import render

    document: dict[str, Any] = json.loads(render(report, "json", details=details))
    return document


def render_json(report: DiffReport, *, details: bool = False) -> str:
    from codegen.diff.formats import render

    return render(report, "json", details=details)
