"""The stages wired together: specs -> models -> generators -> files, and spec imports.

The CLI calls these; tests call them too. Nothing here formats text for people.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from codegen.bridge.exporter import _operation as export_operation
from codegen.bridge.exporter import _shape as export_shape
from codegen.bridge.importer import (
    import_model,
    operation_to_spec,
    shape_to_spec,
    waiter_to_spec,
)
from codegen.bridge.modelcheck import check_model
from codegen.bridge.releases import Release
from codegen.docs import paragraphs
from codegen.errors import ApigenError, CombineConflictError, ImportConflictError, UsageError
from codegen.generators import GENERATORS
from codegen.generators.base import (
    GenerationContext,
    WriteReport,
    dump_json,
    header_lines,
    prepare_output,
    write_outputs,
)
from codegen.loader import (
    discover_specs,
    format_spec,
    load_spec,
    parse_spec,
    placed,
    save_spec,
)
from codegen.locking import folder_lock
from codegen.model import Operation, Provenance, ServiceModel, Shape
from codegen.spec import Spec


@dataclass(frozen=True)
class ServiceOutput:
    spec: Spec
    model: ServiceModel
    folder: Path
    files: dict[str, str]
    report: WriteReport


def generate(
    spec_paths: Sequence[Path] | None,
    output: Path,
    *,
    check: bool = False,
    parents: bool = False,
) -> list[ServiceOutput]:
    """Run every generator for each spec (default: all specs) into ``output/<service>/``.

    Every spec is loaded first; specs of one service are combined into one set of artifacts
    (:func:`combine_specs`: a structural conflict is an error naming both files, and nothing is
    written). Without ``check`` the output folder is created, its missing parents only with
    ``parents``.
    """
    paths = list(spec_paths) if spec_paths else discover_specs()
    by_service: dict[str, list[Spec]] = {}
    for path in paths:
        spec = load_spec(path)
        by_service.setdefault(spec.service, []).append(spec)
    combined: list[tuple[Spec, ServiceModel | None]] = []
    for specs in by_service.values():
        if len(specs) == 1:
            combined.append((specs[0], None))
        else:  # several specs of one service: one set of artifacts (a conflict names both)
            combined.append(combine_specs(specs))
    if not check:
        prepare_output(output, parents=parents)
    # one writer at a time (codegen.locking): the folder ends as one run's output, whole
    with folder_lock(output, "checking" if check else "generating", shared=check):
        return [generate_spec(spec, output, check=check, model=model) for spec, model in combined]


def combine_specs(specs: Sequence[Spec]) -> tuple[Spec, ServiceModel]:
    """Specs of one service (e.g. a whole-service import and a hand-written spec) as one model.

    Where two define the same operation or shape, its structure (botocore's form, without
    documentation) must agree, else a conflict names both files; the element kept is the one
    carrying documented constraints or rules (the hand-written spec's), else the first. Formats
    are merged. The combined spec is named after all files; its version is the first spec's.

    The order the specs are given in does not matter: the one with the most versions (the
    hand-written spec, whose versions get reports) comes first, then by path."""
    specs = sorted(specs, key=lambda spec: (-len(spec.versions), spec.path))
    models = [spec.model() for spec in specs]
    operations: dict[str, Operation] = {}
    shapes: dict[str, Shape] = {}
    owner_op: dict[str, Spec] = {}
    owner_shape: dict[str, Spec] = {}
    problems: list[str] = []
    for spec, model in zip(specs, models):
        for name, op in model.operations.items():
            if name in operations:
                if _structure(export_operation(operations[name])) != _structure(
                    export_operation(op)
                ):
                    problems.append(
                        f"operation {name} differs between {owner_op[name].path} and {spec.path}"
                    )
                elif op.documented_errors and not operations[name].documented_errors:
                    operations[name], owner_op[name] = op, spec
                continue
            operations[name], owner_op[name] = op, spec
        for name, shape in model.shapes.items():
            if name in shapes:
                if _structure(export_shape(shapes[name])) != _structure(export_shape(shape)):
                    problems.append(
                        f"shape {name} differs between {owner_shape[name].path} and {spec.path}"
                    )
                elif _documented(shape) and not _documented(shapes[name]):
                    shapes[name], owner_shape[name] = shape, spec
                continue
            shapes[name], owner_shape[name] = shape, spec
    if problems:
        raise CombineConflictError(
            specs=" and ".join(s.path for s in specs),
            count=len(problems),
            problems="; ".join(problems[:20]) + ("; ..." if len(problems) > 20 else ""),
        )
    first = models[0]
    formats = {name: f for model in models for name, f in model.formats.items()}
    waiters = {name: w for model in reversed(models) for name, w in model.waiters.items()}
    resources = {name: r for model in reversed(models) for name, r in model.resources.items()}
    path = " + ".join(spec.path for spec in specs)
    digest = hashlib.sha256("".join(spec.sha256 for spec in specs).encode()).hexdigest()
    combined = Spec(path, specs[0].document, digest)
    model = ServiceModel(
        name=first.name,
        metadata=first.metadata,
        operations=operations,
        shapes=shapes,
        documentation=first.documentation,
        formats=formats,
        version=first.version,
        versions=first.versions,
        source=path,
        spec_sha256=digest,
        traits=first.traits,
        waiters=waiters,
        resources=resources,
    )
    return combined, model


def _documented(shape: Shape) -> bool:
    return bool(shape.rules) or any(not m.documented.is_empty() for m in shape.children())


def generate_spec(
    spec: Spec, output: Path, *, check: bool = False, model: ServiceModel | None = None
) -> ServiceOutput:
    """Run every generator for one loaded spec (or ``model``, combined from several) into
    ``output/<service>/``."""
    model = model if model is not None else spec.model()
    context = GenerationContext(model=model, spec=spec)
    files: dict[str, str] = {}
    manifest: dict[str, Any] = {"generatedBy": header_lines("apigen", context), "files": {}}
    for generator in GENERATORS:
        for rel, content in generator.generate(context).items():
            files[rel] = content
            manifest["files"][rel] = generator.name
    manifest["files"] = dict(sorted(manifest["files"].items()))
    files["MANIFEST.json"] = dump_json(manifest)
    folder = output / model.name
    report = write_outputs(folder, files, check=check)
    return ServiceOutput(spec, model, folder, files, report)


# -- every service of a release ------------------------------------------------------------


@dataclass(frozen=True)
class ServiceResult:
    """One service of ``generate --all-services``: what was written, or why it failed."""

    service: str
    files: int = 0
    written: int = 0
    error: str | None = None


def release_spec(release: Release, service: str) -> Spec:
    """The spec of a whole botocore service, in memory (as ``apigen import`` would write it to
    a new file); its path reads ``botocore <version>/<service>``."""
    shown = f"botocore {release.version}/{service}"
    empty = new_spec_document(release, service, release.load_model(service))
    start = Spec(shown, parse_spec(format_spec(empty).encode(), shown), "")
    document, _ = merge_import(start, release, None)
    text = format_spec(document).encode()
    return Spec(shown, parse_spec(text, shown), hashlib.sha256(text).hexdigest())


def generate_service(version: str, service: str, output: Path) -> ServiceResult:
    """Import and generate one service of a release (run in a worker process); any failure
    becomes the result's error, naming the service (and the shape, where the error does)."""
    try:
        from codegen.bridge.releases import resolve_release

        spec = release_spec(resolve_release(version), service)
        result = generate_spec(spec, output)
        return ServiceResult(service, len(result.files), len(result.report.written))
    except ApigenError as exc:
        return ServiceResult(service, error=f"{service}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one service's bug must not stop the others
        return ServiceResult(
            service, error=f"{service}: internal error: {type(exc).__name__}: {exc}"
        )


def generate_all_services(
    version: str,
    output: Path,
    *,
    jobs: int | None = None,
    services: Sequence[str] | None = None,
) -> Iterator[ServiceResult]:
    """Every service of botocore ``version`` generated into ``output/<service>/``, over
    ``jobs`` processes (default: every core); yields each result as it completes."""
    from codegen.bridge.releases import resolve_release

    release = resolve_release(version)  # fetched (and checked) once, before the workers
    names = list(services) if services is not None else release.services()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(names) or 1))
    if workers == 1:
        for name in names:
            yield generate_service(version, name, output)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint) as pool:
        futures = [pool.submit(generate_service, version, name, output) for name in names]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:  # Ctrl-C (or the caller stopped): start nothing more
            pool.shutdown(wait=True, cancel_futures=True)  # the services under way finish
            raise


def _ignore_sigint() -> None:
    """In a worker: Ctrl-C reaches the whole process group, but only the parent decides (it
    cancels what has not started; a service under way is finished, never left half written)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def import_operations(
    spec_path: Path,
    release: Release,
    operations: Iterable[str] | None,
    *,
    since: str | None = None,
    service: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[str]:
    """Import botocore operations (and every shape they reach) into a spec file.

    ``operations`` None means every operation of the service. When ``spec_path`` does not
    exist, a new spec is written for ``service`` (required then): its metadata and a first
    version named after the release (:func:`new_spec_document`).

    Shapes the spec already has must match botocore's (documentation aside); new operations
    and shapes are marked with their provenance. Returns the names added. Writes nothing when
    anything conflicts. ``warn`` is told of each imported pattern kept but not enforced (no form
    that Python and ECMA-262 read alike: :func:`codegen.regexes.enforceable`).
    """
    if not spec_path.exists():
        if service is None:
            raise UsageError(
                message=f"{spec_path} does not exist: name the service (--service) to create it"
            )
        if service not in release.services():
            raise UsageError(message=f"botocore {release.version} has no service {service!r}")
        raw = release.load_model(service)
        try:
            spec_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                message=f"{spec_path.parent}: cannot create the folder: {exc.strerror or exc}"
            ) from None
        save_spec(spec_path, new_spec_document(release, service, raw))
        created = True
    else:
        created = False
    try:
        return _import_into(
            spec_path, release, operations, since=since, service=service, warn=warn
        )
    except BaseException:
        if created:
            spec_path.unlink(missing_ok=True)  # the file this call wrote, never an older one
        raise


def new_spec_document(release: Release, service: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """An empty spec for ``service``: botocore's metadata, one version named after the release
    (dated with the release's build date, or today when it is unknown: the installed botocore)."""
    built = release.build_date or datetime.now(timezone.utc).date()
    metadata = dict(raw.get("metadata", {}))
    model = import_model({**raw, "operations": {}, "shapes": {}}, name=service)
    extra: dict[str, Any] = {}
    documentation = paragraphs(model.documentation)
    if documentation:
        extra["documentation"] = documentation
    if model.traits:
        extra["traits"] = dict(model.traits)
    return {
        "$schema": "https://apigen.invalid/specs/spec.schema.json",
        "specFormat": 1,
        "service": service,
        "title": str(metadata.get("serviceFullName", service)),
        "metadata": metadata,
        "versions": [
            {
                "version": release.version,
                "date": built.isoformat(),
                "botocore": release.version,
                "summary": f"{service} as botocore {release.version} ships it (imported).",
            }
        ],
        **extra,
        "operations": {},
        "shapes": {},
    }


def _import_into(
    spec_path: Path,
    release: Release,
    operations: Iterable[str] | None,
    *,
    since: str | None,
    service: str | None,
    warn: Callable[[str], None] | None,
) -> list[str]:
    spec = load_spec(spec_path)
    document, added = merge_import(
        spec, release, operations, since=since, service=service, warn=warn
    )
    save_spec(spec_path, document)
    return added


def merge_import(
    spec: Spec,
    release: Release,
    operations: Iterable[str] | None,
    *,
    since: str | None = None,
    service: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The spec's document with botocore operations (default: all not yet there) and every shape
    they reach added, and the names added; raises ImportConflictError, changes no file."""
    if service is not None and service != spec.service:
        raise UsageError(message=f"{spec.path} is a spec of {spec.service!r}, not of {service!r}")
    service = spec.service
    raw = release.load_model(service)
    check_model(raw, str(release.model_path(service)))
    full = import_model(
        raw,
        name=service,
        paginators=release.load_paginators(service),
        source=f"botocore {release.version} {service}",
        provenance=Provenance("botocore", release.version, service, release.model_digest(service)),
        waiters=release.load_waiters(service),
    )
    if operations is None:
        names = [n for n in full.operations if n not in spec.document["operations"]]
    else:
        names = list(dict.fromkeys(operations))  # each once, however often it was named
    if names:
        _check_not_backdated(spec, release, names, since)
    model = full.restrict(names)
    current = spec.model()
    document = json.loads(json.dumps(spec.document))  # a plain, mutable copy
    added: list[str] = []
    problems: list[str] = []
    if since is not None:
        since = spec.version(since).version
    for name in names:
        if name in document["operations"]:
            problems.append(f"operation {name!r} is already in the spec")
    shape_names = model.reachable_shapes(names)
    if operations is None:  # the whole service: shapes no operation reaches come along too
        reached = set(shape_names)
        shape_names += [n for n in full.shapes if n not in reached]
    for shape_name in shape_names:
        shape = full.shapes[shape_name]
        if shape_name in current.shapes:
            if _structure(export_shape(current.shapes[shape_name])) != _structure(
                export_shape(shape)
            ):
                problems.append(
                    f"shape {shape_name!r} differs between the spec and botocore {release.version}"
                )
            continue
        entry = shape_to_spec(shape)
        if entry.get("patternEnforced") is False and warn is not None:
            warn(
                f"shape {shape_name}: pattern {shape.pattern!r} has no form that Python and "
                "ECMA-262 read alike; kept, not enforced"
            )
        if since:
            entry["since"] = since
        document["shapes"][shape_name] = entry
        added.append(shape_name)
    if problems:
        raise ImportConflictError(
            spec=spec.path, what=", ".join(names), reason="; ".join(problems)
        )
    for name in names:
        entry = operation_to_spec(model.operations[name])
        if since:
            entry["since"] = since
        document["operations"][name] = entry
    # the waiters of the operations now in the spec, that it does not have yet (from
    # ``since``, like the operations)
    waiters = {
        name: {**waiter_to_spec(w), **({"since": since} if since else {})}
        for name, w in full.waiters.items()
        if w.operation in document["operations"] and name not in document.get("waiters", {})
    }
    if waiters:
        document["waiters"] = {**document.get("waiters", {}), **dict(sorted(waiters.items()))}
    added[:0] = names
    # what apigen update follows: a whole-service import, every operation and shape from now on
    scope = "service" if operations is None else document.get("scope")
    if scope is None and not spec.document["operations"]:
        scope = "operations"  # a new spec of chosen operations
    if scope is not None and document.get("scope") != scope:
        document = placed({**document, "scope": scope}, list(document))
    return document, added


def _release_key(version: str) -> tuple[int, ...] | None:
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def _check_not_backdated(
    spec: Spec, release: Release, names: Sequence[str], since: str | None
) -> None:
    """An import never rewrites history silently: the release it comes from must not be newer
    than the spec version it is marked with (``--since``), nor, without ``--since``, than the
    spec's latest version (whose history the import then joins). Releases compare by number,
    or by build date when the version records no botocore release."""
    version = spec.version(since) if since is not None else spec.latest
    which = (
        f"version {version.version}" if since else f"the spec's latest version {version.version}"
    )
    what = ", ".join(names)
    newer: str | None = None
    if version.botocore:
        mine, theirs = _release_key(version.botocore), _release_key(release.version)
        if mine is None or theirs is None:
            newer = (
                f"cannot tell whether botocore {release.version} is newer than {version.botocore}"
            )
        elif theirs > mine:
            newer = (
                f"botocore {release.version} is newer than botocore {version.botocore} of {which}"
            )
    elif release.build_date is None:
        newer = f"{which} records no botocore release and botocore {release.version} no build date"
    elif release.build_date.isoformat() > version.date:
        newer = (
            f"botocore {release.version} (built {release.build_date.isoformat()}) is newer than "
            f"{which} ({version.date})"
        )
    if newer is not None:
        raise ImportConflictError(
            spec=spec.path,
            what=what,
            reason=f"{newer}: the import would backdate {what}. Add a version for botocore "
            f"{release.version} to the spec's versions and pass --since with it "
            "(or import from an older release)",
        )


def _structure(exported: dict[str, Any]) -> Any:
    """An exported shape without documentation, for comparing structure only."""
    if isinstance(exported, dict):
        return {k: _structure(v) for k, v in exported.items() if k != "documentation"}
    return exported
