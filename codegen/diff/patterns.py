"""Pattern changes classified by what the patterns accept, not by their text.

A member's pattern is read as botocore's validators and AWS read it: Java syntax, translated to
its portable form exactly as the importer translates it (:func:`codegen.regexes.enforceable`,
Unicode categories spelled out as code-point ranges), and *search* semantics (a value conforms
when the pattern matches somewhere in it: unanchored unless ``^``/``$``). Two patterns are then
two regular languages: each becomes the minimal DFA of its search language
(:func:`codegen.automata.dfa`, built once per pattern), and a breadth-first walk of their
product finds a shortest value each accepts and the other refuses, if any (the emptiness
checks of :func:`codegen.automata.relation`, in one walk that stops when both are found and
never minimizes the product):

* the same strings: ``EquivalentPattern`` (no API change; documentation-level);
* the new one accepts a superset: ``RelaxedPattern`` (non-breaking in requests, dangerous in
  responses), with a witness the new pattern accepts and the old one refuses;
* a subset: ``TightenedPattern`` (breaking in requests, non-breaking in responses), with a
  witness the old pattern accepts and the new one refuses;
* neither: ``ChangedPattern`` as before, with a witness each way.

Each pair is bounded: :data:`MAX_STATES` states per automaton, 8 x :data:`MAX_STATES` pairs in
the product, :data:`TIME_BOUND` seconds of processor time (not wall-clock time, so that a busy
machine decides nearly the same pairs); a pair that cannot be decided - a pattern the
importer cannot translate, a back-reference or another construct the automata do not model, a
bound hit - stays ``ChangedPattern`` and says why (:attr:`PatternComparison.reason`), and the
report counts those in its notes (:func:`undecided_note`).

Verdicts are cached per distinct pair of pattern texts, in memory (a release repeats the same
pattern change in many shapes and operations: one run decides each pair once) and on disk
(``$APIGEN_CACHE_DIR/patterns/``: the next diff over the same releases decides none again). A
disk entry is keyed by both patterns, the bounds and a digest of the deciding modules' source
(this one, :mod:`codegen.automata`, :mod:`codegen.regexes`) and the Python version, so that a
changed decision procedure never reuses an older verdict; it is written atomically (a
temporary file renamed into place), checked before use (its patterns, its fields' types) and a
damaged or unreadable one is decided again and rewritten. A verdict stopped by the time bound
is cached too: the bound is processor time, so a rerun would mostly give it again, and the
cache keeps reports of the same releases the same. A cache that cannot be written only costs
time. :data:`DECISIONS` counts the pairs decided (not read from a cache) in this process.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from codegen import automata, regexes
from codegen.regexes import enforceable

Verdict = Literal["equal", "relaxed", "tightened", "neither", "undecided"]

MAX_STATES = 2048  # per automaton (8 x as many pairs in a product)
TIME_BOUND = 2.0  # seconds of processor time per pair

RULE_OF: dict[Verdict, str] = {
    "equal": "EquivalentPattern",
    "relaxed": "RelaxedPattern",
    "tightened": "TightenedPattern",
    "neither": "ChangedPattern",
    "undecided": "ChangedPattern",
}


@dataclass(frozen=True)
class PatternComparison:
    """How a new pattern relates to the old one, as sets of accepted values.

    ``only_old``: a value the old pattern accepts and the new one refuses (None if there is
    none, or when undecided); ``only_new``: the other way. ``reason`` says why a pair is
    undecided (empty otherwise)."""

    verdict: Verdict
    only_old: str | None = None
    only_new: str | None = None
    reason: str = ""

    @property
    def rule(self) -> str:
        return RULE_OF[self.verdict]

    def describe(self) -> str:
        """The message suffix: what the comparison found, with its witnesses."""
        if self.verdict == "equal":
            return "accepts the same values"
        if self.verdict == "relaxed":
            return f"looser: now also accepts {self.only_new!r}"
        if self.verdict == "tightened":
            return f"tighter: no longer accepts {self.only_old!r}"
        if self.verdict == "neither":
            return f"now accepts {self.only_new!r}, no longer accepts {self.only_old!r}"
        return f"not compared as languages: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "comparison": self.verdict,
            "onlyOld": self.only_old,
            "onlyNew": self.only_new,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


def compare_patterns(old: str, new: str) -> PatternComparison:
    """``old`` and ``new`` (botocore/spec patterns) compared as the values they accept."""
    return _compare(old, new, MAX_STATES, TIME_BOUND)


# pairs decided in this process (a verdict read from the disk cache is not counted)
DECISIONS = Counter[str]()


@lru_cache(maxsize=8192)
def _compare(old: str, new: str, max_states: int, time_bound: float) -> PatternComparison:
    """The verdict on a pair: from memory (this cache), from disk, or decided and stored."""
    path = _entry_path(old, new, max_states, time_bound)
    found = _read_entry(path, old, new)
    if found is not None:
        return found
    made = _decide(old, new, max_states, time_bound)
    _write_entry(path, old, new, made)
    return made


def forget() -> None:
    """Forget every verdict and automaton held in memory (the disk cache stays)."""
    _compare.cache_clear()
    _DFAS.clear()


def _decide(old: str, new: str, max_states: int, time_bound: float) -> PatternComparison:
    DECISIONS["pairs"] += 1
    sides = {"old": enforceable(old), "new": enforceable(new)}
    missing = [side for side, portable in sides.items() if portable is None]
    if missing:
        return PatternComparison(
            "undecided", reason=f"untranslatable ({' and '.join(missing)} pattern)"
        )
    a, b = sides["old"], sides["new"]
    assert a is not None and b is not None
    if a == b:
        return PatternComparison("equal")
    deadline = time.process_time() + time_bound
    try:
        only_old, only_new = _separate(
            _dfa(a, max_states, deadline), _dfa(b, max_states, deadline), max_states, deadline
        )
    except automata.TooSlow:
        return PatternComparison("undecided", reason=f"time bound ({time_bound:g} s)")
    except automata.TooLarge:
        return PatternComparison("undecided", reason=f"state bound ({max_states} states)")
    except automata.Unsupported as exc:
        return PatternComparison("undecided", reason=f"unsupported construct ({_construct(exc)})")
    except RecursionError:
        return PatternComparison("undecided", reason="nesting too deep")
    verdict: Verdict = (
        ("equal" if only_new is None else "relaxed")
        if only_old is None
        else ("tightened" if only_new is None else "neither")
    )
    return PatternComparison(verdict, only_old, only_new)


def _dfa(portable: str, max_states: int, deadline: float) -> automata.Dfa:
    """The pattern's automaton, built once per pattern (a pattern is in several pairs; one
    that could not be built within the bounds is not tried again)."""
    key = (portable, max_states)
    built = _DFAS.get(key)
    if built is None:
        if len(_DFAS) >= 4096:
            _DFAS.clear()
        try:
            built = automata.dfa(portable, max_states, deadline=deadline)
        except (automata.TooLarge, automata.Unsupported, RecursionError) as exc:
            built = exc
        _DFAS[key] = built
    if isinstance(built, BaseException):
        raise built
    return built


_DFAS: dict[tuple[str, int], automata.Dfa | BaseException] = {}


def _separate(
    a: automata.Dfa, b: automata.Dfa, max_pairs: int, deadline: float
) -> tuple[str | None, str | None]:
    """A shortest value ``a`` accepts and ``b`` refuses, and one the other way (None where
    there is none): a breadth-first walk of the product automaton's reachable pairs (never
    minimized: only reachability matters), stopped as soon as both are found. At most
    ``max_pairs`` x 8 pairs; :class:`~codegen.automata.TooSlow` past ``deadline``."""
    if time.process_time() >= deadline:
        raise automata.TooSlow("past the time bound before the product")
    points = sorted(set(a.bounds) | set(b.bounds))
    ca = [bisect_right(a.bounds, p) - 1 for p in points]
    cb = [bisect_right(b.bounds, p) - 1 for p in points]
    chars = [_representative(points, k) for k in range(len(points))]
    limit = max_pairs * 8
    previous: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {(0, 0): None}
    queue: deque[tuple[int, int]] = deque([(0, 0)])
    found: dict[bool, tuple[int, int]] = {}  # True: only a accepts; False: only b

    def path(pair: tuple[int, int]) -> str:
        out: list[str] = []
        step = previous[pair]
        while step is not None:
            pair, k = step
            out.append(chars[k])
            step = previous[pair]
        return "".join(reversed(out))

    while queue and len(found) < 2:
        pair = queue.popleft()
        sa, sb = pair
        if a.accepting[sa] != b.accepting[sb] and a.accepting[sa] not in found:
            found[a.accepting[sa]] = pair
        if len(previous) % 256 == 0 and time.process_time() >= deadline:
            raise automata.TooSlow("past the time bound in the product")
        ra, rb = a.delta[sa], b.delta[sb]
        for k in range(len(points)):
            target = (ra[ca[k]], rb[cb[k]])
            if target not in previous:
                if len(previous) >= limit:
                    raise automata.TooLarge(f"more than {limit} product states")
                previous[target] = (pair, k)
                queue.append(target)
    only_a = path(found[True]) if True in found else None
    only_b = path(found[False]) if False in found else None
    return only_a, only_b


def _representative(points: list[int], k: int) -> str:
    """A character of the ``k``-th class: printable ASCII when it holds one, else its first."""
    lo = points[k]
    hi = points[k + 1] - 1 if k + 1 < len(points) else automata.MAX_CODE_POINT
    for preferred in range(0x21, 0x7F):
        if lo <= preferred <= hi:
            return chr(preferred)
    return chr(lo)


def _construct(exc: automata.Unsupported) -> str:
    text = str(exc)
    if "back-reference" in text:
        return "back-reference"
    if "look-around" in text:
        return "look-around inside a look-behind"
    return text.split(": ")[-1] if len(text) > 60 else text


def undecided_note(reasons: Iterable[tuple[str, str, str]]) -> str | None:
    """The report's note on undecided pattern pairs: ``reasons`` holds (old, new, reason) for
    each change left ``ChangedPattern`` because it could not be decided."""
    items = list(reasons)
    if not items:
        return None
    pairs = {(old, new): reason for old, new, reason in items}
    why = Counter(pairs.values())
    detail = ", ".join(f"{n} {reason}" for reason, n in sorted(why.items(), key=lambda i: -i[1]))
    return (
        f"{len(items)} pattern change(s) ({len(pairs)} distinct pattern pair(s)) could not be "
        f"compared as languages and are reported as ChangedPattern: {detail}"
    )


# -- the disk cache of verdicts -----------------------------------------------------------------

_VERDICTS = frozenset(get_args(Verdict))
_folder: list[Path] = []  # set by verdict_cache(): another folder than the apigen cache's


@contextmanager
def verdict_cache(folder: Path) -> Iterator[None]:
    """Keep verdicts in ``folder`` instead of ``$APIGEN_CACHE_DIR/patterns/`` meanwhile (a
    benchmark's cold runs, tests); what is in memory is forgotten on entry and on exit."""
    forget()
    _folder.append(folder)
    try:
        yield
    finally:
        _folder.pop()
        forget()


def cache_folder() -> Path | None:
    """Where verdicts are kept on disk (None: nowhere to keep them)."""
    if _folder:
        return _folder[-1]
    from codegen.bridge.releases import cache_root

    try:
        return cache_root() / "patterns"
    except RuntimeError:  # no home folder to cache in
        return None


@cache
def _deciders_key() -> str:
    """What a verdict depends on besides the pair and the bounds: the source of the modules that
    decide it and the Python version."""
    digest = hashlib.sha256(f"{sys.version_info[0]}.{sys.version_info[1]}".encode())
    for module in (automata, regexes, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def _entry_path(old: str, new: str, max_states: int, time_bound: float) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    text = f"{_deciders_key()}\0{max_states}\0{time_bound!r}\0{old}\0{new}"
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return folder / key[:2] / f"{key}.json"


def _read_entry(path: Path | None, old: str, new: str) -> PatternComparison | None:
    """The entry's verdict, or None when there is none or it is damaged in any way."""
    if path is None:
        return None
    try:
        entry = json.loads(path.read_bytes().decode("ascii"))
        fields = (entry["onlyOld"], entry["onlyNew"])
        if not (
            entry["old"] == old
            and entry["new"] == new
            and entry["verdict"] in _VERDICTS
            and all(f is None or isinstance(f, str) for f in fields)
            and isinstance(entry["reason"], str)
        ):
            return None
        return PatternComparison(entry["verdict"], fields[0], fields[1], entry["reason"])
    except (OSError, ValueError, TypeError, KeyError):  # absent, not JSON, not an object
        return None


def _write_entry(path: Path | None, old: str, new: str, made: PatternComparison) -> None:
    if path is None:
        return
    entry = {
        "old": old,
        "new": new,
        "verdict": made.verdict,
        "onlyOld": made.only_old,
        "onlyNew": made.only_new,
        "reason": made.reason,
    }
    try:  # a cache that cannot be written only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(json.dumps(entry, ensure_ascii=True).encode("ascii"))
        tmp.replace(path)
    except OSError:
        pass
