"""A whole diff: which services and operations changed, and how, ready for any output format.

:func:`diff` is what the CLI and the reports generator call: two :class:`~codegen.diff.sources.Source`
objects in, a :class:`DiffReport` out (services compared, suppressions applied, dates and
summaries attached).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from codegen.diff.changelog import Changelog
from codegen.diff.engine import Change, compare_models
from codegen.diff.rules import RULES_BY_ID, SEVERITIES, Severity, severity_rank
from codegen.diff.sources import (
    Source,
    collector_paused,
    pair_models,
    prune_pair,
    release_model,
    release_unchanged,
)
from codegen.diff.suppress import Suppression, apply_suppressions
from codegen.errors import UsageError, displayable
from codegen.model import LazyShapes, ServiceModel

OperationStatus = Literal["new", "updated", "removed", "docs"]
ServiceStatus = Literal["added", "removed", "updated"]
FailOn = Literal["breaking", "dangerous", "any"]
_STATUS_ORDER = {"new": 0, "updated": 1, "removed": 2, "docs": 3}


SHARED_MIN_PLACES = 3  # a change found in one shape and reached from this many places is shared
EXAMPLES = 5  # places shown for a shared change (all of them with --details)


@dataclass(frozen=True)
class Place:
    """Where a shared change is reached: an operation, a direction and the member path."""

    operation: str
    direction: str
    path: str
    severity: Severity

    def text(self) -> str:
        return f"{self.operation} {self.direction}" + (f" {self.path}" if self.path else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "direction": self.direction,
            "path": self.path,
            "severity": self.severity,
        }


@dataclass
class SharedChange:
    """A change found once in a shape (``shape``, at member path ``path`` inside it) and reached
    from many places: reported once, with its places. ``items`` are the distinct changes found
    there (e.g. each enum value inserted), as seen at the first place; ``changes`` every change
    the engine reported for them, one per item and place."""

    shape: str
    path: str
    rule: str
    items: list[Change]
    places: list[Place]
    changes: list[Change]

    @property
    def label(self) -> str:
        return f"{self.shape}.{self.path}" if self.path else self.shape

    @property
    def severity(self) -> Severity:
        return min((c.severity for c in self.changes), key=severity_rank, default="docs")

    @property
    def kind(self) -> str:
        return RULES_BY_ID[self.rule].kind

    @property
    def operations(self) -> list[str]:
        return list(dict.fromkeys(p.operation for p in self.places))

    def severities(self) -> dict[str, str]:
        """Severity by direction, e.g. {'request': 'non-breaking', 'response': 'dangerous'}."""
        found = {p.direction: p.severity for p in self.places}
        return {d: found[d] for d in ("request", "response", "error") if d in found}

    @property
    def message(self) -> str:
        values = [
            c for c in self.items if c.rule in _ENUM_RULES and c.shape_subject.startswith("enum ")
        ]
        if len(self.items) > 1 and len(values) == len(self.items):
            verb = {
                "AddedEnumValue": "added",
                "InsertedEnumValue": "inserted",
                "RemovedEnumValue": "removed",
                "RenamedEnumValue": "renamed",
            }[self.rule]
            shown = ", ".join(repr(c.new if c.new is not None else c.old) for c in values)
            return f"{len(values)} enum values {verb}: {{{shown}}}"
        return "; ".join(c.message for c in self.items)

    def to_json(self, *, details: bool = False) -> dict[str, Any]:
        places = self.places if details else self.places[:EXAMPLES]
        return {
            "shape": self.shape,
            "path": self.path,
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "items": [
                {"subject": c.subject, "message": c.message, "old": c.old, "new": c.new}
                for c in self.items
            ],
            "changes": len(self.changes),
            "severities": {
                sev: sum(c.severity == sev for c in self.changes) for sev in SEVERITIES
            },
            "operations": len(self.operations),
            "placeCount": len(self.places),
            "places": [p.to_json() for p in places],
        }


_ENUM_RULES = frozenset(
    {"AddedEnumValue", "InsertedEnumValue", "RemovedEnumValue", "RenamedEnumValue"}
)


def share(changes: Sequence[Change]) -> tuple[list[SharedChange], set[int]]:
    """Group the changes found in one shape and reached from at least ``SHARED_MIN_PLACES``
    places: the shared changes (largest first) and the ids of the changes they hold.

    Two changes are one change seen from two places when they were found in the same shape, at
    the same member path inside it, with the same rule, subject and values. Changes of one
    shape, path and rule reached from exactly the same places (each enum value inserted into
    ``InstanceType``) form one shared change."""
    same: dict[tuple[Any, ...], list[Change]] = {}
    for c in changes:
        if c.shape is None or c.operation is None:
            continue
        key = (c.shape, c.shape_path, c.rule, c.shape_subject, _key(c.old), _key(c.new))
        same.setdefault(key, []).append(c)
    groups: dict[tuple[Any, ...], SharedChange] = {}
    held: set[int] = set()
    for (shape, path, rule, *_), found in same.items():
        places = [Place(c.operation or "", c.direction, c.path, c.severity) for c in found]
        if len(set(places)) < SHARED_MIN_PLACES:
            continue
        where = tuple(places)
        group = groups.get((shape, path, rule, where))
        if group is None:
            group = groups[(shape, path, rule, where)] = SharedChange(
                shape, path, rule, [], places, []
            )
        group.items.append(found[0])
        group.changes.extend(found)
        held.update(id(c) for c in found)
    out = sorted(
        groups.values(), key=lambda g: (severity_rank(g.severity), -len(g.places), g.label, g.rule)
    )
    return out, held


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@dataclass
class OperationDiff:
    name: str
    status: OperationStatus
    changes: list[Change]
    shared: list[SharedChange] = field(default_factory=list)  # shared changes that reach it
    own: list[Change] = field(default_factory=list)  # its changes that are in no shared change

    @property
    def worst(self) -> Severity:
        return min((c.severity for c in self.changes), key=severity_rank, default="docs")


@dataclass
class ServiceDiff:
    name: str
    full_name: str
    status: ServiceStatus
    changes: list[Change]
    old_model: ServiceModel | None = None
    new_model: ServiceModel | None = None
    date: str | None = None
    summary: str | None = None
    operations: list[OperationDiff] = field(default_factory=list)
    shared: list[SharedChange] = field(default_factory=list)

    @property
    def service_changes(self) -> list[Change]:
        return [c for c in self.changes if c.operation is None]

    def counts(self) -> dict[str, int]:
        out = {"new": 0, "updated": 0, "removed": 0, "docs": 0}
        for op in self.operations:
            out[op.status] += 1
        return out

    def severity_counts(self) -> dict[str, int]:
        out: dict[str, int] = {s: 0 for s in SEVERITIES}
        for c in self.changes:
            out[c.severity] += 1
        return out


@dataclass
class SideInfo:
    text: str
    label: str
    kind: str
    date: str | None
    files: tuple[str, ...] | None = None  # a service-2.json source: every file read

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "source": self.text,
            "label": self.label,
            "kind": self.kind,
            "date": self.date,
        }
        if self.files is not None:
            out["files"] = list(self.files)
        return out

    def read_line(self, role: str) -> str | None:
        """``OLD read a/service-2.json and a/paginators-1.json`` (None unless a file source)."""
        if self.files is None:
            return None
        if len(self.files) == 1:
            return f"{role} read {self.files[0]} only (no paginators-1.json beside it)"
        return f"{role} read {' and '.join(self.files)}"


def _side(source: Source) -> SideInfo:
    """What the report says of a side: the text as given, its label and the files it read,
    each made :func:`~codegen.errors.displayable` (a file name need not be UTF-8)."""
    files = source.files_read()
    return SideInfo(
        displayable(source.text),
        displayable(source.label),
        source.kind,
        source.date,
        None if files is None else tuple(displayable(f) for f in files),
    )


def files_read(old: SideInfo, new: SideInfo) -> list[str]:
    """What the file sources of a report read, one sentence each (empty when neither side is a file)."""
    return [
        line
        for role, side in (("OLD", old), ("NEW", new))
        if (line := side.read_line(role)) is not None
    ]


@dataclass
class DiffReport:
    old: SideInfo
    new: SideInfo
    services: list[ServiceDiff]
    suppressed: list[Change] = field(default_factory=list)
    unmatched: list[Suppression] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [c for s in self.services for c in s.changes]

    @property
    def total(self) -> int:
        return sum(len(s.changes) for s in self.services)

    @property
    def service_count(self) -> int:
        return len(self.services)

    def files_read(self) -> list[str]:
        """What the file sources read, one sentence each (empty when neither side is a file)."""
        return files_read(self.old, self.new)

    def severity_counts(self) -> dict[str, int]:
        out: dict[str, int] = {s: 0 for s in SEVERITIES}
        for c in self.changes:
            out[c.severity] += 1
        return out

    def exit_code(self, fail_on: FailOn = "any") -> int:
        worst = {"breaking": 0, "dangerous": 1, "any": 3}[fail_on]
        return 1 if any(severity_rank(c.severity) <= worst for c in self.changes) else 0


# -- building ----------------------------------------------------------------------------------


def group_operations(service: ServiceDiff) -> list[OperationDiff]:
    by_op: dict[str, list[Change]] = {}
    for change in service.changes:
        if change.operation is not None:
            by_op.setdefault(change.operation, []).append(change)
    ops: list[OperationDiff] = []
    if service.status in ("added", "removed"):
        model = service.new_model if service.status == "added" else service.old_model
        status: OperationStatus = "new" if service.status == "added" else "removed"
        names = list(model.operations) if model is not None else []
        ops = [OperationDiff(n, status, by_op.pop(n, [])) for n in names]
    for name, changes in by_op.items():
        rules = {c.rule for c in changes}
        if "AddedOperation" in rules:
            st: OperationStatus = "new"
        elif "RemovedOperation" in rules:
            st = "removed"
        elif all(c.severity == "docs" for c in changes):
            st = "docs"
        else:
            st = "updated"
        ops.append(OperationDiff(name, st, changes))
    ops.sort(key=lambda o: (_STATUS_ORDER[o.status], o.name))
    shared, held = share(service.changes)
    service.shared = shared
    reaching: dict[str, list[SharedChange]] = {}
    for group in shared:
        for op_name in group.operations:
            reaching.setdefault(op_name, []).append(group)
    for op in ops:
        op.shared = reaching.get(op.name, [])
        op.own = [c for c in op.changes if id(c) not in held]
    return ops


def _full_name(old: ServiceModel | None, new: ServiceModel | None, name: str) -> str:
    for model in (new, old):
        if model is not None and model.metadata.service_full_name:
            return model.metadata.service_full_name
    return name


def _restrict(model: ServiceModel, names: set[str] | None) -> ServiceModel:
    if names is None:
        return model
    return model.restrict([n for n in model.operations if n in names])


def _summary(old: Source, new: Source, service: str, changelog: Changelog | None) -> str | None:
    """What the versions say they changed: the summaries of the spec versions after OLD up to
    NEW (both versions of one spec), or the changelog's entry for NEW (a botocore release)."""
    if new.kind == "spec" and new.spec is not None and new.version is not None:
        if (
            old.kind != "spec"
            or old.spec is None
            or old.spec.path != new.spec.path
            or old.version is None
        ):
            return None  # a spec against something else: no version's summary describes that
        versions = new.spec.versions
        start, end = versions.index(old.version) + 1, versions.index(new.version)
        if start > end:
            return None  # the same version, or going back in time
        return " ".join(v.summary for v in versions[start : end + 1])
    if new.kind == "botocore" and changelog is not None and new.release is not None:
        return changelog.summary(new.release.version, service)
    return None


def _release_pair(
    old: Source,
    new: Source,
    name: str,
    *,
    names: tuple[set[str], set[str]],
    only: set[str] | None,
    elide_docs: bool,
) -> tuple[ServiceModel | None, ServiceModel | None] | None:
    """The (lazily built) models of service ``name`` in two releases, None for a service one of
    them lacks; None for both when the service did not change."""
    assert old.release is not None and new.release is not None
    if name not in names[1]:
        return release_model(old.release, name, lazy=True), None
    if name not in names[0]:
        return None, release_model(new.release, name, lazy=True)
    if release_unchanged(old.release, new.release, name):
        return None
    pag_a = old.release.load_paginators(name)
    same_pages = old.release.paginators_digest(name) == new.release.paginators_digest(name)
    pag_b = pag_a if same_pages else new.release.load_paginators(name)  # the same bytes: read once
    try:
        pruned = prune_pair(
            old.release.load_model(name),
            new.release.load_model(name),
            pag_a,
            pag_b,
            only=only,
            elide_docs=elide_docs,
        )
    except (KeyError, TypeError, AttributeError) as exc:  # a malformed model
        raise UsageError(
            message=f"{old.label} / {new.label}: cannot read the {name} model ({exc!r})"
        ) from None
    if pruned is None:
        return None
    return pair_models(pruned, name, pag_a, pag_b, old.label, new.label)


def compare_sources(
    old: Source,
    new: Source,
    *,
    services: Sequence[str] = (),
    operations: Sequence[str] = (),
    notes: list[str] | None = None,
    elide_docs: bool = False,
) -> list[tuple[str, ServiceModel | None, ServiceModel | None, list[Change]]]:
    """(service, old model, new model, changes) for every service that may have changed.

    With ``elide_docs``, two releases' models are built without the documentation no
    comparison reads (see :func:`~codegen.diff.sources.elide_unread_docs`), and once compared
    they are sealed (:meth:`~codegen.model.LazyShapes.seal`): the same changes, found faster,
    but the models can show neither that documentation nor the shapes the comparison did not
    look at. They still name their operations and service."""
    return list(
        iter_compare_sources(
            old, new, services=services, operations=operations, notes=notes, elide_docs=elide_docs
        )
    )


def iter_compare_sources(
    old: Source,
    new: Source,
    *,
    services: Sequence[str] = (),
    operations: Sequence[str] = (),
    notes: list[str] | None = None,
    elide_docs: bool = False,
) -> Iterator[tuple[str, ServiceModel | None, ServiceModel | None, list[Change]]]:
    """:func:`compare_sources`, one service at a time: only the service being yielded is held."""
    notes = notes if notes is not None else []
    op_filter = set(operations) if operations else None
    if not old.single and not new.single:
        assert old.release is not None and new.release is not None
        old_names, new_names = set(old.release.services()), set(new.release.services())
        names = sorted(old_names | new_names)
        if services:
            unknown = [s for s in services if s not in old_names | new_names]
            if unknown:
                raise UsageError(
                    message=f"--service {unknown[0]!r}: in neither {old.label} nor {new.label}"
                )
            names = [n for n in names if n in set(services)]
        if operations:
            known: set[str] = set()
            for release in (old.release, new.release):
                for service in names:
                    if service in release.services():
                        known |= _raw_operations(release.load_model(service))
            _check_operations(operations, known, old, new)
        for name in names:
            with collector_paused():  # while comparing only: what the caller keeps is its business
                pair = _release_pair(
                    old,
                    new,
                    name,
                    names=(old_names, new_names),
                    only=op_filter,
                    elide_docs=elide_docs,
                )
                if pair is None:
                    continue
                ma, mb = pair
                found = compare_models(ma, mb, service=name)
                if elide_docs:  # the models are for comparing only (see above)
                    for model in pair:
                        if model is not None and isinstance(model.shapes, LazyShapes):
                            model.shapes.seal()  # let go of the parsed JSON
            yield name, ma, mb, found
            del pair, ma, mb, found
        return

    single = new if new.single else old
    name = single.service_name
    if services:
        if len(services) > 1:
            raise UsageError(
                message="--service: a spec or a service-2.json holds one service; give one --service"
            )
        if single.kind == "spec" and services[0] != name:
            raise UsageError(
                message=f"--service {services[0]!r}: {single.label} is service {name!r}"
            )
        name = services[0]
    if operations:
        known = set()
        for side in (old, new):
            if side.kind == "spec":
                known |= set(side.model().operations)
            elif side.kind == "file":
                known |= _raw_operations(side.raw())
            elif side.release is not None and name in side.release.services():
                known |= _raw_operations(side.release.load_model(name))
        _check_operations(operations, known, old, new)
    # A spec covers part of a service: compare only the operations it has.
    spec_ops: set[str] | None = None
    for side in (old, new):
        if side.kind == "spec":
            own = set(side.model().operations)
            spec_ops = own if spec_ops is None else spec_ops | own
    wanted = spec_ops
    if op_filter is not None:
        wanted = op_filter if wanted is None else wanted & op_filter
    if spec_ops is not None and not (old.kind == new.kind == "spec"):
        notes.append(f"compared only the operations of the spec: {', '.join(sorted(spec_ops))}")

    def side_model(side: Source) -> ServiceModel | None:
        if side.single:
            return _restrict(
                side.model(name), wanted if (side.kind != "spec" or op_filter) else None
            )
        assert side.release is not None
        if name not in side.release.services():
            return None
        return release_model(
            side.release, name, operations=sorted(wanted) if wanted is not None else None
        )

    before, after = side_model(old), side_model(new)
    if before is None and after is None:
        raise UsageError(message=f"service {name!r} is in neither {old.label} nor {new.label}")
    yield name, before, after, compare_models(before, after, service=name)


class DiffRun:
    """A diff computed service by service: iterate :meth:`services` once, then read the totals.

    Only the service being yielded (its models and changes) is held, so memory stays bounded
    however many services changed; the formats stream it (:func:`codegen.diff.formats.stream`)."""

    def __init__(
        self,
        old: Source,
        new: Source,
        *,
        services: Sequence[str] = (),
        operations: Sequence[str] = (),
        changelog: Changelog | None = None,
        suppressions: Iterable[Suppression] = (),
        elide_docs: bool = False,
        allow_service_mismatch: bool = False,
    ) -> None:
        if not allow_service_mismatch:
            check_same_service(old, new)
        self._old, self._new = old, new
        self._services, self._operations = services, operations
        self._changelog = changelog
        self._entries = list(suppressions)
        self._elide_docs = elide_docs
        self.old, self.new = _side(old), _side(new)
        self.notes: list[str] = []
        self.suppressed: list[Change] = []
        self.unmatched: list[Suppression] = []
        self.counts: dict[str, int] = {s: 0 for s in SEVERITIES}
        self.total = 0
        self.service_count = 0
        self.done = False

    def services(self) -> Iterator[ServiceDiff]:
        if self.done:
            raise RuntimeError("a DiffRun is iterated once")
        old, new = self._old, self._new
        used: set[int] = set()
        for name, ma, mb, changes in iter_compare_sources(
            old,
            new,
            services=self._services,
            operations=self._operations,
            notes=self.notes,
            elide_docs=self._elide_docs,
        ):
            remaining, suppressed, unmatched = apply_suppressions(changes, self._entries)
            used.update(id(e) for e in self._entries if not any(e is u for u in unmatched))
            self.suppressed.extend(suppressed)
            if not remaining:
                continue
            status: ServiceStatus = (
                "added" if ma is None else "removed" if mb is None else "updated"
            )
            service = ServiceDiff(
                name=name,
                full_name=_full_name(ma, mb, name),
                status=status,
                changes=remaining,
                old_model=ma,
                new_model=mb,
                date=new.date if mb is not None else old.date,
                summary=_summary(old, new, name, self._changelog),
            )
            service.operations = group_operations(service)
            for c in remaining:
                self.counts[c.severity] += 1
            self.total += len(remaining)
            self.service_count += 1
            yield service
        self.unmatched = [e for e in self._entries if id(e) not in used]
        changelog = self._changelog
        if (
            changelog is not None
            and new.release is not None
            and not changelog.has(new.release.version)
        ):
            self.notes.append(
                f"the changelog {changelog.path} has no entry for {new.release.version}"
            )
        self.done = True

    def files_read(self) -> list[str]:
        """What the file sources read, one sentence each (empty when neither side is a file)."""
        return files_read(self.old, self.new)

    def severity_counts(self) -> dict[str, int]:
        return dict(self.counts)

    def exit_code(self, fail_on: FailOn = "any") -> int:
        worst = {"breaking": 0, "dangerous": 1, "any": 3}[fail_on]
        return (
            1 if any(self.counts[sev] and severity_rank(sev) <= worst for sev in SEVERITIES) else 0
        )


def check_same_service(old: Source, new: Source) -> None:
    """Two sources of one service each (specs, files) must hold the same service."""
    if old.single and new.single and old.identity() != new.identity():
        raise UsageError(
            message=f"{old.label} is service {old.identity()!r} but {new.label} is service "
            f"{new.identity()!r}; pass --allow-service-mismatch to compare them anyway"
        )


def _raw_operations(document: Any) -> set[str]:
    operations = document.get("operations") if isinstance(document, dict) else None
    return {n for n in operations if isinstance(n, str)} if isinstance(operations, dict) else set()


def _check_operations(
    operations: Sequence[str], known: set[str], old: Source, new: Source
) -> None:
    """An --operation that neither side has is a usage error, as an unknown --service is."""
    for name in operations:
        if name not in known:
            alike = sorted(k for k in known if k.lower() == name.lower())
            hint = f" (did you mean {alike[0]!r}?)" if alike else ""
            raise UsageError(
                message=f"--operation {name!r}: in neither {old.label} nor {new.label}{hint}"
            )


def diff(
    old: Source,
    new: Source,
    *,
    services: Sequence[str] = (),
    operations: Sequence[str] = (),
    changelog: Changelog | None = None,
    suppressions: Iterable[Suppression] = (),
    elide_docs: bool = False,
    allow_service_mismatch: bool = False,
) -> DiffReport:
    """Compare ``old`` and ``new``: the whole report in memory (see :class:`DiffRun` to stream
    it). ``elide_docs``: see :func:`compare_sources` (only for reports that do not show
    documentation, i.e. without ``--details``). Two sources of different services are refused
    unless ``allow_service_mismatch``."""
    run = DiffRun(
        old,
        new,
        services=services,
        operations=operations,
        changelog=changelog,
        suppressions=suppressions,
        elide_docs=elide_docs,
        allow_service_mismatch=allow_service_mismatch,
    )
    out = list(run.services())
    return DiffReport(
        old=run.old,
        new=run.new,
        services=out,
        suppressed=run.suppressed,
        unmatched=run.unmatched,
        notes=run.notes,
    )
