"""Check that a change of the generators leaves their output byte for byte as it was.

    .venv/bin/python tools/same_output.py [--against main] [--services ec2,s3,...] [--work DIR]

Imports each service whole from the installed botocore into a spec (``apigen import
WORK/specs/S.json --from botocore:installed --service S``, once: the specs are kept in WORK and
reused), then generates every spec twice into separate folders: with the code of ``--against``
(a git revision, unpacked with ``git archive`` into WORK and run from there) and with the code
of this checkout (its working tree, uncommitted changes included). The two trees must be
identical, file for file and byte for byte; the script names every file that differs, is
missing or is extra, and exits 1 if there is one.

Both runs read the same spec files, so the headers (spec path and digest) agree; the spec
format and the importer are not what is compared. The default services are the eight the
clean-ups of the generators were checked on: large ones with the package layout (ec2, s3,
lambda, datazone), JSON and REST protocols, event streams (bedrock-runtime, kinesis) and a
REST-JSON service with blobs as payloads (iot-data).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = (
    "ec2",
    "s3",
    "dynamodb",
    "kinesis",
    "bedrock-runtime",
    "lambda",
    "iot-data",
    "datazone",
)
# runs the apigen command of the code in sys.argv[1] (the unpacked revision), not the installed one
_RUN_FROM = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import codegen; "
    "assert codegen.__file__.startswith(sys.path[0]), codegen.__file__; "
    "from codegen.cli import main; sys.argv[0] = 'apigen'; main()"
)


def apigen(source: Path, *args: str) -> None:
    """Run the apigen command of the code under ``source`` (a folder holding ``codegen/``)."""
    subprocess.run([sys.executable, "-c", _RUN_FROM, str(source), *args], check=True)


def unpack(revision: str, into: Path) -> None:
    """The ``codegen`` package (code and templates) as it is at ``revision``."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "codegen"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def generate(source: Path, specs: list[Path], out: Path, jobs: str) -> None:
    """``apigen generate`` of ``specs`` into the fresh folder ``out``, by the code in ``source``."""
    if out.exists():
        shutil.rmtree(out)
    apigen(source, "generate", *map(str, specs), "--output", str(out), "--parents", "-j", jobs)


def differences(before: Path, after: Path) -> list[str]:
    """Every file that differs between the trees ``before`` and ``after``, or is in one only."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    old, new = files(before), files(after)
    found = [f"only before: {name}" for name in old - new]
    found += [f"only after: {name}" for name in new - old]
    found += [
        f"differs: {name}"
        for name in old & new
        if (before / name).read_bytes() != (after / name).read_bytes()
    ]
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--against", default="main", help="the git revision to compare with")
    parser.add_argument("--services", default=",".join(SERVICES), help="comma-separated")
    parser.add_argument("--work", type=Path, help="where specs and outputs go (kept)")
    args = parser.parse_args(argv)
    work: Path = args.work or Path(tempfile.mkdtemp(prefix="apigen-same-output-"))
    specs = work / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    services = [s for s in args.services.split(",") if s]
    paths = [specs / f"{service}.json" for service in services]
    for service, spec in zip(services, paths):
        if not spec.exists():
            apigen(ROOT, "import", str(spec), "--from", "botocore:installed", "--service", service)
    revision = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{args.against}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    jobs = os.environ.get("APIGEN_JOBS", "1")
    stamp = work / "before.commit"  # the output of a commit is kept: generated once
    made = f"{revision} {','.join(services)}"
    if not (stamp.exists() and stamp.read_text() == made and (work / "before").is_dir()):
        stamp.unlink(missing_ok=True)
        unpack(revision, work / "revision")
        generate(work / "revision", paths, work / "before", jobs)
        stamp.write_text(made)
    generate(ROOT, paths, work / "after", jobs)
    found = differences(work / "before", work / "after")
    files = sum(1 for p in (work / "after").rglob("*") if p.is_file())
    for line in found:
        print(line)
    print(
        f"{len(services)} services, {files} files: "
        + (f"{len(found)} differ from {args.against}" if found else f"identical to {args.against}")
        + f" ({work})"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
