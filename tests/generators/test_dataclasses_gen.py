"""The dataclasses generator: names, docstrings, determinism, and the generated file as code.

The generated module must pass ``mypy --strict`` and ``ruff check``, run on the standard
library alone (``python -I -S`` from an empty folder, on every Python >= 3.10 found here) and
come out byte for byte the same on every run. A synthetic model exercises what the flow-logs
spec lacks: maps, blobs, numbers, nested lists, recursion and names that need care.
"""

from __future__ import annotations

import ast
import dataclasses
import glob
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from codegen.generators import GENERATORS
from codegen.generators.base import GenerationContext
from codegen.generators.dataclasses_gen import (
    DataclassesGenerator,
    class_names,
    docstring_literal,
    enum_member_name,
    field_name,
    field_names,
    snake_identifier,
)
from codegen.loader import load_spec
from codegen.model import Member, Metadata, Operation, ServiceModel, Shape
from codegen.spec import Spec
from tests.support.imports import import_file
from tests.support.paths import ROOT, SPEC

COMMITTED = ROOT / "generated" / "ec2" / "shapes.py"


@lru_cache(maxsize=1)
def flow_logs_source() -> str:
    spec = load_spec(SPEC)
    return DataclassesGenerator().generate(GenerationContext(spec.model(), spec))["shapes.py"]


# -- a synthetic model: what the flow-logs spec does not have ----------------------------------

TRICKY_DOC = 'Says """hi""" with a back\\slash, a ${field-id} and a "quote"'


def _m(name: str, shape: str, **kwargs: Any) -> Member:
    return Member(name=name, shape=shape, documentation=f"The {name}.", **kwargs)


def synthetic_model() -> ServiceModel:
    shapes = [
        Shape("String", "string"),
        Shape("Integer", "integer"),
        Shape("Long", "long"),
        Shape("Double", "double"),
        Shape("Boolean", "boolean"),
        Shape("Blob", "blob"),
        Shape("Timestamp", "timestamp"),
        Shape("Kind", "string", enum=("alpha", "beta-two", "BetaTwo", "3rd", "class")),
        Shape("KindList", "list", member=Member("member", "Kind")),
        Shape("IntegerList", "list", member=Member("member", "Integer")),
        Shape("Matrix", "list", member=Member("member", "IntegerList")),
        Shape("TimestampList", "list", member=Member("member", "Timestamp")),
        Shape("TagMap", "map", key=Member("key", "String"), value=Member("value", "String")),
        Shape(
            "KindTimes", "map", key=Member("key", "Kind"), value=Member("value", "TimestampList")
        ),
        Shape("NodeList", "list", member=Member("member", "Node")),
        Shape(
            "Node",
            "structure",
            documentation=TRICKY_DOC,
            required=("Id",),
            members={
                m.name: m
                for m in (
                    _m("Id", "String"),
                    _m("Count", "Long", location_name="count"),
                    _m("Ratio", "Double"),
                    _m("Payload", "Blob"),
                    _m("Enabled", "Boolean"),
                    _m("Tags", "TagMap"),
                    _m("Matrix", "Matrix"),
                    _m("Times", "TimestampList"),
                    _m("Kind", "Kind"),
                    _m("Kinds", "KindList"),
                    _m("ByKind", "KindTimes"),
                    _m("Children", "NodeList"),
                    _m("Extra", "String"),
                    _m("Class", "String"),
                    _m("Str", "String"),
                    _m("Datetime", "Timestamp"),
                    _m("BOOL", "Boolean"),
                    _m("ARNs", "String"),
                    _m("IPv6Address", "String"),
                )
            },
        ),
        Shape("Mapping", "structure", members={"Root": _m("Root", "Node")}),
        Shape("Empty", "structure"),
    ]
    return ServiceModel(
        name="synthetic",
        metadata=Metadata("2024-01-01", "json", "synthetic", "Synthetic Service"),
        operations={
            "PutNode": Operation(
                "PutNode", input="Mapping", output="Empty", documentation=TRICKY_DOC
            ),
        },
        shapes={s.name: s for s in shapes},
    )


def synthetic_source() -> str:
    spec = Spec(
        path="synthetic.json",
        document={"service": "synthetic", "title": "Synthetic \\ API"},
        sha256="0" * 64,
    )
    return DataclassesGenerator().generate(GenerationContext(synthetic_model(), spec))["shapes.py"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The generated modules, written to a folder of their own."""
    folder = tmp_path_factory.mktemp("generated")
    paths = {
        "flow_logs_shapes": folder / "flow_logs_shapes.py",
        "synthetic_shapes": folder / "synthetic_shapes.py",
    }
    paths["flow_logs_shapes"].write_text(flow_logs_source(), encoding="utf-8")
    paths["synthetic_shapes"].write_text(synthetic_source(), encoding="utf-8")
    return paths


# -- the committed file and determinism ----------------------------------------------------------


def test_registered_and_committed_file_is_current() -> None:
    assert any(isinstance(g, DataclassesGenerator) for g in GENERATORS)
    assert COMMITTED.read_text(encoding="utf-8") == flow_logs_source(), "run 'apigen generate'"


def test_generation_is_deterministic() -> None:
    """The same bytes in this process, again, and in other processes with other hash seeds."""
    spec = load_spec(SPEC)
    again = DataclassesGenerator().generate(GenerationContext(spec.model(), spec))["shapes.py"]
    assert again == flow_logs_source()
    script = (
        "import sys\n"
        "from codegen.generators.base import GenerationContext\n"
        "from codegen.generators.dataclasses_gen import DataclassesGenerator\n"
        "from codegen.loader import load_spec\n"
        "spec = load_spec(sys.argv[1])\n"
        "out = DataclassesGenerator().generate(GenerationContext(spec.model(), spec))\n"
        "sys.stdout.buffer.write(out['shapes.py'].encode())\n"
    )
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(SPEC)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        )
        assert done.stdout.decode() == flow_logs_source()


def test_header_and_layout() -> None:
    source = flow_logs_source()
    assert source.startswith("# Code generated by apigen ")
    assert "(dataclasses generator). DO NOT EDIT." in source.splitlines()[0]
    assert max(len(line) for line in source.splitlines()) <= 99
    tree = ast.parse(source)
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    # enums first, then each structure after the structures it holds
    assert classes.index("FlowLog") < classes.index("DescribeFlowLogsResult")
    assert classes.index("UnsuccessfulItemError") < classes.index("UnsuccessfulItem")
    assert classes.index("TrafficType") < classes.index("CreateFlowLogsRequest")


def test_field_docstrings_follow_their_fields() -> None:
    """Each documented member's field is followed by its documentation (an attribute docstring)."""
    model = load_spec(SPEC).model()
    tree = ast.parse(flow_logs_source())
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in model.shapes:
            continue
        shape = model.shapes[node.name]
        if shape.type != "structure":
            continue
        docs: dict[str, str] = {}
        for stmt, after in zip(node.body, node.body[1:]):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
            ):
                docs[stmt.target.id] = " ".join(str(after.value.value).split())
        for member, name in field_names(shape).items():
            text = shape.members[member].documentation
            if text:
                first = " ".join(text.split("\n\n")[0].split())
                assert docs[name].startswith(first.replace("• ", "- ")), (node.name, name)
    assert "Added in API version 2020-02-04." in flow_logs_source()


# -- the generated file as code ------------------------------------------------------------------


def _python_versions() -> dict[str, str]:
    """Interpreters of Python >= 3.10 on this machine (this one always): {"3.10": path, ...}."""
    candidates = [sys.executable]
    for minor in range(10, 15):
        found = shutil.which(f"python3.{minor}")
        if found:
            candidates.append(found)
        candidates.extend(
            sorted(
                glob.glob(os.path.expanduser(f"~/.pyenv/versions/3.{minor}*/bin/python3.{minor}"))
            )
        )
    by_version: dict[str, str] = {}
    for exe in candidates:
        try:
            done = subprocess.run(
                [exe, "-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                check=False,
                capture_output=True,
                text=True,
                timeout=20,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        version = done.stdout.strip()
        if done.returncode == 0 and version and tuple(map(int, version.split("."))) >= (3, 10):
            by_version.setdefault(version, exe)
    return {
        v: by_version[v] for v in sorted(by_version, key=lambda v: tuple(map(int, v.split("."))))
    }


PYTHONS = _python_versions()


@pytest.mark.parametrize(
    "python_version", ["3.10", f"{sys.version_info[0]}.{sys.version_info[1]}"]
)
def test_mypy_strict(sources: dict[str, Path], python_version: str, tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            python_version,
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            *map(str, sources.values()),
        ],
        cwd=tmp_path,  # no project configuration: the file stands on its own
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff(sources: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip("ruff")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py310",
            *map(str, sources.values()),
        ],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


STANDALONE = r"""
import importlib.util, json, sys
from datetime import datetime, timezone

path = sys.argv[1]
spec = importlib.util.spec_from_file_location("shapes", path)
shapes = importlib.util.module_from_spec(spec)
sys.modules["shapes"] = shapes
spec.loader.exec_module(shapes)

data = {
    "FlowLogs": [
        {
            "CreationTime": "2020-02-05T09:41:27.000Z",
            "TrafficType": "ALL",
            "LogDestinationType": "kinesis-data-firehose",
            "MaxAggregationInterval": 60,
            "Tags": [{"Key": "Name", "Value": "audit"}],
        }
    ],
    "NextToken": "t",
}
result = shapes.DescribeFlowLogsResult.from_dict(data, unknown="keep")
flow_log = result.flow_logs[0]
assert flow_log.creation_time == datetime(2020, 2, 5, 9, 41, 27, tzinfo=timezone.utc)
assert flow_log.traffic_type is shapes.TrafficType.ALL
assert str(flow_log.traffic_type) == "ALL" and f"{flow_log.traffic_type}" == "ALL"
assert type(flow_log.log_destination_type) is str
back = result.to_dict()
back["FlowLogs"][0]["CreationTime"] = back["FlowLogs"][0]["CreationTime"].isoformat()
request = shapes.CreateFlowLogsRequest(resource_ids=["vpc-1"], resource_type="VPC", traffic_type="ALL")
assert hash(request) == hash(shapes.CreateFlowLogsRequest.from_dict(request.to_dict()))
try:
    shapes.DescribeFlowLogsResult.from_dict({"FlowLogs": [{"CreationTime": 5}]})
except shapes.ShapeError as exc:
    error = str(exc)
third_party = sorted(m for m in sys.modules if m.split(".")[0] in {"botocore", "boto3", "dateutil", "jinja2"})
print(json.dumps({"back": back, "error": error, "site": "site" in sys.modules, "third_party": third_party}))
"""


@pytest.mark.parametrize("python", list(PYTHONS.values()), ids=list(PYTHONS))
def test_runs_standalone(sources: dict[str, Path], python: str, tmp_path: Path) -> None:
    """Standard library only: isolated mode, no site-packages, an empty working folder."""
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run(
        [python, "-I", "-S", "-c", STANDALONE, str(sources["flow_logs_shapes"])],
        cwd=empty,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (
        report["error"]
        == "FlowLogs[0].CreationTime: expected datetime or ISO 8601 string, got int"
    )
    assert report["site"] is False and report["third_party"] == []
    assert report["back"]["FlowLogs"][0] == {
        "CreationTime": "2020-02-05T09:41:27+00:00",
        "TrafficType": "ALL",
        "LogDestinationType": "kinesis-data-firehose",
        "MaxAggregationInterval": 60,
        "Tags": [{"Key": "Name", "Value": "audit"}],
    }


def test_the_python_3_10_fallback_runs(sources: dict[str, Path], tmp_path: Path) -> None:
    """What Python 3.10 runs (the ``StrEnum`` fallback, and any other branch on the version),
    run here with ``sys.version_info`` saying 3.10; ``test_runs_standalone`` runs it on a real
    3.10 too when one is installed."""
    empty = tmp_path / "empty"
    empty.mkdir()
    prelude = "import enum, sys\nsys.version_info = (3, 10, 12, 'final', 0)\n"
    fallback = (
        "\nassert shapes.StrEnum is not getattr(enum, 'StrEnum', None), 'no fallback'"
        "\nassert shapes.StrEnum.__module__ == 'shapes'"
        "\nassert issubclass(shapes.TrafficType, str)"
        "\nassert shapes.TrafficType('ALL') == 'ALL' and str(shapes.TrafficType.ALL) == 'ALL'"
        "\nassert format(shapes.TrafficType.REJECT) == 'REJECT'"
        "\nprint(json.dumps(sorted(m.value for m in shapes.TrafficType)))"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            prelude + STANDALONE + fallback,
            str(sources["flow_logs_shapes"]),
        ],
        cwd=empty,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report_line, values_line = done.stdout.splitlines()
    report = json.loads(report_line)
    assert (
        report["error"]
        == "FlowLogs[0].CreationTime: expected datetime or ISO 8601 string, got int"
    )
    assert report["back"]["FlowLogs"][0]["TrafficType"] == "ALL"
    assert json.loads(values_line) == ["ACCEPT", "ALL", "REJECT"]


# -- the synthetic model ---------------------------------------------------------------------------


def test_synthetic_model_round_trips(sources: dict[str, Path]) -> None:
    s = import_file("apigen_test_synthetic_shapes", sources["synthetic_shapes"])
    assert s.MappingShape.SHAPE == "Mapping"  # renamed: the module imports Mapping
    assert [(m.name, m.value) for m in s.Kind] == [
        ("ALPHA", "alpha"),
        ("BETA_TWO", "beta-two"),
        ("BETA_TWO_2", "BetaTwo"),
        ("VALUE_3RD", "3rd"),
        ("CLASS", "class"),
    ]
    names = [f.name for f in dataclasses.fields(s.Node)]
    assert names == [
        "id",
        "count",
        "ratio",
        "payload",
        "enabled",
        "tags",
        "matrix",
        "times",
        "kind",
        "kinds",
        "by_kind",
        "children",
        "extra_",
        "class_",
        "str_",
        "datetime_",
        "bool_",
        "arns",
        "ipv6_address",
        "extra",
    ]
    assert s.Node.__doc__.startswith(
        'Says """hi""" with a back\\slash, a ${field-id} and a "quote"'
    )
    assert s.Node.MEMBERS["count"] == s.MemberInfo("Count", "Long", "count")
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    child = {"Id": "c", "Kind": "something-new", "Children": []}
    data = {
        "Root": {
            "Id": "n1",
            "Count": 2**40,
            "Ratio": 0.25,
            "Payload": b"\x00\xff",
            "Enabled": False,
            "Tags": {"team": "vpc"},
            "Matrix": [[1, 2], [], [3]],
            "Times": [when],
            "Kind": "beta-two",
            "Kinds": ["alpha", "3rd", "new-kind"],
            "ByKind": {"alpha": [when], "unknown": []},
            "Children": [child, {"Id": "d", "Children": [child]}],
            "Extra": "a member called Extra",
            "Class": "c",
            "Str": "s",
            "Datetime": when,
            "BOOL": True,
            "ARNs": "arn",
            "IPv6Address": "::1",
        }
    }
    root = s.MappingShape.from_dict(data, unknown="error")
    node = root.root
    assert node.extra_ == "a member called Extra" and node.extra == {}
    assert node.kind is s.Kind.BETA_TWO and node.kinds == (
        s.Kind.ALPHA,
        s.Kind.VALUE_3RD,
        "new-kind",
    )
    assert node.matrix == ((1, 2), (), (3,))
    assert list(node.by_kind) == [s.Kind.ALPHA, "unknown"]
    assert node.children[1].children[0].kind == "something-new"
    assert root.to_dict() == data
    assert s.MappingShape.from_dict(root.to_dict()) == root
    with pytest.raises(TypeError):  # a map makes an instance unhashable (documented)
        hash(root)
    rebuilt = s.Node(
        id="x",
        matrix=[[1], [2, 3]],
        times=[datetime(2024, 1, 1)],
        by_kind={"alpha": [datetime(2024, 1, 1)]},
    )
    assert rebuilt.matrix == ((1,), (2, 3)) and rebuilt.times[0].tzinfo is timezone.utc
    assert rebuilt.by_kind == {s.Kind.ALPHA: (datetime(2024, 1, 1, tzinfo=timezone.utc),)}
    assert s.Empty.from_dict({}).to_dict() == {}
    with pytest.raises(s.ShapeError, match=r"^Root\.Payload: expected bytes, got str$"):
        s.MappingShape.from_dict({"Root": {"Id": "x", "Payload": "AAE="}})
    with pytest.raises(s.ShapeError, match=r"^Root\.Ratio: expected float, got bool$"):
        s.MappingShape.from_dict({"Root": {"Id": "x", "Ratio": True}})
    with pytest.raises(s.ShapeError, match=r"^Root\.Tags\['k'\]: expected str, got int$"):
        s.MappingShape.from_dict({"Root": {"Id": "x", "Tags": {"k": 1}}})
    with pytest.raises(s.ShapeError, match=r"^Root\.Tags: expected mapping, got list$"):
        s.MappingShape.from_dict({"Root": {"Id": "x", "Tags": [["k", "v"]]}})


# -- names and docstrings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "field"),
    [
        ("ResourceIds", "resource_ids"),
        ("MaxAggregationInterval", "max_aggregation_interval"),
        ("DryRun", "dry_run"),
        ("TrafficType", "traffic_type"),
        ("VPCId", "vpc_id"),
        ("CIDRBlock", "cidr_block"),
        ("ARNs", "arns"),
        ("IPv6Address", "ipv6_address"),
        ("Ipv6CidrBlock", "ipv6_cidr_block"),
        ("S3Bucket", "s3_bucket"),
        ("NetworkInterfaceIds", "network_interface_ids"),
        ("Filter", "filter"),
        ("From", "from_"),
        ("Extra", "extra_"),
        ("ToDict", "to_dict_"),
        ("Int", "int_"),
        ("Match", "match"),
        ("Type", "type"),
    ],
)
def test_field_names(member: str, field: str) -> None:
    assert field_name(member) == field


def test_names_never_collide() -> None:
    shape = Shape(
        "S",
        "structure",
        members={n: Member(n, "String") for n in ("VpcId", "VPCId", "Vpc_Id")},
    )
    assert list(field_names(shape).values()) == ["vpc_id", "vpc_id_", "vpc_id__"]
    assert snake_identifier("") == "value" and snake_identifier("3Com") == "n3_com"
    assert enum_member_name("cloud-watch-logs") == "CLOUD_WATCH_LOGS"
    assert enum_member_name("NetworkInterface") == "NETWORK_INTERFACE"
    assert enum_member_name("t2.micro") == "T2_MICRO"
    assert enum_member_name("1.0") == "VALUE_1_0"
    assert enum_member_name("VPC", ["VPC"]) == "VPC_2"
    names = class_names(synthetic_model())
    assert names["Mapping"] == "MappingShape" and names["Node"] == "Node" and "String" not in names


def test_docstring_escaping() -> None:
    text = docstring_literal(TRICKY_DOC, 4)
    assert ast.literal_eval(text) == TRICKY_DOC
    long = docstring_literal("word " * 40 + '"', 8)
    lines = long.splitlines()
    assert len(lines[0]) + 8 <= 99 and all(len(line) <= 99 for line in lines[1:])  # placed at 8
    assert ast.literal_eval(long).split() == ("word " * 40 + '"').split()
    bullets = docstring_literal("Some:\n\n• one\n\n• two", 0)
    assert bullets == '"""Some:\n\n- one\n- two\n"""'


# -- shapes named like Python's builtins (datazone's AttributeError, lambda's EnvironmentError) --

_BUILTIN_NAMED: dict[str, object] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2020-01-01",
        "endpointPrefix": "b",
        "protocol": "rest-json",
        "serviceFullName": "Builtins",
        "serviceId": "Builtins",
        "signatureVersion": "v4",
        "uid": "b-2020-01-01",
    },
    "operations": {
        "Get": {
            "name": "Get",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "AttributeError"},
            "output": {"shape": "ValueError"},
        },
    },
    "shapes": {
        "AttributeError": {"type": "structure", "members": {"Name": {"shape": "Str"}}},
        "ValueError": {"type": "structure", "members": {"Error": {"shape": "EnvironmentError"}}},
        "EnvironmentError": {"type": "string", "enum": ["A", "B"]},
        "Str": {"type": "string"},
    },
}


@pytest.mark.parametrize("layout", ["single", "split"])
def test_shapes_named_like_builtins_do_not_shadow_them(layout: str, tmp_path: Path) -> None:
    """A class named AttributeError would shadow the exception the package's ``__getattr__``
    raises (and mypy would reject raising a dataclass): such classes get another name."""
    from codegen.bridge.importer import import_model

    model = import_model(_BUILTIN_NAMED, name="builtins-named")
    spec = Spec("builtins.json", {"service": "builtins-named", "title": "Builtins"}, "0" * 64)
    files = DataclassesGenerator(layout=layout).generate(GenerationContext(model=model, spec=spec))
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    target = "shapes.py" if layout == "single" else "shapes"
    assert (tmp_path / target).exists()
    program = tmp_path / "use_it.py"
    program.write_text(
        "from shapes import AttributeErrorShape, EnvironmentErrorShape, ValueErrorShape\n"
        "value = ValueErrorShape.from_dict({'Error': 'A'})\n"
        "assert value.error is EnvironmentErrorShape.A\n"
        "assert AttributeErrorShape(name='x').to_dict() == {'Name': 'x'}\n"
        "import shapes\n"
        "try:\n"
        '    getattr(shapes, "NoSuchClass")\n'
        "except AttributeError as error:  # the builtin\n"
        "    assert 'NoSuchClass' in str(error)\n"
        "else:\n"
        "    raise SystemExit('no AttributeError')\n"
    )
    run = subprocess.run(
        [sys.executable, str(program)], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "use_it.py", target],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
    ruff = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--quiet",
            "--config",
            str(ROOT / "pyproject.toml"),
            target,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout
