"""Pattern changes classified by what the patterns accept, not by their text.

A member's pattern is read as botocore's validators and AWS read it: Java syntax, translated to
its portable form exactly as the importer translates it (:func:`codegen.regexes.enforceable`,
Unicode categories spelled out as code-point ranges), and *search* semantics (a value conforms
when the pattern matches somewhere in it: unanchored unless ``^``/``$``). Two patterns are then
two regular languages, compared by :func:`codegen.automata.relation` (minimal DFAs of the
search languages, a product construction and an emptiness check):

* the same strings: ``EquivalentPattern`` (no API change; documentation-level);
* the new one accepts a superset: ``RelaxedPattern`` (non-breaking in requests, dangerous in
  responses), with a witness the new pattern accepts and the old one refuses;
* a subset: ``TightenedPattern`` (breaking in requests, non-breaking in responses), with a
  witness the old pattern accepts and the new one refuses;
* neither: ``ChangedPattern`` as before, with a witness each way.

Each pair is bounded (:data:`MAX_STATES` states per automaton and per product,
:data:`TIME_BOUND` seconds of construction); a pair that cannot be decided - a pattern the
importer cannot translate, a back-reference or another construct the automata do not model, a
bound hit - stays ``ChangedPattern`` and says why (:attr:`PatternComparison.reason`), and the
report counts those in its notes (:func:`undecided_note`). Verdicts are cached per distinct pair
of pattern texts: a release repeats the same pattern change in many shapes and operations.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from codegen import automata
from codegen.regexes import enforceable

Verdict = Literal["equal", "relaxed", "tightened", "neither", "undecided"]

MAX_STATES = 2048  # per automaton and per product
TIME_BOUND = 2.0  # seconds per pair

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


@lru_cache(maxsize=8192)
def _compare(old: str, new: str, max_states: int, time_bound: float) -> PatternComparison:
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
    deadline = time.monotonic() + time_bound
    try:
        found = automata.relation(a, b, max_states, deadline=deadline)
    except automata.TooSlow:
        return PatternComparison("undecided", reason=f"time bound ({time_bound:g} s)")
    except automata.TooLarge:
        return PatternComparison("undecided", reason=f"state bound ({max_states} states)")
    except automata.Unsupported as exc:
        return PatternComparison("undecided", reason=f"unsupported construct ({_construct(exc)})")
    except RecursionError:
        return PatternComparison("undecided", reason="nesting too deep")
    verdict: Verdict = {
        automata.Relation.EQUAL: "equal",
        automata.Relation.SUBSET: "relaxed",  # old is a subset of new
        automata.Relation.SUPERSET: "tightened",
        automata.Relation.NEITHER: "neither",
    }[found.relation]  # type: ignore[assignment]
    return PatternComparison(verdict, found.only_first, found.only_second)


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
