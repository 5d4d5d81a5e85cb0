"""botocore model files as ``apigen diff`` reads them: malformed structure reported with the file
and a JSON pointer; which files each side read; models of different services refused unless
asked; ``--details`` in the JSON format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from codegen.bridge.modelcheck import model_problems, paginator_problems
from codegen.cli import main
from codegen.model import SHAPE_TYPES
from tests.support.helpers import release
from tests.support.paths import ROOT, SPEC

REPORT_SCHEMA = json.loads(
    (ROOT / "specs" / "diff-report.schema.json").read_text(encoding="utf-8")
)

pytestmark = pytest.mark.network


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def model_file(service: str) -> Path:
    return release("1.14.10").model_path(service)


def copy_model(tmp_path: Path, service: str, name: str, *, pages: bool = True) -> Path:
    """A copy of the service's 1.14.10 model folder (with its paginators file unless not ``pages``)."""
    folder = tmp_path / name
    folder.mkdir()
    source = model_file(service)
    shutil.copy(source, folder / "service-2.json")
    if pages and (source.parent / "paginators-1.json").is_file():
        shutil.copy(source.parent / "paginators-1.json", folder / "paginators-1.json")
    return folder / "service-2.json"


def edit(path: Path, change: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


def _set(*keys: str, value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        node = document
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return change


# -- malformed models: every problem, with the file and a JSON pointer ---------------------------


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [
        (
            _set("operations", value=[1, 2]),
            "/operations",
            "expected an object of operations, found an array",
        ),
        (
            _set("shapes", "roleSessionNameType", "max", value=""),
            "/shapes/roleSessionNameType/max",
            "expected a number, found a string",
        ),
        (
            _set("shapes", "AssumeRoleRequest", "members", "RoleArn", "shape", value={"x": 1}),
            "/shapes/AssumeRoleRequest/members/RoleArn/shape",
            "expected a shape name (a string), found an object",
        ),
        (
            _set("operations", "AssumeRole", "input", value=None),
            "/operations/AssumeRole/input",
            "expected a shape reference (an object), found null",
        ),
        (
            _set("operations", "AssumeRole", "errors", value=1),
            "/operations/AssumeRole/errors",
            "expected an array of shape references, found a number",
        ),
        (
            _set("shapes", "AssumeRoleRequest", "required", value=["RoleArn", 7]),
            "/shapes/AssumeRoleRequest/required/1",
            "expected a string, found a number",
        ),
        (
            _set("shapes", "AssumeRoleRequest", "members", "RoleArn", "shape", value="Nope"),
            "/shapes/AssumeRoleRequest/members/RoleArn/shape",
            "unknown shape 'Nope'",
        ),
        (
            _set("shapes", "tagListType", "type", value="array"),
            "/shapes/tagListType/type",
            f"unknown shape type 'array' (expected one of {', '.join(SHAPE_TYPES)})",
        ),
        (
            _set("documentation", value=True),
            "/documentation",
            "expected a string, found a boolean",
        ),
        (
            _set("metadata", "endpointPrefix", value=5),
            "/metadata/endpointPrefix",
            "expected a string, found a number",
        ),
    ],
)
@pytest.mark.parametrize("side", ["old", "new"])
def test_malformed_model_named_cases(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Any,
    pointer: str,
    message: str,
    side: str,
) -> None:
    good = copy_model(tmp_path, "sts", "good")
    bad = copy_model(tmp_path, "sts", "bad")
    edit(bad, change)
    args = (str(bad), str(good)) if side == "old" else (str(good), str(bad))
    code, out, err = run(capsys, "diff", *args, "--details")
    assert code == 2 and out == "", err
    lines = err.splitlines()
    assert lines[0].startswith(f"apigen: error: {bad}: not a usable botocore model: ")
    assert f"  {bad} at {pointer}: {message}" in lines, err
    assert "internal error" not in err and "Traceback" not in err


def test_malformed_paginators_beside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = copy_model(tmp_path, "ec2", "good")
    bad = copy_model(tmp_path, "ec2", "bad")
    pages = bad.parent / "paginators-1.json"
    edit(pages, _set("pagination", "DescribeFlowLogs", "result_key", value=7))
    code, _, err = run(capsys, "diff", str(good), str(bad), "--operation", "DescribeFlowLogs")
    assert code == 2
    assert (
        f"  {pages} at /pagination/DescribeFlowLogs/result_key: expected an array of strings, found a number"
        in err.splitlines()
    ), err


def test_every_problem_listed_at_most_twenty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = copy_model(tmp_path, "sts", "good")
    bad = copy_model(tmp_path, "sts", "bad")

    def break_all(document: dict[str, Any]) -> None:
        for shape in document["shapes"].values():
            shape["documentation"] = 1

    edit(bad, break_all)
    count = len(json.loads(good.read_text(encoding="utf-8"))["shapes"])
    code, _, err = run(capsys, "diff", str(good), str(bad))
    assert code == 2 and f"{count} problem(s)" in err
    assert err.count(" at /shapes/") == 20 and f"... and {count - 20} more" in err


@pytest.mark.parametrize("service", ["sts", "ec2", "s3", "lambda", "dynamodb"])
def test_real_models_have_no_problems(service: str) -> None:
    """No false alarms: botocore's own models and paginators pass."""
    r = release("1.14.10")
    assert model_problems(r.load_model(service)) == []
    assert paginator_problems({"pagination": r.load_paginators(service) or {}}) == []


# -- which files each side read ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_report_names_the_files_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    with_pages = copy_model(tmp_path, "ec2", "a")
    without = copy_model(tmp_path, "ec2", "b", pages=False)
    code, out, _ = run(capsys, "diff", str(with_pages), str(without), "--format", fmt)
    assert code == 1  # every paginator is gone
    old_line = f"OLD read {with_pages} and {with_pages.parent / 'paginators-1.json'}"
    new_line = f"NEW read {without} only (no paginators-1.json beside it)"
    if fmt == "json":
        document = json.loads(out)
        jsonschema.validate(document, REPORT_SCHEMA)
        assert document["old"]["files"] == [
            str(with_pages),
            str(with_pages.parent / "paginators-1.json"),
        ]
        assert document["new"]["files"] == [str(without)]
        assert {c["rule"] for c in document["changes"]} == {"RemovedPagination"}
    else:
        assert old_line in out and new_line in out
    if fmt == "text":
        assert out.splitlines()[:3] == [old_line, new_line, ""]


def test_spec_and_release_sides_name_no_files(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "diff", f"{SPEC}@1.14.9", str(SPEC), "--format", "json")
    document = json.loads(out)
    assert "files" not in document["old"] and "files" not in document["new"]
    _, text, _ = run(capsys, "diff", f"{SPEC}@1.14.9", str(SPEC))
    assert " read " not in text.splitlines()[0]


# -- different services -------------------------------------------------------------------------


def test_different_services_refused_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    s3, ec2 = model_file("s3"), model_file("ec2")
    code, out, err = run(capsys, "diff", str(s3), str(ec2))
    assert code == 2 and out == ""
    assert err == (
        f"apigen: error: {s3} is service 's3' but {ec2} is service 'ec2'; "
        "pass --allow-service-mismatch to compare them anyway\n"
    )
    code, out, err = run(capsys, "diff", str(SPEC), str(s3))
    assert code == 2 and "is service 'ec2' but" in err and "is service 's3'" in err
    code, out, err = run(
        capsys, "diff", str(s3), str(ec2), "--allow-service-mismatch", "--format", "json"
    )
    assert code == 1 and err == ""
    rules = {c["rule"] for c in json.loads(out)["changes"]}
    assert {"AddedOperation", "RemovedOperation", "ChangedServiceMetadata"} <= rules


def test_same_service_in_a_renamed_folder_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = copy_model(tmp_path, "ec2", "anything")
    code, out, _ = run(
        capsys, "diff", str(model_file("ec2")), str(copy), "--operation", "CreateFlowLogs"
    )
    assert code == 0 and "No changes" in out


# -- --details with --format json ---------------------------------------------------------------


def test_details_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("diff", f"{SPEC}@1.14.9", f"{SPEC}@1.14.10", "--format", "json")
    _, plain, _ = run(capsys, *args)
    _, detailed, _ = run(capsys, *args, "--details")
    _, text, _ = run(capsys, *args[:3], "--details")
    plain_doc, detailed_doc = json.loads(plain), json.loads(detailed)
    jsonschema.validate(detailed_doc, REPORT_SCHEMA)
    assert all("details" not in op for s in plain_doc["services"] for op in s["operations"])
    ops = {op["name"]: op for s in detailed_doc["services"] for op in s["operations"]}
    create = ops["CreateFlowLogs"]["details"]
    assert create[0].startswith(
        "Creates one or more flow logs to capture information about IP traffic"
    )
    assert any(line.strip().startswith("MaxAggregationInterval") for line in create)
    # the same lines the text format shows
    for line in create:
        assert line in text.splitlines()
