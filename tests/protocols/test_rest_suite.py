"""botocore's rest-json and rest-xml protocol test suites, run in reverse against the REST
protocols (:mod:`codegen.protocols.restjson`, :mod:`codegen.protocols.restxml`).

botocore's source distribution ships ``tests/unit/protocols/{input,output}/<protocol>.json``:
params and the HTTP request botocore sends for them; HTTP responses and what botocore parses
from them. In reverse: each input case's request (method, path, query, headers, body), parsed
and validated by our protocol, gives the case's params; each output case's result (or error),
serialized by our protocol, is read back by botocore's own parser into the case's result (or
error code and fields). Each case has its own little model: imported, its strict validators
generated, its protocol tables built.

Every case passes or is skipped with its reason in ``SKIPPED`` (docs: the stub-server page).
"""

from __future__ import annotations

import copy
import json
import math
from datetime import datetime, timezone
from typing import Any

import botocore
import pytest

from codegen.bridge.protocol_tests import load_ignore_list, load_suite
from codegen.protocols import HttpRequest, ServiceError
from tests.support.rest import Served, botocore_parse, served
from tests.support.rest_skips import SKIPPED

pytestmark = pytest.mark.network
VERSION = botocore.__version__
PROTOCOLS = ("rest-json", "rest-xml")


def _cases(direction: str) -> list[Any]:
    out = []
    for protocol in PROTOCOLS:
        for index, suite in enumerate(load_suite(VERSION, direction, protocol)):
            for case in suite["cases"]:
                marks = []
                if case["id"] in SKIPPED.get((protocol, direction), {}):
                    marks.append(
                        pytest.mark.skip(reason=SKIPPED[(protocol, direction)][case["id"]])
                    )
                out.append(
                    pytest.param(
                        protocol, suite, case, id=f"{protocol}-{index}-{case['id']}", marks=marks
                    )
                )
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


_SERVED: dict[str, Served] = {}


def _served(document: dict[str, Any]) -> Served:
    key = json.dumps(document, sort_keys=True)
    if key not in _SERVED:
        _SERVED[key] = served(document, "protocoltest")
    return _SERVED[key]


def _python(value: Any, shape: Any) -> Any:
    """A case's JSON value as the Python value botocore works with."""
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
        return {k: _python(v, shape.value) for k, v in value.items()}
    if kind == "timestamp":
        return datetime.fromtimestamp(value, timezone.utc) if not isinstance(value, str) else value
    if kind == "blob":
        return value.encode("utf-8") if isinstance(value, str) else value
    if kind in ("float", "double"):
        return float(value)
    return value


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    return value


def _request(serialized: dict[str, Any]) -> HttpRequest:
    uri = serialized.get("uri", "/")
    path, _, query = uri.partition("?")
    headers = {k.lower(): v for k, v in serialized.get("headers", {}).items()}
    headers.setdefault("host", serialized.get("host", "localhost"))
    body = serialized.get("body", "")
    return HttpRequest(serialized["method"], path, query, headers, body.encode("utf-8"))


@pytest.mark.parametrize(("protocol", "suite", "case"), _cases("input"))
def test_input_case_parses_back_to_its_params(
    protocol: str, suite: dict[str, Any], case: dict[str, Any]
) -> None:
    served_ = _served(_description(suite, case))
    operation = served_.model.operation_model(case["given"]["name"])
    request = _request(case["serialized"])
    parsed = served_.protocol.parse_request(request)
    assert parsed.operation == operation.name
    expected = _python(case["params"], operation.input_shape) if operation.input_shape else {}
    expected = {k: v for k, v in expected.items() if v is not None}
    assert _comparable(parsed.params) == _comparable(expected)


@pytest.mark.parametrize(("protocol", "suite", "case"), _cases("output"))
def test_output_case_serializes_to_what_botocore_reads_back(
    protocol: str, suite: dict[str, Any], case: dict[str, Any]
) -> None:
    served_ = _served(_description(suite, case))
    name = case["given"]["name"]
    operation = served_.model.operation_model(name)
    status = case["response"].get("status_code", 200)
    if "error" in case:
        code = case.get("errorCode", "")
        shape = served_.model.shape_for_error_code(code)
        fields = _python(case["error"], shape) if shape is not None else {}
        message = case.get("errorMessage", "")
        error = ServiceError(code, message, status, fields=fields)
        response = served_.protocol.serialize_error(error, name, "request-id")
        parsed = botocore_parse(served_.model, name, response)
        assert parsed["Error"]["Code"] == code
        if message:
            assert parsed["Error"]["Message"] == message
        parsed.pop("Error")
        parsed.pop("ResponseMetadata", None)
        assert _comparable(parsed) == _comparable(fields)
        return
    result = _python(case.get("result") or {}, operation.output_shape)
    response = served_.protocol.serialize_response(name, result, "request-id")
    parsed = botocore_parse(served_.model, name, response)
    metadata = parsed.pop("ResponseMetadata")
    assert metadata["RequestId"] == "request-id"
    assert _comparable(parsed) == _comparable(result)


def test_skip_lists_name_only_real_cases() -> None:
    for (protocol, direction), skipped in SKIPPED.items():
        ids = {c["id"] for s in load_suite(VERSION, direction, protocol) for c in s["cases"]}
        assert set(skipped) <= ids, (protocol, direction)


def test_botocore_skips_what_we_say_it_skips() -> None:
    ignored = load_ignore_list(VERSION)
    general = ignored.get("general", {})
    for (protocol, direction), skipped in SKIPPED.items():
        theirs = set(
            ignored.get("protocols", {}).get(protocol, {}).get(direction, {}).get("cases", [])
        )
        theirs |= set(general.get(direction, {}).get("cases", []))
        suites = set(general.get(direction, {}).get("suites", []))
        for suite in load_suite(VERSION, direction, protocol):
            if suite["description"] in suites:
                theirs |= {case["id"] for case in suite["cases"]}
        claims = {case for case, reason in skipped.items() if "botocore skips" in reason}
        assert claims <= theirs, (protocol, direction, claims - theirs)


def test_the_docs_quote_the_skip_list() -> None:
    from tests.support.paths import ROOT

    page = (ROOT / "docs" / "stub-server.md").read_text(encoding="utf-8")
    for skipped in SKIPPED.values():
        for case in skipped:
            assert f"`{case}`" in page, case
