"""Helpers for the REST protocol tests: a service's protocol built from a botocore model (with
its strict generated validators), and botocore's own serializer and parser as the reference:
the HTTP request botocore sends for params (serialized, then prepared as its HTTP layer
prepares it: URL, query string, headers, body), and what botocore parses from an HTTP response
(its streaming bodies and event streams included, modeled error fields merged as its endpoint
merges them)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, cast
from urllib.parse import urlsplit

import boto3.session  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import botocore.model
import botocore.parsers
import botocore.serialize
import botocore.session
import urllib3
from botocore.awsrequest import (
    AWSResponse,
    HeadersDict,
    create_request_object,
    prepare_request_dict,
)
from botocore.compat import HTTPHeaders
from botocore.response import StreamingBody

from codegen.bridge.importer import import_model
from codegen.generators.base import GenerationContext
from codegen.generators.protocol_tables import service_tables
from codegen.generators.validators import ValidatorsGenerator
from codegen.protocols import (
    HttpRequest,
    HttpResponse,
    Protocol,
    Request,
    ServiceError,
    create_protocol,
)
from tests.support.helpers import spec
from tests.support.imports import fresh_name, generate_into, import_generated, scratch

_LOADER = botocore.session.get_session().get_component("data_loader")


@dataclass
class Served:
    """One service as the stub server would speak it, and botocore's model of it."""

    protocol: Protocol
    model: botocore.model.ServiceModel
    validators: ModuleType


def served(document: Mapping[str, Any], name: str, protocol: str | None = None) -> Served:
    """The protocol of a botocore-format model document (validators generated from it)."""
    model = import_model(dict(document), name=name)
    folder = scratch(name)
    generate_into(folder, GenerationContext(model, spec()), ValidatorsGenerator())
    validators = import_generated(fresh_name(f"{name}_validators"), folder, "validators")

    def validate(operation: str, params: Mapping[str, Any]) -> Any:
        return validators.validate(operation, params, strict=True)

    tables = service_tables(model)
    chosen = protocol or tables.protocol
    return Served(
        create_protocol(chosen, tables, validate),
        botocore.model.ServiceModel(dict(document), service_name=name),
        validators,
    )


@cache
def botocore_document(service: str) -> dict[str, Any]:
    """The installed botocore's model of ``service``."""
    document: dict[str, Any] = _LOADER.load_service_model(service, "service-2")
    return document


@cache
def served_service(service: str) -> Served:
    """A whole botocore service, served (cached for the session)."""
    return served(botocore_document(service), service)


def botocore_request(
    model: botocore.model.ServiceModel,
    operation: str,
    params: Mapping[str, Any],
    endpoint: str = "http://localhost:4566",
) -> HttpRequest:
    """The HTTP request botocore sends for ``params`` (no signature)."""
    op = model.operation_model(operation)
    serializer = botocore.serialize.create_serializer(model.protocol, include_validation=False)
    request = serializer.serialize_to_request(dict(params), op)
    prepare_request_dict(request, endpoint_url=endpoint)
    prepared = create_request_object(request).prepare()
    url = urlsplit(prepared.url)
    headers = {k.lower(): _text(v) for k, v in prepared.headers.items()}
    headers["host"] = url.netloc
    body = prepared.body
    if body is None:
        data = b""
    elif isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    elif isinstance(body, str):
        data = body.encode("utf-8")
    else:
        data = body.read()
    return HttpRequest(prepared.method, url.path or "/", url.query, headers, data)


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


class _Raw:
    """What botocore reads a streaming body or an event stream from (urllib3's response)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, amt: int | None = None) -> bytes:
        return self._data.read() if amt is None else self._data.read(amt)

    def stream(self, amt: int = 1024) -> Any:
        while chunk := self._data.read(amt):
            yield chunk

    def close(self) -> None:
        pass


def botocore_parse(
    model: botocore.model.ServiceModel,
    operation: str,
    response: HttpResponse,
    request_id: str = "request-id",
) -> dict[str, Any]:
    """What botocore makes of ``response`` to ``operation`` as the server sends it (with its
    ``x-amzn-RequestId`` and ``Content-Length``): the result (streaming bodies read, event
    streams iterated into lists) or, for a status of 300 and above, the error with the modeled
    error's fields."""
    op = model.operation_model(operation)
    headers = HeadersDict()
    for name, value in response.headers:
        headers[name] = value
    if "content-length" not in headers:  # what the HTTP server adds
        headers["Content-Length"] = str(len(response.body))
    headers["x-amzn-RequestId"] = request_id  # what the server adds
    body: Any = response.body
    if response.status < 300:
        if op.has_event_stream_output:
            body = _Raw(response.body)
        elif op.has_streaming_output:
            body = StreamingBody(cast(Any, _Raw(response.body)), len(response.body))
    parser = botocore.parsers.create_parser(model.protocol)
    raw = {
        "status_code": response.status,
        "headers": headers,
        "body": body,
        "context": {"operation_name": operation},
    }
    parsed: dict[str, Any] = parser.parse(raw, cast(Any, op.output_shape))
    if response.status >= 300:
        code = parsed.get("Error", {}).get("Code")
        shape = model.shape_for_error_code(code) if code else None
        if shape is not None:
            raw["body"] = response.body
            parsed.update(parser.parse(raw, shape))
        return parsed
    for name, value in list(parsed.items()):
        if isinstance(value, StreamingBody):
            parsed[name] = value.read()
        elif type(value).__name__ == "EventStream":
            parsed[name] = list(value)
    return parsed


# -- a boto3 client wired to a protocol in-process ------------------------------------------


Answer = Callable[[Request], Mapping[str, Any]]


class InProcess:
    """A real boto3 client whose HTTP requests are answered by ``protocol`` in this process
    (botocore's ``before-send`` hook: everything else of boto3 runs, its handlers, checksums,
    aws-chunked bodies, addressing and parsing included). ``answer`` gives the result of each
    parsed request (or raises :class:`ServiceError`); ``requests`` and ``parsed`` record what
    arrived. ``tamper`` may change a request before the protocol reads it."""

    def __init__(
        self,
        service: str,
        protocol: Protocol,
        answer: Answer,
        *,
        endpoint: str = "http://localhost:4566",
        config: Mapping[str, Any] | None = None,
        tamper: Callable[[HttpRequest], HttpRequest] | None = None,
    ) -> None:
        self.protocol = protocol
        self.answer = answer
        self.tamper = tamper
        self.requests: list[HttpRequest] = []
        self.parsed: list[Request] = []
        self.responses: list[HttpResponse] = []
        options = {"retries": {"max_attempts": 1}, **(config or {})}
        self.client: Any = boto3.session.Session().client(
            service,
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=botocore.config.Config(**options),
        )
        self.client.meta.events.register("before-send", self._send)

    def _send(self, request: Any, **_: Any) -> AWSResponse:
        url = urlsplit(request.url)
        body = request.body
        if body is None:
            data = b""
        elif isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        elif isinstance(body, str):
            data = body.encode("utf-8")
        else:
            data = body.read()
        headers = {k.lower(): _text(v) for k, v in request.headers.items()}
        headers["host"] = url.netloc
        http = HttpRequest(request.method, url.path or "/", url.query, headers, data)
        if self.tamper is not None:
            http = self.tamper(http)
        self.requests.append(http)
        operation: str | None = None
        try:
            parsed = self.protocol.parse_request(http)
            operation = parsed.operation
            self.parsed.append(parsed)
            response = self.protocol.serialize_response(
                operation, self.answer(parsed), "request-1"
            )
        except ServiceError as error:
            operation = operation or getattr(error, "operation", None)
            response = self.protocol.error_response(error, operation, "request-1")
        self.responses.append(response)
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(response.body), preload_content=False, status=response.status
        )
        answered = HTTPHeaders()
        for name, value in response.headers:
            answered[name] = value
        if response.header("content-length") is None:  # what the HTTP server adds
            answered["Content-Length"] = str(len(response.body))
        answered["x-amzn-RequestId"] = "request-1"  # what the server adds
        return AWSResponse(request.url, response.status, answered, raw)


def nothing(request: Request) -> Mapping[str, Any]:
    return {}
