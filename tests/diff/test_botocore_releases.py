"""``apigen diff`` between real botocore releases (fetched once into the shared cache, then
read offline; see conftest.py).

* 1.14.9 -> 1.14.10 for ec2 reproduces the seed's changelog entry, and equals the spec's own
  versions' diff (which add the summary line);
* 1.14.10 -> the installed botocore, for the flow-log operations: every known addition since;
* two whole consecutive releases: the services reported are exactly those whose models differ
  by content, and skipping unchanged operations (pruning) loses nothing.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from codegen.bridge.releases import Release, fetch_release
from codegen.cli import main
from codegen.diff import compare_models, diff, parse_source
from codegen.diff.formats import render
from codegen.diff.report import DiffReport
from codegen.diff.sources import release_model, release_unchanged
from tests.support.helpers import seed_entry
from tests.support.paths import ROOT, SPEC

SEED = (
    ROOT / "specs" / "ec2" / "sources" / "ec2-2020-02-04-flow-logs.txt"
)  # the seed, kept beside the spec
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
FLOW_LOG_OPERATIONS = ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def r149() -> Release:
    return fetch_release("1.14.9")


@pytest.fixture(scope="module")
def r1410() -> Release:
    return fetch_release("1.14.10")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["diff", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_ec2_1_14_9_to_1_14_10_reproduces_the_seed(
    r149: Release, r1410: Release, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "botocore:1.14.9", "botocore:1.14.10", "--service", "ec2")
    assert code == 1 and err == ""
    summary = "Changes  Amazon VPC Flow Logs adds support for 1-minute aggregation intervals."
    # releases on the package index carry no summary: the line is left out, not invented
    assert nonblank(out) == [line for line in seed_entry() if line != summary]
    code, out, _ = run(
        capsys,
        "botocore:1.14.9",
        "botocore:1.14.10",
        "--service",
        "ec2",
        "--changelog",
        str(FIXTURES / "CHANGELOG.rst"),
    )
    assert nonblank(out) == seed_entry()
    # botocore's own changelog of the time only said this much
    _, out, _ = run(
        capsys,
        "botocore:1.14.9",
        "botocore:1.14.10",
        "--service",
        "ec2",
        "--changelog",
        str(FIXTURES / "botocore-CHANGELOG-1.14.8-1.14.11.rst"),
    )
    assert "Changes  Update ec2 client to latest version" in out.splitlines()


def test_spec_versions_give_the_same_changes(r149: Release, r1410: Release) -> None:
    def key(report: DiffReport) -> list[tuple[object, ...]]:
        return [
            (c.operation, c.direction, c.path, c.rule, c.severity, c.new, c.fingerprint)
            for c in report.changes
        ]

    from_releases = diff(
        parse_source("botocore:1.14.9", "OLD"),
        parse_source("botocore:1.14.10", "NEW"),
        services=["ec2"],
    )
    from_spec = diff(parse_source(f"{SPEC}@1.14.9", "OLD"), parse_source(f"{SPEC}@1.14.10", "NEW"))
    assert key(from_releases) == key(from_spec) and len(from_spec.changes) == 2
    assert render(from_spec, "text").replace(
        "Changes  Amazon VPC Flow Logs adds support for 1-minute aggregation intervals.\n\n", ""
    ) == render(from_releases, "text")


def test_flow_logs_since_1_14_10(r1410: Release) -> None:
    report = diff(
        parse_source("botocore:1.14.10", "OLD"),
        parse_source("botocore:installed", "NEW"),
        services=["ec2"],
        operations=FLOW_LOG_OPERATIONS,
    )
    got: dict[tuple[str | None, str, str, str, str], str] = {
        (c.operation, c.direction, c.path, c.rule, c.subject): c.severity for c in report.changes
    }

    def expect(
        operation: str, direction: str, path: str, rule: str, severity: str, subject: str = ""
    ) -> None:
        assert got.get((operation, direction, path, rule, subject)) == severity, (
            operation,
            path,
            rule,
            subject,
        )

    for member in ("TagSpecifications", "DeliverCrossAccountRole", "DestinationOptions"):
        expect("CreateFlowLogs", "request", member, "AddedMember", "non-breaking")
    for member in ("DeliverCrossAccountRole", "DestinationOptions", "Tags"):
        expect("DescribeFlowLogs", "response", f"FlowLogs.{member}", "AddedMember", "non-breaking")
    for value in ("TransitGateway", "TransitGatewayAttachment"):
        expect(
            "CreateFlowLogs",
            "request",
            "ResourceType",
            "AddedEnumValue",
            "non-breaking",
            f"enum {value}",
        )
    expect(
        "CreateFlowLogs",
        "request",
        "LogDestinationType",
        "AddedEnumValue",
        "non-breaking",
        "enum kinesis-data-firehose",
    )
    # a new value in a response may surprise clients that switch over it
    expect(
        "DescribeFlowLogs",
        "response",
        "FlowLogs.LogDestinationType",
        "AddedEnumValue",
        "dangerous",
        "enum kinesis-data-firehose",
    )
    expect("CreateFlowLogs", "request", "TrafficType", "MadeOptional", "non-breaking", "required")
    # nothing was removed or made required, nothing is breaking
    assert not [c for c in report.changes if c.severity == "breaking"], [
        c for c in report.changes if c.severity == "breaking"
    ]
    # the json report holds them all, and is valid (the installed release has no build date)
    document = json.loads(render(report, "json"))
    schema = json.loads((ROOT / "specs" / "diff-report.schema.json").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert document["new"]["date"] is None and len(document["changes"]) == len(report.changes)
    # the additions are in the changelog dict, with their structure
    text = render(report, "text")
    assert "'TagSpecifications': [{'ResourceType': " in text
    assert "'DestinationOptions': {'FileFormat': 'plain-text | parquet'" in text


def test_whole_releases_report_exactly_the_services_that_differ(
    r149: Release, r1410: Release
) -> None:
    report = diff(parse_source("botocore:1.14.9", "OLD"), parse_source("botocore:1.14.10", "NEW"))
    reported = {s.name for s in report.services}
    old, new = set(r149.services()), set(r1410.services())
    differing = (old ^ new) | {
        s for s in old & new if r149.model_digest(s) != r1410.model_digest(s)
    }
    assert reported == differing
    assert reported == {"cloudfront", "ec2", "iot", "kafka", "ssm", "storagegateway", "workmail"}
    # no service was skipped whose paginators changed either
    assert all(release_unchanged(r149, r1410, s) for s in (old & new) - differing)
    # pruning unchanged operations before importing, and leaving out the documentation both
    # sides share (as `apigen diff` does without --details), change nothing: compare whole models
    elided = diff(
        parse_source("botocore:1.14.9", "OLD"),
        parse_source("botocore:1.14.10", "NEW"),
        elide_docs=True,
    )
    for service in sorted(reported):
        full = [
            c.to_json()
            for c in compare_models(
                release_model(r149, service), release_model(r1410, service), service=service
            )
        ]
        pruned = next(s for s in report.services if s.name == service).changes
        assert [c.to_json() for c in pruned] == full, service
        assert [
            c.to_json() for c in next(s for s in elided.services if s.name == service).changes
        ] == full


def test_whole_release_text_lists_new_operations(
    r149: Release, r1410: Release, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "botocore:1.14.9",
        "botocore:1.14.10",
        "--service",
        "kafka",
        "--service",
        "workmail",
    )
    assert code == 1
    assert "2020/02/04 - Managed Streaming for Kafka - 1 new 2 updated api methods" in out
    assert "ListKafkaVersions (new) Link ¶" in out
    assert "2020/02/04 - Amazon WorkMail - 3 new 2 updated api methods" in out
