"""The ``json`` protocol, versions 1.0 and 1.1 (DynamoDB, Kinesis, CloudWatch Logs, ...).

Requests::

    POST /
    X-Amz-Target: DynamoDB_20120810.PutItem          (the service's targetPrefix, a dot, the operation)
    Content-Type: application/x-amz-json-1.0         (1.1 for services of jsonVersion 1.1)

    {"TableName": "t", "Item": {"k": {"S": "v"}}}

The body is one JSON object (an empty body is ``{}``), read strictly: duplicate keys, ``NaN``
literals, numbers that are not numbers, a ``\\u`` escape of a lone UTF-16 surrogate (no
character: no UTF-8 output could hold it) and nesting deeper than
:data:`~codegen.protocols.tree.MAX_DEPTH` are refused (``SerializationException``). Members by
their wire names; timestamps as epoch seconds (a number; a string where the member's
``timestampFormat`` says ``iso8601`` or ``rfc822``); blobs as base64 text; floats as numbers
or ``"NaN"``, ``"Infinity"``, ``"-Infinity"``; documents as any JSON value.

Responses are the output as one JSON object in the same forms, ``Content-Type:
application/x-amz-json-1.x``. An output with an event stream member is answered as an event
stream (:mod:`~codegen.protocols.eventstream`): an ``initial-response`` event holding the
other members, then the events of the result's stream.

Errors::

    HTTP/1.1 400
    X-Amzn-Errortype: ResourceNotFoundException
    {"__type": "ResourceNotFoundException", "message": "...", (the modeled error's members)}

``__type`` is the error shape's name; the status the shape's ``httpStatusCode``, else 400 for
the client's fault and 500 for ours. A service with the ``awsQueryCompatible`` trait (SQS) also
sends ``x-amzn-query-error: <the error's query code>;Sender`` (or ``Receiver``): botocore then
gives clients the query code, as the service answered before it spoke JSON. A request that does
not validate gets ``ValidationException`` with AWS's sentence
(:mod:`~codegen.protocols.validation`), or the operation's own modeled ``ValidationException``.
An unknown ``X-Amz-Target`` is ``UnknownOperationException``; a method other than POST 405.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from . import register
from .base import GiveUp
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse
from .tables import Ref, Shape
from .tree import Reader, TreeProtocol
from .values import (
    SPECIAL_FLOATS,
    blob_text,
    epoch_seconds,
    from_epoch,
    parse_blob,
    parse_timestamp,
    timestamp_text,
)

__all__ = ["JsonProtocol"]


@register("json")
class JsonProtocol(TreeProtocol):
    name = "json"
    content_type = "application/x-amz-json-1.0"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = self.tables.json_version or "1.0"
        self.response_type = f"application/x-amz-json-{self.version}"

    # -- routing ---------------------------------------------------------------------------

    def recognizes(self, request: HttpRequest) -> bool:
        return "x-amz-target" in request.headers

    def operation_for(self, request: HttpRequest) -> str | None:
        target = request.headers.get("x-amz-target", "")
        prefix, dot, operation = target.rpartition(".")
        if not dot or prefix != self.tables.target_prefix:
            return None
        return operation if operation in self.tables.operations else None

    def unknown_operation(self, request: HttpRequest) -> ProtocolError:
        target = request.headers.get("x-amz-target")
        if target is None:
            return ProtocolError(
                "UnknownOperationException",
                "The request has no X-Amz-Target header naming an operation"
                f" ({self.tables.target_prefix}.<Operation>).",
            )
        shown = target if len(target) <= 120 else target[:117] + "..."
        return ProtocolError(
            "UnknownOperationException",
            f"{shown!r} names no operation of {self.tables.name}: X-Amz-Target is"
            f" {self.tables.target_prefix}.<Operation>.",
        )

    # -- requests --------------------------------------------------------------------------

    def read_params(self, operation: str, request: HttpRequest) -> dict[str, Any]:
        self.check_method(request)
        body = self.decode(request.body)
        input_shape = self.tables.operations[operation].input
        if not input_shape:
            if isinstance(body, Mapping) and not body:
                return {}
            raise ProtocolError(
                self.malformed_code, f"{operation} takes no parameters: send {{}}."
            )
        return self.read_structure(input_shape, body, "", 0)

    def decode(self, body: bytes) -> Any:
        """The body as JSON values (an empty body is ``{}``)."""
        if not body.strip():
            return {}
        try:
            text = body.decode("utf-8")
            document = _DECODER.decode(text)
        except UnicodeDecodeError:
            raise ProtocolError(self.malformed_code, "The request body is not UTF-8.") from None
        except RecursionError:
            raise ProtocolError(
                self.malformed_code, "The request body is nested too deeply."
            ) from None
        except ValueError as error:  # JSONDecodeError, duplicate keys, a number too long
            raise ProtocolError(
                self.malformed_code, f"The request body is not valid JSON: {error}"
            ) from None
        if _SURROGATE_ESCAPE.search(text):  # else no string can hold one: nothing to walk
            where = _lone_surrogate(document)
            if where is not None:
                raise ProtocolError(
                    self.malformed_code,
                    f"The request body holds a lone surrogate (a \\u escape of U+D800-U+DFFF"
                    f" without its pair) at {where}: it is no character.",
                )
        return document

    def scalar_reader(self, shape: Shape, ref: Ref | None) -> Reader:
        if shape.type in ("float", "double"):
            return _number
        return super().scalar_reader(shape, ref)

    def read_scalar(self, shape: Shape, ref: Ref | None, value: Any, path: str) -> Any:
        kind = shape.type
        if kind == "timestamp":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                moment = from_epoch(float(value))
            elif isinstance(value, str):
                fmt = (ref.timestamp_format if ref else "") or shape.timestamp_format
                moment = parse_timestamp(value, fmt)
            else:
                raise self.type_error(path, "a timestamp", value)
            if moment is None:
                raise self.type_error(path, "a timestamp (years 1 to 9999)", value)
            return moment
        if kind == "blob":
            data = parse_blob(value) if isinstance(value, str) else None
            if data is None:
                raise self.type_error(path, "base64-encoded data", value)
            return data
        if kind in ("float", "double"):
            if isinstance(value, str) and value in SPECIAL_FLOATS:
                return SPECIAL_FLOATS[value]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number = _float(value)
                if not math.isinf(number):
                    return number
            raise self.type_error(path, "a number", value)
        return super().read_scalar(shape, ref, value, path)

    # -- responses -------------------------------------------------------------------------

    def write_scalar(self, shape: Shape, ref: Ref | None, value: Any) -> Any:
        kind = shape.type
        if kind == "timestamp":
            fmt = (ref.timestamp_format if ref else "") or shape.timestamp_format
            if fmt in ("iso8601", "rfc822"):
                return timestamp_text(value, fmt)
            return epoch_seconds(value)
        if kind == "blob":
            return blob_text(value)
        if kind in ("float", "double"):
            number = float(value)
            if math.isnan(number) or math.isinf(number):
                return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
            return number
        return super().write_scalar(shape, ref, value)

    def encode(self, value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")

    event_content_type = "application/json"

    def event_payload(self, shape_name: str, value: Mapping[str, Any]) -> bytes:
        return self.encode(self.write_value(shape_name, None, value))

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        output = self.tables.operations[operation].output
        stream = self.event_stream_member(output) if output else None
        if stream is not None:
            return self.event_stream_response(operation, result, stream)
        body = self.write_structure(output, result) if output else {}
        return HttpResponse(200, [("Content-Type", self.response_type)], self.encode(body))

    def event_stream_member(self, shape_name: str) -> Ref | None:
        """The member of an output structure that is an event stream, if any."""
        for ref in self.tables.shapes[shape_name].members:
            if self.tables.shapes[ref.shape].event_stream:
                return ref
        return None

    def event_stream_response(
        self, operation: str, result: Mapping[str, Any], stream: Ref
    ) -> HttpResponse:
        from .eventstream import event_stream_body

        output = self.tables.operations[operation].output
        rest = {k: v for k, v in result.items() if k != stream.name}
        initial = self.encode(self.write_structure(output, rest))
        body = event_stream_body(self, stream.shape, result.get(stream.name) or [], initial)
        return HttpResponse(200, [("Content-Type", "application/vnd.amazon.eventstream")], body)

    def serialize_error(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        shape_name = self.error_shape(error.code)
        headers = [
            ("Content-Type", self.response_type),
            ("x-amzn-errortype", shape_name or error.code),
            *self.error_headers(error),
        ]
        return HttpResponse(error.status, headers, self.encode(self.error_document(error)))


# a JSON \u escape of a UTF-16 surrogate; json.loads joins a high and low pair into one character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(document: Any) -> str | None:
    """The JSON pointer (shortened) of a string, key or value, of ``document`` that holds a
    lone surrogate, or None. Iterative and linear: each node keeps a link to its parent's
    trail, and the pointer is spelled out only for the one found."""
    Trail = tuple[Any, str] | None  # (the parent's trail, this node's key or index)
    stack: list[tuple[Any, Trail]] = [(document, None)]
    while stack:
        node, trail = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                inner = (trail, key)
                if _SURROGATE.search(key):
                    return _pointer(inner)
                stack.append((value, inner))
        elif isinstance(node, list):
            stack.extend((value, (trail, str(i))) for i, value in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            return _pointer(trail)
    return None


def _pointer(trail: tuple[Any, str] | None) -> str:
    parts: list[str] = []
    while trail is not None:
        trail, part = trail
        parts.append(part[:40] + "..." if len(part) > 40 else part)
    text = "/" + "/".join(reversed(parts)) if parts else "/"
    if len(text) > 200:
        text = text[:200] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = dict(pairs)
    if len(out) == len(pairs):
        return out
    out = {}
    for key, value in pairs:  # a key given twice: the first repeated is named
        if key in out:
            shown = key if len(key) <= 80 else key[:77] + "..."
            raise ValueError(f"the key {shown!r} is given twice in one object")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


# made once: json.loads with hooks would build a decoder per call
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)


def _number(value: Any, depth: int) -> float:
    """A float member's reader (:meth:`JsonProtocol.read_scalar`'s numbers and words)."""
    kind = type(value)
    if kind is float or kind is int:
        number = _float(value)
        if not math.isinf(number):
            return number
    elif kind is str and value in SPECIAL_FLOATS:
        return SPECIAL_FLOATS[value]
    raise GiveUp


def _float(value: float) -> float:
    """A JSON number as a float: an integer too large for one is infinite (refused)."""
    try:
        return float(value)
    except OverflowError:  # more than about 309 digits
        return math.inf
