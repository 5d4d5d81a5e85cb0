"""Checking a spec against botocore: structural equality, compatibility, documented rules.

* :func:`structural_differences` compares two models member by member (names, types,
  required, enums, nesting, wire names, pagination) over the operations they share, and
  returns every difference as a readable line.
* :func:`compatibility_problems` checks that what a spec states still holds in a newer
  botocore (members exist with the same type and wire name, enum values are a subset);
  :func:`gained_since` lists what the newer model has that the spec does not.
* :func:`documented_rules` lists every rule the spec states that is not botocore's (the
  :class:`~codegen.model.Constraints`, rules and documented errors), each with its source.

These work on models, never on raw JSON; the model's botocore fields are compared, the spec's
documented additions are not (botocore has no place for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from codegen.model import Member, ServiceModel, Shape

_SCALAR_FIELDS = ("type", "enum", "min", "max", "pattern")


def structural_differences(
    expected: ServiceModel,
    actual: ServiceModel,
    operations: Iterable[str] | None = None,
    *,
    names: tuple[str, str] = ("expected", "actual"),
) -> list[str]:
    """Every structural difference between two models over ``operations`` (default: all of
    either). Shapes are compared by structure and by name (the names are part of botocore's
    model: an export must reproduce them)."""
    left, right = names
    ops = sorted(
        set(operations)
        if operations is not None
        else set(expected.operations) | set(actual.operations)
    )
    out: list[str] = []
    for name in ops:
        a, b = expected.operations.get(name), actual.operations.get(name)
        if a is None or b is None:
            out.append(f"operation {name}: only in {left if b is None else right}")
            continue
        for field in ("http_method", "request_uri", "input", "output", "errors"):
            if getattr(a, field) != getattr(b, field):
                out.append(
                    f"operation {name}: {field} {getattr(a, field)!r} ({left}) != {getattr(b, field)!r} ({right})"
                )
        if a.pagination != b.pagination:
            out.append(
                f"operation {name}: pagination {a.pagination} ({left}) != {b.pagination} ({right})"
            )
        for slot in ("input", "output"):
            sa, sb = getattr(a, slot), getattr(b, slot)
            if sa and sb:
                out.extend(
                    _compare_shapes(expected, actual, sa, sb, f"{name}.{slot}", set(), names)
                )
    return list(dict.fromkeys(out))


def _compare_shapes(
    ma: ServiceModel,
    mb: ServiceModel,
    na: str,
    nb: str,
    path: str,
    seen: set[tuple[str, str]],
    names: tuple[str, str],
) -> Iterator[str]:
    if (na, nb) in seen:
        return
    seen.add((na, nb))
    left, right = names
    if na != nb:
        yield f"{path}: shape name {na!r} ({left}) != {nb!r} ({right})"
    a, b = ma.shapes[na], mb.shapes[nb]
    for field in _SCALAR_FIELDS:
        va, vb = getattr(a, field), getattr(b, field)
        if va != vb:
            yield f"{path}: {field} {va!r} ({left}) != {vb!r} ({right})"
    if a.type != b.type:
        return
    if a.type == "structure":
        if set(a.required) != set(b.required):
            yield f"{path}: required {sorted(a.required)} ({left}) != {sorted(b.required)} ({right})"
        for member in sorted(set(a.members) | set(b.members)):
            if member not in b.members or member not in a.members:
                yield f"{path}.{member}: member only in {left if member in a.members else right}"
                continue
            yield from _compare_refs(
                ma, mb, a.members[member], b.members[member], f"{path}.{member}", seen, names
            )
        if list(a.members) != list(b.members) and set(a.members) == set(b.members):
            yield f"{path}: member order {list(a.members)} ({left}) != {list(b.members)} ({right})"
    for slot in ("member", "key", "value"):
        ra, rb = getattr(a, slot), getattr(b, slot)
        if ra is not None and rb is not None:
            yield from _compare_refs(ma, mb, ra, rb, f"{path}[{slot}]", seen, names)


def _compare_refs(
    ma: ServiceModel,
    mb: ServiceModel,
    a: Member,
    b: Member,
    path: str,
    seen: set[tuple[str, str]],
    names: tuple[str, str],
) -> Iterator[str]:
    left, right = names
    for field in ("location_name", "query_name", "traits"):
        va, vb = getattr(a, field), getattr(b, field)
        if va != vb:
            yield f"{path}: {field} {va!r} ({left}) != {vb!r} ({right})"
    yield from _compare_shapes(ma, mb, a.shape, b.shape, path, seen, names)


# -- against a newer botocore ------------------------------------------------------------


def shape_pairs(old: ServiceModel, new: ServiceModel) -> Iterator[tuple[str, Shape, Shape]]:
    """Each pair of shapes the two models reach along the same path from the operations they
    share: (the path where the pair is first reached, old shape, new shape). Each pair of shape
    names comes once, so recursive shapes terminate; below a pair whose types differ the walk
    stops."""
    queue: list[tuple[str, str, str]] = []
    for name, op in sorted(old.operations.items()):
        other = new.operations.get(name)
        for slot in ("input", "output"):
            a, b = getattr(op, slot), getattr(other, slot) if other else None
            if a and b:
                queue.append((f"{name}.{slot}", a, b))
    seen: set[tuple[str, str]] = set()
    while queue:
        path, na, nb = queue.pop(0)
        if (na, nb) in seen:
            continue
        seen.add((na, nb))
        a, b = old.shapes[na], new.shapes[nb]
        yield path, a, b
        if a.type != b.type:
            continue
        for mname, ref in a.members.items():
            if mname in b.members:
                queue.append((f"{path}.{mname}", ref.shape, b.members[mname].shape))
        for slot in ("member", "key", "value"):
            ra, rb = getattr(a, slot), getattr(b, slot)
            if ra is not None and rb is not None:
                queue.append((f"{path}[{slot}]", ra.shape, rb.shape))


def compatibility_problems(spec: ServiceModel, newer: ServiceModel) -> list[str]:
    """What the spec states that a newer botocore contradicts (operations or members gone,
    types or wire names changed, enum values removed)."""
    out: list[str] = []
    for name, op in sorted(spec.operations.items()):
        other = newer.operations.get(name)
        if other is None:
            out.append(f"operation {name}: missing from the newer model")
            continue
        for slot in ("input", "output"):
            if getattr(op, slot) and not getattr(other, slot):
                out.append(f"operation {name}: {slot} missing from the newer model")
    for path, a, b in shape_pairs(spec, newer):
        if a.type != b.type:
            out.append(f"{path}: type {a.type} became {b.type}")
            continue
        removed = sorted(set(a.enum) - set(b.enum))
        if removed:
            out.append(f"{path}: enum values removed {removed}")
        refs = [(f"{path}.{n}", ref, b.members.get(n)) for n, ref in a.members.items()]
        refs += [
            (f"{path}[{slot}]", getattr(a, slot), getattr(b, slot))
            for slot in ("member", "key", "value")
        ]
        for where, ra, rb in refs:
            if ra is not None and rb is None and where.startswith(f"{path}."):
                out.append(f"{where}: member removed")
            elif (
                ra is not None
                and rb is not None
                and (ra.wire_name, ra.query_name) != (rb.wire_name, rb.query_name)
            ):
                out.append(f"{where}: wire name {ra.wire_name!r} became {rb.wire_name!r}")
    return out


def gained_since(spec: ServiceModel, newer: ServiceModel) -> list[str]:
    """What the newer model has gained over the spec along the spec's operations: members,
    enum values, changes of requiredness."""
    out: list[str] = []
    for path, a, b in shape_pairs(spec, newer):
        if a.type != b.type:
            continue
        added = [v for v in b.enum if v not in a.enum]
        if added:
            out.append(f"{path}: new enum values {added}")
        for mname, ref in b.members.items():
            if mname not in a.members:
                out.append(f"{path}.{mname}: new member ({newer.shapes[ref.shape].type})")
        for mname in sorted(set(a.required) ^ set(b.required)):
            state = "now required" if mname in b.required else "no longer required"
            out.append(f"{path}.{mname}: {state}")
    return out


# -- documented rules --------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentedRule:
    """One rule the spec states that botocore's model does not hold."""

    where: str  # e.g. "CreateFlowLogsRequest.ResourceIds" or "CreateFlowLogsRequest"
    kind: str  # e.g. "max_items", "rule:forbidden", "documented_error"
    detail: str
    source: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} {self.detail}"


def documented_rules(model: ServiceModel) -> list[DocumentedRule]:
    out: list[DocumentedRule] = []
    for shape in model.shapes.values():
        out.extend(_shape_rules(shape))
    for op in model.operations.values():
        for err in op.documented_errors:
            out.append(DocumentedRule(op.name, "documented_error", err.code, err.documentation))
    for fmt in model.formats.values():
        out.append(DocumentedRule(f"format {fmt.name}", "format", fmt.description, fmt.source))
    return sorted(out, key=lambda r: (r.where, r.kind, r.detail))


def _shape_rules(shape: Shape) -> Iterator[DocumentedRule]:
    for ref in shape.children():
        for name, value in ref.documented.items():
            yield DocumentedRule(
                f"{shape.name}.{ref.name}", name, _describe(value), ref.documented.source
            )
    for rule in shape.rules:
        when = f" when {rule.when.describe()}" if rule.when else ""
        what = f"{', '.join(rule.members)}{' ' + rule.format if rule.format else ''}"
        yield DocumentedRule(
            shape.name, f"rule:{rule.kind}", f"{rule.id}: {what}{when}", rule.source
        )


def _describe(value: Any) -> str:
    if hasattr(value, "names"):  # FilterSpec
        return ", ".join(f.name + (f" {list(f.values)}" if f.values else "") for f in value.names)
    if isinstance(value, tuple):
        return repr(list(value))
    return repr(value)
