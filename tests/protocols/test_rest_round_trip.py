"""Round trips through botocore for every operation of twelve REST services (four rest-xml:
s3, s3control, route53, cloudfront; eight rest-json: lambda, apigateway, glacier,
bedrock-runtime, appsync, eks, efs, batch).

For each operation, with values hypothesis draws from botocore's own shapes
(:mod:`tests.support.rest_values`):

* requests: botocore serializes params and prepares the HTTP request as it sends it; the
  protocol routes it to the same operation (or to one botocore would send the very same bytes
  for: S3's ``GetBucketLifecycle`` and ``GetBucketLifecycleConfiguration``) and reads back the
  same params;
* responses: the protocol serializes a result; botocore's parser reads back the same values
  (event streams iterated);
* errors: each modeled error, with its fields, serialized by the protocol; botocore reads the
  error's code (and so picks the same modeled exception class), its status and its fields.

One hypothesis run per operation draws all three. Derandomized with a few examples per
operation in CI; ``APIGEN_ROUND_TRIP_EXAMPLES=N`` draws
N (and not derandomized when ``APIGEN_ROUND_TRIP_RANDOM=1``).
"""

from __future__ import annotations

import math
import os
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from codegen.protocols import ServiceError
from tests.support.rest import (
    Served,
    botocore_document,
    botocore_parse,
    botocore_request,
    served_service,
)
from tests.support.rest_values import WireValues, expected_params, expected_result

SERVICES = (
    "s3",
    "s3control",
    "route53",
    "cloudfront",
    "lambda",
    "apigateway",
    "glacier",
    "bedrock-runtime",
    "appsync",
    "eks",
    "efs",
    "batch",
)
EXAMPLES = int(os.environ.get("APIGEN_ROUND_TRIP_EXAMPLES", "2"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("APIGEN_ROUND_TRIP_RANDOM") != "1",
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    # shrinking a failure of a big shape takes minutes on a shared machine: opt in
    phases=[Phase.explicit, Phase.generate]
    + ([Phase.shrink] if os.environ.get("APIGEN_ROUND_TRIP_SHRINK") == "1" else []),
)

# S3 checks each integrity header against the body: random values would (rightly) be refused
_INTEGRITY = ("content-md5", "x-amz-checksum-")
# (service, operation, direction) -> why no round trip can pass
SKIPPED = {
    ("s3", "PutBucketNotification", "request"): (
        "botocore's serializer fails on it (KeyError on the deprecated"
        " NotificationConfigurationDeprecated payload)"
    ),
    ("s3", "GetBucketNotification", "response"): (
        "its Events (a flattened list of <Event> elements) and its deprecated Event member share"
        " the element name Event: botocore reads both from the same elements"
    ),
    ("s3", "GetBucketLocation", "response"): (
        "botocore reads it with a handler (parse_get_bucket_location), not its parser: the"
        " boto3 test of test_s3.py checks it"
    ),
}


def _operations() -> list[Any]:
    out = []
    for service in SERVICES:
        for name in sorted(botocore_document(service)["operations"]):
            out.append(pytest.param(service, name, id=f"{service}-{name}"))
    return out


OPERATIONS = _operations()
_VALUES: dict[str, WireValues] = {}


def _values(service: str) -> WireValues:
    if service not in _VALUES:
        _VALUES[service] = WireValues(served_service(service).model)
    return _VALUES[service]


def _dropped(served: Served, operation: str) -> frozenset[str]:
    shape = served.model.operation_model(operation).input_shape
    if shape is None:
        return frozenset()
    dropped = set()
    for name, member in shape.members.items():
        if member.serialization.get("eventstream"):
            dropped.add(name)  # botocore cannot send an input event stream
        wire = member.serialization.get("name", "").lower()
        if member.serialization.get("location") == "header" and wire.startswith(_INTEGRITY):
            dropped.add(name)
    return frozenset(dropped)


def _dropped_in_result(service: str, operation: str) -> frozenset[str]:
    """S3 answers a listing asked for with encoding-type=url with its keys percent-encoded,
    and boto3 decodes them in a handler, not its parser: the boto3 test of test_s3.py checks
    that; here the listings are drawn without EncodingType."""
    if service == "s3" and operation in ("ListObjects", "ListObjectsV2", "ListObjectVersions"):
        return frozenset({"EncodingType"})
    return frozenset()


def _content_length_member(served: Served, operation: str) -> str | None:
    shape = served.model.operation_model(operation).input_shape
    for name, member in shape.members.items() if shape is not None else ():
        wire = member.serialization.get("name", "").lower()
        if member.serialization.get("location") == "header" and wire == "content-length":
            return str(name)
    return None


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_comparable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
def test_operation_round_trips_through_botocore(service: str, operation: str) -> None:
    """One draw per example: params (the request), a result (the response) and one of the
    operation's modeled errors with its members."""
    served = served_service(service)
    op = served.model.operation_model(operation)
    values = _values(service)
    shape = op.input_shape
    sends = (service, operation, "request") not in SKIPPED and not (
        shape is not None
        and any(m.serialization.get("eventstream") for m in shape.members.values())
    )  # botocore cannot send an input event stream (it sends {} for the payload)
    reads = (service, operation, "response") not in SKIPPED
    errors: dict[str, Any] = {error.name: error for error in op.error_shapes}
    error_draw: st.SearchStrategy[Any] = (
        st.sampled_from(sorted(errors)).flatmap(
            lambda name: st.tuples(st.just(name), values.error_fields(errors[name]))
        )
        if errors
        else st.none()
    )
    draws = st.tuples(
        values.params(operation, _dropped(served, operation)) if sends else st.none(),
        values.result(operation, _dropped_in_result(service, operation)) if reads else st.none(),
        error_draw,
    )

    @SETTINGS
    @given(draws)
    def check(draw: tuple[Any, Any, Any]) -> None:
        params, result, error = draw
        if params is not None:
            _check_request(served, operation, params)
        if result is not None:
            _check_response(served, operation, result)
        if error is not None:
            _check_error(served, operation, *error)

    check()


def _check_request(served: Served, operation: str, params: dict[str, Any]) -> None:
    """botocore's request for ``params`` routes to ``operation`` and reads back ``params``."""
    request = botocore_request(served.model, operation, params)
    routed = served.protocol.operation_for(request)
    assert routed is not None, (request.method, request.path, request.query)
    if routed != operation:
        # only where botocore sends the very same request for the other operation
        twin = botocore_request(served.model, routed, params)
        assert (twin.method, twin.path, twin.query, twin.body) == (
            request.method,
            request.path,
            request.query,
            request.body,
        ), f"{operation} routed to {routed}"
        return
    got = served.protocol.read_params(operation, request)
    expected = expected_params(served.model, operation, params)
    length = _content_length_member(served, operation)
    if length is not None and request.header("content-length") is not None:
        expected[length] = int(str(request.header("content-length")))  # what was sent
    assert _comparable(got) == _comparable(expected), "request"


def _check_response(served: Served, operation: str, result: dict[str, Any]) -> None:
    """The response the protocol writes for ``result`` reads back in botocore as ``result``."""
    response = served.protocol.serialize_response(operation, result, "request-id")
    parsed = botocore_parse(served.model, operation, response)
    metadata = parsed.pop("ResponseMetadata", {})
    assert metadata.get("RequestId") == "request-id"
    expected = expected_result(
        served.model,
        operation,
        result,
        response.header("content-type"),
        len(response.body),
        response.status,
    )
    assert _comparable(parsed) == _comparable(expected), "response"


def _check_error(served: Served, operation: str, name: str, fields: dict[str, Any]) -> None:
    """The modeled error ``name`` reaches botocore with its code, status and members."""
    op = served.model.operation_model(operation)
    shape: Any = next(error for error in op.error_shapes if error.name == name)
    code = shape.error_code
    modeled = served.protocol.modeled_error(operation, code, "it went wrong")
    failure = ServiceError(modeled.code, modeled.message, modeled.status, fields=fields)
    response = served.protocol.serialize_error(failure, operation, "request-id")
    status = shape.metadata.get("error", {}).get("httpStatusCode")
    if status is not None:
        assert response.status == status
    parsed = botocore_parse(served.model, operation, response)
    if op.http.get("method") == "HEAD":
        assert response.body == b""  # HEAD: the status alone reaches the client
        assert parsed["Error"]["Code"] == str(response.status)
        return
    assert parsed["Error"]["Code"] == code
    assert served.model.shape_for_error_code(parsed["Error"]["Code"]).name == name
    assert parsed["Error"]["Message"] == "it went wrong"
    got = {k: v for k, v in parsed.items() if k in shape.members}
    expected = expected_result_of_error(served, shape, fields, "it went wrong")
    assert _comparable(got) == _comparable(expected), "error"


def expected_result_of_error(
    served: Served, shape: Any, fields: dict[str, Any], message: str
) -> Any:
    """The fields botocore reads back; the message also lands in the shape's message member
    (rest-json: any case of "message"; rest-xml: the element <Message>)."""
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        if member.serialization.get("location"):
            continue
        wire = member.serialization.get("name", name)
        json_message = served.model.protocol == "rest-json" and wire.lower() == "message"
        if json_message or (served.model.protocol == "rest-xml" and wire == "Message"):
            out[name] = message
    for name, value in fields.items():
        member = shape.members[name]
        location = member.serialization.get("location")
        if location == "header" and member.type_name == "list" and not value:
            continue
        out[name] = value
    for name, member in shape.members.items():
        if member.serialization.get("location") == "headers":
            out.setdefault(name, {})
    return out
