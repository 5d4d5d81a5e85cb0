"""S3's hand-written behaviours (``codegen/server/behaviours/s3.py``) through real boto3 against
the server ``apigen serve`` runs (``running_server``), S3 imported whole from the installed
botocore: objects stored and returned byte for byte, ETags as S3 computes them (MD5 of the
bytes; for a multipart upload MD5 of the parts' MD5s, ``-N``), metadata and checksums returned
as given, listings against a model of S3's ordering (keys sorted by their UTF-8 bytes, common
prefixes, every page size), and S3's errors."""

from __future__ import annotations

import base64
import hashlib
import os
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("s3",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def s3(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "s3", s3={"addressing_style": "path"})


def test_object_bytes_etag_and_headers(s3: Client) -> None:
    s3.create_bucket(Bucket="data")
    body = bytes(range(256)) * 3 + b"\r\n\x00"
    put = s3.put_object(
        Bucket="data",
        Key="a/b c+é.bin",
        Body=body,
        ContentType="application/x-thing",
        Metadata={"colour": "blue", "Owner": "me"},
        ContentDisposition="attachment",
    )
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    assert put["ETag"] == etag
    got = s3.get_object(Bucket="data", Key="a/b c+é.bin")
    assert got["Body"].read() == body
    assert got["ETag"] == etag and got["ContentLength"] == len(body)
    assert got["ContentType"] == "application/x-thing"
    assert got["ContentDisposition"] == "attachment"
    assert got["Metadata"] == {"colour": "blue", "owner": "me"}  # S3 lower-cases the names
    head = s3.head_object(Bucket="data", Key="a/b c+é.bin")
    assert head["ContentLength"] == len(body) and head["ETag"] == etag
    assert head["ResponseMetadata"]["HTTPHeaders"]["content-length"] == str(len(body))
    ranged = s3.get_object(Bucket="data", Key="a/b c+é.bin", Range="bytes=2-5")
    assert ranged["Body"].read() == body[2:6]
    assert ranged["ContentRange"] == f"bytes 2-5/{len(body)}"
    assert ranged["ResponseMetadata"]["HTTPStatusCode"] == 206  # Partial Content, as S3
    whole = s3.get_object(Bucket="data", Key="a/b c+é.bin")
    assert whole["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (
        s3.get_object(Bucket="data", Key="a/b c+é.bin", Range="bytes=-3")["Body"].read()
        == (body[-3:])
    )
    empty = s3.put_object(Bucket="data", Key="empty", Body=b"")
    assert empty["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    plain = s3.get_object(Bucket="data", Key="empty")
    assert plain["Body"].read() == b"" and plain["ContentType"] == "binary/octet-stream"


def test_checksums_returned_as_given(s3: Client) -> None:
    s3.create_bucket(Bucket="sums")
    put = s3.put_object(Bucket="sums", Key="k", Body=b"hello", ChecksumAlgorithm="SHA256")
    expected = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="  # base64 SHA-256 of b"hello"
    assert put["ChecksumSHA256"] == expected
    got = s3.get_object(Bucket="sums", Key="k", ChecksumMode="ENABLED")
    assert got["ChecksumSHA256"] == expected and got["Body"].read() == b"hello"


def test_errors(s3: Client) -> None:
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="nope", Key="k")
    assert error_of(raised)[:2] == ("NoSuchBucket", 404)
    s3.create_bucket(Bucket="errs")
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="errs", Key="missing")
    assert error_of(raised)[:2] == ("NoSuchKey", 404)
    error: dict[str, str] = dict(raised.value.response["Error"])  # type: ignore[arg-type]
    assert error["Key"] == "missing"  # S3's <Key> element
    with pytest.raises(ClientError) as raised:
        s3.head_object(Bucket="errs", Key="missing")
    assert error_of(raised)[:2] == ("404", 404)
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="nope", Key="k", Body=b"x")
    assert error_of(raised)[:2] == ("NoSuchBucket", 404)
    s3.put_object(Bucket="errs", Key="k", Body=b"x")
    with pytest.raises(ClientError) as raised:
        s3.delete_bucket(Bucket="errs")
    assert error_of(raised)[:2] == ("BucketNotEmpty", 409)
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket="errs", Key="k", Range="bytes=5-9")
    assert error_of(raised)[:2] == ("InvalidRange", 416)
    with pytest.raises(ClientError) as raised:
        s3.create_bucket(Bucket="Not_Valid")
    assert error_of(raised)[:2] == ("InvalidBucketName", 400)
    s3.delete_object(Bucket="errs", Key="k")
    s3.delete_object(Bucket="errs", Key="k")  # deleting a missing key succeeds, as in S3
    s3.delete_bucket(Bucket="errs")
    with pytest.raises(ClientError) as raised:
        s3.head_bucket(Bucket="errs")
    assert error_of(raised)[:2] == ("404", 404)


def test_conditional_writes(s3: Client) -> None:
    """PutObject's If-None-Match: * and If-Match, as S3 answers them (AWS's "conditional
    writes"): 412 when the condition fails, the object unchanged."""
    s3.create_bucket(Bucket="cond")
    first = s3.put_object(Bucket="cond", Key="k", Body=b"one", IfNoneMatch="*")["ETag"]
    assert first == '"' + hashlib.md5(b"one").hexdigest() + '"'
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="cond", Key="k", Body=b"two", IfNoneMatch="*")
    assert error_of(raised)[:2] == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="cond", Key="k", Body=b"two", IfMatch='"0123456789abcdef"')
    assert error_of(raised)[:2] == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket="cond", Key="k")["Body"].read() == b"one"
    s3.put_object(Bucket="cond", Key="k", Body=b"two", IfMatch=first)
    assert s3.get_object(Bucket="cond", Key="k")["Body"].read() == b"two"
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="cond", Key="absent", Body=b"x", IfMatch=first)
    assert error_of(raised)[:2] == ("NoSuchKey", 404)
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="cond", Key="new", Body=b"x", IfNoneMatch=first)
    assert error_of(raised)[:2] == ("NotImplemented", 501)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="cond")["Contents"]] == ["k"]


def test_object_attributes_of_the_stored_object(s3: Client) -> None:
    s3.create_bucket(Bucket="attrs")
    body = b"attributes"
    s3.put_object(Bucket="attrs", Key="k", Body=body, ChecksumAlgorithm="SHA256")
    everything = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]
    got = s3.get_object_attributes(Bucket="attrs", Key="k", ObjectAttributes=everything)
    assert got["ETag"] == hashlib.md5(body).hexdigest()  # unquoted here, as S3 gives it
    assert got["ObjectSize"] == len(body) and got["StorageClass"] == "STANDARD"
    sha = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert got["Checksum"] == {"ChecksumSHA256": sha}
    assert "DeleteMarker" not in got and "ObjectParts" not in got and "VersionId" not in got
    size_only = s3.get_object_attributes(Bucket="attrs", Key="k", ObjectAttributes=["ObjectSize"])
    assert size_only["ObjectSize"] == len(body) and "ETag" not in size_only
    with pytest.raises(ClientError) as raised:
        s3.get_object_attributes(Bucket="attrs", Key="absent", ObjectAttributes=["ETag"])
    assert error_of(raised)[:2] == ("NoSuchKey", 404)


def test_object_tags(s3: Client) -> None:
    s3.create_bucket(Bucket="tags")
    s3.put_object(Bucket="tags", Key="k", Body=b"x", Tagging="team=a%20b&empty=")
    assert s3.get_object_tagging(Bucket="tags", Key="k")["TagSet"] == [
        {"Key": "team", "Value": "a b"},
        {"Key": "empty", "Value": ""},
    ]
    assert s3.head_object(Bucket="tags", Key="k")["TagCount"] == 2
    s3.put_object_tagging(
        Bucket="tags", Key="k", Tagging={"TagSet": [{"Key": "env", "Value": "test"}]}
    )
    assert s3.get_object(Bucket="tags", Key="k")["TagCount"] == 1
    s3.copy_object(Bucket="tags", Key="copied", CopySource="tags/k")
    s3.copy_object(
        Bucket="tags",
        Key="retagged",
        CopySource="tags/k",
        TaggingDirective="REPLACE",
        Tagging="new=1",
        MetadataDirective="REPLACE",
    )
    assert s3.get_object_tagging(Bucket="tags", Key="copied")["TagSet"] == [
        {"Key": "env", "Value": "test"}
    ]
    assert s3.get_object_tagging(Bucket="tags", Key="retagged")["TagSet"] == [
        {"Key": "new", "Value": "1"}
    ]
    s3.delete_object_tagging(Bucket="tags", Key="k")
    assert s3.get_object_tagging(Bucket="tags", Key="k")["TagSet"] == []
    assert "TagCount" not in s3.head_object(Bucket="tags", Key="k")
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
    refused: list[tuple[str, dict[str, Any], str]] = [
        ("put_object_tagging", {"Key": "k", "Tagging": {"TagSet": too_many}}, "BadRequest"),
        ("put_object", {"Key": "d", "Body": b"", "Tagging": "a=1&a=2"}, "InvalidTag"),
        ("put_object", {"Key": "d", "Body": b"", "Tagging": "a=1&&"}, "InvalidArgument"),
        ("get_object_tagging", {"Key": "absent"}, "NoSuchKey"),
        ("delete_object_tagging", {"Key": "absent"}, "NoSuchKey"),
    ]
    for operation, params, code in refused:
        with pytest.raises(ClientError) as raised:
            getattr(s3, operation)(Bucket="tags", **params)
        assert error_of(raised)[0] == code
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="tags")["Contents"]] == [
        "copied",
        "k",
        "retagged",
    ]


def test_bucket_names_per_account_and_region(server: StubServer, s3: Client) -> None:
    s3.create_bucket(Bucket="mine")
    s3.create_bucket(Bucket="mine")  # us-east-1 answers 200 to its owner, as S3 does
    west = client_for(server.url, "s3", region="eu-west-1", s3={"addressing_style": "path"})
    with pytest.raises(ClientError) as raised:
        west.create_bucket(
            Bucket="mine", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
    assert error_of(raised)[:2] == ("BucketAlreadyOwnedByYou", 409)
    other = client_for(server.url, "s3", key="AKIDBOB", s3={"addressing_style": "path"})
    with pytest.raises(ClientError) as raised:
        other.create_bucket(Bucket="mine")
    assert error_of(raised)[:2] == ("BucketAlreadyExists", 409)
    assert [b["Name"] for b in other.list_buckets()["Buckets"]] == []
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["mine"]
    west.create_bucket(Bucket="far", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert s3.get_bucket_location(Bucket="far")["LocationConstraint"] == "eu-west-1"
    assert s3.get_bucket_location(Bucket="mine").get("LocationConstraint") is None


def test_copy_and_delete_objects(s3: Client) -> None:
    s3.create_bucket(Bucket="src")
    s3.put_object(Bucket="src", Key="dir/a b", Body=b"payload", Metadata={"m": "1"})
    copied = s3.copy_object(
        Bucket="src", Key="copy", CopySource={"Bucket": "src", "Key": "dir/a b"}
    )
    assert copied["CopyObjectResult"]["ETag"] == '"' + hashlib.md5(b"payload").hexdigest() + '"'
    assert s3.get_object(Bucket="src", Key="copy")["Metadata"] == {"m": "1"}

    result = s3.delete_objects(
        Bucket="src", Delete={"Objects": [{"Key": "dir/a b"}, {"Key": "never"}]}
    )
    assert sorted(d["Key"] for d in result["Deleted"]) == ["dir/a b", "never"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="src")["Contents"]] == ["copy"]


def test_multipart_upload(s3: Client) -> None:
    s3.create_bucket(Bucket="parts")
    upload = s3.create_multipart_upload(Bucket="parts", Key="big", ContentType="text/plain")
    parts = [b"a" * 1000, b"b" * 10, b"c"]
    etags = []
    for number, part in enumerate(parts, 1):
        done = s3.upload_part(
            Bucket="parts", Key="big", UploadId=upload["UploadId"], PartNumber=number, Body=part
        )
        etags.append(done["ETag"])
    listed = s3.list_parts(Bucket="parts", Key="big", UploadId=upload["UploadId"])
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(1, 1000), (2, 10), (3, 1)]
    with pytest.raises(ClientError) as raised:
        s3.complete_multipart_upload(
            Bucket="parts",
            Key="big",
            UploadId=upload["UploadId"],
            MultipartUpload={
                "Parts": [{"PartNumber": 2, "ETag": etags[1]}, {"PartNumber": 1, "ETag": etags[0]}]
            },
        )
    assert error_of(raised)[:2] == ("InvalidPartOrder", 400)
    done = s3.complete_multipart_upload(
        Bucket="parts",
        Key="big",
        UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]},
    )
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    assert done["ETag"] == f'"{hashlib.md5(digests).hexdigest()}-3"'
    got = s3.get_object(Bucket="parts", Key="big")
    assert got["Body"].read() == b"".join(parts) and got["ContentType"] == "text/plain"
    attributes = s3.get_object_attributes(
        Bucket="parts", Key="big", ObjectAttributes=["ObjectParts", "ObjectSize"]
    )
    assert attributes["ObjectParts"]["TotalPartsCount"] == 3
    assert attributes["ObjectSize"] == sum(len(p) for p in parts)
    with pytest.raises(ClientError) as raised:
        s3.list_parts(Bucket="parts", Key="big", UploadId=upload["UploadId"])
    assert error_of(raised)[:2] == ("NoSuchUpload", 404)
    second = s3.create_multipart_upload(Bucket="parts", Key="gone")
    s3.abort_multipart_upload(Bucket="parts", Key="gone", UploadId=second["UploadId"])
    with pytest.raises(ClientError) as raised:
        s3.upload_part(
            Bucket="parts", Key="gone", UploadId=second["UploadId"], PartNumber=1, Body=b"x"
        )
    assert error_of(raised)[:2] == ("NoSuchUpload", 404)


# -- listings against a model of S3's ----------------------------------------------------------


def expected_listing(keys: list[str], prefix: str, delimiter: str) -> list[str]:
    """S3's listing, written plainly: keys in UTF-8 byte order, those with the delimiter after
    the prefix grouped under their common prefix (entries marked with a trailing NUL)."""
    out: list[str] = []
    for key in sorted(set(keys), key=lambda k: k.encode("utf-8")):
        if not key.startswith(prefix):
            continue
        at = key.find(delimiter, len(prefix)) if delimiter else -1
        entry = key[: at + len(delimiter)] + "\x00" if at >= 0 else key
        if entry not in out:
            out.append(entry)
    return out


def listed(
    s3: Client, version: int, bucket: str, prefix: str, delimiter: str, size: int
) -> list[str]:
    kwargs = {"Bucket": bucket, "Prefix": prefix, "Delimiter": delimiter, "MaxKeys": size}
    entries: list[str] = []
    pages = 0
    while True:
        pages += 1
        assert pages < 100, "the listing does not end"
        page = (s3.list_objects_v2 if version == 2 else s3.list_objects)(**kwargs)
        found = [o["Key"] for o in page.get("Contents", [])]
        found += [p["Prefix"] + "\x00" for p in page.get("CommonPrefixes", [])]
        assert len(found) <= size
        entries += sorted(found, key=lambda e: e.rstrip("\x00").encode("utf-8"))
        if not page["IsTruncated"]:
            return entries
        if version == 2:
            kwargs["ContinuationToken"] = page["NextContinuationToken"]
        else:
            kwargs["Marker"] = page.get("NextMarker") or page["Contents"][-1]["Key"]


KEYS = st.lists(
    st.text(alphabet=st.sampled_from("ab/é-\U0001f600"), min_size=1, max_size=6), max_size=12
)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    keys=KEYS,
    prefix=st.sampled_from(["", "a", "a/", "b/é"]),
    delimiter=st.sampled_from(["", "/", "é"]),
    size=st.integers(1, 4),
    version=st.sampled_from([1, 2]),
)
def test_listing_matches_s3s_order(
    server: StubServer, keys: list[str], prefix: str, delimiter: str, size: int, version: int
) -> None:
    server.reset()
    s3 = client_for(server.url, "s3", s3={"addressing_style": "path"})
    s3.create_bucket(Bucket="lists")
    for key in set(keys):
        s3.put_object(Bucket="lists", Key=key, Body=key.encode())
    got = listed(s3, version, "lists", prefix, delimiter, size)
    assert got == expected_listing(keys, prefix, delimiter)


def test_listing_start_after_and_a_prefix_of_many_keys(s3: Client) -> None:
    s3.create_bucket(Bucket="many")
    for i in range(30):
        s3.put_object(Bucket="many", Key=f"logs/{i:02}", Body=b"")
    s3.put_object(Bucket="many", Key="z", Body=b"")
    page = s3.list_objects_v2(Bucket="many", Delimiter="/", MaxKeys=1)
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["logs/"] and page["IsTruncated"]
    rest = s3.list_objects_v2(
        Bucket="many", Delimiter="/", ContinuationToken=page["NextContinuationToken"]
    )
    assert [o["Key"] for o in rest["Contents"]] == ["z"] and not rest["IsTruncated"]
    assert "CommonPrefixes" not in rest  # a page after a common prefix skips all its keys
    after = s3.list_objects_v2(Bucket="many", Prefix="logs/", StartAfter="logs/27")
    assert [o["Key"] for o in after["Contents"]] == ["logs/28", "logs/29"]
    assert after["KeyCount"] == 2
    v1 = s3.list_objects(Bucket="many", Marker="logs/28")
    assert [o["Key"] for o in v1["Contents"]] == ["logs/29", "z"]
    paginator = s3.get_paginator("list_objects_v2")
    keys = [
        o["Key"]
        for p in paginator.paginate(Bucket="many", PaginationConfig={"PageSize": 7})
        for o in p["Contents"]
    ]
    assert len(keys) == 31 and keys == sorted(keys)


def test_a_bucket_named_moto_api_keeps_its_key_reset(server: StubServer, s3: Client) -> None:
    """moto's reset path is also S3's key ``reset`` of a bucket ``moto-api``: only a POST
    without a query resets; S3's requests there (PUT, GET, POST ?uploads) reach S3."""
    import urllib.request

    s3.create_bucket(Bucket="moto-api")
    s3.put_object(Bucket="moto-api", Key="reset", Body=b"kept")
    assert s3.get_object(Bucket="moto-api", Key="reset")["Body"].read() == b"kept"
    upload = s3.create_multipart_upload(Bucket="moto-api", Key="reset")
    assert upload["Key"] == "reset" and upload["UploadId"]
    assert s3.get_object(Bucket="moto-api", Key="reset")["Body"].read() == b"kept"
    request = urllib.request.Request(server.url + "/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200 and answer.read() == b'{"status": "ok"}'
    assert "moto-api" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def _fetch(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    """(status, body) of a plain urllib request of a presigned URL: no SDK, no header."""
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _code(body: bytes) -> str | None:
    return ET.fromstring(body).findtext("Code")


@pytest.mark.parametrize("signature_version", ["s3v4", None])  # None: boto3's default, SigV2
def test_presigned_urls_act_as_their_credential(
    server: StubServer, signature_version: str | None
) -> None:
    server.reset()
    options: dict[str, Any] = {"s3": {"addressing_style": "path"}}
    options["signature_version"] = signature_version
    alice = client_for(server.url, "s3", "AKIDALICE", "eu-west-1", **options)
    bob = client_for(server.url, "s3", "AKIDBOB", "eu-west-1", **options)
    alice.create_bucket(
        Bucket="shared", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    put = alice.generate_presigned_url("put_object", Params={"Bucket": "shared", "Key": "a b.txt"})
    assert _fetch(put, "PUT", b"from a presigned URL")[0] == 200
    # the object is alice's: her SDK reads it, and so does her presigned GET
    assert (
        alice.get_object(Bucket="shared", Key="a b.txt")["Body"].read() == b"from a presigned URL"
    )
    get = alice.generate_presigned_url("get_object", Params={"Bucket": "shared", "Key": "a b.txt"})
    assert _fetch(get) == (200, b"from a presigned URL")
    # bob's presigned URL of the same object is bob's request: his account has no such bucket
    status, body = _fetch(
        bob.generate_presigned_url("get_object", Params={"Bucket": "shared", "Key": "a b.txt"})
    )
    assert (status, _code(body)) == (404, "NoSuchBucket")
    with pytest.raises(ClientError) as caught:  # and bob's SDK agrees
        bob.get_object(Bucket="shared", Key="a b.txt")
    assert error_of(caught)[:2] == ("NoSuchBucket", 404)


def test_a_presigned_urls_region_is_its_credentials(server: StubServer) -> None:
    # creating a bucket one owns again: 200 in us-east-1 (S3's legacy), 409 in other regions
    server.reset()
    options: dict[str, Any] = {"s3": {"addressing_style": "path"}, "signature_version": "s3v4"}
    client_for(server.url, "s3", "AKIDALICE", **options).create_bucket(Bucket="mine")
    for region, status in (("us-west-2", 409), ("us-east-1", 200)):
        again = client_for(server.url, "s3", "AKIDALICE", region, **options)
        url = again.generate_presigned_url("create_bucket", Params={"Bucket": "mine"})
        assert f"%2F{region}%2Fs3%2F" in url
        assert _fetch(url, "PUT")[0] == status, region


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("AKIDALICE%2F", "AKIDALICE%2Fx%2F"), "mal-formed"),
        (("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=MD5"), "AWS4-HMAC-SHA256"),
        (("X-Amz-Expires=3600", "X-Amz-Expires=forever"), "should be a number"),
        (("X-Amz-Date=", "X-Amz-Dat="), "requires the X-Amz-Algorithm"),
        (("X-Amz-Credential=", "X-Amz-Credential=%ZZ"), "percent"),
    ],
)
def test_a_malformed_presigned_url_is_a_400(
    server: StubServer, change: tuple[str, str], said: str
) -> None:
    options: dict[str, Any] = {"s3": {"addressing_style": "path"}, "signature_version": "s3v4"}
    alice = client_for(server.url, "s3", "AKIDALICE", "eu-west-1", **options)
    url = alice.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"})
    assert change[0] in url
    status, body = _fetch(url.replace(change[0], change[1], 1))
    assert status == 400 and _code(body) == "AuthorizationQueryParametersError", body
    assert said in (ET.fromstring(body).findtext("Message") or ""), body


def test_bucket_configurations_are_what_was_put(s3: Client) -> None:
    """What a bucket's Put{Tagging,Policy,Cors,Versioning,...} puts, its Get answers (in the
    Get's own form: TagSet, Policy, CORSRules, Status), until its Delete; before any Put, what
    S3 answers for a new bucket."""
    s3.create_bucket(Bucket="configured")
    # never put: S3's errors, or every new bucket's defaults since 2023
    for call, code in (
        (s3.get_bucket_tagging, "NoSuchTagSet"),
        (s3.get_bucket_policy, "NoSuchBucketPolicy"),
        (s3.get_bucket_cors, "NoSuchCORSConfiguration"),
        (s3.get_bucket_lifecycle_configuration, "NoSuchLifecycleConfiguration"),
        (s3.get_bucket_website, "NoSuchWebsiteConfiguration"),
    ):
        with pytest.raises(ClientError) as raised:
            call(Bucket="configured")
        assert error_of(raised)[:2] == (code, 404), call
    assert "Status" not in s3.get_bucket_versioning(Bucket="configured")
    rules = s3.get_bucket_encryption(Bucket="configured")["ServerSideEncryptionConfiguration"]
    assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    blocks = s3.get_public_access_block(Bucket="configured")["PublicAccessBlockConfiguration"]
    assert blocks == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )

    tags = [{"Key": "team", "Value": "data"}, {"Key": "cost centre", "Value": "42 & <x>"}]
    s3.put_bucket_tagging(Bucket="configured", Tagging={"TagSet": tags})
    assert s3.get_bucket_tagging(Bucket="configured")["TagSet"] == tags
    policy = '{"Version": "2012-10-17", "Statement": []}'
    s3.put_bucket_policy(Bucket="configured", Policy=policy)
    assert s3.get_bucket_policy(Bucket="configured")["Policy"] == policy
    cors = [{"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["*"], "MaxAgeSeconds": 60}]
    s3.put_bucket_cors(Bucket="configured", CORSConfiguration={"CORSRules": cors})
    assert s3.get_bucket_cors(Bucket="configured")["CORSRules"] == cors
    s3.put_bucket_versioning(Bucket="configured", VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket="configured")["Status"] == "Enabled"
    s3.put_public_access_block(
        Bucket="configured",
        PublicAccessBlockConfiguration={"BlockPublicAcls": False, "BlockPublicPolicy": True},
    )
    assert s3.get_public_access_block(Bucket="configured")["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": False,
        "BlockPublicPolicy": True,
    }

    s3.delete_bucket_tagging(Bucket="configured")
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_tagging(Bucket="configured")
    assert error_of(raised)[:2] == ("NoSuchTagSet", 404)
    assert s3.get_bucket_policy(Bucket="configured")["Policy"] == policy  # only tags went

    with pytest.raises(ClientError) as raised:  # S3's limit: keys are unique
        s3.put_bucket_tagging(
            Bucket="configured",
            Tagging={"TagSet": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]},
        )
    assert error_of(raised)[:2] == ("InvalidTag", 400)
    with pytest.raises(ClientError) as raised:
        s3.put_bucket_tagging(Bucket="nowhere", Tagging={"TagSet": tags})
    assert error_of(raised)[:2] == ("NoSuchBucket", 404)

    # a bucket deleted and made again starts afresh
    s3.delete_bucket(Bucket="configured")
    s3.create_bucket(Bucket="configured")
    with pytest.raises(ClientError) as raised:
        s3.get_bucket_policy(Bucket="configured")
    assert error_of(raised)[:2] == ("NoSuchBucketPolicy", 404)
    assert "Status" not in s3.get_bucket_versioning(Bucket="configured")


def test_boto3s_managed_copy_copies_parts_and_uploads_are_listed(s3: Client) -> None:
    """boto3's copy past its multipart threshold is CreateMultipartUpload, UploadPartCopy of
    each range, CompleteMultipartUpload: the copy is the source's bytes."""
    from boto3.s3.transfer import TransferConfig  # type: ignore[import-untyped]

    s3.create_bucket(Bucket="src")
    body = bytes(range(256)) * (11 * 4096 + 7)  # 11 MiB: parts of 5 MiB (s3transfer's least)
    s3.put_object(Bucket="src", Key="big.bin", Body=body)
    config = TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20)
    s3.copy({"Bucket": "src", "Key": "big.bin"}, "src", "copy.bin", Config=config)
    copied = s3.get_object(Bucket="src", Key="copy.bin")
    assert copied["Body"].read() == body
    assert copied["ETag"].endswith('-3"')  # three parts

    first = s3.create_multipart_upload(Bucket="src", Key="b/one")["UploadId"]
    second = s3.create_multipart_upload(Bucket="src", Key="a/two")["UploadId"]
    part = s3.upload_part_copy(
        Bucket="src",
        Key="b/one",
        UploadId=first,
        PartNumber=1,
        CopySource={"Bucket": "src", "Key": "big.bin"},
        CopySourceRange="bytes=10-19",
    )["CopyPartResult"]
    assert part["ETag"] == '"' + hashlib.md5(body[10:20]).hexdigest() + '"'
    with pytest.raises(ClientError) as raised:
        s3.upload_part_copy(
            Bucket="src",
            Key="b/one",
            UploadId=first,
            PartNumber=2,
            CopySource={"Bucket": "src", "Key": "big.bin"},
            CopySourceRange=f"bytes=0-{len(body)}",
        )
    assert error_of(raised)[:2] == ("InvalidArgument", 400)
    uploads = s3.list_multipart_uploads(Bucket="src")["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("a/two", second), ("b/one", first)]
    assert [u["Key"] for u in s3.list_multipart_uploads(Bucket="src", Prefix="b/")["Uploads"]] == [
        "b/one"
    ]
    s3.abort_multipart_upload(Bucket="src", Key="a/two", UploadId=second)
    assert [u["Key"] for u in s3.list_multipart_uploads(Bucket="src")["Uploads"]] == ["b/one"]


def test_access_control_lists_are_the_owners(s3: Client) -> None:
    s3.create_bucket(Bucket="acl")
    s3.put_object(Bucket="acl", Key="k", Body=b"x")
    for acl in (s3.get_bucket_acl(Bucket="acl"), s3.get_object_acl(Bucket="acl", Key="k")):
        [grant] = acl["Grants"]
        assert grant["Permission"] == "FULL_CONTROL"
        assert grant["Grantee"]["ID"] == acl["Owner"]["ID"]
    s3.put_bucket_acl(Bucket="acl", ACL="private")
    with pytest.raises(ClientError) as raised:  # a new bucket's ACLs are disabled (2023)
        s3.put_bucket_acl(Bucket="acl", ACL="public-read")
    assert error_of(raised)[:2] == ("AccessControlListNotSupported", 400)
    with pytest.raises(ClientError) as raised:
        s3.get_object_acl(Bucket="acl", Key="missing")
    assert error_of(raised)[:2] == ("NoSuchKey", 404)
