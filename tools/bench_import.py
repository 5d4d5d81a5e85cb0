"""Benchmark: importing a large service's generated code, split into lazy packages or not.

Imports a whole service from the installed botocore (default ``ec2``) into a temporary spec,
generates its validators and dataclasses in both layouts (``layout="split"``: the packages a
service of more than 64 operations gets; ``layout="single"``: one module each, as a small
service gets), and times, each in a fresh interpreter:

* ``import validators`` + ``validators.validate(OPERATION, params)`` (one request);
* ``from shapes import <input class>`` + building it with ``from_dict`` (one dataclass);

without bytecode (``PYTHONDONTWRITEBYTECODE=1``, on a fresh copy of the files: what a first
import costs) and with bytecode (``__pycache__`` written by an earlier run), at 25%, 50% and
100% of the service's operations (the operation measured is always included), to show how the
cost grows with the service. Each figure is the median of ``--repeat`` runs, in milliseconds,
measured inside the interpreter (its own start-up excluded), with the modules and bytes it
loaded; the ratio divides the single module's time by the package's (above 1: the package is
cheaper).

Usage: ``.venv/bin/python tools/bench_import.py [--service ec2] [--operation CreateFlowLogs]
[--repeat 5] [--fractions 0.25,0.5,1]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from codegen.bridge.releases import installed_release
from codegen.generators.base import GenerationContext
from codegen.generators.dataclasses_gen import DataclassesGenerator, class_names
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec
from codegen.pipeline import import_operations

# one CreateFlowLogs request (the flow-logs spec's example), as botocore and from_dict take it
EC2_REQUEST: dict[str, Any] = {
    "ResourceIds": ["vpc-0a1b"],
    "ResourceType": "VPC",
    "TrafficType": "ALL",
    "LogDestinationType": "s3",
    "LogDestination": "arn:aws:s3:::my-bucket/flow-logs/",
    "MaxAggregationInterval": 60,
    "TagSpecifications": [{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "k", "Value": "v"}]}],
}

PROBE = """
import json, os, sys, time
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
loaded = [m for m in sys.modules if m.split(".")[0] == {stem!r}]
size = sum(os.path.getsize(sys.modules[m].__file__) for m in loaded)
print(json.dumps({{"ms": elapsed * 1000, "modules": len(loaded), "bytes": size}}))
"""


def probe(folder: Path, stem: str, body: str, *, bytecode: bool) -> dict[str, float]:
    """One fresh interpreter importing ``stem`` from ``folder`` and running ``body``."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    script = PROBE.format(body=textwrap.dedent(body), stem=stem)
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def measure(source: Path, stem: str, body: str, repeat: int) -> dict[str, dict[str, float]]:
    """Median figures without bytecode (a fresh copy each run) and with it."""
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for n in range(repeat):
            fresh = Path(tmp) / f"fresh{n}"
            shutil.copytree(source, fresh)
            runs.append(probe(fresh, stem, body, bytecode=False))
        figures["no bytecode"] = _median(runs)
        warm = Path(tmp) / "warm"
        shutil.copytree(source, warm)
        probe(warm, stem, body, bytecode=True)  # writes __pycache__
        figures["bytecode"] = _median(
            [probe(warm, stem, body, bytecode=True) for _ in range(repeat)]
        )
    return figures


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def generate(spec_path: Path, out: Path, layout: str) -> None:
    spec = load_spec(spec_path)
    context = GenerationContext(spec.model(), spec)
    for generator in (ValidatorsGenerator(layout), DataclassesGenerator(layout)):
        for rel, text in generator.generate(context).items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", default="ec2")
    parser.add_argument("--operation", default="CreateFlowLogs")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fractions", default="0.25,0.5,1")
    args = parser.parse_args()
    release = installed_release()
    everything = sorted(release.load_model(args.service)["operations"])
    if args.operation not in everything:
        parser.error(f"{args.service} has no operation {args.operation}")
    params = EC2_REQUEST if (args.service, args.operation) == ("ec2", "CreateFlowLogs") else {}
    print(
        f"Python {platform.python_version()}, botocore {release.version}, {args.service} "
        f"({len(everything)} operations): import + {args.operation}; median of {args.repeat} "
        "fresh interpreters, ms (modules loaded, KB of source)"
    )
    header = f"{'operations':>10} {'what':<11} {'bytecode':<11} {'single':>22} {'split':>22} {'ratio':>7}"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for fraction in (float(f) for f in args.fractions.split(",")):
            count = max(1, round(len(everything) * fraction))
            step = len(everything) / count
            chosen = sorted({everything[int(i * step)] for i in range(count)} | {args.operation})
            spec_path = root / f"{args.service}-{count}.json"
            import_operations(spec_path, release, chosen, service=args.service)
            model = load_spec(spec_path).model()
            op = model.operations[args.operation]
            assert op.input is not None
            cls = class_names(model)[op.input]
            bodies = {
                "validate": (
                    "validators",
                    f"import validators\nvalidators.validate({args.operation!r}, {params!r})",
                ),
                "dataclass": (
                    "shapes",
                    f"from shapes import {cls}\n{cls}.from_dict({params!r})",
                ),
            }
            folders = {layout: root / f"{count}-{layout}" for layout in ("single", "split")}
            for layout, folder in folders.items():
                generate(spec_path, folder, layout)
            for what, (stem, body) in bodies.items():
                results = {
                    layout: measure(folder, stem, body, args.repeat)
                    for layout, folder in folders.items()
                }
                for mode in ("no bytecode", "bytecode"):
                    single, split = results["single"][mode], results["split"][mode]
                    print(
                        f"{len(chosen):>10} {what:<11} {mode:<11} {_cell(single):>22} "
                        f"{_cell(split):>22} {single['ms'] / split['ms']:>6.1f}x"
                    )


def _cell(figures: dict[str, float]) -> str:
    return f"{figures['ms']:.1f} ({figures['modules']:.0f}, {figures['bytes'] / 1024:.0f} KB)"


if __name__ == "__main__":
    main()
