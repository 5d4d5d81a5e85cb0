#!/usr/bin/env python3
"""The lifecycle of every derived resource, and every waiter, against ``apigen serve`` and
moto's server side by side: the same calls, the same request values, one run.

    .venv/bin/pip install -e '.[bench]'          # moto[server]
    .venv/bin/python tools/lifecycle_vs_moto.py [--service ec2 ...] [--all-services] [--verbose]
        [--start-at SERVICE]

For each service (default: those of the installed botocore that ``apigen serve`` speaks, at
most a sample; ``--all-services`` every one), the whole service is imported into a spec, served
by apigen in this process and by moto's ``ThreadedMotoServer`` in another, and each resource
that apigen derives from the model goes through create -> read -> list -> delete -> read (not
found) on both, each step judged as a client judges it (``tests/support/lifecycle.py``, which
the breadth test in ``tests/server/test_breadth.py`` runs against apigen alone). Then every
waiter of the service, on a resource made for it. Printed: per service, how many resources
pass on each server and, with ``--verbose``, each resource's outcome on both.

What moto implements was written by hand, service by service; what apigen answers is derived
from the model. A resource moto has not implemented fails there with its own error (often a
500 ``NotImplementedError``); the table says which step and why.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MOTO = """
import sys, time
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
while True:
    time.sleep(3600)
"""
# moto hangs on some requests (a read timeout each): a shorter wait keeps a whole run short
MOTO_TIMEOUT = 10
SAMPLE = ("ec2", "sqs", "sns", "dynamodb", "s3", "lambda", "iam", "secretsmanager", "kinesis")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", action="append", default=[], help="a service (repeatable)")
    parser.add_argument("--all-services", action="store_true", help="every served service")
    parser.add_argument("--verbose", action="store_true", help="each resource's outcome")
    parser.add_argument(
        "--start-at", metavar="SERVICE", help="skip the services before this one (a resumed run)"
    )
    parser.add_argument(
        "--summarize",
        metavar="LOG",
        nargs="+",
        help="read the output of --verbose runs (parts of one resumed run; a service measured"
        " again in a later log counts as measured there) and print the totals and the failures"
        " by reason as Markdown, running nothing",
    )
    args = parser.parse_args()
    if args.summarize:
        try:
            logs = [
                Path(log).read_text(encoding="utf-8", errors="replace") for log in args.summarize
            ]
        except OSError as exc:
            parser.error(f"cannot read {exc.filename}: {exc.strerror}")
        print(summarize(logs))
        return 0

    from codegen.pipeline import import_operations
    from codegen.resources import resources_for
    from codegen.server import running_server
    from tests.support.helpers import release
    from tests.support.lifecycle import STEPS, Lifecycle, Outcome, served_services

    served = served_services()
    services = args.service or (
        served if args.all_services else [s for s in SAMPLE if s in served]
    )
    if args.start_at:
        services = [s for s in services if s >= args.start_at]
    unknown = [s for s in services if s not in served]
    if unknown:
        parser.error(f"not served by apigen serve (its protocol is not spoken yet): {unknown}")
    moto = subprocess.Popen(
        [sys.executable, "-c", MOTO], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    moto_url = moto.stdout.readline().strip() if moto.stdout else ""
    if not moto_url.startswith("http://"):
        moto.kill()
        raise SystemExit("moto's server did not start: pip install -e '.[bench]'")
    print(f"botocore {release('installed').version}; moto at {moto_url}", flush=True)
    totals = {"apigen": [0, 0, 0], "moto": [0, 0, 0]}  # resources passing, all, waiters ok
    waiter_count = 0
    try:
        with tempfile.TemporaryDirectory() as folder:
            for service in services:
                spec = Path(folder) / f"{service}.json"
                started = time.perf_counter()
                import_operations(spec, release("installed"), None, service=service)
                with running_server([spec]) as server:
                    (model,) = [s.model for s in server.services if s.name == service]
                    resources = resources_for(model)

                    ours, theirs = (
                        Lifecycle(model, resources, _client(service, url, timeout))
                        for url, timeout in ((server.url, 60), (moto_url, MOTO_TIMEOUT))
                    )
                    rows: list[tuple[Outcome, Outcome]] = [
                        (ours.run(r), theirs.run(r)) for r in resources.resources
                    ]
                    waiters = sorted(model.waiters)
                    waited = [
                        (
                            name,
                            ours.waiter(model.waiters[name]),
                            theirs.waiter(model.waiters[name]),
                        )
                        for name in waiters
                    ]
                elapsed = time.perf_counter() - started
                a = sum(o.ok for o, _ in rows)
                m = sum(t.ok for _, t in rows)
                wa = sum(r is None for _, r, _ in waited)
                wm = sum(r is None for _, _, r in waited)
                totals["apigen"][0] += a
                totals["moto"][0] += m
                totals["apigen"][1] += len(rows)
                totals["moto"][1] += len(rows)
                totals["apigen"][2] += wa
                totals["moto"][2] += wm
                waiter_count += len(waited)
                print(
                    f"{service}: {len(rows)} derived resources: lifecycle passes on apigen "
                    f"{a}, on moto {m}; {len(waited)} waiters succeed on apigen {wa}, on moto "
                    f"{wm} ({elapsed:.0f} s)",
                    flush=True,
                )
                if args.verbose:
                    for ours_outcome, moto_outcome in rows:
                        print(
                            f"  {ours_outcome.resource:<48} apigen: {_shown(ours_outcome)}\n"
                            f"  {'':<48} moto:   {_shown(moto_outcome)}"
                        )
                    for name, on_ours, on_moto in waited:
                        print(
                            f"  waiter {name:<41} apigen: {on_ours or 'succeeds'}\n"
                            f"  {'':<48} moto:   {on_moto or 'succeeds'}"
                        )
    finally:
        moto.kill()
        moto.wait(10)
    a, n, wa = totals["apigen"]
    m, _, wm = totals["moto"]
    print(
        f"all: {n} resources, lifecycle ({' -> '.join(STEPS)}) passes on apigen {a}, "
        f"on moto {m}; {waiter_count} waiters succeed on apigen {wa}, on moto {wm}"
    )
    return 0


def _client(service: str, url: str, timeout: int) -> object:
    from tests.support.server import NO_RETRIES, fresh_key, session

    return session().client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=fresh_key(),  # an account of its own on either server
        aws_secret_access_key="x",
        # a host prefix (runtime., data-) in front of 127.0.0.1 names no host
        config=NO_RETRIES.merge(Config(read_timeout=timeout, inject_host_prefix=False)),
    )


_SERVICE_LINE = re.compile(
    r"^([a-z0-9-]+): (\d+) derived resources: lifecycle passes on apigen (\d+), on moto (\d+);"
    r" (\d+) waiters succeed on apigen (\d+), on moto (\d+)"
)
_OUTCOME_LINE = re.compile(r"^  (\S.*?)\s+apigen: stops at ([^:]+): (.*)$")


def _reason(step: str, why: str) -> str:
    """A failure's kind, from the step it stopped at and what it was told."""
    if why.startswith(("no list read", "no read by identifier", "no delete")):
        return {"l": "no list read without identifiers", "d": "no delete operation"}.get(
            why[3], "no read by identifier"
        ) + " in the model"
    if "holds no" in why:
        return "the create's answer holds no identifier the harness can find"
    if "NoAuthTokenError" in why:
        return "the client signs with a bearer token, which the harness has not"
    if "(5" in why:
        return f"{step}: a 5xx"
    if re.search(r"Validation|InvalidParameter|BadRequest|InvalidInput|InvalidRequest", why):
        return (
            f"{step}: a request value refused (the model's example values, or an identifier"
            " another operation's pattern refuses)"
        )
    if re.search(r"NotFound|NoSuch|NotExist|does not exist|does not hold", why):
        return f"{step}: not found (read by a member the create did not fill)"
    if re.search(r"Conflict|AlreadyExists|Exists|in use|InUse", why):
        return f"{step}: a conflict (a second resource of the same example name or value)"
    return f"{step}: other"


def summarize(logs: list[str]) -> str:
    """Totals and failures by reason of ``--verbose`` runs' output, as Markdown."""
    services: dict[str, tuple[int, ...]] = {}
    stops: dict[str, list[tuple[str, str]]] = {}  # service -> (resource, kind); a later log wins
    current = ""
    for line in (line for log in logs for line in log.splitlines()):
        found = _SERVICE_LINE.match(line)
        if found:
            current = found.group(1)
            services[current] = tuple(int(g) for g in found.groups()[1:])
            stops[current] = []
            continue
        outcome = _OUTCOME_LINE.match(line)
        if outcome and current and not outcome.group(1).startswith("waiter "):
            kind = _reason(outcome.group(2), outcome.group(3))
            stops[current].append((outcome.group(1), kind))
    reasons: dict[str, list[str]] = {}
    for service, found_stops in sorted(stops.items()):
        for resource, kind in found_stops:
            reasons.setdefault(kind, []).append(f"{service} {resource}")
    totals = [sum(v[i] for v in services.values()) for i in range(6)]
    resources, ours, moto, waiters, ours_w, moto_w = totals
    with_resources = sum(1 for v in services.values() if v[0])
    every = sum(1 for v in services.values() if v[0] and v[1] == v[0])
    some = sum(1 for v in services.values() if v[1])
    lines = [
        (
            f"{len(services)} services served; {with_resources} with derived resources, of"
            f" which {some} pass at least one lifecycle and {every} pass every one."
        ),
        "",
        "| | derived | apigen | moto |",
        "|---|---|---|---|",
        (
            f"| lifecycles (create -> read -> list -> delete -> read) | {resources} | {ours} |"
            f" {moto} |"
        ),
        f"| waiters | {waiters} | {ours_w} | {moto_w} |",
        "",
        "| why a lifecycle stops on apigen | resources | e.g. |",
        "|---|---|---|",
    ]
    for kind, names in sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"| {kind} | {len(names)} | {', '.join(names[:3])} |")
    return "\n".join(lines)


def _shown(outcome: object) -> str:
    from tests.support.lifecycle import Outcome

    assert isinstance(outcome, Outcome)
    if outcome.ok:
        return "passes"
    return f"stops at {outcome.failed}: {outcome.reason[:110]}"


if __name__ == "__main__":
    raise SystemExit(main())
