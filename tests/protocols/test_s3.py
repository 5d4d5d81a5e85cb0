"""S3 as boto3 speaks it, answered by :class:`codegen.protocols.s3.S3Protocol` in-process.

A real boto3 client (its handlers, checksums, aws-chunked bodies, addressing and parsing all
run) sends each request; botocore's ``before-send`` hook hands the HTTP request to the protocol
instead of a socket, and the protocol's HTTP response back to boto3. What boto3 sends is the
reference for parsing, what boto3 reads back the reference for serializing. Integrity checks
are proven by tampering with the bytes boto3 sent; the chunk-signed upload is the AWS
documentation's own example.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.protocols import HttpRequest, Request, ServiceError
from codegen.protocols.checksums import crc32c, crc64nvme, digest
from codegen.protocols.s3 import decode_aws_chunked, virtual_bucket
from tests.support.rest import InProcess, botocore_parse, nothing, served_service

S3 = served_service("s3")
NOW = datetime(2020, 2, 4, 12, 30, 15, tzinfo=timezone.utc)


def client(answer: Any = nothing, **options: Any) -> InProcess:
    return InProcess("s3", S3.protocol, answer, **options)


def code_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]


# -- addressing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "bucket"),
    [
        ("bucket.localhost", "bucket"),
        ("my.dotted.bucket.localhost", "my.dotted.bucket"),
        ("bucket.s3.localhost", "bucket"),
        ("bucket.s3.amazonaws.com", "bucket"),
        ("bucket.s3.us-west-2.amazonaws.com", "bucket"),
        ("bucket.s3-us-west-2.amazonaws.com", "bucket"),
        ("bucket.s3.localhost.localstack.cloud", "bucket"),
        ("localhost", None),
        ("s3.localhost", None),
        ("s3.amazonaws.com", None),
        ("s3-us-west-2.amazonaws.com", None),
        ("127.0.0.1", None),
        ("[::1]", None),
        ("example.com", None),
        ("", None),
    ],
)
def test_virtual_bucket_comes_from_the_host(host: str, bucket: str | None) -> None:
    assert virtual_bucket(host) == bucket


@pytest.mark.parametrize("style", ["path", "virtual"])
def test_put_and_get_object_in_either_addressing_style(style: str) -> None:
    stored: dict[str, Any] = {}

    def answer(request: Request) -> Mapping[str, Any]:
        if request.operation == "PutObject":
            stored.update(request.params)
            return {"ETag": '"etag"'}
        assert request.operation == "GetObject"
        return {
            "Body": stored["Body"],
            "ContentType": stored["ContentType"],
            "Metadata": stored["Metadata"],
            "LastModified": NOW,
            "ETag": '"etag"',
            "ContentLength": 999,  # not the body's: the body's own length is answered
        }

    wire = client(answer, config={"s3": {"addressing_style": style}})
    key = "folder/a b+c%d?e#f/ü.txt"
    wire.client.put_object(
        Bucket="my-bucket", Key=key, Body=b"hello\x00world", ContentType="text/x",
        Metadata={"Color": "blue"},
    )  # fmt: skip
    sent = wire.requests[-1]
    if style == "virtual":
        assert sent.host == "my-bucket.localhost" and not sent.path.startswith("/my-bucket")
    else:
        assert sent.path.startswith("/my-bucket/")
    assert stored["Bucket"] == "my-bucket" and stored["Key"] == key
    assert stored["Body"] == b"hello\x00world"
    assert stored["Metadata"] == {"color": "blue"}  # header names are case-insensitive
    got = wire.client.get_object(Bucket="my-bucket", Key=key)
    assert got["Body"].read() == b"hello\x00world"
    assert got["ContentType"] == "text/x"
    assert got["ContentLength"] == len(b"hello\x00world")
    assert got["Metadata"] == {"color": "blue"}
    assert got["LastModified"] == NOW
    # boto3 asks for the object's checksums by default (x-amz-checksum-mode)
    assert wire.parsed[-1].params == {"Bucket": "my-bucket", "Key": key, "ChecksumMode": "ENABLED"}


def test_virtual_host_without_a_path_is_the_bucket() -> None:
    seen: list[str] = []

    def answer(request: Request) -> Mapping[str, Any]:
        seen.append(request.operation)
        return {"Location": "/b"} if request.operation == "CreateBucket" else {"Name": "b"}

    wire = client(answer, config={"s3": {"addressing_style": "virtual"}})
    wire.client.create_bucket(
        Bucket="bkt", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    assert wire.requests[-1].path == "/" and wire.requests[-1].host == "bkt.localhost"
    assert wire.parsed[-1].params == {
        "Bucket": "bkt",
        "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"},
    }
    wire.client.list_objects(Bucket="bkt")
    assert seen == ["CreateBucket", "ListObjects"]
    plain = client(lambda r: {"Buckets": [{"Name": "bkt", "CreationDate": NOW}]})
    assert plain.client.list_buckets()["Buckets"] == [{"Name": "bkt", "CreationDate": NOW}]
    assert plain.parsed[-1].operation == "ListBuckets"


@pytest.mark.parametrize(
    ("method", "query", "operation"),
    [
        ("PUT", "", "CreateBucket"),
        ("HEAD", "", "HeadBucket"),
        ("GET", "list-type=2&prefix=a", "ListObjectsV2"),
        ("DELETE", "", "DeleteBucket"),
    ],
)
def test_a_bucket_path_with_a_trailing_slash_is_the_bucket(
    method: str, query: str, operation: str
) -> None:
    """The JavaScript SDK v3 sends path-style bucket operations to ``/bucket/`` (an object key
    is never empty, so this is the bucket, as S3 takes it); a key's own trailing slash stays."""
    parsed = S3.protocol.parse_request(
        HttpRequest(method, "/js-bucket/", query, {"host": "127.0.0.1:4566"})
    )
    assert (parsed.operation, parsed.params["Bucket"]) == (operation, "js-bucket")
    folder = S3.protocol.parse_request(HttpRequest("PUT", "/js-bucket/dir/", "", {}))
    assert folder.operation == "PutObject"
    assert (folder.params["Bucket"], folder.params["Key"]) == ("js-bucket", "dir/")


# -- uploads -------------------------------------------------------------------------------


def test_boto3_aws_chunked_upload_with_a_trailing_checksum() -> None:
    # over https boto3 sends PutObject as aws-chunked with the CRC32 as a trailer
    wire = client(endpoint="https://localhost:4566")
    body = bytes(range(256)) * 5000  # more than one chunk of 1 MiB? no: one; see below
    wire.client.put_object(Bucket="b", Key="k", Body=body)
    sent = wire.requests[-1]
    assert sent.header("content-encoding") == "aws-chunked"
    assert sent.header("x-amz-trailer") == "x-amz-checksum-crc32"
    assert sent.body != body  # framed
    params = wire.parsed[-1].params
    assert params["Body"] == body
    expected = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
    assert params["ChecksumCRC32"] == expected
    assert "ContentEncoding" not in params  # aws-chunked is the transfer's, not the object's
    assert params["ContentLength"] == len(body)


def test_boto3_aws_chunked_upload_of_several_chunks_keeps_the_object_encoding() -> None:
    wire = client(endpoint="https://localhost:4566")
    body = b"x" * (1024 * 1024 + 17)  # boto3's chunks are 1 MiB: two chunks and the last
    wire.client.put_object(
        Bucket="b", Key="k", Body=body, ContentEncoding="gzip", ChecksumAlgorithm="SHA256"
    )
    sent = wire.requests[-1]
    assert sent.header("content-encoding") == "gzip,aws-chunked"
    assert sent.body.count(b"\r\n") >= 6  # two data chunks, the final one, the trailer
    params = wire.parsed[-1].params
    assert params["Body"] == body
    assert params["ContentEncoding"] == "gzip"
    assert params["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(body).digest()).decode()


def _flip_last_data_byte(request: HttpRequest) -> HttpRequest:
    body = bytearray(request.body)
    marker = body.index(b"\r\n0\r\n")  # the last data byte is just before the final chunk
    body[marker - 1] ^= 1
    return replace(request, body=bytes(body))


@pytest.mark.parametrize("endpoint", ["https://localhost:4566", "http://localhost:4566"])
def test_a_changed_body_is_refused_with_bad_digest(endpoint: str) -> None:
    def tamper(request: HttpRequest) -> HttpRequest:
        if request.header("content-encoding") == "aws-chunked":
            return _flip_last_data_byte(request)
        # over http the checksum is a header and the payload hash signed: change the header
        return replace(
            request,
            headers={**request.headers, "x-amz-checksum-crc32": digest("crc32", b"other")},
        )

    wire = client(endpoint=endpoint, tamper=tamper)
    with pytest.raises(ClientError) as excinfo:
        wire.client.put_object(Bucket="b", Key="k", Body=b"payload")
    assert code_of(excinfo) == ("BadDigest", 400)
    assert "CRC32" in excinfo.value.response["Error"]["Message"]


def test_payload_hash_mismatch_over_http() -> None:
    def tamper(request: HttpRequest) -> HttpRequest:
        return replace(request, body=b"changed")

    wire = client(tamper=tamper)
    with pytest.raises(ClientError) as excinfo:
        wire.client.put_object(Bucket="b", Key="k", Body=b"payload")
    assert code_of(excinfo) == ("XAmzContentSHA256Mismatch", 400)


def test_declared_decoded_length_must_match() -> None:
    def tamper(request: HttpRequest) -> HttpRequest:
        return replace(request, headers={**request.headers, "x-amz-decoded-content-length": "999"})

    wire = client(endpoint="https://localhost:4566", tamper=tamper)
    with pytest.raises(ClientError) as excinfo:
        wire.client.put_object(Bucket="b", Key="k", Body=b"payload")
    assert code_of(excinfo) == ("IncompleteBody", 400)


def test_an_announced_trailer_must_come() -> None:
    def tamper(request: HttpRequest) -> HttpRequest:
        body = request.body
        cut = body.index(b"\r\n0\r\n") + len(b"\r\n0\r\n")
        return replace(request, body=body[:cut] + b"\r\n")

    wire = client(endpoint="https://localhost:4566", tamper=tamper)
    with pytest.raises(ClientError) as excinfo:
        wire.client.put_object(Bucket="b", Key="k", Body=b"payload")
    assert code_of(excinfo) == ("InvalidRequest", 400)


def test_chunk_signed_upload_from_the_aws_documentation() -> None:
    # "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
    # Chunks (Chunked Upload)" (AWS S3 API reference): 66560 bytes of 'a' in chunks of 65536
    # and 1024 bytes, each with its chunk signature
    body = (
        b"10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
        b"\r\n" + b"a" * 65536 + b"\r\n"
        b"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
        b"\r\n" + b"a" * 1024 + b"\r\n"
        b"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
        b"\r\n\r\n"
    )
    request = HttpRequest(
        "PUT",
        "/examplebucket/chunkObject.txt",
        "",
        {
            "host": "s3.amazonaws.com",
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "content-encoding": "aws-chunked",
            "x-amz-decoded-content-length": "66560",
            "content-length": "66824",
            "x-amz-storage-class": "REDUCED_REDUNDANCY",
        },
        body,
    )
    parsed = S3.protocol.parse_request(request)
    assert parsed.operation == "PutObject"
    assert parsed.params["Body"] == b"a" * 66560
    assert parsed.params["ContentLength"] == 66560
    assert parsed.params["StorageClass"] == "REDUCED_REDUNDANCY"
    assert "ContentEncoding" not in parsed.params


@pytest.mark.parametrize(
    "body",
    [
        b"5\r\nhello\r\n",  # no final chunk
        b"5\r\nhel",  # cut short
        b"zz\r\nhello\r\n0\r\n\r\n",  # not hex
        b"5;chunk-signature=nothex\r\nhello\r\n0\r\n\r\n",
        b"5\r\nhelloXX0\r\n\r\n",  # no CRLF after the data
        b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32 NhCmhg==\r\n\r\n",  # no colon
        b"5\r\nhello\r\n0\r\n\r\ntrailing",
        b"1" * 300,  # no chunk header end in reach
    ],
)
def test_malformed_aws_chunked_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        decode_aws_chunked(body)
    request = HttpRequest(
        "PUT",
        "/b/k",
        "",
        {"host": "localhost", "content-encoding": "aws-chunked"},
        body,
    )
    response = S3.protocol.serialize_error(_refusal(request), "PutObject", "r")
    parsed = botocore_parse(S3.model, "PutObject", response)
    assert parsed["Error"]["Code"] == "IncompleteBody"


def _refusal(request: HttpRequest) -> ServiceError:
    with pytest.raises(ServiceError) as excinfo:
        S3.protocol.parse_request(request)
    return excinfo.value


def test_checksum_algorithms_match_their_check_values() -> None:
    # the published check values of each CRC over "123456789"
    assert crc32c(b"123456789") == 0xE3069283
    assert crc64nvme(b"123456789") == 0xAE8B14860A799888
    assert digest("crc32", b"123456789") == base64.b64encode(bytes.fromhex("cbf43926")).decode()


@pytest.mark.parametrize("algorithm", ["crc32c", "crc64nvme", "sha1", "sha256", "sha512", "md5"])
def test_each_trailing_checksum_is_verified(algorithm: str) -> None:
    data = b"hello"
    good = digest(algorithm, data)
    bad = digest(algorithm, b"jello")
    for value, expected in ((good, None), (bad, "BadDigest"), ("bm8=", "InvalidRequest")):
        body = b"5\r\nhello\r\n0\r\nx-amz-checksum-" + algorithm.encode() + b":" + value.encode()
        request = HttpRequest(
            "PUT",
            "/b/k",
            "",
            {
                "host": "localhost",
                "content-encoding": "aws-chunked",
                "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "x-amz-trailer": f"x-amz-checksum-{algorithm}",
                "x-amz-decoded-content-length": "5",
            },
            body + b"\r\n\r\n",
        )
        if expected is None:
            assert S3.protocol.parse_request(request).params["Body"] == data
        else:
            assert _refusal(request).code == expected


def test_content_md5_is_verified() -> None:
    wire = client()
    wire.client.put_object(Bucket="b", Key="k", Body=b"data", ContentMD5=_md5(b"data"))
    assert wire.parsed[-1].params["Body"] == b"data"
    with pytest.raises(ClientError) as excinfo:
        wire.client.put_object(Bucket="b", Key="k", Body=b"data", ContentMD5=_md5(b"other"))
    assert code_of(excinfo) == ("BadDigest", 400)
    with pytest.raises(ClientError) as excinfo:
        wire.client.put_object(Bucket="b", Key="k", Body=b"data", ContentMD5="not-md5")
    assert code_of(excinfo) == ("InvalidDigest", 400)


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


# -- bodies, listings, special responses ---------------------------------------------------


def test_head_object_has_headers_and_no_body() -> None:
    wire = client(lambda r: {"ContentLength": 1234, "ETag": '"e"', "LastModified": NOW})
    head = wire.client.head_object(Bucket="b", Key="k")
    assert head["ContentLength"] == 1234 and head["LastModified"] == NOW
    assert wire.responses[-1].body == b""


def test_errors_reach_boto3_with_their_codes() -> None:
    def missing(request: Request) -> Mapping[str, Any]:
        raise S3.protocol.modeled_error(request.operation, "NoSuchKey", "The key does not exist.")

    wire = client(missing)
    with pytest.raises(ClientError) as excinfo:
        wire.client.get_object(Bucket="b", Key="k")
    assert code_of(excinfo) == ("NoSuchKey", 404)
    assert excinfo.value.response["Error"]["Message"] == "The key does not exist."
    assert excinfo.value.response["ResponseMetadata"]["RequestId"] == "request-1"
    assert wire.responses[-1].header("x-amz-id-2")  # S3's host id, also in the body
    assert excinfo.value.response["Error"].get("HostId") is None  # botocore moves it out
    # HEAD: no body, so boto3 reads the status alone
    with pytest.raises(ClientError) as excinfo:
        wire.client.head_object(Bucket="b", Key="k")
    assert wire.responses[-1].body == b""


def test_wrong_types_and_xml_are_refused_in_s3s_words() -> None:
    wire = client(config={"parameter_validation": False})
    with pytest.raises(ClientError) as excinfo:
        wire.client.list_objects_v2(Bucket="b", MaxKeys="ten")
    assert code_of(excinfo) == ("InvalidArgument", 400)
    assert "max-keys" in excinfo.value.response["Error"]["Message"]

    def broken(request: HttpRequest) -> HttpRequest:
        headers = {
            k: v
            for k, v in request.headers.items()
            if not k.startswith(("x-amz-checksum-", "content-md5", "x-amz-content-sha256"))
        }
        return replace(request, headers=headers, body=b"<Delete><Object><Key>k</Key></Delete>")

    bad_xml = client(tamper=broken)
    with pytest.raises(ClientError) as excinfo:
        bad_xml.client.delete_objects(Bucket="b", Delete={"Objects": [{"Key": "k"}]})
    assert code_of(excinfo) == ("MalformedXML", 400)


@pytest.mark.parametrize(
    "body",
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<Delete><Object><Key>&lol2;</Key></Object></Delete>"
        ),
        b"<Delete>" + b"<Object>" * 10000 + b"</Object>" * 10000 + b"</Delete>",
        b"\xff\xfe<Delete/>",
        b"",
    ],
)
def test_hostile_xml_is_refused(body: bytes) -> None:
    request = HttpRequest(
        "POST", "/b", "delete", {"host": "localhost", "content-md5": _md5(body)}, body
    )
    error = _refusal(request)
    assert error.status == 400
    assert error.code in ("MalformedXML", "InvalidArgument")


def test_wrong_method_is_a_405() -> None:
    request = HttpRequest("PATCH", "/b/k", "", {"host": "localhost"}, b"")
    assert S3.protocol.operation_for(request) is None
    error = _refusal(request)
    response = S3.protocol.error_response(error, None, "r")
    assert response.status == 405
    assert response.header("Allow") is not None and "PUT" in str(response.header("Allow"))
    assert botocore_parse(S3.model, "GetObject", response)["Error"]["Code"] == "MethodNotAllowed"


def test_delete_objects_and_acls_with_attributes() -> None:
    def answer(request: Request) -> Mapping[str, Any]:
        if request.operation == "GetObjectAcl":
            return {
                "Owner": {"ID": "owner"},
                "Grants": [
                    {
                        "Grantee": {"Type": "CanonicalUser", "ID": "abc"},
                        "Permission": "FULL_CONTROL",
                    },
                    {
                        "Grantee": {"Type": "Group", "URI": "http://acs/AllUsers"},
                        "Permission": "READ",
                    },
                ],
            }
        return {"Deleted": [{"Key": "a"}, {"Key": "b & c"}]}

    wire = client(answer)
    out = wire.client.delete_objects(
        Bucket="b", Delete={"Objects": [{"Key": "a"}, {"Key": "b & c"}], "Quiet": False}
    )
    assert wire.parsed[-1].params["Delete"] == {
        "Objects": [{"Key": "a"}, {"Key": "b & c"}],
        "Quiet": False,
    }
    assert out["Deleted"] == [{"Key": "a"}, {"Key": "b & c"}]
    wire.client.put_object_acl(
        Bucket="b",
        Key="k",
        AccessControlPolicy={
            "Owner": {"ID": "owner"},
            "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "READ"}],
        },
    )
    policy = wire.parsed[-1].params["AccessControlPolicy"]
    assert policy["Grants"][0]["Grantee"] == {"Type": "CanonicalUser", "ID": "abc"}
    acl = wire.client.get_object_acl(Bucket="b", Key="k")
    assert acl["Grants"][0]["Grantee"] == {"Type": "CanonicalUser", "ID": "abc"}
    assert acl["Grants"][1]["Grantee"]["URI"] == "http://acs/AllUsers"


def test_get_bucket_location_is_a_bare_element() -> None:
    wire = client(lambda r: {"LocationConstraint": "eu-west-1"})
    assert wire.client.get_bucket_location(Bucket="b")["LocationConstraint"] == "eu-west-1"
    assert wire.parsed[-1].operation == "GetBucketLocation"


def test_listings_url_encode_keys_as_boto3_asks() -> None:
    keys = ["plain", "a b", "x+y", "100%", "ü/é", "tab\there", "<&>"]

    def answer(request: Request) -> Mapping[str, Any]:
        # S3 answers encoding-type=url by echoing it; the keys are stored unencoded
        encoding = request.params.get("EncodingType")
        contents = [{"Key": k, "Size": 1, "LastModified": NOW} for k in keys]
        result: dict[str, Any] = {"Name": "b", "Contents": contents, "KeyCount": len(keys)}
        result["CommonPrefixes"] = [{"Prefix": "p q/"}]
        result["Delimiter"] = "/ "
        if encoding:
            result["EncodingType"] = encoding
        return result

    wire = client(answer)
    listed = wire.client.list_objects_v2(Bucket="b")
    assert wire.parsed[-1].params["EncodingType"] == "url"  # boto3 asks for it
    assert [c["Key"] for c in listed["Contents"]] == keys
    assert listed["CommonPrefixes"] == [{"Prefix": "p q/"}]
    assert listed["Delimiter"] == "/ "
    v1 = wire.client.list_objects(Bucket="b")
    assert [c["Key"] for c in v1["Contents"]] == keys


def test_upload_part_and_copy_share_put_object_s_template() -> None:
    wire = client(lambda r: {})
    wire.client.upload_part(Bucket="b", Key="k", PartNumber=3, UploadId="u", Body=b"part")
    wire.client.copy_object(Bucket="b", Key="k", CopySource="src/key")
    wire.client.upload_part_copy(
        Bucket="b", Key="k", PartNumber=1, UploadId="u", CopySource="src/key"
    )
    wire.client.put_object(Bucket="b", Key="k", Body=b"")
    wire.client.list_parts(Bucket="b", Key="k", UploadId="u")
    wire.client.abort_multipart_upload(Bucket="b", Key="k", UploadId="u")
    wire.client.delete_object(Bucket="b", Key="k")
    operations = [p.operation for p in wire.parsed]
    assert operations == [
        "UploadPart",
        "CopyObject",
        "UploadPartCopy",
        "PutObject",
        "ListParts",
        "AbortMultipartUpload",
        "DeleteObject",
    ]
    assert wire.parsed[0].params["PartNumber"] == 3
    assert wire.parsed[3].params["Body"] == b""


def test_select_object_content_streams_events_boto3_reads() -> None:
    def answer(request: Request) -> Mapping[str, Any]:
        return {
            "Payload": [
                {"Records": {"Payload": b"a,b\n1,2\n"}},
                {"Stats": {"Details": {"BytesScanned": 10, "BytesProcessed": 10}}},
                {"End": {}},
            ]
        }

    wire = client(answer)
    out = wire.client.select_object_content(
        Bucket="b",
        Key="k.csv",
        Expression="select * from s3object",
        ExpressionType="SQL",
        InputSerialization={"CSV": {}},
        OutputSerialization={"CSV": {}},
    )
    events = list(out["Payload"])
    assert events == [
        {"Records": {"Payload": b"a,b\n1,2\n"}},
        {"Stats": {"Details": {"BytesScanned": 10, "BytesProcessed": 10}}},
        {"End": {}},
    ]
    assert wire.parsed[-1].params["Expression"] == "select * from s3object"
