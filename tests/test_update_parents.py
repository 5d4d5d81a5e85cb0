"""``apigen update --parents`` (issue 15): the error for a missing output folder suggests
``--parents``, so ``update`` accepts it, as ``generate`` does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.loader import load_spec
from tests.support.paths import SPEC

pytestmark = pytest.mark.network  # botocore 1.14.10 (the spec's latest release) is fetched


def apigen(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_update_follows_its_own_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    out = tmp_path / "a" / "b" / "generated"
    args = ["update", str(copy), "--to", "botocore:installed", "--output", str(out)]
    code, _, err = apigen(capsys, *args)
    assert code == 2 and "pass --parents" in err, err
    assert copy.read_bytes() == SPEC.read_bytes()  # left as it was
    code, _, err = apigen(capsys, *args, "--parents")
    assert code == 0, err
    assert len(load_spec(copy).versions) == 3
    assert (out / "ec2" / "MANIFEST.json").is_file()
