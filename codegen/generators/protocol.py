"""Generator: a service's served package: ``protocol.py``, ``_protocols/`` and ``__init__.py``.

The wire protocols themselves are ordinary Python in :mod:`codegen.protocols` (standard library
only, relative imports); this generator copies the modules a service's protocols need into the
package it writes, as ``_protocols/`` (each file as it is, under a header naming its source),
and writes ``protocol.py`` with what is specific to the service
(``codegen/templates/protocol/protocol.py.j2``):

* the service's :class:`~codegen.protocols.tables.ServiceTables` (every wire name and binding,
  from :func:`codegen.generators.protocol_tables.service_tables`) as literals;
* example results (:class:`Examples`): deterministic, valid for each output shape and the
  spec's documented rules. Every shape type has its form: a union holds exactly one member (the
  first that has an example); a document is a small JSON object (``{"example": "document"}``);
  a blob, streaming or not, is bytes; an event stream member is a list of one event,
  ``[{EventName: {members}}]``, the first event of the stream's shape (the protocols write such
  a list as the stream's events; a behaviour returns the same form). Error shapes get examples
  of their members other than the message (what a modeled error carries);
* for the XML protocols (``query``, ``ec2``), straight-line writers of each operation's output
  (:class:`ResponseWriters`), as fast as a hand-written serializer;
* one protocol instance per protocol the service lists (``metadata.protocols``, else
  ``protocol``) that :mod:`codegen.protocols` speaks, in the model's order.

A service none of whose protocols is spoken gets no files (``apigen serve`` says so). The
package imports its sibling ``validators`` (the strict generated validators) on the first
request, not on import.
"""

from __future__ import annotations

import ast
import base64
import math
import re
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from codegen import __version__
from codegen.generators.base import GenerationContext, Generator, GeneratorError
from codegen.generators.protocol_tables import literal, service_tables, tables_source
from codegen.model import Member, ServiceModel, Shape
from codegen.protocols import protocol_class, supported
from codegen.protocols.tables import ServiceTables
from codegen.protocols.xml import Element, entry_elements, item_element, member_element
from codegen.regexes import compiled, enforceable, examples

MODULE = "protocol.py"
PACKAGE = "__init__.py"
RUNTIME = "_protocols"
XML_PROTOCOLS = frozenset({"query", "ec2"})


def supported_protocols() -> list[str]:
    """The protocols :mod:`codegen.protocols` speaks (botocore's names)."""
    return sorted(supported())


def spoken(model: ServiceModel) -> list[str]:
    """The protocols of ``model`` that are spoken, in the model's order."""
    listed = list(model.metadata.traits.get("protocols") or ()) or [model.metadata.protocol]
    known = supported()
    return [name for name in dict.fromkeys(listed) if name in known]


class ProtocolGenerator(Generator):
    name = "protocol"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        model = context.model
        protocols = spoken(model)
        if not protocols:
            return {}
        maker = Examples(model, context.version)
        results = {
            name: _example(maker, maker.result, name)
            for name in sorted(model.operations)
            if model.operations[name].output
        }
        errors = {
            name: _example(maker, maker.error, name) for name in sorted(_error_shapes(model))
        }
        tables = service_tables(model, results, errors)
        writers = ResponseWriters(tables) if XML_PROTOCOLS & set(protocols) else None
        operation_writers = writers.operation_writers() if writers else []
        classes = {name: protocol_class(name, model.name) for name in protocols}
        stdlib = ["from collections.abc import Mapping, Sequence", "from functools import cache"]
        stdlib.append("from types import ModuleType")
        stdlib.append("from typing import Any, Final")
        example_source = [python_literal(v) for v in (*results.values(), *errors.values())]
        if any("datetime(" in text for text in example_source):
            stdlib.append("from datetime import datetime, timezone")
        if any("base64.b64decode(" in text for text in example_source):
            stdlib.append("import base64")
        stdlib.sort(key=lambda line: (line.startswith("from "), line.split()[1]))
        source = self.render(
            "protocol/protocol.py.j2",
            service=model.name,
            service_title=model.metadata.service_full_name,
            api_version=model.metadata.api_version,
            spec_path=context.spec.path,
            spec_version=context.version,
            service_r=repr(model.name),
            api_version_r=repr(model.metadata.api_version),
            default_r=repr(protocols[0]),
            protocols=protocols,
            operations=literal(tuple(sorted(model.operations))),
            stdlib_imports=stdlib,
            protocol_imports=[
                f"from ._protocols.{cls.__module__.rsplit('.', 1)[1]} import {cls.__name__}"
                for cls in sorted(set(classes.values()), key=lambda c: c.__module__)
            ],
            examples=[(repr(k), python_literal(v)) for k, v in results.items()],
            error_examples=[(repr(k), python_literal(v)) for k, v in errors.items()],
            tables=tables_source(tables),
            xml=writers is not None,
            writers=writers.source() if writers else "",
            writer_imports=writers.imports() if writers else [],
            operation_writers=[(repr(name), function) for name, function in operation_writers],
            instances=[
                (
                    repr(name),
                    f"{cls.__name__}(TABLES, validate"
                    + (", writers=_WRITERS)" if name in XML_PROTOCOLS else ")"),
                )
                for name, cls in classes.items()
            ],
        )
        package = self.python(
            context,
            f'"""The served package of service {model.name}: ``protocol.py`` (its wire'
            " protocols), ``_protocols/`` (the protocol code apigen copies in) and the"
            ' validators it checks requests with."""\n',
        )
        files = {MODULE: self.python(context, source), PACKAGE: package}
        for module in runtime_modules(
            cls.__module__.rsplit(".", 1)[1] for cls in classes.values()
        ):
            files[f"{RUNTIME}/{module}.py"] = runtime_copy(module)
        return files


def _example(maker: Examples, make: Any, name: str) -> dict[str, Any]:
    """``make(name)``: an example of an operation's result or of an error shape; of an imported
    model whose constraints contradict each other, the lenient one (see :class:`Examples`)."""
    model = maker.model
    try:
        value: dict[str, Any] = make(name)
    except NoExample:
        element = model.operations.get(name) or model.shapes.get(name)
        imported = (
            model.spec_sha256 is None  # imported in memory
            or model.source.startswith("botocore")
            or getattr(element, "provenance", None) is not None  # imported into a spec
        )
        if not imported:
            raise  # a spec's author can give the member a documented default
        lenient = Examples(model, "", lenient=True)
        lenient.moment = maker.moment
        value = getattr(lenient, make.__name__)(name)
    return value


def _error_shapes(model: ServiceModel) -> set[str]:
    return {name for op in model.operations.values() for name in op.errors}


# -- the protocol runtime ----------------------------------------------------------------------


def _source(module: str) -> str:
    return (resources.files("codegen") / "protocols" / f"{module}.py").read_text(encoding="utf-8")


def runtime_modules(protocol_modules: Any) -> list[str]:
    """The modules of :mod:`codegen.protocols` that ``protocol_modules`` need (their relative
    imports, followed), with the package's ``__init__``; sorted."""
    needed: set[str] = set()
    stack = ["__init__", *protocol_modules]
    while stack:
        module = stack.pop()
        if module in needed:
            continue
        needed.add(module)
        for node in ast.walk(ast.parse(_source(module))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    stack.append(node.module)
                else:
                    stack.extend(
                        alias.name
                        for alias in node.names
                        if (
                            resources.files("codegen") / "protocols" / f"{alias.name}.py"
                        ).is_file()
                    )
    return sorted(needed)


def runtime_copy(module: str) -> str:
    """A module of :mod:`codegen.protocols` as it is, under a header naming its source."""
    return (
        f"# Code generated by apigen {__version__} (protocol generator): a copy of"
        f" codegen/protocols/{module}.py. DO NOT EDIT.\n" + _source(module)
    )


# -- response writers ---------------------------------------------------------------------

# an element name that can stand in an f-string literal as it is (XML names always do; a
# hostile model's other names are written with string concatenation instead)
_PLAIN_TAG = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


class ResponseWriters:
    """The XML response serializer as straight-line Python: one function per structure (its
    members in model order), list (its items) and map (its entries) reachable from an
    output shape, each writing its elements with their names as literals. Element names and
    flattening come from :mod:`codegen.protocols.xml` (``member_element``, ``item_element``,
    ``entry_elements``): the rules the generic :class:`~codegen.protocols.xml.XmlWriter`
    follows, so both give the same bytes.

    Every function is ``(a, e, v) -> None``: ``a`` appends text to the body, ``e`` is called
    with each string value before it is written raw (the protocol passes a collector, then
    checks everything collected at once, or the escaping check), ``v`` is the value. Scalars
    are written inline: a string as it is unless it needs escaping, an integer with ``int``'s
    text, a boolean as two literal elements; timestamps, floats and blobs through
    ``_iso8601``/``_timestamp_text``, ``_float``, ``_blob``.
    """

    def __init__(self, tables: ServiceTables) -> None:
        self.tables = tables
        self.names: dict[tuple[Any, ...], str] = {}
        self.taken: set[str] = set()
        self.pending: list[tuple[str, tuple[Any, ...]]] = []
        self.functions: list[str] = []

    def operation_writers(self) -> list[tuple[str, str]]:
        """(operation, writer of its output's members) for every operation with an output,
        sorted; generates every function they reach."""
        out = [
            (name, self._function(("structure", op.output)))
            for name, op in sorted(self.tables.operations.items())
            if op.output
        ]
        while self.pending:
            name, key = self.pending.pop(0)
            self.functions.append(self._define(name, key))
        return out

    def source(self) -> str:
        return "\n\n".join(self.functions)

    # the helpers the writers may call: (module, name, alias)
    HELPERS = (
        ("values", "blob_text", "_blob"),
        ("values", "float_text", "_float"),
        ("values", "timestamp_text", "_timestamp_text"),
        ("xml", "Append", "_Append"),
        ("xml", "Check", "_Check"),
        ("xml", "Writer", ""),
        ("xml", "iso8601", "_iso8601"),
        ("xml", "mapping", "_mapping"),
        ("xml", "sequence", "_sequence"),
        ("xml", "string_text", "_string"),
    )

    def imports(self) -> list[str]:
        """The import lines of the helpers the writers use."""
        source = self.source()
        return [
            f"from ._protocols.{module} import {name}" + (f" as {alias}" if alias else "")
            for module, name, alias in self.HELPERS
            if not alias or re.search(rf"\b{alias}\b", source)
        ]

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
        shape = self.tables.shapes[shape_name]
        lines = [f"def {name}(a: _Append, e: _Check, v: Any) -> None:"]
        if kind == "structure":
            lines.append(f'    """{_doc(shape_name)}: its members, in the model\'s order."""')
            members = [ref for ref in shape.members if not ref.location]
            if members:
                lines.append("    get = v.get")
            for ref in members:
                facts = member_element(self.tables, ref)
                lines.append(f"    x = get({ref.name!r})")
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
        shape = self.tables.shapes[facts.shape]
        tag = facts.tag
        open_tag, close_tag = f"a({'<' + tag + '>'!r})", f"a({'</' + tag + '>'!r})"
        kind = shape.type
        if kind == "structure":
            call = f"{self._function(('structure', facts.shape))}(a, e, {var})"
            return [open_tag, call, close_tag]
        if kind == "list" and shape.member is not None:
            item = item_element(self.tables, shape, facts)
            call = f"{self._function(('list', facts.shape, item))}(a, e, {var})"
            return [call] if facts.flattened else [open_tag, call, close_tag]
        if kind == "map" and shape.key is not None and shape.value is not None:
            entry, key_facts, value_facts = entry_elements(self.tables, shape, facts)
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
    """Deterministic example values for output shapes, within their documented constraints.

    A string no value satisfies (a pattern nothing of its length matches, as botocore's
    apprunner ``ServiceId``: a UUID pattern, at most 32 characters) is :class:`NoExample`:
    a spec's author then gives it a documented default. With ``lenient`` (what the protocol
    generator falls back to for such an operation of an imported model, which no author can
    correct) it is a value of its pattern whatever its length, else a plain one."""

    def __init__(self, model: ServiceModel, version: str, *, lenient: bool = False) -> None:
        self.model = model
        self.lenient = lenient
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

    def error(self, shape_name: str) -> dict[str, Any]:
        """An example of an error shape's members other than its message."""
        value = self.structure(self.model.shapes[shape_name], (shape_name,))
        return {k: v for k, v in value.items() if k.lower() != "message"}

    def structure(self, shape: Shape, stack: tuple[str, ...]) -> dict[str, Any]:
        if shape.traits.get("document"):
            return {"example": "document"}
        union = bool(shape.traits.get("union"))
        out: dict[str, Any] = {}
        for member in shape.members.values():
            if member.shape in stack and member.name not in shape.required:
                continue  # a recursive member: leave it out
            try:
                out[member.name] = self.value(member, (*stack, member.shape))
            except NoExample:
                if member.name in shape.required and not union:
                    raise
                # an optional member with no valid value (botocore has patterns nothing
                # matches, e.g. EC2's PlacementGroupArn): an example leaves it out
                continue
            if union:
                return out  # a union holds exactly one member: the first that has an example
        if union:
            raise NoExample(
                generator="protocol",
                message=f"no example for the union {shape.name}: none of its members has one",
            )
        return out

    def event_stream(self, shape: Shape, stack: tuple[str, ...]) -> list[dict[str, Any]]:
        """An event stream: a list of one event, ``{EventName: {members}}`` (its first event
        that has an example)."""
        for member in shape.members.values():
            try:
                event = self.structure(self.model.shapes[member.shape], (*stack, member.shape))
            except NoExample:
                continue
            return [{member.name: event}]
        return []

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
            if shape.traits.get("eventstream"):
                return self.event_stream(shape, stack)
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
        if self.lenient:  # the model's constraints contradict each other: its pattern wins
            for text in candidates[6:] or candidates:
                if all(compiled(p).search(text) for p in patterns):
                    return text
            return candidates[0]
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
