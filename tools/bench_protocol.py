"""Benchmark: the generated EC2 protocol layer against botocore's own EC2 protocol code.

* Serializer: ``serialize_response("DescribeFlowLogs", ...)`` of a page of N flow logs (each
  the full ``example_response`` item, a fresh ``datetime`` per item) and a next-page token;
  the peer is botocore's ``EC2QueryParser`` reading the very same body into the same dict.
* Parser: ``parse_request`` of a ``DescribeFlowLogs`` request of N flow log ids (a form body
  as botocore's ``EC2Serializer`` sends it, validated strictly); the peer is botocore's
  ``EC2Serializer`` writing that request from the same params.

N is 1, 10, 100 and 1000 (how the cost grows). Each time is the best of ``--repeat`` runs of
as many calls as fill about 0.2 s: wall-clock time, and CPU time of this process (on a shared
machine the CPU time is the closer to an idle core). Ratios divide the peer's time by ours
(above 1: ours is faster). Usage: ``.venv/bin/python tools/bench_protocol.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import platform
import sys
import time
import timeit
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

from botocore.model import ServiceModel  # type: ignore[import-untyped,unused-ignore]
from botocore.parsers import EC2QueryParser  # type: ignore[import-untyped,unused-ignore]
from botocore.serialize import EC2Serializer  # type: ignore[import-untyped,unused-ignore]
from botocore.utils import percent_encode_sequence  # type: ignore[import-untyped,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "ec2"
SIZES = (1, 10, 100, 1000)


def load_protocol() -> ModuleType:
    """``generated/ec2`` as a package (``protocol.py`` imports its sibling validators)."""
    spec = importlib.util.spec_from_file_location(
        "ec2_generated", GENERATED / "__init__.py", submodule_search_locations=[str(GENERATED)]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    return importlib.import_module("ec2_generated.protocol")


def service() -> ServiceModel:
    path = GENERATED / "botocore" / "ec2" / "2016-11-15" / "service-2.json"
    return ServiceModel(json.loads(path.read_text(encoding="utf-8")), service_name="ec2")


def measure(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best time of one call in milliseconds: (wall clock, CPU of this process)."""
    out = []
    for clock in (time.perf_counter, time.process_time):
        timer = timeit.Timer(function, timer=clock)
        number, _ = timer.autorange()
        out.append(min(timer.repeat(repeat=repeat, number=max(number, 1))) / number * 1e3)
    return out[0], out[1]


def page(protocol: ModuleType, n: int) -> dict[str, Any]:
    item = protocol.example_response("DescribeFlowLogs")["FlowLogs"][0]
    logs = []
    for i in range(n):
        log = dict(item, FlowLogId=f"fl-{i:017x}")
        log["CreationTime"] = item["CreationTime"] + timedelta(seconds=i)
        logs.append(log)
    return {"FlowLogs": logs, "NextToken": "x"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (best kept)")
    args = parser.parse_args(argv)
    protocol = load_protocol()
    ec2 = service()
    describe = ec2.operation_model("DescribeFlowLogs")
    assert describe.output_shape is not None
    print(
        f"EC2 protocol layer, best of {args.repeat}; Python {platform.python_version()},"
        f" botocore {version('botocore')}. Times in ms: wall / CPU."
    )
    print()
    print(
        "Response: serialize_response(DescribeFlowLogs, N flow logs) vs botocore's EC2QueryParser"
    )
    print(f"{'N':>6}{'ours':>20}{'per item (CPU)':>16}{'botocore parser':>20}{'ratio (CPU)':>13}")
    for n in SIZES:
        result = page(protocol, n)
        body = protocol.serialize_response("DescribeFlowLogs", result, "rid")
        response = {"body": body, "headers": {}, "status_code": 200}
        parsed = EC2QueryParser().parse(response, describe.output_shape)
        parsed.pop("ResponseMetadata")
        assert parsed == result, "botocore reads back something else"
        ours = measure(
            partial(protocol.serialize_response, "DescribeFlowLogs", result, "rid"), args.repeat
        )
        peer = measure(
            partial(EC2QueryParser().parse, response, describe.output_shape), args.repeat
        )
        print(
            f"{n:>6}{ours[0]:>10.3f} /{ours[1]:>7.3f}{ours[1] / n * 1e3:>13.2f} us"
            f"{peer[0]:>10.3f} /{peer[1]:>8.3f}{peer[1] / ours[1]:>12.1f}x"
        )
    print()
    print("Request: parse_request(DescribeFlowLogs, N flow log ids) vs botocore's EC2Serializer")
    print(
        f"{'N':>6}{'ours':>20}{'per item (CPU)':>16}{'botocore serializer':>20}{'ratio (CPU)':>13}"
    )
    for n in SIZES:
        params = {
            "Filter": [{"Name": "resource-id", "Values": ["vpc-1", "vpc-2"]}],
            "FlowLogIds": [f"fl-{i:017x}" for i in range(n)],
            "MaxResults": 1000,
            "NextToken": "abc",
        }
        request = EC2Serializer().serialize_to_request(params, describe)
        body = percent_encode_sequence(request["body"]).encode("utf-8")
        assert protocol.parse_request(b"", body, None).params == params
        ours = measure(partial(protocol.parse_request, b"", body, None), args.repeat)
        peer = measure(
            partial(EC2Serializer().serialize_to_request, params, describe), args.repeat
        )
        print(
            f"{n:>6}{ours[0]:>10.3f} /{ours[1]:>7.3f}{ours[1] / n * 1e3:>13.2f} us"
            f"{peer[0]:>10.3f} /{peer[1]:>8.3f}{peer[1] / ours[1]:>12.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
