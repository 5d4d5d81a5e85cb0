"""botocore's own EC2 protocol test suite, run in reverse against the generated protocol layer.

botocore's source distribution ships ``tests/unit/protocols/input/ec2.json`` (params and the
request botocore sends for them) and ``output/ec2.json`` (response bodies and what botocore
parses from them). In reverse: for each input case, the generated parser turns the case's
request into the case's params; for each output case, the generated serializer writes a body
that botocore's parser reads back into the case's result. Each case has its own little model:
it is imported (codegen.bridge.importer), its validators and protocol layer are generated
into a temporary folder and loaded.

Every case passes or is skipped with its reason in ``SKIPPED`` (docs/generated-code.md quotes
the list).
"""

from __future__ import annotations

import copy
import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import botocore
import pytest
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import EC2QueryParser

from codegen.bridge.importer import import_model
from codegen.bridge.protocol_tests import load_ignore_list, load_suite
from codegen.generators.base import GenerationContext
from codegen.generators.protocol import ProtocolGenerator
from codegen.generators.validators import ValidatorsGenerator
from tests.support.helpers import parse_response, spec
from tests.support.protocol import SKIPPED, TRIMMED, load_package

pytestmark = pytest.mark.network
VERSION = botocore.__version__


def _cases(direction: str) -> list[Any]:
    out = []
    for suite in load_suite(VERSION, direction, "ec2"):
        for case in suite["cases"]:
            marks = []
            if case["id"] in SKIPPED:
                marks.append(pytest.mark.skip(reason=SKIPPED[case["id"]]))
            out.append(pytest.param(suite, case, id=case["id"], marks=marks))
    return out


def _description(suite: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy({k: v for k, v in suite.items() if k != "cases"})
    document.pop("description", None)
    metadata = document["metadata"]
    metadata.setdefault("endpointPrefix", "protocoltest")
    metadata.setdefault("serviceFullName", "Protocol test")
    metadata.setdefault("signatureVersion", "v4")
    given = copy.deepcopy(case["given"])
    document["operations"] = {given["name"]: given}
    document["version"] = "2.0"
    return document


_GENERATED: dict[str, Any] = {}


def _generate(document: dict[str, Any], folder: Path) -> Any:
    """The generated protocol module for a case's model (generated once per distinct model)."""
    key = json.dumps(document, sort_keys=True)
    if key not in _GENERATED:
        _GENERATED[key] = _generate_into(document, folder)
    return _GENERATED[key]


def _generate_into(document: dict[str, Any], folder: Path) -> Any:
    model = import_model(document, name="protocoltest")
    context = GenerationContext(model, spec())
    files = {
        **ValidatorsGenerator().generate(context),
        **ProtocolGenerator().generate(context),
    }
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return load_package(folder)


def _python(value: Any, shape: Any) -> Any:
    """A case's JSON value as the Python value botocore works with (timestamps as aware
    datetimes, blobs as bytes, NaN and infinities as floats)."""
    kind = shape.type_name
    if value is None:
        return None
    if kind == "structure":
        return {k: _python(v, shape.members[k]) for k, v in value.items()}
    if kind == "list":
        return [_python(v, shape.member) for v in value]
    if kind == "map":
        return {_python(k, shape.key): _python(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        return datetime.fromtimestamp(value, timezone.utc)
    if kind == "blob":
        return value.encode("utf-8") if isinstance(value, str) else value
    if kind in ("float", "double"):
        return float(value)
    return value


def _comparable(value: Any) -> Any:
    """NaN equal to NaN, datetimes as UTC instants."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value


@pytest.mark.parametrize(("suite", "case"), _cases("input"))
def test_input_case_parses_back_to_its_params(
    suite: dict[str, Any], case: dict[str, Any], tmp_path: Path
) -> None:
    document = _description(suite, case)
    protocol = _generate(document, tmp_path)
    service = ServiceModel(document)
    operation: OperationModel = service.operation_model(case["given"]["name"])
    serialized = case["serialized"]
    uri = serialized.get("uri", "/")
    query = uri.split("?", 1)[1].encode() if "?" in uri else b""
    content_type = serialized.get("headers", {}).get("Content-Type")
    request = protocol.parse_request(query, serialized["body"].encode("utf-8"), content_type)
    assert request.operation == operation.name
    expected = _python(case["params"], operation.input_shape) if operation.input_shape else {}
    assert _comparable(request.params) == _comparable(expected)


@pytest.mark.parametrize(("suite", "case"), _cases("output"))
def test_output_case_serializes_to_what_botocore_reads_back(
    suite: dict[str, Any], case: dict[str, Any], tmp_path: Path
) -> None:
    document = _description(suite, case)
    protocol = _generate(document, tmp_path)
    service = ServiceModel(document)
    operation: OperationModel = service.operation_model(case["given"]["name"])
    parser = EC2QueryParser()
    if "error" in case:
        code, message = case.get("errorCode", ""), case.get("errorMessage", "")
        body = protocol.serialize_error(code, message, "request-id")
        response = {"body": body, "headers": {}, "status_code": 400}
        parsed = parse_response(parser, response, operation.output_shape)
        error_shape = service.shape_for_error_code(code)
        if error_shape is not None:
            parsed.update(parser.parse(response, error_shape))
        expected = {"Error": {"Code": code, "Message": message}, **case["error"]}
    else:
        result = dict(case.get("result") or {})
        if case["id"] in TRIMMED:
            result.pop(TRIMMED[case["id"]][0])
        shape = operation.output_shape
        python_result = _python(result, shape) if shape is not None else {}
        body = protocol.serialize_response(operation.name, python_result, "request-id")
        response = {"body": body, "headers": {}, "status_code": 200}
        parsed = parse_response(parser, response, shape)
        expected = python_result
    assert parsed.pop("ResponseMetadata")["RequestId"] == "request-id"
    if case["id"] in TRIMMED:
        parsed.pop(TRIMMED[case["id"]][0], None)  # botocore reads the other list's items into it
    assert _comparable(parsed) == _comparable(expected)


def test_skip_list_names_only_real_cases() -> None:
    ids = {
        case["id"]
        for direction in ("input", "output")
        for suite in load_suite(VERSION, direction, "ec2")
        for case in suite["cases"]
    }
    assert set(SKIPPED) | set(TRIMMED) <= ids


def test_botocore_skips_what_we_say_it_skips() -> None:
    ignored = load_ignore_list(VERSION)
    general = ignored.get("general", {})
    ec2 = ignored.get("protocols", {}).get("ec2", {})
    botocore_skips = set()
    for direction in ("input", "output"):
        suites = set(general.get(direction, {}).get("suites", []))
        botocore_skips |= set(ec2.get(direction, {}).get("cases", []))
        botocore_skips |= set(general.get(direction, {}).get("cases", []))
        for suite in load_suite(VERSION, direction, "ec2"):
            if suite["description"] in suites:
                botocore_skips |= {case["id"] for case in suite["cases"]}
    claims = {case for case, reason in SKIPPED.items() if "botocore skips" in reason}
    claims |= {case for case, (_, reason) in TRIMMED.items() if "botocore skips" in reason}
    assert claims <= botocore_skips
