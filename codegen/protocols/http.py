"""Whole HTTP messages, as the protocols see them, and the strict decoding every protocol shares.

:class:`HttpRequest` is what arrived, unparsed: the method, the raw path (still
percent-encoded: a URI label may hold an encoded ``/``), the raw query string, the headers
(names lower-cased, values as sent; a header sent several times is joined with ``", "`` as RFC
9110 allows) and the body (already de-chunked by the HTTP server; ``aws-chunked`` content
encoding is the S3 protocol's business). :class:`HttpResponse` is what goes back.

Decoding is strict: a malformed percent-escape (``%G1``), bytes that are not UTF-8 after
decoding, or a key given twice where the protocol does not allow it raise
:class:`~codegen.protocols.errors.ProtocolError` with the protocol's own code, never a value
taken literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import unquote_to_bytes

from .errors import ProtocolError

__all__ = [
    "HttpRequest",
    "HttpResponse",
    "decode_form",
    "percent_decode",
]

_ESCAPE: Final = re.compile(rb"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request, whole and unparsed."""

    method: str  # upper case: GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS, ...
    path: str  # raw, percent-encoded, without the query string: "/bucket/a%2Fb"
    query: str = ""  # raw query string, without the "?"
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header's value by its (case-insensitive) name."""
        return self.headers.get(name.lower(), default)

    @property
    def host(self) -> str:
        """The Host header without its port (``bucket.localhost``), lower case."""
        host = (self.headers.get("host") or "").strip().lower()
        if host.startswith("["):  # an IPv6 literal: [::1]:8080
            return host[: host.find("]") + 1]
        return host.rsplit(":", 1)[0] if ":" in host else host

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower case ('' when absent)."""
        return (self.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


@dataclass
class HttpResponse:
    """One HTTP response. ``headers`` is a list: a name may repeat."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None


def percent_decode(raw: bytes, *, plus_is_space: bool, error_code: str) -> str:
    """``raw`` percent-decoded (``+`` as a space where ``plus_is_space``: form bodies and query
    strings) and read as UTF-8. A ``%`` not followed by two hex digits, or bytes that are not
    UTF-8, raise :class:`ProtocolError` with ``error_code``."""
    if plus_is_space and b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        bad = _ESCAPE.search(raw)
        if bad is not None:
            shown = raw[bad.start() : bad.start() + 3].decode("latin-1")
            raise ProtocolError(
                error_code,
                f"The request holds {shown!r}, which is not a percent-encoded byte ('%' and two"
                " hex digits).",
            )
        out = bytearray()
        parts = raw.split(b"%")
        out += parts[0]
        for part in parts[1:]:
            out.append(int(part[:2], 16))
            out += part[2:]
        raw = bytes(out)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(
            error_code, "The request is not valid UTF-8 after percent-decoding."
        ) from None


def decode_form(data: bytes | str, *, error_code: str) -> list[tuple[str, str]]:
    """A form body or query string -> its (key, value) pairs in order, strictly decoded. A key
    without ``=`` has the value ``""``.

    The whole input is decoded at once when it can be (every ``%`` an escape, no byte that
    stands in for a separator below): ``&`` and ``=`` become the control characters ``\x00``
    and ``\x01``, which no decoded escape can then be mistaken for, the input is
    percent-decoded and read as UTF-8 in one step each, and split. Otherwise, and to name a
    fault, item by item."""
    raw = data.encode("latin-1") if isinstance(data, str) else data
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")  # '+' is no separator: replaced in all items at once
    marks = b"\x00" in raw or b"\x01" in raw or b"%00" in raw or b"%01" in raw
    if not (marks or b"%" in raw and _ESCAPE.search(raw)):
        marked = raw.replace(b"&", b"\x00").replace(b"=", b"\x01")
        try:
            text = (unquote_to_bytes(marked) if b"%" in marked else marked).decode("utf-8")
        except UnicodeDecodeError:
            pass  # named below
        else:
            pairs = []
            for item in text.split("\x00"):
                if item:
                    key, _, value = item.partition("\x01")
                    pairs.append((key, value.replace("\x01", "=") if "\x01" in value else value))
            return pairs
    return _decode_items(raw, error_code)


def _decode_items(raw: bytes, error_code: str) -> list[tuple[str, str]]:
    """:func:`decode_form` item by item: the first fault, in order, is the one named."""
    pairs: list[tuple[str, str]] = []
    for item in raw.split(b"&"):
        if not item:
            continue
        key, _, value = item.partition(b"=")
        pairs.append(
            (
                percent_decode(key, plus_is_space=True, error_code=error_code),
                percent_decode(value, plus_is_space=True, error_code=error_code),
            )
        )
    return pairs


def join_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Raw header pairs -> one value per lower-cased name (repeats joined with ", ")."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers
