"""Large services: validators and dataclasses split into packages whose modules load lazily.

Whole EC2 (imported from the installed botocore; generated once per session) in both layouts:
the package a service of more than 64 operations gets, and the single module it would
otherwise get (``layout="single"``), which the tests compare it with.

* importing the package and validating one ``CreateFlowLogs`` request (or building one
  dataclass) loads a small fraction of its modules (``sys.modules`` in a fresh interpreter);
* the package gives the same issues as the single module for every operation, and for one
  request the issues botocore and a hand-written list give;
* every class and validator is reachable by name, ``dir()`` lists them, an unknown name is an
  ``AttributeError``; ``from_dict``/``to_dict`` round trips across modules;
* ``mypy --strict`` sees real types through the lazy ``__getattr__`` (a user program passes,
  one with type errors fails where expected), in the packages of a part of EC2 just past the
  threshold;
* ``apigen generate`` switches a service between layouts through its MANIFEST;
* the layout's parts both generators use (the option, each module's imports), on small
  examples.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore.model
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.generators.base import (
    GenerationContext,
    GeneratorError,
    format_python,
    format_python_files,
)
from codegen.generators.dataclasses_gen import DataclassesGenerator
from codegen.generators.split import (
    SPLIT_THRESHOLD,
    Definition,
    SplitLayout,
    bucket_count,
    bucket_of,
    package_modules,
    stdlib_imports,
)
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec
from codegen.model import ServiceModel
from codegen.pipeline import generate, import_operations
from tests.support import helpers
from tests.support.differential import botocore_issues, disagreements
from tests.support.helpers import input_shape, release
from tests.support.imports import import_generated
from tests.support.paths import GENERATED as COMMITTED
from tests.support.shapes import values

# written by hand from botocore's EC2 model: TrafficType is an enum (ACCEPT, ALL, REJECT),
# MaxAggregationInterval an integer, LogDestinationType an enum; ResourceIds, ResourceType and
# TrafficType are required; Nope is no member
REQUEST = {
    "ResourceIds": ["vpc-1"],
    "ResourceType": "VPC",
    "TrafficType": "SOMETIMES",
    "MaxAggregationInterval": "600",
    "LogDestinationType": "s3",
    "Nope": 1,
}
EXPECTED_STRICT = [
    ("TrafficType", "invalid_enum"),
    ("MaxAggregationInterval", "invalid_type"),
    ("Nope", "unknown_parameter"),
]


def write_validators_and_shapes(context: GenerationContext, layout: str, folder: Path) -> None:
    """The service's validators and dataclasses in ``layout`` ("auto": packages past the
    threshold; "single": one module each), written under ``folder``."""
    for generator in (ValidatorsGenerator(layout), DataclassesGenerator(layout)):
        for rel, text in generator.generate(context).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")


class Ec2:
    """Whole EC2, generated in both layouts: ``root/split`` and ``root/single``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        path = root / "ec2.json"
        import_operations(path, release("installed"), None, service="ec2")
        spec = load_spec(path)
        self.model: ServiceModel = spec.model()
        context = GenerationContext(self.model, spec)
        for layout, folder in (("auto", root / "split"), ("single", root / "single")):
            write_validators_and_shapes(context, layout, folder)

    def modules(self, stem: str) -> list[Path]:
        return sorted((self.root / "split" / stem).glob("*.py"))


@pytest.fixture(scope="session")
def ec2(tmp_path_factory: pytest.TempPathFactory) -> Ec2:
    return Ec2(tmp_path_factory.mktemp("lazysplit"))


def _loaded(ec2: Ec2, name: str, stem: str) -> ModuleType:
    key = f"_lazysplit_{name}_{stem}"
    return sys.modules.get(key) or import_generated(key, ec2.root / name, stem)


@pytest.fixture(scope="session")
def split_validators(ec2: Ec2) -> ModuleType:
    return _loaded(ec2, "split", "validators")


@pytest.fixture(scope="session")
def single_validators(ec2: Ec2) -> ModuleType:
    return _loaded(ec2, "single", "validators")


@pytest.fixture(scope="session")
def split_shapes(ec2: Ec2) -> ModuleType:
    return _loaded(ec2, "split", "shapes")


@pytest.fixture(scope="session")
def single_shapes(ec2: Ec2) -> ModuleType:
    return _loaded(ec2, "single", "shapes")


def test_whole_ec2_is_split_and_small_services_are_not(ec2: Ec2) -> None:
    assert len(ec2.model.operations) > SPLIT_THRESHOLD
    split = ec2.root / "split"
    assert not (split / "validators.py").exists() and not (split / "shapes.py").exists()
    count = bucket_count(len(ec2.model.operations))
    assert count == 64  # 830-odd operations, about 16 per bucket
    buckets = {p.stem for p in ec2.modules("validators") if p.stem.startswith("_ops_")}
    assert buckets == {f"_ops_{n:02d}" for n in range(count)}
    # the bucket of an operation is a stable hash of its name (zlib.crc32, not hash())
    assert bucket_of("CreateFlowLogs", 64) == 30  # binascii.crc32(b"CreateFlowLogs") = 0x9e7b0b1e
    text = (split / "validators" / f"_ops_{bucket_of('CreateFlowLogs', 64):02d}.py").read_text()
    assert "def validate_create_flow_logs(" in text
    assert (ec2.root / "single" / "validators.py").is_file()
    committed = COMMITTED
    assert (committed / "validators.py").is_file() and not (committed / "validators").exists()


def _fresh(ec2: Ec2, script: str) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter beside the split packages; its JSON output."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ec2.root / "split")}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ec2.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_validating_one_request_loads_a_small_part_of_the_package(ec2: Ec2) -> None:
    got = _fresh(
        ec2,
        f"""
        import json, sys
        import validators
        before = sorted(m for m in sys.modules if m.split(".")[0] == "validators")
        issues = validators.validate("CreateFlowLogs", {REQUEST!r})
        after = sorted(m for m in sys.modules if m.split(".")[0] == "validators")
        print(json.dumps({{"before": before, "after": after,
                           "issues": [(i.path, i.code) for i in issues]}}))
        """,
    )
    assert got["before"] == ["validators", "validators._runtime"]
    assert [tuple(i) for i in got["issues"]] == EXPECTED_STRICT
    modules = ec2.modules("validators")
    loaded = {m.split(".", 1)[1] for m in got["after"] if "." in m}
    assert f"_ops_{bucket_of('CreateFlowLogs', 64):02d}" in loaded
    assert len(loaded) <= len(modules) // 10, (len(loaded), len(modules))
    size = sum(p.stat().st_size for p in modules)
    used = sum(p.stat().st_size for p in modules if p.stem in loaded | {"__init__"})
    assert used <= size // 10, (used, size)


def test_building_one_dataclass_loads_a_small_part_of_the_package(ec2: Ec2) -> None:
    got = _fresh(
        ec2,
        """
        import json, sys
        import shapes
        before = sorted(m for m in sys.modules if m.split(".")[0] == "shapes")
        from shapes import CreateFlowLogsRequest
        request = CreateFlowLogsRequest.from_dict(
            {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL",
             "TagSpecifications": [{"ResourceType": "vpc-flow-log",
                                    "Tags": [{"Key": "team", "Value": "net"}]}]})
        after = sorted(m for m in sys.modules if m.split(".")[0] == "shapes")
        print(json.dumps({"before": before, "after": after, "dict": request.to_dict(),
                          "tag": type(request.tag_specifications[0].tags[0]).__module__}))
        """,
    )
    assert got["before"] == ["shapes", "shapes._runtime"]
    assert got["dict"]["TagSpecifications"] == [
        {"ResourceType": "vpc-flow-log", "Tags": [{"Key": "team", "Value": "net"}]}
    ]
    assert got["tag"].startswith("shapes._shared_")  # Tag is used everywhere: shared
    modules = ec2.modules("shapes")
    loaded = {m.split(".", 1)[1] for m in got["after"] if "." in m}
    assert len(loaded) <= len(modules) // 8, (len(loaded), len(modules))
    size = sum(p.stat().st_size for p in modules)
    used = sum(p.stat().st_size for p in modules if p.stem in loaded | {"__init__"})
    assert used <= size // 10, (used, size)


def test_the_package_gives_the_issues_botocore_and_the_single_module_give(
    split_validators: ModuleType, single_validators: ModuleType
) -> None:
    ours = split_validators.validate("CreateFlowLogs", REQUEST, strict=False)
    shape = botocore.model.ServiceModel(release("installed").load_model("ec2"), "ec2")
    theirs = botocore_issues(REQUEST, input_shape(shape.operation_model("CreateFlowLogs")))
    assert disagreements(ours, theirs) == []
    assert [(i.path, i.code) for i in ours] == [
        ("MaxAggregationInterval", "invalid_type"),
        ("Nope", "unknown_parameter"),
    ]
    single = single_validators.validate("CreateFlowLogs", REQUEST, strict=False)
    assert _issues(ours) == _issues(single)


def _issues(issues: list[Any]) -> list[tuple[str, str, str, str | None]]:
    return [(i.path, i.code, i.message, i.rule) for i in issues]


BAD_INPUTS: list[Any] = [
    {},
    {"Nope": 1},
    [],
    {"DryRun": "no", "MaxResults": -5, "Filters": [{"Name": 3, "Values": "x"}], "Nope": None},
]


def test_every_operation_validates_as_in_the_single_module(
    split_validators: ModuleType, single_validators: ModuleType
) -> None:
    assert split_validators.OPERATIONS == single_validators.OPERATIONS
    assert len(split_validators.OPERATIONS) == len(set(split_validators.OPERATIONS)) > 800
    for op in single_validators.OPERATIONS:
        for params in BAD_INPUTS:
            for strict in (True, False):
                for fail_fast in (True, False):
                    options = {"strict": strict, "fail_fast": fail_fast}
                    assert _issues(split_validators.validate(op, params, **options)) == _issues(
                        single_validators.validate(op, params, **options)
                    ), op
            assert _issues(
                split_validators.validate_output(op, params, unknown_members=True)
            ) == _issues(single_validators.validate_output(op, params, unknown_members=True)), op
    with pytest.raises(split_validators.ParamValidationError) as info:
        split_validators.check("CreateFlowLogs", REQUEST)
    assert [(i.path, i.code) for i in info.value.issues] == EXPECTED_STRICT
    # named after the package, as the single module's are: a pickle finds them there
    assert split_validators.ParamValidationError.__module__ == split_validators.__name__
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is split_validators.ParamValidationError
    assert _issues(list(again.issues)) == _issues(list(info.value.issues))
    with pytest.raises(ValueError, match="unknown operation 'CreateFlowLog' .*CreateFlowLogs"):
        split_validators.validate("CreateFlowLog", {})
    with pytest.raises(ValueError, match="unknown operation"):
        split_validators.validate_output(["not", "hashable"], {})


def test_every_name_is_reachable_listed_and_unknown_names_are_errors(
    split_validators: ModuleType,
    single_validators: ModuleType,
    split_shapes: ModuleType,
    single_shapes: ModuleType,
) -> None:
    for split, single in ((split_validators, single_validators), (split_shapes, single_shapes)):
        assert split.__all__ == single.__all__
        assert set(split.__all__) <= set(dir(split))
        for name in single.__all__:
            value, expected = getattr(split, name), getattr(single, name)
            assert type(value) is type(expected), name
            if isinstance(expected, type):
                assert value.__name__ == expected.__name__
                assert getattr(value, "SHAPE", None) == getattr(expected, "SHAPE", None)
            elif callable(expected):
                assert value.__name__ == expected.__name__
            else:
                assert value == expected, name
        with pytest.raises(AttributeError, match="has no attribute 'NoSuchThing'"):
            split.NoSuchThing  # noqa: B018
    for name in ("StrEnum", "Readable", "EventStream"):  # public, not in __all__
        if hasattr(single_shapes, name):
            assert getattr(split_shapes, name).__name__ == getattr(single_shapes, name).__name__
    assert split_validators.validate_create_flow_logs is split_validators.validate_create_flow_logs
    assert split_validators.SERVICE == "ec2" and split_validators.ISSUE_CODES


def _cross_module_classes(ec2: Ec2, shapes: ModuleType) -> list[str]:
    """Structures of a bucket module holding a structure of another module (sorted by name)."""
    found: list[str] = []
    for name, shape in sorted(ec2.model.shapes.items()):
        if shape.type != "structure" or shape.traits.get("document"):
            continue
        cls = getattr(shapes, name, None)
        if cls is None or not cls.__module__.split(".")[-1].startswith("_ops_"):
            continue
        for member in shape.members.values():
            target = getattr(shapes, member.shape, None)
            if isinstance(target, type) and target.__module__ != cls.__module__:
                found.append(name)
                break
    return found


def test_from_dict_and_to_dict_round_trip_across_modules(
    ec2: Ec2, split_shapes: ModuleType, single_shapes: ModuleType
) -> None:
    names = _cross_module_classes(ec2, split_shapes)
    assert len(names) > 100
    sample = names[:: len(names) // 25]

    @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def round_trip(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sample), label="class")
        document = data.draw(values(ec2.model, split_shapes, name, as_dict=True), label="dict")
        loaded = getattr(split_shapes, name).from_dict(document)
        assert loaded.to_dict() == document
        assert loaded.to_dict() == getattr(single_shapes, name).from_dict(document).to_dict()
        instance = data.draw(values(ec2.model, split_shapes, name, as_dict=False), label="obj")
        assert type(instance).from_dict(instance.to_dict()) == instance

    round_trip()


MYPY_OK = """\
from shapes import CreateFlowLogsRequest, FlowLogsResourceType, ShapeError, Tag
from validators import ValidationIssue, check, validate, validate_create_flow_logs

request = CreateFlowLogsRequest(
    resource_ids=("vpc-1",), resource_type=FlowLogsResourceType.VPC, traffic_type="ALL"
)
issues: list[ValidationIssue] = validate_create_flow_logs(request.to_dict(), strict=False)
more: list[ValidationIssue] = validate("CreateFlowLogs", request.to_dict())
check("CreateFlowLogs", request.to_dict())
tag: Tag = Tag(key="k", value="v")
error: type[ValueError] = ShapeError
"""
MYPY_BAD = """\
from shapes import CreateFlowLogsRequest, Tag
from validators import validate_create_flow_logs

request = CreateFlowLogsRequest(resource_ids=3, resource_type="VPC", traffic_type="ALL")
issues: int = validate_create_flow_logs({}, strict="yes")
tag: Tag = Tag(key=1)
"""


def test_mypy_strict_sees_real_types_through_the_lazy_packages(tmp_path: Path) -> None:
    # a part of EC2 just past the threshold: the same packages as whole EC2's (mypy reads every
    # module the lazy ``__init__`` names, which for all of EC2 took 45 s of CI)
    r = release("installed")
    flow_logs = ["CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs"]
    others = [name for name in sorted(r.load_model("ec2")["operations"]) if name not in flow_logs]
    spec_path = tmp_path / "ec2.json"
    import_operations(spec_path, r, flow_logs + others[:SPLIT_THRESHOLD], service="ec2")
    spec = load_spec(spec_path)
    folder = tmp_path / "split"
    write_validators_and_shapes(GenerationContext(spec.model(), spec), "auto", folder)
    assert (folder / "shapes" / "__init__.py").is_file()
    assert (folder / "validators" / "__init__.py").is_file()
    (folder / "user_ok.py").write_text(MYPY_OK)
    (folder / "user_bad.py").write_text(MYPY_BAD)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            "user_ok.py",
            "user_bad.py",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not [line for line in lines if not line.startswith("user_bad.py:")], result.stdout
    wrong = {int(line.split(":")[1]) for line in lines}
    assert wrong == {4, 5, 6}, result.stdout
    assert 'Argument "resource_ids" to "CreateFlowLogsRequest"' in result.stdout
    assert '"strict" to "validate_create_flow_logs" has incompatible type "str"' in result.stdout
    assert 'Argument "key" to "Tag" has incompatible type "int"' in result.stdout


def test_generate_switches_layouts_through_the_manifest(tmp_path: Path) -> None:
    """A spec that grows past 64 operations gets packages (its old modules are removed because
    the MANIFEST lists them); one that shrinks gets the modules back."""
    spec = tmp_path / "rs.json"
    few = ["ListWorkgroups", "GetWorkgroup", "CreateWorkgroup"]
    r = release("installed")
    if "redshift-serverless" not in r.services():
        pytest.skip("redshift-serverless is not in this botocore")
    import_operations(spec, r, few, service="redshift-serverless")
    out = tmp_path / "out"
    (result,) = generate([spec], out)
    folder = result.folder
    assert (folder / "validators.py").is_file() and (folder / "shapes.py").is_file()
    (folder / "notes.txt").write_text("mine")  # not apigen's: left alone throughout
    small = spec.read_text()
    import_operations(spec, r, None, service="redshift-serverless")
    assert len(load_spec(spec).model().operations) > SPLIT_THRESHOLD
    generate([spec], out)
    assert not (folder / "validators.py").exists() and not (folder / "shapes.py").exists()
    assert (folder / "validators" / "__init__.py").is_file()
    assert (folder / "shapes" / "__init__.py").is_file()
    manifest = json.loads((folder / "MANIFEST.json").read_text())["files"]
    assert "validators/__init__.py" in manifest and "validators.py" not in manifest
    validators = import_generated("_lazysplit_rs_validators", folder, "validators")
    issues = validators.validate("GetWorkgroup", {})
    assert [(i.path, i.code) for i in issues] == [("workgroupName", "missing_required")]
    # back: the packages' files are removed, the modules written again
    spec.write_text(small)
    generate([spec], out)
    assert (folder / "validators.py").is_file() and (folder / "shapes.py").is_file()
    assert not (folder / "validators").exists() and not (folder / "shapes").exists()
    assert (folder / "notes.txt").read_text() == "mine"


def test_a_forced_split_of_the_flow_logs_spec_keeps_every_documented_rule(
    tmp_path: Path,
) -> None:
    """Whole EC2 from botocore has no documented rules; the hand-written spec has formats,
    filters and rules between members: split (``layout="split"``), they check the same."""
    spec = helpers.spec()
    context = GenerationContext(spec.model(), spec)
    files = {
        **ValidatorsGenerator("split").generate(context),
        **DataclassesGenerator("split").generate(context),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    split = import_generated("_lazysplit_flow_logs_validators", tmp_path, "validators")
    single = import_generated("_lazysplit_flow_logs_single", COMMITTED, "validators")
    params = {  # the README's example
        "ResourceIds": ["vpc-1"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "s3",
        "LogGroupName": "x",
        "LogDestination": "arn:aws:s3:::my-bucket/AWSLogs/",
        "MaxAggregationInterval": 300,
    }
    issues = split.validate("CreateFlowLogs", params)
    assert [(i.path, i.code, i.rule) for i in issues] == [
        ("MaxAggregationInterval", "not_allowed_value", "allowed_values"),
        ("LogGroupName", "forbidden_combination", "s3-forbids-cloudwatch-members"),
        ("LogDestination", "invalid_format", "s3-destination-is-bucket-arn"),
    ]
    assert _issues(issues) == _issues(single.validate("CreateFlowLogs", params))
    filters = {"Filter": [{"Name": "resource-idd", "Values": ["x"]}]}
    found = split.validate("DescribeFlowLogs", filters)
    assert [(i.path, i.code) for i in found] == [("Filter[0].Name", "invalid_filter")]
    assert _issues(found) == _issues(single.validate("DescribeFlowLogs", filters))
    fmt = {
        **params,
        "LogDestinationType": "cloud-watch-logs",
        "LogFormat": "${version} ${nope}",
        "LogDestination": "arn:aws:logs:us-east-1:123456789012:log-group:x",
    }
    fmt.pop("LogGroupName")
    assert _issues(split.validate("CreateFlowLogs", fmt)) == _issues(
        single.validate("CreateFlowLogs", fmt)
    )
    assert any(i.rule and "format" in i.rule for i in split.validate("CreateFlowLogs", fmt))
    python = [sys.executable, "-m"]
    ruff = subprocess.run(
        [
            *python,
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py310",
            "validators",
            "shapes",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    mypy = subprocess.run(
        [
            *python,
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            "-p",
            "validators",
            "-p",
            "shapes",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]


def test_formatting_a_package_at_once_equals_formatting_each_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package's modules are formatted by one ruff run (in the format cache), as the
    single-module path formats one text: the same bytes, cached, and an error names it."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path / "cache"))
    texts = {
        "a.py": "x=1\n",
        "b.py": "def f( a ):\n  return a\n",
        "c.py": '"""Doc."""\nimport os\nprint(os.sep,)\n',
    }
    expected = {
        "a.py": "x = 1\n",
        "b.py": "def f(a):\n    return a\n",
        "c.py": '"""Doc."""\n\nimport os\n\nprint(\n    os.sep,\n)\n',
    }
    assert format_python_files(texts) == expected
    assert {rel: format_python(text) for rel, text in texts.items()} == expected
    cache = tmp_path / "cache" / "format"
    assert len(list(cache.rglob("*.py"))) == 3  # no temporary file left beside them
    broken = {"a.py": "x=1\n", "b.py": "def (:\n"}
    with pytest.raises(GeneratorError, match="validators: generated invalid Python"):
        format_python_files(broken, "validators")
    assert len(list(cache.rglob("*.py"))) == 3


def test_a_new_operation_changes_few_modules(ec2: Ec2) -> None:
    """Operations are bucketed by a hash of their name: whole EC2 without one operation
    differs from whole EC2 in few modules (headers included: a module inside the package does
    not name the spec's version or sha256, its __init__ does), so the format cache formats
    only those again and regeneration rewrites only those."""
    spec = load_spec(ec2.root / "ec2.json")
    without = dataclasses.replace(
        ec2.model,
        operations={k: v for k, v in ec2.model.operations.items() if k != "CreateFlowLogs"},
    )
    files = ValidatorsGenerator().generate(GenerationContext(without, spec))
    before = {
        f"validators/{p.name}": p.read_text(encoding="utf-8") for p in ec2.modules("validators")
    }

    # changed, new (a set of buckets now shares a check) or gone
    changed = sorted(rel for rel in set(files) | set(before) if files.get(rel) != before.get(rel))
    bucket = f"validators/_ops_{bucket_of('CreateFlowLogs', 64):02d}.py"
    assert bucket in changed and "validators/__init__.py" in changed
    assert len(changed) <= 20, changed
    assert len(before) > 600


# -- the layout both generators use, on small examples ---------------------------------------

_STDLIB = (
    ("re", frozenset[str]()),
    ("datetime", frozenset({"datetime", "timezone"})),
    ("typing", frozenset({"Final"})),
)


def test_the_layout_option() -> None:
    assert [SplitLayout().split(n) for n in (64, 65)] == [False, True]
    assert not SplitLayout("single").split(1000) and SplitLayout("split").split(1)
    with pytest.raises(ValueError, match="layout must be one of auto, single, split"):
        SplitLayout("package")


def test_stdlib_imports_name_what_is_used_in_the_tables_order() -> None:
    assert stdlib_imports({"re", "timezone", "datetime", "x"}, _STDLIB) == [
        "import re",
        "from datetime import datetime, timezone",
    ]
    # a module imported whole is imported only when its own name is used
    assert stdlib_imports({"Final"}, _STDLIB) == ["from typing import Final"]
    assert stdlib_imports(set(), _STDLIB) == []


def _definition(name: str, *uses: str) -> Definition:
    return Definition(name, f"def {name}(): ...", frozenset({name, *uses}))


def test_each_module_imports_what_its_definitions_use() -> None:
    # two operations in different buckets, both using a shared helper that uses the runtime
    first, second = "OpOne", "OpTwo"
    count = 8
    assert bucket_of(first, count) != bucket_of(second, count)
    definitions = {
        "one": _definition("one", "shared", "re"),
        "two": _definition("two", "shared", "Final"),
        "shared": _definition("shared", "_runtime_helper", "datetime"),
    }
    parts, modules = package_modules(
        definitions, [(first, ["one"]), (second, ["two"])], 2, {"_runtime_helper"}, _STDLIB
    )
    assert parts.buckets == count
    by_name = {module.name: module for module in modules}
    assert [m.name for m in modules] == sorted(by_name)
    shared = by_name[parts.home["shared"]]
    assert not shared.bucket and shared.members == ["shared"]
    assert shared.imports == (
        "from datetime import datetime\n\nfrom ._runtime import (_runtime_helper,)"
    )
    one = by_name[parts.home["one"]]
    assert one.bucket and one.members == ["one"]
    assert one.imports == f"import re\n\nfrom .{shared.name} import (shared,)"
    two = by_name[parts.home["two"]]
    assert two.imports == f"from typing import Final\n\nfrom .{shared.name} import (shared,)"
