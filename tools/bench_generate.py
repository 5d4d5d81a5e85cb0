"""Benchmark: whole EC2 generated from the installed botocore, against mypy-boto3-builder.

    .venv/bin/python tools/bench_generate.py [--service ec2] [--no-peer] [--all-services]

For 10%, 25%, 50% and 100% of the service's operations (each in a fresh process, with an
empty format cache, so nothing is reused), prints the time of each stage (import the botocore
model into a spec, write and check that spec, build the model, each generator with its
``ruff format`` time apart, write the files), the wall and CPU time of the whole process (the
machine may be shared: CPU time shows what the run itself costs), its peak memory and that of
its ``ruff`` child processes, and seconds per MB of output at each fraction (linearity). 100% is
the whole service as ``apigen import`` / ``generate --all-services`` take it (shapes no
operation reaches included).

Then runs mypy-boto3-builder on the same service in the same run (installed by this script
into its own virtual environment under the cache folder, from the package index, with the same
botocore and boto3 version as ours, so both read the same model), and prints the ratio.

``--all-services`` also times ``apigen generate --all-services botocore:installed`` (every
service, over every core, empty format cache).

No timing is asserted anywhere in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

ROOT = Path(__file__).resolve().parent.parent
FRACTIONS = (0.10, 0.25, 0.50, 1.00)
PEER = "mypy-boto3-builder"
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _usage() -> dict[str, float]:
    """CPU seconds and peak RSS (bytes) of this process and of its waited-for children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu": me.ru_utime + me.ru_stime,
        "cpu_children": kids.ru_utime + kids.ru_stime,
        "peak": me.ru_maxrss * 1024.0,
        "peak_children": kids.ru_maxrss * 1024.0,
    }


class TreeSampler(threading.Thread):
    """The largest RSS of this process and its live ruff children together, sampled every
    10 ms (Linux /proc): apigen's peak plus that of the ruff process it waits for."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.done = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE")

    def rss(self, pid: str, only: str | None = None) -> int:
        try:
            if only is not None:  # a child not yet exec'd still shares our memory: not counted
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() != only:
                        return 0
            with open(f"/proc/{pid}/statm") as f:
                return int(f.read().split()[1]) * self.page
        except (OSError, ValueError, IndexError):
            return 0

    def run(self) -> None:
        me = str(os.getpid())
        while not self.done.wait(0.01):
            total = self.rss(me)
            try:
                for task in os.listdir(f"/proc/{me}/task"):
                    with open(f"/proc/{me}/task/{task}/children") as f:
                        total += sum(self.rss(pid, "ruff") for pid in f.read().split())
            except OSError:
                pass
            self.peak = max(self.peak, total)


# -- apigen, in a child process ------------------------------------------------------------


def child(service: str, fraction: float, output: Path) -> dict[str, Any]:
    """One measured run (in its own process): stage -> seconds, sizes and resource usage."""
    sys.path.insert(0, str(ROOT))
    from codegen.bridge.releases import installed_release
    from codegen.generators import GENERATORS, base
    from codegen.generators.base import GenerationContext, dump_json, write_outputs
    from codegen.loader import format_spec, parse_spec
    from codegen.pipeline import merge_import, new_spec_document
    from codegen.spec import Spec

    sampler = TreeSampler()
    sampler.start()
    stages: dict[str, float] = {}
    formatting = [0.0]  # ruff format's time, apart

    def timed(real: Callable[_P, _R]) -> Callable[_P, _R]:
        def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                formatting[0] += time.perf_counter() - start

        return run

    base.format_python = timed(base.format_python)
    # a large service's packages: their modules formatted in one ruff run
    base.format_python_files = timed(base.format_python_files)

    start = time.perf_counter()
    release = installed_release()
    raw = release.load_model(service)
    operations = list(raw["operations"])
    count = max(1, round(len(operations) * fraction))
    chosen = None if count == len(operations) else operations[:count]
    shown = f"botocore {release.version}/{service}"
    empty = new_spec_document(release, service, raw)
    spec = Spec(shown, parse_spec(format_spec(empty).encode(), shown), "")
    document, _ = merge_import(spec, release, chosen)
    stages["import botocore model"] = time.perf_counter() - start

    start = time.perf_counter()
    text = format_spec(document).encode()
    spec = Spec(shown, parse_spec(text, shown), "bench")
    stages["write + check spec"] = time.perf_counter() - start

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
        stages[generator.name] = elapsed - formatting[0]
        if formatting[0]:
            stages[f"{generator.name}: ruff format"] = formatting[0]
    start = time.perf_counter()
    files["MANIFEST.json"] = dump_json({"files": sorted(files)})
    write_outputs(output / service, files, check=False)
    stages["write files"] = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    return {
        "peak_tree": sampler.peak,
        "operations": count,
        "stages": stages,
        "output_bytes": sum(len(v.encode()) for v in files.values()),
        "files": len(files),
        **_usage(),
    }


def run_apigen(service: str, fraction: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "APIGEN_CACHE_DIR": str(Path(tmp) / "cache")}  # no format cache
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(fraction),
                "--service",
                service,
                "--output",
                str(Path(tmp) / "out"),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"apigen run failed:\n{done.stderr}")
        result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        result["wall"] = wall
        # The peak of a child counted from here would include this process's memory (Linux
        # charges a vforked child with its parent's RSS until exec): ruff's own peak is taken
        # apart, formatting the largest module again in a fresh small process.
        largest = max((Path(tmp) / "out").rglob("*.py"), key=lambda p: p.stat().st_size)
        sys.path.insert(0, str(ROOT))
        from codegen.generators.base import RUFF_FORMAT_ARGS, _ruff_bin

        ruff = measure([_ruff_bin(), *RUFF_FORMAT_ARGS, str(largest)])
        result["ruff_largest"] = largest.stat().st_size
        result["ruff_peak"] = ruff["peak"]
    return result


# -- any command, measured from a child process --------------------------------------------


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall time, CPU time and peak RSS of ``command`` (and its own children), measured by a
    fresh process that only runs it, so no earlier child's peak counts."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", json.dumps(command)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"measuring {command} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def measured(command: list[str]) -> dict[str, Any]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    usage = _usage()
    return {
        "wall": wall,
        "cpu": usage["cpu_children"],
        "peak": usage["peak_children"],
        "returncode": done.returncode,
        "stdout": done.stdout[-3000:],
        "stderr": done.stderr[-3000:],
    }


# -- the peer ------------------------------------------------------------------------------


def peer_python(botocore_version: str) -> Path:
    """mypy-boto3-builder's interpreter: a virtual environment of its own, with our botocore
    and boto3 version pinned (installed from the package index on first use)."""
    from codegen.bridge.releases import cache_root

    venv = cache_root() / "bench" / f"{PEER}-botocore-{botocore_version}"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing {PEER} (botocore {botocore_version}) into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                PEER,
                f"botocore=={botocore_version}",
                f"boto3=={_boto3_version()}",
            ],
            check=True,
        )
    return python


def _boto3_version() -> str:
    """The boto3 installed beside our botocore (it pins the botocore it goes with)."""
    import importlib.metadata

    return importlib.metadata.version("boto3")


def peer_versions(python: Path) -> str:
    done = subprocess.run(
        [
            str(python),
            "-c",
            (
                "import importlib.metadata as m; print(' '.join(f'{p} {m.version(p)}' for p in "
                f"({PEER!r}, 'boto3', 'botocore')))"
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def run_peer(python: Path, service: str, product: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            str(python),
            "-m",
            "mypy_boto3_builder",
            tmp,
            "-s",
            service,
            "--no-smart-version",
        ]
        if product:
            command += ["--product", product]
        result = measure(command)
        result["output_bytes"] = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
        result["files"] = sum(1 for p in Path(tmp).rglob("*") if p.is_file())
    if result["returncode"] != 0:
        raise SystemExit(f"{PEER} failed:\n{result['stderr']}")
    return result


# -- report --------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 1e6:.0f} MB"


def show_apigen(service: str, fraction: float, r: dict[str, Any]) -> None:
    print(
        f"\n{service} at {fraction:.0%}: {r['operations']} operations, {r['files']} files, "
        f"{r['output_bytes'] / 1e6:.1f} MB of output"
    )
    for stage, seconds in r["stages"].items():
        print(f"  {stage:<34} {seconds:8.2f} s")
    print(f"  {'total (process wall time)':<34} {r['wall']:8.2f} s")
    print(
        f"  {'CPU time':<34} {r['cpu'] + r['cpu_children']:8.2f} s "
        f"({r['cpu']:.2f} s apigen + {r['cpu_children']:.2f} s ruff)"
    )
    print(
        f"  {'peak memory (RSS)':<34} {mb(r['peak']):>10} apigen; ruff formatting the "
        f"largest module ({r['ruff_largest'] / 1e6:.1f} MB) {mb(r['ruff_peak'])}; "
        f"together {mb(r['peak_tree'])} (sampled)"
    )


def all_services(jobs: int | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "APIGEN_CACHE_DIR": str(Path(tmp) / "cache")}  # no format cache
        command = [
            str(Path(sys.executable).with_name("apigen")),
            "generate",
            "--all-services",
            "botocore:installed",
            "--output",
            str(Path(tmp) / "out"),
        ]
        if jobs:
            command += ["--jobs", str(jobs)]
        r = measure(command, env)
        files = sum(1 for p in (Path(tmp) / "out").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (Path(tmp) / "out").rglob("*") if p.is_file())
    print(
        f"\nall services: {' '.join(command[1:4])} ({jobs or os.cpu_count()} workers): "
        f"exit {r['returncode']}"
    )
    print(f"  {r['stdout'].strip().splitlines()[-1] if r['stdout'].strip() else ''}")
    if r["returncode"] != 0:
        print(f"  {r['stderr'].strip()[-2000:]}")
    print(
        f"  {files} files, {size / 1e6:.0f} MB; wall {r['wall'] / 60:.1f} min "
        f"({r['wall']:.0f} s), CPU {r['cpu'] / 60:.1f} min, "
        f"peak memory of the largest process {mb(r['peak'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--service", default="ec2")
    parser.add_argument("--no-peer", action="store_true", help=f"skip {PEER}")
    parser.add_argument(
        "--all-services",
        action="store_true",
        help="also time 'apigen generate --all-services botocore:installed'",
    )
    parser.add_argument("--jobs", type=int, help="workers for --all-services (default: cores)")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.service, args.child, args.output)))
        return
    if args.measure is not None:
        print(json.dumps(measured(json.loads(args.measure))))
        return
    sys.path.insert(0, str(ROOT))
    from codegen.bridge.releases import installed_release

    version = installed_release().version
    print(
        f"apigen at {ROOT}, botocore {version} (installed), Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start"
    )
    rows = []
    for fraction in FRACTIONS:
        result = run_apigen(args.service, fraction)
        rows.append((fraction, result))
        show_apigen(args.service, fraction, result)
    print("\nlinearity, seconds per MB of output (wall / CPU):")
    for fraction, r in rows:
        size = r["output_bytes"] / 1e6
        print(
            f"  {fraction:>4.0%}: {r['wall'] / size:.3f} / "
            f"{(r['cpu'] + r['cpu_children']) / size:.3f}"
        )
    full = rows[-1][1]
    full_cpu = full["cpu"] + full["cpu_children"]
    if not args.no_peer:
        python = peer_python(version)
        print(f"\n{peer_versions(python)}")
        for product, what in (
            (None, "default products (boto3 boto3-stubs)"),
            ("boto3-services", f"only the {args.service} package"),
        ):
            p = run_peer(python, args.service, product)
            print(
                f"{PEER} -s {args.service}, {what}: {p['files']} files, "
                f"{p['output_bytes'] / 1e6:.1f} MB; wall {p['wall']:.1f} s, "
                f"CPU {p['cpu']:.1f} s, peak memory {mb(p['peak'])}"
            )
            print(
                f"  apigen whole {args.service} is {p['wall'] / full['wall']:.1f}x faster "
                f"(wall), {p['cpu'] / full_cpu:.1f}x (CPU)"
            )
    if args.all_services:
        all_services(args.jobs)


if __name__ == "__main__":
    main()
