"""Generated validators never raise, whatever they are given, and show at most a short excerpt
of a value; responses of a newer API validate by default (unknown members only on request)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.validators import Strategies, model_named, validators_named

HUGE = 10**5000  # str() refuses more than 4300 digits
MAX_MESSAGE = 600  # fixed text + one excerpt (80 characters) + lists of member names
EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "60"))

VALID = {
    "ResourceIds": ["vpc-1"],
    "ResourceType": "VPC",
    "TrafficType": "ALL",
    "LogGroupName": "g",
    "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/r",
}


def nested(depth: int, leaf: Any = "x", kind: str = "list") -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value} if kind == "dict" else (value,)
    return value


class BadStr:
    """A value whose str() and repr() fail."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    __repr__ = __str__


class BadHash:
    """A value that cannot be hashed or compared."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no eq")


class Rude(str):
    """A str subclass whose str() fails."""

    def __str__(self) -> str:
        raise ValueError("rude")


class RaisingDict(dict):  # type: ignore[type-arg]
    """A dict subclass whose own methods raise."""

    def _boom(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("dict says no")

    __iter__ = __len__ = __contains__ = __getitem__ = get = keys = items = values = _boom


class RaisingStr(str):
    """A str subclass whose comparisons, length and slicing raise."""

    def _boom(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("str says no")

    __eq__ = __ne__ = __len__ = __getitem__ = __contains__ = startswith = endswith = _boom
    __hash__ = str.__hash__


class RaisingList(list):  # type: ignore[type-arg]
    """A list subclass whose iteration and length raise."""

    def _boom(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("list says no")

    __iter__ = __len__ = __getitem__ = _boom


def holding_itself() -> dict[str, Any]:
    params: dict[str, Any] = {"ResourceIds": ["vpc-1"], "ResourceType": "VPC"}
    params["Filter"] = [params]
    return params


def modes() -> list[dict[str, bool]]:
    return [{"strict": s, "fail_fast": f} for s in (True, False) for f in (False, True)]


def assert_reported(issues: Any) -> None:
    assert type(issues) is list
    for issue in issues:
        assert isinstance(issue.message, str) and len(issue.message) <= MAX_MESSAGE, issue.message[
            :300
        ]
        assert isinstance(issue.path, str) and len(issue.path) <= MAX_MESSAGE


def every_validator(value: Any) -> None:
    module = validators_named("ec2")
    for operation in module.OPERATIONS:
        for kwargs in modes():
            assert_reported(module.validate(operation, value, **kwargs))
            for unknown in (False, True):
                assert_reported(
                    module.validate_output(operation, value, unknown_members=unknown, **kwargs)
                )


# -- the named cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", modes(), ids=str)
def test_huge_int_for_a_string_member(kwargs: dict[str, bool]) -> None:
    module = validators_named("ec2")
    issues = module.validate("CreateFlowLogs", {**VALID, "ClientToken": HUGE}, **kwargs)
    assert [(i.path, i.code) for i in issues] == [("ClientToken", "invalid_type")]
    assert "value: <an integer of about 5001 digits>, type: <class 'int'>" in issues[0].message


def test_huge_int_for_a_number_in_strict_mode() -> None:
    module = validators_named("ec2")
    issues = module.validate("CreateFlowLogs", {**VALID, "MaxAggregationInterval": HUGE})
    assert [(i.path, i.code) for i in issues] == [("MaxAggregationInterval", "not_allowed_value")]
    assert "value: <an integer of about 5001 digits>, valid values: 60, 600" in issues[0].message
    assert (
        module.validate("CreateFlowLogs", {**VALID, "MaxAggregationInterval": HUGE}, strict=False)
        == []
    )


@pytest.mark.parametrize("kind", ["list", "dict", "tuple"])
@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_values(kind: str, depth: int) -> None:
    module = validators_named("ec2")
    deep = nested(depth, kind=kind)
    for member in ("ClientToken", "ResourceIds", "MaxAggregationInterval", "LogFormat"):
        issues = module.validate("CreateFlowLogs", {**VALID, member: deep})
        assert issues and all(len(i.message) <= MAX_MESSAGE for i in issues)
    issues = module.validate("CreateFlowLogs", {**VALID, "ClientToken": deep})
    opening = {"list": "[", "dict": "{'k': ", "tuple": "("}[kind]
    assert f"value: {opening * 2}" in issues[0].message and "..." in issues[0].message
    every_validator(deep)


def test_unknown_keys_of_any_kind() -> None:
    module = validators_named("ec2")
    params: dict[Any, Any] = {**VALID, HUGE: 1, ("a", 1): 2, "x" * 10_000: 3}
    issues = module.validate("CreateFlowLogs", params)
    paths = [i.path for i in issues]
    assert "<an integer of about 5001 digits>" in paths and "('a', 1)" in paths
    assert all(i.code == "unknown_parameter" and len(i.message) <= MAX_MESSAGE for i in issues)


def test_excerpts_equal_str_when_short() -> None:
    module = validators_named("ec2")
    for value in (
        [1, "a", (2,), {"k": [None]}],
        (1,),
        (),
        {},
        {1: 2.5},
        3.5,
        b"xy",
        None,
        [[[[1]]]],
    ):
        issues = module.validate("CreateFlowLogs", {**VALID, "ClientToken": value})
        assert f"value: {value!s}, type: " in issues[0].message
    long = ["abcdefghij"] * 50
    issues = module.validate("CreateFlowLogs", {**VALID, "ClientToken": long})
    shown = issues[0].message.split("value: ", 1)[1].split(", type: ")[0]
    assert shown == str(long)[:77] + "..."


def test_values_whose_str_fails() -> None:
    module = validators_named("ec2")
    issues = module.validate("CreateFlowLogs", {**VALID, "ClientToken": BadStr()})
    assert "value: <BadStr object>" in issues[0].message
    every_validator(BadStr())
    every_validator(
        {"ResourceType": BadHash(), "TrafficType": [BadHash()], "FlowLogs": [BadStr()]}
    )
    every_validator(
        {"ResourceType": Rude("VPC"), "Filter": [{"Name": Rude("x"), "Values": [Rude("y")]}]}
    )


# -- hypothesis: hostile values anywhere in real requests and responses ------------------------


SPECIAL = {  # built only when used: hypothesis prints what it draws, and str(HUGE) fails
    "HUGE": lambda: HUGE,
    "-HUGE": lambda: -HUGE,
    "2**70000": lambda: 2**70000,
    "nan": lambda: float("nan"),
    "inf": lambda: float("inf"),
    "BadStr": BadStr,
    "BadHash": BadHash,
    "Rude": lambda: Rude("x"),
    "list*1000": lambda: nested(1000),
    "dict*1000": lambda: nested(1000, kind="dict"),
    "tuple*1500": lambda: nested(1500, kind="tuple"),
    "x*100000": lambda: "x" * 100_000,
    "bytes": lambda: b"\xff" * 1000,
    "set": lambda: {1, 2},
    "frozenset": frozenset,
    "object": object,
    "Ellipsis": lambda: ...,
    "complex": lambda: 1j,
    "bytearray": lambda: bytearray(b"a"),
    "range": lambda: range(3),
    "RaisingDict": lambda: RaisingDict(ResourceIds=["vpc-1"]),
    "RaisingStr": lambda: RaisingStr("VPC"),
    "RaisingList": lambda: RaisingList(["vpc-1"]),
    "holding_itself": holding_itself,
}


class Special:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


def build(recipe: Any) -> Any:
    if isinstance(recipe, Special):
        return SPECIAL[recipe.name]()
    if isinstance(recipe, list):
        return [build(item) for item in recipe]
    if isinstance(recipe, tuple):
        return tuple(build(item) for item in recipe)
    if isinstance(recipe, dict):
        return {build(k): build(v) for k, v in recipe.items()}
    return recipe


def hostile_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.sampled_from(sorted(SPECIAL)).map(Special),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.binary(max_size=8),
        st.booleans(),
        st.none(),
    )
    keys = st.one_of(
        st.text(max_size=8),
        st.sampled_from(["HUGE", "BadStr", "Rude"]).map(Special),
        st.sampled_from([("t", 1), 1.5, None]),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.tuples(inner), st.dictionaries(keys, inner, max_size=3)
        ),
        max_leaves=6,
    )


def put(params: Any, path: list[Any], value: Any) -> Any:
    """``params`` with the value at ``path`` (keys and indexes, as far as they reach) replaced."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(params, dict):
        key = (
            head
            if isinstance(head, str)
            else (list(params)[head % len(params)] if params else "X")
        )
        return {**params, key: put(params.get(key), rest, value)}
    if isinstance(params, list) and params:
        index = head % len(params) if isinstance(head, int) else 0
        return [*params[:index], put(params[index], rest, value), *params[index + 1 :]]
    return value


def cases() -> list[tuple[str, str]]:
    model = model_named("ec2")
    return [
        (op, direction)
        for op in model.operations
        for direction in ("input", "output")
        if (model.operations[op].input if direction == "input" else model.operations[op].output)
    ]


@pytest.mark.parametrize(("operation", "direction"), cases())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_validators_never_raise(operation: str, direction: str, data: st.DataObject) -> None:
    model = model_named("ec2")
    op = model.operations[operation]
    shape = model.shape(op.input if direction == "input" else op.output)  # type: ignore[arg-type]
    params = data.draw(Strategies(model, noise=False).params(shape), label="plausible")
    path = data.draw(
        st.lists(
            st.one_of(st.integers(0, 20), st.sampled_from(sorted(shape.members))), max_size=4
        ),
        label="path",
    )
    params = put(params, path, build(data.draw(hostile_values(), label="hostile")))
    module = validators_named("ec2")
    for kwargs in modes():
        if direction == "input":
            assert_reported(module.validate(operation, params, **kwargs))
        else:
            for unknown in (False, True):
                assert_reported(
                    module.validate_output(operation, params, unknown_members=unknown, **kwargs)
                )


@pytest.mark.parametrize("kwargs", modes(), ids=str)
@pytest.mark.parametrize(
    "params",
    [
        pytest.param(lambda: RaisingDict(VALID), id="dict-subclass"),
        pytest.param(lambda: {**VALID, "ResourceType": RaisingStr("VPC")}, id="str-subclass"),
        pytest.param(lambda: {**VALID, "ResourceIds": RaisingList(["vpc-1"])}, id="list-subclass"),
    ],
)
def test_values_whose_own_methods_raise_are_one_issue(
    params: Any, kwargs: dict[str, bool]
) -> None:
    """A dict, str or list subclass whose methods raise: reported, never raised (botocore's
    checks, ``strict=False``, may not need to read a string at all)."""
    issues = validators_named("ec2").validate("CreateFlowLogs", params(), **kwargs)
    assert_reported(issues)
    if not issues and not kwargs["strict"]:
        return
    assert [(i.path, i.code) for i in issues] == [("", "invalid_type")]
    assert (
        "checking it raised RuntimeError: " in issues[0].message and "says no" in issues[0].message
    )


def test_a_value_that_holds_itself() -> None:
    module = validators_named("ec2")
    for kwargs in modes():
        assert_reported(module.validate("DescribeFlowLogs", holding_itself(), **kwargs))
        assert module.validate("DescribeFlowLogs", holding_itself(), **kwargs)


# -- responses of a newer API -------------------------------------------------------------------


def test_newer_response_validates_by_default() -> None:
    """Today's DescribeFlowLogs response carries members (Tags, ...) the 2020 spec lacks."""
    module = validators_named("ec2")
    response = {
        "FlowLogs": [
            {
                "CreationTime": "2024-01-01T00:00:00Z",
                "FlowLogId": "fl-1",
                "FlowLogStatus": "ACTIVE",
                "ResourceId": "vpc-1",
                "TrafficType": "ALL",
                "LogDestinationType": "s3",
                "LogDestination": "arn:aws:s3:::bucket",
                "MaxAggregationInterval": 600,
                "Tags": [{"Key": "team", "Value": "net"}],
                "DestinationOptions": {"FileFormat": "plain-text"},
            }
        ],
        "ResponseMetadata": {"RequestId": "r"},
    }
    assert module.validate_output("DescribeFlowLogs", response) == []
    assert module.validate_describe_flow_logs_output(response, strict=True) == []
    asked = module.validate_output("DescribeFlowLogs", response, unknown_members=True)
    assert sorted((i.path, i.code) for i in asked) == [
        ("FlowLogs[0].DestinationOptions", "unknown_parameter"),
        ("FlowLogs[0].Tags", "unknown_parameter"),
    ]
    first = module.validate_output(
        "DescribeFlowLogs", response, unknown_members=True, fail_fast=True
    )
    assert first == asked[:1]
    # the input side keeps botocore's behaviour: an unknown parameter is always an issue
    for strict in (True, False):
        issues = module.validate("DescribeFlowLogs", {"Tags": []}, strict=strict)
        assert [(i.path, i.code) for i in issues] == [("Tags", "unknown_parameter")]
