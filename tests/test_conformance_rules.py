"""The conformance checks on hand-made models: they can fail, and recursion terminates."""

from __future__ import annotations

import copy

from codegen.bridge.importer import import_model
from codegen.conformance import compatibility_problems, gained_since, structural_differences

BASE = {
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


def model(doc):
    return import_model(doc, name="x")


def test_identical_recursive_models_have_no_differences():
    assert compatibility_problems(model(BASE), model(BASE)) == []
    assert gained_since(model(BASE), model(BASE)) == []
    assert structural_differences(model(BASE), model(BASE)) == []


def test_every_kind_of_incompatibility_is_found():
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


def test_gains_are_listed():
    newer = copy.deepcopy(BASE)
    newer["shapes"]["Node"]["members"]["Size"] = {"shape": "S"}
    newer["shapes"]["Kind"]["enum"] = ["a", "b", "c"]
    newer["shapes"]["Req"]["required"] = []
    assert sorted(gained_since(model(BASE), model(newer))) == [
        "Op.input.Kind: new enum values ['c']",
        "Op.input.Kind: no longer required",
        "Op.input.Tree.Size: new member (string)",
    ]


def test_type_change_is_found_and_stops_the_walk():
    newer = copy.deepcopy(BASE)
    newer["shapes"]["Ids"] = {"type": "string"}
    assert compatibility_problems(model(BASE), model(newer)) == [
        "Op.output.Ids: type list became string"
    ]
