"""Differential tests: the generated validators against botocore and against the JSON Schemas.

Parameters come from hypothesis strategies built from *our* spec's shapes (see
``Strategies`` in ``tests/support/validators.py``): mostly valid values with wrong types,
missing and unknown members, bad enums, out-of-range numbers, oversized lists, forbidden
combinations, bad formats and undocumented filters mixed in.

Against botocore's ``ParamValidator`` (the installed EC2 model, and our spec exported to
botocore's format and loaded by botocore):

(a) every issue botocore reports, ours reports too (``strict=False`` and ``strict=True``) at
    the same path with the same code;
(b) what ours accepts with ``strict=False``, botocore accepts; in fact with ``strict=False``
    ours reports exactly botocore's issues (up to the known differences between our spec and
    the newer installed model: TrafficType is required in the spec, optional in newer EC2);
(c) every issue ours adds with ``strict=True`` names a documented rule or constraint of the
    spec in ``rule``.

Against the generated JSON Schema (the JSON form of the parameters, validated by jsonschema
and by fastjsonschema): the schema rejects exactly what ``strict=True`` rejects, and each
schema error points at (or above) an issue of ours and each issue of ours lies at (or below) a
schema error.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import fastjsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from tests.support.validators import (
    Strategies,
    botocore_issues,
    cases_document,
    decode,
    exported,
    fast_validator,
    installed_ec2,
    json_validator,
    model_named,
    places,
    rule_applies,
    schema_errors,
    schema_mismatches,
    to_json,
    validators_named,
)

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def _norm(code: str) -> str:
    """botocore says "invalid length" for strings and lists alike."""
    return "length" if code in ("invalid_length", "too_few_items") else code


def _operations(name: str, direction: str) -> list[str]:
    model = model_named(name)
    return [
        op.name
        for op in model.operations.values()
        if (op.input if direction == "input" else op.output)
    ]


@cache
def _strategy(
    name: str, operation: str, direction: str, for_schema: bool
) -> st.SearchStrategy[Any]:
    model = model_named(name)
    op = model.operation(operation)
    shape = model.shape(op.input if direction == "input" else op.output)  # type: ignore[arg-type]
    return Strategies(model, for_schema=for_schema).params(shape)


@cache
def _required_only_in_spec(operation: str) -> frozenset[str]:
    """Members our spec requires that the installed (newer) botocore model does not."""
    ours = model_named("ec2")
    theirs = installed_ec2().operation_model(operation).input_shape
    names: set[str] = set()

    def walk(shape_name: str, shape: Any, seen: set[str]) -> None:
        our_shape = ours.shape(shape_name)
        if shape_name in seen or our_shape.type != "structure" or shape.type_name != "structure":
            return
        seen.add(shape_name)
        names.update(set(our_shape.required) - set(shape.required_members))
        for member_name, member in our_shape.members.items():
            if member_name in shape.members:
                target = ours.shape(member.shape)
                theirs_member = shape.members[member_name]
                while target.type == "list" and theirs_member.type_name == "list":
                    assert target.member is not None
                    target, theirs_member = ours.shape(target.member.shape), theirs_member.member
                walk(target.name, theirs_member, seen)

    walk(ours.operation(operation).input or "", theirs, set())
    return frozenset(names)


def _against_botocore(
    name: str, operation: str, params: Any, botocore_shape: Any, known_required: frozenset[str]
) -> None:
    module = validators_named(name)
    theirs = Counter((path, _norm(code)) for path, code in botocore_issues(params, botocore_shape))
    lenient = module.validate(operation, params, strict=False)
    strict = module.validate(operation, params, strict=True)
    ours_lenient = Counter((i.path, _norm(i.code)) for i in lenient)
    context = (
        f"\nparams:   {params!r}\nbotocore: {sorted(theirs)}\nlenient:  {sorted(ours_lenient)}"
        f"\nstrict:   {sorted(((i.path, i.code, i.rule) for i in strict), key=str)}"
    )

    def known(path: str, code: str) -> bool:
        return code == "missing_required" and path.rsplit(".", 1)[-1] in known_required

    # (a) botocore's issues are ours, in both modes, at the same path (and, lenient, the same
    # code: strict mode may say why differently, e.g. a bool below an integer's min is
    # botocore's invalid_range and strict mode's invalid_type)
    assert not theirs - ours_lenient, "lenient mode misses botocore issues" + context
    strict_paths = {i.path for i in strict}
    assert all(path in strict_paths for path, _ in theirs), (
        "strict mode misses botocore issues" + context
    )
    # (b) lenient accepts => botocore accepts; and lenient reports exactly botocore's issues
    unexplained = [key for key in (ours_lenient - theirs) if not known(*key)]
    assert not unexplained, "lenient mode reports issues botocore does not" + context
    assert all(i.rule is None for i in lenient), context
    # (c) strict mode's additions each name a rule or constraint the member at the issue's
    # path actually has (its structure's rule, its documented constraint, its shape's limit)
    model = model_named(name)
    op = model.operation(operation)
    at = places(model, model.shape(op.input or ""), params)
    for issue in strict:
        if (issue.path, _norm(issue.code)) in theirs or known(issue.path, issue.code):
            continue
        assert issue.rule is not None, (
            f"strict issue {issue} is not botocore's and names no rule" + context
        )
        assert issue.path in at, f"strict issue {issue} at a path the model has not" + context
        leaf = issue.path.split(" (key: ")[0].rsplit(".", 1)[-1]
        if currently_in_test_context():
            event(f"strict only: {issue.rule}")
        assert rule_applies(at[issue.path], issue.rule, leaf), (
            f"strict issue {issue} names {issue.rule!r}, not a rule or constraint of the "
            "member there" + context
        )
    assert {i.path for i in lenient} <= {i.path for i in strict}, context


BOTOCORE_CASES = [
    *[
        pytest.param("ec2", op, "installed", id=f"ec2-{op}-installed-botocore-model")
        for op in _operations("ec2", "input")
    ],
    *[
        pytest.param("ec2", op, "exported", id=f"ec2-{op}-spec-as-botocore-model")
        for op in _operations("ec2", "input")
    ],
    pytest.param(
        "widgets", "PutWidget", "exported", id="widgets-PutWidget-spec-as-botocore-model"
    ),
]


@pytest.mark.parametrize(("name", "operation", "which"), BOTOCORE_CASES)
@SETTINGS
@given(data=st.data())
def test_against_botocore(name: str, operation: str, which: str, data: st.DataObject) -> None:
    params = data.draw(_strategy(name, operation, "input", False), label="params")
    if which == "installed":
        shape = installed_ec2().operation_model(operation).input_shape
        known = _required_only_in_spec(operation)
    else:
        shape = exported(name).operation_model(operation).input_shape
        known = frozenset()
    _against_botocore(name, operation, params, shape, known)


def test_known_differences_with_the_installed_model_are_only_traffic_type() -> None:
    assert _required_only_in_spec("CreateFlowLogs") == {"TrafficType"}
    assert _required_only_in_spec("DescribeFlowLogs") == frozenset()
    assert _required_only_in_spec("DeleteFlowLogs") == frozenset()


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, id=case["description"])
        for case in cases_document()["cases"]
        if case.get("direction", "input") == "input"
        and case["strict"] in (False, "both")
        and case["operation"] in _operations(case.get("model", "ec2"), "input")
    ],
)
def test_fixture_cases_against_botocore(case: dict[str, Any]) -> None:
    name = case.get("model", "ec2")
    shape = exported(name).operation_model(case["operation"]).input_shape
    _against_botocore(name, case["operation"], decode(case["params"]), shape, frozenset())


# -- against the JSON Schemas ------------------------------------------------------------------

SCHEMA_CASES = [
    pytest.param(name, op, direction, id=f"{name}-{op}-{direction}")
    for name in ("ec2", "widgets")
    for direction in ("input", "output")
    for op in _operations(name, direction)
]


@pytest.mark.parametrize(("name", "operation", "direction"), SCHEMA_CASES)
@SETTINGS
@given(data=st.data())
def test_against_the_json_schema(
    name: str, operation: str, direction: str, data: st.DataObject
) -> None:
    params = to_json(data.draw(_strategy(name, operation, direction, True), label="params"))
    module = validators_named(name)
    # parameters: unknown members are issues in both; responses: accepted by both (by default)
    check = module.validate if direction == "input" else module.validate_output
    ours = check(operation, params, strict=True)
    schema_errs = schema_errors(json_validator(name, operation, direction), params)
    try:
        fast_validator(name, operation, direction)(params)
        fast_ok = True
    except fastjsonschema.JsonSchemaValueException:
        fast_ok = False
    context = f"\nJSON:   {params!r}\nours:   {[(i.path, i.code, i.rule) for i in ours]}\nschema: {[str(e) for e in schema_errs]}"
    event("valid" if not schema_errs else "invalid")
    for rule in sorted({e.rule or e.keyword for e in schema_errs}):
        event(f"schema error: {rule}")
    assert schema_mismatches(ours, schema_errs) == [], context
    assert fast_ok == (not schema_errs), "fastjsonschema and jsonschema disagree" + context


@pytest.mark.parametrize(("name", "operation", "direction"), SCHEMA_CASES)
@SETTINGS
@given(data=st.data())
def test_fail_fast_reports_the_first_issue_of_the_full_list(
    name: str, operation: str, direction: str, data: st.DataObject
) -> None:
    params = data.draw(_strategy(name, operation, direction, False), label="params")
    module = validators_named(name)
    check = module.validate if direction == "input" else module.validate_output
    for strict in (True, False):
        every = check(operation, params, strict=strict)
        first = check(operation, params, strict=strict, fail_fast=True)
        assert first == every[:1], f"\nparams: {params!r}\nevery:  {every}\nfirst:  {first}"
        assert type(first) is list  # a plain list, whatever the validator used inside
        if every:
            first.append(every[0])  # that behaves as one
