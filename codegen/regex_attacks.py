"""Adversarial inputs for a pattern's matcher, and how its time grows with their length.

Used by ``tools/regex_worst_case.py`` (every pattern of a botocore release) and by the tests
that hold generated matchers to linear time. Candidates come from four places:

* for a pattern matched by its automaton (``_Dfa``), a walk that never reaches a sink
  (:func:`live`): the runtime stops reading at a sink, so that is its slowest input;

* the backtracking model's heaviest configurations (:func:`codegen.backtracking.attacks`): a
  prefix that reaches many paths alive at once, a pump that keeps them alive, a suffix that
  makes every one fail (``re`` then explores them all);
* the pattern's own example values (:func:`codegen.regexes.examples`), stretched by repeating
  their characters, with a suffix appended (a near match is what backtracking fears most);
* values stitched from the pattern's own matches (:func:`stitched`): prefixes of matches, each
  followed by a run of its last character, one after another. They target ``_Lazy``, whose
  cost is the states a value makes: a new start while a counted repeat of an earlier one is
  still counting makes a state for each count at which it comes (pcs' ``InstanceProfileArn``:
  ``...instance-profile/([!-~]{1,510}/)?...``, an ``arn:`` at every offset from the last
  ``/``), and a repeat of a group unrolled into copies keeps many copies alive
  (resiliencehub's ``(([^/][!-~]+/){1,511})?``). Unlike the others they are made again at any
  length (:func:`grown`), not stretched: a stretched run of one character makes no new states;
* hill climbing: the slowest so far, mutated (a character replaced, inserted or removed, a
  stretch repeated), kept when it is slower.

Times are the best of a few runs (a loaded machine only ever adds time).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from codegen import automata, backtracking, regex_safety
from codegen.regexes import examples, random_match

Search = Callable[[str], object]


@dataclass(frozen=True)
class Worst:
    """The slowest input found: its time (seconds, best of ``repeat`` runs) and the input."""

    seconds: float
    text: str


def timed(search: Search, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        search(text)
        best = min(best, time.perf_counter() - start)
    return best


def candidates(pattern: str, length: int, *, model: bool = True) -> list[str]:
    """Attack strings of about ``length`` characters for the portable ``pattern``; without
    the backtracking model's (``model`` False: they target ``re``'s paths, which an automaton
    does not have, and exploring the model can take seconds on the patterns it cannot bound)."""
    out: list[str] = []
    walk = live(pattern, length)
    if walk is not None:
        out.append(walk)
    for attack in _attacks(pattern) if model else ():
        out += attack.build(length)
    for example in examples(pattern, limit=min(length, 256))[:4]:
        if not example:
            continue
        for suffix in ("", "\x00", "!", "\n"):
            out.append(_stretch(example, length - len(suffix)) + suffix)
    for filler in ("a", " ", "0", "-", "\t"):
        out.append(filler * (length - 1) + "!")
    out += grown(pattern, length)
    seen: set[str] = set()
    return [t for t in out if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]


def live(pattern: str, length: int) -> str | None:
    """For a pattern the generated code matches with its automaton (``_Dfa``): an input of
    ``length`` characters that keeps the automaton out of both its sinks to the end (the
    runtime's loop stops at a sink), so the slowest there is; None when the pattern is on
    ``re``, or when every input reaches a sink within as many characters as there are states.
    A path from the start to a cycle of live states, then the cycle repeated."""
    try:
        table = regex_safety.plan(pattern).table
    except regex_safety.TooComplex:
        return None
    if table is None:
        return None
    step = 1 + table.class_width
    char_of: dict[int, str] = {}
    for i in range(0, len(table.ranges), step):
        char_of.setdefault(int(table.ranges[i + 1 : i + step], 36), table.ranges[i])
    width = table.state_width

    def edges(state: int) -> list[tuple[str, int]]:
        body = table.rows[state].removesuffix("+")
        targets = (int(body[i : i + width], 36) for i in range(0, len(body), width))
        return [(char_of[cls], t) for cls, t in enumerate(targets) if t >= 2]

    # depth first from the start (state 2) over live states, to the first edge back into the
    # current path: the path's characters up to that state, then the cycle
    stack = [iter(edges(2))]
    depth = {2: 0}
    chars: list[str] = []  # chars[d] leads from the path's state d to its state d + 1
    path = [2]
    while stack:
        for char, target in stack[-1]:
            if target in depth and depth[target] >= 0:
                start = depth[target]
                cycle = "".join(chars[start:]) + char
                prefix = "".join(chars[:start])
                repeats = max(0, length - len(prefix)) // len(cycle) + 1
                walk = (prefix + cycle * repeats)[:length]
                return walk[::-1] if table.reverse else walk  # a reversed automaton reads it so
            if target not in depth:
                depth[target] = len(path)
                path.append(target)
                chars.append(char)
                stack.append(iter(edges(target)))
                break
        else:
            stack.pop()
            depth[path.pop()] = -1  # done: on no current path
            if chars:
                chars.pop()
    return None


STITCHED_SEEDS = 3  # values of random pieces tried at each length
OFFSET_MATCHES = 2  # matches whose prefixes are repeated at every offset
OFFSET_CUTS = 4  # prefixes of each: cut after its first and its last punctuation characters


@dataclass(frozen=True)
class Stitch:
    """How to stitch a value from a pattern's matches (:func:`stitched`), at any length:
    ``seed`` for random pieces, or, with ``match`` set, the prefix of that match (of its
    first ``cut`` characters) repeated, followed by ``filler`` once more each time."""

    seed: int = 0
    match: int | None = None
    cut: int = 0
    filler: str = ""


def stitches(pattern: str) -> list[Stitch]:
    """Every way :func:`stitched` makes values of the portable ``pattern`` (none when no match
    is known): random pieces, and each of the first matches cut after each of its first
    punctuation characters and each of its last (where a new part, often a counted one,
    begins), followed by a
    run of ``!`` (punctuation most classes of an identifier leave out, so the run seldom
    completes a match) or of the character before the cut."""
    matches = _matches(pattern)
    if not matches:
        return []
    out = [Stitch(seed) for seed in range(STITCHED_SEEDS)]
    for which, match in enumerate(matches[:OFFSET_MATCHES]):
        cuts = [i + 1 for i, char in enumerate(match[:-1]) if not char.isalnum()]
        cuts = list(dict.fromkeys(cuts[:OFFSET_CUTS] + cuts[-OFFSET_CUTS:]))
        for cut in cuts:
            for filler in dict.fromkeys(("!", match[cut - 1])):
                out.append(Stitch(match=which, cut=cut, filler=filler))
    return out


def grown(pattern: str, length: int) -> list[str]:
    """Every stitched value of ``length`` characters (:func:`stitches`)."""
    return [stitched(pattern, length, how) for how in stitches(pattern)]


def stitched(pattern: str, length: int, how: Stitch) -> str:
    """A value of ``length`` characters stitched from the portable ``pattern``'s matches as
    ``how`` says, a NUL last (few patterns match one, so every start is tried to the end).
    Random pieces: a prefix of a random match cut at random, then a run of its last character
    of a random length (up to 600). Otherwise the same prefix again and again, each time
    followed by one more ``filler``: a new start comes at every offset from where a counted
    repeat of the one before began counting, each a new state of ``_Lazy``."""
    matches = _matches(pattern)
    if not matches or length < 1:
        return "\x00"[:length]
    rng = random.Random(how.seed)
    pieces: list[str] = []
    total = 0
    run = 0
    while total < length - 1:
        if how.match is None:
            match = matches[rng.randrange(len(matches))]
            cut = rng.randint(1, len(match))
            piece = match[:cut] + match[cut - 1] * rng.randint(0, 600)
        else:
            run += 1
            piece = matches[how.match][: how.cut] + how.filler * run
        pieces.append(piece)
        total += len(piece)
    return "".join(pieces)[: length - 1] + "\x00"


@lru_cache(maxsize=64)
def _matches(pattern: str) -> tuple[str, ...]:
    """Up to 24 distinct non-empty matches of ``pattern``: its example values, then random
    ones of a few sizes."""
    found = [e for e in examples(pattern, limit=64) if e][:16]
    rng = random.Random(0)
    for _ in range(16):
        made = random_match(pattern, size=rng.randint(5, 60))
        if made:
            found.append(made)
    return tuple(dict.fromkeys(found))[:24]


@lru_cache(maxsize=64)
def _attacks(pattern: str) -> tuple[backtracking.Attack, ...]:
    """The model's attacks on ``pattern`` (the same at every length: searches at two lengths
    explore the model once)."""
    try:
        return tuple(backtracking.attacks(pattern))
    except automata.Unsupported:
        return ()


def _stretch(example: str, length: int) -> str:
    """``example`` made ``length`` long by repeating its middle character."""
    if len(example) >= length or length <= 0:
        return example[: max(length, 0)]
    middle = len(example) // 2
    return example[:middle] + example[middle] * (length - len(example)) + example[middle:]


def slowest(
    search: Search,
    pattern: str,
    length: int,
    *,
    rounds: int = 40,
    seed: int = 0,
    budget: float = 5.0,
    model: bool = True,
) -> Worst:
    """The slowest input of about ``length`` characters found for ``search`` (the matcher of
    the portable ``pattern``): the candidates (the backtracking model's attacks among them
    unless ``model`` is False), then ``rounds`` of hill climbing, within about ``budget``
    seconds."""
    deadline = time.perf_counter() + budget
    texts = candidates(pattern, length, model=model)
    found = [Worst(timed(search, text, 1), text) for text in texts]
    found.sort(key=lambda w: -w.seconds)
    best = max(
        (Worst(timed(search, w.text), w.text) for w in found[:4]),
        key=lambda w: w.seconds,
        default=Worst(0.0, ""),
    )
    rng = random.Random(seed)
    alphabet = _alphabet(pattern) if rounds else ""
    for _ in range(rounds):
        if time.perf_counter() > deadline or not best.text:
            break
        text = _mutate(best.text, alphabet, rng)[: max(length, 1)]
        seconds = timed(search, text, 1)
        if seconds > best.seconds:
            seconds = timed(search, text)
            if seconds > best.seconds:
                best = Worst(seconds, text)
    return best


def _alphabet(pattern: str) -> str:
    """Characters worth trying: one of each class the pattern tells apart, and a few more."""
    chars = set("a A0-_.:/ \t\n!\x00")
    try:
        dfa = automata.dfa(pattern, 2000)
        chars.update(chr(b) for b in dfa.bounds[:200])
    except (automata.TooLarge, automata.Unsupported):
        pass
    return "".join(sorted(chars))


def _mutate(text: str, alphabet: str, rng: random.Random) -> str:
    where = rng.randrange(len(text) + 1)
    kind = rng.randrange(4)
    char = rng.choice(alphabet)
    if kind == 0 and text:
        return text[: min(where, len(text) - 1)] + char + text[min(where, len(text) - 1) + 1 :]
    if kind == 1:
        return text[:where] + char + text[where:]
    if kind == 2 and text:
        return text[:where] + text[where + 1 :]
    span = text[where : where + rng.randrange(1, 8)]
    return text[:where] + span * rng.randrange(2, 6) + text[where:]


def growth(search: Search, text: str, factor: int = 4, repeat: int = 5) -> float:
    """How much longer ``search`` takes on ``text`` stretched ``factor`` times (its middle
    repeated) than on ``text``: about ``factor`` for a linear matcher."""
    short = timed(search, text, repeat)
    long = timed(search, _stretch(text, len(text) * factor), repeat)
    return long / max(short, 1e-9)
