"""The model's hot classes build faster than a frozen dataclass would, and behave the same."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from codegen.errors import ModelError
from codegen.model import Member, Operation, Pagination, Shape

QUICK = [Member, Shape, Operation, Pagination]


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: c.__name__)
def test_quick_init_takes_the_fields_in_order_with_their_defaults(cls: type) -> None:
    params = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    for param, f in zip(params, fields, strict=True):
        if f.default is not dataclasses.MISSING:
            assert param.default is f.default
        elif f.default_factory is not dataclasses.MISSING:
            assert repr(param.default) == "<factory>"
        else:
            assert param.default is inspect.Parameter.empty


def test_quick_init_behaves_as_the_dataclass_init() -> None:
    a = Member("Name", "String")  # positional, as a dataclass takes them
    b = Member(name="Name", shape="String")
    assert a == b
    assert a.traits == {} and a.traits is not b.traits  # a fresh default per instance
    assert dataclasses.replace(a, shape="Other").shape == "Other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "Other"  # type: ignore[misc]
    with pytest.raises(TypeError, match="shape"):
        Member(name="Name")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
        Member("Name", "String", nonsense=1)  # type: ignore[call-arg]
    with pytest.raises(ModelError, match="unknown shape type 'bogus'"):  # __post_init__ runs
        Shape(name="X", type="bogus")
    with pytest.raises(ModelError, match="a list needs a member"):
        Shape(name="X", type="list")
    shape = Shape(name="X", type="structure", members={"A": a}, required=("A",))
    assert shape.required == ("A",) and shape.documentation == ""
