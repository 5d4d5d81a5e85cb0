"""Generator: the protocol layer of a service (``protocol.py``), one template set per protocol.

Writes ``protocol.py`` (and an ``__init__.py``, so that the service folder is a package and
``protocol.py`` can import its sibling ``validators`` module): request parsing, response and
error serialization and example responses for the service's wire protocol, from the
templates under ``codegen/templates/protocol/<protocol>/``. Only ``ec2`` exists so far; a
model of another protocol gets no protocol layer (``query``, ``json``, ``rest-json`` and
``rest-xml`` can be added as template sets beside it).

The model goes into the module as tables (:class:`_Ref`/``_Shape`` literals): the query key of
every member (:func:`codegen.wire.query_name`), its XML element name, flattening and timestamp
format; the template's request parser walks them. Responses are written by straight-line code
generated per output shape (:class:`ResponseWriters`): no walk over the model at run time.
Example responses are built here from the output shapes and their documented constraints,
deterministically (timestamps at the spec version's date).
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from codegen.generators.base import GenerationContext, Generator, GeneratorError
from codegen.model import Member, ServiceModel, Shape
from codegen.regexes import compiled, enforceable, examples
from codegen.wire import query_name

MODULE = "protocol.py"
PACKAGE = "__init__.py"


def supported_protocols() -> list[str]:
    """The protocols with a template set under ``codegen/templates/protocol/``."""
    root = resources.files("codegen") / "templates" / "protocol"
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


class ProtocolGenerator(Generator):
    name = "protocol"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        model = context.model
        protocol = model.metadata.protocol
        if protocol not in supported_protocols():
            return {}
        shapes = model.reachable_shapes()
        operations = sorted(model.operations)
        namespace = (
            model.metadata.xml_namespace
            or f"http://{model.name}.amazonaws.com/doc/{model.metadata.api_version}"
        )
        if not namespace.endswith("/"):
            namespace += "/"
        writers = ResponseWriters(model)
        operation_writers = writers.operation_writers()
        source = self.render(
            f"protocol/{protocol}/protocol.py.j2",
            protocol=protocol,
            service=model.name,
            service_title=model.metadata.service_full_name,
            api_version=model.metadata.api_version,
            spec_path=context.spec.path,
            spec_version=context.version,
            service_r=repr(model.name),
            api_version_r=repr(model.metadata.api_version),
            protocol_r=repr(protocol),
            operations_r=repr(tuple(operations)),
            namespace_r=repr(namespace),
            shapes=[
                (repr(name), shape_literal(model, model.shapes[name])) for name in sorted(shapes)
            ],
            operation_shapes=[
                (
                    repr(name),
                    f"_Operation({model.operations[name].input!r}, {model.operations[name].output!r})",
                )
                for name in operations
            ],
            response_writers=writers.source(),
            operation_writers=[(repr(name), function) for name, function in operation_writers],
            examples=[
                (repr(name), python_literal(Examples(model, context.version).result(name)))
                for name in operations
                if model.operations[name].output
            ],
        )
        package = self.python(
            context,
            f'"""The generated modules of service {model.name} (a package, so that'
            ' protocol.py can import validators)."""\n',
        )
        return {MODULE: self.python(context, source), PACKAGE: package}


# -- tables ---------------------------------------------------------------------------------


def _timestamp_format(*sources: Any) -> str | None:
    for traits in sources:
        value = traits.get("timestampFormat") if traits else None
        if value:
            return str(value)
    return None


@dataclass(frozen=True)
class Element:
    """How a value is written in a response: its shape, element name, whether a list or map is
    flattened (no wrapper element) and a timestamp's format. The tables and the generated
    writers are both built from these facts."""

    shape: str
    tag: str
    flattened: bool = False
    timestamp_format: str | None = None


def element(model: ServiceModel, ref: Member, xml: str) -> Element:
    """The :class:`Element` of ``ref`` (a structure member, list item or map key or value)
    written under the element name ``xml``."""
    target = model.shapes[ref.shape]
    flattened = bool(ref.traits.get("flattened") or target.traits.get("flattened"))
    fmt = _timestamp_format(ref.traits, target.traits) if target.type == "timestamp" else None
    return Element(ref.shape, xml, flattened, fmt)


def ref_literal(model: ServiceModel, ref: Member, *, xml: str, query: str) -> str:
    facts = element(model, ref, xml)
    args = [repr(ref.name), repr(ref.shape), repr(query), repr(xml)]
    if facts.flattened or facts.timestamp_format:
        args.append(repr(facts.flattened))
    if facts.timestamp_format:
        args.append(repr(facts.timestamp_format))
    return f"_Ref({', '.join(args)})"


def member_xml_name(model: ServiceModel, ref: Member) -> str:
    """The element of a structure member: a flattened list's items are named after the list
    member's ``locationName`` when it has one (as botocore's parser reads them)."""
    target = model.shapes[ref.shape]
    flattened = ref.traits.get("flattened") or target.traits.get("flattened")
    if target.type == "list" and flattened and target.member and target.member.location_name:
        return target.member.location_name
    return ref.wire_name


def shape_literal(model: ServiceModel, shape: Shape) -> str:
    args = [repr(shape.type)]
    if shape.type == "structure":
        members = [
            ref_literal(model, m, xml=member_xml_name(model, m), query=query_name(m))
            for m in shape.members.values()
        ]
        args.append(f"members=({', '.join(members)}{',' if len(members) == 1 else ''})")
    elif shape.type == "list" and shape.member is not None:
        item = shape.member
        args.append(
            "member="
            + ref_literal(model, item, xml=item.location_name or "member", query=query_name(item))
        )
    elif shape.type == "map" and shape.key is not None and shape.value is not None:
        for slot, ref in (("key", shape.key), ("value", shape.value)):
            args.append(
                f"{slot}="
                + ref_literal(
                    model,
                    ref,
                    xml=ref.location_name or slot,
                    query=_map_query_name(ref, slot),
                )
            )
    elif shape.type == "timestamp":
        fmt = _timestamp_format(shape.traits)
        if fmt:
            args.append(f"timestamp_format={fmt!r}")
    return f"_Shape({', '.join(args)})"


def _map_query_name(ref: Member, default: str) -> str:
    if ref.query_name:
        return ref.query_name
    if ref.location_name:
        return ref.location_name[0].upper() + ref.location_name[1:]
    return default


# -- response writers ---------------------------------------------------------------------

# an element name that can stand in an f-string literal as it is (XML names always do; a
# hostile model's other names are written with string concatenation instead)
_PLAIN_TAG = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


class ResponseWriters:
    """The response serializer as straight-line Python: one function per structure (its
    members in model order), list (its items) and map (its entries) reachable from an
    output shape, each writing its elements with their names as literals.

    Every function is ``(a, e, v) -> None``: ``a`` appends text to the body, ``e`` is called
    with each string value before it is written raw (the template's ``serialize_response``
    passes a collector, then checks everything collected at once, or the escaping check), ``v``
    is the value. Scalars are written inline: a string as it is unless it needs escaping, an
    integer with ``int``'s text, a boolean as two literal elements; timestamps, floats and
    blobs through the template's ``_iso8601``/``_timestamp_text``, ``_float``, ``_blob``.
    """

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self.names: dict[tuple[Any, ...], str] = {}
        self.taken: set[str] = set()
        self.pending: list[tuple[str, tuple[Any, ...]]] = []
        self.functions: list[str] = []

    def operation_writers(self) -> list[tuple[str, str]]:
        """(operation, writer of its output's members) for every operation with an output,
        sorted; generates every function they reach."""
        out = [
            (name, self._function(("structure", self.model.operations[name].output)))
            for name in sorted(self.model.operations)
            if self.model.operations[name].output
        ]
        while self.pending:
            name, key = self.pending.pop(0)
            self.functions.append(self._define(name, key))
        return out

    def source(self) -> str:
        return "\n\n".join(self.functions)

    # -- functions --------------------------------------------------------------------------

    def _function(self, key: tuple[Any, ...]) -> str:
        """The name of the function for ``key`` (queued for definition on first use)."""
        if key not in self.names:
            base = "_write_" + _NOT_IDENTIFIER.sub("_", key[1])
            name, n = base, 1
            while name in self.taken:
                n += 1
                name = f"{base}_{n}"
            self.taken.add(name)
            self.names[key] = name
            self.pending.append((name, key))
        return self.names[key]

    def _define(self, name: str, key: tuple[Any, ...]) -> str:
        kind, shape_name = key[0], key[1]
        shape = self.model.shapes[shape_name]
        lines = [f"def {name}(a: _Append, e: _Check, v: Any) -> None:"]
        if kind == "structure":
            lines.append(f'    """{_doc(shape_name)}: its members, in the model\'s order."""')
            if shape.members:
                lines.append("    get = v.get")
            for member in shape.members.values():
                facts = element(self.model, member, member_xml_name(self.model, member))
                lines.append(f"    x = get({member.name!r})")
                lines.append("    if x is not None:")
                lines.extend("        " + line for line in self._element(facts, "x"))
        elif kind == "list":
            item: Element = key[2]
            lines.append(f'    """{_doc(shape_name)}: its items, as {_doc(item.tag)}."""')
            lines.append("    for x in _sequence(v, e):")
            lines.extend("        " + line for line in self._element(item, "x"))
        else:  # map
            entry, key_facts, value_facts = key[2], key[3], key[4]
            lines.append(f'    """{_doc(shape_name)}: its entries, as {_doc(entry)}."""')
            lines.append("    for k, x in _mapping(v, e).items():")
            lines.append(f"        a({'<' + entry + '>'!r})")
            lines.extend("        " + line for line in self._element(key_facts, "k"))
            lines.extend("        " + line for line in self._element(value_facts, "x"))
            lines.append(f"        a({'</' + entry + '>'!r})")
        return "\n".join(lines) + "\n"

    # -- elements ---------------------------------------------------------------------------

    def _element(self, facts: Element, var: str) -> list[str]:
        """Lines writing the value in ``var`` as ``facts`` says."""
        shape = self.model.shapes[facts.shape]
        tag = facts.tag
        open_tag, close_tag = f"a({'<' + tag + '>'!r})", f"a({'</' + tag + '>'!r})"
        kind = shape.type
        if kind == "structure":
            call = f"{self._function(('structure', facts.shape))}(a, e, {var})"
            return [open_tag, call, close_tag]
        if kind == "list" and shape.member is not None:
            item_xml = tag if facts.flattened else (shape.member.location_name or "member")
            item = element(self.model, shape.member, item_xml)
            call = f"{self._function(('list', facts.shape, item))}(a, e, {var})"
            return [call] if facts.flattened else [open_tag, call, close_tag]
        if kind == "map" and shape.key is not None and shape.value is not None:
            entry = tag if facts.flattened else "entry"
            key_facts = element(self.model, shape.key, shape.key.location_name or "key")
            value_facts = element(self.model, shape.value, shape.value.location_name or "value")
            function = self._function(("map", facts.shape, entry, key_facts, value_facts))
            call = f"{function}(a, e, {var})"
            return [call] if facts.flattened else [open_tag, call, close_tag]
        if kind == "boolean":
            true, false = f"<{tag}>true</{tag}>", f"<{tag}>false</{tag}>"
            return [f"a({true!r} if {var} else {false!r})"]
        if kind in ("integer", "long"):
            return [_scalar(tag, f"{var} if type({var}) is int else int({var})")]
        if kind in ("float", "double"):
            return [_scalar(tag, f"_float({var})")]
        if kind == "blob":
            return [_scalar(tag, f"_blob({var})")]
        if kind == "timestamp":
            fmt = facts.timestamp_format
            if fmt in ("unixTimestamp", "rfc822"):
                return [_scalar(tag, f"_timestamp_text({var}, {fmt!r})")]
            return [_scalar(tag, f"_iso8601({var})")]
        # a string, or any other scalar: its str(), escaped
        return [
            f"if type({var}) is not str or e({var}):",
            f"    {var} = _string({var})",
            _scalar(tag, var),
        ]


def _scalar(tag: str, expression: str) -> str:
    """A line appending ``<tag>{expression}</tag>`` (the expression gives text that needs no
    escaping, or an int)."""
    if _PLAIN_TAG.fullmatch(tag):
        return f'a(f"<{tag}>{{{expression}}}</{tag}>")'
    return f"a({'<' + tag + '>'!r} + str({expression}) + {'</' + tag + '>'!r})"


def _doc(name: str) -> str:
    """A name for a docstring (any character a model may hold, written safely)."""
    return repr(name)[1:-1].replace('"', "'") if _PLAIN_TAG.fullmatch(name) is None else name


# -- examples ----------------------------------------------------------------------------


class Examples:
    """Deterministic example values for output shapes, within their documented constraints."""

    def __init__(self, model: ServiceModel, version: str) -> None:
        self.model = model
        try:
            day = datetime.strptime(model.version.date if model.version else version, "%Y-%m-%d")
        except ValueError:
            day = datetime(2020, 1, 1)
        self.moment = day.replace(tzinfo=timezone.utc)

    def result(self, operation: str) -> dict[str, Any]:
        output = self.model.operations[operation].output
        if output is None:
            return {}
        value = self.structure(self.model.shapes[output], (output,))
        # no next-page token: a paginator would follow it for ever
        pagination = self.model.operations[operation].pagination
        if pagination is not None:
            tokens = pagination.output_token
            for token in (tokens,) if isinstance(tokens, str) else tokens:
                value.pop(token, None)
        return value

    def structure(self, shape: Shape, stack: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for member in shape.members.values():
            if member.shape in stack and member.name not in shape.required:
                continue  # a recursive member: leave it out
            try:
                out[member.name] = self.value(member, (*stack, member.shape))
            except NoExample:
                if member.name in shape.required:
                    raise
                # an optional member with no valid value (botocore has patterns nothing
                # matches, e.g. EC2's PlacementGroupArn): an example leaves it out
        return out

    def value(self, member: Member, stack: tuple[str, ...], name: str = "") -> Any:
        """An example for ``member``; ``name`` names it in example strings (a list's items are
        named after the list's member)."""
        shape = self.model.shapes[member.shape]
        documented = member.documented
        if documented.allowed_values:
            return documented.allowed_values[0]
        if documented.default is not None:
            return documented.default
        kind = shape.type
        if kind == "structure":
            return self.structure(shape, stack)
        if kind == "list" and shape.member is not None:
            count = max(1, int(documented.min_items or 0), int(shape.min or 0))
            item = shape.member
            return [
                self.value(item, (*stack, item.shape), name or member.name) for _ in range(count)
            ]
        if kind == "map" and shape.key is not None and shape.value is not None:
            key = self.value(shape.key, (*stack, shape.key.shape))
            return {key: self.value(shape.value, (*stack, shape.value.shape))}
        if kind == "string":
            return self.string(member, shape, name or member.name)
        if kind in ("integer", "long"):
            low = _first_number(documented.min_value, shape.min)
            high = _first_number(documented.max_value, shape.max)
            number = 1 if low is None else math.ceil(low)
            if high is not None and number > high:
                number = math.floor(high)
            return int(number)
        if kind in ("float", "double"):
            low = _first_number(documented.min_value, shape.min)
            return float(low) if low is not None else 1.5
        if kind == "boolean":
            return True
        if kind == "timestamp":
            return self.moment
        if kind == "blob":
            return b"example"
        raise GeneratorError(generator="protocol", message=f"no example for a {kind} shape")

    def string(self, member: Member, shape: Shape, name: str) -> str:
        if shape.enum:
            return shape.enum[0]
        documented = member.documented
        fmt = self.model.formats.get(documented.format) if documented.format else None
        if fmt is not None and fmt.fields is not None:
            return fmt.fields.prefix + fmt.fields.fields[0] + fmt.fields.suffix
        low = int(_first_number(documented.min_length, shape.min) or 0)
        high = _first_number(documented.max_length, shape.max)
        candidates = [
            f"example-{name}",
            name,
            "example",
            "a",
            "0",
            "x" * max(low, 1),
        ]
        # a pattern without a portable form is kept but not enforced (the validators skip it)
        patterns = [p for p in (shape.pattern, documented.pattern) if p and enforceable(p)]
        for pattern in patterns:
            candidates += examples(pattern, limit=max(256, low))
        for text in candidates:
            text = text.ljust(low, "x")
            if high is not None:
                text = text[: int(high)]
            if all(compiled(p).search(text) for p in patterns) and (
                fmt is None or not fmt.violations(text)
            ):
                return text
        raise NoExample(
            generator="protocol",
            message=f"no example value for {name} (shape {shape.name}): nothing found matches "
            f"{' and '.join(map(repr, patterns)) or 'its format'} within its length; "
            "give it a documented default",
        )


class NoExample(GeneratorError):
    """No value of a string shape satisfies its pattern(s), format and length."""


def _first_number(*values: float | None) -> float | None:
    for value in values:
        if value is not None:
            return value
    return None


def python_literal(value: Any) -> str:
    """Python source for an example value (dicts, lists, scalars, UTC datetimes, bytes)."""
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, datetime):
        return (
            f"datetime({value.year}, {value.month}, {value.day}, {value.hour}, {value.minute},"
            f" {value.second}, tzinfo=timezone.utc)"
        )
    if isinstance(value, bytes):
        return f"base64.b64decode({base64.b64encode(value).decode('ascii')!r})"
    if isinstance(value, (bool, int, float, str)) or value is None:
        return repr(value)
    raise GeneratorError(generator="protocol", message=f"cannot write {value!r} as Python")
