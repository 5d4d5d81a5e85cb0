"""Regular expressions as automata: exact search languages, linear-time matching, comparison.

Python's ``re`` backtracks: on some patterns and inputs its time grows exponentially
(``^(a+)+$`` on ``"a" * 26 + "!"``) or quadratically (an unanchored ``[a-z]+$`` tries every
start position, each scanning to the end). This module reads a regular expression as ``re``
reads it (its own parser, ``re._parser``; patterns come here in their portable form,
:func:`codegen.regexes.portable_regex`) and builds what a backtracking matcher lacks:

* :func:`dfa` - the deterministic automaton of the pattern's *search language*: the strings
  ``s`` for which ``re.search(pattern, s)`` finds a match. It is built from Brzozowski
  derivatives over code-point intervals, so that look-aheads (as intersections and
  complements), look-behinds (tracked by small automata of their own), ``^`` and the end of
  input are exact, and minimized (Moore's partition refinement). A state bound keeps its
  construction from blowing up: past it, :class:`TooLarge`. Constructs that are not regular
  (back-references) raise :class:`Unsupported`.
* :func:`backtracking_cost` - how much work ``re``'s backtracking does, modelled by counting
  the paths it explores (:mod:`codegen.automata` ``_cost``), so that a pattern that ``re``
  matches in linear time keeps ``re`` (the fast, common case) and only the others get a
  :class:`Dfa` in the generated code (:mod:`codegen.regex_safety` decides).
* :func:`reverse` - the pattern of the reversed strings, whose automaton
  (``dfa(..., reversed_=True)``) can be small where the pattern's own is not; the generated
  runtime reads the value backwards through it.
* :meth:`Dfa.search` - the linear-time matcher (the generated code carries the same loop in
  its runtime, with the automaton as data).
* :func:`relation` - two patterns compared as languages (equal, subset, superset, neither,
  each with a witness), by a product construction and an emptiness check, with per-pair state
  bounds: what API diffs need to tell a loosened pattern from a tightened one.

The alphabet is the code points 0..0x10FFFF (lone surrogates included, as Python's ``str``
holds them), handled as sorted interval partitions, never character by character.

Derivatives with look-around
----------------------------
A *term* stands for everything that is still to be matched from the current position to the
end of the input: the search pattern ``P`` starts as ``.*P.*`` (any start, any rest), and a
term always carries its whole continuation. That is what makes look-aheads exact: ``(?=A)``
at the head of a continuation ``K`` becomes ``A.* & K`` (``A`` matches a prefix of what is
left, and so does ``K``), ``(?!A)`` becomes ``~(A.*) & K``; the end of input, ``(?![\\s\\S])``
in portable patterns, is the special case ``~(..*) & K``. Derivatives distribute over ``&``
and ``~`` as over ``|``. ``^`` holds only at position 0 (the start state knows it). A
look-behind ``(?<=B)`` asks whether the text read so far ends with ``B``: each look-behind gets
an automaton of its own for ``.*B``, run alongside, and the pair (term, look-behind states) is
a state of the DFA. A repeat ``B{m,n}`` unfolds one iteration at a time, and an optional
iteration must consume a character (as ``re`` stops a loop whose iteration matched nothing),
which keeps the unfolding finite. Terms are interned and simplified (``|``, ``&`` as sets,
``∅`` and ``.*`` absorbed), so that there are finitely many derivatives (Brzozowski).
"""

from __future__ import annotations

import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as _sre
    from re import _parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

MAX_CODE_POINT = 0x10FFFF
_INF = float("inf")
DEFAULT_MAX_STATES = 4096

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, not adjacent: (first, last) pairs


class Unsupported(ValueError):
    """A construct outside regular languages (a back-reference) or outside what ``re`` reads
    the same way everywhere (flags, atomic groups, possessive repeats)."""


class TooLarge(ValueError):
    """The automaton would have more states than the bound allows."""


class TooSlow(TooLarge):
    """Building the automaton took more processor time than allowed (see :func:`dfa`)."""


# -- code-point ranges -------------------------------------------------------------------------


def _merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def complement(ranges: Ranges) -> Ranges:
    """The code points not in ``ranges``."""
    return _complement(ranges)


def min_width(pattern: str) -> int:
    """The fewest characters a match of ``pattern`` reads, as ``re``'s parser computes it
    (look-arounds read none)."""
    try:
        return int(_sre_parse.parse(pattern).getwidth()[0])
    except (_sre.error, RecursionError, OverflowError) as exc:
        raise Unsupported(f"{pattern!r}: {exc}") from None


def _complement(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


ANY: Ranges = ((0, MAX_CODE_POINT),)
_NEWLINE = ord("\n")


@cache
def _unicode_class(name: str) -> Ranges:
    """Python's ``\\d``, ``\\s`` or ``\\w`` for ``str`` patterns, as ranges (read by ``re`` itself
    from every code point, so that it means exactly what ``re`` means)."""
    import re
    from array import array

    codec = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    every = array("I", range(MAX_CODE_POINT + 1)).tobytes().decode(codec, "surrogatepass")
    found = re.finditer(f"\\{name}+", every)
    return tuple((m.start(), m.end() - 1) for m in found)


_CATEGORIES: dict[str, tuple[str, bool]] = {
    "CATEGORY_DIGIT": ("d", False),
    "CATEGORY_NOT_DIGIT": ("d", True),
    "CATEGORY_SPACE": ("s", False),
    "CATEGORY_NOT_SPACE": ("s", True),
    "CATEGORY_WORD": ("w", False),
    "CATEGORY_NOT_WORD": ("w", True),
}


def _category(code: object) -> Ranges:
    name = str(code).upper().removeprefix("SRE_")
    if name not in _CATEGORIES:
        raise Unsupported(f"character category {name}")
    kind, negated = _CATEGORIES[name]
    ranges = _unicode_class(kind)
    return _complement(ranges) if negated else ranges


# -- the syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Chars:
    """One character of a set."""

    ranges: Ranges


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Repeat:
    item: Node
    min: int
    max: int | None  # None: unbounded
    lazy: bool = False  # ``*?``: the same language; re tries fewer iterations first


@dataclass(frozen=True)
class Begin:
    """``^`` (no MULTILINE) or ``\\A``: position 0."""


@dataclass(frozen=True)
class Look:
    """A look-ahead (``behind=False``) or look-behind, positive or negated."""

    item: Node
    behind: bool
    negated: bool


@dataclass(frozen=True)
class Backref:
    group: int
    target: Node  # the group's pattern (the cost model reads it; no automaton can)


Node = Chars | Seq | Alt | Repeat | Begin | Look | Backref

EMPTY = Seq(())
END = Look(Chars(ANY), behind=False, negated=True)  # (?![\s\S]): the end of the input
_WORD = Chars(())  # replaced below (lazily: the Unicode tables take a moment to build)


def parse(pattern: str) -> Node:
    """The syntax tree of ``pattern`` as Python's ``re`` (``str``, no flags) reads it."""
    try:
        parsed = _sre_parse.parse(pattern)
    except (_sre.error, RecursionError, OverflowError) as exc:
        raise Unsupported(f"{pattern!r}: {exc}") from None
    flags = parsed.state.flags & ~_sre.SRE_FLAG_UNICODE
    if flags:
        raise Unsupported(f"{pattern!r}: flags")
    groups: dict[int, Node] = {}
    return _Reader(groups).items(parsed.data)


class _Reader:
    def __init__(self, groups: dict[int, Node]) -> None:
        self.groups = groups

    def items(self, items: Iterable[tuple[Any, Any]]) -> Node:
        nodes = [self.item(op, av) for op, av in items]
        return nodes[0] if len(nodes) == 1 else Seq(tuple(nodes))

    def item(self, op: Any, av: Any) -> Node:
        if op is _sre.LITERAL:
            return Chars(((av, av),))
        if op is _sre.NOT_LITERAL:
            return Chars(_complement(((av, av),)))
        if op is _sre.ANY:
            return Chars(_complement(((_NEWLINE, _NEWLINE),)))
        if op is _sre.IN:
            return Chars(_class_ranges(av))
        if op is _sre.CATEGORY:
            return Chars(_category(av))
        if op is _sre.BRANCH:
            _, branches = av
            return Alt(tuple(self.items(b.data) for b in branches))
        if op is _sre.SUBPATTERN:
            group, add, delete, body = av
            if add or delete:
                raise Unsupported("inline flags")
            node = self.items(body.data)
            if group is not None:
                self.groups[group] = node
            return node
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, body = av
            top = None if high == _sre.MAXREPEAT else high
            return Repeat(self.items(body.data), low, top, lazy=op is _sre.MIN_REPEAT)
        if op is _sre.AT:
            return self.at(av)
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            direction, body = av
            return Look(self.items(body.data), behind=direction < 0, negated=op is _sre.ASSERT_NOT)
        if op is _sre.GROUPREF:
            if av not in self.groups:
                raise Unsupported("a back-reference to an open group")
            return Backref(av, self.groups[av])
        raise Unsupported(f"{op}")

    def at(self, code: Any) -> Node:
        if code in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
            return Begin()
        if code is _sre.AT_END_STRING:
            return END
        if code is _sre.AT_END:  # Python's $: the end, or before a final newline
            newline = Chars(((_NEWLINE, _NEWLINE),))
            return Look(Seq((Repeat(newline, 0, 1), END)), behind=False, negated=False)
        if code in (_sre.AT_BOUNDARY, _sre.AT_NON_BOUNDARY):
            word = Chars(_unicode_class("w"))
            after, not_after = Look(word, False, False), Look(word, False, True)
            before, not_before = Look(word, True, False), Look(word, True, True)
            if code is _sre.AT_BOUNDARY:
                return Alt((Seq((before, not_after)), Seq((not_before, after))))
            return Alt((Seq((before, after)), Seq((not_before, not_after))))
        raise Unsupported(f"anchor {code}")


def _class_ranges(items: Sequence[tuple[Any, Any]]) -> Ranges:
    negated = False
    ranges: list[tuple[int, int]] = []
    categories = {str(av).upper() for op, av in items if op is _sre.CATEGORY}
    if any(
        name.replace("_NOT_", "_") != name and name.replace("_NOT_", "_") in categories
        for name in categories
    ):
        ranges.append((0, MAX_CODE_POINT))  # [\s\S] and the like: every character
        items = [(op, av) for op, av in items if op is not _sre.CATEGORY]
    for op, av in items:
        if op is _sre.NEGATE:
            negated = True
        elif op is _sre.LITERAL:
            ranges.append((av, av))
        elif op is _sre.RANGE:
            ranges.append(av)
        elif op is _sre.CATEGORY:
            ranges.extend(_category(av))
        else:
            raise Unsupported(f"{op} in a character class")
    merged = _merge(ranges)
    return _complement(merged) if negated else merged


# -- terms: what is left to match, with its continuation ---------------------------------------

# kinds
_BOT, _EPS, _ALL, _CHR, _SEQ, _OR, _AND, _NOT, _REP, _ITER, _BEGIN, _LB, _LA = range(13)


class Term:
    """An interned term (see the module documentation); compare by identity."""

    __slots__ = ("_hash", "a", "b", "data", "id", "kind")

    def __init__(self, kind: int, a: Any, b: Any, data: Any, ident: int) -> None:
        self.kind = kind
        self.a = a
        self.b = b
        self.data = data
        self.id = ident
        self._hash = hash((kind, id(a), id(b), data))

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Term#{self.id}({self.kind})"


# A partition of the code points: the first code point of each block and the term of each.
Partition = tuple[tuple[int, ...], tuple[Term, ...]]


class _Terms:
    """The term table of one construction: interning, simplification, derivatives."""

    def __init__(self, lookbehinds: int) -> None:
        self.table: dict[tuple[object, ...], Term] = {}
        self.bot = self._make(_BOT, None, None, None)
        self.eps = self._make(_EPS, None, None, None)
        self.all = self._make(_ALL, None, None, None)
        self.derivatives: dict[tuple[Term, bool, tuple[bool, ...]], Partition] = {}
        self.nullables: dict[tuple[Term, bool, tuple[bool, ...]], bool] = {}
        self.lookbehinds = lookbehinds

    def _make(self, kind: int, a: Any, b: Any, data: Any) -> Term:
        key = (kind, a, b, data)
        found = self.table.get(key)
        if found is None:
            found = Term(kind, a, b, data, len(self.table))
            self.table[key] = found
        return found

    # constructors (simplifying)

    def chars(self, ranges: Ranges) -> Term:
        return self._make(_CHR, None, None, ranges) if ranges else self.bot

    def seq(self, a: Term, b: Term) -> Term:
        if a is self.bot or b is self.bot:
            return self.bot
        if a is self.eps:
            return b
        if b is self.eps:
            return a
        if a.kind == _SEQ:  # right-nested: the head is never a sequence
            return self.seq(a.a, self.seq(a.b, b))
        if a is self.all and b is self.all:
            return self.all
        return self._make(_SEQ, a, b, None)

    def alt(self, terms: Iterable[Term]) -> Term:
        items: set[Term] = set()
        for t in terms:
            if t.kind == _OR:
                items.update(t.data)
            elif t is self.all:
                return self.all
            elif t is not self.bot:
                items.add(t)
        if not items:
            return self.bot
        if len(items) > 1:
            items = self._merge_counters(items)
        if len(items) == 1:
            return next(iter(items))
        return self._make(_OR, None, None, frozenset(items))

    def _merge_counters(self, items: set[Term]) -> set[Term]:
        """``x{a,b}K | x{c,d}K`` is ``x{min,max}K`` when the count ranges overlap or touch:
        what keeps an unanchored search's counters (``.*x{0,61}y``) from multiplying states."""
        groups: dict[tuple[Term, Term], list[Term]] = {}
        for t in items:
            if t.kind == _SEQ and t.a.kind == _REP:
                groups.setdefault((t.a.a, t.b), []).append(t)
        if all(len(g) < 2 for g in groups.values()):
            return items
        out = set(items)
        for (body, rest), members in groups.items():
            if len(members) < 2:
                continue
            spans = sorted(
                (m.a.data[0], _INF if m.a.data[1] is None else m.a.data[1]) for m in members
            )
            merged: list[tuple[int, float]] = []
            for low, high in spans:
                if merged and low <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], high))
                else:
                    merged.append((low, high))
            if len(merged) == len(members):
                continue
            out.difference_update(members)
            for low, high in merged:
                top = None if high == _INF else int(high)
                out.add(self.seq(self.rep(body, low, top), rest))
        return out

    def both(self, terms: Iterable[Term]) -> Term:
        items: set[Term] = set()
        for t in terms:
            if t.kind == _AND:
                items.update(t.data)
            elif t is self.bot:
                return self.bot
            elif t is not self.all:
                items.add(t)
        if not items:
            return self.all
        if len(items) == 1:
            return next(iter(items))
        for t in items:  # x & ~x
            if t.kind == _NOT and t.a in items:
                return self.bot
        return self._make(_AND, None, None, frozenset(items))

    def negate(self, t: Term) -> Term:
        if t.kind == _NOT:
            inner: Term = t.a
            return inner
        if t is self.bot:
            return self.all
        if t is self.all:
            return self.bot
        return self._make(_NOT, t, None, None)

    def rep(self, t: Term, low: int, high: int | None) -> Term:
        if high == 0 or t is self.eps:
            return self.eps
        if t is self.bot:
            return self.eps if low == 0 else self.bot
        if low == 1 and high == 1:
            return t
        if t is self.all:
            return self.all
        return self._make(_REP, t, None, (low, high))

    def node(self, node: Node, behind: dict[Look, int]) -> Term:
        """The term of a syntax tree (look-behinds numbered by ``behind``)."""
        if isinstance(node, Chars):
            return self.chars(node.ranges)
        if isinstance(node, Seq):
            out = self.eps
            for item in reversed(node.items):
                out = self.seq(self.node(item, behind), out)
            return out
        if isinstance(node, Alt):
            return self.alt(self.node(item, behind) for item in node.items)
        if isinstance(node, Repeat):
            return self.rep(self.node(node.item, behind), node.min, node.max)
        if isinstance(node, Begin):
            return self._make(_BEGIN, None, None, None)
        if isinstance(node, Look):
            if node.behind:
                return self._make(_LB, None, None, (behind[node], node.negated))
            return self._make(_LA, self.node(node.item, behind), None, node.negated)
        raise Unsupported("a back-reference")

    # derivatives

    def nullable(self, t: Term, start: bool, lb: tuple[bool, ...]) -> bool:
        """Whether ``t`` matches at the end of the input (``start``: the input is empty)."""
        key = (t, start, lb)
        found = self.nullables.get(key)
        if found is None:
            found = self._nullable(t, start, lb, frozenset())
            self.nullables[key] = found
        return found

    def _nullable(self, t: Term, start: bool, lb: tuple[bool, ...], cut: frozenset[Term]) -> bool:
        if t in cut:
            return False
        kind = t.kind
        if kind in (_EPS, _ALL):
            return True
        if kind in (_BOT, _CHR):
            return False
        if kind == _OR:
            return any(self._nullable(x, start, lb, cut) for x in t.data)
        if kind == _AND:
            return all(self._nullable(x, start, lb, cut) for x in t.data)
        if kind == _NOT:
            return not self._nullable(t.a, start, lb, cut)
        if kind == _ITER:  # an optional iteration must consume: not at the end
            return False
        if kind != _SEQ:  # a lone head: as a sequence ending in the empty string
            return self._nullable(self._make(_SEQ, t, self.eps, None), start, lb, cut)
        if t.a is self.all:
            return self._nullable(t.b, start, lb, cut)
        expanded = self.expand(t, start, lb)
        if expanded is None:
            return False
        return self._nullable(expanded, start, lb, cut)

    def expand(self, t: Term, start: bool, lb: tuple[bool, ...]) -> Term | None:
        """A sequence whose head is not a character set, rewritten one step (its head
        unfolded, an assertion decided); None for a character-set head (nothing to rewrite)."""
        head: Term = t.a
        rest: Term = t.b
        kind = head.kind
        if kind == _CHR:
            return None
        if kind == _ALL:
            return None
        if kind == _OR:
            return self.alt(self.seq(x, rest) for x in head.data)
        if kind == _REP:
            body: Term = head.a
            low, high = head.data
            if low > 0:
                more = self.rep(body, low - 1, None if high is None else high - 1)
                return self.seq(body, self.seq(more, rest))
            after = self.rep(body, 0, None if high is None else high - 1)
            return self.alt([rest, self._make(_ITER, body, self.seq(after, rest), None)])
        if kind == _BEGIN:
            return rest if start else self.bot
        if kind == _LB:
            index, negated = head.data
            return rest if lb[index] != negated else self.bot
        if kind == _LA:
            ahead = self.seq(head.a, self.all)
            return self.both([self.negate(ahead) if head.data else ahead, rest])
        if kind in (_AND, _NOT, _ITER):  # never a head: built with their whole continuation
            raise AssertionError("a continuation term at the head of a sequence")
        raise AssertionError(f"term kind {kind}")

    def derivative(self, t: Term, start: bool, lb: tuple[bool, ...]) -> Partition:
        """The derivative of ``t`` by each character, as a partition of the code points."""
        return self._derivative(t, start, lb, frozenset())

    def _derivative(
        self, t: Term, start: bool, lb: tuple[bool, ...], cut: frozenset[Term]
    ) -> Partition:
        if cut:
            if t in cut:
                return (0,), (self.bot,)
            return self._compute(t, start, lb, cut)
        key = (t, start, lb)
        found = self.derivatives.get(key)
        if found is None:
            found = self.derivatives[key] = self._compute(t, start, lb, cut)
        return found

    def _compute(
        self, t: Term, start: bool, lb: tuple[bool, ...], cut: frozenset[Term]
    ) -> Partition:
        kind = t.kind
        if kind in (_BOT, _EPS):
            return (0,), (self.bot,)
        if kind == _ALL:
            return (0,), (self.all,)
        if kind == _CHR:
            return self._single(t.data, self.eps)
        if kind == _OR:
            parts = [self._derivative(x, start, lb, cut) for x in t.data]
            return _combine(parts, self.alt)
        if kind == _AND:
            parts = [self._derivative(x, start, lb, cut) for x in t.data]
            return _combine(parts, self.both)
        if kind == _NOT:
            bounds, terms = self._derivative(t.a, start, lb, cut)
            return bounds, tuple(self.negate(x) for x in terms)
        if kind == _ITER:
            # one more iteration of a repeat that must consume: its body, then the rest
            # (``t.b``), where reaching the rest without consuming is cut
            after: Term = t.b
            return self._derivative(self.seq(t.a, after), start, lb, cut | {after})
        if kind != _SEQ:
            return self._derivative(self._make(_SEQ, t, self.eps, None), start, lb, cut)
        head: Term = t.a
        if head.kind == _CHR:
            return self._single(head.data, t.b)
        if head.kind == _ALL:  # .*K: stay, or start K here
            bounds, terms = self._derivative(t.b, start, lb, cut)
            return bounds, tuple(self.alt([t, x]) for x in terms)
        expanded = self.expand(t, start, lb)
        assert expanded is not None
        return self._derivative(expanded, start, lb, cut)

    def _single(self, ranges: Ranges, then: Term) -> Partition:
        bounds: list[int] = [0]
        terms: list[Term] = [self.bot]
        for lo, hi in ranges:
            if lo == bounds[-1]:
                terms[-1] = then
            else:
                bounds.append(lo)
                terms.append(then)
            if hi < MAX_CODE_POINT:
                bounds.append(hi + 1)
                terms.append(self.bot)
        return tuple(bounds), tuple(terms)


def _combine(parts: list[Partition], join: Callable[[list[Term]], Term]) -> Partition:
    """Partitions merged block by block, each block's terms joined by ``join``."""
    if len(parts) == 1:
        return parts[0]
    points = sorted({b for bounds, _ in parts for b in bounds})
    positions = [0] * len(parts)
    bounds: list[int] = []
    terms: list[Term] = []
    for point in points:
        chosen: list[Term] = []
        for i, (pb, pt) in enumerate(parts):
            j = positions[i]
            while j + 1 < len(pb) and pb[j + 1] <= point:
                j += 1
            positions[i] = j
            chosen.append(pt[j])
        term = join(chosen)
        if terms and terms[-1] is term:
            continue
        bounds.append(point)
        terms.append(term)
    return tuple(bounds), tuple(terms)


class AttemptAutomaton:
    """The exact automaton of one match attempt, built lazily: whether the pattern matches
    some prefix of the input from the attempt's start on.

    :meth:`certain` says when what was read guarantees a match whatever follows (the
    backtracking model, :mod:`codegen.backtracking`, knows then that ``re`` tries no later
    start position). Patterns with look-behinds or back-references are not handled (they look
    before the attempt's start, or are not regular): :meth:`of` returns None for them.
    """

    def __init__(self, node: Node, max_terms: int) -> None:
        self.terms = _Terms(0)
        self.start = self.terms.seq(self.terms.node(node, {}), self.terms.all)
        self.max_terms = max_terms

    @classmethod
    def of(cls, node: Node, max_terms: int = 4096) -> AttemptAutomaton | None:
        if any(
            isinstance(n, Backref) or (isinstance(n, Look) and n.behind) for n in iter_nodes(node)
        ):
            return None
        return cls(node, max_terms)

    def step(self, term: Term, point: int, at_start: bool) -> Term | None:
        """The state after code point ``point`` (``at_start``: read at position 0); None past
        the bound on states (nothing is known then)."""
        bounds, terms = self.terms.derivative(term, at_start, ())
        if len(self.terms.table) > self.max_terms:
            return None
        return terms[bisect_right(bounds, point) - 1]

    def certain(self, term: Term) -> bool:
        return term is self.terms.all


# -- deterministic automata ----------------------------------------------------------------------


@dataclass(frozen=True)
class Dfa:
    """A complete deterministic automaton over code points.

    ``bounds`` are the first code points of the character classes (``bounds[0] == 0``), and
    ``delta[state][cls]`` the next state. State 0 is the start. Minimal when built by
    :func:`dfa`; its language is the set of strings ``re.search`` finds a match in.
    """

    bounds: tuple[int, ...]
    delta: tuple[tuple[int, ...], ...]
    accepting: tuple[bool, ...]

    @property
    def size(self) -> int:
        return len(self.delta)

    def cls(self, char: str) -> int:
        return bisect_right(self.bounds, ord(char)) - 1

    def run(self, text: str, state: int = 0) -> int:
        for char in text:
            state = self.delta[state][bisect_right(self.bounds, ord(char)) - 1]
        return state

    def search(self, text: str) -> bool:
        """Whether ``re.search`` would find a match in ``text`` (linear time)."""
        return self.accepting[self.run(text)]

    def sinks(self) -> tuple[int | None, int | None]:
        """The state that accepts whatever follows, and the one that accepts nothing (or None)."""
        accept = reject = None
        for state, row in enumerate(self.delta):
            if all(target == state for target in row):
                if self.accepting[state]:
                    accept = state
                else:
                    reject = state
        return accept, reject

    def is_empty(self) -> bool:
        return shortest(self) is None

    def complement(self) -> Dfa:
        return Dfa(self.bounds, self.delta, tuple(not a for a in self.accepting))


def dfa(
    pattern: str,
    max_states: int = DEFAULT_MAX_STATES,
    *,
    deadline: float | None = None,
    reversed_: bool = False,
) -> Dfa:
    """The minimal DFA of the strings in which ``re.search(pattern, s)`` finds a match (with
    ``reversed_``: of those strings reversed, :func:`reverse`).

    Raises :class:`Unsupported` (a back-reference, flags) or :class:`TooLarge` (more than
    ``max_states`` states before minimization), or :class:`TooSlow` when ``deadline`` (a
    ``time.process_time()`` value: processor time, so that the load of the machine does not
    change the outcome much) passes while its states are built."""
    node = parse(pattern)
    return _dfa_of(reverse(node) if reversed_ else node, max_states, deadline)


def reverse(node: Node) -> Node:
    """The pattern that matches the reversed strings: ``re.search(P, s)`` finds a match exactly
    when the reversed pattern's search does in ``s[::-1]`` (a match ``s[i:j]`` with its
    context is one of ``s[::-1][n-j:n-i]`` with the context reversed). Concatenations are
    reversed, ``^`` and the end of input swapped, look-aheads and look-behinds swapped (their
    bodies reversed); a repeat's rule that an optional iteration consumes a character reads
    the same both ways. Raises :class:`Unsupported` where the reversed pattern would look
    behind through a look-around or an anchor (no automaton here reads those) or refer back.
    """
    if isinstance(node, Chars):
        return node
    if isinstance(node, Seq):
        return Seq(tuple(reverse(item) for item in reversed(node.items)))
    if isinstance(node, Alt):
        return Alt(tuple(reverse(item) for item in node.items))
    if isinstance(node, Repeat):
        return Repeat(reverse(node.item), node.min, node.max, node.lazy)
    if isinstance(node, Begin):
        return END
    if node == END:
        return Begin()
    if isinstance(node, Look):
        if not node.behind and any(
            isinstance(n, (Look, Begin, Backref)) for n in iter_nodes(node.item)
        ):
            raise Unsupported("a look-ahead through a look-around or an anchor, reversed")
        return Look(reverse(node.item), not node.behind, node.negated)
    raise Unsupported("a back-reference, reversed")


def _lookbehinds(node: Node, out: dict[Look, int]) -> None:
    if isinstance(node, Look):
        if node.behind and node not in out:
            if _has_lookaround(node.item):
                raise Unsupported("a look-around inside a look-behind")
            out[node] = len(out)
        else:
            _lookbehinds(node.item, out)
    elif isinstance(node, (Seq, Alt)):
        for item in node.items:
            _lookbehinds(item, out)
    elif isinstance(node, Repeat):
        _lookbehinds(node.item, out)
    elif isinstance(node, Backref):
        raise Unsupported("a back-reference")


def _has_lookaround(node: Node) -> bool:
    return any(isinstance(n, (Look, Backref)) for n in iter_nodes(node))


def _dfa_of(node: Node, max_states: int, deadline: float | None = None) -> Dfa:
    behind: dict[Look, int] = {}
    _lookbehinds(node, behind)
    terms = _Terms(len(behind))
    # each look-behind: a term for ".*B", whose nullability says "the text so far ends with B"
    watchers = [terms.seq(terms.all, terms.node(look.item, behind)) for look in behind]
    top = terms.seq(terms.all, terms.seq(terms.node(node, behind), terms.all))
    State = tuple[Term, bool, tuple[Term, ...]]
    start: State = (top, True, tuple(watchers))
    index: dict[State, int] = {start: 0}
    states: list[State] = [start]
    rows: list[Partition] = []  # bounds and target state numbers (as terms are not states)
    raw: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    accepting: list[bool] = []
    i = 0
    while i < len(states):
        term, at_start, watching = states[i]
        i += 1
        if deadline is not None and time.process_time() > deadline:
            raise TooSlow(f"past the time bound after {i} states")
        flags = tuple(terms.nullable(w, at_start, ()) for w in watching)
        accepting.append(terms.nullable(term, at_start, flags))
        parts = [terms.derivative(term, at_start, flags)]
        parts += [terms.derivative(w, at_start, ()) for w in watching]
        bounds, combined = _product_partition(parts)
        targets: list[int] = []
        for successors in combined:
            state: State = (successors[0], False, tuple(successors[1:]))
            number = index.get(state)
            if number is None:
                if len(states) >= max_states:
                    raise TooLarge(f"more than {max_states} states")
                number = len(states)
                index[state] = number
                states.append(state)
            targets.append(number)
        raw.append((bounds, tuple(targets)))
    del rows
    return minimize(raw, accepting, deadline=deadline)


def _product_partition(parts: list[Partition]) -> tuple[tuple[int, ...], list[tuple[Term, ...]]]:
    if len(parts) == 1:
        bounds, terms = parts[0]
        return bounds, [(t,) for t in terms]
    points = sorted({b for bounds, _ in parts for b in bounds})
    positions = [0] * len(parts)
    out_bounds: list[int] = []
    out_terms: list[tuple[Term, ...]] = []
    for point in points:
        chosen: list[Term] = []
        for i, (pb, pt) in enumerate(parts):
            j = positions[i]
            while j + 1 < len(pb) and pb[j + 1] <= point:
                j += 1
            positions[i] = j
            chosen.append(pt[j])
        combo = tuple(chosen)
        if out_terms and out_terms[-1] == combo:
            continue
        out_bounds.append(point)
        out_terms.append(combo)
    return tuple(out_bounds), out_terms


def minimize(
    rows: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    accepting: Sequence[bool],
    *,
    deadline: float | None = None,
) -> Dfa:
    """The minimal complete DFA equivalent to the automaton whose state ``s`` goes to
    ``rows[s][1][k]`` on the code points from ``rows[s][0][k]`` (state 0 starts); unreachable
    states are dropped, and states are numbered in breadth-first order (deterministic).
    Raises :class:`TooSlow` when ``deadline`` (a ``time.process_time()`` value) passes: Moore's
    refinement takes a round per distinguishable length, and a look-ahead over ``{0,2048}``
    characters has thousands."""
    # Moore: refine the partition {accepting, rejecting} by the classes of the successors
    count = len(rows)
    block = [1 if a else 0 for a in accepting]
    blocks = len(set(block))
    rounds = 0
    while True:
        rounds += 1
        if deadline is not None and time.process_time() > deadline:
            raise TooSlow(f"past the time bound after {rounds} rounds of minimization")
        signatures: dict[tuple[object, ...], int] = {}
        new = [0] * count
        for state in range(count):
            bounds, targets = rows[state]
            sig: list[object] = [block[state]]
            previous = -1
            for b, t in zip(bounds, targets):
                c = block[t]
                if c != previous:
                    sig.append(b)
                    sig.append(c)
                    previous = c
            key = tuple(sig)
            number = signatures.get(key)
            if number is None:
                number = signatures[key] = len(signatures)
            new[state] = number
        if len(signatures) == blocks:
            break
        block, blocks = new, len(signatures)
    # one state per block, numbered breadth-first from the start
    order: dict[int, int] = {block[0]: 0}
    members: list[int] = [0]
    queue = [0]
    while queue:
        state = queue.pop(0)
        bounds, targets = rows[state]
        for t in targets:
            if block[t] not in order:
                order[block[t]] = len(order)
                members.append(t)
                queue.append(t)
    compact: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for state in members:
        bounds, targets = rows[state]
        nb: list[int] = []
        nt: list[int] = []
        for b, t in zip(bounds, targets):
            o = order[block[t]]
            if nt and nt[-1] == o:
                continue
            nb.append(b)
            nt.append(o)
        compact.append((tuple(nb), tuple(nt)))
    points = sorted({b for bounds, _ in compact for b in bounds})
    delta = tuple(_row(bounds, targets, points) for bounds, targets in compact)
    return Dfa(tuple(points), delta, tuple(accepting[s] for s in members))


def _row(bounds: tuple[int, ...], targets: tuple[int, ...], points: list[int]) -> tuple[int, ...]:
    out: list[int] = []
    j = 0
    for point in points:
        while j + 1 < len(bounds) and bounds[j + 1] <= point:
            j += 1
        out.append(targets[j])
    return tuple(out)


# -- comparing languages -------------------------------------------------------------------------


class Relation(Enum):
    EQUAL = "equal"
    SUBSET = "subset"  # every string the first accepts, the second accepts too
    SUPERSET = "superset"
    NEITHER = "neither"


def product(a: Dfa, b: Dfa, accept: Callable[[bool, bool], bool], max_states: int) -> Dfa:
    """The product automaton of ``a`` and ``b`` (reachable pairs), accepting where ``accept``
    says; minimized. :class:`TooLarge` past ``max_states`` pairs."""
    points = sorted(set(a.bounds) | set(b.bounds))
    ca = [bisect_right(a.bounds, p) - 1 for p in points]
    cb = [bisect_right(b.bounds, p) - 1 for p in points]
    index = {(0, 0): 0}
    pairs = [(0, 0)]
    rows: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    accepting: list[bool] = []
    i = 0
    while i < len(pairs):
        sa, sb = pairs[i]
        i += 1
        accepting.append(accept(a.accepting[sa], b.accepting[sb]))
        ra, rb = a.delta[sa], b.delta[sb]
        targets: list[int] = []
        for k in range(len(points)):
            pair = (ra[ca[k]], rb[cb[k]])
            number = index.get(pair)
            if number is None:
                if len(pairs) >= max_states:
                    raise TooLarge(f"more than {max_states} product states")
                number = index[pair] = len(pairs)
                pairs.append(pair)
            targets.append(number)
        rows.append((tuple(points), tuple(targets)))
    return minimize(rows, accepting)


def shortest(automaton: Dfa) -> str | None:
    """A shortest accepted string (breadth-first; the smallest code point of each class,
    preferring printable ASCII), or None when the language is empty."""
    if automaton.accepting[0]:
        return ""
    previous: dict[int, tuple[int, int]] = {0: (-1, -1)}
    queue = [0]
    while queue:
        state = queue.pop(0)
        for cls, target in enumerate(automaton.delta[state]):
            if target in previous:
                continue
            previous[target] = (state, cls)
            if automaton.accepting[target]:
                chars: list[str] = []
                at = target
                while at != 0:
                    at, c = previous[at]
                    chars.append(_representative(automaton, c))
                return "".join(reversed(chars))
            queue.append(target)
    return None


def _representative(automaton: Dfa, cls: int) -> str:
    lo = automaton.bounds[cls]
    hi = automaton.bounds[cls + 1] - 1 if cls + 1 < len(automaton.bounds) else MAX_CODE_POINT
    for preferred in range(0x21, 0x7F):
        if lo <= preferred <= hi:
            return chr(preferred)
    return chr(lo)


@dataclass(frozen=True)
class Comparison:
    relation: Relation
    only_first: str | None  # a string the first pattern's search accepts and the second's not
    only_second: str | None


def relation(first: str, second: str, max_states: int = DEFAULT_MAX_STATES) -> Comparison:
    """``first`` and ``second`` compared as search languages (the values each accepts), with
    a witness string for each side that accepts something the other does not.

    Raises :class:`Unsupported` or :class:`TooLarge` (``max_states`` bounds each automaton
    and each product) when either cannot be decided within the bound."""
    a, b = dfa(first, max_states), dfa(second, max_states)
    only_a = shortest(product(a, b, lambda x, y: x and not y, max_states))
    only_b = shortest(product(a, b, lambda x, y: y and not x, max_states))
    if only_a is None and only_b is None:
        kind = Relation.EQUAL
    elif only_a is None:
        kind = Relation.SUBSET
    elif only_b is None:
        kind = Relation.SUPERSET
    else:
        kind = Relation.NEITHER
    return Comparison(kind, only_a, only_b)


def iter_nodes(node: Node) -> Iterator[Node]:
    """``node`` and every node below it."""
    yield node
    if isinstance(node, (Seq, Alt)):
        for item in node.items:
            yield from iter_nodes(item)
    elif isinstance(node, (Repeat, Look)):
        yield from iter_nodes(node.item)
