"""The in-memory API model: the one shape of data every later stage receives.

Data flows one way::

    specs/*.json ──loader.load_spec──► Spec ──Spec.model(as_of)──┐
                                                                  ├──► ServiceModel ──► generators,
    botocore service-2.json ──bridge.importer.import_model───────┘                     diff, exporter

Both producers build the same frozen objects, so a generator or the diff engine never knows
(or cares) whether a model came from a hand-written spec or from botocore.

The vocabulary is botocore's (``ServiceModel``, ``Operation``, ``Shape``, ``Member``; shape
types ``structure``, ``list``, ``map``, ``string``, ...). What botocore's model holds is held
in named fields, and any other botocore trait is kept verbatim in ``traits`` so that an import
followed by an export loses nothing. What the *documentation* states but botocore's model
lacks (at most 1000 items, 60 or 600, what ``s3`` forbids, ...) lives apart, in
:class:`Constraints` (per member), :class:`Rule` (between members of a structure) and
:class:`Format` (named value formats), so no one mistakes a documented rule for botocore's.

Documentation strings are plain text; paragraphs are separated by a blank line.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Literal

from codegen.errors import ModelError, UnknownOperationError, UnknownShapeError
from codegen.regexes import compiled

SHAPE_TYPES = (
    "structure",
    "list",
    "map",
    "string",
    "integer",
    "long",
    "boolean",
    "timestamp",
    "double",
    "float",
    "blob",
)
SCALAR_TYPES = frozenset(SHAPE_TYPES) - {"structure", "list", "map"}
NUMBER_TYPES = frozenset({"integer", "long", "double", "float"})

RuleKind = Literal["forbidden", "required", "one_of_required", "format"]
ConditionKind = Literal["equals", "present", "absent", "all", "any", "not"]

EMPTY: Mapping[str, Any] = {}
_REGEX_SPECIAL = frozenset(".^$*+?()[]{}|\\/")


def regex_escape(text: str) -> str:
    """Escape ``text`` for a regular expression valid in Python *and* ECMA-262 (JSON Schema).

    ``re.escape`` also escapes characters such as ``-``, which ECMA-262's unicode mode rejects.
    """
    return "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text)


#: A botocore release as this toolkit writes and reads it: three decimal numbers without leading
#: zeros (``1.14.10``). pip reads ``01.14.10`` as ``1.14.10`` (PEP 440 normalizes it), so a
#: release written otherwise would name the same download under two spellings, and a spec
#: version recorded as ``01.14.10`` would not answer to ``@1.14.10``: refused where typed.
_RELEASE = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)", re.ASCII)
_LOOSE_RELEASE = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)", re.ASCII)


def release_problem(text: str) -> str | None:
    """Why ``text`` is not a canonical botocore release number (``1.14.10``), or None.

    A number written with leading zeros (``01.14.10``) is told its canonical form."""
    if _RELEASE.fullmatch(text):
        return None
    loose = _LOOSE_RELEASE.fullmatch(text)
    if loose:
        canonical = ".".join(part.lstrip("0") or "0" for part in loose.groups())
        return f"not a canonical release number: write {canonical}"
    return "not a release number (expected e.g. 1.14.10)"


def release_key(release: str) -> tuple[int, int, int]:
    """A canonical release number as numbers, for comparing releases."""
    major, minor, patch = (int(part) for part in release.split("."))
    return major, minor, patch


@dataclass(frozen=True)
class VersionInfo:
    """One entry of a spec's changelog: the state of the API as of ``version``."""

    version: str
    date: str
    summary: str
    botocore: str | None = None

    def names(self) -> tuple[str, ...]:
        """Every name this version answers to (its id, its date, its botocore release)."""
        names = [self.version, self.date]
        if self.botocore:
            names.append(self.botocore)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Provenance:
    """Where an imported element came from (e.g. botocore 1.14.10, service ec2)."""

    source: str
    release: str
    service: str
    sha256: str | None = None

    def describe(self) -> str:
        return f"imported from {self.source} {self.release} ({self.service})"


@dataclass(frozen=True)
class Condition:
    """A condition on the members of one structure, written as data.

    ``equals``: the member's effective value (its documented default when absent) is one of
    ``values``; ``present``/``absent``: the member is given or not; ``all``/``any``/``not``
    combine ``conditions``.
    """

    kind: ConditionKind
    member: str | None = None
    values: tuple[Any, ...] = ()
    conditions: tuple[Condition, ...] = ()

    def __post_init__(self) -> None:
        leaf = self.kind in ("equals", "present", "absent")
        if leaf and not self.member:
            raise ModelError(where=f"condition {self.kind}", message="needs a member")
        if self.kind == "equals" and not self.values:
            raise ModelError(where="condition equals", message="needs at least one value")
        if self.kind == "not" and len(self.conditions) != 1:
            raise ModelError(where="condition not", message="takes exactly one condition")
        if self.kind in ("all", "any") and not self.conditions:
            raise ModelError(where=f"condition {self.kind}", message="needs conditions")

    def members(self) -> frozenset[str]:
        """Every member name the condition looks at."""
        own = frozenset({self.member}) if self.member else frozenset()
        return own.union(*(c.members() for c in self.conditions))

    def describe(self) -> str:
        """Plain words, e.g. ``LogDestinationType is 's3'``."""
        if self.kind == "equals":
            alts = " or ".join(repr(v) for v in self.values)
            return f"{self.member} is {alts}"
        if self.kind == "present":
            return f"{self.member} is given"
        if self.kind == "absent":
            return f"{self.member} is not given"
        if self.kind == "not":
            return f"not ({self.conditions[0].describe()})"
        joiner = " and " if self.kind == "all" else " or "
        return joiner.join(f"({c.describe()})" for c in self.conditions)


@dataclass(frozen=True)
class Rule:
    """A documented rule between members of a structure.

    ``forbidden``: when ``when`` holds, none of ``members`` may be given;
    ``required``: when it holds, all of them must be given;
    ``one_of_required``: when it holds, at least one of them must be given;
    ``format``: when it holds, the single member in ``members`` must match ``format``.
    ``source`` quotes the documentation sentence the rule was transcribed from.
    """

    id: str
    kind: RuleKind
    members: tuple[str, ...]
    message: str
    source: str
    when: Condition | None = None
    format: str | None = None

    def __post_init__(self) -> None:
        if not self.members:
            raise ModelError(where=f"rule {self.id}", message="names no members")
        if self.kind == "format" and (self.format is None or len(self.members) != 1):
            raise ModelError(
                where=f"rule {self.id}", message="a format rule names one member and a format"
            )

    def referenced_members(self) -> frozenset[str]:
        cond = self.when.members() if self.when else frozenset()
        return cond | frozenset(self.members)


@dataclass(frozen=True)
class FilterName:
    """One documented filter of a ``Describe*`` operation (e.g. ``traffic-type``)."""

    name: str
    documentation: str
    values: tuple[str, ...] = ()  # empty: any value


@dataclass(frozen=True)
class FilterSpec:
    """The documented filter names of a ``Filter`` list member and their allowed values."""

    names: tuple[FilterName, ...]
    name_member: str = "Name"
    values_member: str = "Values"
    case_sensitive: bool = True

    def get(self, name: str) -> FilterName | None:
        for f in self.names:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True)
class Constraints:
    """Constraints on one member that the documentation states and botocore's model lacks."""

    default: Any = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    allowed_values: tuple[Any, ...] = ()
    pattern: str | None = None
    format: str | None = None
    idempotency_token: bool = False
    filters: FilterSpec | None = None
    source: str = ""  # the documentation sentence(s) these come from

    def is_empty(self) -> bool:
        return self == NO_CONSTRAINTS

    def items(self) -> Iterator[tuple[str, Any]]:
        """The constraints that are set, as (name, value) pairs, ``source`` excluded."""
        for name in (
            "default",
            "min_items",
            "max_items",
            "min_length",
            "max_length",
            "min_value",
            "max_value",
            "allowed_values",
            "pattern",
            "format",
            "idempotency_token",
            "filters",
        ):
            value = getattr(self, name)
            if value not in (None, (), False):
                yield name, value


NO_CONSTRAINTS = Constraints()  # frozen: one shared instance for the many members without any


@dataclass(frozen=True)
class FormatCheck:
    """A regular expression a value must match (or, in ``Format.rejects``, must not)."""

    pattern: str
    message: str


@dataclass(frozen=True)
class FieldList:
    """A value made of field ids, each written ``prefix + id + suffix``, joined by ``separator``."""

    fields: tuple[str, ...]
    prefix: str = "${"
    suffix: str = "}"
    separator: str = " "
    min_fields: int = 1
    field_versions: Mapping[str, int] = field(default_factory=dict)

    def regex(self) -> str:
        alternatives = "|".join(regex_escape(f) for f in self.fields)
        token = f"{regex_escape(self.prefix)}(?:{alternatives}){regex_escape(self.suffix)}"
        sep = regex_escape(self.separator)
        head = token if self.min_fields >= 1 else f"(?:{token})?"
        extra = max(self.min_fields - 1, 0)
        repeated = f"(?:{sep}{token})" + (f"{{{extra},}}" if extra else "*")
        return f"^{head}{repeated}$"

    def tokens(self, value: str) -> list[str]:
        return value.split(self.separator) if value else []

    def field_of(self, token: str) -> str | None:
        """The field id a token names, or None if it is not written ``prefix id suffix``."""
        if token.startswith(self.prefix) and token.endswith(self.suffix):
            inner = token[len(self.prefix) : len(token) - len(self.suffix)]
            return inner or None
        return None


@dataclass(frozen=True)
class Format:
    """A named value format: a pattern, sub-patterns it must not contain, or a field list."""

    name: str
    description: str
    pattern: str | None = None
    rejects: tuple[FormatCheck, ...] = ()
    fields: FieldList | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.pattern is None and self.fields is None:
            raise ModelError(where=f"format {self.name}", message="needs a pattern or fields")

    def regex(self) -> str:
        """One regular expression equivalent to the whole format (for JSON Schema)."""
        base = self.pattern if self.pattern is not None else self.fields.regex()  # type: ignore[union-attr]
        if not self.rejects:
            return base
        body = base[1:] if base.startswith("^") else f"[\\s\\S]*?(?:{base})"
        lookaheads = "".join(f"(?![\\s\\S]*?(?:{r.pattern}))" for r in self.rejects)
        return f"^{lookaheads}{body}"

    def violations(self, value: str) -> list[str]:
        """Why ``value`` does not have this format (empty list when it does).

        Patterns are read as ECMA-262 reads them (:mod:`codegen.regexes`), like the generated
        validators and JSON Schemas: ``$`` does not match before a final newline.
        """
        problems: list[str] = []
        if self.fields is not None:
            tokens = self.fields.tokens(value)
            if len(tokens) < self.fields.min_fields:
                problems.append(f"needs at least {self.fields.min_fields} field(s)")
            known = set(self.fields.fields)
            for token in tokens:
                fid = self.fields.field_of(token)
                if fid is None:
                    problems.append(
                        f"{token!r} is not written as {self.fields.prefix}field-id{self.fields.suffix}"
                    )
                elif fid not in known:
                    problems.append(f"unknown field {token!r}")
        if self.pattern is not None and not compiled(self.pattern).search(value):
            problems.append(f"is not {self.description}")
        for reject in self.rejects:
            if compiled(reject.pattern).search(value):
                problems.append(reject.message)
        return problems


class _Factory:
    """The default of a parameter whose field has a default factory (shown as dataclasses do)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _quick_init(cls: type) -> type:
    """Give a frozen dataclass an ``__init__`` that fills the instance's ``__dict__`` in one step.

    The generated ``__init__`` of a frozen dataclass sets each field with
    ``object.__setattr__``, which costs about half of building a ``Member`` or a ``Shape``; a
    release has hundreds of thousands of them. This one takes the same parameters, with the
    same defaults, and calls ``__post_init__`` the same way; instances stay frozen (assigning
    still raises ``FrozenInstanceError``)."""
    params: list[str] = []
    values: list[str] = []
    namespace: dict[str, Any] = {"_MISSING": _FACTORY}
    for f in fields(cls):
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
            values.append(f"{f.name}={f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            values.append(f"{f.name}=_factory_{f.name}() if {f.name} is _MISSING else {f.name}")
        else:
            params.append(f.name)
            values.append(f"{f.name}={f.name}")
    post_init = "\n    self.__post_init__()" if hasattr(cls, "__post_init__") else ""
    source = (
        f"def __init__(self, {', '.join(params)}) -> None:\n"
        f"    self.__dict__.update({', '.join(values)}){post_init}\n"
    )
    exec(source, namespace)  # noqa: S102 - built from the dataclass's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[misc]
    return cls


@_quick_init
@dataclass(frozen=True)
class Member:
    """A reference from a structure (or list/map) to a shape, with its wire names."""

    name: str
    shape: str
    documentation: str = ""
    location_name: str | None = None
    query_name: str | None = None
    documented: Constraints = NO_CONSTRAINTS
    since: str | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)

    @property
    def wire_name(self) -> str:
        """The name on the wire for XML responses (``locationName`` or the member name)."""
        return self.location_name or self.name


@_quick_init
@dataclass(frozen=True)
class Shape:
    """A named type. Which fields apply depends on ``type`` (botocore's shape types)."""

    name: str
    type: str
    documentation: str = ""
    members: Mapping[str, Member] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    member: Member | None = None
    key: Member | None = None
    value: Member | None = None
    enum: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    rules: tuple[Rule, ...] = ()
    since: str | None = None
    provenance: Provenance | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"shape {self.name}"
        if self.type not in SHAPE_TYPES:
            raise ModelError(where=where, message=f"unknown shape type {self.type!r}")
        if self.type == "list" and self.member is None:
            raise ModelError(where=where, message="a list needs a member")
        if self.type == "map" and (self.key is None or self.value is None):
            raise ModelError(where=where, message="a map needs a key and a value")
        unknown = [r for r in self.required if r not in self.members]
        if unknown:
            raise ModelError(where=where, message=f"required names unknown members {unknown}")
        for rule in self.rules:
            missing = sorted(rule.referenced_members() - set(self.members))
            if missing:
                raise ModelError(
                    where=f"{where} rule {rule.id}", message=f"unknown members {missing}"
                )

    def children(self) -> Iterator[Member]:
        """The member references of this shape, whatever its type."""
        if self.type == "structure":
            yield from self.members.values()
        for ref in (self.member, self.key, self.value):
            if ref is not None:
                yield ref


@_quick_init
@dataclass(frozen=True)
class Pagination:
    """botocore's paginator configuration for one operation."""

    input_token: str | tuple[str, ...]
    output_token: str | tuple[str, ...]
    result_key: str | tuple[str, ...] | None = None
    limit_key: str | None = None
    more_results: str | None = None
    non_aggregate_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentedError:
    """An error code the documentation says an operation can return."""

    code: str
    documentation: str


@_quick_init
@dataclass(frozen=True)
class Operation:
    name: str
    http_method: str = "POST"
    request_uri: str = "/"
    input: str | None = None
    output: str | None = None
    documentation: str = ""
    errors: tuple[str, ...] = ()  # botocore error shapes
    documented_errors: tuple[DocumentedError, ...] = ()
    pagination: Pagination | None = None
    since: str | None = None
    provenance: Provenance | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Metadata:
    api_version: str
    protocol: str
    endpoint_prefix: str
    service_full_name: str
    service_id: str | None = None
    service_abbreviation: str | None = None
    signature_version: str | None = None
    uid: str | None = None
    xml_namespace: str | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)


class LazyShapes(Mapping[str, Shape]):
    """The shapes of a model, each built on first access from its definition.

    Reading a whole botocore model builds tens of thousands of objects; a comparison of two
    releases looks at few of them. Names, membership and length come from the definitions
    without building anything; a shape is built (by ``build(name, definition)``) once, when
    first looked up or iterated over, and checked then as an eager model checks all of its
    shapes up front (:meth:`ServiceModel._check_shape`).

    :meth:`seal` lets go of the definitions (a comparison that is done needs no more shapes,
    and the definitions of a whole model are many megabytes of parsed JSON)."""

    def __init__(self, definitions: Mapping[str, Any], build: Callable[[str, Any], Shape]) -> None:
        self._definitions: Mapping[str, Any] | None = definitions
        self._names: Mapping[str, Any] | frozenset[str] = definitions
        self._build = build
        self._built: dict[str, Shape] = {}
        self._checks: list[Callable[[Shape], None]] = []

    def check_each(self, check: Callable[[Shape], None]) -> None:
        """Run ``check`` on every shape: those built so far now, the others as they are built."""
        self._checks.append(check)
        for shape in list(self._built.values()):
            check(shape)

    def seal(self) -> None:
        """Build no more shapes. The names stay; looking up a shape not built by now raises a
        :class:`~codegen.errors.ModelError`."""
        if self._definitions is not None:
            self._names = frozenset(self._definitions)
            self._definitions = None
            # nothing more to build or check: let go of the builder and of the model's checks
            # (which refer to the model, which refers to these shapes: a cycle)
            self._checks.clear()

    def __getitem__(self, name: str) -> Shape:
        shape = self._built.get(name)
        if shape is None:
            if self._definitions is None:
                if name not in self._names:
                    raise KeyError(name)
                raise ModelError(
                    where=f"shape {name}",
                    message="not built: this model was sealed after a comparison, which did not look at it",
                )
            shape = self._build(name, self._definitions[name])
            for check in self._checks:
                check(shape)
            self._built[name] = shape
        return shape

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def built(self) -> int:
        """How many shapes have been built so far."""
        return len(self._built)


@dataclass(frozen=True)
class ServiceModel:
    """One service's API, as of one version: operations and the shapes they reach."""

    name: str  # botocore's service name, e.g. "ec2"
    metadata: Metadata
    operations: Mapping[str, Operation]
    shapes: Mapping[str, Shape]
    documentation: str = ""
    formats: Mapping[str, Format] = field(default_factory=dict)
    version: VersionInfo | None = None
    versions: tuple[VersionInfo, ...] = ()
    source: str = ""  # e.g. "specs/ec2/flow-logs.json" or "botocore 1.14.10"
    spec_sha256: str | None = None
    traits: Mapping[str, Any] = field(default_factory=dict)  # other top-level botocore keys

    def __post_init__(self) -> None:
        if isinstance(self.shapes, LazyShapes):
            self.shapes.check_each(self._check_shape)  # as each is built
        else:
            for shape in self.shapes.values():
                self._check_shape(shape)
        for op in self.operations.values():
            for target in (op.input, op.output, *op.errors):
                if target is not None:
                    self._check_ref(target, f"operation {op.name}")

    def _check_shape(self, shape: Shape) -> None:
        """Every reference of ``shape`` names a shape of this model, every rule a format."""
        shapes = self.shapes
        # (inlined Shape.children: a whole release has hundreds of thousands of references)
        for ref in shape.members.values() if shape.type == "structure" else ():
            if ref.shape not in shapes:
                self._check_ref(ref.shape, f"{shape.name}.{ref.name}")
        for slot in (shape.member, shape.key, shape.value):
            if slot is not None and slot.shape not in shapes:
                self._check_ref(slot.shape, f"{shape.name}.{slot.name}")
        for rule in shape.rules:
            if rule.format is not None and rule.format not in self.formats:
                raise ModelError(
                    where=f"{shape.name} rule {rule.id}",
                    message=f"unknown format {rule.format!r}",
                )

    def _check_ref(self, name: str, where: str) -> None:
        if name not in self.shapes:
            raise UnknownShapeError(name=name, where=where)

    # -- look-ups -----------------------------------------------------------------------

    def shape(self, name: str) -> Shape:
        try:
            return self.shapes[name]
        except KeyError:
            raise UnknownShapeError(name=name, where=self.source or self.name) from None

    def operation(self, name: str) -> Operation:
        try:
            return self.operations[name]
        except KeyError:
            close = [n for n in self.operations if n.lower() == name.lower()]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownOperationError(
                source=self.source or self.name, name=name, hint=hint
            ) from None

    def input_shape(self, operation: str) -> Shape | None:
        op = self.operation(operation)
        return self.shapes[op.input] if op.input else None

    def output_shape(self, operation: str) -> Shape | None:
        op = self.operation(operation)
        return self.shapes[op.output] if op.output else None

    def reachable_shapes(self, operations: Iterable[str] | None = None) -> list[str]:
        """Names of every shape reached from ``operations`` (default: all), in first-seen order."""
        names = list(self.operations) if operations is None else list(operations)
        seen: dict[str, None] = {}
        queue: deque[str] = deque()  # breadth first: the order generated files list shapes in
        for name in names:
            op = self.operation(name)
            queue.extend(s for s in (op.input, op.output, *op.errors) if s)
        while queue:
            current = queue.popleft()
            if current in seen:
                continue
            seen[current] = None
            queue.extend(ref.shape for ref in self.shapes[current].children())
        return list(seen)

    def recursive_structures(self) -> frozenset[str]:
        """The structures that lie on a cycle of shape references (DynamoDB's ``AttributeValue``
        holds lists and maps of itself): a value of one can nest without end, so generated code
        bounds how deep it follows one (``_MAX_NESTING``). Every cycle passes through a
        structure. Tarjan's strongly connected components, as a loop (any model size)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        found: set[str] = set()
        for root in self.shapes:
            if root in index:
                continue
            work: list[tuple[str, Iterator[str]]] = [(root, self._targets(root))]
            index[root] = low[root] = len(index)
            stack.append(root)
            on_stack.add(root)
            while work:
                name, targets = work[-1]
                target = next(targets, None)
                if target is not None:
                    if target not in index:
                        index[target] = low[target] = len(index)
                        stack.append(target)
                        on_stack.add(target)
                        work.append((target, self._targets(target)))
                    elif target in on_stack:
                        low[name] = min(low[name], index[target])
                    continue
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[name])
                if low[name] == index[name]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == name:
                            break
                    if len(component) > 1 or name in set(self._targets(name)):
                        found.update(c for c in component if self.shapes[c].type == "structure")
        return frozenset(found)

    def _targets(self, name: str) -> Iterator[str]:
        return (ref.shape for ref in self.shapes[name].children() if ref.shape in self.shapes)

    def restrict(self, operations: Iterable[str]) -> ServiceModel:
        """The same model with only ``operations`` and the shapes they reach."""
        names = list(operations)
        for name in names:
            self.operation(name)
        reached = set(self.reachable_shapes(names))
        return ServiceModel(
            name=self.name,
            metadata=self.metadata,
            operations={n: op for n, op in self.operations.items() if n in names},
            shapes={n: s for n, s in self.shapes.items() if n in reached},
            documentation=self.documentation,
            formats=self.formats,
            version=self.version,
            versions=self.versions,
            source=self.source,
            spec_sha256=self.spec_sha256,
            traits=self.traits,
        )
