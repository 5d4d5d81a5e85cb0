"""``apigen diff`` on the command line: sources, exit codes, --output, --ignore, --changelog and
usage errors (one line, exit 2). No network: spec versions and service-2.json files only."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from codegen.bridge.exporter import export_service
from codegen.cli import main
from codegen.diff.changelog import load_changelog, parse_rst
from codegen.loader import load_spec
from tests.support.paths import ROOT, SPEC

FIXTURES = ROOT / "tests" / "fixtures" / "diff"
DEMO = FIXTURES / "demo" / "2020-01-01" / "service-2.json"
OLD, NEW = f"{SPEC}@1.14.9", f"{SPEC}@1.14.10"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["diff", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, OLD, NEW)
    assert code == 1 and "CreateFlowLogs (updated) Link ¶" in out and err == ""
    assert run(capsys, OLD, NEW, "--fail-on", "breaking")[0] == 0
    assert run(capsys, OLD, NEW, "--fail-on", "dangerous")[0] == 0
    assert run(capsys, NEW, OLD, "--fail-on", "breaking")[0] == 1
    code, out, _ = run(capsys, NEW, NEW)
    assert code == 0 and out.startswith("No changes")
    # no '@': the spec's latest version
    assert run(capsys, str(SPEC), NEW)[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.json", NEW], "apigen: error: OLD 'nope.json': no such file"),
        (["1.14.9", NEW], "(a botocore release is written botocore:VERSION)"),
        (
            [f"{SPEC}@1999", NEW],
            "no version '1999'; known versions: 2020-01-24/1.14.9, 2020-02-04/1.14.10",
        ),
        ([OLD, "botocore:"], "NEW 'botocore:': expected botocore:VERSION or botocore:installed"),
        ([OLD, "botocore:1.14.x"], "botocore 1.14.x: not a release number"),
        ([OLD, NEW, "--service", "s3"], "--service 's3': "),
        ([OLD, NEW, "--ignore", "missing.txt"], "--ignore missing.txt: cannot read it"),
        ([OLD, NEW, "--changelog", "missing.rst"], "--changelog missing.rst: cannot read it"),
        ([str(ROOT / "pyproject.toml"), NEW], "is not valid JSON"),
    ],
)
def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("apigen: error: ") and message in err, err


def test_bad_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, OLD, NEW, "--format", "pdf")
    assert code == 2 and "pdf" in err


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "report.json"
    code, out, err = run(capsys, OLD, NEW, "--format", "json", "--output", str(target))
    assert code == 1 and out == "" and err == f"wrote {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["total"] == 2


def test_ignore_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, OLD, NEW, "--format", "json")
    fingerprints = {c["path"]: c["fingerprint"] for c in json.loads(out)["changes"]}
    ignore = tmp_path / "ignore.txt"
    ignore.write_text(
        "# known changes\n"
        f"{fingerprints['MaxAggregationInterval']}   # the request member\n"
        "ec2/DescribeFlowLogs/response/FlowLogs.*\n"
        "RemovedOperation\n"
        "AddedMember NoSuchMember\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, OLD, NEW, "--ignore", str(ignore), "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["changes"] == [] and len(document["suppressed"]) == 2
    assert err.splitlines() == [
        f"apigen: warning: --ignore {ignore}:4: 'RemovedOperation' matched no change",
        f"apigen: warning: --ignore {ignore}:5: 'AddedMember NoSuchMember' matched no change",
    ]
    # a rule id suppresses every change of that rule; exit status follows what remains
    ignore.write_text("AddedMember\n", encoding="utf-8")
    code, out, err = run(capsys, OLD, NEW, "--ignore", str(ignore))
    assert (code, err) == (0, "") and out.startswith("No changes")
    # member paths without '/' match the path alone; misspelt rule ids get a hint
    ignore.write_text("FlowLogs.MaxAggregationInterval\nAddedMembr\n", encoding="utf-8")
    code, out, err = run(capsys, OLD, NEW, "--ignore", str(ignore))
    assert code == 1 and "CreateFlowLogs (updated)" in out and "DescribeFlowLogs" not in out
    assert "'AddedMembr' matched no change (did you mean rule AddedMember?)" in err


def test_ignore_file_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ignore = tmp_path / "ignore.json"
    ignore.write_text(
        json.dumps(
            [
                {"rule": "AddedMember", "path": "ec2/*/request/*", "reason": "known"},
                "path:FlowLogs.*",
            ]
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, OLD, NEW, "--ignore", str(ignore))
    assert (code, err) == (0, "") and out.startswith("No changes")
    ignore.write_text(json.dumps([{"rule": "NoSuchRule"}]), encoding="utf-8")
    code, _, err = run(capsys, OLD, NEW, "--ignore", str(ignore))
    assert code == 2 and "unknown rule id 'NoSuchRule'" in err


def exported(tmp_path: Path, version: str, *, gz: bool = False) -> Path:
    """The spec as of ``version`` written as botocore's <service>/<api-version>/service-2.json."""
    model = load_spec(SPEC).model(version)
    folder = tmp_path / version / "ec2" / "2016-11-15"
    folder.mkdir(parents=True)
    data = json.dumps(export_service(model)).encode("utf-8")
    path = folder / ("service-2.json.gz" if gz else "service-2.json")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_service2_files_plain_and_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = exported(tmp_path, "1.14.9"), exported(tmp_path, "1.14.10", gz=True)
    code, out, _ = run(capsys, str(old), str(new))
    assert code == 1
    lines = out.splitlines()
    assert lines[:3] == [
        f"OLD read {old} only (no paginators-1.json beside it)",
        f"NEW read {new} only (no paginators-1.json beside it)",
        "",
    ]
    assert (
        lines[5] == "Amazon Elastic Compute Cloud - 2 updated api methods"
    )  # files carry no date
    assert "{'FlowLogs': {'MaxAggregationInterval': 'integer'}}" in out
    # a file against a spec version: only the spec's operations are compared; the export
    # carries no documented constraints, which the spec's version has
    code, out, _ = run(capsys, str(old), NEW, "--format", "json")
    rules = {(c["operation"], c["path"], c["rule"]) for c in json.loads(out)["changes"]}
    assert ("CreateFlowLogs", "MaxAggregationInterval", "AddedMember") in rules
    assert (
        "CreateFlowLogs",
        "ResourceIds",
        "TightenedLength",
    ) in rules  # documented: at most 1000
    # a folder holding a service-2.json is a source too
    assert run(capsys, str(old.parent), str(old))[0] == 0


def test_demo_service_file_and_operation_filter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "demo" / "2020-01-01"
    copy.mkdir(parents=True)
    raw = json.loads(DEMO.read_text(encoding="utf-8"))
    raw["shapes"]["Kind"]["enum"].append("huge")
    (copy / "service-2.json").write_text(json.dumps(raw), encoding="utf-8")
    shutil.copy(DEMO.parent / "paginators-1.json", copy / "paginators-1.json")
    code, out, _ = run(
        capsys,
        str(DEMO),
        str(copy / "service-2.json"),
        "--operation",
        "GetThing",
        "--format",
        "json",
    )
    document = json.loads(out)
    assert code == 1 and {c["operation"] for c in document["changes"]} == {"GetThing"}
    assert document["services"][0]["service"] == "demo"  # from the folder layout


def test_changelog_formats() -> None:
    log = load_changelog(FIXTURES / "CHANGELOG.rst")
    assert (
        log.summary("1.14.10", "ec2")
        == "Amazon VPC Flow Logs adds support for 1-minute aggregation intervals."
    )
    assert log.summary("1.14.10", "s3") is None and log.summary("1.14.8", "ec2") is None
    real = load_changelog(FIXTURES / "botocore-CHANGELOG-1.14.8-1.14.11.rst")
    assert real.summary("1.14.10", "ec2") == "Update ec2 client to latest version"
    assert sorted(real.releases) == ["1.14.10", "1.14.11", "1.14.8", "1.14.9"]
    changes = load_changelog(FIXTURES / "1.14.10.json")
    assert changes.summary("1.14.10", "kafka") == "Update kafka client to latest version"
    wrapped = parse_rst("1.2.3\n=====\n\n* api-change:``ec2``: [``botocore``] One\n  two.\n")
    assert wrapped.summary("1.2.3", "ec2") == "One two."
