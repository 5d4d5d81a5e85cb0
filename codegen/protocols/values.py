"""Scalar values on the wire, as every protocol reads and writes them.

Timestamps come in three formats (botocore's ``timestampFormat`` names): ``iso8601``
(``2020-02-04T10:00:00.5Z``, the default of query, ec2 and the XML protocols), ``unixTimestamp``
(epoch seconds, an integer or a fraction: the JSON protocols' default; CBOR's tag 1) and
``rfc822`` (an HTTP date, ``Tue, 04 Feb 2020 10:00:00 GMT``: REST headers). Reading is lenient
about which of the three a value is written in (as AWS is) and strict about each: a value that
is none of them, or names no moment (``2020-02-30``), is refused. Writing gives exactly one
text per moment, always in UTC.

Floats are written as the shortest text that reads back as the same number (``repr``), with
``NaN``, ``Infinity`` and ``-Infinity`` for the values JSON and XML have no number for. Blobs
are base64 text on the text protocols, read strictly (no whitespace, correct padding).

:func:`parse_text` reads any scalar from its text (REST headers, URI labels, query strings, XML
text) by its shape type, strictly: an integer is decimal digits within its type's bits
(:data:`INT_BITS`), a boolean ``true`` or ``false``, a float a decimal number or one of the
three names above; a value that is not one says why (``ValueError``).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Final

__all__ = [
    "EPOCH",
    "INT_BITS",
    "SPECIAL_FLOATS",
    "blob_text",
    "epoch_seconds",
    "float_text",
    "from_epoch",
    "moment",
    "parse_blob",
    "parse_text",
    "parse_timestamp",
    "timestamp_text",
]

EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
SPECIAL_FLOATS: Final = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

_ISO8601: Final = re.compile(
    r"([0-9]{1,4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
    r"(?:([Zz])|([-+])([0-9]{2}):?([0-9]{2}))"
)
_EPOCH_TEXT: Final = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,9})?")
# the bits of each integral shape type (values outside are refused on reading)
INT_BITS: Final = {"byte": 8, "short": 16, "integer": 32, "long": 64}
_INTEGER: Final = re.compile(r"-?[0-9]{1,20}")
_FLOAT: Final = re.compile(
    r"[-+]?(?:[0-9]{1,400}(?:\.[0-9]{0,400})?|\.[0-9]{1,400})(?:[eE][-+]?[0-9]{1,4})?"
)
# the seconds datetime can hold: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z
_LOWEST: Final = -62135596800
_HIGHEST: Final = 253402300800


def parse_timestamp(text: str, timestamp_format: str = "") -> datetime | None:
    """``text`` as an aware UTC datetime (ISO 8601, epoch seconds or an HTTP date, whatever
    ``timestamp_format`` says: each format also accepts the others), or None when it is none of
    them or names no moment."""
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
        if _EPOCH_TEXT.fullmatch(text):
            return from_epoch(float(text))
        if timestamp_format == "rfc822" or text[:1].isalpha():
            value = parsedate_to_datetime(text)
            if value.tzinfo is None:
                value = value.replace(tzinfo=timezone.utc)
            return value.astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError, TypeError, IndexError):
        return None
    return None


def from_epoch(seconds: float) -> datetime | None:
    """Epoch seconds as an aware UTC datetime, or None outside the years 1 to 9999 (or for
    NaN and the infinities)."""
    if not (_LOWEST <= seconds < _HIGHEST):  # also False for NaN
        return None
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, OSError, ValueError):  # the last microseconds of year 9999
        return None


def moment(value: Any, timestamp_format: str = "") -> datetime:
    """A timestamp a behaviour returned (a datetime, naive meaning UTC; a string in any format;
    epoch seconds) as an aware UTC datetime. Raises ValueError for text or a number that is
    no moment, TypeError for anything else."""
    if isinstance(value, datetime):
        found = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return found.astimezone(timezone.utc)
    if isinstance(value, str):
        parsed = parse_timestamp(value, timestamp_format)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        parsed = from_epoch(float(value))
    else:
        raise TypeError(f"not a timestamp: {value!r}")
    if parsed is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return parsed


def epoch_seconds(value: Any) -> int | float:
    """A timestamp as epoch seconds: an int when it falls on a whole second."""
    seconds = (moment(value) - EPOCH) / timedelta(seconds=1)
    return int(seconds) if seconds == int(seconds) else seconds


def timestamp_text(value: Any, timestamp_format: str = "") -> str:
    """A timestamp as text in ``timestamp_format`` (ISO 8601 when empty): years zero-padded to
    four digits, fractions of seconds without trailing zeros, always UTC."""
    when = moment(value, timestamp_format)
    if timestamp_format == "unixTimestamp":
        seconds = epoch_seconds(when)
        return str(seconds) if isinstance(seconds, int) else repr(seconds)
    if timestamp_format == "rfc822":
        return format_datetime(when.replace(microsecond=0), usegmt=True)
    text = (  # not strftime: it writes year 99 as "99", which reads back as 1999
        f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
        f"T{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
    )
    if when.microsecond:
        text += f".{when.microsecond:06d}".rstrip("0")
    return text + "Z"


def float_text(value: Any) -> str:
    """A float as text: its shortest exact form, or NaN / Infinity / -Infinity."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return repr(number)


def blob_text(value: Any) -> str:
    """Bytes (or text, as UTF-8) as base64 text."""
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(data).decode("ascii")


def parse_blob(text: str) -> bytes | None:
    """Strict base64 text as bytes, or None when it is not base64."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, binascii.Error):
        return None


def parse_text(kind: str, text: str, timestamp_format: str = "") -> Any:
    """A scalar of shape type ``kind`` from its text, strictly; ValueError saying why not."""
    if kind in ("string", "character"):
        return text
    if kind in INT_BITS:
        if not _INTEGER.fullmatch(text):
            raise ValueError("not an integer")
        number = int(text)
        bound = 1 << (INT_BITS[kind] - 1)
        if not -bound <= number < bound:
            raise ValueError(f"outside the range of a {INT_BITS[kind]}-bit {kind}")
        return number
    if kind in ("float", "double"):
        if text in SPECIAL_FLOATS:
            return SPECIAL_FLOATS[text]
        if not _FLOAT.fullmatch(text):
            raise ValueError("not a number")
        return float(text)
    if kind == "boolean":
        if text in ("true", "false"):
            return text == "true"
        raise ValueError("not a boolean (true or false)")
    if kind == "timestamp":
        moment_ = parse_timestamp(text, timestamp_format)
        if moment_ is None:
            raise ValueError("not a timestamp (ISO 8601, an HTTP date or epoch seconds)")
        return moment_
    if kind == "blob":
        data = parse_blob(text)
        if data is None:
            raise ValueError("not base64")
        return data
    raise ValueError(f"a {kind} cannot be read from text")
