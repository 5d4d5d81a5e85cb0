"""The binary event-stream framing (``application/vnd.amazon.eventstream``), both ways.

An event stream is a sequence of messages; each message is::

    total length (uint32) | headers length (uint32) | prelude CRC32 (of the 8 bytes before)
    headers: name length (uint8) | name (UTF-8) | type (uint8) | value
    payload
    message CRC32 (of everything before it)

Header value types: 0 true, 1 false, 2 byte, 3 short, 4 integer, 5 long (big-endian, signed),
6 bytes and 7 string (uint16 length, then the bytes), 8 timestamp (int64 milliseconds since
the epoch), 9 UUID (16 bytes).

A protocol writes an output event stream as one message per event: ``:message-type`` ``event``
with ``:event-type`` (the event's member name in the stream's union) and ``:content-type``;
the event's ``eventheader`` members as typed headers, its ``eventpayload`` member (or its other
members, in the protocol's body format) as the payload. A modeled error is an ``exception``
message (``:exception-type``). The RPC protocols put the output's other members in a first
``initial-response`` event (:func:`initial_response`); the REST protocols send them as HTTP
headers. :func:`decode` reads a whole stream back (input event streams; the tests), checking
both CRCs and every length; anything malformed raises :class:`EventStreamError`.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final, NamedTuple

from .scalars import to_datetime

__all__ = [
    "CONTENT_TYPE",
    "EventStreamError",
    "HeaderValue",
    "Message",
    "decode",
    "encode",
    "initial_response",
    "typed",
]

CONTENT_TYPE: Final = "application/vnd.amazon.eventstream"
MAX_HEADERS: Final = 128 * 1024  # what botocore reads at most
MAX_PAYLOAD: Final = 24 * 1024 * 1024
_PRELUDE: Final = struct.Struct(">III")
_CRC: Final = struct.Struct(">I")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND: Final = timedelta(milliseconds=1)

BOOL_TRUE, BOOL_FALSE, BYTE, SHORT, INTEGER, LONG, BYTES, STRING, TIMESTAMP, UUID = range(10)
_INTS: Final = {BYTE: ">b", SHORT: ">h", INTEGER: ">i", LONG: ">q", TIMESTAMP: ">q"}
_KINDS: Final = {"byte": BYTE, "short": SHORT, "integer": INTEGER, "long": LONG}


class EventStreamError(ValueError):
    """Bytes that are not a valid event stream."""


class HeaderValue(NamedTuple):
    """A header value with its explicit wire type (one of the type numbers above)."""

    type: int
    value: Any


class Message(NamedTuple):
    headers: dict[str, Any]
    payload: bytes


def typed(shape_type: str, value: Any) -> HeaderValue | str | bytes | bool:
    """An ``eventheader`` member's value, typed as its shape says."""
    if shape_type in _KINDS:
        return HeaderValue(_KINDS[shape_type], int(value))
    if shape_type == "timestamp":
        return HeaderValue(TIMESTAMP, to_datetime(value))
    if shape_type == "boolean":
        return bool(value)
    if shape_type == "blob":
        return bytes(value) if not isinstance(value, str) else value.encode("utf-8")
    return str(value)


def encode(headers: Sequence[tuple[str, Any]], payload: bytes = b"") -> bytes:
    """One message. Header values: ``str`` (string), ``bytes`` (bytes), ``bool``,
    ``datetime`` (timestamp), ``uuid.UUID``, an ``int`` (integer) or a :class:`HeaderValue`."""
    encoded = b"".join(_header(name, value) for name, value in headers)
    total = _PRELUDE.size + len(encoded) + len(payload) + _CRC.size
    prelude = struct.pack(">II", total, len(encoded))
    prelude += _CRC.pack(zlib.crc32(prelude))
    message = prelude + encoded + payload
    return message + _CRC.pack(zlib.crc32(message))


def initial_response(payload: bytes, content_type: str) -> bytes:
    """The ``initial-response`` event the RPC protocols send first."""
    return encode(
        [
            (":message-type", "event"),
            (":event-type", "initial-response"),
            (":content-type", content_type),
        ],
        payload,
    )


def _header(name: str, value: Any) -> bytes:
    raw_name = name.encode("utf-8")
    if len(raw_name) > 255:
        raise ValueError(f"event header name longer than 255 bytes: {name[:40]!r}...")
    out = bytes([len(raw_name)]) + raw_name
    if isinstance(value, HeaderValue):
        kind, value = value
    elif isinstance(value, bool):
        kind = BOOL_TRUE if value else BOOL_FALSE
    elif isinstance(value, int):
        kind = INTEGER
    elif isinstance(value, (bytes, bytearray, memoryview)):
        kind = BYTES
    elif isinstance(value, datetime):
        kind = TIMESTAMP
    elif isinstance(value, uuid.UUID):
        kind = UUID
    else:
        kind, value = STRING, str(value)
    if kind in (BOOL_TRUE, BOOL_FALSE):
        return out + bytes([BOOL_TRUE if value else BOOL_FALSE])
    if kind == TIMESTAMP:
        moment = to_datetime(value)
        millis = (moment - _EPOCH) // _MILLISECOND
        return out + bytes([kind]) + struct.pack(">q", millis)
    if kind in _INTS:
        return out + bytes([kind]) + struct.pack(_INTS[kind], value)
    if kind == UUID:
        raw = value.bytes if isinstance(value, uuid.UUID) else bytes(value)
        return out + bytes([kind]) + raw
    raw = value.encode("utf-8") if kind == STRING else bytes(value)
    if len(raw) > 0xFFFF:
        raise ValueError(f"event header {name!r} longer than 65535 bytes")
    return out + bytes([kind]) + struct.pack(">H", len(raw)) + raw


def decode(data: bytes) -> list[Message]:
    """Every message of a whole event stream, checked."""
    messages: list[Message] = []
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        if len(data) - offset < _PRELUDE.size + _CRC.size:
            raise EventStreamError(f"a message at byte {offset} is cut short")
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
            if kind == BOOL_TRUE:
                value = True
            elif kind == BOOL_FALSE:
                value = False
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
                    raise EventStreamError("cut short")
                i += 2 + length
                value = chunk.decode("utf-8") if kind == STRING else chunk
            elif kind == UUID:
                chunk = raw[i : i + 16]
                if len(chunk) != 16:
                    raise EventStreamError("cut short")
                value = uuid.UUID(bytes=chunk)
                i += 16
            else:
                raise EventStreamError(f"unknown header type {kind}")
            if name in headers:
                raise EventStreamError(f"header {name!r} given twice")
            headers[name] = value
    except (IndexError, struct.error, UnicodeDecodeError, OverflowError) as error:
        raise EventStreamError(
            f"the headers of the message at byte {at} are malformed: {error}"
        ) from None
    except EventStreamError as error:
        raise EventStreamError(
            f"the headers of the message at byte {at} are malformed: {error}"
        ) from None
    return headers
