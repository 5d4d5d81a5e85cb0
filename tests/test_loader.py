"""Loading specs: the committed spec, versions, and every kind of bad input."""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codegen.errors import ImportConflictError, SpecError, UnknownVersionError
from codegen.loader import format_spec, load_spec, parse_spec, save_spec
from tests.support.paths import ROOT, SPEC

# an edit of a spec document, in place
Edit: TypeAlias = Callable[[dict[str, Any]], object]

FIXTURES = ROOT / "tests" / "fixtures"
BAD = sorted((FIXTURES / "bad_specs").glob("*.json"))
EXPECTED = json.loads((FIXTURES / "bad_specs_expected.json").read_text())
MINIMAL = json.loads((FIXTURES / "good_minimal_spec.json").read_text())


def _problems(exc: SpecError) -> list[str]:
    return [
        (f"{p.line}:{p.column}: " if p.line else "")
        + (f"{p.pointer}: " if p.pointer else "")
        + p.message
        for p in exc.problems
    ]


def test_every_bad_fixture_has_expectations() -> None:
    assert sorted(p.name for p in BAD) == sorted(EXPECTED)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_spec_reports_exactly_the_expected_problems(path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert _problems(info.value) == EXPECTED[path.name]
    message = str(info.value)
    assert message.startswith(f"{info.value.file}: {len(EXPECTED[path.name])} problem(s)")
    assert all(p.file.endswith(path.name) for p in info.value.problems)


def test_minimal_spec_is_good() -> None:
    assert parse_spec(json.dumps(MINIMAL).encode(), "minimal.json")["service"] == "ec2"


def test_committed_spec_loads_and_resolves_versions() -> None:
    spec = load_spec(SPEC)
    assert [v.version for v in spec.versions] == ["2020-01-24", "2020-02-04"]
    assert spec.version("1.14.10") == spec.version("2020-02-04")
    assert spec.version("1.14.9").date == "2020-01-24"
    assert (
        "MaxAggregationInterval"
        not in spec.model("1.14.9").shapes["CreateFlowLogsRequest"].members
    )
    assert (
        "MaxAggregationInterval"
        in spec.model("2020-02-04").shapes["CreateFlowLogsRequest"].members
    )
    with pytest.raises(
        UnknownVersionError, match="no version '1.14.11'; known versions: 2020-01-24/1.14.9"
    ):
        spec.model("1.14.11")


def test_committed_spec_is_in_canonical_form() -> None:
    assert SPEC.read_text(encoding="utf-8") == format_spec(load_spec(SPEC).document)


def test_deleteflowlogs_is_imported_with_provenance() -> None:
    op = load_spec(SPEC).model().operations["DeleteFlowLogs"]
    assert op.provenance is not None
    assert (op.provenance.source, op.provenance.release, op.provenance.service) == (
        "botocore",
        "1.14.10",
        "ec2",
    )
    assert len(op.provenance.sha256 or "") == 64
    assert load_spec(SPEC).model().operations["CreateFlowLogs"].provenance is None


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read the file"):
        load_spec(tmp_path / "nope.json")


def test_save_spec_refuses_a_bad_document_and_keeps_the_file(tmp_path: Path) -> None:
    target = tmp_path / "spec.json"
    target.write_text(format_spec(MINIMAL))
    broken = copy.deepcopy(MINIMAL)
    broken["shapes"]["Ids"]["member"]["shape"] = "Nope"
    with pytest.raises(SpecError, match="unknown shape 'Nope'"):
        save_spec(target, broken)
    assert json.loads(target.read_text()) == MINIMAL
    assert not list(tmp_path.glob("*.tmp"))


# -- property-based: no input crashes the loader ------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = list(_paths(MINIMAL))[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(ALL_PATHS), st.one_of(st.just("delete"), json_values)),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_specs_load_or_fail_cleanly(
    edits: list[tuple[tuple[str | int, ...], Any]],
) -> None:
    doc = copy.deepcopy(MINIMAL)
    for path, value in edits:
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if value == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        parse_spec(json.dumps(doc).encode(), "mutated.json")
    except SpecError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


# Specs that pass the schema and break exactly one semantic rule: each breaker edits the
# minimal good spec with drawn names and values, and says where the loader must report it.

NAMES = st.from_regex(r"[A-Z][A-Za-z0-9]{0,10}", fullmatch=True)
SHAPE_REFS = [
    (
        ("shapes", "CreateThingRequest", "members", m, "shape"),
        f"/shapes/CreateThingRequest/members/{m}/shape",
    )
    for m in MINIMAL["shapes"]["CreateThingRequest"]["members"]
] + [
    (
        ("shapes", "CreateThingResult", "members", "Ids", "shape"),
        "/shapes/CreateThingResult/members/Ids/shape",
    ),
    (("shapes", "Ids", "member", "shape"), "/shapes/Ids/member/shape"),
    (("operations", "CreateThing", "input"), "/operations/CreateThing/input"),
    (("operations", "CreateThing", "output"), "/operations/CreateThing/output"),
]


def _put(doc: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


BREAKAGES = [
    "unknown shape",
    "unknown error shape",
    "unknown required member",
    "duplicate required member",
    "duplicate enum value",
    "min above max",
    "documented min above max",
    "constraint for another type",
    "unknown format",
    "unknown since",
    "invalid regular expression",
    "versions out of order",
    "allowed value outside the enum",
    "default outside the enum",
]


@st.composite
def one_semantic_breakage(draw: st.DrawFn, kind: str) -> tuple[dict[str, Any], str, str]:
    """(document, JSON pointer, message pattern): a spec that passes the schema and breaks one
    semantic rule (of kind ``kind``), where and how the loader must say so."""
    doc = copy.deepcopy(MINIMAL)
    shapes = doc["shapes"]
    request = shapes["CreateThingRequest"]
    fresh = NAMES.filter(lambda n: n not in shapes and n not in request["members"])
    if kind == "unknown shape":
        path, pointer = draw(st.sampled_from(SHAPE_REFS))
        name = draw(fresh)
        _put(doc, path, name)
        return doc, pointer, rf"unknown shape {name!r}"
    if kind == "unknown error shape":
        name = draw(fresh)
        known = draw(st.lists(st.sampled_from(["CreateThingResult"]), max_size=1))
        doc["operations"]["CreateThing"]["errors"] = [*known, name]
        return doc, f"/operations/CreateThing/errors/{len(known)}", rf"unknown shape {name!r}"
    if kind == "unknown required member":
        name = draw(fresh)
        request["required"].append(name)
        return (
            doc,
            "/shapes/CreateThingRequest/required/1",
            rf"required names unknown member {name!r}",
        )
    if kind == "duplicate required member":
        member = draw(st.sampled_from([m for m in request["members"] if m != "Ids"]))
        request["required"] += [member, member]
        return (
            doc,
            "/shapes/CreateThingRequest/required/2",
            rf"duplicate required member {member!r}",
        )
    if kind == "duplicate enum value":
        value = draw(st.sampled_from(shapes["Kind"]["enum"]))
        shapes["Kind"]["enum"].append(value)
        return doc, "/shapes/Kind/enum/2", rf"duplicate enum value {value!r}"
    if kind == "min above max":
        name = draw(st.sampled_from(["String", "Integer", "Ids"]))
        high = draw(st.integers(0, 1000))
        low = draw(st.integers(high + 1, 2000))
        shapes[name].update(min=low, max=high)
        return doc, f"/shapes/{name}", rf"min {low} is greater than max {high}"
    if kind == "documented min above max":
        member, lo, hi = draw(
            st.sampled_from(
                [
                    ("Ids", "minItems", "maxItems"),
                    ("Target", "minLength", "maxLength"),
                    ("Interval", "minValue", "maxValue"),
                ]
            )
        )
        high = draw(st.integers(0, 1000))
        low = draw(st.integers(high + 1, 2000))
        request["members"][member]["documented"] = {lo: low, hi: high}
        return (
            doc,
            f"/shapes/CreateThingRequest/members/{member}/documented",
            rf"{lo} {low} is greater than {hi} {high}",
        )
    if kind == "constraint for another type":
        member, key, kind_name = draw(
            st.sampled_from(
                [
                    ("Interval", "maxItems", "integer"),
                    ("Interval", "minLength", "integer"),
                    ("Target", "maxValue", "string"),
                    ("Ids", "maxLength", "list"),
                ]
            )
        )
        request["members"][member]["documented"] = {key: draw(st.integers(1, 100))}
        return (
            doc,
            f"/shapes/CreateThingRequest/members/{member}/documented/{key}",
            rf"{key} does not apply to a member of type {kind_name}",
        )
    if kind == "unknown format":
        name = draw(
            st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).filter(lambda n: n != "arn")
        )
        request["members"]["Target"]["documented"] = {"format": name}
        return (
            doc,
            "/shapes/CreateThingRequest/members/Target/documented/format",
            rf"unknown format {name!r}",
        )
    if kind == "unknown since":
        date = draw(st.dates().map(str).filter(lambda d: d not in ("2020-01-24", "2020-02-04")))
        member = draw(st.sampled_from(sorted(request["members"])))
        request["members"][member]["since"] = date
        return (
            doc,
            f"/shapes/CreateThingRequest/members/{member}/since",
            rf"unknown version {date!r}",
        )
    if kind == "invalid regular expression":
        pattern = draw(st.sampled_from(["(", "[a-", "a{2,1}", "*a", "(?P<x>a)(?P<x>b)", "\\"]))
        name = draw(st.sampled_from(["String", "Kind"]))
        shapes[name]["pattern"] = pattern
        return doc, f"/shapes/{name}/pattern", r"invalid regular expression"
    if kind == "versions out of order":
        date = draw(st.dates(max_value=datetime.date(2020, 1, 23)).map(str))
        doc["versions"][1]["date"] = date
        return (
            doc,
            "/versions/1/date",
            rf"date {date} does not follow the previous version's 2020-01-24",
        )
    value = draw(st.from_regex(r"[c-z][a-z]{0,4}", fullmatch=True))
    if kind == "allowed value outside the enum":
        request["members"]["Kind"]["documented"] = {"allowedValues": ["a", value]}
        return (
            doc,
            "/shapes/CreateThingRequest/members/Kind/documented/allowedValues/1",
            rf"{value!r} is not one of the enum values \['a', 'b'\]",
        )
    request["members"]["Kind"]["documented"] = {"default": value}
    return (
        doc,
        "/shapes/CreateThingRequest/members/Kind/documented/default",
        rf"{value!r} is not one of the enum values \['a', 'b'\]",
    )


@pytest.mark.parametrize("kind", BREAKAGES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_semantic_breakage_is_reported_where_it_is(kind: str, data: st.DataObject) -> None:
    doc, pointer, message = data.draw(one_semantic_breakage(kind), label="case")
    with pytest.raises(SpecError) as caught:
        parse_spec(json.dumps(doc).encode(), "broken.json")
    problems = [(p.pointer, p.message) for p in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0][0] == pointer, problems
    assert re.match(message, problems[0][1]), problems


def _json_of_the_wrong_shape() -> st.SearchStrategy[Any]:
    """JSON documents a spec is not: other top-level types, and objects with the spec's keys
    holding wrong types (valid UTF-8, valid JSON, passed on to the schema check)."""
    wrong_top = st.one_of(
        json_values.filter(lambda v: not isinstance(v, dict)),
        st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    )
    # each key holds the minimal spec's value or one of a type the schema rejects there (any
    # value of the right type may be valid: "formats": {} is); a required key missing or one
    # wrong-typed value makes the document wrong
    types = {
        "specFormat": int,
        "service": str,
        "metadata": dict,
        "versions": list,
        "formats": dict,
        "operations": dict,
        "shapes": dict,
    }
    required = ["specFormat", "service", "metadata", "versions", "operations", "shapes"]

    def wrong_type(t: type) -> st.SearchStrategy[Any]:
        return json_values.filter(lambda v: not isinstance(v, t) and v != 1)

    spec_like = st.fixed_dictionaries(
        {},
        optional={k: st.one_of(wrong_type(t), st.just(MINIMAL[k])) for k, t in types.items()},
    ).filter(lambda d: any(k not in d for k in required) or any(d[k] != MINIMAL[k] for k in d))
    return st.one_of(wrong_top, spec_like)


WRONG_SHAPED = _json_of_the_wrong_shape()


@st.composite
def bytes_of_json_of_the_wrong_shape(draw: st.DrawFn) -> bytes:
    value = draw(WRONG_SHAPED)
    indent = draw(st.sampled_from([None, 1, 2]))
    ascii_only = draw(st.booleans())
    return json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(bytes_of_json_of_the_wrong_shape())
def test_valid_json_of_the_wrong_shape_fails_cleanly(raw: bytes) -> None:
    """Past UTF-8 decoding and JSON parsing: the schema (or the semantic checks) say where."""
    text = raw.decode("utf-8")
    json.loads(text)  # really JSON
    with pytest.raises(SpecError) as caught:
        parse_spec(raw, "wrong.json")
    problems = caught.value.problems
    assert problems and all(p.message for p in problems)
    assert all(p.pointer is not None for p in problems), [(p.pointer, p.message) for p in problems]
    event("top level " + type(json.loads(text)).__name__)
    event(f"{len(problems)} problems" if len(problems) < 3 else "3+ problems")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_fail_cleanly(raw: bytes) -> None:
    try:
        parse_spec(raw, "garbage.json")
    except SpecError as exc:
        assert exc.problems


# -- importing into a spec ---------------------------------------------------------------


@pytest.mark.network
def test_import_reproduces_the_committed_spec(tmp_path: Path) -> None:
    """Remove DeleteFlowLogs from a copy of the spec and import it again: the same document,
    but for the documented constraint added by hand after the import (botocore has none)."""
    from codegen.pipeline import import_operations
    from tests.support.helpers import release

    copy_path = tmp_path / "flow-logs.json"
    document = json.loads(SPEC.read_text())
    for shape in ("DeleteFlowLogsRequest", "DeleteFlowLogsResult"):
        del document["shapes"][shape]
    del document["operations"]["DeleteFlowLogs"]
    copy_path.write_text(format_spec(document))
    added = import_operations(copy_path, release("1.14.10"), ["DeleteFlowLogs"])
    assert added == ["DeleteFlowLogs", "DeleteFlowLogsRequest", "DeleteFlowLogsResult"]
    committed = json.loads(SPEC.read_text())
    del committed["shapes"]["DeleteFlowLogsRequest"]["members"]["FlowLogIds"]["documented"]
    assert copy_path.read_text() == format_spec(committed)


@pytest.mark.network
def test_import_conflict_changes_nothing(tmp_path: Path) -> None:
    from codegen.pipeline import import_operations
    from tests.support.helpers import release

    copy_path = tmp_path / "flow-logs.json"
    document = json.loads(SPEC.read_text())
    del document["operations"]["DeleteFlowLogs"]
    document["shapes"]["UnsuccessfulItemSet"]["member"]["locationName"] = "entry"
    copy_path.write_text(format_spec(document))
    before = copy_path.read_text()
    with pytest.raises(ImportConflictError, match="shape 'UnsuccessfulItemSet' differs"):
        import_operations(copy_path, release("1.14.10"), ["DeleteFlowLogs"])
    assert copy_path.read_text() == before


def test_patterns_must_be_portable_to_json_schema() -> None:
    doc = copy.deepcopy(MINIMAL)
    doc["shapes"]["String"]["pattern"] = r"\Aabc\Z"
    doc["formats"]["arn"]["pattern"] = r"(?P<name>arn):"
    with pytest.raises(SpecError) as info:
        parse_spec(json.dumps(doc).encode(), "x.json")
    assert [p.pointer for p in info.value.problems] == [
        "/formats/arn/pattern",
        "/shapes/String/pattern",
    ]
    assert all("not portable to ECMA-262" in p.message for p in info.value.problems)


def test_formats_read_patterns_as_json_schema_does() -> None:
    """``$`` must not match before a final newline, as in ECMA-262 and the generated code."""
    formats = load_spec(SPEC).model().formats
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:my-logs"
    assert formats["cloudwatch-log-group-arn"].violations(arn) == []
    assert formats["cloudwatch-log-group-arn"].violations(arn + "\n") != []
    assert formats["s3-bucket-arn"].violations("arn:aws:s3:::my-bucket/AWSLogs/") == [
        "AWSLogs is a reserved term and cannot be used as a subfolder name"
    ]
    assert formats["flow-log-format"].violations("${version} ${nope}") == [
        "unknown field '${nope}'"
    ]


# -- which documented constraint applies to which type (written out by hand) ------------------

TYPES = [
    "string",
    "blob",
    "integer",
    "long",
    "float",
    "double",
    "boolean",
    "timestamp",
    "list",
    "map",
]
APPLIES = {
    "minItems": {"list", "map"},
    "maxItems": {"list", "map"},
    "minLength": {"string", "blob"},
    "maxLength": {"string", "blob"},
    "minValue": {"integer", "long", "float", "double"},
    "maxValue": {"integer", "long", "float", "double"},
    "pattern": {"string"},
    "format": {"string"},
    "idempotencyToken": {"string"},
}
VALUES = {
    "minItems": 1,
    "maxItems": 2,
    "minLength": 1,
    "maxLength": 2,
    "minValue": 1,
    "maxValue": 2,
    "pattern": "^a",
    "format": "arn",
    "idempotencyToken": True,
}


def _typed_spec(kind: str, documented: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(MINIMAL)
    shape: dict[str, Any] = {"type": kind}
    if kind == "list":
        shape["member"] = {"shape": "String"}
    if kind == "map":
        shape.update(key={"shape": "String"}, value={"shape": "String"})
    doc["shapes"]["Typed"] = shape
    doc["shapes"]["CreateThingRequest"]["members"]["Typed"] = {
        "shape": "Typed",
        "documented": documented,
    }
    return doc


def _problems_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        parse_spec(json.dumps(doc).encode(), "typed.json")
    except SpecError as exc:
        return [(p.pointer, p.message) for p in exc.problems]
    return []


@pytest.mark.parametrize("key", sorted(APPLIES))
@pytest.mark.parametrize("kind", TYPES)
def test_a_documented_constraint_applies_to_its_types_only(key: str, kind: str) -> None:
    problems = _problems_of(_typed_spec(kind, {key: VALUES[key]}))
    where = f"/shapes/CreateThingRequest/members/Typed/documented/{key}"
    if kind in APPLIES[key]:
        assert problems == []
    else:
        assert problems == [(where, f"{key} does not apply to a member of type {kind}")]


@pytest.mark.parametrize(
    ("kind", "good", "bad", "message"),
    [
        ("string", ["a", "b"], 1, "1 is not a valid string"),
        ("integer", [60, 600], "600", "'600' is not a valid integer"),
        ("long", [1, 2**40], 1.5, "1.5 is not a valid long"),
        ("long", [1], "1", "'1' is not a valid long"),
        ("double", [1, 2.5], "x", "'x' is not a valid double"),
        ("float", [0.5, 3], "0.5", "'0.5' is not a valid float"),
        ("timestamp", [], "2020-01-01", "a value does not apply to a member of type timestamp"),
    ],
)
def test_allowed_values_and_defaults_have_the_members_type(
    kind: str, good: list[Any], bad: object, message: str
) -> None:
    where = "/shapes/CreateThingRequest/members/Typed/documented"
    if good:
        assert _problems_of(_typed_spec(kind, {"allowedValues": good, "default": good[0]})) == []
    assert _problems_of(_typed_spec(kind, {"allowedValues": [*good, bad]})) == [
        (f"{where}/allowedValues/{len(good)}", message)
    ]
    assert _problems_of(_typed_spec(kind, {"default": bad})) == [(f"{where}/default", message)]


# -- smaller semantic rules, each with its exact report (found by mutation testing) ----------


def _edited(edit: Edit) -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(MINIMAL)
    edit(doc)
    return doc


def _enum_objects(doc: dict[str, Any]) -> None:
    doc["shapes"]["Kind"]["enum"] = [{"value": "a", "since": "2020-01-24"}, "b"]
    doc["shapes"]["CreateThingRequest"]["members"]["Kind"]["documented"] = {
        "allowedValues": ["a", "z"]
    }


def _since_equal(doc: dict[str, Any]) -> None:
    doc["shapes"]["New"] = {"type": "string", "since": "2020-02-04"}
    doc["shapes"]["CreateThingRequest"]["members"]["Fresh"] = {
        "shape": "New",
        "since": "2020-02-04",
    }


def _since_earlier(doc: dict[str, Any]) -> None:
    doc["shapes"]["New"] = {"type": "string", "since": "2020-02-04"}
    doc["shapes"]["CreateThingRequest"]["members"]["Fresh"] = {"shape": "New"}


def _member_older_than_structure(doc: dict[str, Any]) -> None:
    doc["shapes"]["Inner"] = {
        "type": "structure",
        "since": "2020-02-04",
        "members": {"X": {"shape": "String", "since": "2020-01-24"}, "Y": {"shape": "New"}},
    }
    doc["shapes"]["New"] = {"type": "string", "since": "2020-02-04"}
    doc["shapes"]["CreateThingRequest"]["members"]["Fresh"] = {
        "shape": "Inner",
        "since": "2020-02-04",
    }


def _filters_on(member: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc["shapes"]["CreateThingRequest"]["members"][member]["documented"] = {
            "filters": {"names": [{"name": "a", "documentation": "x"}]}
        }

    return edit


def _equal_limits(doc: dict[str, Any]) -> None:
    doc["shapes"]["CreateThingRequest"]["members"]["Ids"]["documented"] = {
        "minItems": 2,
        "maxItems": 2,
    }
    doc["shapes"]["CreateThingRequest"]["members"]["Target"]["documented"] = {
        "minLength": 3,
        "maxLength": 3,
    }


M = "/shapes/CreateThingRequest/members"
SMALL_RULES = [
    (
        "enum values written as objects",
        _enum_objects,
        [(f"{M}/Kind/documented/allowedValues/1", "'z' is not one of the enum values ['a', 'b']")],
    ),
    (
        "a near miss is named",
        lambda d: d["shapes"]["CreateThingRequest"]["members"]["Target"].update(shape="string"),
        [(f"{M}/Target/shape", "unknown shape 'string' (did you mean 'String'?)")],
    ),
    (
        "no near miss",
        lambda d: d["shapes"]["CreateThingRequest"]["members"]["Target"].update(shape="Strings"),
        [(f"{M}/Target/shape", "unknown shape 'Strings'")],
    ),
    ("equal lower and upper limits", _equal_limits, []),
    ("a shape as new as what refers to it", _since_equal, []),
    (
        "a shape newer than what refers to it",
        _since_earlier,
        [
            (
                f"{M}/Fresh/shape",
                "shape 'New' exists only since 2020-02-04, later than what refers to it",
            )
        ],
    ),
    (
        "a member older than its structure",
        _member_older_than_structure,
        [
            (
                "/shapes/Inner/members/X/since",
                "since 2020-01-24 is earlier than 2020-02-04, the since of what holds it",
            )
        ],
    ),
    (
        "filters on a string",
        _filters_on("Target"),
        [(f"{M}/Target/documented/filters", "filters does not apply to a member of type string")],
    ),
    (
        "filters on a list of strings",
        _filters_on("Ids"),
        [(f"{M}/Ids/documented/filters", "filters need a list of structures")],
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [pytest.param(e, x, id=n) for n, e, x in SMALL_RULES]
)
def test_small_semantic_rules(edit: Edit, expected: list[tuple[str, str]]) -> None:
    assert _problems_of(_edited(edit)) == expected


def _mutated(tmp_path: Path, edit: Edit) -> Path:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "pointer", "shown"),
    [
        # each message repeated the whole bad value (a whole shape, 5,000 characters of a date)
        (
            lambda d: d["shapes"].update(FlowLog=[d["shapes"]["FlowLog"]]),
            "/shapes/FlowLog",
            "... (a list of 1 item) is not of type 'object'",
        ),
        (
            lambda d: d["shapes"]["FlowLog"].update(type=["x"] * 300),
            "/shapes/FlowLog/type",
            "... (a list of 300 items) is not one of ['structure'",
        ),
        (
            lambda d: d["versions"][0].update(date="2" * 5000),
            "/versions/0/date",
            "... (a string of 5000 characters) does not match",
        ),
        (
            lambda d: d["operations"]["CreateFlowLogs"].update(input={"k" * 500: 1}),
            "/operations/CreateFlowLogs/input",
            "... (an object with 1 key) is not of type 'string'",
        ),
        (
            lambda d: d["shapes"]["FlowLog"]["members"]["FlowLogId"].update({"b" * 10000: 1}),
            "/shapes/FlowLog/members/FlowLogId",
            "... (a string of 10000 characters) was unexpected",
        ),
    ],
)
def test_a_problem_shows_an_excerpt_of_a_big_bad_value(
    tmp_path: Path, edit: Edit, pointer: str, shown: str
) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(_mutated(tmp_path, edit))
    [problem] = error.value.problems
    assert problem.pointer == pointer
    line = str(problem)
    assert shown in line and len(line) < 500, line


# -- the compiled schema (fastjsonschema) answers as jsonschema does --------------------------


def _with_history() -> dict[str, Any]:
    """The minimal spec with every kind of history the format has, in valid form."""
    doc: dict[str, Any] = copy.deepcopy(MINIMAL)
    v3 = "2020-03-01"
    doc["versions"].append({"date": v3, "botocore": "1.14.11", "summary": "Later."})
    doc["scope"] = "service"
    doc["history"] = [{"until": v3, "metadata": dict(doc["metadata"]), "documentation": None}]
    shapes = doc["shapes"]
    shapes["Kind"]["enum"] = ["b", {"value": "a", "history": [{"until": v3, "exists": False}]}]
    shapes["Kind"]["history"] = [{"until": v3, "enumOrder": ["a", "b"], "pattern": "^[ab]$"}]
    request = shapes["CreateThingRequest"]
    request["history"] = [
        {"until": v3, "memberOrder": list(reversed(request["members"])), "required": None}
    ]
    request["members"]["Target"]["history"] = [
        {"until": v3, "shape": "Integer", "locationName": None, "traits": {"box": True}}
    ]
    shapes["Integer"]["history"] = [
        {"until": v3, "type": "list", "member": {"shape": "String"}, "min": None}
    ]
    doc["operations"]["CreateThing"]["history"] = [
        {
            "until": v3,
            "errors": ["CreateThingResult"],
            "http": {"method": "GET", "requestUri": "/"},
        }
    ]
    return doc


HISTORY = _with_history()
HISTORY_PATHS = list(_paths(HISTORY))[1:]


def test_the_document_with_every_history_is_accepted() -> None:
    from codegen.loader import _schema_problems, schema_accepts

    assert schema_accepts(HISTORY) and _schema_problems(HISTORY) == []
    assert parse_spec(json.dumps(HISTORY).encode(), "history.json")["scope"] == "service"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(HISTORY_PATHS), st.one_of(st.just("delete"), json_values)),
        min_size=1,
        max_size=3,
    )
)
def test_the_compiled_schema_agrees_with_jsonschema(edits: list[tuple[Any, Any]]) -> None:
    """Large specs are first checked by a validator compiled from the schema, which only says
    yes or no: on any document, it must say what jsonschema's list of problems says."""
    from codegen.loader import _schema_problems, schema_accepts

    doc = copy.deepcopy(HISTORY)
    for path, value in edits:
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if value == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    doc = json.loads(json.dumps(doc))  # what a file holds: keys are strings
    accepted = schema_accepts(doc)
    event(f"accepted: {accepted}")
    assert accepted == (not _schema_problems(doc))


def test_the_compiled_schema_agrees_on_every_bad_fixture() -> None:
    from codegen.loader import _schema_problems, schema_accepts

    answers = []
    for path in BAD:
        try:
            doc = json.loads(path.read_bytes())
        except ValueError:
            continue  # not JSON: refused before the schema
        answers.append(schema_accepts(doc))
        assert answers[-1] == (not _schema_problems(doc)), path.name
    assert True in answers and False in answers
