"""XML response bodies, as botocore's XML parsers read them (query, ec2; rest-xml builds on it).

Element names follow botocore's ``BaseXMLResponseParser``, from the tables: a structure member
is written under its ``locationName`` (the member's, else its shape's, else the member name),
except a flattened list whose items have a ``locationName``, which is written under that;
a list's items under their ``locationName`` or ``member`` inside the list's element (a
flattened list repeats the items' element instead); a map's entries as ``entry`` elements of
``key`` and ``value`` (their ``locationName`` when given; a flattened map repeats the map's
element for each entry). :func:`member_element` and friends state these rules once: the
generic :class:`XmlWriter` walks the tables with them, and the protocol generator writes
straight-line writers from them (``codegen/generators/protocol.py``), which must give the
same bytes.

Escaping: ``& < > " '`` and CR (an XML parser reads a raw CR as a newline) are escaped;
characters XML 1.0 cannot carry at all (controls other than tab, LF and CR, U+FFFE, U+FFFF,
lone surrogates) become U+FFFD, so every body parses. Protocols refuse such characters in
requests, so what a client sent comes back exactly.

The generated writers are ``(a, e, v) -> None``: ``a`` appends text, ``e`` is called with each
string before it is written raw (a collector, checked at once afterwards with :func:`clean`; or
:data:`UNSAFE`, meaning "escape as you go"), ``v`` the value. The helpers they call live here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final, NamedTuple

from .tables import Ref, ServiceTables, Shape
from .values import blob_text, float_text, timestamp_text

__all__ = [
    "UNSAFE",
    "XML_ILLEGAL",
    "Again",
    "Append",
    "Check",
    "Element",
    "Writer",
    "XmlWriter",
    "clean",
    "entry_elements",
    "escape",
    "iso8601",
    "item_element",
    "mapping",
    "member_element",
    "sequence",
    "string_text",
]

Append = Callable[[str], None]
Check = Callable[[str], object]
Writer = Callable[[Append, Check, Any], None]

XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES: Final = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&apos;",
    ord("\r"): "&#xD;",  # an XML parser reads a raw CR as a newline
}
# what escape changes: a character to escape, or one XML cannot carry
UNSAFE: Final = re.compile("[&<>\"'\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]").search
_UNSAFE_ASCII: Final = tuple("&<>\"'\r" + "".join(map(chr, [*range(9), 11, 12, *range(14, 32)])))
_ISO8601_UTC: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{0,5}[1-9])?Z"
).fullmatch


def escape(text: str) -> str:
    """``text`` as XML character data (and attribute values)."""
    return XML_ILLEGAL.sub("\ufffd", text).translate(_ESCAPES)


def clean(text: str) -> bool:
    """Whether ``text`` is written as it is (:func:`escape` would not change it)."""
    if text.isascii():
        for char in _UNSAFE_ASCII:  # each a fast scan of the text, unlike a regex
            if char in text:
                return False
        return True
    return UNSAFE(text) is None


class Again(Exception):
    """A list or map that may not be read twice: write the body in one escaping pass."""


def string_text(value: Any) -> str:
    return escape(str(value))


def sequence(value: Any, check: Check) -> Any:
    """A list's items, in a collecting pass only when they can be read again."""
    if type(value) is list or type(value) is tuple or check is UNSAFE:
        return value
    raise Again


def mapping(value: Any, check: Check) -> Any:
    """A map's entries, in a collecting pass only when they can be read again."""
    if type(value) is dict or check is UNSAFE:
        return value
    raise Again


def iso8601(value: Any) -> str:
    """A timestamp in ISO 8601, UTC (the XML protocols' default format)."""
    if type(value) is datetime and value.tzinfo is timezone.utc:
        clock = value.time().isoformat()  # 01:02:03, or 01:02:03.120000
        if value.microsecond:
            clock = clock.rstrip("0")
        return f"{value.date().isoformat()}T{clock}Z"  # years zero-padded to four digits
    if type(value) is str and _ISO8601_UTC(value) is not None:
        try:  # written as it is when it is a valid moment (year 1 to 9999, real days)
            datetime.fromisoformat(value[:-1])
            return value
        except ValueError:
            pass
    return timestamp_text(value)


# -- element names ---------------------------------------------------------------------------


class Element(NamedTuple):
    """How a value is written: its shape, element name, whether a list or map is flattened (no
    wrapper element) and a timestamp's format ("" for ISO 8601)."""

    shape: str
    tag: str
    flattened: bool = False
    timestamp_format: str = ""


def _element(tables: ServiceTables, ref: Ref, tag: str) -> Element:
    target = tables.shapes[ref.shape]
    flattened = ref.flattened or target.flattened
    fmt = (ref.timestamp_format or target.timestamp_format) if target.type == "timestamp" else ""
    return Element(ref.shape, tag, flattened, fmt)


def member_element(tables: ServiceTables, ref: Ref) -> Element:
    """The element of a structure member (botocore's ``_member_key_name``)."""
    target = tables.shapes[ref.shape]
    flattened = ref.flattened or target.flattened
    if target.type == "list" and flattened and target.member and target.member.location_name:
        return _element(tables, ref, target.member.location_name)
    return _element(tables, ref, ref.location_name or target.location_name or ref.name)


def item_element(tables: ServiceTables, shape: Shape, outer: Element) -> Element:
    """The element of a list's items (``outer``: the list's own element)."""
    assert shape.member is not None
    tag = outer.tag if outer.flattened else (shape.member.location_name or "member")
    return _element(tables, shape.member, tag)


def entry_elements(
    tables: ServiceTables, shape: Shape, outer: Element
) -> tuple[str, Element, Element]:
    """A map's entry element name and the elements of its keys and values."""
    assert shape.key is not None and shape.value is not None
    entry = outer.tag if outer.flattened else "entry"
    key = _element(tables, shape.key, shape.key.location_name or "key")
    value = _element(tables, shape.value, shape.value.location_name or "value")
    return entry, key, value


# -- the generic writer ------------------------------------------------------------------------


class XmlWriter:
    """Writes values of a service's shapes as XML elements, walking its tables.

    Gives the bytes the generated straight-line writers give for every valid value; used
    where a protocol has no generated writer for an operation (and by tests as the reference).
    """

    def __init__(self, tables: ServiceTables) -> None:
        self.tables = tables
        self._members: dict[str, tuple[tuple[str, Element], ...]] = {}

    def members(self, out: list[str], shape_name: str, value: Mapping[str, Any]) -> None:
        """The members of a structure value (in the model's order; absent ones left out)."""
        elements = self._members.get(shape_name)
        if elements is None:
            shape = self.tables.shapes[shape_name]
            elements = tuple(
                (ref.name, member_element(self.tables, ref))
                for ref in shape.members
                if not ref.location  # REST members in headers or the URI are not in the body
            )
            self._members[shape_name] = elements
        for name, element in elements:
            item = value.get(name)
            if item is not None:
                self.element(out, element, item)

    def element(self, out: list[str], element: Element, value: Any) -> None:
        shape = self.tables.shapes[element.shape]
        tag = element.tag
        kind = shape.type
        if kind == "structure":
            out.append(f"<{tag}>")
            self.members(out, element.shape, value)
            out.append(f"</{tag}>")
        elif kind == "list":
            item = item_element(self.tables, shape, element)
            if not element.flattened:
                out.append(f"<{tag}>")
            for entry in value:
                self.element(out, item, entry)
            if not element.flattened:
                out.append(f"</{tag}>")
        elif kind == "map":
            entry, key, val = entry_elements(self.tables, shape, element)
            if not element.flattened:
                out.append(f"<{tag}>")
            for k, v in value.items():
                out.append(f"<{entry}>")
                self.element(out, key, k)
                self.element(out, val, v)
                out.append(f"</{entry}>")
            if not element.flattened:
                out.append(f"</{tag}>")
        else:
            out.append(f"<{tag}>{scalar_text(kind, element.timestamp_format, value)}</{tag}>")


def scalar_text(kind: str, timestamp_format: str, value: Any) -> str:
    """A scalar of shape type ``kind`` as XML text (escaped)."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("integer", "long"):
        return str(value if type(value) is int else int(value))
    if kind in ("float", "double"):
        return float_text(value)
    if kind == "blob":
        return blob_text(value)
    if kind == "timestamp":
        if timestamp_format in ("unixTimestamp", "rfc822"):
            return timestamp_text(value, timestamp_format)
        return iso8601(value)
    return string_text(value)
