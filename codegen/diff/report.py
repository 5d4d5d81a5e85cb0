"""A whole diff: which services and operations changed, and how, ready for any output format.

:func:`diff` is what the CLI and the reports generator call: two :class:`~codegen.diff.sources.Source`
objects in, a :class:`DiffReport` out (services compared, suppressions applied, dates and
summaries attached).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from codegen.diff.changelog import Changelog
from codegen.diff.engine import Change, compare_models
from codegen.diff.rules import SEVERITIES, Severity, severity_rank
from codegen.diff.sources import (
    Source,
    collector_paused,
    pair_models,
    prune_pair,
    release_model,
    release_unchanged,
)
from codegen.diff.suppress import Suppression, apply_suppressions
from codegen.errors import UsageError
from codegen.model import LazyShapes, ServiceModel

OperationStatus = Literal["new", "updated", "removed", "docs"]
ServiceStatus = Literal["added", "removed", "updated"]
FailOn = Literal["breaking", "dangerous", "any"]
_STATUS_ORDER = {"new": 0, "updated": 1, "removed": 2, "docs": 3}


@dataclass
class OperationDiff:
    name: str
    status: OperationStatus
    changes: list[Change]

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
        out: dict[str, object] = {"source": self.text, "label": self.label, "kind": self.kind, "date": self.date}
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

    def files_read(self) -> list[str]:
        """What the file sources read, one sentence each (empty when neither side is a file)."""
        return [line for role, side in (("OLD", self.old), ("NEW", self.new))
                if (line := side.read_line(role)) is not None]

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
        if old.kind != "spec" or old.spec is None or old.spec.path != new.spec.path or old.version is None:
            return None  # a spec against something else: no version's summary describes that
        versions = new.spec.versions
        start, end = versions.index(old.version) + 1, versions.index(new.version)
        if start > end:
            return None  # the same version, or going back in time
        return " ".join(v.summary for v in versions[start: end + 1])
    if new.kind == "botocore" and changelog is not None and new.release is not None:
        return changelog.summary(new.release.version, service)
    return None


def _release_pair(old: Source, new: Source, name: str, *, names: tuple[set[str], set[str]],
                  only: set[str] | None, elide_docs: bool) -> tuple[ServiceModel | None, ServiceModel | None] | None:
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
        pruned = prune_pair(old.release.load_model(name), new.release.load_model(name),
                            pag_a, pag_b, only=only, elide_docs=elide_docs)
    except (KeyError, TypeError, AttributeError) as exc:  # a malformed model
        raise UsageError(message=f"{old.label} / {new.label}: cannot read the {name} model ({exc!r})") from None
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
    notes = notes if notes is not None else []
    op_filter = set(operations) if operations else None
    results: list[tuple[str, ServiceModel | None, ServiceModel | None, list[Change]]] = []
    if not old.single and not new.single:
        assert old.release is not None and new.release is not None
        old_names, new_names = set(old.release.services()), set(new.release.services())
        names = sorted(old_names | new_names)
        if services:
            unknown = [s for s in services if s not in old_names | new_names]
            if unknown:
                raise UsageError(message=f"--service {unknown[0]!r}: in neither {old.label} nor {new.label}")
            names = [n for n in names if n in set(services)]
        if operations:
            known: set[str] = set()
            for release in (old.release, new.release):
                for service in names:
                    if service in release.services():
                        known |= _raw_operations(release.load_model(service))
            _check_operations(operations, known, old, new)
        with collector_paused():
            for name in names:
                pair = _release_pair(old, new, name, names=(old_names, new_names), only=op_filter,
                                     elide_docs=elide_docs)
                if pair is None:
                    continue
                ma, mb = pair
                results.append((name, ma, mb, compare_models(ma, mb, service=name)))
                if elide_docs:  # the models are for comparing only (see above)
                    for model in pair:
                        if model is not None and isinstance(model.shapes, LazyShapes):
                            model.shapes.seal()  # let go of the parsed JSON
        return results

    single = new if new.single else old
    name = single.service_name
    if services:
        if len(services) > 1:
            raise UsageError(message="--service: a spec or a service-2.json holds one service; give one --service")
        if single.kind == "spec" and services[0] != name:
            raise UsageError(message=f"--service {services[0]!r}: {single.label} is service {name!r}")
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
            return _restrict(side.model(name), wanted if (side.kind != "spec" or op_filter) else None)
        assert side.release is not None
        if name not in side.release.services():
            return None
        return release_model(side.release, name, operations=sorted(wanted) if wanted is not None else None)

    before, after = side_model(old), side_model(new)
    if before is None and after is None:
        raise UsageError(message=f"service {name!r} is in neither {old.label} nor {new.label}")
    results.append((name, before, after, compare_models(before, after, service=name)))
    return results


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


def _check_operations(operations: Sequence[str], known: set[str], old: Source, new: Source) -> None:
    """An --operation that neither side has is a usage error, as an unknown --service is."""
    for name in operations:
        if name not in known:
            alike = sorted(k for k in known if k.lower() == name.lower())
            hint = f" (did you mean {alike[0]!r}?)" if alike else ""
            raise UsageError(message=f"--operation {name!r}: in neither {old.label} nor {new.label}{hint}")


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
    """Compare ``old`` and ``new``. ``elide_docs``: see :func:`compare_sources` (only for
    reports that do not show documentation, i.e. without ``--details``). Two sources of
    different services are refused unless ``allow_service_mismatch``."""
    if not allow_service_mismatch:
        check_same_service(old, new)
    notes: list[str] = []
    compared = compare_sources(old, new, services=services, operations=operations, notes=notes,
                               elide_docs=elide_docs)
    entries = list(suppressions)
    all_changes = [c for _, _, _, changes in compared for c in changes]
    kept, suppressed, unmatched = apply_suppressions(all_changes, entries)
    kept_ids = {id(c) for c in kept}
    out: list[ServiceDiff] = []
    for name, ma, mb, changes in compared:
        remaining = [c for c in changes if id(c) in kept_ids]
        if not remaining:
            continue
        status: ServiceStatus = "added" if ma is None else "removed" if mb is None else "updated"
        service = ServiceDiff(
            name=name,
            full_name=_full_name(ma, mb, name),
            status=status,
            changes=remaining,
            old_model=ma,
            new_model=mb,
            date=new.date if mb is not None else old.date,
            summary=_summary(old, new, name, changelog),
        )
        service.operations = group_operations(service)
        out.append(service)
    if changelog is not None and new.release is not None and not changelog.has(new.release.version):
        notes.append(f"the changelog {changelog.path} has no entry for {new.release.version}")
    return DiffReport(
        old=SideInfo(old.text, old.label, old.kind, old.date, old.files_read()),
        new=SideInfo(new.text, new.label, new.kind, new.date, new.files_read()),
        services=out,
        suppressed=suppressed,
        unmatched=unmatched,
        notes=notes,
    )
