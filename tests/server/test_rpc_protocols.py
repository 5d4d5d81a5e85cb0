"""boto3 against the stub server in every RPC protocol: query (sts), json 1.0 (dynamodb), json
1.1 (kinesis, with an event stream), json with awsQueryCompatible (sqs, cloudwatch) and
smithy-rpc-v2-cbor (elb-proxy; cloudwatch speaks it too, and json and query).

botocore 1.44 prefers json to smithy-rpc-v2-cbor where a service lists both (its
``PRIORITY_ORDERED_SUPPORTED_PROTOCOLS``): boto3 speaks json to cloudwatch and CBOR to the
services that speak only CBOR, such as elb-proxy. Raw requests reach cloudwatch in the other two.

The services are imported from the installed botocore into specs (``apigen import``, a few
operations each) and served together on one port; a request goes to its service by the SigV4
credential scope boto3 signs it with. Every call gets the operation's example result, valid for
its output shape; a request lacking a required member (boto3's validation off) gets the
protocol's validation error, which boto3 raises as a ClientError; raw HTTP requests in each of
cloudwatch's protocols are answered in the same protocol; what is not a request of any
operation is a 4xx in the protocol's form.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import pytest
from botocore.exceptions import ClientError
from botocore.parsers import create_parser

from codegen.protocols.cbor import decode, encode
from codegen.server import StubServer, running_server
from tests.support.helpers import parse_response
from tests.support.round_trip import comparable
from tests.support.server import examples_only

pytestmark = pytest.mark.network

APIGEN = str(Path(sys.executable).parent / "apigen")
IMPORTS = {
    "sts": ["GetCallerIdentity", "AssumeRole"],
    "dynamodb": ["CreateTable", "ListTables", "PutItem", "Query"],
    "kinesis": ["ListStreams", "SubscribeToShard"],
    "sqs": ["CreateQueue", "GetQueueUrl", "SendMessage"],
    "cloudwatch": ["PutMetricData", "ListMetrics", "DescribeAlarms", "StartOTelEnrichment"],
    "elb-proxy": ["ListProxies", "GetProxy"],
}
STRICT = botocore.config.Config(retries={"total_max_attempts": 1}, read_timeout=30)
LOOSE = botocore.config.Config(
    retries={"total_max_attempts": 1}, read_timeout=30, parameter_validation=False
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    folder = tmp_path_factory.mktemp("specs")
    specs = []
    for service, operations in IMPORTS.items():
        spec = folder / f"{service}.json"
        args = [APIGEN, "import", str(spec), "--from", "botocore:installed", "--service", service]
        for operation in operations:
            args += ["--operation", operation]
        done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        specs.append(spec)
    with running_server(specs) as running:
        yield examples_only(running)  # the protocols' example results, not the semantics


def client(server: StubServer, service: str, config: Any = STRICT) -> Any:
    return boto3.session.Session().client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
        config=config,
    )


def service_of(server: StubServer, name: str) -> Any:
    return next(s for s in server.services if s.name == name)


def _payload(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


CALLS = [
    ("sts", "GetCallerIdentity", {}),
    (
        "sts",
        "AssumeRole",
        {"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "session"},
    ),
    ("dynamodb", "ListTables", {}),
    ("dynamodb", "PutItem", {"TableName": "t", "Item": {"k": {"S": "v"}}}),
    ("dynamodb", "Query", {"TableName": "t", "KeyConditionExpression": "k = :k"}),
    ("kinesis", "ListStreams", {}),
    ("sqs", "CreateQueue", {"QueueName": "q"}),
    ("sqs", "SendMessage", {"QueueUrl": "http://q", "MessageBody": "hi"}),
    ("cloudwatch", "ListMetrics", {}),
    ("cloudwatch", "DescribeAlarms", {}),
    ("elb-proxy", "ListProxies", {}),
    (
        "elb-proxy",
        "GetProxy",
        {"proxyIdentifier": "arn:aws:elasticloadbalancing:us-east-1:123456789012:proxy/p:a1"},
    ),
]


@pytest.mark.parametrize(
    ("service", "operation", "params"), CALLS, ids=[f"{s}-{o}" for s, o, _ in CALLS]
)
def test_boto3_calls_get_the_example_result(
    server: StubServer, service: str, operation: str, params: dict[str, Any]
) -> None:
    served = service_of(server, service)
    method = getattr(client(server, service), botocore.xform_name(operation))
    result = _payload(method(**params))
    example = served.protocol.example_response(operation)
    assert served.validators.validate_output(operation, result) == []
    assert comparable(result) == comparable(example)


def _sent(client: Any) -> list[dict[str, str]]:
    """The headers of each request ``client`` sends, as it sends them."""
    sent: list[dict[str, str]] = []

    def capture(request: Any, **_: Any) -> None:
        sent.append({k.lower(): _text(v) for k, v in request.headers.items()})

    client.meta.events.register("before-send", capture)
    return sent


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def test_boto3_speaks_cbor_to_a_cbor_service_and_json_to_cloudwatch(server: StubServer) -> None:
    proxies = client(server, "elb-proxy")
    sent = _sent(proxies)
    proxies.list_proxies()
    assert sent[-1]["smithy-protocol"] == "rpc-v2-cbor"
    cloudwatch = client(server, "cloudwatch")
    sent = _sent(cloudwatch)
    cloudwatch.list_metrics()
    assert sent[-1]["x-amz-target"] == "GraniteServiceVersion20100801.ListMetrics"


def test_a_compressed_request_body_is_read(server: StubServer) -> None:
    """PutMetricData of more than 10 KB: boto3 compresses the body (gzip)."""
    cloudwatch = client(server, "cloudwatch")
    sent = _sent(cloudwatch)
    data = [{"MetricName": f"m{i}", "Value": float(i)} for i in range(400)]
    cloudwatch.put_metric_data(Namespace="n", MetricData=data)
    assert sent[-1].get("content-encoding") == "gzip"
    loose = client(server, "cloudwatch", LOOSE)
    sent = _sent(loose)
    with pytest.raises(ClientError) as caught:  # and what it says is read: a bad member
        loose.put_metric_data(Namespace="n", MetricData=data + [{"MetricName": ""}])
    assert sent[-1].get("content-encoding") == "gzip"
    assert "metricData.401.member.metricName" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("service", "operation", "params", "code", "message"),
    [
        (
            "sts",
            "AssumeRole",
            {"RoleSessionName": "session"},
            "ValidationError",
            (
                "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint:"
                " Member must not be null"
            ),
        ),
        (
            "dynamodb",
            "PutItem",
            {"Item": {}},
            "ValidationException",
            (
                "1 validation error detected: Value null at 'tableName' failed to satisfy constraint:"
                " Member must not be null"
            ),
        ),
        (
            "sqs",
            "CreateQueue",
            {},
            "ValidationException",
            (
                "1 validation error detected: Value null at 'queueName' failed to satisfy constraint:"
                " Member must not be null"
            ),
        ),
        (
            "cloudwatch",
            "PutMetricData",
            {"MetricData": []},
            "ValidationError",  # cloudwatch is query compatible: its query code reaches boto3
            (
                "1 validation error detected: Value null at 'namespace' failed to satisfy constraint:"
                " Member must not be null"
            ),
        ),
        (
            "elb-proxy",
            "GetProxy",
            {},
            "ValidationException",
            (
                "1 validation error detected: Value null at 'proxyIdentifier' failed to satisfy"
                " constraint: Member must not be null"
            ),
        ),
    ],
    ids=["query", "json-1.0", "json-query-compatible", "json-cloudwatch", "cbor"],
)
def test_a_request_without_a_required_member_is_a_validation_error(
    server: StubServer,
    service: str,
    operation: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    method = getattr(client(server, service, LOOSE), botocore.xform_name(operation))
    with pytest.raises(ClientError) as caught:
        method(**params)
    error = caught.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == (code, 400)
    assert error["Error"]["Message"] == message


def test_an_event_stream_comes_as_its_events(server: StubServer) -> None:
    kinesis = client(server, "kinesis")
    example = service_of(server, "kinesis").protocol.example_response("SubscribeToShard")
    response = kinesis.subscribe_to_shard(
        ConsumerARN="arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
        ShardId="shardId-000000000000",
        StartingPosition={"Type": "LATEST"},
    )
    events = [dict(event) for event in response["EventStream"]]
    assert comparable(events) == comparable(example["EventStream"])
    assert len(events) == 1


def _raw(
    server: StubServer,
    path: str,
    body: bytes,
    headers: dict[str, str],
    *,
    service: str,
    method: str = "POST",
) -> tuple[int, dict[str, str], bytes]:
    """A raw request, signed for ``service`` (its credential scope picks the service)."""
    parts = urlsplit(server.url)
    assert parts.hostname is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    scope = f"AKIDTEST/20260101/us-east-1/{service}/aws4_request"
    sent = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature={'0' * 64}",
        **headers,
    }
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _parse(protocol: str, status: int, headers: dict[str, str], body: bytes) -> Any:
    return parse_response(
        create_parser(protocol), {"status_code": status, "headers": headers, "body": body}, None
    )


def test_cloudwatch_answers_each_protocol_in_its_own(server: StubServer) -> None:
    # CBOR
    status, headers, body = _raw(
        server,
        "/service/GraniteServiceVersion20100801/operation/ListMetrics",
        encode({}),
        {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"},
        service="monitoring",
    )
    assert status == 200 and headers["content-type"] == "application/cbor"
    assert headers["smithy-protocol"] == "rpc-v2-cbor"
    assert "Metrics" in decode(body)
    # JSON 1.0
    status, headers, body = _raw(
        server,
        "/",
        b"{}",
        {
            "X-Amz-Target": "GraniteServiceVersion20100801.ListMetrics",
            "Content-Type": "application/x-amz-json-1.0",
        },
        service="monitoring",
    )
    assert status == 200 and headers["content-type"] == "application/x-amz-json-1.0"
    assert "Metrics" in json.loads(body)
    # query
    status, headers, body = _raw(
        server,
        "/",
        b"Action=ListMetrics&Version=2010-08-01",
        {"Content-Type": "application/x-www-form-urlencoded"},
        service="monitoring",
    )
    assert status == 200 and headers["content-type"].startswith("text/xml")
    assert b"<ListMetricsResponse" in body and b"<ListMetricsResult>" in body


def test_what_names_no_operation_is_a_4xx_in_the_protocols_form(server: StubServer) -> None:
    status, headers, body = _raw(
        server,
        "/",
        b"{}",
        {"X-Amz-Target": "DynamoDB_20120810.Nope", "Content-Type": "application/x-amz-json-1.0"},
        service="dynamodb",
    )
    assert status == 400
    assert _parse("json", status, headers, body)["Error"]["Code"] == "UnknownOperationException"
    status, headers, body = _raw(
        server,
        "/",
        b"",
        {"X-Amz-Target": "DynamoDB_20120810.ListTables"},
        service="dynamodb",
        method="GET",
    )
    assert status == 405 and headers["allow"] == "POST"
    assert _parse("json", status, headers, body)["Error"]["Code"] == "MethodNotAllowedException"
    status, headers, body = _raw(
        server,
        "/service/GraniteServiceVersion20100801/operation/Nope",
        encode({}),
        {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"},
        service="monitoring",
    )
    assert status == 404
    assert (
        _parse("smithy-rpc-v2-cbor", status, headers, body)["Error"]["Code"]
        == "UnknownOperationException"
    )
    for bad in (b"{", b"[]", b'{"TableName": 1}', b'{"TableName": "t", "TableName": "u"}'):
        status, headers, body = _raw(
            server,
            "/",
            bad,
            {"X-Amz-Target": "DynamoDB_20120810.ListTables"},
            service="dynamodb",
        )
        assert status == 400, bad
        assert _parse("json", status, headers, body)["Error"]["Code"] == "SerializationException"


@pytest.mark.parametrize(
    ("service", "path", "headers", "protocol", "allow", "code"),
    [
        ("sts", "/", {}, "query", "GET, POST", "MethodNotAllowed"),
        (
            "dynamodb",
            "/",
            {"X-Amz-Target": "DynamoDB_20120810.ListTables"},
            "json",
            "POST",
            "MethodNotAllowedException",
        ),
        (
            "monitoring",
            "/service/GraniteServiceVersion20100801/operation/ListMetrics",
            {"smithy-protocol": "rpc-v2-cbor"},
            "smithy-rpc-v2-cbor",
            "POST",
            "MethodNotAllowedException",
        ),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_method_the_protocol_does_not_take_is_405_with_allow(
    server: StubServer,
    service: str,
    path: str,
    headers: dict[str, str],
    protocol: str,
    allow: str,
    code: str,
    method: str,
) -> None:
    status, got, body = _raw(server, path, b"", headers, service=service, method=method)
    assert status == 405, body
    assert got["allow"] == allow
    error = _parse(protocol, status, got, body)["Error"]
    assert error["Code"] == code and f"method {method} is not allowed" in error["Message"]


def test_a_lone_surrogate_in_a_json_body_is_refused(server: StubServer) -> None:
    target = {"X-Amz-Target": "DynamoDB_20120810.ListTables"}
    status, headers, body = _raw(
        server, "/", b'{"ExclusiveStartTableName": "t\\udfff"}', target, service="dynamodb"
    )
    assert status == 400
    error = _parse("json", status, headers, body)["Error"]
    assert error["Code"] == "SerializationException"
    assert "lone surrogate" in error["Message"] and "/ExclusiveStartTableName" in error["Message"]
    # a surrogate pair is one character (U+1F600): "t" and it are 2 characters, under the min 3
    status, headers, body = _raw(
        server, "/", b'{"ExclusiveStartTableName": "t\\ud83d\\ude00"}', target, service="dynamodb"
    )
    assert _parse("json", status, headers, body)["Error"]["Code"] == "ValidationException"
    # an escaped backslash before "udfff" is no escape at all: 7 characters, answered
    status, headers, body = _raw(
        server, "/", b'{"ExclusiveStartTableName": "t\\\\udfff"}', target, service="dynamodb"
    )
    assert status == 200, body


def test_query_compatible_errors_carry_the_query_code(server: StubServer) -> None:
    status, headers, body = _raw(
        server,
        "/",
        b"{}",
        {"X-Amz-Target": "AmazonSQS.CreateQueue", "Content-Type": "application/x-amz-json-1.0"},
        service="sqs",
    )
    assert status == 400
    assert headers["x-amzn-query-error"] == "ValidationException;Sender"
    assert json.loads(body)["__type"] == "ValidationException"
