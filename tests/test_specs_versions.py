"""Specs and versions: impossible dates, unknown --operation, imports that would backdate,
two specs of one service. Each through the real ``apigen`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.bridge.releases import installed_release
from tests.support.paths import ROOT, SPEC

APIGEN = [sys.executable, "-m", "codegen.cli"]
BAD_DATES = ROOT / "tests" / "fixtures" / "bad_specs" / "impossible_dates.json"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        APIGEN + list(args),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ),
        timeout=300,
        check=False,
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apigen: error: "), result.stderr
    return lines[0]


def test_impossible_dates_are_rejected_at_their_pointer() -> None:
    result = run("check", str(BAD_DATES))
    assert result.returncode == 2
    assert "at /versions/1/date: 2020-02-30 is not a calendar date" in result.stderr
    assert "at /versions/2/date: 2020-13-45 is not a calendar date" in result.stderr
    assert "2 problem(s)" in result.stderr


@pytest.mark.parametrize("day", ["2020-02-29", "2024-12-31"])
def test_real_dates_pass(tmp_path: Path, day: str) -> None:
    document = json.loads(BAD_DATES.read_text())
    document["versions"] = document["versions"][:1] + [{"date": day, "summary": "Real."}]
    path = tmp_path / "dates.json"
    path.write_text(json.dumps(document))
    result = run("check", str(path))
    assert result.returncode == 0, result.stderr


def test_an_unknown_operation_is_an_error_like_an_unknown_service() -> None:
    spec = "specs/ec2/flow-logs.json"
    line = error_line(run("diff", f"{spec}@1.14.9", spec, "--operation", "createflowlogs"))
    assert "--operation 'createflowlogs'" in line and "did you mean 'CreateFlowLogs'" in line
    known = run("diff", f"{spec}@1.14.9", spec, "--operation", "CreateFlowLogs")
    assert known.returncode == 1 and "MaxAggregationInterval" in known.stdout


@pytest.mark.network
@pytest.mark.parametrize("service", [(), ("--service", "ec2")], ids=["all", "ec2"])
def test_an_unknown_operation_between_releases(service: tuple[str, ...]) -> None:
    line = error_line(
        run(
            "diff",
            "botocore:1.14.9",
            "botocore:1.14.10",
            *service,
            "--operation",
            "NoSuchOperation",
        )
    )
    assert "--operation 'NoSuchOperation': in neither botocore 1.14.9 nor botocore 1.14.10" in line
    line = error_line(
        run(
            "diff", "botocore:1.14.9", "specs/ec2/flow-logs.json", "--operation", "NoSuchOperation"
        )
    )
    assert "NoSuchOperation" in line


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "flow-logs.json"
    path.write_bytes(SPEC.read_bytes())
    return path


def test_an_import_from_a_newer_release_does_not_backdate(tmp_path: Path) -> None:
    newer = installed_release().version
    assert tuple(map(int, newer.split("."))) > (1, 14, 10)
    copy = _copy(tmp_path)
    before = copy.read_bytes()
    line = error_line(
        run("import", str(copy), "--from", "botocore:installed", "--operation", "DescribeVpcs")
    )
    assert f"botocore {newer} is newer than botocore 1.14.10" in line
    assert "--since" in line and "would backdate DescribeVpcs" in line
    # --since a version older than the release backdates as well
    line = error_line(
        run(
            "import",
            str(copy),
            "--from",
            "botocore:installed",
            "--operation",
            "DescribeVpcs",
            "--since",
            "2020-02-04",
        )
    )
    assert "of version 2020-02-04" in line
    assert copy.read_bytes() == before

    # with a version for the release, the import is dated and history stays as it was
    document = json.loads(before)
    document["versions"].append({"date": "2026-01-01", "botocore": newer, "summary": "Now."})
    copy.write_text(json.dumps(document, indent=2) + "\n")
    done = run(
        "import",
        str(copy),
        "--from",
        "botocore:installed",
        "--operation",
        "DescribeVpcs",
        "--since",
        newer,
    )
    assert done.returncode == 0, done.stderr
    assert run("check", str(copy)).returncode == 0
    old = json.loads(run("export", str(copy), "--as-of", "1.14.9").stdout)
    assert "DescribeVpcs" not in old["operations"] and "Vpc" not in old["shapes"]
    assert "DescribeVpcs" in json.loads(run("export", str(copy)).stdout)["operations"]


@pytest.mark.network
def test_an_import_within_the_specs_history_needs_no_since(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    done = run("import", str(copy), "--from", "botocore:1.14.10", "--operation", "DescribeVpcs")
    assert done.returncode == 0, done.stderr
    line = error_line(
        run(
            "import",
            str(copy),
            "--from",
            "botocore:1.14.10",
            "--operation",
            "DescribeSubnets",
            "--since",
            "2020-01-24",
        )
    )
    assert "botocore 1.14.10 is newer than botocore 1.14.9 of version 2020-01-24" in line


def test_two_specs_of_one_service_under_specs_combine(tmp_path: Path) -> None:
    (tmp_path / "specs" / "ec2").mkdir(parents=True)
    (tmp_path / "specs" / "ec2" / "flow-logs.json").write_bytes(SPEC.read_bytes())
    (tmp_path / "specs" / "ec2" / "vpcs.json").write_bytes(SPEC.read_bytes())
    result = run("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "generated").iterdir()] == ["ec2"]
    assert run("generate", "--check", cwd=tmp_path).returncode == 0


def test_two_specs_of_one_service_under_specs_that_disagree_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "specs" / "ec2").mkdir(parents=True)
    (tmp_path / "specs" / "ec2" / "flow-logs.json").write_bytes(SPEC.read_bytes())
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["shapes"]["FlowLog"]["members"]["FlowLogId"]["shape"] = "Integer"
    (tmp_path / "specs" / "ec2" / "vpcs.json").write_text(json.dumps(document), encoding="utf-8")
    for command in (["generate"], ["generate", "--check"]):
        line = error_line(run(*command, cwd=tmp_path))
        assert "specs/ec2/flow-logs.json" in line and "specs/ec2/vpcs.json" in line
    assert not (tmp_path / "generated").exists()
