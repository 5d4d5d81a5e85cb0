#!/usr/bin/env python3
"""How a release range's pattern changes are classified, and what comparing them costs.

    .venv/bin/python tools/pattern_changes.py [OLD NEW] [--repeat N]

OLD and NEW are diff sources as ``apigen diff`` takes them (default ``botocore:1.40.56``
``botocore:installed``; releases are fetched into the cache first). The whole range is diffed
(every service, documentation elided as ``apigen diff`` does without ``--details``) in turns:

* without the comparison: every changed pattern is ``ChangedPattern`` (the engine's
  :func:`~codegen.diff.patterns.compare_patterns` replaced by a constant verdict, as before
  issue 20);
* with it (cold: an empty cache of verdicts, in memory and on disk, so each distinct pair is
  compared once).

It prints both times (the best of ``--repeat`` turns) and their ratio, then, as markdown for
docs/api-diffs.md: per class, the distinct (old, new) pattern pairs and the places (operation,
direction, member path) they are reported at, by severity; why undecided pairs were not decided;
the cost per distinct pair (total, median, slowest); and how many request places that were
reported breaking no longer are.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codegen.diff import engine, parse_source
from codegen.diff.engine import Change
from codegen.diff.patterns import PatternComparison, compare_patterns, verdict_cache
from codegen.diff.report import DiffRun

CLASSES = ("equal", "relaxed", "tightened", "neither", "undecided")


def run(old: str, new: str) -> tuple[float, float, list[Change]]:
    """One whole diff: its time, its processor time and its pattern changes (both sides
    given)."""
    start, cpu = time.perf_counter(), time.process_time()
    found: list[Change] = []
    diff = DiffRun(parse_source(old, "OLD"), parse_source(new, "NEW"), elide_docs=True)
    for service in diff.services():
        found.extend(c for c in service.changes if c.language is not None)
    return time.perf_counter() - start, time.process_time() - cpu, found


def _off(old: str, new: str) -> PatternComparison:
    return PatternComparison("undecided", reason="not compared")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?", default="botocore:1.40.56")
    parser.add_argument("new", nargs="?", default="botocore:installed")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for side in (args.old, args.new):  # fetch (untimed)
        source = parse_source(side, "OLD")
        if source.release is not None:
            source.release.services()

    without: list[tuple[float, float]] = []
    with_: list[tuple[float, float]] = []
    changes: list[Change] = []
    for _ in range(args.repeat):
        vars(engine)["compare_patterns"] = _off
        without.append(run(args.old, args.new)[:2])
        vars(engine)["compare_patterns"] = compare_patterns
        with tempfile.TemporaryDirectory() as folder, verdict_cache(Path(folder)):
            seconds, cpu, changes = run(args.old, args.new)
        with_.append((seconds, cpu))
    a, b = min(without), min(with_)
    print(f"diff {args.old} -> {args.new}, best of {args.repeat} (elapsed; processor):")
    print(f"  without the pattern comparison: {a[0]:.1f} s; {a[1]:.1f} s")
    print(
        f"  with it:                        {b[0]:.1f} s; {b[1]:.1f} s "
        f"(ratio {b[0] / a[0]:.2f}; {b[1] / a[1]:.2f})"
    )
    print()

    pairs: dict[tuple[str, str], str] = {}
    reasons: dict[tuple[str, str], str] = {}
    named: set[tuple[str, str]] = set()  # documented formats: old and new are format names
    places: Counter[tuple[str, str, str]] = Counter()
    for c in changes:
        assert c.language is not None
        verdict = str(c.language["comparison"])
        pairs[(str(c.old), str(c.new))] = verdict
        if c.subject.startswith("format"):
            named.add((str(c.old), str(c.new)))
        if verdict == "undecided":
            reasons[(str(c.old), str(c.new))] = str(c.language.get("reason", ""))
        places[(verdict, c.direction, c.severity)] += 1
    print("| Class | Rule | Distinct pattern pairs | Places | Request places (severity) |")
    print("| --- | --- | ---: | ---: | --- |")
    for verdict in CLASSES:
        n = sum(v == verdict for v in pairs.values())
        at = sum(k for (v, _, _), k in places.items() if v == verdict)
        request = ", ".join(
            f"{k} {sev}"
            for (v, d, sev), k in sorted(places.items())
            if v == verdict and d == "request"
        )
        rule = PatternComparison(verdict).rule  # type: ignore[arg-type]
        print(f"| {verdict} | `{rule}` | {n} | {at} | {request or '-'} |")
    total_at = sum(places.values())
    print(f"| all | | {len(pairs)} | {total_at} | |")
    print()
    why = Counter(reasons.values())
    share = len(reasons) / len(pairs) if pairs else 0.0
    print(f"Undecided: {len(reasons)} of {len(pairs)} distinct pairs ({share:.1%}):")
    for reason, n in why.most_common():
        print(f"- {n} {reason}")
    print()
    no_longer = sum(
        k for (v, d, sev), k in places.items() if d == "request" and v in ("equal", "relaxed")
    )
    print(f"Request places no longer reported breaking (equal or relaxed): {no_longer}")

    costs: list[float] = []
    with tempfile.TemporaryDirectory() as folder, verdict_cache(Path(folder)):  # cold
        for old, new in pairs:
            if (old, new) in named:
                continue
            start = time.process_time()
            compare_patterns(old, new)
            costs.append(time.process_time() - start)
    if costs:
        print(
            f"Processor time per distinct pair (cold): total {sum(costs):.1f} s, median "
            f"{statistics.median(costs) * 1000:.1f} ms, slowest {max(costs):.2f} s"
        )


if __name__ == "__main__":
    main()
