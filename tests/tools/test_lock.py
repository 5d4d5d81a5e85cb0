"""The environment ``make demo`` and ``make test`` build is pinned (issue 15): ``constraints.txt``
names every package they install (botocore and boto3 included); the Makefile installs with it
and checks the result (``tools/lock.py --check``), as this test does for the environment the
suite runs in. Before, botocore was not pinned: a fresh machine got another release than the
README's figures came from, and ``make demo`` did not install boto3, which the server examples
import."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from tests.support.paths import ROOT

LOCK = ROOT / "constraints.txt"
TOOL = ROOT / "tools" / "lock.py"


def pins() -> dict[str, str]:
    found = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), "--check", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_lock_names_every_direct_dependency_and_the_suite_runs_on_it() -> None:
    requires = metadata.requires("apigen-codegen") or []
    direct = [r for r in requires if "extra ==" not in r or re.search("test|examples", r)]
    assert any('extra == "examples"' in r for r in requires), requires
    locked = pins()
    for requirement in direct:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0]
        assert re.sub(r"[-_.]+", "-", name).lower() in locked, requirement
    assert metadata.version("botocore") == locked["botocore"]
    assert metadata.version("boto3") == locked["boto3"]
    result = check("test,examples")
    assert result.returncode == 0, result.stderr
    assert "each at its locked version" in result.stdout


def test_demo_installs_the_server_examples_client() -> None:
    """make demo's extra brings boto3, which the README's server examples import."""
    requires = metadata.requires("apigen-codegen") or []
    assert any(r.startswith("boto3") and 'extra == "examples"' in r for r in requires), requires
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-c $(LOCK)" in makefile and "PIP_CONSTRAINT=" in makefile
    assert "$(INSTALL) -e '.[examples]'" in makefile
    assert "$(INSTALL) -e '.[test,examples]'" in makefile
    assert makefile.count("tools/lock.py --check") == 3  # demo, test, mutate


def test_the_check_fails_on_another_version(tmp_path: Path) -> None:
    tampered = tmp_path / "constraints.txt"
    text = LOCK.read_text(encoding="utf-8")
    version = pins()["botocore"]
    tampered.write_text(text.replace(f"botocore=={version}", "botocore==1.14.10"), "utf-8")
    result = check("test,examples", "--lock", str(tampered))
    assert result.returncode == 1
    assert f"botocore: installed {version}, locked 1.14.10" in result.stderr
    tampered.write_text(text.replace(f"botocore=={version}\n", ""), "utf-8")
    result = check("", "--lock", str(tampered))
    assert result.returncode == 1 and "botocore: installed" in result.stderr
    assert "not in the lock (run make lock)" in result.stderr


def test_the_readme_names_the_pinned_release() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"botocore\n**{pins()['botocore']}**" in readme or (
        f"botocore **{pins()['botocore']}**" in " ".join(readme.split())
    )
