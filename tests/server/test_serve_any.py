"""Any service of a botocore release, many on one port (issue 17, item 3), and errors on
request (item 5), with real boto3 clients against a real server.

``--service``: sqs (json), dynamodb (json 1.0), sts (query) and cloudwatch (json to boto3, CBOR
and query raw) imported whole in memory from the installed botocore, served on one port;
``--all-services``: every service of the release, each generated on its first request into a
fresh cache. A request goes to its service by its credential scope, or unsigned by its form
(X-Amz-Target, the CBOR path, Action); one that fits no served service is a 4xx naming what
was tried. Concurrent first requests generate a service once; a service whose generation fails
is a 4xx naming it, and the others keep answering. ``x-apigen-error`` answers a modeled error
of the operation (after the request is validated) and refuses one the operation does not model.
"""

from __future__ import annotations

import http.client
import io
import json
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import pytest
from botocore.exceptions import ClientError

from codegen.bridge.releases import resolve_release
from codegen.protocols.cbor import decode, encode
from codegen.server import StubServer, running_server
from codegen.server.services import ReleaseSource, cached

pytestmark = pytest.mark.network

APIGEN = str(Path(sys.executable).parent / "apigen")
NAMED = ["sqs", "dynamodb", "sts", "cloudwatch"]
STRICT = botocore.config.Config(retries={"total_max_attempts": 1}, read_timeout=120)
LOOSE = botocore.config.Config(
    retries={"total_max_attempts": 1}, read_timeout=120, parameter_validation=False
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    with running_server(services=NAMED, cache=tmp_path_factory.mktemp("cache")) as running:
        yield running


class Log(io.StringIO):
    """The server's log, written from several threads."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text: str) -> int:
        with self.lock:
            return super().write(text)


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StubServer, Log]]:
    cache = tmp_path_factory.mktemp("all")
    # kinesis cannot be generated: a file stands where its package's folder goes
    kinesis = cached(ReleaseSource("kinesis", resolve_release("installed")), cache)
    kinesis.root.write_text("not a folder")
    log = Log()
    with running_server(all_services=True, cache=cache, log=log) as running:
        yield running, log


def client(server: StubServer, service: str, config: Any = STRICT, **extra: Any) -> Any:
    made = boto3.session.Session().client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
        config=config,
    )
    for name, value in extra.items():  # request headers, on every call
        header = name.replace("_", "-")

        def add(request: Any, _header: str = header, _value: Any = value, **_: Any) -> None:
            request.headers[_header] = _value

        made.meta.events.register("before-sign", add)
    return made


def answered_by(response: dict[str, Any]) -> str:
    return str(response["ResponseMetadata"]["HTTPHeaders"].get("x-apigen-service"))


def raw(
    server: StubServer, path: str, headers: dict[str, str], body: bytes, method: str = "POST"
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(server.url)
    assert parts.hostname is not None
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        conn.close()


# -- many services, one port ---------------------------------------------------------------


CALLS: list[tuple[str, str, dict[str, Any], str]] = [
    ("sqs", "create_queue", {"QueueName": "q"}, "QueueUrl"),
    ("dynamodb", "list_tables", {}, "TableNames"),
    ("dynamodb", "describe_limits", {}, "AccountMaxReadCapacityUnits"),
    ("sts", "get_caller_identity", {}, "Account"),
    ("cloudwatch", "list_metrics", {}, "Metrics"),
]


@pytest.mark.parametrize(
    ("service", "method", "params", "member"), CALLS, ids=[f"{c[0]}-{c[1]}" for c in CALLS]
)
def test_boto3_reaches_each_service_on_one_port(
    server: StubServer, service: str, method: str, params: dict[str, Any], member: str
) -> None:
    response = getattr(client(server, service), method)(**params)
    assert answered_by(response) == service
    assert member in response  # parsed by botocore from the service's own protocol


def test_unsigned_requests_are_routed_by_their_form(server: StubServer) -> None:
    status, headers, body = raw(
        server,
        "/",
        {
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
        },
        b"{}",
    )
    assert (status, headers["x-apigen-service"]) == (200, "dynamodb"), body
    assert "TableNames" in json.loads(body)
    status, headers, body = raw(
        server,
        "/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        b"Action=GetCallerIdentity&Version=2011-06-15",
    )
    assert (status, headers["x-apigen-service"]) == (200, "sts"), body
    assert b"<GetCallerIdentityResult>" in body
    status, headers, body = raw(
        server,
        "/service/GraniteServiceVersion20100801/operation/ListMetrics",
        {"Smithy-Protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"},
        encode({}),
    )
    assert (status, headers["x-apigen-service"]) == (200, "cloudwatch"), body
    assert "Metrics" in decode(body)


def test_a_service_not_served_is_named_with_what_was_tried(server: StubServer) -> None:
    with pytest.raises(ClientError) as raised:
        client(server, "kinesis").list_streams()
    error = raised.value.response
    assert error["Error"]["Code"] == "UnknownService"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    message = error["Error"]["Message"]
    assert "'kinesis'" in message and "dynamodb, monitoring (cloudwatch), sqs, sts" in message
    status, _, body = raw(
        server, "/", {"Content-Type": "application/x-www-form-urlencoded"}, b"Action=Nope"
    )
    assert status == 400
    root = ET.fromstring(body)
    assert root.findtext(".//{*}Code") == "UnknownService"
    assert "Action 'Nope'" in (root.findtext(".//{*}Message") or "")


# -- errors on request ------------------------------------------------------------------------


def test_x_apigen_error_answers_a_modeled_error(server: StubServer) -> None:
    dynamodb = client(server, "dynamodb", x_apigen_error="ResourceNotFoundException")
    with pytest.raises(dynamodb.exceptions.ResourceNotFoundException) as raised:
        dynamodb.describe_table(TableName="t")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "x-apigen-error" in raised.value.response["Error"]["Message"]
    sts = client(server, "sts", x_apigen_error="MalformedPolicyDocument")
    with pytest.raises(ClientError) as query_error:  # query: the code is the error.code
        sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="session")
    assert query_error.value.response["Error"]["Code"] == "MalformedPolicyDocument"
    sqs = client(server, "sqs", x_apigen_error="QueueDoesNotExist")
    with pytest.raises(ClientError) as sqs_error:  # awsQueryCompatible: the query code
        sqs.get_queue_url(QueueName="q")
    shape = sqs.meta.service_model.shape_for("QueueDoesNotExist")
    expected = shape.metadata.get("error", {}).get("code", "QueueDoesNotExist")
    assert sqs_error.value.response["Error"]["Code"] == expected


def test_x_apigen_error_refuses_an_error_not_modeled(server: StubServer) -> None:
    dynamodb = client(server, "dynamodb", x_apigen_error="NoSuchBucket")
    with pytest.raises(ClientError) as raised:
        dynamodb.describe_table(TableName="t")
    error = raised.value.response
    assert error["Error"]["Code"] == "InvalidRequestedError"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "'NoSuchBucket'" in error["Error"]["Message"]
    assert "ResourceNotFoundException" in error["Error"]["Message"]  # what it does model


def test_x_apigen_error_comes_after_validation(server: StubServer) -> None:
    dynamodb = client(server, "dynamodb", LOOSE, x_apigen_error="ResourceNotFoundException")
    with pytest.raises(ClientError) as raised:
        dynamodb.describe_table()  # TableName left out
    assert raised.value.response["Error"]["Code"] == "ValidationException"


# -- every service ------------------------------------------------------------------------------


def test_all_services_serves_any_service_on_first_request(
    everything: tuple[StubServer, Log],
) -> None:
    server, log = everything
    secrets = client(server, "secretsmanager").list_secrets()
    assert answered_by(secrets) == "secretsmanager"
    assert "apigen: secretsmanager ready in" in log.getvalue()
    route53 = client(server, "route53").list_hosted_zones()
    assert answered_by(route53) == "route53" and "HostedZones" in route53


def test_concurrent_first_requests_generate_once(everything: tuple[StubServer, Log]) -> None:
    server, log = everything
    results: list[Any] = []
    clients = [client(server, "sns") for _ in range(6)]

    def call(sns: Any) -> None:
        try:
            results.append(answered_by(sns.list_topics()))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=call, args=(sns,)) for sns in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert results == ["sns"] * 6
    said = [line for line in log.getvalue().splitlines() if line.startswith("apigen: sns ready")]
    assert len(said) == 1 and said[0].endswith("(generated)"), said


def test_a_service_that_cannot_be_generated_is_named(everything: tuple[StubServer, Log]) -> None:
    server, log = everything
    for _ in range(2):  # and the second time too, without trying again
        with pytest.raises(ClientError) as raised:
            client(server, "kinesis").list_streams()
        error = raised.value.response
        assert error["Error"]["Code"] == "ServiceGenerationFailed"
        assert 400 <= error["ResponseMetadata"]["HTTPStatusCode"] < 500
        assert "kinesis" in error["Error"]["Message"]
    assert log.getvalue().count("apigen: apigen serve cannot serve kinesis") == 1
    assert answered_by(client(server, "sts").get_caller_identity()) == "sts"  # still serving


# -- the command ----------------------------------------------------------------------------------


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [APIGEN, "serve", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_command_refuses_what_it_cannot_serve() -> None:
    done = _serve("--service", "sqs", "--service", "dynamodbb")
    assert done.returncode == 2
    assert "no service 'dynamodbb'" in done.stderr and "did you mean dynamodb" in done.stderr
    done = _serve("--from", "botocore:installed")
    assert done.returncode == 2 and "--service" in done.stderr
    done = _serve("--all-services", "pypi:requests")
    assert done.returncode == 2 and "botocore:VERSION" in done.stderr


def test_the_command_serves_named_services() -> None:
    proc = subprocess.Popen(
        [APIGEN, "serve", "--service", "sts", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        sts = boto3.session.Session().client(
            "sts",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="AKIDTEST",
            aws_secret_access_key="secret",
            config=STRICT,
        )
        assert sts.get_caller_identity()["Account"]
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert proc.returncode == 0
