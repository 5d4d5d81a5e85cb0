"""A model of how much work Python's backtracking ``re`` does on a pattern, per input character.

``re.search`` tries each start position in turn, and at each explores, depth first, the paths
of the pattern's automaton that the input allows, in priority order (a greedy repeat's longer
paths first, an alternation's left branch first), until one reaches the end of the pattern.
Its work is the number of path prefixes it explores: with ``(a+)+$`` the ways to read
``a...a`` double with each ``a`` (exponential time); with an unanchored ``[a-z]+x`` each start
position reads to the end of the letters (quadratic time). This module bounds that number for
every input at once:

* the pattern becomes an automaton with empty moves (:class:`_Nfa`) whose paths are those
  ``re`` explores, in its order: an alternation of ``k`` branches is ``k`` paths, a repeat's
  iterations are unrolled up to :data:`UNROLL` (beyond, a loop: more paths, never fewer), and
  an iteration that matched nothing ends its loop (as ``re``'s does);
* a *configuration* is the list of paths alive after reading the input so far, in the order
  ``re`` explores them (one entry per path: a state reached by two paths is there twice), plus
  whether a later start position will still be tried. Each character class maps it to the
  next. Look-aheads are sub-searches ``re`` runs where they stand: their paths are in the list
  too. An assertion that may or may not hold is assumed to hold (more paths). A path that
  reaches the end of the pattern with nothing assumed on the way ends the search once ``re``
  gets to it: no path after it in the list, and no later start position, is ever explored;
* the configurations reachable from the start, over every input, form a finite graph. One on a
  cycle can recur at every character of a long input; one off every cycle occurs at most once.
  So the work on ``n`` characters is at most ``once + rate * n``, where ``rate`` is the longest
  list on a cycle and ``once`` the sum of the lengths off cycles.

:func:`cost` returns that bound, or None when the exploration passes its bounds (more than
:data:`CAP` paths alive at once, or too many configurations): no linear bound is known. The
model counts steps of ``re``'s depth-first search, not its constant-time optimizations (which
only save work); ``tools/regex_worst_case.py`` times ``re`` against it on attack strings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from codegen.automata import (
    ANY,
    MAX_CODE_POINT,
    Alt,
    AttemptAutomaton,
    Backref,
    Begin,
    Chars,
    Look,
    Node,
    Ranges,
    Repeat,
    Seq,
    Term,
    parse,
)

UNROLL = 16  # iterations of a repeat modelled one by one; beyond, a loop
CAP = 64  # paths alive at once beyond which a pattern is not linear enough for re
DEFAULT_MAX_CONFIGURATIONS = 600
QUICK_RATE = 8  # a bound this small needs no second opinion
_KARP_WORK = 250_000  # nodes times arcs of a component beyond which its largest weight is used


@dataclass(frozen=True)
class Cost:
    """At most ``once + rate * n`` steps on an input of ``n`` characters."""

    rate: float
    once: int
    configurations: int


# state kinds
_CONSUME, _SPLIT, _BEGIN, _END, _ASSUME, _LOOK, _FINAL = range(7)


@dataclass
class _State:
    kind: int
    ranges: Ranges = ()
    next: list[int] = field(default_factory=list)  # in re's order of trying them
    exit: int = -1  # a repeat's split: the way out of the loop (taken after an empty turn)
    exact: bool = True  # False: leaving here may break the repeat's bounds (see repeat())
    look: int = -1  # _LOOK: the start state of the look-ahead's own automaton


class _Nfa:
    def __init__(self) -> None:
        self.states: list[_State] = []

    def add(self, kind: int, **kwargs: object) -> int:
        self.states.append(_State(kind, **kwargs))  # type: ignore[arg-type]
        return len(self.states) - 1

    def build(self, node: Node, then: int) -> int:
        """States for ``node`` followed by state ``then``; returns the entry state."""
        if isinstance(node, Chars):
            return self.add(_CONSUME, ranges=node.ranges, next=[then])
        if isinstance(node, Seq):
            entry = then
            for item in reversed(node.items):
                entry = self.build(item, entry)
            return entry
        if isinstance(node, Alt):
            return self.add(_SPLIT, next=[self.build(item, then) for item in node.items])
        if isinstance(node, Repeat):
            return self.repeat(node, then)
        if isinstance(node, Begin):
            return self.add(_BEGIN, next=[then])
        if isinstance(node, Look):
            if node.behind:  # a fixed-width check: constant work, may or may not hold
                return self.add(_ASSUME, next=[then])
            if node.item == Chars(ANY) and node.negated:
                return self.add(_END, next=[then])
            final = self.add(_FINAL)
            look = self.build(node.item, final)
            return self.add(_LOOK, next=[then], look=look)
        if isinstance(node, Backref):  # compares the group's text: paths like the group's
            return self.add(_ASSUME, next=[self.build(node.target, then)])
        raise AssertionError(node)

    def split(self, body_of: int, then: int, lazy: bool, exact: bool) -> int:
        """An optional iteration: its body (built to continue at ``body_of``) or ``then``."""
        split = self.add(_SPLIT, exit=then, exact=exact)
        self.states[split].next = [then, body_of] if lazy else [body_of, then]
        return split

    def repeat(self, node: Repeat, then: int) -> int:
        """``re``'s paths through a repeat: ``min(low, UNROLL)`` required iterations, optional
        ones up to ``UNROLL`` in all, and a loop for any more. A path that leaves the loop, or
        leaves before ``low`` iterations when ``low > UNROLL``, may not be one of ``re``'s
        (``exact=False``: its success is not certain), but every path of ``re`` is one."""
        low, high = node.min, node.max
        required = min(low, UNROLL)
        if high is not None and high <= UNROLL:
            entry = then
            for _ in range(high - low):
                body = self.build(node.item, entry)
                entry = self.split(body, then, node.lazy, True)
        else:
            loop = self.add(_SPLIT, exit=then, exact=high is None and low <= UNROLL)
            body = self.build(node.item, loop)
            self.states[loop].next = [then, body] if node.lazy else [body, then]
            entry = loop
            for _ in range(UNROLL - required if high is not None and low <= UNROLL else 0):
                body = self.build(node.item, entry)
                entry = self.split(body, then, node.lazy, True)
        for _ in range(required):
            entry = self.build(node.item, entry)
        return entry


Threads = tuple[int, ...]  # state * 2 + (1 if nothing was assumed on the path), in order
_SUCCESS = -1  # in a closure: a path reached the end of the pattern, nothing assumed
# one attempt: its exact automaton's state (None: not known) and its paths
_Attempt = tuple["Term | None", Threads]
# every attempt alive, the oldest (explored first) first; whether later ones will be tried
_Search = tuple[tuple[_Attempt, ...], bool]


class _TooMany(Exception):
    """More paths alive at once than CAP, or more configurations than allowed."""


def cost(
    pattern: str,
    target: float = QUICK_RATE,
    max_configurations: int = DEFAULT_MAX_CONFIGURATIONS,
) -> Cost | None:
    """The bound on ``re.search``'s work for ``pattern`` (see the module documentation), or
    None when none is known within the bounds. A rate up to ``target`` is good enough: the
    search for a tighter bound stops there."""
    try:
        return _Model(parse(pattern), target).explore(max_configurations)
    except _TooMany:
        return None


@dataclass
class _Graph:
    """Configurations reached from the first (index 0), with their successors (each with a
    code point leading there) and how each was first reached (for attack strings)."""

    configurations: list[Any]
    weights: list[int]  # the paths each configuration has alive: the work at that character
    edges: list[dict[int, int]]
    parents: list[tuple[int, int]]  # (configuration, code point); (-1, -1) for the first
    complete: bool

    def cost(self, target: float) -> Cost:
        """A walk through the graph is a simple path (each configuration once at most) and
        cycles: its weight is at most the sum of all weights plus the heaviest mean weight of
        a cycle times its length. The mean is worked out only where the heaviest weight is
        above ``target`` (else that weight is the bound)."""
        rate = max(
            (_heaviest_mean(c, self.edges, self.weights, target) for c in _cycles(self.edges)),
            default=0.0,
        )
        return Cost(rate, sum(self.weights), len(self.configurations))


@dataclass(frozen=True)
class _Single:
    """One attempt's bound: ``rate`` per character once past ``once``; a failing attempt does
    at most ``failing`` steps (None: no bound, it may read arbitrarily far and fail)."""

    rate: float
    once: int
    failing: int | None
    size: int


class _Model:
    def __init__(self, node: Node, target: float = QUICK_RATE) -> None:
        self.node = node
        self.target = target
        self.nfa = _Nfa()
        self.final = self.nfa.add(_FINAL)
        self.start = self.nfa.build(node, self.final)
        self.exact = AttemptAutomaton.of(node)
        self.closures: dict[tuple[int, bool, bool], Threads] = {}

    # paths

    def closure(self, state: int, certain: bool, at_start: bool) -> Threads:
        """The consuming states that the paths from ``state`` reach by empty moves, in the
        order ``re`` tries them (a look-ahead's own paths before the rest of its path);
        :data:`_SUCCESS` where a path reaches the end of the pattern with nothing assumed."""
        key = (state, certain, at_start)
        found = self.closures.get(key)
        if found is None:
            out: list[int] = []
            self._walk(state, certain, at_start, out, ())
            found = self.closures[key] = tuple(out)
        return found

    def _walk(
        self, state: int, certain: bool, at_start: bool, out: list[int], path: tuple[int, ...]
    ) -> None:
        if len(out) > CAP:
            raise _TooMany
        s = self.nfa.states[state]
        kind = s.kind
        if kind == _CONSUME:
            out.append(state * 2 + certain)
        elif kind == _FINAL:
            if state == self.final and certain:
                out.append(_SUCCESS)
        elif kind == _END:
            pass  # holds only at the end of the input, where no work is left
        elif kind == _BEGIN:
            if at_start:
                self._walk(s.next[0], certain, at_start, out, path)
        elif state in path:
            # back without consuming: re ends a loop after an empty iteration, and goes on
            if s.exit >= 0:
                self._walk(s.exit, certain and s.exact, at_start, out, path)
        elif kind == _ASSUME:
            self._walk(s.next[0], False, at_start, out, path + (state,))
        elif kind == _LOOK:
            self._walk(s.look, False, at_start, out, path + (state,))
            self._walk(s.next[0], False, at_start, out, path + (state,))
        else:  # _SPLIT
            for target in s.next:
                leaving = target == s.exit and not s.exact
                self._walk(target, certain and not leaving, at_start, out, path + (state,))

    def classes(self, threads: Iterable[int]) -> list[int]:
        """A code point of each class of characters that the states of ``threads`` tell
        apart (the characters taken by the same states form one class, however many ranges)."""
        states = self.nfa.states
        events: dict[int, list[int]] = {0: []}
        for key in set(threads):
            state = key >> 1
            for lo, hi in states[state].ranges:
                events.setdefault(lo, []).append(state + 1)
                if hi < MAX_CODE_POINT:
                    events.setdefault(hi + 1, []).append(-state - 1)
        active: dict[int, int] = {}
        seen: set[frozenset[int]] = set()
        points: list[int] = []
        for point in sorted(events):
            for change in events[point]:
                state = abs(change) - 1
                active[state] = active.get(state, 0) + (1 if change > 0 else -1)
                if not active[state]:
                    del active[state]
            signature = frozenset(active)
            if signature not in seen:
                seen.add(signature)
                points.append(point)
        return points

    def advance(self, attempt: _Attempt, point: int, at_start: bool) -> tuple[_Attempt, bool]:
        """One attempt after reading ``point``: its paths (those after a sure success cut),
        and whether it is sure to succeed."""
        term, threads = attempt
        reached: list[int] = []
        states = self.nfa.states
        for key in threads:
            s = states[key >> 1]
            if _contains(s.ranges, point):
                following = self.closure(s.next[0], bool(key & 1), False)
                if _SUCCESS in following:  # re gets there before any path after it
                    reached.extend(following[: following.index(_SUCCESS)])
                    return (None, tuple(reached)), True
                reached.extend(following)
                if len(reached) > CAP:
                    raise _TooMany
        if term is not None and self.exact is not None:
            term = self.exact.step(term, point, at_start)
            if term is not None and self.exact.certain(term):
                return (None, tuple(reached)), True
        return (term, tuple(reached)), False

    def begin(self, at_start: bool) -> tuple[_Attempt, bool]:
        """A new attempt (at position 0 with ``at_start``), and whether it succeeds at once."""
        threads = self.closure(self.start, True, at_start)
        if _SUCCESS in threads:
            return (None, threads[: threads.index(_SUCCESS)]), True
        return (self.exact.start if self.exact is not None else None, threads), False

    # the bound

    def explore(self, limit: int) -> Cost:
        """The bound for the whole search: the attempt at position 0, then the others (each
        bounded alone), or all attempts alive at once; the smaller bound of the two."""
        bounds: list[Cost] = []
        first = self.single(True, limit)
        later = self.single(False, limit)
        if first is not None and later is not None and later.failing is not None:
            # every later attempt that fails does at most ``later.failing`` steps, and the one
            # that succeeds does ``later.rate`` per character once it is sure to
            rate = first.rate + later.failing + later.rate + 1
            bounds.append(Cost(rate, first.once + later.once, first.size + later.size))
            if rate <= self.target:
                return bounds[0]
        graph = self.search_graph(limit)
        if graph.complete:
            bounds.append(graph.cost(self.target))
        if not bounds:
            raise _TooMany
        return min(bounds, key=lambda c: (c.rate, c.once))

    def single(self, at_start: bool, limit: int) -> _Single | None:
        """One attempt alone, from position 0 (``at_start``) or from any later one; None past
        the bounds. A configuration is (the attempt, whether it is sure to succeed)."""
        try:
            start = self.begin(at_start)
        except _TooMany:
            return None

        def step(configuration: tuple[_Attempt, bool], point: int, first: bool) -> object:
            attempt, succeeded = configuration
            following, sure = self.advance(attempt, point, at_start and first)
            return following, succeeded or sure

        try:
            graph = _explore(
                start,
                step,
                lambda c: self.classes(c[0][1]),
                lambda c: len(c[0][1]),
                limit,
                lambda c: not c[0][1],
            )
        except _TooMany:
            return None
        if not graph.complete:
            return None
        cost = graph.cost(self.target)
        cyclic = _on_cycles(graph.edges)
        pending = [not c[1] for c in graph.configurations]
        failing: int | None = None
        if not any(p and c for p, c in zip(pending, cyclic)):
            # the longest run of configurations before success: the most a failing attempt does
            longest = [0] * len(graph.configurations)
            for node in reversed(_topological(graph.edges, pending)):
                after = [longest[t] for t in graph.edges[node] if pending[t]]
                longest[node] = graph.weights[node] + max(after, default=0)
            failing = longest[0]
        return _Single(cost.rate, cost.once, failing, cost.configurations)

    def search_graph(self, limit: int, saturate: bool = False) -> _Graph:
        """Every start position's attempts at once. ``saturate``: more than CAP paths are cut
        there instead of ending the exploration (to look for attack strings)."""

        def configuration(attempts: list[_Attempt], searching: bool) -> _Search:
            if sum(len(threads) for _, threads in attempts) > CAP:
                if not saturate:
                    raise _TooMany
                kept: list[_Attempt] = []
                room = CAP + 1
                for term, threads in attempts:
                    kept.append((term, threads[:room]))
                    room -= len(kept[-1][1])
                    if room <= 0:
                        break
                attempts = kept
            return tuple(attempts), searching

        def step(configuration_: _Search, point: int, first: bool) -> object:
            attempts, searching = configuration_
            following: list[_Attempt] = []
            for number, attempt in enumerate(attempts):
                advanced, sure = self.advance(attempt, point, first and number == 0)
                if advanced[1] or sure:
                    following.append(advanced)
                if sure:  # no attempt after this one is ever made
                    return configuration(following, False)
            if searching:
                attempt, sure = self.begin(False)
                following.append(attempt)
                searching = not sure
            return configuration([a for a in following if a[1]], searching)

        def weight(configuration_: _Search) -> int:
            attempts, searching = configuration_
            return sum(len(threads) for _, threads in attempts) + searching

        try:
            attempt, sure = self.begin(True)
            start = configuration([attempt], not sure)
            return _explore(
                start,
                step,
                lambda c: self.classes(k for _, threads in c[0] for k in threads),
                weight,
                limit,
                lambda c: False,
            )
        except _TooMany:
            return _Graph([], [], [], [], False)


def _explore(
    start: Any,
    step: Callable[[Any, int, bool], Any],
    classes: Callable[[Any], list[int]],
    weight: Callable[[Any], int],
    limit: int,
    final: Callable[[Any], bool],
) -> _Graph:
    """Breadth-first over configurations (``final`` ones have no successors); incomplete when
    more than ``limit`` configurations turn up."""
    index = {start: 0}
    graph = _Graph([start], [weight(start)], [], [(-1, -1)], True)
    i = 0
    while i < len(graph.configurations):
        current = graph.configurations[i]
        successors: dict[int, int] = {}
        if not final(current):
            for point in classes(current):
                following = step(current, point, i == 0)
                number = index.get(following)
                if number is None:
                    if len(graph.configurations) >= limit:
                        graph.edges.append(successors)
                        graph.complete = False
                        return graph
                    number = index[following] = len(graph.configurations)
                    graph.configurations.append(following)
                    graph.weights.append(weight(following))
                    graph.parents.append((i, point))
                successors.setdefault(number, point)
        graph.edges.append(successors)
        i += 1
    return graph


def _contains(ranges: Ranges, point: int) -> bool:
    i = bisect_right(ranges, (point, MAX_CODE_POINT)) - 1
    return i >= 0 and ranges[i][1] >= point


def _topological(edges: Sequence[Mapping[int, int]], keep: list[bool]) -> list[int]:
    """The nodes kept, in an order where each comes before those it leads to (kept ones)."""
    order: list[int] = []
    seen = [False] * len(edges)
    for root in range(len(edges)):
        if seen[root] or not keep[root]:
            continue
        seen[root] = True
        work = [(root, iter(edges[root]))]
        while work:
            node, it = work[-1]
            for nxt in it:
                if keep[nxt] and not seen[nxt]:
                    seen[nxt] = True
                    work.append((nxt, iter(edges[nxt])))
                    break
            else:
                work.pop()
                order.append(node)
    order.reverse()
    return order


def _on_cycles(edges: Sequence[Mapping[int, int]]) -> list[bool]:
    """Which nodes lie on a cycle."""
    cyclic = [False] * len(edges)
    for component in _cycles(edges):
        for node in component:
            cyclic[node] = True
    return cyclic


def _heaviest_mean(
    component: list[int], edges: Sequence[Mapping[int, int]], weights: list[int], target: float
) -> float:
    """The largest mean weight of a cycle inside ``component`` (Karp's algorithm); its largest
    weight (a bound all the same) when that is at most ``target`` or the component is too big
    for Karp's algorithm."""
    heaviest = max(weights[node] for node in component)
    if heaviest <= target:
        return float(heaviest)
    inside = set(component)
    arcs = [(u, v) for u in component for v in edges[u] if v in inside]
    n = len(component)
    if n * len(arcs) > _KARP_WORK:
        return float(heaviest)
    local = {node: i for i, node in enumerate(component)}
    pairs = [(local[u], local[v], weights[u]) for u, v in arcs]
    minus = float("-inf")
    table = [[0.0] * n]  # table[k][v]: the heaviest walk of k arcs ending at v
    for _ in range(n):
        row = [minus] * n
        before = table[-1]
        for u, v, w in pairs:
            if before[u] != minus and before[u] + w > row[v]:
                row[v] = before[u] + w
        table.append(row)
    best = minus
    for v in range(n):
        if table[n][v] == minus:
            continue
        worst = min(
            (table[n][v] - table[k][v]) / (n - k) for k in range(n) if table[k][v] != minus
        )
        best = max(best, worst)
    return best if best != minus else float(heaviest)


def _cycles(edges: Sequence[Mapping[int, int]]) -> list[list[int]]:
    """The strongly connected components that hold a cycle (Tarjan's, iteratively)."""
    n = len(edges)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if index[nxt] == -1:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = True
                    work.append((nxt, iter(edges[nxt])))
                    advanced = True
                    break
                if on_stack[nxt]:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    found.append(component)
    return found


# -- attack strings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attack:
    """An input shape that drives ``re`` towards the model's worst case: ``prefix`` reaches a
    configuration with many paths alive, ``pump`` (repeated) keeps it there, and a suffix
    makes every path fail at the end (so that ``re`` explores them all)."""

    prefix: str
    pump: str
    suffixes: tuple[str, ...]

    def build(self, length: int) -> list[str]:
        """The attack strings of about ``length`` characters (one per suffix)."""
        if not self.pump:
            return [(self.prefix + suffix)[:length] for suffix in self.suffixes]
        count = max(1, (length - len(self.prefix) - 1) // len(self.pump))
        body = self.prefix + self.pump * count
        return [body[: max(length - len(suffix), 0)] + suffix for suffix in self.suffixes]


_SUFFIXES = ("", "\x00", "!", "\n", " ", "~", "\uffff")


def attacks(pattern: str, count: int = 4, max_configurations: int = 4000) -> list[Attack]:
    """Up to ``count`` attack shapes for ``pattern``, heaviest first: read from the
    configurations of the backtracking model with the most paths alive (see :class:`Attack`)."""
    model = _Model(parse(pattern))
    graph = model.search_graph(max_configurations, saturate=True)
    if not graph.configurations:
        return []
    weights = graph.weights
    cyclic = _on_cycles(graph.edges) if graph.complete else [True] * len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-weights[i] * (2 if cyclic[i] else 1), i))
    found: list[Attack] = []
    for target in order[: count * 4]:
        prefix = _path(graph, target)
        pump = _cycle(graph, target) or prefix[-1:]
        attack = Attack(prefix, pump, _SUFFIXES)
        if attack not in found:
            found.append(attack)
        if len(found) == count:
            break
    return found


def _path(graph: _Graph, target: int) -> str:
    chars: list[str] = []
    while target > 0:
        target, point = graph.parents[target]
        chars.append(chr(point))
    return "".join(reversed(chars))


def _cycle(graph: _Graph, node: int) -> str:
    """The characters of a shortest cycle from ``node`` back to itself, or ''."""
    previous: dict[int, tuple[int, int]] = {}
    queue = [node]
    while queue:
        current = queue.pop(0)
        for nxt, point in graph.edges[current].items() if current < len(graph.edges) else ():
            if nxt == node:
                chars = [chr(point)]
                while current != node:
                    current, p = previous[current]
                    chars.append(chr(p))
                return "".join(reversed(chars))
            if nxt not in previous:
                previous[nxt] = (current, point)
                queue.append(nxt)
    return ""
