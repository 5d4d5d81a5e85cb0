"""The corrections of botocore's models (``codegen/corrections.py``) on the installed
botocore's models: each applies (names what the model has), widens only its member, and bad
corrections are refused by name. Through the server, ``tests/server/test_sqs_semantics.py``."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from codegen.bridge.releases import installed_release
from codegen.corrections import CorrectionError, corrected, corrections
from codegen.model import ServiceModel
from codegen.pipeline import release_spec


@cache
def installed(service: str) -> ServiceModel:
    return release_spec(installed_release(), service).model()


def _values(model: ServiceModel, structure: str, member: str) -> tuple[str, ...]:
    target = model.shapes[model.shapes[structure].members[member].shape]
    if target.type == "list":
        assert target.member is not None
        target = model.shapes[target.member.shape]
    return target.enum


@pytest.mark.parametrize(
    ("service", "correction"),
    [(s, c) for s, listed in sorted(corrections().items()) for c in listed],
)
def test_each_correction_widens_its_member_only(service: str, correction: Any) -> None:
    model = installed(service)
    fixed = corrected(model)
    structure, _, member = correction["member"].partition(".")
    before = _values(model, structure, member)
    after = _values(fixed, structure, member)
    wanted = model.shapes[correction["alsoAccepts"]].enum
    assert set(wanted) - set(before), "botocore says as much now: drop the correction"
    assert after[: len(before)] == before and set(after) == set(before) | set(wanted)
    assert correction["see"].startswith("https://docs.aws.amazon.com/")
    # the shapes it changed are its member's; every other shape is the model's own
    changed = {n for n in fixed.shapes if fixed.shapes[n] != model.shapes.get(n)}
    assert changed == {structure, f"{structure}{member}", f"{structure}{member}Value"} or (
        changed == {structure, f"{structure}{member}Value"}
    )


def test_sqs_receive_attribute_names_take_system_attributes() -> None:
    fixed = corrected(installed("sqs"))
    names = _values(fixed, "ReceiveMessageRequest", "AttributeNames")
    assert {"ApproximateReceiveCount", "SentTimestamp", "SenderId", "All"} <= set(names)
    assert "VisibilityTimeout" in names  # what the model took still is
    # the enum's other users keep it: a queue has no ApproximateReceiveCount
    for structure in ("GetQueueAttributesRequest",):
        assert "ApproximateReceiveCount" not in _values(fixed, structure, "AttributeNames")


def test_a_model_without_the_member_is_unchanged() -> None:
    model = installed("sqs")
    table = {
        "sqs": [
            {
                "member": "NoSuchRequest.X",
                "alsoAccepts": "QueueAttributeName",
                "why": "-",
                "see": "-",
            }
        ]
    }
    assert corrected(model, table) is model
    assert corrected(installed("sqs"), {"sns": table["sqs"]}) is model


@pytest.mark.parametrize(
    ("correction", "said"),
    [
        ({"member": "ReceiveMessageRequest.AttributeNames", "alsoAccepts": "Nope"}, "no enum"),
        (
            {"member": "ReceiveMessageRequest.QueueUrl", "alsoAccepts": "QueueAttributeName"},
            "not an enum",
        ),
        ({"member": "ReceiveMessageRequest.AttributeNames"}, "needs member"),
        (
            {
                "member": "ReceiveMessageRequest.AttributeNames",
                "alsoAccepts": "QueueAttributeName",
                "colour": "red",
            },
            "needs member",
        ),
    ],
)
def test_bad_corrections_are_refused_by_name(correction: dict[str, str], said: str) -> None:
    entry = {"why": "-", "see": "-", **correction}
    with pytest.raises(CorrectionError) as raised:
        corrected(installed("sqs"), {"sqs": [entry]})
    assert said in str(raised.value) and "ReceiveMessageRequest" in str(raised.value)
