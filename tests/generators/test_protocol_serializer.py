"""The generated response serializer against the one it replaced, byte for byte.

``tests/support/protocol_reference.py`` keeps the serializer as it was (a generic walk over the model
tables); the generated one is straight-line code per shape. For the EC2 spec, the synthetic
``widgets`` model and an ``edges`` model made to reach every branch (every scalar type,
timestamp formats on members and shapes, flattened lists and maps, named list items and map
keys and values, lists of lists, recursion, an empty structure, element names that are not
plain), hypothesis draws results of every kind of Python value each writer may be given
(valid or not: strings needing escaping or holding characters XML cannot carry, numbers for
strings, bools for integers, naive and offset datetimes, timestamps as text or numbers,
tuples, generators and sets for lists, None items), and both must give the same bytes or
raise the same exception. Fixed golden bodies, written by the old serializer, pin the bytes
independently of both.
"""

from __future__ import annotations

import math
import os
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.bridge.importer import import_model
from codegen.generators.base import GenerationContext
from codegen.generators.protocol import ProtocolGenerator
from codegen.generators.validators import ValidatorsGenerator
from tests.support.helpers import spec
from tests.support.imports import generate_into, scratch
from tests.support.paths import GENERATED
from tests.support.protocol import load_package, protocol_module
from tests.support.protocol_reference import ReferenceSerializer

SETTINGS = settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

EDGES: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2021-01-01",
        "endpointPrefix": "edges",
        "protocol": "ec2",
        "serviceFullName": "Edge cases",
        "signatureVersion": "v4",
        "uid": "edges-2021-01-01",
    },
    "operations": {
        "Everything": {
            "name": "Everything",
            "http": {"method": "POST", "requestUri": "/"},
            "output": {"shape": "Everything"},
        },
        "Nothing": {"name": "Nothing", "http": {"method": "POST", "requestUri": "/"}},
        "Empty": {
            "name": "Empty",
            "http": {"method": "POST", "requestUri": "/"},
            "output": {"shape": "Empty"},
        },
    },
    "shapes": {
        "Everything": {
            "type": "structure",
            "members": {
                "Str": {"shape": "Str", "locationName": "str"},
                "Int": {"shape": "Int"},
                "Long": {"shape": "Long"},
                "Bool": {"shape": "Bool"},
                "Float": {"shape": "Float"},
                "Double": {"shape": "Double"},
                "Blob": {"shape": "Blob"},
                "Time": {"shape": "Time"},
                "Epoch": {"shape": "Time", "timestampFormat": "unixTimestamp"},
                "Http": {"shape": "HttpTime"},
                "Iso": {"shape": "Time", "timestampFormat": "iso8601"},
                "Strs": {"shape": "Strs", "locationName": "strSet"},
                "Named": {"shape": "NamedStrs"},
                "Flat": {"shape": "Strs", "flattened": True, "locationName": "flat"},
                "FlatNamed": {"shape": "FlatNamedTimes"},
                "Matrix": {"shape": "Matrix"},
                "FlatMatrix": {"shape": "FlatMatrix"},
                "Map": {"shape": "Map"},
                "NamedMap": {"shape": "NamedMap"},
                "FlatMap": {"shape": "FlatMap", "locationName": "flatMap"},
                "Nested": {"shape": "Everything"},
                "Children": {"shape": "Children"},
                "Empty": {"shape": "Empty"},
                "Odd": {"shape": "Str", "locationName": 'odd{tag}"x'},
                "OddList": {"shape": "OddList", "locationName": "a'b"},
            },
        },
        "Empty": {"type": "structure", "members": {}},
        "Str": {"type": "string"},
        "Int": {"type": "integer"},
        "Long": {"type": "long"},
        "Bool": {"type": "boolean"},
        "Float": {"type": "float"},
        "Double": {"type": "double"},
        "Blob": {"type": "blob"},
        "Time": {"type": "timestamp"},
        "HttpTime": {"type": "timestamp", "timestampFormat": "rfc822"},
        "Strs": {"type": "list", "member": {"shape": "Str"}},
        "NamedStrs": {"type": "list", "member": {"shape": "Str", "locationName": "item"}},
        "FlatNamedTimes": {
            "type": "list",
            "member": {"shape": "Time", "locationName": "when"},
            "flattened": True,
        },
        "Matrix": {"type": "list", "member": {"shape": "NamedStrs", "locationName": "row"}},
        "FlatMatrix": {"type": "list", "member": {"shape": "FlatInts"}, "flattened": True},
        "FlatInts": {"type": "list", "member": {"shape": "Int"}, "flattened": True},
        "Map": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Int"}},
        "NamedMap": {
            "type": "map",
            "key": {"shape": "Str", "locationName": "k"},
            "value": {"shape": "Children", "locationName": "v"},
        },
        "FlatMap": {
            "type": "map",
            "key": {"shape": "Int"},
            "value": {"shape": "HttpTime"},
            "flattened": True,
        },
        "Children": {"type": "list", "member": {"shape": "Everything", "locationName": "child"}},
        "OddList": {"type": "list", "member": {"shape": "Bool", "locationName": "<b>"}},
    },
}


@cache
def module(name: str) -> Any:
    if name == "ec2":
        return load_package(GENERATED)
    if name == "widgets":
        return protocol_module("widgets")
    model = import_model(EDGES, name="edges")
    context = GenerationContext(model, spec())
    folder = scratch(name)
    generate_into(folder, context, ValidatorsGenerator(), ProtocolGenerator())
    return load_package(folder)


# -- values of every kind a writer may be given -------------------------------------------

TEXT = st.text(
    st.one_of(
        st.sampled_from("&<>\"'\r\n\t ]]>\x00\x1f\ufffe\uffff\ud800\u00e9\U0001f600a-:/"),
        st.characters(),
    ),
    max_size=12,
)
PLAIN = st.text("abcXYZ019-_:/.", max_size=12)
STRING = st.one_of(PLAIN, PLAIN, TEXT)
ZONES = st.sampled_from(
    [timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
)
MOMENT = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.one_of(st.none(), ZONES),
)
ISO_TEXT = st.one_of(
    MOMENT.map(lambda d: d.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"),
    MOMENT.map(lambda d: d.replace(tzinfo=None).isoformat() + "Z"),
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|z|[+-][0-9]{2}:?[0-9]{2})",
        fullmatch=True,
    ),
    st.sampled_from(
        [
            "0000-01-01T00:00:00Z",
            "2020-02-30T00:00:00Z",
            "2020-01-01T24:00:00Z",
            "Tue, 04 Feb 2020 00:00:00 GMT",
            "1580774400",
            "x",
        ]
    ),
)
TIMESTAMP = st.one_of(
    MOMENT,
    MOMENT.map(lambda d: d.replace(microsecond=0)),
    MOMENT.map(lambda d: d.replace(microsecond=d.microsecond - d.microsecond % 1000)),
    ISO_TEXT,
    st.integers(-(2**31), 2**33),
    st.floats(-1e10, 1e10, allow_nan=False),
)
ODD = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.binary(max_size=4), TEXT)
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "string": st.one_of(STRING, STRING, ODD),
    "integer": st.one_of(
        st.integers(-(2**31), 2**31), st.booleans(), st.sampled_from(["12", "x", 1.5])
    ),
    "long": st.one_of(st.integers(), st.booleans()),
    "boolean": st.one_of(st.booleans(), st.booleans(), st.sampled_from([0, 1, "", "false", None])),
    "float": st.one_of(st.floats(), st.integers(-(2**60), 2**60), st.sampled_from(["1.5", "x"])),
    "double": st.floats(),
    "blob": st.one_of(st.binary(max_size=12), TEXT, st.sampled_from([bytearray(b"ab"), 3])),
    "timestamp": TIMESTAMP,
}


def values(protocol: Any, shape_name: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Any value a writer of ``shape_name`` may be given, mostly of the right kind."""
    shape = protocol.SHAPES[shape_name]
    if shape.type in SCALARS:
        return SCALARS[shape.type]
    if depth > 3:
        return st.none() if shape.type == "structure" else st.builds(list)
    if shape.type == "structure":
        members = {
            ref.name: st.none() | values(protocol, ref.shape, depth + 1) for ref in shape.members
        }
        return st.fixed_dictionaries({}, optional=members)
    if shape.type == "list":
        items = st.lists(values(protocol, shape.member.shape, depth + 1), max_size=3)
        return st.one_of(
            items,
            items,
            items.map(tuple),
            items.map(Once),  # given as an iterator, read once only
        )
    key = values(protocol, shape.key.shape, depth + 1)
    value = values(protocol, shape.value.shape, depth + 1)
    return st.dictionaries(key.filter(_hashable), value, max_size=3)


class Once(list):  # type: ignore[type-arg]
    """A list to give as an iterator (see :func:`fresh`)."""


def fresh(value: Any) -> Any:
    """A copy of a drawn result for one serializer: each ``Once`` becomes a new iterator."""
    if isinstance(value, Once):
        return iter([fresh(v) for v in value])
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh(v) for v in value]
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    return value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def outcome(function: Any, *args: Any) -> tuple[str, Any]:
    try:
        return ("body", function(*args))
    except Exception as exc:  # noqa: BLE001 - both must fail alike
        return ("error", type(exc).__name__)


CASES = [
    pytest.param(name, operation, id=f"{name}-{operation}")
    for name, operations in (
        ("ec2", ("CreateFlowLogs", "DeleteFlowLogs", "DescribeFlowLogs")),
        ("widgets", ("ListWidgets", "PutWidget")),
        ("edges", ("Everything", "Nothing", "Empty")),
    )
    for operation in operations
]


@pytest.mark.parametrize(("name", "operation"), CASES)
@SETTINGS
@given(data=st.data())
def test_generated_serializer_writes_the_bytes_the_old_one_wrote(
    name: str, operation: str, data: st.DataObject
) -> None:
    protocol = module(name)
    reference = ReferenceSerializer(protocol)
    output = protocol.OPERATION_SHAPES[operation].output
    strategy = values(protocol, output) if output else st.fixed_dictionaries({})
    result = data.draw(strategy, label="result")
    request_id = data.draw(STRING, label="request id")
    new = outcome(protocol.serialize_response, operation, fresh(result), request_id)
    old = outcome(reference.serialize_response, operation, fresh(result), request_id)
    assert new == old


# -- golden bodies, written by the old serializer ------------------------------------------

GOLDEN = [
    ("DescribeFlowLogs", "example", "req-1"),
    (
        "DescribeFlowLogs",
        {
            "FlowLogs": [
                {
                    "CreationTime": datetime(
                        2020,
                        2,
                        4,
                        1,
                        2,
                        3,
                        123400,
                        tzinfo=timezone(timedelta(hours=5, minutes=30)),
                    ),
                    "DeliverLogsErrorMessage": "a<b&c\"d'e\r\nf]]>\t",
                    "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/fl\u00e9 \U0001f600",
                    "DeliverLogsStatus": "bad\x00\x1f\ufffe\uffff",
                    "FlowLogId": "fl-0123456789abcdef0",
                    "FlowLogStatus": "ACTIVE",
                    "LogGroupName": None,
                    "ResourceId": "vpc-1",
                    "TrafficType": "ALL",
                    "LogDestinationType": "s3",
                    "LogDestination": "arn:aws:s3:::bucket/prefix/",
                    "LogFormat": "${version} ${srcaddr}",
                    "MaxAggregationInterval": 600,
                },
                {
                    "CreationTime": datetime(1999, 12, 31, 23, 59, 59),
                    "FlowLogId": "fl-2",
                    "MaxAggregationInterval": True,
                },
                {"CreationTime": "2020-02-04T10:00:00.5+01:00", "FlowLogId": 42},
                {"CreationTime": 0},
                {"CreationTime": 1580778123.25},
                {},
            ],
            "NextToken": "tok&1",
        },
        "id<&>",
    ),
    ("CreateFlowLogs", "example", "r"),
    ("DeleteFlowLogs", {"Unsuccessful": []}, "r"),
    ("DeleteFlowLogs", {}, "r"),
    (
        "CreateFlowLogs",
        {
            "ClientToken": "t",
            "FlowLogIds": ["fl-1", "fl-<2>", None],
            "Unsuccessful": [{"Error": {"Code": "C", "Message": None}, "ResourceId": "r"}, {}],
        },
        "r",
    ),
]
BODIES = [
    b'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><flowLogSet><item><creationTime>2020-02-04T00:00:00Z</creationTime><deliverLogsErrorMessage>example-DeliverLogsErrorMessage</deliverLogsErrorMessage><deliverLogsPermissionArn>example-DeliverLogsPermissionArn</deliverLogsPermissionArn><deliverLogsStatus>SUCCESS</deliverLogsStatus><flowLogId>example-FlowLogId</flowLogId><flowLogStatus>ACTIVE</flowLogStatus><logGroupName>example-LogGroupName</logGroupName><resourceId>example-ResourceId</resourceId><trafficType>ACCEPT</trafficType><logDestinationType>cloud-watch-logs</logDestinationType><logDestination>example-LogDestination</logDestination><logFormat>example-LogFormat</logFormat><maxAggregationInterval>60</maxAggregationInterval></item></flowLogSet></DescribeFlowLogsResponse>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>id&lt;&amp;&gt;</requestId><flowLogSet><item><creationTime>2020-02-03T19:32:03.1234Z</creationTime><deliverLogsErrorMessage>a&lt;b&amp;c&quot;d&apos;e&#xD;\nf]]&gt;\t</deliverLogsErrorMessage><deliverLogsPermissionArn>arn:aws:iam::123456789012:role/fl\xc3\xa9 \xf0\x9f\x98\x80</deliverLogsPermissionArn><deliverLogsStatus>bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd</deliverLogsStatus><flowLogId>fl-0123456789abcdef0</flowLogId><flowLogStatus>ACTIVE</flowLogStatus><resourceId>vpc-1</resourceId><trafficType>ALL</trafficType><logDestinationType>s3</logDestinationType><logDestination>arn:aws:s3:::bucket/prefix/</logDestination><logFormat>${version} ${srcaddr}</logFormat><maxAggregationInterval>600</maxAggregationInterval></item><item><creationTime>1999-12-31T23:59:59Z</creationTime><flowLogId>fl-2</flowLogId><maxAggregationInterval>1</maxAggregationInterval></item><item><creationTime>2020-02-04T09:00:00.5Z</creationTime><flowLogId>42</flowLogId></item><item><creationTime>1970-01-01T00:00:00Z</creationTime></item><item><creationTime>2020-02-04T01:02:03.25Z</creationTime></item><item></item></flowLogSet><nextToken>tok&amp;1</nextToken></DescribeFlowLogsResponse>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<CreateFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><clientToken>example-ClientToken</clientToken><flowLogIdSet><item>example-FlowLogIds</item></flowLogIdSet><unsuccessful><item><error><code>example-Code</code><message>example-Message</message></error><resourceId>example-ResourceId</resourceId></item></unsuccessful></CreateFlowLogsResponse>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<DeleteFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><unsuccessful></unsuccessful></DeleteFlowLogsResponse>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<DeleteFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId></DeleteFlowLogsResponse>',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<CreateFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><clientToken>t</clientToken><flowLogIdSet><item>fl-1</item><item>fl-&lt;2&gt;</item><item>None</item></flowLogIdSet><unsuccessful><item><error><code>C</code></error><resourceId>r</resourceId></item><item></item></unsuccessful></CreateFlowLogsResponse>',
]


@pytest.mark.parametrize(("case", "body"), list(zip(GOLDEN, BODIES)), ids=range(len(BODIES)))
def test_golden_bodies(case: tuple[str, Any, str], body: bytes) -> None:
    protocol = module("ec2")
    operation, result, request_id = case
    if result == "example":
        result = protocol.example_response(operation)
    assert protocol.serialize_response(operation, result, request_id) == body
    assert ReferenceSerializer(protocol).serialize_response(operation, result, request_id) == body


def test_edges_model_reaches_every_writer_kind() -> None:
    source = Path(module("edges").__file__).read_text(encoding="utf-8")
    for needle in (
        "{_timestamp_text(x, 'unixTimestamp')}",
        "{_timestamp_text(x, 'rfc822')}",
        "<when>{_iso8601(x)}</when>",
        "_float(x)",
        "_blob(x)",
        "_mapping(v, e)",
        'a("<entry>")',
        'a("<child>")',
        'a("<Bool>true</Bool>" if x else "<Bool>false</Bool>")',
        """a('<odd{tag}"x>' + str(x) + '</odd{tag}"x>')""",
    ):
        assert needle in source, needle


def test_fractions_of_seconds_lose_trailing_zeros() -> None:
    protocol = module("ec2")
    for moment, text in (
        (datetime(2020, 2, 4, 1, 2, 3, 120000, tzinfo=timezone.utc), "2020-02-04T01:02:03.12Z"),
        (datetime(99, 2, 4, 1, 2, 3, 5, tzinfo=timezone.utc), "0099-02-04T01:02:03.000005Z"),
        ("2020-02-04T01:02:03.12Z", "2020-02-04T01:02:03.12Z"),
        ("2020-02-04T01:02:03.120Z", "2020-02-04T01:02:03.12Z"),
    ):
        body = protocol.serialize_response(
            "DescribeFlowLogs", {"FlowLogs": [{"CreationTime": moment}]}, "r"
        )
        assert f"<creationTime>{text}</creationTime>".encode() in body
