"""Output never goes through a symbolic link below the folder a user names (issue 15: with
``o/ec2`` a link to another folder, ``generate -o o`` wrote its 17 files into the link's
target). The folder named with ``-o`` / ``--output`` / ``--data-path`` may itself be a link
(the user chose where it leads); every folder and file apigen creates or writes below it is
opened without following one, so even a link put in place while apigen runs fails the write."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.files import remove_below, replace_below
from tests.support.paths import SPEC


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exited:
        code = int(exited.code or 0)
    _, err = capsys.readouterr()
    return code, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder of the user's that a link leads to, holding a file of theirs."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    return folder


def refused(code: int, err: str, link: Path) -> None:
    assert code == 2, err
    assert err.startswith("apigen: error: ") and err.count("\n") == 1, err
    assert "refusing to write through a symbolic link" in err and str(link) in err, err


def test_the_service_folder_as_a_link(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reproduction of the issue."""
    out = tmp_path / "o"
    out.mkdir()
    (out / "ec2").symlink_to(elsewhere)
    code, err = run(capsys, "generate", str(SPEC), "-o", str(out))
    refused(code, err, out / "ec2")
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}


def test_a_link_to_a_folder_that_already_holds_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing to write (every file unchanged) and a stale file listed in the manifest: still
    refused, and the stale file (in the link's target) is not removed."""
    real = tmp_path / "real"
    code, err = run(capsys, "generate", str(SPEC), "-o", str(real))
    assert code == 0, err
    (real / "ec2" / "old.txt").write_text("listed as ours\n")
    manifest = (real / "ec2" / "MANIFEST.json").read_text()
    (real / "ec2" / "MANIFEST.json").write_text(
        manifest.replace('"files": {', '"files": {\n    "old.txt": "x",')
    )
    before = snapshot(real)
    out = tmp_path / "o"
    out.mkdir()
    (out / "ec2").symlink_to(real / "ec2")
    code, err = run(capsys, "generate", str(SPEC), "-o", str(out))
    refused(code, err, out / "ec2")
    assert snapshot(real) == before


@pytest.mark.parametrize("level", ["schemas", "botocore/ec2", "botocore/ec2/2016-11-15"])
def test_a_link_deeper_down(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str], level: str
) -> None:
    out = tmp_path / "o"
    code, err = run(capsys, "generate", str(SPEC), "-o", str(out))
    assert code == 0, err
    shutil.rmtree(out / "ec2" / level)
    (out / "ec2" / level).symlink_to(elsewhere)
    before = snapshot(out)
    code, err = run(capsys, "generate", str(SPEC), "-o", str(out))
    refused(code, err, out / "ec2" / level)
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}
    assert snapshot(out) == before


def test_a_linked_file_listed_in_the_manifest(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file apigen wrote, replaced by a link to a file of the user's: the user's file is
    neither written through nor lost."""
    out = tmp_path / "o"
    code, err = run(capsys, "generate", str(SPEC), "-o", str(out))
    assert code == 0, err
    shapes = out / "ec2" / "shapes.py"
    shapes.unlink()
    shapes.symlink_to(elsewhere / "notes.txt")
    code, err = run(capsys, "generate", str(SPEC), "-o", str(out))
    refused(code, err, shapes)
    assert shapes.is_symlink() and (elsewhere / "notes.txt").read_text() == "mine\n"


def test_the_named_output_folder_may_be_a_link(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "generated"
    link.symlink_to(elsewhere)
    code, err = run(capsys, "generate", str(SPEC), "-o", str(link))
    assert code == 0, err
    assert (elsewhere / "ec2" / "MANIFEST.json").is_file() and not (elsewhere / "ec2").is_symlink()


@pytest.mark.parametrize("level", ["ec2", "ec2/2016-11-15"])
def test_the_data_path(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str], level: str
) -> None:
    data = tmp_path / "data"
    (data / level).parent.mkdir(parents=True, exist_ok=True)
    (data / level).symlink_to(elsewhere)
    code, err = run(capsys, "export", str(SPEC), "--data-path", str(data))
    refused(code, err, data / level)
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}


@pytest.mark.network  # the spec's latest release (1.14.10) and the installed one
def test_update_regenerates_through_no_link(
    tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    out = tmp_path / "o"
    out.mkdir()
    (out / "ec2").symlink_to(elsewhere)
    code, err = run(capsys, "update", str(copy), "--to", "botocore:installed", "-o", str(out))
    assert code == 2 and "refusing to write through a symbolic link" in err, err
    assert copy.read_bytes() == SPEC.read_bytes()  # left as it was
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}


# -- the guarded writer, with a link put in place after the checks ----------------------------


def test_the_writer_never_follows_a_link_below_its_base(tmp_path: Path, elsewhere: Path) -> None:
    base = tmp_path / "base"
    (base / "a").mkdir(parents=True)
    (base / "a" / "b").symlink_to(elsewhere)
    with pytest.raises(OSError) as raised:
        replace_below(base, "a/b/new.txt", b"x")
    assert raised.value.errno == errno.ELOOP
    with pytest.raises(OSError) as raised:
        remove_below(base, "a/b/notes.txt")
    assert raised.value.errno == errno.ELOOP
    assert snapshot(elsewhere) == {"notes.txt": b"mine\n"}
    assert not list((base / "a").glob(".*apigen-tmp"))
    replace_below(base, "a/c/d/new.txt", b"x")  # folders created, none followed
    assert (base / "a" / "c" / "d" / "new.txt").read_bytes() == b"x"
    (base / "a" / "c" / "d" / "new.txt").chmod(0o640)
    replace_below(base, "a/c/d/new.txt", b"y")  # replaced, permissions kept
    assert (base / "a" / "c" / "d" / "new.txt").stat().st_mode & 0o777 == 0o640
    remove_below(base, "a/c/d/new.txt", keep=2)
    assert (base / "a" / "c").is_dir() and not (base / "a" / "c" / "d").exists()
