"""Event streams (``application/vnd.amazon.eventstream``): the binary framing of each message,
and an output's stream of events as one response body.

A message is ``total length (4 bytes) | headers length (4) | CRC32 of those 8 | headers |
payload | CRC32 of all before``, big-endian; each header is ``name length (1) | name | type (1)
| value`` (types: 0/1 true/false, 2 byte, 3 short, 4 integer, 5 long, 6 bytes, 7 string, 8
timestamp in milliseconds, 9 UUID). An event carries ``:message-type: event``,
``:event-type: <the event's member name>`` and ``:content-type``; an event's members marked
``eventheader`` are headers, one marked ``eventpayload`` is the whole payload (bytes as they
are, a string as UTF-8, a structure encoded), and the other members are the payload encoded as
a structure.

A result holds an event stream member as a list of events, each ``{EventName: {members}}``
(the examples' convention: one event). :func:`event_stream_body` writes the protocol's
``initial-response`` event (the other output members, where the protocol has one: the RPC
protocols) and then each event, in one body: the stream ends where the body ends.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from .tables import ServiceTables
from .values import EPOCH, moment

__all__ = ["PayloadWriter", "event_stream_body", "message"]

Header = tuple[str, int, Any]  # name, type, value


class PayloadWriter(Protocol):
    """What writes the payloads: a protocol (its tables and its body encoding)."""

    tables: ServiceTables

    def event_payload(self, shape_name: str, value: Mapping[str, Any]) -> bytes: ...

    @property
    def event_content_type(self) -> str: ...


def message(headers: Iterable[Header], payload: bytes) -> bytes:
    """One event-stream message."""
    encoded = b"".join(_header(name, kind, value) for name, kind, value in headers)
    total = 16 + len(encoded) + len(payload)
    prelude = struct.pack(">II", total, len(encoded))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + encoded + payload
    return body + struct.pack(">I", zlib.crc32(body))


def _header(name: str, kind: int, value: Any) -> bytes:
    key = name.encode("utf-8")
    head = struct.pack(">B", len(key)) + key + struct.pack(">B", kind)
    if kind in (0, 1):
        return head
    if kind == 2:
        return head + struct.pack(">b", value)
    if kind == 3:
        return head + struct.pack(">h", value)
    if kind == 4:
        return head + struct.pack(">i", value)
    if kind == 5 or kind == 8:
        return head + struct.pack(">q", value)
    if kind in (6, 7):
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return head + struct.pack(">H", len(data)) + data
    if kind == 9:
        return head + bytes(value)
    raise ValueError(f"no event-stream header type {kind}")


def _typed(shape_type: str, value: Any) -> tuple[int, Any]:
    if shape_type == "boolean":
        return (0 if value else 1), None
    if shape_type == "integer":
        return 4, int(value)
    if shape_type == "long":
        return 5, int(value)
    if shape_type == "blob":
        return 6, value
    if shape_type == "timestamp":
        when: datetime = moment(value)
        return 8, int((when - EPOCH).total_seconds() * 1000)
    return 7, str(value)


def event_stream_body(
    writer: PayloadWriter,
    stream_shape: str,
    events: Iterable[Mapping[str, Any]],
    initial: bytes | None,
) -> bytes:
    """The response body of an event stream: ``initial`` (an ``initial-response`` event's
    payload; None for none), then each event of ``events``."""
    tables = writer.tables
    out: list[bytes] = []
    if initial is not None:
        out.append(
            message(
                [
                    (":message-type", 7, "event"),
                    (":event-type", 7, "initial-response"),
                    (":content-type", 7, writer.event_content_type),
                ],
                initial,
            )
        )
    members = {ref.name: ref for ref in tables.shapes[stream_shape].members}
    for event in events:
        for name, value in event.items():
            ref = members.get(name)
            if ref is None or value is None:
                continue
            out.append(_event(writer, name, ref.shape, value))
    return b"".join(out)


def _event(writer: PayloadWriter, name: str, shape_name: str, value: Mapping[str, Any]) -> bytes:
    tables = writer.tables
    shape = tables.shapes[shape_name]
    headers: list[Header] = [(":message-type", 7, "event"), (":event-type", 7, name)]
    rest: dict[str, Any] = {}
    payload: bytes | None = None
    content_type = writer.event_content_type
    for ref in shape.members:
        item = value.get(ref.name)
        if item is None:
            continue
        target = tables.shapes[ref.shape]
        if ref.event_header:
            kind, typed = _typed(target.type, item)
            headers.append((ref.location_name or ref.name, kind, typed))
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
    headers.append((":content-type", 7, content_type))
    return message(headers, payload)
