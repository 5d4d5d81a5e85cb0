"""Round trips through whole services of the installed botocore, in every protocol they speak,
against botocore's own serializers and parsers.

For each service (query: sns, sts, iam; ec2; json 1.0/1.1: sqs, dynamodb, kinesis, logs,
secretsmanager; smithy-rpc-v2-cbor and json: acm-pca, arc-region-switch; cloudwatch in CBOR,
JSON and query) its served package is generated from botocore's model and, per operation:

* requests: params drawn valid from botocore's model (``tests.support.round_trip.Values``),
  serialized by botocore's serializer of the protocol, parse back to the same params (less what
  the protocol cannot carry);
* responses: results drawn valid, serialized by the protocol, read back by botocore's parser
  into the same values;
* errors: each modeled error, written by the protocol, is read by botocore into the code that
  makes a client raise that error's class, with the error's members; a request lacking a
  required member gets the protocol's validation error, which botocore reads;
* examples: every operation's example result is valid for its output shape and botocore reads
  it back (event streams included).

Hypothesis runs derandomized with ``APIGEN_FUZZ_EXAMPLES`` examples (8 by default) on a fixed
sample of each service's operations (a few evenly spaced, and one for each kind of value the
service holds that those miss: unions, documents, timestamps, blobs, maps, floats, longs,
booleans); ``APIGEN_SLOW_TESTS=1`` takes every operation.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ParamValidationError
from botocore.model import OperationModel
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.support.round_trip import (
    DROPPED,
    EXAMPLES,
    SLOW,
    Unrepresentable,
    botocore_parse,
    botocore_request,
    botocore_service,
    comparable,
    on_the_wire,
    served,
    validators,
    values,
)

pytestmark = pytest.mark.network

# service -> the protocols it speaks (all of them are tested)
SERVICES = {
    "sns": ("query",),
    "sts": ("query",),
    "iam": ("query",),
    "ec2": ("ec2",),
    "sqs": ("json",),
    "dynamodb": ("json",),
    "kinesis": ("json",),
    "logs": ("json",),
    "secretsmanager": ("json",),
    "acm-pca": ("smithy-rpc-v2-cbor", "json"),
    "arc-region-switch": ("smithy-rpc-v2-cbor", "json"),
    "cloudwatch": ("smithy-rpc-v2-cbor", "json", "query"),
}
SAMPLE = 3  # evenly spaced operations per service without APIGEN_SLOW_TESTS (and see below)

SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


FEATURES = ("union", "document", "timestamp", "blob", "map", "double", "long", "boolean")


def _features(shape: Any, seen: set[str]) -> set[str]:
    """The shape features a shape reaches (union, document, timestamp, blob, map, ...)."""
    if shape is None or shape.name in seen:
        return set()
    seen.add(shape.name)
    found = {shape.type_name} & set(FEATURES)
    if shape.type_name == "structure":
        if shape.is_tagged_union:
            found.add("union")
        if shape.is_document_type:
            found.add("document")
        for member in shape.members.values():
            found |= _features(member, seen)
    elif shape.type_name == "list":
        found |= _features(shape.member, seen)
    elif shape.type_name == "map":
        found |= _features(shape.key, seen) | _features(shape.value, seen)
    return found


def _operations(service: str) -> list[str]:
    """Every operation with ``APIGEN_SLOW_TESTS=1``; else a fixed sample: evenly spaced ones,
    and the first that reaches each shape feature the service has (a union, a document, a
    timestamp, ...), so that the sample meets every kind of value the service holds."""
    model = botocore_service(service)
    names = sorted(model.operation_names)
    if SLOW or len(names) <= SAMPLE:
        return names
    step = len(names) / SAMPLE
    chosen = [names[int(i * step)] for i in range(SAMPLE)]
    covered: set[str] = set()
    for name in chosen:
        op = model.operation_model(name)
        covered |= _features(op.input_shape, set()) | _features(op.output_shape, set())
    for name in names:
        op = model.operation_model(name)
        features = _features(op.input_shape, set()) | _features(op.output_shape, set())
        if features - covered:
            chosen.append(name)
            covered |= features
    return sorted(chosen)


CASES = [
    pytest.param(service, protocol, operation, id=f"{service}-{protocol}-{operation}")
    for service, protocols in SERVICES.items()
    for protocol in protocols
    for operation in _operations(service)
]
ALL = [
    pytest.param(service, protocol, id=f"{service}-{protocol}")
    for service, protocols in SERVICES.items()
    for protocol in protocols
]


def _event_stream(operation: OperationModel) -> str | None:
    shape = operation.output_shape
    return shape.event_stream_name if shape is not None else None


@pytest.mark.parametrize(("service", "protocol", "operation"), CASES)
@SETTINGS
@given(data=st.data())
def test_requests_parse_back(service: str, protocol: str, operation: str, data: Any) -> None:
    package = served(service)
    model = botocore_service(service).operation_model(operation)
    shape = model.input_shape
    params = data.draw(values(service, protocol, request=True).structure(shape)) if shape else {}
    assume(not validators(package).validate(operation, params))
    try:
        expected = on_the_wire(shape, params, protocol, request=True) if shape else {}
        request = botocore_request(package, protocol, model, params)
    except (Unrepresentable, ParamValidationError):  # (a host label botocore refuses)
        assume(False)
    expected = {} if expected is DROPPED else expected
    speaker = package.protocol_for(request)
    assert speaker.name == protocol
    lost = validators(package).validate(operation, expected)
    if lost:
        # a required list or map given empty: the protocol sends nothing for it
        assert {issue.code for issue in lost} == {"missing_required"}, lost
        with pytest.raises(package.ProtocolError) as caught:
            speaker.parse_request(request)
        assert caught.value.code in ("MissingParameter", "ValidationError")
        event("refused: a required member given empty")
        return
    if protocol == "ec2" and expected.get("DryRun") is True:
        with pytest.raises(package.ProtocolError) as caught:
            speaker.parse_request(request)
        assert caught.value.code == "DryRunOperation"
        return
    parsed = speaker.parse_request(request)
    event("parsed back")
    assert parsed.operation == operation
    assert comparable(parsed.params) == comparable(expected)


@pytest.mark.parametrize(("service", "protocol", "operation"), CASES)
@SETTINGS
@given(data=st.data())
def test_results_read_back(service: str, protocol: str, operation: str, data: Any) -> None:
    package = served(service)
    model = botocore_service(service).operation_model(operation)
    shape = model.output_shape
    if _event_stream(model):
        return  # an event stream: its example's round trip is below
    result = data.draw(values(service, protocol, request=False).structure(shape)) if shape else {}
    assume(not validators(package).validate_output(operation, result))
    try:
        expected = on_the_wire(shape, result, protocol, request=False) if shape else {}
    except Unrepresentable:
        assume(False)
    response = package.PROTOCOLS[protocol].serialize_response(operation, result, "request-id")
    assert response.status == 200
    parsed = botocore_parse(protocol, response, shape)
    metadata = parsed.pop("ResponseMetadata", {})
    if shape is not None or protocol != "smithy-rpc-v2-cbor":
        assert metadata.get("RequestId") == "request-id"
    event("read back")
    assert comparable(parsed) == comparable({} if expected is DROPPED else expected)


@pytest.mark.parametrize(("service", "protocol", "operation"), CASES)
def test_errors_reach_clients_as_their_codes(service: str, protocol: str, operation: str) -> None:
    package = served(service)
    botocore_model = botocore_service(service)
    model = botocore_model.operation_model(operation)
    speaker = package.PROTOCOLS[protocol]
    for error_shape in model.error_shapes:
        code = speaker.error_code(error_shape.name)
        status = error_shape.metadata.get("error", {}).get("httpStatusCode", 400)
        fields = package.ERROR_EXAMPLES.get(error_shape.name, {})
        error = package.ServiceError(code, "it went wrong", status, fields=fields)
        response = speaker.serialize_error(error, operation, "request-id")
        assert response.status == status
        parsed = botocore_parse(protocol, response, model.output_shape)
        found = parsed["Error"]["Code"]
        # the code botocore's client looks the error's class up by
        raised = botocore_model.shape_for_error_code(found)
        assert raised is not None and raised.name == error_shape.name, (found, error_shape)
        assert parsed["Error"]["Message"] == "it went wrong"
        members = botocore_parse(protocol, response, error_shape)
        expected = on_the_wire(error_shape, fields, protocol, request=False)
        expected = {} if expected is DROPPED else expected
        assert comparable({k: v for k, v in members.items() if k in expected}) == comparable(
            expected
        )
    shape = model.input_shape
    if shape is not None and shape.required_members:
        # a request without its required members: the protocol's validation error
        request = botocore_request(package, protocol, model, {})
        with pytest.raises(package.ProtocolError) as caught:
            package.protocol_for(request).parse_request(request)
        response = speaker.serialize_error(caught.value, operation, "request-id")
        assert 400 <= response.status < 500
        parsed = botocore_parse(protocol, response, model.output_shape)
        expected_codes = {
            "ec2": {"MissingParameter"},
            "query": {"ValidationError"},
        }.get(protocol, {"ValidationException"})
        if botocore_model.metadata.get("awsQueryCompatible") is not None:
            expected_codes = {"ValidationError", "ValidationException"}  # (its query code)
        for error_shape in model.error_shapes:  # the operation's own validation error
            code = error_shape.metadata.get("error", {}).get("code", error_shape.name)
            if protocol != "ec2" and {code, error_shape.name} & {
                "ValidationException",
                "ValidationError",
            }:
                expected_codes = {code}
        assert parsed["Error"]["Code"] in expected_codes, parsed["Error"]
        if protocol != "ec2":
            count = len(shape.required_members)
            noun = "error" if count == 1 else "errors"
            assert parsed["Error"]["Message"].startswith(
                f"{count} validation {noun} detected: Value null at '"
            ), parsed["Error"]


@pytest.mark.parametrize(("service", "protocol"), ALL)
def test_every_example_is_valid_and_read_back(service: str, protocol: str) -> None:
    package = served(service)
    botocore_model = botocore_service(service)
    check = validators(package)
    speaker = package.PROTOCOLS[protocol]
    for operation in botocore_model.operation_names:
        model = botocore_model.operation_model(operation)
        example = package.example_response(operation)
        assert check.validate_output(operation, example) == [], operation
        response = speaker.serialize_response(operation, example, "request-id")
        shape: Any = model.output_shape
        parsed = botocore_parse(protocol, response, shape)
        parsed.pop("ResponseMetadata", None)
        stream = _event_stream(model)
        if stream is not None:
            events = [dict(e) for e in parsed.pop(stream)]
            assert comparable(events) == comparable(
                [
                    {
                        name: on_the_wire(
                            shape.members[stream].members[name], value, protocol, request=False
                        )
                        for name, value in item.items()
                    }
                    for item in example[stream]
                ]
            ), operation
            example = {k: v for k, v in example.items() if k != stream}
        expected = on_the_wire(shape, example, protocol, request=False) if shape else {}
        assert comparable(parsed) == comparable({} if expected is DROPPED else expected), operation
