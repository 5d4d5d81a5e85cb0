"""``rest-json``: the REST binding (:mod:`.rest`) with JSON bodies, as most AWS services speak it
(lambda, bedrock-runtime, apigateway, glacier, ...; 250 services of botocore).

Bodies (:class:`JsonValues`, by shape type): structures as objects keyed by the members' wire
names (``locationName``, which botocore's models carry for Smithy's ``jsonName``), unknown keys
ignored; lists and maps (nulls kept in ``sparse`` ones, skipped in others); timestamps as epoch
seconds (fractions kept) unless the member says otherwise; blobs as base64; floats as numbers
or ``"NaN"``, ``"Infinity"``, ``"-Infinity"``; documents as any JSON value; unions as an object
with one member. A value of the wrong JSON type, bad base64, a timestamp that does not parse,
an integer out of its type's range, or a body that is not JSON is a 400
``SerializationException`` naming the member's path. Nesting deeper than Python's JSON reader
can go is refused the same way.

Errors: the status of the error shape (``error.httpStatusCode``; else 400 for the client's
fault, 500 for ours), the code in ``x-amzn-ErrorType`` and in the body's ``__type``, the message
in ``message``, and the modeled error's other members where its shape puts them (body or
headers)::

    HTTP/1.1 404
    x-amzn-ErrorType: ResourceNotFoundException
    {"__type":"ResourceNotFoundException","message":"Function not found: f"}

A request that does not validate gets the operation's own validation error if it models one
(``InvalidParameterValueException`` for lambda, ``BadRequestException`` for apigateway), else
``ValidationException``, with AWS's wording: "1 validation error detected: Value at 'Name'
failed to satisfy constraint: ...".
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from . import register
from .errors import ProtocolError, ServiceError
from .http import HttpResponse
from .rest import RestProtocol, wire_name
from .scalars import (
    INT_RANGES,
    blob_text,
    epoch_number,
    format_timestamp,
    read_blob,
    read_timestamp,
)
from .tables import Operation, Ref, ServiceTables, Shape

__all__ = ["JsonValues", "RestJsonProtocol"]

_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class JsonValues:
    """botocore-style Python values to and from JSON values, by shape.

    ``fail`` makes the error for a value that cannot be read (the protocol's code); paths in
    messages are botocore's (``Items[0].Name``).
    """

    def __init__(
        self,
        tables: ServiceTables,
        fail: Callable[[str], ProtocolError],
        default_timestamp_format: str = "unixTimestamp",
    ) -> None:
        self.shapes = tables.shapes
        self.fail = fail
        self.default_timestamp_format = default_timestamp_format

    # -- reading ---------------------------------------------------------------------------

    def parse(self, body: bytes) -> Any:
        """A JSON document (an empty body is ``{}``)."""
        if not body.strip():
            return {}
        try:
            return json.loads(body)
        except RecursionError:
            raise self.fail("The request body nests deeper than this server reads.") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise self.fail(f"The request body is not valid JSON: {error}.") from None

    def read_members(
        self, shape: Shape, members: Sequence[Ref], value: Any, path: str = ""
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self._wrong(path, value, "an object")
        out: dict[str, Any] = {}
        for ref in members:
            item = value.get(wire_name(ref, self.shapes[ref.shape]))
            if item is not None:
                out[ref.name] = self.read(ref, item, _at(path, ref.name))
        return out

    def read(self, ref: Ref, value: Any, path: str) -> Any:
        shape = self.shapes[ref.shape]
        kind = shape.type
        if kind == "structure":
            if shape.document:
                return value
            return self.read_members(shape, shape.members, value, path)
        if kind == "list":
            if not isinstance(value, list):
                raise self._wrong(path, value, "an array")
            item_ref = shape.member
            assert item_ref is not None
            return [
                None if item is None else self.read(item_ref, item, f"{path}[{index}]")
                for index, item in enumerate(value)
                if item is not None or shape.sparse
            ]
        if kind == "map":
            if not isinstance(value, dict):
                raise self._wrong(path, value, "an object")
            value_ref = shape.value
            assert value_ref is not None
            return {
                key: None if item is None else self.read(value_ref, item, f"{path}.{key}")
                for key, item in value.items()
                if item is not None or shape.sparse
            }
        if kind in ("string", "character"):
            if not isinstance(value, str):
                raise self._wrong(path, value, "a string")
            return value
        if kind in INT_RANGES:
            if not isinstance(value, int) or isinstance(value, bool):
                raise self._wrong(path, value, "an integer")
            low, high = INT_RANGES[kind]
            if not low <= value <= high:
                raise self.fail(f"The value at '{path}' is out of the range of a {kind}.")
            return value
        if kind in ("float", "double"):
            if isinstance(value, str) and value in _SPECIAL_FLOATS:
                return _SPECIAL_FLOATS[value]
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise self._wrong(path, value, "a number")
            return float(value)
        if kind == "boolean":
            if not isinstance(value, bool):
                raise self._wrong(path, value, "true or false")
            return value
        if kind == "timestamp":
            fmt = ref.timestamp_format or shape.timestamp_format or self.default_timestamp_format
            try:
                if fmt == "unixTimestamp":
                    if not isinstance(value, (int, float)) or isinstance(value, bool):
                        raise self._wrong(path, value, "a number of seconds")
                    return epoch_number(value)
                if not isinstance(value, str):
                    raise self._wrong(path, value, "a timestamp string")
                return read_timestamp(value, fmt)
            except ValueError as error:
                raise self.fail(f"The timestamp at '{path}' is not valid: {error}.") from None
        if kind == "blob":
            if not isinstance(value, str):
                raise self._wrong(path, value, "a base64 string")
            try:
                return read_blob(value)
            except ValueError:
                raise self.fail(f"The value at '{path}' is not valid base64.") from None
        return value

    def _wrong(self, path: str, value: Any, expected: str) -> ProtocolError:
        got = {
            dict: "an object",
            list: "an array",
            str: "a string",
            bool: "a boolean",
            int: "a number",
            float: "a number",
        }.get(type(value), "null")
        return self.fail(f"Expected {expected} at '{path or 'the body'}', got {got}.")

    # -- writing ---------------------------------------------------------------------------

    def write_members(self, members: Sequence[Ref], value: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for ref in members:
            item = value.get(ref.name)
            if item is not None:
                out[wire_name(ref, self.shapes[ref.shape])] = self.write(ref, item)
        return out

    def write(self, ref: Ref, value: Any) -> Any:
        shape = self.shapes[ref.shape]
        kind = shape.type
        if kind == "structure":
            if shape.document:
                return value
            return self.write_members(shape.members, value)
        if kind == "list":
            item_ref = shape.member
            assert item_ref is not None
            return [None if item is None else self.write(item_ref, item) for item in value]
        if kind == "map":
            value_ref = shape.value
            assert value_ref is not None
            return {
                str(key): None if item is None else self.write(value_ref, item)
                for key, item in value.items()
            }
        if kind == "timestamp":
            fmt = ref.timestamp_format or shape.timestamp_format or self.default_timestamp_format
            return format_timestamp(value, fmt)
        if kind == "blob":
            return blob_text(value)
        if kind in ("float", "double"):
            number = float(value)
            if math.isnan(number):
                return "NaN"
            if math.isinf(number):
                return "Infinity" if number > 0 else "-Infinity"
            return value if isinstance(value, int) and not isinstance(value, bool) else number
        return value

    @staticmethod
    def dump(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@register("rest-json")
class RestJsonProtocol(RestProtocol):
    """``rest-json``."""

    name: ClassVar[str] = "rest-json"
    content_type: ClassVar[str] = "application/json"
    body_timestamp_format: ClassVar[str] = "unixTimestamp"

    def __init__(self, tables: ServiceTables, validate: Any) -> None:
        super().__init__(tables, validate)
        self.json = JsonValues(tables, self.body_error, self.body_timestamp_format)

    # -- bodies ----------------------------------------------------------------------------

    def read_body(
        self, shape_name: str, members: Sequence[Ref], body: bytes, op: Operation | None
    ) -> dict[str, Any]:
        document = self.json.parse(body)
        return self.json.read_members(self.tables.shapes[shape_name], members, document)

    def read_payload(self, ref: Ref, body: bytes) -> Any:
        document = self.json.parse(body)
        return self.json.read(ref, document, ref.name)

    def write_body(
        self,
        shape_name: str,
        members: Sequence[Ref],
        value: Mapping[str, Any],
        op: Operation | None,
        root: str = "",
    ) -> bytes:
        return self.json.dump(self.json.write_members(members, value))

    def write_payload(self, ref: Ref, value: Any) -> bytes:
        return self.json.dump(self.json.write(ref, value))

    def write_empty(self, response: HttpResponse) -> None:
        response.body = b"{}"
        response.headers.append(("Content-Type", self.content_type))

    # -- errors ----------------------------------------------------------------------------

    def _error_members(self, shape_name: str) -> Sequence[Ref]:
        return self.error_plan(shape_name).body if shape_name else ()

    def write_error(
        self,
        response: HttpResponse,
        error: ServiceError,
        shape_name: str,
        fields: Mapping[str, Any],
        request_id: str,
    ) -> None:
        body: dict[str, Any] = {"__type": error.code}
        refs: Sequence[Ref] = ()
        if shape_name:
            refs = tuple(r for r in self.error_plan(shape_name).body if r.name in fields)
            body.update(self.json.write_members(refs, fields))
        if not any(key.lower() == "message" for key in body):
            # under the error shape's own message member where it has one (botocore reads
            # the message from "message" or "Message", the member by its wire name)
            names = [
                wire_name(r, self.tables.shapes[r.shape]) for r in self._error_members(shape_name)
            ]
            body[next((n for n in names if n.lower() == "message"), "message")] = error.message
        response.headers.append(("x-amzn-ErrorType", error.code))
        response.headers.append(("Content-Type", self.content_type))
        response.body = self.json.dump(body)
