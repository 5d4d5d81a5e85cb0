"""Values of a recursive shape nested without end (issue 15): DynamoDB's ``AttributeValue``
holds lists and maps of itself. ``from_dict`` of one nested 300 deep raised RecursionError; the
validators, which recursed one frame a level, happened to follow about 990 levels and then
reported the RecursionError as one issue at the top.

Now both follow at most ``_MAX_NESTING`` (100) levels of a recursive shape, and a value nested
deeper is refused where the limit is crossed, whatever its depth: an issue
``nested_too_deeply`` from the validators, a ``ShapeError`` naming the path from ``from_dict``,
and from ``to_dict`` of an instance built by hand. The generated code is real: DynamoDB's
``PutItem`` and ``GetItem``, imported from the installed botocore and generated in both
layouts (single modules, lazily loaded packages)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.generators.base import GenerationContext
from codegen.generators.dataclasses_gen import DataclassesGenerator
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec

APIGEN = Path(sys.executable).parent / "apigen"
LIMIT = 100


@pytest.fixture(scope="module", params=["single", "split"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(shapes, validators) of DynamoDB's PutItem and GetItem, in one layout."""
    tmp = tmp_path_factory.mktemp(f"dynamodb-{request.param}")
    spec_path = tmp / "dynamodb.json"
    imported = subprocess.run(
        [str(APIGEN), "import", str(spec_path), "--from", "botocore:installed"]
        + ["--service", "dynamodb", "--operation", "PutItem", "--operation", "GetItem"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    spec = load_spec(spec_path)
    context = GenerationContext(model=spec.model(), spec=spec)
    assert spec.model().recursive_structures() == {"AttributeValue"}
    layout = request.param
    names = {"shapes": f"ddb_shapes_{layout}", "validators": f"ddb_validators_{layout}"}
    for generator in (DataclassesGenerator(layout=layout), ValidatorsGenerator(layout=layout)):
        for rel, text in generator.generate(context).items():
            first, _, rest = rel.partition("/")  # shapes.py, or shapes/ (a package)
            stem = first.removesuffix(".py")
            if stem in names:  # under a name of its own: no other test's module is replaced
                rel = names[stem] + (f"/{rest}" if rest else ".py")
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp))
    try:
        shapes = importlib.import_module(names["shapes"])
        validators = importlib.import_module(names["validators"])
    finally:
        sys.path.remove(str(tmp))
    assert (Path(str(shapes.__file__)).name == "__init__.py") == (layout == "split")
    return shapes, validators


def nested(levels: int, kinds: str = "L") -> dict[str, Any]:
    """An AttributeValue of ``levels`` levels: lists (L) or maps (M) of one, innermost a string."""
    value: dict[str, Any] = {"S": "x"}
    for i in range(levels - 1):
        kind = kinds[i % len(kinds)]
        value = {"L": [value]} if kind == "L" else {"M": {"k": value}}
    return value


def put(value: dict[str, Any]) -> dict[str, Any]:
    return {"TableName": "t", "Item": {"a": value}}


def verdicts(
    shapes: ModuleType, validators: ModuleType, params: dict[str, Any]
) -> tuple[Any, Any]:
    """(the validators' nesting issue or None, from_dict's ShapeError or None)."""
    issues = [i for i in validators.validate("PutItem", params) if i.code == "nested_too_deeply"]
    try:
        shapes.PutItemInput.from_dict(params)
        error = None
    except shapes.ShapeError as exc:
        error = exc
    return (issues[0] if issues else None), error


@pytest.mark.parametrize("levels", [101, 300, 1000, 100_000])
def test_deep_values_are_a_shape_error_naming_the_path(generated: Any, levels: int) -> None:
    """The reproduction: 300 deep raised RecursionError."""
    shapes, validators = generated
    issue, error = verdicts(shapes, validators, put(nested(levels)))
    assert error is not None and error.problem == "nested more than 100 levels of AttributeValue"
    assert error.path == "Item['a']" + ".L[0]" * LIMIT
    assert issue is not None and issue.path == "Item.a" + ".L[0]" * LIMIT
    assert f"more than {LIMIT} levels of AttributeValue" in issue.message


def test_up_to_the_limit_everything_round_trips(generated: Any) -> None:
    shapes, validators = generated
    for kinds in ("L", "M", "LM"):
        params = put(nested(LIMIT, kinds))
        assert validators.validate("PutItem", params) == []
        assert shapes.PutItemInput.from_dict(params).to_dict() == params


@settings(max_examples=25, derandomize=True, deadline=None)
@given(levels=st.integers(LIMIT - 3, LIMIT + 3), kinds=st.text("LM", min_size=1, max_size=4))
def test_the_same_limit_in_validators_and_dataclasses(
    generated: Any, levels: int, kinds: str
) -> None:
    shapes, validators = generated
    issue, error = verdicts(shapes, validators, put(nested(levels, kinds)))
    assert (issue is None) == (error is None) == (levels <= LIMIT)
    if error is not None:  # both name the same place, each in its own style of path
        assert error.path == issue.path.replace("Item.a", "Item['a']").replace(".M.k", ".M['k']")


def test_a_list_that_holds_itself(generated: Any) -> None:
    shapes, validators = generated
    value: dict[str, Any] = {"L": []}
    value["L"].append(value)
    issue, error = verdicts(shapes, validators, put(value))
    assert issue is not None and error is not None
    assert error.path == "Item['a']" + ".L[0]" * LIMIT


def test_to_dict_of_an_instance_built_by_hand(generated: Any) -> None:
    """A constructor takes an instance as it is: one built level by level can be deeper than
    from_dict would build; to_dict refuses it at the limit, naming the path (field names)."""
    shapes, _ = generated
    value = shapes.AttributeValue(s="x")
    for i in range(150):
        value = (
            shapes.AttributeValue(l=(value,)) if i % 2 else shapes.AttributeValue(m={"k": value})
        )
    with pytest.raises(shapes.ShapeError) as raised:
        value.to_dict()
    assert raised.value.problem == "nested more than 100 levels of AttributeValue"
    assert raised.value.path == ".".join(["l[0]", "m['k']"] * 50)
    request = shapes.PutItemInput(table_name="t", item={"a": value})
    with pytest.raises(shapes.ShapeError):
        request.to_dict()
