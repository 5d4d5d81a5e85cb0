"""Benchmark: ``_Lazy`` on values that keep many copies of an unrolled repeat alive, with and
without keeping only the shallowest twin (``_Lazy._prune``; docs/regex-safety.md).

For each pattern (portable form; by default the ``_Lazy`` patterns named below), each length
and each of a few seeds, the value is :func:`codegen.regex_attacks.stitched`'s random pieces
(of random matches among others: not the same from run to run), and for the ``IamRoleArn``
patterns also a role path that never ends in a name, ARN after ARN. Times are in milliseconds: cold (the states dropped before
the search, the tables already decoded), then warm (the same value again), with the states
the cold search made; the worst over the seeds. ``before`` is the same NFA without its twins
(the runtime as it was). Usage: ``.venv/bin/python tools/bench_lazy_twins.py [--lengths ...]``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from typing import Any

from codegen import nfa, regex_safety
from codegen.regex_attacks import Stitch, stitched

PATTERNS = {
    "resiliencehub IamRoleArn": r"^arn:(aws|aws-cn|aws-iso|aws-iso-[a-z]{1}|aws-us-gov):iam::"
    r"[0-9]{12}:role/(([^/][!-~]+/){1,511})?[A-Za-z0-9_+=,.@-]{1,64}(?![\s\S])",
    "resiliencehubv2 IamRoleArn": r"arn:(aws|aws-cn|aws-iso|aws-iso-[a-z]{1}|aws-us-gov):iam::"
    r"[0-9]{12}:role/(([^/][!-~]+/){1,511})?[A-Za-z0-9_+=,.@-]{1,64}",
    "budgets SpendPrincipalInputId": r"^(([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-"
    r"[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}|arn:aws(-[a-z]+)*:(iam::[0-9]{12}:(root|"
    r"(role|user)/([\x21-\x7E]{1,510}/)?[A-Za-z0-9+=,.@_-]{1,64})|sts::[0-9]{12}:(assumed-role/"
    r"[A-Za-z0-9+=,.@_-]{1,64}/[A-Za-z0-9+=,.@_-]{2,64}|federated-user/[A-Za-z0-9+=,.@_-]"
    r"{2,32})))(?![\s\S])",
    "mwaa-serverless WorkflowArn": r"arn:aws(?:-(?:cn|us-gov|iso|iso-b|iso-e|iso-f))?:"
    r"airflow-serverless:([a-z]{2}-(?:[a-z]+-)+[0-9]{1}):([0-9]{12}):workflow/([a-zA-Z0-9]"
    r"[a-zA-Z0-9.\-_]{0,254}-[a-zA-Z0-9]{10})",
}


def lazy(pattern: str, twins: bool) -> Any:
    table = nfa.encode(nfa.compile_nfa(pattern))
    return regex_safety.lazy_matcher(table if twins else replace(table, twins=()))


# a role path that never ends in a name (``!`` and ``/`` are in no name), a new ARN every 57
# characters: many starts of the unanchored pattern, each going through the copies
ROLE_PATH = "!arn:aws:iam::000000000000:role/" + "!!/" * 7 + "!/" * 5


def value(pattern: str, length: int, seed: int, kind: str) -> str:
    if kind == "role path":  # anchored: from the first ARN on
        start = 0 if not pattern.startswith("^") else 1
        return (ROLE_PATH * (length // len(ROLE_PATH) + 2))[start : start + length]
    return stitched(pattern, length, Stitch(seed))


def measure(pattern: str, twins: bool, length: int, seeds: int, kind: str) -> str:
    matcher = lazy(pattern, twins)
    matcher.search(value(pattern, 1000, 99, kind))  # decode the tables
    cold = warm = 0.0
    states = 0
    for seed in range(seeds):
        text = value(pattern, length, seed, kind)
        matcher._index.clear()
        start = time.perf_counter()
        matcher.search(text)
        cold = max(cold, time.perf_counter() - start)
        states = max(states, len(matcher._index))
        start = time.perf_counter()
        matcher.search(text)
        warm = max(warm, time.perf_counter() - start)
    return f"{cold * 1e3:9.1f} {warm * 1e3:9.1f} {states:6d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[1024, 16384, 65536, 1 << 20])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", help="the patterns whose name holds this")
    parser.add_argument("--before", action="store_true", help="measure without twins too")
    args = parser.parse_args()
    print(f"{'pattern':30} {'value':9} {'length':>8} {'':6} {'cold ms':>9} {'warm ms':>9} states")
    for name, pattern in PATTERNS.items():
        if args.only and args.only not in name:
            continue
        kinds = ["stitched"]
        kinds += ["role path"] if "IamRoleArn" in name else []
        for kind in kinds:
            for length in args.lengths:
                for twins in (False, True) if args.before else (True,):
                    figures = measure(pattern, twins, length, args.seeds, kind)
                    label = "after" if twins else "before"
                    print(f"{name:30} {kind:9} {length:8d} {label:6} {figures}", flush=True)


if __name__ == "__main__":
    main()
