"""botocore's patterns (Java's ``java.util.regex``) translated by :mod:`codegen.regexes`.

* hand-checked translations of each Java construct, and what stays untranslated;
* differential, over every distinct pattern of the installed botocore: the translation read by
  Python's ``re`` (the validators) finds a match exactly where Java's ``Pattern.find`` does on
  the original (run with the JDK when installed), and where node's ``RegExp`` (``u`` flag, as
  JSON Schema libraries read it) does on the translation. Sample strings are drawn from each
  translated pattern (mostly matching) and mutated (mostly not). The alphabet leaves out the
  places where the spec reads patterns as ECMA-262 on purpose, not as Java: Unicode spaces
  for ``\\s``, ``\\u0085`` for ``.`` and a newline before the end for ``$``; the Java side
  skips samples with characters its Unicode version categorizes otherwise than this Python's,
  and non-ASCII samples of patterns with ``\\b`` (Unicode-aware in Java 17, ASCII in Java 19+
  and ECMA-262).
* patterns with no exact translation are reported by :func:`enforceable` as None; there are
  few of them (botocore 1.44.8: 15 of 4,994).
"""

from __future__ import annotations

import base64
import json
import random
import re
import shutil
import subprocess
import sys
from functools import cache
from typing import Any

import pytest

from codegen.regexes import enforceable, portable_regex
from tests.support.helpers import release
from tests.support.paths import FIXTURES

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

JAVA = shutil.which("java")
NODE = shutil.which("node")


def _tool(path: str | None) -> str:
    """A program the test runs (its skipif made sure it is installed)."""
    assert path is not None
    return path


JAVA_SOURCE = FIXTURES / "java" / "RegexFind.java"


@pytest.mark.parametrize(
    ("java", "portable"),
    [
        (r"\p{Nd}", None),  # checked below against unicodedata
        (r"^[A-za-z0-9\_\.]*$", r"^[\u002e0-9A-z]*(?![\s\S])"),
        (r"(?s).{0,20}", r"[\s\S]{0,20}"),
        (r"^(?i)(true|false)$", r"^([tT][rR][uU][eE]|[fF][aA][lL][sS][eE])(?![\s\S])"),
        (r"[\x{0022}\x41]", r"[\u0022A]"),
        (r"[^/\000-\037]", r"[\u0020-\u002e0-\U0010ffff]".replace(r"\U0010ffff", "\U0010ffff")),
        (r"[\uD800\uDC00-\uDBFF\uDFFF]", "[\U00010000-\U0010ffff]"),
        (r"[0-9A-Z]{2}+", r"[0-9A-Z]{2}"),
        (r"\Aab\z", r"^ab(?![\s\S])"),
        (r"(.)\1", r"([^\n\r\u2028\u2029])\1"),
        (r"a}b]", r"a\}b\]"),
        (r"[\w-]", r"[A-Za-z0-9_-]"),
        (r"[-\w]", r"[\u002d0-9A-Z\u005fa-z]"),
        (r"[\S\s]", r"[\s\S]"),
        (r"[^\s\S]", r"(?!)"),
    ],
)
def test_java_constructs_translate(java: str, portable: str | None) -> None:
    if portable is not None:
        assert portable_regex(java) == portable


def test_unicode_categories_are_spelled_out() -> None:
    import unicodedata

    compiled = re.compile(portable_regex(r"^\p{L}\P{N}$"))
    rng = random.Random(10)
    for _ in range(3000):
        a, b = chr(rng.randrange(0x110000)), chr(rng.randrange(0x110000))
        expected = unicodedata.category(a).startswith("L") and not unicodedata.category(
            b
        ).startswith("N")
        assert (compiled.search(a + b) is not None) == expected, (hex(ord(a)), hex(ord(b)))


@pytest.mark.parametrize(
    "pattern",
    [
        r"a\Z",  # Java: before a final line terminator too
        r"[a-z]?+b",  # possessive
        r"\p{IsAlphabetic}",  # a property this Python cannot list
        r"[\p{Print}&&[^|]]",  # intersection
        r"(a\1)",  # a group referring to itself
        r"x(?i)y",  # a flag in the middle
        r"\bx\Z",
    ],
)
def test_untranslatable_patterns_are_not_enforced(pattern: str) -> None:
    with pytest.raises(ValueError):
        portable_regex(pattern)
    assert enforceable(pattern) is None


# -- differential ------------------------------------------------------------------------------

ALPHABET = "aZz09_-./:@ \t{}$[]\\()*+?|^'\"é\u00df\u0663\u4e2d\u0301\u0001\x7f\U0001f600AWS"


@cache
def botocore_patterns() -> list[str]:
    r = release("installed")
    patterns: set[str] = set()
    for service in r.services():
        for shape in r.load_model(service)["shapes"].values():
            if "pattern" in shape:
                patterns.add(shape["pattern"])
    return sorted(patterns)


def _sample(node: list[Any], rng: random.Random, groups: dict[int, str]) -> str:
    """A string the parsed pattern probably matches (lookarounds and anchors are ignored)."""
    out: list[str] = []
    for op, arg in node:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.NOT_LITERAL:
            out.append("a" if arg != ord("a") else "b")
        elif op is sre_constants.ANY:
            out.append(rng.choice(ALPHABET))
        elif op is sre_constants.IN:
            out.append(_in_class(arg, rng))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, sub = arg
            count = rng.randint(low, min(high, low + 3))
            out.extend(_sample(sub, rng, groups) for _ in range(count))
        elif op is sre_constants.SUBPATTERN:
            text = _sample(arg[-1], rng, groups)
            if arg[0]:
                groups[arg[0]] = text
            out.append(text)
        elif op is sre_constants.BRANCH:
            out.append(_sample(rng.choice(arg[1]), rng, groups))
        elif op is sre_constants.GROUPREF:
            out.append(groups.get(arg, ""))
    return "".join(out)


def _in_class(items: list[Any], rng: random.Random) -> str:
    if items and items[0][0] is sre_constants.NEGATE:
        return rng.choice(ALPHABET)
    op, arg = rng.choice(items)
    if op is sre_constants.LITERAL:
        return chr(arg)
    if op is sre_constants.RANGE:
        low, high = arg
        return chr(rng.choice([low, high, rng.randint(low, high)]))
    return rng.choice(ALPHABET)


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        if chars and rng.random() < 0.5:
            del chars[rng.randrange(len(chars))]
        else:
            chars.insert(rng.randint(0, len(chars)), rng.choice(ALPHABET))
    return "".join(chars)


def _cases() -> list[tuple[str, str, str]]:
    """(botocore pattern, its translation, sample string), deterministic."""
    rng = random.Random(1044)
    cases = []
    for pattern in botocore_patterns():
        portable = enforceable(pattern)
        if portable is None:
            continue
        parsed = sre_parse.parse(portable)
        samples = set()
        for _ in range(3):
            good = _sample(list(parsed.data), rng, {})
            samples |= {good, _mutate(good, rng)}
        samples.add("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8))))
        cases += [(pattern, portable, s) for s in sorted(samples)]
    return cases


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()


def test_almost_every_botocore_pattern_translates() -> None:
    patterns = botocore_patterns()
    kept = [p for p in patterns if enforceable(p) is None]
    assert len(patterns) > 1000
    assert len(kept) <= len(patterns) // 100, kept


_JAVA_CATEGORIES = [
    "Cn",
    "Lu",
    "Ll",
    "Lt",
    "Lm",
    "Lo",
    "Mn",
    "Me",
    "Mc",
    "Nd",
    "Nl",
    "No",
    "Zs",
    "Zl",
    "Zp",
    "Cc",
    "Cf",
    "-",
    "Co",
    "Cs",
    "Pd",
    "Ps",
    "Pe",
    "Pc",
    "Po",
    "Sm",
    "Sc",
    "Sk",
    "So",
    "Pi",
    "Pf",
]


def _java_categories(chars: set[str]) -> dict[str, str]:
    points = sorted(ord(c) for c in chars)
    result = subprocess.run(
        [_tool(JAVA), str(JAVA_SOURCE), "categories"],
        input="".join(f"{p}\n" for p in points),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return {chr(p): _JAVA_CATEGORIES[int(t)] for p, t in zip(points, result.stdout.split())}


def _java_reads_alike(pattern: str, sample: str, agree: set[str]) -> bool:
    if any(c not in agree for c in sample):
        return False
    if "\\s" in pattern and any(c in _UNICODE_SPACES for c in sample):
        return False
    return not ("\\b" in pattern and not sample.isascii())


_UNICODE_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


@pytest.mark.skipif(JAVA is None, reason="no JDK installed")
def test_translations_find_what_java_finds() -> None:
    import unicodedata

    cases = [c for c in _cases() if not _surrogates(c[2])]
    chars = {c for _, _, s in cases for c in s}
    java = _java_categories(chars)
    agree = {c for c in chars if java[c] == unicodedata.category(c)}
    cases = [c for c in cases if _java_reads_alike(c[0], c[2], agree)]
    lines = "".join(f"{_b64(p)} {_b64(s)}\n" for p, _, s in cases)
    result = subprocess.run(
        [_tool(JAVA), str(JAVA_SOURCE)],
        input=lines,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    verdicts = result.stdout
    assert len(verdicts) == len(cases)
    matches = 0
    differ = []
    for (pattern, portable, sample), verdict in zip(cases, verdicts):
        ours = re.search(portable, sample) is not None
        matches += ours
        if verdict == "E" or ours != (verdict == "1"):
            differ.append((pattern, sample, verdict, ours))
    assert differ == [], differ[:5]
    assert matches > len(cases) // 4  # the samples reach both verdicts


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_translations_are_ecma262_and_match_as_in_python() -> None:
    cases = [c for c in _cases() if not _surrogates(c[2])]
    pairs = [(portable, sample) for _, portable, sample in cases]
    script = (
        "const d = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(d.map(([p, s]) => { try { return new RegExp(p, 'u').test(s); }"
        " catch (e) { return 'E ' + e.message; } })));"
    )
    result = subprocess.run(
        [_tool(NODE), "-e", script],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    in_node = json.loads(result.stdout)
    differ = [(p, s, n) for (p, s), n in zip(pairs, in_node) if (re.search(p, s) is not None) != n]
    assert differ == [], differ[:5]


def _surrogates(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


# -- example strings (the stub server's example responses) -----------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("fcapassoc-[a-f0-9]{17}", "fcapassoc-aaaaaaaaaaaaaaaaa"),
        ("[0-9]{12}", "000000000000"),
        (r"\d{3}-\d{2}", "000-00"),
        ("[^a]+", "x"),
        ("(ab|cd)?e", "e"),
        ("^vpc-[0-9a-f]{8,17}$", "vpc-aaaaaaaa"),
    ],
)
def test_the_first_example_is_the_shortest_readable_match(pattern: str, expected: str) -> None:
    from codegen.regexes import examples

    assert examples(pattern)[0] == expected


def test_examples_stretch_repeats_to_reach_a_lookahead_length() -> None:
    from codegen.regexes import examples

    found = examples(r"(?=.{12,}$)arn:[a-z]+:x")
    assert found and all(len(text) >= 12 and re.fullmatch("arn:[a-z]+:x", text) for text in found)
    assert examples("a{2,}", limit=5) == ["aa", "aaa", "aaaaa"]  # none longer than the limit


def test_unsatisfiable_and_unenforced_patterns_have_no_example() -> None:
    from codegen.regexes import examples

    assert examples(".*/^[0-9]{12}$/.*") == []  # a "^" after a character: nothing matches
    assert examples("(?=a)b") == []
    assert examples(r"\p{IsAlphabetic}+") == []  # kept, not enforced: nothing to match


def test_examples_of_every_botocore_pattern_match_it() -> None:
    """Every example matches the pattern as botocore wrote it (read by Python's ``re`` where it
    can, else the translation), and nearly every enforced pattern has one (the rest are
    unsatisfiable or built of lookaheads, e.g. password rules)."""
    from codegen.regexes import examples

    patterns = [p for p in botocore_patterns() if enforceable(p) is not None]
    missing = []
    for pattern in patterns:
        found = examples(pattern)
        if not found:
            missing.append(pattern)
        try:
            raw = re.compile(pattern)  # botocore's own text, where Python reads it
        except re.error:
            raw = re.compile(portable_regex(pattern))  # \p{L} and the like
        for text in found[:3]:
            assert raw.search(text), (pattern, text)
    assert len(missing) <= max(20, len(patterns) // 200), missing
