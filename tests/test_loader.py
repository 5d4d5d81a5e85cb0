"""Loading specs: the committed spec, versions, and every kind of bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.errors import ImportConflictError, SpecError, UnknownVersionError
from codegen.loader import format_spec, load_spec, parse_spec, save_spec
from conftest import ROOT, SPEC

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


def test_every_bad_fixture_has_expectations():
    assert sorted(p.name for p in BAD) == sorted(EXPECTED)


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_spec_reports_exactly_the_expected_problems(path: Path):
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert _problems(info.value) == EXPECTED[path.name]
    message = str(info.value)
    assert message.startswith(f"{info.value.file}: {len(EXPECTED[path.name])} problem(s)")
    assert all(p.file.endswith(path.name) for p in info.value.problems)


def test_minimal_spec_is_good():
    assert parse_spec(json.dumps(MINIMAL).encode(), "minimal.json")["service"] == "ec2"


def test_committed_spec_loads_and_resolves_versions():
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


def test_committed_spec_is_in_canonical_form():
    assert SPEC.read_text(encoding="utf-8") == format_spec(load_spec(SPEC).document)


def test_deleteflowlogs_is_imported_with_provenance():
    op = load_spec(SPEC).model().operations["DeleteFlowLogs"]
    assert op.provenance is not None
    assert (op.provenance.source, op.provenance.release, op.provenance.service) == (
        "botocore",
        "1.14.10",
        "ec2",
    )
    assert len(op.provenance.sha256 or "") == 64
    assert load_spec(SPEC).model().operations["CreateFlowLogs"].provenance is None


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SpecError, match="cannot read the file"):
        load_spec(tmp_path / "nope.json")


def test_save_spec_refuses_a_bad_document_and_keeps_the_file(tmp_path):
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
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node, prefix=()):
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
def test_mutated_specs_load_or_fail_cleanly(edits):
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


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_fail_cleanly(raw):
    try:
        parse_spec(raw, "garbage.json")
    except SpecError as exc:
        assert exc.problems


# -- importing into a spec ---------------------------------------------------------------


@pytest.mark.network
def test_import_reproduces_the_committed_spec(tmp_path):
    """Remove DeleteFlowLogs from a copy of the spec and import it again: the same document,
    but for the documented constraint added by hand after the import (botocore has none)."""
    from codegen.pipeline import import_operations
    from helpers import release

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
def test_import_conflict_changes_nothing(tmp_path):
    from codegen.pipeline import import_operations
    from helpers import release

    copy_path = tmp_path / "flow-logs.json"
    document = json.loads(SPEC.read_text())
    del document["operations"]["DeleteFlowLogs"]
    document["shapes"]["UnsuccessfulItemSet"]["member"]["locationName"] = "entry"
    copy_path.write_text(format_spec(document))
    before = copy_path.read_text()
    with pytest.raises(ImportConflictError, match="shape 'UnsuccessfulItemSet' differs"):
        import_operations(copy_path, release("1.14.10"), ["DeleteFlowLogs"])
    assert copy_path.read_text() == before


def test_patterns_must_be_portable_to_json_schema():
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


def test_formats_read_patterns_as_json_schema_does():
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


def _mutated(tmp_path: Path, edit) -> Path:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "pointer", "shown"),
    [
        # each message repeated the whole bad value (a whole shape, 5,000 characters of a date)
        (lambda d: d["shapes"].update(FlowLog=[d["shapes"]["FlowLog"]]), "/shapes/FlowLog",
         "... (a list of 1 item) is not of type 'object'"),
        (lambda d: d["shapes"]["FlowLog"].update(type=["x"] * 300), "/shapes/FlowLog/type",
         "... (a list of 300 items) is not one of ['structure'"),
        (lambda d: d["versions"][0].update(date="2" * 5000), "/versions/0/date",
         "... (a string of 5000 characters) does not match"),
        (lambda d: d["operations"]["CreateFlowLogs"].update(input={"k" * 500: 1}),
         "/operations/CreateFlowLogs/input", "... (an object with 1 key) is not of type 'string'"),
        (lambda d: d["shapes"]["FlowLog"]["members"]["FlowLogId"].update({"b" * 10000: 1}),
         "/shapes/FlowLog/members/FlowLogId", "... (a string of 10000 characters) was unexpected"),
    ],
)
def test_a_problem_shows_an_excerpt_of_a_big_bad_value(tmp_path, edit, pointer, shown):
    with pytest.raises(SpecError) as error:
        load_spec(_mutated(tmp_path, edit))
    [problem] = error.value.problems
    assert problem.pointer == pointer
    line = str(problem)
    assert shown in line and len(line) < 500, line
