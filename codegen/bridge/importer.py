"""botocore service model (service-2.json as a dict) -> the in-memory model.

``import_model`` reads a whole service or chosen operations with every shape they reach.
Named botocore traits become model fields; every other trait is kept verbatim in ``traits``
so that :mod:`codegen.bridge.exporter` writes it back unchanged. Documentation HTML becomes
the model's plain text (:func:`codegen.docs.html_to_text`).

``spec_fragment`` turns imported operations back into spec JSON (with their provenance), for
``apigen import``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from codegen.docs import html_to_text, paragraphs
from codegen.errors import ModelError
from codegen.model import (
    Acceptor,
    LazyShapes,
    Member,
    Metadata,
    Operation,
    Pagination,
    Provenance,
    ServiceModel,
    Shape,
    Waiter,
)
from codegen.regexes import enforceable
from codegen.spec import _METADATA_FIELDS

Json = Mapping[str, Any]

_NO_TRAITS: Mapping[str, Any] = MappingProxyType({})  # shared, read-only
_SERVICE_KEYS = {"version", "metadata", "operations", "shapes", "documentation"}
_MEMBER_KEYS = {"shape", "documentation", "locationName", "queryName"}
_SHAPE_KEYS = {
    "type",
    "documentation",
    "members",
    "required",
    "member",
    "key",
    "value",
    "enum",
    "min",
    "max",
    "pattern",
}
_OPERATION_KEYS = {"name", "http", "input", "output", "errors", "documentation"}


@dataclass
class SharedShapes:
    """Shapes built once and used by several models: those named in ``names``, which every
    model using this cache defines equally (the caller vouches for it)."""

    names: Container[str]
    shapes: dict[str, Shape] = field(default_factory=dict)


def import_model(
    service: Json,
    *,
    name: str,
    operations: Iterable[str] | None = None,
    paginators: Json | None = None,
    source: str = "",
    provenance: Provenance | None = None,
    shared: SharedShapes | None = None,
    documented: Container[str] | None = None,
    lazy: bool = False,
    waiters: Json | None = None,
) -> ServiceModel:
    """Build a ServiceModel from a botocore service-2 dict and its paginators.

    ``paginators`` is either a whole paginators-1 document (``{"pagination": {...}}``) or its
    ``pagination`` mapping (what ``Release.load_paginators`` returns); ``waiters`` likewise a
    whole waiters-2 document (``{"version": 2, "waiters": {...}}``) or its ``waiters`` mapping.

    For comparing models (``codegen.diff``):

    * ``shared``: a shape it names is taken from the cache, or built and put there: one Shape
      object for an equal definition in several models (the diff engine relies on it: one
      object on both sides means an unchanged shape);
    * ``documented``: only the shapes it names keep their documentation (their own and their
      members'); None, the default, keeps all;
    * ``lazy``: each shape is built when first looked up (:class:`~codegen.model.LazyShapes`),
      so that a comparison builds only the shapes it reaches. A malformed shape definition is
      reported then, as a :class:`~codegen.errors.ModelError`.
    """
    pagination = paginators or {}
    if isinstance(pagination.get("pagination"), dict):
        pagination = pagination["pagination"]
    ops = {
        op_name: _operation(op_name, op, pagination.get(op_name), provenance)
        for op_name, op in service.get("operations", {}).items()
    }

    def build(shape_name: str, definition: Json) -> Shape:
        cached = shared.shapes.get(shape_name) if shared is not None else None
        if cached is not None:
            return cached
        docs = documented is None or shape_name in documented
        try:
            shape = _shape(shape_name, definition, provenance, docs)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ModelError(
                where=f"{source or name}: shape {shape_name}",
                message=f"malformed definition ({exc!r})",
            ) from None
        if shared is not None and shape_name in shared.names:
            shared.shapes[shape_name] = shape
        return shape

    definitions = service.get("shapes", {})
    shapes: Mapping[str, Shape]
    if lazy:
        shapes = LazyShapes(definitions, build)
    else:
        shapes = {
            shape_name: build(shape_name, shape) for shape_name, shape in definitions.items()
        }
    model = ServiceModel(
        name=name,
        metadata=_metadata(service.get("metadata", {})),
        operations=ops,
        shapes=shapes,
        documentation=html_to_text(service.get("documentation", "")),
        source=source,
        traits=_service_traits(service),
        waiters=import_waiters(waiters, source or name),
    )
    return model.restrict(operations) if operations is not None else model


_WAITER_KEYS = {"operation", "delay", "maxAttempts", "acceptors", "description"}
_ACCEPTOR_KEYS = {"state", "matcher", "expected", "argument"}


def import_waiters(document: Json | None, source: str = "") -> dict[str, Waiter]:
    """botocore's waiters-2 document (or its ``waiters`` mapping) as the model's waiters; any
    key botocore may add later is kept verbatim in ``traits``."""
    waiters = document or {}
    if isinstance(waiters.get("waiters"), dict):
        waiters = waiters["waiters"]
    out: dict[str, Waiter] = {}
    for name, w in waiters.items():
        try:
            out[name] = Waiter(
                name=name,
                operation=w["operation"],
                delay=w["delay"],
                max_attempts=w["maxAttempts"],
                acceptors=tuple(
                    Acceptor(
                        state=a["state"],
                        matcher=a["matcher"],
                        expected=a["expected"],
                        argument=a.get("argument"),
                        traits=_traits(a, _ACCEPTOR_KEYS),
                    )
                    for a in w["acceptors"]
                ),
                description=w.get("description"),
                traits=_traits(w, _WAITER_KEYS),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ModelError(
                where=f"{source}: waiter {name}", message=f"malformed definition ({exc!r})"
            ) from None
    return out


def waiter_to_spec(w: Waiter) -> dict[str, Any]:
    """A waiter as the spec's ``waiters`` section holds it (botocore's form, plus traits)."""
    out: dict[str, Any] = {
        "operation": w.operation,
        "delay": w.delay,
        "maxAttempts": w.max_attempts,
    }
    if w.description is not None:
        out["description"] = w.description
    acceptors = []
    for a in w.acceptors:
        entry: dict[str, Any] = {"state": a.state, "matcher": a.matcher, "expected": a.expected}
        if a.argument is not None:
            entry["argument"] = a.argument
        if a.traits:
            entry["traits"] = dict(a.traits)
        acceptors.append(entry)
    out["acceptors"] = acceptors
    if w.traits:
        out["traits"] = dict(w.traits)
    return out


def _service_traits(service: Json) -> dict[str, Any]:
    traits = {k: v for k, v in service.items() if k not in _SERVICE_KEYS}
    # The exporter writes "version": "2.0" unless told otherwise; remember models without one.
    traits["version"] = service.get("version")
    if traits["version"] == "2.0":
        del traits["version"]
    return traits


def _metadata(meta: Json) -> Metadata:
    named = {field: meta[key] for key, field in _METADATA_FIELDS.items() if key in meta}
    named.setdefault("api_version", "")
    named.setdefault("protocol", "")
    named.setdefault("endpoint_prefix", "")
    named.setdefault("service_full_name", "")
    traits = {k: v for k, v in meta.items() if k not in _METADATA_FIELDS}
    return Metadata(**named, traits=traits)


def _member(name: str, ref: Json, docs: bool = True) -> Member:
    # A whole release has hundreds of thousands of members: skip work most of them do not need.
    doc = ref.get("documentation") if docs else None
    return Member(
        name=name,
        shape=ref["shape"],
        documentation=html_to_text(doc) if doc else "",
        location_name=ref.get("locationName"),
        query_name=ref.get("queryName"),
        traits=_NO_TRAITS if ref.keys() <= _MEMBER_KEYS else _traits(ref, _MEMBER_KEYS),
    )


def _traits(d: Json, known: AbstractSet[str]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in known}


def _shape(name: str, s: Json, provenance: Provenance | None, docs: bool = True) -> Shape:
    traits = {k: v for k, v in s.items() if k not in _SHAPE_KEYS}
    if "required" in s and not s["required"]:
        traits["required"] = []  # kept as botocore wrote it
    return Shape(
        name=name,
        type=s["type"],
        documentation=html_to_text(doc) if docs and (doc := s.get("documentation")) else "",
        members={m: _member(m, ref, docs) for m, ref in s.get("members", {}).items()},
        required=tuple(s.get("required", ())),
        member=_member("member", s["member"], docs) if "member" in s else None,
        key=_member("key", s["key"], docs) if "key" in s else None,
        value=_member("value", s["value"], docs) if "value" in s else None,
        enum=tuple(s.get("enum", ())),
        min=s.get("min"),
        max=s.get("max"),
        pattern=s.get("pattern"),
        provenance=provenance,
        traits=traits,
    )


def _pagination(p: Json | None) -> Pagination | None:
    if not p:
        return None

    def one_or_many(v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v

    return Pagination(
        input_token=one_or_many(p["input_token"]),
        output_token=one_or_many(p["output_token"]),
        result_key=one_or_many(p.get("result_key")),
        limit_key=p.get("limit_key"),
        more_results=p.get("more_results"),
        non_aggregate_keys=tuple(p.get("non_aggregate_keys", ())),
    )


def _operation(
    name: str, op: Json, paginator: Json | None, provenance: Provenance | None
) -> Operation:
    http = op.get("http", {})
    traits: dict[str, Any] = {k: v for k, v in op.items() if k not in _OPERATION_KEYS}
    if op.get("name", name) != name:
        traits["name"] = op["name"]
    if "errors" in op and not op["errors"]:
        traits["errors"] = []
    error_extras = {
        e["shape"]: {k: v for k, v in e.items() if k not in ("shape", "documentation")}
        for e in op.get("errors", ())
    }
    if any(error_extras.values()):
        traits["errorRefs"] = {k: v for k, v in error_extras.items() if v}
    traits.update({f"http.{k}": v for k, v in http.items() if k not in ("method", "requestUri")})
    for slot in ("input", "output"):
        extra = {k: v for k, v in op.get(slot, {}).items() if k not in ("shape", "documentation")}
        if extra:
            traits[f"{slot}Ref"] = extra
    return Operation(
        name=name,
        http_method=http.get("method", "POST"),
        request_uri=http.get("requestUri", "/"),
        input=op["input"]["shape"] if "input" in op else None,
        output=op["output"]["shape"] if "output" in op else None,
        documentation=html_to_text(op.get("documentation", "")),
        errors=tuple(e["shape"] for e in op.get("errors", ())),
        pagination=_pagination(paginator),
        provenance=provenance,
        traits=traits,
    )


# -- back to spec JSON ---------------------------------------------------------------------


def _doc(text: str) -> dict[str, Any]:
    paras = paragraphs(text)
    return {"documentation": paras} if paras else {}


def _prov(p: Provenance | None) -> dict[str, Any]:
    if p is None:
        return {}
    out = {"source": p.source, "release": p.release, "service": p.service}
    if p.sha256:
        out["sha256"] = p.sha256
    return {"provenance": out}


def member_to_spec(m: Member) -> dict[str, Any]:
    out: dict[str, Any] = {"shape": m.shape}
    if m.location_name is not None:
        out["locationName"] = m.location_name
    if m.query_name is not None:
        out["queryName"] = m.query_name
    out.update(_doc(m.documentation))
    if m.traits:
        out["traits"] = dict(m.traits)
    return out


def shape_to_spec(s: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {"type": s.type}
    out.update(_doc(s.documentation))
    out.update(_prov(s.provenance))
    if s.type == "structure":
        if s.required:
            out["required"] = list(s.required)
        out["members"] = {name: member_to_spec(m) for name, m in s.members.items()}
    for slot in ("member", "key", "value"):
        ref = getattr(s, slot)
        if ref is not None:
            out[slot] = member_to_spec(ref)
    if s.enum:
        out["enum"] = list(s.enum)
    for attr in ("min", "max", "pattern"):
        if getattr(s, attr) is not None:
            out[attr] = getattr(s, attr)
    if s.pattern is not None and enforceable(s.pattern) is None:
        out["patternEnforced"] = False
    if s.traits:
        out["traits"] = dict(s.traits)
    return out


def operation_to_spec(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {"http": {"method": op.http_method, "requestUri": op.request_uri}}
    traits = dict(op.traits)
    if "http.responseCode" in traits:
        out["http"]["responseCode"] = traits.pop("http.responseCode")
    for slot in ("input", "output"):
        if getattr(op, slot):
            out[slot] = getattr(op, slot)
    if op.errors:
        out["errors"] = list(op.errors)
    out.update(_doc(op.documentation))
    if op.pagination:
        p = op.pagination
        pag: dict[str, Any] = {
            "inputToken": _list(p.input_token),
            "outputToken": _list(p.output_token),
        }
        if p.result_key is not None:
            pag["resultKey"] = _list(p.result_key)
        if p.limit_key:
            pag["limitKey"] = p.limit_key
        if p.more_results:
            pag["moreResults"] = p.more_results
        if p.non_aggregate_keys:
            pag["nonAggregateKeys"] = list(p.non_aggregate_keys)
        out["pagination"] = pag
    out.update(_prov(op.provenance))
    if traits:
        out["traits"] = traits
    return out


def _list(v: str | tuple[str, ...]) -> str | list[str]:
    return v if isinstance(v, str) else list(v)
