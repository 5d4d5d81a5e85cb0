"""Generated validators on botocore models that once broke them, checked against botocore's
``ParamValidator`` itself: tiny hand-made models reproducing each case, and the real operation
of the installed botocore where the case was found (by the whole-service differential test)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore.model
import botocore.validate
import pytest

from codegen.bridge.importer import import_model
from codegen.generators.base import GenerationContext
from codegen.generators.validators import ValidatorsGenerator
from tests.support.differential import botocore_issues
from tests.support.helpers import input_shape, release, spec
from tests.support.imports import import_generated, import_source

_METADATA = {
    "apiVersion": "2020-01-01",
    "endpointPrefix": "tiny",
    "protocol": "rest-json",
    "serviceFullName": "Tiny Service",
    "serviceId": "Tiny",
    "signatureVersion": "v4",
    "uid": "tiny-2020-01-01",
}


def _generate(raw: dict[str, Any], name: str, tmp_path: Path) -> tuple[str, ModuleType]:
    model = import_model(raw, name=name)
    # the single module, where two checks of one name would replace one another (a service of
    # more than 64 operations gets a package by default; personalize, below, gets both)
    source = ValidatorsGenerator("single").generate(GenerationContext(model=model, spec=spec()))[
        "validators.py"
    ]
    return source, import_source(source, f"_cases_{name}_{tmp_path.name}", tmp_path)


def _botocore_reasons(raw: dict[str, Any], operation: str, params: Any) -> list[tuple[str, str]]:
    """botocore's errors as (path, reason); a missing or unknown member's path is the member's."""
    shape = input_shape(botocore.model.ServiceModel(raw, "tiny").operation_model(operation))
    return [(path, reason) for path, _, reason in botocore_issues(params, shape)]


def _issues(issues: list[Any]) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in issues]


def _defined_twice(source: str) -> list[str]:
    names = Counter(re.findall(r"^def (\w+)", source, re.MULTILINE))
    return sorted(name for name, count in names.items() if count > 1)


# -- structure checks whose names collide ------------------------------------------------------

# Shape ``JobOutput`` (checked in the input direction) and shape ``Job`` (checked in the output
# direction) both once gave ``_check_job_output``; ``Document`` gave the runtime's
# ``_check_document``. The later definition replaced the earlier one.
_COLLIDING: dict[str, Any] = {
    "version": "2.0",
    "metadata": _METADATA,
    "operations": {
        "CreateJob": {
            "name": "CreateJob",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "CreateJobRequest"},
        },
        "DescribeJob": {
            "name": "DescribeJob",
            "http": {"method": "POST", "requestUri": "/d"},
            "input": {"shape": "DescribeJobRequest"},
            "output": {"shape": "DescribeJobResponse"},
        },
    },
    "shapes": {
        "CreateJobRequest": {
            "type": "structure",
            "required": ["jobOutput"],
            "members": {
                "jobOutput": {"shape": "JobOutput"},
                "document": {"shape": "Document"},
            },
        },
        "JobOutput": {
            "type": "structure",
            "required": ["destination"],
            "members": {"destination": {"shape": "String"}},
        },
        "Document": {"type": "structure", "members": {"title": {"shape": "String"}}},
        "DescribeJobRequest": {"type": "structure", "members": {"id": {"shape": "String"}}},
        "DescribeJobResponse": {"type": "structure", "members": {"job": {"shape": "Job"}}},
        "Job": {
            "type": "structure",
            "members": {"jobOutput": {"shape": "JobOutput"}, "status": {"shape": "String"}},
        },
        "String": {"type": "string"},
    },
}


def test_structure_checks_never_share_a_name(tmp_path: Path) -> None:
    source, v = _generate(_COLLIDING, "colliding", tmp_path)
    assert _defined_twice(source) == []
    good = {"jobOutput": {"destination": "s3://b/k"}, "document": {"title": "t"}}
    assert _botocore_reasons(_COLLIDING, "CreateJob", good) == []
    for strict in (False, True):
        assert v.validate_create_job(good, strict=strict) == []
    bad = {"jobOutput": {"status": "x"}, "document": {"title": 3, "extra": 1}}
    expected = sorted(
        [
            ("jobOutput.destination", "missing_required"),
            ("jobOutput.status", "unknown_parameter"),
            ("document.title", "invalid_type"),
            ("document.extra", "unknown_parameter"),
        ]
    )
    assert sorted(_botocore_reasons(_COLLIDING, "CreateJob", bad)) == sorted(
        [
            ("jobOutput.destination", "missing required field"),
            ("jobOutput.status", "unknown field"),
            ("document.title", "invalid type"),
            ("document.extra", "unknown field"),
        ]
    )
    assert sorted(_issues(v.validate_create_job(bad, strict=False))) == expected
    response = {"job": {"jobOutput": {"destination": "d"}, "status": "DONE"}}
    assert v.validate_describe_job_output(response) == []
    assert _issues(v.validate_describe_job_output({"job": {"status": 5}})) == [
        ("job.status", "invalid_type")
    ]


def test_personalize_create_batch_inference_job(tmp_path: Path) -> None:
    """Where the collision was found: ``BatchInferenceJobOutput`` vs ``BatchInferenceJob``'s
    output check; ``jobOutput.s3DataDestination`` was reported as unknown."""
    r = release("installed")
    if "personalize" not in r.services():
        pytest.skip("the installed botocore has no personalize")
    raw = r.load_model("personalize")
    source, v = _generate(raw, "personalize", tmp_path)
    assert _defined_twice(source) == []
    params = {
        "jobName": "job",
        "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/s/1",
        "jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
        "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
        "roleArn": "arn:aws:iam::123456789012:role/personalize",
    }
    service = botocore.model.ServiceModel(raw, "personalize")
    shape = input_shape(service.operation_model("CreateBatchInferenceJob"))
    assert not botocore.validate.ParamValidator().validate(params, shape).has_errors()
    assert v.validate_create_batch_inference_job(params, strict=False) == []
    assert v.validate_create_batch_inference_job(params, strict=True) == []
    # and as the package personalize gets (71 operations)
    model = import_model(raw, name="personalize")
    files = ValidatorsGenerator().generate(GenerationContext(model=model, spec=spec()))
    for rel, text in files.items():
        (tmp_path / "split" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "split" / rel).write_text(text, encoding="utf-8")
    package = import_generated(
        f"_cases_personalize_{tmp_path.name}_split", tmp_path / "split", "validators"
    )
    assert package.validate("CreateBatchInferenceJob", params, strict=False) == []
    assert package.validate("CreateBatchInferenceJob", params, strict=True) == []


# -- a header with the jsonvalue trait ---------------------------------------------------------

_JSONVALUE: dict[str, Any] = {
    "version": "2.0",
    "metadata": _METADATA,
    "operations": {
        "Publish": {
            "name": "Publish",
            "http": {"method": "POST", "requestUri": "/topics/{topic}"},
            "input": {"shape": "PublishRequest"},
        }
    },
    "shapes": {
        "PublishRequest": {
            "type": "structure",
            "required": ["topic"],
            "members": {
                "topic": {"shape": "String", "location": "uri", "locationName": "topic"},
                "userProperties": {
                    "shape": "UserProperties",
                    "jsonvalue": True,
                    "location": "header",
                    "locationName": "x-amz-user-properties",
                },
            },
        },
        "UserProperties": {"type": "string"},
        "String": {"type": "string"},
    },
}

_JSON_VALUES: list[Any] = [
    None,
    "text",
    7,
    2.5,
    True,
    [{"deviceName": "alpha"}, {"deviceCnt": "45"}],
    {"a": [1, None]},
    (1, 2),
    {1: "int keys"},
]
_NOT_JSON: list[Any] = [{1, 2}, b"bytes", object(), {"nested": {3}}, {(1, 2): "tuple key"}]


@pytest.mark.parametrize(
    ("value", "encodable"),
    [(value, True) for value in _JSON_VALUES] + [(value, False) for value in _NOT_JSON],
    ids=lambda v: type(v).__name__,
)
def test_jsonvalue_header_takes_what_botocore_takes(
    value: Any, encodable: bool, tmp_path: Path
) -> None:
    _, v = _generate(_JSONVALUE, "jsonvalue", tmp_path)
    params = {"topic": "t", "userProperties": value}
    botocore_says = _botocore_reasons(_JSONVALUE, "Publish", params)
    ours = _issues(v.validate_publish(params, strict=False))
    if encodable:
        assert botocore_says == [] and ours == []
        assert v.validate_publish(params, strict=True) == []
    else:
        assert botocore_says == [("userProperties", "unable to encode to json")]
        assert ours == [("userProperties", "invalid_type")]
        message = v.validate_publish(params, strict=True)[0].message
        assert message.startswith("Invalid parameter userProperties must be json serializable: ")


def test_jsonvalue_header_in_the_dataclasses(tmp_path: Path) -> None:
    """A dataclass field of a jsonvalue header holds what botocore takes: any value json.dumps
    encodes (not only a string, the shape's type), and refuses the rest with a ShapeError."""
    from codegen.generators.dataclasses_gen import DataclassesGenerator

    model = import_model(_JSONVALUE, name="jsonvalue")
    source = DataclassesGenerator().generate(GenerationContext(model=model, spec=spec()))[
        "shapes.py"
    ]
    assert "user_properties: Any | None = None" in source
    shapes = import_source(source, f"_cases_jsonvalue_shapes_{tmp_path.name}", tmp_path)
    for value in _JSON_VALUES:
        data = {"topic": "t", "userProperties": value}
        assert shapes.PublishRequest.from_dict(data).to_dict() == (
            data if value is not None else {"topic": "t"}
        )
        assert shapes.PublishRequest(topic="t", user_properties=value).user_properties == value
    for value in _NOT_JSON:
        with pytest.raises(shapes.ShapeError, match="user_properties: expected a value json"):
            shapes.PublishRequest(topic="t", user_properties=value)
        with pytest.raises(shapes.ShapeError, match="userProperties"):
            shapes.PublishRequest.from_dict({"topic": "t", "userProperties": value})


def test_jsonvalue_strict_rejects_what_json_cannot_hold(tmp_path: Path) -> None:
    _, v = _generate(_JSONVALUE, "jsonvalue_nan", tmp_path)
    for number in (float("nan"), float("inf")):
        params = {"topic": "t", "userProperties": {"score": number}}
        assert _botocore_reasons(_JSONVALUE, "Publish", params) == []  # botocore writes NaN
        assert v.validate_publish(params, strict=False) == []
        assert _issues(v.validate_publish(params, strict=True)) == [
            ("userProperties", "invalid_type")
        ]


def test_iot_data_publish_user_properties(tmp_path: Path) -> None:
    r = release("installed")
    if "iot-data" not in r.services():
        pytest.skip("the installed botocore has no iot-data")
    raw = r.load_model("iot-data")
    _, v = _generate(raw, "iot_data", tmp_path)
    shape = input_shape(botocore.model.ServiceModel(raw, "iot-data").operation_model("Publish"))
    for value in (None, [{"deviceName": "alpha"}], "[]", {2}):
        params = {"topic": "t", "userProperties": value}
        botocore_ok = not botocore.validate.ParamValidator().validate(params, shape).has_errors()
        assert botocore_ok == (value != {2})
        assert (v.validate_publish(params, strict=False) == []) == botocore_ok


def test_jsonvalue_header_in_the_json_schema() -> None:
    """The JSON Schema agrees with strict mode: any JSON value (JSON has no NaN)."""
    import jsonschema

    from codegen.generators.jsonschema_gen import schemas

    schema = schemas(import_model(_JSONVALUE, name="jsonvalue"))["schemas/Publish.input.json"]
    validator = jsonschema.validators.validator_for(schema)(schema)
    for value in [None, "text", 7, 2.5, True, [{"deviceName": "alpha"}], {"a": [1, None]}]:
        assert list(validator.iter_errors({"topic": "t", "userProperties": value})) == []
    assert list(validator.iter_errors({"topic": 5, "userProperties": None}))  # the rest is checked
