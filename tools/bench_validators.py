"""Benchmark: the generated validator against botocore, jsonschema and fastjsonschema.

Times, in one process, the validation of one valid and one invalid CreateFlowLogs request by

* the generated ``generated/ec2/validators.py``, with ``strict=True`` (the default: botocore's
  checks and the documented rules) and ``strict=False`` (botocore's checks only), each
  reporting every issue and, with ``fail_fast=True``, the first;
* botocore's ``ParamValidator`` with the installed botocore's EC2 model;
* jsonschema with the generated ``generated/ec2/schemas/CreateFlowLogs.input.json`` (one
  validator instance, reused; ``iter_errors``: every error);
* fastjsonschema with the same schema, compiled once, as it is used by default (stops at the
  first error) and with ``fast_fail=False`` (every error).

Each time is the best of ``--repeat`` runs of as many calls as fill about 0.2 s, in
microseconds per call. The ratios divide another validator's time by ours, like for like (ours
reporting every issue against a peer that does, the first against fastjsonschema's default
first error): above 1, ours is faster. Usage: ``.venv/bin/python tools/bench_validators.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import timeit
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore.session  # type: ignore[import-untyped,unused-ignore]
import botocore.validate  # type: ignore[import-untyped,unused-ignore]
import fastjsonschema
import jsonschema  # type: ignore[import-untyped,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "ec2"
OPERATION = "CreateFlowLogs"

VALID: dict[str, Any] = {
    "ResourceIds": ["vpc-0123456789abcdef0", "subnet-0123456789abcdef0"],
    "ResourceType": "VPC",
    "TrafficType": "ALL",
    "LogDestinationType": "s3",
    "LogDestination": "arn:aws:s3:::my-flow-log-bucket/vpc-logs/",
    "LogFormat": "${version} ${interface-id} ${srcaddr} ${dstaddr} ${action}",
    "MaxAggregationInterval": 60,
    "ClientToken": "3f1c8e52-1a5b-4c4b-9b1e-0c6f0a1d2e3f",
    "DryRun": False,
}
INVALID: dict[str, Any] = {
    "ResourceIds": ["vpc-0123456789abcdef0", 42],  # not a string (botocore's check too)
    "ResourceType": "vpc",  # not in the enum
    "TrafficType": "ALL",
    "LogDestinationType": "s3",
    "LogGroupName": "my-logs",  # forbidden with s3
    "LogDestination": "arn:aws:s3:::my-flow-log-bucket/AWSLogs/",  # reserved subfolder
    "MaxAggregationInterval": 300,  # 60 or 600
}


def load_validators() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ec2_validators", GENERATED / "validators.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def contenders() -> dict[str, Callable[[dict[str, Any]], int]]:
    """Each validator as a function returning how many issues it reports (0: valid)."""
    ours = load_validators()
    validate = ours.validate_create_flow_logs
    shape = (
        botocore.session.get_session()
        .get_service_model("ec2")
        .operation_model(OPERATION)
        .input_shape
    )
    assert shape is not None
    param_validator = botocore.validate.ParamValidator()
    schema = json.loads(
        (GENERATED / "schemas" / f"{OPERATION}.input.json").read_text(encoding="utf-8")
    )
    json_validator = jsonschema.validators.validator_for(schema)(schema)
    fast_first = fastjsonschema.compile(schema, use_default=False)
    fast_all = fastjsonschema.compile(schema, use_default=False, fast_fail=False)

    def ours_strict(params: dict[str, Any]) -> int:
        return len(validate(params))

    def ours_lenient(params: dict[str, Any]) -> int:
        return len(validate(params, strict=False))

    def ours_strict_first(params: dict[str, Any]) -> int:
        return len(validate(params, fail_fast=True))

    def ours_lenient_first(params: dict[str, Any]) -> int:
        return len(validate(params, strict=False, fail_fast=True))

    def botocore_validator(params: dict[str, Any]) -> int:
        return len(param_validator.validate(params, shape)._errors)

    def jsonschema_all(params: dict[str, Any]) -> int:
        return sum(1 for _ in json_validator.iter_errors(params))

    def fastjsonschema_first(params: dict[str, Any]) -> int:
        try:
            fast_first(params)
        except fastjsonschema.JsonSchemaValueException:
            return 1
        return 0

    def fastjsonschema_all(params: dict[str, Any]) -> int:
        try:
            fast_all(params)
        except fastjsonschema.JsonSchemaValuesException as exc:
            return len(exc.errors)
        except fastjsonschema.JsonSchemaValueException:
            return 1
        return 0

    return {
        "ours, strict=True (default)": ours_strict,
        "ours, strict=False (botocore's checks)": ours_lenient,
        "ours, strict=True, fail_fast=True": ours_strict_first,
        "ours, strict=False, fail_fast=True": ours_lenient_first,
        "botocore ParamValidator": botocore_validator,
        "jsonschema (every error)": jsonschema_all,
        "fastjsonschema (first error; default)": fastjsonschema_first,
        "fastjsonschema (fast_fail=False)": fastjsonschema_all,
    }


def measure(
    function: Callable[[dict[str, Any]], int], params: dict[str, Any], repeat: int
) -> float:
    """Best time of one call, in microseconds."""
    timer = timeit.Timer(lambda: function(params))
    number, _ = timer.autorange()
    number = max(number, 1)
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=7, help="runs per measurement (best is kept)"
    )
    args = parser.parse_args(argv)
    functions = contenders()
    requests = {"valid": VALID, "invalid": INVALID}
    times: dict[str, dict[str, float]] = {}
    found: dict[str, dict[str, int]] = {}
    for name, function in functions.items():
        times[name] = {}
        found[name] = {}
        for label, params in requests.items():
            found[name][label] = function(params)
            times[name][label] = measure(function, params, args.repeat)

    print(
        f"{OPERATION} input validation, microseconds per call (best of {args.repeat}); "
        f"Python {platform.python_version()}, botocore {version('botocore')}, "
        f"jsonschema {version('jsonschema')}, fastjsonschema {version('fastjsonschema')}"
    )
    print()
    width = max(len(name) for name in functions) + 2
    print(f"{'':{width}}{'valid request':>16}{'invalid request':>18}{'issues reported':>18}")
    for name in functions:
        print(
            f"{name:{width}}{times[name]['valid']:>13.2f} us{times[name]['invalid']:>15.2f} us"
            f"{found[name]['invalid']:>18}"
        )
    print()
    # Like for like: each peer against ours in the mode that reports as much as it does (every
    # issue, or the first), strict (checking more than any peer) and lenient (botocore's checks).
    pairs = [
        (
            "botocore ParamValidator",
            "every issue",
            "ours, strict=True (default)",
            "ours, strict=False (botocore's checks)",
        ),
        (
            "jsonschema (every error)",
            "every issue",
            "ours, strict=True (default)",
            "ours, strict=False (botocore's checks)",
        ),
        (
            "fastjsonschema (fast_fail=False)",
            "every issue",
            "ours, strict=True (default)",
            "ours, strict=False (botocore's checks)",
        ),
        (
            "fastjsonschema (first error; default)",
            "first issue",
            "ours, strict=True, fail_fast=True",
            "ours, strict=False, fail_fast=True",
        ),
    ]
    print("Ratios, like for like: the peer's time / ours (above 1: ours is faster)")
    columns = [(mode, label) for mode in ("strict", "lenient") for label in requests]
    print(
        f"{'':{width}}{'ours reporting':>16}"
        + "".join(f"{f'{mode}, {label}':>18}" for mode, label in columns)
    )
    ratio: dict[tuple[str, str, str], float] = {}
    for peer, reporting, strict, lenient in pairs:
        cells = []
        for mode, label in columns:
            ours = strict if mode == "strict" else lenient
            ratio[peer, mode, label] = times[peer][label] / times[ours][label]
            cells.append(ratio[peer, mode, label])
        print(f"{peer:{width}}{reporting:>16}" + "".join(f"{cell:>17.1f}x" for cell in cells))
    print()
    botocore_valid = ratio["botocore ParamValidator", "strict", "valid"]
    fast = [
        ratio[peer, "strict", label]
        for peer in ("fastjsonschema (fast_fail=False)", "fastjsonschema (first error; default)")
        for label in requests
    ]
    print("Targets, in strict mode (ours checks more than any peer):")
    print(
        f"  at least 10x botocore's ParamValidator on the valid request: {botocore_valid:.1f}x "
        f"({'met' if botocore_valid >= 10 else 'not met'})"
    )
    print(
        f"  faster than fastjsonschema on both requests, like for like: "
        f"{min(fast):.1f}x at worst ({'met' if min(fast) > 1 else 'not met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
