"""How a whole-service spec grows as ``apigen update`` takes it through botocore releases,
against keeping one spec file per release.

The service is imported whole at the first release, then updated to each later one in turn
(nothing regenerated). After each update the tool prints the spec's size, what one file per
release would take by then (a whole-service import at each release so far, summed), the
ratio of the two, gzip sizes of both (what a repository stores), and the processor time the
update and a load of the spec took (processor time, not wall time: the machine may be
shared). The figure in docs/botocore-bridge.md comes from::

    python tools/spec_growth.py --service ec2 --first 1.14.10 --minors 15-41,43-44 --then 1.44.18

(EC2 from botocore 1.14.10 through 1.15.0, 1.16.0, ..., 1.44.0 and 1.44.18: 30 releases a
few months apart; there is no 1.42.0. Each is fetched once with ``apigen botocore fetch`` and
cached.) ``--keep DIR`` keeps the final spec there.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

from codegen.bridge.releases import resolve_release
from codegen.loader import format_spec, load_spec
from codegen.pipeline import import_operations, release_spec
from codegen.update import update_spec, write_update


def releases(first: str, minors: str, extra: list[str]) -> list[str]:
    """``first``, then ``1.N.0`` for each N of ``minors`` (ranges: ``15-41,43-44``), then
    ``extra``."""
    chain = [first]
    for part in filter(None, minors.split(",")):
        low, _, high = part.partition("-")
        chain += [f"1.{n}.0" for n in range(int(low), int(high or low) + 1)]
    return chain + extra


def zipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", default="ec2")
    parser.add_argument("--first", default="1.14.10", help="the release imported whole")
    parser.add_argument("--minors", default="15-41,43-44", help="then 1.N.0 for N in these")
    parser.add_argument("--then", nargs="*", default=["1.44.18"], help="then these releases")
    parser.add_argument("--keep", type=Path, help="a folder to keep the final spec in")
    args = parser.parse_args(argv)
    chain = releases(args.first, args.minors, args.then)
    folder = Path(tempfile.mkdtemp(prefix="spec-growth-"))
    path = folder / f"{args.service}.json"
    try:
        first = resolve_release(chain[0])
        import_operations(path, first, None, service=args.service)
        apart = len(path.read_bytes())
        apart_zipped = zipped(path.read_bytes())
        print(
            f"{'release':>8} {'built':>10} {'versions':>8} {'spec':>12} {'per release':>13} "
            f"{'ratio':>6} {'spec gz':>10} {'per rel. gz':>12} {'update cpu s':>12} {'load cpu s':>10}"
        )
        print(
            f"{first.version:>8} {first.build_date or '-'!s:>10} {1:>8} {apart:>12,} "
            f"{apart:>13,} {1.0:>6.2f} {apart_zipped:>10,} {apart_zipped:>12,} {'-':>12} {'-':>10}"
        )
        for count, version in enumerate(chain[1:], start=2):
            release = resolve_release(version)
            started = time.process_time()
            write_update(path, update_spec(path, version))
            took = time.process_time() - started
            started = time.process_time()
            load_spec(path)
            loaded = time.process_time() - started
            data = path.read_bytes()
            alone = format_spec(release_spec(release, args.service).document).encode()
            apart += len(alone)
            apart_zipped += zipped(alone)
            print(
                f"{release.version:>8} {release.build_date or '-'!s:>10} {count:>8} "
                f"{len(data):>12,} {apart:>13,} {apart / len(data):>6.2f} {zipped(data):>10,} "
                f"{apart_zipped:>12,} {took:>12.1f} {loaded:>10.1f}",
                flush=True,
            )
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, args.keep / path.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
