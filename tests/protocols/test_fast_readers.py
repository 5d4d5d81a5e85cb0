"""The fast readers (closures made once per shape) return only what the careful walk returns.

Each protocol reads a request by its input shape's reader, which takes the happy path only and
gives up on anything else; the walk then reads the request again and accepts it or names the
fault, so every error message is the walk's. These tests hold the two to one answer on requests
botocore sends and on the same requests broken one key or value at a time: whenever the fast
reader returns, the walk returns the same params (in the same order); whenever the walk
refuses, the fast reader gave up. They also check that botocore's requests take the fast path
(else the speed is lost without a failing test).

Query and EC2 (sns, ec2: maps, lists of structures, flattened lists, numbers, booleans) and
the tree protocols (dynamodb's JSON, cloudwatch's CBOR: trees of every kind).
"""

from __future__ import annotations

import importlib
import os
from datetime import datetime, timezone
from functools import cache
from typing import Any

import botocore.model
import botocore.serialize
import pytest
from botocore.loaders import Loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.protocols.http import decode_form
from tests.support.round_trip import served

pytestmark = pytest.mark.network

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)

# (service, operation, params botocore serializes): the fields the mutations start from
QUERY_REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "sns",
        "SetEndpointAttributes",
        {"EndpointArn": "arn:e", "Attributes": {"A": "1 & 2", "B": "x=y", "C": ""}},
    ),
    (
        "sns",
        "Publish",
        {
            "TopicArn": "arn:t",
            "Message": "m",
            "MessageAttributes": {
                "a": {"DataType": "String", "StringValue": "v"},
                "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
            },
        },
    ),
    (
        "sns",
        "CreateTopic",
        {"Name": "t", "Tags": [{"Key": "k", "Value": "v"}, {"Key": "l", "Value": ""}]},
    ),
    (
        "ec2",
        "DescribeFlowLogs",
        {
            "Filter": [{"Name": "resource-id", "Values": ["vpc-1", "vpc-2"]}],
            "FlowLogIds": ["fl-1", "fl-2", "fl-3"],
            "MaxResults": 10,
            "DryRun": False,
        },
    ),
    (
        "ec2",
        "DescribeInstances",
        {
            "Filters": [{"Name": "a", "Values": ["1"]}, {"Name": "b", "Values": []}],
            "InstanceIds": ["i-1"],
            "MaxResults": 5,
        },
    ),
]


@cache
def _model(service: str) -> botocore.model.ServiceModel:
    return botocore.model.ServiceModel(Loader().load_service_model(service, "service-2"), service)


def _fields(service: str, operation: str, params: dict[str, Any]) -> dict[str, str]:
    """The keys botocore sends for ``params`` (a fresh dict: callers change it)."""
    return dict(_sent(QUERY_REQUESTS.index((service, operation, params))))


@cache
def _sent(index: int) -> dict[str, str]:
    service, operation, params = QUERY_REQUESTS[index]
    model = _model(service)
    serializer = botocore.serialize.create_serializer(model.protocol, False)
    request = serializer.serialize_to_request(params, model.operation_model(operation))
    body = request["body"]
    if isinstance(body, dict):  # botocore's query serializers leave the form as a dict
        pairs = [(str(k), str(v)) for k, v in body.items()]
    else:
        pairs = decode_form(body, error_code="X")
    return {k: v for k, v in pairs if k not in ("Action", "Version")}


def _ordered(value: Any) -> Any:
    """``value`` with each dict as its items in order: equal only if the order is too."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def _both(protocol: Any, operation: str, fast: Any, walk: Any) -> tuple[Any, Any]:
    """(what the fast reader gives, or None when it gives up; the walk's params, or the
    error it raises)."""
    base = importlib.import_module(type(protocol).__module__.rsplit(".", 1)[0] + ".base")
    try:
        fast_result = fast()
    except base.GiveUp:
        fast_result = None
    try:
        walk_result = walk()
    except base.ProtocolError as error:
        walk_result = error
    return fast_result, walk_result


def _check(protocol: Any, operation: str, fast: Any, walk: Any) -> bool:
    """The two readers agree; whether the fast one took the request."""
    fast_result, walk_result = _both(protocol, operation, fast, walk)
    if fast_result is not None:
        assert not isinstance(walk_result, Exception), (fast_result, walk_result)
        assert _ordered(fast_result) == _ordered(walk_result)
    return fast_result is not None


@pytest.mark.parametrize(("service", "operation", "params"), QUERY_REQUESTS)
def test_botocores_query_requests_take_the_fast_path(
    service: str, operation: str, params: dict[str, Any]
) -> None:
    protocol = served(service).PROTOCOL
    fields = _fields(service, operation, params)
    shape = protocol.tables.operations[operation].input
    assert _check(
        protocol,
        operation,
        lambda: protocol.read_fast(shape, fields),
        lambda: protocol.walk_fields(operation, fields),
    )


PARTS = st.sampled_from(["1", "2", "3", "0", "01", "4", "", "member", "entry", "key", "value",
                         "Name", "Values", "x", "Key", "DataType"])  # fmt: skip
VALUES = st.sampled_from(["", "x", "1", "-2", "true", "false", "1.5", "NaN", "AAEC", "v"])


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    service, operation, params = draw(st.sampled_from(QUERY_REQUESTS))
    fields = _fields(service, operation, params)
    for _ in range(draw(st.integers(1, 3))):
        keys = sorted(fields)
        key = draw(st.sampled_from(keys)) if keys else "X"
        action = draw(st.sampled_from(["drop", "rename", "add", "prefix", "value"]))
        parts = key.split(".")
        if action == "drop":
            fields.pop(key, None)
        elif action == "rename":
            value = fields.pop(key, "")
            parts[draw(st.integers(0, len(parts) - 1))] = draw(PARTS)
            fields[".".join(parts)] = value
        elif action == "add":
            fields[".".join([*parts, draw(PARTS)])] = draw(VALUES)
        elif action == "prefix" and len(parts) > 1:
            fields[".".join(parts[: draw(st.integers(1, len(parts) - 1))])] = draw(VALUES)
        else:
            fields[key] = draw(VALUES)
    return service, operation, fields


@SETTINGS
@given(case=_mutated())
def test_on_broken_query_requests_the_fast_reader_returns_only_what_the_walk_does(
    case: tuple[str, str, dict[str, str]],
) -> None:
    service, operation, fields = case
    protocol = served(service).PROTOCOL
    shape = protocol.tables.operations[operation].input
    _check(
        protocol,
        operation,
        lambda: protocol.read_fast(shape, fields),
        lambda: protocol.walk_fields(operation, fields),
    )


# -- trees: JSON and CBOR ---------------------------------------------------------------------

TREE_KEYS = st.sampled_from(["TableName", "Item", "S", "N", "L", "M", "BOOL", "NULL", "B",
                             "Namespace", "MetricData", "MetricName", "Dimensions", "Name",
                             "Value", "Values", "Timestamp", "Counts", "Unit", "Limit",
                             "StorageResolution", "ConsistentRead", "x"])  # fmt: skip
BOUNDS = [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, -(2**63) - 1]
TREES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**65), 2**65)
    | st.sampled_from(BOUNDS)
    | st.floats()
    | st.text(max_size=4)
    | st.sampled_from(["t", "Milliseconds", "NaN", "AAEC", "2026-12-07T12:00:00Z"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TREE_KEYS, inner, max_size=4),
    max_leaves=16,
)
TREE_CASES = [
    ("dynamodb", "json", "PutItem"),
    ("dynamodb", "json", "Query"),
    ("cloudwatch", "smithy-rpc-v2-cbor", "PutMetricData"),
    ("cloudwatch", "json", "PutMetricData"),
]


@SETTINGS
@given(case=st.sampled_from(TREE_CASES), body=st.dictionaries(TREE_KEYS, TREES, max_size=4))
def test_on_any_tree_the_fast_reader_returns_only_what_the_walk_does(
    case: tuple[str, str, str], body: dict[str, Any]
) -> None:
    service, protocol_name, operation = case
    protocol = served(service).PROTOCOLS[protocol_name]
    shape = protocol.tables.operations[operation].input
    _check(
        protocol,
        operation,
        lambda: protocol.reader(shape, None)(body, 0),
        lambda: protocol.walk_structure(shape, body, "", 0),
    )


@pytest.mark.parametrize("number", [*BOUNDS, True, 1.0, "1"])
@pytest.mark.parametrize("case", TREE_CASES)
def test_numbers_at_their_bounds_read_the_same(case: tuple[str, str, str], number: Any) -> None:
    service, protocol_name, operation = case
    protocol = served(service).PROTOCOLS[protocol_name]
    shape = protocol.tables.operations[operation].input
    for body in (
        {"TableName": "t", "Limit": number},
        {"Namespace": "n", "MetricData": [{"MetricName": "m", "StorageResolution": number}]},
    ):
        _check(
            protocol,
            operation,
            lambda body=body: protocol.reader(shape, None)(body, 0),
            lambda body=body: protocol.walk_structure(shape, body, "", 0),
        )


@pytest.mark.parametrize(
    ("service", "protocol_name", "operation", "body"),
    [
        (
            "dynamodb",
            "json",
            "PutItem",
            {
                "Item": {"b": {"L": [{"N": "1"}, {"M": {"c": {"NULL": True}}}]}, "a": {"S": "x"}},
                "TableName": "t",  # after Item: the model's order comes back
            },
        ),
        (
            "cloudwatch",
            "smithy-rpc-v2-cbor",
            "PutMetricData",
            {
                "Namespace": "n",
                "MetricData": [
                    {"MetricName": "m", "Timestamp": WHEN, "Value": 1.5, "Counts": [1.0, 2.0]}
                ],
            },
        ),
    ],
)
def test_valid_trees_take_the_fast_path(
    service: str, protocol_name: str, operation: str, body: dict[str, Any]
) -> None:
    protocol = served(service).PROTOCOLS[protocol_name]
    shape = protocol.tables.operations[operation].input
    assert _check(
        protocol,
        operation,
        lambda: protocol.reader(shape, None)(body, 0),
        lambda: protocol.walk_structure(shape, body, "", 0),
    )


@pytest.mark.parametrize(
    ("form", "repeated"),
    [
        ("Name=a&Name=b", "Name"),
        ("Tags.member.1.Key=k&Name=t&Tags.member.1.Key=l", "Tags.member.1.Key"),
    ],
)
def test_a_key_given_twice_is_refused_by_name(form: str, repeated: str) -> None:
    package = served("sns")
    request = package.HttpRequest(
        "POST",
        "/",
        "",
        {"content-type": "application/x-www-form-urlencoded"},
        f"Action=CreateTopic&Version=2010-03-31&{form}".encode(),
    )
    with pytest.raises(package.ProtocolError) as caught:
        package.PROTOCOL.parse_request(request)
    assert (caught.value.code, caught.value.message) == (
        "InvalidParameter",
        f"The parameter {repeated} is given more than once.",
    )


@pytest.mark.parametrize(
    ("body", "repeated"),
    [
        (b'{"TableName": "a", "TableName": "b"}', "TableName"),
        (b'{"TableName": "t", "Item": {"k": {"S": "x"}, "j": {"N": "1"}, "k": {"S": "y"}}}', "k"),
    ],
)
def test_a_json_key_given_twice_is_refused_by_name(body: bytes, repeated: str) -> None:
    package = served("dynamodb")
    headers = {
        "x-amz-target": "DynamoDB_20120810.PutItem",
        "content-type": "application/x-amz-json-1.0",
    }
    with pytest.raises(package.ProtocolError) as caught:
        package.PROTOCOL.parse_request(package.HttpRequest("POST", "/", "", headers, body))
    assert (caught.value.code, caught.value.message) == (
        "SerializationException",
        f"The request body is not valid JSON: the key {repeated!r} is given twice in one object",
    )


@pytest.mark.parametrize("digits", [300, 400, 4000])
def test_a_json_number_too_large_for_a_float_is_refused(digits: int) -> None:
    """A float member given an integer of more digits than a double holds (10**400): the
    client's fault, as infinity is, not an OverflowError."""
    package = served("cloudwatch")
    protocol = package.PROTOCOLS["json"]
    value = "1" + "0" * digits
    body = f'{{"Namespace":"n","MetricData":[{{"MetricName":"m","Value":{value}}}]}}'.encode()
    headers = {
        "x-amz-target": "GraniteServiceVersion20100801.PutMetricData",
        "content-type": "application/x-amz-json-1.0",
    }
    request = package.HttpRequest("POST", "/", "", headers, body)
    if digits < 308:
        assert protocol.parse_request(request).params["MetricData"][0]["Value"] == float(value)
        return
    with pytest.raises(package.ProtocolError) as caught:
        protocol.parse_request(request)
    assert (caught.value.code, caught.value.message) == (
        "SerializationException",
        "Expected a number at MetricData[0].Value, got a large integer.",
    )
