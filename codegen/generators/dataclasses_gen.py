"""Generator: typed dataclasses for a service's structures and enums (``shapes.py``).

Writes ``shapes.py``: one frozen, slotted, keyword-only dataclass per structure shape and one
``StrEnum`` per string shape with an ``enum``, with ``from_dict``/``to_dict`` converting to and
from the dicts botocore takes and returns. The module needs the standard library only
(Python >= 3.10); its docstring (``templates/dataclasses/shapes.py.j2``) states the
conventions. A service of more than 64 operations gets a package ``shapes/`` instead, whose
classes are imported lazily by name (:mod:`codegen.generators.split`). Everything
expression-level (annotations, loaders, to_dict statements, names, docstrings) is built here;
the templates only lay the file out.

Names:

- a structure or enum keeps its shape name (renamed only if it would shadow a name the module
  itself defines or imports);
- a field is the member name in snake_case, acronyms whole (:func:`codegen.names.snake_case`:
  ``ResourceIds`` -> ``resource_ids``, ``VPCId`` -> ``vpc_id``, ``ARNs`` -> ``arns``), with
  ``_`` appended to a keyword, to a name the class defines (``extra``, ``from_dict``, ...) or
  to a name used in annotations (``str``, ``datetime``, ...);
- an enum member is the value in UPPER_SNAKE_CASE (``cloud-watch-logs`` -> ``CLOUD_WATCH_LOGS``).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from codegen.generators.base import GenerationContext, Generator, environment
from codegen.generators.jsonschema_gen import json_value_header
from codegen.generators.split import (
    Definition,
    SplitLayout,
    all_order,
    defined,
    isort_member,
    isort_module,
    package_modules,
    referenced,
)
from codegen.generators.text import docstring_text
from codegen.model import Member, ServiceModel, Shape
from codegen.names import client_method, snake_case

MODULE = "shapes.py"
WIDTH = 99  # the line length generated code is formatted to (base.LINE_LENGTH)

# Names the generated module defines or imports at module level: no class may take them.
MODULE_NAMES = frozenset(
    {
        "Any",
        "Callable",
        "ClassVar",
        "Enum",
        "EventStream",
        "Literal",
        "Mapping",
        "MemberInfo",
        "NamedTuple",
        "Protocol",
        "Readable",
        "ShapeError",
        "StrEnum",
        "TypeVar",
        "Unknown",
        "annotations",
        "dataclass",
        "datetime",
        "field",
        "sys",
        "timezone",
    }
)
# Builtin names a class may not take (a module's own class would shadow them; the runtime
# raises some): the capitalised builtins of Python 3.10 to 3.13, fixed here so that the output
# does not depend on the Python that generates it.
BUILTIN_NAMES = frozenset(
    {
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BaseException",
        "BaseExceptionGroup",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "Ellipsis",
        "EncodingWarning",
        "EnvironmentError",
        "Exception",
        "ExceptionGroup",
        "False",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "None",
        "NotADirectoryError",
        "NotImplemented",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "PendingDeprecationWarning",
        "PermissionError",
        "ProcessLookupError",
        "PythonFinalizationError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "True",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "Warning",
        "ZeroDivisionError",
    }
)
# Names a field may not take: what each class defines, and names its annotations use.
# (``field``: the class body calls ``dataclasses.field`` for ``extra``.)
CLASS_NAMES = frozenset({"extra", "field", "from_dict", "to_dict", "self", "cls"})
ANNOTATION_NAMES = frozenset(
    {"bool", "bytes", "datetime", "dict", "float", "int", "object", "str", "tuple"}
)

_SCALARS = {
    "string": ("str", "_string"),
    "integer": ("int", "_integer"),
    "long": ("int", "_integer"),
    "boolean": ("bool", "_boolean"),
    "double": ("float", "_float"),
    "float": ("float", "_float"),
    "timestamp": ("datetime", "_timestamp"),
    "blob": ("bytes", "_blob"),
}


# -- names -------------------------------------------------------------------------------


def snake_identifier(name: str) -> str:
    """The words of ``name`` in snake_case, acronyms whole (``MaxAggregationInterval`` ->
    ``max_aggregation_interval``, ``ARNs`` -> ``arns``), made an identifier: ``value`` if there
    are none, ``n`` before a leading digit (``3Com`` -> ``n3_com``)."""
    text = snake_case(name, whole_acronyms=True)
    if not text:
        return "value"
    return f"n{text}" if text[0].isdigit() else text


def field_name(member: str, taken: Iterable[str] = ()) -> str:
    """The dataclass field for ``member``, distinct from ``taken`` and from reserved names."""
    name = snake_identifier(member)
    reserved = CLASS_NAMES | ANNOTATION_NAMES | set(taken)
    while keyword.iskeyword(name) or name in reserved:  # soft keywords are fine names
        name += "_"
    return name


def field_names(shape: Shape) -> dict[str, str]:
    """``{member name: field name}`` for a structure, in member order."""
    names: dict[str, str] = {}
    for member in shape.members:
        names[member] = field_name(member, names.values())
    return names


def enum_member_name(value: str, taken: Iterable[str] = ()) -> str:
    """The enum member for ``value``: ``cloud-watch-logs`` -> ``CLOUD_WATCH_LOGS``."""
    name = snake_identifier(value).upper() if value else "EMPTY"
    if name[0] == "N" and value[:1].isdigit():
        name = "VALUE_" + name[1:]
    base, n, used = name, 1, set(taken)
    while name in used or keyword.iskeyword(name):
        n += 1
        name = f"{base}_{n}"
    return name


def class_names(model: ServiceModel) -> dict[str, str]:
    """``{shape name: class name}`` for every structure and enum shape of the model."""
    names: dict[str, str] = {}
    for shape in model.shapes.values():
        if not _is_class(shape):
            continue
        base = re.sub(r"\W", "_", shape.name).lstrip("_") or "Shape"
        if base[0].isdigit():
            base = "Shape" + base
        base = base[0].upper() + base[1:]
        name = base
        while (
            name in MODULE_NAMES
            or name in BUILTIN_NAMES
            or name in names.values()
            or keyword.iskeyword(name)
        ):
            name += "Shape" if name == base else "_"
        names[shape.name] = name
    return names


def _is_class(shape: Shape) -> bool:
    if shape.type == "structure":
        return not _is_document(shape)
    return shape.type == "string" and bool(shape.enum)


def _is_document(shape: Shape) -> bool:
    """A document shape: any JSON value (a dict, list, string, number, bool or None)."""
    return shape.type == "structure" and bool(shape.traits.get("document"))


def _is_stream(shape: Shape) -> bool:
    """An event stream: botocore returns an ``EventStream`` object for it, kept as it is."""
    return shape.type == "structure" and bool(shape.traits.get("eventstream"))


def _is_streaming_blob(member: Member, shape: Shape) -> bool:
    """A streaming blob (the trait is on the member or on its shape): botocore returns a
    ``StreamingBody`` for it, kept as it is."""
    return shape.type == "blob" and bool(
        member.traits.get("streaming") or shape.traits.get("streaming")
    )


# -- what the template receives -----------------------------------------------------------


@dataclass(frozen=True)
class EnumCode:
    name: str
    docstring: str  # a string literal, indented for the class body
    members: tuple[tuple[str, str], ...]  # (member name, value literal)


@dataclass(frozen=True)
class FieldCode:
    name: str
    key: str  # the member name as a literal
    declaration: str  # "resource_ids: tuple[str, ...]" or "... | None = None"
    docstring: str | None
    load: str  # the argument in the class's _load call
    dump: str  # the value written by to_dict
    required: bool
    normalize: str  # what __post_init__ stores: the value given, checked (and normalised)
    info: str  # a MemberInfo(...) literal


@dataclass(frozen=True)
class StructureCode:
    name: str
    shape: str  # literal
    docstring: str
    fields: tuple[FieldCode, ...]
    post_init_doc: str  # the docstring of __post_init__ (when there is one)
    union: bool = False  # a tagged union: exactly one field is set
    recursive: bool = False  # on a cycle of shapes: _load and _dump count the depth

    @property
    def normalized(self) -> tuple[FieldCode, ...]:
        return self.fields


# What __post_init__ does, in the order its docstring says it.
_STORES = {
    "list": "lists as tuples",
    "map": "maps as dicts",
    "timestamp": "naive datetimes as UTC",
    "enum": "known enum values as members",
}


class ShapesBuilder:
    """Builds the pieces of ``shapes.py`` for one model."""

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self.names = class_names(model)
        self.needs: set[str] = set()  # runtime helpers the module uses
        self.roles = self._roles()
        self.order = self._ordered_shapes()
        # structures on a cycle: their _load and to_dict follow a value _MAX_NESTING levels deep
        self.recursive = model.recursive_structures()

    # order: per operation input, output and errors, each after the structures it holds ----

    def _ordered_shapes(self) -> list[Shape]:
        seen: dict[str, None] = {}

        def visit(name: str) -> None:
            if name in seen:
                return
            seen[name] = None
            for ref in self.model.shapes[name].children():
                visit(ref.shape)
            order.append(name)

        order: list[str] = []
        for op in self.model.operations.values():
            for name in (op.input, op.output, *op.errors):
                if name:
                    visit(name)
        for name in self.model.shapes:
            visit(name)
        return [self.model.shapes[n] for n in order if _is_class(self.model.shapes[n])]

    def _roles(self) -> dict[str, list[str]]:
        roles: dict[str, list[str]] = {}
        for op in self.model.operations.values():
            method = client_method(op.name)
            if op.input:
                summary = next(iter(op.documentation.split("\n\n")), "")
                roles.setdefault(op.input, []).append(
                    f"Parameters of ``{op.name}``: ``client.{method}(**params.to_dict())``."
                    + (f"\n\n{op.name}: {summary}" if summary else "")
                )
            if op.output:
                cls = self.names[op.output]
                roles.setdefault(op.output, []).append(
                    f"Result of ``{op.name}``: ``{cls}.from_dict(client.{method}(...))``."
                )
            for error in op.errors:
                roles.setdefault(error, []).append(f"An error ``{op.name}`` can return.")
        return roles

    # pieces --------------------------------------------------------------------------------

    def enums(self) -> list[EnumCode]:
        out = []
        for shape in self.order:
            if shape.type != "string":
                continue
            members: list[tuple[str, str]] = []
            for value in shape.enum:
                members.append((enum_member_name(value, (m for m, _ in members)), _literal(value)))
            intro = shape.documentation or f"The values of the ``{shape.name}`` shape."
            note = (
                f"A field of this type is typed ``{self.names[shape.name]} | str``: "
                "``from_dict`` keeps a value this module does not list (one AWS added later) "
                "as a plain string."
            )
            out.append(
                EnumCode(
                    self.names[shape.name],
                    docstring_literal(f"{intro}\n\n{note}", 4),
                    tuple(members),
                )
            )
        return out

    def structures(self) -> list[StructureCode]:
        return [self.structure(s) for s in self.order if s.type == "structure"]

    def structure(self, shape: Shape) -> StructureCode:
        names = field_names(shape)
        fields = []
        stores: set[str] = set()  # what __post_init__ normalises (keys of _STORES)
        if shape.traits.get("union"):
            self.needs.add("_one_member")
        recursive = shape.name in self.recursive
        if recursive:
            self.needs.add("_nesting")
        for member_name, member in shape.members.items():
            target = self.model.shapes[member.shape]
            required = member_name in shape.required
            streaming = _is_streaming_blob(member, target)
            if streaming:
                self.needs.update({"Protocol", "_readable"})
            # a jsonvalue header: botocore sends any value json.dumps encodes, returns it decoded
            json_value = json_value_header(member, target)
            if json_value:
                self.needs.add("_json_value")
            annotation = (
                "bytes | Readable"
                if streaming
                else "Any"
                if json_value
                else self.annotation(target)
            )
            loader = (
                "_readable"
                if streaming
                else "_json_value"
                if json_value
                else self.loader(target, deeper=recursive)
            )
            if required:
                declaration = f"{names[member_name]}: {annotation}"
                load = f"r.required({_literal(member_name)}, {loader})"
            else:
                declaration = f"{names[member_name]}: {annotation} | None = None"
                load = f"r.optional({_literal(member_name)}, {loader})"
            doc = member.documentation
            since = (
                member.since if member.since and member.since != self._first_version() else None
            )
            if since:
                doc = (
                    f"{doc}\n\nAdded in API version {since}."
                    if doc
                    else f"Added in API version {since}."
                )
            info_args = [_literal(member_name), _literal(member.shape), _literal(member.wire_name)]
            if required:
                info_args.append("required=True")
            fields.append(
                FieldCode(
                    name=names[member_name],
                    key=_literal(member_name),
                    declaration=declaration,
                    docstring=docstring_literal(doc, 4) if doc else None,
                    load=load,
                    dump=(
                        f"self.{names[member_name]}"
                        if streaming or json_value
                        else self.dumper(
                            target,
                            f"self.{names[member_name]}",
                            path=f"_at(path, {_literal(names[member_name])})"
                            if recursive
                            else None,
                        )
                    ),
                    required=required,
                    normalize=(
                        f'{loader}(self.{names[member_name]}, {_literal(names[member_name])}, "ignore")'
                        if streaming or json_value
                        else self.checked(target, names[member_name], stores)
                    ),
                    info=f"MemberInfo({', '.join(info_args)})",
                )
            )
        parts = [shape.documentation] if shape.documentation else []
        parts.extend(self.roles.get(shape.name, []))
        if not parts:
            parts.append(f"The ``{shape.name}`` structure.")
        if shape.since and shape.since != self._first_version():
            parts.append(f"Added in API version {shape.since}.")
        done = [text for kind, text in _STORES.items() if kind in stores]
        stored = ", ".join(done[:-1]) + " and " + done[-1] if len(done) > 1 else "".join(done)
        post_init = (
            "Check each field's type as ``from_dict`` does, and ``extra`` (a ShapeError names "
            "the field)"
        )
        if shape.traits.get("union"):
            post_init = f"Check that exactly one member is set (a tagged union). {post_init}"
        post_init += f"; store {stored}." if stored else "."
        return StructureCode(
            self.names[shape.name],
            _literal(shape.name),
            docstring_literal("\n\n".join(parts), 4),
            tuple(fields),
            docstring_literal(post_init, 8),
            union=bool(shape.traits.get("union")),
            recursive=recursive,
        )

    def _first_version(self) -> str | None:
        versions = self.model.versions
        return versions[0].version if versions else None

    # expressions ---------------------------------------------------------------------------

    def annotation(self, shape: Shape) -> str:
        if _is_document(shape):
            return "Any"
        if _is_stream(shape):
            self.needs.add("Protocol")
            return f"{self.names[shape.name]} | EventStream"
        if shape.type == "structure":
            return self.names[shape.name]
        if shape.type == "list":
            assert shape.member is not None
            return f"tuple[{self.annotation(self.model.shapes[shape.member.shape])}, ...]"
        if shape.type == "map":
            assert shape.key is not None and shape.value is not None
            key = self.annotation(self.model.shapes[shape.key.shape])
            value = self.annotation(self.model.shapes[shape.value.shape])
            return f"Mapping[{key}, {value}]"
        if shape.type == "string" and shape.enum:
            return f"{self.names[shape.name]} | str"
        if shape.type == "timestamp":
            self.needs.add("datetime")
        return _SCALARS[shape.type][0]

    def loader(self, shape: Shape, instances: bool = False, deeper: bool = False) -> str:
        """A ``_Load`` expression: (value, path, unknown) -> the field's value. ``instances``:
        for a constructor's value, where a structure is an instance of its class (not a
        mapping). ``deeper``: in a recursive class's ``_load``, where a recursive structure is
        loaded one level deeper (its ``depth`` counted)."""
        if _is_document(shape):
            self.needs.add("_document")
            return "_document"
        if _is_stream(shape):
            self.needs.add("_event_stream")
            if instances:
                self.needs.add("_instance")
                return f"_event_stream(_instance({self.names[shape.name]}))"
            return f"_event_stream({self.names[shape.name]}._load)"
        if shape.type == "structure":
            if instances:
                self.needs.add("_instance")
                return f"_instance({self.names[shape.name]})"
            if deeper and shape.name in self.recursive:
                return f"_deeper({self.names[shape.name]}._load, depth)"
            return f"{self.names[shape.name]}._load"
        if shape.type == "list":
            assert shape.member is not None
            self.needs.add("_list")
            item = self.loader(self.model.shapes[shape.member.shape], instances, deeper)
            return f"_list({item})"
        if shape.type == "map":
            assert shape.key is not None and shape.value is not None
            self.needs.add("_map")
            key = self.loader(self.model.shapes[shape.key.shape], instances, deeper)
            value = self.loader(self.model.shapes[shape.value.shape], instances, deeper)
            return f"_map({key}, {value})"
        if shape.type == "string" and shape.enum:
            self.needs.update({"_enum", "_known", "_string"})
            return f"_enum({self.names[shape.name]})"
        helper = _SCALARS[shape.type][1]
        self.needs.add(helper)
        if shape.type == "timestamp":
            self.needs.add("_aware")
        return helper

    def dumper(self, shape: Shape, expr: str, depth: int = 0, path: str | None = None) -> str:
        """The botocore value of ``expr`` (a non-None value of ``shape``). ``path``: in a
        recursive class's ``_dump``, the expression of ``expr``'s path, where a recursive
        structure is dumped one level deeper (its ``depth`` counted, its path kept)."""
        if _is_document(shape):
            return expr
        if _is_stream(shape):
            return f"{expr}.to_dict() if isinstance({expr}, {self.names[shape.name]}) else {expr}"
        if shape.type == "structure":
            if path is not None and shape.name in self.recursive:
                return f"{expr}._dump({path}, depth + 1)"
            return f"{expr}.to_dict()"
        if shape.type == "list":
            assert shape.member is not None
            item = "item" if depth == 0 else f"item{depth}"
            index = "index" if depth == 0 else f"index{depth}"
            at = None if path is None else f"_index({path}, {index})"
            inner = self.dumper(self.model.shapes[shape.member.shape], item, depth + 1, at)
            if inner == item:
                return f"list({expr})"
            if at is not None and at in inner:
                return f"[{inner} for {index}, {item} in enumerate({expr})]"
            return f"[{inner} for {item} in {expr}]"
        if shape.type == "map":
            assert shape.key is not None and shape.value is not None
            k, v = ("key", "value") if depth == 0 else (f"key{depth}", f"value{depth}")
            at = None if path is None else f"_entry({path}, {k})"
            key = self.dumper(self.model.shapes[shape.key.shape], k, depth + 1)
            value = self.dumper(self.model.shapes[shape.value.shape], v, depth + 1, at)
            if key == k and value == v:
                return f"dict({expr})"
            return f"{{{key}: {value} for {k}, {v} in {expr}.items()}}"
        if shape.type == "string" and shape.enum:
            self.needs.add("_value")
            return f"_value({expr})"
        return expr

    def checked(self, shape: Shape, name: str, stores: set[str]) -> str:
        """What the constructor stores for field ``name`` (a non-None value of ``shape``): the
        value checked by the loader ``from_dict`` uses (a structure: an instance of its class),
        which also normalises it (see :meth:`normalizer`, which notes in ``stores`` what)."""
        self.normalizer(shape, "value", stores)
        return f'{self.loader(shape, instances=True)}(self.{name}, {_literal(name)}, "ignore")'

    def normalizer(self, shape: Shape, expr: str, stores: set[str], depth: int = 0) -> str | None:
        """What the constructor stores for ``expr`` (a non-None value of ``shape``), or None
        if it stores the value as given: lists as tuples, maps as dicts, naive datetimes as
        UTC and known enum values as enum members (each noted in ``stores``). A structure
        normalises its own fields."""
        if shape.type == "list":
            assert shape.member is not None
            stores.add("list")
            item = "item" if depth == 0 else f"item{depth}"
            member = self.model.shapes[shape.member.shape]
            inner = self.normalizer(member, item, stores, depth + 1)
            return f"tuple({expr})" if inner is None else f"tuple({inner} for {item} in {expr})"
        if shape.type == "map":
            assert shape.key is not None and shape.value is not None
            stores.add("map")
            k, v = ("key", "value") if depth == 0 else (f"key{depth}", f"value{depth}")
            key = self.normalizer(self.model.shapes[shape.key.shape], k, stores, depth + 1)
            value = self.normalizer(self.model.shapes[shape.value.shape], v, stores, depth + 1)
            if key is None and value is None:
                return f"dict({expr})"
            return f"{{{key or k}: {value or v} for {k}, {v} in {expr}.items()}}"
        if shape.type == "timestamp":
            stores.add("timestamp")
            self.needs.add("_aware")
            return f"_aware({expr})"
        if shape.type == "string" and shape.enum:
            stores.add("enum")
            self.needs.add("_known")
            return f"_known({self.names[shape.name]}, {expr})"
        return None

    # the module ----------------------------------------------------------------------------

    def values(self, context: GenerationContext) -> dict[str, object]:
        enums = self.enums()
        structures = self.structures()
        if enums:
            self.needs.add("Enum")
        public = [e.name for e in enums] + [s.name for s in structures]
        ops = list(self.model.operations)
        return {
            "intro": docstring_text(
                f"{context.spec.title}: typed dataclasses for the structures and enums of the "
                f"API.\n\nOperations: {', '.join(ops)}. Needs the standard library only "
                "(Python >= 3.10).",
                width=WIDTH - 3,
                lists=True,
                cut_long_words=False,
            ),
            "example": self._example(structures),
            "enums": enums,
            "structures": structures,
            "needs": frozenset(self.needs),
            "all": sorted([*public, "MemberInfo", "ShapeError", "Unknown"], key=all_order),
        }

    def _example(self, structures: list[StructureCode]) -> str:
        """The class the module docstring's example loads: an operation's result, if any."""
        for op in self.model.operations.values():
            if op.output:
                return self.names[op.output]
        return structures[0].name if structures else "Shape"


# -- text --------------------------------------------------------------------------------


def _literal(value: str) -> str:
    """A double-quoted Python string literal (as black writes it)."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def docstring_literal(text: str, indent: int) -> str:
    """A triple-quoted docstring for plain text (paragraphs separated by blank lines), to stand
    at ``indent`` spaces.

    Paragraphs are wrapped to the line length (a long word is not cut); consecutive ``• item``
    paragraphs become a ``- item`` list. The first line is not indented (the template places
    it); a closing quote of the text is escaped.
    """
    pad = " " * indent
    # the width leaves room for the opening quotes
    body = docstring_text(text, width=WIDTH - indent - 3, lists=True, cut_long_words=False)
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    lines = body.split("\n")
    if len(lines) == 1 and indent + len(lines[0]) + 6 <= WIDTH:
        return f'"""{lines[0]}"""'
    rest = "".join(f"\n{pad}{line}" if line else "\n" for line in lines[1:])
    return f'"""{lines[0]}{rest}\n{pad}"""'


# -- the generator -----------------------------------------------------------------------


class DataclassesGenerator(SplitLayout, Generator):
    """The dataclasses of a service: one module, or a package (see :class:`.split.SplitLayout`)."""

    name = "dataclasses"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        builder = ShapesBuilder(context.model)
        values = builder.values(context)
        if not values["structures"] and not values["enums"]:
            return {}
        if self.split(len(context.model.operations)):
            return self._package(context, builder, values)
        source = self.render("dataclasses/shapes.py.j2", **values)
        return {MODULE: self.python(context, source)}

    def _package(
        self, context: GenerationContext, builder: ShapesBuilder, values: dict[str, Any]
    ) -> dict[str, str]:
        """The package layout (``shapes/``): see :mod:`codegen.generators.split`."""
        model = context.model
        macros = environment().get_template("dataclasses/classes.py.j2").module
        texts = {e.name: str(macros.enum_class(e)) for e in values["enums"]}  # type: ignore[attr-defined]
        texts.update(
            (c.name, str(macros.structure_class(c)))  # type: ignore[attr-defined]
            for c in values["structures"]
        )
        definitions = {
            name: Definition(name, text, frozenset(referenced(text)))
            for name, text in texts.items()
        }
        runtime = self.render(
            "dataclasses/package_runtime.py.j2", service=model.name, needs=values["needs"]
        )
        runtime_names = defined(runtime)
        roots = [
            (
                op.name,
                [
                    builder.names[n]
                    for n in (op.input, op.output, *op.errors)
                    if n in builder.names
                ],
            )
            for op in model.operations.values()
        ]
        parts, modules = package_modules(
            definitions, roots, len(model.operations), runtime_names, _PACKAGE_STDLIB
        )
        sources: dict[str, str] = {}
        for part in modules:
            source = self.render(
                "dataclasses/package_part.py.j2",
                service=model.name,
                what=(
                    "the classes of its operations that no other module needs"
                    if part.bucket
                    else "classes that several of its modules need"
                ),
                imports=part.imports,
                body="".join(texts[m] for m in part.members),
            )
            sources[f"shapes/{part.name}.py"] = source
        sources["shapes/_runtime.py"] = runtime
        source = self.render(
            "dataclasses/package_init.py.j2",
            **values,
            package=True,
            modules=len(parts.modules),
            reexported=sorted(
                runtime_names
                & {"EventStream", "MemberInfo", "Readable", "ShapeError", "StrEnum", "Unknown"},
                key=isort_member,
            ),
            by_module=[
                (module, sorted(parts.modules[module], key=isort_member))
                for module in sorted(parts.modules, key=isort_module)
            ],
        )
        sources["shapes/__init__.py"] = source
        return self.python_files(context, sources)


# the standard library names a part of a shapes package may use, by module (isort's order)
_PACKAGE_STDLIB = (
    ("collections.abc", frozenset({"Callable", "Mapping"})),
    ("dataclasses", frozenset({"dataclass", "field"})),
    ("datetime", frozenset({"datetime", "timezone"})),
    ("typing", frozenset({"Any", "ClassVar"})),
)
