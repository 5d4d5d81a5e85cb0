"""Benchmark: wrapping documentation with one long unbroken word, ours against ``textwrap``.

The generators wrap documentation into docstrings and comments with
:func:`codegen.docs.wrap`, which breaks a long word in time linear in its length;
``textwrap.wrap`` (the peer, same options) is quadratic in it. For words of growing length
this prints both times and their ratio, then times ``apigen generate`` (in process) on a copy
of the flow-logs spec whose ``FlowLog`` documentation is one such word: doubling the word
should about double that time. Usage: ``.venv/bin/python tools/bench_docwrap.py [--max-mb N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import textwrap
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codegen.docs import wrap
from codegen.pipeline import generate


def timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-mb", type=float, default=4.0, help="the longest word, in MB (default 4)"
    )
    args = parser.parse_args()
    sizes = [int(args.max_mb * 1_000_000 / 2**k) for k in (3, 2, 1, 0)]
    print(f"{'word':>10}  {'textwrap.wrap':>14}  {'codegen.docs.wrap':>17}  ratio")
    for size in sizes:
        word = "x" * size
        peer = timed(partial(textwrap.wrap, word, width=88, break_on_hyphens=False))
        ours = timed(wrap, word, 88)
        print(f"{size:>10,}  {peer:>13.3f}s  {ours:>16.4f}s  {peer / ours:>6.0f}x")
    print(f"\n{'word':>10}  apigen generate (in process)")
    spec = json.loads((ROOT / "specs" / "ec2" / "flow-logs.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            spec["shapes"]["FlowLog"]["documentation"] = ["x" * size]
            folder = Path(tmp) / str(size) / "ec2"
            folder.mkdir(parents=True)
            path = folder / "flow-logs.json"
            path.write_text(json.dumps(spec), encoding="utf-8")
            print(f"{size:>10,}  {timed(generate, [path], Path(tmp) / f'out{size}'):.2f}s")


if __name__ == "__main__":
    main()
