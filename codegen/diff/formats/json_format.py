"""The ``json`` format: every change as data, described by ``specs/diff-report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from codegen.diff.details import operation_details
from codegen.diff.report import DiffReport

FORMAT_ID = "apigen-diff/1"
SCHEMA_ID = "https://apigen.invalid/specs/diff-report.schema.json"


def report_document(report: DiffReport, *, details: bool = False) -> dict[str, Any]:
    """The report as JSON data; with ``details``, each operation's documentation, parameters
    and response structure as the text format shows them (``details``, a list of lines)."""

    def operation(s: Any, op: Any) -> dict[str, Any]:
        out = {"name": op.name, "status": op.status, "worst": op.worst, "changes": len(op.changes)}
        if details:
            model = s.old_model if op.status == "removed" else s.new_model
            lines = operation_details(model, op.name) if model is not None and op.name in model.operations else []
            out["details"] = "\n".join(lines).strip("\n").splitlines()
        return out

    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT_ID,
        "old": report.old.to_json(),
        "new": report.new.to_json(),
        "summary": {**report.severity_counts(), "total": len(report.changes),
                    "services": len(report.services), "suppressed": len(report.suppressed)},
        "notes": list(report.notes),
        "services": [
            {
                "service": s.name,
                "name": s.full_name,
                "status": s.status,
                "date": s.date,
                "summary": s.summary,
                "severities": s.severity_counts(),
                "operations": [operation(s, op) for op in s.operations],
            }
            for s in report.services
        ],
        "changes": [c.to_json() for c in report.changes],
        "suppressed": [c.to_json() for c in report.suppressed],
        "unmatchedSuppressions": [{"source": e.source, "entry": e.text} for e in report.unmatched],
    }


def render_json(report: DiffReport, *, details: bool = False) -> str:
    return json.dumps(report_document(report, details=details), indent=2, ensure_ascii=False) + "\n"
