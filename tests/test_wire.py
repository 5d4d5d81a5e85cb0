"""The wire names the spec implies (query keys, XML paths) are the ones botocore uses.

botocore is the oracle: its EC2 serializer, given botocore 1.14.10's own model, must send
exactly the query keys ``codegen.wire.query_keys`` derives from the spec, and its EC2 parser
must read each value of an XML document built from ``codegen.wire.xml_paths`` into the member
the spec says.
"""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import parse_qsl

import botocore.model
import botocore.parsers
import botocore.serialize
import pytest

from codegen.model import ServiceModel
from codegen.wire import query_keys, xml_paths
from tests.support.helpers import parse_response, release, spec

pytestmark = pytest.mark.network
OPERATIONS = ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")


@pytest.fixture(scope="module")
def botocore_service() -> botocore.model.ServiceModel:
    return botocore.model.ServiceModel(release("1.14.10").load_model("ec2"), service_name="ec2")


def _fill(path: str, value: object, params: dict[str, Any]) -> None:
    """Set ``value`` at a path such as ``Filter[].Values[]``, with two items per list."""
    head, _, rest = path.partition(".")
    name, is_list = head.rstrip("[]"), head.endswith("[]")
    if not is_list:
        if rest:
            _fill(rest, value, params.setdefault(name, {}))
        else:
            params[name] = value
        return
    items = params.setdefault(name, [{}, {}] if rest else [])
    if rest:
        for item in items:
            _fill(rest, value, item)
    else:
        items[:] = [value, value]


def _expand(pattern: str) -> set[str]:
    holes = [c for c in "NM" if f".{c}" in pattern]
    keys: set[str] = set()
    for combo in itertools.product("12", repeat=len(holes)):
        key = pattern
        for hole, index in zip(holes, combo):
            key = key.replace(f".{hole}", f".{index}", 1)
        keys.add(key)
    return keys


@pytest.mark.parametrize("operation", OPERATIONS)
def test_query_keys_match_botocores_serializer(
    operation: str, botocore_service: botocore.model.ServiceModel
) -> None:
    model = spec().model("1.14.10")
    input_name = model.operations[operation].input
    assert input_name is not None
    keys = query_keys(model, input_name)
    params: dict[str, Any] = {}
    for path in keys:
        shape_type = _leaf_type(model, input_name, path)
        _fill(path, {"boolean": True, "integer": 60}.get(shape_type, "x"), params)
    request = botocore.serialize.create_serializer("ec2").serialize_to_request(
        params, botocore_service.operation_model(operation)
    )
    sent = {
        k for k, _ in parse_qsl(request["body"] if isinstance(request["body"], str) else "")
    } or set(request["body"])
    expected = set().union(*(_expand(p) for p in keys.values())) | {"Action", "Version"}
    assert sent == expected


def _leaf_type(model: ServiceModel, shape_name: str, path: str) -> str:
    shape = model.shapes[shape_name]
    for part in path.split("."):
        shape = model.shapes[shape.members[part.rstrip("[]")].shape]
        if part.endswith("[]"):
            assert shape.member is not None
            shape = model.shapes[shape.member.shape]
    return shape.type


@pytest.mark.parametrize("operation", OPERATIONS)
def test_xml_paths_match_botocores_parser(
    operation: str, botocore_service: botocore.model.ServiceModel
) -> None:
    model = spec().model("1.14.10")
    output = model.operations[operation].output
    assert output is not None
    paths = xml_paths(model, output)
    values = {path: f"v{i}" for i, path in enumerate(paths)}
    for path in paths:
        if _leaf_type(model, output, path) == "integer":
            values[path] = str(100 + list(paths).index(path))
        elif _leaf_type(model, output, path) == "timestamp":
            values[path] = "2020-02-04T10:00:00.000Z"
    body = _xml(operation, {paths[p]: values[p] for p in paths})
    parsed = parse_response(
        botocore.parsers.create_parser("ec2"),
        {"body": body.encode(), "headers": {}, "status_code": 200},
        botocore_service.operation_model(operation).output_shape,
    )
    for path, text in values.items():
        got = _get(parsed, path)
        if _leaf_type(model, output, path) == "integer":
            assert got == int(text), path
        elif _leaf_type(model, output, path) == "timestamp":
            assert got.year == 2020, path
        else:
            assert got == text, path


def _xml(operation: str, elements: dict[str, str]) -> str:
    """One item per list: nest every element path into a single XML tree."""
    tree: dict[str, Any] = {}
    for path, text in elements.items():
        node = tree
        parts = path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = text

    def render(node: dict[str, Any]) -> str:
        return "".join(
            f"<{k}>{render(v) if isinstance(v, dict) else v}</{k}>" for k, v in node.items()
        )

    ns = "http://ec2.amazonaws.com/doc/2016-11-15/"
    return f'<{operation}Response xmlns="{ns}"><requestId>r</requestId>{render(tree)}</{operation}Response>'


def _get(parsed: dict[str, Any], path: str) -> Any:
    node: Any = parsed
    for part in path.split("."):
        node = node[part.rstrip("[]")]
        if part.endswith("[]"):
            node = node[0]
    return node
