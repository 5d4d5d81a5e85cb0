"""Event streams (``application/vnd.amazon.eventstream``): the binary framing, both ways, and an
output's events as one response body.

A stream is a sequence of messages; each message is, big-endian::

    total length (uint32) | headers length (uint32) | CRC32 of those 8 bytes
    headers: name length (uint8) | name (UTF-8) | type (uint8) | value
    payload
    CRC32 of everything before

Header value types: 0 true, 1 false, 2 byte, 3 short, 4 integer, 5 long (signed), 6 bytes and
7 string (uint16 length, then the bytes), 8 timestamp (int64 milliseconds since the epoch),
9 UUID (16 bytes).

A result holds an event-stream member as a list of events, each ``{EventName: {members}}`` (as
botocore yields them). :func:`event_stream_body` writes them in one body, in order, after the
``initial-response`` event where the protocol has one (the RPC protocols put the output's
other members there; the REST protocols send them as HTTP headers): ``:message-type`` ``event``
with ``:event-type`` (the event's member name in the stream) and ``:content-type``; the event's
``eventheader`` members as typed headers (named as botocore reads them: by member name), its
``eventpayload`` member as the whole payload (bytes as they are, a string as UTF-8, a structure
in the protocol's body format), else its other members as a structure in the protocol's format.
An event that is one of the stream's modeled errors is an ``exception`` message
(``:exception-type``), which botocore raises as that error. The stream ends where the body
ends.

:func:`decode` reads a whole stream back (input event streams, and the tests), checking both
CRCs, every length and every header; anything malformed raises :class:`EventStreamError`.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Final, NamedTuple, Protocol

from .tables import ServiceTables
from .values import moment

__all__ = [
    "CONTENT_TYPE",
    "EventStreamError",
    "Header",
    "Message",
    "PayloadWriter",
    "decode",
    "event_stream_body",
    "message",
    "typed",
]

CONTENT_TYPE: Final = "application/vnd.amazon.eventstream"
MAX_HEADERS: Final = 128 * 1024  # what botocore reads at most
MAX_PAYLOAD: Final = 24 * 1024 * 1024
_PRELUDE: Final = struct.Struct(">III")
_CRC: Final = struct.Struct(">I")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND: Final = timedelta(milliseconds=1)

TRUE, FALSE, BYTE, SHORT, INTEGER, LONG, BYTES, STRING, TIMESTAMP, UUID = range(10)
_INTS: Final = {BYTE: ">b", SHORT: ">h", INTEGER: ">i", LONG: ">q", TIMESTAMP: ">q"}
_KINDS: Final = {"byte": BYTE, "short": SHORT, "integer": INTEGER, "long": LONG}

Header = tuple[str, int, Any]  # name, type, value


class EventStreamError(ValueError):
    """Bytes that are not a valid event stream."""


class Message(NamedTuple):
    headers: dict[str, Any]
    payload: bytes


class PayloadWriter(Protocol):
    """What writes the payloads of events: a protocol (its tables and its body format)."""

    tables: ServiceTables

    def event_payload(self, shape_name: str, value: Mapping[str, Any]) -> bytes:
        """A structure (an event's members, an error, a structure payload) as a payload."""
        ...

    @property
    def event_content_type(self) -> str: ...


# -- writing -------------------------------------------------------------------------------


def message(headers: Iterable[Header], payload: bytes) -> bytes:
    """One message."""
    encoded = b"".join(_header(name, kind, value) for name, kind, value in headers)
    total = _PRELUDE.size + len(encoded) + len(payload) + _CRC.size
    prelude = struct.pack(">II", total, len(encoded))
    prelude += _CRC.pack(zlib.crc32(prelude))
    body = prelude + encoded + payload
    return body + _CRC.pack(zlib.crc32(body))


def typed(shape_type: str, value: Any) -> tuple[int, Any]:
    """An ``eventheader`` member's value as (header type, value), as its shape says."""
    if shape_type == "boolean":
        return (TRUE if value else FALSE), None
    if shape_type in _KINDS:
        return _KINDS[shape_type], int(value)
    if shape_type == "timestamp":
        return TIMESTAMP, (moment(value) - _EPOCH) // _MILLISECOND
    if shape_type == "blob":
        return BYTES, value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return STRING, str(value)


def _header(name: str, kind: int, value: Any) -> bytes:
    raw_name = name.encode("utf-8")
    if not 0 < len(raw_name) < 256:
        raise ValueError(f"an event header name must have 1 to 255 bytes: {name[:40]!r}")
    head = bytes([len(raw_name)]) + raw_name + bytes([kind])
    if kind in (TRUE, FALSE):
        return head
    if kind in _INTS:
        return head + struct.pack(_INTS[kind], value)
    if kind == UUID:
        raw = value.bytes if isinstance(value, uuid.UUID) else bytes(value)
        if len(raw) != 16:
            raise ValueError(f"event header {name!r}: a UUID has 16 bytes")
        return head + raw
    if kind in (BYTES, STRING):
        raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        if len(raw) > 0xFFFF:
            raise ValueError(f"event header {name!r} is longer than 65535 bytes")
        return head + struct.pack(">H", len(raw)) + raw
    raise ValueError(f"no event-stream header type {kind}")


def event_stream_body(
    writer: PayloadWriter,
    stream_shape: str,
    events: Iterable[Mapping[str, Any]],
    initial: bytes | None = None,
) -> bytes:
    """The response body of an event stream: ``initial`` (the payload of an
    ``initial-response`` event; None for none), then one message per event of ``events``."""
    tables = writer.tables
    out: list[bytes] = []
    if initial is not None:
        out.append(
            message(
                [
                    (":message-type", STRING, "event"),
                    (":event-type", STRING, "initial-response"),
                    (":content-type", STRING, writer.event_content_type),
                ],
                initial,
            )
        )
    members = {ref.name: ref for ref in tables.shapes[stream_shape].members}
    for event in events:
        if not isinstance(event, Mapping):
            continue
        for name, value in event.items():
            ref = members.get(name)
            if ref is None or not isinstance(value, Mapping):
                continue
            out.append(_event(writer, name, ref.shape, value))
    return b"".join(out)


def _event(writer: PayloadWriter, name: str, shape_name: str, value: Mapping[str, Any]) -> bytes:
    tables = writer.tables
    shape = tables.shapes[shape_name]
    if shape.exception:
        headers: list[Header] = [
            (":message-type", STRING, "exception"),
            (":exception-type", STRING, name),
        ]
    else:
        headers = [(":message-type", STRING, "event"), (":event-type", STRING, name)]
    rest: dict[str, Any] = {}
    payload: bytes | None = None
    content_type = writer.event_content_type
    for ref in shape.members:
        item = value.get(ref.name)
        target = tables.shapes[ref.shape]
        if item is None:
            if ref.event_payload and target.type in ("blob", "string"):
                payload = b""  # the payload is the member: none, an empty one
                content_type = "application/octet-stream"
            continue
        if ref.event_header:
            kind, typed_value = typed(target.type, item)
            headers.append((ref.name, kind, typed_value))
        elif ref.event_payload:
            if target.type == "blob":
                payload = item.encode("utf-8") if isinstance(item, str) else bytes(item)
                content_type = "application/octet-stream"
            elif target.type == "string":
                payload = str(item).encode("utf-8")
                content_type = "text/plain"
            else:
                payload = writer.event_payload(ref.shape, item)
        else:
            rest[ref.name] = item
    if payload is None:
        payload = writer.event_payload(shape_name, rest)
    headers.insert(2, (":content-type", STRING, content_type))
    return message(headers, payload)


# -- reading -------------------------------------------------------------------------------


def decode(data: bytes) -> list[Message]:
    """Every message of a whole event stream, checked."""
    messages: list[Message] = []
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        if len(data) - offset < _PRELUDE.size + _CRC.size:
            raise EventStreamError(f"the message at byte {offset} is cut short")
        total, headers_length, prelude_crc = _PRELUDE.unpack_from(data, offset)
        if zlib.crc32(view[offset : offset + 8]) != prelude_crc:
            raise EventStreamError(f"the prelude CRC of the message at byte {offset} is wrong")
        if headers_length > MAX_HEADERS:
            raise EventStreamError(f"the headers of the message at byte {offset} are too long")
        payload_length = total - _PRELUDE.size - headers_length - _CRC.size
        if payload_length < 0 or payload_length > MAX_PAYLOAD:
            raise EventStreamError(f"the message at byte {offset} has an invalid length")
        end = offset + total
        if end > len(data):
            raise EventStreamError(f"the message at byte {offset} is cut short")
        (message_crc,) = _CRC.unpack_from(data, end - _CRC.size)
        if zlib.crc32(view[offset : end - _CRC.size]) != message_crc:
            raise EventStreamError(f"the message CRC of the message at byte {offset} is wrong")
        start = offset + _PRELUDE.size
        headers = _headers(bytes(view[start : start + headers_length]), offset)
        payload = bytes(view[start + headers_length : end - _CRC.size])
        messages.append(Message(headers, payload))
        offset = end
    return messages


def _headers(raw: bytes, at: int) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    i = 0
    try:
        while i < len(raw):
            size = raw[i]
            name = raw[i + 1 : i + 1 + size].decode("utf-8")
            i += 1 + size
            kind = raw[i]
            i += 1
            value: Any
            if kind in (TRUE, FALSE):
                value = kind == TRUE
            elif kind in _INTS:
                fmt = _INTS[kind]
                width = struct.calcsize(fmt)
                (number,) = struct.unpack(fmt, raw[i : i + width])
                i += width
                value = _EPOCH + number * _MILLISECOND if kind == TIMESTAMP else number
            elif kind in (BYTES, STRING):
                (length,) = struct.unpack(">H", raw[i : i + 2])
                chunk = raw[i + 2 : i + 2 + length]
                if len(chunk) != length:
                    raise EventStreamError("a value is cut short")
                i += 2 + length
                value = chunk.decode("utf-8") if kind == STRING else chunk
            elif kind == UUID:
                chunk = raw[i : i + 16]
                if len(chunk) != 16:
                    raise EventStreamError("a UUID is cut short")
                value = uuid.UUID(bytes=chunk)
                i += 16
            else:
                raise EventStreamError(f"unknown header type {kind}")
            if name in headers:
                raise EventStreamError(f"the header {name!r} is given twice")
            headers[name] = value
    except (IndexError, struct.error, UnicodeDecodeError, OverflowError, EventStreamError) as e:
        raise EventStreamError(
            f"the headers of the message at byte {at} are malformed: {e}"
        ) from None
    return headers
