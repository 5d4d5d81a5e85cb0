"""The spec format's ``until`` and ``history`` (written by ``apigen update``): every version
materializes as it was. A copy of the flow-logs spec, edited by hand; no network."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.errors import ApigenError
from codegen.loader import load_spec
from tests.support.paths import SPEC

V3 = "2021-01-01"


def edited() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    doc["versions"].append({"date": V3, "botocore": "1.20.0", "summary": "A later release."})
    shapes = doc["shapes"]
    shapes["TrafficType"]["enum"] = [
        "ACCEPT",
        "REJECT",
        {"value": "NONE", "since": V3},
        {"value": "ALL", "until": V3},
    ]
    request = shapes["CreateFlowLogsRequest"]
    request["members"]["DryRun"]["until"] = V3
    request["required"] = ["ResourceIds", "ResourceType"]
    request["history"] = [
        {"until": V3, "required": ["ResourceIds", "ResourceType", "TrafficType"]}
    ]
    traffic = request["members"]["TrafficType"]
    traffic["history"] = [{"until": V3, "documentation": traffic["documentation"]}]
    traffic["documentation"] = ["The type of traffic."]
    created = shapes["FlowLog"]["members"]["CreationTime"]
    created["history"] = [
        {"until": V3, "shape": created["shape"], "locationName": created["locationName"]}
    ]
    created["shape"] = "String"
    del created["locationName"]
    return doc


def load(tmp_path: Path, doc: dict[str, Any]) -> Any:
    path = tmp_path / "flow-logs.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return load_spec(path)


def test_each_version_as_it_was(tmp_path: Path) -> None:
    spec = load(tmp_path, edited())
    original = load_spec(SPEC)
    for as_of in ("2020-01-24", "2020-02-04"):
        assert spec.model(as_of).shapes == original.model(as_of).shapes, as_of
        assert spec.model(as_of).operations == original.model(as_of).operations, as_of
    now = spec.model(V3)
    request = now.shapes["CreateFlowLogsRequest"]
    assert now.shapes["TrafficType"].enum == ("ACCEPT", "REJECT", "NONE")
    assert "DryRun" not in request.members and request.required == ("ResourceIds", "ResourceType")
    assert request.members["TrafficType"].documentation == "The type of traffic."
    created = now.shapes["FlowLog"].members["CreationTime"]
    assert (created.shape, created.location_name) == ("String", None)


@pytest.mark.parametrize(
    "edit, problem",
    [
        (
            lambda d: d["shapes"]["TrafficType"].update(
                enum=[{"value": "ALL", "until": "2099-01-01"}]
            ),
            "/shapes/TrafficType/enum/0/until: unknown version '2099-01-01'",
        ),
        (
            lambda d: d["shapes"]["FlowLog"]["members"]["MaxAggregationInterval"].update(
                until="2020-02-04"
            ),
            (
                "/shapes/FlowLog/members/MaxAggregationInterval/until: until 2020-02-04 is not"
                " later than the element's since"
            ),
        ),
        (
            lambda d: d["operations"]["DeleteFlowLogs"].update(
                history=[{"until": "2019-01-01", "errors": None}]
            ),
            "/operations/DeleteFlowLogs/history/0/until: unknown version '2019-01-01'",
        ),
        (
            lambda d: d["operations"]["DeleteFlowLogs"].update(
                history=[{"until": V3, "documentedErrors": []}]
            ),
            "/operations/DeleteFlowLogs/history/0",
        ),
    ],
)
def test_bad_until_and_history(tmp_path: Path, edit: Any, problem: str) -> None:
    doc = copy.deepcopy(edited())
    edit(doc)
    with pytest.raises(ApigenError) as error:
        load(tmp_path, doc)
    assert problem in str(error.value)
