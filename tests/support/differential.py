"""Helpers of the whole-service differential test (this module holds no tests).

* which services the CI sample takes: the 20 services of the installed botocore with the most
  varied shapes, by :func:`variety` (a documented, deterministic measure);
* each service's validators and JSON Schemas, generated once per test session into a folder;
* hypothesis strategies built from *botocore's* shapes (not ours): valid parameters and mutated
  ones (wrong types at any depth, missing required and unknown members, too short strings and
  lists, numbers below ``min``, unions with no or two members, documents holding what JSON
  cannot, timestamps that do not parse, file-like blobs);
* botocore's ``ParamValidator`` errors as (path, code) pairs, and the comparison with ours.
"""

from __future__ import annotations

import base64
import io
import json
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import botocore.model
import botocore.validate
from hypothesis import strategies as st

from codegen.bridge.releases import Release
from codegen.generators.base import GenerationContext
from codegen.generators.jsonschema_gen import schemas
from codegen.generators.validators import ValidatorsGenerator
from codegen.pipeline import release_spec
from tests.support.imports import generate_into, import_generated

# What the differential test ran, printed at the end of the session (``conftest.py``).
STATS: dict[str, Any] = {"operations": set(), "examples": 0, "schema_examples": 0}


def summary() -> str | None:
    if not STATS["examples"]:
        return None
    return (
        f"differential: {len(STATS['operations'])} operations, {STATS['examples']} examples "
        f"against botocore, {STATS['schema_examples']} of them also against the JSON Schema"
    )


# -- the sample --------------------------------------------------------------------------------

# Keys that name a shape's parts or carry prose, not a kind of constraint or trait.
_NOT_FEATURES = frozenset(
    {
        "type",
        "members",
        "member",
        "key",
        "value",
        "shape",
        "documentation",
        "documentationUrl",
        "deprecatedMessage",
        "exception",
        "error",
    }
)


def variety(model: dict[str, Any]) -> int:
    """How varied a botocore service model's shapes are: the number of distinct features among
    its shapes, a feature being a shape type (``("type", "map")``), a key a shape of some type
    carries (``("string", "pattern")``, ``("structure", "union")``, ``("blob", "streaming")``)
    or a key a member reference carries (``("ref", "location")``, ``("ref", "hostLabel")``)."""
    features: set[tuple[str, str]] = set()
    for shape in model["shapes"].values():
        kind = shape["type"]
        features.add(("type", kind))
        features.update((kind, key) for key in shape if key not in _NOT_FEATURES)
        refs = [*shape.get("members", {}).values()]
        refs += [shape[part] for part in ("member", "key", "value") if part in shape]
        for ref in refs:
            features.update(("ref", key) for key in ref if key not in _NOT_FEATURES)
    return len(features)


def most_varied(release: Release, count: int = 20) -> list[str]:
    """The ``count`` services with the highest :func:`variety`; ties go to the service with more
    operations, then by name."""
    rows = []
    for service in release.services():
        model = release.load_model(service)
        rows.append((-variety(model), -len(model["operations"]), service))
    return [service for _, _, service in sorted(rows)[:count]]


# -- generated code ----------------------------------------------------------------------------


class Generated:
    """One service's generated validators module (imported from a file) and JSON Schemas."""

    def __init__(self, release: Release, service: str, folder: Path) -> None:
        spec = release_spec(release, service)
        model = spec.model()
        context = GenerationContext(model=model, spec=spec)
        # a large service's validators are a package (see codegen/generators/split.py): the
        # differential test goes through its lazy loading as users do
        files = generate_into(folder, context, ValidatorsGenerator())
        self.validators = import_generated(
            f"_differential_{service.replace('-', '_')}", folder, "validators"
        )
        self.split = "validators/__init__.py" in files
        self.schemas = schemas(model)
        self.botocore = botocore.model.ServiceModel(release.load_model(service), service)
        self.strategies = ServiceStrategies()
        self._json_validators: dict[str, Any] = {}

    def json_validator(self, operation: str) -> Any:
        import jsonschema

        if operation not in self._json_validators:
            schema = self.schemas[f"schemas/{operation}.input.json"]
            cls = jsonschema.validators.validator_for(schema)
            self._json_validators[operation] = cls(schema)
        return self._json_validators[operation]


# -- strategies from botocore's shapes ---------------------------------------------------------

_WRONG: list[Any] = [
    None,
    7,
    -3,
    2.5,
    "text",
    "",
    True,
    [],
    {},
    ["a"],
    {"k": "v"},
    b"bytes",
    Decimal("1.5"),
    (1,),
    datetime(2020, 2, 4, tzinfo=timezone.utc),
    {1, 2},
    object(),
]
_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
)
_NOT_JSON = st.sampled_from([Decimal("1.5"), (1, 2), {3}, b"x", object()])
MAX_DEPTH = 5


class BotocoreStrategies:
    """Parameters for botocore shapes. ``noise=False``: values botocore's ``ParamValidator``
    accepts (by construction, not by asking it); ``noise=True``: at every level, sometimes a
    wrong value, a dropped required member, an unknown member, a too short string or list, a
    number below ``min``, a union with no or two members, a document holding what JSON cannot."""

    def __init__(self, *, noise: bool) -> None:
        self.noise = noise
        self._cache: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def params(self, shape: botocore.model.Shape) -> st.SearchStrategy[Any]:
        return self.value(shape, 0)

    def value(self, shape: botocore.model.Shape, depth: int) -> st.SearchStrategy[Any]:
        key = (shape.name, depth)
        if key not in self._cache:
            strategy = self._valid(shape, depth)
            if self.noise:
                strategy = st.one_of(strategy, strategy, strategy, st.sampled_from(_WRONG))
            self._cache[key] = strategy
        return self._cache[key]

    def _valid(self, shape: botocore.model.Shape, depth: int) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        meta = shape.metadata
        low = meta.get("min")
        if kind == "structure":
            assert isinstance(shape, botocore.model.StructureShape)
            if shape.is_document_type:
                return self._document()
            if shape.is_tagged_union:
                return self._union(shape, depth)
            return self._structure(shape, depth)
        if kind == "list":
            assert isinstance(shape, botocore.model.ListShape)
            item = self.value(shape.member, depth + 1)
            least = min(int(low or 0), 3)
            lists = st.lists(item, min_size=least, max_size=least + 2)
            options: list[st.SearchStrategy[Any]] = [lists, lists, lists.map(tuple)]
            if self.noise and least:
                options.append(st.lists(item, max_size=least - 1))
            high = meta.get("max")
            if self.noise and high is not None and int(high) < 6:
                options.append(st.lists(item, min_size=int(high) + 1, max_size=int(high) + 1))
            return st.one_of(*options)
        if kind == "map":
            assert isinstance(shape, botocore.model.MapShape)
            keys = self._valid(shape.key, depth + 1)  # keys must hash: no lists, no dicts
            if self.noise:
                keys = st.one_of(keys, keys, keys, st.sampled_from([7, None, b"k", 2.5, True]))
            return st.dictionaries(keys, self.value(shape.value, depth + 1), max_size=3)
        if kind == "string":
            assert isinstance(shape, botocore.model.StringShape)
            if shape.serialization.get("jsonvalue"):
                values = st.recursive(
                    _JSON_SCALARS,
                    lambda inner: (
                        st.lists(inner, max_size=2)
                        | st.dictionaries(st.text(max_size=3), inner, max_size=2)
                    ),
                    max_leaves=4,
                )
                return st.one_of(values, _NOT_JSON) if self.noise else values
            least = max(int(low or 0), 1 if shape.serialization.get("hostLabel") else 0)
            least = min(least, 64)
            options = [st.text(min_size=least, max_size=least + 6)]
            if shape.enum:
                options += [st.sampled_from(shape.enum)] * 2
            if self.noise:
                options.append(st.text(max_size=3))
                high = meta.get("max")
                if high is not None and int(high) < 64:
                    options.append(st.text(min_size=int(high) + 1, max_size=int(high) + 2))
                if shape.enum:
                    options.append(st.sampled_from(shape.enum).map(str.swapcase))
            return st.one_of(*options)
        if kind in ("integer", "long"):
            bottom = int(low) if low is not None else -(2**33)
            options = [st.integers(bottom, bottom + 2**34)]
            if bottom <= 0:
                options.append(st.booleans())  # botocore takes a bool for an integer
            if self.noise:
                options.append(st.integers(bottom - 5, bottom + 5))
                if meta.get("max") is not None:
                    options.append(st.just(int(meta["max"]) + 1))
            return st.one_of(*options)
        if kind in ("float", "double"):
            floor = float(low) if low is not None else -1e9
            options = [
                st.floats(floor, floor + 1e6),
                st.integers(int(floor) + 1, int(floor) + 1000),
                st.decimals(floor, floor + 1000, places=2),
            ]
            if self.noise:
                options.append(st.floats(floor - 5, floor + 5))
            return st.one_of(*options)
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            aware = st.datetimes(timezones=st.just(timezone.utc))
            options = [
                aware,
                st.datetimes(),
                st.integers(0, 2**31),
                aware.map(lambda d: d.isoformat()),
                st.just("2020-02-04"),
            ]
            if self.noise:  # not "1e400": botocore's own parser raises RuntimeError on it
                options.append(st.sampled_from(["yesterday", "2020-13-45", ""]))
            return st.one_of(*options)
        if kind == "blob":
            return st.one_of(
                st.binary(max_size=6),
                st.binary(max_size=6).map(bytearray),
                st.text(max_size=6),
                st.binary(max_size=6).map(io.BytesIO),
            )
        raise AssertionError(f"unknown botocore type {kind}")

    def _document(self) -> st.SearchStrategy[Any]:
        leaves = st.one_of(_JSON_SCALARS, _NOT_JSON) if self.noise else _JSON_SCALARS
        return st.recursive(
            leaves,
            lambda inner: (
                st.lists(inner, max_size=2)
                | st.dictionaries(st.text(max_size=3), inner, max_size=2)
            ),
            max_leaves=5,
        )

    def _members(self, shape: botocore.model.StructureShape, depth: int) -> dict[str, Any]:
        return {name: self.value(member, depth + 1) for name, member in shape.members.items()}

    def _union(self, shape: botocore.model.StructureShape, depth: int) -> st.SearchStrategy[Any]:
        members = self._members(shape, depth) if depth < MAX_DEPTH else {}
        if not members:
            return st.just({})
        one = st.one_of(*(value.map(lambda v, n=name: {n: v}) for name, value in members.items()))
        if not self.noise:
            return one
        two = st.tuples(one, one).map(lambda pair: {**pair[0], **pair[1]})
        return st.one_of(one, one, one, two, st.just({}))

    def _structure(
        self, shape: botocore.model.StructureShape, depth: int
    ) -> st.SearchStrategy[Any]:
        required = list(shape.required_members)
        if depth >= MAX_DEPTH:
            # deep enough: the required members only, as the simplest value of their type
            return st.just({name: _simplest(shape.members[name]) for name in required})
        members = self._members(shape, depth)
        base = st.fixed_dictionaries(
            {name: members[name] for name in required},
            optional={name: s for name, s in members.items() if name not in required},
        )
        if not self.noise:
            return base

        def mutate(params: dict[str, Any], drop: str | None, extra: str | None) -> dict[str, Any]:
            params = dict(params)
            if drop is not None:
                params.pop(drop, None)
            if extra is not None and extra not in shape.members:
                params[extra] = "x"
            return params

        droppable: list[str | None] = [*required] or [None]
        drops = st.one_of(st.none(), st.none(), st.sampled_from(droppable))
        extras = st.one_of(st.none(), st.none(), st.none(), st.sampled_from(["Bogus", "x"]))
        return st.builds(mutate, base, drops, extras)


def _simplest(shape: botocore.model.Shape) -> Any:
    kind = shape.type_name
    low = int(shape.metadata.get("min") or 0)
    if kind == "structure":
        assert isinstance(shape, botocore.model.StructureShape)
        if shape.is_document_type:
            return None
        if shape.is_tagged_union:
            name = next(iter(shape.members))
            return {name: _simplest(shape.members[name])}
        return {name: _simplest(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        assert isinstance(shape, botocore.model.ListShape)
        return [_simplest(shape.member)] * min(low, 3)
    if kind == "map":
        return {}
    if kind == "string":
        assert isinstance(shape, botocore.model.StringShape)
        if shape.enum:
            return shape.enum[0]
        return "x" * max(low, 1 if shape.serialization.get("hostLabel") else 0)
    if kind in ("integer", "long"):
        return max(low, 0)
    if kind in ("float", "double"):
        return float(max(low, 0))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime(2020, 2, 4, tzinfo=timezone.utc)
    return b""


class ServiceStrategies:
    """Parameter strategies for the operations of one service, sharing the strategy of each
    shape (by name and depth) between operations."""

    def __init__(self) -> None:
        self.valid = BotocoreStrategies(noise=False)
        self.noisy = BotocoreStrategies(noise=True)

    def params(self, shape: botocore.model.Shape) -> st.SearchStrategy[Any]:
        """Half valid, half mutated (and now and then not a dict at all)."""
        return st.one_of(self.valid.params(shape), self.noisy.params(shape))


# -- botocore's verdict ------------------------------------------------------------------------

_CODES = {
    "missing required field": "missing_required",
    "unknown field": "unknown_parameter",
    "invalid type": "invalid_type",
    "invalid range": "invalid_range",
    "invalid length": "length",
    "more than one input": "invalid_type",
    "empty input": "invalid_type",
    "invalid type for document": "invalid_type",
    "unable to encode to json": "invalid_type",
}


def botocore_issues(params: Any, shape: botocore.model.Shape) -> list[tuple[str, str, str]]:
    """botocore's errors as (path, code, reason): a missing or unknown member's path is the
    member's."""
    report = botocore.validate.ParamValidator().validate(params, shape)
    out = []
    for reason, name, extra in report._errors:
        path = name.removeprefix(".")
        if reason == "missing required field":
            path = f"{path}.{extra['required_name']}" if path else extra["required_name"]
        elif reason == "unknown field":
            path = f"{path}.{extra['unknown_param']}" if path else str(extra["unknown_param"])
        out.append((path, _CODES[reason], reason))
    return out


def norm(code: str) -> str:
    """botocore says "invalid length" for strings and lists alike."""
    return "length" if code in ("invalid_length", "too_few_items") else code


def disagreements(ours: Iterable[Any], theirs: list[tuple[str, str, str]]) -> list[str]:
    """How our ``strict=False`` issues and botocore's errors differ (empty when they agree).

    Named exception, botocore's quirk that we do not mirror: inside a document, botocore
    restarts the path at every object key (``{"Doc": {"a": {"b": {1}}}}`` is reported at
    ``b``); ours gives the whole path (``Doc.a.b``). Such an error of botocore's matches an
    issue of ours whose path ends with it."""
    mine = Counter((i.path, norm(i.code)) for i in ours)
    exact = Counter((path, code) for path, code, reason in theirs)
    problems: list[str] = []
    leftover_mine = mine - exact
    leftover_theirs = exact - mine
    for (path, code), count in sorted(leftover_theirs.items()):
        for _ in range(count):
            match = next(
                (
                    key
                    for key in sorted(leftover_mine)
                    if key[1] == code
                    and leftover_mine[key] > 0
                    and (key[0].endswith("." + path) or key[0].endswith("]." + path))
                    and any(p == path and r == "invalid type for document" for p, _, r in theirs)
                ),
                None,
            )
            if match is None:
                problems.append(f"botocore reports {code} at {path!r}, ours does not")
            else:
                leftover_mine[match] -= 1
    problems += [
        f"ours reports {code} at {path!r}, botocore does not"
        for (path, code), count in sorted(leftover_mine.items())
        for _ in range(count)
    ]
    return problems


# -- the JSON form -----------------------------------------------------------------------------


class NoJsonForm(Exception):
    """The parameters have no JSON form that means the same to Python and to JSON Schema."""


def to_json(value: Any) -> Any:
    """The JSON form of parameters: datetimes as RFC 3339 strings, blobs as base64, Decimals
    and tuples as numbers and arrays. An integral float has none: JSON Schema counts ``2.0`` as
    an integer, Python does not."""

    def default(obj: Any) -> Any:
        if isinstance(obj, datetime):
            return obj.isoformat()
        if isinstance(obj, Decimal):
            if obj == obj.to_integral_value():
                raise NoJsonForm(obj)
            return float(obj)
        if isinstance(obj, (bytes, bytearray)):
            return base64.b64encode(bytes(obj)).decode("ascii")
        raise NoJsonForm(obj)

    def check(obj: Any) -> None:
        if isinstance(obj, float) and obj.is_integer():
            raise NoJsonForm(obj)
        if isinstance(obj, dict):
            for key, item in obj.items():
                if not isinstance(key, str):
                    raise NoJsonForm(key)
                check(item)
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                check(item)

    check(value)
    try:
        return json.loads(json.dumps(value, default=default))
    except (TypeError, ValueError) as exc:
        raise NoJsonForm(value) from exc
