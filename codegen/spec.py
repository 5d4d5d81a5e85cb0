"""A loaded spec and its versions; materializes the in-memory model as of any version.

A :class:`Spec` holds a spec document that :mod:`codegen.loader` has already decoded and
checked. It reads no files. ``spec.model(as_of)`` builds a :class:`~codegen.model.ServiceModel`
holding exactly the operations, shapes, members and enum values that exist at that version
(those without ``since``, or whose ``since`` is that version or an earlier one, and whose
``until``, if any, is a later version), each field as its ``history`` says it was then.

One document holds every version, so that a spec through 30 releases is one file, not 30:

* an element (operation, shape, member, enum value) exists from its ``since`` to before its
  ``until``; one that botocore removed and later brought back also says, in its ``history``,
  when it did not exist (``{"until": V, "exists": false}``: not before V, back to the entry
  before, whose ``"exists": true`` says it existed until then);
* every other field holds its latest value, and ``history`` entries ``{"until": V, field:
  value, ...}`` hold what it was before version V (null: absent then); for a version, the
  earliest entry later than it wins, field by field (:func:`as_of`). Any field may be there:
  a shape's ``type`` (with the fields of its earlier type), its ``members`` and ``enum`` as a
  whole, the service's ``metadata``, ``documentation`` and ``traits`` (the document's own
  ``history``);
* the order of a structure's members and of an enum's values is the order they are written
  in, each version keeping those that exist then; when botocore reorders them, the earlier
  order (every name written before the change) is kept in ``history`` as ``memberOrder`` or
  ``enumOrder``: one entry, however many values were re-sorted.

:func:`lifetime` and :func:`spans` give the same answers as masks of version indexes, for the
loader's checks: a reference is checked against the referred shape at every version in which
it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codegen.docs import join_paragraphs
from codegen.errors import UnknownVersionError
from codegen.model import (
    Acceptor,
    Condition,
    Constraints,
    DocumentedError,
    FieldList,
    FilterName,
    FilterSpec,
    Format,
    FormatCheck,
    Member,
    Metadata,
    Operation,
    Pagination,
    Provenance,
    Rule,
    ServiceModel,
    Shape,
    VersionInfo,
    Waiter,
    release_problem,
)

Json = Mapping[str, Any]


def documentation(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return join_paragraphs(value.split("\n\n"))
    return join_paragraphs(value)


def versions_of(document: Json) -> tuple[VersionInfo, ...]:
    return tuple(
        VersionInfo(
            version=v.get("version", v["date"]),
            date=v["date"],
            summary=v["summary"],
            botocore=v.get("botocore"),
        )
        for v in document["versions"]
    )


@dataclass(frozen=True)
class Spec:
    """A checked spec document, its file path (as shown to users) and the hash of its bytes."""

    path: str
    document: Json
    sha256: str

    @property
    def service(self) -> str:
        return str(self.document["service"])

    @property
    def title(self) -> str:
        return str(self.document.get("title", self.service))

    @property
    def versions(self) -> tuple[VersionInfo, ...]:
        return versions_of(self.document)

    @property
    def latest(self) -> VersionInfo:
        return self.versions[-1]

    def version(self, name: str) -> VersionInfo:
        """The version called ``name``: its id, its date or the botocore release shipping it."""
        for v in self.versions:
            if name in v.names():
                return v
        known = ", ".join("/".join(v.names()) for v in self.versions)
        problem = release_problem(name)
        if problem is not None and problem.startswith("not a canonical"):  # 01.14.10
            known = f"{known} (botocore release {name!r}: {problem})"
        raise UnknownVersionError(spec=self.path, version=name, known=known)

    def previous(self, version: VersionInfo) -> VersionInfo | None:
        index = self.versions.index(version)
        return self.versions[index - 1] if index else None

    def model(self, as_of: str | None = None) -> ServiceModel:
        """The model as of version ``as_of`` (an id, date or botocore release; default latest)."""
        target = self.version(as_of) if as_of is not None else self.latest
        return build_model(self, target)


def as_of(element: Json, order: Mapping[str, int], limit: int) -> Json:
    """An operation, shape or member as it was at version index ``limit``: its ``history``
    entries (``{"until": VERSION, field: value before it, ...}``; null: the field was absent)
    whose version is later restore the fields they name, the earliest of them winning."""
    history = element.get("history")
    if not history:
        return element
    out = dict(element)
    for entry in sorted(history, key=lambda h: order[h["until"]], reverse=True):
        if order[entry["until"]] > limit:
            for key, value in entry.items():
                if key == "until":
                    continue
                if value is None:
                    out.pop(key, None)
                else:
                    out[key] = value
    return out


def exists_at(element: Json, order: Mapping[str, int], limit: int) -> bool:
    """Whether ``element`` (as written, not :func:`as_of`) exists at version index ``limit``."""
    since, until = element.get("since"), element.get("until")
    if (since is not None and order[since] > limit) or (
        until is not None and order[until] <= limit
    ):
        return False
    if "history" not in element:
        return True
    return as_of(element, order, limit).get("exists", True) is not False


def ordered(names: Iterable[str], order: Iterable[str] | None) -> list[str]:
    """``names`` in ``order`` (a ``memberOrder`` or ``enumOrder``), any name it lacks last."""
    if order is None:
        return list(names)
    present = list(names)
    known = set(present)
    first = [n for n in dict.fromkeys(order) if n in known]
    listed = set(first)
    return first + [n for n in present if n not in listed]


def enum_value(entry: str | Json) -> str:
    return entry if isinstance(entry, str) else str(entry["value"])


def _mask(start: int, end: int) -> int:
    return ((1 << end) - 1) & ~((1 << start) - 1) if end > start else 0


def spans(
    element: Json, key: str, order: Mapping[str, int], count: int
) -> list[tuple[Any, int, int | None]]:
    """The values field ``key`` of ``element`` takes over the ``count`` versions: ``(value,
    mask of version indexes, index of the history entry holding it or None for the field
    itself)``; a value is None where the field is absent. Versions outside the element's
    lifetime are not excluded (intersect with :func:`lifetime`)."""
    entries = sorted(
        (order[h["until"]], i, h[key])
        for i, h in enumerate(element.get("history", ()))
        if isinstance(h, Mapping) and key in h and h.get("until") in order
    )
    out: list[tuple[Any, int, int | None]] = []
    start = 0
    for until, index, value in entries:
        if until > start:
            out.append((value, _mask(start, until), index))
            start = until
    out.append((element.get(key), _mask(start, count), None))
    return out


def lifetime(element: Json, order: Mapping[str, int], count: int) -> int:
    """The mask of the version indexes at which ``element`` exists (since, until, and the
    ``exists`` its history records); unknown versions count as absent (the loader reports them)."""
    since, until = element.get("since"), element.get("until")
    start = order.get(since, count) if since is not None else 0
    end = order.get(until, 0) if until is not None else count
    mask = _mask(start, end)
    if "history" in element:
        for value, span, _ in spans(element, "exists", order, count):
            if value is False:
                mask &= ~span
    return mask


def build_model(spec: Spec, target: VersionInfo) -> ServiceModel:
    order = {v.version: i for i, v in enumerate(spec.versions)}
    limit = order[target.version]

    def exists(element: Json) -> bool:
        return exists_at(element, order, limit)

    def at(element: Json) -> Json:
        return as_of(element, order, limit)

    doc = spec.document
    service = at(doc)  # metadata, documentation and traits as of the version
    formats = {name: _format(name, f) for name, f in doc.get("formats", {}).items()}
    shapes = {
        name: _shape(name, at(s), exists, at) for name, s in doc["shapes"].items() if exists(s)
    }
    operations = {
        name: _operation(name, at(o)) for name, o in doc["operations"].items() if exists(o)
    }
    # a waiter exists where it does (its since, until and history: apigen update writes them)
    # and its operation does
    waiters = {
        name: waiter
        for name, w in doc.get("waiters", {}).items()
        if exists(w)
        for waiter in [_waiter(name, at(w))]
        if waiter.operation in operations
    }
    return ServiceModel(
        name=spec.service,
        metadata=_metadata(service["metadata"]),
        operations=operations,
        shapes=shapes,
        documentation=documentation(service.get("documentation")),
        formats=formats,
        version=target,
        versions=spec.versions[: limit + 1],
        source=spec.path,
        spec_sha256=spec.sha256,
        traits=dict(service.get("traits", {})),
        waiters=waiters,
        resources=dict(doc.get("resources", {})),
    )


def _waiter(name: str, w: Json) -> Waiter:
    return Waiter(
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
                traits=dict(a.get("traits", {})),
            )
            for a in w["acceptors"]
        ),
        description=w.get("description"),
        traits=dict(w.get("traits", {})),
    )


_METADATA_FIELDS = {
    "apiVersion": "api_version",
    "protocol": "protocol",
    "endpointPrefix": "endpoint_prefix",
    "serviceFullName": "service_full_name",
    "serviceId": "service_id",
    "serviceAbbreviation": "service_abbreviation",
    "signatureVersion": "signature_version",
    "uid": "uid",
    "xmlNamespace": "xml_namespace",
}


def _metadata(meta: Json) -> Metadata:
    named = {field: meta[key] for key, field in _METADATA_FIELDS.items() if key in meta}
    traits = {k: v for k, v in meta.items() if k not in _METADATA_FIELDS}
    return Metadata(**named, traits=traits)


def _format(name: str, f: Json) -> Format:
    fields = None
    if "fields" in f:
        spec_fields = f["fields"]
        by_version = spec_fields["byRecordVersion"]
        ordered: list[str] = []
        versions: dict[str, int] = {}
        for record_version in sorted(by_version, key=int):
            for fid in by_version[record_version]:
                ordered.append(fid)
                versions[fid] = int(record_version)
        fields = FieldList(
            fields=tuple(ordered),
            prefix=spec_fields.get("prefix", "${"),
            suffix=spec_fields.get("suffix", "}"),
            separator=spec_fields.get("separator", " "),
            min_fields=spec_fields.get("minFields", 1),
            field_versions=versions,
        )
    return Format(
        name=name,
        description=f["description"],
        pattern=f.get("pattern"),
        rejects=tuple(FormatCheck(r["pattern"], r["message"]) for r in f.get("rejects", ())),
        fields=fields,
        source=f.get("source", ""),
    )


def _provenance(p: Json | None) -> Provenance | None:
    if p is None:
        return None
    return Provenance(
        source=p["source"], release=p["release"], service=p["service"], sha256=p.get("sha256")
    )


def _operation(name: str, o: Json) -> Operation:
    pagination = None
    if "pagination" in o:
        p = o["pagination"]
        pagination = Pagination(
            input_token=_str_or_tuple(p["inputToken"]),
            output_token=_str_or_tuple(p["outputToken"]),
            result_key=_str_or_tuple(p["resultKey"]) if "resultKey" in p else None,
            limit_key=p.get("limitKey"),
            more_results=p.get("moreResults"),
            non_aggregate_keys=tuple(p.get("nonAggregateKeys", ())),
        )
    traits = dict(o.get("traits", {}))
    if "responseCode" in o["http"]:
        traits["http.responseCode"] = o["http"]["responseCode"]
    return Operation(
        name=name,
        http_method=o["http"]["method"],
        request_uri=o["http"]["requestUri"],
        input=o.get("input"),
        output=o.get("output"),
        documentation=documentation(o.get("documentation")),
        errors=tuple(o.get("errors", ())),
        documented_errors=tuple(
            DocumentedError(e["code"], e.get("documentation", ""))
            for e in o.get("documentedErrors", ())
        ),
        pagination=pagination,
        since=o.get("since"),
        provenance=_provenance(o.get("provenance")),
        traits=traits,
    )


def _str_or_tuple(value: str | list[str]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


_CONSTRAINT_FIELDS = {
    "default": "default",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minValue": "min_value",
    "maxValue": "max_value",
    "pattern": "pattern",
    "format": "format",
    "idempotencyToken": "idempotency_token",
    "source": "source",
}


def constraints(d: Json | None) -> Constraints:
    if not d:
        return Constraints()
    named: dict[str, Any] = {
        field: d[key] for key, field in _CONSTRAINT_FIELDS.items() if key in d
    }
    if "allowedValues" in d:
        named["allowed_values"] = tuple(d["allowedValues"])
    if "filters" in d:
        f = d["filters"]
        named["filters"] = FilterSpec(
            names=tuple(
                FilterName(n["name"], n["documentation"], tuple(n.get("values", ())))
                for n in f["names"]
            ),
            name_member=f.get("nameMember", "Name"),
            values_member=f.get("valuesMember", "Values"),
            case_sensitive=f.get("caseSensitive", True),
        )
    return Constraints(**named)


def _member(name: str, m: Json) -> Member:
    return Member(
        name=name,
        shape=m["shape"],
        documentation=documentation(m.get("documentation")),
        location_name=m.get("locationName"),
        query_name=m.get("queryName"),
        documented=constraints(m.get("documented")),
        since=m.get("since"),
        traits=dict(m.get("traits", {})),
    )


def condition(c: Json) -> Condition:
    if "equals" in c:
        return Condition("equals", member=c["member"], values=(c["equals"],))
    if "in" in c:
        return Condition("equals", member=c["member"], values=tuple(c["in"]))
    if "present" in c:
        return Condition("present" if c["present"] else "absent", member=c["member"])
    if "not" in c:
        return Condition("not", conditions=(condition(c["not"]),))
    if "all" in c:
        return Condition("all", conditions=tuple(condition(x) for x in c["all"]))
    return Condition("any", conditions=tuple(condition(x) for x in c["any"]))


def rule(r: Json) -> Rule:
    return Rule(
        id=r["id"],
        kind=r["kind"],
        members=tuple(r["members"]),
        message=r["message"],
        source=r["source"],
        when=condition(r["when"]) if "when" in r else None,
        format=r.get("format"),
    )


def _shape(name: str, s: Json, exists: Any, at: Any = lambda element: element) -> Shape:
    written: Json = s.get("members", {})
    members = {
        mname: _member(mname, at(written[mname]))
        for mname in ordered(written, s.get("memberOrder"))
        if exists(written[mname])
    }
    values = {enum_value(e): e for e in s.get("enum", ())}
    enum = tuple(
        v
        for v in ordered(values, s.get("enumOrder"))
        if isinstance(values[v], str) or exists(values[v])
    )
    return Shape(
        name=name,
        type=s["type"],
        documentation=documentation(s.get("documentation")),
        members=members,
        required=tuple(r for r in s.get("required", ()) if r in members),
        member=_member("member", at(s["member"])) if "member" in s else None,
        key=_member("key", at(s["key"])) if "key" in s else None,
        value=_member("value", at(s["value"])) if "value" in s else None,
        enum=enum,
        min=s.get("min"),
        max=s.get("max"),
        pattern=s.get("pattern"),
        rules=tuple(
            r for r in map(rule, s.get("rules", ())) if r.referenced_members() <= members.keys()
        ),
        since=s.get("since"),
        provenance=_provenance(s.get("provenance")),
        traits=dict(s.get("traits", {})),
    )
