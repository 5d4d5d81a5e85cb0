"""The worst-case time of every pattern's generated matcher, found by adversarial search.

    .venv/bin/python tools/regex_worst_case.py [--release installed] [--specs specs]
        [--jobs N] [--sample N] [--search N] [--rounds 30] [--budget 4]
        [--json report.json] [--top 15]

Takes every distinct pattern of every service of a botocore release (default: the installed
one) and of the specs under ``--specs`` (shape patterns, documented patterns, format patterns
and the patterns they reject), in the portable form the generators use. For each:

* its length limit: the largest ``max`` (or documented ``maxLength``) among the shapes that
  use it, or, for a shape without one, what the stub server accepts at most (its request body
  limit, 1 MiB);
* the matcher the generated code uses (:func:`codegen.regex_safety.matcher`: ``re`` when the
  backtracking model bounds its work linearly and cheaply, else the pattern's automaton);
* the slowest input found (:func:`codegen.regex_attacks.slowest`: attack strings from the
  backtracking model, stretched examples, then hill climbing) at ``min(limit, 4096)``
  characters and at a quarter of that (their ratio: about 4 when linear), then that input
  stretched to the full limit, timed (best of 3).

Prints the totals (patterns on ``re`` and on the automaton, any with neither), the patterns
with the slowest worst case at their limit, and the overall worst; ``--json`` writes every
pattern's result. Runs over ``--jobs`` processes (default: every core). A run over all of
botocore takes tens of minutes on two cores; ``--sample N`` takes N patterns at random.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codegen import regex_safety
from codegen.regex_attacks import slowest, timed
from codegen.regexes import enforceable

SERVER_LIMIT = 1 << 20  # codegen.server.app.MAX_BODY: the longest string a request can carry
SEARCH_LENGTH = 4096  # adversarial search at most this long; the worst is then stretched


@dataclass
class Use:
    pattern: str  # as the model or spec states it
    limit: int
    where: str


@dataclass
class Result:
    pattern: str
    portable: str
    where: str
    uses: int
    limit: int
    engine: str  # re, dfa, or "none" (too complex for either: kept on re, reported)
    rate: float | None  # the backtracking model's bound on re's steps per character
    decide_seconds: float
    searched: int  # length of the adversarial search
    worst_searched: float
    quarter: float  # the same search at a quarter of the length
    worst_at_limit: float
    worst_input: str  # shortened for the report


def botocore_uses(release_name: str) -> Iterator[Use]:
    from codegen.bridge.releases import resolve_release

    release = resolve_release(release_name)
    for service in release.services():
        model = release.load_model(service)
        for name, shape in model.get("shapes", {}).items():
            if shape.get("type") == "string" and "pattern" in shape:
                limit = int(shape["max"]) if "max" in shape else SERVER_LIMIT
                yield Use(shape["pattern"], limit, f"{service}/{name}")


def spec_uses(root: Path) -> Iterator[Use]:
    from codegen.loader import discover_specs, load_spec

    for path in discover_specs(root):
        spec = load_spec(path)
        model = spec.model()
        for fmt in model.formats.values():
            patterns = [fmt.pattern] if fmt.pattern else []
            patterns += [reject.pattern for reject in fmt.rejects]
            if fmt.fields is not None:
                patterns.append(fmt.fields.regex())
            for pattern in patterns:
                yield Use(pattern, SERVER_LIMIT, f"{path.name} format {fmt.name}")
        for shape in model.shapes.values():
            if shape.pattern:
                limit = int(shape.max) if shape.max is not None else SERVER_LIMIT
                yield Use(shape.pattern, limit, f"{path.name} shape {shape.name}")
            for member in shape.members.values():
                doc = member.documented
                if doc.pattern:
                    limit = int(doc.max_length) if doc.max_length is not None else SERVER_LIMIT
                    yield Use(doc.pattern, limit, f"{path.name} {shape.name}.{member.name}")


def decide(portable: str) -> tuple[str, float | None, float]:
    """The matcher the generated code uses for ``portable``: (engine, re rate, seconds taken)."""
    started = time.perf_counter()
    try:
        plan = regex_safety.plan(portable)
        engine, rate = plan.engine, plan.rate
    except regex_safety.TooComplex:
        engine, rate = "none", None
    return engine, rate, time.perf_counter() - started


def measure(
    pattern: str,
    portable: str,
    limit: int,
    where: str,
    uses: int,
    rounds: int = 30,
    budget: float = 4.0,
) -> Result:
    engine, rate, decided = decide(portable)
    search = regex_safety.matcher(portable).search
    length = min(limit, SEARCH_LENGTH)
    worst = slowest(search, portable, length, rounds=rounds, budget=budget)
    quarter = slowest(search, portable, max(1, length // 4), rounds=rounds // 3, budget=budget / 2)
    text = worst.text
    if limit > length and text:
        middle = len(text) // 2
        text = text[:middle] + text[middle] * (limit - len(text)) + text[middle:]
    # best of 3, or of 1 for a megabyte (noise is small next to its time)
    at_limit = timed(search, text[:limit], 3 if limit <= 65536 else 1) if text else 0.0
    return Result(
        pattern,
        portable,
        where,
        uses,
        limit,
        engine,
        rate,
        decided,
        length,
        worst.seconds,
        quarter.seconds,
        at_limit,
        _short(worst.text),
    )


def _short(text: str) -> str:
    """A readable description of a long input: runs of one character counted."""
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        run = j - i
        out.append(
            repr(text[i])[1:-1] + (f"×{run}" if run > 3 else repr(text[i])[1:-1] * (run - 1))
        )
        i = j
    shown = "".join(out)
    return shown if len(shown) <= 160 else shown[:157] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--release", default="installed", help="botocore release (default: installed)"
    )
    parser.add_argument("--specs", type=Path, default=ROOT / "specs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=0, help="this many patterns, at random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--rounds", type=int, default=30, help="hill-climbing rounds per pattern (default: 30)"
    )
    parser.add_argument(
        "--budget", type=float, default=4.0, help="seconds of search per pattern (default: 4)"
    )
    parser.add_argument("--json", type=Path, help="write every pattern's result here")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument(
        "--search",
        type=int,
        default=0,
        help="search at most this many of the patterns (every one too complex for either "
        "matcher, half on re with the highest modelled rate, the rest automata at random; "
        "default: 0, search every pattern); the totals still cover every pattern",
    )
    args = parser.parse_args(argv)

    import botocore  # the release named "installed"

    grouped: dict[str, list[Use]] = {}
    unenforced: set[str] = set()
    sources = [botocore_uses(args.release)]
    if args.specs.is_dir():
        sources.append(spec_uses(args.specs))
    for source in sources:
        for use in source:
            portable = enforceable(use.pattern)
            if portable is None:
                unenforced.add(use.pattern)
                continue
            grouped.setdefault(portable, []).append(use)
    portables = sorted(grouped)
    if args.sample:
        portables = sorted(
            random.Random(args.seed).sample(portables, min(args.sample, len(portables)))
        )
    release = botocore.__version__ if args.release == "installed" else args.release
    print(
        f"botocore {release} and {args.specs}: {len(grouped)} distinct enforced patterns "
        f"({len(unenforced)} more kept unenforced); measuring {len(portables)} "
        f"over {args.jobs} processes, on {platform.python_implementation()} "
        f"{platform.python_version()}",
        flush=True,
    )
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        decided = dict(zip(portables, pool.map(decide, portables, chunksize=16), strict=True))
        engines = Counter(engine for engine, _, _ in decided.values())
        print(
            f"decided in {time.perf_counter() - started:.0f} s: {engines['re']} on re, "
            f"{engines['dfa']} as automata, {engines['none']} too complex for either",
            flush=True,
        )
        seconds = sorted(taken for _, _, taken in decided.values())
        print(
            f"deciding: {sum(seconds):.0f} s in all, median {seconds[len(seconds) // 2] * 1e3:.0f} "
            f"ms, slowest {seconds[-1]:.1f} s (cached on disk after the first time)",
            flush=True,
        )
        chosen = _chosen(decided, args.search, args.seed)
        print(f"adversarial search over {len(chosen)} patterns", flush=True)
        results: list[Result] = []
        jobs = []
        for portable in chosen:
            uses = grouped[portable]
            top = max(uses, key=lambda u: u.limit)
            jobs.append(
                pool.submit(
                    measure,
                    top.pattern,
                    portable,
                    top.limit,
                    top.where,
                    len(uses),
                    args.rounds,
                    args.budget,
                )
            )
        for done, future in enumerate(as_completed(jobs), 1):
            results.append(future.result())
            if done % 100 == 0:
                print(
                    f"  {done}/{len(jobs)} patterns, {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
    print(
        f"\nmatchers of all {len(decided)} patterns: {engines['re']} on re (linear by the model), "
        f"{engines['dfa']} as automata, {engines['none']} too complex for either (kept on re)"
    )
    report(results, args.top)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1, ensure_ascii=True))
    return 0


def _chosen(
    decided: dict[str, tuple[str, float | None, float]], search: int, seed: int
) -> list[str]:
    """The patterns to search: all of them (``search`` 0), else at most ``search`` of them:
    every one too complex for either matcher, then half on ``re`` (the highest modelled rates
    first: the model's claim of linearity is what the search tests), then automata at random
    (linear by construction: their search checks the runtime, not a model)."""
    if not search:
        return list(decided)
    none = [p for p, (engine, _, _) in decided.items() if engine == "none"]
    on_re = sorted(
        (p for p, (engine, _, _) in decided.items() if engine == "re"),
        key=lambda p: (-(decided[p][1] or 0.0), p),
    )
    automata = sorted(p for p, (engine, _, _) in decided.items() if engine == "dfa")
    chosen = none + on_re[: max(0, search - len(none)) // 2]
    rest = max(0, search - len(chosen))
    chosen += random.Random(seed).sample(automata, min(rest, len(automata)))
    return sorted(chosen)


def report(results: list[Result], top: int) -> None:
    engines = Counter(r.engine for r in results)
    print(
        f"searched: {engines['re']} on re, {engines['dfa']} as automata, "
        f"{engines['none']} too complex for either"
    )
    print(f"\nslowest {top} worst cases at the pattern's length limit:")
    print(
        "| time at limit | limit | engine | re rate | n/4 → n | worst input (searched length) | pattern | used by |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in sorted(results, key=lambda r: -r.worst_at_limit)[:top]:
        ratio = r.worst_searched / max(r.quarter, 1e-9)
        rate = "-" if r.rate is None else f"{r.rate:.1f}"
        pattern = r.pattern if len(r.pattern) <= 60 else r.pattern[:57] + "..."
        print(
            f"| {r.worst_at_limit * 1e3:.2f} ms | {r.limit} | {r.engine} | {rate} | {ratio:.1f}x "
            f"| `{r.worst_input[:50]}` ({r.searched}) | `{pattern}` | {r.where} (+{r.uses - 1}) |"
        )
    if results:
        worst = max(results, key=lambda r: r.worst_at_limit)
        print(
            f"\noverall worst: {worst.worst_at_limit * 1e3:.2f} ms at {worst.limit} characters "
            f"({worst.engine}) for {worst.where}: {worst.pattern}"
        )
        within = [r for r in results if r.limit < SERVER_LIMIT]
        if within:
            bounded = max(within, key=lambda r: r.worst_at_limit)
            print(
                f"worst among patterns of shapes with a max length: "
                f"{bounded.worst_at_limit * 1e3:.2f} ms at {bounded.limit} characters "
                f"({bounded.engine}) for {bounded.where}: {bounded.pattern}"
            )


def _json_default(value: Any) -> Any:  # pragma: no cover - every field is plain
    raise TypeError(value)


if __name__ == "__main__":
    sys.exit(main())
