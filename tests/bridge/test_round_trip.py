"""Importer and exporter: botocore model -> ServiceModel -> botocore model loses nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.bridge.exporter import export_paginators, export_service
from codegen.bridge.importer import import_model
from codegen.docs import BULLET, fold, html_to_text, paragraphs, text_to_html
from tests.support.helpers import release, strip_docs

# One service per protocol and then some: rest-xml, rest-json, json, query, ec2, cbor.
SAMPLE = (
    "ec2",
    "s3",
    "lambda",
    "dynamodb",
    "sqs",
    "sts",
    "cloudfront",
    "iam",
    "route53",
    "kinesis",
)


def _round_trip(service: str) -> None:
    r = release("installed")
    original = r.load_model(service)
    paginators = r.load_paginators(service) or {}
    model = import_model(original, name=service, paginators=paginators)
    assert strip_docs(export_service(model)) == strip_docs(original)
    assert export_paginators(model)["pagination"] == {
        k: v for k, v in paginators.items() if k in model.operations
    }


@pytest.mark.parametrize("service", SAMPLE)
def test_round_trip_installed_service(service: str) -> None:
    if service not in release("installed").services():
        pytest.skip(f"{service} is not in this botocore")
    _round_trip(service)


@pytest.mark.slow
def test_round_trip_every_installed_service() -> None:
    for service in release("installed").services():
        _round_trip(service)


def test_restrict_keeps_exactly_the_reachable_shapes() -> None:
    raw = release("installed").load_model("ec2")
    small = import_model(raw, name="ec2", operations=["DeleteFlowLogs"])
    # Reachable shapes computed independently, on the raw dict.
    op = raw["operations"]["DeleteFlowLogs"]
    todo, seen = [op["input"]["shape"], op["output"]["shape"]], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = raw["shapes"][name]
        todo += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
    assert set(small.operations) == {"DeleteFlowLogs"}
    assert set(small.shapes) == seen
    assert {
        "DeleteFlowLogsRequest",
        "UnsuccessfulItemError",
    } <= seen and "RunInstancesRequest" not in seen


def test_html_rendering_matches_aws_rendered_pages() -> None:
    html = (
        "<p>Checks whether you have the required permissions. If you have the required permissions, "
        "the error response is <code>DryRunOperation</code>. Otherwise, it is "
        "<code>UnauthorizedOperation</code>.</p> <ul> <li> <p> <code>traffic-type</code> - The type of "
        "traffic (<code>ACCEPT</code> | <code>REJECT</code> | <code>ALL</code>).</p> </li> </ul>"
    )
    text = html_to_text(html)
    assert paragraphs(text) == [
        (
            "Checks whether you have the required permissions. If you have the required"
            " permissions, the error response is DryRunOperation . Otherwise, it is"
            " UnauthorizedOperation ."
        ),
        "• traffic-type - The type of traffic (ACCEPT | REJECT | ALL ).",
    ]


words = (
    st.text(
        alphabet=st.characters(categories=("L", "N"), include_characters=" .,-()<>&'\""),
        min_size=1,
        max_size=30,
    )
    .map(fold)
    .filter(bool)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), words), min_size=1, max_size=6))
def test_text_html_text_round_trip(items: list[tuple[bool, str]]) -> None:
    text = "\n\n".join((BULLET if bullet else "") + para for bullet, para in items)
    assert html_to_text(text_to_html(text)) == "\n\n".join(paragraphs(text))
