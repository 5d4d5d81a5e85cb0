"""The report as plain data for the markdown and HTML templates."""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from codegen.diff.details import operation_details
from codegen.diff.formats.common import (
    DIRECTION_TITLES,
    SHAPE_DIRECTIONS,
    additions,
    counts_text,
    pyrepr,
)
from codegen.diff.report import EXAMPLES, ServiceDiff, SharedChange
from codegen.diff.rules import SEVERITIES, severity_rank
from codegen.model import ServiceModel


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


class LazyDetails:
    """An operation's ``--details`` text, made when a template writes it (and then let go):
    the templates are rendered a piece at a time, so one service's details need not be held
    whole (quicksight's take 142 MB)."""

    def __init__(self, model: ServiceModel, name: str) -> None:
        self.model, self.name = model, name

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return "\n".join(operation_details(self.model, self.name)).strip("\n")

    def __html__(self) -> str:
        return str(escape(str(self)))


def reach_text(g: SharedChange, *, details: bool) -> str:
    """``127 places in 98 operations: A request X; B response Y.X; ... and 122 more``."""
    shown = g.places if details else g.places[:EXAMPLES]
    more = len(g.places) - len(shown)
    text = f"{len(g.places)} places in {len(g.operations)} operation(s): " + "; ".join(
        p.text() for p in shown
    )
    return text + (f"; and {more} more (all with --details)" if more else "")


def severity_text(g: SharedChange) -> str:
    by_direction = g.severities()
    if len(set(by_direction.values())) <= 1:
        return g.severity
    return ", ".join(f"{d}: {sev}" for d, sev in by_direction.items())


def _shared(g: SharedChange, *, details: bool) -> dict[str, Any]:
    shown = g.places if details else g.places[:EXAMPLES]
    return {
        "label": g.label,
        "rule": g.rule,
        "severity": g.severity,
        "severities": severity_text(g),
        "breaking": g.severity == "breaking",
        "message": g.message,
        "reach": reach_text(g, details=details),
        "reach_head": f"{len(g.places)} places in {len(g.operations)} operation(s):",
        "places": [p.text() for p in shown],
        "more": len(g.places) - len(shown),
    }


def service_view(s: ServiceDiff, *, details: bool) -> dict[str, Any]:
    ops = []
    for op in s.operations:
        dicts = []
        for direction in SHAPE_DIRECTIONS:
            added = additions(op.own, direction)
            if added:
                dicts.append({"title": DIRECTION_TITLES[direction], "text": pyrepr(added)})
        real = sorted(
            (c for c in op.own if c.severity != "docs"), key=lambda c: severity_rank(c.severity)
        )
        docs = [c for c in op.own if c.severity == "docs"]
        text: LazyDetails | str = ""
        if details:
            model = s.old_model if op.status == "removed" else s.new_model
            if model is not None and op.name in model.operations:
                text = LazyDetails(model, op.name)
        ops.append(
            {
                "name": op.name,
                "status": op.status,
                "worst": op.worst,
                "breaking": any(c.severity == "breaking" for c in op.changes),
                "dicts": dicts,
                "changes": [_change(c) for c in real],
                "docs": [_change(c) for c in docs],
                "shared": [g.label for g in op.shared],
                "details": text,
            }
        )
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
        "shared": [_shared(g, details=details) for g in s.shared],
        "operations": [o for o in ops if o["status"] != "docs"],
        "doc_operations": [o for o in ops if o["status"] == "docs"],
    }


def head_view(report: Any) -> dict[str, Any]:
    """What the head of a report shows: the sides, totals and notes (a DiffReport or a DiffRun)."""
    return {
        "old": report.old,
        "new": report.new,
        "counts": report.severity_counts(),
        "severities": SEVERITIES,
        "total": report.total,
        "service_count": report.service_count,
        "suppressed": len(report.suppressed),
        "unmatched": [f"{e.source}: {e.text}" for e in report.unmatched],
        "notes": report.notes,
        "files_read": report.files_read(),
    }
