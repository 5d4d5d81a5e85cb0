"""The ``smithy-rpc-v2-cbor`` protocol (CloudWatch, GameLift, Snowball, ...): CBOR bodies.

Requests::

    POST /service/GraniteServiceVersion20100801/operation/GetMetricData
    smithy-protocol: rpc-v2-cbor
    Content-Type: application/cbor

    (the input structure as a CBOR map)

The path names the service (botocore's ``targetPrefix``) and the operation; a prefix before
``/service/`` is allowed. The ``smithy-protocol`` header must say ``rpc-v2-cbor``. The body
(:mod:`~codegen.protocols.cbor`, strict; an empty body is an empty input) is read along the
input shape as JSON's is (:class:`~codegen.protocols.tree.TreeProtocol`): members by name,
timestamps as tag 1 (epoch seconds; a plain number is taken too), blobs as byte strings, floats
as any CBOR float or integer. Malformed bodies are ``SerializationException``.

Responses: ``smithy-protocol: rpc-v2-cbor``, ``Content-Type: application/cbor`` and the
output as a CBOR map. Errors are maps too: ``{"__type": <error shape>, "message": ...}`` and the
modeled error's other members, with the shape's status, and ``x-amzn-query-error`` for
``awsQueryCompatible`` services (as in :mod:`~codegen.protocols.json`). An unknown operation is
``UnknownOperationException`` (404), a method other than POST 405.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import register
from .base import GiveUp
from .cbor import CborError, decode, encode
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse
from .tables import Ref, Shape
from .tree import Reader, TreeProtocol
from .values import from_epoch, moment

__all__ = ["CBOR", "RpcV2CborProtocol"]

CBOR = "application/cbor"


@register("smithy-rpc-v2-cbor")
class RpcV2CborProtocol(TreeProtocol):
    name = "smithy-rpc-v2-cbor"
    content_type = CBOR
    event_content_type = CBOR

    # -- routing ---------------------------------------------------------------------------

    def recognizes(self, request: HttpRequest) -> bool:
        return "/service/" in request.path and "x-amz-target" not in request.headers

    def _route(self, request: HttpRequest) -> tuple[str, str] | None:
        _, found, rest = request.path.rpartition("/service/")
        service, operation_part, operation = rest.partition("/operation/")
        if not found or not operation_part or "/" in operation:
            return None
        return service, operation

    def operation_for(self, request: HttpRequest) -> str | None:
        route = self._route(request)
        if route is None or route[0] != self.tables.target_prefix:
            return None
        return route[1] if route[1] in self.tables.operations else None

    def unknown_operation(self, request: HttpRequest) -> ProtocolError:
        route = self._route(request)
        expected = f"/service/{self.tables.target_prefix}/operation/<Operation>"
        if route is None:
            return ProtocolError(
                "UnknownOperationException",
                f"The path names no operation: {self.name} requests are POST {expected}.",
                404,
            )
        service, operation = (part if len(part) <= 80 else part[:77] + "..." for part in route)
        if service != self.tables.target_prefix:
            message = f"{service!r} is not this service; its requests are POST {expected}."
        else:
            message = f"{operation!r} is not an operation of {self.tables.name}."
        return ProtocolError("UnknownOperationException", message, 404)

    # -- requests --------------------------------------------------------------------------

    def read_params(self, operation: str, request: HttpRequest) -> dict[str, Any]:
        self.check_method(request)
        declared = request.headers.get("smithy-protocol")
        if declared != "rpc-v2-cbor":
            shown = "none" if declared is None else repr(declared[:40])
            raise ProtocolError(
                self.malformed_code,
                f"The smithy-protocol header must be 'rpc-v2-cbor' (got {shown}).",
            )
        if request.body and request.media_type not in (CBOR, ""):
            raise ProtocolError(
                self.malformed_code,
                f"The request body must be {CBOR}, not {request.media_type[:60]!r}.",
            )
        try:
            body = decode(request.body) if request.body else {}
        except CborError as error:
            raise ProtocolError(
                self.malformed_code, f"The request body is not CBOR: {error}."
            ) from None
        input_shape = self.tables.operations[operation].input
        if not input_shape:
            if isinstance(body, Mapping) and not body:
                return {}
            raise ProtocolError(self.malformed_code, f"{operation} takes no parameters.")
        return self.read_structure(input_shape, body, "", 0)

    def scalar_reader(self, shape: Shape, ref: Ref | None) -> Reader:
        if shape.type in ("float", "double"):
            return _number
        if shape.type == "timestamp":
            return _moment
        return super().scalar_reader(shape, ref)

    def read_scalar(self, shape: Shape, ref: Ref | None, value: Any, path: str) -> Any:
        kind = shape.type
        if kind == "timestamp":
            if isinstance(value, datetime):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                when = from_epoch(float(value))
                if when is not None:
                    return when
            raise self.type_error(path, "a timestamp (tag 1)", value)
        if kind == "blob":
            if isinstance(value, bytes):
                return value
            raise self.type_error(path, "a byte string", value)
        if kind in ("float", "double"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            raise self.type_error(path, "a number", value)
        return super().read_scalar(shape, ref, value, path)

    # -- responses -------------------------------------------------------------------------

    def write_scalar(self, shape: Shape, ref: Ref | None, value: Any) -> Any:
        kind = shape.type
        if kind == "timestamp":
            return moment(value)
        if kind == "blob":
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if kind in ("float", "double"):
            return float(value)
        return super().write_scalar(shape, ref, value)

    def headers(self) -> list[tuple[str, str]]:
        return [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", CBOR)]

    def event_payload(self, shape_name: str, value: Mapping[str, Any]) -> bytes:
        return encode(self.write_value(shape_name, None, value))

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        output = self.tables.operations[operation].output
        body = self.write_structure(output, result) if output else {}
        return HttpResponse(200, self.headers(), encode(body))

    def serialize_error(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        headers = [*self.headers(), *self.error_headers(error)]
        return HttpResponse(error.status, headers, encode(self.error_document(error)))


def _number(value: Any, depth: int) -> float:
    """A float member's reader (:meth:`RpcV2CborProtocol.read_scalar`'s numbers)."""
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    raise GiveUp


def _moment(value: Any, depth: int) -> datetime:
    """A timestamp member's reader: a tag-1 time as the decoder made it (numbers: the walk)."""
    if type(value) is datetime:
        return value
    raise GiveUp
