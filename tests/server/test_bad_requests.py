"""Bad requests of every kind, over raw HTTP: each gets EC2's XML error envelope with a 4xx,
and the server keeps serving. Random form bodies (hypothesis): never a 5xx, never a hang."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server import StubServer, running_server
from tests.support.server import ec2, payload, post, xml_error

V = "Version=2016-11-15"
CREATE = f"Action=CreateFlowLogs&{V}&ResourceType=VPC&TrafficType=ALL&LogGroupName=g"


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server() as running:
        yield running


def _still_serving(url: str) -> None:
    status, body, _ = post(url, f"Action=DescribeFlowLogs&{V}")
    assert status == 200, body[:300]


BAD = [
    ("no action", f"{V}", "MissingAction", 400),
    ("empty action", f"Action=&{V}", "MissingAction", 400),
    ("unknown action", f"Action=RunInstances&{V}", "InvalidAction", 400),
    ("wrong version", "Action=DescribeFlowLogs&Version=2015-10-01", "NoSuchVersion", 400),
    ("no version", "Action=DescribeFlowLogs", "MissingParameter", 400),
    # a malformed percent-escape (%%%) is refused before anything is read
    ("garbage", "\x01\x02%%%&&&====", "MalformedQueryString", 400),
    ("garbage without escapes", "\x01\x02&&&====", "MissingAction", 400),
    (
        "non-UTF-8",
        b"Action=DescribeFlowLogs&Version=2016-11-15&NextToken=%ff%fe",
        "MalformedQueryString",
        400,
    ),
    ("raw non-UTF-8", b"\xff\xfe\xfd=\x80", "MalformedQueryString", 400),
    (
        "1001 resource ids",
        CREATE + "".join(f"&ResourceId.{i}=vpc-{i}" for i in range(1, 1002)),
        "InvalidParameterValue",
        400,
    ),
    ("ResourceId.1001 alone", CREATE + "&ResourceId.1001=vpc-1", None, 400),
    ("indices with gaps", CREATE + "&ResourceId.1=vpc-1&ResourceId.3=vpc-3", None, 400),
    ("index zero", CREATE + "&ResourceId.0=vpc-1", None, 400),
    (
        "not a number",
        CREATE + "&ResourceId.1=vpc-1&MaxAggregationInterval=ten",
        "InvalidParameterValue",
        400,
    ),
    (
        "not a number (describe)",
        f"Action=DescribeFlowLogs&{V}&MaxResults=1e3",
        "InvalidParameterValue",
        400,
    ),
    (
        "huge number",
        f"Action=DescribeFlowLogs&{V}&MaxResults=" + "9" * 400,
        "InvalidParameterValue",
        400,
    ),
    ("not a boolean", f"Action=DescribeFlowLogs&{V}&DryRun=yes", "InvalidParameterValue", 400),
    ("duplicate keys", f"Action=DescribeFlowLogs&{V}&MaxResults=5&MaxResults=6", None, 400),
    ("duplicate action", f"Action=DescribeFlowLogs&Action=DeleteFlowLogs&{V}", None, 400),
    ("unknown parameter", f"Action=DescribeFlowLogs&{V}&Colour=blue", "UnknownParameter", 400),
    ("missing required", f"Action=DeleteFlowLogs&{V}", "MissingParameter", 400),
    (
        "enum value",
        CREATE.replace("TrafficType=ALL", "TrafficType=all") + "&ResourceId.1=vpc-1",
        "InvalidParameterValue",
        400,
    ),
    ("documented rule", CREATE + "&ResourceId.1=vpc-1&LogDestinationType=s3", None, 400),
    ("control character", f"Action=DescribeFlowLogs&{V}&NextToken=a%00b", "InvalidCharacter", 400),
    (
        "very long string",
        f"Action=DescribeFlowLogs&{V}&NextToken=" + "x" * 200_000,
        "InvalidPaginationToken",
        400,
    ),
]


@pytest.mark.parametrize("body,code,status", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_requests_get_ec2_errors(
    server: StubServer, body: str | bytes, code: str | None, status: int
) -> None:
    got, content, headers = post(server.url, body)
    assert got == status, content[:300]
    assert headers["content-type"].startswith("text/xml")
    found, message = xml_error(content)
    assert found and message
    if code is not None:
        assert found == code, (found, message)
    _still_serving(server.url)


def test_ten_megabyte_body(server: StubServer) -> None:
    status, content, _ = post(
        server.url, f"Action=DescribeFlowLogs&{V}&NextToken=" + "x" * (10 << 20)
    )
    assert 400 <= status < 500
    assert xml_error(content)[0] == "RequestEntityTooLarge"
    _still_serving(server.url)


@pytest.mark.parametrize(
    "declared,expect",
    [(1 << 40, ""), ((2 << 20), "Expect: 100-continue\r\n")],
    ids=["a terabyte", "waiting for 100 Continue"],
)
def test_a_body_declared_too_large_is_refused_before_it_is_sent(
    server: StubServer, declared: int, expect: str
) -> None:
    """A Content-Length far over what the server reads, or over it from a client that waits
    for a ``100 Continue`` before sending its body, is answered at once (413, and the
    connection closed), not waited for: a client that declares a terabyte and sends nothing
    more holds no connection open."""
    host, port = server.url.removeprefix("http://").split(":")
    head = (
        "POST / HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"{expect}Content-Length: {declared}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        connection.sendall(head.encode() + f"Action=DescribeFlowLogs&{V}".encode())
        answer = b""
        while chunk := connection.recv(65536):  # the server closes the connection
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413", answer[:300]
    headers, _, content = rest.partition(b"\r\n\r\n")
    assert b"connection: close" in headers.lower()
    assert xml_error(content)[0] == "RequestEntityTooLarge"
    _still_serving(server.url)


def test_get_with_a_query_string_and_other_content_types(server: StubServer) -> None:
    status, content, _ = post(server.url, b"", query=f"Action=DescribeFlowLogs&{V}", method="GET")
    assert status == 200 and b"DescribeFlowLogsResponse" in content
    status, content, _ = post(
        server.url, '{"Action": "DescribeFlowLogs"}', headers={"Content-Type": "application/json"}
    )
    assert status == 400 and xml_error(content)[0] == "MalformedQueryString"


def test_xml_special_characters_come_back_exactly(server: StubServer) -> None:
    server.reset()
    client = ec2(server.url)
    name = "a<b>&c\"d'e]]>f"
    client.create_flow_logs(
        ResourceIds=["vpc-<&>\"'"], ResourceType="VPC", TrafficType="ALL", LogGroupName=name
    )
    [item] = payload(client.describe_flow_logs())["FlowLogs"]
    assert item["LogGroupName"] == name and item["ResourceId"] == "vpc-<&>\"'"
    failed = client.create_flow_logs(
        ResourceIds=["subnet-<&>"], ResourceType="VPC", TrafficType="ALL", LogGroupName=name
    )
    assert failed["Unsuccessful"][0]["ResourceId"] == "subnet-<&>"
    # in an error message too
    status, content, _ = post(server.url, f"Action={quote('<Run&Instances>')}&{V}")
    assert status == 400
    code, message = xml_error(content)
    assert code == "InvalidAction" and "<Run&Instances>" in message


def test_request_ids_are_fresh_and_echoed(server: StubServer) -> None:
    ids = set()
    for _ in range(3):
        _, content, headers = post(server.url, f"Action=DescribeFlowLogs&{V}")
        assert headers["x-amzn-requestid"].encode() in content
        ids.add(headers["x-amzn-requestid"])
    assert len(ids) == 3


KEYS = st.sampled_from(
    [
        "Action",
        "Version",
        "DryRun",
        "ResourceId.1",
        "ResourceId.2",
        "ResourceId.1001",
        "ResourceType",
        "TrafficType",
        "LogGroupName",
        "LogDestinationType",
        "LogDestination",
        "LogFormat",
        "MaxAggregationInterval",
        "ClientToken",
        "FlowLogId.1",
        "Filter.1.Name",
        "Filter.1.Value.1",
        "Filter.2.Value.3",
        "MaxResults",
        "NextToken",
        "Filter.1",
        "Filter..1",
        "X-Amz-Date",
    ]
) | st.text(max_size=12)
VALUES = st.sampled_from(
    [
        "CreateFlowLogs",
        "DescribeFlowLogs",
        "DeleteFlowLogs",
        "2016-11-15",
        "VPC",
        "ALL",
        "s3",
        "cloud-watch-logs",
        "true",
        "false",
        "60",
        "600",
        "-1",
        "vpc-1",
        "resource-id",
        "traffic-type",
        "arn:aws:s3:::bucket",
        "${srcaddr}",
        "fl-0123456789abcdef0",
        "",
    ]
) | st.text(max_size=20)


BASES = [  # valid requests, which the strategy then edits
    [
        ("Action", "CreateFlowLogs"),
        ("Version", "2016-11-15"),
        ("ResourceId.1", "vpc-1"),
        ("ResourceId.2", "vpc-2"),
        ("ResourceType", "VPC"),
        ("TrafficType", "ALL"),
        ("LogGroupName", "g"),
        ("ClientToken", "t"),
    ],
    [
        ("Action", "CreateFlowLogs"),
        ("Version", "2016-11-15"),
        ("ResourceId.1", "subnet-1"),
        ("ResourceType", "Subnet"),
        ("TrafficType", "REJECT"),
        ("LogDestinationType", "s3"),
        ("LogDestination", "arn:aws:s3:::bucket"),
        ("LogFormat", "${srcaddr}"),
        ("MaxAggregationInterval", "60"),
    ],
    [
        ("Action", "DescribeFlowLogs"),
        ("Version", "2016-11-15"),
        ("Filter.1.Name", "resource-id"),
        ("Filter.1.Value.1", "vpc-1"),
        ("Filter.2.Name", "traffic-type"),
        ("Filter.2.Value.1", "ALL"),
        ("MaxResults", "5"),
    ],
    [
        ("Action", "DescribeFlowLogs"),
        ("Version", "2016-11-15"),
        ("FlowLogId.1", "fl-0123456789abcdef0"),
        ("DryRun", "true"),
    ],
    [
        ("Action", "DeleteFlowLogs"),
        ("Version", "2016-11-15"),
        ("FlowLogId.1", "fl-0123456789abcdef0"),
    ],
]


@st.composite
def edited(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A valid request with up to five random edits: a pair dropped, a value replaced, a pair added."""
    pairs = list(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["drop", "set", "add"]))
        if kind == "add" or not pairs:
            pairs.insert(draw(st.integers(0, len(pairs))), (draw(KEYS), draw(VALUES)))
        elif kind == "drop":
            pairs.pop(draw(st.integers(0, len(pairs) - 1)))
        else:
            i = draw(st.integers(0, len(pairs) - 1))
            pairs[i] = (pairs[i][0], draw(VALUES))
    return pairs


PAIRS = st.lists(st.tuples(KEYS, VALUES), max_size=12) | edited()


def test_the_random_bodies_reach_the_behaviour(server: StubServer) -> None:
    """The strategy finds requests that get past parsing and validation (a 200) and ones a
    behaviour rejects, so the property below exercises more than the parser's first checks."""
    from hypothesis import find

    server.reset()
    post(server.url, urlencode(BASES[0]))  # the token the mismatch below is found against
    quick = settings(max_examples=1000, deadline=None, database=None, derandomize=True)
    created = find(
        PAIRS,
        lambda p: (
            ("Action", "CreateFlowLogs") in p
            and b"<flowLogIdSet><item>" in post(server.url, urlencode(p))[1]
        ),
        settings=quick,
    )
    assert ("Action", "CreateFlowLogs") in created
    find(PAIRS, lambda p: post(server.url, urlencode(p))[0] == 412, settings=quick)  # DryRun
    find(
        PAIRS,
        lambda p: b"IdempotentParameterMismatch" in post(server.url, urlencode(p))[1],
        settings=quick,
    )  # a behaviour's own error


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=PAIRS, raw=st.binary(max_size=40), encode=st.booleans())
def test_random_form_bodies_never_5xx(
    server: StubServer, pairs: list[tuple[str, str]], raw: bytes, encode: bool
) -> None:
    body = urlencode(pairs).encode() if encode else urlencode(pairs).encode() + b"&" + raw
    status, content, headers = post(server.url, body, timeout=10)
    assert status < 500, content[:300]
    assert headers["content-type"].startswith("text/xml")
    if status >= 400:
        assert xml_error(content)[0]


@pytest.mark.parametrize(
    "authorization",
    [
        "garbage",
        "AWS AKIDEXAMPLE:c2lnbmF0dXJl",  # SigV2
        (  # not a full signature
            "AWS4-HMAC-SHA256 Credential=AKIDSMOKE/20260101/eu-west-1/ec2/aws4_request, "
            "SignedHeaders=host, Signature=abc"
        ),
        "AWS4-HMAC-SHA256 Signature=x",
    ],
)
def test_signatures_are_not_checked_unless_asked(server: StubServer, authorization: str) -> None:
    """Without --verify-signatures any Authorization header is accepted (as moto does); a
    request that is wrong in itself still gets its EC2 error."""
    status, body, _ = post(
        server.url,
        "Action=DescribeFlowLogs&Version=2016-11-15",
        headers={"Authorization": authorization},
    )
    assert status == 200, body[:300]
    status, body, _ = post(
        server.url,
        "Action=CreateFlowLogs&Version=2016-11-15&ResourceId.1=vpc-1",
        headers={"Authorization": authorization},
    )
    assert status == 400, body[:300]
    assert xml_error(body)[0] == "MissingParameter"


def test_a_loose_credential_scope_still_picks_account_and_region(server: StubServer) -> None:
    """An unverified Authorization header's credential scope picks the caller: what one
    key creates in eu-west-1 is listed there for that key, not in us-east-1."""
    auth = (
        "AWS4-HMAC-SHA256 Credential=AKIDLOOSE/20260101/eu-west-1/ec2/aws4_request, "
        "SignedHeaders=host, Signature=short"
    )
    create = (
        "Action=CreateFlowLogs&Version=2016-11-15&ResourceId.1=vpc-loose&ResourceType=VPC"
        "&TrafficType=ALL&LogGroupName=g"
    )
    status, body, _ = post(server.url, create, headers={"Authorization": auth})
    assert status == 200, body[:300]
    same = ec2(server.url, key="AKIDLOOSE", region="eu-west-1").describe_flow_logs()["FlowLogs"]
    other = ec2(server.url, key="AKIDLOOSE", region="us-east-1").describe_flow_logs()["FlowLogs"]
    assert [f["ResourceId"] for f in same] == ["vpc-loose"]
    assert [f["ResourceId"] for f in other] == []
