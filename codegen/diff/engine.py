"""The diff engine: two in-memory models of one service in, a list of classified changes out.

It works on :class:`~codegen.model.ServiceModel` only (never on botocore JSON), so a spec version,
a botocore release and a ``service-2.json`` compare alike.

What it walks: the service (metadata, documentation), then every operation of either side. For
an operation on both sides it compares the operation itself (HTTP binding, errors, documented
errors, pagination, traits, documentation), then walks its input (direction ``request``), its
output (``response``) and each error shape it shares on both sides (``error``) member by member.
Paths are the nested member names, lists and maps collapsed through to their items (as in the
changelog: ``FlowLogs.MaxAggregationInterval``); a change on a list's item itself (its wire name,
its shape's documentation) keeps the list's path and says so in ``subject``.

A shape reached from several operations, or along several paths of one operation, is reported
under each of them. The comparison of a pair of shapes is computed once and reused (keyed by the
two shape names); recursive shapes stop where a pair repeats on the current path. What such a
stop cuts depends on the path, so the comparison of a pair that met one is reused only within
its operation: an operation's changes are the same whichever operations are compared with it
(``--operation`` and pruning change nothing in them).

Severity comes from :mod:`codegen.diff.rules` by rule id and direction; nothing here decides it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, NamedTuple

from codegen.diff.rules import RULES_BY_ID, Direction, Severity, severity
from codegen.model import (
    NUMBER_TYPES,
    Constraints,
    FilterSpec,
    Member,
    Operation,
    ServiceModel,
    Shape,
)

# -- the result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One classified change. ``path`` is dotted member names ('' for the input/output root)."""

    service: str
    operation: str | None
    direction: Direction
    path: str
    rule: str
    severity: Severity
    message: str
    old: Any = None
    new: Any = None
    subject: str = ""  # what exactly at ``path`` (an enum value, 'documentation', 'min', ...)
    # Where the change was found, for grouping one shape's change reached from many places: the
    # (new, else old) shape and the member path inside it. Not part of the change's identity.
    shape: str | None = field(default=None, compare=False)
    shape_path: str = field(default="", compare=False)
    shape_subject: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        return RULES_BY_ID[self.rule].kind

    @property
    def location(self) -> str:
        """``service/operation/direction/path``: what suppression path patterns match."""
        return f"{self.service}/{self.operation or '-'}/{self.direction}/{self.path}"

    @property
    def fingerprint(self) -> str:
        """A short, stable id: sha256 of service/operation/direction/path/rule (+ subject)."""
        key = "|".join((self.service, self.operation or "", self.direction, self.path, self.rule))
        if self.subject:
            key += "|" + self.subject
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "direction": self.direction,
            "path": self.path,
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "subject": self.subject,
            "old": self.old,
            "new": self.new,
            "fingerprint": self.fingerprint,
        }


def jsonable(value: Any) -> Any:
    """Model values as JSON data (tuples to lists, dataclasses to dicts, None kept)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in asdict(value).items() if v not in (None, (), "", {})}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# -- type signatures (what an added member looks like) -----------------------------------------

BOTO_TYPE_NAMES = {"structure": "structure", "list": "list", "map": "map"}


def type_name(shape: Shape) -> str:
    return shape.type


def signature(model: ServiceModel, shape_name: str, _seen: frozenset[str] = frozenset()) -> Any:
    """The shape as nested data of type names, as the changelog shows an added member:
    ``'integer'``, ``'a | b'`` for an enum, ``{'Member': ...}`` for a structure, ``[...]`` for a
    list, ``{'string': ...}`` for a map. A recursive reference shows as ``'Name (recursive)'``."""
    shape = model.shapes[shape_name]
    if shape_name in _seen:
        return f"{shape_name} (recursive)"
    seen = _seen | {shape_name}
    if shape.type == "structure":
        return {name: signature(model, m.shape, seen) for name, m in shape.members.items()}
    if shape.type == "list":
        assert shape.member is not None
        return [signature(model, shape.member.shape, seen)]
    if shape.type == "map":
        assert shape.key is not None and shape.value is not None
        key = signature(model, shape.key.shape, seen)
        return {key if isinstance(key, str) else "key": signature(model, shape.value.shape, seen)}
    if shape.enum:
        return " | ".join(shape.enum)
    return shape.type


def short_type(model: ServiceModel, shape_name: str) -> str:
    """``integer``, ``structure``, ``list<string>``, ``map<string, Tag>``: for messages."""
    shape = model.shapes[shape_name]
    if shape.type == "list" and shape.member is not None:
        item = model.shapes[shape.member.shape]
        return f"list<{item.name if item.type == 'structure' else item.type}>"
    if shape.type == "map" and shape.key is not None and shape.value is not None:
        value = model.shapes[shape.value.shape]
        return f"map<{model.shapes[shape.key.shape].type}, {value.name if value.type == 'structure' else value.type}>"
    if shape.type == "structure":
        return f"structure {shape.name}"
    return shape.type


# -- traits ------------------------------------------------------------------------------------

WIRE_TRAITS = frozenset(
    {
        "location",
        "locationName",
        "queryName",
        "flattened",
        "xmlAttribute",
        "xmlNamespace",
        "jsonvalue",
        "streaming",
        "eventstream",
        "eventpayload",
        "eventheader",
        "event",
        "hostLabel",
        "timestampFormat",
        "payload",
        "requiresLength",
        "union",
        "document",
        "exception",
        "error",
        "fault",
        "endpoint",
        "name",
        "resultWrapper",
        "inputRef",
        "outputRef",
        "errorRefs",
        "wrapper",
        "xmlOrder",
        "awsQueryError",
        "awsQueryCompatible",
    }
)
ANNOTATION_TRAITS = frozenset(
    {
        "sensitive",
        "box",
        "documentationUrl",
        "idempotent",
        "deprecatedMessage",
        "retryable",
        "tags",
    }
)
IGNORED_TRAITS = frozenset({"required", "errors", "idempotencyToken", "deprecated"})


def _trait_rule(key: str) -> str:
    if key.startswith("http."):
        return "ChangedHttpBinding"
    if key in WIRE_TRAITS:
        return "ChangedWireTrait"
    if key in ANNOTATION_TRAITS:
        return "ChangedAnnotationTrait"
    return "ChangedTrait"


# -- the comparison ----------------------------------------------------------------------------


class _Rel(NamedTuple):
    """A change relative to the shape pair it was found in (no service/operation/direction);
    its fields, in order, are :meth:`ModelComparer._change`'s arguments after those."""

    path: tuple[str, ...]
    rule: str
    message: str
    old: Any = None
    new: Any = None
    subject: str = ""
    shape: str | None = None  # the shape the change was found in (see Change.shape)
    local: tuple[str, ...] = ()  # its path inside that shape
    found: str = ""  # its subject there (a list or map that reaches it prefixes its own)


_EMPTY = Shape(name="", type="structure")


def _fmt(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _owned(rels: Iterable[_Rel], shape: str, local: tuple[str, ...] = ()) -> list[_Rel]:
    """``rels`` found directly in ``shape`` (at ``local``): record where, unless already known."""
    return [
        r
        if r.shape is not None
        else r._replace(shape=shape, local=local + r.path, found=r.subject)
        for r in rels
    ]


def _paths(rels: Iterable[_Rel], prefix: tuple[str, ...], subject_prefix: str = "") -> list[_Rel]:
    out = []
    for r in rels:
        subject = r.subject
        if subject_prefix and not r.path:
            subject = f"{subject_prefix}{subject}" if subject else subject_prefix.rstrip(": ")
        out.append(r._replace(path=prefix + r.path, subject=subject))
    return out


@dataclass
class _Memo:
    # pairs whose comparison met no recursion: the same from wherever they are reached
    pairs: dict[tuple[str | None, str | None], list[_Rel]] = field(default_factory=dict)
    # pairs whose comparison stopped at a repeat: what is cut depends on the path taken to
    # them, so they are reused only within the operation that computed them
    local: dict[tuple[str | None, str | None], list[_Rel]] = field(default_factory=dict)
    cycles: int = 0  # repeats met (and reuses of ``local``) so far


class ModelComparer:
    """Compares two models of one service. Either side may be None (service added/removed)."""

    def __init__(
        self, old: ServiceModel | None, new: ServiceModel | None, *, service: str | None = None
    ):
        if old is None and new is None:
            raise ValueError("nothing to compare")
        self.old = old
        self.new = new
        self.service = service or (new.name if new is not None else old.name)  # type: ignore[union-attr]
        self._memo = _Memo()
        self._stack: dict[tuple[str | None, str | None], int] = {}

    # -- public ------------------------------------------------------------------------------

    def changes(self) -> list[Change]:
        out = self.service_changes()
        if self.old is None or self.new is None:
            return out
        for name in self.operation_names():
            out.extend(self.operation_changes(name))
        return out

    def operation_names(self) -> list[str]:
        """Every operation of either side: the new model's order, then those only in the old."""
        names = list(self.new.operations) if self.new else []
        if self.old:
            names += [
                n
                for n in self.old.operations
                if n not in (self.new.operations if self.new else {})
            ]
        return names

    def service_changes(self) -> list[Change]:
        old, new = self.old, self.new
        if old is None:
            return [
                self._change(
                    None,
                    "service",
                    (),
                    "AddedService",
                    "service added",
                    None,
                    new.metadata.service_full_name,  # type: ignore[union-attr]
                )
            ]
        if new is None:
            return [
                self._change(
                    None,
                    "service",
                    (),
                    "RemovedService",
                    "service removed",
                    old.metadata.service_full_name,
                    None,
                )
            ]
        out: list[Change] = []
        om, nm = old.metadata, new.metadata

        def changed(rule: str, name: str, a: Any, b: Any, subject: str) -> Change:
            message = f"{name} changed from {_fmt(a)} to {_fmt(b)}"
            return self._change(None, "service", (), rule, message, a, b, subject)

        for attr in ("service_full_name", "service_abbreviation"):
            a, b = getattr(om, attr), getattr(nm, attr)
            if a != b:
                out.append(changed("ChangedServiceName", attr, a, b, attr))
        for attr in (
            "api_version",
            "protocol",
            "endpoint_prefix",
            "service_id",
            "signature_version",
            "uid",
            "xml_namespace",
        ):
            a, b = getattr(om, attr), getattr(nm, attr)
            if a != b:
                out.append(changed("ChangedServiceMetadata", attr, a, b, attr))
        # other metadata keys, then other top-level keys of the model
        for prefix, ot, nt in (("metadata ", om.traits, nm.traits), ("", old.traits, new.traits)):
            for key in sorted(set(ot) | set(nt)):
                a, b = ot.get(key), nt.get(key)
                if a != b:
                    out.append(changed("ChangedServiceMetadata", f"{prefix}{key}", a, b, key))
        if old.documentation != new.documentation:
            out.append(
                self._change(
                    None,
                    "service",
                    (),
                    "ChangedDocumentation",
                    "service documentation changed",
                    old.documentation,
                    new.documentation,
                    "documentation",
                )
            )
        return out

    def operation_changes(self, name: str) -> list[Change]:
        old = self.old.operations.get(name) if self.old else None
        new = self.new.operations.get(name) if self.new else None
        if old is None and new is None:
            return []
        if old is None:
            return [
                self._change(
                    name, "operation", (), "AddedOperation", "operation added", None, name
                )
            ]
        if new is None:
            return [
                self._change(
                    name, "operation", (), "RemovedOperation", "operation removed", name, None
                )
            ]
        # What was cut at repeats depends on the path: each operation's own walk decides it, so
        # that an operation's changes do not depend on which others were compared before it.
        self._memo.local.clear()
        out = self._operation_own(old, new)
        roots: tuple[tuple[Direction, str | None, str | None], ...] = (
            ("request", old.input, new.input),
            ("response", old.output, new.output),
        )
        # a _Rel's fields are _change's arguments after the operation and the direction
        for direction, a, b in roots:
            out += (self._change(name, direction, *rel) for rel in self._root(a, b, direction))
        for error in new.errors:
            if error in old.errors:
                rels = _paths(self._pair(error, error, 0)[0], (error,))
                out += (self._change(name, "error", *rel) for rel in rels)
        return out

    # -- operations --------------------------------------------------------------------------

    def _operation_own(self, old: Operation, new: Operation) -> list[Change]:
        name = new.name
        out: list[Change] = []

        def add(rule: str, message: str, a: Any = None, b: Any = None, subject: str = "") -> None:
            out.append(
                self._change(
                    name, "operation", (), rule, message, jsonable(a), jsonable(b), subject
                )
            )

        if old.http_method != new.http_method:
            add(
                "ChangedHttpBinding",
                f"HTTP method {old.http_method} -> {new.http_method}",
                old.http_method,
                new.http_method,
                "http.method",
            )
        if old.request_uri != new.request_uri:
            add(
                "ChangedHttpBinding",
                f"request URI {old.request_uri} -> {new.request_uri}",
                old.request_uri,
                new.request_uri,
                "http.requestUri",
            )
        for error in new.errors:
            if error not in old.errors:
                add("AddedError", f"new error {error}", None, error, error)
        for error in old.errors:
            if error not in new.errors:
                add("RemovedError", f"error {error} removed", error, None, error)
        old_docs = {e.code: e for e in old.documented_errors}
        new_docs = {e.code: e for e in new.documented_errors}
        for code, e in new_docs.items():
            if code not in old_docs:
                add(
                    "AddedError",
                    f"new documented error code {code}",
                    None,
                    code,
                    f"documented {code}",
                )
            elif old_docs[code].documentation != e.documentation:
                add(
                    "ChangedDocumentation",
                    f"documentation of error code {code} changed",
                    old_docs[code].documentation,
                    e.documentation,
                    f"documented {code}",
                )
        for code in old_docs:
            if code not in new_docs:
                add(
                    "RemovedError",
                    f"documented error code {code} removed",
                    code,
                    None,
                    f"documented {code}",
                )
        if old.pagination != new.pagination:
            if old.pagination is None:
                add(
                    "AddedPagination",
                    "operation is now paginated",
                    None,
                    new.pagination,
                    "pagination",
                )
            elif new.pagination is None:
                add(
                    "RemovedPagination",
                    "operation is no longer paginated",
                    old.pagination,
                    None,
                    "pagination",
                )
            else:
                fields = [
                    f
                    for f in (
                        "input_token",
                        "output_token",
                        "result_key",
                        "limit_key",
                        "more_results",
                        "non_aggregate_keys",
                    )
                    if getattr(old.pagination, f) != getattr(new.pagination, f)
                ]
                add(
                    "ChangedPagination",
                    f"pagination changed ({', '.join(fields)})",
                    old.pagination,
                    new.pagination,
                    "pagination",
                )
        for rel in self._traits(old.traits, new.traits):
            add(rel.rule, rel.message, rel.old, rel.new, rel.subject)
        if old.documentation != new.documentation:
            add(
                "ChangedDocumentation",
                "operation documentation changed",
                old.documentation,
                new.documentation,
                "documentation",
            )
        return out

    # -- shapes ------------------------------------------------------------------------------

    def _root(self, a: str | None, b: str | None, direction: str) -> list[_Rel]:
        if a is None and b is None:
            return []
        rels: list[_Rel] = []
        if a is not None and b is not None and a != b:
            rels.append(
                _Rel((), "ChangedMemberTarget", f"{direction} shape {a} -> {b}", a, b, "shape")
            )
        return rels + self._pair(a, b, 0)[0]

    def _shape(self, side: ServiceModel | None, name: str | None) -> Shape:
        if name is None or side is None:
            return _EMPTY
        return side.shapes[name]

    def _pair(self, a: str | None, b: str | None, depth: int) -> tuple[list[_Rel], int]:
        """Changes between old shape ``a`` and new shape ``b`` (None: an empty structure).

        Returns the changes and the smallest stack depth of a pair this walk stopped at because
        it repeats (recursion); a result is context-free, and memoized, only if that is not above
        this pair."""
        key = (a, b)
        memo = self._memo
        cached = memo.pairs.get(key)
        if cached is not None:
            return cached, depth
        cached = memo.local.get(key)
        if cached is not None:
            memo.cycles += 1
            return cached, depth
        if key in self._stack:
            memo.cycles += 1
            return [], self._stack[key]
        self._stack[key] = depth
        cycles = memo.cycles
        try:
            rels, low = self._compare_shapes(
                self._shape(self.old, a), self._shape(self.new, b), depth
            )
        finally:
            del self._stack[key]
        if memo.cycles == cycles:
            memo.pairs[key] = rels
        elif low >= depth:
            memo.local[key] = rels
        return rels, low

    def _compare_shapes(self, os: Shape, ns: Shape, depth: int) -> tuple[list[_Rel], int]:
        rels: list[_Rel] = []
        low = depth
        if os is ns:  # one object on both sides: an unchanged shape, closure included
            return rels, low
        if os.type != ns.type:  # reported by the referring member; nothing below compares
            return rels, low
        if os is _EMPTY or ns is _EMPTY:  # an operation gained or lost its input/output
            sub, low = self._structure(os, ns, depth)
            return _owned(sub, ns.name or os.name), low
        if os.documentation != ns.documentation:
            rels.append(
                _Rel(
                    (),
                    "ChangedDocumentation",
                    f"documentation of shape {ns.name} changed",
                    os.documentation,
                    ns.documentation,
                    "shape documentation",
                )
            )
        rels.extend(self._shape_limits(os, ns))
        rels.extend(self._enum(os.enum, ns.enum))
        if os.pattern != ns.pattern:
            rels.append(_pattern_rel(os.pattern, ns.pattern, "pattern"))
        rels.extend(self._traits(os.traits, ns.traits))
        if ns.type == "structure":
            sub, sub_low = self._structure(os, ns, depth)
            rels.extend(sub)
            low = min(low, sub_low)
        elif ns.type == "list":
            assert os.member is not None and ns.member is not None
            sub, sub_low = self._ref(os.member, ns.member, depth)
            rels.extend(_paths(sub, (), "items: "))
            low = min(low, sub_low)
        elif ns.type == "map":
            assert os.key and ns.key and os.value and ns.value
            sub, sub_low = self._ref(os.key, ns.key, depth)
            rels.extend(_paths(sub, ("<key>",)))
            low = min(low, sub_low)
            sub, sub_low = self._ref(os.value, ns.value, depth)
            rels.extend(_paths(sub, (), "values: "))
            low = min(low, sub_low)
        return _owned(rels, ns.name), low

    def _structure(self, os: Shape, ns: Shape, depth: int) -> tuple[list[_Rel], int]:
        rels: list[_Rel] = []
        low = depth
        old_required, new_required = set(os.required), set(ns.required)
        for name, member in ns.members.items():
            if name not in os.members:
                required = name in new_required
                rels.append(
                    _Rel(
                        (name,),
                        "AddedRequiredMember" if required else "AddedMember",
                        f"{'required ' if required else ''}member added ({short_type(self.new, member.shape)})",  # type: ignore[arg-type]
                        None,
                        signature(self.new, member.shape),  # type: ignore[arg-type]
                    )
                )
        for name, member in os.members.items():
            if name not in ns.members:
                rels.append(
                    _Rel(
                        (name,),
                        "RemovedMember",
                        f"member removed ({short_type(self.old, member.shape)})",  # type: ignore[arg-type]
                        signature(self.old, member.shape),  # type: ignore[arg-type]
                        None,
                    )
                )
        for name, new_member in ns.members.items():
            old_member = os.members.get(name)
            if old_member is None:
                continue
            if name in new_required and name not in old_required:
                rels.append(_Rel((name,), "MadeRequired", "now required", False, True, "required"))
            elif name in old_required and name not in new_required:
                rels.append(
                    _Rel((name,), "MadeOptional", "no longer required", True, False, "required")
                )
            sub, sub_low = self._ref(old_member, new_member, depth)
            rels.extend(_paths(sub, (name,)))
            low = min(low, sub_low)
        rels.extend(self._rules(os, ns))
        return rels, low

    def _ref(self, om: Member, nm: Member, depth: int) -> tuple[list[_Rel], int]:
        """A member reference: its own properties, then the shapes it targets."""
        rels: list[_Rel] = []
        if om.documentation != nm.documentation:
            rels.append(
                _Rel(
                    (),
                    "ChangedDocumentation",
                    "member documentation changed",
                    om.documentation,
                    nm.documentation,
                    "documentation",
                )
            )
        for attr, label in (("location_name", "locationName"), ("query_name", "queryName")):
            a, b = getattr(om, attr), getattr(nm, attr)
            if a != b:
                rels.append(
                    _Rel((), "ChangedWireName", f"{label} {_fmt(a)} -> {_fmt(b)}", a, b, label)
                )
        old_token = bool(om.traits.get("idempotencyToken")) or om.documented.idempotency_token
        new_token = bool(nm.traits.get("idempotencyToken")) or nm.documented.idempotency_token
        if old_token != new_token:
            rels.append(
                _Rel(
                    (),
                    "AddedIdempotencyToken" if new_token else "RemovedIdempotencyToken",
                    "now an idempotency token" if new_token else "no longer an idempotency token",
                    old_token,
                    new_token,
                    "idempotencyToken",
                )
            )
        rels.extend(self._traits(om.traits, nm.traits))
        rels.extend(self._documented(om.documented, nm.documented))
        os, ns = self.old.shapes[om.shape], self.new.shapes[nm.shape]  # type: ignore[union-attr]
        if os.type != ns.type:
            rels.append(
                _Rel(
                    (),
                    "ChangedShapeType",
                    f"type changed from {short_type(self.old, om.shape)} to "  # type: ignore[arg-type]
                    f"{short_type(self.new, nm.shape)}",  # type: ignore[arg-type]
                    signature(self.old, om.shape),  # type: ignore[arg-type]
                    signature(self.new, nm.shape),  # type: ignore[arg-type]
                    "type",
                )
            )
            return rels, depth
        if om.shape != nm.shape:
            rels.append(
                _Rel(
                    (),
                    "ChangedMemberTarget",
                    f"target shape {om.shape} -> {nm.shape}",
                    om.shape,
                    nm.shape,
                    "target",
                )
            )
        sub, low = self._pair(om.shape, nm.shape, depth + 1)
        rels.extend(sub)
        return rels, low

    # -- pieces ------------------------------------------------------------------------------

    def _shape_limits(self, os: Shape, ns: Shape) -> list[_Rel]:
        kind = "Range" if ns.type in NUMBER_TYPES else "Length"
        return _limits(kind, os.min, ns.min, os.max, ns.max, "")

    def _enum(self, old: tuple[str, ...], new: tuple[str, ...]) -> list[_Rel]:
        if old == new:
            return []
        if not old:
            return [
                _Rel((), "AddedEnum", f"now an enum ({' | '.join(new)})", None, list(new), "enum")
            ]
        if not new:
            return [_Rel((), "RemovedEnum", "no longer an enum", list(old), None, "enum")]
        rels: list[_Rel] = []
        removed = [v for v in old if v not in new]
        added = [v for v in new if v not in old]
        renamed: list[tuple[str, str]] = []
        if removed and len(removed) == len(added):
            pairs = list(zip(removed, added))
            if all(old.index(r) == new.index(a) for r, a in pairs):
                renamed = pairs
        for r, a in renamed:
            rels.append(
                _Rel(
                    (), "RenamedEnumValue", f"enum value {r!r} renamed to {a!r}", r, a, f"enum {r}"
                )
            )
        if renamed:
            return rels
        for v in removed:
            rels.append(
                _Rel((), "RemovedEnumValue", f"enum value {v!r} removed", v, None, f"enum {v}")
            )
        kept = [v for v in old if v in new]
        appended = list(new[: len(kept)]) == kept
        for v in added:
            rule = "AddedEnumValue" if appended else "InsertedEnumValue"
            rels.append(
                _Rel(
                    (),
                    rule,
                    f"enum value {v!r} {'added' if appended else 'inserted'}",
                    None,
                    v,
                    f"enum {v}",
                )
            )
        return rels

    def _traits(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[_Rel]:
        rels: list[_Rel] = []
        if bool(old.get("deprecated")) != bool(new.get("deprecated")):
            dep = bool(new.get("deprecated"))
            rels.append(
                _Rel(
                    (),
                    "AddedDeprecation" if dep else "RemovedDeprecation",
                    "deprecated" if dep else "no longer deprecated",
                    not dep,
                    dep,
                    "deprecated",
                )
            )
        for key in sorted(set(old) | set(new)):
            if key in IGNORED_TRAITS:
                continue
            a, b = old.get(key), new.get(key)
            if a != b:
                rels.append(
                    _Rel(
                        (),
                        _trait_rule(key),
                        f"trait {key} {_fmt(a)} -> {_fmt(b)}",
                        jsonable(a),
                        jsonable(b),
                        key,
                    )
                )
        return rels

    def _documented(self, old: Constraints, new: Constraints) -> list[_Rel]:
        if old == new:
            return []
        rels: list[_Rel] = []
        if old.default != new.default:
            rule = (
                "AddedDefault"
                if old.default is None
                else "RemovedDefault"
                if new.default is None
                else "ChangedDefault"
            )
            rels.append(
                _Rel(
                    (),
                    rule,
                    f"documented default {_fmt(old.default)} -> {_fmt(new.default)}",
                    jsonable(old.default),
                    jsonable(new.default),
                    "default",
                )
            )
        rels.extend(
            _limits(
                "Length",
                old.min_items,
                new.min_items,
                old.max_items,
                new.max_items,
                " items (documented)",
            )
        )
        rels.extend(
            _limits(
                "Length",
                old.min_length,
                new.min_length,
                old.max_length,
                new.max_length,
                " length (documented)",
            )
        )
        rels.extend(
            _limits(
                "Range",
                old.min_value,
                new.min_value,
                old.max_value,
                new.max_value,
                " value (documented)",
            )
        )
        rels.extend(_allowed(old.allowed_values, new.allowed_values, "allowed"))
        if old.pattern != new.pattern:
            rels.append(_pattern_rel(old.pattern, new.pattern, "pattern (documented)"))
        if old.format != new.format:
            rels.append(_pattern_rel(old.format, new.format, "format (documented)"))
        rels.extend(_filters(old.filters, new.filters))
        if old.source != new.source:
            rels.append(
                _Rel(
                    (),
                    "ChangedDocumentation",
                    "source of the documented constraints changed",
                    old.source,
                    new.source,
                    "constraint source",
                )
            )
        return rels

    def _rules(self, os: Shape, ns: Shape) -> list[_Rel]:
        old = {r.id: r for r in os.rules}
        new = {r.id: r for r in ns.rules}
        rels: list[_Rel] = []
        for rid, r in new.items():
            if rid not in old:
                rels.append(
                    _Rel(
                        (),
                        "AddedRule",
                        f"documented rule {rid!r} added: {_rule_text(r)}",
                        None,
                        jsonable(r),
                        f"rule {rid}",
                    )
                )
            elif old[rid] != r:
                o = old[rid]
                if (o.kind, o.members, o.when, o.format) == (r.kind, r.members, r.when, r.format):
                    rels.append(
                        _Rel(
                            (),
                            "ChangedDocumentation",
                            f"wording of documented rule {rid!r} changed",
                            jsonable(o),
                            jsonable(r),
                            f"rule {rid}",
                        )
                    )
                else:
                    rels.append(
                        _Rel(
                            (),
                            "ChangedRule",
                            f"documented rule {rid!r} changed: {_rule_text(r)}",
                            jsonable(o),
                            jsonable(r),
                            f"rule {rid}",
                        )
                    )
        for rid, r in old.items():
            if rid not in new:
                rels.append(
                    _Rel(
                        (),
                        "RemovedRule",
                        f"documented rule {rid!r} removed",
                        jsonable(r),
                        None,
                        f"rule {rid}",
                    )
                )
        return rels

    # -- helpers -----------------------------------------------------------------------------

    def _change(
        self,
        operation: str | None,
        direction: Direction,
        path: tuple[str, ...],
        rule: str,
        message: str,
        old: Any = None,
        new: Any = None,
        subject: str = "",
        shape: str | None = None,
        local: tuple[str, ...] = (),
        found: str = "",
    ) -> Change:
        return Change(
            service=self.service,
            operation=operation,
            direction=direction,
            path=".".join(path),
            rule=rule,
            severity=severity(rule, direction),
            message=message,
            old=jsonable(old),
            new=jsonable(new),
            subject=subject,
            shape=shape,
            shape_path=".".join(local),
            shape_subject=found,
        )


def _rule_text(r: Any) -> str:
    cond = f" when {r.when.describe()}" if r.when else ""
    return f"{r.kind} {', '.join(r.members)}{cond}"


def _limits(kind: str, lo_a: Any, lo_b: Any, hi_a: Any, hi_b: Any, what: str) -> list[_Rel]:
    rels = []
    if lo_a != lo_b:
        tighter = lo_b is not None and (lo_a is None or lo_b > lo_a)
        rels.append(
            _Rel(
                (),
                f"{'Tightened' if tighter else 'Relaxed'}{kind}",
                f"minimum{what} {_fmt(lo_a)} -> {_fmt(lo_b)}",
                lo_a,
                lo_b,
                f"min{what}",
            )
        )
    if hi_a != hi_b:
        tighter = hi_b is not None and (hi_a is None or hi_b < hi_a)
        rels.append(
            _Rel(
                (),
                f"{'Tightened' if tighter else 'Relaxed'}{kind}",
                f"maximum{what} {_fmt(hi_a)} -> {_fmt(hi_b)}",
                hi_a,
                hi_b,
                f"max{what}",
            )
        )
    return rels


def _pattern_rel(a: str | None, b: str | None, subject: str) -> _Rel:
    rule = "AddedPattern" if a is None else "RemovedPattern" if b is None else "ChangedPattern"
    return _Rel((), rule, f"{subject} {_fmt(a)} -> {_fmt(b)}", a, b, subject)


def _allowed(old: tuple[Any, ...], new: tuple[Any, ...], label: str) -> list[_Rel]:
    if old == new:
        return []
    if not old:
        return [
            _Rel(
                (),
                "TightenedAllowedValues",
                f"{label} values now restricted to {list(new)}",
                None,
                list(new),
                label,
            )
        ]
    if not new:
        return [
            _Rel(
                (),
                "RelaxedAllowedValues",
                f"{label} values no longer restricted",
                list(old),
                None,
                label,
            )
        ]
    rels = [
        _Rel((), "RemovedAllowedValue", f"{label} value {v!r} removed", v, None, f"{label} {v}")
        for v in old
        if v not in new
    ]
    rels += [
        _Rel((), "AddedAllowedValue", f"{label} value {v!r} added", None, v, f"{label} {v}")
        for v in new
        if v not in old
    ]
    return rels


def _filters(old: FilterSpec | None, new: FilterSpec | None) -> list[_Rel]:
    if old == new:
        return []
    old_names = {f.name: f for f in old.names} if old else {}
    new_names = {f.name: f for f in new.names} if new else {}
    rels: list[_Rel] = []
    for name, f in new_names.items():
        if name not in old_names:
            rels.append(
                _Rel((), "AddedFilterName", f"filter {name!r} added", None, name, f"filter {name}")
            )
            continue
        o = old_names[name]
        rels.extend(_allowed(o.values, f.values, f"filter {name}"))
        if o.documentation != f.documentation:
            rels.append(
                _Rel(
                    (),
                    "ChangedDocumentation",
                    f"documentation of filter {name!r} changed",
                    o.documentation,
                    f.documentation,
                    f"filter {name}",
                )
            )
    for name in old_names:
        if name not in new_names:
            rels.append(
                _Rel(
                    (),
                    "RemovedFilterName",
                    f"filter {name!r} removed",
                    name,
                    None,
                    f"filter {name}",
                )
            )
    if old is not None and new is not None and old.case_sensitive != new.case_sensitive:
        rels.append(
            _Rel(
                (),
                "ChangedRule",
                f"filter case sensitivity {old.case_sensitive} -> {new.case_sensitive}",
                old.case_sensitive,
                new.case_sensitive,
                "filter case sensitivity",
            )
        )
    return rels


def compare_models(
    old: ServiceModel | None, new: ServiceModel | None, *, service: str | None = None
) -> list[Change]:
    """Every change from ``old`` to ``new`` (either may be None: service added or removed)."""
    return ModelComparer(old, new, service=service).changes()
