"""tools/bench_generate.py runs end to end (on a small service, without the peer): it prints
every stage at each fraction, resource usage and the linearity lines. No timing is asserted."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.support.paths import ROOT


def test_bench_generate_runs_on_a_small_service() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "bench_generate.py"),
            "--service",
            "sts",
            "--no-peer",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for fraction in ("10%", "25%", "50%", "100%"):
        assert f"sts at {fraction}: " in out
    stages = (
        "import botocore model",
        "write + check spec",
        "build model",
        "dataclasses",
        "dataclasses: ruff format",
        "validators",
        "jsonschema",
        "write files",
    )
    for stage in stages:
        assert len(re.findall(rf"^  {re.escape(stage)} +\d+\.\d\d s$", out, re.MULTILINE)) == 4, (
            stage
        )
    peaks = re.findall(
        r"^  peak memory \(RSS\) +(\d+) MB apigen; ruff .* \d+ MB; together "
        r"(\d+) MB \(sampled\)$",
        out,
        re.MULTILINE,
    )
    assert len(peaks) == 4
    for apigen, together in peaks:  # the sample counts apigen itself (its peak, near enough)
        assert int(together) >= 0.8 * int(apigen)
    # at 100% the whole service: every operation botocore has
    import botocore.session

    operations = botocore.session.get_session().get_service_model("sts").operation_names
    assert f"sts at 100%: {len(operations)} operations" in out
    assert re.search(r"^linearity, seconds per MB of output", out, re.MULTILINE)
    assert len(re.findall(r"^ +\d+%: \d+\.\d+ / \d+\.\d+$", out, re.MULTILINE)) == 4
