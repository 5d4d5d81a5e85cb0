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
import email.header
import gzip
import hashlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
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
from codegen.server import ApiError
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


def test_s3_big_objects_and_multipart_uploads_over_https(
    tls_server: StubServer, recorded: Recorder, tmp_path: Path
) -> None:
    # S3 takes bodies up to 64 MiB (objects), every other protocol 1 MiB
    s3 = client(tls_server, "s3")
    big = os.urandom(3 << 20)
    s3.put_object(Bucket="bkt", Key="big", Body=big)
    assert recorded.params[-1]["Body"] == big
    # boto3's upload_file: multipart over 8 MiB, each part aws-chunked with its CRC32 trailer
    parts = Recorder({"ETag": '"part"'})
    behaviours(tls_server, "s3")["UploadPart"] = parts
    try:
        data = os.urandom(17 << 20)
        source = tmp_path / "file.bin"
        source.write_bytes(data)
        s3.upload_file(str(source), "bkt", "file.bin")
    finally:
        behaviours(tls_server, "s3").pop("UploadPart")
    ordered = sorted(parts.params, key=lambda params: params["PartNumber"])
    assert [p["PartNumber"] for p in ordered] == [1, 2, 3]
    assert b"".join(p["Body"] for p in ordered) == data
    aws_lambda = client(tls_server, "lambda")
    with pytest.raises(ClientError) as excinfo:
        aws_lambda.invoke(FunctionName="f", Payload=b'"' + b"x" * (2 << 20) + b'"')
    assert excinfo.value.response["Error"]["Code"] == "RequestEntityTooLarge"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


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
    assert s3.head_bucket(Bucket="bkt")["ResponseMetadata"]["HTTPStatusCode"] == 200
    behaviours(server, "s3")["GetBucketLocation"] = Recorder({"LocationConstraint": "eu-west-1"})
    try:  # GET /bkt?location, a subresource, with S3's bare element as the body
        assert s3.get_bucket_location(Bucket="bkt")["LocationConstraint"] == "eu-west-1"
    finally:
        behaviours(server, "s3").pop("GetBucketLocation")
    assert s3.list_multipart_uploads(Bucket="bkt")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_s3_keeps_a_gzip_object_as_sent(server: StubServer, recorded: Recorder) -> None:
    # Content-Encoding is the object's: not the request compression the server undoes for the
    # RPC protocols (botocore's requestcompression)
    data = gzip.compress(b"compressed text " * 100)
    client(server, "s3").put_object(Bucket="bkt", Key="a.gz", Body=data, ContentEncoding="gzip")
    assert recorded.params[-1]["Body"] == data
    assert recorded.params[-1]["ContentEncoding"] == "gzip"


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
    with pytest.raises(ClientError) as excinfo:
        route53.get_hosted_zone(Id="Z" * 40)
    assert excinfo.value.response["Error"]["Code"] == "InvalidInput"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_s3_metadata_and_headers_reach_boto3(server: StubServer) -> None:
    # x-amz-meta-* written from a result's Metadata, read back by botocore's parser
    metadata = {"color": "blue", "owner-id": "42", "note": "caf\u00e9 \u2603"}  # RFC 2047
    result = {
        "Body": b"\x00\xffbytes",
        "ContentType": "application/octet-stream",
        "Metadata": metadata,
        "ContentLength": 7,
        "ETag": '"etag"',
    }
    s3_behaviours = behaviours(server, "s3")
    s3_behaviours["GetObject"] = Recorder(result)
    s3_behaviours["HeadObject"] = Recorder(result)
    try:
        s3 = client(server, "s3")
        got = s3.get_object(Bucket="bkt", Key="k")
        assert got["Body"].read() == b"\x00\xffbytes"
        assert _decoded(got["Metadata"]) == metadata
        assert got["ContentType"] == "application/octet-stream"
        head = s3.head_object(Bucket="bkt", Key="k")
        assert _decoded(head["Metadata"]) == metadata
        assert head["ContentLength"] == 7  # HEAD states the object's length, sends no body
        assert head["ETag"] == '"etag"'
    finally:
        s3_behaviours.pop("GetObject")
        s3_behaviours.pop("HeadObject")


def _decoded(metadata: dict[str, str]) -> dict[str, str]:
    """Metadata as botocore gives it, its RFC 2047 words decoded (as S3 sends a value that is
    not ASCII; botocore hands it over as sent)."""
    out = {}
    for key, value in metadata.items():
        if value.startswith("=?"):
            [(raw, charset)] = email.header.decode_header(value)
            assert isinstance(raw, bytes) and charset is not None, value
            value = raw.decode(charset)
        out[key] = value
    return out


def test_s3_presigned_urls(server: StubServer, recorded: Recorder) -> None:
    # the signature's query keys (X-Amz-Signature, ...) are not parameters
    s3 = client(server, "s3")
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": "bkt", "Key": "up/load.txt"}, ExpiresIn=60
    )
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port)
    connection.request("PUT", f"{address.path}?{address.query}", body=b"presigned body")
    response = connection.getresponse()
    assert response.status == 200, response.read()
    response.read()
    assert recorded.params[-1]["Key"] == "up/load.txt"
    assert recorded.params[-1]["Body"] == b"presigned body"
    s3_behaviours = behaviours(server, "s3")
    s3_behaviours["GetObject"] = Recorder({"Body": b"object bytes", "ContentType": "text/plain"})
    try:
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "bkt", "Key": "k"})
        address = urlsplit(url)
        connection.request("GET", f"{address.path}?{address.query}")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"object bytes")
        assert response.getheader("Content-Type") == "text/plain"
    finally:
        s3_behaviours.pop("GetObject")
        connection.close()


def test_s3_head_of_a_missing_object_is_a_bare_404(server: StubServer) -> None:
    def missing(context: Any, params: dict[str, Any]) -> dict[str, Any]:
        raise ApiError("NoSuchKey", f"The specified key does not exist: {params['Key']}", 404)

    s3_behaviours = behaviours(server, "s3")
    s3_behaviours["HeadObject"] = missing
    s3_behaviours["GetObject"] = missing
    try:
        s3 = client(server, "s3")
        with pytest.raises(ClientError) as excinfo:
            s3.head_object(Bucket="bkt", Key="gone")
        # a HEAD error has no body: botocore makes the code of the status, as from AWS
        assert excinfo.value.response["Error"]["Code"] == "404"
        with pytest.raises(s3.exceptions.NoSuchKey):
            s3.get_object(Bucket="bkt", Key="gone")
    finally:
        s3_behaviours.pop("HeadObject")
        s3_behaviours.pop("GetObject")


class Serving:
    """``apigen serve ...`` in a subprocess (the command users run); ``url`` once printed."""

    def __init__(self, *args: str) -> None:
        apigen = str(Path(sys.executable).parent / "apigen")
        self.proc = subprocess.Popen(
            [apigen, "serve", "--quiet", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith(("http://", "https://")):
            self.proc.kill()
            _, err = self.proc.communicate()
            raise AssertionError(f"apigen serve printed no URL: {self.url!r} {err}")

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=20)
        finally:
            self.proc.kill()
        return self.proc.returncode, err


def test_apigen_serve_answers_s3_as_boto3_sends_it(specs: list[Path], certificate: Tls) -> None:
    """The command itself, over HTTPS, with S3 alone: aws-chunked uploads with trailing
    checksums (a 200 means the decoded body matched its CRC32 or SHA-256: a wrong one is
    BadDigest), path-style and virtual-host addressing, HEAD, listings, deletes."""
    s3_spec = next(path for path in specs if path.stem == "s3")
    serving = Serving(
        str(s3_spec),
        "--tls-cert",
        str(certificate.certificate),
        "--tls-key",
        str(certificate.key),
    )
    try:
        assert serving.url.startswith("https://")
        common: dict[str, Any] = {
            "region_name": "us-east-1",
            "aws_access_key_id": "AKIDEXAMPLE",
            "aws_secret_access_key": "secret",
            "verify": str(certificate.certificate),
        }
        s3 = boto3.session.Session().client(
            "s3",
            endpoint_url=serving.url,
            config=botocore.config.Config(retries={"total_max_attempts": 1}),
            **common,
        )
        body = os.urandom(200_000)
        s3.create_bucket(Bucket="bkt")
        put = s3.put_object(Bucket="bkt", Key="a/b c.bin", Body=body, Metadata={"k": "v"})
        assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
        s3.put_object(Bucket="bkt", Key="s.bin", Body=body, ChecksumAlgorithm="SHA256")
        with pytest.raises(ClientError) as excinfo:
            s3.put_object(Bucket="bkt", Key="k", Body=body, ChecksumCRC32="AAAAAA==")
        assert excinfo.value.response["Error"]["Code"] == "BadDigest"
        got = s3.get_object(Bucket="bkt", Key="a/b c.bin")
        assert got["ContentLength"] == len(got["Body"].read())  # bytes, as S3 answers
        head = s3.head_object(Bucket="bkt", Key="a/b c.bin")
        assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert isinstance(head["ContentLength"], int)
        listed = s3.list_objects_v2(Bucket="bkt", Prefix="a/")
        assert all("Key" in item for item in listed.get("Contents", []))
        deleted = s3.delete_object(Bucket="bkt", Key="a/b c.bin")
        assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    finally:
        code, err = serving.stop()
    assert code == 0, err


def test_apigen_serve_reads_the_bucket_from_the_host(specs: list[Path]) -> None:
    """Virtual-host addressing through the command: the bucket only in the Host
    (``vbkt.localhost:PORT``), sent through the server as a proxy (no DNS for the name).
    ``PUT /`` is CreateBucket and ``GET /`` ListObjects only if the bucket was read from the
    Host: without a bucket, ``PUT /`` is no operation and ``GET /`` is ListBuckets."""
    s3_spec = next(path for path in specs if path.stem == "s3")
    serving = Serving(str(s3_spec))
    try:
        port = urlsplit(serving.url).port
        virtual = boto3.session.Session().client(
            "s3",
            endpoint_url=f"http://localhost:{port}",
            region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=botocore.config.Config(
                s3={"addressing_style": "virtual"},
                proxies={"http": serving.url},
                retries={"total_max_attempts": 1},
            ),
        )
        created = virtual.create_bucket(Bucket="vbkt")
        assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
        listed = virtual.list_objects(Bucket="vbkt")
        assert "Buckets" not in listed and listed["ResponseMetadata"]["HTTPStatusCode"] == 200
        virtual.put_object(
            Bucket="vbkt", Key="x/y z", Body=b"virtual", ContentMD5=_md5(b"virtual")
        )
        with pytest.raises(ClientError) as excinfo:
            virtual.put_object(Bucket="vbkt", Key="x", Body=b"virtual", ContentMD5=_md5(b"other"))
        assert excinfo.value.response["Error"]["Code"] == "BadDigest"
        head = virtual.head_object(Bucket="vbkt", Key="x/y z")
        assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    finally:
        code, err = serving.stop()
    assert code == 0, err


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()  # S3's digest


def test_unknown_resources_are_modeled_errors(specs: list[Path]) -> None:
    # lambda's GetFunction and route53's GetHostedZone are answered from the state (resources
    # derived from the models), empty here: each operation's own not-found error in its
    # protocol's envelope. route53's resource says NoSuchDelegationSet, which GetHostedZone
    # does not model: the operation's own, NoSuchHostedZone, is answered.
    with running_server(specs) as stateful:
        aws_lambda = client(stateful, "lambda")
        with pytest.raises(ClientError) as function:
            aws_lambda.get_function(FunctionName="my-function")
        route53 = client(stateful, "route53")
        with pytest.raises(ClientError) as missing:
            route53.get_hosted_zone(Id="Z1")
    assert function.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert function.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    modeled = route53.meta.service_model.operation_model("GetHostedZone").error_shapes
    assert missing.value.response["Error"]["Code"] in {shape.name for shape in modeled}
    assert missing.value.response["Error"]["Code"] == "NoSuchHostedZone"
