"""The disk cache of pattern verdicts (``codegen.diff.patterns``): a verdict read back equals the
one decided, a damaged entry is decided again and rewritten (never a crash), and a second diff
of the same releases decides no pair again while one diff decides each distinct pair once.
Decisions are counted (``patterns.DECISIONS``), not timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.diff import diff, parse_source, patterns
from codegen.diff.patterns import compare_patterns, verdict_cache

# real pattern changes (issue 20, botocore), one or more of every verdict
PAIRS = [
    ("^snap-[0-9a-zA-Z]{17}$", "snap-[0-9a-zA-Z]{17}"),  # relaxed
    ("[0-9]{12,}", ".*[0-9]{12,}.*"),  # equal
    (r"[\p{L}\p{Z}\p{N}_.:\/=+\-@]*", r"([\p{L}\p{Z}\p{N}_.:/=+\-@]*)"),  # equal
    ("^[a-z]{1,64}$", "^[a-z]{1,63}$"),  # tightened
    ("^[a-z]+$", "^[0-9]+$"),  # neither
    (r"^(a+)\1$", "^a+$"),  # undecided: a back-reference
    (r"^\p{IsAlphabetic}+$", "^[a-z]+$"),  # undecided: untranslatable
]


def decisions() -> int:
    return patterns.DECISIONS["pairs"]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def test_verdicts_read_back_equal_the_decided_ones(tmp_path: Path) -> None:
    with verdict_cache(tmp_path):
        start = decisions()
        decided = [compare_patterns(old, new) for old, new in PAIRS]
        assert decisions() - start == len(PAIRS)
        assert {v.verdict for v in decided} == {
            "equal",
            "relaxed",
            "tightened",
            "neither",
            "undecided",
        }
        assert len(entries(tmp_path)) == len(PAIRS)
        patterns.forget()  # only the disk remembers
        start = decisions()
        again = [compare_patterns(old, new) for old, new in PAIRS]
        assert decisions() == start
    assert again == decided
    # the same as decided without any cache at hand (an empty folder)
    with verdict_cache(tmp_path / "fresh"):
        assert [compare_patterns(old, new) for old, new in PAIRS] == decided


DAMAGE = {
    "empty": b"",
    "not JSON": b'{"old": ',
    "not an object": b"[1, 2]",
    "not ASCII": '{"old": "\u00e9"}'.encode(),
    "binary": b"\xff\xfe\x00garbage",
    "another old pattern": None,  # filled in below: a valid entry of another pair
    "another new pattern": None,
    "unknown verdict": None,
    "wrong type": None,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_entry_is_decided_again_and_rewritten(tmp_path: Path, damage: str) -> None:
    old, new = PAIRS[0]
    with verdict_cache(tmp_path):
        decided = compare_patterns(old, new)
        [entry] = entries(tmp_path)
        good = entry.read_bytes()
        text = good.decode("ascii")
        damaged = {
            "another old pattern": text.replace('"old": "^snap-', '"old": "^snip-'),
            "another new pattern": text.replace('"new": "snap-', '"new": "snip-'),
            "unknown verdict": text.replace('"relaxed"', '"looser"'),
            "wrong type": text.replace('"onlyOld": null', '"onlyOld": 7'),
        }
        raw = DAMAGE[damage]
        written = raw if raw is not None else damaged[damage].encode("ascii")
        assert written != good
        entry.write_bytes(written)
        patterns.forget()
        start = decisions()
        assert compare_patterns(old, new) == decided
        assert decisions() == start + 1  # decided again, not read
        assert entry.read_bytes() == good  # and rewritten
        patterns.forget()
        assert compare_patterns(old, new) == decided
        assert decisions() == start + 1


def test_an_unusable_cache_folder_only_costs_time(tmp_path: Path) -> None:
    """An entry that is a folder, and a cache folder that is a file: verdicts all the same."""
    old, new = PAIRS[3]
    with verdict_cache(tmp_path / "cache"):
        decided = compare_patterns(old, new)
        [entry] = entries(tmp_path / "cache")
        entry.unlink()
        entry.mkdir()
        patterns.forget()
        assert compare_patterns(old, new) == decided
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with verdict_cache(blocked):
        start = decisions()
        assert compare_patterns(old, new) == decided
        assert decisions() == start + 1
    assert blocked.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.network
def test_one_diff_decides_each_pair_once_and_a_second_decides_none(tmp_path: Path) -> None:
    """botocore 1.14.10 -> 1.15.0: 95 pattern changes of 11 distinct pairs."""

    def run() -> set[tuple[str, str]]:
        report = diff(
            parse_source("botocore:1.14.10", "OLD"),
            parse_source("botocore:1.15.0", "NEW"),
            elide_docs=True,
        )
        changes = [c for c in report.changes if c.language is not None]
        assert len(changes) > 50
        return {(str(c.old), str(c.new)) for c in changes}

    with verdict_cache(tmp_path):
        start = decisions()
        pairs = run()
        assert decisions() - start == len(pairs) > 5
        patterns.forget()  # a new run: nothing in memory
        start = decisions()
        assert run() == pairs
        assert decisions() == start
