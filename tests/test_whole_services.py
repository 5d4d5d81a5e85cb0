"""Whole botocore services: imported into new specs, loaded back, generated, and the code checked.

CI runs a fixed sample of services with diverse shapes (every protocol; documents, unions,
event streams, streaming blobs, empty structures, Java patterns, JMESPath paginator tokens,
sdk-extras); ``APIGEN_SLOW_TESTS=1`` runs every service of the installed botocore.

* ``apigen import NEW.json --from botocore:installed --service NAME`` writes a new spec: the
  service's metadata, documentation and traits, one version named after the release, every
  operation, every shape and every waiter; loading it back gives exactly botocore's model and
  waiters (export equality, documentation included);
* every generated Python file of the sample passes ``ruff check``; those of four services that
  hold every construct the templates produce ``black --check`` (stable under both formatters)
  and, with DynamoDB's (its recursive union) and kinesisanalytics', ``mypy --strict`` (every
  one with ``APIGEN_SLOW_TESTS=1``);
* documents, unions, streaming blobs and event streams behave as botocore does: compared with
  botocore's own ``ParamValidator`` and with objects botocore's own response parser builds.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore import parsers
from botocore.loaders import Loader
from botocore.model import ServiceModel as BotocoreServiceModel
from botocore.response import StreamingBody
from botocore.validate import ParamValidator

from codegen.bridge.exporter import export_paginators, export_service, export_waiters
from codegen.bridge.importer import import_model
from codegen.cli import main
from codegen.loader import load_spec
from codegen.pipeline import generate, import_operations
from tests.support.helpers import input_shape, parse_response, release
from tests.support.imports import import_generated

SLOW = os.environ.get("APIGEN_SLOW_TESTS") == "1"
SAMPLE = (
    "s3",
    "dynamodb",
    "lambda",
    "iam",
    "sts",
    "cloudformation",
    "ecs",
    "logs",
    "ssm",
    "kinesis",
    "glacier",
    "rds",
    "s3control",
    "route53",
    "kms",
    "medialive",
    "bedrock-runtime",
    "dataexchange",
    # regressions found by generating every service: an operation named like another's output
    # validator, __all__ order of 034 and 1, an unused Decimal import, a zero-width space
    "kinesisanalytics",
    "payment-cryptography-data",
    "greengrass",
    "organizations",
)


def _installed(services: tuple[str, ...]) -> list[str]:
    known = set(release("installed").services())
    return [s for s in services if s in known]


def import_and_check(service: str, folder: Path) -> Path:
    """Import ``service`` whole into a new spec; check it loads back to botocore's model."""
    r = release("installed")
    path = folder / f"{service}.json"
    import_operations(path, r, None, service=service)
    model = load_spec(path).model()
    direct = import_model(
        r.load_model(service),
        name=service,
        paginators=r.load_paginators(service),
        waiters=r.load_waiters(service),
    )
    assert set(model.operations) == set(direct.operations)
    assert export_service(model) == export_service(direct)
    assert export_paginators(model) == export_paginators(direct)
    assert export_waiters(model) == {"version": 2, "waiters": r.load_waiters(service) or {}}
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sampled service imported, round-tripped and generated: {service: output folder}."""
    root = tmp_path_factory.mktemp("whole")
    services = _installed(SAMPLE)
    specs = [import_and_check(service, root / "specs") for service in services]
    results = generate(specs, root / "out")
    return {r.model.name: r.folder for r in results}


def _flat_copies(folders: dict[str, Path], into: Path) -> list[str]:
    """The generated modules (or packages, for a large service), copied under distinct names
    (mypy wants unique module names)."""
    into.mkdir()
    paths = []
    for service, folder in sorted(folders.items()):
        for module in ("validators", "shapes"):
            target = into / f"{module}_{service.replace('-', '_')}"
            if (folder / module).is_dir():
                shutil.copytree(folder / module, target)
            else:
                target = target.with_suffix(".py")
                shutil.copyfile(folder / f"{module}.py", target)
            paths.append(str(target))
    return paths


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=1800, check=False
    )


def test_sample_imports_round_trips_and_generates(sample: dict[str, Path]) -> None:
    assert set(sample) == set(_installed(SAMPLE))
    for folder in sample.values():
        for module in ("validators", "shapes"):
            # a module, or for a service of more than 64 operations a package
            assert (folder / f"{module}.py").is_file() != (
                folder / module / "__init__.py"
            ).is_file()
    assert any((folder / "validators").is_dir() for folder in sample.values())


def test_generated_code_passes_mypy_ruff_and_black(
    sample: dict[str, Path], tmp_path: Path
) -> None:
    paths = _flat_copies(sample, tmp_path / "flat")
    python = sys.executable
    ruff = _run(
        [
            python,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py310",
            *paths,
        ],
        tmp_path,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]

    # black is slow on megabytes (why ruff formats: black took 3 minutes over the smaller half
    # of the sample): a few services hold every construct the templates produce, so both
    # formatters are shown to agree on them: a query service (sts), streaming blobs (glacier),
    # event streams, documents and unions (bedrock-runtime), and split packages (greengrass,
    # the smallest)
    def of(*services: str) -> list[str]:
        return [p for p in paths if Path(p).name.split("_", 1)[1].removesuffix(".py") in services]

    small = of("sts", "glacier", "bedrock_runtime", "greengrass")
    assert len(small) == 8, small
    black = _run([python, "-m", "black", "--check", "-q", "-l", "99", *small], tmp_path)
    assert black.returncode == 0, black.stdout[-3000:] + black.stderr[-3000:]
    # mypy --strict over the whole sample took 3.5 minutes on an idle core (12 under load): CI
    # types those, DynamoDB's recursive AttributeValue and an operation named like another's
    # output validator (kinesisanalytics); the whole sample is opt-in
    typed = paths if SLOW else sorted({*small, *of("dynamodb", "kinesisanalytics")})
    mypy = _run(
        [python, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.10", *typed],
        tmp_path,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]


def _module(folder: Path, name: str) -> ModuleType:
    key = f"_whole_{folder.name.replace('-', '_')}_{name}"
    if key in sys.modules:
        return sys.modules[key]
    return import_generated(key, folder, name)


def _botocore_errors(service: str, operation: str, params: dict[str, Any]) -> str:
    model = BotocoreServiceModel(release("installed").load_model(service), service)
    shape = input_shape(model.operation_model(operation))
    report = ParamValidator().validate(params, shape)
    return report.generate_report() if report.has_errors() else ""


CONVERSE = {
    "modelId": "m",
    "messages": [{"role": "user", "content": [{"text": "hi"}]}],
    "additionalModelRequestFields": {"top_k": 5, "nested": {"any": ["keys", 1, None, True]}},
}


def test_documents_hold_any_json_value(sample: dict[str, Path]) -> None:
    if "bedrock-runtime" not in sample:
        pytest.skip("bedrock-runtime is not in this botocore")
    validators = _module(sample["bedrock-runtime"], "validators")
    assert validators.validate("Converse", CONVERSE, strict=False) == []
    assert _botocore_errors("bedrock-runtime", "Converse", CONVERSE) == ""
    listed = {**CONVERSE, "additionalModelRequestFields": [1, {"a": [2.5, "x"]}, None]}
    assert validators.validate("Converse", listed, strict=False) == []
    assert _botocore_errors("bedrock-runtime", "Converse", listed) == ""
    bad = {**CONVERSE, "additionalModelRequestFields": {"a": [1, {2, 3}]}}
    issues = validators.validate("Converse", bad, strict=False)
    assert [(i.path, i.code) for i in issues] == [
        ("additionalModelRequestFields.a[1]", "invalid_type")
    ]
    assert (
        "invalid type for document" in _botocore_errors("bedrock-runtime", "Converse", bad).lower()
    )
    schema = json.loads(
        (sample["bedrock-runtime"] / "schemas" / "Converse.input.json").read_text()
    )
    import jsonschema

    jsonschema.validate(listed, schema)
    jsonschema.validate(CONVERSE, schema)
    shapes = _module(sample["bedrock-runtime"], "shapes")
    request = shapes.ConverseRequest.from_dict(listed)
    assert request.additional_model_request_fields == [1, {"a": [2.5, "x"]}, None]
    assert request.to_dict()["additionalModelRequestFields"] == [1, {"a": [2.5, "x"]}, None]
    with pytest.raises(shapes.ShapeError, match=r"additionalModelRequestFields\.a\[1\]"):
        shapes.ConverseRequest.from_dict(bad)


def test_unions_take_exactly_one_member(sample: dict[str, Path]) -> None:
    if "bedrock-runtime" not in sample:
        pytest.skip("bedrock-runtime is not in this botocore")
    validators = _module(sample["bedrock-runtime"], "validators")
    contents: list[list[dict[str, Any]]] = [
        [{"text": "a", "image": {"format": "png", "source": {"bytes": b"x"}}}],
        [{}],
    ]
    for content in contents:
        params = {**CONVERSE, "messages": [{"role": "user", "content": content}]}
        ours = [(i.path, i.code) for i in validators.validate("Converse", params, strict=False)]
        assert ours == [("messages[0].content[0]", "invalid_type")]
        assert "tagged union" in _botocore_errors("bedrock-runtime", "Converse", params)
        schema = json.loads(
            (sample["bedrock-runtime"] / "schemas" / "Converse.input.json").read_text()
        )
        import jsonschema

        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(params, schema)
        shapes = _module(sample["bedrock-runtime"], "shapes")
        with pytest.raises(shapes.ShapeError, match="tagged union"):
            shapes.ConverseRequest.from_dict(params)
    shapes = _module(sample["bedrock-runtime"], "shapes")
    assert shapes.ContentBlock(text="a").text == "a"
    with pytest.raises(shapes.ShapeError, match="not 0"):
        shapes.ContentBlock()
    with pytest.raises(shapes.ShapeError, match="not 2"):
        shapes.ContentBlock(
            text="a",
            document=shapes.DocumentBlock(name="d", source=shapes.DocumentSource(text="x")),
        )


def _parsed(service: str, operation: str, body: Any) -> dict[str, Any]:
    """A response as botocore's own parser returns it (real StreamingBody / EventStream)."""
    model = BotocoreServiceModel(release("installed").load_model(service), service)
    op = model.operation_model(operation)
    parser = parsers.create_parser(model.metadata["protocol"])
    response = {
        "body": body,
        "headers": {},
        "status_code": 200,
        "context": {"operation_name": operation},
    }
    parsed = parse_response(parser, response, op.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def test_streams_are_accepted_as_botocore_returns_them(sample: dict[str, Path]) -> None:
    s3 = sample["s3"]
    validators, shapes = _module(s3, "validators"), _module(s3, "shapes")
    body = StreamingBody(io.BytesIO(b"data"), 4)
    got = _parsed("s3", "GetObject", body)
    assert type(got["Body"]).__name__ == "StreamingBody"
    assert validators.validate_output("GetObject", got) == []
    assert shapes.GetObjectOutput.from_dict(got).body is got["Body"]
    selected = _parsed("s3", "SelectObjectContent", io.BytesIO(b""))
    assert type(selected["Payload"]).__name__ == "EventStream"
    assert validators.validate_output("SelectObjectContent", selected) == []
    result = shapes.SelectObjectContentOutput.from_dict(selected)
    assert result.payload is selected["Payload"]
    assert result.to_dict() == {"Payload": selected["Payload"]}
    # a plain dict for the event stream is still checked as the structure
    # (unknown members are accepted by default, reported with unknown_members=True)
    assert validators.validate_output("SelectObjectContent", {"Payload": {"Nope": 1}}) == []
    issues = validators.validate_output(
        "SelectObjectContent", {"Payload": {"Nope": 1}}, unknown_members=True
    )
    assert [i.code for i in issues] == ["unknown_parameter"]
    issues = validators.validate_output("SelectObjectContent", {"Payload": {"Records": 1}})
    assert [i.code for i in issues] == ["invalid_type"]
    with pytest.raises(shapes.ShapeError):
        shapes.GetObjectOutput.from_dict({"Body": 42})


def test_sdk_extras_are_merged_as_botocore_merges_them() -> None:
    r = release("installed")
    loader = Loader()
    with_extras = sorted(p.parts[-3] for p in r.data_dir.glob("*/*/service-2.sdk-extras.json"))
    assert "s3" in with_extras
    for service in with_extras:
        assert r.load_model(service) == loader.load_service_model(service, "service-2")
    assert r.load_model("s3")["shapes"]["Expires"]["type"] == "timestamp"
    for path in sorted(r.data_dir.glob("*/*/paginators-1.sdk-extras.json"))[:10]:
        service = path.parts[-3]
        expected = loader.load_service_model(service, "paginators-1")["pagination"]
        assert r.load_paginators(service) == expected


def test_import_writes_a_new_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "specs" / "sts.json"
    assert _cli(["import", str(path), "--from", "botocore:installed", "--service", "sts"]) == 0
    document = json.loads(path.read_text())
    raw = release("installed").load_model("sts")
    assert document["service"] == "sts"
    assert document["metadata"] == raw["metadata"]
    version = release("installed").version
    assert [(v["version"], v["botocore"]) for v in document["versions"]] == [(version, version)]
    assert set(document["operations"]) == set(raw["operations"])
    assert set(document["shapes"]) == set(raw["shapes"])
    out = capsys.readouterr().out
    assert "AssumeRole" in out
    # operations and shapes counted apart (before: "(N in all)" counted both as one)
    assert f": {len(raw['operations'])} operation(s) (" in out, out
    assert f"and {len(raw['shapes'])} shape(s)" in out, out
    # again: nothing new to import
    assert _cli(["import", str(path), "--from", "botocore:installed"]) == 0
    assert "nothing new" in capsys.readouterr().out


def _cli(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "no-such-service"], "has no service 'no-such-service'"),
        ([], "name the service (--service)"),
        (["--service", "sts", "--operation", "NoSuchOperation"], "NoSuchOperation"),
        # an operation of another service: the message names the service searched
        (["--service", "ec2", "--operation", "ListBuckets"], " ec2: no operation 'ListBuckets'"),
    ],
)
def test_import_refuses_clearly_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    path = tmp_path / "new.json"
    assert _cli(["import", str(path), "--from", "botocore:installed", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apigen: error: ") and message in err, err
    assert not path.exists()


def test_import_into_an_unwritable_place_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spec path that cannot be written (here under /proc) is one error naming it, exit 2,
    and nothing is left behind (before: an internal error, exit 70)."""
    for path in (Path("/proc/apigen-new.json"), Path("/proc/apigen-new/sqs.json")):
        assert _cli(["import", str(path), "--from", "botocore:installed", "--service", "sqs"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"apigen: error: {path.parent if 'new/' in str(path) else path}")
        assert "cannot" in err and "internal error" not in err, err
        assert not path.exists()


def test_import_names_a_repeated_operation_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sqs.json"
    args = ["--operation", "GetQueueUrl"] * 2
    assert (
        _cli(["import", str(path), "--from", "botocore:installed", "--service", "sqs", *args]) == 0
    )
    out = capsys.readouterr().out
    assert ": 1 operation(s) (GetQueueUrl) and " in out, out
    assert list(load_spec(path).model().operations) == ["GetQueueUrl"]


def test_import_warns_of_unenforced_patterns(tmp_path: Path) -> None:
    """A pattern with no portable form is kept verbatim, marked, and named in a warning."""
    warnings: list[str] = []
    path = tmp_path / "ssm.json"
    r = release("installed")
    import_operations(path, r, None, service="ssm", warn=warnings.append)
    document = json.loads(path.read_text())
    marked = {n: s["pattern"] for n, s in document["shapes"].items() if "patternEnforced" in s}
    raw = r.load_model("ssm")["shapes"]
    assert marked, "ssm has patterns with no portable form in this botocore"
    for name, pattern in marked.items():
        assert raw[name]["pattern"] == pattern
        assert any(name in w and repr(pattern) in w for w in warnings)
    assert len(warnings) == len(marked)


@pytest.mark.slow
def test_every_installed_service_imports_round_trips_and_generates(tmp_path: Path) -> None:
    failed = []
    for service in release("installed").services():
        try:
            path = import_and_check(service, tmp_path / "specs")
            generate([path], tmp_path / "out")
        except Exception as exc:  # noqa: BLE001 - collect them all
            failed.append(f"{service}: {type(exc).__name__}: {exc}"[:500])
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
    assert failed == []


def test_regeneration_is_incremental(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged input is neither formatted again (the format cache answers) nor rewritten;
    a spec that gains an operation rewrites only what that changes."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    r = release("installed")
    spec = tmp_path / "sts.json"
    import_operations(spec, r, ["GetCallerIdentity"], service="sts")
    out = tmp_path / "out"
    generate([spec], out)
    cached = sorted((tmp_path / "cache" / "format").rglob("*.py"))
    # validators.py, shapes.py and the protocol layer's modules (sts speaks query, now served)
    assert len(cached) >= 2
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    # Mark the cached formatting: if generation reads it back, it did not format again.
    for entry in cached:
        entry.write_text(entry.read_text() + "# from the format cache\n")
    fresh = tmp_path / "fresh"
    generate([spec], fresh)
    assert (fresh / "sts" / "validators.py").read_text().endswith("# from the format cache\n")
    for entry in cached:  # back to the true formatting
        entry.write_text(entry.read_text().removesuffix("# from the format cache\n"))
    report = generate([spec], out)[0].report
    assert report.written == [] and len(report.unchanged) == len(before)
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in before} == before
    # One more operation: the modules, its schemas, the export and the manifest change; the
    # schemas of the operation already there do not.
    import_operations(spec, r, ["GetSessionToken"])
    report = generate([spec], out)[0].report
    written = {p.relative_to(out / "sts").as_posix() for p in report.written}
    assert "schemas/GetCallerIdentity.input.json" not in written
    assert {"validators.py", "shapes.py", "schemas/GetSessionToken.input.json"} <= written


def _small_release(cache: Path, broken: str) -> None:
    """A cache holding botocore 1.14.10 with three services, one of them (``broken``) naming
    a shape its model lacks; the manifest's digests match the files (nothing else is wrong)."""
    import hashlib

    source = release("1.14.10").data_dir
    target = cache / "botocore" / "1.14.10"
    manifest: dict[str, Any] = {"version": "1.14.10", "build_date": "2020-02-04", "services": {}}
    for service in ("sts", "kinesis", broken):
        shutil.copytree(source / service, target / "data" / service)
        (api_version,) = [p.name for p in (target / "data" / service).iterdir()]
        model_path = target / "data" / service / api_version / "service-2.json"
        if service == broken:
            model = json.loads(model_path.read_text())
            model["shapes"]["DescribeVaultInput"]["members"]["vaultName"]["shape"] = "Nowhere"
            model_path.write_text(json.dumps(model))
        paginators = model_path.with_name("paginators-1.json")
        manifest["services"][service] = {
            "api_version": api_version,
            "sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(),
            "paginators_sha256": hashlib.sha256(paginators.read_bytes()).hexdigest()
            if paginators.exists()
            else None,
        }
    (target / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.network
def test_all_services_names_a_failing_service_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_release(tmp_path / "cache", broken="glacier")
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    code = _cli(
        ["generate", "--all-services", "botocore:1.14.10", "--output", str(out), "--jobs", "2"]
    )
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "2 of 3 services" in captured.out
    lines = captured.err.splitlines()
    # one failure (further lines of its error are indented deeper), the model check's findings
    failures = [i for i, line in enumerate(lines) if line.startswith("  ") and line[2] != " "]
    assert len(failures) == 1
    block = "\n".join(lines[failures[0] :])
    assert lines[failures[0]].startswith("  glacier: ")
    assert "DescribeVaultInput" in block and "Nowhere" in block, block
    for service in ("sts", "kinesis"):
        assert (out / service / "validators.py").is_file()
        header = (out / service / "validators.py").read_text().splitlines()[1]
        assert header == f"# Spec: botocore 1.14.10/{service} (service {service}), version 1.14.10"
    assert not (out / "glacier").exists()
    # again: nothing to rewrite for the services that work
    code = _cli(["generate", "--all-services", "botocore:1.14.10", "--output", str(out)])
    assert code == 1
    assert "(0 written)" in capsys.readouterr().out


@pytest.mark.network
def test_all_services_stops_soon_on_ctrl_c(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops the run: the
    services not yet started are not generated, no worker is left behind, exit 130 with one
    line saying how far it got (before: every queued service was still generated)."""
    import os
    import signal
    import time

    release("1.14.10")  # cached before the run is timed by anything
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-c",
        "from codegen.cli import main; main()",
        "generate",
        "--all-services",
        "botocore:1.14.10",
        "--output",
        str(out),
        "--jobs",
        "2",
    ]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    try:
        while not (out.is_dir() and any(out.iterdir())) and proc.poll() is None:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    total = len(release("1.14.10").services())
    done = [p for p in out.iterdir() if (p / "MANIFEST.json").is_file()]
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert len(done) < total // 4, f"{len(done)} of {total} services generated after Ctrl-C"
    assert err.strip().splitlines()[-1].startswith("apigen: interrupted: "), err
    assert f"of {total} services" in err
    assert not list(out.rglob("*.apigen-tmp"))


def test_all_services_takes_no_specs(capsys: pytest.CaptureFixture[str]) -> None:
    code = _cli(["generate", "x.json", "--all-services", "botocore:installed"])
    assert code == 2
    assert "--all-services takes no SPECS" in capsys.readouterr().err


def test_all_services_names_its_option_in_a_bad_value(capsys: pytest.CaptureFixture[str]) -> None:
    code = _cli(["generate", "--all-services", "1.14.10"])
    assert code == 2
    assert "apigen: error: --all-services '1.14.10': expected botocore:VERSION" in (
        capsys.readouterr().err
    )


OPERATIONS_1_14_10 = ["CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs", "DescribeVpcs"]


@pytest.mark.network
def test_imported_and_hand_written_specs_combine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An import of ec2 at 1.14.10 and the hand-written flow-logs spec give one set of
    artifacts: the import's other operations, and the flow-log operations with every rule."""
    from tests.support.paths import SPEC

    imported = tmp_path / "ec2.json"
    import_operations(imported, release("1.14.10"), OPERATIONS_1_14_10, service="ec2")
    out = tmp_path / "out"
    (result,) = generate([imported, SPEC], out)
    assert result.folder == out / "ec2"
    assert set(result.model.operations) == set(OPERATIONS_1_14_10)
    assert result.model.shapes["CreateFlowLogsRequest"].rules  # the hand-written shape
    validators = _module(result.folder, "validators")
    params = {
        "ResourceIds": ["vpc-1"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "s3",
        "LogGroupName": "x",
    }
    codes = {i.code for i in validators.validate("CreateFlowLogs", params)}
    assert "forbidden_combination" in codes
    assert validators.validate("DescribeVpcs", {"VpcIds": ["vpc-1"]}) == []
    header = (result.folder / "validators.py").read_text().splitlines()[1]
    assert str(imported) in header and "flow-logs.json" in header


@pytest.mark.network
def test_combined_specs_do_not_depend_on_their_order(tmp_path: Path) -> None:
    """The same two specs named in either order give the same files byte for byte, and the
    hand-written spec's versions keep their reports (before: naming the import first dropped
    reports/ and labelled everything with the import's version)."""
    from tests.support.paths import SPEC

    imported = tmp_path / "ec2.json"
    import_operations(imported, release("1.14.10"), OPERATIONS_1_14_10, service="ec2")
    (first,) = generate([imported, SPEC], tmp_path / "a")
    (second,) = generate([SPEC, imported], tmp_path / "b")

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(first.folder) == files(second.folder)
    assert (first.folder / "reports" / "2020-02-04.txt").is_file()
    assert first.model.version is not None and first.model.version.version == "2020-02-04"


def test_combined_specs_that_disagree_name_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.paths import SPEC

    imported = tmp_path / "ec2.json"
    import_operations(imported, release("installed"), ["DescribeFlowLogs"], service="ec2")
    code = _cli(["generate", str(imported), str(SPEC), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("apigen: error: ") and str(imported) in err and "flow-logs.json" in err
    assert "shape FlowLog differs" in err
    assert not (tmp_path / "out").exists()


def test_formatter_settings_are_the_pyprojects() -> None:
    """Generated code is formatted with the pinned ruff and the settings pyproject.toml states."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    from codegen.generators.base import RUFF_FORMAT_ARGS, _ruff_version
    from tests.support.paths import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ruff = project["tool"]["ruff"]
    args = list(RUFF_FORMAT_ARGS)
    assert args[args.index("--line-length") + 1] == str(ruff["line-length"])
    assert args[args.index("--target-version") + 1] == ruff["target-version"]
    assert ruff["format"]["quote-style"] == "double" and ruff["format"]["line-ending"] == "lf"
    pins = [d for d in project["project"]["dependencies"] if d.startswith("ruff==")]
    assert pins and _ruff_version() == "ruff " + pins[0].removeprefix("ruff==")
