#!/usr/bin/env python3
"""Time a whole-release ``apigen diff`` against merely reading the models it has to read.

    .venv/bin/python tools/bench_diff.py [OLD NEW] [--repeat N]

OLD and NEW are botocore release numbers (default 1.14.9 1.14.10, consecutive releases that the
test suite caches); they are fetched into the cache first if needed (``APIGEN_CACHE_DIR``), and
the download is not timed. Two timings, each the best of ``--repeat`` runs:

* diff: ``diff(botocore:OLD, botocore:NEW)`` over every service, rendered as text (manifests
  read, unchanged services skipped by content hash, changed ones loaded, pruned, imported,
  compared), twice: cold, with an empty cache of pattern verdicts (a new temporary folder:
  every distinct pattern pair is compared as languages), and warm, with the verdicts the cold
  run left on disk (as a second ``apigen diff`` of the same releases runs); nothing is kept in
  memory between runs;
* baseline: decompress and ``json.loads`` the service-2 model of every changed service from both
  releases, nothing else; timed as it is and with the garbage collector paused, as the diff
  pauses it while it reads and compares (so the diff gains nothing from that the baseline
  could not).

The two are timed in turns (baseline, diff, baseline, ...), so that both see the same load on
the machine. It prints both and their ratio (the target is at most 2x).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codegen.bridge.releases import Release, fetch_release
from codegen.diff import diff, parse_source, patterns
from codegen.diff.formats import render
from codegen.diff.sources import collector_paused


def changed_services(old: Release, new: Release) -> list[str]:
    a, b = set(old.services()), set(new.services())
    return sorted((a ^ b) | {s for s in a & b if old.model_digest(s) != new.model_digest(s)})


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()  # (not timed) no garbage of an earlier run is collected during this one
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?", default="1.14.9")
    parser.add_argument("new", nargs="?", default="1.14.10")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    old, new = fetch_release(args.old), fetch_release(args.new)  # not timed
    changed = changed_services(old, new)
    sizes = 0

    def baseline() -> None:
        nonlocal sizes
        sizes = 0
        for release in (old, new):
            for service in changed:
                if service in release.services():
                    raw = release._read(
                        release.model_path(service)
                    )  # decompress (if .gz) and read
                    sizes += len(raw)
                    json.loads(raw)

    counts = (0, 0)

    def whole_diff() -> None:
        nonlocal counts
        patterns.forget()  # what an earlier run decided is on disk only (or nowhere, cold)
        # fresh Release objects each time: no memoized state carries over between runs
        report = diff(
            parse_source(f"botocore:{args.old}", "OLD"),
            parse_source(f"botocore:{args.new}", "NEW"),
            elide_docs=True,
        )  # as `apigen diff` without --details
        render(report, "text")
        counts = (len(report.services), len(report.changes))
        # the report is freed here, in the timed call, not left to slow down the next one

    def baseline_paused() -> None:
        with collector_paused():  # as the diff reads and compares
            baseline()

    # interleaved, so that all see the same machine (a noisy neighbour slows all alike)
    t_base = t_paused = t_diff = t_warm = float("inf")
    decided = 0
    for _ in range(args.repeat):
        t_base = min(t_base, best(baseline, 1))
        t_paused = min(t_paused, best(baseline_paused, 1))
        with tempfile.TemporaryDirectory() as folder, patterns.verdict_cache(Path(folder)):
            start = patterns.DECISIONS["pairs"]
            t_diff = min(t_diff, best(whole_diff, 1))
            decided = patterns.DECISIONS["pairs"] - start
            t_warm = min(t_warm, best(whole_diff, 1))
    print(
        f"botocore {args.old} -> {args.new}: {len(set(old.services()) | set(new.services()))} services, "
        f"{len(changed)} changed by content hash ({', '.join(changed)})"
    )
    print(f"  reported: {counts[0]} services, {counts[1]} changes")
    print(
        f"  baseline (decompress + json.loads {len(changed)} changed models x 2, {sizes / 1e6:.1f} MB): "
        f"{t_base * 1000:8.1f} ms"
    )
    print(
        f"  the same, garbage collector paused (as the diff runs):                 "
        f"{t_paused * 1000:8.1f} ms"
    )
    print(
        f"  whole-release diff, cold ({decided} pattern pairs decided):"
        f"{' ' * max(1, 18 - len(str(decided)))}{t_diff * 1000:8.1f} ms"
    )
    print(
        f"  whole-release diff, warm (pattern verdicts from the disk cache):        "
        f"{t_warm * 1000:8.1f} ms"
    )
    for name, t in (("cold", t_diff), ("warm", t_warm)):
        print(
            f"  ratio {name}: {t / t_base:.2f}x, {t / t_paused:.2f}x against the paused baseline "
            f"(target <= 2x), best of {args.repeat}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
