"""The README is true: every command and code example in it runs as shown.

* ```` ```sh ```` blocks: each command runs (in a copy of the checkout, ``/tmp/`` redirected to a
  private folder) and must exit 0;
* blocks that start with ``$ command``: the command runs and its output (standard output, then
  standard error) must be what the README shows, ``...`` matching anything (on a line of its
  own: any number of lines);
* inline ``apigen ...`` commands in the prose run and must not fail with a usage or internal
  error;
* ```` ```python ```` blocks run from ``generated/ec2/``: doctest sessions (``>>>``) with
  ELLIPSIS and NORMALIZE_WHITESPACE, other blocks as scripts, which also pass ``mypy --strict``.

What is not run is listed in SKIPPED with the reason, and each entry must still be in the
README (so the list cannot hide a removed or renamed example).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from tests.support.readme import README, Example, examples, normalized, pattern

BIN = Path(sys.executable).parent

SKIPPED = {
    "make demo": "creates .venv/ and installs into it (tests/test_packaging.py installs the wheel)",
    "make test": "runs this very suite",
    "make lint": "ruff and mypy over the code: the lint step's business",
    "APIGEN_SLOW_TESTS=1 .venv/bin/pytest": "runs this very suite",
    '.venv/bin/pytest -m "not network"': "runs this very suite",
    "apigen diff OLD NEW [--service NAME ...]": "a synopsis, not a command",
    "apigen generate --all-services botocore:": "every service of a release takes minutes; "
    "tests/test_whole_services.py runs --all-services on a three-service copy of 1.14.10",
}

EXAMPLES = examples()


def needs_network(example: Example) -> bool:
    return "botocore" in example.text and example.kind in ("sh", "session-sh", "inline")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's files (tracked and untracked, not ignored ones)."""
    target = tmp_path_factory.mktemp("readme") / "repo"
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


def shell(command: str, cwd: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    command = command.replace("/tmp/", f"{tmp}/")
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def commands(block: str) -> list[str]:
    """The commands of a ```sh block: one a line (an indented line continues the one before),
    comments (``  # ...``) dropped."""
    out: list[str] = []
    for line in block.splitlines():
        command = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
        if not command or command.startswith("#"):
            continue
        if line[:1].isspace() and out:
            out[-1] += " " + command
        else:
            out.append(command)
    return out


def skipped(command: str) -> bool:
    return any(command.startswith(prefix) for prefix in SKIPPED)


def test_skipped_examples_are_still_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for prefix in SKIPPED:
        assert prefix in text, f"SKIPPED names {prefix!r}, which the README no longer has"


def test_the_matcher_reads_ellipses_as_the_readme_means_them() -> None:
    assert pattern("a\n...\nz\n").fullmatch("a\nb\nc\nz\n")
    assert pattern("a\n...\nz\n").fullmatch("a\nz\n")
    assert pattern("x = ...!\n").fullmatch("x = 42!\n")
    assert not pattern("a\n...\nz\n").fullmatch("a\nb\n")
    assert not pattern("x = 1\n").fullmatch("x = 12\n")


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(e, id=e.id, marks=[pytest.mark.network] if needs_network(e) else [])
        for e in EXAMPLES
    ],
)
def test_readme_example(example: Example, checkout: Path, tmp_path: Path) -> None:
    if example.kind == "sh":
        ran = 0
        for command in commands(example.text):
            if skipped(command):
                continue
            result = shell(command, checkout, tmp_path)
            assert result.returncode == 0, (
                f"README line {example.line}: {command}\n{result.stderr}"
            )
            ran += 1
        if not ran:
            pytest.skip("every command of this block is in SKIPPED")
    elif example.kind == "session-sh":
        first, _, expected = example.text.partition("\n")
        command = first.removeprefix("$ ")
        result = shell(command, checkout, tmp_path)
        assert result.returncode != 70 and "Traceback" not in result.stderr, result.stderr
        output = normalized(result.stdout + result.stderr)
        assert pattern(expected).fullmatch(output), (
            f"README line {example.line}: `{command}` printed\n{output}\nnot\n{expected}"
        )
    elif example.kind == "inline":
        result = shell(example.text, checkout, tmp_path)
        assert result.returncode in (0, 1), f"`{example.text}`: {result.stderr}"
    elif example.kind == "session":
        session = tmp_path / "session.txt"
        session.write_text(example.text, encoding="utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "doctest",
                "-o",
                "ELLIPSIS",
                "-o",
                "NORMALIZE_WHITESPACE",
                str(session),
            ],
            cwd=checkout / "generated" / "ec2",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"README line {example.line}:\n{result.stdout}"
    else:
        script = tmp_path / "example.py"
        script.write_text(example.text, encoding="utf-8")
        env = dict(
            os.environ,
            PYTHONPATH=str(checkout / "generated" / "ec2"),
            MYPYPATH=str(checkout / "generated" / "ec2"),
        )
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"README line {example.line}:\n{result.stderr}"
        typed = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir",
                str(tmp_path / ".mypy"),
                str(script),
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert typed.returncode == 0, f"README line {example.line}: mypy --strict\n{typed.stdout}"
