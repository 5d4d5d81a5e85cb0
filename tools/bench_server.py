#!/usr/bin/env python3
"""Benchmark: ``apigen serve`` against moto's ``ThreadedMotoServer``, same workload, one run.

    .venv/bin/pip install -e '.[bench]'     # moto[server]
    .venv/bin/python tools/bench_server.py [--quick]

Each server runs in its own process on loopback; this process is the only client, sending
one request at a time over a keep-alive connection (raw HTTP, the same bytes to both) and then
through boto3. Printed: requests per second and the ratio ours/moto for

* CreateFlowLogs (one flow log per request),
* DescribeFlowLogs filtered by resource-id with 1000 flow logs present,
* DescribeFlowLogs returning the 1000-item page,
* boto3 round trips (create, filtered describe);

and how our filtered describe (by resource-id, by flow-log-id) grows from 1,000 to 100,000
stored flow logs (four accounts). No assertions: targets are read off the output.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
ROLE = "arn:aws:iam::123456789012:role/flow-logs"
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


def auth_header(key: str = "AKIDBENCH", region: str = "us-east-1") -> str:
    # Not verified by either server (both default to not checking): it names key and region.
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20200204/{region}/ec2/aws4_request, "
        f"SignedHeaders=host;x-amz-date, Signature={'0' * 64}"
    )


class Server:
    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"{name} did not start")
        parts = urlsplit(self.url)
        assert parts.hostname is not None, self.url
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    def call(self, params: dict[str, str], key: str = "AKIDBENCH") -> bytes:
        body = urlencode({"Version": "2016-11-15", **params})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Authorization": auth_header(key),
            "X-Amz-Date": "20200204T000000Z",
        }
        try:
            self.conn.request("POST", "/", body=body, headers=headers)
            response = self.conn.getresponse()
        except (ConnectionError, http.client.RemoteDisconnected):  # an idle keep-alive closed
            self.conn.close()
            self.conn.request("POST", "/", body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{self.name}: {response.status} {data[:300]!r}")
        return data

    def stop(self) -> None:
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(20)


def ours() -> Server:
    return Server(
        "apigen",
        [
            sys.executable,
            "-c",
            "from codegen.cli import main; main()",
            "serve",
            "--quiet",
            "--port",
            "0",
        ],
    )


def moto() -> Server:
    return Server("moto", [sys.executable, "-c", MOTO])


CREATE_VPC = {"Action": "CreateVpc", "CidrBlock": "10.0.0.0/16"}


def _first(pattern: bytes, body: bytes) -> bytes:
    """The first group of ``pattern``'s first match in a response body (which must have one)."""
    match = re.search(pattern, body)
    if match is None:
        raise SystemExit(f"unexpected response: {body[:300]!r}")
    return match.group(1)


def vpcs(server: Server, n: int) -> list[str]:
    if server.name == "moto":  # moto wants the VPCs to exist
        return [
            _first(rb"<vpcId>(vpc-[0-9a-f]+)</vpcId>", server.call(CREATE_VPC)).decode()
            for _ in range(n)
        ]
    return [f"vpc-{i:08x}" for i in range(n)]


def create_params(resources: list[str], group: str) -> dict[str, str]:
    params = {
        "Action": "CreateFlowLogs",
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogGroupName": group,
        "DeliverLogsPermissionArn": ROLE,
    }
    params.update({f"ResourceId.{i}": r for i, r in enumerate(resources, 1)})
    return params


def best_rates(workloads: dict[str, tuple[object, int]], rounds: int) -> dict[str, float]:
    """Best requests per second of each ``name: (fn, n)``, the servers' rounds interleaved (a
    round of ours, a round of moto's, ...), so both see the same machine load."""
    best = dict.fromkeys(workloads, 0.0)
    done = 0
    for _ in range(rounds):
        for name, (fn, n) in workloads.items():
            start = time.perf_counter()
            for i in range(n):
                fn(done + i)  # type: ignore[operator]
            best[name] = max(best[name], n / (time.perf_counter() - start))
        done += max(n for _, n in workloads.values())
    return best


def prepare(server: Server) -> dict[str, Any]:
    """1000 flow logs (100 VPCs x 10 log groups) and the requests of each workload."""
    ids = vpcs(server, 100)
    for k in range(10):
        server.call(create_params(ids, f"fill-{k}"))
    flt = {
        "Action": "DescribeFlowLogs",
        "Filter.1.Name": "resource-id",
        "Filter.1.Value.1": ids[7],
    }
    if server.call(flt).count(b"<flowLogId>") != 10:
        raise SystemExit(f"{server.name}: the filtered describe does not find 10 flow logs")
    page = {"Action": "DescribeFlowLogs", "MaxResults": "1000"}
    count = server.call(page).count(b"<flowLogId>")
    if count != 1000:
        raise SystemExit(f"{server.name}: the page has {count} items, not 1000")
    import boto3  # type: ignore[import-untyped]  # boto3 ships no types

    client = boto3.client(
        "ec2",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDBENCH",
        aws_secret_access_key="x",
    )
    return {"ids": ids, "filtered": flt, "page": page, "client": client}


def measure(servers: list[Server], quick: bool) -> dict[str, dict[str, float]]:
    n = 100 if quick else 300
    rounds = 3 if quick else 5
    ready = {s.name: prepare(s) for s in servers}  # 1000 flow logs each, before any timing
    table: dict[str, dict[str, float]] = {s.name: {} for s in servers}
    for kind in ("filtered", "page", "boto3 filtered", "create", "boto3 create"):
        workloads: dict[str, tuple[object, int]] = {}
        for s in servers:
            r = ready[s.name]
            client, ids = r["client"], r["ids"]
            fn = {
                "filtered": lambda i, s=s, r=r: s.call(r["filtered"]),
                "page": lambda i, s=s, r=r: s.call(r["page"]),
                "boto3 filtered": lambda i, c=client, ids=ids: c.describe_flow_logs(
                    Filters=[{"Name": "resource-id", "Values": [ids[7]]}]
                ),
                # creates last: they add flow logs (one per request, a new log group each)
                "create": lambda i, s=s, ids=ids: s.call(create_params([ids[0]], f"create-{i}")),
                "boto3 create": lambda i, c=client, ids=ids: c.create_flow_logs(
                    ResourceIds=[ids[1]],
                    ResourceType="VPC",
                    TrafficType="ALL",
                    LogGroupName=f"boto-{i}",
                    DeliverLogsPermissionArn=ROLE,
                ),
            }[kind]
            count = {
                "page": 5 if quick else 15,
                "boto3 filtered": n // 2,
                "boto3 create": n // 2,
            }.get(kind, n)
            workloads[s.name] = (fn, count)
        for name, value in best_rates(workloads, rounds).items():
            table[name][kind] = value
    return table


def growth(total: int, quick: bool) -> tuple[float, float]:
    """Median µs of a filtered describe (resource-id, flow-log-id) with ``total`` flow logs
    stored over four accounts; the first account is asked."""
    server = ours()
    try:
        per_account = total // 4
        first_id = b""
        for account in range(4):
            key = f"AKIDBENCH{account}"
            for start in range(0, per_account, 1000):
                take = min(1000, per_account - start)
                out = server.call(
                    create_params([f"vpc-{account:02x}{start + i:06x}" for i in range(take)], "g"),
                    key=key,
                )
                if not first_id:
                    first_id = _first(rb"<item>(fl-[0-9a-f]+)</item>", out)
        n = 200 if quick else 1000
        by_resource = {
            "Action": "DescribeFlowLogs",
            "Filter.1.Name": "resource-id",
            "Filter.1.Value.1": f"vpc-00{per_account // 2:06x}",
        }
        by_id = {
            "Action": "DescribeFlowLogs",
            "Filter.1.Name": "flow-log-id",
            "Filter.1.Value.1": first_id.decode(),
        }
        for params in (by_resource, by_id):  # the flow log is found, in the asked account
            body = server.call(params, key="AKIDBENCH0")
            assert body.count(b"<flowLogId>") == 1, body[:300]
        r = min(latency(server, by_resource, n) for _ in range(3))
        i = min(latency(server, by_id, n) for _ in range(3))
        return r, i
    finally:
        server.stop()


def latency(server: Server, params: dict[str, str], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        server.call(params, key="AKIDBENCH0")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    servers = [ours(), moto()]
    try:
        table = measure(servers, args.quick)
    finally:
        for server in servers:
            server.stop()
    print(f"{'workload':<44} {'apigen req/s':>12} {'moto req/s':>11} {'ratio':>7}")
    names = {
        "create": "CreateFlowLogs (raw HTTP)",
        "filtered": "DescribeFlowLogs resource-id, 1000 stored",
        "page": "DescribeFlowLogs, the 1000-item page",
        "boto3 create": "boto3 create_flow_logs round trip",
        "boto3 filtered": "boto3 describe_flow_logs (filtered)",
    }
    for key, label in names.items():
        a, m = table["apigen"][key], table["moto"][key]
        print(f"{label:<44} {a:>12.1f} {m:>11.1f} {a / m:>6.1f}x")
    small = growth(1000, args.quick)
    large = growth(100_000, args.quick)
    print(
        f"\n{'apigen, filtered describe (median µs)':<44} {'1,000':>9} {'100,000':>9} {'ratio':>7}"
    )
    for label, s, b in (
        ("by resource-id", small[0], large[0]),
        ("by flow-log-id", small[1], large[1]),
    ):
        print(f"{label:<44} {s:>9.0f} {b:>9.0f} {b / s:>6.2f}x")


if __name__ == "__main__":
    main()
