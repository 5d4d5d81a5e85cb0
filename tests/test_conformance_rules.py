"""The conformance checks on hand-made models: they can fail, and recursion terminates."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from codegen.bridge.importer import import_model
from codegen.conformance import compatibility_problems, gained_since, structural_differences
from codegen.model import ServiceModel
from tests.support.paths import DIFF_DEMO as DEMO

BASE: dict[str, Any] = {
    "metadata": {
        "apiVersion": "2020-01-01",
        "protocol": "ec2",
        "endpointPrefix": "x",
        "serviceFullName": "X",
    },
    "operations": {
        "Op": {
            "name": "Op",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "Req"},
            "output": {"shape": "Res"},
        }
    },
    "shapes": {
        "Req": {
            "type": "structure",
            "required": ["Kind"],
            "members": {
                "Kind": {"shape": "Kind"},
                "Tree": {"shape": "Node", "locationName": "tree"},
            },
        },
        "Res": {
            "type": "structure",
            "members": {"Ids": {"shape": "Ids", "locationName": "idSet"}},
        },
        "Node": {
            "type": "structure",
            "members": {"Children": {"shape": "Nodes"}, "Name": {"shape": "S"}},
        },
        "Nodes": {"type": "list", "member": {"shape": "Node", "locationName": "item"}},
        "Ids": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
        "Kind": {"type": "string", "enum": ["a", "b"]},
        "S": {"type": "string"},
    },
}


def model(doc: dict[str, Any]) -> ServiceModel:
    return import_model(doc, name="x")


def test_identical_recursive_models_have_no_differences() -> None:
    assert compatibility_problems(model(BASE), model(BASE)) == []
    assert gained_since(model(BASE), model(BASE)) == []
    assert structural_differences(model(BASE), model(BASE)) == []


def test_every_kind_of_incompatibility_is_found() -> None:
    newer = copy.deepcopy(BASE)
    newer["shapes"]["Node"]["members"].pop("Name")
    newer["shapes"]["Req"]["members"]["Tree"]["locationName"] = "forest"
    newer["shapes"]["Kind"]["enum"] = ["a", "c"]
    newer["shapes"]["Ids"]["member"]["locationName"] = "member"
    assert sorted(compatibility_problems(model(BASE), model(newer))) == [
        "Op.input.Kind: enum values removed ['b']",
        "Op.input.Tree.Name: member removed",
        "Op.input.Tree: wire name 'tree' became 'forest'",
        "Op.output.Ids[member]: wire name 'item' became 'member'",
    ]


def test_gains_are_listed() -> None:
    newer = copy.deepcopy(BASE)
    newer["shapes"]["Node"]["members"]["Size"] = {"shape": "S"}
    newer["shapes"]["Kind"]["enum"] = ["a", "b", "c"]
    newer["shapes"]["Req"]["required"] = []
    assert sorted(gained_since(model(BASE), model(newer))) == [
        "Op.input.Kind: new enum values ['c']",
        "Op.input.Kind: no longer required",
        "Op.input.Tree.Size: new member (string)",
    ]


def test_type_change_is_found_and_stops_the_walk() -> None:
    newer = copy.deepcopy(BASE)
    newer["shapes"]["Ids"] = {"type": "string"}
    assert compatibility_problems(model(BASE), model(newer)) == [
        "Op.output.Ids: type list became string"
    ]


# -- structural_differences: every kind of difference, one at a time --------------------------


def _demo(edit: Any = None) -> Any:
    raw = json.loads((DEMO / "service-2.json").read_text(encoding="utf-8"))
    paginators = json.loads((DEMO / "paginators-1.json").read_text(encoding="utf-8"))
    if edit is not None:
        edit(raw, paginators["pagination"])
    return import_model(raw, name="demo", paginators=paginators)


def _set(path: str, value: Any) -> Any:
    """An edit setting the value at a /-separated path of the service-2 document."""

    def edit(raw: dict[str, Any], pagination: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = raw
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return edit


_DELETE = object()


def _renamed_input(raw: dict[str, Any], pagination: dict[str, Any]) -> None:
    raw["shapes"]["PutThingInput"] = raw["shapes"]["PutThingRequest"]
    raw["operations"]["PutThing"]["input"]["shape"] = "PutThingInput"


def _reordered(raw: dict[str, Any], pagination: dict[str, Any]) -> None:
    members = raw["shapes"]["GetThingRequest"]["members"]
    members["Other"] = {"shape": "String"}
    raw["shapes"]["GetThingRequest"]["members"] = {"Other": members.pop("Other"), **members}


def _ordered_base(raw: dict[str, Any], pagination: dict[str, Any]) -> None:
    raw["shapes"]["GetThingRequest"]["members"]["Other"] = {"shape": "String"}


def _paged_differently(raw: dict[str, Any], pagination: dict[str, Any]) -> None:
    pagination["ListThings"]["limit_key"] = "NextToken"


# Each: (an edit of the actual side, the lines expected; hand-written from the fixture).
KINDS: dict[str, tuple[Any, list[str]]] = {
    "operation only on one side": (
        _set("operations/GetThing", _DELETE),
        ["operation GetThing: only in expected"],
    ),
    "http method": (
        _set("operations/PutThing/http/method", "PUT"),
        ["operation PutThing: http_method 'POST' (expected) != 'PUT' (actual)"],
    ),
    "request uri": (
        _set("operations/PutThing/http/requestUri", "/things"),
        ["operation PutThing: request_uri '/' (expected) != '/things' (actual)"],
    ),
    "input shape name": (
        _renamed_input,
        [
            "operation PutThing: input 'PutThingRequest' (expected) != 'PutThingInput' (actual)",
            "PutThing.input: shape name 'PutThingRequest' (expected) != 'PutThingInput' (actual)",
        ],
    ),
    "errors": (
        _set("operations/PutThing/errors", []),
        ["operation PutThing: errors ('BadInput',) (expected) != () (actual)"],
    ),
    "type": (
        _set("shapes/Time/type", "string"),
        ["PutThing.input.Created: type 'timestamp' (expected) != 'string' (actual)"],
    ),
    "enum": (
        _set("shapes/Kind/enum", ["small", "large", "huge"]),
        [
            f"{where}.Kind: enum ('small', 'large') (expected) != ('small', 'large', 'huge') (actual)"
            for where in (
                "PutThing.input",
                "PutThing.output.Thing",
                "GetThing.output.Thing",
                "ListThings.output.Things[member]",
            )
        ],
    ),
    "min": (
        _set("shapes/Name/min", 2),
        [
            f"{where}.Name: min 1 (expected) != 2 (actual)"
            for where in (
                "PutThing.input",
                "PutThing.output.Thing",
                "GetThing.output.Thing",
                "ListThings.output.Things[member]",
            )
        ],
    ),
    "max": (
        _set("shapes/TagList/max", 11),
        [
            f"{where}.Tags: max 10 (expected) != 11 (actual)"
            for where in (
                "PutThing.input",
                "PutThing.output.Thing",
                "GetThing.output.Thing",
                "ListThings.output.Things[member]",
            )
        ],
    ),
    "pattern": (
        _set("shapes/Name/pattern", "^[a-z0-9]+$"),
        [
            f"{where}.Name: pattern '^[a-z]+$' (expected) != '^[a-z0-9]+$' (actual)"
            for where in (
                "PutThing.input",
                "PutThing.output.Thing",
                "GetThing.output.Thing",
                "ListThings.output.Things[member]",
            )
        ],
    ),
    "required-ness": (
        _set("shapes/GetThingRequest/required", []),
        ["GetThing.input: required ['Id'] (expected) != [] (actual)"],
    ),
    "member only on one side": (
        _set("shapes/GetThingRequest/members/Extra", {"shape": "String"}),
        ["GetThing.input.Extra: member only in actual"],
    ),
    "wire name (locationName)": (
        _set("shapes/GetThingRequest/members/Id/locationName", "id"),
        ["GetThing.input.Id: location_name None (expected) != 'id' (actual)"],
    ),
    "wire name (queryName)": (
        _set("shapes/GetThingRequest/members/Id/queryName", "ID"),
        ["GetThing.input.Id: query_name None (expected) != 'ID' (actual)"],
    ),
    "traits": (
        _set("shapes/PutThingRequest/members/Token/deprecated", True),
        [
            (
                "PutThing.input.Token: traits {'idempotencyToken': True} (expected) != "
                "{'idempotencyToken': True, 'deprecated': True} (actual)"
            )
        ],
    ),
    "a list's member": (
        _set("shapes/ThingList/member/locationName", "item"),
        ["ListThings.output.Things[member]: location_name None (expected) != 'item' (actual)"],
    ),
    "a map's key and value": (
        _set("shapes/AttributeMap/value/locationName", "v"),
        [
            f"{where}.Attributes[value]: location_name None (expected) != 'v' (actual)"
            for where in (
                "PutThing.output.Thing",
                "GetThing.output.Thing",
                "ListThings.output.Things[member]",
            )
        ],
    ),
    "pagination": (
        _paged_differently,
        [
            (
                "operation ListThings: pagination Pagination(input_token='NextToken', "
                "output_token='NextToken', result_key='Things', limit_key='MaxResults', "
                "more_results=None, non_aggregate_keys=()) (expected) != "
                "Pagination(input_token='NextToken', output_token='NextToken', "
                "result_key='Things', limit_key='NextToken', more_results=None, "
                "non_aggregate_keys=()) (actual)"
            )
        ],
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_structural_differences_reports_every_kind_of_difference(kind: str) -> None:
    edit, expected = KINDS[kind]
    base = _demo()
    differences = structural_differences(base, _demo(edit))
    assert sorted(differences) == sorted(expected)
    # and the other way round, with the sides named
    back = structural_differences(_demo(edit), base, names=("new", "old"))
    assert len(back) == len(expected), back


def test_structural_differences_reports_member_order() -> None:
    differences = structural_differences(_demo(_ordered_base), _demo(_reordered))
    assert differences == [
        "GetThing.input: member order ['Id', 'Other'] (expected) != ['Other', 'Id'] (actual)"
    ]


def test_structural_differences_of_a_model_with_itself_is_empty() -> None:
    assert structural_differences(_demo(), _demo()) == []
