"""The generated validators (``generated/ec2/validators.py``): cases, API, standalone use, quality.

* table-driven cases from ``tests/fixtures/validator_cases.json`` (ec2, and a synthetic
  ``widgets`` spec that has every shape type and constraint the ec2 spec lacks);
* coverage: the cases exercise every issue code and every documented rule of the ec2 spec;
* the public API: dispatchers, ``check`` and ``ParamValidationError``, messages in botocore's
  words, short enum messages, output validation;
* the module is standalone (``python -I -S`` from an empty folder), passes ``mypy --strict``
  and ``ruff check``, is current (``apigen generate --check``) and generated deterministically.

The differential tests (against botocore and the JSON Schemas) are in
``test_validators_differential.py``.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections import Counter
from pathlib import Path
from pprint import pformat
from typing import Any

import pytest

from codegen.generators.base import GenerationContext
from codegen.generators.validators import ValidatorsGenerator
from codegen.generators.validators_builder import required_literal
from codegen.generators.validators_checks import local_name
from codegen.loader import load_spec
from tests.support.helpers import input_shape
from tests.support.paths import GENERATED, ROOT, SPEC
from tests.support.validators import (
    cases_document,
    decode,
    documented_rules,
    ec2_model,
    ec2_validators,
    validators_named,
    widgets_validators,
)

CASES = cases_document()["cases"]


def _modes(case: dict[str, Any]) -> list[bool]:
    strict = case["strict"]
    return [True, False] if strict == "both" else [bool(strict)]


def _run(case: dict[str, Any], strict: bool) -> list[Any]:
    module = validators_named(case.get("model", "ec2"))
    params = decode(case["params"])
    if case.get("direction", "input") == "output":
        unknown = bool(case.get("unknown_members", False))
        return list(
            module.validate_output(
                case["operation"], params, strict=strict, unknown_members=unknown
            )
        )
    return list(module.validate(case["operation"], params, strict=strict))


# -- table-driven cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "strict"),
    [
        pytest.param(
            case, strict, id=f"{case['description']} [{'strict' if strict else 'lenient'}]"
        )
        for case in CASES
        for strict in _modes(case)
    ],
)
def test_case(case: dict[str, Any], strict: bool) -> None:
    issues = _run(case, strict)
    actual = sorted((i.path, i.code) for i in issues)
    expected = sorted((path, code) for path, code in case["expected"])
    assert actual == expected, (
        f"\n{case['description']} ({case['operation']} {case.get('direction', 'input')}, strict={strict})"
        f"\ngiven:    {pformat(case['params'], width=100, compact=True)}"
        f"\nexpected: {expected}"
        f"\nactual:   {actual}"
        "\nmessages:\n" + "\n".join(f"  {i.message} (rule {i.rule})" for i in issues)
    )
    if not strict:
        assert all(i.rule is None for i in issues), "lenient mode reports botocore's checks only"


def test_case_descriptions_are_unique_test_ids() -> None:
    counts = Counter(case["description"] for case in CASES)
    assert [d for d, n in counts.items() if n > 1] == []


def test_cases_cover_every_issue_code() -> None:
    module = ec2_validators()
    used = {code for case in CASES for _, code in case["expected"]}
    assert used == set(module.ISSUE_CODES)


def test_cases_cover_every_documented_rule_of_the_spec() -> None:
    """Each rule id and each documented constraint of the ec2 spec is the ``rule`` of an issue
    some case expects (``default`` shows in the rules that use it; an idempotency token has
    nothing to check)."""
    model = ec2_model()
    seen: set[str] = set()
    for case in CASES:
        if case.get("model", "ec2") == "ec2" and case["expected"]:
            seen |= {i.rule for i in _run(case, True) if i.rule}
    wanted = {rule.id for shape in model.shapes.values() for rule in shape.rules}
    for shape in model.shapes.values():
        for member in shape.members.values():
            wanted |= {name for name, _ in member.documented.items()}
    wanted -= {"default", "idempotency_token"}
    wanted |= {"enum", "type"}
    assert wanted - seen == set()
    assert seen <= documented_rules(model)


def test_absent_member_counts_as_its_documented_default() -> None:
    module = ec2_validators()
    base = {
        "ResourceIds": ["vpc-1"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogFormat": "${version}",
    }
    absent = {(i.path, i.rule) for i in module.validate("CreateFlowLogs", base)}
    explicit = {
        (i.path, i.rule)
        for i in module.validate(
            "CreateFlowLogs", base | {"LogDestinationType": "cloud-watch-logs"}
        )
    }
    assert (
        absent
        == explicit
        == {
            ("LogFormat", "log-format-only-for-s3"),
            ("LogDestination", "cloudwatch-requires-log-group"),
        }
    )


# -- the public API ----------------------------------------------------------------------------


def test_public_api() -> None:
    module = ec2_validators()
    assert module.OPERATIONS == ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")
    for name in module.OPERATIONS:
        snake = {
            "CreateFlowLogs": "create_flow_logs",
            "DescribeFlowLogs": "describe_flow_logs",
            "DeleteFlowLogs": "delete_flow_logs",
        }[name]
        assert callable(getattr(module, f"validate_{snake}"))
        assert callable(getattr(module, f"validate_{snake}_output"))
        assert f"validate_{snake}" in module.__all__
    assert module.validate_create_flow_logs({}) == module.validate("CreateFlowLogs", {})
    # fail_fast: the first issue only (here: ResourceIds, the first required member missing)
    every = module.validate("CreateFlowLogs", {})
    assert len(every) > 1 and (every[0].path, every[0].code) == ("ResourceIds", "missing_required")
    assert module.validate("CreateFlowLogs", {}, fail_fast=True) == every[:1]
    assert (
        module.validate_output("DescribeFlowLogs", {"FlowLogs": 1}, fail_fast=True)
        == (module.validate_output("DescribeFlowLogs", {"FlowLogs": 1})[:1])
    )
    assert module.validate("DeleteFlowLogs", {"FlowLogIds": []}, fail_fast=True) == []
    assert (
        module.SERVICE == "ec2"
        and module.API_VERSION == "2016-11-15"
        and module.SPEC_VERSION == "2020-02-04"
    )


def test_unknown_operation_names_the_known_ones() -> None:
    module = ec2_validators()
    with pytest.raises(
        ValueError,
        match=r"unknown operation 'createFlowLogs' \(did you mean CreateFlowLogs\?\); known: CreateFlowLogs",
    ):
        module.validate("createFlowLogs", {})
    with pytest.raises(ValueError, match="unknown operation"):
        module.validate_output("Nope", {})


def test_check_raises_with_every_issue_in_botocores_format() -> None:
    module = ec2_validators()
    params = {"Filter": [{"Name": "resource-id", "Values": ["a", "b", 1]}], "Bogus": 1}
    with pytest.raises(module.ParamValidationError) as raised:
        module.check("DescribeFlowLogs", params)
    error: Any = raised.value  # the generated module's ValidationError
    assert [i.code for i in error.issues] == ["invalid_type", "unknown_parameter"]
    assert str(error) == (
        "Parameter validation failed:\n"
        "Invalid type for parameter Filter[0].Values[2], value: 1, type: <class 'int'>, valid types: <class 'str'>\n"
        'Unknown parameter in input: "Bogus", must be one of: DryRun, Filter, FlowLogIds, MaxResults, NextToken'
    )
    assert isinstance(raised.value, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert copy.issues == error.issues and str(copy) == str(error)
    assert module.check("DescribeFlowLogs", {}) is None


def test_messages_match_botocore_word_for_word() -> None:
    """botocore's own report for the same parameters: our messages of botocore's checks are it."""
    import botocore.exceptions
    import botocore.validate

    from tests.support.validators import exported

    module = ec2_validators()
    params = {"ResourceIds": ["vpc-1", 2], "Bogus": 1, "DryRun": "yes", "TrafficType": None}
    shape = input_shape(exported("ec2").operation_model("CreateFlowLogs"))
    with pytest.raises(botocore.exceptions.ParamValidationError) as theirs:
        botocore.validate.validate_parameters(params, shape)
    with pytest.raises(module.ParamValidationError) as ours:
        module.check("CreateFlowLogs", params, strict=False)
    assert sorted(str(ours.value).splitlines()) == sorted(str(theirs.value).splitlines())


def test_issue_is_a_frozen_dataclass() -> None:
    import dataclasses

    module = ec2_validators()
    issue = module.validate("DescribeFlowLogs", {"MaxResults": "5"})[0]
    assert dataclasses.is_dataclass(issue) and not isinstance(issue, type)
    issue = module.validate("DescribeFlowLogs", {"MaxResults": "5"})[0]  # Any again, not narrowed
    assert [f.name for f in dataclasses.fields(issue)] == ["path", "code", "message", "rule"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.path = "x"
    assert str(issue) == issue.message


def test_enum_messages_stay_short() -> None:
    module = widgets_validators()
    (issue,) = [
        i
        for i in module.validate("PutWidget", {"Name": "abc", "Color": "Purple"})
        if i.path == "Color"
    ]
    assert issue.message == (
        "Invalid value for parameter Color, value: Purple, valid values: red, green, blue, cyan, magenta, ... (3 more)"
    )
    (hint,) = [
        i
        for i in module.validate("PutWidget", {"Name": "abc", "Color": "BLUE"})
        if i.path == "Color"
    ]
    assert hint.message.endswith("(did you mean blue?)")


def test_long_values_are_shortened_in_messages() -> None:
    module = ec2_validators()
    (issue,) = module.validate("DescribeFlowLogs", {"NextToken": ["x" * 500]})
    assert len(issue.message) < 250 and "..." in issue.message


def test_hints_for_near_misses() -> None:
    module = ec2_validators()
    base = {
        "ResourceIds": ["vpc-1"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogGroupName": "g",
    }
    messages = [
        i.message
        for i in module.validate(
            "CreateFlowLogs", base | {"LogGroupname": "x", "TrafficType": "accept"}
        )
    ]
    assert any("did you mean LogGroupName?" in m for m in messages)
    assert any("did you mean ACCEPT?" in m for m in messages)
    (issue,) = module.validate(
        "DescribeFlowLogs", {"Filter": [{"Name": "Traffic-Type", "Values": ["ALL"]}]}
    )
    assert "did you mean traffic-type?" in issue.message and "case-sensitive" in issue.message


def test_format_issues_say_why() -> None:
    module = ec2_validators()
    base = {
        "ResourceIds": ["vpc-1"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "s3",
    }
    (aws_logs,) = module.validate(
        "CreateFlowLogs", base | {"LogDestination": "arn:aws:s3:::b1x/AWSLogs/"}
    )
    assert (
        "AWSLogs is a reserved term" in aws_logs.message
        and aws_logs.rule == "s3-destination-is-bucket-arn"
    )
    (fmt,) = module.validate(
        "CreateFlowLogs",
        base | {"LogDestination": "arn:aws:s3:::b1x", "LogFormat": "${version} ${srcadr}"},
    )
    assert "unknown field '${srcadr}'" in fmt.message and fmt.rule == "format"


def test_output_ignores_response_metadata_and_accepts_botocore_datetimes() -> None:
    from datetime import datetime, timezone

    module = ec2_validators()
    response = {
        "FlowLogs": [
            {"CreationTime": datetime(2020, 2, 4, tzinfo=timezone.utc), "FlowLogId": "fl-1"}
        ],
        "ResponseMetadata": {"RequestId": "x", "HTTPStatusCode": 200},
    }
    assert module.validate_output("DescribeFlowLogs", response) == []
    assert module.validate_describe_flow_logs_output(response, strict=False) == []
    assert "ResponseMetadata" in response  # not modified


def test_params_are_not_modified() -> None:
    module = ec2_validators()
    params = {"ResourceIds": ("vpc-1",), "ResourceType": "VPC", "TrafficType": "ALL"}
    snapshot = repr(params)
    module.validate("CreateFlowLogs", params)
    assert repr(params) == snapshot


# -- helpers of the generator --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "local"),
    [
        ("LogDestinationType", "log_destination_type"),
        ("FailFast", "fail_fast_value"),  # the validators' own parameter
        ("Response", "response_value"),
        ("Absent", "absent_value"),
        ("Datetime", "datetime_value"),  # an imported name
        ("Index1", "index1_value"),  # a loop variable
        ("Type", "type_value"),  # a builtin
        ("Class", "class_value"),  # a keyword
    ],
)
def test_rule_locals_shadow_nothing(member: str, local: str) -> None:
    assert local_name(member) == local


def test_a_value_of_an_unhashable_type_is_an_invalid_type() -> None:
    class Meta(type):
        def __eq__(cls, other: object) -> bool:  # and so no __hash__
            return cls is other

    class Odd(metaclass=Meta):
        pass

    issues = ec2_validators().validate("DeleteFlowLogs", {"FlowLogIds": Odd()})
    assert [(i.path, i.code) for i in issues] == [("FlowLogIds", "invalid_type")]
    assert "Odd" in issues[0].message


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"^[^/]*/([^\n]*/)?AWSLogs(/|(?![\s\S]))", "AWSLogs"),
        (r"^XX-", "XX-"),
        (r"^(a|b)cd", "cd"),
        (r"abc|abd", "ab"),  # re factors the common prefix out of the alternation
        (r"abc|xyz", None),
        (r"a?b", None),
        (r"[a-z]+", None),
    ],
)
def test_required_literal(pattern: str, literal: str | None) -> None:
    assert required_literal(pattern) == literal


# -- standalone, typed, linted, current, deterministic -------------------------------------------

STANDALONE = """
import sys
sys.path.insert(0, sys.argv[1])
import validators as v
assert not [m for m in sys.modules if m.split(".")[0] in ("codegen", "botocore", "jinja2")]
params = {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL", "LogGroupName": "g"}
assert v.validate("CreateFlowLogs", params) == []
issues = v.validate("CreateFlowLogs", dict(params, MaxAggregationInterval=300, LogDestinationType="s3"))
print(sorted(i.code for i in issues))
try:
    v.check("DescribeFlowLogs", {"Filter": [{"Name": "x"}]})
except v.ParamValidationError as e:
    print(e.issues[0].path, e.issues[0].code)
"""


def test_standalone_on_the_standard_library_alone(tmp_path: Path) -> None:
    """Copied anywhere, the module runs with ``python -I -S`` (no site-packages, no env)."""
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / "validators.py").write_bytes((GENERATED / "validators.py").read_bytes())
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", STANDALONE, str(folder)],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['forbidden_combination', 'missing_required', 'not_allowed_value']",
        "Filter[0].Name invalid_filter",
    ]


def _command(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_generated_modules_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    widgets = tmp_path / "widgets_validators.py"
    source = widgets_validators().__file__
    assert source is not None
    widgets.write_bytes(Path(source).read_bytes())
    targets = [str(GENERATED / "validators.py"), str(widgets)]
    mypy = _command(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            *targets,
        ],
        timeout=300,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = _command([sys.executable, "-m", "ruff", "check", "--no-cache", *targets], timeout=120)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_apigen_generate_check_passes() -> None:
    apigen = Path(sys.executable).with_name("apigen")
    command = [str(apigen)] if apigen.exists() else [sys.executable, "-m", "codegen.cli"]
    result = _command([*command, "generate", "--check"], timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generation_is_deterministic() -> None:
    spec = load_spec(SPEC)
    first = ValidatorsGenerator().generate(GenerationContext(model=spec.model(), spec=spec))
    second = ValidatorsGenerator().generate(
        GenerationContext(model=load_spec(SPEC).model(), spec=load_spec(SPEC))
    )
    assert first == second
    assert first["validators.py"] == (GENERATED / "validators.py").read_text(encoding="utf-8")
    manifest = json.loads((GENERATED / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["files"]["validators.py"] == "validators"
