"""``rest-json``: the REST binding (:mod:`.rest`) with JSON bodies, as most AWS services speak it
(lambda, bedrock-runtime, apigateway, glacier, ...; 250 services of botocore).

The class is the REST binding and the ``json`` protocol's JSON values together (as botocore's
``RestJSONSerializer(BaseRestSerializer, JSONSerializer)``): routes, labels, query strings,
headers and payloads from :class:`~.rest.RestProtocol`; the body read and written by
:class:`~.json.JsonProtocol`'s JSON values (:mod:`.tree`): strict JSON (duplicate keys, ``NaN``
literals, nesting deeper than :data:`~.tree.MAX_DEPTH` refused), members by their wire names
(``locationName``, which botocore's models carry for Smithy's ``jsonName``), a member the shape
does not have refused, timestamps as epoch seconds unless the member says otherwise, blobs as
base64, floats as numbers or ``"NaN"``/``"Infinity"``/``"-Infinity"``, documents as any JSON
value, unions as an object with one member. Anything malformed is a 400
``SerializationException`` naming the member's path.

Errors: the error shape's status (``error.httpStatusCode``; else 400 for the client's fault, 500
for ours), the code in ``x-amzn-ErrorType`` and the body's ``__type``, the message in
``message`` (or the shape's own ``Message`` member), the modeled error's other members where its
shape puts them (body or headers)::

    HTTP/1.1 404
    x-amzn-ErrorType: ResourceNotFoundException
    {"__type":"ResourceNotFoundException","message":"Function not found: f"}

A request that does not validate gets the operation's own validation error if it models one
(``ValidationException``; else ``InvalidParameterValueException`` for lambda,
``BadRequestException`` for apigateway, ...: :data:`~.rest.VALIDATION_ERRORS`), else
``ValidationException``, in AWS's words ("1 validation error detected: Value ... at '...'
failed to satisfy constraint: ...").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from . import register
from .errors import ServiceError
from .http import HttpResponse
from .json import JsonProtocol
from .rest import RestProtocol
from .tables import Operation, Ref

__all__ = ["RestJsonProtocol"]


@register("rest-json")
class RestJsonProtocol(RestProtocol, JsonProtocol):
    """``rest-json``."""

    name: ClassVar[str] = "rest-json"
    content_type: ClassVar[str] = "application/json"
    body_timestamp_format: ClassVar[str] = "unixTimestamp"

    # -- bodies ----------------------------------------------------------------------------

    def read_body(
        self, shape_name: str, members: Sequence[Ref], body: bytes, op: Operation | None
    ) -> dict[str, Any]:
        return self.read_structure(shape_name, self.decode(body), "", 0)

    def read_payload(self, ref: Ref, body: bytes) -> Any:
        return self.read_value(ref.shape, ref, self.decode(body), ref.name, 0)

    def write_body(
        self,
        shape_name: str,
        members: Sequence[Ref],
        value: Mapping[str, Any],
        op: Operation | None,
        root: str = "",
    ) -> bytes:
        return self.encode(self.write_structure(shape_name, value))

    def write_payload(self, ref: Ref, value: Any) -> bytes:
        return self.encode(self.write_value(ref.shape, ref, value))

    def write_empty(self, response: HttpResponse) -> None:
        response.body = b"{}"
        response.headers.append(("Content-Type", self.content_type))

    # -- errors ----------------------------------------------------------------------------

    def write_error(
        self,
        response: HttpResponse,
        error: ServiceError,
        shape_name: str,
        fields: Mapping[str, Any],
        request_id: str,
    ) -> None:
        # the code botocore reads first, then __type: the error shape's error.code (else its
        # name), which is what a client's modeled exception is looked up by
        response.headers.append(("Content-Type", self.content_type))
        response.headers.append(("x-amzn-ErrorType", error.code))
        response.headers.extend(self.error_headers(error))
        response.body = self.encode(self.error_document(error))
