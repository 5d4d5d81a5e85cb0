"""The apigen command line, run as users run it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import botocore_subset, release, strip_docs
from tests.support.paths import ROOT, SPEC

APIGEN = [sys.executable, "-m", "codegen.cli"]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    return subprocess.run(
        APIGEN + list(args),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


COMMANDS = [
    [],
    ["check"],
    ["rules"],
    ["versions"],
    ["diff"],
    ["export"],
    ["import"],
    ["generate"],
    ["botocore"],
    ["botocore", "fetch"],
    ["botocore", "services"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "apigen")
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: apigen")
    assert len(result.stdout.splitlines()) > 3


def test_versions_lists_date_release_and_summary() -> None:
    result = run("versions", str(SPEC))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["VERSION", "DATE", "BOTOCORE", "SUMMARY"]
    assert lines[2].split()[:3] == ["2020-02-04", "2020-02-04", "1.14.10"]
    assert lines[2].endswith(
        "Amazon VPC Flow Logs adds support for 1-minute aggregation intervals."
    )


OPERATIONS = ("CreateFlowLogs", "DeleteFlowLogs", "DescribeFlowLogs")


@pytest.mark.network
@pytest.mark.parametrize(
    "as_of, has_new_member, version",
    [
        ("1.14.9", False, "1.14.9"),
        ("2020-01-24", False, "1.14.9"),
        ("1.14.10", True, "1.14.10"),
        ("2020-02-04", True, "1.14.10"),
        (None, True, "1.14.10"),
    ],
)
def test_export_as_of(as_of: str | None, has_new_member: bool, version: str) -> None:
    """What the command writes is botocore's own file of that release (for the spec's
    operations and the shapes they reach), documentation aside."""
    args = ["export", str(SPEC), "--format", "botocore"] + (["--as-of", as_of] if as_of else [])
    result = run(*args)
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    theirs = botocore_subset(release(version).load_model("ec2"), OPERATIONS)
    assert strip_docs(exported) == strip_docs(theirs)
    assert exported["operations"]["CreateFlowLogs"]["documentation"].startswith(
        "<p>Creates one or more flow logs to capture information about IP traffic"
    )
    members = exported["shapes"]["CreateFlowLogsRequest"]["members"]
    assert ("MaxAggregationInterval" in members) is has_new_member
    text = json.dumps(exported)
    for key in ('"documented":', '"rules":', '"documentedErrors":', '"formats":', '"since":'):
        assert key not in text  # the spec's own rules and versioning stay out of botocore's format


@pytest.mark.network
def test_export_to_file_and_data_path(tmp_path: Path) -> None:
    out = tmp_path / "service-2.json"
    result = run("export", str(SPEC), "--output", str(out), "--data-path", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    theirs = botocore_subset(release("1.14.10").load_model("ec2"), OPERATIONS)
    assert strip_docs(json.loads(out.read_text())) == strip_docs(theirs)
    folder = tmp_path / "data" / "ec2" / "2016-11-15"
    assert (folder / "service-2.json").read_text() == out.read_text()
    assert (
        "DescribeFlowLogs" in json.loads((folder / "paginators-1.json").read_text())["pagination"]
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "specs/ec2/flow-logs.json", "--as-of", "1.99.0"], "no version '1.99.0'"),
        (["export", "no/such/spec.json"], "cannot read the file"),
        (["versions", "tests/fixtures/bad_specs/malformed_json.json"], "malformed JSON"),
        (
            ["import", "specs/ec2/flow-logs.json", "--from", "pypi:1", "--operation", "X"],
            "expected botocore:VERSION",
        ),
        (["botocore", "fetch", "1.14"], "not a release number"),
        (["export", str(SPEC), "--format", "yaml"], "Invalid value for '--format'"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_bad_input_is_one_clear_error_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_lists_every_problem_of_a_bad_spec() -> None:
    result = run("check", "tests/fixtures/bad_specs/contradicting_constraints.json", str(SPEC))
    assert result.returncode == 2
    assert "9 problem(s)" in result.stderr
    assert result.stderr.count("\n  ") == 9
    assert "specs/ec2/flow-logs.json: ok (3 operations" in result.stdout


@pytest.mark.network
def test_botocore_fetch_cached_release() -> None:
    result = run("botocore", "fetch", "1.14.10")
    assert result.returncode == 0, result.stderr
    assert "botocore 1.14.10:" in result.stdout and "built 2020-02-04" in result.stdout
    services = run("botocore", "services", "1.14.10").stdout.split()
    assert "ec2" in services and len(services) > 200


@pytest.mark.network
def test_botocore_fetch_unknown_release() -> None:
    result = run("botocore", "fetch", "9.9.9")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "botocore 9.9.9:" in result.stderr


def test_generate_then_check(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    first = run("generate", "--output", str(out))
    assert first.returncode == 0, first.stderr
    assert (out / "ec2" / "MANIFEST.json").is_file()
    assert run("generate", "--output", str(out), "--check").returncode == 0
    victim = out / "ec2" / "botocore" / "ec2" / "2016-11-15" / "service-2.json"
    victim.write_text(
        victim.read_text().replace("MaxAggregationInterval", "MaxAggregationIntervals")
    )
    (out / "ec2" / "leftover.py").write_text("x = 1\n")
    stale = run("generate", "--output", str(out), "--check")
    assert stale.returncode == 1
    assert "service-2.json (differs from the spec)" in stale.stderr
    assert "leftover.py: left alone" in stale.stderr  # not written by apigen: not stale
    assert run("generate", "--output", str(out)).returncode == 0
    assert (out / "ec2" / "leftover.py").read_text() == "x = 1\n"
    assert run("generate", "--output", str(out), "--check").returncode == 0


def test_committed_generated_folder_is_up_to_date() -> None:
    result = run("generate", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
