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

Request XML (UTF-8) is parsed by the standard library's C parser with no DTD: a ``DOCTYPE``
(so any entity) is refused; parsing is linear in the body, and reading walks the elements the
shape has, once (each structure's member names are looked up in a table built once per
shape). Anything malformed is a 400 ``MalformedXML``; a value that does not read as its type a
400 ``InvalidInput``; an element the shape does not have is ignored.

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
from typing import Any, ClassVar, Final, NamedTuple
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from . import register
from .errors import ProtocolError, ServiceError
from .http import HttpResponse
from .rest import RestProtocol, wire_name
from .tables import Operation, Ref, ServiceTables, Shape
from .values import blob_text, float_text, parse_text, timestamp_text

__all__ = ["RestXmlProtocol", "XmlValues", "parse_xml"]

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

_NAMESPACE: Final = re.compile(r"\{[^}]*\}")


def parse_xml(body: bytes, fail: Callable[[str], ProtocolError]) -> Element:
    """The root element of an XML document in UTF-8, without a DTD (a ``DOCTYPE`` is
    refused: no entity is ever declared, so none is expanded). Parsed by the standard library's
    C parser (expat), in time linear in the body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("The XML you provided is not UTF-8.") from None
    if "<!DOCTYPE" in text:
        raise fail("The XML you provided has a DOCTYPE declaration; none is allowed.")
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise fail(f"The XML you provided was not well-formed: {error}.") from None


def _tag(element: Element) -> str:
    """An element's local name (its namespace, if any, left out)."""
    tag = element.tag
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


class _Field(NamedTuple):
    """How a structure member is read: from elements of ``tag`` (all of them where flattened),
    or from the attribute ``tag``."""

    name: str
    tag: str
    ref: Ref
    shape: Shape
    flattened: bool
    attribute: bool
    text: bool  # a string: the element's text as it is


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
        # id(members) -> (members, element fields by tag, attribute fields)
        self._fields: dict[int, tuple[Sequence[Ref], dict[str, _Field], list[_Field]]] = {}

    # -- reading ---------------------------------------------------------------------------

    def _plan(self, members: Sequence[Ref]) -> tuple[dict[str, _Field], list[_Field]]:
        """The fields of a structure (its members, or a body's part of them), by element name:
        built once per member list."""
        cached = self._fields.get(id(members))
        if cached is not None and cached[0] is members:
            return cached[1], cached[2]
        elements: dict[str, _Field] = {}
        attributes: list[_Field] = []
        for ref in members:
            shape = self.shapes[ref.shape]
            name = wire_name(ref, shape)
            flattened = (ref.flattened or shape.flattened) and shape.type in ("list", "map")
            text = shape.type in ("string", "character")
            field = _Field(ref.name, name, ref, shape, flattened, ref.xml_attribute, text)
            if ref.xml_attribute:
                attributes.append(field)
                continue
            elements.setdefault(name.rpartition(":")[2], field)
            if flattened and shape.type == "list" and shape.member is not None:
                # botocore's parser reads a flattened list's items by their own name too
                item = shape.member.location_name or self.shapes[shape.member.shape].location_name
                if item:
                    elements.setdefault(item, field)
        self._fields[id(members)] = (members, elements, attributes)
        return elements, attributes

    def read_members(
        self, members: Sequence[Ref], node: Element, path: str = ""
    ) -> dict[str, Any]:
        elements, attributes = self._plan(members)
        flat: dict[str, tuple[_Field, list[Element]]] | None = None
        out: dict[str, Any] = {}
        for child in node:
            tag = child.tag
            field = elements.get(tag.rpartition("}")[2] if tag[:1] == "{" else tag)
            if field is None:
                continue  # an element this shape does not have: ignored
            if field.text:
                out[field.name] = child.text or ""  # the common case, without a path
            elif field.flattened:
                if flat is None:
                    flat = {}
                flat.setdefault(field.name, (field, []))[1].append(child)
            else:
                name = field.name
                out[name] = self.read(field.ref, child, f"{path}.{name}" if path else name)
        for name, (field, items) in (flat or {}).items():
            where = f"{path}.{name}" if path else name
            if field.shape.type == "list":
                out[name] = self._list_items(field.shape, items, where)
            else:
                out[name] = self._map_entries(field.shape, items, where)
        for field in attributes:
            value = self._attribute(node, field.tag)
            if value is not None:
                where = f"{path}.{field.name}" if path else field.name
                out[field.name] = self.read_text(field.ref, field.shape, value, where)
        return out

    @staticmethod
    def _attribute(node: Element, name: str) -> str | None:
        """An attribute by its name as the model writes it (``xsi:type``): the parser gives
        ``{namespace}type`` for a prefixed one."""
        value = node.get(name)
        if value is not None or ":" not in name:
            return value
        local = name.partition(":")[2]
        for key, found in node.attrib.items():
            if key[:1] == "{" and key.rpartition("}")[2] == local:
                return found
        return None

    def read(self, ref: Ref, node: Element, path: str) -> Any:
        shape = self.shapes[ref.shape]
        kind = shape.type
        if kind == "structure":
            return self.read_members(shape.members, node, path)
        if kind == "list":
            return self._list_items(shape, list(node), path)
        if kind == "map":
            return self._map_entries(shape, list(node), path)
        return self.read_text(ref, shape, node.text or "", path)

    def _list_items(self, shape: Shape, items: Sequence[Element], path: str) -> list[Any]:
        item_ref = shape.member
        assert item_ref is not None
        return [self.read(item_ref, item, f"{path}[{index}]") for index, item in enumerate(items)]

    def _map_entries(self, shape: Shape, entries: Sequence[Element], path: str) -> dict[str, Any]:
        key_ref, value_ref = shape.key, shape.value
        assert key_ref is not None and value_ref is not None
        key_name, value_name = self._entry_names(shape)
        out: dict[str, Any] = {}
        for entry in entries:
            key_node = next((c for c in entry if _tag(c) == key_name), None)
            value_node = next((c for c in entry if _tag(c) == value_name), None)
            if key_node is None:
                raise self.fail(f"A map entry at '{path}' has no <{key_name}>.")
            key = key_node.text or ""
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
