"""A pattern as a compact NFA, for the generated runtime's lazily built automaton (``_Lazy``).

Some patterns need a linear matcher (``re`` may backtrack on them) and have no minimal
automaton within the bounds of :mod:`codegen.regex_safety`: an unanchored search through
counted repeats (rum's ``Url``: ``https?://...{1,256}\\.[...]{1,6}`` and a word boundary) has
tens of thousands of deterministic states, most of which no value ever reaches. For those the
generator emits the pattern's Thompson NFA (:func:`compile_nfa`, :class:`Nfa`) and the
runtime's ``_Lazy`` (template ``validators/linear.py.j2``) runs it as a DFA whose states (sets
of NFA nodes) are built as the value reaches them and kept in a bounded cache, flushed when
full: each character costs one table look-up once its state is built, at most one closure
over the NFA otherwise, so a search is linear in the value whatever the value (O(n * NFA
size) in the worst case, one look-up a character in the common one).

What the NFA reads (anything else raises :class:`codegen.automata.Unsupported`): characters,
sequences, alternatives, repeats (a counted repeat of one character is one node that counts:
a state of the runtime holds (node, count) pairs; other counted repeats are unrolled, within
:data:`MAX_NODES` nodes), ``^``
(position 0), the end of the value, and look-arounds whose body is one character of a set
(``(?=[a-z])``, ``(?<![A-Za-z0-9_])``: a word boundary in portable form), decided on the
characters either side of the position. The search language is then exactly ``re.search``'s:
the runtime adds the start node at every position (any start), a match ends wherever the
closure reaches the final node, and a repeat whose iteration matched nothing adds nothing to
the language (``re`` stops such a loop; the NFA's closure visits each node once).

The alphabet is partitioned into classes (the code points every set of the pattern treats
alike), at most :data:`MAX_CLASSES` (the runtime maps a value's characters to classes through
``bytes``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from codegen import automata
from codegen.automata import Alt, Begin, Chars, Look, Ranges, Repeat, Seq, Unsupported

MAX_NODES = 4096  # NFA nodes (counted repeats unrolled) before giving up
MAX_CLASSES = 256
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# node kinds, as the runtime reads them
CHAR, COUNT, SPLIT, BEGIN, END, AHEAD, NOT_AHEAD, BEHIND, NOT_BEHIND, MATCH = "crs^$>!<~m"


class TooLarge(automata.TooLarge):
    """More NFA nodes than :data:`MAX_NODES`."""


@dataclass(frozen=True)
class Node:
    kind: str
    ranges: Ranges | None  # the set of a character or of a one-character look-around
    targets: tuple[int, ...]  # next nodes (a split: every alternative)
    least: int = 0  # a counted character (COUNT): at least this many
    most: int = 0  # and at most this many


@dataclass(frozen=True)
class Nfa:
    nodes: tuple[Node, ...]
    start: int
    # the optional copies of each unrolled counted repeat of more than one (see :class:`Chain`)
    chains: tuple[Chain, ...] = ()


@dataclass(frozen=True)
class Chain:
    """The ``copies`` optional copies of an unrolled counted repeat ``X{m,n}`` (``n - m`` of
    them, nested: ``(x(x(x)?)?)?``), each ``size`` nodes (its body's, then the choice that enters
    it or leaves), one after the other from node ``first``: the deepest first (its body leads
    out of the repeat), the shallowest last. The builder makes each copy's nodes in the same
    order, so the node at offset ``q`` of one copy is the twin of the node at offset ``q`` of
    every other.

    A thread at a node of a copy accepts every rest of the value that one at its twin in a
    deeper copy accepts (with the same count, where the node counts): what is left of the copy
    is the same, and then it has more iterations left and may leave after each as the deeper
    one may. The runtime's ``_Lazy`` keeps only the shallowest of such twins in a state."""

    first: int
    size: int
    copies: int


class _Builder:
    """Builds backwards: ``node(x, next)`` is the entry of ``x`` followed by ``next``."""

    def __init__(self, max_nodes: int) -> None:
        self.nodes: list[Node] = []
        self.max_nodes = max_nodes
        self.chains: list[Chain] = []

    def add(self, kind: str, ranges: Ranges | None, targets: tuple[int, ...], *count: int) -> int:
        if len(self.nodes) >= self.max_nodes:
            raise TooLarge(f"more than {self.max_nodes} NFA nodes")
        self.nodes.append(Node(kind, ranges, targets, *count))
        return len(self.nodes) - 1

    def node(self, item: automata.Node, nxt: int) -> int:
        if isinstance(item, Chars):
            return self.add(CHAR, item.ranges, (nxt,))
        if isinstance(item, Seq):
            for part in reversed(item.items):
                nxt = self.node(part, nxt)
            return nxt
        if isinstance(item, Alt):
            return self.add(SPLIT, None, tuple(self.node(part, nxt) for part in item.items))
        if isinstance(item, Repeat):
            return self.repeat(item, nxt)
        if isinstance(item, Begin):
            return self.add(BEGIN, None, (nxt,))
        if isinstance(item, Look):
            return self.look(item, nxt)
        raise Unsupported("a back-reference")

    def repeat(self, item: Repeat, nxt: int) -> int:
        if isinstance(item.item, Chars) and item.max is not None and item.max > 1:
            # one node that counts: the runtime's states hold the count read so far
            return self.add(COUNT, item.item.ranges, (nxt,), item.min, item.max)
        if item.max is None:  # a loop: a split that enters the body (back to itself) or leaves
            loop = self.add(SPLIT, None, ())
            body = self.node(item.item, loop)
            self.nodes[loop] = Node(SPLIT, None, (body, nxt))
            entry = loop
        else:  # (x(x(x)?)?)? for the optional iterations
            entry, first, copies = nxt, len(self.nodes), item.max - item.min
            for _ in range(copies):
                entry = self.add(SPLIT, None, (self.node(item.item, entry), nxt))
            if copies > 1 and self.aligned(first, copies, nxt):
                self.chains.append(Chain(first, (len(self.nodes) - first) // copies, copies))
        for _ in range(item.min):
            entry = self.node(item.item, entry)
        return entry

    def aligned(self, first: int, copies: int, nxt: int) -> bool:
        """Whether the nodes from ``first`` on are ``copies`` copies of one body alike, node for
        node, each ending with the choice that enters it (the twins :class:`Chain` pairs): the
        same kinds, sets and counts, the same targets inside the copy (shifted), and out of it
        only what follows the repeat or the deeper copy's choice (its node just before)."""
        size, rest = divmod(len(self.nodes) - first, copies)
        if rest or not size:
            return False

        def shape(base: int) -> list[tuple[object, ...]]:
            nodes = self.nodes[base : base + size]
            if any(
                t not in (nxt, base - 1)
                for n in nodes
                for t in n.targets
                if not 0 <= t - base < size
            ):
                raise ValueError
            targets = [
                tuple(t - base if 0 <= t - base < size else -1 for t in n.targets) for n in nodes
            ]
            return [
                (n.kind, n.ranges, n.least, n.most, t) for n, t in zip(nodes, targets, strict=True)
            ]

        try:
            model = shape(first)
            alike = all(shape(first + copy * size) == model for copy in range(1, copies))
        except ValueError:
            return False
        return alike and self.nodes[first + size - 1].kind == SPLIT

    def look(self, item: Look, nxt: int) -> int:
        if item == automata.END:
            return self.add(END, None, (nxt,))
        if not isinstance(item.item, Chars):
            raise Unsupported("a look-around that reads more than one character")
        if item.behind:
            kind = NOT_BEHIND if item.negated else BEHIND
        else:
            kind = NOT_AHEAD if item.negated else AHEAD
        return self.add(kind, item.item.ranges, (nxt,))


def compile_nfa(pattern: str, max_nodes: int = MAX_NODES) -> Nfa:
    """The Thompson NFA of the portable ``pattern`` (one match attempt; the runtime makes it a
    search). Raises :class:`Unsupported` or :class:`TooLarge`."""
    builder = _Builder(max_nodes)
    final = builder.add(MATCH, None, ())
    start = builder.node(automata.parse(pattern), final)
    return Nfa(tuple(builder.nodes), start, tuple(builder.chains))


@dataclass(frozen=True)
class LazyTable:
    """An :class:`Nfa` encoded for the runtime's ``_Lazy`` (see its documentation)."""

    ranges: str
    sets: tuple[str, ...]
    nodes: tuple[str, ...]
    start: int
    class_width: int
    # the chains of twins (:class:`Chain`): first node, size and copies, base 36, by spaces
    twins: tuple[str, ...] = ()

    def code(self) -> str:
        from codegen.regex_safety import _literal

        sets = ", ".join(_literal(s) for s in self.sets)
        nodes = ", ".join(_literal(n) for n in self.nodes)
        width = f", class_width={self.class_width}" if self.class_width != 1 else ""
        if self.twins:
            width += f", twins=({', '.join(_literal(t) for t in self.twins)},)"
        return f"_Lazy({_literal(self.ranges)}, ({sets},), ({nodes},), {self.start}{width})"


def encode(nfa: Nfa, chunk: int = 72) -> LazyTable:
    """``nfa`` as the runtime reads it. Raises :class:`TooLarge` past :data:`MAX_CLASSES`."""
    distinct = sorted({node.ranges for node in nfa.nodes if node.ranges is not None})
    points = {0}
    for ranges in distinct:
        for first, last in ranges:
            points.add(first)
            if last < automata.MAX_CODE_POINT:
                points.add(last + 1)
    bounds = sorted(points)
    firsts = [[first for first, _ in ranges] for ranges in distinct]

    def inside(ranges: Ranges, starts: list[int], point: int) -> bool:
        at = bisect_right(starts, point) - 1
        return at >= 0 and ranges[at][1] >= point

    classes: dict[tuple[bool, ...], int] = {}
    class_of_block = []
    for point in bounds:
        signature = tuple(inside(r, f, point) for r, f in zip(distinct, firsts, strict=True))
        class_of_block.append(classes.setdefault(signature, len(classes)))
    if len(classes) > MAX_CLASSES:
        raise TooLarge(f"more than {MAX_CLASSES} classes of characters")
    width = 1 if len(classes) <= 36 else 2
    ranges_text: list[str] = []
    previous = -1
    for point, cls in zip(bounds, class_of_block, strict=True):
        if cls != previous:
            ranges_text.append(chr(point) + _number(cls, width))
            previous = cls
    members = {
        ranges: sorted({c for c, sig in enumerate(classes) if sig[i]})
        for i, ranges in enumerate(distinct)
    }
    set_number = {ranges: i for i, ranges in enumerate(distinct)}
    sets = tuple("".join(_number(c, width) for c in members[ranges]) for ranges in distinct)
    words: list[str] = []
    for node in nfa.nodes:
        numbers = [] if node.ranges is None else [set_number[node.ranges]]
        numbers += [node.least, node.most] if node.kind == COUNT else []
        numbers += node.targets
        words.append(node.kind + ",".join(_base36(n) for n in numbers))
    chains = [",".join(_base36(n) for n in (c.first, c.size, c.copies)) for c in nfa.chains]
    return LazyTable(
        "".join(ranges_text), sets, _lines(words, chunk), nfa.start, width, _lines(chains, chunk)
    )


def _lines(words: list[str], chunk: int) -> tuple[str, ...]:
    """``words`` by spaces, in lines of at most ``chunk`` characters where they fit."""
    pieces: list[str] = []
    for word in words:
        if pieces and len(pieces[-1]) + 1 + len(word) <= chunk:
            pieces[-1] += " " + word
        else:
            pieces.append(word)
    return tuple(pieces)


def _number(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, 36)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits))


def _base36(value: int) -> str:
    out = ""
    while True:
        value, digit = divmod(value, 36)
        out = _DIGITS[digit] + out
        if not value:
            return out
