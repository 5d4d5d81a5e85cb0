#!/usr/bin/env python3
"""Every waiter of the installed botocore, through boto3, against ONE ``apigen serve
--all-services botocore:installed --settle-after 1``: how many succeed, and why the rest do not.

    .venv/bin/python tools/waiters_all.py [--service NAME ...] [--jobs N] [--timeout S] [--json FILE]

For each waiter of each service that has waiters (boto3's ``client.waiter_names``), what a
user's test does (``tests/support/waiters.py``, over
:meth:`tests.support.lifecycle.Lifecycle.waiter`): create the resource the waiter watches (the
resource the engine derived whose read is the waiter's operation, made by its create with
minimal valid parameters from the model), delete it first for a "deleted"/"not exists" waiter,
then ``get_waiter(name).wait(..., WaiterConfig={"Delay": 0, "MaxAttempts": 5})`` with its
identifier. Each service gets an account of its own (its own access key), so services run in
parallel (``--jobs``) without seeing each other's resources; each waiter is bounded by
``--timeout`` seconds and any failure is recorded and the run goes on.

Printed: the figure, the reasons by kind with their counts, and per service the waiters that
succeed; ``--markdown FILE`` the rest by kind (the list in docs/state.md); ``--json FILE``
writes every waiter's result (``service``, ``waiter``, ``reason``,
``kind``, ``seconds``) with the botocore version. ``tests/server/test_waiters_all.py`` holds
the successes of the last full run as data (``tests/fixtures/waiters/succeeding.json``, written
by ``--expected FILE``) and checks a sample of them in CI, all of them behind ``slow``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--service", action="append", default=[], help="a service (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="services measured at once")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per waiter")
    parser.add_argument("--json", type=Path, help="write every waiter's result here")
    parser.add_argument(
        "--expected", type=Path, help="write the succeeding waiters here (the test's data)"
    )
    parser.add_argument(
        "--markdown", type=Path, help="write the waiters that do not succeed, by kind (docs)"
    )
    parser.add_argument("--server-log", type=Path, help="the server's log (standard error)")
    parser.add_argument("--verbose", action="store_true", help="every waiter that fails")
    args = parser.parse_args()

    from codegen.bridge.releases import installed_release
    from codegen.pipeline import release_spec
    from tests.support.server import fresh_key
    from tests.support.waiters import SUCCEEDS, Result, measure_service, serving_all
    from tests.support.waiters import waiter_services as with_waiters

    release = installed_release()
    services = with_waiters(release)
    unknown = [s for s in args.service if s not in services]
    if unknown:
        parser.error(f"no waiters in botocore {release.version}: {unknown}")
    chosen = args.service or services
    print(f"botocore {release.version}: {len(chosen)} services with waiters", flush=True)
    started = time.perf_counter()
    results: list[Result] = []

    with serving_all(settle_after=1, log=args.server_log) as url:

        def one(service: str) -> list[Result]:
            began = time.perf_counter()
            try:
                model = release_spec(release, service).model()
                found = measure_service(service, model, url, fresh_key(), timeout=args.timeout)
            except Exception as error:  # noqa: BLE001 - one service's failure is a finding
                reason = f"{type(error).__name__}: {str(error)[:160]}"
                found = [Result(service, "*", reason, "other", 0.0)]
            ok = sum(r.ok for r in found)
            print(
                f"{service}: {ok} of {len(found)} waiters succeed "
                f"({time.perf_counter() - began:.0f} s)",
                flush=True,
            )
            return found

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for found in pool.map(one, chosen):
                results.extend(found)

    succeeded = [r for r in results if r.ok]
    print(
        f"\nbotocore {release.version}: {len(succeeded)} of {len(results)} waiters of "
        f"{len(chosen)} services succeed through boto3 against apigen serve --all-services "
        f"({time.perf_counter() - started:.0f} s)\n"
    )
    kinds = Counter(r.kind for r in results)
    print(f"{'count':>5}  kind")
    for kind, count in sorted(kinds.items(), key=lambda item: (item[0] != SUCCEEDS, -item[1])):
        print(f"{count:>5}  {kind}")
    if args.verbose:
        for r in results:
            if not r.ok:
                print(f"  {r.service}.{r.waiter}: {r.reason}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "botocore": release.version,
                    "services": len(chosen),
                    "waiters": len(results),
                    "succeeded": len(succeeded),
                    "kinds": dict(kinds.most_common()),
                    "results": [r.as_json() for r in results],
                },
                indent=1,
            )
            + "\n"
        )
    if args.markdown:
        args.markdown.write_text(_markdown(results))
    if args.expected:
        expected: dict[str, list[str]] = {}
        for r in succeeded:
            expected.setdefault(r.service, []).append(r.waiter)
        args.expected.write_text(
            json.dumps(
                {
                    "botocore": release.version,
                    "waiters": len(results),
                    "succeeded": len(succeeded),
                    "services": dict(sorted(expected.items())),
                },
                indent=1,
            )
            + "\n"
        )
    return 0


def _markdown(results: list[Any]) -> str:
    """The waiters that do not succeed, by kind, then by service: a list for docs/state.md."""
    by_kind: dict[str, dict[str, list[str]]] = {}
    for r in results:
        if not r.ok:
            by_kind.setdefault(r.kind, {}).setdefault(r.service, []).append(r.waiter)
    lines = []
    for kind, services in sorted(
        by_kind.items(), key=lambda item: -sum(map(len, item[1].values()))
    ):
        count = sum(map(len, services.values()))
        shown = "; ".join(f"{s}: {', '.join(ws)}" for s, ws in sorted(services.items()))
        lines.append(f"* **{kind}** ({count}): {shown}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
