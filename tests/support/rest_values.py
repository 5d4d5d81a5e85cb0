"""Hypothesis strategies of params and results for the REST round trips, from botocore's own
shapes (not from the tables under test), holding only what the wire can carry for each place a
value goes:

* header values: printable ASCII without edge spaces (HTTP strips those and cannot carry
  control characters), list items without commas or quotes (botocore's parser splits at every
  comma), header timestamps to the second (botocore writes them from whole seconds, whatever
  their format), header-map keys as lower-case tokens (header names are case-insensitive);
* URI labels non-empty (a label of no characters leaves no path segment);
* XML text without the characters XML 1.0 cannot carry, and without CR (XML parsers turn CR
  into LF, and botocore's ElementTree writes it raw);
* no surrogates anywhere (botocore encodes text as UTF-8);
* timestamps to the millisecond (botocore reads epoch seconds as a float), between 1970 and
  2100;
* statusCode members 200-299 (botocore reads any other as an error);
* host labels as botocore's endpoint host prefix requires (``[A-Za-z0-9-]+``).

What the wire cannot tell apart is normalized in the expectation (:func:`expected_params`,
:func:`expected_result`): an empty list in a query string or header, an empty flattened list
or map in XML, an absent blob or string payload (botocore reads the empty body), an empty
structure payload.
"""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.model import ServiceModel
from hypothesis import strategies as st

# a botocore shape: which attributes it has (members, member, key, value, enum, ...) depends on
# its type, which the stubs' base class cannot say
Shape = Any

MAX_DEPTH = 4
_START = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLIS = st.integers(0, 4102444800 * 1000 - 1).map(lambda ms: _START + timedelta(milliseconds=ms))
_SECONDS = st.integers(0, 4102444800 - 1).map(lambda s: _START + timedelta(seconds=s))
_NO_SURROGATES = st.characters(blacklist_categories=["Cs"])
_XML_CHARS = st.characters(
    blacklist_categories=["Cs"],
    blacklist_characters="\r\ufffe\uffff"
    + "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n"),
)
_PRINTABLE = string.ascii_letters + string.digits + " !#$%&'()*+-./:;<=>?@[]^_`{|}~"
_HEADER_TEXT = st.text(st.sampled_from(_PRINTABLE), max_size=12).map(str.strip)
_LIST_ITEM = st.text(st.sampled_from(string.ascii_letters + string.digits + "-_./"), min_size=1)
_TOKEN = st.text(st.sampled_from(string.ascii_lowercase + string.digits + "-"), min_size=1)
_HOST_LABEL = st.text(st.sampled_from(string.ascii_letters + string.digits + "-"), min_size=1)
_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(_NO_SURROGATES, max_size=5),
)
_DOCUMENTS = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.text(_NO_SURROGATES, max_size=3), inner, max_size=2)
    ),
    max_leaves=5,
)
_INT_RANGES = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}


class WireValues:
    """Values for one service (``protocol``: rest-json or rest-xml)."""

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self.body = "xml" if model.protocol == "rest-xml" else "json"
        self._cache: dict[tuple[str, str, int], st.SearchStrategy[Any]] = {}

    # -- operations --------------------------------------------------------------------------

    def params(
        self, operation: str, drop: frozenset[str] = frozenset()
    ) -> st.SearchStrategy[dict[str, Any]]:
        """Input params of ``operation`` (members named in ``drop`` never set)."""
        op = self.model.operation_model(operation)
        shape = op.input_shape
        if shape is None:
            return st.just({})
        query = op.http["requestUri"].partition("?")[2]
        literals = frozenset(part.partition("=")[0] for part in query.split("&") if part)
        return self._top(shape, drop, output=False, reserved_keys=literals)

    def result(
        self, operation: str, drop: frozenset[str] = frozenset()
    ) -> st.SearchStrategy[dict[str, Any]]:
        """A result of ``operation`` (members named in ``drop`` never set)."""
        shape = self.model.operation_model(operation).output_shape
        if shape is None:
            return st.just({})
        return self._top(shape, drop, output=True)

    def error_fields(self, shape: Shape) -> st.SearchStrategy[Any]:
        return self._top(shape, frozenset({"message", "Message", "Code", "Type"}), output=True)

    def _top(
        self,
        shape: Shape,
        drop: frozenset[str],
        *,
        output: bool,
        reserved_keys: frozenset[str] = frozenset(),
    ) -> st.SearchStrategy[dict[str, Any]]:
        payload = shape.serialization.get("payload")
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        # query keys a map of query parameters must not take: the named members' and the
        # template's (botocore would send the key twice)
        reserved = {
            m.serialization.get("name", n)
            for n, m in shape.members.items()
            if m.serialization.get("location") == "querystring"
        } | set(reserved_keys)
        for name, member in shape.members.items():
            if name in drop:
                continue
            place = self._place(member, output=output)
            if place is None:
                continue
            if name == payload:
                value = self._payload(member)
            elif member.serialization.get("hostLabel"):
                value = _HOST_LABEL
            else:
                value = self.value(member, place, 0)
            if place == "query" and member.type_name == "map":
                value = value.map(lambda m: {k: v for k, v in m.items() if k not in reserved})
            kind = member.type_name
            always = name in shape.required_members or place == "label"
            if output and name == payload and kind == "structure":
                always = True  # botocore reads an absent structure payload as {}
            (required if always else optional)[name] = value
        return st.fixed_dictionaries(required, optional=optional)

    def _place(self, member: Shape, *, output: bool) -> str | None:
        location = member.serialization.get("location")
        if location == "uri":
            return self.body if output else "label"  # botocore reads such output from the body
        if location == "querystring":
            return self.body if output else "query"
        if location == "header":
            if output and member.type_name == "list" and member.member.type_name == "timestamp":
                return None  # botocore splits an HTTP date at its comma
            return "header"
        if location == "headers":
            return "headers"
        if location == "statusCode":
            return "status"
        if member.type_name == "structure" and member.serialization.get("eventstream"):
            return "events" if output else None
        return self.body

    def _payload(self, member: Shape) -> st.SearchStrategy[Any]:
        if member.serialization.get("eventstream"):
            return self._events(member)
        if member.type_name == "blob":
            return st.binary(max_size=64)
        if member.type_name == "string":
            return st.text(_NO_SURROGATES, max_size=20)
        return self.value(member, self.body, 0)

    def _events(self, stream: Shape) -> st.SearchStrategy[Any]:
        options = []
        for name, event in stream.members.items():
            if event.metadata.get("exception"):
                continue
            members: dict[str, st.SearchStrategy[Any]] = {}
            for member_name, member in event.members.items():
                if member.serialization.get("eventheader"):
                    members[member_name] = self._event_header(member)
                elif member.serialization.get("eventpayload"):
                    members[member_name] = self._payload(member)
                else:
                    members[member_name] = self.value(member, self.body, 1)
            event_value = st.fixed_dictionaries({}, optional=members)
            options.append(event_value.map(_tagged(name)))
        if not options:
            return st.just([])
        return st.lists(st.one_of(*options), max_size=3)

    def _event_header(self, member: Shape) -> st.SearchStrategy[Any]:
        kind = member.type_name
        if kind == "timestamp":
            return _MILLIS
        if kind == "blob":
            return st.binary(max_size=8)
        if kind == "boolean":
            return st.booleans()
        if kind in _INT_RANGES:
            low, high = _INT_RANGES[kind]
            return st.integers(low, high)
        return st.text(_NO_SURROGATES, max_size=8)

    # -- values by place -----------------------------------------------------------------------

    def value(self, shape: Shape, place: str, depth: int) -> st.SearchStrategy[Any]:
        key = (shape.name, place, depth)
        if key not in self._cache:
            self._cache[key] = st.deferred(lambda: self._value(shape, place, depth))
        return self._cache[key]

    def _value(self, shape: Shape, place: str, depth: int) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                return _DOCUMENTS
            members = shape.members
            if shape.is_tagged_union and depth >= MAX_DEPTH:
                # a union needs one member: a scalar one, else one level deeper
                scalars = {
                    n: m
                    for n, m in members.items()
                    if m.type_name not in ("structure", "list", "map")
                }
                if scalars or depth >= 2 * MAX_DEPTH:
                    members = scalars
                if not members:
                    return st.just({})
            elif depth >= MAX_DEPTH:
                return st.just({})
            if shape.is_tagged_union:
                return st.one_of(
                    *(self.value(m, place, depth + 1).map(_tagged(n)) for n, m in members.items())
                )
            required = {
                n: self.value(m, place, depth + 1)
                for n, m in members.items()
                if n in shape.required_members
            }
            optional = {
                n: self.value(m, place, depth + 1)
                for n, m in members.items()
                if n not in shape.required_members
            }
            return st.fixed_dictionaries(required, optional=optional)
        if kind == "list":
            if depth >= MAX_DEPTH:
                return st.just([])
            item = self.value(shape.member, place, depth + 1)
            if place == "header":
                item = self._header_item(shape.member)
            return st.lists(item, max_size=3)
        if kind == "map":
            if depth >= MAX_DEPTH:
                return st.just({})
            if place == "headers":
                return st.dictionaries(_TOKEN, _HEADER_TEXT, max_size=3)
            keys = self.value(shape.key, place, depth + 1)
            values = self.value(shape.value, place, depth + 1)
            if place == "query":
                keys = st.text(_NO_SURROGATES, min_size=1, max_size=6)
                values = (
                    st.lists(st.text(_NO_SURROGATES, max_size=4), min_size=1, max_size=2)
                    if shape.value.type_name == "list"
                    else st.text(_NO_SURROGATES, max_size=4)
                )
            return st.dictionaries(keys, values, max_size=3)
        if kind == "string":
            if shape.serialization.get("jsonvalue") and place == "header":
                return _DOCUMENTS.filter(lambda v: v is not None)
            options = [self._text(place)]
            if shape.enum:
                options.append(st.sampled_from(shape.enum))
            return st.one_of(*options)
        if kind in _INT_RANGES:
            low, high = _INT_RANGES[kind]
            return st.integers(low, high)
        if kind in ("float", "double"):
            return st.floats(allow_nan=True, allow_infinity=True)
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            fmt = shape.serialization.get("timestampFormat")
            if fmt == "rfc822" or place in ("header", "header-item"):
                # HTTP dates have whole seconds, and botocore writes any header timestamp
                # from whole seconds
                return _SECONDS
            return _MILLIS
        if kind == "blob":
            return st.binary(max_size=12)
        raise AssertionError(f"no strategy for {kind}")

    def _text(self, place: str) -> st.SearchStrategy[str]:
        if place == "header":
            return _HEADER_TEXT
        if place == "label":
            return st.text(_NO_SURROGATES, min_size=1, max_size=10)
        if place == "xml":
            return st.text(_XML_CHARS, max_size=10)
        return st.text(_NO_SURROGATES, max_size=10)

    def _header_item(self, shape: Shape) -> st.SearchStrategy[Any]:
        if shape.type_name == "string":
            return _LIST_ITEM
        return self.value(shape, "header-item", 1)


def _tagged(name: str) -> Any:
    """A function making ``{name: value}`` (a union's or an event stream's one member)."""

    def tag(value: Any) -> dict[str, Any]:
        return {name: value}

    return tag


# -- what the wire cannot tell apart ----------------------------------------------------------


def expected_params(model: ServiceModel, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as a server can read them back."""
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return {}
    out: dict[str, Any] = {}
    payload = shape.serialization.get("payload")
    for name, value in params.items():
        if value is None:
            continue  # botocore sends nothing for None
        member = shape.members[name]
        location = member.serialization.get("location")
        if location is None and model.protocol == "rest-xml":
            value = _xml_survivor(member, value)
            if value is _GONE:
                continue
        if location in ("querystring", "header") and member.type_name == "list" and not value:
            continue  # botocore sends nothing for an empty list
        if location == "querystring" and member.type_name == "map":
            value = {k: v for k, v in value.items() if v != []}
            if not value:
                continue
        if name == payload and not value:
            kind = member.type_name
            if kind == "structure" and name not in shape.required_members:
                continue  # an empty structure payload is no payload
            if kind == "string" or (kind == "blob" and not member.serialization.get("streaming")):
                continue  # an empty body is no payload
        out[name] = value
    for name, member in shape.members.items():
        if member.serialization.get("location") == "headers":
            out.setdefault(name, {})  # the map of the headers with its prefix: maybe empty
    if payload and payload not in params:
        member = shape.members[payload]
        if member.type_name == "blob" and member.serialization.get("streaming"):
            out[payload] = b""  # botocore sends an empty body: the streamed payload is b""
    return out


def expected_result(
    model: ServiceModel,
    operation: str,
    result: dict[str, Any],
    content_type: str | None,
    body_length: int,
    status: int,
) -> dict[str, Any]:
    """``result`` as botocore reads it back."""
    op = model.operation_model(operation)
    shape = op.output_shape
    if shape is None:
        return {}
    head = op.http.get("method") == "HEAD"
    payload = shape.serialization.get("payload")
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        value = result.get(name)
        wire = member.serialization.get("name", name).lower()
        if location == "header" and wire == "content-length" and (not head or value is None):
            value = body_length  # the body's own length (a HEAD's: the member's, else 0)
        elif location == "header" and wire == "content-type" and value is None:
            value = content_type  # the protocol's own content type
        if location == "headers":
            value = value or {}  # botocore always reads a (maybe empty) map
        if location == "statusCode":
            value = status  # the response's own status
        if value is None:
            if name == payload and member.type_name == "blob" and not head:
                value = b""
            elif name == payload and member.type_name == "string" and not head:
                value = ""
            else:
                continue
        if location == "header" and member.type_name == "list" and not value:
            continue
        if head and location not in ("header", "headers", "statusCode"):
            continue  # a HEAD response has no body
        if location is None and model.protocol == "rest-xml":
            value = _xml_survivor(member, value)
            if value is _GONE:
                continue
        if member.serialization.get("eventstream") and isinstance(value, list):
            value = [_event_read(member, event) for event in value]
        out[name] = value
    return out


def _event_read(stream: Shape, event: dict[str, Any]) -> dict[str, Any]:
    """An event as botocore yields it: an absent ``eventpayload`` member is read from the
    empty payload (a structure as {}, bytes as b"", a string as "")."""
    out = {}
    for name, value in event.items():
        shape = stream.members[name]
        value = dict(value)
        for member_name, member in shape.members.items():
            if member.serialization.get("eventpayload") and member_name not in value:
                value[member_name] = {"blob": b"", "string": ""}.get(member.type_name, {})
        out[name] = value
    return out


_GONE = object()


def _xml_survivor(shape: Shape, value: Any) -> Any:
    """A body member's value as XML carries it: an empty flattened list or map is nothing."""
    kind = shape.type_name
    if kind in ("list", "map") and shape.serialization.get("flattened") and not value:
        return _GONE
    if kind == "structure" and not shape.is_document_type and isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name not in shape.members:
                continue
            kept = _xml_survivor(shape.members[name], item)
            if kept is not _GONE:
                out[name] = kept
        return out
    if kind == "list" and isinstance(value, list):
        return [
            kept
            for kept in (_xml_survivor(shape.member, item) for item in value)
            if kept is not _GONE
        ]
    if kind == "map" and isinstance(value, dict):
        return {
            k: kept
            for k, kept in ((k, _xml_survivor(shape.value, v)) for k, v in value.items())
            if kept is not _GONE
        }
    return value


def minimal(shape: Shape) -> Any:
    """The simplest value of ``shape`` botocore sends: required members only, the least
    lengths and values its model allows (a label or host label never empty)."""
    kind = shape.type_name
    low = int(shape.metadata.get("min") or 0)
    if kind == "structure":
        if shape.is_document_type:
            return {}
        if shape.is_tagged_union:
            name = next(iter(shape.members))
            return {name: minimal(shape.members[name])}
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [minimal(shape.member) for _ in range(min(low, 3))]
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return "x" * max(low, 1)
    if kind in _INT_RANGES or kind in ("float", "double"):
        return max(low, 1) if kind in _INT_RANGES else float(max(low, 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime(2020, 2, 4, tzinfo=timezone.utc)
    return b"x" * max(low, 1)
