"""Whole-release reports: a change found once in a shape and reached from many places is
reported once with its places (every format), and reports are written service by service."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.cli import main
from codegen.diff import diff, parse_source
from codegen.diff.formats import FORMATS, render
from codegen.diff.report import EXAMPLES, SHARED_MIN_PLACES, DiffRun
from tests.support.paths import ROOT

SCHEMA = json.loads((ROOT / "specs" / "diff-report.schema.json").read_text(encoding="utf-8"))


def service(operations: list[tuple[str, str]], colors: list[str]) -> dict[str, Any]:
    """A json service whose operations each reach the enum ``Color`` through ``how``:
    ``direct`` (a member), ``list`` (a list of it), ``nested`` (a member of a structure)."""
    shapes: dict[str, Any] = {
        "Color": {"type": "string", "enum": colors},
        "Colors": {"type": "list", "member": {"shape": "Color"}},
        "Paint": {"type": "structure", "members": {"Shade": {"shape": "Color"}}},
    }
    ops: dict[str, Any] = {}
    target = {"direct": "Color", "list": "Colors", "nested": "Paint"}
    for name, how in operations:
        shapes[f"{name}Request"] = {
            "type": "structure",
            "members": {"Value": {"shape": target[how]}},
        }
        ops[name] = {
            "name": name,
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": f"{name}Request"},
        }
    return {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01",
            "endpointPrefix": "paint",
            "protocol": "json",
            "serviceFullName": "Paint Service",
            "serviceId": "Paint",
            "signatureVersion": "v4",
            "uid": "paint-2020-01-01",
        },
        "operations": ops,
        "shapes": shapes,
    }


def write(tmp: Path, name: str, model: dict[str, Any]) -> str:
    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "service-2.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    return str(path)


PATHS = {"direct": "Value", "list": "Value", "nested": "Value.Shade"}
op_names = st.lists(
    st.from_regex(r"[A-Z][a-z]{2,6}", fullmatch=True), min_size=1, max_size=9, unique=True
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=op_names,
    hows=st.lists(st.sampled_from(["direct", "list", "nested"]), min_size=9, max_size=9),
    added=st.lists(
        st.sampled_from(["teal", "ochre", "mauve", "umber"]), min_size=1, max_size=4, unique=True
    ),
    append=st.booleans(),
)
def test_one_enum_reached_from_many_places(
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str],
    hows: list[str],
    added: list[str],
    append: bool,
) -> None:
    tmp = tmp_path_factory.mktemp("paint")
    ops = list(zip(names, hows))
    base = ["red", "green"]
    new_colors = base + added if append else added + base
    old = write(tmp, "old", service(ops, base))
    new = write(tmp, "new", service(ops, new_colors))
    report = diff(parse_source(old, "OLD"), parse_source(new, "NEW"))
    rule = "AddedEnumValue" if append else "InsertedEnumValue"
    expected_places = {(name, "request", PATHS[how]) for name, how in ops}
    # what the engine found is unchanged: one change per value and place
    assert {(c.operation, c.direction, c.path, c.new) for c in report.changes} == {
        (*p, v) for p in expected_places for v in added
    }
    [svc] = report.services
    if len(ops) < SHARED_MIN_PLACES:
        assert svc.shared == []
        assert all(op.own == op.changes for op in svc.operations)
        return
    [group] = svc.shared
    assert (group.shape, group.path, group.rule) == ("Color", "", rule)
    assert {(p.operation, p.direction, p.path) for p in group.places} == expected_places
    assert [c.new for c in group.items] == added
    assert all(op.own == [] and op.shared == [group] for op in svc.operations)
    # every format says it once, with the count and a few places; --details lists all
    text = render(report, "text")
    verb = "added" if append else "inserted"
    if len(added) > 1:
        head = f"Color: {len(added)} enum values {verb}: {{{', '.join(repr(v) for v in added)}}}"
    else:
        head = f"Color: enum value {added[0]!r} {verb}"
    assert text.count(head) == 1
    assert f"reached from {len(ops)} places in {len(ops)} operation(s): " in text
    shown = min(len(ops), EXAMPLES)
    line = next(x for x in text.splitlines() if x.startswith("  reached from"))
    assert line.count(" request ") == shown
    assert (f"and {len(ops) - shown} more" in line) == (len(ops) > EXAMPLES)
    detailed = next(
        x
        for x in render(report, "text", details=True).splitlines()
        if x.startswith("  reached from")
    )
    assert detailed.count(" request ") == len(ops) and "more" not in detailed
    for fmt in ("markdown", "html"):
        out = render(report, fmt)
        assert (
            out.count(group.message.replace("'", "&#39;") if fmt == "html" else group.message) == 1
        ), fmt
        assert f"{len(ops)} places in {len(ops)} operation(s)" in out
    document = json.loads(render(report, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["changes"] == []
    [shared] = document["services"][0]["shared"]
    assert (shared["placeCount"], len(shared["places"]), shared["changes"]) == (
        len(ops),
        shown,
        len(ops) * len(added),
    )
    full = json.loads(render(report, "json", details=True))["services"][0]["shared"][0]
    assert {(p["operation"], p["path"]) for p in full["places"]} == {
        (p[0], p[2]) for p in expected_places
    }


def test_different_places_of_one_shape_are_different_changes(tmp_path: Path) -> None:
    """Two enums changed alike stay apart; a value changed in one shape only is not merged."""
    ops = [(f"Op{i}", "direct") for i in "ABCD"]
    old_model, new_model = service(ops, ["red"]), service(ops, ["red", "blue"])
    for model, values in ((old_model, ["red"]), (new_model, ["red", "blue"])):
        model["shapes"]["Hue"] = {"type": "string", "enum": values}
        model["shapes"]["OpARequest"]["members"]["Other"] = {"shape": "Hue"}
    report = diff(
        parse_source(write(tmp_path, "old", old_model), "OLD"),
        parse_source(write(tmp_path, "new", new_model), "NEW"),
    )
    [svc] = report.services
    assert [(g.shape, len(g.places)) for g in svc.shared] == [("Color", 4)]
    [op_a] = [op for op in svc.operations if op.name == "OpA"]
    assert [(c.path, c.new) for c in op_a.own] == [("Other", "blue")]


# -- streaming ---------------------------------------------------------------------------------


@pytest.mark.network
@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_report_equals_the_report_in_memory(fmt: str, tmp_path: Path) -> None:
    """Written service by service (temporary parts, head last) or all at once: the same bytes."""
    old, new = "botocore:1.14.9", "botocore:1.14.10"
    whole = render(diff(parse_source(old, "OLD"), parse_source(new, "NEW"), elide_docs=True), fmt)
    out = tmp_path / f"report.{fmt}"
    with pytest.raises(SystemExit) as exited:
        main(["diff", old, new, "--format", fmt, "-o", str(out)])
    assert exited.value.code == 1
    assert out.read_text(encoding="utf-8") == whole
    assert len(re.findall(r"Amazon|AWS", whole)) > 1  # several services


def test_run_counts_and_suppressions_across_services(tmp_path: Path) -> None:
    ops = [(f"Op{i}", "direct") for i in "ABC"]
    old = write(tmp_path, "old", service(ops, ["red"]))
    new = write(tmp_path, "new", service(ops, ["red", "blue"]))
    from codegen.diff.suppress import parse_suppressions

    entries = parse_suppressions("paint/OpA/request/*\nNoSuchRule\n", "ignore")
    run = DiffRun(parse_source(old, "OLD"), parse_source(new, "NEW"), suppressions=entries)
    services = list(run.services())
    assert (
        [len(s.changes) for s in services] == [2] and run.total == 2 and len(run.suppressed) == 1
    )
    assert [e.text for e in run.unmatched] == ["NoSuchRule"]
    assert run.severity_counts()["non-breaking"] == 2 and run.exit_code("breaking") == 0
    with pytest.raises(RuntimeError):
        list(run.services())


def test_failed_diff_leaves_no_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.txt"
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "diff",
                str(tmp_path / "missing.json"),
                str(tmp_path / "missing.json"),
                "-o",
                str(out),
            ]
        )
    assert exited.value.code == 2 and not out.exists()
    assert capsys.readouterr().err.startswith("apigen: error:")


@pytest.mark.parametrize("details", [False, True])
def test_json_service_written_an_operation_at_a_time_is_its_document(
    tmp_path: Path, details: bool
) -> None:
    """The streamed json writes a service's operations (with --details, their details) one at a
    time: the text is what ``json.dumps`` gives for the whole service document, shared groups
    and a service without operations included."""
    import dataclasses

    from codegen.diff.formats.json_format import service_document, service_pieces

    ops = [(f"Op{i}", how) for i, how in zip("ABCD", ["direct", "list", "nested", "direct"])]
    old = write(tmp_path, "old", service(ops, ["red"]))
    new = write(tmp_path, "new", service(ops[:3] + [("OpE", "list")], ["red", "blue"]))
    [svc] = diff(parse_source(old, "OLD"), parse_source(new, "NEW")).services
    assert svc.shared and len(svc.operations) >= 4
    for s in (svc, dataclasses.replace(svc, operations=[])):
        document = service_document(s, details=details)
        expected = "\n".join(
            "    " + line
            for line in json.dumps(document, indent=2, ensure_ascii=False).split("\n")
        )
        assert "".join(service_pieces(s, details=details)) == expected
        assert all(("details" in op) == details for op in document["operations"])
    if details:
        [op_a] = [
            op for op in service_document(svc, details=True)["operations"] if op["name"] == "OpA"
        ]
        assert any("Value" in line for line in op_a["details"])


def test_run_refuses_two_services_and_names_the_files_read(tmp_path: Path) -> None:
    """The streamed run (what ``apigen diff`` uses) carries main's checks: two services are
    refused before anything is compared, and the files each side read are named."""
    from codegen.errors import UsageError

    paint = write(tmp_path, "paint", service([("OpA", "direct")], ["red"]))
    other = service([("OpA", "direct")], ["red"])
    other["metadata"]["endpointPrefix"] = "brush"
    brush = write(tmp_path, "brush", other)
    (Path(brush).parent / "paginators-1.json").write_text('{"pagination": {}}', encoding="utf-8")
    with pytest.raises(UsageError, match="is service 'paint' but .* is service 'brush'"):
        DiffRun(parse_source(paint, "OLD"), parse_source(brush, "NEW"))
    run = DiffRun(
        parse_source(paint, "OLD"), parse_source(brush, "NEW"), allow_service_mismatch=True
    )
    assert run.files_read() == [
        f"OLD read {paint} only (no paginators-1.json beside it)",
        f"NEW read {brush} and {Path(brush).parent / 'paginators-1.json'}",
    ]


# -- pieces ------------------------------------------------------------------------------------

# runs of newlines are what the pieces must get right: make them common
texts = st.lists(st.sampled_from(["a", "b c", "\n", "\n\n", "\n\n\n"]), max_size=12).map("".join)


@given(
    text=texts,
    cuts=st.lists(st.integers(min_value=0, max_value=40), max_size=6),
    tidy=st.booleans(),
    before=st.booleans(),
)
def test_a_chunk_written_in_pieces_is_the_chunk_written_whole(
    text: str, cuts: list[int], tidy: bool, before: bool
) -> None:
    """However a service's text is cut into pieces, the part holds what the whole text gives:
    trailing newlines dropped; with ``tidy`` (markdown) also leading ones, and runs of three or
    more newlines shortened to two, as the whole-text rendering did."""
    from codegen.diff.formats import Parts

    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    expected = text
    if tidy:
        while "\n\n\n" in expected:
            expected = expected.replace("\n\n\n", "\n\n")
        expected = expected.strip("\n")
    else:
        expected = expected.rstrip("\n")
    parts = Parts(["x"], spool=False)
    if before:
        parts.add("x", "first", "|")
    parts.add_pieces("x", pieces, "|", tidy=tidy)
    parts.files["x"].seek(0)
    written = parts.files["x"].read()
    prefix = "first" if before else ""
    if expected:
        assert written == prefix + ("|" if before else "") + expected
        assert parts.counts["x"] == 1 + before
    else:
        assert written == prefix and parts.counts["x"] == int(before)
