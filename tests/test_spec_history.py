"""The spec format's ``until`` and ``history`` (written by ``apigen update``): every version
materializes as it was. A copy of the flow-logs spec, edited by hand; no network."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.errors import ApigenError
from codegen.loader import load_spec
from tests.support.paths import FIXTURES, SPEC

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


def reordered() -> dict[str, Any]:
    """The flow-logs spec with a third version doing what only botocore's later releases do:
    members and enum values re-sorted, a shape changing type, a value and an operation
    removed and brought back, the service's metadata changed."""
    doc: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    doc["versions"].append({"date": V3, "botocore": "1.20.0", "summary": "A later release."})
    shapes = doc["shapes"]
    request = shapes["CreateFlowLogsRequest"]
    earlier = list(request["members"])
    request["members"] = {name: request["members"][name] for name in sorted(earlier)}
    request["history"] = [{"until": V3, "memberOrder": earlier}]
    shapes["TrafficType"] = {
        "type": "string",
        "enum": [
            "REJECT",
            "ALL",
            # removed in 2020-02-04, back in V3
            {
                "value": "ACCEPT",
                "history": [
                    {"until": "2020-02-04", "exists": True},
                    {"until": V3, "exists": False},
                ],
            },
        ],
        "history": [{"until": V3, "enumOrder": ["ACCEPT", "REJECT", "ALL"]}],
    }
    # a timestamp before V3, a structure since
    shapes["DateTime"] = {
        "type": "structure",
        "members": {"Seconds": {"shape": "Integer"}, "Zone": {"shape": "String"}},
        "history": [{"until": V3, "type": "timestamp", "members": None, "memberOrder": None}],
    }
    # absent in 2020-02-04 only
    doc["operations"]["DeleteFlowLogs"]["history"] = [
        {"until": "2020-02-04", "exists": True},
        {"until": V3, "exists": False},
    ]
    doc["history"] = [{"until": V3, "metadata": dict(doc["metadata"])}]
    doc["metadata"]["protocols"] = ["ec2"]
    return doc


def test_orders_types_and_comebacks_as_they_were(tmp_path: Path) -> None:
    spec = load(tmp_path, reordered())
    original = load_spec(SPEC)
    first = spec.model("2020-01-24")
    assert first.shapes == original.model("2020-01-24").shapes
    assert first.operations == original.model("2020-01-24").operations
    assert first.metadata == original.model().metadata
    second = spec.model("2020-02-04")
    assert list(second.operations) == ["CreateFlowLogs", "DescribeFlowLogs"]
    assert second.shapes["TrafficType"].enum == ("REJECT", "ALL")
    assert list(second.shapes["CreateFlowLogsRequest"].members) == list(
        original.model().shapes["CreateFlowLogsRequest"].members
    )
    now = spec.model(V3)
    assert list(now.operations) == ["CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs"]
    assert now.shapes["TrafficType"].enum == ("REJECT", "ALL", "ACCEPT")
    assert list(now.shapes["CreateFlowLogsRequest"].members) == [
        "ClientToken",
        "DeliverLogsPermissionArn",
        "DryRun",
        "LogDestination",
        "LogDestinationType",
        "LogFormat",
        "LogGroupName",
        "MaxAggregationInterval",
        "ResourceIds",
        "ResourceType",
        "TrafficType",
    ]
    created = now.shapes["DateTime"]
    assert (created.type, list(created.members)) == ("structure", ["Seconds", "Zone"])
    assert (second.shapes["DateTime"].type, second.shapes["DateTime"].members) == ("timestamp", {})
    assert now.metadata.traits == {"protocols": ["ec2"]} and not second.metadata.traits


OLD_SPECS = FIXTURES / "old_specs"


def _digest(model: Any) -> str:
    from codegen.bridge.exporter import export_paginators, export_service
    from codegen.conformance import documented_rules

    parts: list[Any] = [export_service(model), export_paginators(model)]
    parts.append([str(r) for r in documented_rules(model)])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def test_specs_written_by_earlier_apigen_materialize_as_they_did() -> None:
    """Specs that apigen wrote before the format learnt orders, types and comebacks (the
    flow-logs spec and a whole-service import, each updated by that apigen) give, version by
    version, the models that apigen gave: digests it recorded (earlier_models.json)."""
    recorded = json.loads((OLD_SPECS / "earlier_models.json").read_text(encoding="utf-8"))
    assert set(recorded["digests"]) == {p.name for p in OLD_SPECS.glob("*.json")} - {
        "earlier_models.json"
    }
    for name, versions in recorded["digests"].items():
        spec = load_spec(OLD_SPECS / name)
        assert [v.version for v in spec.versions] == list(versions)
        for version, digest in versions.items():
            assert _digest(spec.model(version)) == digest, (name, version)
