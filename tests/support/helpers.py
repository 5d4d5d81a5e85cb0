"""Small helpers shared by the tests (not fixtures)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

import botocore.model
import botocore.parsers

from codegen.bridge.importer import import_model
from codegen.bridge.releases import Release, fetch_release, installed_release
from codegen.loader import load_spec
from codegen.model import ServiceModel
from codegen.spec import Spec
from tests.support.paths import SEED, SPEC


@cache
def spec() -> Spec:
    return load_spec(SPEC)


@cache
def release(version: str) -> Release:
    return installed_release() if version == "installed" else fetch_release(version)


@cache
def botocore_model(version: str, service: str = "ec2") -> ServiceModel:
    r = release(version)
    return import_model(
        r.load_model(service),
        name=service,
        paginators=r.load_paginators(service),
        source=f"botocore {r.version}",
    )


def strip_docs(value: Any) -> Any:
    """A botocore-format document without its documentation strings."""
    if isinstance(value, dict):
        return {k: strip_docs(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [strip_docs(v) for v in value]
    return value


def botocore_subset(raw: dict[str, Any], operations: Sequence[str]) -> dict[str, Any]:
    """botocore's own service-2.json cut down to ``operations`` and the shapes they reach
    (walked here on the raw JSON: every ``"shape"`` reference), nothing of ours involved."""
    reached: set[str] = set()

    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "shape" and isinstance(value, str):
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    todo = [name for op in operations for name in refs(raw["operations"][op])]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(refs(raw["shapes"][name]))
    return {
        "version": raw["version"],
        "metadata": raw["metadata"],
        "operations": {op: raw["operations"][op] for op in operations},
        "shapes": {name: raw["shapes"][name] for name in sorted(reached)},
    }


_HEADING = re.compile(r"^\S+ \((new|updated|removed)\) Link ¶$")


def seed_lines() -> list[str]:
    """The seed's lines, right-stripped; its two no-break spaces (after "Changes" and before
    "(updated)") read as spaces, as the text report writes them."""
    text = SEED.read_text(encoding="utf-8").replace("\u00a0", " ")
    return [line.rstrip() for line in text.splitlines()]


def seed_entry() -> list[str]:
    """The seed's changelog entry without the documentation: header, date, summary, and each
    operation's heading with its Changes lines."""
    lines = seed_lines()
    entry = [line for line in lines[:6] if line]
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            entry.append(line)
            for following in lines[i + 1 :]:
                if not following:
                    break
                entry.append(following)
    return entry


def parse_response(
    parser: botocore.parsers.ResponseParser,
    response: dict[str, Any],
    shape: botocore.model.Shape | None,
) -> dict[str, Any]:
    """What botocore's ``parser`` makes of ``response`` for an operation's output ``shape``,
    None for an operation without output (botocore reads it as ``{}``; its stubs ask for a
    shape)."""
    parsed: dict[str, Any] = parser.parse(response, shape)  # type: ignore[arg-type]
    return parsed


def input_shape(operation: botocore.model.OperationModel) -> botocore.model.StructureShape:
    """The input shape of an operation that has one (botocore's is None for one without)."""
    shape = operation.input_shape
    assert shape is not None, f"{operation.name} takes no input"
    return shape
