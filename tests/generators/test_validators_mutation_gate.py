"""The validators generator's gate for ``make mutate`` (and an ordinary test of the suite).

The other validator tests read ``generated/ec2/validators.py`` from disk and generate the
widgets module once per session: a mutant of the generator would go unseen by them. This test
regenerates both modules from the generator as it is now (mutated, under ``make mutate``) and
runs every fixture case of ``tests/fixtures/validator_cases.json`` through them, both modes,
comparing the issues (path, code) with the expected ones and, in strict mode, the rule each
strict-only issue names with a rule or constraint the member actually has. The regenerated EC2
module must also behave exactly as the committed one (``apigen generate --check`` keeps that
current) on those cases and on a fixed (derandomized) sample of generated parameters: the same
issues with the same messages and rules.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.generators.base import GenerationContext
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec
from tests.support.imports import import_source
from tests.support.paths import SPEC
from tests.support.validators import (
    Strategies,
    cases_document,
    decode,
    ec2_validators,
    model_named,
    places,
    rule_applies,
    widgets_spec_path,
)


def regenerate(spec_path: Path, name: str, folder: Path) -> ModuleType:
    spec = load_spec(spec_path)
    generator = ValidatorsGenerator()
    if os.environ.get("MUTANT_UNDER_TEST"):
        # under make mutate: black only formats, and takes most of the time
        generator.python = lambda context, source: generator.header(context) + source  # type: ignore[method-assign]
    source = generator.generate(GenerationContext(model=spec.model(), spec=spec))["validators.py"]
    return import_source(source, name, folder)


def _modes(case: dict[str, Any]) -> list[bool]:
    return [True, False] if case["strict"] == "both" else [bool(case["strict"])]


_FOLDER = tempfile.TemporaryDirectory(prefix="apigen-gate-")
_MODULES: dict[str, ModuleType] = {}


def regenerated(name: str) -> ModuleType:
    """The module regenerated once per mutant: mutmut forks each mutant's run from a process
    that may have run these tests already, so the mutant's name is part of the key."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    key = f"{name}:{mutant}"
    if key not in _MODULES:
        path = SPEC if name == "ec2" else widgets_spec_path()
        suffix = str(len(_MODULES))
        _MODULES[key] = regenerate(path, f"gate_{name}_validators_{suffix}", Path(_FOLDER.name))
    return _MODULES[key]


def _check(module: ModuleType, output: bool, unknown: bool = False) -> Any:
    if output:
        return functools.partial(module.validate_output, unknown_members=unknown)
    return module.validate


def _issues(
    module: ModuleType,
    operation: str,
    params: Any,
    output: bool,
    strict: bool,
    unknown: bool = False,
) -> Any:
    check = _check(module, output, unknown)
    return [(i.path, i.code, i.message, i.rule) for i in check(operation, params, strict=strict)]


def test_regenerated_validators_pass_every_fixture_case() -> None:
    modules = {"ec2": regenerated("ec2"), "widgets": regenerated("widgets")}
    committed = ec2_validators()
    failures: list[str] = []
    for case in cases_document()["cases"]:
        name = case.get("model", "ec2")
        module, model = modules[name], model_named(name)
        params = decode(case["params"])
        output = case.get("direction", "input") == "output"
        unknown = bool(case.get("unknown_members", False))
        check = _check(module, output, unknown)
        op = model.operation(case["operation"])
        shape_name = op.output if output else op.input
        for strict in _modes(case):
            issues = list(check(case["operation"], params, strict=strict))
            if name == "ec2":
                ours = _issues(module, case["operation"], params, output, strict, unknown)
                golden = _issues(committed, case["operation"], params, output, strict, unknown)
                if ours != golden:
                    failures.append(f"{case['description']}: {ours} != committed {golden}")
            actual = sorted((i.path, i.code) for i in issues)
            expected = sorted((p, c) for p, c in case["expected"])
            if actual != expected:
                failures.append(f"{case['description']} strict={strict}: {actual}")
                continue
            if not strict and any(i.rule is not None for i in issues):
                failures.append(f"{case['description']}: a lenient issue names a rule")
            at = places(model, model.shape(shape_name), params) if shape_name else {}
            lenient = {(i.path, i.code) for i in check(case["operation"], params, strict=False)}
            for issue in issues:
                if (
                    strict
                    and not output
                    and issue.rule is None
                    and (issue.path, issue.code) not in lenient
                ):
                    failures.append(f"{case['description']}: {issue} names no rule")
                leaf = issue.path.split(" (key: ")[0].rsplit(".", 1)[-1]
                if (
                    issue.rule is not None
                    and issue.path in at
                    and not rule_applies(at[issue.path], issue.rule, leaf)
                ):
                    failures.append(f"{case['description']}: {issue} names a foreign rule")
    assert failures == []


def _tagged(operation: str, output: bool, params: Any) -> tuple[str, bool, Any]:
    return operation, output, params


def _sample() -> st.SearchStrategy[tuple[str, bool, Any]]:
    model = model_named("ec2")
    options: list[st.SearchStrategy[tuple[str, bool, Any]]] = []
    for op in model.operations.values():
        for output, shape_name in ((False, op.input), (True, op.output)):
            if shape_name:
                params = Strategies(model).params(model.shape(shape_name))
                options.append(params.map(functools.partial(_tagged, op.name, output)))
    return st.one_of(*options)


@settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(_sample())
def test_regenerated_ec2_validators_behave_as_the_committed_ones(
    case: tuple[str, bool, Any],
) -> None:
    operation, output, params = case
    for strict in (True, False):
        for unknown in (False, True):
            assert _issues(regenerated("ec2"), operation, params, output, strict, unknown) == (
                _issues(ec2_validators(), operation, params, output, strict, unknown)
            )


# Widgets messages and rules, written out by hand (botocore's wording for its own checks).
WIDGETS_MESSAGES: list[tuple[dict[str, Any], list[tuple[str, str, str, str | None]]]] = [
    (
        {"Name": "abc", "Size": 11},
        [
            (
                "Size",
                "invalid_range",
                "Invalid value for parameter Size, value: 11, valid max value: 10",
                "max",
            ),
            (
                "Size",
                "invalid_range",
                "Invalid value for parameter Size, value: 11, valid max value: 8",
                "max_value",
            ),
        ],
    ),
    (
        {"Name": "abc", "Weight": 0.25},
        [
            (
                "Weight",
                "invalid_range",
                "Invalid value for parameter Weight, value: 0.25, valid min value: 0.5",
                None,
            )
        ],
    ),
    (
        {"Name": "abc", "Weight": 100.0},
        [
            (
                "Weight",
                "invalid_range",
                "Invalid value for parameter Weight, value: 100.0, valid max value: 99.5",
                "max",
            )
        ],
    ),
    (
        {"Name": "ab"},
        [
            (
                "Name",
                "invalid_length",
                "Invalid length for parameter Name, value: 2, valid min length: 3",
                None,
            )
        ],
    ),
    (
        {"Name": "abc", "Parts": [{"Id": "abc"}]},
        [
            (
                "Parts",
                "too_few_items",
                "Invalid length for parameter Parts, value: 1, valid min length: 2",
                "min_items",
            )
        ],
    ),
    (
        {"Name": "abc", "Count": -1, "Enabled": True},
        [
            (
                "Count",
                "invalid_range",
                "Invalid value for parameter Count, value: -1, valid min value: 0",
                "min_value",
            )
        ],
    ),
    (
        {"Name": "abc", "Mode": "slow", "Label": "x"},
        [
            (
                "Label",
                "invalid_length",
                "Invalid length for parameter Label, value: 1, valid min length: 2",
                "min_length",
            ),
            (
                "Label",
                "invalid_format",
                "Invalid value for parameter Label, value: x, must match the pattern ^[A-Z]",
                "pattern",
            ),
        ],
    ),
]


# A shape's own pattern (not a documented one) and a shape's float bound that is integral.
WIDGETS_MESSAGES += [
    (
        {"Name": "Abc"},
        [
            (
                "Name",
                "invalid_format",
                "Invalid value for parameter Name, value: Abc, must match the pattern ^[a-z][a-z0-9-]*$",
                "pattern",
            )
        ],
    ),
    (
        {"Name": "abc", "Size": 0},
        [
            (
                "Size",
                "invalid_range",
                "Invalid value for parameter Size, value: 0, valid min value: 1",
                None,
            )
        ],
    ),
]

# TuneWidget: a rule without a condition, a required rule over an already-required member
# followed by another, a condition over two equals members of which one has a local already.
TUNE_MESSAGES: list[tuple[dict[str, Any], list[tuple[str, str, str, str | None]]]] = [
    (
        {"Name": "abc"},
        [
            (
                "Extra",
                "missing_required",
                'Missing required parameter in input: "Extra": is always required',
                "name-and-extra",
            )
        ],
    ),
    (
        {"Name": "abc", "Extra": "e", "Kind": "k2", "Mode": "slow", "Speed": 3},
        [
            (
                "Speed",
                "forbidden_combination",
                "Parameter Speed must not be given when Kind is k2 and Mode is slow",
                "slow-k2-forbids-speed",
            )
        ],
    ),
]


def test_regenerated_widgets_validators_say_what_botocore_says() -> None:
    # regenerated here, not taken from the cache: mutmut runs a mutant only against the tests
    # that called the mutated function in its stats run, and a cached module calls nothing
    folder = Path(_FOLDER.name)
    module = regenerate(
        widgets_spec_path(), f"gate_widgets_messages_{len(os.listdir(folder))}", folder
    )
    for params, expected in WIDGETS_MESSAGES:
        assert _issues(module, "PutWidget", params, False, True) == expected
    for params, expected in TUNE_MESSAGES:
        assert _issues(module, "TuneWidget", params, False, True) == expected
