"""``apigen diff`` between the EC2 flow-logs spec's own versions reproduces the seed document.

The seed (``specs/ec2/sources/ec2-2020-02-04-flow-logs.txt``, a copy of ``shared/seeds/``) is the changelog entry of the
2020-02-04 change, copied from AWS's page. Two checks:

* the text report (without ``--details``) is exactly the seed's entry lines: header, date line,
  summary line, and for each operation its heading and ``Changes (...)`` dicts;
* with ``--details`` every line of the seed's prose and structure appears in the rendering, in
  order; the test lists those that do not.

The seed writes two of its spaces as no-break spaces (U+00A0, ``&nbsp;`` on the web page:
``Changes\\u00a0 Amazon VPC ...`` and ``CreateFlowLogs\\u00a0(updated)``); apigen writes plain
spaces, and these tests compare with U+00A0 read as a space. No network.
"""

from __future__ import annotations

import json

from codegen.diff import diff, parse_source
from codegen.diff.formats import render
from codegen.diff.report import DiffReport
from codegen.generators import GENERATORS
from codegen.generators.base import GenerationContext
from codegen.generators.reports import ReportsGenerator
from codegen.loader import load_spec
from tests.support.helpers import seed_entry, seed_lines
from tests.support.paths import ROOT, SPEC

SEED = (
    ROOT / "specs" / "ec2" / "sources" / "ec2-2020-02-04-flow-logs.txt"
)  # the seed, kept beside the spec


def nonblank(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def missing_in_order(expected: list[str], actual: list[str]) -> list[str]:
    """The lines of ``expected`` that do not appear in ``actual`` in order (greedy)."""
    missing: list[str] = []
    position = 0
    for line in expected:
        try:
            position = actual.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


def spec_report(old: str = "1.14.9", new: str = "2020-02-04") -> DiffReport:
    return diff(parse_source(f"{SPEC}@{old}", "OLD"), parse_source(f"{SPEC}@{new}", "NEW"))


def test_seed_entry_is_what_we_think() -> None:
    assert seed_entry() == [
        "Amazon Elastic Compute Cloud",
        "2020/02/04 - Amazon Elastic Compute Cloud - 2 updated api methods",
        "Changes  Amazon VPC Flow Logs adds support for 1-minute aggregation intervals.",
        "CreateFlowLogs (updated) Link ¶",
        "Changes (request)",
        "{'MaxAggregationInterval': 'integer'}",
        "DescribeFlowLogs (updated) Link ¶",
        "Changes (response)",
        "{'FlowLogs': {'MaxAggregationInterval': 'integer'}}",
    ]


def test_spec_versions_reproduce_the_seed_entry() -> None:
    report = spec_report()
    assert nonblank(render(report, "text")) == seed_entry()
    # the version may be named by id, date or botocore release alike
    assert render(spec_report("2020-01-24", "1.14.10"), "text") == render(report, "text")


def test_spec_versions_layout_is_the_seeds() -> None:
    text = render(spec_report(), "text")
    head = SEED.read_text(encoding="utf-8").replace("\u00a0", " ").split("\n\n\n")[0]
    # the seed's first lines, blank lines included, up to the first operation's documentation
    first_op = head.split("{'MaxAggregationInterval': 'integer'}")[0]
    assert text.startswith(first_op)


def test_details_render_the_seed_back() -> None:
    rendered = nonblank(render(spec_report(), "text", details=True))
    expected = [line for line in seed_lines() if line.strip()]
    missing = missing_in_order(expected, rendered)
    assert not missing, (
        f"{len(missing)} of {len(expected)} seed lines missing or out of order:\n"
        + "\n".join(missing)
    )


def test_details_show_request_and_response_syntax() -> None:
    text = render(spec_report(), "text", details=True)
    assert "response = client.create_flow_logs(" in text
    assert "    MaxAggregationInterval=123\n)" in text
    assert (
        "            'MaxAggregationInterval': 123\n        },\n    ],\n    'NextToken': 'string'\n}"
        in text
    )


def test_reverse_diff_is_breaking_and_has_no_summary() -> None:
    report = spec_report("2020-02-04", "2020-01-24")
    assert {(c.operation, c.path, c.rule, c.severity) for c in report.changes} == {
        ("CreateFlowLogs", "MaxAggregationInterval", "RemovedMember", "breaking"),
        ("DescribeFlowLogs", "FlowLogs.MaxAggregationInterval", "RemovedMember", "breaking"),
    }
    assert report.services[0].summary is None
    assert report.exit_code("breaking") == 1


def test_reports_generator() -> None:
    assert any(isinstance(g, ReportsGenerator) for g in GENERATORS)
    spec = load_spec(SPEC)
    outputs = ReportsGenerator().generate(GenerationContext(model=spec.model(), spec=spec))
    assert sorted(outputs) == [
        f"reports/2020-02-04.{ext}" for ext in ("html", "json", "md", "txt")
    ]
    txt = outputs["reports/2020-02-04.txt"]
    assert missing_in_order([line for line in seed_lines() if line.strip()], nonblank(txt)) == []
    document = json.loads(outputs["reports/2020-02-04.json"])
    assert [c["path"] for c in document["changes"]] == [
        "MaxAggregationInterval",
        "FlowLogs.MaxAggregationInterval",
    ]
    assert "<h2>Amazon Elastic Compute Cloud" in outputs["reports/2020-02-04.html"]
    # deterministic
    assert ReportsGenerator().generate(GenerationContext(model=spec.model(), spec=spec)) == outputs
