"""Releases are canonical version numbers (issue 15): ``01.14.10`` is refused wherever a release
is written or typed, with the canonical form, never accepted as a second spelling of
``1.14.10`` (a spec version recorded as ``01.14.10`` passed ``check``, and then ``@1.14.10``
was "no version")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codegen.cli import main
from codegen.model import release_key, release_problem
from tests.support.paths import SPEC


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def spec_with_release(tmp_path: Path, release: str, index: int = 1) -> Path:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["versions"][index]["botocore"] = release
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("release", "canonical"),
    [
        ("01.14.10", "1.14.10"),
        ("1.014.10", "1.14.10"),
        ("1.14.010", "1.14.10"),
        ("00.0.00", "0.0.0"),
    ],
)
def test_a_spec_version_with_leading_zeros_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], release: str, canonical: str
) -> None:
    path = spec_with_release(tmp_path, release)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and out == ""
    assert f"at /versions/1/botocore: botocore release '{release}': " in err, err
    assert f"not a canonical release number: write {canonical}" in err, err
    assert "internal error" not in err


def test_the_canonical_release_is_found_by_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reproduction's second half: the spec's own release answers ``@1.14.10``."""
    code, _, err = run(capsys, "diff", f"{SPEC}@1.14.9", f"{SPEC}@1.14.10", "--format", "json")
    assert code == 1, err
    code, _, err = run(capsys, "diff", f"{SPEC}@1.14.9", f"{SPEC}@01.14.10")
    assert code == 2
    assert "no version '01.14.10'" in err and "write 1.14.10" in err, err


def test_a_provenance_release_is_canonical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    ops = document["operations"]
    name = next(n for n, op in ops.items() if "provenance" in op)
    ops[name]["provenance"]["release"] = "1.14.010"
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert f"at /operations/{name}/provenance/release: botocore release '1.14.010'" in err, err


@pytest.mark.parametrize(
    "args",
    [
        ["botocore", "fetch", "01.14.10", "--offline"],
        ["botocore", "services", "01.14.10"],
        ["diff", "botocore:01.14.10", "botocore:1.14.10"],
        ["generate", "--all-services", "botocore:01.14.10", "-o", "{tmp}/out"],
        ["import", "{tmp}/new.json", "--from", "botocore:01.14.10", "--service", "sts"],
        ["update", str(SPEC), "--to", "botocore:01.14.10", "--dry-run"],
    ],
)
def test_a_typed_release_with_leading_zeros_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """Refused before any download or cache look-up (``--offline`` or not), with its canonical
    form; pip would have read ``01.14.10`` as ``1.14.10`` and cached it under a second name."""
    code, _, err = run(capsys, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2, err
    assert "botocore 01.14.10: not a canonical release number: write 1.14.10" in err, err
    assert not (tmp_path / "new.json").exists() and not (tmp_path / "out").exists()


def test_the_spec_as_of_option_names_the_canonical_form(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "export", str(SPEC), "--as-of", "1.014.9")
    assert code == 2 and "write 1.14.9" in err, err


# -- the rule itself, on many inputs -----------------------------------------------------------

numbers = st.integers(min_value=0, max_value=10**6)


@given(numbers, numbers, numbers, st.integers(0, 3), st.integers(0, 2))
def test_canonical_iff_no_leading_zero(a: int, b: int, c: int, zeros: int, where: int) -> None:
    parts = [str(a), str(b), str(c)]
    parts[where] = "0" * zeros + parts[where]
    text = ".".join(parts)
    problem = release_problem(text)
    if zeros:
        assert problem == f"not a canonical release number: write {a}.{b}.{c}"
    else:
        assert problem is None
        assert release_key(text) == (a, b, c)


@given(st.text(max_size=20))
def test_anything_else_is_not_a_release(text: str) -> None:
    problem = release_problem(text)
    parts = text.split(".")
    plain = len(parts) == 3 and all(
        p and p.isascii() and p.isdigit() and (p == "0" or p[0] != "0") for p in parts
    )
    assert (problem is None) == plain
