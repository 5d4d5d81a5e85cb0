"""Generator: a JSON Schema (draft 2020-12) for each operation's input and output.

Writes ``schemas/<Operation>.input.json`` and ``schemas/<Operation>.output.json``. A schema
validates the *JSON form* of the parameters (or of a response): timestamps are RFC 3339
strings (``format: date-time``) or epoch seconds, blobs are base64 strings, tuples are arrays. It states
everything JSON Schema can state, the documented rules included, so it matches the generated
validators in strict mode (``validators.validate(..., strict=True)``):

* botocore's model: types, ``required``, no unknown members in the parameters
  (``additionalProperties: false``; a response's schema accepts members a newer API added, as
  ``validate_output`` does unless ``unknown_members=True``),
  ``min``/``max`` (``minLength``/``minItems``/``minimum`` ...), ``pattern`` and enums;
* each member's documented constraints (:class:`~codegen.model.Constraints`): allowed values,
  item counts, lengths, ranges, patterns, named formats as one regular expression, filters
  (known names, and the values each name allows), the default (as an annotation);
* each :class:`~codegen.model.Rule` between members as ``if``/``then``; a condition on a member's
  value counts the member's documented default when it is absent, as the validators do.

The schemas use only keywords that draft 7 already had (``$ref`` never has siblings that
matter: constraints beside a reference go into ``allOf``), so validators that only implement
draft 7 (fastjsonschema, for one) give the same answers.

Regular expressions are written so that they mean the same in ECMA-262 (what JSON Schema
specifies; checked with the ``u`` flag) and in Python's ``re`` (what Python's JSON Schema
libraries and the generated validators use): :func:`portable_regex` rewrites the constructs on
which the two disagree (``$``, ``.``, ``\\d``, ``\\w``, ``\\s``) into explicit forms and rejects
the ones that exist in only one of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from codegen.generators.base import GenerationContext, Generator, GeneratorError, dump_json
from codegen.model import Condition, Constraints, Member, Operation, Rule, ServiceModel, Shape
from codegen.regexes import enforceable, portable_regex

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
RESPONSE_METADATA = "ResponseMetadata"


def shape_regex(pattern: str, where: str, generator: str) -> str:
    """:func:`portable_regex`, reporting a failure as a :class:`GeneratorError`."""
    try:
        return portable_regex(pattern)
    except ValueError as exc:
        raise GeneratorError(generator=generator, message=f"{where}: {exc}") from None


# -- schema construction ----------------------------------------------------------------------


def json_value_header(member: Member, shape: Shape) -> bool:
    """A string header with the ``jsonvalue`` trait: botocore takes any value ``json.dumps``
    encodes and sends it as JSON (botocore's ``is_json_value_header``)."""
    return (
        shape.type == "string"
        and bool(member.traits.get("jsonvalue"))
        and member.traits.get("location") == "header"
    )


def _description(text: str) -> str:
    return text.strip()


def _put(schema: dict[str, Any], key: str, value: Any) -> None:
    """Add ``key: value``; when ``key`` is already there, add it as one more ``allOf`` entry."""
    if key not in schema:
        schema[key] = value
    elif schema[key] != value:
        schema.setdefault("allOf", []).append({key: value})


def _bounds(
    schema: dict[str, Any],
    low: float | None,
    high: float | None,
    keys: tuple[str, str],
    convert: Callable[[float], int | float] = int,
) -> None:
    """Add the lower and upper bound that are set under their keywords (``keys``)."""
    for bound, key in zip((low, high), keys):
        if bound is not None:
            _put(schema, key, convert(bound))


class SchemaBuilder:
    """Builds the schemas of one model; ``$defs`` collects the structures a schema reaches."""

    def __init__(self, model: ServiceModel, generator: str) -> None:
        self.model = model
        self.generator = generator

    # one document per operation input / output

    def document(self, operation: Operation, direction: str) -> dict[str, Any]:
        shape_name = operation.input if direction == "input" else operation.output
        assert shape_name is not None
        shape = self.model.shape(shape_name)
        defs: dict[str, dict[str, Any]] = {}
        root = self._structure(shape, defs, direction)
        if direction == "output":
            root["properties"][RESPONSE_METADATA] = {
                "description": "Added by botocore to every parsed response (request id, HTTP "
                "status, ...); not part of the API's output shape.",
                "type": "object",
            }
            root["properties"] = dict(sorted(root["properties"].items()))
        model = self.model
        # no spec version here (MANIFEST.json has it): a new version rewrites only the schemas
        # of the operations it changed
        what = "parameters" if direction == "input" else "response"
        doc: dict[str, Any] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:apigen:{model.name}:{model.metadata.api_version}:{operation.name}.{direction}",
            "title": f"{operation.name} {direction} ({shape.name})",
            "description": "\n\n".join(
                p
                for p in (
                    _description(operation.documentation),
                    (
                        f"JSON Schema for the {what} of {model.metadata.service_full_name} "
                        f"{operation.name} (shape {shape.name}), from {model.source}. It "
                        f"validates the JSON form of the {what}: timestamps are "
                        "RFC 3339 strings (format date-time) or epoch seconds, blobs are base64 strings. It states "
                        "the documented rules as well as botocore's (enums, allowed values, limits, "
                        "formats, rules between members), like the generated validators with "
                        "strict=True. JSON Schema counts a number with a zero fractional part "
                        "(1.0) as an integer; botocore does not accept a float for an integer."
                        + (
                            " Members a newer API added (not named here) are accepted, as the "
                            "generated validators accept them unless unknown_members=True."
                            if direction == "output"
                            else ""
                        )
                    ),
                )
                if p
            ),
        }
        doc.update(root)
        if defs:
            doc["$defs"] = dict(sorted(defs.items()))
        return doc

    # shapes

    def _structure(
        self, shape: Shape, defs: dict[str, dict[str, Any]], direction: str
    ) -> dict[str, Any]:
        properties = {
            name: self._member(member, defs, direction)
            for name, member in sorted(shape.members.items())
        }
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if shape.required:
            schema["required"] = sorted(shape.required)
        if direction == "input":
            # a response may hold members a newer API added: accepted, as the validators do
            # unless asked (validate_output(..., unknown_members=True))
            schema["additionalProperties"] = False
        if shape.traits.get("union"):
            schema["minProperties"] = 1
            schema["maxProperties"] = 1
        rules = [self._rule(rule, shape) for rule in shape.rules]
        if rules:
            schema["allOf"] = rules
        return schema

    def _ref(
        self, shape: Shape, defs: dict[str, dict[str, Any]], direction: str
    ) -> dict[str, Any]:
        if shape.traits.get("document"):  # any JSON value
            return {"$comment": f"{shape.name}: a document, any JSON value"}
        if shape.name not in defs:
            defs[shape.name] = {}  # placeholder: recursion stops here
            body: dict[str, Any] = {"title": shape.name}
            if shape.documentation:
                body["description"] = _description(shape.documentation)
            body.update(self._structure(shape, defs, direction))
            defs[shape.name] = body
        return {"$ref": f"#/$defs/{shape.name}"}

    def _shape(
        self, shape: Shape, defs: dict[str, dict[str, Any]], direction: str
    ) -> dict[str, Any]:
        kind = shape.type
        where = f"shape {shape.name}"
        schema: dict[str, Any]
        if kind == "structure":
            return self._ref(shape, defs, direction)
        if kind == "list":
            assert shape.member is not None
            schema = {"type": "array", "items": self._element(shape.member, defs, direction)}
            _bounds(schema, shape.min, shape.max, ("minItems", "maxItems"))
            return schema
        if kind == "map":
            assert shape.key is not None and shape.value is not None
            schema = {
                "type": "object",
                "propertyNames": self._element(shape.key, defs, direction),
                "additionalProperties": self._element(shape.value, defs, direction),
            }
            _bounds(schema, shape.min, shape.max, ("minProperties", "maxProperties"))
            return schema
        if kind == "string":
            schema = {"type": "string"}
            if shape.enum:
                schema["enum"] = list(shape.enum)
            _bounds(schema, shape.min, shape.max, ("minLength", "maxLength"))
            if shape.pattern is not None and enforceable(shape.pattern) is not None:
                schema["pattern"] = shape_regex(shape.pattern, where, self.generator)
            elif shape.pattern is not None:  # kept in the model, not enforced (codegen.regexes)
                schema["$comment"] = f"pattern not enforced (no portable form): {shape.pattern}"
            return schema
        if kind in ("integer", "long", "float", "double"):
            schema = {"type": "integer" if kind in ("integer", "long") else "number"}
            _bounds(schema, shape.min, shape.max, ("minimum", "maximum"), _number)
            return schema
        if kind == "boolean":
            return {"type": "boolean"}
        if kind == "timestamp":
            # epoch seconds too: the validators (and botocore) take a number for a timestamp
            return {"type": ["string", "number"], "format": "date-time"}
        if kind == "blob":
            return {"type": "string", "contentEncoding": "base64"}
        raise GeneratorError(generator=self.generator, message=f"{where}: unsupported type {kind}")

    def _element(
        self, member: Member, defs: dict[str, dict[str, Any]], direction: str
    ) -> dict[str, Any]:
        """The schema of a list member, map key or map value (with its documented constraints)."""
        schema = self._shape(self.model.shape(member.shape), defs, direction)
        return self._documented(schema, member, self.model.shape(member.shape))

    def _member(
        self, member: Member, defs: dict[str, dict[str, Any]], direction: str
    ) -> dict[str, Any]:
        shape = self.model.shape(member.shape)
        schema: dict[str, Any] = {}
        if member.documentation:
            schema["description"] = _description(member.documentation)
        if member.documented.default is not None:
            schema["default"] = member.documented.default
        if json_value_header(member, shape):  # botocore sends any value as JSON
            schema["$comment"] = f"{shape.name}: a jsonvalue header, any JSON value"
            return schema
        body = self._documented(self._shape(shape, defs, direction), member, shape)
        if member.traits.get("hostLabel") and shape.type == "string" and shape.min is None:
            body.setdefault("minLength", 1)  # botocore: a host label is never empty
        if "$ref" in body and len(body) > 1:
            # constraints beside a $ref go into allOf (draft 7 ignores a $ref's siblings);
            # a description beside it is an annotation, harmless when ignored
            body = {"allOf": [{"$ref": body.pop("$ref")}, body]}
        schema.update(body)
        return schema

    def _documented(self, schema: dict[str, Any], member: Member, shape: Shape) -> dict[str, Any]:
        """``schema`` with the member's documented constraints added."""
        doc: Constraints = member.documented
        where = f"member {member.name}"
        schema = dict(schema)
        _bounds(schema, doc.min_items, doc.max_items, ("minItems", "maxItems"))
        _bounds(schema, doc.min_length, doc.max_length, ("minLength", "maxLength"))
        _bounds(schema, doc.min_value, doc.max_value, ("minimum", "maximum"), _number)
        if doc.allowed_values:
            _put(schema, "enum", list(doc.allowed_values))
        if doc.pattern is not None:
            _put(schema, "pattern", shape_regex(doc.pattern, where, self.generator))
        if doc.format is not None:
            fmt = self.model.formats[doc.format]
            _put(schema, "pattern", shape_regex(fmt.regex(), f"format {fmt.name}", self.generator))
            schema["$comment"] = f"pattern: format {fmt.name}, {fmt.description}"
        if doc.filters is not None:
            items = schema.get("items", {})
            filters = self._filters(doc)
            schema["items"] = {"allOf": [items, filters]} if items else filters
        return schema

    def _filters(self, doc: Constraints) -> dict[str, Any]:
        spec = doc.filters
        assert spec is not None
        name_key, values_key = spec.name_member, spec.values_member
        names = [f.name for f in spec.names]
        name_schema: dict[str, Any] = {"enum": names}
        if not spec.case_sensitive:
            name_schema = {"pattern": _case_insensitive_alternatives(names)}
        conditions: list[dict[str, Any]] = []
        for f in spec.names:
            if not f.values:
                continue
            if spec.case_sensitive:
                name_is: dict[str, Any] = {"const": f.name}
                value_schema: dict[str, Any] = {"enum": list(f.values)}
            else:
                name_is = {"pattern": _case_insensitive_alternatives([f.name])}
                value_schema = {"pattern": _case_insensitive_alternatives(list(f.values))}
            conditions.append(
                {
                    "if": {"properties": {name_key: name_is}, "required": [name_key]},
                    "then": {"properties": {values_key: {"items": value_schema}}},
                }
            )
        schema: dict[str, Any] = {
            "description": "Documented filters: "
            + "; ".join(
                f"{f.name}{' (' + ' | '.join(f.values) + ')' if f.values else ''}"
                for f in spec.names
            )
            + (". Filter names and values are case-sensitive." if spec.case_sensitive else "."),
            "properties": {name_key: name_schema},
            "required": [name_key],
        }
        if conditions:
            schema["allOf"] = conditions
        return schema

    # rules between members

    def _rule(self, rule: Rule, shape: Shape) -> dict[str, Any]:
        then: dict[str, Any]
        if rule.kind == "forbidden":
            then = {"properties": {m: False for m in sorted(rule.members)}}
        elif rule.kind == "required":
            then = {"required": sorted(rule.members)}
        elif rule.kind == "one_of_required":
            then = {"anyOf": [{"required": [m]} for m in rule.members]}
        else:  # format
            assert rule.format is not None
            fmt = self.model.formats[rule.format]
            pattern = shape_regex(fmt.regex(), f"format {fmt.name}", self.generator)
            then = {
                "properties": {
                    rule.members[0]: {
                        "$comment": f"format {fmt.name}, {fmt.description}",
                        "pattern": pattern,
                    }
                }
            }
        entry: dict[str, Any] = {
            "title": rule.id,
            "description": f"{' / '.join(rule.members)}: {rule.message}. Documentation: {rule.source}",
        }
        if rule.when is None:
            entry.update(then)
        else:
            entry["if"] = self._condition(rule.when, shape)
            entry["then"] = then
        return entry

    def _condition(self, cond: Condition, shape: Shape) -> dict[str, Any]:
        if cond.kind == "equals":
            assert cond.member is not None
            default = shape.members[cond.member].documented.default
            values = list(cond.values)
            value_schema: dict[str, Any] = (
                {"const": values[0]} if len(values) == 1 else {"enum": values}
            )
            schema: dict[str, Any] = {"properties": {cond.member: value_schema}}
            if default is None or default not in cond.values:
                schema["required"] = [cond.member]  # absent (its default) does not count
            return schema
        if cond.kind == "present":
            return {"required": [cond.member]}
        if cond.kind == "absent":
            return {"not": {"required": [cond.member]}}
        if cond.kind == "not":
            return {"not": self._condition(cond.conditions[0], shape)}
        key = "allOf" if cond.kind == "all" else "anyOf"
        return {key: [self._condition(c, shape) for c in cond.conditions]}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _case_insensitive_alternatives(values: Iterable[str]) -> str:
    def fold(text: str) -> str:
        parts = []
        for ch in text:
            if ch.lower() != ch.upper():
                parts.append(f"[{ch.lower()}{ch.upper()}]")
            else:
                parts.append(re.sub(r"([\^$\\.*+?()\[\]{}|/])", r"\\\1", ch))
        return "".join(parts)

    return "^(?:" + "|".join(fold(v) for v in values) + ")(?![\\s\\S])"


def schemas(model: ServiceModel, generator: str = "jsonschema") -> Mapping[str, dict[str, Any]]:
    """Every schema of ``model`` as ``{relative path: document}``."""
    builder = SchemaBuilder(model, generator)
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(model.operations):
        operation = model.operations[name]
        if operation.input:
            out[f"schemas/{name}.input.json"] = builder.document(operation, "input")
        if operation.output:
            out[f"schemas/{name}.output.json"] = builder.document(operation, "output")
    return out


class JsonSchemaGenerator(Generator):
    name = "jsonschema"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        return {path: dump_json(doc) for path, doc in schemas(context.model, self.name).items()}
