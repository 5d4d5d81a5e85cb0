"""The ``json`` format: every change as data, described by ``specs/diff-report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from codegen.diff.report import DiffReport

FORMAT_ID = "apigen-diff/1"
SCHEMA_ID = "https://apigen.invalid/specs/diff-report.schema.json"


def report_document(report: DiffReport) -> dict[str, Any]:
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
                "operations": [
                    {"name": op.name, "status": op.status, "worst": op.worst, "changes": len(op.changes)}
                    for op in s.operations
                ],
            }
            for s in report.services
        ],
        "changes": [c.to_json() for c in report.changes],
        "suppressed": [c.to_json() for c in report.suppressed],
        "unmatchedSuppressions": [{"source": e.source, "entry": e.text} for e in report.unmatched],
    }


def render_json(report: DiffReport, *, details: bool = False) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"
