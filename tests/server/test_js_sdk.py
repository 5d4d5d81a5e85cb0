"""The AWS SDK for JavaScript v3 against the stub server: @aws-sdk/client-ec2 on the flow-log
behaviours (flow.mjs) and whole EC2's derived engine with the SDK's own waiters (state.mjs);
@aws-sdk/client-s3, -dynamodb and -sqs against ``apigen serve --service dynamodb --service s3
--service sqs --verify-signatures`` (one server for the three scripts s3.mjs, dynamodb.mjs,
sqs.mjs; each request's SigV4 signature checked), the SDK's defaults kept: S3's flexible
checksums and aws-chunked uploads, SQS's JSON protocol and its MD5 checks.

Each script prints one JSON line of what it saw and exits 1 on any surprise; the values asserted
here are the ones the scripts chose, or digests computed here with the standard library.
``make test`` installs the SDK under tests/server/js/ with ``npm ci`` where Node is present;
without Node or the installed SDK these tests skip, saying why.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from codegen.server import StubServer, running_server
from tests.support.paths import ROOT

JS = ROOT / "tests" / "server" / "js"


def _node(client: str) -> str:
    """The node executable, or a skip saying what is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (make test installs the JS SDK where it is)")
    if not (JS / "node_modules" / "@aws-sdk" / client).is_dir():
        pytest.skip(
            f"@aws-sdk/{client} is not installed: run 'npm ci' in tests/server/js (make test does)"
        )
    return node


def _node_run(
    client: str, script: str, url: str, secret: str = "secret"
) -> subprocess.CompletedProcess[str]:
    """``node script url``, signing with ``secret``, finished."""
    return subprocess.run(
        [_node(client), str(JS / script), url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "SECRET_ACCESS_KEY": secret},
    )


def _run(client: str, script: str, url: str) -> Any:
    """What ``node script url`` printed, parsed; fails with its standard error if it failed."""
    done = _node_run(client, script, url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_javascript_sdk_v3() -> None:
    _node("client-ec2")
    with running_server() as server:
        seen = _run("client-ec2", "flow.mjs", server.url)
    assert len(seen["created"]) == 7 and all(
        re.fullmatch(r"fl-[0-9a-f]{17}", i) for i in seen["created"]
    )
    assert seen["clientToken"] == "js-token"
    assert [len(p) for p in seen["pages"]] == [2, 2, 1]
    items = [item for page in seen["pages"] for item in page]
    assert [i[0] for i in items] == seen["created"][:5]  # filtered, in creation order
    assert [i[1] for i in items] == [f"vpc-js{i}" for i in range(5)]
    assert all(i[2] == 60 and i[3] is True for i in items)
    assert seen["error"]["code"] == "InvalidFilter" and seen["error"]["status"] == 400
    assert seen["unsuccessful"] == [["fl-0123456789abcdef0", "InvalidFlowLogId.NotFound"]]
    assert seen["left"] == 0


def test_javascript_sdk_v3_on_derived_resources(ec2_server: StubServer) -> None:
    """Whole EC2's derived engine through the JS SDK, its own waiters included."""
    seen = _run("client-ec2", "state.mjs", ec2_server.url)
    vpc_id, state, cidr = seen["vpc"]
    assert re.fullmatch(r"vpc-[0-9a-f]{17}", vpc_id)
    assert (state, cidr) == ("pending", "10.7.0.0/16")
    assert seen["vpcAvailable"] == "SUCCESS"
    assert seen["tagged"] == [vpc_id]
    assert [(name, code) for _, name, code in seen["instances"]] == [("pending", 0)] * 2
    assert seen["running"] == "SUCCESS" and seen["terminated"] == "SUCCESS"
    assert seen["states"] == ["terminated", "terminated"]
    assert seen["error"] == {"code": "InvalidVpcID.NotFound", "status": 400}


# the scripts' access keys (each its own account) and the secret they sign with
ACCOUNTS = {
    "AKIDJAVASCRIPTS3": "111111111111",
    "AKIDJAVASCRIPTDDB": "222222222222",
    "AKIDJAVASCRIPTSQS": "333333333333",
}


@pytest.fixture(scope="module")
def three_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    """``apigen serve --service dynamodb --service s3 --service sqs --verify-signatures
    --accounts FILE``, once for the module: every request the SDK signs (SigV4, S3's
    aws-chunked uploads and virtual hosts too) is checked against the secret."""
    _node("client-s3")
    accounts = tmp_path_factory.mktemp("js-accounts") / "accounts.json"
    accounts.write_text(
        json.dumps({k: {"account": a, "secret": "secret"} for k, a in ACCOUNTS.items()})
    )
    with running_server(
        services=("dynamodb", "s3", "sqs"), accounts=accounts, verify_signatures=True
    ) as server:
        yield server


@pytest.mark.parametrize(
    ("client", "script"),
    [("client-s3", "s3.mjs"), ("client-dynamodb", "dynamodb.mjs"), ("client-sqs", "sqs.mjs")],
)
def test_a_wrong_secret_is_refused(three_services: StubServer, client: str, script: str) -> None:
    """The signatures are checked: the same script signing with another secret fails at once."""
    done = _node_run(client, script, three_services.url, secret="not-the-secret")
    assert done.returncode == 1 and not done.stdout
    assert "AuthFailure" in done.stderr


def _etag(body: bytes) -> str:
    return '"' + hashlib.md5(body).hexdigest() + '"'


def _crc32(body: bytes) -> str:
    return base64.b64encode(struct.pack(">I", zlib.crc32(body))).decode()


def test_s3_path_style_and_virtual_host(three_services: StubServer) -> None:
    """Buckets and objects through @aws-sdk/client-s3, path style (forcePathStyle: true, which
    sends ``PUT /bucket/``) and virtual-host style (``bucket.localhost:PORT``), each seeing the
    same answers; uploads with the SDK's default CRC32 checksum, in a header and in the trailer
    of an aws-chunked stream."""
    seen = _run("client-s3", "s3.mjs", three_services.url)
    assert seen["hosts"] == ["js-virtual-bucket.localhost"]
    assert seen["uploads"] == [
        "aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER x-amz-checksum-crc32",
        "header",
    ]
    text = "héllo, wörld".encode()
    data = bytes((i * 7) % 256 for i in range(300))
    for style in ("path", "virtual"):
        one = seen[style]
        assert one["bucketExists"] == one["objectExists"] == one["objectGone"] == "SUCCESS"
        assert one["putText"] == [_etag(text), _crc32(text)]
        assert one["putBytes"] == [_etag(data), _crc32(data)]
        assert one["putStream"] == [_etag(b"streamed up"), _crc32(b"streamed up")]
        assert one["streamed"] == "streamed up"
        assert one["head"] == [len(text), "text/plain", _etag(text)]
        assert one["get"] == {
            "equal": True,
            "length": 300,
            "etag": _etag(data),
            "metadata": {"origin": "js"},
        }
        assert one["text"] == "héllo, wörld"
        assert one["range"] == [206, "bytes 10-13/300", list(data[10:14])]
        assert one["delimited"] == {
            "keys": [["notes/a.txt", len(text)], ["notes/c.txt", len("notes/c.txt")]],
            "prefixes": ["notes/sub/"],
        }
        assert one["pages"] == [
            [["notes/a.txt", "notes/c.txt"], 2, True],
            [["notes/sub/d.txt", "notes/sub/e.txt"], 2, False],
        ]
        assert one["notEmpty"] == {"code": "BucketNotEmpty", "status": 409}
        assert one["ifNoneMatch"] == {"code": "PreconditionFailed", "status": 412}
        assert one["missing"] == {"code": "NoSuchKey", "status": 404}


def test_dynamodb_table_and_items(three_services: StubServer) -> None:
    seen = _run("client-dynamodb", "dynamodb.mjs", three_services.url)
    assert seen["created"] == ["js-orders", "CREATING"]
    assert seen["exists"] == seen["notExists"] == "SUCCESS"
    assert seen["described"] == "ACTIVE"
    assert seen["arn"] == "arn:aws:dynamodb:eu-west-1:222222222222:table/js-orders"
    assert seen["tags"] == [{"Key": "team", "Value": "js"}]
    assert seen["got"] == {"total": "25", "tags": ["ana", "js"], "blob": [0, 255, 2]}
    assert seen["absent"] is None
    assert seen["query"] == [2, [3, 2]]  # ana's orders from 2 on, newest first
    assert seen["scanPages"] == [3, 1]
    assert seen["scanned"] == ["ana#1", "ana#2", "ana#3", "bo#1"]
    assert seen["cancelled"] == ["None", "ConditionalCheckFailed"]  # total 10 < 100
    assert seen["transacted"] == "3"  # 10 - 7, with cy's order put in the same transaction
    assert seen["transactedPut"] == "7"
    assert seen["deletedOld"] == "5" and seen["afterDelete"] == 3
    assert seen["noKey"] == {
        "code": "ValidationException",
        "status": 400,
        "message": "One or more parameter values were invalid: Missing the key order in the item",
    }
    assert seen["missing"]["code"] == "ResourceNotFoundException"
    assert seen["missing"]["status"] == 400


def _attributes_md5(attributes: dict[str, tuple[str, str]]) -> str:
    """SQS's digest of string message attributes, as its documentation defines it: per name in
    order, each of name, data type and value length-prefixed (4 bytes, big-endian), a transport
    byte 1 (string) before the value."""
    out = bytearray()
    for name in sorted(attributes):
        kind, value = attributes[name]
        for part in (name.encode(), kind.encode()):
            out += struct.pack(">I", len(part)) + part
        out += b"\x01" + struct.pack(">I", len(value.encode())) + value.encode()
    return hashlib.md5(out).hexdigest()


def test_sqs_queue_and_messages(three_services: StubServer) -> None:
    seen = _run("client-sqs", "sqs.mjs", three_services.url)
    # this SDK speaks SQS's JSON protocol, every call
    assert {p.split()[0] for p in seen["protocol"]} == {"application/x-amz-json-1.0"}
    assert len(seen["protocol"]) == 9
    assert seen["url"] == seen["sameUrl"]
    assert seen["url"] == "https://sqs.ap-southeast-2.amazonaws.com/333333333333/js-jobs"
    assert seen["attributes"] == {
        "QueueArn": "arn:aws:sqs:ap-southeast-2:333333333333:js-jobs",
        "VisibilityTimeout": "30",
    }
    assert seen["sent"] == [
        hashlib.md5("héllo 👋 from js".encode()).hexdigest(),
        _attributes_md5({"kind": ("String", "greeting")}),
    ]
    assert seen["batch"] == [["a", "b"], 0]
    assert seen["received"] == ["héllo 👋 from js", "second", "third"]
    assert seen["attribute"] == "greeting"
    assert seen["inFlight"] == 0
    # after the 1 s visibility timeout: the deleted message is gone, the one whose timeout was
    # extended to 60 s still invisible, the third received again
    assert seen["visibleAgain"] == [["third", "2"]]
    # AttributeNames names message system attributes too (SentTimestamp: epoch milliseconds,
    # at the send, after the script started and before the 1.5 s wait ended)
    assert len(seen["sentMillis"]) == 1 and 0 <= seen["sentMillis"][0] < 1500
    assert seen["deleted"] == seen["missing"] == {"code": "QueueDoesNotExist", "status": 400}
