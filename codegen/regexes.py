"""Regular expressions that mean the same in Python's ``re`` and in ECMA-262.

Spec patterns are used by Python (the loader's checks, the model's :class:`~codegen.model.Format`,
the generated validators) and by JSON Schema libraries of any language (ECMA-262 regexes, ``u``
flag). The two disagree on ``$`` (Python's also matches before a final newline), ``.``,
``\\d``/``\\w``/``\\s`` and on which escapes are allowed. :func:`portable_regex` rewrites a
pattern into explicit forms both read alike, and rejects constructs only one of them has.

botocore's patterns are Java's (``java.util.regex``, what AWS validates with): Unicode
categories ``\\p{L}``/``\\P{C}``, POSIX classes ``\\p{Alnum}``, ``\\x{...}``, octal ``\\0nn``,
surrogate pairs ``\\uD800\\uDC00``, ``\\b``, ``\\A``, ``\\z``, identity escapes such as ``\\_``,
leading ``(?i)``/``(?s)``, back-references and ``\\S`` inside a class. These are translated to
explicit forms with Java's meaning (character classes spelled out as code-point ranges); what
has no exact translation (``\\Z``, possessive quantifiers, ``\\p{IsAlphabetic}``, ...) raises
``ValueError``, and :func:`enforceable` returns None for it: the pattern is kept, not enforced.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codegen.regex_safety import Searcher

# ECMA-262's \s (WhiteSpace and LineTerminator), spelled out so Python's re means the same.
_ECMA_SPACE = (
    "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_ANY_CHAR = "[\\s\\S]"
_NOT_LINE_TERMINATOR = "[^\\n\\r\\u2028\\u2029]"  # ECMA-262's "." without the s flag
_END = "(?![\\s\\S])"  # ECMA-262's "$" without the m flag; Python's "$" also matches before a final \n
_OUTSIDE_ESCAPES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "s": f"[{_ECMA_SPACE}]",
    "S": f"[^{_ECMA_SPACE}]",
}
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": _ECMA_SPACE}
_CONTROL_ESCAPES = frozenset("ntrfv")
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_QUANTIFIER = re.compile(r"\{[0-9]+(,[0-9]*)?\}")
_ANY_PAIRS = frozenset({"\\s\\S", "\\S\\s", "\\d\\D", "\\D\\d", "\\w\\W", "\\W\\w"})


def portable_regex(pattern: str) -> str:
    """``pattern`` rewritten to mean the same in ECMA-262 (``u`` flag) and Python's ``re``.

    ``$`` becomes ``(?![\\s\\S])`` (Python's ``$`` also matches before a trailing newline), ``.``
    becomes ``[^\\n\\r\\u2028\\u2029]``, ``\\d``/``\\w``/``\\s`` become their ASCII (ECMA) classes,
    and escapes that ECMA-262's unicode mode does not allow lose their backslash. Java's
    constructs (see the module's documentation) are translated with Java's meaning. Constructs
    with no exact translation (named groups, inline flags other than a leading ``(?i)``/``(?s)``,
    ``\\Z``, possessive quantifiers other than ``{n}+``, ``{,n}``, a literal ``{``, a
    back-reference to a group not yet closed, ...) raise ``ValueError``.
    """
    return _Translator(pattern).run()


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.out: list[str] = []
        self.ignore_case = False
        self.dot_all = False
        self.groups: list[int | None] = []  # open groups: capture number or None
        self.captures = 0
        self.closed: set[int] = set()

    def fail(self, message: str) -> ValueError:
        return ValueError(f"{self.p!r}: {message}")

    def leading_flags(self, i: int) -> int:
        match = _INLINE_FLAGS.match(self.p, i)
        if match:
            self.ignore_case = "i" in match.group(1)
            self.dot_all = "s" in match.group(1)
            return match.end()
        return i

    def run(self) -> str:
        pattern = self.p
        out = self.out
        n = len(pattern)
        if pattern.startswith("^"):
            out.append("^")
            i = self.leading_flags(1)
        else:
            i = self.leading_flags(0)
        atom = False  # whether a quantifier may follow
        while i < n:
            ch = pattern[i]
            if ch == "\\":
                i, atom = self.escape(i)
                continue
            if ch == "[":
                i = self.char_class(i)
                atom = True
                continue
            if ch == "(":
                if pattern.startswith("(?", i):
                    for opener in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
                        if pattern.startswith(opener, i):
                            out.append(opener)
                            i += len(opener)
                            self.groups.append(None if opener == "(?:" else _LOOKAROUND)
                            break
                    else:
                        raise self.fail(f"group syntax at {i} is not portable")
                else:
                    out.append("(")
                    self.captures += 1
                    self.groups.append(self.captures)
                    i += 1
                atom = False
                continue
            if ch == ")":
                if not self.groups:
                    raise self.fail(f"unbalanced ) at {i}")
                number = self.groups.pop()
                if number is not None and number != _LOOKAROUND:
                    self.closed.add(number)
                out.append(")")
                i += 1
                atom = number != _LOOKAROUND  # ECMA-262 (u flag) quantifies no lookaround
                continue
            if ch in "*+?":
                if not atom:
                    raise self.fail(f"quantifier {ch!r} at {i} follows nothing")
                out.append(ch)
                i += 1
                if i < n and pattern[i] == "?":  # lazy
                    out.append("?")
                    i += 1
                elif i < n and pattern[i] == "+":
                    raise self.fail("possessive quantifiers are not portable")
                atom = False
                continue
            if ch == "{":
                match = _QUANTIFIER.match(pattern, i)
                if not match or not atom:
                    raise self.fail(f"a literal {{ at {i} must be escaped")
                out.append(match.group())
                i = match.end()
                if i < n and pattern[i] == "?":
                    out.append("?")
                    i += 1
                elif i < n and pattern[i] == "+":
                    if match.group(1) is not None:  # {n}+ matches as {n}; others do not
                        raise self.fail("possessive quantifiers are not portable")
                    i += 1
                atom = False
                continue
            if ch in "}]":
                out.append("\\" + ch)  # a literal in Java and Python; ECMA-262 wants it escaped
                atom = True
            elif ch == "$":
                out.append(_END)
                atom = False
            elif ch == ".":
                out.append(_ANY_CHAR if self.dot_all else _NOT_LINE_TERMINATOR)
                atom = True
            elif ch in "^|":
                out.append(ch)
                atom = False
            else:
                out.append(self.literal(ord(ch)))
                atom = True
            i += 1
        if self.groups:
            raise self.fail("unbalanced (")
        result = "".join(out)
        try:
            re.compile(result)
        except re.error as exc:
            raise self.fail(str(exc)) from None
        return result

    def literal(self, cp: int) -> str:
        """One character outside a class (case-insensitive letters become a class)."""
        ch = chr(cp)
        if self.ignore_case and ch.isascii() and ch.isalpha():
            return f"[{ch.lower()}{ch.upper()}]"
        if ch in _SYNTAX and ch != "/":
            return "\\" + ch
        if 0xD800 <= cp <= 0xDFFF or (cp < 0x20 and ch not in "\t\n\r"):
            return f"\\u{cp:04x}"
        return ch

    def code_point(self, i: int) -> tuple[int, int] | None:
        """A character escape at ``i`` (``\\uXXXX`` with a surrogate pair, ``\\xHH``,
        ``\\x{H...}``, octal ``\\0ooo``): (code point, index after it), or None."""
        pattern = self.p
        nxt = pattern[i + 1]
        if nxt == "u":
            digits = pattern[i + 2 : i + 6]
            if not _HEX4.fullmatch(digits):
                raise self.fail("malformed \\u escape")
            cp = int(digits, 16)
            low = (
                _HEX4.fullmatch(pattern[i + 8 : i + 12])
                if pattern.startswith("\\u", i + 6)
                else None
            )
            if 0xD800 <= cp <= 0xDBFF and low and 0xDC00 <= int(low.group(), 16) <= 0xDFFF:
                pair = 0x10000 + ((cp - 0xD800) << 10) + (int(low.group(), 16) - 0xDC00)
                return pair, i + 12
            return cp, i + 6
        if nxt == "x":
            if pattern.startswith("{", i + 2):
                close = pattern.find("}", i + 3)
                digits = pattern[i + 3 : close] if close > 0 else ""
                if (
                    not digits
                    or not all(c in _HEX_DIGITS for c in digits)
                    or int(digits, 16) > _MAX
                ):
                    raise self.fail("malformed \\x{...} escape")
                return int(digits, 16), close + 1
            digits = pattern[i + 2 : i + 4]
            if len(digits) != 2 or not all(c in _HEX_DIGITS for c in digits):
                raise self.fail("malformed \\x escape")
            return int(digits, 16), i + 4
        if nxt == "0":
            match = _OCTAL.match(pattern, i + 2)
            if not match:
                raise self.fail("malformed octal escape \\0")
            return int(match.group(), 8), match.end()
        return None

    def escape(self, i: int) -> tuple[int, bool]:
        """An escape outside a class: appends its translation; (index after it, is an atom)."""
        pattern = self.p
        out = self.out
        if i + 1 >= len(pattern):
            raise self.fail("ends with a backslash")
        nxt = pattern[i + 1]
        if nxt in _OUTSIDE_ESCAPES:
            out.append(_OUTSIDE_ESCAPES[nxt])
            return i + 2, True
        if nxt in "pP":
            ranges, end = self.property(i)
            out.append(_emit_class(ranges))
            return end, True
        if nxt in "bB":
            out.append(_WORD_BOUNDARY if nxt == "b" else _NOT_WORD_BOUNDARY)
            return i + 2, False
        if nxt == "A":
            out.append("^")
            return i + 2, False
        if nxt == "z":
            out.append(_END)
            return i + 2, False
        if nxt in "123456789":
            number = int(nxt)
            if number not in self.closed or pattern[i + 2 : i + 3].isdigit():
                raise self.fail(f"back-reference \\{nxt} to a group not closed before it")
            out.append("\\" + nxt)
            return i + 2, True
        if nxt in _SYNTAX or nxt in _CONTROL_ESCAPES:
            out.append("\\" + nxt)
            return i + 2, True
        point = self.code_point(i)
        if point is not None:
            out.append(self.literal(point[0]))
            return point[1], True
        if nxt.isalnum():
            raise self.fail(f"escape \\{nxt} is not portable between Python and ECMA-262")
        out.append(self.literal(ord(nxt)))  # an identity escape (\_, \', \-): the character
        return i + 2, True

    def property(self, i: int) -> tuple[list[tuple[int, int]], int]:
        """``\\p{Name}`` / ``\\P{Name}`` at ``i``: (its code-point ranges, index after it)."""
        pattern = self.p
        match = _PROPERTY.match(pattern, i)
        if not match:
            raise self.fail(f"malformed \\{pattern[i + 1]} escape at {i}")
        ranges = _property_ranges(match.group(2))
        if ranges is None:
            raise self.fail(f"\\{match.group(1)}{{{match.group(2)}}} has no portable translation")
        if self.ignore_case and match.group(2) not in _CASELESS_PROPERTIES:
            raise self.fail(f"\\p{{{match.group(2)}}} with (?i) has no portable translation")
        return (_complement(ranges) if match.group(1) == "P" else ranges), match.end()

    def char_class(self, start: int) -> int:
        body = self.p[start:]
        special = self.ignore_case or any(m in body for m in ("\\p", "\\P", "\\x{", "\\0"))
        if not special and not _SURROGATE_ESCAPE.search(body.split("]", 1)[0]):
            try:
                end, text = _class(self.p, start)
                self.out.append(text)
                return end
            except ValueError:
                pass
        end, ranges = self.class_ranges(start)
        self.out.append(_emit_class(ranges))
        return end

    def class_ranges(self, start: int) -> tuple[int, list[tuple[int, int]]]:
        """A class read as Java reads it, as sorted code-point ranges: (index after it, ranges)."""
        pattern = self.p
        i = start + 1
        negated = pattern.startswith("^", i)
        if negated:
            i += 1
        ranges: list[tuple[int, int]] = []
        pending: int | None = None  # a single character that may start a range
        first = True
        while True:
            if i >= len(pattern):
                raise self.fail(f"unterminated character class at {start}")
            ch = pattern[i]
            if ch == "]" and not first:
                i += 1
                break
            if ch == "]" or ch == "[":
                raise self.fail(f"{ch} at {i} inside a class is not portable")
            if ch == "&" and pattern.startswith("&&", i):
                raise self.fail("class intersection && is not portable")
            first = False
            if ch == "-" and pending is not None and pattern[i + 1 : i + 2] not in ("]", ""):
                end_cp, i = self.class_char(i + 1)
                if end_cp is None:
                    raise self.fail(f"a range at {i} ends in a class escape")
                if end_cp < pending:
                    raise self.fail(f"reversed range at {i}")
                ranges.append((pending, end_cp))
                pending = None
                continue
            if pending is not None:
                ranges.append((pending, pending))
                pending = None
            if ch == "\\":
                cp, after = self.class_char(i)
                if cp is None:
                    ranges.extend(self.class_escape(i))
                    i = after
                    continue
                pending, i = cp, after
                continue
            pending = ord(ch)
            i += 1
        if pending is not None:
            ranges.append((pending, pending))
        if self.ignore_case:
            ranges = ranges + _other_case(ranges)
        merged = _merge(ranges)
        return i, _complement(merged) if negated else merged

    def class_char(self, i: int) -> tuple[int | None, int]:
        """A single character at ``i`` inside a class: (code point or None for a class
        escape such as ``\\d``, index after it)."""
        pattern = self.p
        if pattern[i] != "\\":
            return ord(pattern[i]), i + 1
        if i + 1 >= len(pattern):
            raise self.fail("ends with a backslash")
        nxt = pattern[i + 1]
        if nxt in "dDwWsSpP":
            prop = _PROPERTY.match(pattern, i) if nxt in "pP" else None
            return None, prop.end() if prop else i + 2
        if nxt in _CONTROL_CODES:
            return _CONTROL_CODES[nxt], i + 2
        point = self.code_point(i)
        if point is not None:
            return point
        if nxt.isalnum():
            raise self.fail(f"escape \\{nxt} is not portable between Python and ECMA-262")
        return ord(nxt), i + 2

    def class_escape(self, i: int) -> list[tuple[int, int]]:
        nxt = self.p[i + 1]
        if nxt in "pP":
            return self.property(i)[0]
        table = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
        ranges = table[nxt.lower()]
        return _complement(ranges) if nxt.isupper() else list(ranges)


def _class(pattern: str, start: int) -> tuple[int, str]:
    """The character class starting at ``start``: (index after it, its portable spelling)."""
    if pattern[start + 1 : start + 5] in _ANY_PAIRS and pattern[start + 5 : start + 6] == "]":
        return start + 6, _ANY_CHAR  # [\s\S] and the like: any character, in both languages
    i = start + 1
    negated = pattern.startswith("^", i)
    if negated:
        i += 1
    items: list[str] = []
    first = True
    while True:
        if i >= len(pattern):
            raise ValueError(f"{pattern!r}: unterminated character class at {start}")
        ch = pattern[i]
        if ch == "]":
            if first:
                raise ValueError(f"{pattern!r}: a class starting with ] is not portable")
            break
        first = False
        if ch == "\\":
            if i + 1 >= len(pattern):
                raise ValueError(f"{pattern!r}: ends with a backslash")
            nxt = pattern[i + 1]
            if nxt in _CLASS_ESCAPES:
                after = pattern[i + 2 : i + 4]
                if (items and items[-1] == "-") or (after.startswith("-") and after != "-]"):
                    raise ValueError(f"{pattern!r}: \\{nxt} next to a range dash is not portable")
                items.append(_CLASS_ESCAPES[nxt])
            elif nxt in "DWS":
                raise ValueError(f"{pattern!r}: \\{nxt} inside a class is not portable")
            elif nxt in _CONTROL_ESCAPES or nxt in "\\]^-[$/":
                items.append("\\" + nxt)
            elif nxt in "ux":
                size = 4 if nxt == "u" else 2
                items.append(pattern[i : i + 2 + size])
                i += size
            elif nxt.isalnum() or nxt == "_":
                raise ValueError(
                    f"{pattern!r}: escape \\{nxt} is not portable between Python and ECMA-262"
                )
            else:
                items.append(nxt)
            i += 2
            continue
        if ch in "[$":
            items.append("\\" + ch)  # Python warns about nested sets; fastjsonschema rewrites $
        elif ch in "&~|" and pattern.startswith(ch * 2, i):
            items.append("\\" + ch)  # Python reserves doubled set operators
        else:
            items.append(ch)
        i += 1
    return i + 1, f"[{'^' if negated else ''}{''.join(items)}]"


def enforceable(pattern: str) -> str | None:
    """The portable form of ``pattern``, or None when it has none (kept but not enforced)."""
    return _enforceable(pattern)


@lru_cache(maxsize=8192)
def _enforceable(pattern: str) -> str | None:
    try:
        return portable_regex(pattern)
    except ValueError:
        return None


# -- code-point ranges ------------------------------------------------------------------------

_MAX = 0x10FFFF
_LOOKAROUND = -1  # an open lookaround group, in _Translator.groups
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_HEX4 = re.compile("[0-9a-fA-F]{4}")
_OCTAL = re.compile("[0-3][0-7]{2}|[0-7]{1,2}")
_INLINE_FLAGS = re.compile(r"\(\?([is]+)\)")
_PROPERTY = re.compile(r"\\([pP])\{([A-Za-z_]+)\}")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}")
_CONTROL_CODES = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}
_DIGIT = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_WORD_CLASS = "[A-Za-z0-9_]"
_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?!{_WORD_CLASS})|(?<!{_WORD_CLASS})(?={_WORD_CLASS}))"
_NOT_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?={_WORD_CLASS})|(?<!{_WORD_CLASS})(?!{_WORD_CLASS}))"
_PUNCT = ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E))
_POSIX: dict[str, tuple[tuple[int, int], ...]] = {  # Java's POSIX classes: US-ASCII only
    "Lower": ((0x61, 0x7A),),
    "Upper": ((0x41, 0x5A),),
    "ASCII": ((0x00, 0x7F),),
    "Alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "Digit": _DIGIT,
    "Alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "Punct": _PUNCT,
    "Graph": ((0x21, 0x7E),),
    "Print": ((0x20, 0x7E),),
    "Blank": ((0x09, 0x09), (0x20, 0x20)),
    "Cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "XDigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
    "Space": ((0x09, 0x0D), (0x20, 0x20)),
    "all": ((0, _MAX),),
    "IsWhite_Space": (
        (0x09, 0x0D),
        (0x20, 0x20),
        (0x85, 0x85),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
    ),
}
_POSIX["IsWhitespace"] = _POSIX["IsWhite_Space"]
_CASELESS_PROPERTIES = frozenset({"ASCII", "Digit", "Punct", "Blank", "Cntrl", "Space", "all"})
_CATEGORIES = frozenset(
    [
        "L",
        "Lu",
        "Ll",
        "Lt",
        "Lm",
        "Lo",
        "M",
        "Mn",
        "Mc",
        "Me",
        "N",
        "Nd",
        "Nl",
        "No",
        "P",
        "Pc",
        "Pd",
        "Ps",
        "Pe",
        "Pi",
        "Pf",
        "Po",
        "S",
        "Sm",
        "Sc",
        "Sk",
        "So",
        "Z",
        "Zs",
        "Zl",
        "Zp",
        "C",
        "Cc",
        "Cf",
        "Cs",
        "Co",
        "Cn",
    ]
)


def _property_ranges(name: str) -> list[tuple[int, int]] | None:
    if name in _POSIX:
        return list(_POSIX[name])
    category = name[2:] if name.startswith("Is") and name[2:] in _CATEGORIES else name
    if category in _CATEGORIES:
        return list(_category_ranges(category))
    return None


@cache
def _category_ranges(category: str) -> tuple[tuple[int, int], ...]:
    """The code points of a Unicode general category (one letter: the major class), as ranges
    (from this Python's :mod:`unicodedata`)."""
    import unicodedata

    ranges: list[tuple[int, int]] = []
    start: int | None = None
    size = len(category)
    for cp in range(_MAX + 2):
        inside = cp <= _MAX and unicodedata.category(chr(cp))[:size] == category
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return tuple(ranges)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _complement(
    ranges: list[tuple[int, int]] | tuple[tuple[int, int], ...],
) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    next_cp = 0
    for lo, hi in _merge(list(ranges)):
        if lo > next_cp:
            out.append((next_cp, lo - 1))
        next_cp = hi + 1
    if next_cp <= _MAX:
        out.append((next_cp, _MAX))
    return out


def _other_case(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ASCII letters of ``ranges`` in the other case (Java's default (?i): ASCII only)."""
    out: list[tuple[int, int]] = []
    for lo, hi in ranges:
        for a, z, shift in ((0x41, 0x5A, 0x20), (0x61, 0x7A, -0x20)):
            low, high = max(lo, a), min(hi, z)
            if low <= high:
                out.append((low + shift, high + shift))
    return out


def _emit_char(cp: int) -> str:
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    if cp > 0xFFFF:
        return ch  # ECMA-262 (u flag) and Python both read an astral character as one
    return f"\\u{cp:04x}"


def _emit_class(ranges: list[tuple[int, int]]) -> str:
    ranges = _merge(list(ranges))
    if not ranges:
        return "(?!)"  # matches nothing, in both
    if ranges == [(0, _MAX)]:
        return _ANY_CHAR
    # A range starting with a low surrogate goes first: after a high surrogate, ECMA-262 (u
    # flag) would read the two escapes as one surrogate pair.
    ranges.sort(key=lambda r: not 0xDC00 <= r[0] <= 0xDFFF)
    parts = [
        _emit_char(lo) if lo == hi else f"{_emit_char(lo)}-{_emit_char(hi)}" for lo, hi in ranges
    ]
    return f"[{''.join(parts)}]"


@lru_cache(maxsize=256)
def compiled(pattern: str) -> Searcher:
    """``pattern`` made portable, with the matcher the generated validators use for it (cached):
    search with it for ECMA-262 semantics, in time linear in the value's length (``re`` where
    its backtracking is linear on the pattern, else an automaton: :mod:`codegen.regex_safety`)."""
    from codegen.regex_safety import matcher

    return matcher(portable_regex(pattern))


# -- example strings ---------------------------------------------------------------------------

if sys.version_info >= (3, 11):
    from re import _constants as _sre
    from re import _parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

# characters an example prefers, in order, where a class allows them
_PREFERRED = "ax0A-_.:/ "
# how many times each unbounded or ranged repeat is taken, tried in turn (0: its minimum)
_STRETCHES = (0, 1, 2, 3, 5, 8, 16, 32, 64, 128, 256)


def examples(pattern: str, limit: int = 256) -> list[str]:
    """Strings that ``pattern`` (as :func:`compiled` reads it) matches, shortest first.

    Deterministic: each repeat is taken its minimum number of times, then 1, 2, 3, 5, ...
    times (within its bounds), so that a caller can pick one that also fits a length; each
    class gives a readable character (``a``, ``x``, ``0``, ...) where it allows one. Lookarounds
    and anchors are skipped while building and checked at the end: only strings the compiled
    pattern really matches (``search``) are returned, none longer than ``limit`` characters
    (so that a search never meets a long string: some patterns backtrack a lot). The strings
    are this function's own, not untrusted input, so ``re`` checks them: deciding the
    validators' matcher (:mod:`codegen.regex_safety`) costs up to seconds per pattern, which
    examples of every pattern of a release cannot afford. Empty for a pattern without a
    portable form (not enforced) or one this cannot satisfy.
    """
    portable = enforceable(pattern)
    if portable is None:
        return []
    try:
        parsed = _sre_parse.parse(portable)
    except (re.error, RecursionError):  # pragma: no cover - portable patterns compile
        return []
    regex = re.compile(portable)
    found: list[str] = []
    for stretch in _STRETCHES:
        try:
            text = _build(parsed, stretch)
        except (RecursionError, _NoExample):
            continue
        if len(text) > limit:
            break  # a larger stretch only builds longer strings
        if text not in found and regex.search(text) is not None:
            found.append(text)
    return found


def random_match(pattern: str, size: int = 17, attempts: int = 8) -> str | None:
    """A string ``pattern`` matches with random letters and digits where it allows them (each
    repeat taken ``size`` times, within its bounds): a fresh identifier of a form the model
    states (IAM's ``v[1-9][0-9]*`` policy versions). None when the pattern has no portable
    form, or nothing random built matches it."""
    portable = enforceable(pattern)
    if portable is None:
        return None
    try:
        parsed = _sre_parse.parse(portable)
    except (re.error, RecursionError):  # pragma: no cover - portable patterns compile
        return None
    regex = re.compile(portable)
    for _ in range(attempts):
        try:
            text = _build(parsed, size, random=True)
        except (RecursionError, _NoExample):
            return None
        if len(text) <= 4096 and regex.fullmatch(text) is not None:
            return text
    return None


_RANDOM_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


class _NoExample(Exception):
    """A construct the example builder does not take (a back-reference)."""


def _build(items: object, stretch: int, random: bool = False) -> str:
    """A string of the parsed pattern ``items``: each repeat ``stretch`` times (within its
    bounds); readable characters, or with ``random`` random letters and digits where a class
    allows them (each repeated item drawn again)."""
    out: list[str] = []
    for op, av in items:  # type: ignore[attr-defined]
        if op in (_sre.LITERAL, _sre.LITERAL_IGNORE, _sre.LITERAL_UNI_IGNORE):
            out.append(chr(av))
        elif op in (_sre.NOT_LITERAL, _sre.NOT_LITERAL_IGNORE, _sre.NOT_LITERAL_UNI_IGNORE):
            out.append(next(c for c in _PREFERRED if ord(c) != av))
        elif op is _sre.ANY:
            out.append(_random_member([]) if random else "x")
        elif op is _sre.IN:
            out.append(_random_member(av) if random else _class_member(av))
        elif op is _sre.CATEGORY:
            category: list[tuple[object, object]] = [(op, av)]
            out.append(_random_member(category) if random else _class_member(category))
        elif op is _sre.BRANCH:
            out.append(_build(av[1][0], stretch, random))
        elif op is _sre.SUBPATTERN:
            out.append(_build(av[-1], stretch, random))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) or op.name == "POSSESSIVE_REPEAT":
            low, high, item = av
            count = low if stretch == 0 else max(low, min(stretch, high))
            if random:
                out.append("".join(_build(item, stretch, random) for _ in range(count)))
            else:
                out.append(_build(item, stretch) * count)
        elif op.name == "ATOMIC_GROUP":
            out.append(_build(av, stretch, random))
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # checked by the final search
        else:
            raise _NoExample(str(op))
    return "".join(out)


def _random_member(items: list[tuple[object, object]]) -> str:
    """A random letter or digit of a class (``IN`` items; empty: any character), else its
    readable member."""
    import secrets

    choices = [c for c in _RANDOM_ALPHABET if not items or _in_class(ord(c), items)]
    return secrets.choice(choices) if choices else _class_member(items)


def _class_member(items: list[tuple[object, object]]) -> str:
    """A readable character of a class (``IN`` items), preferring :data:`_PREFERRED`."""
    for char in _PREFERRED:
        if _in_class(ord(char), items):
            return char
    for code in range(0x21, 0x7F):
        if _in_class(code, items):
            return chr(code)
    for op, av in items:  # only characters outside ASCII: the first of the class
        if op in (_sre.LITERAL, _sre.LITERAL_IGNORE, _sre.LITERAL_UNI_IGNORE):
            return chr(av)  # type: ignore[arg-type]
        if op in (_sre.RANGE, _sre.RANGE_UNI_IGNORE):
            return chr(av[0])  # type: ignore[index]
    raise _NoExample("an empty class")


_CATEGORY_TESTS: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_NOT_DIGIT": lambda c: not c.isdigit(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda c: not c.isspace(),
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
    "CATEGORY_NOT_WORD": lambda c: not (c.isalnum() or c == "_"),
}


def _in_class(code: int, items: list[tuple[object, object]]) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op is _sre.NEGATE:
            negate = True
        elif op in (_sre.LITERAL, _sre.LITERAL_IGNORE, _sre.LITERAL_UNI_IGNORE):
            hit = hit or code == av
        elif op in (_sre.RANGE, _sre.RANGE_UNI_IGNORE):
            bounds: tuple[int, int] = av  # type: ignore[assignment]
            hit = hit or bounds[0] <= code <= bounds[1]
        elif op is _sre.CATEGORY:
            test = _CATEGORY_TESTS.get(str(av).upper().removeprefix("SRE_"))
            hit = hit or (test is not None and bool(test(chr(code))))
    return hit != negate
