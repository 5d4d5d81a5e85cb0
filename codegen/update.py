"""``apigen update``: a new spec version from a botocore release.

What changed is what botocore changed, for the spec's operations and every shape they reach:
the spec's latest version names the botocore release it equals, so both releases are imported
(operations restricted to the spec's) and compared element by element in the spec's own JSON
vocabulary (:func:`~codegen.bridge.importer.operation_to_spec` and friends). Each difference
is written into the spec so that every earlier version still materializes as it did:

* an element added (operation, shape, member, enum value) carries ``since: NEW``;
* an element removed carries ``until: NEW`` (it exists before that version only);
* a field changed (a member's target shape, documentation, a shape's ``required`` or limits,
  an operation's errors, ...) takes its new value, and the element's ``history`` keeps the old
  one: ``{"until": NEW, "field": old value}`` (null: absent before).

The spec's own statements (``documented`` constraints, ``rules``, ``documentedErrors``,
``formats``) are kept as they are; a documented ``allowedValues`` that lacks a value the new
enum has is reported, as is anything the format cannot hold.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.bridge.importer import import_model, operation_to_spec, shape_to_spec
from codegen.bridge.releases import Release, fetch_release, resolve_release
from codegen.diff.changelog import Changelog
from codegen.diff.formats import render
from codegen.diff.formats.common import counts_text
from codegen.errors import UsageError
from codegen.files import replace_file
from codegen.loader import format_spec, load_spec, save_spec, spec_from_bytes
from codegen.model import ServiceModel, VersionInfo
from codegen.spec import Spec

Json = dict[str, Any]
OPERATION_FIELDS = ("http", "input", "output", "errors", "documentation", "pagination", "traits")
SHAPE_FIELDS = ("documentation", "required", "min", "max", "pattern", "traits")
MEMBER_FIELDS = ("shape", "locationName", "queryName", "documentation", "traits")


@dataclass
class UpdateResult:
    spec: str
    version: VersionInfo
    document: Json
    report: str  # the text diff of the new version against the one before
    contradictions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed: bool = True


def release_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _botocore_side(
    release: Release, service: str, operations: list[str]
) -> tuple[ServiceModel, Json, Json]:
    """The release's model of ``operations`` (those it has) and its spec JSON: operations, shapes."""
    if service not in release.services():
        raise UsageError(message=f"botocore {release.version} has no service {service!r}")
    model = import_model(
        release.load_model(service),
        name=service,
        paginators=release.load_paginators(service),
        source=f"botocore {release.version}",
    )
    names = [n for n in operations if n in model.operations]
    model = model.restrict(names)
    ops = {n: _plain(operation_to_spec(model.operations[n])) for n in names}
    shapes = {n: _plain(shape_to_spec(model.shapes[n])) for n in model.reachable_shapes(names)}
    return model, ops, shapes


def _plain(entry: Json) -> Json:
    out = json.loads(json.dumps(entry))
    out.pop("provenance", None)
    return dict(out)


class _Writer:
    """Applies the differences between two releases' spec JSON to the spec document."""

    def __init__(self, version: str, release: str) -> None:
        self.version = version
        self.release = release
        self.problems: list[str] = []
        self.count = 0

    def fields(
        self, entry: Json, old: Mapping[str, Any], new: Mapping[str, Any], names: tuple[str, ...]
    ) -> None:
        before: Json = {}
        for name in names:
            a, b = old.get(name), new.get(name)
            if a == b:
                continue
            before[name] = copy.deepcopy(entry.get(name))
            if b is None:
                entry.pop(name, None)
            else:
                entry[name] = copy.deepcopy(b)
        if before:
            entry.setdefault("history", []).append({"until": self.version, **before})
            self.count += 1

    def member(self, entry: Json, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.fields(entry, old, new, MEMBER_FIELDS)

    def shape(
        self, name: str, entry: Json, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> None:
        if old["type"] != new["type"]:
            self.problems.append(
                f"shape {name!r} changed type from {old['type']} to {new['type']}: the spec "
                "format holds one type per shape; rename or import it instead"
            )
            return
        self.fields(entry, old, new, SHAPE_FIELDS)
        for slot in ("member", "key", "value"):
            if slot in new and slot in old and slot in entry:
                self.member(entry[slot], old[slot], new[slot])
        members: Json = entry.get("members", {})
        existing = list(members)  # the spec's order, before any member is added
        old_members, new_members = old.get("members", {}), new.get("members", {})
        for mname, m in new_members.items():
            if mname not in old_members:
                if mname in members:
                    self.problems.append(
                        f"shape {name!r}: member {mname!r} is in the spec but not in "
                        "the release it names"
                    )
                    continue
                members[mname] = {**copy.deepcopy(m), "since": self.version}
                self.count += 1
            elif mname in members:
                self.member(members[mname], old_members[mname], m)
        for mname in old_members:
            if mname not in new_members and mname in members:
                members[mname]["until"] = self.version
                self.count += 1
        if new_members or old_members:
            order = _merged(list(old_members), list(new_members), existing)
            if order is None:
                self.problems.append(
                    f"shape {name!r}: members were reordered: the spec keeps one order"
                )
            else:
                entry["members"] = {m: members[m] for m in order}
        self.enum(name, entry, old.get("enum", []), new.get("enum", []))

    def enum(self, name: str, entry: Json, old: list[str], new: list[str]) -> None:
        if old == new:
            return
        current = {(e if isinstance(e, str) else e["value"]): e for e in entry.get("enum", [])}
        order = _merged(old, new, list(current))
        if order is None:
            self.problems.append(
                f"shape {name!r}: enum values were reordered: the spec keeps one order"
            )
            return
        values: list[Any] = []
        for v in order:
            e = current.get(v)
            if e is None:
                e = {"value": v, "since": self.version}
                self.count += 1
            elif v in old and v not in new:
                e = {**({"value": e} if isinstance(e, str) else e), "until": self.version}
                self.count += 1
            values.append(e)
        entry["enum"] = values


def _merged(old: list[str], new: list[str], present: list[str]) -> list[str] | None:
    """``present`` (the spec's order, which holds every version) with the names ``new`` adds,
    each right after its predecessor in ``new``: filtered to any version, the order is that
    version's. None when the names both sides keep changed order (the spec keeps one)."""
    if [n for n in old if n in new] != [n for n in new if n in old]:
        return None
    order = list(present)
    for i, name in enumerate(new):
        if name in order:
            continue
        order.insert(order.index(new[i - 1]) + 1 if i else 0, name)
    return order


def update_spec(
    spec_path: Path,
    to: str,
    *,
    changelog: Changelog | None = None,
    summary: str | None = None,
) -> UpdateResult:
    """The spec document with a new version for botocore release ``to`` (nothing written)."""
    spec = load_spec(spec_path)
    latest = spec.latest
    if latest.botocore is None:
        raise UsageError(
            message=f"{spec.path}: its latest version {latest.version} names no botocore release "
            "to compare with"
        )
    base = resolve_release(latest.botocore)
    target = resolve_release(to)
    if release_key(target.version) <= release_key(base.version):
        raise UsageError(
            message=f"--to botocore:{to}: release {target.version} is not later than "
            f"{base.version}, the spec's latest version {latest.version}"
        )
    built = target.build_date
    if (
        built is None and target.installed
    ):  # installed files carry no build date: the index's copy does
        built = fetch_release(target.version).build_date
    if built is None:
        raise UsageError(
            message=f"botocore {target.version}: its build date is unknown (fetch it again)"
        )
    date = built.isoformat()
    if any(v.version == date or v.date >= date for v in spec.versions):
        raise UsageError(
            message=f"{spec.path}: botocore {target.version} was built on {date}, not after the "
            f"spec's latest version {latest.version} ({latest.date})"
        )
    service = spec.service
    operations = list(spec.model().operations)
    _, old_ops, old_shapes = _botocore_side(base, service, operations)
    new_model, new_ops, new_shapes = _botocore_side(target, service, operations)
    missing = [n for n in operations if n not in old_ops]
    notes: list[str] = []
    if missing:
        notes.append(f"not in botocore {base.version}, left as they are: {', '.join(missing)}")

    document: Json = json.loads(json.dumps(spec.document))
    writer = _Writer(date, target.version)
    for name, entry in document["operations"].items():
        if name not in old_ops or "until" in entry:
            continue
        if name not in new_ops:
            entry["until"] = date
            writer.count += 1
        else:
            writer.fields(entry, old_ops[name], new_ops[name], OPERATION_FIELDS)
    shapes: Json = document["shapes"]
    for name, new in new_shapes.items():
        if name in old_shapes:
            if name in shapes:
                writer.shape(name, shapes[name], old_shapes[name], new)
            continue
        if name in shapes:
            if "until" in shapes[name]:
                writer.problems.append(
                    f"shape {name!r} comes back after its until: give it another name"
                )
            else:
                writer.shape(name, shapes[name], _plain(shape_to_spec_from(spec, name)), new)
            continue
        shapes[name] = {
            **new,
            "since": date,
            "provenance": {
                "source": "botocore",
                "release": target.version,
                "service": service,
                "sha256": target.model_digest(service),
            },
        }
        writer.count += 1
    for name in old_shapes:
        if name not in new_shapes and name in shapes and "until" not in shapes[name]:
            shapes[name]["until"] = date
            writer.count += 1
    if writer.problems:
        raise UsageError(
            message=f"{spec.path}: cannot record botocore {target.version}: "
            + "; ".join(writer.problems)
        )
    document["versions"].append(
        {"date": date, "botocore": target.version, "summary": "(to be written)"}
    )

    updated = _reload(spec_path, document)
    report = _report(updated)
    [service_diff] = report.services or [None]
    text = summary or (
        changelog.summary(target.version, service) if changelog is not None else None
    )
    if not text:
        text = (
            counts_text(service_diff)
            if service_diff is not None
            else "no change to these operations"
        )
    document["versions"][-1]["summary"] = text
    updated = _reload(spec_path, document)
    version = updated.latest
    return UpdateResult(
        spec=spec.path,
        version=version,
        document=document,
        report=render(_report(updated), "text"),
        contradictions=contradictions(updated, new_model, target.version),
        notes=notes,
        changed=writer.count > 0,
    )


def shape_to_spec_from(spec: Spec, name: str) -> Json:
    return shape_to_spec(spec.model().shapes[name])


def _reload(spec_path: Path, document: Json) -> Spec:
    """The document checked by the loader (every problem reported, with the spec's name)."""
    return spec_from_bytes(format_spec(document).encode("utf-8"), str(spec_path))


def _report(spec: Spec) -> Any:
    from codegen.diff.report import diff
    from codegen.generators.reports import spec_source

    latest = spec.latest
    previous = spec.previous(latest)
    assert previous is not None
    return diff(spec_source(spec, previous), spec_source(spec, latest))


def contradictions(spec: Spec, botocore: ServiceModel, release: str) -> list[str]:
    """Documented rules the new model contradicts: allowed values missing an enum value."""
    model = spec.model()
    out: list[str] = []
    for shape in model.shapes.values():
        refs = [(f"{shape.name}.{n}", m) for n, m in shape.members.items()]
        refs += [
            (f"{shape.name}.{slot}", getattr(shape, slot))
            for slot in ("member", "key", "value")
            if getattr(shape, slot) is not None
        ]
        for where, member in refs:
            allowed = member.documented.allowed_values
            target = botocore.shapes.get(member.shape)
            if not allowed or target is None or not target.enum:
                continue
            lacking = [v for v in target.enum if v not in allowed]
            if lacking:
                out.append(
                    f"{where}: documented allowedValues {list(allowed)} lack "
                    f"{', '.join(repr(v) for v in lacking)}, in botocore {release}'s enum {target.name}"
                )
    return out


def write_update(
    spec_path: Path, result: UpdateResult, regenerate: Callable[[], object] | None = None
) -> None:
    """Write the updated spec, then ``regenerate``; if that fails (an output folder that cannot
    be written, a file there that apigen did not write, Ctrl-C), the spec is put back as it was,
    so that running ``update`` again once the cause is fixed adds the version then."""
    original = spec_path.read_bytes()
    save_spec(spec_path, result.document)
    if regenerate is None:
        return
    written = spec_path.read_bytes()
    try:
        regenerate()
    except BaseException:
        if spec_path.read_bytes() == written:  # nobody changed it since: ours to put back
            replace_file(spec_path, original)
        raise
