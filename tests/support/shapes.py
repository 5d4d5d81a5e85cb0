"""Hypothesis strategies of the values a generated dataclasses module (``shapes.py``, or its
package for a large service) holds, derived from the model's shapes; shared by the dataclass
tests of the flow-logs spec and of whole EC2's split package."""

from __future__ import annotations

from datetime import timedelta, timezone
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

from codegen.generators.dataclasses_gen import class_names, field_names
from codegen.model import ServiceModel

UTC = timezone.utc
ZONES = (UTC, timezone(timedelta(hours=-8)), timezone(timedelta(hours=5, minutes=30)))


def values(
    m: ServiceModel, module: ModuleType, shape_name: str, *, as_dict: bool
) -> st.SearchStrategy[Any]:
    """Values of a shape: botocore-style (``as_dict``) or as the constructors take them.

    botocore-style values are what botocore returns: lists, plain strings for enums (known
    and unknown), timezone-aware datetimes. Constructor values also use tuples, enum members
    and naive datetimes, which the constructors normalise.
    """
    shape = m.shapes[shape_name]
    if shape.type == "structure":
        names = field_names(shape)
        members = {
            member: values(m, module, ref.shape, as_dict=as_dict)
            for member, ref in shape.members.items()
        }
        if as_dict:
            required = {k: v for k, v in members.items() if k in shape.required}
            optional = {k: v for k, v in members.items() if k not in shape.required}
            return st.fixed_dictionaries(required, optional=optional)
        kwargs = {
            names[k]: (v if k in shape.required else st.none() | v) for k, v in members.items()
        }
        return st.builds(getattr(module, class_names(m)[shape_name]), **kwargs)
    if shape.type == "list":
        assert shape.member is not None
        items = st.lists(values(m, module, shape.member.shape, as_dict=as_dict), max_size=3)
        return items if as_dict else items | items.map(tuple)
    if shape.type == "map":
        assert shape.key is not None and shape.value is not None
        keys = values(m, module, shape.key.shape, as_dict=as_dict)
        return st.dictionaries(
            keys, values(m, module, shape.value.shape, as_dict=as_dict), max_size=3
        )
    if shape.type == "string" and shape.enum:
        known = st.sampled_from(shape.enum)
        unknown = st.text(min_size=1, max_size=12).filter(lambda v: v not in shape.enum)
        if as_dict:
            return known | unknown
        return st.sampled_from(list(getattr(module, class_names(m)[shape_name]))) | known | unknown
    if shape.type == "timestamp":
        zones = st.sampled_from(ZONES)
        return st.datetimes(timezones=zones if as_dict else st.none() | zones)
    scalars: dict[str, st.SearchStrategy[Any]] = {
        "string": st.text(max_size=12),
        "integer": st.integers(-(2**31), 2**31 - 1),
        "long": st.integers(-(2**63), 2**63 - 1),
        "boolean": st.booleans(),
        "double": st.floats(allow_nan=False),
        "float": st.floats(allow_nan=False, width=32),
        "blob": st.binary(max_size=8),
    }
    return scalars[shape.type]
