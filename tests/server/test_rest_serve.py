"""The REST protocols through the real server (``running_server``, what ``apigen serve`` runs):
S3, lambda and route53 imported whole from the installed botocore into specs and served on one
port, called by real boto3 clients over HTTP and HTTPS.

Over HTTPS boto3 sends ``PutObject`` as it does to AWS: an ``aws-chunked`` body with its CRC32
as a trailer (over plain HTTP it sends the checksum as a header and signs the payload's hash).
The server checks every checksum against the body it decoded, so a 200 proves the decoding;
a recording behaviour (put into the served service's behaviours) shows the params the
protocol read. Virtual-host addressing (``bucket.localhost``) goes through the server as a
proxy would send it (names under ``localhost`` need no DNS that way).

Needs ``openssl`` for the HTTPS server's certificate (skipped with the reason otherwise).
"""

from __future__ import annotations

import base64
import http.client
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import pytest
from botocore.exceptions import ClientError

from codegen.cli import main
from codegen.server.runner import StubServer, Tls, running_server
from tests.support.server import examples_only

pytestmark = pytest.mark.network
SERVICES = ("s3", "lambda", "route53")


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("specs")
    out = []
    for service in SERVICES:
        path = folder / f"{service}.json"
        try:
            main(["import", str(path), "--from", "botocore:installed", "--service", service])
        except SystemExit as exit_:
            assert not exit_.code, f"apigen import {service} failed"
        out.append(path)
    return out


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for the HTTPS server")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return Tls(cert, key)


@pytest.fixture(scope="module")
def server(specs: list[Path]) -> Iterator[StubServer]:
    with running_server(specs) as running:
        yield examples_only(running)  # the protocols' example results, not the semantics


@pytest.fixture(scope="module")
def tls_server(specs: list[Path], certificate: Tls) -> Iterator[StubServer]:
    with running_server(specs, tls=certificate) as running:
        yield examples_only(running)


def client(server: StubServer, service: str, **config: Any) -> Any:
    options: dict[str, Any] = {"retries": {"total_max_attempts": 1}, **config}
    return boto3.session.Session().client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        verify=str(server.tls.certificate) if server.tls else None,
        config=botocore.config.Config(**options),
    )


class Recorder:
    """A behaviour that keeps the params it is given and answers ``result``."""

    def __init__(self, result: dict[str, Any] | None = None) -> None:
        self.params: list[dict[str, Any]] = []
        self.result = result or {}

    def __call__(self, context: Any, params: dict[str, Any]) -> dict[str, Any]:
        self.params.append(params)
        return dict(self.result)


def behaviours(server: StubServer, service: str) -> dict[str, Any]:
    found = next(s for s in server.services if s.name == service)
    return found.behaviours


@pytest.fixture
def recorded(server: StubServer, tls_server: StubServer) -> Iterator[Recorder]:
    recorder = Recorder({"ETag": '"etag"'})
    for running in (server, tls_server):
        behaviours(running, "s3")["PutObject"] = recorder
    yield recorder
    for running in (server, tls_server):
        behaviours(running, "s3").pop("PutObject", None)


def test_s3_aws_chunked_upload_over_https(tls_server: StubServer, recorded: Recorder) -> None:
    s3 = client(tls_server, "s3")
    body = bytes(range(256)) * 400  # 100 KiB
    s3.put_object(Bucket="bkt", Key="dir/a b.bin", Body=body)
    s3.put_object(Bucket="bkt", Key="sha.bin", Body=body, ChecksumAlgorithm="SHA256")
    first, second = recorded.params
    assert first["Body"] == body and first["Key"] == "dir/a b.bin"
    assert first["ChecksumCRC32"] == base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
    assert first["ContentLength"] == len(body)
    assert "ContentEncoding" not in first  # aws-chunked is the transfer's
    assert second["Body"] == body and "ChecksumSHA256" in second
    # a checksum the caller gives is sent as a header, and checked
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket="bkt", Key="k", Body=b"data", ChecksumCRC32="AAAAAA==")
    assert excinfo.value.response["Error"]["Code"] == "BadDigest"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_s3_put_get_head_list_delete(server: StubServer, recorded: Recorder) -> None:
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k.txt", Body=b"hello", Metadata={"color": "blue"})
    assert recorded.params[-1]["Body"] == b"hello"
    assert recorded.params[-1]["Metadata"] == {"color": "blue"}
    got = s3.get_object(Bucket="bkt", Key="k.txt")
    data = got["Body"].read()
    assert isinstance(data, bytes) and got["ContentLength"] == len(data)  # the example's bytes
    head = s3.head_object(Bucket="bkt", Key="k.txt")
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert isinstance(head["ContentLength"], int)
    listed = s3.list_objects_v2(Bucket="bkt", Prefix="k")
    assert all("Key" in item for item in listed.get("Contents", []))
    assert s3.delete_object(Bucket="bkt", Key="k.txt")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "Buckets" in s3.list_buckets()


def test_s3_virtual_host_through_the_server_as_a_proxy(
    server: StubServer, recorded: Recorder
) -> None:
    port = urlsplit(server.url).port
    s3 = boto3.session.Session().client(
        "s3",
        endpoint_url=f"http://localhost:{port}",
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=botocore.config.Config(
            s3={"addressing_style": "virtual"},
            proxies={"http": server.url},
            retries={"total_max_attempts": 1},
        ),
    )
    s3.put_object(Bucket="vbkt", Key="x/y", Body=b"virtual")
    assert recorded.params[-1]["Bucket"] == "vbkt"
    assert recorded.params[-1]["Key"] == "x/y"
    assert recorded.params[-1]["Body"] == b"virtual"


def test_s3_errors_over_raw_http(server: StubServer) -> None:
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port)
    connection.request("PATCH", "/bkt/key", body=b"")
    response = connection.getresponse()
    body = response.read()
    assert response.status == 405
    assert response.getheader("Allow") is not None
    assert b"<Code>MethodNotAllowed</Code>" in body
    connection.request(
        "PUT",
        "/bkt/key",
        body=b"5\r\nhel",
        headers={"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "5"},
    )
    response = connection.getresponse()
    body = response.read()
    assert response.status == 400
    assert b"<Code>IncompleteBody</Code>" in body
    connection.close()


def test_lambda_through_the_server(server: StubServer) -> None:
    aws_lambda = client(server, "lambda")
    out = aws_lambda.invoke(FunctionName="f", Payload=b'{"a": 1}')
    assert out["ResponseMetadata"]["HTTPStatusCode"] == out["StatusCode"]
    assert isinstance(out["Payload"].read(), bytes)
    function = aws_lambda.get_function(FunctionName="my-function")
    assert "Configuration" in function
    with pytest.raises(ClientError) as excinfo:
        aws_lambda.get_function(FunctionName="f" * 300)
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert excinfo.value.response["Error"]["Message"].startswith("1 validation error detected")
    stream = aws_lambda.invoke_with_response_stream(FunctionName="f", Payload=b"{}")
    events = list(stream["EventStream"])
    assert len(events) == 1  # the example: one event


def test_route53_through_the_server(server: StubServer) -> None:
    route53 = client(server, "route53")
    created = route53.create_hosted_zone(Name="example.com.", CallerReference="r1")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert "HostedZone" in created and "Location" in created
    zone = route53.get_hosted_zone(Id="/hostedzone/Z1")
    assert "HostedZone" in zone
    with pytest.raises(ClientError) as excinfo:
        route53.get_hosted_zone(Id="Z" * 40)
    assert excinfo.value.response["Error"]["Code"] == "InvalidInput"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
