"""Generator: the protocol layer of a service (``protocol.py``), one template set per protocol.

Writes ``protocol.py`` (and an ``__init__.py``, so that the service folder is a package and
``protocol.py`` can import its sibling ``validators`` module): request parsing, response and
error serialization and example responses for the service's wire protocol, from the
templates under ``codegen/templates/protocol/<protocol>/``. Only ``ec2`` exists so far; a
model of another protocol gets no protocol layer (``query``, ``json``, ``rest-json`` and
``rest-xml`` can be added as template sets beside it).

The model goes into the module as tables (:class:`_Ref`/``_Shape`` literals): the query key of
every member (:func:`codegen.wire.query_name`), its XML element name, flattening and timestamp
format; the template's code walks them. Example responses are built here from the output
shapes and their documented constraints, deterministically (timestamps at the spec version's
date).
"""

from __future__ import annotations

import base64
import math
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from codegen.generators.base import GenerationContext, Generator, GeneratorError
from codegen.model import Member, ServiceModel, Shape
from codegen.regexes import compiled
from codegen.wire import query_name

OUTPUT = "protocol.py"
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
        return {OUTPUT: self.python(context, source), PACKAGE: package}


# -- tables ------------------------------------------------------------------------------


def _timestamp_format(*sources: Any) -> str | None:
    for traits in sources:
        value = traits.get("timestampFormat") if traits else None
        if value:
            return str(value)
    return None


def ref_literal(model: ServiceModel, ref: Member, *, xml: str, query: str) -> str:
    target = model.shapes[ref.shape]
    flattened = bool(ref.traits.get("flattened") or target.traits.get("flattened"))
    fmt = _timestamp_format(ref.traits, target.traits) if target.type == "timestamp" else None
    args = [repr(ref.name), repr(ref.shape), repr(query), repr(xml)]
    if flattened or fmt:
        args.append(repr(flattened))
    if fmt:
        args.append(repr(fmt))
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
            out[member.name] = self.value(member, (*stack, member.shape))
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
        patterns = [p for p in (shape.pattern, documented.pattern) if p]
        for text in candidates:
            text = text.ljust(low, "x")
            if high is not None:
                text = text[: int(high)]
            if all(compiled(p).search(text) for p in patterns) and (
                fmt is None or not fmt.violations(text)
            ):
                return text
        raise GeneratorError(
            generator="protocol",
            message=f"no example value for {name} (shape {shape.name}): give it a documented default",
        )


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
