"""Form bodies and query strings: decode_form reads them as Python's own form parser does, and
refuses what that parser would take loosely (a malformed escape, bytes that are not UTF-8)
with the fault named as the item-by-item decoding names it.

decode_form decodes a whole input in one step when it can (``&`` and ``=`` marked with control
characters first); these tests reach both that path and the item-by-item one: escapes of the
separators and of the marks themselves, raw marks, broken escapes and broken UTF-8.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.protocols import ProtocolError
from codegen.protocols.http import _decode_items, decode_form

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "300"))

# pieces that reach every branch: separators raw and escaped, the marks raw and escaped,
# '+', escapes of UTF-8 (whole and cut), malformed escapes, non-ASCII bytes
PIECES = st.sampled_from(
    [
        "a", "Key", "1", "=", "&", "+", "%", "%2", "%26", "%3D", "%3d", "%2B", "%20", "%00",
        "%01", "%0A", "%C3%A9", "%C3", "%A9", "%E2%82%AC", "%GG", "%zz", "\x00", "\x01", "é",
        ".", "member", "~",
    ]
)  # fmt: skip
FORMS = st.lists(PIECES, max_size=30).map("".join)


def _reference(raw: bytes) -> list[tuple[str, str]] | None:
    """Python's parser, strict about UTF-8; None where an escape is malformed (which it keeps
    literally) or a piece is not UTF-8."""
    for item in raw.split(b"&"):
        at = item.find(b"%")
        while at != -1:
            digits = item[at + 1 : at + 3]
            if len(digits) < 2 or not all(c in b"0123456789abcdefABCDEF" for c in digits):
                return None
            at = item.find(b"%", at + 1)
    text = "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)  # raw bytes as escapes
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)
@given(form=FORMS)
def test_a_form_reads_as_pythons_parser_reads_it_or_is_refused(form: str) -> None:
    raw = form.encode("utf-8")
    expected = _reference(raw)
    if expected is None:
        with pytest.raises(ProtocolError) as caught:
            decode_form(raw, error_code="MalformedQueryString")
        with pytest.raises(ProtocolError) as named:
            _decode_items(raw, "MalformedQueryString")
        assert (caught.value.code, caught.value.message) == (
            "MalformedQueryString",
            named.value.message,
        )
    else:
        assert decode_form(raw, error_code="MalformedQueryString") == expected


@pytest.mark.parametrize(
    ("form", "pairs"),
    [
        ("a=1&b=2", [("a", "1"), ("b", "2")]),
        ("a=x%26y%3Dz&b", [("a", "x&y=z"), ("b", "")]),
        ("a=b=c&&c=+%2B", [("a", "b=c"), ("c", " +")]),
        ("k%3D=%00%01v", [("k=", "\x00\x01v")]),
        ("\x01=\x00", [("\x01", "\x00")]),
        ("e=%C3%A9&f=%e2%82%ac", [("e", "é"), ("f", "€")]),
    ],
)
def test_separators_and_marks_come_back_as_sent(form: str, pairs: list[tuple[str, str]]) -> None:
    assert decode_form(form, error_code="X") == pairs
