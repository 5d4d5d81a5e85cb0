"""``apigen update`` on a copy of the flow-logs spec (specs/ is never modified): from botocore
1.14.10 to the installed release. Checked against botocore, not against ourselves: the new
version equals the installed botocore's model, every earlier version still equals its own
release, and the new version's report equals the diff of the two releases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.conformance import documented_rules, structural_differences
from codegen.diff import diff, parse_source
from codegen.loader import load_spec
from tests.support.helpers import botocore_model, release
from tests.support.paths import SPEC

pytestmark = pytest.mark.network

OPERATIONS = ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")


def run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exited:
        return int(exited.code or 0)
    return 0


def apigen(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The spec copy after ``apigen update --to botocore:installed`` and its output folder."""
    tmp = tmp_path_factory.mktemp("update")
    copy = tmp / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    assert (
        run(
            ["update", str(copy), "--to", "botocore:installed", "--output", str(tmp / "generated")]
        )
        == 0
    )
    return copy, tmp / "generated"


def key(change: object) -> tuple[str, ...]:
    return tuple(
        str(getattr(change, a)) for a in ("operation", "direction", "path", "rule", "subject")
    )


def followed(change: Any) -> bool:
    """A change a spec of chosen operations records: to its operations, or to the service's
    metadata (how it goes on the wire); the service's documentation is not followed."""
    return change.operation is not None or change.rule == "ChangedServiceMetadata"


def test_new_version_equals_the_installed_botocore(updated: tuple[Path, Path]) -> None:
    spec = load_spec(updated[0])
    installed = release("installed").version
    latest = spec.latest
    assert (latest.botocore, latest.summary) == (installed, "3 updated api methods")
    assert latest.date > "2020-02-04" and [v.botocore for v in spec.versions] == [
        "1.14.9",
        "1.14.10",
        installed,
    ]
    for as_of, version in (("1.14.9", "1.14.9"), ("1.14.10", "1.14.10"), (installed, "installed")):
        differences = structural_differences(
            spec.model(as_of),
            botocore_model(version).restrict(OPERATIONS),
            OPERATIONS,
            names=("spec", f"botocore {version}"),
        )
        assert not differences, f"as of {as_of}:\n  " + "\n  ".join(differences)


def test_new_version_report_equals_the_release_diff(updated: tuple[Path, Path]) -> None:
    spec_path, output = updated
    spec = load_spec(spec_path)
    new = spec.latest.version
    ours = diff(
        parse_source(f"{spec_path}@1.14.10", "OLD"), parse_source(f"{spec_path}@{new}", "NEW")
    )
    theirs = diff(
        parse_source("botocore:1.14.10", "OLD"),
        parse_source("botocore:installed", "NEW"),
        services=["ec2"],
        operations=OPERATIONS,
    )
    expected = sorted(key(c) for c in theirs.changes if followed(c))
    assert sorted(key(c) for c in ours.changes) == expected and len(expected) > 40
    # the service's metadata too: the installed release adds 'protocols' and 'auth'
    assert {c.subject for c in ours.changes if c.operation is None} >= {"protocols", "auth"}
    # the report was written and the artifacts regenerated from the new version
    report = json.loads((output / "ec2" / "reports" / f"{new}.json").read_text(encoding="utf-8"))
    assert report["summary"]["total"] == len(expected)
    validators = (output / "ec2" / "validators.py").read_text(encoding="utf-8")
    assert "DeliverCrossAccountRole" in validators and new in validators


def test_documented_rules_are_kept(updated: tuple[Path, Path]) -> None:
    before = {str(r) for r in documented_rules(load_spec(SPEC).model())}
    after = {str(r) for r in documented_rules(load_spec(updated[0]).model())}
    assert before and before <= after


def test_dry_run_prints_the_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    code, out, err = apigen(
        capsys,
        "update",
        str(copy),
        "--to",
        "botocore:installed",
        "--dry-run",
        "--summary",
        "Flow logs to Firehose.",
        "--output",
        str(tmp_path / "gen"),
    )
    assert code == 0 and copy.read_bytes() == SPEC.read_bytes() and not (tmp_path / "gen").exists()
    assert "Changes  Flow logs to Firehose.\n" in out
    assert (
        "- FlowLogs.LogDestinationType: enum value 'kinesis-data-firehose' added [dangerous]"
        in out
    )
    assert "CreateFlowLogs (updated) Link ¶" in out and "nothing written" in err


def test_summary_from_the_changelog_and_contradicted_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "flow-logs.json"
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    # a documented rule the new release contradicts: only two destinations allowed
    member = document["shapes"]["CreateFlowLogsRequest"]["members"]["LogDestinationType"]
    member["documented"] = {
        "allowedValues": ["cloud-watch-logs", "s3"],
        "source": "Either of two.",
    }
    copy.write_text(json.dumps(document, indent=2), encoding="utf-8")
    installed = release("installed").version
    log = tmp_path / "CHANGELOG.rst"
    log.write_text(
        f"{installed}\n{'=' * len(installed)}\n\n* api-change:``ec2``: [``botocore``] Firehose.\n"
        "* api-change:``s3``: [``botocore``] Not this one.\n",
        encoding="utf-8",
    )
    code, _, err = apigen(
        capsys,
        "update",
        str(copy),
        "--to",
        "botocore:installed",
        "--changelog",
        str(log),
        "--output",
        str(tmp_path / "gen"),
    )
    assert code == 0
    assert load_spec(copy).latest.summary == "Firehose."
    assert (
        "apigen: warning: documented rule contradicted: CreateFlowLogsRequest.LogDestinationType: "
        "documented allowedValues ['cloud-watch-logs', 's3'] lack 'kinesis-data-firehose'"
    ) in err
    kept = load_spec(copy).model().shapes["CreateFlowLogsRequest"].members["LogDestinationType"]
    assert kept.documented.allowed_values == ("cloud-watch-logs", "s3")
    # updating again to the same release: nothing later to add
    code, _, err = apigen(capsys, "update", str(copy), "--to", "botocore:installed")
    assert code == 2 and "is not later than" in err and err.startswith("apigen: error:")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--to", "botocore:1.14.9"], "release 1.14.9 is not later than 1.14.10"),
        (["--to", "1.14.9"], "apigen: error: --to '1.14.9': expected botocore:VERSION"),
        (["--to", ""], "apigen: error: --to '': expected botocore:VERSION"),
    ],
)
def test_bad_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    copy = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    code, _, err = apigen(capsys, "update", str(copy), *args)
    assert code == 2 and message in err and copy.read_bytes() == SPEC.read_bytes()


def _without(node: object, version: str) -> object:
    """The spec document before ``version``: every element added then dropped."""
    if isinstance(node, dict):
        return {
            k: _without(v, version)
            for k, v in node.items()
            if not (isinstance(v, dict) and v.get("since") == version)
        }
    if isinstance(node, list):
        return [
            _without(v, version)
            for v in node
            if not (isinstance(v, dict) and v.get("since") == version)
        ]
    return node


def test_two_updates_in_a_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """From the spec as of 1.14.9 alone: update to 1.14.10, then to the installed release; each
    version equals its release, and each report equals the diff of its two releases."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["versions"] = document["versions"][:1]
    copy = tmp_path / "flow-logs.json"
    copy.write_text(json.dumps(_without(document, "2020-02-04"), indent=2), encoding="utf-8")
    for to in ("1.14.10", "installed"):
        code, _, err = apigen(
            capsys, "update", str(copy), "--to", f"botocore:{to}", "--output", str(tmp_path / "g")
        )
        assert code == 0, err
    spec = load_spec(copy)
    assert [v.botocore for v in spec.versions] == [
        "1.14.9",
        "1.14.10",
        release("installed").version,
    ]
    assert (
        spec.versions[1].date == "2020-02-04"
        and spec.versions[1].summary == "2 updated api methods"
    )
    for version in spec.versions:
        name = "installed" if version is spec.latest else version.botocore
        assert name is not None
        differences = structural_differences(
            spec.model(version.version), botocore_model(name).restrict(OPERATIONS), OPERATIONS
        )
        assert not differences, f"as of {version.version}:\n  " + "\n  ".join(differences)
    for old, new in (("1.14.9", "1.14.10"), ("1.14.10", "installed")):
        ours = diff(
            parse_source(f"{copy}@{old}", "OLD"),
            parse_source(f"{copy}@{spec.latest.version if new == 'installed' else new}", "NEW"),
        )
        theirs = diff(
            parse_source(f"botocore:{old}", "OLD"),
            parse_source(f"botocore:{new}", "NEW"),
            services=["ec2"],
            operations=OPERATIONS,
        )
        assert sorted(key(c) for c in ours.changes) == sorted(
            key(c) for c in theirs.changes if followed(c)
        ), (old, new)


def test_a_regeneration_that_fails_leaves_the_spec_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The output folder holds a file apigen did not write: regenerating fails, so the spec gets
    no version (before, it kept the new version and a second run said 'not later than'); once
    the file is moved away, the same command works."""
    copy = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    out = tmp_path / "gen"
    (out / "ec2").mkdir(parents=True)
    mine = out / "ec2" / "validators.py"
    mine.write_text("# mine\n")
    args = ["update", str(copy), "--to", "botocore:installed", "--output", str(out)]
    code, _, err = apigen(capsys, *args)
    assert code == 2, err
    assert err.startswith("apigen: error: ") and "refusing to overwrite" in err
    assert f"{copy}: left as it was (no version added)" in err
    assert copy.read_bytes() == SPEC.read_bytes()
    assert mine.read_text() == "# mine\n"
    assert not list(tmp_path.glob("*.tmp"))
    mine.unlink()
    code, _, err = apigen(capsys, *args)
    assert code == 0, err
    assert [v.botocore for v in load_spec(copy).versions][-1] == release("installed").version
    assert (out / "ec2" / "validators.py").is_file()


def test_the_updated_spec_is_served_with_its_flow_log_behaviours(
    updated: tuple[Path, Path],
) -> None:
    """The flow-logs spec updated to the installed release keeps its behaviours in the stub
    server, for requests only the new release allows: TrafficType became optional (before: a
    500), a Firehose destination, a transit gateway."""
    from codegen.server.runner import running_server
    from tests.support.server import ec2

    with running_server([updated[0]]) as server:
        client = ec2(server.url)
        created = client.create_flow_logs(
            ResourceIds=["vpc-0a1b"],
            ResourceType="VPC",
            LogDestinationType="kinesis-data-firehose",
            LogDestination="arn:aws:firehose:us-east-1:123456789012:deliverystream/flows",
        )
        assert created["Unsuccessful"] == [] and len(created["FlowLogIds"]) == 1
        client.create_flow_logs(
            ResourceIds=["tgw-0a1b"],
            ResourceType="TransitGateway",
            TrafficType="ALL",
            LogGroupName="logs",
            DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/r",
        )
        logs = client.describe_flow_logs()["FlowLogs"]
        assert [log.get("TrafficType") for log in logs] == [None, "ALL"]
        assert logs[0]["LogDestinationType"] == "kinesis-data-firehose"
        assert logs[0]["MaxAggregationInterval"] == 600  # the documented default, kept


def test_an_operation_gaining_errors_of_new_shapes_updates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQS AddPermission returns three more errors at the installed release, of error shapes
    new since 1.14.10: the update records them (the errors list keeps its earlier value in
    history) and the spec loads; before, the loader refused the errors as referring to shapes
    that exist only since the new version, and no whole-service spec of sqs, dynamodb or iam
    could be updated."""
    from codegen.pipeline import import_operations

    copy = tmp_path / "sqs.json"
    import_operations(copy, release("1.14.10"), ["AddPermission"], service="sqs")
    old, new = botocore_model("1.14.10", "sqs"), botocore_model("installed", "sqs")
    gained = [
        e
        for e in new.operations["AddPermission"].errors
        if e not in old.operations["AddPermission"].errors and e not in old.shapes
    ]
    assert gained  # the premise: errors whose shapes 1.14.10 lacks
    code, _, err = apigen(
        capsys,
        "update",
        str(copy),
        "--to",
        "botocore:installed",
        "--output",
        str(tmp_path / "gen"),
    )
    assert code == 0, err
    spec = load_spec(copy)
    assert spec.model("1.14.10").operations["AddPermission"].errors == (
        old.operations["AddPermission"].errors
    )
    latest = spec.model(spec.latest.version)
    assert latest.operations["AddPermission"].errors == new.operations["AddPermission"].errors
    assert all(name in latest.shapes for name in gained)


def test_a_problem_in_the_updated_document_names_the_spec_not_a_temporary_file(
    tmp_path: Path,
) -> None:
    """What update would write is checked by the loader; a problem there names the spec the
    user gave (before: a file in a temporary folder the user never saw)."""
    from codegen.errors import SpecError
    from codegen.update import _reload

    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["operations"]["DeleteFlowLogs"]["errors"] = ["NoSuchShape"]
    target = tmp_path / "mine" / "flow-logs.json"
    with pytest.raises(SpecError) as info:
        _reload(target, document)
    message = str(info.value)
    assert message.startswith(f"{target}: 1 problem(s)") and "NoSuchShape" in message, message
    assert message.count(str(target)) == 2 and "/tmp/tmp" not in message.replace(str(tmp_path), "")


def test_operations_of_the_spec_s_own_are_left_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An operation botocore has in neither release (written by hand) stays, with the shapes it
    reaches, whatever botocore does to the others."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["operations"]["FrobnicateFlowLogs"] = {
        "http": {"method": "POST", "requestUri": "/"},
        "input": "FrobnicateFlowLogsRequest",
    }
    document["shapes"]["FrobnicateFlowLogsRequest"] = {
        "type": "structure",
        "members": {"FlowLogId": {"shape": "String"}, "Mode": {"shape": "Frobnication"}},
    }
    document["shapes"]["Frobnication"] = {"type": "string", "enum": ["on", "off"]}
    copy = tmp_path / "flow-logs.json"
    copy.write_text(json.dumps(document, indent=2), encoding="utf-8")
    code, _, err = apigen(
        capsys, "update", str(copy), "--to", "botocore:installed", "-o", str(tmp_path / "g")
    )
    assert code == 0, err
    assert "apigen: note: not in botocore 1.14.10, left as they are: FrobnicateFlowLogs" in err
    spec = load_spec(copy)
    for version in spec.versions:
        model = spec.model(version.version)
        assert model.operations["FrobnicateFlowLogs"].input == "FrobnicateFlowLogsRequest"
        assert model.shapes["Frobnication"].enum == ("on", "off")
    assert spec.document["shapes"]["Frobnication"] == {"type": "string", "enum": ["on", "off"]}
