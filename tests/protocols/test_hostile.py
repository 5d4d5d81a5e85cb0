"""Whatever bytes arrive, a protocol gives a validated request or an error to answer, never
another exception, in time linear in the input.

Through the served packages of the installed botocore's dynamodb (json 1.0), cloudwatch (CBOR,
json and query, one package) and iam (query): random bytes, random JSON and CBOR trees, valid
requests with a byte changed, and the deep and wide inputs that break naive parsers (100,000
nested arrays, a million map entries, a key of 30,000 dots). Every error is a 4xx that the
protocol writes and botocore's parser of that protocol reads back with the same code.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest
from botocore.parsers import create_parser
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from codegen.protocols.cbor import encode
from tests.support.helpers import parse_response
from tests.support.round_trip import served, validators

pytestmark = pytest.mark.network

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TREES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["TableName", "Namespace", "MetricData", "S", "t", "Limit"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["TableName", "Limit", "Namespace", "MetricData", "MetricName", "x"])
            | st.text(max_size=6),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)
OPERATIONS = {
    "dynamodb": ("DynamoDB_20120810", ["ListTables", "PutItem", "Query", "CreateTable", "Nope"]),
    "cloudwatch": ("GraniteServiceVersion20100801", ["PutMetricData", "ListMetrics", "Nope"]),
}


def _event(text: str) -> None:
    try:
        event(text)
    except InvalidArgument:  # outside a hypothesis test
        pass


def _answer(package: Any, request: Any) -> tuple[str, Any]:
    """What the service answers: ('request', the parsed request) or ('error', the error)."""
    protocol = package.protocol_for(request)
    try:
        parsed = protocol.parse_request(request)
    except package.ProtocolError as error:
        assert 400 <= error.status < 500, (error.code, error.message)
        assert error.message
        response = protocol.serialize_error(error, error.operation, "r")
        headers = {k.lower(): v for k, v in response.headers}
        read = parse_response(
            create_parser(protocol.name),
            {"status_code": response.status, "headers": headers, "body": response.body},
            None,
        )
        code = read["Error"]["Code"]
        assert code in (error.code, headers.get("x-amzn-query-error", "").split(";")[0])
        _event(f"{protocol.name}: {error.code}")
        return "error", error
    assert validators(package).validate(parsed.operation, parsed.params) == []
    _event(f"{protocol.name}: accepted")
    return "request", parsed


def _json_request(package: Any, service: str, operation: str, body: bytes) -> Any:
    prefix = OPERATIONS[service][0]
    headers = {
        "x-amz-target": f"{prefix}.{operation}",
        "content-type": "application/x-amz-json-1.0",
    }
    return package.HttpRequest("POST", "/", "", headers, body)


def _cbor_request(package: Any, operation: str, body: bytes) -> Any:
    headers = {"smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor"}
    path = f"/service/GraniteServiceVersion20100801/operation/{operation}"
    return package.HttpRequest("POST", path, "", headers, body)


@SETTINGS
@given(
    service=st.sampled_from(sorted(OPERATIONS)),
    operation=st.integers(0, 4),
    tree=TREES,
    raw=st.binary(max_size=40),
    kind=st.sampled_from(["json", "bytes", "cut"]),
)
def test_json_bodies(service: str, operation: int, tree: Any, raw: bytes, kind: str) -> None:
    package = served(service)
    names = OPERATIONS[service][1]
    text = json.dumps(tree).encode() if kind != "bytes" else raw
    if kind == "cut":
        text = text[: len(text) // 2] + raw[:3]
    _answer(package, _json_request(package, service, names[operation % len(names)], text))


@SETTINGS
@given(
    operation=st.sampled_from(OPERATIONS["cloudwatch"][1]),
    tree=TREES,
    raw=st.binary(max_size=40),
    kind=st.sampled_from(["cbor", "bytes", "cut", "flip"]),
    position=st.integers(0, 10**6),
)
def test_cbor_bodies(operation: str, tree: Any, raw: bytes, kind: str, position: int) -> None:
    package = served("cloudwatch")
    try:
        body = encode(tree)
    except ValueError:  # an integer CBOR has no head for
        body = raw
    if kind == "bytes":
        body = raw
    elif kind == "cut":
        body = body[: len(body) // 2]
    elif kind == "flip" and body:
        at = position % len(body)
        body = body[:at] + bytes([body[at] ^ 0xFF]) + body[at + 1 :]
    _answer(package, _cbor_request(package, operation, body))


KEYS = st.sampled_from(
    ["Action", "Version", "UserName", "Path", "Tags.member.1.Key", "Tags.member.1.Value"]
    + ["Tags.member.2.Key", "Tags.member.0.Key", "Tags.1.Key", "PermissionsBoundary", "X.Y"]
) | st.text(max_size=10)
VALUES = st.sampled_from(
    ["CreateUser", "ListUsers", "2010-05-08", "bob", "/", "%FF", "", "a" * 65, "x\x00"]
) | st.text(max_size=10)


@SETTINGS
@given(
    pairs=st.lists(st.tuples(KEYS, VALUES), max_size=8),
    raw=st.binary(max_size=20),
    content_type=st.sampled_from(["application/x-www-form-urlencoded", "", "application/json"]),
    as_query=st.booleans(),
)
def test_query_forms(
    pairs: list[tuple[str, str]], raw: bytes, content_type: str, as_query: bool
) -> None:
    from urllib.parse import urlencode

    package = served("iam")
    form = urlencode([("Action", "CreateUser"), ("Version", "2010-05-08"), *pairs]).encode()
    for body in (form, form + b"&" + raw, raw):
        headers = {"content-type": content_type} if content_type else {}
        if as_query:
            request = package.HttpRequest("GET", "/", body.decode("latin-1"), headers, b"")
        else:
            request = package.HttpRequest("POST", "/", "", headers, body)
        _answer(package, request)


def _quick(package: Any, request: Any, limit: float = 5.0) -> tuple[str, Any]:
    started = time.perf_counter()
    answer = _answer(package, request)
    assert time.perf_counter() - started < limit
    return answer


def test_deep_and_wide_inputs_are_refused_or_read_in_linear_time() -> None:
    dynamodb = served("dynamodb")
    cloudwatch = served("cloudwatch")
    iam = served("iam")
    deep_json = b"[" * 100_000 + b"]" * 100_000
    kind, error = _quick(dynamodb, _json_request(dynamodb, "dynamodb", "ListTables", deep_json))
    assert (kind, error.code) == ("error", "SerializationException")
    deep_cbor = b"\x81" * 100_000 + b"\x00"
    kind, error = _quick(cloudwatch, _cbor_request(cloudwatch, "ListMetrics", deep_cbor))
    assert (kind, error.code) == ("error", "SerializationException")
    assert "levels of nesting" in error.message
    wide = json.dumps({f"k{i}": i for i in range(200_000)}).encode()
    kind, error = _quick(dynamodb, _json_request(dynamodb, "dynamodb", "ListTables", wide))
    assert (kind, error.code) == ("error", "SerializationException")
    huge_map = b"\xbb" + (2**40).to_bytes(8, "big")  # a map of 2**40 entries, in 9 bytes
    kind, error = _quick(cloudwatch, _cbor_request(cloudwatch, "ListMetrics", huge_map))
    assert "more than the input holds" in error.message
    dots = "Action=CreateUser&Version=2010-05-08&UserName=b&" + "A." * 30_000 + "=1"
    request = iam.HttpRequest("POST", "/", "", {}, dots.encode())
    kind, error = _quick(iam, request)
    assert (kind, error.code) == ("error", "UnknownParameter")
