"""The report as plain data for the markdown and HTML templates."""

from __future__ import annotations

from typing import Any

from codegen.diff.details import operation_details
from codegen.diff.formats.common import (
    DIRECTION_TITLES,
    SHAPE_DIRECTIONS,
    additions,
    counts_text,
    pyrepr,
)
from codegen.diff.report import DiffReport, ServiceDiff
from codegen.diff.rules import SEVERITIES, severity_rank


def _change(c: Any) -> dict[str, Any]:
    return {
        "severity": c.severity,
        "direction": c.direction,
        "path": c.path,
        "message": c.message,
        "rule": c.rule,
        "fingerprint": c.fingerprint,
        "breaking": c.severity == "breaking",
    }


def service_view(s: ServiceDiff, *, details: bool) -> dict[str, Any]:
    ops = []
    for op in s.operations:
        dicts = []
        for direction in SHAPE_DIRECTIONS:
            added = additions(op.changes, direction)
            if added:
                dicts.append({"title": DIRECTION_TITLES[direction], "text": pyrepr(added)})
        real = sorted((c for c in op.changes if c.severity != "docs"), key=lambda c: severity_rank(c.severity))
        docs = [c for c in op.changes if c.severity == "docs"]
        text = ""
        if details:
            model = s.old_model if op.status == "removed" else s.new_model
            if model is not None and op.name in model.operations:
                text = "\n".join(operation_details(model, op.name)).strip("\n")
        ops.append({
            "name": op.name,
            "status": op.status,
            "worst": op.worst,
            "breaking": any(c.severity == "breaking" for c in op.changes),
            "dicts": dicts,
            "changes": [_change(c) for c in real],
            "docs": [_change(c) for c in docs],
            "details": text,
        })
    own = [c for c in s.service_changes]
    return {
        "name": s.name,
        "full_name": s.full_name,
        "status": s.status,
        "date": s.date,
        "summary": s.summary,
        "counts": counts_text(s),
        "severities": s.severity_counts(),
        "breaking": any(c.severity == "breaking" for c in s.changes),
        "changes": [_change(c) for c in own if c.severity != "docs"],
        "docs": [_change(c) for c in own if c.severity == "docs"],
        "operations": [o for o in ops if o["status"] != "docs"],
        "doc_operations": [o for o in ops if o["status"] == "docs"],
    }


def report_view(report: DiffReport, *, details: bool) -> dict[str, Any]:
    counts = report.severity_counts()
    return {
        "old": report.old,
        "new": report.new,
        "counts": counts,
        "severities": SEVERITIES,
        "total": len(report.changes),
        "services": [service_view(s, details=details) for s in report.services],
        "suppressed": len(report.suppressed),
        "unmatched": [f"{e.source}: {e.text}" for e in report.unmatched],
        "notes": report.notes,
        "files_read": report.files_read(),
    }
