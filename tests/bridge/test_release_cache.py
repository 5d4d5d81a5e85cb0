"""The release cache is checked against its manifest, and ``botocore fetch`` repairs it.

Each test damages a COPY of cached releases in its own APIGEN_CACHE_DIR (copied from the
shared cache, so only repairs download anything), and runs the real ``apigen`` command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.bridge.releases import cache_root, fetch_release
from tests.support.paths import ROOT

pytestmark = pytest.mark.network

APIGEN = [sys.executable, "-m", "codegen.cli"]
EC2 = Path("data/ec2/2016-11-15/service-2.json")
S3 = Path("data/s3/2006-03-01/service-2.json")
EC2_PAGES = Path("data/ec2/2016-11-15/paginators-1.json")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A private copy of botocore 1.14.9 and 1.14.10 as cached (real copies: no hard links,
    so damaging them cannot touch the shared cache)."""
    root = tmp_path / "cache"
    for version in ("1.14.9", "1.14.10"):
        source = fetch_release(version).data_dir.parent
        shutil.copytree(
            source,
            root / "botocore" / version,
            copy_function=shutil.copy2,
            ignore=shutil.ignore_patterns("verified.json"),
        )
    return root


def apigen(cache: Path, *args: str, offline: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, APIGEN_CACHE_DIR=str(cache))
    env.pop("APIGEN_OFFLINE", None)
    if offline:
        env["APIGEN_OFFLINE"] = "1"
    return subprocess.run(
        APIGEN + list(args),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=False,
    )


def pristine(rel: Path, version: str = "1.14.10") -> bytes:
    return (fetch_release(version).data_dir.parent / rel).read_bytes()


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apigen: error: botocore 1.14.10: ")
    return lines[0]


def test_a_truncated_model_is_named_and_fetch_repairs_it(cache: Path) -> None:
    entry = cache / "botocore" / "1.14.10"
    assert apigen(cache, "botocore", "services", "1.14.10").returncode == 0  # found intact
    assert (entry / "verified.json").is_file()
    model = entry / EC2
    model.write_bytes(model.read_bytes()[:1000])
    line = one_error(
        apigen(cache, "diff", "botocore:1.14.9", "botocore:1.14.10", "--service", "ec2")
    )
    assert f"{model} does not match the SHA-256" in line
    assert "apigen botocore fetch 1.14.10" in line

    fetched = apigen(cache, "botocore", "fetch", "1.14.10")
    assert fetched.returncode == 0, fetched.stderr
    assert f"{model} does not match" in fetched.stderr and "downloading it again" in fetched.stderr
    assert model.read_bytes() == pristine(EC2)
    diff = apigen(cache, "diff", "botocore:1.14.9", "botocore:1.14.10", "--service", "ec2")
    assert diff.returncode == 1, diff.stderr
    assert "MaxAggregationInterval" in diff.stdout
    assert sorted(p.name for p in (cache / "botocore").iterdir()) == ["1.14.10", "1.14.9"]


def test_an_edit_that_stays_valid_json_is_not_a_silent_no_change(cache: Path) -> None:
    # the issue: remove ListBuckets from s3 and the diff said "No changes", exit 0
    model = cache / "botocore" / "1.14.10" / S3
    document = json.loads(model.read_text(encoding="utf-8"))
    del document["operations"]["ListBuckets"]
    model.write_text(json.dumps(document), encoding="utf-8")
    line = one_error(
        apigen(cache, "diff", "botocore:1.14.9", "botocore:1.14.10", "--service", "s3")
    )
    assert str(model) in line and "does not match" in line


def test_fetch_repairs_an_entry_whose_manifest_was_removed(cache: Path) -> None:
    entry = cache / "botocore" / "1.14.10"
    (entry / "manifest.json").unlink()
    model = entry / EC2
    model.write_bytes(b"{")
    (entry / "data" / "ec2" / "stray.txt").write_text("left from before\n")
    offline = apigen(cache, "botocore", "fetch", "1.14.10", offline=True)
    assert offline.returncode == 2 and "is incomplete" in offline.stderr
    fetched = apigen(cache, "botocore", "fetch", "1.14.10")
    assert fetched.returncode == 0, fetched.stderr
    assert "incomplete" in fetched.stderr
    assert model.read_bytes() == pristine(EC2)
    assert not (entry / "data" / "ec2" / "stray.txt").exists()  # the old data/ was replaced
    manifest = json.loads((entry / "manifest.json").read_text())
    shared = json.loads(pristine(Path("manifest.json")))
    assert manifest == shared


def test_a_missing_file_is_named_even_offline(cache: Path) -> None:
    pages = cache / "botocore" / "1.14.10" / EC2_PAGES
    pages.unlink()
    line = one_error(apigen(cache, "botocore", "services", "1.14.10"))
    assert f"{pages} is missing" in line
    offline = apigen(cache, "botocore", "fetch", "1.14.10", "--offline")
    assert offline.returncode == 2
    assert f"{pages} is missing" in offline.stderr and "downloading is off" in offline.stderr


def test_fetch_checks_every_file_and_force_downloads_again(cache: Path) -> None:
    entry = cache / "botocore" / "1.14.10"
    assert apigen(cache, "botocore", "services", "1.14.10").returncode == 0  # memo written
    model = entry / EC2
    before = model.stat()
    raw = bytearray(model.read_bytes())
    raw[-3:-2] = b" " if raw[-3:-2] != b" " else b"\n"  # same size ...
    model.write_bytes(bytes(raw))
    os.utime(model, ns=(before.st_atime_ns, before.st_mtime_ns))  # ... and the same time
    fetched = apigen(cache, "botocore", "fetch", "1.14.10")  # hashes everything
    assert fetched.returncode == 0, fetched.stderr
    assert f"{model} does not match" in fetched.stderr
    assert model.read_bytes() == pristine(EC2)

    intact = apigen(cache, "botocore", "fetch", "1.14.10")
    assert intact.returncode == 0 and intact.stderr == ""
    offline = apigen(cache, "botocore", "fetch", "1.14.10", "--force", "--offline")
    assert offline.returncode == 2 and "asked to download again, and downloading is off" in (
        offline.stderr
    )
    (entry / "data" / "ec2" / "stray.txt").write_text("x\n")
    forced = apigen(cache, "botocore", "fetch", "1.14.10", "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (entry / "data" / "ec2" / "stray.txt").exists()
    assert model.read_bytes() == pristine(EC2)


def test_the_shared_cache_is_untouched_by_these_tests() -> None:
    for version in ("1.14.9", "1.14.10"):
        entry = cache_root() / "botocore" / version
        assert (entry / "manifest.json").is_file()
    assert fetch_release("1.14.10", repair=False).load_model("s3")["operations"]["ListBuckets"]


@pytest.mark.parametrize(
    ("mutation", "said"),
    [
        # each of these ended in an internal error (exit 70) or was taken as a plain "incomplete"
        (lambda m: m.update(services=[1, 2]), "services is not a JSON object"),
        (
            lambda m: m["services"].update(s3=None),
            "the entry of service 's3' is not a JSON object",
        ),
        (
            lambda m: m["services"]["s3"].update(sha256=5),
            "the sha256 of service 's3' is not a SHA-256",
        ),
        (
            lambda m: m["services"]["s3"].pop("sha256"),
            "the sha256 of service 's3' is not a SHA-256",
        ),
        (
            lambda m: m["services"]["s3"].update(paginators_sha256=[]),
            "paginators_sha256 of service 's3'",
        ),
        (lambda m: m.update(build_date=7), "build_date is not a string"),
        (lambda m: m.update(build_date="2020-02-30"), "day is out of range"),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_a_damaged_entry_that_fetch_repairs(
    cache: Path, mutation: Callable[[dict[str, Any]], object], said: str
) -> None:
    entry = cache / "botocore" / "1.14.10"
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    mutation(manifest)
    (entry / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    line = one_error(
        apigen(
            cache, "diff", "botocore:1.14.9", "botocore:1.14.10", "--service", "s3", offline=True
        )
    )
    assert f"{entry / 'manifest.json'} is damaged: " in line and said in line, line
    fetched = apigen(cache, "botocore", "fetch", "1.14.10")
    assert fetched.returncode == 0, fetched.stderr
    assert json.loads((entry / "manifest.json").read_text()) == json.loads(
        pristine(Path("manifest.json"))
    )
