"""Two writers of one folder at once (issue 15): two ``generate`` runs into the same output
folder left, in 1 of 10 trials, a folder matching neither spec (its MANIFEST listing files that
were missing), and both exited 0.

Now each writer locks the folder it writes (``codegen/locking.py``): the second waits for the
first, says who holds the folder, and runs after it, so the folder is always exactly one run's
output. Real concurrent processes, many trials; the folder compared with each spec's output
made alone."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import SPEC

APIGEN = str(Path(sys.executable).parent / "apigen")
TRIALS = int(
    os.environ.get("APIGEN_LOCK_TRIALS", "40" if os.environ.get("APIGEN_SLOW_TESTS") else "6")
)


def start(*args: str, timeout: str | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if timeout is not None:
        env["APIGEN_LOCK_TIMEOUT"] = timeout
    return subprocess.Popen(
        [APIGEN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def two_specs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The flow-logs spec, and the same as of its first version only (different outputs:
    13 files instead of 17, other contents)."""
    tmp = tmp_path_factory.mktemp("specs")
    a, b = tmp / "a.json", tmp / "b.json"
    shutil.copyfile(SPEC, a)
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["versions"] = document["versions"][:1]

    def before(node: object) -> object:
        if isinstance(node, dict):
            return {
                k: before(v)
                for k, v in node.items()
                if not (isinstance(v, dict) and v.get("since") == "2020-02-04")
            }
        return [before(v) for v in node] if isinstance(node, list) else node

    b.write_text(json.dumps(before(document), indent=2), encoding="utf-8")
    return a, b


@pytest.fixture(scope="module")
def references(
    two_specs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, bytes]]:
    """Each spec's output, generated alone."""
    found = []
    for spec in two_specs:
        out = tmp_path_factory.mktemp("reference")
        code, err = finish(start("generate", str(spec), "-o", str(out)))
        assert code == 0, err
        found.append(snapshot(out / "ec2"))
    assert found[0] != found[1]
    return found


def consistent(folder: Path) -> None:
    """The MANIFEST lists exactly the files there are."""
    listed = set(json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))["files"])
    assert listed | {"MANIFEST.json"} == set(snapshot(folder))


def test_two_generates_at_once(
    two_specs: tuple[Path, Path], references: list[dict[str, bytes]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    waited = 0
    for trial in range(TRIALS):
        first, second = (two_specs[0], two_specs[1]) if trial % 2 else two_specs[::-1]
        procs = [start("generate", str(spec), "-o", str(out)) for spec in (first, second)]
        results = [finish(proc) for proc in procs]
        for code, err in results:
            assert code == 0, err
        waited += sum("apigen: waiting: " in err for _, err in results)
        folder = snapshot(out / "ec2")
        assert folder in references, f"trial {trial}: the folder matches neither spec"
        consistent(out / "ec2")
    assert waited  # the lock was met (and said so) in some trial


def test_a_held_folder_names_its_holder(two_specs: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what another apigen run holds while it writes
        for timeout in ("0", "0.5"):
            code, err = finish(
                start("generate", str(two_specs[0]), "-o", str(out), timeout=timeout)
            )
            assert code == 2, err
            assert f"apigen: error: {out} is being written by process {os.getpid()} (" in err, err
            assert f"gave up generating after {float(timeout):g} s (APIGEN_LOCK_TIMEOUT)" in err
            assert list(out.iterdir()) == []  # nothing written
        code, err = finish(start("generate", str(two_specs[0]), "-o", str(out), timeout="soon"))
        assert code == 2 and "APIGEN_LOCK_TIMEOUT='soon': expected seconds" in err, err
    finally:
        os.close(fd)
    code, err = finish(start("generate", str(two_specs[0]), "-o", str(out), timeout="0"))
    assert code == 0, err


def test_two_exports_into_one_data_path(two_specs: tuple[Path, Path], tmp_path: Path) -> None:
    data = tmp_path / "data"
    exports = [
        subprocess.run([APIGEN, "export", str(spec)], capture_output=True, check=True).stdout
        for spec in two_specs
    ]
    for _ in range(max(2, TRIALS // 2)):
        procs = [start("export", str(spec), "--data-path", str(data)) for spec in two_specs]
        for proc in procs:
            code, err = finish(proc)
            assert code == 0, err
        folder = data / "ec2" / "2016-11-15"
        assert (folder / "service-2.json").read_bytes() in exports
        recorded = json.loads((folder / ".apigen-written.json").read_text(encoding="utf-8"))
        assert {
            name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in recorded
        } == recorded


@pytest.mark.network  # botocore 1.14.10, the spec's latest release
def test_two_imports_into_one_spec(tmp_path: Path) -> None:
    """Each import reads the spec, adds its operation and writes it back: at once, without the
    lock, one write lost the other's operation."""
    for trial in range(max(2, TRIALS // 3)):
        spec = tmp_path / f"spec-{trial}.json"
        shutil.copyfile(SPEC, spec)
        procs = [
            start("import", str(spec), "--from", "botocore:1.14.10", "--operation", operation)
            for operation in ("DescribeVpcs", "DescribeSubnets")
        ]
        for proc in procs:
            code, err = finish(proc)
            assert code == 0, err
        operations = json.loads(spec.read_text(encoding="utf-8"))["operations"]
        assert {"DescribeVpcs", "DescribeSubnets"} <= set(operations), f"trial {trial}"
