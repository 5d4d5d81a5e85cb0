"""``apigen update`` carries the spec's ``waiters`` across releases: every version of an updated
spec exports (``apigen export --as-of V --format botocore-waiters``) botocore's own
``waiters-2.json`` of release ``V``, read here by botocore's loader, and the spec records each
waiter botocore added, changed or removed the way it records operations (``since``, ``until``,
``history``).

CI runs two small whole services and a spec of three EC2 operations from 1.14.10 to the
installed release (acm: ``CertificateValidated`` went from 40 attempts to 5 and four waiters
came; eks: ``ClusterDeleted``'s acceptors changed and five came; ec2: ``SnapshotCompleted``
and ``SecurityGroupExists`` changed), and a private copy of three releases in which one acm
waiter is taken out of the middle one (no botocore release has removed a waiter yet); a
waiter of the spec's own is kept, and an import at a later version gives the waiters it brings
that ``since``.
``APIGEN_SLOW_TESTS=1`` runs the whole of EC2 and five services whose waiters changed through
five releases.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader

from codegen.bridge.releases import Release
from codegen.cli import main
from codegen.loader import load_spec
from tests.support.helpers import release

pytestmark = pytest.mark.network


def apigen(*args: str) -> tuple[int, str, str]:
    """Run the command; its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            main(list(args))
            code = 0
        except SystemExit as exited:
            code = int(exited.code or 0)
    return code, out.getvalue(), err.getvalue()


def botocores(r: Release, service: str, operations: set[str] | None = None) -> dict[str, Any]:
    """The release's waiters-2.json as botocore's own loader reads it (of ``operations`` only,
    when given); no waiters: botocore's empty document."""
    loader = Loader(extra_search_paths=[str(r.data_dir)], include_default_search_paths=False)
    try:
        document: dict[str, Any] = loader.load_service_model(service, "waiters-2")
    except DataNotFoundError:  # the service has no waiters there
        document = {"version": 2, "waiters": {}}
    if operations is not None:
        document["waiters"] = {
            n: w for n, w in document["waiters"].items() if w["operation"] in operations
        }
    return document


def exported(spec: Path, version: str) -> dict[str, Any]:
    code, out, err = apigen(
        "export", str(spec), "--as-of", version, "--format", "botocore-waiters"
    )
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def through(folder: Path, service: str, chain: tuple[str, ...], *operations: str) -> Path:
    """``service`` (or ``operations`` of it) imported at the chain's first release, then updated
    to each of the others."""
    path = folder / f"{service}.json"
    chosen = [a for name in operations for a in ("--operation", name)]
    code, _, err = apigen(
        "import", str(path), "--from", f"botocore:{chain[0]}", "--service", service, *chosen
    )
    assert code == 0, err
    for to in chain[1:]:
        out = str(folder / "generated")
        code, _, err = apigen("update", str(path), "--to", f"botocore:{to}", "--output", out)
        assert code == 0, err
    return path


def unequal(spec_path: Path, operations: set[str] | None = None) -> dict[str, Any]:
    """For each version whose exported waiters are not its release's, both sides."""
    spec = load_spec(spec_path)
    out = {}
    for version in spec.versions:
        assert version.botocore is not None
        ours = exported(spec_path, version.version)
        theirs = botocores(release(version.botocore), spec.service, operations)
        if ours != theirs:
            out[version.botocore] = (ours, theirs)
    return out


CHAIN = ("1.14.10", "installed")


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("waiters")
    return {service: through(folder, service, CHAIN) for service in ("acm", "eks")}


def test_every_version_of_a_whole_service_exports_its_releases_waiters(
    whole: dict[str, Path],
) -> None:
    for service, path in whole.items():
        first, last = (botocores(release(v), service) for v in CHAIN)
        assert first["waiters"] and first != last  # the releases differ: something to carry
        assert unequal(path) == {}, service


def test_waiters_are_added_changed_and_kept_like_operations(whole: dict[str, Path]) -> None:
    spec = load_spec(whole["acm"])
    first, last = spec.versions
    written = spec.document["waiters"]
    before, after = (botocores(release(v), "acm")["waiters"] for v in CHAIN)
    added = set(after) - set(before)
    assert len(added) == 4
    assert {n for n, w in written.items() if w.get("since") == last.version} == added
    assert not any("since" in written[n] or "until" in written[n] for n in before)
    # one changed field, one history entry holding the field's value before
    assert written["CertificateValidated"]["maxAttempts"] == 5
    assert written["CertificateValidated"]["history"] == [
        {"until": last.version, "maxAttempts": before["CertificateValidated"]["maxAttempts"]}
    ]
    assert set(spec.model(first.version).waiters) == set(before)
    # eks: a waiter whose acceptors changed keeps the earlier ones
    eks = load_spec(whole["eks"]).document["waiters"]["ClusterDeleted"]
    [entry] = eks["history"]
    assert set(entry) == {"until", "acceptors"}


def test_a_spec_of_chosen_operations_follows_their_waiters(tmp_path: Path) -> None:
    operations = {"DescribeSnapshots", "DescribeSecurityGroups", "DescribeInstances"}
    path = through(tmp_path, "ec2", CHAIN, *sorted(operations))
    spec = load_spec(path)
    changed = {n for n, w in spec.document["waiters"].items() if "history" in w}
    assert {"SnapshotCompleted", "SecurityGroupExists"} <= changed
    assert unequal(path, operations) == {}


def test_a_waiter_of_the_specs_own_is_kept(tmp_path: Path) -> None:
    """A waiter written by hand (botocore has it in neither release) stays as it is."""
    path = through(tmp_path, "ec2", CHAIN[:1], "DescribeVpcs")
    document = json.loads(path.read_text(encoding="utf-8"))
    own = {**document["waiters"]["VpcAvailable"], "delay": 1, "maxAttempts": 3}
    document["waiters"]["VpcQuicklyAvailable"] = own
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    out = str(tmp_path / "generated")
    code, _, err = apigen("update", str(path), "--to", "botocore:installed", "--output", out)
    assert code == 0, err
    spec = load_spec(path)
    assert spec.document["waiters"]["VpcQuicklyAvailable"] == own
    for version in spec.versions:
        assert exported(path, version.version)["waiters"]["VpcQuicklyAvailable"]["delay"] == 1


def test_an_import_at_a_later_version_gives_its_waiters_that_since(tmp_path: Path) -> None:
    """A spec from before waiters came along (it has none), updated; then an operation imported
    from the new version on: the waiters it brings, and those of the operations the spec had,
    exist from that version on, and the earlier version exports none, as it did."""
    path = through(tmp_path, "ec2", CHAIN, "DescribeVpcs")
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["waiters"]
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    first, latest = load_spec(path).versions
    assert exported(path, first.version)["waiters"] == {}
    code, _, err = apigen(
        "import",
        str(path),
        "--from",
        "botocore:installed",
        "--since",
        latest.version,
        "--operation",
        "DescribeInstances",
    )
    assert code == 0, err
    assert exported(path, first.version)["waiters"] == {}
    followed = {"DescribeVpcs", "DescribeInstances"}
    theirs = botocores(release("installed"), "ec2", followed)
    assert {"VpcAvailable", "InstanceRunning"} <= set(theirs["waiters"])
    assert exported(path, latest.version) == theirs


def _private_cache(tmp_path: Path, versions: tuple[str, ...], service: str) -> Path:
    """A private cache of ``versions`` holding ``service`` only (their own files)."""
    cache = tmp_path / "cache"
    for version in versions:
        source = release(version).data_dir.parent
        entry = cache / "botocore" / version
        shutil.copytree(source / "data" / service, entry / "data" / service)
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
        manifest["services"] = {service: manifest["services"][service]}
        (entry / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return cache


def test_a_waiter_removed_and_brought_back(tmp_path: Path) -> None:
    """1.14.10 edited to lack acm's CertificateValidated (botocore 1.15.0 has it again, as
    1.14.9 had it): the spec says it did not exist at 1.14.10 and exists again later."""
    versions = ("1.14.9", "1.14.10", "1.15.0")
    cache = _private_cache(tmp_path, versions, "acm")
    [file] = (cache / "botocore" / "1.14.10" / "data" / "acm").glob("*/waiters-2.json")
    document = json.loads(file.read_text(encoding="utf-8"))
    removed = document["waiters"].pop("CertificateValidated")
    file.write_text(json.dumps(document), encoding="utf-8")
    env = dict(os.environ, APIGEN_CACHE_DIR=str(cache), APIGEN_OFFLINE="1")
    spec = tmp_path / "acm.json"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "codegen.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    result = run("import", str(spec), "--from", "botocore:1.14.9", "--service", "acm")
    assert result.returncode == 0, result.stderr
    for to in versions[1:]:
        result = run("update", str(spec), "--to", f"botocore:{to}", "-o", str(tmp_path / "g"))
        assert result.returncode == 0, result.stderr
    for version in versions:
        result = run("export", str(spec), "--as-of", version, "--format", "botocore-waiters")
        assert result.returncode == 0, result.stderr
        theirs = json.loads(
            next(
                (cache / "botocore" / version / "data" / "acm").glob("*/waiters-2.json")
            ).read_text(encoding="utf-8")
        )
        assert json.loads(result.stdout) == theirs, version
    assert (
        "CertificateValidated"
        not in json.loads(
            run("export", str(spec), "--as-of", "1.14.10", "--format", "botocore-waiters").stdout
        )["waiters"]
    )
    waiter = load_spec(spec).document["waiters"]["CertificateValidated"]
    assert "until" not in waiter and waiter["maxAttempts"] == removed["maxAttempts"]
    assert [h.get("exists") for h in waiter["history"]] == [True, False]


SLOW_CHAIN = ("1.14.10", "1.20.0", "1.30.0", "1.40.0", "installed")


@pytest.mark.slow
def test_whole_ec2_and_five_services_through_five_releases(tmp_path: Path) -> None:
    failed = {}
    for service in ("ec2", "lambda", "cloudformation", "dms", "medialive", "appstream"):
        chain = SLOW_CHAIN if service != "ec2" else CHAIN
        found = unequal(through(tmp_path, service, chain))
        if found:
            failed[service] = sorted(found)
    assert failed == {}
