"""A non-editable install works outside the checkout, and commands find ``./specs``.

The wheel is built from a copy of the checkout (the tree stays clean), installed without
dependencies into a fresh virtual environment, which borrows this environment's
site-packages for jinja2, jsonschema, black, botocore and click only (a path in a ``.pth``
file: the editable install of this checkout is not picked up, as the test checks).
No network: ``--no-build-isolation`` builds with this environment's setuptools and wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SPEC
from tests.support.readme import examples as readme_examples
from tests.support.readme import normalized, pattern

APIGEN = [sys.executable, "-m", "codegen.cli"]


def test_shipped_schemas_equal_the_copies_beside_the_specs() -> None:
    # codegen/schemas/ is what runs; specs/ holds identical copies where spec authors look.
    for name in ("spec.schema.json", "diff-report.schema.json"):
        shipped = ROOT / "codegen" / "schemas" / name
        shown = ROOT / "specs" / name
        assert shipped.read_bytes() == shown.read_bytes(), (
            f"{shown} and {shipped} differ: edit one and copy it over the other"
        )


def run_in(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        APIGEN + list(args),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        check=False,
    )


def test_commands_without_spec_read_specs_of_the_current_folder(tmp_path: Path) -> None:
    # an empty folder: no ./specs is an error, not a silent success
    for command in (["check"], ["generate"], ["generate", "--check"]):
        result = run_in(tmp_path, *command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "no specs folder specs/" in result.stderr and str(tmp_path) in result.stderr
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    # an empty ./specs is an error too
    (tmp_path / "specs").mkdir()
    result = run_in(tmp_path, "check")
    assert result.returncode == 2 and "no spec files" in result.stderr
    # with a spec of its own, the folder's spec is read, not the checkout's
    (tmp_path / "specs" / "ec2").mkdir()
    copy = tmp_path / "specs" / "ec2" / "mine.json"
    copy.write_bytes(SPEC.read_bytes())
    result = run_in(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("specs/ec2/mine.json: ok (3 operations")
    result = run_in(tmp_path, "generate")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "generated" / "ec2" / "validators.py").is_file()


def _checkout_copy(target: Path) -> Path:
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for rel in filter(None, files):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel built from this checkout installed."""
    base = tmp_path_factory.mktemp("wheel")
    source = _checkout_copy(base / "src")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(base / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (base / "dist").glob("apigen_codegen-*.whl")
    env_dir = base / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return env_dir


def test_the_wheel_runs_the_readme_commands_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    apigen = installed / "bin" / "apigen"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{installed / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = tmp_path / "project"
    shutil.copytree(ROOT / "specs", work / "specs")

    def apigen_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(apigen), *args],
            capture_output=True,
            text=True,
            cwd=work,
            env=env,
            timeout=120,
            check=False,
        )

    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import codegen; print(codegen.__file__)"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        check=True,
    ).stdout
    assert where.startswith(str(installed)), where  # the wheel, not this checkout

    versions = apigen_run("versions", "specs/ec2/flow-logs.json")
    assert versions.returncode == 0, versions.stderr
    assert versions.stdout.splitlines()[0].split() == ["VERSION", "DATE", "BOTOCORE", "SUMMARY"]
    assert "1.14.10" in versions.stdout
    check = apigen_run("check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("specs/ec2/flow-logs.json: ok")
    bad = apigen_run("check", str(ROOT / "tests/fixtures/bad_specs/unknown_references.json"))
    assert bad.returncode == 2 and "5 problem(s)" in bad.stderr
    generate = apigen_run("generate")
    assert generate.returncode == 0, generate.stderr
    assert apigen_run("generate", "--check").returncode == 0
    # the installed generators and templates reproduce the committed output byte for byte
    produced = sorted(
        p.relative_to(work).as_posix() for p in (work / "generated").rglob("*") if p.is_file()
    )
    committed = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "generated").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert produced == committed
    for rel in produced:
        assert (work / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    diff = apigen_run(
        "diff", "specs/ec2/flow-logs.json@1.14.9", "specs/ec2/flow-logs.json@1.14.10"
    )
    assert diff.returncode == 1, diff.stderr
    assert "2020/02/04 - Amazon Elastic Compute Cloud - 2 updated api methods" in diff.stdout
    rules = apigen_run("rules", "specs/ec2/flow-logs.json")
    assert rules.returncode == 0 and "source:" in rules.stdout
    # every "$ apigen ..." example of the README, with the output it shows
    shutil.copytree(ROOT / "tests" / "fixtures", work / "tests" / "fixtures")
    sessions = [e for e in readme_examples() if e.kind == "session-sh"]
    assert len(sessions) >= 5
    for example in sessions:
        first, _, expected = example.text.partition("\n")
        result = subprocess.run(
            ["bash", "-c", first.removeprefix("$ ")],
            capture_output=True,
            text=True,
            cwd=work,
            env=env,
            timeout=120,
            check=False,
        )
        output = normalized(result.stdout + result.stderr)
        assert pattern(expected).fullmatch(output), f"README line {example.line}:\n{output}"
    # a folder without specs/: said clearly, exit 2
    (work / "elsewhere").mkdir()
    nothing = subprocess.run(
        [str(apigen), "check"],
        capture_output=True,
        text=True,
        cwd=work / "elsewhere",
        env=env,
        check=False,
    )
    assert nothing.returncode == 2 and "no specs folder" in nothing.stderr


def test_one_cache_default_for_the_cli_the_tests_and_make(tmp_path: Path) -> None:
    # with neither APIGEN_CACHE_DIR nor XDG_CACHE_HOME set, everything uses ~/.cache/apigen
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("APIGEN_CACHE_DIR", "XDG_CACHE_HOME", "MAKEFLAGS", "MFLAGS")
    }
    env["HOME"] = str(tmp_path)
    probe = (
        "import os; import tests.conftest, tests.support.helpers; "
        "from codegen.bridge.releases import cache_root; "
        "print(os.environ.get('APIGEN_CACHE_DIR'), cache_root())"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    ).stdout.split()
    assert shown == ["None", str(tmp_path / ".cache" / "apigen")]  # the suite sets nothing
    if shutil.which("make") is None:
        pytest.skip("no make")
    database = subprocess.run(
        ["make", "-n", "-p", "demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    ).stdout
    assert "APIGEN_CACHE_DIR" not in database  # the Makefile does not override it
