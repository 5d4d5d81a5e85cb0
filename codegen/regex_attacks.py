"""Adversarial inputs for a pattern's matcher, and how its time grows with their length.

Used by ``tools/regex_worst_case.py`` (every pattern of a botocore release) and by the tests
that hold generated matchers to linear time. Candidates come from three places:

* the backtracking model's heaviest configurations (:func:`codegen.backtracking.attacks`): a
  prefix that reaches many paths alive at once, a pump that keeps them alive, a suffix that
  makes every one fail (``re`` then explores them all);
* the pattern's own example values (:func:`codegen.regexes.examples`), stretched by repeating
  their characters, with a suffix appended (a near match is what backtracking fears most);
* hill climbing: the slowest so far, mutated (a character replaced, inserted or removed, a
  stretch repeated), kept when it is slower.

Times are the best of a few runs (a loaded machine only ever adds time).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from codegen import automata, backtracking
from codegen.regexes import examples

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


def candidates(pattern: str, length: int) -> list[str]:
    """Attack strings of about ``length`` characters for the portable ``pattern``."""
    out: list[str] = []
    try:
        for attack in backtracking.attacks(pattern):
            out += attack.build(length)
    except automata.Unsupported:
        pass
    for example in examples(pattern, limit=min(length, 256))[:4]:
        if not example:
            continue
        for suffix in ("", "\x00", "!", "\n"):
            out.append(_stretch(example, length - len(suffix)) + suffix)
    for filler in ("a", " ", "0", "-", "\t"):
        out.append(filler * (length - 1) + "!")
    seen: set[str] = set()
    return [t for t in out if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]


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
) -> Worst:
    """The slowest input of about ``length`` characters found for ``search`` (the matcher of
    the portable ``pattern``): the candidates, then ``rounds`` of hill climbing, within about
    ``budget`` seconds."""
    deadline = time.perf_counter() + budget
    found = [Worst(timed(search, text, 1), text) for text in candidates(pattern, length)]
    found.sort(key=lambda w: -w.seconds)
    best = max(
        (Worst(timed(search, w.text), w.text) for w in found[:4]),
        key=lambda w: w.seconds,
        default=Worst(0.0, ""),
    )
    rng = random.Random(seed)
    alphabet = _alphabet(pattern)
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
