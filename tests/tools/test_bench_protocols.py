"""tools/bench_protocols.py runs end to end on one protocol against moto (skipped where no
Python here imports moto): both sides read botocore's params back, the parse rows carry the
standard library's decoding of the same body and the ceiling it leaves. No timing is asserted."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.paths import ROOT


def test_bench_protocols_prints_ratios_and_the_decoding_floor() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "bench_protocols.py"),
            "--only",
            "dynamodb",
            "--sizes",
            "1,10",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode == 2 and "imports moto" in done.stderr:  # the tool finds moto itself
        pytest.skip("no Python here imports moto (pip install -e '.[bench]')")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    number = r"\d+\.\d+"
    for n in (1, 10):
        parse = re.search(
            rf"parse PutItem N={n} .*?({number})x  stdlib decode ({number}) ms,"
            rf" ceiling ({number})x",
            done.stdout,
        )
        assert parse is not None, done.stdout
        assert float(parse.group(2)) > 0 and float(parse.group(3)) > 0
        serialize = re.search(rf"serialize Scan N={n} .*?({number})x$", done.stdout, re.MULTILINE)
        assert serialize is not None, done.stdout
    assert "cbor" not in done.stdout  # --only chose one protocol
