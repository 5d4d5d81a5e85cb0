"""The spec against botocore's own models: 1.14.9, 1.14.10 and the installed release."""

from __future__ import annotations

import pytest

from codegen.bridge.exporter import export_paginators, export_service
from codegen.conformance import (
    compatibility_problems,
    documented_rules,
    gained_since,
    structural_differences,
)
from tests.support.helpers import botocore_model, botocore_subset, release, spec, strip_docs

pytestmark = pytest.mark.network

OPERATIONS = ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")


@pytest.mark.parametrize("as_of, release", [("2020-01-24", "1.14.9"), ("2020-02-04", "1.14.10")])
def test_spec_equals_botocore_release_member_by_member(as_of: str, release: str) -> None:
    ours = spec().model(as_of)
    theirs = botocore_model(release).restrict(OPERATIONS)
    differences = structural_differences(
        ours, theirs, OPERATIONS, names=("spec", f"botocore {release}")
    )
    assert not differences, "spec as of {} differs from botocore {}:\n  {}".format(
        as_of, release, "\n  ".join(differences)
    )


@pytest.mark.parametrize("as_of, version", [("1.14.9", "1.14.9"), ("1.14.10", "1.14.10")])
def test_export_equals_botocore_model_exactly(as_of: str, version: str) -> None:
    """The exported service-2.json equals botocore's own file (as botocore ships it) for these
    operations and the shapes they reach, documentation aside (ours is the seed's text,
    re-rendered as HTML)."""
    ours = export_service(spec().model(as_of))
    theirs = botocore_subset(release(version).load_model("ec2"), OPERATIONS)
    assert strip_docs(ours) == strip_docs(theirs)
    assert list(ours["shapes"]) == sorted(theirs["shapes"])
    shipped = release(version).load_paginators("ec2")
    assert shipped is not None
    assert export_paginators(spec().model(as_of)) == {
        "pagination": {op: shipped[op] for op in OPERATIONS if op in shipped}
    }


def test_the_two_versions_differ_exactly_by_max_aggregation_interval() -> None:
    before, after = spec().model("1.14.9"), spec().model("1.14.10")
    differences = structural_differences(before, after, names=("1.14.9", "1.14.10"))
    assert differences == [
        "CreateFlowLogs.input.MaxAggregationInterval: member only in 1.14.10",
        "DescribeFlowLogs.output.FlowLogs[member].MaxAggregationInterval: member only in 1.14.10",
    ]


def test_structural_differences_finds_what_1_14_10_added() -> None:
    """The comparison itself can fail: a botocore 1.14.10 model against the 1.14.9 spec (every
    kind of difference, one at a time: ``test_conformance_rules.py``)."""
    differences = structural_differences(
        spec().model("1.14.9"), botocore_model("1.14.10"), OPERATIONS
    )
    assert differences == [
        "CreateFlowLogs.input.MaxAggregationInterval: member only in actual",
        "DescribeFlowLogs.output.FlowLogs[member].MaxAggregationInterval: member only in actual",
    ]


def test_spec_still_holds_in_the_installed_botocore(capsys: pytest.CaptureFixture[str]) -> None:
    ours = spec().model()
    installed = botocore_model("installed")
    problems = compatibility_problems(ours, installed)
    assert not problems, "\n".join(problems)
    gained = gained_since(ours, installed)
    with capsys.disabled():
        print(f"\nWhat the API has gained since the spec's latest version ({len(gained)}):")
        for line in gained:
            print(f"  {line}")
    # The API has moved on since 2020: these are known to have arrived since.
    joined = "\n".join(gained)
    for expected in (
        "TagSpecifications",
        "DeliverCrossAccountRole",
        "DestinationOptions",
        "TrafficType: no longer required",
    ):
        assert expected in joined


def test_documented_rules_are_listed_and_are_not_botocores(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rules = documented_rules(spec().model())
    with capsys.disabled():
        print(f"\nRules the spec states that botocore's model lacks ({len(rules)}):")
        for rule in rules:
            print(f"  {rule}")
    listed = {str(r) for r in rules}
    for expected in (
        "CreateFlowLogsRequest.ResourceIds: max_items 1000",
        "DescribeFlowLogsRequest.FlowLogIds: max_items 1000",
        "CreateFlowLogsRequest.MaxAggregationInterval: allowed_values [60, 600]",
        "CreateFlowLogsRequest.MaxAggregationInterval: default 600",
        "CreateFlowLogsRequest.LogDestinationType: default 'cloud-watch-logs'",
        "CreateFlowLogsRequest.LogFormat: format 'flow-log-format'",
    ):
        assert expected in listed
    kinds = {r.kind for r in rules}
    assert {"rule:forbidden", "rule:format", "filters", "documented_error", "format"} <= kinds
    # None of them is in botocore's model: the shapes these constraints would sit on carry
    # no min/max/enum/pattern there.
    theirs = botocore_model("1.14.10")
    for name in ("ValueStringList", "Integer", "String"):
        shape = theirs.shapes[name]
        assert (shape.min, shape.max, shape.enum, shape.pattern) == (None, None, (), None)
    assert not theirs.operations["CreateFlowLogs"].documented_errors
