"""botocore's own protocol test suites, run in reverse against the served packages' protocols.

botocore's source distribution ships ``tests/unit/protocols/input/<suite>.json`` (params and
the request botocore sends for them) and ``output/<suite>.json`` (response bodies and what
botocore parses from them), for each protocol. In reverse: for each input case, the protocol
turns the case's request (method, path and query, headers, body) into the case's params; for
each output case, the protocol writes a response (or an error) that botocore's own parser
reads back into the case's result (or error code, message and members). Each case has its own
little model: it is imported (codegen.bridge.importer), its validators and served package are
generated into a temporary folder and loaded.

The suites of the RPC protocols run here: ``query``, ``ec2``, ``json`` (1.1), ``json_1_0``,
``json_1_0-query-compatible`` and the three ``smithy-rpc-v2-cbor`` ones. Every case passes or
is skipped with its reason in ``SKIPPED`` (``tests/support/protocol.py``; the stub-server page,
docs/stub-server.md, quotes the list).
"""

from __future__ import annotations

import base64
import copy
import json
import math
from datetime import datetime, timezone
from typing import Any

import botocore
import pytest
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser

from codegen.bridge.importer import import_model
from codegen.bridge.protocol_tests import load_ignore_list, load_suite
from codegen.generators.base import GenerationContext
from codegen.generators.protocol import ProtocolGenerator
from codegen.generators.validators import ValidatorsGenerator
from tests.support.helpers import parse_response, spec
from tests.support.imports import scratch, write_files
from tests.support.protocol import SKIPPED, SUITES, TRIMMED, load_module

pytestmark = pytest.mark.network
VERSION = botocore.__version__


def _cases(direction: str) -> list[Any]:
    out = []
    for suite_name in SUITES:
        for suite in load_suite(VERSION, direction, suite_name):
            for case in suite["cases"]:
                marks = []
                if case["id"] in SKIPPED:
                    marks.append(pytest.mark.skip(reason=SKIPPED[case["id"]]))
                out.append(pytest.param(suite, case, id=f"{suite_name}:{case['id']}", marks=marks))
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


def _protocol(document: dict[str, Any]) -> Any:
    """The served package's protocol module for a case's model (generated once per model)."""
    key = json.dumps(document, sort_keys=True)
    if key not in _GENERATED:
        model = import_model(document, name="protocoltest")
        context = GenerationContext(model, spec())
        folder = scratch("suite")
        write_files(
            folder,
            {
                **ValidatorsGenerator().generate(context),
                **ProtocolGenerator().generate(context),
            },
        )
        _GENERATED[key] = load_module(folder)
    return _GENERATED[key]


def _python(value: Any, shape: Any) -> Any:
    """A case's JSON value as the Python value botocore works with (timestamps as aware
    datetimes, blobs as bytes, NaN and infinities as floats)."""
    if value is None or shape is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        if shape.is_document_type:
            return value
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
        return ("not a number",)  # equal to NaN, and to nothing else (not the string "NaN")
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value


def _body(protocol: str, text: str) -> bytes:
    if protocol == "smithy-rpc-v2-cbor":
        return base64.b64decode(text)
    return text.encode("utf-8")


@pytest.mark.parametrize(("suite", "case"), _cases("input"))
def test_input_case_parses_back_to_its_params(suite: dict[str, Any], case: dict[str, Any]) -> None:
    document = _description(suite, case)
    package = _protocol(document)
    service = ServiceModel(document)
    operation: OperationModel = service.operation_model(case["given"]["name"])
    serialized = case["serialized"]
    path, _, query = serialized.get("uri", "/").partition("?")
    headers = {k.lower(): v for k, v in serialized.get("headers", {}).items()}
    request = package.HttpRequest(
        serialized.get("method", "POST"),
        path,
        query,
        headers,
        _body(service.protocol, serialized.get("body", "")),
    )
    protocol = package.protocol_for(request)
    assert protocol.name == service.protocol
    parsed = protocol.parse_request(request)
    assert parsed.operation == operation.name
    expected = _python(case["params"], operation.input_shape) if operation.input_shape else {}
    if case["id"] in TRIMMED:
        expected.pop(TRIMMED[case["id"]][0], None)
        parsed.params.pop(TRIMMED[case["id"]][0], None)
    assert _comparable(parsed.params) == _comparable(expected)


@pytest.mark.parametrize(("suite", "case"), _cases("output"))
def test_output_case_serializes_to_what_botocore_reads_back(
    suite: dict[str, Any], case: dict[str, Any]
) -> None:
    document = _description(suite, case)
    package = _protocol(document)
    service = ServiceModel(document)
    operation: OperationModel = service.operation_model(case["given"]["name"])
    protocol = package.PROTOCOL
    parser = create_parser(service.protocol)
    if "error" in case:
        code, message = case.get("errorCode", ""), case.get("errorMessage", "")
        error_shape = service.shape_for_error_code(code)
        fields = _python(case["error"], error_shape)
        status = case.get("response", {}).get("status_code", 400)
        error = package.ServiceError(code, message, status, fields=fields)
        response = protocol.serialize_error(error, operation.name, "request-id")
        http = _botocore_response(response)
        parsed = parse_response(parser, http, operation.output_shape)
        if error_shape is not None:
            parsed.update(parse_response(parser, http, error_shape))
        expected = {"Error": {"Code": code, "Message": message}, **fields}
        parsed["Error"] = {k: v for k, v in parsed["Error"].items() if k in ("Code", "Message")}
    else:
        result = dict(case.get("result") or {})
        if case["id"] in TRIMMED:
            result.pop(TRIMMED[case["id"]][0])
        shape = operation.output_shape
        python_result = _python(result, shape) if shape is not None else {}
        response = protocol.serialize_response(operation.name, python_result, "request-id")
        parsed = parse_response(parser, _botocore_response(response), shape)
        expected = python_result
    metadata = parsed.pop("ResponseMetadata", {})
    if service.protocol != "smithy-rpc-v2-cbor" or operation.output_shape is not None:
        # (botocore's CBOR parser reads the request id only of an operation with an output)
        assert metadata.get("RequestId") == "request-id"
    if case["id"] in TRIMMED:
        parsed.pop(TRIMMED[case["id"]][0], None)  # botocore reads the other list's items into it
    assert _comparable(parsed) == _comparable(expected)


def _botocore_response(response: Any) -> dict[str, Any]:
    """What botocore's parser is given: the status, the headers (and the request id the app
    adds to every response), the body."""
    headers = {k.lower(): v for k, v in response.headers}
    headers["x-amzn-requestid"] = "request-id"
    return {"status_code": response.status, "headers": headers, "body": response.body}


def test_skip_list_names_only_real_cases() -> None:
    ids = {
        case["id"]
        for suite_name in SUITES
        for direction in ("input", "output")
        for suite in load_suite(VERSION, direction, suite_name)
        for case in suite["cases"]
    }
    assert set(SKIPPED) | set(TRIMMED) <= ids


def test_botocore_skips_what_we_say_it_skips() -> None:
    ignored = load_ignore_list(VERSION)
    general = ignored.get("general", {})
    botocore_skips = set()
    for suite_name in SUITES:
        own = ignored.get("protocols", {}).get(suite_name, {})
        for direction in ("input", "output"):
            suites = set(general.get(direction, {}).get("suites", []))
            botocore_skips |= set(own.get(direction, {}).get("cases", []))
            botocore_skips |= set(general.get(direction, {}).get("cases", []))
            for suite in load_suite(VERSION, direction, suite_name):
                if suite["description"] in suites:
                    botocore_skips |= {case["id"] for case in suite["cases"]}
    claims = {case for case, reason in SKIPPED.items() if "botocore skips" in reason}
    claims |= {case for case, (_, reason) in TRIMMED.items() if "botocore skips" in reason}
    assert claims <= botocore_skips


def test_the_docs_quote_the_skip_list() -> None:
    from tests.support.paths import ROOT

    page = (ROOT / "docs" / "stub-server.md").read_text(encoding="utf-8")
    for case in [*SKIPPED, *TRIMMED]:
        assert f"`{case}`" in page, case
