"""CBOR (RFC 8949): the subset Smithy's RPC v2 protocol uses, read strictly.

:func:`encode` writes Python values: ``None`` (null), booleans, integers (-2**64 to 2**64-1),
floats (always 8-byte IEEE 754, so that every double comes back exactly), ``str`` (text),
``bytes`` (byte strings), lists (arrays), dicts (maps) and aware datetimes (tag 1 and epoch
seconds: an integer on a whole second, else a double, exact to the microsecond from 1698 to
2242 and within 16 microseconds in the years 1 to 9999). Lengths are written in their shortest
form.

:func:`decode` reads one data item that fills the whole input, and refuses, with a
:class:`CborError` saying what and at which byte:

* truncated input, bytes after the item, the reserved additional information 28-30, a
  ``break`` outside an indefinite-length item;
* indefinite-length byte and text strings whose chunks are not definite strings of the same
  major type (indefinite arrays and maps, and strings, are accepted: clients may send them);
* text that is not UTF-8, a map key given twice, a map key that is an array or map;
* tags other than 1 (epoch date-time), a tag 1 on anything but a number, or out of the years
  1 to 9999; simple values other than false, true, null and undefined;
* more than :data:`MAX_DEPTH` levels of nesting, and lengths longer than what is left of the
  input (an array or map of n items needs at least n bytes), before anything is allocated.

Decoding is linear in the input: every byte is read once, no item is copied twice.
"""

from __future__ import annotations

import math
import struct
from datetime import datetime
from typing import Any, Final

from .values import EPOCH, from_epoch

__all__ = ["MAX_DEPTH", "CborError", "decode", "encode"]

MAX_DEPTH: Final = 100
_BREAK: Final = 0xFF
_SIMPLE: Final = {20: False, 21: True, 22: None, 23: None}


class CborError(ValueError):
    """Input that is not CBOR this codec reads (what is wrong, and where)."""


# -- encoding ---------------------------------------------------------------------------------


def encode(value: Any) -> bytes:
    out = bytearray()
    _encode(out, value)
    return bytes(out)


def _head(out: bytearray, major: int, length: int) -> None:
    if length < 24:
        out.append(major << 5 | length)
    elif length < 0x100:
        out.append(major << 5 | 24)
        out.append(length)
    elif length < 0x10000:
        out.append(major << 5 | 25)
        out += length.to_bytes(2, "big")
    elif length < 0x100000000:
        out.append(major << 5 | 26)
        out += length.to_bytes(4, "big")
    elif length < 0x10000000000000000:
        out.append(major << 5 | 27)
        out += length.to_bytes(8, "big")
    else:
        raise ValueError(f"too large for CBOR: {length}")


def _encode(out: bytearray, value: Any) -> None:
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, int):
        if value >= 0:
            _head(out, 0, value)
        else:
            _head(out, 1, -1 - value)
    elif isinstance(value, float):
        out.append(0xFB)
        out += struct.pack(">d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(out, 3, len(data))
        out += data
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        _head(out, 2, len(data))
        out += data
    elif isinstance(value, datetime):
        out.append(0xC1)  # tag 1
        seconds = (value - EPOCH).total_seconds() if value.tzinfo else math.nan
        if math.isnan(seconds):
            raise ValueError(f"a naive datetime has no epoch time: {value!r}")
        whole = int(seconds)
        _encode(out, whole if whole == seconds and not value.microsecond else seconds)
    elif isinstance(value, dict):
        _head(out, 5, len(value))
        for key, item in value.items():
            _encode(out, key)
            _encode(out, item)
    elif isinstance(value, (list, tuple)):
        _head(out, 4, len(value))
        for item in value:
            _encode(out, item)
    else:
        raise TypeError(f"no CBOR for {type(value).__name__}")


# -- decoding ---------------------------------------------------------------------------------


def decode(data: bytes) -> Any:
    """The one data item ``data`` holds: read by :func:`_fast` when it can, else (or to say
    what is wrong) by :class:`_Reader`."""
    try:
        value, end = _fast(data, len(data), 0, 0)
        if end == len(data):
            return value
    except (_Slow, IndexError, UnicodeDecodeError):
        pass
    reader = _Reader(data)
    value = reader.item(0)
    if reader.pos != len(data):
        raise CborError(
            f"{len(data) - reader.pos} byte(s) after the data item, at byte {reader.pos}"
        )
    return value


class _Slow(Exception):
    """:func:`_fast` met what it leaves to :class:`_Reader` (a fault, or a rarer form)."""


_HALF: Final = struct.Struct(">e").unpack_from
_SINGLE: Final = struct.Struct(">f").unpack_from
_DOUBLE: Final = struct.Struct(">d").unpack_from


def _fast(data: bytes, size: int, pos: int, depth: int) -> tuple[Any, int]:
    """The data item at ``pos`` of ``data`` (``size`` bytes) and the position after it, along the common path only:
    definite lengths, tag 1 on a number, the four simple values and floats. Anything else
    raises :class:`_Slow` (or IndexError, UnicodeDecodeError at a fault): :class:`_Reader`
    then reads the input again, and accepts or refuses it. What this returns is what
    :class:`_Reader` returns for the same bytes."""
    if depth > MAX_DEPTH:
        raise _Slow
    initial = data[pos]
    pos += 1
    major = initial >> 5
    info = initial & 0x1F
    if major == 7:
        if info == 27:
            if pos + 8 > size:
                raise _Slow
            return _DOUBLE(data, pos)[0], pos + 8
        if 20 <= info <= 23:
            return _SIMPLE[info], pos
        if info == 26:
            if pos + 4 > size:
                raise _Slow
            return _SINGLE(data, pos)[0], pos + 4
        if info == 25:
            if pos + 2 > size:
                raise _Slow
            return _HALF(data, pos)[0], pos + 2
        raise _Slow
    if info < 24:
        argument = info
    elif info == 24:
        argument = data[pos]
        pos += 1
    elif 25 <= info <= 27:
        width = 1 << (info - 24)
        if pos + width > size:
            raise _Slow
        argument = int.from_bytes(data[pos : pos + width], "big")
        pos += width
    else:
        raise _Slow  # indefinite lengths, reserved information
    if major == 3:
        end = pos + argument
        if end > size:
            raise _Slow
        return data[pos:end].decode("utf-8"), end
    if major == 5:
        if 2 * argument > size - pos:
            raise _Slow
        out: dict[Any, Any] = {}
        depth += 1
        if depth > MAX_DEPTH and argument:
            raise _Slow
        for _ in range(argument):
            initial = data[pos]
            if 0x60 <= initial < 0x78:  # a short text string: most keys, read here
                end = pos + 1 + initial - 0x60
                if end > size:
                    raise _Slow
                key = data[pos + 1 : end].decode("utf-8")
                pos = end
            else:
                key, pos = _fast(data, size, pos, depth)
                if type(key) is list or type(key) is dict:
                    raise _Slow
            if key in out:
                raise _Slow
            initial = data[pos]
            if 0x60 <= initial < 0x78:
                end = pos + 1 + initial - 0x60
                if end > size:
                    raise _Slow
                out[key] = data[pos + 1 : end].decode("utf-8")
                pos = end
            else:
                out[key], pos = _fast(data, size, pos, depth)
        return out, pos
    if major == 0:
        return argument, pos
    if major == 4:
        if argument > size - pos:
            raise _Slow
        items: list[Any] = []
        depth += 1
        for _ in range(argument):
            item, pos = _fast(data, size, pos, depth)
            items.append(item)
        return items, pos
    if major == 6:
        if argument != 1:
            raise _Slow
        number, pos = _fast(data, size, pos, depth + 1)
        kind = type(number)
        if kind is not int and kind is not float:
            raise _Slow
        when = from_epoch(float(number))
        if when is None:
            raise _Slow
        return when, pos
    if major == 1:
        return -1 - argument, pos
    end = pos + argument  # major 2: a byte string
    if end > size:
        raise _Slow
    return data[pos:end], end


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def fail(self, what: str, at: int | None = None) -> CborError:
        return CborError(f"{what}, at byte {self.pos if at is None else at}")

    def take(self, count: int) -> bytes:
        end = self.pos + count
        if end > len(self.data):
            raise self.fail(f"{count} byte(s) needed, {len(self.data) - self.pos} left")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise self.fail("the input ends inside a data item")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def argument(self, info: int, start: int) -> int:
        if info < 24:
            return info
        if info == 24:
            return self.byte()
        if info == 25:
            return int.from_bytes(self.take(2), "big")
        if info == 26:
            return int.from_bytes(self.take(4), "big")
        if info == 27:
            return int.from_bytes(self.take(8), "big")
        raise self.fail(f"reserved additional information {info}", start)

    def room(self, count: int, start: int) -> None:
        """An item of ``count`` parts needs at least ``count`` bytes: refuse a length the rest
        of the input cannot hold before anything is allocated for it."""
        if count > len(self.data) - self.pos:
            raise self.fail(f"a length of {count} is more than the input holds", start)

    def item(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"more than {MAX_DEPTH} levels of nesting")
        start = self.pos
        initial = self.byte()
        major, info = initial >> 5, initial & 0x1F
        if major == 0:
            return self.argument(info, start)
        if major == 1:
            return -1 - self.argument(info, start)
        if major in (2, 3):
            raw = self.string(major, info, start)
            if major == 2:
                return raw
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise self.fail("a text string that is not UTF-8", start) from None
        if major == 4:
            if info == 31:
                items: list[Any] = []
                while not self.at_break():
                    items.append(self.item(depth + 1))
                return items
            count = self.argument(info, start)
            self.room(count, start)
            return [self.item(depth + 1) for _ in range(count)]
        if major == 5:
            out: dict[Any, Any] = {}
            if info == 31:
                while not self.at_break():
                    self.entry(out, depth, start)
                return out
            count = self.argument(info, start)
            self.room(2 * count, start)
            for _ in range(count):
                self.entry(out, depth, start)
            return out
        if major == 6:
            tag = self.argument(info, start)
            if tag != 1:
                raise self.fail(f"tag {tag} (only tag 1, an epoch time, is read)", start)
            value = self.item(depth + 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail("tag 1 on something other than a number", start)
            when = from_epoch(float(value))
            if when is None:
                raise self.fail("a tag-1 time outside the years 1 to 9999", start)
            return when
        # major 7: simple values and floats
        if info in _SIMPLE:
            return _SIMPLE[info]
        if info == 25:
            return struct.unpack(">e", self.take(2))[0]
        if info == 26:
            return struct.unpack(">f", self.take(4))[0]
        if info == 27:
            return struct.unpack(">d", self.take(8))[0]
        if info == 31:
            raise self.fail("a break outside an indefinite-length item", start)
        raise self.fail(f"simple value {info if info < 24 else 'of two bytes'}", start)

    def entry(self, out: dict[Any, Any], depth: int, start: int) -> None:
        at = self.pos
        key = self.item(depth + 1)
        if isinstance(key, (list, dict)):
            raise self.fail("a map key that is an array or a map", at)
        if key in out:
            shown = repr(key) if len(repr(key)) <= 80 else repr(key)[:77] + "..."
            raise self.fail(f"the map key {shown} given twice", at)
        out[key] = self.item(depth + 1)

    def at_break(self) -> bool:
        if self.pos >= len(self.data):
            raise self.fail("the input ends inside an indefinite-length item")
        if self.data[self.pos] == _BREAK:
            self.pos += 1
            return True
        return False

    def string(self, major: int, info: int, start: int) -> bytes:
        if info != 31:
            length = self.argument(info, start)
            return self.take(length)
        chunks: list[bytes] = []
        while not self.at_break():
            at = self.pos
            initial = self.byte()
            if initial >> 5 != major or initial & 0x1F == 31:
                raise self.fail(
                    "a chunk of an indefinite-length string that is not a definite string of"
                    " the same type",
                    at,
                )
            chunks.append(self.take(self.argument(initial & 0x1F, at)))
        return b"".join(chunks)
