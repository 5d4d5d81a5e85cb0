"""The response serializer of the generated protocol layer as it was before it became
straight-line code per shape (apigen 0.1.0, commit 44d274a): a generic walk over the module's
``SHAPES`` tables, kept here only as the reference of the differential tests
(``tests/generators/test_protocol_serializer.py``). Not used by apigen itself.

It reads nothing from the generated module but its model tables (``TABLES``) and the XML
namespace, so the generated serializer's code is compared with an independent implementation.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&apos;",
    ord("\r"): "&#xD;",  # an XML parser reads a raw CR as a newline
}
_ISO8601 = re.compile(
    r"([0-9]{1,4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
    r"(?:([Zz])|([-+])([0-9]{2}):?([0-9]{2}))"
)
_EPOCH = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,9})?")


def _escape(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text).translate(_ESCAPES)


class ReferenceSerializer:
    """``serialize_response`` of one generated protocol module, the old way.

    Reads the module's tables (``TABLES``: shapes and operations, with botocore's wire names)
    and applies botocore's XML naming itself: a member's element is its ``locationName``, a
    flattened list with named items is written under the items' name, a list's items are
    ``member`` unless named, a map's entries ``entry`` with ``key`` and ``value``."""

    def __init__(self, protocol: Any) -> None:
        self.shapes = protocol.TABLES.shapes
        self.operations = protocol.TABLES.operations
        self.namespace = protocol.protocol.namespace

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> bytes:
        if operation not in self.operations:
            raise KeyError(f"unknown operation {operation!r}")
        out: list[str] = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<{operation}Response xmlns="{self.namespace}">',
            f"<requestId>{_escape(request_id)}</requestId>",
        ]
        output_shape = self.operations[operation].output
        if output_shape:
            self._write_members(out, output_shape, result)
        out.append(f"</{operation}Response>")
        return "".join(out).encode("utf-8")

    def _flattened(self, ref: Any) -> bool:
        return bool(ref.flattened or self.shapes[ref.shape].flattened)

    def _write_members(self, out: list[str], shape_name: str, value: Mapping[str, Any]) -> None:
        for ref in self.shapes[shape_name].members:
            item = value.get(ref.name)
            if item is None:
                continue
            target = self.shapes[ref.shape]
            tag = ref.location_name or target.location_name or ref.name
            if target.type == "list" and self._flattened(ref) and target.member.location_name:
                tag = target.member.location_name
            self._write(out, ref, tag, self._flattened(ref), item)

    def _write(self, out: list[str], ref: Any, tag: str, flattened: bool, value: Any) -> None:
        shape = self.shapes[ref.shape]
        if shape.type == "list":
            assert shape.member is not None
            if flattened:
                for item in value:
                    self._write(out, shape.member, tag, self._flattened(shape.member), item)
                return
            out.append(f"<{tag}>")
            item_tag = shape.member.location_name or "member"
            for item in value:
                self._write(out, shape.member, item_tag, self._flattened(shape.member), item)
            out.append(f"</{tag}>")
            return
        if shape.type == "map":
            assert shape.key is not None and shape.value is not None
            if not flattened:
                out.append(f"<{tag}>")
            entry = tag if flattened else "entry"
            key_tag = shape.key.location_name or "key"
            value_tag = shape.value.location_name or "value"
            for key, item in value.items():
                out.append(f"<{entry}>")
                self._write(out, shape.key, key_tag, self._flattened(shape.key), key)
                self._write(out, shape.value, value_tag, self._flattened(shape.value), item)
                out.append(f"</{entry}>")
            if not flattened:
                out.append(f"</{tag}>")
            return
        if shape.type == "structure":
            out.append(f"<{tag}>")
            self._write_members(out, ref.shape, value)
            out.append(f"</{tag}>")
            return
        out.append(f"<{tag}>{_escape(_text(shape, ref, value))}</{tag}>")


def _text(shape: Any, ref: Any, value: Any) -> str:
    kind = shape.type
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "Infinity" if number > 0 else "-Infinity"
        return repr(number)
    if kind in ("integer", "long"):
        return str(int(value))
    if kind == "timestamp":
        return _timestamp_text(value, ref.timestamp_format or shape.timestamp_format or None)
    if kind == "blob":
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return base64.b64encode(data).decode("ascii")
    return str(value)


def _timestamp_text(value: Any, timestamp_format: str | None) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, str):
        parsed = _timestamp(value, timestamp_format)
        if parsed is None:
            raise ValueError(f"not a timestamp: {value!r}")
        moment = parsed
    else:
        moment = datetime.fromtimestamp(float(value), timezone.utc)
    moment = moment.astimezone(timezone.utc)
    if timestamp_format == "unixTimestamp":
        seconds = (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) / timedelta(seconds=1)
        return str(int(seconds)) if seconds == int(seconds) else repr(seconds)
    if timestamp_format == "rfc822":
        return format_datetime(moment.replace(microsecond=0), usegmt=True)
    text = (  # not strftime: it writes year 99 as "99", which reads back as 1999
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def _timestamp(text: str, timestamp_format: str | None) -> datetime | None:
    match = _ISO8601.fullmatch(text)
    try:
        if match is not None:
            year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
            fraction = match.group(7)
            micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
            offset = timedelta(0)
            if match.group(9):
                offset = timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
                if match.group(9) == "-":
                    offset = -offset
            value = datetime(year, month, day, hour, minute, second, micro, timezone(offset))
            return value.astimezone(timezone.utc)
        if _EPOCH.fullmatch(text):
            return datetime.fromtimestamp(float(text), timezone.utc)
        if timestamp_format == "rfc822" or text[:1].isalpha():
            value = parsedate_to_datetime(text)
            if value.tzinfo is None:
                value = value.replace(tzinfo=timezone.utc)
            return value.astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError, TypeError, IndexError):
        return None
    return None
