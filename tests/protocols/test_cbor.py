"""The CBOR codec (codegen/protocols/cbor.py): RFC 8949's own examples, botocore's CBOR code
as the other side, and every kind of malformed input refused with a message.

* Decoding: the examples of RFC 8949 Appendix A that the Smithy subset holds (integers,
  floats of every width, simple values, tag 1 times, byte and text strings, arrays and maps,
  definite and indefinite).
* Encoding: whatever we write, botocore's CBOR parser (``BaseCBORParser.parse_data_item``,
  what boto3 reads responses with) reads back as the same value; whatever botocore's CBOR
  serializer writes, we read back (hypothesis).
* Malformed input of every kind is a ``CborError`` naming what and where, never another
  exception, and decoding stays linear (a length is checked against what is left before
  anything is allocated; nesting is bounded).
"""

from __future__ import annotations

import io
import math
import os
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.parsers import BaseCBORParser
from botocore.serialize import CBORSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.protocols import cbor
from codegen.protocols.cbor import MAX_DEPTH, CborError, decode, encode

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "200"))

# RFC 8949, Appendix A: (encoded, decoded)
RFC_EXAMPLES: list[tuple[str, Any]] = [
    ("00", 0),
    ("01", 1),
    ("0a", 10),
    ("17", 23),
    ("1818", 24),
    ("1819", 25),
    ("1864", 100),
    ("1903e8", 1000),
    ("1a000f4240", 1000000),
    ("1b000000e8d4a51000", 1000000000000),
    ("1bffffffffffffffff", 18446744073709551615),
    ("3bffffffffffffffff", -18446744073709551616),
    ("20", -1),
    ("29", -10),
    ("3863", -100),
    ("3903e7", -1000),
    ("f90000", 0.0),
    ("f98000", -0.0),
    ("f93c00", 1.0),
    ("fb3ff199999999999a", 1.1),
    ("f93e00", 1.5),
    ("f97bff", 65504.0),
    ("fa47c35000", 100000.0),
    ("fa7f7fffff", 3.4028234663852886e38),
    ("fb7e37e43c8800759c", 1.0e300),
    ("f90001", 5.960464477539063e-8),
    ("f90400", 0.00006103515625),
    ("f9c400", -4.0),
    ("fbc010666666666666", -4.1),
    ("f97c00", math.inf),
    ("f9fc00", -math.inf),
    ("fa7f800000", math.inf),
    ("fbfff0000000000000", -math.inf),
    ("f4", False),
    ("f5", True),
    ("f6", None),
    ("f7", None),  # undefined reads as null
    ("c11a514b67b0", datetime(2013, 3, 21, 20, 4, 0, tzinfo=timezone.utc)),
    ("c1fb41d452d9ec200000", datetime(2013, 3, 21, 20, 4, 0, 500000, tzinfo=timezone.utc)),
    ("40", b""),
    ("4401020304", b"\x01\x02\x03\x04"),
    ("60", ""),
    ("6161", "a"),
    ("6449455446", "IETF"),
    ("62225c", '"\\'),
    ("62c3bc", "\u00fc"),
    ("63e6b0b4", "\u6c34"),
    ("64f0908591", "\U00010151"),
    ("80", []),
    ("83010203", [1, 2, 3]),
    ("8301820203820405", [1, [2, 3], [4, 5]]),
    ("98190102030405060708090a0b0c0d0e0f101112131415161718181819", list(range(1, 26))),
    ("a0", {}),
    ("a201020304", {1: 2, 3: 4}),
    ("a26161016162820203", {"a": 1, "b": [2, 3]}),
    ("826161a161626163", ["a", {"b": "c"}]),
    ("5f42010243030405ff", b"\x01\x02\x03\x04\x05"),
    ("7f657374726561646d696e67ff", "streaming"),
    ("9fff", []),
    ("9f018202039f0405ffff", [1, [2, 3], [4, 5]]),
    ("9f01820203820405ff", [1, [2, 3], [4, 5]]),
    ("83018202039f0405ff", [1, [2, 3], [4, 5]]),
    ("83019f0203ff820405", [1, [2, 3], [4, 5]]),
    ("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", list(range(1, 26))),
    ("bf61610161629f0203ffff", {"a": 1, "b": [2, 3]}),
    ("826161bf61626163ff", ["a", {"b": "c"}]),
    ("bf6346756ef563416d7421ff", {"Fun": True, "Amt": -2}),
]


def _same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to NaN, -0.0 apart from 0.0, and a bool apart from an int."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


@pytest.mark.parametrize(("encoded", "value"), RFC_EXAMPLES, ids=[e for e, _ in RFC_EXAMPLES])
def test_rfc_8949_examples_decode(encoded: str, value: Any) -> None:
    assert _same(decode(bytes.fromhex(encoded)), value)


def test_nan_decodes_at_every_width() -> None:
    for encoded in ("f97e00", "fa7fc00000", "fb7ff8000000000000"):
        assert math.isnan(decode(bytes.fromhex(encoded)))


def _botocore_reads(data: bytes) -> Any:
    parser: Any = BaseCBORParser()  # (its parse_data_item is untyped in botocore's stubs)
    return parser.parse_data_item(io.BufferedReader(io.BytesIO(data)))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64 - 1),
    st.floats(allow_nan=False),
    st.text(),
    st.binary(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)
@given(value=VALUES)
def test_what_we_write_botocore_reads_and_we_read_back(value: Any) -> None:
    data = encode(value)
    assert _same(decode(data), value)
    read = _botocore_reads(data)
    if isinstance(value, dict):  # botocore leaves out null map values (absent members)
        value = {k: v for k, v in value.items() if v is not None}
    if not isinstance(value, (dict, list)) or not _has_null_in_map(value):
        assert _same(read, value)


def _has_null_in_map(value: Any) -> bool:
    if isinstance(value, dict):
        return any(v is None or _has_null_in_map(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_null_in_map(v) for v in value)
    return False


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.just(timezone.utc),
    )
)
def test_times_are_tag_1_epoch_seconds(moment: datetime) -> None:
    """Epoch seconds in a double: exact to the microsecond from 1698 to 2242 (below 2**33
    seconds from 1970), within 16 microseconds in the years 1 to 9999; botocore reads what we
    read."""
    data = encode(moment)
    assert data[0] == 0xC1
    back = decode(data)
    assert _botocore_reads(data) == back
    if (
        datetime(1698, 1, 1, tzinfo=timezone.utc)
        <= moment
        < datetime(2242, 1, 1, tzinfo=timezone.utc)
    ):
        assert back == moment
    else:
        assert abs((back - moment).total_seconds()) <= 16e-6


class _Shape:
    """Just enough of a botocore shape for its CBOR serializer's scalar and list writers."""

    def __init__(self, type_name: str, member: _Shape | None = None) -> None:
        self.type_name = type_name
        self.member = member


WRITTEN = st.one_of(
    st.tuples(st.just("integer"), st.integers(-(2**63), 2**63 - 1)),
    st.tuples(st.just("double"), st.floats(allow_nan=False)),
    st.tuples(st.just("float"), st.floats(width=32, allow_nan=False)),
    st.tuples(st.just("string"), st.text()),
    st.tuples(st.just("blob"), st.binary()),
    st.tuples(st.just("boolean"), st.booleans()),
    st.tuples(st.just("list"), st.lists(st.text(max_size=4), max_size=30)),
)


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)
@given(written=WRITTEN)
def test_what_botocore_writes_we_read(written: tuple[str, Any]) -> None:
    kind, value = written
    shape = _Shape(kind, _Shape("string") if kind == "list" else None)
    out = bytearray()
    serializer: Any = CBORSerializer()  # (its data-item writer is private, untyped)
    serializer._serialize_data_item(out, value, shape)
    assert _same(decode(bytes(out)), value)


MALFORMED = [
    ("", "ends inside a data item"),
    ("18", "ends inside a data item"),
    ("19ff", "2 byte(s) needed, 1 left"),
    ("1c", "reserved additional information 28"),
    ("1d", "reserved additional information 29"),
    ("1e", "reserved additional information 30"),
    ("ff", "a break outside an indefinite-length item"),
    ("9f01", "ends inside an indefinite-length item"),
    ("5f01ff", "chunk of an indefinite-length string"),
    ("7f4161ff", "chunk of an indefinite-length string"),
    ("5f5f4101ffff", "chunk of an indefinite-length string"),
    ("62c328", "not UTF-8"),
    ("a2616101616102", "given twice"),
    ("a18000", "a map key that is an array or a map"),
    ("c24100", "tag 2"),
    ("c16161", "tag 1 on something other than a number"),
    ("c1f5", "tag 1 on something other than a number"),
    ("c1fb7ff0000000000000", "outside the years 1 to 9999"),
    ("c11bffffffffffffffff", "outside the years 1 to 9999"),
    ("e0", "simple value 0"),
    ("f820", "simple value of two bytes"),
    ("0000", "1 byte(s) after the data item"),
    ("9bffffffffffffffff", "more than the input holds"),
    ("5a7fffffff", "byte(s) needed"),
    ("bbffffffffffffffff", "more than the input holds"),
    ("81" * (MAX_DEPTH + 2) + "00", f"more than {MAX_DEPTH} levels"),
    ("bf" * (MAX_DEPTH + 2), f"more than {MAX_DEPTH} levels"),
]


@pytest.mark.parametrize(("encoded", "why"), MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_input_is_refused_with_what_and_where(encoded: str, why: str) -> None:
    with pytest.raises(CborError) as caught:
        decode(bytes.fromhex(encoded))
    assert why in str(caught.value) and "at byte" in str(caught.value), str(caught.value)


@settings(max_examples=EXAMPLES * 2, derandomize=True, database=None, deadline=None)
@given(data=st.binary(max_size=64) | VALUES.map(encode).map(lambda b: b[: len(b) // 2 + 1]))
def test_any_bytes_give_a_value_or_a_cbor_error(data: bytes) -> None:
    try:
        decode(data)
    except CborError as error:
        assert "at byte" in str(error)


def _careful(data: bytes) -> Any:
    """What the careful reader alone makes of ``data``: the value, or the CborError's text."""
    reader = cbor._Reader(data)
    try:
        value = reader.item(0)
    except CborError as error:
        return ("error", str(error))
    return ("error", "trailing") if reader.pos != len(data) else value


def _either(data: bytes) -> Any:
    try:
        return decode(data)
    except CborError as error:
        return ("error", "trailing" if "after the data item" in str(error) else str(error))


@settings(max_examples=EXAMPLES * 2, derandomize=True, database=None, deadline=None)
@given(
    data=st.binary(max_size=64)
    | VALUES.map(encode)
    | st.tuples(VALUES.map(encode), st.integers(0, 63), st.integers(0, 255)).map(
        lambda t: t[0][: t[1]] + bytes([t[2]]) + t[0][t[1] + 1 :]  # one byte changed
    )
)
def test_the_fast_path_reads_what_the_careful_reader_reads(data: bytes) -> None:
    """decode() takes a fast path for the common forms; on any bytes it returns, or refuses
    with, exactly what the careful reader does."""
    assert _same(_either(data), _careful(data))


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)
@given(value=VALUES)
def test_what_we_write_takes_the_fast_path(value: Any) -> None:
    """encode() writes definite lengths only: the fast path reads all of it, to the same
    value (else decoding is correct but slow, and no other test says so)."""
    data = encode(value)
    read, end = cbor._fast(data, len(data), 0, 0)
    assert end == len(data) and _same(read, _careful(data))


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
@pytest.mark.parametrize(("opening", "inner"), [("81", "6161"), ("a16161", "6162"), ("c1", "01")])
def test_nesting_at_the_limit_reads_the_same_on_both_paths(
    depth: int, opening: str, inner: str
) -> None:
    data = bytes.fromhex(opening * depth + inner)
    assert _same(_either(data), _careful(data))


def test_a_long_indefinite_string_decodes_in_linear_time() -> None:
    """200,000 one-byte chunks: joined once, not copied chunk by chunk."""
    data = b"\x5f" + b"\x41a" * 200_000 + b"\xff"
    assert decode(data) == b"a" * 200_000


def test_encoding_refuses_what_cbor_of_smithy_has_no_form_for() -> None:
    with pytest.raises(ValueError, match="too large"):
        encode(2**64)
    with pytest.raises(TypeError, match="no CBOR for set"):
        encode({1, 2})
    with pytest.raises(ValueError, match="naive datetime"):
        encode(datetime(2020, 1, 1))
