"""Which matcher a pattern gets where it runs on untrusted input: ``re``, or a linear automaton.

Generated validators (and the stub server that runs them on every request) search every
string against its shape's pattern and its documented formats. Python's ``re`` backtracks, so
a pattern such as ``^[ \\t]*[\\x20-\\x7E]+([ \\t]+[\\x20-\\x7E]+)*[ \\t]*$`` (events'
``CreateConnection``) takes seconds on a few dozen characters, and an unanchored one such as
``[A-Za-z]+Exception`` takes time quadratic in the value's length. For each pattern (in its
portable form, :func:`codegen.regexes.portable_regex`) :func:`plan` decides:

* ``re`` when the backtracking model (:mod:`codegen.backtracking`) bounds ``re``'s work by at
  most :data:`RATE_LIMIT` steps per character (plus a constant) and no character class has
  more than :data:`MAX_RE_RANGES` ranges: ``re`` is then linear, and on the values validators
  usually see, faster than anything written in Python (a larger class, ``[^\\p{C}]`` in
  portable form, ``re`` tests by scanning its ranges: 2 us a character; it goes on below);
* otherwise a :class:`Table`: the pattern's minimal deterministic automaton
  (:func:`codegen.automata.dfa`, exactly ``re.search``'s language), which the generated
  runtime's ``_Dfa`` (template ``validators/linear.py.j2``) runs in one pass over the value,
  whatever the value. The generated constant keeps its name and its ``search`` method, so the
  checks that use it read as before;
* otherwise (no automaton within :data:`MAX_STATES` states or :data:`MAX_SECONDS`) the
  reversed pattern's automaton (:func:`codegen.automata.reverse`), which the runtime's ``_Dfa``
  runs over the value from its end (``reverse=True``): ``re.search(P, s)`` finds a match
  exactly when the reversed pattern's search does in ``s[::-1]``, and what follows a repeat
  can make the automaton small backwards only (ssm's ``ManagedInstanceId``,
  ``[...]{0,99}_\\w{17}$``). Not for a pattern anchored at its start only (:func:`_start_only`:
  forwards its search stops early, backwards it reads the whole value);
* otherwise, for a top-level alternation ``A|B|...`` whose branches each have a linear matcher
  (their own plans, ``_Lazy`` excepted), :class:`Branches`: the runtime's ``_Any`` searches them
  one after the other (:func:`branches` says why that is the same search);
* otherwise (no automaton either way: counted repeats in an unanchored search, as rum's
  ``Url``) an :class:`codegen.nfa.LazyTable`: the pattern's NFA, which the runtime's ``_Lazy``
  runs as an automaton whose states are built as a value reaches them (linear too, a table
  look-up a character once its states are built); failing that, the branches again, ``_Lazy``
  among them;
* otherwise (a look-ahead longer than one character that no window reads: fsx's
  ``ResourceARN``), ``re`` as before: never a generator error on botocore's own patterns. Its
  measured worst case is in ``docs/regex-safety.md``.

Deciding costs up to a second for a complicated pattern, so decisions are cached in memory and
on disk (``$APIGEN_CACHE_DIR/regex/``, keyed by the pattern, :data:`ANALYSIS` and the Python
version: ``re``'s parser reads the pattern). A cache entry is checked before it is used (its
pattern, its shape); a damaged one is computed again.

:func:`matcher` gives the same matcher in-process (``re`` or the runtime's ``_Dfa`` itself),
for the model's own format checks (:meth:`codegen.model.Format.violations`), the example
values the protocol generator picks, and the tools that measure it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

from codegen import automata, backtracking, nfa

ANALYSIS = 8  # changes when the decision or the encoding changes: older cache entries are unused
RATE_LIMIT = 8  # re's steps per character (the model's bound) above which a pattern gets a Dfa
# re tests a character against a class of more ranges than this by scanning them (a class
# with characters past U+FFFF, as [^\p{C}] in portable form: 700 ranges, 2 us a character):
# such a pattern gets an automaton even where re is linear on it (it reads a character in one
# look-up whatever its classes)
MAX_RE_RANGES = 64
MAX_STATES = 20_000  # automaton states built (before minimization) before giving up
# processor seconds building one automaton before giving up (a cold cache meets every pattern of
# a service at once: one pattern's 20,000 derivative states took minutes). Only patterns that
# would take longer than this are decided by it, so on another machine the decision can differ
# for those alone: both decisions are the "too complex" fallback or a correct automaton.
MAX_SECONDS = 5.0
MAX_CLASSES = 256  # the runtime maps characters to classes through bytes
MAX_OUTSIDE = 8  # a window's look-ahead excludes at most this many characters (rfind each)
# a value longer than this, of a pattern kept on re that a shape without a max (or a larger one)
# uses, is read by the pattern's automaton (:func:`long_table`): re backtracks a few steps a
# character on some values (360 ns a character at worst, 1.5 ms at this length), the automaton
# reads one (30 ns); on shorter values re (C) is the fastest
LONG = 4096
# re's steps per character (the model's bound) above which a long value is worth the automaton:
# at 1 a step a character, re is as fast as the automaton (measured: docs/regex-safety.md)
LONG_RATE = 1
# a leading look-ahead on the length and characters of the rest of the value, as botocore's
# ``(?=.{1,1000}$)`` reads in portable form: (^)(?=C{m,n}(?![\s\S]))
_WINDOW = re.compile(
    r"(\^?)\(\?=(\[(?:[^\\\]]|\\.)+\]|\\.|[^\\\[\](){}|*+?^$.])\{(\d+),(\d+)\}\(\?!\[\\s\\S\]\)\)"
)
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class Searcher(Protocol):
    def search(self, value: str, /) -> object: ...


@dataclass(frozen=True)
class Table:
    """A minimal DFA encoded for the runtime's ``_Dfa`` (see its documentation)."""

    ranges: str
    rows: tuple[str, ...]
    class_width: int
    state_width: int
    reverse: bool = False  # the reversed pattern's automaton: it reads the value backwards

    def code(self) -> str:
        """The Python expression that builds the runtime's matcher."""
        rows = ", ".join(_literal(row) for row in self.rows)
        widths = ""
        if self.class_width != 1 or self.state_width != 1:
            widths = f", class_width={self.class_width}, state_width={self.state_width}"
        if self.reverse:
            widths += ", reverse=True"
        return f"_Dfa({_literal(self.ranges)}, ({rows},){widths})"


@dataclass(frozen=True)
class Window:
    """``(?=C{m,n}$)R`` (``^`` before it when ``anchored``) for the runtime's ``_Window``: R
    searched in the value's longest tail of at most ``most`` characters without one of
    ``outside`` (the characters C excludes). Only where that is the same search: R holds no
    ``^`` and looks behind nowhere (:func:`window`). ``inner`` is R (``^R`` when anchored;
    ``(?=[\\s\\S]{m})R`` where R can be shorter than ``m``), matched by its own plan. Where C
    excludes more than :data:`MAX_OUTSIDE` characters, ``within`` is C and ``outside`` empty:
    the tail is then the run of C that ends the value, read backwards by ``re``."""

    inner: str
    most: int
    outside: str
    anchored: bool
    within: str = ""  # C itself, where it excludes more than MAX_OUTSIDE characters (outside: "")

    def code(self) -> str:
        from codegen.generators.text import regex_literal

        inner = linear_matcher(self.inner) or f"re.compile({regex_literal(self.inner)})"
        within = f", within=re.compile({regex_literal(self.within + '*')})" if self.within else ""
        return (
            f"_Window({inner}, {self.most}, {_literal(self.outside)}, "
            f"anchored={self.anchored}{within})"
        )


@dataclass(frozen=True)
class Branches:
    """A top-level alternation ``A|B|...`` for the runtime's ``_Any``: each branch (its
    wrapping group, if any, dropped) matched by its own plan, in order (:func:`branches`)."""

    patterns: tuple[str, ...]

    def code(self) -> str:
        from codegen.generators.text import regex_literal

        matchers = [
            linear_matcher(branch) or f"re.compile({regex_literal(branch)})"
            for branch in self.patterns
        ]
        return f"_Any(({', '.join(matchers)},))"


@dataclass(frozen=True)
class Plan:
    """The matcher of one portable pattern: ``re`` (``table``, ``window``, ``lazy`` and
    ``branches`` None), a :class:`Table`, a :class:`Window`, an NFA for ``_Lazy`` or
    :class:`Branches`. ``rate`` is the model's bound on ``re``'s steps per character (None: no
    linear bound); ``too_complex`` says why a pattern without a linear bound has no linear
    matcher either."""

    pattern: str
    rate: float | None
    table: Table | None
    too_complex: str | None = None
    window: Window | None = None
    lazy: nfa.LazyTable | None = None
    branches: Branches | None = None

    @property
    def engine(self) -> str:
        if self.too_complex:
            return "none"
        if self.lazy is not None:
            return "lazy"
        if self.branches is not None:
            return "any"
        return "window" if self.window else "re" if self.table is None else "dfa"


class TooComplex(ValueError):
    """A pattern that needs a linear matcher and has no automaton within the bounds."""


def plan(pattern: str) -> Plan:
    """The matcher of the portable ``pattern`` (cached in memory and on disk).

    Raises :class:`TooComplex` when ``re`` is not known to be linear on it and its automaton
    passes :data:`MAX_STATES` (or uses a construct no automaton reads); that decision is
    cached too."""
    made = _plan(pattern)
    if made.too_complex is not None:
        raise TooComplex(made.too_complex)
    return made


@lru_cache(maxsize=16384)
def _plan(pattern: str) -> Plan:
    path = _cache_path(pattern)
    found = _read_cache(path, pattern)
    if found is not None:
        return found
    made = decide(pattern)
    _write_cache(path, made)
    return made


def decide(pattern: str) -> Plan:
    """:func:`plan` without the caches (a pattern too complex for either matcher gets a plan
    that says so: :func:`plan` raises it)."""
    try:
        cost = backtracking.cost(pattern)
    except automata.Unsupported:
        cost = None
    rate = None if cost is None else cost.rate
    linear_on_re = rate is not None and rate <= RATE_LIMIT
    if linear_on_re and widest_class(pattern) <= MAX_RE_RANGES:
        return Plan(pattern, rate, None)
    found = window(pattern)
    if found is not None:
        try:
            plan(found.inner)
        except TooComplex:
            pass
        else:
            return Plan(pattern, rate, None, window=found)
    try:
        automaton = automata.dfa(pattern, MAX_STATES, deadline=time.process_time() + MAX_SECONDS)
    except (automata.TooLarge, automata.Unsupported) as exc:
        if linear_on_re:  # only its classes are slow on re: re still
            return Plan(pattern, rate, None)
        backwards = None
        if isinstance(exc, automata.TooLarge) and not _start_only(pattern):
            backwards = _reversed_table(pattern)
        if backwards is not None:
            return Plan(pattern, rate, backwards)
        split = _branches_plan(pattern, rate, lazy=False)
        if split is not None:
            return split
        try:
            lazy = nfa.encode(nfa.compile_nfa(pattern))
        except (automata.TooLarge, automata.Unsupported) as why:
            split = _branches_plan(pattern, rate, lazy=True)
            if split is not None:
                return split
            return Plan(pattern, rate, None, f"{pattern!r}: {exc}; no lazy automaton: {why}")
        return Plan(pattern, rate, None, lazy=lazy)
    table = encode(automaton)
    if table is None and linear_on_re:
        return Plan(pattern, rate, None)
    if table is None:
        return Plan(
            pattern, rate, None, f"{pattern!r}: more than {MAX_CLASSES} classes of characters"
        )
    return Plan(pattern, rate, table)


def long_table(pattern: str) -> Table | None:
    """The automaton that reads the values longer than :data:`LONG` of a pattern kept on
    ``re`` (cached in memory and on disk), or None where ``re`` stays: the model's bound on
    ``re``'s steps per character is at most :data:`LONG_RATE` (``re`` is then as fast as the
    automaton on any value), the pattern has no minimal automaton within the bounds
    (:data:`MAX_STATES`, :data:`MAX_SECONDS`, :data:`MAX_CLASSES`), a value can take the
    automaton round a cycle other than a state's own loop (:func:`runs_only`), or it reads on
    past a character beyond ASCII (:func:`ascii_only`).

    ``re`` is linear on such a pattern, but on some values it gives back a few characters for
    each one it reads (mediaconvert's ``...(@[0-9]+(\\.[0-9]+)?(:[0-9]+)?)?$`` on ``@000...``
    and a character past the end: 4 steps a character, 360 ns): a megabyte takes a third of a
    second where the automaton, whose every cycle is a state's loop, reads it in a few ``re``
    calls over the classes' bytes: a few milliseconds. An automaton with another cycle reads
    a value that goes round it a step a character, in Python (ds' ``^([a-zA-Z0-9]+[\\.-])+...``
    on ``a.a.a...``: about 90 ns a character), which on many patterns is slower than ``re``'s
    worst: those keep ``re``. On short values, the common case, ``re`` (C) is faster, so the
    generated ``_Long`` keeps it there. The automaton is the one :func:`decide` would have
    built, so it is ``re.search``'s language exactly."""
    return _long_table(pattern)


@lru_cache(maxsize=16384)
def _long_table(pattern: str) -> Table | None:
    path = _cache_path(f"\0long\0{pattern}")
    if path is not None:
        try:
            entry = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
            if entry["analysis"] == ANALYSIS and entry["long"] == pattern:
                return None if entry["table"] is None else _table_of(entry["table"])
        except (OSError, ValueError, TypeError, KeyError):
            pass
    made = _decide_long(pattern)
    entry = {"analysis": ANALYSIS, "long": pattern, "table": _table_entry(made)}
    _write_entry(path, entry)
    return made


def _decide_long(pattern: str) -> Table | None:
    """:func:`long_table` without the caches."""
    try:
        chosen = plan(pattern)
    except TooComplex:
        return None
    if chosen.engine != "re" or chosen.rate is None or chosen.rate <= LONG_RATE:
        return None
    if widest_class(pattern) > MAX_RE_RANGES:  # kept on re only as its automaton did not fit
        return None
    try:
        automaton = automata.dfa(pattern, MAX_STATES, deadline=time.process_time() + MAX_SECONDS)
    except (automata.TooLarge, automata.Unsupported):
        return None
    return encode(automaton) if runs_only(automaton) and ascii_only(automaton) else None


def ascii_only(dfa: automata.Dfa) -> bool:
    """Whether a character past ASCII takes every state of ``dfa`` to a sink: then the
    runtime's ``_Dfa`` stops reading a value at its first such character, and so translates
    to classes only ASCII (at C speed: it keeps every ASCII character's class), a piece past
    it at most. An automaton that reads on through other characters pays a Python call for
    each one it has not kept (it keeps 4,096): a megabyte of distinct ones takes it longer
    than ``re``'s worst."""
    accept, reject = dfa.sinks()
    wide = [block for block in range(len(dfa.bounds)) if _block_end(dfa, block) > 0x7F]
    return all(
        dfa.delta[state][block] in (accept, reject)
        for state in range(dfa.size)
        if state not in (accept, reject)
        for block in wide
    )


def _block_end(dfa: automata.Dfa, block: int) -> int:
    return dfa.bounds[block + 1] - 1 if block + 1 < len(dfa.bounds) else sys.maxunicode


def runs_only(dfa: automata.Dfa) -> bool:
    """Whether every cycle of ``dfa`` through states that can still match and still fail,
    reachable from its start, is a state's own loop: then any value takes it through each
    state once, and the runtime's ``_Dfa`` reads the run a looping state keeps with one ``re``
    call, so a value costs at most a call a state (and its translation to classes)."""
    accept, reject = dfa.sinks()
    sinks = {accept, reject}
    colour = {0: 1}  # 1: on the current path, 2: done
    stack = [(0, iter(set(dfa.delta[0])))]
    while stack:
        state, targets = stack[-1]
        for target in targets:
            if target == state or target in sinks:
                continue
            if colour.get(target) == 1:
                return False
            if target not in colour:
                colour[target] = 1
                stack.append((target, iter(set(dfa.delta[target]))))
                break
        else:
            colour[state] = 2
            stack.pop()
    return True


def _reversed_table(pattern: str) -> Table | None:
    """The table of the reversed pattern's automaton (:func:`codegen.automata.reverse`) when it
    fits the bounds that the pattern's own did not: what follows a repeat decides how it was
    read (ssm's ``ManagedInstanceId``, ``[...]{0,99}_\\w{17}$``: forwards, which of the last 17
    characters were ``_`` is the state; backwards, a count)."""
    try:
        automaton = automata.dfa(
            pattern, MAX_STATES, deadline=time.process_time() + MAX_SECONDS, reversed_=True
        )
    except (automata.TooLarge, automata.Unsupported):
        return None
    return encode(automaton, reverse=True)


def _start_only(pattern: str) -> bool:
    """Whether the pattern is anchored at the start and not at the end (``^...``, as ssm's
    ``TargetLocationsURL``): read forwards, a search stops as soon as it matches or nothing is
    alive; read backwards, it reads the whole value (its automaton was 3 times as slow at a
    megabyte as ``_Lazy`` forwards)."""
    try:
        node = automata.parse(pattern)
    except automata.Unsupported:
        return False
    items = node.items if isinstance(node, automata.Seq) else (node,)
    return items[:1] == (automata.Begin(),) and automata.END not in items


def _branches_plan(pattern: str, rate: float | None, lazy: bool) -> Plan | None:
    """A plan that searches the branches of the pattern's top-level alternation one by one
    (:func:`branches`), when each has a linear matcher (not ``_Lazy``'s unless ``lazy``: one
    lazy automaton of the whole is better than several), else None."""
    found = branches(pattern)
    if found is None:
        return None
    for branch in found:
        try:
            engine = plan(branch).engine
        except TooComplex:
            return None
        if engine == "lazy" and not lazy:
            return None
    return Plan(pattern, rate, None, branches=Branches(found))


def branches(pattern: str) -> tuple[str, ...] | None:
    """The branches of the portable ``pattern``'s top-level alternation, each without a group
    that wraps it whole, or None (no top-level ``|``, a back-reference, or a pattern ``re``
    does not read).

    ``re.search(A|B)`` finds a match exactly where ``re.search(A)`` or ``re.search(B)`` does:
    a match of the whole at a start is one of a branch there, and ``^``, the end of input and
    the look-arounds of a branch look at the value, not at the other branches. A group around
    a whole branch only captures (no back-reference reads it here)."""
    try:
        node = automata.parse(pattern)
    except automata.Unsupported:
        return None
    if any(isinstance(n, automata.Backref) for n in automata.iter_nodes(node)):
        return None
    cuts = _top_level(pattern, "|")
    if not cuts:
        return None
    edges = [-1, *cuts, len(pattern)]
    found = tuple(_unwrapped(pattern[a + 1 : b]) for a, b in pairwise(edges))
    for branch in found:
        try:
            automata.parse(branch)
        except automata.Unsupported:
            return None
    return found


def _top_level(pattern: str, wanted: str) -> list[int]:
    """The positions of ``wanted`` (``|``, ``^``, ``)``) outside every group and character
    class of ``pattern`` (``)``: where the depth returns to 0)."""
    found: list[int] = []
    depth, i, size = 0, 0, len(pattern)
    while i < size:
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":  # a class: ``]`` right after ``[`` or ``[^`` is a member
            i += 1 + (pattern[i + 1 : i + 2] == "^")
            i += pattern[i : i + 1] == "]"
            while i < size and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and wanted == ")":
                found.append(i)
        elif depth == 0 and char == wanted:
            found.append(i)
        i += 1
    return found


def _unwrapped(branch: str) -> str:
    """``branch`` without the group (``(...)`` or ``(?:...)``) that wraps it whole, if one does."""
    while branch.startswith("(") and not branch.startswith("(?") or branch.startswith("(?:"):
        closes = _top_level(branch, ")")
        if closes[:1] != [len(branch) - 1]:
            break
        branch = branch[3 if branch.startswith("(?:") else 1 : -1]
    return branch


def widest_class(pattern: str) -> int:
    """The most ranges of code points among the pattern's character classes (0: unreadable)."""
    try:
        node = automata.parse(pattern)
    except automata.Unsupported:
        return 0
    return max(
        (len(n.ranges) for n in automata.iter_nodes(node) if isinstance(n, automata.Chars)),
        default=0,
    )


def window(pattern: str) -> Window | None:
    """The :class:`Window` of the portable ``pattern`` when it is ``(?=C{m,n}$)R`` (after
    ``^``) and searching R in the tail the look-ahead allows is the same search, else None.

    ``re.search`` finds a match at a start ``i`` where the rest of the value, ``s[i:]``, is
    ``m`` to ``n`` characters of C and R matches at ``i``. Those starts are the positions from
    ``max(len(s) - n, last character outside C + 1)`` (the tail) to ``len(s) - m``. When R
    has no ``^`` and looks behind nowhere, whether it matches at ``i`` depends on ``s[i:]``
    alone: the search is then R's search in the tail (anchored: the tail is the whole value
    and ``^R`` matches it), the upper end kept by ``(?=[\\s\\S]{m})`` in front of R unless R
    never matches fewer than ``m`` characters (then it holds wherever R matches). The shape is
    read from ``re``'s own parse (a top-level ``|`` after the look-ahead, which would leave it
    applying to one branch only, does not pass). ``(?=^C{m,n}$)`` with the ``^`` after it
    (perhaps after more look-aheads) reads as ``^(?=C{m,n}$)`` (:func:`_begin_first`)."""
    found = _WINDOW.match(pattern)
    if found is None:
        pattern = _begin_first(pattern) or pattern
        found = _WINDOW.match(pattern)
    if found is None:
        return None
    anchored, most, rest = found.group(1) == "^", int(found.group(4)), pattern[found.end() :]
    least = int(found.group(3))
    try:
        whole, tail = automata.parse(pattern), automata.parse(rest)
        least_width = automata.min_width(rest)
    except automata.Unsupported:
        return None
    if not isinstance(whole, automata.Seq) or least > most:
        return None
    look = whole.items[1 if anchored else 0]
    if not (
        isinstance(look, automata.Look)
        and isinstance(look.item, automata.Seq)
        and isinstance(look.item.items[0], automata.Repeat)
        and isinstance(look.item.items[0].item, automata.Chars)
    ):
        return None
    rest_items = tail.items if isinstance(tail, automata.Seq) else (tail,)
    if whole.items != (*([automata.Begin()] if anchored else []), look, *rest_items):
        return None
    if any(
        isinstance(node, (automata.Begin, automata.Backref))
        or (isinstance(node, automata.Look) and node.behind)
        for node in automata.iter_nodes(tail)
    ):
        return None
    outside: list[str] = []
    within = ""
    for first, last in automata.complement(look.item.items[0].item.ranges):
        outside += [chr(code) for code in range(first, min(last, first + MAX_OUTSIDE) + 1)]
        if len(outside) > MAX_OUTSIDE:
            outside, within = [], found.group(2)
            break
    if least_width < least:  # a start must leave m characters: said in front of R
        rest = f"(?=[\\s\\S]{{{least}}}){rest}"
    return Window(f"^{rest}" if anchored else rest, most, "".join(outside), anchored, within)


def _begin_first(pattern: str) -> str | None:
    """``(?=^X)L^R``, where ``L`` is only look-aheads, as ``^(?=X)LR`` (servicediscovery's
    ``ServiceName`` and rum's ``AppMonitorDomain`` write their window so), else None. Every
    item before the ``^`` reads nothing, so all hold at the same position, which ``^`` makes
    the start: the same search. Checked on ``re``'s parse of both."""
    if not pattern.startswith("(?=^"):
        return None
    carets = _top_level(pattern, "^")
    if not carets:
        return None
    moved = f"^(?={pattern[4 : carets[0]]}{pattern[carets[0] + 1 :]}"
    try:
        before, after = automata.parse(pattern), automata.parse(moved)
    except automata.Unsupported:
        return None
    if not (isinstance(before, automata.Seq) and isinstance(after, automata.Seq)):
        return None
    begin = automata.Begin()
    first = before.items[0]
    if not (
        isinstance(first, automata.Look)
        and not first.behind
        and not first.negated
        and isinstance(first.item, automata.Seq)
        and first.item.items[:1] == (begin,)
        and begin in before.items
    ):
        return None
    at = before.items.index(begin)
    if not all(isinstance(item, automata.Look) and not item.behind for item in before.items[1:at]):
        return None
    inner = first.item.items[1:]
    look = automata.Look(inner[0] if len(inner) == 1 else automata.Seq(inner), False, False)
    if after.items != (begin, look, *before.items[1:at], *before.items[at + 1 :]):
        return None
    return moved


def encode(dfa: automata.Dfa, reverse: bool = False) -> Table | None:
    """``dfa`` as the runtime reads it (None when it has too many classes of characters):
    states renumbered so that 0 fails and 1 matches whatever follows and 2 starts, characters
    grouped into classes (the code points every state treats alike)."""
    accept, reject = dfa.sinks()
    rest = [s for s in range(1, dfa.size) if s not in (accept, reject)]
    slots: list[int | None] = [reject, accept, 0, *rest]  # the start is copied to slot 2
    number = {state: i for i, state in enumerate(slots) if state is not None}
    number[0] = 0 if reject == 0 else 1 if accept == 0 else 2
    columns: dict[tuple[int, ...], int] = {}
    class_of_block: list[int] = []
    for block in range(len(dfa.bounds)):
        column = tuple(dfa.delta[state][block] for state in range(dfa.size))
        class_of_block.append(columns.setdefault(column, len(columns)))
    if len(columns) > MAX_CLASSES:
        return None
    classes = len(columns)
    class_width = 1 if classes <= 36 else 2
    state_width = 1 if len(slots) <= 36 else 2 if len(slots) <= 36**2 else 3
    first_block = {cls: block for block, cls in reversed(list(enumerate(class_of_block)))}
    rows: list[str] = []
    for slot, state in enumerate(slots):
        if state is None:  # a sink the automaton lacks (never reached): itself on every class
            rows.append(_number(slot, state_width) * classes + ("+" if slot == 1 else ""))
            continue
        targets = (number[dfa.delta[state][first_block[cls]]] for cls in range(classes))
        row = "".join(_number(target, state_width) for target in targets)
        rows.append(row + ("+" if dfa.accepting[state] else ""))
    ranges: list[str] = []
    previous = -1
    for block, cls in enumerate(class_of_block):
        if cls != previous:
            ranges.append(chr(dfa.bounds[block]) + _number(cls, class_width))
            previous = cls
    return Table("".join(ranges), tuple(rows), class_width, state_width, reverse)


def _number(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, 36)
        digits.append(_DIGITS[digit])
    assert value == 0
    return "".join(reversed(digits))


def _literal(text: str) -> str:
    """A double-quoted Python literal: printable ASCII as it is, everything else escaped (a
    lone surrogate too, which a UTF-8 source file cannot hold)."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def linear_matcher(pattern: str, longest: int | None = LONG) -> str | None:
    """The code of the linear matcher generated code uses for the portable ``pattern`` on
    values of at most ``longest`` characters (None: no bound), or None when it uses ``re``:
    where ``re`` is linear, and where no automaton fits the bounds (:class:`TooComplex`: such a
    pattern keeps ``re``, as before this module; its worst case is measured by
    ``tools/regex_worst_case.py`` and reported in ``docs/regex-safety.md``). A pattern kept on
    ``re`` whose values can be longer than :data:`LONG` gets the runtime's ``_Long`` where
    :func:`long_table` gives it an automaton: ``re`` up to :data:`LONG` characters, the
    automaton past them."""
    try:
        chosen = plan(pattern)
    except TooComplex:
        return None
    if chosen.engine == "re" and (longest is None or longest > LONG):
        table = long_table(pattern)
        if table is not None:
            from codegen.generators.text import regex_literal

            return f"_Long(re.compile({regex_literal(pattern)}), {table.code()}, {LONG})"
    if chosen.window is not None:
        return chosen.window.code()
    if chosen.lazy is not None:
        return chosen.lazy.code()
    if chosen.branches is not None:
        return chosen.branches.code()
    return None if chosen.table is None else chosen.table.code()


# -- in-process matchers -----------------------------------------------------------------------


def matcher(pattern: str, longest: int | None = LONG) -> Searcher:
    """What generated code searches the portable ``pattern`` with on values of at most
    ``longest`` characters (None: no bound; :func:`linear_matcher`): ``re`` or the runtime's
    ``_Dfa``, ``_Long``, ... (the template's own code, run here). A pattern too complex for
    either gets ``re``: the caller reports it (:func:`plan` raises)."""
    try:
        chosen = plan(pattern)
    except TooComplex:
        return re.compile(pattern)
    if chosen.engine == "re" and (longest is None or longest > LONG):
        table = long_table(pattern)
        if table is not None:
            return _runtime()["_Long"](  # type: ignore[no-any-return]
                re.compile(pattern), _dfa(table), LONG
            )
    if chosen.window is not None:
        found = chosen.window
        return _runtime()["_Window"](  # type: ignore[no-any-return]
            matcher(found.inner),
            found.most,
            found.outside,
            found.anchored,
            re.compile(found.within + "*") if found.within else None,
        )
    if chosen.lazy is not None:
        return lazy_matcher(chosen.lazy)
    if chosen.branches is not None:
        return _runtime()["_Any"](  # type: ignore[no-any-return]
            tuple(matcher(branch) for branch in chosen.branches.patterns)
        )
    if chosen.table is None:
        return re.compile(pattern)
    return _dfa(chosen.table)


def lazy_matcher(table: nfa.LazyTable) -> Searcher:
    """A new runtime ``_Lazy`` of ``table`` (no state made yet)."""
    return _runtime()["_Lazy"](  # type: ignore[no-any-return]
        table.ranges,
        table.sets,
        table.nodes,
        table.start,
        class_width=table.class_width,
        twins=table.twins,
    )


def _dfa(table: Table) -> Searcher:
    """The runtime's ``_Dfa`` of ``table``."""
    return _runtime()["_Dfa"](  # type: ignore[no-any-return]
        table.ranges,
        table.rows,
        class_width=table.class_width,
        state_width=table.state_width,
        reverse=table.reverse,
    )


@cache
def _runtime() -> dict[str, Any]:
    """The names the runtime template ``validators/linear.py.j2`` defines."""
    from bisect import bisect_right
    from typing import Final

    namespace: dict[str, Any] = {"bisect_right": bisect_right, "Final": Final, "re": re}
    exec(compile(runtime_source(), "validators/linear.py.j2", "exec"), namespace)  # noqa: S102
    return namespace


def runtime_source() -> str:
    from codegen.generators.base import environment

    env = environment()
    assert env.loader is not None
    return env.loader.get_source(env, "validators/linear.py.j2")[0]


# -- the disk cache ----------------------------------------------------------------------------


@cache
def _analysis_key() -> str:
    """What the decisions depend on: :data:`ANALYSIS`, the Python version (re's parser) and the
    source of the modules that decide (a changed model never reuses an older decision)."""
    digest = hashlib.sha256(f"{ANALYSIS}\0{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for module in (automata, backtracking, nfa, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _cache_path(pattern: str) -> Path | None:
    from codegen.bridge.releases import cache_root

    version = f"{_analysis_key()}\0{pattern}"
    key = hashlib.sha256(version.encode("utf-8", "surrogatepass")).hexdigest()
    try:
        return cache_root() / "regex" / key[:2] / f"{key}.json"
    except RuntimeError:  # no home folder to cache in
        return None


def _read_cache(path: Path | None, pattern: str) -> Plan | None:
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
        return _plan_of(entry, pattern)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _plan_of(entry: Any, pattern: str) -> Plan | None:
    checks: list[Callable[[], bool]] = [
        lambda: entry["analysis"] == ANALYSIS,
        lambda: entry["pattern"] == pattern,
        lambda: entry["rate"] is None or type(entry["rate"]) in (int, float),
        lambda: entry["too_complex"] is None or isinstance(entry["too_complex"], str),
    ]
    if not all(check() for check in checks):
        return None
    table = entry["table"]
    lazy = entry.get("lazy")
    if lazy is not None:
        if not (
            isinstance(lazy["ranges"], str)
            and all(isinstance(s, str) for s in lazy["sets"])
            and all(isinstance(n, str) for n in lazy["nodes"])
            and type(lazy["start"]) is int
            and lazy["class_width"] in (1, 2)
            and isinstance(lazy["twins"], list)
            and all(isinstance(t, str) for t in lazy["twins"])
        ):
            return None
        made = nfa.LazyTable(
            lazy["ranges"],
            tuple(lazy["sets"]),
            tuple(lazy["nodes"]),
            lazy["start"],
            lazy["class_width"],
            tuple(lazy["twins"]),
        )
        return Plan(pattern, entry["rate"], None, lazy=made)
    split = entry.get("branches")
    if split is not None:
        if not (isinstance(split, list) and split and all(isinstance(b, str) for b in split)):
            return None
        return Plan(pattern, entry["rate"], None, branches=Branches(tuple(split)))
    found = entry.get("window")
    if found is not None:
        if not (
            isinstance(found["inner"], str)
            and type(found["most"]) is int
            and isinstance(found["outside"], str)
            and isinstance(found["anchored"], bool)
            and isinstance(found["within"], str)
        ):
            return None
        inner = Window(
            found["inner"], found["most"], found["outside"], found["anchored"], found["within"]
        )
        return Plan(pattern, entry["rate"], None, window=inner)
    if table is None:
        return Plan(pattern, entry["rate"], None, entry["too_complex"])
    found_table = _table_of(table)
    return None if found_table is None else Plan(pattern, entry["rate"], found_table)


def _table_of(table: Any) -> Table | None:
    """The :class:`Table` of a cache entry's ``table`` (None: damaged)."""
    rows = tuple(table["rows"])
    if not (
        isinstance(table["ranges"], str)
        and all(isinstance(r, str) for r in rows)
        and table["class_width"] in (1, 2)
        and table["state_width"] in (1, 2, 3)
        and isinstance(table["reverse"], bool)
    ):
        return None
    return Table(
        table["ranges"], rows, table["class_width"], table["state_width"], table["reverse"]
    )


def _table_entry(table: Table | None) -> dict[str, Any] | None:
    """A :class:`Table` as a cache entry stores it."""
    if table is None:
        return None
    return {
        "ranges": table.ranges,
        "rows": list(table.rows),
        "class_width": table.class_width,
        "state_width": table.state_width,
        "reverse": table.reverse,
    }


def _write_cache(path: Path | None, made: Plan) -> None:
    if path is None:
        return
    table = made.table
    entry = {
        "analysis": ANALYSIS,
        "pattern": made.pattern,
        "rate": made.rate,
        "too_complex": made.too_complex,
        "window": None
        if made.window is None
        else {
            "inner": made.window.inner,
            "most": made.window.most,
            "outside": made.window.outside,
            "anchored": made.window.anchored,
            "within": made.window.within,
        },
        "branches": None if made.branches is None else list(made.branches.patterns),
        "lazy": None
        if made.lazy is None
        else {
            "ranges": made.lazy.ranges,
            "sets": list(made.lazy.sets),
            "nodes": list(made.lazy.nodes),
            "start": made.lazy.start,
            "class_width": made.lazy.class_width,
            "twins": list(made.lazy.twins),
        },
        "table": _table_entry(table),
    }
    _write_entry(path, entry)


def _write_entry(path: Path | None, entry: dict[str, Any]) -> None:
    if path is None:
        return
    try:  # a cache that cannot be written only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(json.dumps(entry, ensure_ascii=True).encode("ascii"))
        tmp.replace(path)
    except OSError:
        pass
