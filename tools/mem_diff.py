"""Peak memory of whole-release diffs: ``apigen diff OLD NEW`` over every service, each format.

    .venv/bin/python tools/mem_diff.py [OLD NEW] [--details]

Each run is a fresh process (its peak resident set size from ``getrusage``), side by side with
the same report built whole in memory first and rendered at once (``diff()`` + ``render()``, as
``apigen diff`` did before it streamed), so the figures compare like for like. Target: under
400 MB for botocore 1.14.10 -> the installed release, every format.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

STREAMED = """
import resource, sys
from pathlib import Path
from codegen.diff.command import run_diff
run_diff(sys.argv[1], sys.argv[2], fmt=sys.argv[3], details=sys.argv[4] == "1", output=Path(sys.argv[5]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
WHOLE = """
import resource, sys
from codegen.diff import diff, parse_source
from codegen.diff.formats import render
report = diff(parse_source(sys.argv[1], "OLD"), parse_source(sys.argv[2], "NEW"), elide_docs=sys.argv[4] != "1")
text = render(report, sys.argv[3], details=sys.argv[4] == "1")
open(sys.argv[5], "w", encoding="utf-8").write(text)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(
    code: str, old: str, new: str, fmt: str, details: bool, out: str
) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, old, new, fmt, "1" if details else "0", out],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.exit(f"failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return int(done.stdout.split()[-1]) / 1024, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", nargs="?", default="botocore:1.14.10")
    parser.add_argument("new", nargs="?", default="botocore:installed")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--formats", default="text,markdown,json,html")
    parser.add_argument("--no-whole", action="store_true", help="skip the in-memory comparison")
    args = parser.parse_args()
    import tempfile

    print(f"{args.old} -> {args.new}, every service{', --details' if args.details else ''}")
    print("| format | streamed peak RSS | time | whole report in memory | time | ratio |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            out = f"{tmp}/report.{fmt}"
            rss, secs = measure(STREAMED, args.old, args.new, fmt, args.details, out)
            if args.no_whole:
                print(f"| {fmt} | {rss:.0f} MB | {secs:.1f} s | | | |", flush=True)
                continue
            whole, whole_secs = measure(
                WHOLE, args.old, args.new, fmt, args.details, out + ".whole"
            )
            print(
                f"| {fmt} | {rss:.0f} MB | {secs:.1f} s | {whole:.0f} MB | {whole_secs:.1f} s | "
                f"{whole / rss:.1f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
