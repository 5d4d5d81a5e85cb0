"""Pruning, documentation elision and lazily built models (the speed-ups of a release diff)
change nothing in what the diff finds.

Comparing two releases does not import whole models: it keeps only the operations that may
differ (``prune_pair``), leaves out documentation no comparison reads (``elide_unread_docs``)
and builds each shape when the engine first looks it up, once for both sides when it is equal
(``pair_models``). Each of these must give exactly the changes a plain comparison of the two
whole models gives: checked here on hand-made pairs for the tricky cases, and with hypothesis on
random edits of a small botocore-style service. No network.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.bridge.importer import SharedShapes, import_model
from codegen.diff.engine import compare_models
from codegen.diff.sources import cross_named, dirty_shapes, pair_models, prune_pair
from codegen.errors import ModelError, UnknownShapeError
from codegen.model import LazyShapes
from tests.support.paths import DIFF_DEMO as FIXTURE

BASE: dict[str, Any] = json.loads((FIXTURE / "service-2.json").read_text(encoding="utf-8"))
PAGINATORS: dict[str, Any] = json.loads(
    (FIXTURE / "paginators-1.json").read_text(encoding="utf-8")
)["pagination"]

DOCS = ["<p>Old text.</p>", "<p>New text.</p>", "<p>New  text. </p>", "<p>Other <b>words</b>.</p>"]


def documented_base() -> dict[str, Any]:
    """BASE with documentation everywhere (service, operations, shapes, members)."""
    raw = copy.deepcopy(BASE)
    raw["documentation"] = DOCS[0]
    for op in raw["operations"].values():
        op["documentation"] = DOCS[0]
    for name, shape in raw["shapes"].items():
        shape["documentation"] = f"<p>The {name}.</p>"
        for member, ref in shape.get("members", {}).items():
            ref["documentation"] = f"<p>{name}.{member}</p>"
    return raw


def full_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    a = import_model(old, name="demo", paginators=PAGINATORS)
    b = import_model(new, name="demo", paginators=PAGINATORS)
    return [c.to_json() for c in compare_models(a, b, service="demo")]


def pruned_changes(old: dict[str, Any], new: dict[str, Any], elide: bool) -> list[dict[str, Any]]:
    pruned = prune_pair(old, new, PAGINATORS, PAGINATORS, elide_docs=elide)
    if pruned is None:
        return []
    a, b = pair_models(pruned, "demo", PAGINATORS, PAGINATORS)
    return [c.to_json() for c in compare_models(a, b, service="demo")]


def assert_same(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    expected = full_changes(old, new)
    assert pruned_changes(old, new, elide=False) == expected
    assert pruned_changes(old, new, elide=True) == expected
    return expected


# -- hand-made cases ---------------------------------------------------------------------------


def test_member_retargeted_between_unchanged_shapes_still_compares_their_documentation() -> None:
    # Name and String are both unchanged, so their documentation is "shared" by name; but the
    # engine compares Name (old) with String (new) once Thing.Name targets String.
    old = documented_base()
    new = copy.deepcopy(old)
    new["shapes"]["Thing"]["members"]["Name"]["shape"] = "String"
    assert cross_named(old, new, dirty_shapes(old, new)) == ({"Name"}, {"String"})
    changes = assert_same(old, new)
    docs = [
        c for c in changes if c["rule"] == "ChangedDocumentation" and c["path"].endswith("Name")
    ]
    assert docs, changes  # "documentation of shape String changed" (The Name. -> The String.)


def test_operation_input_retargeted_compares_the_two_inputs() -> None:
    old = documented_base()
    new = copy.deepcopy(old)
    new["operations"]["GetThing"]["input"]["shape"] = "ListThingsRequest"
    changes = assert_same(old, new)
    assert {c["rule"] for c in changes} >= {"ChangedMemberTarget", "ChangedDocumentation"}


def test_documentation_of_added_and_removed_elements_is_not_compared() -> None:
    old = documented_base()
    new = copy.deepcopy(old)
    new["shapes"]["Extra"] = {"type": "string", "documentation": DOCS[3]}
    new["shapes"]["Thing"]["members"]["Extra"] = {"shape": "Extra", "documentation": DOCS[3]}
    del new["shapes"]["Thing"]["members"]["Attributes"]
    new["operations"]["DropThing"] = {
        "name": "DropThing",
        "http": {"method": "POST", "requestUri": "/"},
        "input": {"shape": "GetThingRequest"},
        "documentation": DOCS[3],
    }
    changes = assert_same(old, new)
    assert not [c for c in changes if c["rule"] == "ChangedDocumentation"]
    pruned = prune_pair(old, new, PAGINATORS, PAGINATORS, elide_docs=True)
    assert pruned is not None and pruned.documented is not None
    assert "Extra" not in pruned.documented  # built without its documentation
    assert "documentation" not in pruned.new["operations"]["DropThing"]


def test_html_that_differs_but_reads_the_same_is_no_change() -> None:
    old = documented_base()
    new = copy.deepcopy(old)
    old["shapes"]["Tag"]["documentation"] = DOCS[1]
    new["shapes"]["Tag"]["documentation"] = DOCS[2]  # the same text once converted
    assert assert_same(old, new) == []


def test_unchanged_releases_prune_to_nothing() -> None:
    old = documented_base()
    assert prune_pair(old, copy.deepcopy(old), PAGINATORS, PAGINATORS) is None


def test_lazy_models_build_only_what_the_comparison_reaches_and_share_equal_shapes() -> None:
    old = documented_base()
    new = copy.deepcopy(old)
    new["shapes"]["Size"]["max"] = 50  # PutThing and ListThings reach Size; GetThing does not
    pruned = prune_pair(old, new, PAGINATORS, PAGINATORS, elide_docs=True)
    assert pruned is not None
    assert pruned.operations == ["PutThing", "ListThings"]
    a, b = pair_models(pruned, "demo", PAGINATORS, PAGINATORS)
    assert isinstance(a.shapes, LazyShapes) and a.shapes.built() == 0
    changes = compare_models(a, b, service="demo")
    assert {(c.operation, c.path, c.rule) for c in changes} == {
        ("PutThing", "Size", "TightenedRange"),
        ("ListThings", "MaxResults", "TightenedRange"),
    }
    assert isinstance(b.shapes, LazyShapes)
    assert 0 < a.shapes.built() < len(a.shapes)  # Node, NodeList, AttributeMap, ... never built
    assert a.shapes["Thing"] is b.shapes["Thing"]  # not tainted: one object for both sides
    assert a.shapes["Size"] is not b.shapes["Size"]
    assert "Node" in a.shapes and len(a.shapes) == len(old["shapes"])  # names without building
    built = a.shapes.built()
    a.shapes.seal()  # as a diff without --details does once it has compared
    assert a.shapes["Thing"] is b.shapes["Thing"] and a.shapes.built() == built
    assert "Node" in a.shapes and len(a.shapes) == len(old["shapes"])
    with pytest.raises(ModelError, match="shape Node: not built: this model was sealed"):
        a.shapes["Node"]
    with pytest.raises(KeyError):
        a.shapes["NoSuchShape"]


def test_a_lazy_model_reports_a_bad_shape_when_it_is_built() -> None:
    raw = documented_base()
    raw["shapes"]["Tag"]["members"]["Key"]["shape"] = "Missing"
    raw["shapes"]["Attribute"] = {"members": {}}  # no type
    model = import_model(raw, name="demo", source="botocore 9.9.9", lazy=True)
    assert model.shapes["Thing"].name == "Thing"  # fine until a bad one is built
    with pytest.raises(UnknownShapeError, match="'Missing'.*Tag.Key"):
        model.shapes["Tag"]
    with pytest.raises(ModelError, match="botocore 9.9.9: shape Attribute: malformed definition"):
        model.shapes["Attribute"]
    with pytest.raises(ModelError, match="shape Attribute: malformed definition"):
        import_model(raw, name="demo")  # the eager import says the same, up front


def test_shared_shapes_are_built_once_for_every_model_using_the_cache() -> None:
    raw = documented_base()
    shared = SharedShapes(names={"Tag"})
    a = import_model(raw, name="demo", shared=shared)
    b = import_model(copy.deepcopy(raw), name="demo", shared=shared, lazy=True)
    assert a.shapes["Tag"] is b.shapes["Tag"]
    assert a.shapes["Thing"] is not b.shapes["Thing"]
    assert a.shapes["Thing"] == b.shapes["Thing"]


# -- random edits ------------------------------------------------------------------------------

SHAPES = sorted(BASE["shapes"])
STRUCTURES = [n for n in SHAPES if BASE["shapes"][n]["type"] == "structure"]
OPERATIONS = sorted(BASE["operations"])


def _apply(raw: dict[str, Any], edit: tuple[Any, ...]) -> None:
    kind, *args = edit
    shapes = raw["shapes"]
    if kind.startswith("op-") and args[0] not in raw["operations"]:
        return  # removed by an earlier edit
    if kind == "service-doc":
        raw["documentation"] = args[0]
    elif kind == "op-doc":
        raw["operations"][args[0]]["documentation"] = args[1]
    elif kind == "shape-doc":
        shapes[args[0]]["documentation"] = args[1]
    elif kind == "member-doc":
        members = shapes[args[0]]["members"]
        if members:
            members[sorted(members)[args[1] % len(members)]]["documentation"] = args[2]
    elif kind == "retarget":
        members = shapes[args[0]]["members"]
        if members:
            members[sorted(members)[args[1] % len(members)]]["shape"] = args[2]
    elif kind == "add-member":
        shapes[args[0]]["members"][args[1]] = {"shape": args[2], "documentation": args[3]}
    elif kind == "remove-member":
        members = shapes[args[0]]["members"]
        if members:
            name = sorted(members)[args[1] % len(members)]
            del members[name]
            if name in shapes[args[0]].get("required", []):
                shapes[args[0]]["required"].remove(name)
    elif kind == "require":
        members = sorted(shapes[args[0]]["members"])
        if members:
            shapes[args[0]]["required"] = [members[args[1] % len(members)]]
    elif kind == "limit":
        shapes[args[0]][args[1]] = args[2]
    elif kind == "enum":
        shapes["Kind"]["enum"] = args[0]
    elif kind == "add-shape":
        shapes[args[0]] = {
            "type": "structure",
            "documentation": args[1],
            "members": {"Inner": {"shape": args[2], "documentation": args[1]}},
        }
    elif kind == "op-input":
        raw["operations"][args[0]]["input"] = {"shape": args[1]}
    elif kind == "remove-op":
        raw["operations"].pop(args[0], None)


docs = st.sampled_from(DOCS)
edits = st.one_of(
    st.tuples(st.just("service-doc"), docs),
    st.tuples(st.just("op-doc"), st.sampled_from(OPERATIONS), docs),
    st.tuples(st.just("shape-doc"), st.sampled_from(SHAPES), docs),
    st.tuples(st.just("member-doc"), st.sampled_from(STRUCTURES), st.integers(0, 9), docs),
    st.tuples(
        st.just("retarget"),
        st.sampled_from(STRUCTURES),
        st.integers(0, 9),
        st.sampled_from(SHAPES),
    ),
    st.tuples(
        st.just("add-member"),
        st.sampled_from(STRUCTURES),
        st.sampled_from(["New", "Id"]),
        st.sampled_from(SHAPES),
        docs,
    ),
    st.tuples(st.just("remove-member"), st.sampled_from(STRUCTURES), st.integers(0, 9)),
    st.tuples(st.just("require"), st.sampled_from(STRUCTURES), st.integers(0, 9)),
    st.tuples(
        st.just("limit"),
        st.sampled_from(["Name", "Size", "TagList"]),
        st.sampled_from(["min", "max"]),
        st.integers(0, 200),
    ),
    st.tuples(st.just("enum"), st.lists(st.sampled_from(["small", "large", "huge"]), unique=True)),
    st.tuples(
        st.just("add-shape"), st.sampled_from(["Box", "Crate"]), docs, st.sampled_from(SHAPES)
    ),
    st.tuples(st.just("op-input"), st.sampled_from(OPERATIONS), st.sampled_from(STRUCTURES)),
    st.tuples(st.just("remove-op"), st.sampled_from(OPERATIONS)),
)


def _edited(common: list[Any], old_only: list[Any], new_only: list[Any]) -> tuple[Any, Any]:
    """BASE (documented) with the edits both sides share, then each side's own."""
    old = documented_base()
    for edit in common:
        _apply(old, edit)
    new = copy.deepcopy(old)
    for edit in old_only:
        _apply(old, edit)
    for edit in new_only:
        _apply(new, edit)
    return old, new


edited_pairs = st.builds(
    _edited, *(st.lists(edits, max_size=4) for _ in ("common", "old only", "new only"))
)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(pair=edited_pairs)
def test_pruned_elided_lazy_comparison_equals_the_whole_comparison(pair: tuple[Any, Any]) -> None:
    assert_same(*pair)


@PROPERTY
@given(pair=edited_pairs)
def test_an_operations_changes_do_not_depend_on_the_others_compared(pair: tuple[Any, Any]) -> None:
    # The edits retarget members at random, so recursive shapes (Node, and the cycles the
    # edits make) are common: what a repeat cuts must be decided per operation.
    old, new = pair
    a = import_model(old, name="demo", paginators=PAGINATORS)
    b = import_model(new, name="demo", paginators=PAGINATORS)
    every = [c.to_json() for c in compare_models(a, b, service="demo")]
    for name in [n for n in b.operations if n in a.operations]:
        alone = compare_models(a.restrict([name]), b.restrict([name]), service="demo")
        assert [c.to_json() for c in alone if c.operation == name] == [
            c for c in every if c["operation"] == name
        ], name


# -- malformed release models ------------------------------------------------------------------


def _release(tmp_path: Path, version: str, raw: Any) -> Any:
    from codegen.bridge.releases import Release

    folder = tmp_path / version / "demo" / "2020-01-01"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(raw), encoding="utf-8")
    return Release(version, tmp_path / version)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda raw: raw["shapes"].__setitem__("Tag", ["not", "a", "shape"]),
            r"botocore 1\.0\.0 / botocore 2\.0\.0: cannot read the demo model",
        ),
        (
            lambda raw: raw["shapes"]["Tag"].pop("type"),
            r"botocore 2\.0\.0: shape Tag: malformed definition \(KeyError\('type'\)\)",
        ),
        (
            lambda raw: raw["shapes"]["Tag"]["members"]["Key"].__setitem__("shape", "Missing"),
            r"unknown shape 'Missing' \(referenced from Tag\.Key\)",
        ),
    ],
    ids=["shape-not-an-object", "shape-without-type", "unknown-shape"],
)
def test_a_malformed_model_in_a_release_is_a_clear_error(
    tmp_path: Path, breakage: Any, message: str
) -> None:
    from codegen.diff import diff
    from codegen.diff.sources import Source
    from codegen.errors import ApigenError

    old = documented_base()
    new = copy.deepcopy(old)
    new["shapes"]["Size"]["max"] = 50
    breakage(new)
    sides = [
        Source(f"botocore:{v}", "botocore", f"botocore {v}", release=_release(tmp_path, v, raw))
        for v, raw in (("1.0.0", old), ("2.0.0", new))
    ]
    for elide in (False, True):
        with pytest.raises(ApigenError, match=message):
            diff(*sides, elide_docs=elide)
