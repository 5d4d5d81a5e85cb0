"""``apigen update``: a new spec version from a botocore release.

The spec's latest version names the botocore release it equals. The update brings the spec's
latest state to what the new release says and records the difference as a new version, so
that every earlier version still materializes exactly as it did (the format:
:mod:`codegen.spec`):

* an element added (operation, shape, member, enum value) carries ``since: NEW``; one that
  botocore brings back after removing it gets ``exists`` entries in its ``history``;
* an element removed carries ``until: NEW`` (it exists before that version only);
* a field changed (a member's target shape, documentation, a shape's ``required``, limits,
  type or traits, an operation's errors, the service's metadata, ...) takes its new value, and
  the element's ``history`` keeps the old one: ``{"until": NEW, "field": old value}`` (null:
  absent before). A shape whose type changes keeps every field of its earlier type there;
  members or enum values that botocore reorders keep their earlier order there
  (``memberOrder``, ``enumOrder``: one entry however many moved).

Waiters (the spec's top-level ``waiters``, botocore's ``waiters-2.json``) follow the same rules:
a waiter botocore adds carries ``since``, one it removes ``until``, one it changes (delay,
attempts, acceptors, ...) keeps its earlier fields in its ``history``; a waiter exists in a
version where it and its operation do, so that ``apigen export SPEC@V --format
botocore-waiters`` is the release's ``waiters-2.json`` for every version ``V``.

What the update follows is the spec's ``scope``:

* ``service`` (a whole-service import): every operation and shape of the service, reached
  or not, and the service's metadata, documentation and top-level traits. The new version is
  the release, element for element (the spec and the release are compared directly).
* ``operations`` (a spec of chosen operations): those operations and the shapes they reach,
  and the service's metadata and traits (how it goes on the wire). What changed is what
  botocore changed between the spec's release and the new one (a three-way merge), so that
  what the spec says differently from botocore by hand (shortened documentation, say) is
  kept until botocore changes that very field.

Specs written before ``scope`` existed follow the whole service when they hold every
operation of the release their first version names. The spec's own statements
(``documented`` constraints, ``rules``, ``documentedErrors``, ``formats``) are kept as they
are; a documented ``allowedValues`` that lacks a value the new enum has is reported. Before
anything is written, the updated document goes through every check of the loader, and the
new version is compared with the release it names and the previous version with what it was:
a difference there is a bug of this module, reported as such, and nothing is written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.bridge.exporter import export_service, export_waiters
from codegen.bridge.importer import (
    import_model,
    operation_to_spec,
    shape_to_spec,
    waiter_to_spec,
)
from codegen.bridge.modelcheck import check_model
from codegen.bridge.releases import Release, fetch_release, resolve_release
from codegen.diff.changelog import Changelog
from codegen.diff.formats import render
from codegen.diff.formats.common import counts_text
from codegen.docs import paragraphs
from codegen.errors import UsageError
from codegen.files import replace_file
from codegen.loader import format_spec, load_spec, placed, save_spec, spec_from_bytes
from codegen.model import ServiceModel, VersionInfo
from codegen.spec import Spec, enum_value

Json = dict[str, Any]
OPERATION_FIELDS = ("http", "input", "output", "errors", "documentation", "pagination", "traits")
MEMBER_FIELDS = ("shape", "locationName", "queryName", "documentation", "traits")
# the fields of a shape that any type may have, and those that depend on its type
SHAPE_FIELDS = ("documentation", "required", "min", "max", "pattern", "patternEnforced", "traits")
TYPED_FIELDS = ("type", "members", "member", "key", "value", "enum")
SERVICE_FIELDS = ("metadata", "documentation", "traits")
WAITER_FIELDS = ("operation", "delay", "maxAttempts", "description", "acceptors", "traits")
_MISSING = object()


@dataclass
class UpdateResult:
    spec: str
    version: VersionInfo
    document: Json
    report: str  # the text diff of the new version against the one before
    contradictions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed: bool = True
    warnings: list[str] = field(default_factory=list)
    follow: str | None = None  # a spec of chosen operations: how to follow more


def release_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


# -- the two sides, in the spec's own JSON vocabulary ------------------------------------------


@dataclass
class Side:
    """A model's service fields, operations, shapes and waiters as spec JSON (botocore's
    fields only)."""

    service: Json
    operations: dict[str, Json]
    shapes: dict[str, Json]
    waiters: dict[str, Json] = field(default_factory=dict)


def _plain(entry: Mapping[str, Any]) -> Json:
    out = json.loads(json.dumps(entry))
    out.pop("provenance", None)
    return dict(out)


def side(
    model: ServiceModel, metadata: Mapping[str, Any], operations: list[str], shapes: list[str]
) -> Side:
    service: Json = {"metadata": dict(metadata)}
    documentation = paragraphs(model.documentation)
    if documentation:
        service["documentation"] = documentation
    if model.traits:
        service["traits"] = _plain(model.traits)
    followed = set(operations)
    return Side(
        service,
        {n: _plain(operation_to_spec(model.operations[n])) for n in operations},
        {n: _plain(shape_to_spec(model.shapes[n])) for n in shapes},
        {
            n: _plain(waiter_to_spec(w))
            for n, w in sorted(model.waiters.items())
            if w.operation in followed
        },
    )


def merge3(current: Any, base: Any, target: Any) -> Any:
    """What the spec should say: the target where botocore changed it (``base`` -> ``target``),
    the spec's own ``current`` where botocore did not; objects merged key by key (``_MISSING``:
    absent)."""
    if base == target:
        return current
    if current == base or not (
        isinstance(current, dict) and isinstance(base, dict) and isinstance(target, dict)
    ):
        return target
    out: Json = {}
    for key, value in target.items():
        merged = merge3(current.get(key, _MISSING), base.get(key, _MISSING), value)
        if merged is not _MISSING:
            out[key] = merged
    for key, value in current.items():
        if key not in target and key not in base:
            out[key] = value  # the spec's own
    return out


def _fetched(release: Release, service: str) -> tuple[Json, ServiceModel]:
    """The release's raw model (checked: a malformed one is an error naming its file) and
    its import."""
    if service not in release.services():
        raise UsageError(message=f"botocore {release.version} has no service {service!r}")
    raw = release.load_model(service)
    check_model(raw, str(release.model_path(service)))
    model = import_model(
        raw,
        name=service,
        paginators=release.load_paginators(service),
        waiters=release.load_waiters(service),
        source=f"botocore {release.version}",
    )
    return raw, model


def follows_service(spec: Spec) -> bool:
    """Whether ``spec`` follows the whole service: its ``scope``, or for a spec written before
    there was one, whether it holds every operation of the release its first version names."""
    scope = spec.document.get("scope")
    if scope is not None:
        return bool(scope == "service")
    first = spec.versions[0].botocore
    if first is None:
        return False
    release = resolve_release(first)
    if spec.service not in release.services():
        return False
    operations = release.load_model(spec.service).get("operations", {})
    return bool(operations) and set(operations) <= set(spec.document["operations"])


# -- writing the differences into the document -------------------------------------------------


class _Writer:
    """Brings the document's elements from their latest state (``current`` views) to the
    wanted one, recording the difference as version ``version``."""

    def __init__(self, version: str, provenance: Json) -> None:
        self.version = version
        self.provenance = provenance
        self.count = 0

    # history entries, one per element and version

    def record(self, entry: Json, before: Mapping[str, Any], version: str | None = None) -> None:
        if not before:
            return
        version = version or self.version
        history: list[Json] = entry.setdefault("history", [])
        for h in history:
            if h["until"] == version:
                h.update(before)
                break
        else:
            history.append({"until": version, **before})
        self.count += 1

    def fields(
        self,
        entry: Json,
        current: Mapping[str, Any],
        want: Mapping[str, Any],
        names: tuple[str, ...],
    ) -> Json:
        """Set each field of ``names`` that differs to its wanted value; their old values."""
        before: Json = {}
        for name in names:
            if current.get(name) == want.get(name):
                continue
            before[name] = copy.deepcopy(entry.get(name))
            _put(entry, name, want.get(name))
        return before

    def replace(self, entry: Json, want: Mapping[str, Any], names: tuple[str, ...]) -> Json:
        """Every field of ``names`` as wanted, whatever it held before (a shape that changes
        type, an element brought back); their old values."""
        before: Json = {}
        for name in names:
            if entry.get(name) != want.get(name):
                before[name] = copy.deepcopy(entry.get(name))
                _put(entry, name, want.get(name))
        # the earlier members and enum values come back whole, in their own order
        if "members" in before:
            before["memberOrder"] = None
        if "enum" in before:
            before["enumOrder"] = None
        return before

    def add(self, want: Mapping[str, Any], provenance: bool = True) -> Json:
        self.count += 1
        entry = {**copy.deepcopy(dict(want)), "since": self.version}
        if provenance:
            entry["provenance"] = dict(self.provenance)
        return entry

    def remove(self, entry: Json) -> Json:
        self.count += 1
        entry["until"] = self.version
        return entry

    def revive(self, entry: Json, want: Mapping[str, Any], names: tuple[str, ...]) -> Json:
        """An element botocore brought back: it existed until its ``until``, not from then to
        this version, and from now on as ``want`` says."""
        until = entry.pop("until", None)
        before = self.replace(entry, want, names)
        if until is not None:
            self.record(entry, {"exists": True}, until)
            before["exists"] = False
        self.record(entry, before)
        return entry

    # elements

    def operation(self, entry: Json, current: Json, want: Json) -> None:
        self.record(entry, self.fields(entry, current, want, OPERATION_FIELDS))

    def waiter(self, entry: Json, current: Json, want: Json) -> None:
        self.record(entry, self.fields(entry, current, want, WAITER_FIELDS))

    def member(self, entry: Json, current: Json, want: Json) -> None:
        self.record(entry, self.fields(entry, current, want, MEMBER_FIELDS))

    def shape(self, entry: Json, current: Json, want: Json) -> None:
        if current["type"] != want["type"]:
            before = self.replace(entry, want, TYPED_FIELDS + SHAPE_FIELDS)
            if want["type"] != "structure" and "rules" in entry:
                before["rules"] = entry.pop("rules")  # the spec's own, for its members
            self.record(entry, before)
            return
        before = self.fields(entry, current, want, SHAPE_FIELDS)
        if want["type"] == "structure":
            self.members(entry, current.get("members", {}), want.get("members", {}), before)
        for slot in ("member", "key", "value"):
            if slot in want:
                self.member(entry[slot], current[slot], want[slot])
        self.enum(entry, current.get("enum", []), want.get("enum", []), before)
        self.record(entry, before)

    def members(self, entry: Json, current: Json, want: Json, before: Json) -> None:
        written: Json = entry.setdefault("members", {})
        earlier = list(written)
        for name, member in want.items():
            if name in current:
                self.member(written[name], current[name], member)
            elif name in written:
                self.revive(written[name], member, MEMBER_FIELDS)
            else:
                written[name] = self.add(member, provenance=False)
        for name in current:
            if name not in want:
                self.remove(written[name])
        order = _order(earlier, list(want), before, "memberOrder")
        entry["members"] = {name: written[name] for name in order}

    def enum(self, entry: Json, current: list[str], want: list[str], before: Json) -> None:
        if current == want:
            return
        written = {enum_value(e): e for e in entry.get("enum", [])}
        earlier = list(written)
        kept = set(current)
        for value in want:
            if value in kept:
                continue
            if value in written:
                written[value] = self.revive(_object(written[value]), {}, ())
            else:
                written[value] = self.add({"value": value}, provenance=False)
        wanted = set(want)
        for value in current:
            if value not in wanted:
                written[value] = self.remove(_object(written[value]))
        order = _order(earlier, want, before, "enumOrder")
        entry["enum"] = [written[v] for v in order]


def _put(entry: Json, name: str, value: Any) -> None:
    if value is None:
        entry.pop(name, None)
    else:
        entry[name] = copy.deepcopy(value)


def _object(value: str | Json) -> Json:
    return {"value": value} if isinstance(value, str) else value


def _order(earlier: list[str], want: list[str], before: Json, key: str) -> list[str]:
    """The order to write names in: ``earlier`` (every name written, in their order) with the
    names ``want`` adds, each right after its predecessor in ``want``; filtered to any
    version, that is the version's order. When ``want`` keeps earlier names in another order,
    ``want`` comes first and ``before[key]`` keeps the earlier order for the versions before."""
    known = set(earlier)
    following: dict[str | None, list[str]] = {}  # new names, by the earlier name they follow
    anchor: str | None = None
    for name in want:
        if name in known:
            anchor = name
        else:
            following.setdefault(anchor, []).append(name)
    order = list(following.get(None, ()))
    for name in earlier:
        order.append(name)
        order.extend(following.get(name, ()))
    wanted = set(want)
    if [n for n in order if n in wanted] == want:
        return order
    before[key] = list(earlier)
    return list(want) + [n for n in earlier if n not in wanted]


# -- the update --------------------------------------------------------------------------------


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
    target = resolve_release(to)
    if release_key(target.version) <= release_key(latest.botocore):
        raise UsageError(
            message=f"--to botocore:{to}: release {target.version} is not later than "
            f"{latest.botocore}, the spec's latest version {latest.version}"
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
    whole = follows_service(spec)
    raw, new_model = _fetched(target, service)
    current_model = spec.model()
    document: Json = json.loads(json.dumps(spec.document))
    notes: list[str] = []
    follow: str | None = None
    if whole:
        wanted = side(
            new_model, raw.get("metadata", {}), list(new_model.operations), list(new_model.shapes)
        )
        current = side(
            current_model,
            document["metadata"],
            list(current_model.operations),
            list(current_model.shapes),
        )
    else:
        wanted, current, base_model = _chosen(spec, current_model, new_model, raw, notes)
        follow = _follow(spec, target, new_model, base_model)
    original = list(document)
    document["scope"] = "service" if whole else "operations"

    writer = _Writer(
        date,
        {
            "source": "botocore",
            "release": target.version,
            "service": service,
            "sha256": target.model_digest(service),
        },
    )
    warnings = _apply(document, current, wanted, writer)
    document = placed(document, original)
    document["versions"].append(
        {"date": date, "botocore": target.version, "summary": "(to be written)"}
    )
    updated = _reload(spec_path, document)
    _verify(spec, updated, wanted)
    report = _report(updated)
    [service_diff] = report.services or [None]
    text = summary or (
        changelog.summary(target.version, service) if changelog is not None else None
    )
    if not text:
        text = (
            counts_text(service_diff)
            if service_diff is not None
            else ("no change" if whole else "no change to these operations")
        )
    document["versions"][-1]["summary"] = text
    if service_diff is not None:
        service_diff.summary = text  # what the report says the version changed
    # only the summary changed: save_spec checks the document once more before writing it
    updated = Spec(updated.path, document, updated.sha256)
    return UpdateResult(
        spec=spec.path,
        version=updated.latest,
        document=document,
        report=render(report, "text"),
        contradictions=contradictions(updated, new_model, target.version),
        notes=notes,
        changed=writer.count > 0,
        warnings=warnings,
        follow=follow,
    )


def _chosen(
    spec: Spec, current_model: ServiceModel, new_model: ServiceModel, raw: Json, notes: list[str]
) -> tuple[Side, Side, ServiceModel]:
    """The wanted and current sides of a spec of chosen operations: its operations (those
    removed earlier too, should botocore bring them back) and the shapes they reach, merged
    three ways with the release the spec's latest version names (the third result)."""
    latest = spec.latest
    assert latest.botocore is not None
    followed = list(spec.document["operations"])
    base = resolve_release(latest.botocore)
    base_raw, base_model = _fetched(base, spec.service)
    in_base = [n for n in followed if n in base_model.operations]
    in_target = [n for n in followed if n in new_model.operations]
    # operations botocore has in neither release are the spec's own: left as they are, with
    # every shape they reach
    own = [
        n
        for n in current_model.operations
        if n not in base_model.operations and n not in new_model.operations
    ]
    if own:
        notes.append(f"not in botocore {base.version}, left as they are: {', '.join(own)}")
    current_ops = [n for n in current_model.operations if n not in own]
    reached = new_model.reachable_shapes(in_target)
    kept = set(current_model.reachable_shapes(own)) - set(reached)
    held = [n for n in current_model.reachable_shapes(current_ops) if n not in kept]
    # a shape the followed operations reach now, though the spec held it for another reason
    listed = set(held)
    held += [n for n in reached if n in current_model.shapes and n not in listed]
    current = side(current_model, spec.document["metadata"], current_ops, held)
    old = side(
        base_model,
        base_raw.get("metadata", {}),
        in_base,
        base_model.reachable_shapes(in_base),
    )
    new = side(new_model, raw.get("metadata", {}), in_target, reached)
    service = {
        key: merge3(current.service.get(key), old.service.get(key), new.service.get(key))
        for key in ("metadata", "traits")
    }
    if "documentation" in current.service:  # the spec's own: the service's is not followed
        service["documentation"] = current.service["documentation"]
    wanted = Side(
        {k: v for k, v in service.items() if v is not None},
        {
            n: merge3(current.operations.get(n), old.operations.get(n), new.operations[n])
            for n in in_target
        },
        {n: merge3(current.shapes.get(n), old.shapes.get(n), new.shapes[n]) for n in reached},
        _chosen_waiters(spec, current, old, new),
    )
    return wanted, current, base_model


def _chosen_waiters(spec: Spec, current: Side, old: Side, new: Side) -> dict[str, Json]:
    """The waiters of the followed operations, merged three ways like them. One the spec never
    had (it was imported before waiters came along, or the waiter is new) comes as botocore
    has it; one the spec dropped by hand stays dropped until botocore changes it; one botocore
    has in neither release is the spec's own and stays."""
    written = spec.document.get("waiters", {})
    out: dict[str, Json] = {
        name: w
        for name, w in current.waiters.items()
        if name not in old.waiters and name not in new.waiters
    }
    for name, want in new.waiters.items():
        if name not in written:
            out[name] = want
            continue
        merged = merge3(current.waiters.get(name, _MISSING), old.waiters.get(name, _MISSING), want)
        if merged is not _MISSING:
            out[name] = merged
    return out


def _follow(spec: Spec, target: Release, new: ServiceModel, base: ServiceModel) -> str | None:
    """For a spec of chosen operations: what else the release has, and how to follow it."""
    followed = set(spec.document["operations"])
    others = [n for n in new.operations if n not in followed]
    if not others:
        return None
    fresh = len([n for n in others if n not in base.operations])
    return (
        f"{spec.path} follows its own operations; botocore {target.version} has {len(others)} "
        f"more ({fresh} new since {spec.latest.botocore}). To follow one: apigen import "
        f"{spec.path} --from botocore:{target.version} --since {target.version} --operation "
        "NAME (without --operation: every one, and the spec then follows the whole service)"
    )


def _apply(document: Json, current: Side, wanted: Side, writer: _Writer) -> list[str]:
    """Write what differs between ``current`` and ``wanted`` into ``document``; the warnings
    (patterns kept unenforced)."""
    warnings: list[str] = []
    writer.record(
        document, writer.fields(document, current.service, wanted.service, SERVICE_FIELDS)
    )
    kinds = (
        ("operations", writer.operation, OPERATION_FIELDS),
        ("shapes", writer.shape, TYPED_FIELDS + SHAPE_FIELDS),
        ("waiters", writer.waiter, WAITER_FIELDS),
    )
    if wanted.waiters and "waiters" not in document:
        document["waiters"] = {}
    for kind, write, names in kinds:
        written: Json = document.get(kind, {})
        have: dict[str, Json] = getattr(current, kind)
        for name, want in getattr(wanted, kind).items():
            if name in have:
                write(written[name], have[name], want)
            elif name in written:
                writer.revive(written[name], want, names)
            else:
                written[name] = writer.add(want, provenance=kind != "waiters")
            unenforced = kind == "shapes" and want.get("patternEnforced") is False
            if unenforced and have.get(name, {}).get("pattern") != want.get("pattern"):
                warnings.append(
                    f"shape {name}: pattern {want['pattern']!r} has no form that Python and "
                    "ECMA-262 read alike; kept, not enforced"
                )
        wanted_names = getattr(wanted, kind)
        for name in have:
            if name not in wanted_names:
                writer.remove(written[name])
    return warnings


def _verify(spec: Spec, updated: Spec, wanted: Side) -> None:
    """The new version is what the release says; the one before is what it was."""
    model = updated.model()
    operations = [n for n in wanted.operations if n in model.operations]
    shapes = [n for n in wanted.shapes if n in model.shapes]
    now = side(model, updated.document["metadata"], operations, shapes)
    problems = [
        f"{kind[:-1]} {name}"
        for kind in ("operations", "shapes", "waiters")
        for name, want in getattr(wanted, kind).items()
        if getattr(now, kind).get(name) != want
    ]
    problems += [
        f"service {key}"
        for key in SERVICE_FIELDS
        if now.service.get(key) != wanted.service.get(key)
    ]
    problems += [f"waiter {name}" for name in now.waiters if name not in wanted.waiters]
    previous = spec.latest.version
    before, after = spec.model(previous), updated.model(previous)
    if export_service(after) != export_service(before) or export_waiters(after) != export_waiters(
        before
    ):
        problems.append(f"version {previous} changed")
    if problems:
        raise RuntimeError(
            f"apigen bug: {spec.path}: the update would not record the release as it is: "
            + ", ".join(problems[:10])
        )


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
