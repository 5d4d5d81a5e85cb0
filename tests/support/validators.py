"""Shared helpers of the validator and JSON Schema tests (this module holds no tests).

* the generated modules: ``generated/ec2/validators.py`` as written on disk, and the modules
  generated (in memory, into a temporary folder) for the synthetic ``widgets`` spec held in
  ``tests/fixtures/validator_cases.json``;
* the fixture cases, with the tags that JSON cannot express (datetimes, tuples, ...);
* botocore's ``ParamValidator`` and its errors as (path, code) pairs;
* the JSON form of parameters and the schema side (jsonschema, fastjsonschema);
* hypothesis strategies that build parameters from *our* model: mostly valid values, with
  wrong types, missing and unknown members, bad enums, out-of-range numbers, oversized lists,
  forbidden combinations and bad formats mixed in.
"""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore.model
import botocore.session
import botocore.validate
import fastjsonschema
import jsonschema
from hypothesis import strategies as st

from codegen.bridge.exporter import export_service
from codegen.generators.base import GenerationContext
from codegen.generators.jsonschema_gen import schemas
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec
from codegen.model import Constraints, Member, ServiceModel, Shape
from tests.support.imports import import_file, import_source
from tests.support.paths import FIXTURES, GENERATED, SPEC

CASES_FILE = FIXTURES / "validator_cases.json"

# -- the models and the generated modules -------------------------------------------------------


@cache
def cases_document() -> dict[str, Any]:
    with CASES_FILE.open(encoding="utf-8") as f:
        document: dict[str, Any] = json.load(f)
    return document


@cache
def ec2_model() -> ServiceModel:
    return load_spec(SPEC).model()


@cache
def _scratch() -> tempfile.TemporaryDirectory[str]:
    """A folder for the widgets spec and module, removed when the interpreter exits."""
    return tempfile.TemporaryDirectory(prefix="apigen-widgets-")


@cache
def widgets_spec_path() -> Path:
    path = Path(_scratch().name) / "widgets.json"
    path.write_text(json.dumps(cases_document()["models"]["widgets"], indent=2), encoding="utf-8")
    return path


@cache
def widgets_model() -> ServiceModel:
    return load_spec(widgets_spec_path()).model()


@cache
def ec2_validators() -> ModuleType:
    """``generated/ec2/validators.py`` as it is on disk (``apigen generate --check`` keeps it current)."""
    return import_file("generated_ec2_validators", GENERATED / "validators.py")


@cache
def widgets_validators() -> ModuleType:
    spec = load_spec(widgets_spec_path())
    files = ValidatorsGenerator().generate(GenerationContext(model=spec.model(), spec=spec))
    return import_source(files["validators.py"], "generated_widgets_validators")


def model_named(name: str) -> ServiceModel:
    return {"ec2": ec2_model, "widgets": widgets_model}[name]()


def validators_named(name: str) -> ModuleType:
    return {"ec2": ec2_validators, "widgets": widgets_validators}[name]()


@cache
def schema_documents(name: str) -> Mapping[str, dict[str, Any]]:
    """The generated schemas: from disk for ec2, generated in memory for widgets."""
    if name == "ec2":
        return {
            f"schemas/{p.name}": json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((GENERATED / "schemas").glob("*.json"))
        }
    return schemas(widgets_model())


def schema_for(name: str, operation: str, direction: str) -> dict[str, Any]:
    return schema_documents(name)[f"schemas/{operation}.{direction}.json"]


@cache
def json_validator(name: str, operation: str, direction: str) -> jsonschema.protocols.Validator:
    schema = schema_for(name, operation, direction)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@cache
def fast_validator(name: str, operation: str, direction: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(schema_for(name, operation, direction), use_default=False)


# -- fixture values ----------------------------------------------------------------------------


def decode(value: Any) -> Any:
    """Fixture JSON to Python: ``{"$datetime": iso}``, ``{"$tuple": [...]}``, ``{"$decimal": s}``,
    ``{"$bytes": s}``, ``{"$float": n}`` and ``{"$repeat": [value, n]}`` (a list of n copies)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, inner),) = value.items()
            if tag == "$datetime":
                return datetime.fromisoformat(inner)
            if tag == "$tuple":
                return tuple(decode(v) for v in inner)
            if tag == "$decimal":
                return Decimal(inner)
            if tag == "$bytes":
                return inner.encode("utf-8")
            if tag == "$float":
                return float(inner)
            if tag == "$repeat":
                return [decode(inner[0])] * inner[1]
        return {k: decode(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> Any:
    """The JSON form of parameters (what the schemas validate): datetimes as RFC 3339 strings,
    blobs as base64, Decimals as numbers, tuples as arrays."""

    def default(obj: Any) -> Any:
        if isinstance(obj, datetime):
            return obj.isoformat()
        if isinstance(obj, Decimal):
            return float(obj)
        if isinstance(obj, (bytes, bytearray)):
            return base64.b64encode(bytes(obj)).decode("ascii")
        raise TypeError(f"no JSON form for {obj!r}")

    return json.loads(json.dumps(value, default=default))


# -- botocore ----------------------------------------------------------------------------------

_BOTOCORE_CODES = {
    "missing required field": "missing_required",
    "unknown field": "unknown_parameter",
    "invalid type": "invalid_type",
    "invalid range": "invalid_range",
    "more than one input": "invalid_type",
    "empty input": "invalid_type",
}


@cache
def installed_ec2() -> botocore.model.ServiceModel:
    """The EC2 model of the installed botocore (newer than the spec: it has more members)."""
    return botocore.session.get_session().get_service_model("ec2")


@cache
def exported(name: str) -> botocore.model.ServiceModel:
    """Our spec exported to botocore's format and loaded by botocore: the very same shapes."""
    model = model_named(name)
    return botocore.model.ServiceModel(export_service(model), service_name=model.name)


def botocore_issues(params: Any, shape: botocore.model.Shape) -> list[tuple[str, str]]:
    """botocore's errors as (path, code): a missing or unknown member's path is the member's."""
    report = botocore.validate.ParamValidator().validate(params, shape)
    out: list[tuple[str, str]] = []
    for reason, name, extra in report._errors:
        path = name.removeprefix(".")
        if reason == "missing required field":
            path = f"{path}.{extra['required_name']}" if path else extra["required_name"]
        elif reason == "unknown field":
            path = f"{path}.{extra['unknown_param']}" if path else str(extra["unknown_param"])
        if reason == "invalid length":
            code = (
                "too_few_items" if isinstance(extra["param"], (list, tuple)) else "invalid_length"
            )
            out.append((path, code))
            continue
        out.append((path, _BOTOCORE_CODES[reason]))
    return out


def botocore_length_code(shape: botocore.model.Shape) -> str:
    return "too_few_items" if shape.type_name == "list" else "invalid_length"


# -- JSON Schema errors as paths ---------------------------------------------------------------


def _pointer_to_path(parts: Iterable[Any]) -> str:
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


@dataclass(frozen=True)
class SchemaError:
    """One JSON Schema error, located: the member(s) it is about (``paths``: one of them, e.g.
    the alternatives of an ``anyOf`` of ``required``), and the rule it comes from (the ``title``
    of the ``allOf`` entry the generator writes for each rule between members), if any."""

    paths: tuple[str, ...]
    rule: str | None
    keyword: str

    def __str__(self) -> str:
        where = " | ".join(repr(p) for p in self.paths)
        return f"{where} ({self.keyword}{', rule ' + self.rule if self.rule else ''})"


def _join(base: str, member: str) -> str:
    return f"{base}.{member}" if base else member


def _resolve(root: Any, node: Any, key: Any) -> Any:
    """One step along a schema path (jsonschema leaves ``$ref`` out of it: a key the node does
    not have is looked up in the node's ``$ref`` target, a local pointer)."""
    while isinstance(node, dict) and key not in node and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node[key]


def _schema_trail(root: Any, schema_path: Iterable[Any]) -> list[Any]:
    """The schema nodes along ``schema_path`` from the root (the root first)."""
    trail = [root]
    for key in schema_path:
        trail.append(_resolve(root, trail[-1], key))
    return trail


def _instance_at(instance: Any, path: Iterable[Any]) -> Any:
    for part in path:
        instance = instance[part]
    return instance


def _located(error: Any, root_schema: Any, root_instance: Any) -> list[tuple[str, ...]]:
    """The members an error is about, each as its alternatives (jsonschema gives no path to an
    error from a ``false`` subschema, and puts an ``anyOf`` error at the object)."""
    base = _pointer_to_path(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [m for m in error.validator_value if m not in error.instance]
        return [(_join(base, m),) for m in missing] or [(base,)]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in known]
        return [(_join(base, k),) for k in extra] or [(base,)]
    if error.validator is None and error.schema is False:
        # a member a ``properties`` subschema forbids: error.instance is that member's value
        trail = _schema_trail(root_schema, error.absolute_schema_path)
        owner = _instance_at(root_instance, error.absolute_path)
        assert list(error.absolute_schema_path)[-1] == "properties", error.absolute_schema_path
        forbidden = [k for k, sub in trail[-1].items() if sub is False and k in owner]
        return [tuple(_join(base, k) for k in forbidden if owner[k] is error.instance)]
    if (
        error.validator == "anyOf"
        and error.context
        and all(c.validator == "required" for c in error.context)
    ):
        # one of several members is required: the error is about any one of them
        missing = []
        for c in error.context:
            missing += [m for m in c.validator_value if m not in c.instance]
        return [tuple(_join(base, m) for m in missing)]
    return [(base,)]


def _rule_of(error: Any, root_schema: Any) -> str | None:
    """The title of the innermost ``allOf`` entry (a rule) the error comes from."""
    path = list(error.absolute_schema_path)
    trail = _schema_trail(root_schema, path)
    rule = None
    for i, key in enumerate(path[:-1]):
        if key == "allOf" and isinstance(path[i + 1], int):
            entry = trail[i + 2]
            if isinstance(entry, dict) and "title" in entry:
                rule = entry["title"]
    return rule


def schema_errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[SchemaError]:
    """Each schema error, located at the member(s) it is about (botocore-style paths: a missing
    or extra member's own path for ``required`` and ``additionalProperties``, a forbidden
    member's own path, the alternatives of an ``anyOf`` of ``required``)."""
    out: list[SchemaError] = []
    root = validator.schema
    # jsonschema yields one error per forbidden member present, in the order of the
    # ``properties`` object: several with the same value would be told apart by order
    taken: dict[tuple[Any, ...], int] = {}
    for error in validator.iter_errors(instance):
        rule = _rule_of(error, root)
        keyword = str(error.validator)
        for paths in _located(error, root, instance):
            if error.validator is None and len(paths) > 1:
                key = (tuple(error.absolute_path), tuple(error.absolute_schema_path))
                index = taken.get(key, 0)
                taken[key] = index + 1
                paths = (paths[index],)
            assert paths, f"cannot locate {error.message!r} at {list(error.absolute_path)}"
            out.append(SchemaError(paths, rule, "false" if error.validator is None else keyword))
    return out


def _key_free(path: str) -> str:
    """A map key, botocore's ``Tags (key: k)``, counts as the map (JSON Pointer cannot point
    at a key)."""
    return path.split(" (key: ")[0]


def schema_mismatches(issues: Iterable[Any], errors: list[SchemaError]) -> list[str]:
    """How the issues of ours and the schema's errors disagree (empty when they agree): the
    verdicts, then each schema error without an issue of ours at one of its members (with its
    rule, when it comes from one), and each issue of ours without such a schema error.

    Paths are compared for equality, never by ancestry: an error at the parameters ('')
    explains only an issue at the parameters."""
    issues = list(issues)
    if bool(issues) != bool(errors):
        return ["the schema and strict mode disagree on validity"]

    def explains(error: SchemaError, issue: Any) -> bool:
        if error.rule is None or issue.rule == error.rule:
            return True
        # a rule requiring a member the shape requires anyway: the member is reported once,
        # by the plain required check (no rule), as botocore reports it
        return (
            error.keyword == "required" and issue.code == "missing_required" and issue.rule is None
        )

    # each side looked up by the (key-free) paths the other names: a fuzzed request can carry
    # thousands of issues and errors, which a comparison of every pair made minutes long
    issues_at: dict[str, list[Any]] = {}
    for issue in issues:
        issues_at.setdefault(_key_free(issue.path), []).append(issue)
    errors_at: dict[str, list[SchemaError]] = {}
    for error in errors:
        for path in {_key_free(p) for p in error.paths}:
            errors_at.setdefault(path, []).append(error)
    problems = [
        f"no issue of ours for the schema error at {e}"
        for e in errors
        if not any(
            explains(e, i) for p in {_key_free(p) for p in e.paths} for i in issues_at.get(p, ())
        )
    ]
    problems += [
        f"no schema error for our issue at {i.path!r} ({i.code}, rule {i.rule})"
        for i in issues
        if not any(explains(e, i) for e in errors_at.get(_key_free(i.path), ()))
    ]
    return problems


# -- documented rules --------------------------------------------------------------------------

CONSTRAINT_NAMES = frozenset(name for name in Constraints.__dataclass_fields__ if name != "source")
# Shape-level constraints that botocore's model states and botocore does not check, and the
# strict-mode type rule (a bool is not a number). Strict mode reports these too.
STRICT_SHAPE_CHECKS = frozenset({"enum", "max", "min", "pattern", "type"})


def documented_rules(model: ServiceModel) -> frozenset[str]:
    """Every name an issue's ``rule`` may carry when strict mode adds it: rule ids, constraint
    names and the shape-level checks botocore skips."""
    ids = {rule.id for shape in model.shapes.values() for rule in shape.rules}
    return frozenset(ids) | CONSTRAINT_NAMES | STRICT_SHAPE_CHECKS


# -- which rules a member has ------------------------------------------------------------------

_MISSING = object()
_NUMBERS = frozenset({"integer", "long", "float", "double"})


@dataclass(frozen=True)
class Place:
    """What the model says about one path of the parameters: the structure the member is in
    (None for list items, map keys and values), the member (None for the parameters), the
    member's shape and every member along the way (the last one included)."""

    owner: Shape | None
    member: Member | None
    shape: Shape
    along: tuple[Member, ...]


def places(model: ServiceModel, shape: Shape, params: Any) -> dict[str, Place]:
    """Every path the parameters reach (and every member of each structure they reach, given
    or not), botocore-style, with what the model says about it."""
    out: dict[str, Place] = {}

    def walk(shape: Shape, value: Any, path: str, place: Place, depth: int) -> None:
        out.setdefault(path, place)
        if depth > 12:
            return
        along = place.along
        if shape.type == "structure":
            present = value if isinstance(value, dict) else {}
            for name, m in shape.members.items():
                target = model.shape(m.shape)
                walk(
                    target,
                    present.get(name, _MISSING),
                    _join(path, name),
                    Place(shape, m, target, (*along, m)),
                    depth + 1,
                )
        elif shape.type == "list" and isinstance(value, (list, tuple)):
            assert shape.member is not None
            target = model.shape(shape.member.shape)
            for i, item in enumerate(value):
                walk(
                    target,
                    item,
                    f"{path}[{i}]",
                    Place(None, shape.member, target, (*along, shape.member)),
                    depth + 1,
                )
        elif shape.type == "map" and isinstance(value, dict):
            assert shape.key is not None and shape.value is not None
            key_shape, value_shape = model.shape(shape.key.shape), model.shape(shape.value.shape)
            for k, v in value.items():
                out.setdefault(
                    f"{path} (key: {k})", Place(None, shape.key, key_shape, (*along, shape.key))
                )
                walk(
                    value_shape,
                    v,
                    f"{path}.{k}",
                    Place(None, shape.value, value_shape, (*along, shape.value)),
                    depth + 1,
                )

    walk(shape, params, "", Place(None, None, shape, ()), 0)
    return out


def _is_set(value: Any) -> bool:
    """A constraint that is set (0 is a limit, not "unset")."""
    return value is not None and value is not False and value != ()


def rule_applies(place: Place, rule: str, leaf: str) -> bool:
    """Whether ``rule`` is a rule or constraint the member at ``place`` actually has."""
    if place.owner is not None and any(
        r.id == rule and leaf in r.members for r in place.owner.rules
    ):
        return True
    if rule == "filters" and any(m.documented.filters is not None for m in place.along):
        return True
    if (
        rule in CONSTRAINT_NAMES
        and place.member is not None
        and _is_set(getattr(place.member.documented, rule))
    ):
        return True
    if rule == "enum":
        return bool(place.shape.enum)
    if rule in ("min", "max", "pattern"):
        return getattr(place.shape, rule) is not None
    if rule == "type":
        return place.shape.type in _NUMBERS
    return False


# -- hypothesis strategies from our model ------------------------------------------------------

# Examples of the spec's formats, valid and not (hypothesis adds generated ones).
FORMAT_EXAMPLES: dict[str, list[str]] = {
    "cloudwatch-log-group-arn": [
        "arn:aws:logs:us-east-1:123456789012:log-group:my-logs",
        "arn:aws:logs:us-east-1:123456789012:log-group:my-logs:*",
        "arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/vpc/flow",
        "arn:aws:logs:us-east-1:123456789012:log-group:my-logs\n",
        "arn:aws:logs:us-east-1:12345:log-group:x",
        "arn:aws:s3:::my-bucket",
        "my-logs",
    ],
    "s3-bucket-arn": [
        "arn:aws:s3:::my-bucket",
        "arn:aws:s3:::my-bucket/my-logs/",
        "arn:aws:s3:::my-bucket/a/b/c/",
        "arn:aws:s3:::my-bucket/AWSLogs/",
        "arn:aws:s3:::my-bucket/AWSLogs",
        "arn:aws:s3:::my-bucket/logs/AWSLogs",
        "arn:aws:s3:::my-bucket/logs/AWSLogs/x/",
        "arn:aws:s3:::my-bucket/AWSLogsX/",
        "arn:aws:s3:::my-bucket/x\r",
        "arn:aws:s3:::My-Bucket",
        "arn:aws:logs:us-east-1:123456789012:log-group:my-logs",
    ],
    "flow-log-format": [
        "${version} ${srcaddr} ${dstaddr}",
        "${vpc-id}",
        "version",
        "${nope}",
        "",
        "${version}  ${srcaddr}",
        "${version} ",
        "${version}\n",
    ],
    "upper-code": ["AB-12", "XX-1", "ab-1", "AB-", "AB-1\n", "AB-\u0663"],
}
WRONG_VALUES: list[Any] = [None, 7, 2.5, "text", True, [], {}, ["a"], {"k": "v"}, b"bytes"]


def _accepts(kind: str, value: Any) -> bool:
    """Whether botocore accepts ``value`` for a shape of type ``kind`` (see botocore/validate.py)."""
    if kind == "string":
        return isinstance(value, str)
    if kind in ("integer", "long"):
        return isinstance(value, int)
    if kind in ("float", "double"):
        return isinstance(value, (float, int, Decimal))
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "blob":
        return isinstance(value, (bytes, bytearray, str))
    if kind == "timestamp":
        return isinstance(value, (datetime, int, float, str))  # never wrong: not generated
    if kind == "list":
        return isinstance(value, (list, tuple))
    return isinstance(value, dict)


class Strategies:
    """Parameter strategies for one model. ``for_schema`` leaves out what JSON cannot carry
    faithfully (integral floats for integers, numbers and strings for timestamps, bytes).
    ``noise`` mixes in wrong types, random text, dropped and unknown members and oversized
    lists; without it, values are plausible (enum values, documented values, formats) and only
    their combinations (and the formats' bad examples) break rules."""

    def __init__(
        self, model: ServiceModel, *, for_schema: bool = False, noise: bool = True
    ) -> None:
        self.model = model
        self.for_schema = for_schema
        self.noise = noise
        self._rule_formats: dict[tuple[str, str], list[str]] = {}
        for shape in model.shapes.values():
            for rule in shape.rules:
                if rule.format:
                    self._rule_formats.setdefault((shape.name, rule.members[0]), []).append(
                        rule.format
                    )

    def wrong(self, kind: str) -> st.SearchStrategy[Any]:
        values = [v for v in WRONG_VALUES if not _accepts(kind, v)]
        if self.for_schema:
            values = [v for v in values if not isinstance(v, bytes)]
        return st.sampled_from(values)

    def format_values(self, name: str) -> st.SearchStrategy[str]:
        fmt = self.model.formats[name]
        options: list[st.SearchStrategy[str]] = [
            st.sampled_from(FORMAT_EXAMPLES.get(name, ["?"]))
        ] * 3
        if fmt.pattern is not None:
            options.append(st.from_regex(fmt.pattern, fullmatch=True))
        if fmt.fields is not None:
            fields = fmt.fields
            token = st.sampled_from(fields.fields).map(lambda f: fields.prefix + f + fields.suffix)
            bad = st.sampled_from(["version", "${nope}", "${}", "", "$version"])
            options.append(
                st.lists(st.one_of(token, token, token, bad), min_size=0, max_size=4).map(
                    fields.separator.join
                )
            )
        return st.one_of(*options)

    def value(
        self, shape: Shape, member: Member | None, owner: Shape | None, depth: int
    ) -> st.SearchStrategy[Any]:
        valid = self.valid(shape, member, owner, depth)
        if not self.noise:
            return valid
        return st.one_of(valid, valid, valid, valid, self.wrong(shape.type))

    def valid(
        self, shape: Shape, member: Member | None, owner: Shape | None, depth: int
    ) -> st.SearchStrategy[Any]:
        doc = member.documented if member is not None else Constraints()
        kind = shape.type
        if kind == "structure":
            return self.structure(shape, depth)
        if kind == "list":
            assert shape.member is not None
            item_shape = self.model.shape(shape.member.shape)
            if doc.filters is not None:
                item = self.filter_entry(doc, item_shape, depth)
            else:
                item = self.value(item_shape, shape.member, None, depth + 1)
            lists = st.lists(item, min_size=int(shape.min or 0), max_size=4)
            options = [lists, lists, lists.map(tuple)]
            limit = max(x for x in (doc.max_items, shape.max, 0) if x is not None)
            if limit and self.noise:
                options.append(item.map(lambda x: [x] * (int(limit) + 1)))
            return st.one_of(*options)
        if kind == "map":
            assert shape.key is not None and shape.value is not None
            key = self.valid(self.model.shape(shape.key.shape), shape.key, None, depth + 1)
            val = self.value(self.model.shape(shape.value.shape), shape.value, None, depth + 1)
            return st.dictionaries(key, val, max_size=4)
        if kind == "string":
            options = (
                [st.text(max_size=8)]
                if self.noise or not (shape.enum or doc.allowed_values)
                else []
            )
            if shape.enum:
                options += [st.sampled_from(shape.enum)] * 3
                if self.noise:
                    options.append(st.sampled_from(shape.enum).map(str.lower))
            if doc.allowed_values:
                options += [st.sampled_from(doc.allowed_values)] * 3
            if doc.format:
                options += [self.format_values(doc.format)] * 3
            if shape.pattern:
                options.append(st.from_regex(shape.pattern, fullmatch=True))
            if owner is not None and member is not None:
                for name in self._rule_formats.get((owner.name, member.name), []):
                    options += [self.format_values(name)] * 3
            return st.one_of(*options)
        if kind in ("integer", "long"):
            if doc.allowed_values and not self.noise:
                return st.sampled_from(doc.allowed_values)
            numbers: list[st.SearchStrategy[Any]] = [st.integers(-20, 2000), st.booleans()]
            if doc.allowed_values:
                numbers += [st.sampled_from(doc.allowed_values)] * 3 + [st.just(300)]
            return st.one_of(*numbers)
        if kind in ("float", "double"):
            floats = st.floats(-200, 200, allow_nan=False, allow_infinity=False)
            if self.for_schema:
                floats = floats.filter(lambda f: not f.is_integer())
            return st.one_of(
                floats, st.integers(-20, 200), st.decimals(-100, 100, places=2).map(Decimal)
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            aware = st.datetimes(timezones=st.just(timezone.utc))
            if self.for_schema:
                return aware
            return st.one_of(aware, st.integers(0, 2**31), aware.map(lambda d: d.isoformat()))
        if kind == "blob":
            return st.binary(max_size=8)  # its JSON form is base64 (fastjsonschema checks it)
        raise AssertionError(kind)

    def filter_entry(
        self, doc: Constraints, item_shape: Shape, depth: int
    ) -> st.SearchStrategy[Any]:
        spec = doc.filters
        assert spec is not None
        names = [f.name for f in spec.names] + ["bogus", spec.names[-1].name.title()]
        values = sorted({v for f in spec.names for v in f.values}) + ["any-value", "all"]

        def entry(name: str | None, chosen: list[str]) -> dict[str, Any]:
            out: dict[str, Any] = {spec.values_member: chosen}
            if name is not None:
                out[spec.name_member] = name
            return out

        if not self.noise:
            plausible = st.sampled_from(spec.names).flatmap(
                lambda f: st.builds(
                    entry,
                    st.just(f.name),
                    st.lists(st.sampled_from(f.values or ("x",)), max_size=3),
                )
            )
            return plausible
        documented = st.builds(
            entry,
            st.one_of(st.sampled_from(names), st.sampled_from(names), st.none()),
            st.lists(st.sampled_from(values), max_size=3),
        )
        return st.one_of(documented, documented, self.value(item_shape, None, None, depth + 1))

    def structure(self, shape: Shape, depth: int) -> st.SearchStrategy[dict[str, Any]]:
        if depth > 3:
            return st.just({name: "x" for name in shape.required})
        members = {
            name: self.value(self.model.shape(m.shape), m, shape, depth + 1)
            for name, m in shape.members.items()
        }
        required = {name: members[name] for name in shape.required}
        optional = {name: s for name, s in members.items() if name not in shape.required}
        base = st.fixed_dictionaries(required, optional=optional)
        if not self.noise:
            return base
        unknown = st.sampled_from(["Bogus", "dryRun", "ResourceId", "Extra"])

        def mutate(params: dict[str, Any], drop: str | None, extra: str | None) -> dict[str, Any]:
            params = dict(params)
            if drop is not None:
                params.pop(drop, None)
            if extra is not None and extra not in shape.members:
                params[extra] = "x"
            return params

        drops = st.one_of(
            st.none(), st.none(), st.none(), st.sampled_from(shape.required or ("-",))
        )
        extras = st.one_of(st.none(), st.none(), st.none(), st.none(), unknown)
        return st.builds(mutate, base, drops, extras)

    def params(self, shape: Shape) -> st.SearchStrategy[Any]:
        """Parameters for ``shape``: plausible ones (half of them), noisy ones, or not a dict."""
        plausible = Strategies(self.model, for_schema=self.for_schema, noise=False).structure(
            shape, 0
        )
        noisy = self.structure(shape, 0)
        return st.one_of(plausible, noisy, self.wrong("structure")) if self.noise else plausible
