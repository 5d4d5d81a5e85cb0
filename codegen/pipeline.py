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
from codegen.errors import ImportConflictError
from codegen.generators import GENERATORS
from codegen.generators.base import (
    GenerationContext,
    WriteReport,
    dump_json,
    header_lines,
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
    spec_paths: Sequence[Path] | None, output: Path, *, check: bool = False
) -> list[ServiceOutput]:
    """Run every generator for each spec (default: all specs) into ``output/<service>/``."""
    paths = list(spec_paths) if spec_paths else discover_specs()
    results: list[ServiceOutput] = []
    for path in paths:
        spec = load_spec(path)
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


def _structure(exported: dict[str, Any]) -> Any:
    """An exported shape without documentation, for comparing structure only."""
    if isinstance(exported, dict):
        return {k: _structure(v) for k, v in exported.items() if k != "documentation"}
    return exported
