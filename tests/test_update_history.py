"""What ``apigen update`` writes for members and enum values, through any sequence of releases:
names added, removed, brought back and re-sorted, in any combination. Each step writes a new
version into a small spec the way the update does (``codegen.update._Writer``); the loader
must accept every document, and every version must materialize with exactly the names, in
exactly the order, of its step. No network: the releases here are lists of names.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codegen.loader import format_spec, spec_from_bytes
from codegen.spec import Spec
from codegen.update import _Writer

NAMES = st.lists(st.sampled_from("ABCDEFG"), unique=True, max_size=7)
BASE: dict[str, Any] = {
    "specFormat": 1,
    "service": "thing",
    "metadata": {
        "apiVersion": "2020-01-01",
        "protocol": "json",
        "endpointPrefix": "thing",
        "serviceFullName": "Thing",
    },
    "versions": [{"date": "2020-01-01", "summary": "First."}],
    "operations": {},
    "shapes": {"String": {"type": "string"}},
}


def load(document: dict[str, Any]) -> Spec:
    return spec_from_bytes(format_spec(document).encode(), "thing.json")


def members(names: list[str]) -> dict[str, Any]:
    return {name: {"shape": "String"} for name in names}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(NAMES, min_size=2, max_size=6), values=st.lists(NAMES, min_size=2, max_size=6)
)
def test_any_sequence_of_releases_materializes_version_by_version(
    steps: list[list[str]], values: list[list[str]]
) -> None:
    document = copy.deepcopy(BASE)
    document["shapes"]["Thing"] = {"type": "structure", "members": members(steps[0])}
    kind: dict[str, Any] = {"type": "string"}
    if values[0]:
        kind["enum"] = list(values[0])
    document["shapes"]["Kind"] = kind
    versions = ["2020-01-01"]
    for i in range(1, max(len(steps), len(values))):
        version = f"2020-01-{i + 1:02d}"
        document["versions"].append({"date": version, "summary": f"Step {i}."})
        writer = _Writer(version, {})
        previous = load(document).model(versions[-1])  # what the spec said before this step
        thing, kind = document["shapes"]["Thing"], document["shapes"]["Kind"]
        before: dict[str, Any] = {}
        want = steps[min(i, len(steps) - 1)]
        writer.members(
            thing, members(list(previous.shapes["Thing"].members)), members(want), before
        )
        writer.record(thing, before)
        before = {}
        writer.enum(
            kind, list(previous.shapes["Kind"].enum), values[min(i, len(values) - 1)], before
        )
        writer.record(kind, before)
        versions.append(version)
    spec = load(json.loads(json.dumps(document)))
    for i, version in enumerate(versions):
        model = spec.model(version)
        assert list(model.shapes["Thing"].members) == steps[min(i, len(steps) - 1)], version
        assert list(model.shapes["Kind"].enum) == values[min(i, len(values) - 1)], version
    written = json.dumps(document)
    event(f"re-sorted: {'memberOrder' in written or 'enumOrder' in written}")
    event(f"brought back: {'exists' in written}")
