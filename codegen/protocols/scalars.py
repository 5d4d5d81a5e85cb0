"""Scalar values as text on the wire: timestamps, numbers, booleans and blobs, both ways.

What every protocol writes into headers, query strings, URI labels and XML text, and what the
JSON protocols write for timestamps and special floats. Reading is strict and never slower than
linear in the text: each reader returns the Python value (botocore's types: aware ``datetime``
in UTC, ``int``, ``float``, ``bool``, ``bytes``) or raises :class:`ValueError` with a short
reason, which the protocol turns into its own error naming where the value was.

Timestamp formats are botocore's names: ``iso8601`` (``2020-02-04T00:00:00Z``, fractions and
offsets accepted), ``rfc822`` (the HTTP date, ``Tue, 04 Feb 2020 00:00:00 GMT``) and
``unixTimestamp`` (seconds since the epoch, fractions accepted). Written timestamps keep
milliseconds (microseconds when the value has them), except HTTP dates, which have whole
seconds only.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import math
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Final

__all__ = [
    "INT_RANGES",
    "blob_text",
    "epoch_number",
    "float_text",
    "format_timestamp",
    "read_blob",
    "read_boolean",
    "read_float",
    "read_integer",
    "read_timestamp",
    "to_datetime",
]

UTC: Final = timezone.utc
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

# the range of each integral shape type (values outside are refused on reading)
INT_RANGES: Final = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}

_INTEGER: Final = re.compile(r"-?[0-9]{1,20}")
_FLOAT: Final = re.compile(
    r"[+-]?(?:[0-9]{1,400}(?:\.[0-9]{0,400})?|\.[0-9]{1,400})(?:[eE][+-]?[0-9]{1,4})?"
)
_ISO8601: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,12}))?(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))"
)
_DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
_HTTP_DATE: Final = re.compile(
    r"(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
    r"|Nov|Dec) ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))? (?:GMT|UTC|\+0000)"
)
_EPOCH_TEXT: Final = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{0,12})?(?:[eE][+-]?[0-9]{1,2})?")


# -- reading -------------------------------------------------------------------------------


def read_integer(text: str, kind: str = "long") -> int:
    """A decimal integer (``-12``), within the range of ``kind`` (``integer``, ``long``, ...)."""
    if not _INTEGER.fullmatch(text):
        raise ValueError("not an integer")
    value = int(text)
    low, high = INT_RANGES.get(kind, INT_RANGES["long"])
    if not low <= value <= high:
        raise ValueError(f"out of the range of a {kind} ({low} to {high})")
    return value


def read_float(text: str) -> float:
    """A decimal number, or ``NaN``, ``Infinity``, ``-Infinity``."""
    if text == "NaN":
        return math.nan
    if text == "Infinity":
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if not _FLOAT.fullmatch(text):
        raise ValueError("not a number")
    return float(text)


def read_boolean(text: str) -> bool:
    """``true`` or ``false``."""
    if text == "true":
        return True
    if text == "false":
        return False
    raise ValueError("not a boolean (true or false)")


def read_blob(text: str) -> bytes:
    """Base64 (the standard alphabet, padded)."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("not base64") from None


def read_timestamp(text: str, timestamp_format: str) -> datetime:
    """A timestamp in ``timestamp_format`` (botocore's name), as an aware datetime in UTC. An
    epoch number is also accepted where ISO 8601 is expected only if the format says so."""
    if timestamp_format == "iso8601":
        return _iso8601(text)
    if timestamp_format == "rfc822":
        return _http_date(text)
    if timestamp_format == "unixTimestamp":
        return _epoch(text)
    raise ValueError(f"unknown timestamp format {timestamp_format!r}")


def epoch_number(value: float) -> datetime:
    """Seconds since the epoch (a JSON number) as an aware datetime, exact to the microsecond
    for the decimal text the number was read from."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("not a number of seconds")  # noqa: TRY004 - read as bad input
    if isinstance(value, int):
        return _from_decimal(Decimal(value))
    if not math.isfinite(value):
        raise ValueError("not a finite number of seconds")
    return _from_decimal(Decimal(repr(value)))


def _iso8601(text: str) -> datetime:
    match = _ISO8601.fullmatch(text)
    if match is None:
        raise ValueError("not an ISO 8601 timestamp (2020-02-04T00:00:00Z)")
    year, month, day, hour, minute, second, fraction, zulu, sign, oh, om = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        value = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, UTC
        )
    except ValueError as error:
        raise ValueError(f"not a valid date or time ({error})") from None
    if not zulu:
        offset = timedelta(hours=int(oh), minutes=int(om))
        if offset >= timedelta(hours=24):
            raise ValueError("not a valid time zone offset")
        try:
            value = value - offset if sign == "+" else value + offset
        except OverflowError:
            raise ValueError("out of the range of timestamps") from None
    return value


def _http_date(text: str) -> datetime:
    match = _HTTP_DATE.fullmatch(text)
    if match is None:
        raise ValueError("not an HTTP date (Tue, 04 Feb 2020 00:00:00 GMT)")
    _, day, month, year, hour, minute, second, fraction = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(
            int(year),
            _MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            int(second),
            micro,
            UTC,
        )
    except ValueError as error:
        raise ValueError(f"not a valid date or time ({error})") from None


def _epoch(text: str) -> datetime:
    if not _EPOCH_TEXT.fullmatch(text):
        raise ValueError("not a number of seconds since the epoch")
    try:
        return _from_decimal(Decimal(text))
    except InvalidOperation:
        raise ValueError("not a number of seconds since the epoch") from None


def _from_decimal(seconds: Decimal) -> datetime:
    micros = int((seconds * 1_000_000).to_integral_value())
    try:
        return _EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        raise ValueError("out of the range of timestamps") from None


# -- writing -------------------------------------------------------------------------------


def to_datetime(value: object) -> datetime:
    """A result's timestamp as an aware datetime in UTC: a datetime (naive ones are UTC), a
    number of seconds, or a string in ISO 8601, HTTP-date or epoch form (what the validators
    accept)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return epoch_number(value)
    if isinstance(value, str):
        for reader in (_iso8601, _http_date, _epoch):
            try:
                return reader(value)
            except ValueError:
                continue
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    raise ValueError(f"not a timestamp: {value!r}")


def format_timestamp(value: object, timestamp_format: str) -> str | int | float:
    """``value`` in ``timestamp_format``: a string, or a number for ``unixTimestamp`` (whole
    seconds as an int)."""
    moment = to_datetime(value)
    if timestamp_format == "unixTimestamp":
        seconds = calendar.timegm(moment.utctimetuple())
        if moment.microsecond:
            return (seconds * 10**6 + moment.microsecond) / 10**6
        return seconds
    if timestamp_format == "rfc822":
        return (
            f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
            f"{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} GMT"
        )
    text = f"{moment.year:04d}-{moment.strftime('%m-%dT%H:%M:%S')}"
    if moment.microsecond % 1000:
        return f"{text}.{moment.microsecond:06d}Z"
    if moment.microsecond:
        return f"{text}.{moment.microsecond // 1000:03d}Z"
    return f"{text}Z"


def float_text(value: float) -> str:
    """A float as text: ``NaN``, ``Infinity``, ``-Infinity`` or its shortest decimal form."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return repr(number)


def blob_text(value: bytes | bytearray | memoryview | str) -> str:
    """Base64 of a blob (a string is encoded as UTF-8 first, as botocore does)."""
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")
