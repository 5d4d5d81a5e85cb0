"""The EC2 endpoint takes GET and POST only, and percent-encoding that is not one (issue 15).

Before, PUT, DELETE, PATCH, OPTIONS and TRACE ran the request as a POST (200, and a flow log
created by a PUT), and ``%G1`` in a form body or query string was taken as the three
characters. Now any other method is a 405 with ``Allow: GET, POST`` in EC2's error envelope
(``MethodNotAllowed``), changing nothing, and a ``%`` not followed by two hex digits is
``MalformedQueryString`` (400). Through raw HTTP and boto3, against a real server.

What AWS's own endpoint answers to other methods could not be checked from here (no network
but the package registries); EC2's query API is documented for GET and POST only, and RFC 9110
asks a 405 to name what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server import StubServer, running_server
from tests.support.server import ec2, post, xml_error

CREATE = (
    "Action=CreateFlowLogs&Version=2016-11-15&ResourceId.1=vpc-0a1b&ResourceType=VPC"
    "&TrafficType=ALL&LogGroupName=logs"
)
DESCRIBE = "Action=DescribeFlowLogs&Version=2016-11-15"


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server() as running:
        yield running


def flow_logs(server: StubServer) -> int:
    status, body, _ = post(server.url, DESCRIBE)
    assert status == 200, body
    return body.count(b"<flowLogId>")


@pytest.mark.parametrize(
    "method", ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "CONNECT"]
)
def test_other_methods_are_405_with_allow(server: StubServer, method: str) -> None:
    server.reset()
    status, body, headers = post(server.url, CREATE, method=method)
    assert status == 405
    assert headers["allow"] == "GET, POST"
    if method != "HEAD":  # a HEAD answer has no body
        code, message = xml_error(body)
        assert code == "MethodNotAllowed" and f"method {method} is not allowed" in message
    assert flow_logs(server) == 0  # nothing was created


def test_get_and_post_still_work(server: StubServer) -> None:
    server.reset()
    assert post(server.url, CREATE)[0] == 200
    assert post(server.url, b"", query=CREATE.replace("0a1b", "0c1d"), method="GET")[0] == 200
    assert flow_logs(server) == 2


def test_boto3_gets_the_error_and_its_code(server: StubServer) -> None:
    client = ec2(server.url)

    def as_put(request: Any, **_: Any) -> None:
        request.method = "PUT"

    client.meta.events.register("before-send.ec2.DescribeFlowLogs", as_put)
    with pytest.raises(ClientError) as raised:
        client.describe_flow_logs()
    error = raised.value.response
    assert error["Error"]["Code"] == "MethodNotAllowed"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 405
    assert error["ResponseMetadata"]["HTTPHeaders"]["allow"] == "GET, POST"
    assert ec2(server.url).describe_flow_logs()["FlowLogs"] is not None


@pytest.mark.parametrize(
    "where",
    [
        {"body": CREATE.replace("logs", "l%G1gs")},
        {"body": CREATE + "&ClientToken=%"},
        {"body": CREATE + "&ClientToken=%4"},
        {"body": CREATE.replace("LogGroupName", "Log%ZZGroupName")},
        {"body": "", "query": CREATE.replace("logs", "l%G1gs"), "method": "GET"},
    ],
    ids=["value", "at the end", "one digit", "in a key", "query string"],
)
def test_malformed_percent_encoding_is_refused(server: StubServer, where: dict[str, Any]) -> None:
    server.reset()
    status, body, _ = post(server.url, **where)
    assert status == 400, body
    code, message = xml_error(body)
    assert code == "MalformedQueryString" and "not a percent-encoded byte" in message
    assert flow_logs(server) == 0


def test_well_formed_escapes_still_decode(server: StubServer) -> None:
    server.reset()
    status, body, _ = post(server.url, CREATE.replace("logs", "l%6Fgs%2Fa%2fb"))
    assert status == 200, body
    assert b"<logGroupName>logs/a/b</logGroupName>" in post(server.url, DESCRIBE)[1]


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=4).map(lambda b: b"%" + b))
def test_any_percent_sequence(server: StubServer, data: bytes) -> None:
    """A ``%`` and two hex digits decodes; anything else is refused, never taken literally."""
    status, body, _ = post(server.url, (CREATE + "&ClientToken=").encode() + data)
    hexadecimal = len(data) >= 3 and all(c in b"0123456789abcdefABCDEF" for c in data[1:3])
    if not hexadecimal:
        assert status == 400 and xml_error(body)[0] == "MalformedQueryString", body
        assert "not a percent-encoded byte" in xml_error(body)[1]
    else:  # decoded: a token, or a byte that is not UTF-8 or not XML text (refused so)
        assert status == 200 or xml_error(body)[0] in ("MalformedQueryString", "InvalidCharacter")
        if status == 400:
            assert "not a percent-encoded byte" not in xml_error(body)[1]
