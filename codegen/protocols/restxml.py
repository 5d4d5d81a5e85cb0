"""``rest-xml``: the REST binding (:mod:`.rest`) with XML bodies: route53, cloudfront, s3control
(and S3, whose quirks :mod:`.s3` adds).

Bodies (:class:`XmlValues`, by shape type), as botocore writes and reads them: a request body's
root element is the operation input's ``locationName`` (``CreateHostedZoneRequest``) or, for a
payload member, the member's wire name (``AccessControlPolicy``), with its ``xmlns``;
structures hold one element per member (its ``locationName``), ``xmlAttribute`` members are
attributes of their structure's element (``xsi:type``); lists are wrapped (items named by the
list member's ``locationName``, else ``member``) unless ``flattened`` (each item an element of
the member's name); maps are ``entry`` elements holding ``key`` and ``value`` (or the names the
model gives; ``flattened``: each entry an element of the member's name); timestamps ISO 8601
unless the member says otherwise; blobs base64; booleans ``true``/``false``. Element names
are compared without their namespace prefix. Unknown elements are ignored.

Request XML is read by expat with no DTD: a ``DOCTYPE`` (so any entity) is refused, as is
nesting deeper than :data:`MAX_DEPTH`; reading is linear in the body. Anything malformed is a
400 ``MalformedXML``; a value that does not read as its type a 400 ``InvalidInput``.

Errors (route53 and cloudfront style)::

    <ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
      <Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>...</Message></Error>
      <RequestId>...</RequestId>
    </ErrorResponse>

with the error shape's status and its other members inside ``<Error>``. A request that does
not validate gets the operation's own validation error when it models one (route53's
``InvalidInput``, cloudfront's ``InvalidArgument``), else ``InvalidInput``, worded as AWS words
it ("1 validation error detected: ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Final
from xml.parsers import expat

from . import register
from .errors import ProtocolError, ServiceError
from .http import HttpResponse
from .rest import RestProtocol, wire_name
from .tables import Operation, Ref, ServiceTables, Shape
from .values import blob_text, float_text, parse_text, timestamp_text

__all__ = ["MAX_DEPTH", "Node", "RestXmlProtocol", "XmlValues", "parse_xml"]

MAX_DEPTH: Final = 256
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTRIBUTE_ESCAPES: Final = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#xD;",
        "\n": "&#xA;",
        "\t": "&#x9;",
    }
)


# -- reading XML ---------------------------------------------------------------------------


class Node:
    """An element: its local name, its attributes (names as written), its children, its text."""

    __slots__ = ("attrs", "children", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node] = []
        self.text: list[str] = []

    def value(self) -> str:
        return "".join(self.text)


class _Refused(Exception):
    pass


def parse_xml(body: bytes, fail: Callable[[str], ProtocolError]) -> Node:
    """The root element of an XML document (no DTD, at most :data:`MAX_DEPTH` deep)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[Node] = []
    roots: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        node = Node(name.rpartition(":")[2], attrs)
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
        if len(stack) > MAX_DEPTH:
            raise _Refused(f"The XML nests deeper than {MAX_DEPTH} elements.")

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    def doctype(*args: object) -> None:
        raise _Refused("The XML has a DOCTYPE declaration; none is allowed.")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(body, True)
    except _Refused as refused:
        raise fail(str(refused)) from None
    except expat.ExpatError as error:
        raise fail(
            f"The XML you provided was not well-formed: {expat.ErrorString(error.code)}"
            f" (line {error.lineno}, column {error.offset})."
        ) from None
    if not roots:
        raise fail("The XML you provided has no root element.")
    return roots[0]


# -- values --------------------------------------------------------------------------------


class XmlValues:
    """botocore-style Python values to and from XML, by shape."""

    def __init__(
        self,
        tables: ServiceTables,
        fail: Callable[[str], ProtocolError],
        value_fail: Callable[[str], ProtocolError],
        default_namespace: str = "",
    ) -> None:
        self.shapes = tables.shapes
        self.fail = fail
        self.value_fail = value_fail
        self.default_namespace = default_namespace

    # -- reading ---------------------------------------------------------------------------

    def read_members(self, members: Sequence[Ref], node: Node, path: str = "") -> dict[str, Any]:
        children: dict[str, list[Node]] = {}
        for child in node.children:
            children.setdefault(child.tag, []).append(child)
        out: dict[str, Any] = {}
        for ref in members:
            shape = self.shapes[ref.shape]
            name = wire_name(ref, shape)
            where = f"{path}.{ref.name}" if path else ref.name
            if ref.xml_attribute:
                if name in node.attrs:
                    out[ref.name] = self.read_text(ref, shape, node.attrs[name], where)
                continue
            flattened = ref.flattened or shape.flattened
            if flattened and shape.type in ("list", "map"):
                items = children.get(name)
                if items is None and shape.type == "list" and shape.member is not None:
                    item_shape = self.shapes[shape.member.shape]
                    items = children.get(shape.member.location_name or item_shape.location_name)
                if items is not None:
                    if shape.type == "list":
                        out[ref.name] = self._list_items(shape, items, where)
                    else:
                        out[ref.name] = self._map_entries(shape, items, where)
                continue
            found = children.get(name)
            if found:
                out[ref.name] = self.read(ref, found[-1], where)
        return out

    def read(self, ref: Ref, node: Node, path: str) -> Any:
        shape = self.shapes[ref.shape]
        kind = shape.type
        if kind == "structure":
            return self.read_members(shape.members, node, path)
        if kind == "list":
            return self._list_items(shape, node.children, path)
        if kind == "map":
            return self._map_entries(shape, node.children, path)
        return self.read_text(ref, shape, node.value(), path)

    def _list_items(self, shape: Shape, items: Sequence[Node], path: str) -> list[Any]:
        item_ref = shape.member
        assert item_ref is not None
        return [self.read(item_ref, item, f"{path}[{index}]") for index, item in enumerate(items)]

    def _map_entries(self, shape: Shape, entries: Sequence[Node], path: str) -> dict[str, Any]:
        key_ref, value_ref = shape.key, shape.value
        assert key_ref is not None and value_ref is not None
        key_name, value_name = self._entry_names(shape)
        out: dict[str, Any] = {}
        for entry in entries:
            key_node = next((c for c in entry.children if c.tag == key_name), None)
            value_node = next((c for c in entry.children if c.tag == value_name), None)
            if key_node is None:
                raise self.fail(f"A map entry at '{path}' has no <{key_name}>.")
            key = key_node.value()
            if value_node is not None:
                out[key] = self.read(value_ref, value_node, f"{path}.{key}")
        return out

    def read_text(self, ref: Ref, shape: Shape, text: str, path: str) -> Any:
        kind = shape.type
        if kind in ("string", "character"):
            return text
        # XML text around a number, a date or base64 (line breaks in long base64) is layout
        text = "".join(text.split()) if kind == "blob" else text.strip()
        fmt = ref.timestamp_format or shape.timestamp_format or "iso8601"
        try:
            return parse_text(kind, text, fmt)
        except ValueError as error:
            shown = text if len(text) <= 80 else text[:80] + "..."
            raise self.value_fail(
                f"The value at '{path}' is not valid: {shown!r} is {error}."
            ) from None

    # -- writing ---------------------------------------------------------------------------

    def element(
        self,
        ref: Ref,
        value: Any,
        name: str | None = None,
        namespace: str = "",
    ) -> str:
        """``value`` as the element ``name`` (default: the member's wire name)."""
        shape = self.shapes[ref.shape]
        if name is None:
            name = wire_name(ref, shape)
        attrs = self._namespace_attr(ref, shape, namespace)
        kind = shape.type
        if kind == "structure":
            inner, more = self.members(shape.members, value)
            return f"<{name}{attrs}{more}>{inner}</{name}>"
        if kind == "list":
            item_ref = shape.member
            assert item_ref is not None
            item_name = (
                wire_name(item_ref, self.shapes[item_ref.shape])
                if (item_ref.location_name or self.shapes[item_ref.shape].location_name)
                else "member"
            )
            inner = "".join(self.element(item_ref, item, item_name) for item in value)
            return f"<{name}{attrs}>{inner}</{name}>"
        if kind == "map":
            inner = "".join(
                f"<entry>{self._entry(shape, key, item)}</entry>" for key, item in value.items()
            )
            return f"<{name}{attrs}>{inner}</{name}>"
        return f"<{name}{attrs}>{self.text(ref, shape, value)}</{name}>"

    def _entry_names(self, shape: Shape) -> tuple[str, str]:
        key_ref, value_ref = shape.key, shape.value
        assert key_ref is not None and value_ref is not None
        key_name = key_ref.location_name or self.shapes[key_ref.shape].location_name or "key"
        value_shape = self.shapes[value_ref.shape]
        value_name = value_ref.location_name or value_shape.location_name or "value"
        return key_name, value_name

    def _entry(self, shape: Shape, key: Any, value: Any) -> str:
        key_ref, value_ref = shape.key, shape.value
        assert key_ref is not None and value_ref is not None
        key_name, value_name = self._entry_names(shape)
        return self.element(key_ref, key, key_name) + self.element(value_ref, value, value_name)

    def members(self, members: Sequence[Ref], value: Mapping[str, Any]) -> tuple[str, str]:
        """A structure's members: (child elements, attributes)."""
        parts: list[str] = []
        attrs: list[str] = []
        for ref in members:
            item = value.get(ref.name)
            if item is None:
                continue
            shape = self.shapes[ref.shape]
            name = wire_name(ref, shape)
            if ref.xml_attribute:
                text = _attribute(self.text(ref, shape, item))
                attrs.append(f' {name}="{text}"')
                continue
            if (ref.flattened or shape.flattened) and shape.type == "list":
                item_ref = shape.member
                assert item_ref is not None
                item_shape = self.shapes[item_ref.shape]
                item_name = item_ref.location_name or item_shape.location_name or name
                parts.extend(self.element(item_ref, x, item_name) for x in item)
            elif (ref.flattened or shape.flattened) and shape.type == "map":
                parts.extend(
                    f"<{name}>{self._entry(shape, key, x)}</{name}>" for key, x in item.items()
                )
            else:
                parts.append(self.element(ref, item, name))
        return "".join(parts), "".join(attrs)

    def _namespace_attr(self, ref: Ref, shape: Shape, namespace: str) -> str:
        given = ref.xml_namespace or shape.xml_namespace
        if given is not None:
            prefix, uri = given
            return f' xmlns{":" + prefix if prefix else ""}="{_attribute(uri)}"'
        if namespace:
            return f' xmlns="{_attribute(namespace)}"'
        return ""

    def text(self, ref: Ref, shape: Shape, value: Any) -> str:
        kind = shape.type
        if kind == "boolean":
            return "true" if value else "false"
        if kind == "timestamp":
            fmt = ref.timestamp_format or shape.timestamp_format or "iso8601"
            return _escape(timestamp_text(value, fmt))
        if kind == "blob":
            return blob_text(value)
        if kind in ("float", "double"):
            return float_text(value)
        return _escape(str(value))

    def document(
        self, name: str, members: Sequence[Ref], value: Mapping[str, Any], namespace: str
    ) -> bytes:
        """A whole body: the element ``name`` holding ``members`` of ``value``."""
        inner, attrs = self.members(members, value)
        ns = f' xmlns="{_attribute(namespace)}"' if namespace else ""
        return f"<{name}{ns}{attrs}>{inner}</{name}>".encode()


def _escape(text: str) -> str:
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("\ufffd", text)
    return text.translate(_ESCAPES)


def _attribute(text: str) -> str:
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("\ufffd", text)
    return text.translate(_ATTRIBUTE_ESCAPES)


# -- the protocol --------------------------------------------------------------------------


@register("rest-xml")
class RestXmlProtocol(RestProtocol):
    """``rest-xml`` (route53, cloudfront, s3control; S3 is :class:`~.s3.S3Protocol`)."""

    name: ClassVar[str] = "rest-xml"
    content_type: ClassVar[str] = "application/xml"
    event_content_type: ClassVar[str] = "text/xml"
    body_timestamp_format: ClassVar[str] = "iso8601"
    value_error_code: ClassVar[str] = "InvalidInput"
    body_error_code: ClassVar[str] = "MalformedXML"
    malformed_code: ClassVar[str] = "MalformedXML"
    default_validation_code: ClassVar[str] = "InvalidInput"

    def __init__(self, tables: ServiceTables, validate: Any) -> None:
        super().__init__(tables, validate)
        namespace = tables.xml_namespace or next(
            (
                op.input_xml_namespace
                for op in tables.operations.values()
                if op.input_xml_namespace
            ),
            "",
        )
        self.namespace = namespace
        self.xml = XmlValues(tables, self.body_error, self.value_error, namespace)

    # -- bodies ----------------------------------------------------------------------------

    def read_body(
        self, shape_name: str, members: Sequence[Ref], body: bytes, op: Operation | None
    ) -> dict[str, Any]:
        if not body.strip():
            return {}
        root = parse_xml(body, self.body_error)
        return self.xml.read_members(members, root)

    def read_payload(self, ref: Ref, body: bytes) -> Any:
        root = parse_xml(body, self.body_error)
        return self.xml.read(ref, root, ref.name)

    def write_body(
        self,
        shape_name: str,
        members: Sequence[Ref],
        value: Mapping[str, Any],
        op: Operation | None,
        root: str = "",
    ) -> bytes:
        if not members and not root:
            return b""
        shape = self.tables.shapes[shape_name]
        name = root or shape.location_name or shape_name
        namespace = shape.xml_namespace[1] if shape.xml_namespace else self.namespace
        return self.xml.document(name, members, value, namespace)

    def write_payload(self, ref: Ref, value: Any) -> bytes:
        shape = self.tables.shapes[ref.shape]
        if ref.xml_namespace or shape.xml_namespace:
            return self.xml.element(ref, value).encode()
        return self.xml.element(ref, value, namespace=self.namespace).encode()

    # -- errors ----------------------------------------------------------------------------

    def write_error(
        self,
        response: HttpResponse,
        error: ServiceError,
        shape_name: str,
        fields: Mapping[str, Any],
        request_id: str,
    ) -> None:
        kind = "Sender" if error.sender_fault else "Receiver"
        inner = (
            f"<Type>{kind}</Type><Code>{_escape(error.code)}</Code>"
            f"<Message>{_escape(error.message)}</Message>"
        )
        inner += self._error_fields(shape_name, fields)
        ns = f' xmlns="{_attribute(self.namespace)}"' if self.namespace else ""
        body = (
            f"<ErrorResponse{ns}><Error>{inner}</Error>"
            f"<RequestId>{_escape(request_id)}</RequestId></ErrorResponse>"
        )
        response.headers.append(("Content-Type", self.content_type))
        response.body = body.encode()

    def _error_fields(self, shape_name: str, fields: Mapping[str, Any]) -> str:
        if not shape_name or not fields:
            return ""
        refs = [
            ref
            for ref in self.error_plan(shape_name).body
            if ref.name in fields
            and wire_name(ref, self.tables.shapes[ref.shape]) not in ("Type", "Code", "Message")
        ]
        inner, _ = self.xml.members(refs, fields)
        return inner
