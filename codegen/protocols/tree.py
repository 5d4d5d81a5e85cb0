"""What the JSON and CBOR protocols share: a body that is a tree of maps, arrays and scalars.

Reading (:meth:`TreeProtocol.read_value`) walks a decoded body along the input shape: a
structure is a map keyed by wire names (a member's ``locationName``, else its name), a list an
array, a map a map, scalars by type; ``null`` stands for an absent member (and is an item only
of a ``sparse`` list or map). Anything else is the client's fault: a member the shape does not
have, a value of the wrong type, an integer outside its 32 or 64 bits, nesting deeper than
:data:`MAX_DEPTH`. The message names the member's botocore-style path (``Item.k.S``,
``KeySchema[0].KeyType``). A ``document`` member is any value, taken as it is; a union is a
structure (the validators check that it has exactly one member).

Reading is two-tier, as writing is made fast: :meth:`TreeProtocol.reader` builds, once per
shape, a closure that reads a value of that shape along the happy path only (no path strings,
no lookups of shapes or types per value; a structure's reader holds its members' readers). On
anything it does not accept it gives up, and the generic walk (:meth:`TreeProtocol.walk_value`)
reads the same value again to find the first fault and name it. The walk decides every error,
so messages are the walk's; a reader only ever returns what the walk would return.

Writing (:meth:`TreeProtocol.write_value`) is the reverse, for results: members in the model's
order, ``None`` left out. How timestamps, blobs and floats look on the wire is the subclass's:
``json`` writes epoch seconds, base64 text and ``"NaN"``; CBOR a tag-1 epoch, byte strings and
IEEE floats (:meth:`read_scalar`, :meth:`write_scalar`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .base import GiveUp, Protocol, made_once
from .errors import ProtocolError, ServiceError
from .tables import Ref, Shape

__all__ = ["MAX_DEPTH", "Reader", "TreeProtocol"]

MAX_DEPTH: Final = 100  # levels of nesting a request may have
_INT32: Final = 1 << 31
_INT64: Final = 1 << 63

# a reader of the body's values of one shape: (value, depth) -> the Python value
Reader = Callable[[Any, int], Any]


def _as_is(value: Any, depth: int) -> Any:
    return value


def _string(value: Any, depth: int) -> str:
    if type(value) is str:
        return value
    raise GiveUp


def _int32(value: Any, depth: int) -> int:
    if type(value) is int and -_INT32 <= value < _INT32:
        return value
    raise GiveUp


def _int64(value: Any, depth: int) -> int:
    if type(value) is int and -_INT64 <= value < _INT64:
        return value
    raise GiveUp


def _boolean(value: Any, depth: int) -> bool:
    if type(value) is bool:
        return value
    raise GiveUp


def _list_reader(read: Reader, sparse: bool) -> Reader:
    if read is _string and not sparse:

        def read_strings(value: Any, depth: int) -> list[Any]:
            if type(value) is not list or depth >= MAX_DEPTH and value:
                raise GiveUp
            for item in value:
                if type(item) is not str:
                    raise GiveUp
            return value[:]

        return read_strings

    def read_list(value: Any, depth: int) -> list[Any]:
        if type(value) is not list:
            raise GiveUp
        depth += 1
        if depth > MAX_DEPTH and value:
            raise GiveUp
        if sparse:
            return [None if item is None else read(item, depth) for item in value]
        if read is _as_is and None in value:
            raise GiveUp
        return [read(item, depth) for item in value]  # a null: each other reader gives up

    return read_list


def _map_reader(read: Reader, sparse: bool) -> Reader:
    def read_map(value: Any, depth: int) -> dict[Any, Any]:
        if type(value) is not dict:
            raise GiveUp
        depth += 1
        if depth > MAX_DEPTH and value:
            raise GiveUp
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise GiveUp
            if item is None:
                if not sparse:
                    raise GiveUp
                out[key] = None
            else:
                out[key] = read(item, depth)
        return out

    return read_map


class TreeProtocol(Protocol):
    """A protocol whose bodies are trees (JSON, CBOR): reading and writing by shape."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wire: dict[str, dict[str, Ref]] = {}  # structure -> {wire name: member}
        self._out: dict[str, tuple[tuple[str, str, Ref], ...]] = {}
        self._writers: dict[tuple[str, str], Callable[[Any], Any]] = {}
        self._readers: dict[tuple[str, str], Reader] = {}

    # -- names -----------------------------------------------------------------------------

    def wire_name(self, ref: Ref) -> str:
        target = self.tables.shapes[ref.shape]
        return ref.location_name or target.location_name or ref.name

    def wire_members(self, shape_name: str) -> dict[str, Ref]:
        found = self._wire.get(shape_name)
        if found is None:
            shape = self.tables.shapes[shape_name]
            found = {self.wire_name(ref): ref for ref in shape.members if not ref.location}
            self._wire[shape_name] = found
        return found

    def out_members(self, shape_name: str) -> tuple[tuple[str, str, Ref], ...]:
        """(member name, wire name, member) of a structure, in the model's order."""
        found = self._out.get(shape_name)
        if found is None:
            shape = self.tables.shapes[shape_name]
            found = tuple(
                (ref.name, self.wire_name(ref), ref) for ref in shape.members if not ref.location
            )
            self._out[shape_name] = found
        return found

    # -- reading -----------------------------------------------------------------------------

    def read_structure(self, shape_name: str, value: Any, path: str, depth: int) -> dict[str, Any]:
        """A structure of the body as botocore-style params: by the shape's reader (made once,
        :meth:`reader`), and when that gives up, by the walk that says what is wrong."""
        try:
            found: dict[str, Any] = self.reader(shape_name, None)(value, depth)
        except GiveUp:
            return self.walk_structure(shape_name, value, path, depth)
        return found

    def read_value(
        self, shape_name: str, ref: Ref | None, value: Any, path: str, depth: int
    ) -> Any:
        """A value of the body (at ``depth``, as :meth:`read_structure` reads a member)."""
        if depth <= MAX_DEPTH:
            try:
                return self.reader(shape_name, ref)(value, depth)
            except GiveUp:
                pass
        return self.walk_value(shape_name, ref, value, path, depth)

    # -- readers: closures made once per shape ---------------------------------------------

    def reader(self, shape_name: str, ref: Ref | None) -> Reader:
        """The function reading a value of ``shape_name`` (as the member ``ref``) at a depth:
        made once per shape and timestamp format and kept, like :meth:`writer`. A reader
        takes only the happy path: on anything it does not accept (a type, an unknown
        member, a null, nesting too deep) it raises :class:`GiveUp`, and the request is read
        again by the walk (:meth:`walk_structure`), which finds the first fault and says what
        and where. What a reader returns is what the walk returns for the same value."""
        key = (shape_name, ref.timestamp_format if ref is not None else "")
        return made_once(self._readers, key, lambda: self._make_reader(shape_name, ref))

    def _make_reader(self, shape_name: str, ref: Ref | None) -> Reader:
        shape = self.tables.shapes[shape_name]
        kind = shape.type
        if kind == "structure":
            if shape.document:
                return _as_is
            return self._structure_reader(shape_name)
        if kind == "list":
            assert shape.member is not None
            return _list_reader(self.reader(shape.member.shape, shape.member), shape.sparse)
        if kind == "map":
            assert shape.value is not None
            return _map_reader(self.reader(shape.value.shape, shape.value), shape.sparse)
        return self.scalar_reader(shape, ref)

    def _structure_reader(self, shape_name: str) -> Reader:
        order = tuple(ref.name for ref in self.tables.shapes[shape_name].members)
        position = {name: index for index, name in enumerate(order)}
        members = {
            wire: (ref.name, position[ref.name], self.reader(ref.shape, ref))
            for wire, ref in self.wire_members(shape_name).items()
        }

        def read_structure(value: Any, depth: int) -> dict[str, Any]:
            if type(value) is not dict:
                raise GiveUp
            depth += 1
            if depth > MAX_DEPTH:
                raise GiveUp
            found: dict[str, Any] = {}
            last = -1
            ordered = True
            for key, item in value.items():
                if item is None:
                    if key in members:
                        continue  # null: the member is absent
                    raise GiveUp
                member = members.get(key)
                if member is None:
                    raise GiveUp  # an unknown member
                name, index, read = member
                found[name] = read(item, depth)
                if index < last:
                    ordered = False
                last = index
            if ordered:
                return found
            return {name: found[name] for name in order if name in found}

        return read_structure

    def scalar_reader(self, shape: Shape, ref: Ref | None) -> Reader:
        """A scalar's reader: strings, integers, booleans and floats here; other scalars
        through :meth:`read_scalar` (a :class:`ProtocolError` there gives up)."""
        kind = shape.type
        if kind == "string":
            return _string
        if kind == "integer":
            return _int32
        if kind == "long":
            return _int64
        if kind == "boolean":
            return _boolean
        read_scalar = self.read_scalar

        def read_other(value: Any, depth: int) -> Any:
            try:
                return read_scalar(shape, ref, value, "")
            except ProtocolError:
                raise GiveUp from None

        return read_other

    # -- the walk: what is wrong, and where --------------------------------------------------

    def walk_structure(self, shape_name: str, value: Any, path: str, depth: int) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise self.type_error(path, "a structure (a map)", value)
        members = self.wire_members(shape_name)
        found: dict[str, Any] = {}
        for key, item in value.items():
            ref = members.get(key) if isinstance(key, str) else None
            if ref is None:
                where = f" of {path}" if path else ""
                raise ProtocolError(
                    self.malformed_code,
                    f"Unknown member {_shown(key)}{where}; "
                    f"{shape_name} has {', '.join(members) or 'no members'}.",
                )
            if item is None:
                continue  # null: the member is absent
            child = f"{path}.{ref.name}" if path else ref.name
            found[ref.name] = self.walk_value(ref.shape, ref, item, child, depth + 1)
        order = self.tables.shapes[shape_name].members
        return {ref.name: found[ref.name] for ref in order if ref.name in found}

    def walk_value(
        self, shape_name: str, ref: Ref | None, value: Any, path: str, depth: int
    ) -> Any:
        if depth > MAX_DEPTH:
            raise ProtocolError(
                self.malformed_code, f"The request is nested more than {MAX_DEPTH} levels deep."
            )
        shape = self.tables.shapes[shape_name]
        kind = shape.type
        if kind == "structure":
            if shape.document:
                return value
            return self.walk_structure(shape_name, value, path, depth)
        if kind == "list":
            assert shape.member is not None
            if not isinstance(value, list):
                raise self.type_error(path, "a list", value)
            out: list[Any] = []
            for index, item in enumerate(value):
                if item is None:
                    if not shape.sparse:
                        raise self.type_error(f"{path}[{index}]", "a value (not null)", item)
                    out.append(None)
                    continue
                out.append(
                    self.walk_value(
                        shape.member.shape, shape.member, item, f"{path}[{index}]", depth + 1
                    )
                )
            return out
        if kind == "map":
            assert shape.key is not None and shape.value is not None
            if not isinstance(value, Mapping):
                raise self.type_error(path, "a map", value)
            result: dict[Any, Any] = {}
            for key, item in value.items():
                where = f"{path}.{key}" if isinstance(key, str) else path
                if not isinstance(key, str):
                    raise self.type_error(where, "map keys that are strings", key)
                if item is None:
                    if not shape.sparse:
                        raise self.type_error(where, "a value (not null)", item)
                    result[key] = None
                    continue
                result[key] = self.walk_value(
                    shape.value.shape, shape.value, item, where, depth + 1
                )
            return result
        return self.read_scalar(shape, ref, value, path)

    def read_scalar(self, shape: Shape, ref: Ref | None, value: Any, path: str) -> Any:
        """A scalar of the body as a Python value; strings, numbers and booleans here, the
        rest (timestamps, blobs, special floats) by the subclass."""
        kind = shape.type
        if kind == "string":
            if isinstance(value, str):
                return value
            raise self.type_error(path, "a string", value)
        if kind in ("integer", "long"):
            if type(value) is int:
                bound = _INT32 if kind == "integer" else _INT64
                if -bound <= value < bound:
                    return value
                raise self.type_error(
                    path, f"a {32 if kind == 'integer' else 64}-bit integer", value
                )
            raise self.type_error(path, "an integer", value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise self.type_error(path, "true or false", value)
        raise self.type_error(path, kind, value)

    def type_error(self, path: str, expected: str, value: Any) -> ProtocolError:
        where = f" at {path}" if path else ""
        return ProtocolError(
            self.malformed_code,
            f"Expected {expected}{where}, got {_kind(value)}.",
        )

    # -- writing ---------------------------------------------------------------------------

    def write_structure(self, shape_name: str, value: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = self.writer(shape_name, None)(value)
        return out

    def write_value(self, shape_name: str, ref: Ref | None, value: Any) -> Any:
        return self.writer(shape_name, ref)(value)

    def writer(self, shape_name: str, ref: Ref | None) -> Callable[[Any], Any]:
        """The function writing a value of ``shape_name`` (as the member ``ref``, whose
        timestamp format may differ from the shape's) to the body's tree; made once per shape
        and format and kept. A structure's writer holds its members' writers, a list's its
        item's: writing a result is a walk of closures, with no lookups of shapes or types
        per value. Strings, integers and booleans are written here as :meth:`write_scalar`
        writes them; other scalars by the subclass's :meth:`write_scalar`."""
        key = (shape_name, ref.timestamp_format if ref is not None else "")
        return made_once(self._writers, key, lambda: self._make_writer(shape_name, ref))

    def _make_writer(self, shape_name: str, ref: Ref | None) -> Callable[[Any], Any]:
        shape = self.tables.shapes[shape_name]
        kind = shape.type
        if kind == "structure":
            if shape.document:
                return _same
            members = [
                (name, wire, self.writer(member.shape, member))
                for name, wire, member in self.out_members(shape_name)
            ]
            by_name = {
                name: (index, wire, write) for index, (name, wire, write) in enumerate(members)
            }
            few = max(len(members) // 4, 1)

            def write_structure(value: Mapping[str, Any]) -> dict[str, Any]:
                out: dict[str, Any] = {}
                if len(value) <= few:  # a union, a sparse result: walk what it holds
                    found = []
                    for name, item in value.items():
                        member = by_name.get(name)
                        if member is not None and item is not None:
                            found.append(member + (item,))
                    found.sort(key=_first)  # in the model's order
                    for _, wire, write, item in found:
                        out[wire] = write(item)
                    return out
                for name, wire, write in members:
                    item = value.get(name)
                    if item is not None:
                        out[wire] = write(item)
                return out

            return write_structure
        if kind == "list":
            assert shape.member is not None
            write_item = self.writer(shape.member.shape, shape.member)
            return lambda value: [None if item is None else write_item(item) for item in value]
        if kind == "map":
            assert shape.value is not None
            write_entry = self.writer(shape.value.shape, shape.value)
            return lambda value: {
                str(k): None if v is None else write_entry(v) for k, v in value.items()
            }
        if kind == "string":
            return _text
        if kind in ("integer", "long"):
            return _integer
        if kind == "boolean":
            return bool
        write_scalar = self.write_scalar
        return lambda value: write_scalar(shape, ref, value)

    def error_document(self, error: ServiceError) -> dict[str, Any]:
        """An error as the RPC protocols write it: ``__type`` (the error shape's name),
        ``message``, and the modeled error's other members; a member of the shape named
        ``Message`` (any case) also holds the message."""
        shape_name = self.error_shape(error.code)
        body: dict[str, Any] = {"__type": shape_name or error.code, "message": error.message}
        if shape_name is None:
            return body
        if error.fields:
            for key, value in self.write_structure(shape_name, error.fields).items():
                if key.lower() != "message":
                    body[key] = value
        for ref in self.tables.shapes[shape_name].members:
            wire = self.wire_name(ref)
            if wire.lower() == "message" and wire != "message":
                body[wire] = error.message
        return body

    def error_headers(self, error: ServiceError) -> list[tuple[str, str]]:
        """``x-amzn-query-error: <query code>;Sender|Receiver`` for an ``awsQueryCompatible``
        service: the code clients of its query days know (the error shape's ``error.code``)."""
        if not self.tables.aws_query_compatible:
            return []
        shape_name = self.error_shape(error.code)
        code = self.error_code(shape_name) if shape_name else error.code
        fault = "Sender" if error.sender_fault else "Receiver"
        return [("x-amzn-query-error", f"{code};{fault}")]

    def write_scalar(self, shape: Shape, ref: Ref | None, value: Any) -> Any:
        kind = shape.type
        if kind == "string":
            return str(value)
        if kind in ("integer", "long"):
            return value if type(value) is int else int(value)
        if kind == "boolean":
            return bool(value)
        raise TypeError(f"no {self.name} value for a {kind}: {value!r}")


def _same(value: Any) -> Any:
    return value


def _first(item: tuple[Any, ...]) -> Any:
    return item[0]


def _text(value: Any) -> str:
    return value if type(value) is str else str(value)


def _integer(value: Any) -> int:
    return value if type(value) is int else int(value)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return f"the integer {value}" if abs(value) < 10**20 else "a large integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (bytes, bytearray)):
        return "a byte string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a map"
    return type(value).__name__


def _shown(key: Any) -> str:
    text = repr(key)
    return text if len(text) <= 80 else text[:77] + "..."
