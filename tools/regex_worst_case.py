"""The worst-case time of every pattern's generated matcher, found by adversarial search.

    .venv/bin/python tools/regex_worst_case.py [--release installed] [--specs specs]
        [--jobs N] [--sample N] [--search N] [--rounds 30] [--budget 4]
        [--json report.json] [--top 15]

Takes every distinct pattern of every service of a botocore release (default: the installed
one) and of the specs under ``--specs`` (shape patterns, documented patterns, format patterns
and the patterns they reject), in the portable form the generators use. For each:

* its length limit: the largest ``max`` (or documented ``maxLength``) among the shapes that
  use it, but no more than what the stub server accepts at most (its request body limit,
  1 MiB), which is also the limit of a shape without one;
* the matcher the generated code uses at that limit (:func:`codegen.regex_safety.matcher`:
  ``re`` when the backtracking model bounds its work linearly and cheaply and its classes are
  small (with a limit over 4,096, ``re`` up to 4,096 characters and the pattern's automaton
  past them, where the model allows ``re`` more than a step a character: ``long``), else the
  window of a leading look-ahead on the length, else the pattern's automaton (or the reversed
  pattern's), else its branches each with its own matcher, else its lazily built one);
* the slowest input found (:func:`codegen.regex_attacks.slowest`: attack strings from the
  backtracking model, stretched examples, values stitched from the pattern's matches, then
  hill climbing) at ``min(limit, 4096)`` characters and at a quarter of that (their ratio:
  about 4 when linear), then that input stretched to the full limit, 8 times at a step, timed
  (best of 3), and beside it the stitched value slowest at the search length made afresh at
  each length (a stretched run of one character makes ``_Lazy`` no new states). A pattern on the
  automaton reads each character once whatever the input: its search is short (the
  candidates, among them a walk that never reaches a sink, no hill climbing); the others get
  the whole search (``--rounds``, ``--budget``).

A pattern on the lazily built automaton (``_Lazy``, alone or as a branch) is timed with none of
its states made (each call clears them): its worst case, a value that reaches only new states. ``--only FILE``
measures only the patterns listed there (one portable pattern a line, as a JSON string),
replacing their results in ``--jsonl``: a targeted run after a change to the decision.

``--jsonl`` streams each pattern's result as it is measured, so a stopped run resumes, and
``--summary`` prints the figures docs/regex-safety.md reports from it. Patterns are measured in
an order shuffled by ``--seed``: the ones done when a run stops are a random sample.

Prints the totals (patterns on ``re`` and on the automaton, any with neither), the patterns
with the slowest worst case at their limit, and the overall worst; ``--json`` writes every
pattern's result. Runs over ``--jobs`` processes (default: every core). A run over all of
botocore took 50 minutes on one niced process of a loaded two-core machine, most of it
deciding the matchers of a cold cache; ``--sample N`` takes N patterns at random.
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
from codegen.regex_attacks import Search, slowest, stitched, stitches, timed
from codegen.regexes import enforceable

SERVER_LIMIT = 1 << 20  # codegen.server.app.MAX_BODY: the longest string a request can carry
SEARCH_LENGTH = 4096  # adversarial search at most this long; the worst is then stretched
STOP_SECONDS = 2.0  # stretching the worst input stops at the first length that takes this long


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
    engine: str  # re, dfa, window, lazy, any (by branch), or "none" (kept on re, reported)
    rate: float | None  # the backtracking model's bound on re's steps per character
    decide_seconds: float
    searched: int  # length of the adversarial search
    worst_searched: float
    quarter: float  # the same search at a quarter of the length
    worst_at_limit: float
    worst_input: str  # shortened for the report
    reached: int = 0  # the length worst_at_limit was timed at: the limit, unless stopped early
    seconds: float = 0.0  # what measuring this pattern cost (deciding included)
    limit_input: str = ""  # the input timed at ``reached`` (shortened): the worst one stretched,
    # or one stitched from the pattern's matches at that length


def botocore_uses(release_name: str) -> Iterator[Use]:
    from codegen.bridge.releases import resolve_release

    release = resolve_release(release_name)
    for service in release.services():
        model = release.load_model(service)
        for name, shape in model.get("shapes", {}).items():
            if shape.get("type") == "string" and "pattern" in shape:
                limit = min(int(shape.get("max", SERVER_LIMIT)), SERVER_LIMIT)
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
                limit = (
                    min(int(shape.max), SERVER_LIMIT) if shape.max is not None else SERVER_LIMIT
                )
                yield Use(shape.pattern, limit, f"{path.name} shape {shape.name}")
            for member in shape.members.values():
                doc = member.documented
                if doc.pattern:
                    limit = SERVER_LIMIT
                    if doc.max_length is not None:
                        limit = min(int(doc.max_length), SERVER_LIMIT)
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
    linear_rounds: int = 0,
    linear_budget: float = 0.5,
) -> Result:
    """One pattern's matcher and worst case. An automaton reads each character once whatever
    the input, so its search is only a short confirmation of linear growth (``linear_rounds``,
    ``linear_budget``); a pattern kept on ``re`` gets the whole search (``rounds``,
    ``budget``, and the backtracking model's attacks): the model's claim, or no claim at all,
    is what it tests."""
    started = time.perf_counter()
    engine, rate, decided = decide(portable)
    if engine == "re" and limit > regex_safety.LONG and regex_safety.long_table(portable):
        engine = "long"  # re up to LONG characters, the automaton past them (_Long)
    if engine == "dfa":
        rounds, budget = linear_rounds, linear_budget
    search = regex_safety.matcher(portable, limit).search
    if engine in ("lazy", "any"):  # states kept between calls: time it cold, as a first request
        search = _cold(portable, limit)
    length = min(limit, SEARCH_LENGTH)
    model = engine != "dfa"  # the model's attacks target re's paths
    worst = slowest(search, portable, length, rounds=rounds, budget=budget, model=model)
    quarter = slowest(
        search, portable, max(1, length // 4), rounds=rounds // 3, budget=budget / 2, model=model
    )
    at_limit, reached, at_limit_input = _at_limit(search, worst.text, length, limit, portable)
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
        reached,
        time.perf_counter() - started,
        _short(at_limit_input),
    )


def _cold(portable: str, limit: int) -> Search:
    """A search by the runtime's ``_Lazy`` with none of its states made yet (its NFA decoded
    once, as a generated module's constant is): the worst case of a value that reaches only
    new states, as an adversary's values can once the cache is flushed."""
    matcher = regex_safety.matcher(portable, limit)
    lazies = [matcher]
    while any(hasattr(m, "_branches") or hasattr(m, "_inner") for m in lazies):  # _Any, _Window
        lazies = [
            inner
            for m in lazies
            for inner in getattr(m, "_branches", None) or [getattr(m, "_inner", m)]
        ]
    indexes: list[dict[Any, Any]] = [m._index for m in lazies if hasattr(m, "_index")]

    def search(value: str) -> object:
        for states in indexes:
            states.clear()
        return matcher.search(value)

    return search


def _at_limit(
    search: Search, text: str, length: int, limit: int, portable: str = ""
) -> tuple[float, int, str]:
    """The worst time at ``limit`` characters, the length timed and the input: ``text`` (the
    worst found at ``length``) stretched (its middle repeated), or the value stitched from the
    pattern's matches that was slowest at ``length``, made afresh at each length
    (:func:`codegen.regex_attacks.stitched`: a stretched run of one character makes ``_Lazy``
    no new states), whichever is slower. Timed 8 times longer at a step, so that a matcher
    that is not linear after all is stopped past :data:`STOP_SECONDS` before a megabyte, and
    reported at the length it reached."""
    if not text:
        return 0.0, 0, text
    reached = min(len(text), limit)
    ways = stitches(portable) if portable else []
    how = max(ways, key=lambda w: timed(search, stitched(portable, reached, w), 1), default=None)

    def inputs(size: int) -> list[str]:
        middle = len(text) // 2
        stretched = text[:middle] + text[middle] * (size - len(text)) + text[middle:]
        return [stretched[:size]] + ([stitched(portable, size, how)] if how else [])

    seconds, worst = _slowest_of(search, inputs(reached), reached)
    while reached < limit and seconds < STOP_SECONDS:
        reached = min(reached * 8, limit)
        seconds, worst = _slowest_of(search, inputs(reached), reached)
    return seconds, reached, worst


def _slowest_of(search: Search, texts: list[str], length: int) -> tuple[float, str]:
    """The slowest of ``texts`` and its time: best of 3, or of 1 for long values (noise is
    small next to their time)."""
    timings = [(timed(search, t, 3 if length <= 65536 else 1), t) for t in texts if t]
    return max(timings, key=lambda pair: pair[0], default=(0.0, ""))


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
    parser.add_argument(
        "--linear-rounds",
        type=int,
        default=0,
        help="hill-climbing rounds for a pattern on the automaton (default: 0: the candidates, "
        "a walk that never reaches a sink among them, confirm its linear growth)",
    )
    parser.add_argument(
        "--linear-budget",
        type=float,
        default=0.5,
        help="seconds of search for a pattern on the automaton (default: 0.5)",
    )
    parser.add_argument("--json", type=Path, help="write every pattern's result here")
    parser.add_argument(
        "--jsonl",
        type=Path,
        help="append each pattern's result here as it is measured (one JSON object a line); "
        "patterns already there are not measured again (a stopped run resumes)",
    )
    parser.add_argument(
        "--windows",
        action="store_true",
        help="measure only the patterns with a leading look-ahead on the rest's length (those "
        "codegen.regex_safety.window reads) and those measured past 1 MiB, replacing their "
        "results in --jsonl",
    )
    parser.add_argument(
        "--only",
        type=Path,
        help="measure only the patterns of this file (one portable pattern a line, as a JSON "
        "string), replacing their results in --jsonl: a targeted run after a change",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="measure nothing: print the figures of the results in --jsonl",
    )
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
    if args.summary:
        if args.jsonl is None:
            parser.error("--summary reads --jsonl")
        loaded = list(_load(args.jsonl).values())
        report(loaded, args.top)
        summary(loaded)
        return 0

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
    if not args.search:
        return _every(args, grouped, portables, started)
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
                    args.linear_rounds,
                    args.linear_budget,
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


def _every(
    args: argparse.Namespace, grouped: dict[str, list[Use]], portables: list[str], started: float
) -> int:
    """Measure every pattern (each decided as it comes), in an order shuffled by ``--seed`` so
    that the patterns done when a run is stopped are a random sample; results stream to
    ``--jsonl``, and those already there are kept."""
    done = _load(args.jsonl) if args.jsonl is not None and args.jsonl.exists() else {}
    # measured past what a request can carry (before the limit was capped): again
    stale = {p for p, r in done.items() if r.limit > SERVER_LIMIT}
    if args.windows:
        portables = [p for p in portables if regex_safety.window(p) is not None or p in stale]
    if args.only is not None:
        wanted = {json.loads(line) for line in args.only.read_text("ascii").splitlines() if line}
        portables = [p for p in portables if p in wanted]
    again = set(portables) if args.windows or args.only else stale
    done = {p: r for p, r in done.items() if p not in again}
    order = [p for p in portables if p not in done]
    random.Random(args.seed).shuffle(order)
    print(f"{len(done)} already measured in {args.jsonl}; {len(order)} to go", flush=True)
    out = args.jsonl.open("a", encoding="ascii") if args.jsonl is not None else None
    results = list(done.values())
    if args.windows or args.only:
        results = []
    try:
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            jobs = []
            for portable in order:
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
                        args.linear_rounds,
                        args.linear_budget,
                    )
                )
            for count, future in enumerate(as_completed(jobs), 1):
                result = future.result()
                results.append(result)
                if out is not None:
                    out.write(json.dumps(asdict(result), ensure_ascii=True) + "\n")
                    out.flush()
                if count % 50 == 0:
                    print(
                        f"  {count}/{len(jobs)} patterns, {time.perf_counter() - started:.0f} s",
                        flush=True,
                    )
    finally:
        if out is not None:
            out.close()
    report(results, args.top)
    summary(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1, ensure_ascii=True))
    return 0


def _load(path: Path) -> dict[str, Result]:
    """The results in a ``--jsonl`` file, by portable pattern (a torn last line is skipped)."""
    found: dict[str, Result] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        try:
            result = Result(**json.loads(line))
        except (ValueError, TypeError):
            continue
        found[result.portable] = result
    return found


def summary(results: list[Result]) -> None:
    """The figures docs/regex-safety.md reports: matchers, worst times, growth, costs."""
    if not results:
        return
    engines = Counter(r.engine for r in results)
    print(
        f"\n{len(results)} patterns: {engines['re']} on re, {engines['long']} on re then the "
        f"automaton past {regex_safety.LONG} characters, {engines['dfa']} as automata, "
        f"{engines['window']} in the window of a leading look-ahead, {engines['lazy']} as lazy "
        f"automata, {engines['any']} searched a branch at a time, {engines['none']} too "
        f"complex for any (kept on re)"
    )
    for label, group in (
        ("with a max", [r for r in results if r.limit < SERVER_LIMIT]),
        ("without (1 MiB)", [r for r in results if r.limit >= SERVER_LIMIT]),
    ):
        if not group:
            continue
        times = sorted(r.worst_at_limit for r in group)
        worst = max(group, key=lambda r: r.worst_at_limit)
        by_engine = {
            engine: max((r.worst_at_limit for r in group if r.engine == engine), default=0.0)
            for engine in ("re", "long", "dfa", "window", "lazy", "any", "none")
        }
        print(
            f"shapes {label}: {len(group)} patterns; at the limit median "
            f"{_ms(times[len(times) // 2])}, 99th percentile {_ms(times[len(times) * 99 // 100])}, "
            f"worst {_ms(worst.worst_at_limit)} at {worst.reached} ({worst.engine}, "
            f"{worst.where}: {worst.pattern}); worst on re {_ms(by_engine['re'])}, re then "
            f"the automaton past {regex_safety.LONG} {_ms(by_engine['long'])}, "
            f"on automata {_ms(by_engine['dfa'])}, windows {_ms(by_engine['window'])}, lazy "
            f"automata {_ms(by_engine['lazy'])}, by branch {_ms(by_engine['any'])}, too complex "
            f"{_ms(by_engine['none'])}"
        )
        over = sorted(
            (r for r in group if r.worst_at_limit > 1e-3), key=lambda r: -r.worst_at_limit
        )
        print(f"  over 1 ms at the limit: {len(over)}")
        for r in over[:12] if group[0].limit < SERVER_LIMIT else ():
            print(
                f"    {_ms(r.worst_at_limit)} at {r.reached} ({r.engine}, rate {r.rate}, "
                f"n/4 -> n {r.worst_searched / max(r.quarter, 1e-9):.1f}x): {r.where}: "
                f"{r.pattern[:100]}"
            )
    short = [r for r in results if 0 < r.reached < r.limit]  # 0: no input but the empty one
    print(f"stopped before the limit ({STOP_SECONDS} s): {len(short)}")
    for r in short:
        print(f"  {r.where}: {_ms(r.worst_at_limit)} at {r.reached} of {r.limit}: {r.pattern}")
    ratios = sorted(
        ((r.worst_searched / max(r.quarter, 1e-9), r) for r in results if r.worst_searched > 0),
        key=lambda pair: pair[0],
    )
    if ratios:
        values = [ratio for ratio, _ in ratios]
        print(
            f"growth from a quarter of the search length to the whole: median "
            f"{values[len(values) // 2]:.1f}x, 90th percentile {values[len(values) * 9 // 10]:.1f}x,"
            f" largest {values[-1]:.1f}x; over 8x: {sum(v > 8 for v in values)}"
        )
        for ratio, r in ratios[-5:]:
            print(
                f"  {ratio:.1f}x: {r.where} ({r.engine}, {r.searched} characters, "
                f"{_ms(r.worst_searched)})"
            )
    decided = sorted(r.decide_seconds for r in results)
    costs = sorted(r.seconds for r in results)
    print(
        f"deciding: median {_ms(decided[len(decided) // 2])}, slowest {decided[-1]:.1f} s; "
        f"measuring (deciding included): {sum(costs):.0f} s in all, median "
        f"{_ms(costs[len(costs) // 2])}, slowest {costs[-1]:.1f} s"
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


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
            f"| {r.worst_at_limit * 1e3:.2f} ms | {r.reached} | {r.engine} | {rate} | {ratio:.1f}x "
            f"| `{r.worst_input[:50]}` ({r.searched}) | `{pattern}` | {r.where} (+{r.uses - 1}) |"
        )
    if results:
        worst = max(results, key=lambda r: r.worst_at_limit)
        print(
            f"\noverall worst: {worst.worst_at_limit * 1e3:.2f} ms at {worst.reached} characters "
            f"({worst.engine}) for {worst.where}: {worst.pattern}"
        )
        within = [r for r in results if r.limit < SERVER_LIMIT]
        if within:
            bounded = max(within, key=lambda r: r.worst_at_limit)
            print(
                f"worst among patterns of shapes with a max length: "
                f"{bounded.worst_at_limit * 1e3:.2f} ms at {bounded.reached} characters "
                f"({bounded.engine}) for {bounded.where}: {bounded.pattern}"
            )


def _json_default(value: Any) -> Any:  # pragma: no cover - every field is plain
    raise TypeError(value)


if __name__ == "__main__":
    sys.exit(main())
