"""Differential test over whole botocore services: our generated validators against botocore's
``ParamValidator``, and our generated JSON Schemas against our validators.

CI runs every operation of the 20 services of the installed botocore with the most varied
shapes (``SAMPLE``, chosen by :func:`differential_support.variety`: distinct shape types, shape
keys and member-reference keys; a test checks the list still is that top 20). That is more than
2,000 operations; each service is generated once per session into a temporary folder, and each
operation gets a few hypothesis examples. ``APIGEN_SLOW_TESTS=1`` runs every operation of every
service of the installed botocore, with more examples.

For each example (built from *botocore's* shapes, valid or mutated; see ``BotocoreStrategies``):

* ours with ``strict=False`` and botocore give the same verdict and the same issues at the same
  paths (codes compared where botocore has one: its "invalid length" is ours' too-short length
  or too few items; unions with no or two members are ``invalid_type``); the one named
  exception is botocore's path inside documents (see ``disagreements``);
* where the parameters have a JSON form, the generated JSON Schema (``jsonschema``) rejects it
  exactly when ours with ``strict=True`` does, each schema error at or above an issue of ours
  and each issue of ours at or below a schema error; the named exception is a string at a
  timestamp that does not parse (see ``_unparsed_timestamp_string``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from codegen.generators.split import SPLIT_THRESHOLD
from tests.support.differential import (
    STATS,
    Generated,
    NoJsonForm,
    botocore_issues,
    disagreements,
    most_varied,
    to_json,
)
from tests.support.helpers import input_shape, release
from tests.support.validators import schema_errors, schema_mismatches

# The 20 most varied services of the installed botocore (1.44.18, pinned), most varied first.
SAMPLE = (
    "bedrock-agentcore",
    "bedrock",
    "location",
    "bedrock-runtime",
    "bedrock-agent-runtime",
    "quicksight",
    "bedrock-agentcore-control",
    "qconnect",
    "datazone",
    "iotsitewise",
    "bedrock-agent",
    "context",
    "devops-agent",
    "connect",
    "glue",
    "s3",
    "lambda",
    "appmonetization",
    "iot-managed-integrations",
    "iot",
)
SLOW = os.environ.get("APIGEN_SLOW_TESTS") == "1"
EXAMPLES = 12 if SLOW else 3

_generated: dict[str, Generated] = {}
_folder: list[Path] = []


@pytest.fixture(scope="session")
def generated_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not _folder:
        _folder.append(tmp_path_factory.mktemp("differential"))
    return _folder[0]


def generated(service: str, folder: Path) -> Generated:
    """The service's validators and schemas, generated once per session."""
    if service not in _generated:
        _generated.clear()  # the cases run service by service: keep one in memory
        _generated[service] = Generated(release("installed"), service, folder / service)
    return _generated[service]


def _cases(services: tuple[str, ...] | list[str]) -> list[Any]:
    r = release("installed")
    known = set(r.services())  # an older botocore may lack a sampled service
    return [
        pytest.param(service, operation, id=f"{service}-{operation}")
        for service in services
        if service in known
        for operation, body in sorted(r.load_model(service)["operations"].items())
        if "input" in body
    ]


def _every_service() -> list[str]:
    return release("installed").services() if SLOW else []


def check_operation(folder: Path, service: str, operation: str, data: st.DataObject) -> None:
    g = generated(service, folder)
    shape = input_shape(g.botocore.operation_model(operation))
    params = data.draw(g.strategies.params(shape), label="params")
    ours = g.validators.validate(operation, params, strict=False)
    theirs = botocore_issues(params, shape)
    context = (
        f"\nparams:   {params!r}\nbotocore: {sorted(theirs)}"
        f"\nours:     {sorted((i.path, i.code) for i in ours)}"
    )
    assert disagreements(ours, theirs) == [], context
    STATS["operations"].add((service, operation))
    STATS["examples"] += 1
    try:
        document = to_json(params)
    except NoJsonForm:
        return
    strict = [
        issue
        for issue in g.validators.validate(operation, document, strict=True)
        if not _unparsed_timestamp_string(issue)
    ]
    schema_errs = schema_errors(g.json_validator(operation), document)
    context = (
        f"\nJSON:   {document!r}\nstrict: {[(i.path, i.code, i.rule) for i in strict]}"
        f"\nschema: {schema_errs}"
    )
    assert schema_mismatches(strict, schema_errs) == [], context
    STATS["schema_examples"] += 1


def _unparsed_timestamp_string(issue: Any) -> bool:
    """Named exception: a string that does not parse as a timestamp. The schema says
    ``format: date-time``, which JSON Schema validators check only when asked to (jsonschema
    without a format checker does not), and botocore parses more than RFC 3339 anyway."""
    return (
        issue.code == "invalid_type"
        and "timestamp-string" in issue.message
        and "<class 'str'>" in issue.message
    )


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_the_sample_is_the_most_varied_services() -> None:
    r = release("installed")
    if r.version != "1.44.18":
        pytest.skip(f"SAMPLE lists the most varied services of botocore 1.44.18, not {r.version}")
    assert most_varied(r) == list(SAMPLE)
    assert len(_cases(SAMPLE)) >= 2000


def test_the_sample_goes_through_split_packages(generated_folder: Path) -> None:
    """Services of more than 64 operations get lazily loaded packages: the sample holds
    several, so the differential test validates through the packages as users do."""
    r = release("installed")
    known = set(r.services())
    large = [
        s for s in SAMPLE if s in known and len(r.load_model(s)["operations"]) > SPLIT_THRESHOLD
    ]
    assert len(large) >= 5, large
    g = generated(large[-1], generated_folder)
    assert g.split and hasattr(g.validators, "__path__")  # a package


def run_operation(folder: Path, service: str, operation: str) -> None:
    # A fresh hypothesis test per operation: one @given function parametrized thousands of
    # times nests its settings once per run until Python's recursion limit (hypothesis 6.170).
    @SETTINGS
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        check_operation(folder, service, operation, data)

    examples()


@pytest.mark.parametrize(("service", "operation"), _cases(SAMPLE))
def test_sample_agrees_with_botocore_and_the_schema(
    generated_folder: Path, service: str, operation: str
) -> None:
    run_operation(generated_folder, service, operation)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("service", "operation"), _cases([s for s in _every_service() if s not in SAMPLE])
)
def test_every_service_agrees_with_botocore_and_the_schema(
    generated_folder: Path, service: str, operation: str
) -> None:
    run_operation(generated_folder, service, operation)


@pytest.mark.parametrize(
    ("service", "operation", "reason"),
    [
        ("bedrock-runtime", "Converse", "more than one input"),
        ("bedrock-runtime", "Converse", "empty input"),
        ("bedrock-runtime", "Converse", "invalid type for document"),
        ("bedrock-runtime", "Converse", "missing required field"),
        ("bedrock-runtime", "Converse", "unknown field"),
        ("bedrock-runtime", "Converse", "invalid length"),
        ("bedrock-runtime", "Converse", "invalid range"),
        ("bedrock-runtime", "Converse", "invalid type"),
        ("s3", "PutObject", "invalid type"),  # blobs, timestamps, maps
        ("lex-runtime", "PostContent", "unable to encode to json"),  # a JSON-value header
    ],
)
def test_the_strategies_reach_every_kind_of_botocore_error(
    generated_folder: Path, service: str, operation: str, reason: str
) -> None:
    """Hypothesis finds, among the parameters the strategies build, one that botocore rejects
    for ``reason``, deep in the shape where the shape has depth."""
    from hypothesis import find

    g = generated(service, generated_folder)
    shape = input_shape(g.botocore.operation_model(operation))
    found = find(
        g.strategies.params(shape),
        lambda p: any(r == reason for _, _, r in botocore_issues(p, shape)),
        settings=settings(
            max_examples=2000,
            database=None,
            phases=[Phase.generate],  # the first one found is enough: no shrinking
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert any(r == reason for _, _, r in botocore_issues(found, shape))


# -- disagreements this test found, each fixed in the generators -------------------------------


def test_a_host_label_is_never_empty(generated_folder: Path) -> None:
    """botocore requires at least one character in a member bound into the host name
    (``hostLabel``), even where its shape states no ``min``."""
    g = generated("s3control", generated_folder)
    shape = input_shape(g.botocore.operation_model("DeleteBucketPolicy"))
    assert "min" not in shape.members["AccountId"].metadata
    for params, expected in [
        ({"AccountId": "", "Bucket": "bkt"}, [("AccountId", "invalid_length")]),
        ({"AccountId": "123456789012", "Bucket": "bkt"}, []),
    ]:
        ours = g.validators.validate("DeleteBucketPolicy", params, strict=False)
        assert [(i.path, i.code) for i in ours] == expected
        assert [(p, c) for p, c, _ in botocore_issues(params, shape)] == [
            (p, "length") for p, _ in expected
        ]
        schema_paths = [
            p
            for e in schema_errors(g.json_validator("DeleteBucketPolicy"), params)
            for p in e.paths
        ]
        assert set(schema_paths) == {p for p, _ in expected}  # (the pattern fails too)
    account = g.schemas["schemas/DeleteBucketPolicy.input.json"]["properties"]["AccountId"]
    assert account["minLength"] == 1


def test_a_decimal_is_epoch_seconds_for_a_timestamp(generated_folder: Path) -> None:
    """botocore takes anything ``float()`` takes as epoch seconds (a Decimal, for one)."""
    from decimal import Decimal

    g = generated("s3control", generated_folder)
    shape = input_shape(g.botocore.operation_model("ListJobs"))
    assert not [m for m in shape.members.values() if m.type_name == "timestamp"]
    g = generated("bedrock", generated_folder)
    operation = "ListCustomModelDeployments"
    shape = input_shape(g.botocore.operation_model(operation))
    assert shape.members["createdBefore"].type_name == "timestamp"
    for value, valid in [(Decimal("1.5"), True), (Decimal("NaN"), False), ([1], False)]:
        params = {"createdBefore": value}
        for strict in (False, True):
            ours = g.validators.validate(operation, params, strict=strict)
            assert [(i.path, i.code) for i in ours] == (
                [] if valid else [("createdBefore", "invalid_type")]
            )
        assert (botocore_issues(params, shape) == []) == valid


def test_the_document_path_exception_excuses_only_document_paths(generated_folder: Path) -> None:
    """botocore names an error inside a document object by the innermost key alone."""
    g = generated("bedrock-runtime", generated_folder)
    shape = input_shape(g.botocore.operation_model("Converse"))
    params = {
        "modelId": "m",
        "additionalModelRequestFields": {"a": {"b": {1, 2}}, "c": [b"x"]},
    }
    theirs = botocore_issues(params, shape)
    assert sorted((p, c) for p, c, _ in theirs) == [
        ("b", "invalid_type"),
        ("c[0]", "invalid_type"),
    ]
    ours = g.validators.validate("Converse", params, strict=False)
    assert sorted((i.path, i.code) for i in ours) == [
        ("additionalModelRequestFields.a.b", "invalid_type"),
        ("additionalModelRequestFields.c[0]", "invalid_type"),
    ]
    assert disagreements(ours, theirs) == []
    # not excused: a missing issue of ours, or a botocore error that is not a document's
    inner = [i for i in ours if i.path.endswith(".b")]
    assert disagreements(inner, theirs) == [
        "botocore reports invalid_type at 'c[0]', ours does not"
    ]
    plain = [("b", "invalid_type", "invalid type")]
    assert disagreements(inner, plain) == [
        "botocore reports invalid_type at 'b', ours does not",
        "ours reports invalid_type at 'additionalModelRequestFields.a.b', botocore does not",
    ]
