"""Which served service a request is for (codegen/server/routing.py), checked against requests
botocore's own serializer writes: every operation of the 13 services of issue 17, in every
protocol each speaks, signed as boto3 signs them (the credential scope names the signing name,
the Host is the service's endpoint) and unsigned (no scope, any Host: the request's own form
must tell). With every service of the installed release (``slow``), each request goes to its
service or to one that cannot be told from it (the same signing name and an operation of the
same name in the same form: rds, docdb and neptune share all three).

Also: the routing entry read from a ``service-2.json`` is the one the protocol tables of the
imported model give (the two readings of the model agree), and a request that fits no served
service names what was tried.
"""

from __future__ import annotations

import os
from functools import cache

import pytest

from codegen.bridge.releases import resolve_release
from codegen.generators.protocol_tables import service_tables
from codegen.pipeline import release_spec
from codegen.protocols import supported
from codegen.protocols.http import HttpRequest
from codegen.server.routing import (
    REST,
    Entry,
    Router,
    Unroutable,
    credential_scope,
    entry_from_botocore,
    entry_from_tables,
)
from tests.support.routing import botocore_document, request_of, service_model

ISSUE = [
    "sqs",
    "sns",
    "sts",
    "iam",
    "dynamodb",
    "kinesis",
    "logs",
    "secretsmanager",
    "lambda",
    "s3",
    "route53",
    "cloudwatch",
    "ec2",
]


@cache
def entry(name: str) -> Entry:
    return entry_from_botocore(name, botocore_document(name))


@cache
def router(names: tuple[str, ...]) -> Router:
    return Router(entry(n) for n in names)


def cases(names: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(service, operation, protocol) for every operation of each service in each protocol it
    speaks and botocore serializes."""
    spoken = set(supported())
    found = []
    for name in names:
        model = service_model(name)
        protocols = model.metadata.get("protocols") or [model.protocol]
        for protocol in protocols:
            if protocol in spoken:
                found += [(name, op, protocol) for op in model.operation_names]
    return found


def _aws_host(name: str) -> str:
    return f"{entry(name).endpoint_prefix}.us-east-1.amazonaws.com"


@pytest.mark.parametrize("name", ISSUE)
def test_signed_requests_of_every_operation_reach_their_service(name: str) -> None:
    model = service_model(name)
    chosen = router(tuple(ISSUE))
    wrong = []
    for service, operation, protocol in cases((name,)):
        request = request_of(
            model, operation, scope=model.signing_name, host=_aws_host(service), protocol=protocol
        )
        scope = credential_scope(request)
        assert scope is not None and scope[2] == model.signing_name
        routed = chosen.route(request, scope[2])
        if routed != service:
            wrong.append((operation, protocol, routed))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("name", [n for n in ISSUE if not REST & set(entry(n).protocols)])
def test_unsigned_rpc_requests_reach_their_service_by_their_form(name: str) -> None:
    """No scope and a local Host: X-Amz-Target, the CBOR path, Action and Version tell."""
    model = service_model(name)
    chosen = router(tuple(ISSUE))
    wrong = []
    for service, operation, protocol in cases((name,)):
        request = request_of(model, operation, protocol=protocol)
        routed = chosen.route(request, None)
        if routed != service:
            wrong.append((operation, protocol, routed))
    assert not wrong, wrong[:5]


def test_s3_virtual_hosts_and_rest_paths() -> None:
    chosen = router(tuple(ISSUE))
    s3 = service_model("s3")
    for operation in ("GetObject", "PutObject", "ListObjectsV2", "ListBuckets"):
        request = request_of(s3, operation, host="s3.amazonaws.com")
        assert chosen.route(request, None) == "s3", operation
    lam = service_model("lambda")
    for operation in ("ListFunctions", "Invoke", "GetFunction"):
        request = request_of(lam, operation, host="lambda.us-east-1.amazonaws.com")
        assert chosen.route(request, None) == "lambda", operation
    # the Host decides between services whose templates both match: to S3, lambda's
    # ListFunctions path is a key of the bucket 2015-03-31
    request = request_of(lam, "ListFunctions", host="s3.us-east-1.amazonaws.com")
    assert chosen.route(request, None) == "s3"
    # S3's directory-bucket operations sign as s3express, which no model states
    request = request_of(s3, "ListDirectoryBuckets", scope="s3express")
    assert chosen.route(request, "s3express") == "s3"
    # a virtual-hosted bucket: the bucket is a label of the Host, in front of s3's prefix
    request = HttpRequest(
        "GET", "/some/key", "", {"host": "my-bucket.s3.us-east-1.amazonaws.com"}, b""
    )
    assert chosen.route(request, None) == "s3"


def test_what_fits_nothing_says_what_was_tried() -> None:
    chosen = router(("sqs", "dynamodb", "sts"))
    kinesis = request_of(service_model("kinesis"), "ListStreams", scope="kinesis")
    routed = chosen.route(kinesis, "kinesis")
    assert isinstance(routed, Unroutable)
    assert "'kinesis'" in routed.message and "dynamodb, sqs, sts" in routed.message
    assert routed.form == "json"
    unsigned = chosen.route(request_of(service_model("kinesis"), "ListStreams"), None)
    assert isinstance(unsigned, Unroutable)
    message = unsigned.message
    assert "not signed" in message and "Kinesis_20131202.ListStreams" in message
    assert "DynamoDB_20120810" in message and "AmazonSQS" in message  # the prefixes served
    query = HttpRequest(
        "POST",
        "/",
        "",
        {"content-type": "application/x-www-form-urlencoded"},
        b"Action=Nope&Version=2099-01-01",
    )
    routed = chosen.route(query, None)
    assert isinstance(routed, Unroutable) and "Action 'Nope'" in routed.message
    assert routed.form == "query"
    # of sts's API version: sts's, which then answers the unknown action itself
    assert (
        chosen.route(
            HttpRequest("POST", "/", "", query.headers, b"Action=Nope&Version=2011-06-15"), None
        )
        == "sts"
    )


def test_a_presigned_url_names_its_scope() -> None:
    request = HttpRequest(
        "GET",
        "/bucket/key",
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-west-2%2Fs3"
        "%2Faws4_request&X-Amz-Signature=00",
        {"host": "localhost"},
    )
    assert credential_scope(request) == ("AKID", "us-west-2", "s3")
    assert router(tuple(ISSUE)).route(request, "s3") == "s3"


def test_a_hostile_request_is_routed_in_linear_time() -> None:
    """Long values are read once: a megabyte of path, target or form routes (to nothing; with
    S3 served, any path is one of S3's: a one-segment one its ListObjects of that bucket)."""
    chosen = router(tuple(ISSUE))
    long = "a" * (1 << 20)
    assert chosen.route(HttpRequest("GET", "/" + long, "", {"host": "localhost"}), None) == "s3"
    chosen = router(("sqs", "sts", "cloudwatch", "lambda", "route53"))
    for request in (
        HttpRequest("GET", "/" + long + "/" + long, "", {"host": "localhost"}, b""),
        HttpRequest("POST", "/", "", {"x-amz-target": long + "." + long}, b""),
        HttpRequest(
            "POST",
            "/",
            "",
            {"content-type": "application/x-www-form-urlencoded"},
            f"Action={long}&Version={long}".encode(),
        ),
        HttpRequest("POST", f"/service/{long}/operation/{long}", "", {}, b""),
    ):
        routed = chosen.route(request, None)
        assert isinstance(routed, Unroutable)
        assert len(routed.message) < 4000  # quoted values are cut short


def test_a_host_longer_than_a_dns_name_is_no_evidence() -> None:
    """Every served service's endpoint prefix is looked for in an ``amazonaws.com`` Host: one
    longer than a DNS name can be (253 characters) is not searched, and decides nothing. (A
    64 KB Host of 30,000 labels held a server of every service for a minute.)"""
    chosen = router(tuple(ISSUE))
    lam = service_model("lambda")
    short = request_of(lam, "ListFunctions", host="s3.us-east-1.amazonaws.com")
    assert chosen.route(short, None) == "s3"  # the Host decides, as in the test above
    labels = "s3." + "a." * 30_000 + "us-east-1.amazonaws.com"
    long = request_of(lam, "ListFunctions", host=labels)
    assert chosen.route(long, None) == "lambda"  # the path alone: lambda's template
    at_the_limit = "s3." + "a." * 100 + "amazonaws.com"
    assert len(at_the_limit) <= 253
    assert chosen.route(request_of(lam, "ListFunctions", host=at_the_limit), None) == "s3"


@pytest.mark.parametrize("name", ["sqs", "cloudwatch", "s3", "lambda"])
def test_the_entry_of_a_release_is_that_of_its_tables(name: str) -> None:
    release = resolve_release("installed")
    model = release_spec(release, name).model()
    assert entry_from_tables(service_tables(model)) == entry(name)


def _twins(name: str, other: str, operation: str, protocol: str) -> bool:
    """Whether a request for ``name``'s ``operation`` cannot be told from one for ``other``'s."""
    a, b = entry(name), entry(other)
    return (
        a.signing_name == b.signing_name
        and protocol in b.protocols
        and b.operations.get(operation) == a.operations[operation]
        and (protocol not in ("json", "smithy-rpc-v2-cbor") or a.target_prefix == b.target_prefix)
    )


@pytest.mark.slow
def test_every_operation_of_every_service_reaches_its_service() -> None:
    names = tuple(resolve_release("installed").services())
    spoken = set(supported())
    served = tuple(n for n in names if spoken & set(entry(n).protocols))
    chosen = router(served)
    wrong = []
    limit = int(os.environ.get("APIGEN_ROUTING_SERVICES", "0")) or len(served)
    for service, operation, protocol in cases(served[:limit]):
        model = service_model(service)
        request = request_of(
            model, operation, scope=model.signing_name, host=_aws_host(service), protocol=protocol
        )
        routed = chosen.route(request, model.signing_name)
        if routed != service and not (
            isinstance(routed, str) and _twins(service, routed, operation, protocol)
        ):
            wrong.append((service, operation, protocol, routed))
    assert not wrong, (len(wrong), wrong[:10])


def test_an_unsigned_request_that_fits_several_services_alike_is_refused() -> None:
    """Unsigned ``GET /`` from a local Host is S3's ListBuckets and mediastore-data's ListItems:
    the router says so instead of answering for whichever sorts first; signed, or with a
    service's host, or with only one of them served, it goes where it belongs."""
    both = router(("mediastore-data", "s3", "sqs"))
    bare = HttpRequest("GET", "/", "", {"host": "127.0.0.1:5000"}, b"")
    routed = both.route(bare, None)
    assert isinstance(routed, Unroutable)
    assert "not signed" in routed.message and "mediastore-data, s3 alike" in routed.message
    assert "--service" in routed.message
    s3 = service_model("s3")
    assert both.route(request_of(s3, "ListBuckets", scope="s3"), "s3") == "s3"
    assert both.route(request_of(s3, "ListBuckets", host="s3.amazonaws.com"), None) == "s3"
    assert router(("s3", "sqs")).route(bare, None) == "s3"
    # a request only one of them takes is not ambiguous
    assert both.route(HttpRequest("GET", "/bucket/key", "", {}, b""), None) == "s3"
