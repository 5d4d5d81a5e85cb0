"""Pieces every output format shares: the changelog's change dicts, counts, dates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from codegen.diff.engine import Change
from codegen.diff.report import OperationDiff, ServiceDiff

# Changes the changelog shows inside its ``Changes (request)`` dict: what was added.
DICT_RULES = frozenset(
    {"AddedMember", "AddedRequiredMember", "AddedEnumValue", "InsertedEnumValue"}
)
DIRECTION_TITLES = {
    "request": "Changes (request)",
    "response": "Changes (response)",
    "error": "Changes (errors)",
    "operation": "Changes (operation)",
    "service": "Changes (service)",
}
SHAPE_DIRECTIONS = ("request", "response", "error")


class ValueSet(list):  # type: ignore[type-arg]
    """Added enum values: rendered as a Python set literal, in model order."""


def additions(changes: Iterable[Change], direction: str) -> dict[str, Any]:
    """The ``{'Member': 'type'}`` dict of what ``changes`` add in ``direction``, nested by path."""
    tree: dict[str, Any] = {}
    for change in changes:
        if (
            change.direction != direction
            or change.rule not in DICT_RULES
            or change.severity == "docs"
        ):
            continue
        parts = change.path.split(".") if change.path else []
        if not parts:
            continue
        node = tree
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = node[part] = {}
            node = nxt
        last = parts[-1]
        if change.rule in ("AddedEnumValue", "InsertedEnumValue"):
            values = node.get(last)
            if not isinstance(values, ValueSet):
                values = node[last] = ValueSet()
            values.append(change.new)
        else:
            node[last] = change.new
    return tree


def pyrepr(value: Any) -> str:
    """Python's repr, with added enum values as a set in model order."""
    if isinstance(value, ValueSet):
        return "{" + ", ".join(pyrepr(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    return repr(value)


def listed(change: Change) -> bool:
    """Whether a change is listed on its own line (the dict shows only plain additions)."""
    if change.severity == "docs":
        return False
    return change.rule not in DICT_RULES or change.severity != "non-breaking"


def date_slashes(date: str | None) -> str | None:
    return date.replace("-", "/") if date else None


def counts_text(service: ServiceDiff) -> str:
    counts = service.counts()
    parts = [f"{counts[k]} {k}" for k in ("new", "updated", "removed") if counts[k]]
    if not parts:
        return "documentation changes only" if counts["docs"] else "service changes only"
    total = counts["new"] + counts["updated"] + counts["removed"]
    return " ".join(parts) + (" api method" if total == 1 else " api methods")


def main_operations(service: ServiceDiff) -> list[OperationDiff]:
    return [op for op in service.operations if op.status != "docs"]


def doc_locations(changes: Iterable[Change]) -> list[str]:
    out: list[str] = []
    for c in changes:
        if c.severity != "docs":
            continue
        where = c.direction if not c.path else f"{c.direction} {c.path}"
        if where not in out:
            out.append(where)
    return out


def change_line(change: Change) -> str:
    where = f"{change.path}: " if change.path else ""
    return f"- {where}{change.message} [{change.severity}]"
