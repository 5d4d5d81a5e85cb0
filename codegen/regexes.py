"""Regular expressions that mean the same in Python's ``re`` and in ECMA-262.

Spec patterns are used by Python (the loader's checks, the model's :class:`~codegen.model.Format`,
the generated validators) and by JSON Schema libraries of any language (ECMA-262 regexes, ``u``
flag). The two disagree on ``$`` (Python's also matches before a final newline), ``.``,
``\\d``/``\\w``/``\\s`` and on which escapes are allowed. :func:`portable_regex` rewrites a
pattern into explicit forms both read alike, and rejects constructs only one of them has.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    and escapes that ECMA-262's unicode mode does not allow lose their backslash. Constructs
    only one of the two languages has (named groups, inline flags, ``\\A``, ``\\Z``, ``\\b``,
    back-references, possessive quantifiers, ``{,n}``, a literal ``{``) raise ``ValueError``.
    """
    out: list[str] = []
    i = 0
    n = len(pattern)
    atom = False  # whether a quantifier may follow
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise ValueError(f"{pattern!r}: ends with a backslash")
            nxt = pattern[i + 1]
            if nxt in _OUTSIDE_ESCAPES:
                out.append(_OUTSIDE_ESCAPES[nxt])
            elif nxt in _SYNTAX or nxt in _CONTROL_ESCAPES:
                out.append("\\" + nxt)
            elif nxt in "ux":
                size = 4 if nxt == "u" else 2
                digits = pattern[i + 2 : i + 2 + size]
                if len(digits) != size or not all(c in "0123456789abcdefABCDEF" for c in digits):
                    raise ValueError(f"{pattern!r}: malformed \\{nxt} escape")
                out.append(pattern[i : i + 2 + size])
                i += size
            elif nxt.isalnum() or nxt == "_":
                raise ValueError(
                    f"{pattern!r}: escape \\{nxt} is not portable between Python and ECMA-262"
                )
            else:
                out.append(
                    nxt
                )  # an identity escape of a non-syntax character: the character itself
            i += 2
            atom = True
            continue
        if ch == "[":
            end, body = _class(pattern, i)
            out.append(body)
            i = end
            atom = True
            continue
        if ch == "(":
            if pattern.startswith("(?", i):
                for opener in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
                    if pattern.startswith(opener, i):
                        out.append(opener)
                        i += len(opener)
                        break
                else:
                    raise ValueError(f"{pattern!r}: group syntax at {i} is not portable")
            else:
                out.append("(")
                i += 1
            atom = False
            continue
        if ch == ")":
            out.append(")")
            i += 1
            atom = True
            continue
        if ch in "*+?":
            if not atom:
                raise ValueError(f"{pattern!r}: quantifier {ch!r} at {i} follows nothing")
            out.append(ch)
            i += 1
            if i < n and pattern[i] == "?":  # lazy
                out.append("?")
                i += 1
            if i < n and pattern[i] == "+":
                raise ValueError(f"{pattern!r}: possessive quantifiers are not portable")
            atom = False
            continue
        if ch == "{":
            match = _QUANTIFIER.match(pattern, i)
            if not match or not atom:
                raise ValueError(f"{pattern!r}: a literal {{ at {i} must be escaped")
            out.append(match.group())
            i = match.end()
            if i < n and pattern[i] == "?":
                out.append("?")
                i += 1
            if i < n and pattern[i] == "+":
                raise ValueError(f"{pattern!r}: possessive quantifiers are not portable")
            atom = False
            continue
        if ch in "}]":
            raise ValueError(f"{pattern!r}: a literal {ch} at {i} must be escaped")
        if ch == "$":
            out.append(_END)
            atom = False
        elif ch == ".":
            out.append(_NOT_LINE_TERMINATOR)
            atom = True
        elif ch == "^":
            out.append("^")
            atom = False
        elif ch == "|":
            out.append("|")
            atom = False
        else:
            out.append(ch)
            atom = True
        i += 1
    result = "".join(out)
    try:
        re.compile(result)
    except re.error as exc:
        raise ValueError(f"{pattern!r}: {exc}") from None
    return result


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


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` made portable and compiled (cached): search with it for ECMA-262 semantics."""
    return re.compile(portable_regex(pattern))
