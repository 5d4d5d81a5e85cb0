"""Every operation of the services of issue 17 through boto3 (item 7): with minimal valid
params (the required members, valid values) each gets a conforming result (the generated output
validators accept what botocore parsed) or, where the server's behaviour says so, a modeled
error; with a required member left out (boto3's validation off) each gets a 4xx that botocore
parses into a ClientError (each required member is left out in turn until botocore can send
the call: a URI label left out, or one its endpoint rules read, it cannot).

The services are served from the installed botocore with ``--service`` (each generated once
into apigen's cache). In CI: sqs, sts, secretsmanager, dynamodb and cloudwatch, whole;
``APIGEN_SLOW_TESTS=1`` adds sns, iam, kinesis, logs, lambda, s3, route53 and ec2. The counts per
service, and moto's on the same calls: ``tools/every_operation.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import pytest

from codegen.server import StubServer, running_server
from tests.support.every_operation import (
    lacking_outcome,
    minimal_params,
    modeled_codes,
    outcome,
)
from tests.support.server import examples_only

pytestmark = pytest.mark.network

CI = ["sqs", "sts", "secretsmanager", "dynamodb", "cloudwatch"]
SLOW = ["sns", "iam", "kinesis", "logs", "lambda", "s3", "route53", "ec2"]
SERVICES = CI + (SLOW if os.environ.get("APIGEN_SLOW_TESTS") == "1" else [])
# inject_host_prefix off: an endpoint trait's host prefix (logs' stream-, S3's
# WriteGetObjectResponse) would put a label in front of 127.0.0.1, which resolves nowhere
STRICT = botocore.config.Config(
    retries={"total_max_attempts": 1}, read_timeout=120, inject_host_prefix=False
)
LOOSE = botocore.config.Config(
    retries={"total_max_attempts": 1},
    read_timeout=120,
    parameter_validation=False,
    inject_host_prefix=False,
)


# Calls lacking a required member that are, on the wire, another operation of S3, and are
# answered as that one (as S3 answers them): without its uploadId, DELETE /bucket/key is
# DeleteObject and GET /bucket/key GetObject; without its id, GET /bucket?analytics is
# ListBucketAnalyticsConfigurations; without CopySource, a PUT is PutObject.
WIRE_TWINS = {
    "s3": {
        "AbortMultipartUpload",
        "CopyObject",
        "GetBucketAnalyticsConfiguration",
        "GetBucketIntelligentTieringConfiguration",
        "GetBucketInventoryConfiguration",
        "GetBucketMetricsConfiguration",
        "GetObjectAnnotation",
        "ListParts",
        "UploadPart",
        "UploadPartCopy",
    }
}


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server(services=SERVICES) as running:
        # the protocols' answers for every operation, not the state behind them (a read of a
        # resource never created is the modeled not-found error there: tests/server/test_engine*)
        yield examples_only(running)


def client(server: StubServer, service: str, config: Any) -> Any:
    return boto3.session.Session().client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
        config=config,
    )


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_answers_a_conforming_result(server: StubServer, name: str) -> None:
    service = server.app.catalog.services[name]
    service.load()
    model, validators = service.model, service.validators
    strict = client(server, name, STRICT)
    failures = []
    for operation in sorted(model.operations):
        params = minimal_params(model, operation)
        assert params is not None, f"{operation}: no valid params"
        got = outcome(strict, operation, params, validators, modeled_codes(strict, operation))
        if got.kind != "conforming":
            failures.append((operation, got))
    assert not failures, f"{len(failures)} of {len(model.operations)}: {failures[:5]}"


@pytest.mark.parametrize("name", SERVICES)
def test_a_required_member_left_out_is_a_4xx(server: StubServer, name: str) -> None:
    service = server.app.catalog.services[name]
    service.load()
    model, validators = service.model, service.validators
    loose = client(server, name, LOOSE)
    failures, tried = [], 0
    for operation in sorted(model.operations):
        got = lacking_outcome(loose, model, operation, validators, modeled_codes(loose, operation))
        if got is None or got.kind == "not sent" or operation in WIRE_TWINS.get(name, ()):
            continue
        tried += 1
        if got.kind not in ("refused", "modeled"):
            failures.append((operation, got))
    assert tried and not failures, f"{len(failures)} of {tried}: {failures[:5]}"
