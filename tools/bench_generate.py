"""Benchmark: whole EC2 generated from the installed botocore, against mypy-boto3-builder.

    .venv/bin/python tools/bench_generate.py [--service ec2] [--no-peer]

For 10%, 25%, 50% and 100% of the service's operations (each in a fresh process, with an
empty format cache, so nothing is reused), prints the time of each stage (import the botocore
model into a spec and check it, build the model, each generator with its formatting, write the
files), the wall and CPU time of the process (the machine may be shared: CPU time shows what
the run itself costs) and its peak memory. Then runs mypy-boto3-builder on the same service in the
same run (installed by this script into its own virtual environment under the cache folder,
from the package index) and prints the ratio. No timing is asserted anywhere in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRACTIONS = (0.10, 0.25, 0.50, 1.00)


def child(service: str, fraction: float, output: Path) -> dict[str, object]:
    """One measured run (in its own process): stage -> seconds, and the peak RSS."""
    sys.path.insert(0, str(ROOT))
    from codegen.bridge.releases import installed_release
    from codegen.generators import GENERATORS, base
    from codegen.generators.base import GenerationContext, dump_json, write_outputs
    from codegen.loader import format_spec, parse_spec
    from codegen.pipeline import merge_import, new_spec_document
    from codegen.spec import Spec

    stages: dict[str, float] = {}
    formatting = [0.0]
    real_format = base.format_python

    def timed_format(text: str, generator: str = "apigen") -> str:
        start = time.perf_counter()
        try:
            return real_format(text, generator)
        finally:
            formatting[0] += time.perf_counter() - start

    base.format_python = timed_format  # type: ignore[assignment]

    start = time.perf_counter()
    release = installed_release()
    raw = release.load_model(service)
    operations = list(raw["operations"])
    chosen = operations[: max(1, round(len(operations) * fraction))]
    shown = f"botocore {release.version}/{service}"
    empty = new_spec_document(release, service, raw)
    spec = Spec(shown, parse_spec(format_spec(empty).encode(), shown), "")
    document, _ = merge_import(spec, release, chosen)
    text = format_spec(document).encode()
    spec = Spec(shown, parse_spec(text, shown), "bench")
    stages["import + check spec"] = time.perf_counter() - start

    start = time.perf_counter()
    model = spec.model()
    context = GenerationContext(model=model, spec=spec)
    stages["build model"] = time.perf_counter() - start

    files: dict[str, str] = {}
    for generator in GENERATORS:
        formatting[0] = 0.0
        start = time.perf_counter()
        files.update(generator.generate(context))
        elapsed = time.perf_counter() - start
        stages[f"{generator.name}"] = elapsed - formatting[0]
        if formatting[0]:
            stages[f"{generator.name}: ruff format"] = formatting[0]
    start = time.perf_counter()
    files["MANIFEST.json"] = dump_json({"files": sorted(files)})
    write_outputs(output / service, files, check=False)
    stages["write files"] = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cpu = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF),
                      resource.getrusage(resource.RUSAGE_CHILDREN))
    )
    size = sum(len(v.encode()) for v in files.values())
    return {
        "operations": len(chosen),
        "stages": stages,
        "peak_bytes": peak,
        "cpu": cpu,
        "output_bytes": size,
        "files": len(files),
    }


def run_child(service: str, fraction: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "APIGEN_CACHE_DIR": str(Path(tmp) / "cache")}  # no format cache
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(fraction), "--service", service,
             "--output", str(Path(tmp) / "out")],
            env=env, capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"child run failed:\n{done.stderr}")
        wall = json.loads(done.stdout.splitlines()[-1])
        return wall  # type: ignore[no-any-return]


def peer(service: str) -> float | None:
    """Seconds mypy-boto3-builder takes for ``service`` (None if it cannot be run here)."""
    from codegen.bridge.releases import cache_root

    venv = cache_root() / "bench" / "mypy-boto3-builder"
    python = venv / "bin" / "python"
    if not python.exists():
        print("installing mypy-boto3-builder into", venv, file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "mypy-boto3-builder"],
                       check=True)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = subprocess.run(
            [str(python), "-m", "mypy_boto3_builder", tmp, "-s", service, "--no-smart-version"],
            capture_output=True, text=True, check=False,
        )
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print("mypy-boto3-builder failed:", done.stderr[-2000:], file=sys.stderr)
        return None
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--service", default="ec2")
    parser.add_argument("--no-peer", action="store_true", help="skip mypy-boto3-builder")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.service, args.child, args.output)))
        return
    sys.path.insert(0, str(ROOT))
    rows = []
    for fraction in FRACTIONS:
        start = time.perf_counter()
        result = run_child(args.service, fraction)
        result["wall"] = time.perf_counter() - start
        rows.append((fraction, result))
        stages = result["stages"]
        assert isinstance(stages, dict)
        print(f"\n{args.service} at {fraction:.0%}: {result['operations']} operations, "
              f"{result['files']} files, {int(result['output_bytes']) / 1e6:.1f} MB of output")
        for stage, seconds in stages.items():
            print(f"  {stage:<34} {seconds:8.2f} s")
        print(f"  {'total (process wall time)':<34} {result['wall']:8.2f} s "
              f"({float(result['cpu']):.2f} s of CPU, with ruff), "
              f"peak memory {int(result['peak_bytes']) / 1e6:.0f} MB")
    full = rows[-1][1]["wall"]
    print("\nseconds per MB of output:",
          ", ".join(f"{f:.0%}: {float(r['wall']) / (int(r['output_bytes']) / 1e6):.2f}"
                    for f, r in rows))
    if not args.no_peer:
        seconds = peer(args.service)
        if seconds is not None:
            print(f"mypy-boto3-builder -s {args.service}: {seconds:.1f} s; "
                  f"apigen (100%): {float(full):.1f} s: {seconds / float(full):.1f}x faster")


if __name__ == "__main__":
    main()
