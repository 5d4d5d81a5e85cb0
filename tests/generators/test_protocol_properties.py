"""Property tests of the generated protocol layer, against botocore's EC2 serializer and parser.

* Any request the generated (strict) validator accepts, serialized by botocore's EC2
  serializer (as a POST body or a GET query string), parses back to the same params; the
  protocol's own losses aside: EC2 sends nothing for an empty list, map or structure (so a
  required list given empty is missing on the wire: ``MissingParameter``, as EC2 answers),
  and a timestamp comes back as an aware datetime. Params holding a character XML 1.0 cannot
  carry are refused with ``InvalidCharacter`` instead (by design: what is accepted must come
  back exactly in XML); valid params with ``DryRun=True`` get ``DryRunOperation`` (412).
* Any response valid for the output shape, serialized by the generated layer, is parsed by
  botocore into the same dict (characters XML cannot carry come back as U+FFFD).

Both run for the EC2 spec and for the synthetic ``widgets`` model of the validator tests (maps,
doubles, floats, longs, timestamps, blobs, unions), generated with the EC2 protocol.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from decimal import Decimal
from functools import cache
from typing import Any

import botocore.model
import pytest
from botocore.utils import parse_to_aware_datetime
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from codegen.bridge.exporter import export_service
from codegen.model import ServiceModel, Shape
from tests.support.protocol import ec2_model, parse, protocol_module, serialize
from tests.support.validators import Strategies, model_named

# 60 requests an operation (widgets' PutWidget draws about 40 for each one its validator
# accepts: 54 s at 150); APIGEN_HYPOTHESIS_EXAMPLES=500 for a longer run
SETTINGS = settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@cache
def botocore_service(name: str) -> botocore.model.ServiceModel:
    model = ec2_model(name)
    return botocore.model.ServiceModel(export_service(model), service_name=model.name)


CASES = [
    pytest.param(name, op.name, id=f"{name}-{op.name}")
    for name in ("ec2", "widgets")
    for op in model_named(name).operations.values()
]


def _shape(name: str, shape_name: str) -> Shape:
    return ec2_model(name).shapes[shape_name]


def sent(model: ServiceModel, shape: Shape, value: Any) -> Any:
    """What the parser gives back for ``value``: the value as EC2 sends it, or None when EC2
    sends nothing for it (an empty list, map or structure)."""
    kind = shape.type
    if kind == "structure":
        out = {}
        for key, item in value.items():
            member = shape.members[key]
            back = sent(model, model.shapes[member.shape], item)
            if back is not None:
                out[key] = back
        return out or None
    if kind == "list":
        assert shape.member is not None
        items = [sent(model, model.shapes[shape.member.shape], item) for item in value]
        return items or None
    if kind == "map":
        assert shape.key is not None and shape.value is not None
        return {
            sent(model, model.shapes[shape.key.shape], k): sent(
                model, model.shapes[shape.value.shape], v
            )
            for k, v in value.items()
        } or None
    if kind == "timestamp":
        return parse_to_aware_datetime(value).astimezone(timezone.utc)
    if kind in ("float", "double"):
        return float(value)
    if kind == "blob":
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return value


def has_illegal(value: Any) -> bool:
    if isinstance(value, str):
        return XML_ILLEGAL.search(value) is not None
    if isinstance(value, dict):
        return any(has_illegal(k) or has_illegal(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_illegal(v) for v in value)
    return False


def comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {comparable(k): comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(v) for v in value]
    if isinstance(value, datetime):
        return ("datetime", value.astimezone(timezone.utc).isoformat())
    if isinstance(value, Decimal):
        return float(value)
    return value


@cache
def _input_strategy(name: str, operation: str) -> st.SearchStrategy[Any]:
    model = ec2_model(name)
    shape_name = model.operations[operation].input
    assert shape_name is not None
    return Strategies(model, noise=False).structure(_shape(name, shape_name), 0)


@cache
def _output_strategy(name: str, operation: str) -> st.SearchStrategy[Any]:
    model = ec2_model(name)
    shape_name = model.operations[operation].output
    assert shape_name is not None
    return Strategies(model, noise=False).structure(_shape(name, shape_name), 0)


@pytest.mark.parametrize(("name", "operation"), CASES)
@SETTINGS
@given(data=st.data())
def test_accepted_requests_parse_back_to_the_same_params(
    name: str, operation: str, data: st.DataObject
) -> None:
    protocol = protocol_module(name)
    model = ec2_model(name)
    input_shape = model.operations[operation].input
    if input_shape is None:
        assert (
            protocol.parse_request(
                b"", f"Action={operation}&Version={model.metadata.api_version}".encode(), None
            ).params
            == {}
        )
        return
    params = data.draw(_input_strategy(name, operation), label="params")
    assume(not protocol.validators.validate(operation, params))
    body = serialize(botocore_service(name), operation, params)
    as_query = data.draw(st.booleans(), label="GET")
    query, form = (body, b"") if as_query else (b"", body)
    if has_illegal(params):
        event("refused: a character XML cannot carry")
        with pytest.raises(protocol.ProtocolError) as caught:
            protocol.parse_request(query, form, None)
        assert caught.value.code == "InvalidCharacter"
        return
    expected = sent(model, model.shapes[input_shape], params) or {}
    on_the_wire = protocol.validators.validate(operation, expected)
    if on_the_wire:
        # a required list given empty: EC2 sends nothing for it, so the request lacks it
        event("refused: a required list given empty")
        assert {issue.code for issue in on_the_wire} == {"missing_required"}
        with pytest.raises(protocol.ProtocolError) as caught:
            protocol.parse_request(query, form, None)
        assert caught.value.code == "MissingParameter"
        return
    if expected.get("DryRun") is True:
        # a valid request with DryRun: EC2 answers that it would have succeeded
        event("DryRunOperation")
        with pytest.raises(protocol.ProtocolError) as caught:
            protocol.parse_request(query, form, None)
        assert (caught.value.code, caught.value.status) == ("DryRunOperation", 412)
        assert caught.value.operation == operation
        return
    request = protocol.parse_request(query, form, None)
    event("parsed back")
    assert request.operation == operation
    assert comparable(request.params) == comparable(expected)


def returned(model: ServiceModel, shape: Shape, value: Any) -> Any:
    """What botocore parses from our XML for ``value``."""
    kind = shape.type
    if kind == "structure":
        return {
            k: returned(model, model.shapes[shape.members[k].shape], v)
            for k, v in value.items()
            if v is not None
        }
    if kind == "list":
        assert shape.member is not None
        return [returned(model, model.shapes[shape.member.shape], v) for v in value]
    if kind == "map":
        assert shape.key is not None and shape.value is not None
        return {
            returned(model, model.shapes[shape.key.shape], k): returned(
                model, model.shapes[shape.value.shape], v
            )
            for k, v in value.items()
        }
    if kind == "string":
        return XML_ILLEGAL.sub("\ufffd", value)
    return sent(model, shape, value)


@pytest.mark.parametrize(("name", "operation"), CASES)
@SETTINGS
@given(data=st.data())
def test_valid_responses_are_read_back_by_botocore(
    name: str, operation: str, data: st.DataObject
) -> None:
    protocol = protocol_module(name)
    model = ec2_model(name)
    output_shape = model.operations[operation].output
    assert output_shape is not None
    result = data.draw(_output_strategy(name, operation), label="result")
    assume(not protocol.validators.validate_output(operation, result))
    request_id = data.draw(st.text(min_size=1, max_size=8), label="request id")
    body = protocol.serialize_response(operation, result, request_id)
    parsed = parse(botocore_service(name), operation, body)
    assert parsed.pop("ResponseMetadata")["RequestId"] == XML_ILLEGAL.sub("\ufffd", request_id)
    assert comparable(parsed) == comparable(returned(model, model.shapes[output_shape], result))
