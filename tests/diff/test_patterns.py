"""Pattern changes compared as the values they accept (codegen.diff.patterns, issue 20).

The independent reference is Python's ``re.search`` on the portable forms of the patterns (what
the importer translates botocore's Java patterns to): a verdict is checked by brute force over
every short string of a small alphabet, and every witness must really separate the patterns.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.bridge.importer import import_model
from codegen.cli import main
from codegen.diff.engine import compare_models
from codegen.diff.patterns import _compare, compare_patterns, undecided_note
from codegen.model import Constraints, Format, ServiceModel
from codegen.regexes import enforceable
from tests.support.paths import ROOT

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "150"))
SCHEMA = json.loads((ROOT / "specs" / "diff-report.schema.json").read_text(encoding="utf-8"))
ACM_TAG_KEY_OLD = r"[\p{L}\p{Z}\p{N}_.:\/=+\-@]*"
ACM_TAG_KEY_NEW = r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)"


def accepts(pattern: str, value: str) -> bool:
    """Whether ``value`` conforms to the botocore ``pattern`` (search semantics)."""
    portable = enforceable(pattern)
    assert portable is not None, pattern
    return re.search(portable, value) is not None


# -- the examples ----------------------------------------------------------------------


def test_anchors_dropped_is_relaxed_with_a_witness() -> None:
    old, new = "^snap-[0-9a-zA-Z]{17}$", "snap-[0-9a-zA-Z]{17}"
    found = compare_patterns(old, new)
    assert found.verdict == "relaxed" and found.rule == "RelaxedPattern"
    assert found.only_old is None and found.only_new is not None
    assert accepts(new, found.only_new) and not accepts(old, found.only_new)


def test_rewritten_patterns_that_accept_the_same_values_are_equal() -> None:
    assert compare_patterns("[0-9]{12,}", ".*[0-9]{12,}.*").verdict == "equal"
    found = compare_patterns(ACM_TAG_KEY_OLD, ACM_TAG_KEY_NEW)
    assert (found.verdict, found.rule) == ("equal", "EquivalentPattern")
    assert found.only_old is None and found.only_new is None


def test_a_partition_added_to_an_arn_is_relaxed() -> None:
    old = r"^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key/.+$"
    new = r"^arn:aws(-cn|-us-gov|-eusc)?:kms:[a-z0-9-]+:\d{12}:key/.+$"
    found = compare_patterns(old, new)
    assert found.verdict == "relaxed"
    assert found.only_new is not None and found.only_new.startswith("arn:aws-eusc:kms:")
    assert accepts(new, found.only_new) and not accepts(old, found.only_new)


def test_tightened_pattern_names_a_value_no_longer_accepted() -> None:
    old, new = "^[a-zA-Z0-9-]{1,64}$", "^[a-zA-Z0-9]{1,63}$"
    found = compare_patterns(old, new)
    assert (found.verdict, found.rule) == ("tightened", "TightenedPattern")
    assert found.only_old is not None and found.only_new is None
    assert accepts(old, found.only_old) and not accepts(new, found.only_old)


def test_neither_keeps_changed_pattern_with_both_witnesses() -> None:
    old, new = "^[a-z]+$", "^[0-9]+$"
    found = compare_patterns(old, new)
    assert (found.verdict, found.rule) == ("neither", "ChangedPattern")
    assert found.only_old is not None and found.only_new is not None
    assert accepts(old, found.only_old) and not accepts(new, found.only_old)
    assert accepts(new, found.only_new) and not accepts(old, found.only_new)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (r"^(a)\1$", "^(a)a$", "unsupported construct (back-reference)"),
        (r"^\p{IsAlphabetic}+$", "^[a-z]+$", "untranslatable (old pattern)"),
        ("^[a-z]+$", r"^[a-z]++\Z", "untranslatable (new pattern)"),
    ],
)
def test_undecided_pairs_stay_changed_pattern_and_say_why(old: str, new: str, reason: str) -> None:
    found = compare_patterns(old, new)
    assert (found.verdict, found.rule, found.reason) == ("undecided", "ChangedPattern", reason)
    assert found.only_old is None and found.only_new is None
    assert reason in found.describe()


def test_bounds_per_pair() -> None:
    old, new = "^[a-z]{1,40}x[a-z]{1,40}$", "^[a-z]{1,41}x[a-z]{1,40}$"
    assert _compare(old, new, 100_000, 60.0).verdict == "relaxed"
    states = _compare(old, new, 20, 60.0)
    assert (states.verdict, states.reason) == ("undecided", "state bound (20 states)")
    slow = _compare(old, new, 100_000, 0.0)
    assert (slow.verdict, slow.reason) == ("undecided", "time bound (0 s)")


def test_undecided_note_counts_changes_pairs_and_reasons() -> None:
    note = undecided_note(
        [
            ("a", "b", "state bound (9 states)"),
            ("a", "b", "state bound (9 states)"),
            ("c", "d", "untranslatable (old pattern)"),
        ]
    )
    assert note == (
        "3 pattern change(s) (2 distinct pattern pair(s)) could not be compared as languages "
        "and are reported as ChangedPattern: 1 state bound (9 states), "
        "1 untranslatable (old pattern)"
    )
    assert undecided_note([]) is None


# -- brute force on a small alphabet -----------------------------------------------------------

# the patterns' characters, one that '.' refuses and one below every class the patterns name
ALPHABET = "ab-\n\x00"
STRINGS = [
    "".join(p)
    for letters, lengths in ((ALPHABET, range(5)), ("ab", range(5, 7)))
    for n in lengths
    for p in itertools.product(letters, repeat=n)
]


def _regex(depth: int) -> st.SearchStrategy[str]:
    atom = st.sampled_from(["a", "b", "-", "[ab]", "[^a]", ".", "[a-]"])
    if depth == 0:
        return atom
    inner = _regex(depth - 1)
    return st.one_of(
        atom,
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda p: f"(?:{p[0]}|{p[1]})"),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,2}", "{0,3}"])).map(
            lambda p: f"(?:{p[0]}){p[1]}"
        ),
        st.tuples(st.sampled_from(["(?=", "(?!"]), inner).map(lambda p: f"{p[0]}{p[1]})"),
    )


PATTERNS = st.tuples(st.booleans(), _regex(3), st.booleans()).map(
    lambda p: ("^" if p[0] else "") + p[1] + ("$" if p[2] else "")
)


_EDITS = (
    lambda p: p.removeprefix("^"),  # looser
    lambda p: p.removesuffix("$"),
    lambda p: f"(?:{p}|a)",
    lambda p: p.replace("a", "[ab]", 1),
    lambda p: p.replace("+", "*", 1),
    lambda p: p.replace("[ab]", "a", 1),  # tighter
    lambda p: f"^{p.removeprefix('^')}",
    lambda p: f"{p}a",
    lambda p: p.replace("*", "+", 1),
    lambda p: p.replace("a", "b", 1),  # often neither
    lambda p: p.replace("-", "a", 1),
    lambda p: f"(?:{p})",  # the same values
    lambda p: f"(?:{p}){{1}}",
)


def _mutations(pattern: str) -> st.SearchStrategy[str]:
    """Patterns near ``pattern`` (so that pairs are related as often as not), or any other."""
    near = st.sampled_from(_EDITS).map(lambda edit: edit(pattern))
    return st.one_of(near, near, near, PATTERNS).filter(lambda p: p != pattern)


PAIRS = PATTERNS.flatmap(lambda old: st.tuples(st.just(old), _mutations(old)))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(PAIRS)
def test_verdicts_agree_with_re_on_every_short_string(pair: tuple[str, str]) -> None:
    old, new = pair
    found = compare_patterns(old, new)
    assert found.verdict != "undecided", found.reason
    only_old = [s for s in STRINGS if accepts(old, s) and not accepts(new, s)]
    only_new = [s for s in STRINGS if accepts(new, s) and not accepts(old, s)]
    # a claimed superset accepts every string the old pattern accepts (and equal: both ways)
    if found.verdict in ("equal", "relaxed"):
        assert only_old == [], (found, only_old[:3])
    if found.verdict in ("equal", "tightened"):
        assert only_new == [], (found, only_new[:3])
    # every witness really separates the two
    for witness, yes, no in ((found.only_old, old, new), (found.only_new, new, old)):
        if witness is not None:
            assert accepts(yes, witness) and not accepts(no, witness), (found, witness)
    assert (found.only_old is None) == (found.verdict in ("equal", "relaxed"))
    assert (found.only_new is None) == (found.verdict in ("equal", "tightened"))


# -- in the engine, the report and on the command line -----------------------------------------

DEMO = ROOT / "tests" / "fixtures" / "diff" / "demo" / "2020-01-01" / "service-2.json"


def _demo(name_pattern: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    raw["shapes"]["Name"]["pattern"] = name_pattern
    return raw


def _rows(old: str, new: str) -> set[tuple[str | None, str, str, str]]:
    a, b = import_model(_demo(old), name="demo"), import_model(_demo(new), name="demo")
    return {(c.operation, c.direction, c.rule, c.severity) for c in compare_models(a, b)}


def test_acm_tag_key_rewrite_is_not_breaking_anywhere() -> None:
    rows = _rows(ACM_TAG_KEY_OLD, ACM_TAG_KEY_NEW)
    assert rows and {(rule, sev) for _, _, rule, sev in rows} == {("EquivalentPattern", "docs")}


def test_relaxed_and_tightened_severities_by_direction() -> None:
    relaxed = _rows("^snap-[0-9a-zA-Z]{17}$", "snap-[0-9a-zA-Z]{17}")
    assert ("PutThing", "request", "RelaxedPattern", "non-breaking") in relaxed
    assert ("GetThing", "response", "RelaxedPattern", "dangerous") in relaxed
    assert not any(sev == "breaking" for *_, sev in relaxed)
    tightened = _rows("snap-[0-9a-zA-Z]{17}", "^snap-[0-9a-zA-Z]{17}$")
    assert ("PutThing", "request", "TightenedPattern", "breaking") in tightened
    assert ("GetThing", "response", "TightenedPattern", "non-breaking") in tightened


def _write(tmp_path: Path, name: str, pattern: str) -> str:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "service-2.json").write_text(json.dumps(_demo(pattern)), encoding="utf-8")
    return str(folder / "service-2.json")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(["diff", *args])
    out, _ = capsys.readouterr()
    return int(exited.value.code or 0), out


def test_fail_on_breaking_passes_a_relaxed_only_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tight = _write(tmp_path, "tight", "^snap-[0-9a-zA-Z]{17}$")
    loose = _write(tmp_path, "loose", "snap-[0-9a-zA-Z]{17}")
    assert _run(capsys, tight, loose, "--fail-on", "breaking")[0] == 0
    assert _run(capsys, tight, loose, "--fail-on", "dangerous")[0] == 1  # responses
    assert _run(capsys, loose, tight, "--fail-on", "breaking")[0] == 1


def test_json_report_carries_the_comparison_and_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tight = _write(tmp_path, "tight", "^snap-[0-9a-zA-Z]{17}$")
    loose = _write(tmp_path, "loose", "snap-[0-9a-zA-Z]{17}")
    code, out = _run(capsys, tight, loose, "--format", "json")
    assert code == 1  # --fail-on any
    report = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    # the request and the three responses that reach Name: one shared change
    groups = [g for s in report["services"] for g in s["shared"] if g["rule"] == "RelaxedPattern"]
    assert len(groups) == 1 and len(groups[0]["items"]) == 1, groups
    assert groups[0]["severities"] == {
        "breaking": 0,
        "dangerous": 3,
        "non-breaking": 1,
        "docs": 0,
    }
    found = groups[0]["items"]
    language = found[0]["language"]
    assert language["comparison"] == "relaxed" and language["onlyOld"] is None
    witness = language["onlyNew"]
    assert accepts("snap-[0-9a-zA-Z]{17}", witness)
    assert not accepts("^snap-[0-9a-zA-Z]{17}$", witness)
    assert repr(witness) in found[0]["message"]


def test_undecided_changes_are_counted_in_the_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path, "old", "^[a-z]+$")
    new = _write(tmp_path, "new", r"^([a-z])\1*$")
    code, out = _run(capsys, old, new, "--format", "json")
    assert code == 1
    report = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    notes = [n for n in report["notes"] if "could not be compared as languages" in n]
    assert len(notes) == 1 and "unsupported construct (back-reference)" in notes[0], notes
    assert notes[0].startswith("4 pattern change(s) (1 distinct pattern pair(s))")


# -- the spec's documented patterns and formats ------------------------------------------------


def _documented(model: ServiceModel, constraints: Constraints, **formats: str) -> ServiceModel:
    """The demo model with PutThing's ``Note`` documented so, and the named formats defined."""
    shape = model.shapes["PutThingRequest"]
    member = dataclasses.replace(shape.members["Note"], documented=constraints)
    shape = dataclasses.replace(shape, members={**shape.members, "Note": member})
    defined = {name: Format(name, f"a {name}", pattern) for name, pattern in formats.items()}
    return dataclasses.replace(
        model, shapes={**model.shapes, "PutThingRequest": shape}, formats=defined
    )


def _note_rows(old: ServiceModel, new: ServiceModel) -> set[tuple[str, str, str | None]]:
    return {
        (c.rule, c.severity, None if c.language is None else str(c.language["comparison"]))
        for c in compare_models(old, new)
    }


def test_documented_pattern_compared_as_languages() -> None:
    base = import_model(_demo("^[a-z]+$"), name="demo")
    old = _documented(base, Constraints(pattern="^vpc-[0-9a-f]{8}$"))
    looser = _documented(base, Constraints(pattern="^vpc-[0-9a-f]{8,17}$"))
    assert _note_rows(old, looser) == {("RelaxedPattern", "non-breaking", "relaxed")}
    assert _note_rows(looser, old) == {("TightenedPattern", "breaking", "tightened")}


def test_documented_formats_compare_their_patterns() -> None:
    base = import_model(_demo("^[a-z]+$"), name="demo")
    old = _documented(base, Constraints(format="id"), id="^i-[0-9a-f]{8}$")
    # renamed, the same values
    renamed = _documented(
        base, Constraints(format="instance-id"), **{"instance-id": "^i-[0-9a-f]{8}$"}
    )
    assert _note_rows(old, renamed) == {("EquivalentPattern", "docs", "equal")}
    # the same name, redefined: looser, then tighter
    wider = _documented(base, Constraints(format="id"), id="^i-[0-9a-f]{8,17}$")
    changes = compare_models(old, wider)
    assert [(c.rule, c.severity) for c in changes] == [("RelaxedPattern", "non-breaking")]
    assert changes[0].message.startswith(
        "format (documented) 'id' redefined: '^i-[0-9a-f]{8}$' -> '^i-[0-9a-f]{8,17}$' (looser"
    )
    assert _note_rows(wider, old) == {("TightenedPattern", "breaking", "tightened")}
    # a format the model does not define: not decided
    undefined = _documented(base, Constraints(format="nowhere"))
    assert _note_rows(old, undefined) == {("ChangedPattern", "breaking", "undecided")}
    assert compare_models(old, old) == []
