"""``apigen generate`` writing into a folder: it replaces or removes only what it wrote itself.

Every test runs the real command (a subprocess) on real files, as the issue reproduces it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SPEC

APIGEN = [sys.executable, "-m", "codegen.cli"]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        APIGEN + list(args),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ),
        timeout=180,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apigen: error: "), result.stderr
    return lines[0]


def trimmed_spec(tmp_path: Path) -> Path:
    """A copy of the spec without DeleteFlowLogs: its outputs become stale."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    del document["operations"]["DeleteFlowLogs"]
    for name in ("DeleteFlowLogsRequest", "DeleteFlowLogsResult"):
        document["shapes"].pop(name, None)
    path = tmp_path / "specs" / "ec2" / "trimmed.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_files_it_did_not_write_survive_and_are_named(tmp_path: Path) -> None:
    # the reproduction: mkdir -p /tmp/x/ec2 && echo k > /tmp/x/ec2/my_code.py && ...
    out = tmp_path / "x"
    (out / "ec2" / ".git").mkdir(parents=True)
    (out / "ec2" / "my_code.py").write_text("k\n")
    (out / "ec2" / "conftest.py").write_text("")
    (out / "ec2" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "ec2" / "schemas").mkdir()
    (out / "ec2" / "schemas" / "mine.json").write_text("{}\n")
    for _ in range(2):  # the first run into the folder, and the next one
        result = run("generate", str(SPEC), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert "0 removed" in result.stdout
        assert (out / "ec2" / "my_code.py").read_text() == "k\n"
        assert (out / "ec2" / "conftest.py").exists()
        assert (out / "ec2" / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
        assert (out / "ec2" / "schemas" / "mine.json").read_text() == "{}\n"
        for name in ("my_code.py", "conftest.py", ".git", "schemas/mine.json"):
            assert f"{out / 'ec2' / name}: left alone" in result.stderr, name
        assert ".git/HEAD" not in result.stderr  # a foreign folder is named once
    check = run("generate", str(SPEC), "-o", str(out), "--check")
    assert check.returncode == 0, check.stderr  # a foreign file is not stale
    assert "up to date" in check.stdout
    assert f"{out / 'ec2' / 'my_code.py'}: left alone" in check.stderr


def test_a_package_file_of_its_own_is_never_overwritten(tmp_path: Path) -> None:
    # apigen writes generated/<service>/__init__.py (the protocol layer imports its sibling
    # validators); a user's own __init__.py there is refused, named, and left as it was
    out = tmp_path / "x"
    (out / "ec2").mkdir(parents=True)
    (out / "ec2" / "__init__.py").write_text("mine = 1\n")
    line = one_error_line(run("generate", str(SPEC), "-o", str(out)))
    assert str(out / "ec2" / "__init__.py") in line
    assert (out / "ec2" / "__init__.py").read_text() == "mine = 1\n"


def test_only_its_own_stale_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert run("generate", str(SPEC), "-o", str(out)).returncode == 0
    ours = out / "ec2" / "schemas" / "DeleteFlowLogs.input.json"
    assert ours.is_file()
    (out / "ec2" / "notes.txt").write_text("mine\n")
    trimmed = trimmed_spec(tmp_path)

    check = run("generate", str(trimmed), "-o", str(out), "--check")
    assert check.returncode == 1
    assert f"{ours} (no longer produced" in check.stderr
    assert "notes.txt (" not in check.stderr  # named as left alone, not as stale
    assert ours.is_file()

    result = run("generate", str(trimmed), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 removed" in result.stdout
    assert not ours.exists()
    assert not (out / "ec2" / "schemas" / "DeleteFlowLogs.output.json").exists()
    assert (out / "ec2" / "notes.txt").read_text() == "mine\n"
    assert run("generate", str(trimmed), "-o", str(out), "--check").returncode == 0


def test_a_foreign_file_where_an_output_belongs_stops_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    (out / "ec2").mkdir(parents=True)
    (out / "ec2" / "validators.py").write_text("# my own validators\n")
    before = snapshot(out)
    result = run("generate", str(SPEC), "-o", str(out))
    line = one_error_line(result)
    assert "refusing to overwrite" in line and str(out / "ec2" / "validators.py") in line
    assert snapshot(out) == before  # nothing written at all


def test_a_manifest_it_did_not_write_is_not_believed(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    (out / "ec2").mkdir(parents=True)
    manifest = out / "ec2" / "MANIFEST.json"
    manifest.write_text(json.dumps({"files": {"shapes.py": "x"}}))
    (out / "ec2" / "shapes.py").write_text("# mine\n")
    before = snapshot(out)
    line = one_error_line(run("generate", str(SPEC), "-o", str(out)))
    assert str(manifest) in line and str(out / "ec2" / "shapes.py") in line
    assert snapshot(out) == before


def test_a_manifest_cannot_make_it_delete_outside_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert run("generate", str(SPEC), "-o", str(out)).returncode == 0
    outside = tmp_path / "precious.txt"
    outside.write_text("keep\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("keep\n")
    (out / "ec2" / "link").symlink_to(elsewhere)
    manifest = out / "ec2" / "MANIFEST.json"
    document = json.loads(manifest.read_text())
    document["files"].update(
        {"../../precious.txt": "x", str(outside): "x", "link/victim.txt": "x"}
    )
    manifest.write_text(json.dumps(document))
    result = run("generate", str(SPEC), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert outside.read_text() == "keep\n"
    assert (elsewhere / "victim.txt").read_text() == "keep\n"


def test_it_does_not_write_through_a_symlinked_folder(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    mine = tmp_path / "mine"
    mine.mkdir()
    (out / "ec2").mkdir(parents=True)
    (out / "ec2" / "schemas").symlink_to(mine)
    line = one_error_line(run("generate", str(SPEC), "-o", str(out)))
    assert "refusing to write through a symbolic link" in line and "schemas" in line
    assert list(mine.iterdir()) == []


def test_missing_parents_are_not_created_unless_asked(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "c"
    line = one_error_line(run("generate", str(SPEC), "-o", str(out)))
    assert str(tmp_path / "a" / "b") in line and "--parents" in line
    assert not (tmp_path / "a").exists()
    result = run("generate", str(SPEC), "-o", str(out), "--parents")
    assert result.returncode == 0, result.stderr
    assert (out / "ec2" / "MANIFEST.json").is_file()
    # the output folder itself is created when its parent exists
    assert run("generate", str(SPEC), "-o", str(tmp_path / "new")).returncode == 0
    assert (tmp_path / "new" / "ec2" / "validators.py").is_file()


@pytest.mark.parametrize("where", ["/proc/x", "under-a-file", "", "a-file"])
def test_an_unwritable_output_folder_is_one_clear_error(tmp_path: Path, where: str) -> None:
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x\n")
    output = {"under-a-file": str(a_file / "x"), "a-file": str(a_file)}.get(where, where)
    result = run("generate", str(SPEC), "-o", output, cwd=tmp_path)
    line = one_error_line(result)
    assert (output or "''") in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]  # nothing in cwd
    assert a_file.read_text() == "x\n"


def test_two_specs_of_one_service_combine_into_one_folder(tmp_path: Path) -> None:
    """Two specs of one service that agree give one set of artifacts (combined, not an error)."""
    second = tmp_path / "vpcs.json"
    second.write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "gen"
    result = run("generate", str(SPEC), str(second), "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in out.iterdir()] == ["ec2"]
    header = (out / "ec2" / "validators.py").read_text(encoding="utf-8").splitlines()[1]
    assert "flow-logs.json" in header and str(second) in header


def test_two_specs_of_one_service_that_disagree_are_an_error_naming_both(tmp_path: Path) -> None:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["shapes"]["FlowLog"]["members"]["FlowLogId"]["shape"] = "Integer"
    second = tmp_path / "vpcs.json"
    second.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "gen"
    line = one_error_line(run("generate", str(SPEC), str(second), "-o", str(out)))
    assert "specs/ec2/flow-logs.json" in line and str(second) in line
    assert "FlowLog" in line
    assert not out.exists()
