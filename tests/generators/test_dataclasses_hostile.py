"""The generated dataclasses' constructors check types as ``from_dict`` does: a wrong value is a
``ShapeError`` naming the field and the expected type, never a silent conversion (a string
split into characters) or a bare ``TypeError``."""

from __future__ import annotations

import dataclasses
import os
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.generators.dataclasses_gen import field_names
from codegen.loader import load_spec
from tests.support.imports import import_file
from tests.support.paths import ROOT

shapes = import_file("generated_ec2_shapes_hostile", ROOT / "generated" / "ec2" / "shapes.py")
MODEL = load_spec(ROOT / "specs" / "ec2" / "flow-logs.json").model()
EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "60"))
REQUIRED = {"resource_ids": ("vpc-1",), "resource_type": "VPC", "traffic_type": "ALL"}


def build(**changes: Any) -> Any:
    return shapes.CreateFlowLogsRequest(**{**REQUIRED, **changes})


# -- the named cases ---------------------------------------------------------------------------


def test_a_string_for_a_list_is_refused() -> None:
    with pytest.raises(shapes.ShapeError) as error:
        build(resource_ids="vpc-1")
    assert (
        error.value.path == "resource_ids"
        and str(error.value) == "resource_ids: expected list, got str"
    )


def test_none_for_a_required_field_is_a_shape_error() -> None:
    with pytest.raises(shapes.ShapeError) as error:
        build(resource_ids=None)
    assert str(error.value) == "resource_ids: expected list, got NoneType"
    with pytest.raises(shapes.ShapeError, match=r"^traffic_type: expected str, got NoneType$"):
        build(traffic_type=None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"resource_ids": ["vpc-1", 2]}, "resource_ids[1]: expected str, got int"),
        ({"max_aggregation_interval": "60"}, "max_aggregation_interval: expected int, got str"),
        ({"max_aggregation_interval": True}, "max_aggregation_interval: expected int, got bool"),
        ({"dry_run": 1}, "dry_run: expected bool, got int"),
        ({"traffic_type": 3}, "traffic_type: expected str, got int"),
        ({"resource_ids": {"vpc-1": 1}}, "resource_ids: expected list, got dict"),
        ({"client_token": 10**5000}, "client_token: expected str, got int"),
    ],
)
def test_wrong_types_name_field_and_type(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(shapes.ShapeError) as error:
        build(**changes)
    assert str(error.value) == message


def test_nested_structures_take_instances() -> None:
    flow_log = shapes.FlowLog(flow_log_id="fl-1", creation_time=datetime(2020, 1, 1))
    assert flow_log.creation_time == datetime(2020, 1, 1, tzinfo=timezone.utc)
    result = shapes.DescribeFlowLogsResult(flow_logs=[flow_log])
    assert result.flow_logs == (flow_log,)
    with pytest.raises(shapes.ShapeError, match=r"^flow_logs\[0\]: expected FlowLog, got dict$"):
        shapes.DescribeFlowLogsResult(flow_logs=[{"FlowLogId": "fl-1"}])
    with pytest.raises(
        shapes.ShapeError, match=r"^creation_time: expected datetime or ISO 8601 string, got int$"
    ):
        shapes.FlowLog(creation_time=0)


def test_valid_values_still_normalised() -> None:
    request = build(resource_ids=["vpc-1"], log_destination_type="s3")
    assert request.resource_ids == ("vpc-1",)
    assert request.log_destination_type is shapes.LogDestinationType.S3
    assert request.to_dict()["ResourceIds"] == ["vpc-1"]
    assert build(traffic_type="NEW-VALUE").traffic_type == "NEW-VALUE"  # a value AWS added later
    assert shapes.CreateFlowLogsRequest.from_dict(request.to_dict()) == request


# -- hypothesis: the constructor refuses exactly what from_dict refuses ------------------------

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.datetimes(),
    st.lists(st.one_of(st.text(max_size=3), st.integers()), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def scalar_fields() -> list[tuple[str, str, str, bool]]:
    """(class, field, member, required) of every field that is not a structure (or holds none)."""
    out = []
    for shape in MODEL.shapes.values():
        if shape.type != "structure" or not shape.members:
            continue
        names = field_names(shape)
        for member, ref in shape.members.items():
            target = MODEL.shape(ref.shape)
            while target.type == "list" and target.member is not None:
                target = MODEL.shape(target.member.shape)
            if target.type != "structure":
                out.append((shape.name, names[member], member, member in shape.required))
    return out


FIELDS = scalar_fields()


def minimal(cls: Any) -> dict[str, Any]:
    """from_dict data for the class's required members (plausible values)."""
    out: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            info = cls.MEMBERS[field.name]
            shape = MODEL.shape(info.shape)
            out[info.member] = ["x"] if shape.type == "list" else "VPC" if shape.enum else "x"
    return out


@pytest.mark.parametrize(
    ("class_name", "field", "member", "required"),
    FIELDS,
    ids=[f"{c}.{f}" for c, f, _, _ in FIELDS],
)
@settings(max_examples=EXAMPLES, deadline=None)
@given(value=VALUES)
def test_constructor_refuses_what_from_dict_refuses(
    class_name: str, field: str, member: str, required: bool, value: Any
) -> None:
    cls = getattr(shapes, class_name)
    data = {**minimal(cls), member: value}
    try:
        expected = cls.from_dict(data)
    except shapes.ShapeError as error:
        expected = error
    loaded = {
        f.name: getattr(cls.from_dict(minimal(cls)), f.name) for f in dataclasses.fields(cls)
    }
    loaded.pop("extra")
    try:
        built = cls(**{**loaded, field: value})
    except shapes.ShapeError as error:
        if value is None and required:
            assert str(error).startswith(f"{field}: expected ")  # from_dict: missing; here: None
            return
        assert isinstance(expected, shapes.ShapeError), (
            f"from_dict took {value!r}, the constructor: {error}"
        )
        assert error.path.startswith(field) and "expected" in error.problem
        assert error.path.removeprefix(field) == expected.path.removeprefix(member)
        assert error.problem == expected.problem
        return
    assert not isinstance(expected, shapes.ShapeError), (
        f"the constructor took {value!r}; from_dict: {expected}"
    )
    assert built == expected


# -- found by the issue-8 verification (qa8) ---------------------------------------------------


@pytest.mark.parametrize("extra", ["Zzz", ["Zzz"], 5, None, {1: "x"}])
def test_extra_of_the_wrong_type_is_a_shape_error(extra: object) -> None:
    # extra="Zzz" was accepted and to_dict() then failed with AttributeError: 'str' ... 'items'
    with pytest.raises(shapes.ShapeError) as error:
        build(extra=extra)
    assert error.value.path == "extra"
    with pytest.raises(shapes.ShapeError):
        shapes.Filter(name="x", extra=extra)


def test_extra_given_as_a_mapping_is_written_back() -> None:
    request = build(extra={"NewMember": [1]})
    assert request.to_dict()["NewMember"] == [1]
    assert request.to_dict()["ResourceIds"] == ["vpc-1"]


@pytest.mark.parametrize(
    "build_it",
    [
        lambda v: shapes.FlowLog(creation_time=v),
        lambda v: shapes.FlowLog.from_dict({"CreationTime": v}),
    ],
)
def test_a_long_bad_timestamp_is_shown_as_an_excerpt(build_it: Any) -> None:
    # the message held the whole value: 10 MB for a 10 MB string
    with pytest.raises(shapes.ShapeError) as error:
        build_it("x" * 1_000_000)
    assert len(str(error.value)) < 200 and "1000000 characters" in str(error.value)


@pytest.mark.parametrize("key", [10**5000, "k" * 1_000_000], ids=["huge-int", "long-str"])
def test_an_unknown_key_too_big_to_print_is_a_short_shape_error(key: object) -> None:
    # an int key of 5,000 digits raised a bare ValueError (int-to-str conversion limit)
    with pytest.raises(shapes.ShapeError) as error:
        shapes.DeleteFlowLogsRequest.from_dict({"FlowLogIds": ["fl-1"], key: 1}, unknown="error")
    assert len(str(error.value)) < 200 and "not a member of DeleteFlowLogsRequest" in str(
        error.value
    )
