"""Requests as botocore sends them, for the routing tests: minimal params of an operation (its
required top-level members, which is all a URI template's labels need), serialized by
botocore's own serializer and prepared for an endpoint, signed or not (a SigV4 ``Authorization``
header naming the credential scope; the signature itself is not checked by routing)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

import botocore.model
import botocore.serialize
from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.loaders import create_loader

from codegen.protocols.http import HttpRequest

_LOADER = create_loader()


def botocore_document(service: str) -> dict[str, Any]:
    """The installed botocore's ``service-2.json`` of ``service``, parsed."""
    document: dict[str, Any] = _LOADER.load_service_model(service, "service-2")
    return document


def service_model(service: str) -> botocore.model.ServiceModel:
    return botocore.model.ServiceModel(botocore_document(service), service_name=service)


def minimal(shape: Any) -> Any:
    """A value of ``shape`` botocore's serializer takes: a structure's required members only."""
    kind = shape.type_name
    if kind == "structure":
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return []
    if kind == "map":
        return {}
    if kind in ("integer", "long"):
        return 1
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "blob":
        return b"x"
    if kind == "timestamp":
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    enum = shape.enum if kind == "string" else None
    return enum[0] if enum else "x"


def request_of(
    model: botocore.model.ServiceModel,
    operation: str,
    *,
    scope: str | None = None,
    host: str = "localhost:4566",
    protocol: str | None = None,
) -> HttpRequest:
    """The request botocore sends for ``operation`` with minimal params to ``host`` (with its
    endpoint trait's host prefix, as botocore adds it) in ``protocol`` (default: the model's),
    signed for ``scope`` if given."""
    op = model.operation_model(operation)
    params = minimal(op.input_shape) if op.input_shape is not None else {}
    endpoint: Any = op.endpoint or {}  # (botocore's stubs type it as a str)
    prefix = str(endpoint.get("hostPrefix", ""))
    if prefix:
        prefix = prefix.format(**{k: str(v) for k, v in params.items()})
    serializer = botocore.serialize.create_serializer(
        protocol or model.protocol, include_validation=False
    )
    serialized = serializer.serialize_to_request(params, op)
    prepare_request_dict(serialized, endpoint_url=f"http://{prefix}{host}")
    prepared = create_request_object(serialized).prepare()
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
    if scope is not None:
        headers["authorization"] = (
            f"AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/{scope}/aws4_request,"
            f" SignedHeaders=host, Signature={'0' * 64}"
        )
    return HttpRequest(prepared.method, url.path or "/", url.query, headers, data)


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)
