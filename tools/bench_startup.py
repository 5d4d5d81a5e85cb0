#!/usr/bin/env python3
"""Benchmark: how fast ``apigen serve`` is up and answers a service's first request, and its
memory, side by side with moto's ``ThreadedMotoServer`` in one run.

    .venv/bin/python tools/bench_startup.py [--quick] [--services sqs,dynamodb,sts,cloudwatch]

Each server is a fresh process on loopback. Measured from the process's start: *up* (the server
printed its URL and accepts connections), then for each service in turn the time its first
request takes (boto3, one call), and the resident memory (VmRSS) once up and at the end.

Ours, in a fresh cache (``$APIGEN_CACHE_DIR`` a new temporary folder) and then again in that
cache (a second start):

* ``apigen serve --all-services botocore:installed``: cold (the routing index is built after the
  server is up; each service generated on its first request) and cached;
* ``apigen serve EC2.json``, a spec of whole EC2 (``apigen import --service ec2``): cold
  (generated before the server is up) and cached (``--quick`` skips the cold one);

moto: ``ThreadedMotoServer`` (run with ``python3`` where moto is installed: the venv's, else
the system's), whose services answer from its own backends. Printed: seconds and MiB, and the
ratio moto/ours where both ran the same thing. No assertions: targets are read off the output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APIGEN = str(Path(sys.executable).parent / "apigen")
MOTO = """
from moto.server import ThreadedMotoServer
import time
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
while True:
    time.sleep(3600)
"""
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "sqs": ("list_queues", {}),
    "dynamodb": ("list_tables", {}),
    "sts": ("get_caller_identity", {}),
    "cloudwatch": ("list_metrics", {}),
    "sns": ("list_topics", {}),
    "lambda": ("list_functions", {}),
    "s3": ("list_buckets", {}),
    "ec2": ("describe_vpcs", {}),
}


def _moto_python() -> str | None:
    for candidate in (sys.executable, shutil.which("python3")):
        if candidate is None:
            continue
        found = subprocess.run(
            [candidate, "-c", "import moto.server"], capture_output=True, check=False
        )
        if found.returncode == 0:
            return candidate
    return None


def _rss(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Run:
    """One server process: when it was up, each service's first request, its memory."""

    def __init__(self, label: str, argv: list[str], env: dict[str, str]) -> None:
        self.label = label
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            self.proc.kill()
            raise SystemExit(f"{label}: did not start ({argv})")
        self.up = time.perf_counter() - started
        self.rss_up = _rss(self.proc.pid)
        self.first: dict[str, float] = {}

    def call(self, service: str) -> None:
        import boto3  # type: ignore[import-untyped]
        import botocore.config

        method, params = CALLS[service]
        client = boto3.session.Session().client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="AKIDBENCH",
            aws_secret_access_key="secret",
            config=botocore.config.Config(retries={"total_max_attempts": 1}, read_timeout=600),
        )
        started = time.perf_counter()
        try:
            getattr(client, method)(**params)
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            print(f"  {self.label}: {service}.{method}: {type(exc).__name__}: {exc}"[:200])
        self.first[service] = time.perf_counter() - started

    def stop(self) -> float:
        rss = _rss(self.proc.pid)
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return rss


def _row(run: Run, services: list[str], rss_end: float) -> str:
    firsts = "  ".join(f"{s} {run.first.get(s, float('nan')):6.2f}s" for s in services)
    return (
        f"{run.label:<34} up {run.up:6.2f}s  {firsts}  "
        f"RSS up {run.rss_up:6.0f} MiB, end {rss_end:6.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip EC2's cold start")
    parser.add_argument("--services", default="sqs,dynamodb,sts,cloudwatch")
    args = parser.parse_args()
    services = [s for s in args.services.split(",") if s]
    cache = Path(tempfile.mkdtemp(prefix="apigen-bench-startup-"))
    env = {**os.environ, "APIGEN_CACHE_DIR": str(cache), "PYTHONUNBUFFERED": "1"}
    # the installed botocore's models are read in place: a fresh cache costs no download
    rows: list[tuple[Run, float]] = []
    try:
        results: dict[str, Run] = {}
        for label in ("--all-services (cold)", "--all-services (cached)"):
            run = Run(label, [APIGEN, "serve", "--all-services", "botocore:installed"], env)
            for service in services:
                run.call(service)
            rows.append((run, run.stop()))
            results[label] = run
        spec = cache / "ec2.json"
        subprocess.run(
            [APIGEN, "import", str(spec), "--from", "botocore:installed", "--service", "ec2"],
            check=True,
            capture_output=True,
            env=env,
        )
        labels = ["whole EC2 spec (cached)"] if args.quick else []
        if not args.quick:
            labels = ["whole EC2 spec (cold)", "whole EC2 spec (cached)"]
        else:  # the cached start needs one cold one before it, not timed
            Run("(warming)", [APIGEN, "serve", str(spec)], env).stop()
        for label in labels:
            run = Run(label, [APIGEN, "serve", str(spec)], env)
            run.call("ec2")
            rows.append((run, run.stop()))
        moto_python = _moto_python()
        if moto_python is not None:
            run = Run("moto ThreadedMotoServer", [moto_python, "-c", MOTO], env)
            for service in [*services, "ec2"]:
                run.call(service)
            rows.append((run, run.stop()))
            results["moto"] = run
        print(f"first request of each service, in order ({', '.join(services)}; ec2 alone):")
        for run, rss_end in rows:
            print(" ", _row(run, [*services, "ec2"], rss_end))
        if "moto" in results:
            ours = results["--all-services (cached)"]
            moto = results["moto"]
            print(f"up: moto/ours (--all-services, cached) = {moto.up / ours.up:.1f}x")
            for service in services:
                ratio = moto.first[service] / ours.first[service]
                print(f"first {service} request: moto/ours (cached) = {ratio:.1f}x")
        else:
            print("moto is not installed (pip install -e '.[bench]'): no ratios")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
