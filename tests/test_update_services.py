"""``apigen update`` on whole-service specs: every version of the updated spec exports equal to
its botocore release (``tests.support.release_equality``: the release's own files, sdk-extras
merged, documentation compared as text).

CI runs a sample of small services through three releases (1.14.9 -> 1.14.10 -> the installed
one: no release to fetch beyond those the suite uses), chosen so that the sample holds every
kind of change botocore made between them (the test says which service shows which, and checks
that the updated specs record each); and a chain of real releases in which botocore removed an
enum value and a shape and brought them back. ``APIGEN_SLOW_TESTS=1`` runs every service
botocore 1.14.10 and the installed release share, and chains of six releases for 20 services.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.loader import load_spec
from codegen.spec import Spec
from tests.support.helpers import release
from tests.support.paths import FIXTURES, SPEC
from tests.support.release_equality import differences

pytestmark = pytest.mark.network

# each service shows (at least) the change named; the test below checks that the specs record it
SAMPLE = {
    "pricing": "a shape that changes type (PriceList: list -> structure)",
    "rds-data": "members of 13 structures and values of 2 enums re-sorted",
    "cur": "an enum re-sorted",
    "marketplace-entitlement": "the protocol (json -> ...), metadata added",
    "budgets": "a new pattern Python cannot read as Java does (kept, not enforced)",
    "schemas": "operations removed, shapes no operation uses",
    "sqs": "query -> json: protocol, jsonVersion, targetPrefix; operations added",
}
CHAIN = ("1.14.9", "1.14.10", "installed")
OLD_SPECS = (
    FIXTURES / "old_specs"
)  # written by apigen before whole-service specs followed the service


def apigen(*args: str) -> tuple[int, str]:
    """Run the command; its exit status and standard error."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(list(args))
            code = 0
        except SystemExit as exited:
            code = int(exited.code or 0)
    return code, err.getvalue()


def through(folder: Path, service: str, chain: tuple[str, ...]) -> tuple[Path, str]:
    """``service`` imported whole at the chain's first release, then updated to each of the
    others (nothing regenerated); the spec and everything the updates said."""
    path = folder / f"{service}.json"
    code, said = apigen(
        "import", str(path), "--from", f"botocore:{chain[0]}", "--service", service
    )
    assert code == 0, said
    for to in chain[1:]:
        out = folder / "generated"
        code, err = apigen("update", str(path), "--to", f"botocore:{to}", "--output", str(out))
        assert code == 0, err
        said += err
    return path, said


def unequal(spec: Spec) -> dict[str, list[str]]:
    """For each version that does not export equal to its release, the differences."""
    out = {}
    for version in spec.versions:
        assert version.botocore is not None
        found = differences(spec, version.version, release(version.botocore))
        if found:
            out[version.version] = found
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("whole")
    return {service: through(folder, service, CHAIN) for service in SAMPLE}


def test_every_version_of_the_sample_equals_its_release(
    sample: dict[str, tuple[Path, str]],
) -> None:
    for service, (path, _) in sample.items():
        spec = load_spec(path)
        assert len(spec.versions) == 3 and spec.document["scope"] == "service"
        assert unequal(spec) == {}, service


def _history(spec: Spec, kind: str) -> list[dict[str, Any]]:
    return [h for element in spec.document[kind].values() for h in element.get("history", ())]


def test_the_sample_records_every_kind_of_change(sample: dict[str, tuple[Path, str]]) -> None:
    """What the sample is for: each change of SAMPLE is in the updated spec as the format
    records it (were it not, the equality above would prove less)."""
    specs = {service: load_spec(path) for service, (path, _) in sample.items()}
    price_list = specs["pricing"].document["shapes"]["PriceList"]
    assert price_list["type"] == "structure"
    assert any(h.get("type") == "list" and "member" in h for h in price_list["history"])
    assert specs["pricing"].model("1.14.10").shapes["PriceList"].type == "list"
    reordered = [h for h in _history(specs["rds-data"], "shapes") if "memberOrder" in h]
    assert len(reordered) >= 13
    assert any("enumOrder" in h for h in _history(specs["rds-data"], "shapes"))
    assert any("enumOrder" in h for h in _history(specs["cur"], "shapes"))
    sqs = specs["sqs"]
    assert sqs.model("1.14.10").metadata.protocol == "query"
    assert (
        sqs.model().metadata.protocol == "json" and "targetPrefix" in sqs.model().metadata.traits
    )
    assert [h["metadata"]["protocol"] for h in sqs.document["history"]] == ["query"]
    assert [n for n, o in sqs.document["operations"].items() if "since" in o]
    entitlement = specs["marketplace-entitlement"]
    assert entitlement.model("1.14.10").metadata != entitlement.model().metadata
    schemas = specs["schemas"].document
    assert [n for n, o in schemas["operations"].items() if "until" in o]
    unused = set(schemas["shapes"]) - set(specs["schemas"].model().reachable_shapes())
    assert unused  # shapes no operation uses, followed too
    budgets_said = sample["budgets"][1]
    assert "apigen: warning: shape " in budgets_said and "kept, not enforced" in budgets_said
    assert any(
        s.get("patternEnforced") is False for s in specs["budgets"].document["shapes"].values()
    )


# -- comebacks: real releases in which botocore removed something and brought it back ---------

# savingsplans: the enum value SavingsPlanRateServiceCode.AmazonEKS is in 1.18.0, not in
# 1.19.0, back in 1.21.0; mediatailor: the shape __integerMin1Max100 is in 1.19.0, not in
# 1.21.0, back in 1.22.0.
COMEBACK_CHAIN = ("1.18.0", "1.19.0", "1.21.0", "1.22.0")


@pytest.mark.parametrize(
    "service, kind, name, present",
    [
        ("savingsplans", "enum", "AmazonEKS", [True, False, True, True]),
        ("mediatailor", "shape", "__integerMin1Max100", [True, True, False, True]),
    ],
)
def test_what_botocore_brings_back_comes_back(
    tmp_path: Path, service: str, kind: str, name: str, present: list[bool]
) -> None:
    path, _ = through(tmp_path, service, COMEBACK_CHAIN)
    spec = load_spec(path)
    assert unequal(spec) == {}
    models = [spec.model(v.version) for v in spec.versions]
    if kind == "enum":
        found = [name in m.shapes["SavingsPlanRateServiceCode"].enum for m in models]
    else:
        found = [name in m.shapes for m in models]
    assert found == present
    # recorded as a comeback, not as a second element of the same name
    document = json.dumps(spec.document)
    assert '"exists": false' in document and '"exists": true' in document


# -- the spec's scope ---------------------------------------------------------------------------


def test_a_whole_service_spec_from_an_earlier_apigen_follows_the_whole_service(
    tmp_path: Path,
) -> None:
    """A whole-service import written before specs said what they follow (no 'scope'): it
    holds every operation of its first release, so the update follows the whole service, and
    says so in the spec from then on."""
    path = tmp_path / "sqs.json"
    assert apigen("import", str(path), "--from", "botocore:1.14.9", "--service", "sqs")[0] == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document.pop("scope") == "service"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    code, err = apigen(
        "update", str(path), "--to", "botocore:installed", "-o", str(tmp_path / "g")
    )
    assert code == 0, err
    spec = load_spec(path)
    assert spec.document["scope"] == "service"
    assert unequal(spec) == {}
    assert set(spec.model().operations) == set(
        release("installed").load_model("sqs")["operations"]
    )


def test_a_stale_spec_from_an_earlier_apigen_is_brought_to_the_release(tmp_path: Path) -> None:
    """personalize-events imported whole at 1.14.10 and updated to 1.19.0 by an earlier apigen,
    which left out the operations 1.19.0 added (PutItems, PutUsers): the next update brings the
    spec to the release, and the versions before stay as that apigen wrote them."""
    from codegen.bridge.exporter import export_service

    path = tmp_path / "personalize-events.json"
    shutil.copyfile(OLD_SPECS / path.name, path)
    before = load_spec(path)
    assert "PutItems" not in before.model().operations  # the premise
    code, err = apigen(
        "update", str(path), "--to", "botocore:installed", "-o", str(tmp_path / "g")
    )
    assert code == 0, err
    spec = load_spec(path)
    assert spec.document["scope"] == "service"
    assert {"PutItems", "PutUsers"} <= set(spec.model().operations)
    assert differences(spec, spec.latest.version, release("installed")) == []
    assert differences(spec, "1.14.10", release("1.14.10")) == []
    for version in before.versions:
        ours, theirs = spec.model(version.version), before.model(version.version)
        assert export_service(ours) == export_service(theirs), version.version


def test_a_spec_of_chosen_operations_says_how_to_follow_more(tmp_path: Path) -> None:
    """The flow-logs spec follows its three operations; the update says what else the release
    has and how to follow it, and that command works: the operation is there from the new
    version on, as the release has it."""
    copy = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, copy)
    code, err = apigen(
        "update", str(copy), "--to", "botocore:installed", "-o", str(tmp_path / "g")
    )
    assert code == 0, err
    spec = load_spec(copy)
    assert spec.document["scope"] == "operations" and len(spec.model().operations) == 3
    installed = release("installed")
    new = installed.version
    suggested = (
        f"apigen import {copy} --from botocore:{new} --since {new} --operation NAME (without "
        "--operation: every one, and the spec then follows the whole service)"
    )
    assert f"apigen: note: {copy} follows its own operations; botocore {new} has " in err
    assert suggested in err
    raw = installed.load_model("ec2")
    name = "GetFlowLogsIntegrationTemplate"
    assert (
        name in raw["operations"]
        and name not in release("1.14.10").load_model("ec2")["operations"]
    )
    words = suggested.split(" (without")[0].replace("NAME", name).split()
    assert apigen(*words[1:])[0] == 0
    spec = load_spec(copy)
    assert name in spec.model().operations and name not in spec.model("1.14.10").operations
    found = differences(spec, spec.latest.version, installed, operations=[name])
    assert found == []


def test_imports_say_what_the_spec_follows(tmp_path: Path) -> None:
    whole, chosen = tmp_path / "whole.json", tmp_path / "chosen.json"
    assert apigen("import", str(whole), "--from", "botocore:1.14.10", "--service", "sqs")[0] == 0
    args = ("--from", "botocore:1.14.10", "--service", "sqs", "--operation", "ListQueues")
    assert apigen("import", str(chosen), *args)[0] == 0
    assert json.loads(whole.read_text())["scope"] == "service"
    assert json.loads(chosen.read_text())["scope"] == "operations"
    # every operation imported into a spec of chosen operations: it follows the service then
    assert apigen("import", str(chosen), "--from", "botocore:1.14.10")[0] == 0
    assert json.loads(chosen.read_text())["scope"] == "service"


# -- opt-in: every service, and chains -----------------------------------------------------------


def _run(folder: Path, services: list[str], chain: tuple[str, ...]) -> dict[str, str]:
    """Each service through ``chain``; what went wrong with each that did not come out equal."""
    failed: dict[str, str] = {}
    for service in services:
        started = time.monotonic()
        try:
            path, _ = through(folder, service, chain)
            bad = unequal(load_spec(path))
        except AssertionError as exc:
            failed[service] = str(exc)[:2000]
            continue
        if bad:
            failed[service] = json.dumps({v: d[:5] for v, d in bad.items()})[:2000]
        print(f"{service}: {time.monotonic() - started:.1f} s", flush=True)
    return failed


@pytest.mark.slow
def test_every_service_of_1_14_10_updates_to_the_installed_release(tmp_path: Path) -> None:
    old, new = release("1.14.10"), release("installed")
    shared = [s for s in old.services() if s in set(new.services())]
    failed = _run(tmp_path, shared, ("1.14.10", "installed"))
    print(f"{len(shared) - len(failed)} of {len(shared)} services update and equal their releases")
    assert not failed, failed


POPULAR = (
    "s3",
    "ec2",
    "dynamodb",
    "lambda",
    "iam",
    "sts",
    "sqs",
    "sns",
    "logs",
    "cloudformation",
    "kms",
    "rds",
    "ecs",
    "secretsmanager",
    "ssm",
    "cloudwatch",
    "events",
    "kinesis",
    "route53",
    "apigateway",
)
# a few months apart (built 2023-12 to 2025-06)
SIX = ("1.34.0", "1.35.0", "1.36.0", "1.37.0", "1.38.0", "1.39.0")


@pytest.mark.slow
def test_twenty_services_through_six_releases(tmp_path: Path) -> None:
    failed = _run(tmp_path, list(POPULAR), SIX)
    print(f"{len(POPULAR) - len(failed)} of {len(POPULAR)} services through {', '.join(SIX)}")
    assert not failed, failed


def test_a_malformed_release_is_an_error_naming_its_file(tmp_path: Path) -> None:
    """A release whose model is malformed (here: a private copy of 1.14.10, edited, its
    manifest saying it was published so): the update names the file and what is wrong where,
    and leaves the spec as it was."""
    cache = tmp_path / "cache"
    for version in ("1.14.9", "1.14.10"):
        shutil.copytree(
            release(version).data_dir.parent,
            cache / "botocore" / version,
            ignore=shutil.ignore_patterns("verified.json"),
        )
    entry = cache / "botocore" / "1.14.10"
    model = entry / "data" / "sqs" / "2012-11-05" / "service-2.json"
    raw = json.loads(model.read_text(encoding="utf-8"))
    raw["shapes"]["QueueAttributeName"]["type"] = "strnig"
    raw["operations"]["AddPermission"]["input"] = {"shape": "NoSuchShape"}
    model.write_text(json.dumps(raw), encoding="utf-8")
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    manifest["services"]["sqs"]["sha256"] = hashlib.sha256(model.read_bytes()).hexdigest()
    (entry / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    env = dict(os.environ, APIGEN_CACHE_DIR=str(cache), APIGEN_OFFLINE="1")
    spec = tmp_path / "sqs.json"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "codegen.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    assert (
        run("import", str(spec), "--from", "botocore:1.14.9", "--service", "sqs").returncode == 0
    )
    before = spec.read_bytes()
    result = run("update", str(spec), "--to", "botocore:1.14.10", "-o", str(tmp_path / "g"))
    assert result.returncode == 2, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"apigen: error: {model}: ") and "2 problem(s)" in first, first
    assert "/operations/AddPermission/input/shape: unknown shape 'NoSuchShape'" in result.stderr
    assert "/shapes/QueueAttributeName/type" in result.stderr
    assert "Traceback" not in result.stderr and spec.read_bytes() == before
