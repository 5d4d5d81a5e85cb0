"""codegen.bridge.releases against real botocore releases (no mocks of the fetcher).

Tests marked ``network`` download botocore 1.14.9 and 1.14.10 once into the shared cache
(``codegen.bridge.releases.cache_root()``, as the CLI); later runs read them from there, offline.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from codegen.bridge.releases import (
    Release,
    cache_root,
    fetch_release,
    installed_release,
    resolve_release,
)
from codegen.errors import ApigenError, BotocoreFetchError
from tests.support.paths import ROOT

UNREACHABLE = "could not reach the package index (no network?) and the release is not cached"

# Run in a child Python: fetch a cached release with network access and subprocesses
# disabled, and print what it found.
CHILD = """
import json, socket, subprocess, sys

def tripwire(*args, **kwargs):
    raise AssertionError("tried to use the network or to run a program")

socket.socket.connect = tripwire
socket.create_connection = tripwire
subprocess.Popen = tripwire

from codegen.bridge.releases import fetch_release

release = fetch_release(sys.argv[1])
print(json.dumps({
    "build_date": release.build_date.isoformat(),
    "ec2": release.model_digest("ec2"),
    "has_op": "CreateFlowLogs" in release.load_model("ec2")["operations"],
}))
"""


def _tripwire(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("tried to use the network or to run a program")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything tries to connect anywhere or to start pip."""
    monkeypatch.setattr(socket.socket, "connect", _tripwire)
    monkeypatch.setattr(socket, "create_connection", _tripwire)
    monkeypatch.setattr(subprocess, "run", _tripwire)
    monkeypatch.setattr(subprocess, "Popen", _tripwire)


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(root))
    monkeypatch.delenv("APIGEN_OFFLINE", raising=False)
    return root


@pytest.fixture(scope="module")
def r149() -> Release:
    return fetch_release("1.14.9")


@pytest.fixture(scope="module")
def r1410() -> Release:
    return fetch_release("1.14.10")


def _decompressed(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.name.endswith(".gz") else raw


def _assert_one_line(error: ApigenError) -> None:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    assert len(message) < 200


# --- without network ------------------------------------------------------------------------


def test_cache_root_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_root() == tmp_path / "explicit"
    monkeypatch.delenv("APIGEN_CACHE_DIR")
    assert cache_root() == tmp_path / "xdg" / "apigen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_root() == tmp_path / "home" / ".cache" / "apigen"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "1.14",
        "1.14.10.1",
        "v1.14.10",
        "1.14.10rc1",
        "latest",
        " 1.14.10",
        "1.14.10\n",
        "../1.2.3",
    ],
)
def test_malformed_version_fails_without_network(bad: str, no_network: None) -> None:
    with pytest.raises(BotocoreFetchError) as caught:
        fetch_release(bad)
    assert caught.value.reason == "not a release number (expected e.g. 1.14.10)"
    _assert_one_line(caught.value)
    with pytest.raises(BotocoreFetchError):
        resolve_release(bad)


def test_uncached_release_offline_fails_clearly(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    with pytest.raises(BotocoreFetchError) as caught:
        fetch_release("1.14.10", offline=True)
    assert str(caught.value).startswith("botocore 1.14.10: not in the cache")
    assert "offline" in caught.value.reason
    _assert_one_line(caught.value)

    monkeypatch.setenv("APIGEN_OFFLINE", "1")
    with pytest.raises(BotocoreFetchError) as caught:
        fetch_release("1.14.10")
    assert "offline" in caught.value.reason
    assert not empty_cache.exists() or not any(empty_cache.rglob("*"))


def test_data_without_manifest_is_not_a_cached_release(
    empty_cache: Path, no_network: None
) -> None:
    # What a fetch killed between the rename and the manifest write leaves behind.
    model = empty_cache / "botocore" / "1.14.10" / "data" / "ec2" / "2016-11-15" / "service-2.json"
    model.parent.mkdir(parents=True)
    model.write_text("{}")
    with pytest.raises(BotocoreFetchError, match="1.14.10 is incomplete, and downloading is off"):
        fetch_release("1.14.10", offline=True)


def test_unreachable_index_gives_one_line(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every proxy points at a closed local port: pip cannot reach any index over the network.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        for spelled in (name, name.lower()):
            monkeypatch.setenv(spelled, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        release = fetch_release("1.14.8")
    except BotocoreFetchError as error:
        _assert_one_line(error)
        if error.reason == "no such release on the package index":
            pytest.skip("pip found a local index that answered; cannot simulate no network")
        assert str(error) == f"botocore 1.14.8: {UNREACHABLE}"
    else:
        pytest.skip(f"pip reached an index despite the dead proxies ({release})")
    botocore_dir = empty_cache / "botocore"
    assert list(botocore_dir.iterdir()) == []  # no staging folder left behind


def test_release_reads_plain_and_gzip_files(tmp_path: Path) -> None:
    plain = json.dumps({"metadata": {"apiVersion": "2019-01-01"}, "operations": {"Old": {}}})
    newer = json.dumps({"metadata": {"apiVersion": "2020-01-01"}, "operations": {"New": {}}})
    files = {
        "foo/2019-01-01/service-2.json": plain.encode(),
        "foo/2020-01-01/service-2.json.gz": gzip.compress(newer.encode()),
        "foo/2020-01-01/paginators-1.json.gz": gzip.compress(b'{"pagination": {"New": {}}}'),
        "bar/2018-05-05/service-2.json": plain.encode(),
        "baz/2020-01-01/README": b"no model here",
    }
    for name, payload in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(payload)
    release = Release("0.1.2", tmp_path)

    assert release.services() == ["bar", "foo"]
    assert release.api_versions("foo") == ["2019-01-01", "2020-01-01"]
    assert release.model_path("foo").name == "service-2.json.gz"
    assert release.load_model("foo")["operations"] == {"New": {}}
    assert release.load_model("foo", "2019-01-01")["operations"] == {"Old": {}}
    assert release.load_paginators("foo") == {"New": {}}
    assert release.load_paginators("foo", "2019-01-01") is None
    assert release.model_digest("foo") == hashlib.sha256(newer.encode()).hexdigest()
    assert release.model_digest("bar") == hashlib.sha256(plain.encode()).hexdigest()

    for service in ("baz", "nope", "..", "foo/2020-01-01"):
        with pytest.raises(BotocoreFetchError) as caught:
            release.model_path(service)
        assert caught.value.reason == f"no service model for {service!r} in this release"
    with pytest.raises(BotocoreFetchError, match="no API version '2021-01-01' of 'foo'"):
        release.load_model("foo", "2021-01-01")


def test_installed_release(empty_cache: Path) -> None:
    botocore = importlib.import_module("botocore")

    release = installed_release()
    assert release is installed_release() is resolve_release("installed")
    assert release.installed
    assert release.version == botocore.__version__
    assert release.data_dir == (Path(str(botocore.__file__)).resolve().parent / "data")
    assert "ec2" in release.services()

    model = release.load_model("ec2")
    assert "CreateFlowLogs" in model["operations"]
    assert "MaxAggregationInterval" in model["shapes"]["FlowLog"]["members"]
    paginators = release.load_paginators("ec2")
    assert paginators is not None and "DescribeFlowLogs" in paginators

    path = release.model_path("ec2")
    expected = hashlib.sha256(_decompressed(path)).hexdigest()
    assert release.model_digest("ec2") == expected
    assert release.model_digest("ec2") == expected  # memoized
    assert not empty_cache.exists()  # nothing was copied


def test_installed_gzip_model_loads() -> None:
    release = installed_release()
    gzipped = [s for s in release.services() if release.model_path(s).name.endswith(".gz")]
    if not gzipped:
        pytest.skip(f"botocore {release.version} ships no gzip models")
    service = "ec2" if "ec2" in gzipped else gzipped[0]
    path = release.model_path(service)
    assert release.load_model(service) == json.loads(gzip.decompress(path.read_bytes()))


# --- real releases (downloaded once, then cached) -------------------------------------------


@pytest.mark.network
def test_build_dates(r149: Release, r1410: Release) -> None:
    assert (r149.version, str(r149.build_date)) == ("1.14.9", "2020-01-24")
    assert (r1410.version, str(r1410.build_date)) == ("1.14.10", "2020-02-04")
    assert not r149.installed and not r1410.installed
    assert r1410.data_dir == cache_root() / "botocore" / "1.14.10" / "data"


@pytest.mark.network
def test_services_and_models(r1410: Release) -> None:
    services = r1410.services()
    assert "ec2" in services and services == sorted(services)
    versions = r1410.api_versions("ec2")
    assert versions == sorted(versions) and versions[-1] == "2016-11-15" and len(versions) > 1
    path = r1410.model_path("ec2")
    assert path == r1410.data_dir / "ec2" / "2016-11-15" / "service-2.json"  # plain in 2020
    model = r1410.load_model("ec2")
    assert model["metadata"]["apiVersion"] == "2016-11-15"
    assert "CreateFlowLogs" in model["operations"]
    older = r1410.load_model("ec2", versions[0])
    assert older["metadata"]["apiVersion"] == versions[0]


@pytest.mark.network
def test_flow_log_max_aggregation_interval(r149: Release, r1410: Release) -> None:
    assert "MaxAggregationInterval" in r1410.load_model("ec2")["shapes"]["FlowLog"]["members"]
    assert "MaxAggregationInterval" not in r149.load_model("ec2")["shapes"]["FlowLog"]["members"]


@pytest.mark.network
def test_digests(r149: Release, r1410: Release) -> None:
    assert r149.model_digest("ec2") != r1410.model_digest("ec2")
    assert r149.model_digest("acm") == r1410.model_digest("acm")  # acm: unchanged in between
    assert r149.load_model("acm") == r1410.load_model("acm")
    for release in (r149, r1410):
        for service in ("ec2", "acm", "s3"):
            raw = _decompressed(release.model_path(service))
            assert release.model_digest(service) == hashlib.sha256(raw).hexdigest()


@pytest.mark.network
def test_manifest(r1410: Release) -> None:
    manifest = json.loads((r1410.data_dir.parent / "manifest.json").read_text())
    assert manifest["version"] == "1.14.10"
    assert manifest["build_date"] == "2020-02-04"
    assert sorted(manifest["services"]) == r1410.services()
    paginators = r1410.model_path("ec2").with_name("paginators-1.json")
    assert manifest["services"]["ec2"] == {
        "api_version": "2016-11-15",
        "sha256": hashlib.sha256(r1410.model_path("ec2").read_bytes()).hexdigest(),
        "paginators_sha256": hashlib.sha256(paginators.read_bytes()).hexdigest(),
    }
    assert manifest["services"]["cloudsearchdomain"]["paginators_sha256"] is None
    # What the manifest records is what reading the files gives.
    from_files = Release(r1410.version, r1410.data_dir)
    for service in ("ec2", "acm", "cloudsearchdomain", "s3"):
        assert from_files.paginators_digest(service) == r1410.paginators_digest(service)
    listed = sorted(p.name for p in r1410.data_dir.parent.iterdir())
    assert listed == ["data", "manifest.json", "verified.json"]  # verified.json: a memo


@pytest.mark.network
def test_paginators(r1410: Release) -> None:
    paginators = r1410.load_paginators("ec2")
    assert paginators is not None
    assert paginators["DescribeFlowLogs"]["result_key"] == "FlowLogs"
    assert r1410.load_paginators("cloudsearchdomain") is None  # has a model, no paginators


@pytest.mark.network
def test_missing_service(r1410: Release) -> None:
    with pytest.raises(BotocoreFetchError) as caught:
        r1410.load_model("foo")
    assert str(caught.value) == "botocore 1.14.10: no service model for 'foo' in this release"
    with pytest.raises(BotocoreFetchError):
        r1410.model_digest("foo")


@pytest.mark.network
def test_cached_release_works_offline(r1410: Release, no_network: None) -> None:
    again = fetch_release("1.14.10", offline=True)
    assert again.build_date == r1410.build_date
    assert again.model_digest("ec2") == r1410.model_digest("ec2")
    assert resolve_release("1.14.10").data_dir == r1410.data_dir


@pytest.mark.network
@pytest.mark.parametrize("offline_env", [True, False])
def test_cached_release_needs_no_path_pip_or_network(
    r1410: Release, tmp_path: Path, offline_env: bool
) -> None:
    fake_pip = tmp_path / "shadow" / "pip"
    fake_pip.mkdir(parents=True)
    (fake_pip / "__init__.py").write_text("raise SystemExit('pip is disabled in this test')\n")
    env = dict(os.environ, PATH="", PYTHONPATH=str(fake_pip.parent))
    env["APIGEN_CACHE_DIR"] = str(cache_root())
    if offline_env:
        env["APIGEN_OFFLINE"] = "1"
    else:
        env.pop("APIGEN_OFFLINE", None)
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], check=False, env=env, capture_output=True
    )
    assert pip.returncode != 0  # pip really is unavailable in the child

    child = subprocess.run(
        [sys.executable, "-c", CHILD, "1.14.10"],
        check=False,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout) == {
        "build_date": "2020-02-04",
        "ec2": r1410.model_digest("ec2"),
        "has_op": True,
    }


@pytest.mark.network
def test_unknown_release(empty_cache: Path) -> None:
    with pytest.raises(BotocoreFetchError) as caught:
        fetch_release("9.9.9")
    if caught.value.reason == UNREACHABLE:
        pytest.skip("no network")
    assert str(caught.value) == "botocore 9.9.9: no such release on the package index"
    _assert_one_line(caught.value)
    assert list((empty_cache / "botocore").iterdir()) == []  # no staging folder left behind


@pytest.mark.network
def test_concurrent_fetches_into_empty_cache(r149: Release, empty_cache: Path) -> None:
    stale = empty_cache / "botocore" / ".staging-1.14.9-killed"
    stale.mkdir(parents=True)
    (stale / "half.json").write_text("{")
    old = time.time() - 3 * 24 * 3600
    os.utime(stale, (old, old))

    env = dict(os.environ, APIGEN_CACHE_DIR=str(empty_cache))
    env.pop("APIGEN_OFFLINE", None)
    code = (
        "import sys; from codegen.bridge.releases import fetch_release as f; "
        "r = f('1.14.9'); print(r.build_date, r.model_digest('ec2'))"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [child.communicate(timeout=300) for child in children]
    if any(UNREACHABLE in stderr for _, stderr in results):
        pytest.skip("no network")
    assert [child.returncode for child in children] == [0, 0], [err for _, err in results]
    outputs = [stdout for stdout, _ in results]
    assert outputs == [f"2020-01-24 {r149.model_digest('ec2')}\n"] * 2

    assert sorted(p.name for p in (empty_cache / "botocore").iterdir()) == ["1.14.9"]
    entry = empty_cache / "botocore" / "1.14.9"
    assert sorted(p.name for p in entry.iterdir()) == ["data", "manifest.json", "verified.json"]
    shared = r149.data_dir.parent / "manifest.json"
    assert json.loads((entry / "manifest.json").read_text()) == json.loads(shared.read_text())
    fresh = fetch_release("1.14.9", offline=True)
    assert fresh.services() == r149.services()
    assert fresh.load_model("ec2") == r149.load_model("ec2")
