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
    return (f"AWS4-HMAC-SHA256 Credential={key}/20200204/{region}/ec2/aws4_request, "
            f"SignedHeaders=host;x-amz-date, Signature={'0' * 64}")


class Server:
    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        if not self.url.startswith("http://"):
            raise SystemExit(f"{name} did not start")
        parts = urlsplit(self.url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    def call(self, params: dict[str, str], key: str = "AKIDBENCH") -> bytes:
        body = urlencode({"Version": "2016-11-15", **params})
        self.conn.request("POST", "/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Authorization": auth_header(key), "X-Amz-Date": "20200204T000000Z"})
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
    return Server("apigen", [sys.executable, "-c", "from codegen.cli import main; main()",
                             "serve", "--quiet", "--port", "0"])


def moto() -> Server:
    return Server("moto", [sys.executable, "-c", MOTO])


def vpcs(server: Server, n: int) -> list[str]:
    if server.name == "moto":  # moto wants the VPCs to exist
        return [re.search(rb"<vpcId>(vpc-[0-9a-f]+)</vpcId>",
                          server.call({"Action": "CreateVpc", "CidrBlock": "10.0.0.0/16"}))
                .group(1).decode() for _ in range(n)]
    return [f"vpc-{i:08x}" for i in range(n)]


def create_params(resources: list[str], group: str) -> dict[str, str]:
    params = {"Action": "CreateFlowLogs", "ResourceType": "VPC", "TrafficType": "ALL",
              "LogGroupName": group, "DeliverLogsPermissionArn": ROLE}
    params.update({f"ResourceId.{i}": r for i, r in enumerate(resources, 1)})
    return params


def rate(fn, n: int, repeat: int = 3) -> float:
    """Best requests per second over ``repeat`` runs of ``n`` calls of ``fn(i)``."""
    best = 0.0
    for r in range(repeat):
        start = time.perf_counter()
        for i in range(n):
            fn(r * n + i)
        best = max(best, n / (time.perf_counter() - start))
    return best


def measure(server: Server, quick: bool) -> dict[str, float]:
    n = 100 if quick else 300
    ids = vpcs(server, 100)
    results: dict[str, float] = {}
    # CreateFlowLogs: one flow log per request (a new log group each time: no duplicates)
    results["create"] = rate(lambda i: server.call(create_params([ids[0]], f"create-{i}")), n)
    made = 3 * n
    # fill up to exactly 1000 flow logs: 100 VPCs x log groups (one request per log group)
    k = 0
    while made < 1000:
        take = min(100, 1000 - made)
        server.call(create_params(ids[:take], f"fill-{k}"))
        made += take
        k += 1
    flt = {"Action": "DescribeFlowLogs", "Filter.1.Name": "resource-id", "Filter.1.Value.1": ids[7]}
    expected = server.call(flt).count(b"<flowLogId>")
    results["filtered"] = rate(lambda i: server.call(flt), n)
    page = {"Action": "DescribeFlowLogs", "MaxResults": "1000"}
    count = server.call(page).count(b"<flowLogId>")
    if count != 1000:
        raise SystemExit(f"{server.name}: the page has {count} items, not 1000")
    results["page"] = rate(lambda i: server.call(page), 5 if quick else 15)
    # boto3 round trips
    import boto3

    client = boto3.client("ec2", endpoint_url=server.url, region_name="us-east-1",
                          aws_access_key_id="AKIDBENCH", aws_secret_access_key="x")
    results["boto3 create"] = rate(lambda i: client.create_flow_logs(
        ResourceIds=[ids[1]], ResourceType="VPC", TrafficType="ALL", LogGroupName=f"boto-{i}",
        DeliverLogsPermissionArn=ROLE), n // 2)
    results["boto3 filtered"] = rate(lambda i: client.describe_flow_logs(
        Filters=[{"Name": "resource-id", "Values": [ids[7]]}]), n // 2)
    print(f"  {server.name}: filtered describe returns {expected} flow logs", file=sys.stderr)
    return results


def latency(server: Server, params: dict[str, str], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        server.call(params)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


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
                out = server.call(create_params(
                    [f"vpc-{account:02x}{start + i:06x}" for i in range(take)], "g"), key=key)
                if not first_id:
                    first_id = re.search(rb"<item>(fl-[0-9a-f]+)</item>", out).group(1)
        server.call({"Action": "DescribeFlowLogs"}, key="AKIDBENCH0") if total <= 1000 else None
        n = 200 if quick else 1000
        by_resource = {"Action": "DescribeFlowLogs", "Filter.1.Name": "resource-id",
                       "Filter.1.Value.1": f"vpc-00{per_account // 2:06x}"}
        by_id = {"Action": "DescribeFlowLogs", "Filter.1.Name": "flow-log-id",
                 "Filter.1.Value.1": first_id.decode()}
        for params in (by_resource, by_id):  # the flow log is found, in the asked account
            body = server.call(params, key="AKIDBENCH0")
            assert body.count(b"<flowLogId>") == 1, body[:300]
        r = min(latency_with_key(server, by_resource, n) for _ in range(3))
        i = min(latency_with_key(server, by_id, n) for _ in range(3))
        return r, i
    finally:
        server.stop()


def latency_with_key(server: Server, params: dict[str, str], n: int) -> float:
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
    table: dict[str, dict[str, float]] = {}
    for make in (ours, moto):
        server = make()
        try:
            table[server.name] = measure(server, args.quick)
        finally:
            server.stop()
    print(f"{'workload':<44} {'apigen req/s':>12} {'moto req/s':>11} {'ratio':>7}")
    names = {"create": "CreateFlowLogs (raw HTTP)",
             "filtered": "DescribeFlowLogs resource-id, 1000 stored",
             "page": "DescribeFlowLogs, the 1000-item page",
             "boto3 create": "boto3 create_flow_logs round trip",
             "boto3 filtered": "boto3 describe_flow_logs (filtered)"}
    for key, label in names.items():
        a, m = table["apigen"][key], table["moto"][key]
        print(f"{label:<44} {a:>12.1f} {m:>11.1f} {a / m:>6.1f}x")
    small = growth(1000, args.quick)
    large = growth(100_000, args.quick)
    print(f"\n{'apigen, filtered describe (median µs)':<44} {'1,000':>9} {'100,000':>9} {'ratio':>7}")
    for label, s, b in (("by resource-id", small[0], large[0]), ("by flow-log-id", small[1], large[1])):
        print(f"{label:<44} {s:>9.0f} {b:>9.0f} {b / s:>6.2f}x")


if __name__ == "__main__":
    main()
