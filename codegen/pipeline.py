"""The stages wired together: specs -> models -> generators -> files, and spec imports.

The CLI calls these; tests call them too. Nothing here formats text for people.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.bridge.exporter import _shape as export_shape
from codegen.bridge.importer import import_model, operation_to_spec, shape_to_spec
from codegen.bridge.modelcheck import check_model
from codegen.bridge.releases import Release
from codegen.errors import ImportConflictError, UsageError
from codegen.generators import GENERATORS
from codegen.generators.base import (
    GenerationContext,
    WriteReport,
    dump_json,
    header_lines,
    prepare_output,
    write_outputs,
)
from codegen.loader import discover_specs, load_spec, save_spec
from codegen.model import Provenance, ServiceModel
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

    Every spec is loaded first: two specs of one service are an error (each would overwrite
    the other's folder), and nothing is written. Without ``check`` the output folder is
    created, its missing parents only with ``parents``.
    """
    paths = list(spec_paths) if spec_paths else discover_specs()
    specs = [load_spec(path) for path in paths]
    by_service: dict[str, list[Spec]] = {}
    for spec in specs:
        by_service.setdefault(spec.service, []).append(spec)
    for service, same in sorted(by_service.items()):
        if len(same) > 1:
            raise UsageError(
                message=f"{len(same)} specs describe service {service!r}: "
                + ", ".join(s.path for s in same)
                + f"; each would overwrite the other's {output / service} "
                "(one spec per service; generate them into different --output folders)"
            )
    if not check:
        prepare_output(output, parents=parents)
    results: list[ServiceOutput] = []
    for spec in specs:
        model = spec.model()
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
        results.append(ServiceOutput(spec, model, folder, files, report))
    return results


def import_operations(
    spec_path: Path,
    release: Release,
    operations: Iterable[str],
    *,
    since: str | None = None,
) -> list[str]:
    """Import botocore operations (and every shape they reach) into a spec file.

    Shapes the spec already has must match botocore's (documentation aside); new operations
    and shapes are marked with their provenance. Returns the names added. Writes nothing when
    anything conflicts.
    """
    spec = load_spec(spec_path)
    service = spec.service
    names = list(operations)
    raw = release.load_model(service)
    check_model(raw, str(release.model_path(service)))
    _check_not_backdated(spec, release, names, since)
    model = import_model(
        raw,
        name=service,
        paginators=release.load_paginators(service),
        source=f"botocore {release.version}",
        provenance=Provenance("botocore", release.version, service, release.model_digest(service)),
    ).restrict(names)
    current = spec.model()
    document = json.loads(json.dumps(spec.document))  # a plain, mutable copy
    added: list[str] = []
    problems: list[str] = []
    if since is not None:
        since = spec.version(since).version
    for name in names:
        if name in document["operations"]:
            problems.append(f"operation {name!r} is already in the spec")
    for shape_name in model.reachable_shapes(names):
        shape = model.shapes[shape_name]
        if shape_name in current.shapes:
            if _structure(export_shape(current.shapes[shape_name])) != _structure(
                export_shape(shape)
            ):
                problems.append(
                    f"shape {shape_name!r} differs between the spec and botocore {release.version}"
                )
            continue
        entry = shape_to_spec(shape)
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
        added.insert(0, name)
    save_spec(spec_path, document)
    return added


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
    which = f"version {version.version}" if since else f"the spec's latest version {version.version}"
    what = ", ".join(names)
    newer: str | None = None
    if version.botocore:
        mine, theirs = _release_key(version.botocore), _release_key(release.version)
        if mine is None or theirs is None:
            newer = f"cannot tell whether botocore {release.version} is newer than {version.botocore}"
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
