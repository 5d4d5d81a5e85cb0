"""The generated JSON Schemas (``generated/ec2/schemas/*.json``) and their regular expressions.

* every schema is a valid draft 2020-12 schema, compiles in jsonschema and fastjsonschema, has
  ``$id``, ``title`` and ``description``, forbids unknown members and is generated
  deterministically (sorted keys where order does not matter);
* it states the spec's documented rules: each rule (by id), each documented constraint;
* its regular expressions are valid ECMA-262 (checked with node's ``RegExp`` and the ``u``
  flag when node is installed) and match exactly the same strings there as in Python's ``re``;
  :func:`portable_regex` rewrites or rejects what the two languages read differently;
* the fixture cases give the same verdicts through the schema as through the validators in
  strict mode, but for the documented differences of the JSON form.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.generators.base import GenerationContext
from codegen.generators.jsonschema_gen import JsonSchemaGenerator
from codegen.loader import load_spec
from codegen.regexes import portable_regex
from tests.support.paths import GENERATED, SPEC
from tests.support.validators import (
    FORMAT_EXAMPLES,
    cases_document,
    decode,
    ec2_model,
    fast_validator,
    json_validator,
    schema_documents,
    schema_errors,
    schema_mismatches,
    to_json,
    validators_named,
    widgets_model,
)

NODE = shutil.which("node")
EC2_SCHEMAS = schema_documents("ec2")


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def _patterns(document: dict[str, Any]) -> list[str]:
    return sorted(
        {
            node[key]
            for _, node in _walk(document)
            for key in ("pattern",)
            if isinstance(node.get(key), str)
        }
    )


# -- form --------------------------------------------------------------------------------------


def test_one_schema_per_operation_input_and_output() -> None:
    names = sorted(EC2_SCHEMAS)
    assert names == [
        f"schemas/{op}.{d}.json"
        for op in ("CreateFlowLogs", "DeleteFlowLogs", "DescribeFlowLogs")
        for d in ("input", "output")
    ]


@pytest.mark.parametrize("path", sorted(EC2_SCHEMAS))
def test_schema_is_valid_and_compiles(path: str) -> None:
    document = EC2_SCHEMAS[path]
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    cls = __import__("jsonschema").validators.validator_for(document)
    assert cls.__name__ == "Draft202012Validator"
    cls.check_schema(document)
    fastjsonschema.compile(document, use_default=False)
    assert document["$id"].startswith("urn:apigen:ec2:2016-11-15:")
    assert document["title"] and document["description"]
    assert "JSON form" in document["description"]


@pytest.mark.parametrize("path", sorted(EC2_SCHEMAS))
def test_objects_forbid_unknown_members_and_keys_are_sorted(path: str) -> None:
    # parameters are closed; a response accepts members a newer API added (like validate_output)
    closed = path.endswith(".input.json")
    for pointer, node in _walk(EC2_SCHEMAS[path]):
        if node.get("type") == "object" and "properties" in node:
            if closed:
                assert node["additionalProperties"] is False, pointer
            else:
                assert "additionalProperties" not in node, pointer
            assert list(node["properties"]) == sorted(node["properties"]), pointer
        if isinstance(node.get("required"), list):
            assert node["required"] == sorted(node["required"]) or len(node["required"]) == 1, (
                pointer
            )
        if "$defs" in node:
            assert list(node["$defs"]) == sorted(node["$defs"]), pointer
        if "$ref" in node:
            assert set(node) <= {
                "$ref",
                "description",
            }, f"{pointer}: draft 7 ignores a $ref's siblings"


def test_generation_is_deterministic_and_current() -> None:
    spec = load_spec(SPEC)
    first = JsonSchemaGenerator().generate(GenerationContext(model=spec.model(), spec=spec))
    second = JsonSchemaGenerator().generate(
        GenerationContext(model=load_spec(SPEC).model(), spec=load_spec(SPEC))
    )
    assert first == second
    for path, content in first.items():
        assert (GENERATED / path).read_text(encoding="utf-8") == content
    manifest = json.loads((GENERATED / "MANIFEST.json").read_text(encoding="utf-8"))
    assert {p for p, g in manifest["files"].items() if g == "jsonschema"} == set(first)


# -- the documented rules are in the schema --------------------------------------------------


def test_every_rule_and_constraint_is_stated() -> None:
    create = EC2_SCHEMAS["schemas/CreateFlowLogs.input.json"]
    titles = {entry["title"] for entry in create["allOf"]}
    assert titles == {rule.id for rule in ec2_model().shape("CreateFlowLogsRequest").rules}
    props = create["properties"]
    assert props["ResourceIds"]["maxItems"] == 1000
    assert props["MaxAggregationInterval"]["enum"] == [60, 600]
    assert props["MaxAggregationInterval"]["default"] == 600
    assert props["LogDestinationType"]["default"] == "cloud-watch-logs"
    assert props["TrafficType"]["enum"] == ["ACCEPT", "REJECT", "ALL"]
    assert "pattern" in props["LogFormat"] and "$comment" in props["LogFormat"]
    assert create["required"] == ["ResourceIds", "ResourceType", "TrafficType"]
    describe = EC2_SCHEMAS["schemas/DescribeFlowLogs.input.json"]
    assert describe["properties"]["FlowLogIds"]["maxItems"] == 1000
    filters = describe["properties"]["Filter"]["items"]["allOf"][1]
    assert filters["properties"]["Name"]["enum"] == [
        "deliver-log-status",
        "log-destination-type",
        "flow-log-id",
        "log-group-name",
        "resource-id",
        "traffic-type",
    ]
    assert len(filters["allOf"]) == 3  # the names that take only some values
    output = EC2_SCHEMAS["schemas/DescribeFlowLogs.output.json"]
    flow_log = output["$defs"]["FlowLog"]["properties"]
    assert flow_log["CreationTime"] == {
        "description": "The date and time the flow log was created.",
        "type": ["string", "number"],
        "format": "date-time",
    }
    assert flow_log["FlowLogStatus"]["enum"] == ["ACTIVE"]
    assert "ResponseMetadata" in output["properties"]


def test_default_counts_in_conditions_exactly_when_the_rule_says_so() -> None:
    rules = {e["title"]: e for e in EC2_SCHEMAS["schemas/CreateFlowLogs.input.json"]["allOf"]}
    # cloud-watch-logs is the default: an absent LogDestinationType satisfies the condition
    assert "required" not in rules["cloudwatch-requires-log-group"]["if"]
    # s3 is not: the member must be there
    assert rules["s3-requires-destination"]["if"]["required"] == ["LogDestinationType"]


# -- regular expressions: ECMA-262 and Python agree ----------------------------------------------

SPECIAL_STRINGS = [
    "",
    "\n",
    "a\n",
    "\r",
    "\u2028",
    "\u0663",
    "A",
    "a-1",
    "${version}",
    "${version}\n",
    "AB-1\n",
]


def _samples(pattern: str, rng: random.Random) -> list[str]:
    seeds = [s for examples in FORMAT_EXAMPLES.values() for s in examples] + SPECIAL_STRINGS
    out = list(seeds)
    alphabet = "aZ09-_/:.*$ {}\n\r\u2028\u00e9\u0663AWSLogs"
    for seed in seeds:
        for _ in range(4):
            chars = list(seed)
            for _ in range(rng.randint(1, 3)):
                position = rng.randint(0, len(chars))
                if chars and rng.random() < 0.4:
                    del chars[min(position, len(chars) - 1)]
                else:
                    chars.insert(position, rng.choice(alphabet))
            out.append("".join(chars))
    return out


def _all_patterns() -> list[str]:
    patterns: set[str] = set()
    for document in [*EC2_SCHEMAS.values(), *schema_documents("widgets").values()]:
        patterns |= set(_patterns(document))
    return sorted(patterns)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_patterns_are_ecma262_and_match_as_in_python() -> None:
    rng = random.Random(20200204)
    pairs = [(p, s) for p in _all_patterns() for s in _samples(p, rng)]
    script = (
        "const d = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(d.map(([p, s]) => new RegExp(p, 'u').test(s))));"
    )
    result = subprocess.run(
        [NODE or "node", "-e", script],  # skipped where NODE is None
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    in_node = json.loads(result.stdout)
    differ = [(p, s, n) for (p, s), n in zip(pairs, in_node) if (re.search(p, s) is not None) != n]
    assert differ == [], differ[:5]
    assert len(_all_patterns()) >= 5


@pytest.mark.parametrize(
    ("pattern", "portable"),
    [
        (r"^a$", r"^a(?![\s\S])"),
        (r"a.b", r"a[^\n\r\u2028\u2029]b"),
        (r"\d+", r"[0-9]+"),
        (r"[\w.-]", r"[A-Za-z0-9_.-]"),
        (r"[\s\S]*?", r"[\s\S]*?"),
        (r"\-x", r"-x"),
        (r"\$\{a\}", r"\$\{a\}"),
        (r"[$]", r"[\$]"),
        (r"x{2,3}?", r"x{2,3}?"),
        (r"(?:a|b)(?=c)(?!d)", r"(?:a|b)(?=c)(?!d)"),
    ],
)
def test_portable_regex_rewrites(pattern: str, portable: str) -> None:
    assert portable_regex(pattern) == portable


@pytest.mark.parametrize(
    "pattern",
    [  # (?i)a, \Aa, \bword, (a)\1, [\D], a] and [\w-z] are translated (tests/test_regexes.py)
        r"(?P<n>a)",
        r"a(?i)b",
        r"a\Z",
        r"\1(a)",
        r"a{",
        r"x{,3}",
        r"a++",
        r"[]a]",
        r"[a-\w]",
    ],
)
def test_portable_regex_rejects_what_the_languages_read_differently(pattern: str) -> None:
    with pytest.raises(ValueError):
        portable_regex(pattern)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_formats_mean_what_the_model_says(data: st.DataObject) -> None:
    """The schema's regex of a format accepts what ``Format.violations`` accepts, except around
    line terminators, where ECMA-262's reading (the schema's, and the validators') is stricter:
    its ``$`` does not match before a final newline and its ``.`` does not match ``\r``,
    ``\u2028`` or ``\u2029``; Python's ``re`` (which ``Format.violations`` uses) does both."""
    model = ec2_model()
    name = data.draw(st.sampled_from(sorted(model.formats)), label="format")
    fmt = model.formats[name]
    options = [st.sampled_from(FORMAT_EXAMPLES[name]), st.text(max_size=12)]
    if fmt.pattern:
        options.append(st.from_regex(fmt.pattern, fullmatch=True))
    if fmt.fields:
        options.append(
            st.lists(st.sampled_from(fmt.fields.fields), min_size=1, max_size=4).map(
                lambda f: " ".join(f"${{{x}}}" for x in f)
            )
        )
    value = data.draw(
        st.one_of(*options).map(
            lambda v: v + data.draw(st.sampled_from(["", "", "\n", "/AWSLogs"]))
        ),
        label="value",
    )
    portable = re.search(portable_regex(fmt.regex()), value) is not None
    if any(ch in value for ch in "\n\r\u2028\u2029"):
        assert not portable or fmt.violations(value) == []
    else:
        assert portable == (fmt.violations(value) == [])


# -- the fixture cases through the schema --------------------------------------------------------

# Cases whose JSON form the schema judges differently, and why (checked to still differ).
KNOWN_DIFFERENCES = {
    "invalid_type: a float for an integer": "JSON Schema counts 60.0 as an integer",
    "output: a timestamp that is not one": "'yesterday' is a string; jsonschema checks format only with a format checker",
    "widgets invalid_type: epoch seconds and ISO strings are timestamps, a date-less string is not": (
        "'soon' is a string; jsonschema checks format only with a format checker"
    ),
}


def _has_schema(case: dict[str, Any]) -> bool:
    model = ec2_model() if case.get("model", "ec2") == "ec2" else widgets_model()
    op = model.operation(case["operation"])
    return (op.input if case.get("direction", "input") == "input" else op.output) is not None


def _strict_cases() -> list[Any]:
    return [
        pytest.param(case, id=case["description"])
        for case in cases_document()["cases"]
        if case["strict"] in (True, "both") and _has_schema(case)
    ]


@pytest.mark.parametrize("case", _strict_cases())
def test_fixture_cases_through_the_schema(case: dict[str, Any]) -> None:
    name = case.get("model", "ec2")
    direction = case.get("direction", "input")
    document = to_json(decode(case["params"]))
    module = validators_named(name)
    # parameters: unknown members are issues in both; responses: accepted by both (by default)
    check = module.validate if direction == "input" else module.validate_output
    ours = check(case["operation"], document, strict=True)
    schema_errs = schema_errors(json_validator(name, case["operation"], direction), document)
    problems = schema_mismatches(ours, schema_errs)
    if case["description"] in KNOWN_DIFFERENCES:
        assert problems, (
            f"no longer differs: drop it from KNOWN_DIFFERENCES ({KNOWN_DIFFERENCES[case['description']]})"
        )
        return
    assert problems == [], (
        f"\nJSON: {document}\nours: {[(i.path, i.code) for i in ours]}\nschema: {[str(e) for e in schema_errs]}"
    )
    try:
        fast_validator(name, case["operation"], direction)(document)
        fast_ok = True
    except fastjsonschema.JsonSchemaValueException:
        fast_ok = False
    assert fast_ok == (not schema_errs)


def test_a_response_from_a_newer_api_validates_as_the_validators_say() -> None:
    # AWS added Tags to FlowLog after 2020-02-04: the output validators accept it by default, the
    # output schema rejected it (additionalProperties: false); a parameter unknown stays an error
    response: dict[str, Any] = {
        "FlowLogs": [
            {
                "FlowLogId": "fl-1",
                "TrafficType": "ALL",
                "CreationTime": "2020-02-04T10:00:00Z",
                "Tags": [{"Key": "team", "Value": "net"}],
            }
        ],
        "SomethingNew": True,
    }
    module = validators_named("ec2")
    assert module.validate_output("DescribeFlowLogs", response) == []
    assert list(json_validator("ec2", "DescribeFlowLogs", "output").iter_errors(response)) == []
    fast_validator("ec2", "DescribeFlowLogs", "output")(response)  # raises if invalid
    response["FlowLogs"][0]["TrafficType"] = 5  # known members are still checked
    assert list(json_validator("ec2", "DescribeFlowLogs", "output").iter_errors(response))
    params: dict[str, Any] = {"FlowLogIds": ["fl-1"], "SomethingNew": True}
    assert module.validate("DeleteFlowLogs", params)
    assert list(json_validator("ec2", "DeleteFlowLogs", "input").iter_errors(params))


@pytest.mark.parametrize("when", [1580774400, 1580774400.5, "2020-02-04T00:00:00Z"])
def test_a_timestamp_in_json_is_an_rfc_3339_string_or_epoch_seconds(when: Any) -> None:
    """Found by the whole-service differential test: the validators (as botocore) take epoch
    seconds for a timestamp; the schema used to take only strings."""
    response = {"FlowLogs": [{"CreationTime": when}]}
    assert validators_named("ec2").validate_output("DescribeFlowLogs", response, strict=True) == []
    assert _located_paths(json_validator("ec2", "DescribeFlowLogs", "output"), response) == []
    fast_validator("ec2", "DescribeFlowLogs", "output")(response)
    wrong = {"FlowLogs": [{"CreationTime": [when]}]}
    assert _located_paths(json_validator("ec2", "DescribeFlowLogs", "output"), wrong) == [
        "FlowLogs[0].CreationTime"
    ]


def _located_paths(validator: Any, instance: Any) -> list[str]:
    return [path for error in schema_errors(validator, instance) for path in error.paths]
