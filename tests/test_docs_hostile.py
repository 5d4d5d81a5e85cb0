"""Documentation with a long unbroken word is wrapped in linear time: the word is cut once, not
once per line (``tools/bench_docwrap.py`` has the timings), into the pieces ``textwrap`` makes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.docs import wrap
from codegen.generators.text import comment, docstring_text
from codegen.pipeline import generate
from tests.support.paths import ROOT


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often textwrap's own line-by-line cutting of a long word runs (each cut copies the
    rest of the word: quadratic)."""
    calls: list[int] = []
    original = textwrap.TextWrapper._handle_long_word

    def counted(self: textwrap.TextWrapper, *args: object) -> None:
        calls.append(1)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(textwrap.TextWrapper, "_handle_long_word", counted)
    return calls


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.one_of(st.text("ab", min_size=1, max_size=5), st.text("xy", min_size=20, max_size=400)),
        max_size=8,
    ),
    width=st.integers(1, 100),
)
def test_same_lines_as_textwrap(words: list[str], width: int) -> None:
    text = " ".join(words)
    assert wrap(text, width) == textwrap.wrap(text, width=width, break_on_hyphens=False)


def test_a_long_word_is_cut_once(cuts: list[int]) -> None:
    word = "x" * 1_000_000
    lines = docstring_text("Intro", f"see {word} there", width=88).split("\n")
    assert lines[:2] == ["Intro", ""] and lines[2] == "see " + "x" * 84
    assert "".join(lines[2:]).replace(" ", "") == f"see{word}there"
    assert all(len(line) == 88 for line in lines[3:-2])
    assert all(len(line) <= 88 for line in lines)
    assert len(cuts) <= 1  # textwrap alone: 11,364 cuts
    assert comment(word)[1] == "# " + "x" * 88
    assert len(cuts) <= 2


def test_generate_with_a_long_word(tmp_path: Path, cuts: list[int]) -> None:
    spec = json.loads((ROOT / "specs" / "ec2" / "flow-logs.json").read_text(encoding="utf-8"))
    word = "ж" * 300_000
    spec["shapes"]["FlowLog"]["documentation"] = [f"Describes a flow log. {word}"]
    folder = tmp_path / "specs" / "ec2"
    folder.mkdir(parents=True)
    (folder / "flow-logs.json").write_text(json.dumps(spec), encoding="utf-8")
    generate([folder / "flow-logs.json"], tmp_path / "out")
    assert len(cuts) <= 10  # textwrap alone: thousands
    for name in ("validators.py", "shapes.py"):  # the word whole, as often as the docs show it
        text = (tmp_path / "out" / "ec2" / name).read_text(encoding="utf-8")
        assert text.count("ж") > 0 and text.count("ж") % len(word) == 0
    validators = (tmp_path / "out" / "ec2" / "validators.py").read_text(encoding="utf-8")
    assert (
        max(len(line) for line in validators.splitlines() if "ж" in line) <= 100
    )  # broken into lines
