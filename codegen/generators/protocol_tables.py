"""A model's protocol tables: :class:`~codegen.protocols.tables.ServiceTables` from a
:class:`~codegen.model.ServiceModel`, and their Python source for a generated ``protocol.py``.

Every wire name and binding comes from the model (named fields, or botocore traits the
importer kept verbatim): ``location``/``locationName``/``queryName``, ``flattened``,
``xmlAttribute``, ``xmlNamespace``, ``timestampFormat``, ``jsonvalue``, ``hostLabel``,
``eventpayload``/``eventheader``, a structure's ``payload``, ``streaming`` (on a shape or on a
member's reference, as S3's ``Body``) and ``eventstream``, error codes and statuses
(``error.code``, ``error.httpStatusCode``), an operation's HTTP method, URI template and
response code, ``resultWrapper``, ``endpoint.hostPrefix``, and the service's ``protocol(s)``,
``targetPrefix``, ``jsonVersion``, ``signingName``, ``awsQueryCompatible``.

:func:`service_tables` covers the shapes that requests and responses reach (errors
included); :func:`tables_source` writes them as literals that state only what differs from the
tables' defaults, in sorted order, so that the output is deterministic and diffs stay small.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from codegen.model import Member, ServiceModel
from codegen.model import Shape as ModelShape
from codegen.protocols.tables import Operation, Ref, ServiceTables, Shape

__all__ = ["service_tables", "tables_source"]


def service_tables(
    model: ServiceModel,
    examples: Mapping[str, Mapping[str, Any]] | None = None,
    error_examples: Mapping[str, Mapping[str, Any]] | None = None,
) -> ServiceTables:
    """The protocol tables of ``model`` (with ``examples``: operation -> example result, and
    ``error_examples``: error shape -> example members)."""
    meta = model.metadata
    traits = meta.traits
    protocols = tuple(traits.get("protocols") or ()) or (meta.protocol,)
    names = _reachable(model)
    return ServiceTables(
        name=model.name,
        api_version=meta.api_version,
        protocol=meta.protocol,
        protocols=protocols,
        shapes={name: _shape(model, model.shapes[name]) for name in sorted(names)},
        operations={name: _operation(model, name) for name in sorted(model.operations)},
        target_prefix=str(traits.get("targetPrefix") or ""),
        json_version=str(traits.get("jsonVersion") or ""),
        signing_name=str(traits.get("signingName") or meta.endpoint_prefix),
        endpoint_prefix=meta.endpoint_prefix,
        service_id=meta.service_id or "",
        xml_namespace=meta.xml_namespace or "",
        aws_query_compatible="awsQueryCompatible" in traits,
        examples=dict(examples or {}),
        error_examples=dict(error_examples or {}),
    )


def _reachable(model: ServiceModel) -> set[str]:
    """Every shape an operation's input, output or errors reach."""
    seen: set[str] = set()
    stack: list[str] = []
    for op in model.operations.values():
        stack.extend(name for name in (op.input, op.output, *op.errors) if name)
    while stack:
        name = stack.pop()
        if name in seen or name not in model.shapes:
            continue
        seen.add(name)
        stack.extend(ref.shape for ref in model.shapes[name].children())
    return seen


def _ref(member: Member, name: str) -> Ref:
    t = member.traits
    namespace = t.get("xmlNamespace")
    return Ref(
        name=name,
        shape=member.shape,
        location=str(t.get("location") or ""),
        location_name=member.location_name or "",
        query_name=member.query_name or "",
        flattened=bool(t.get("flattened")),
        xml_attribute=bool(t.get("xmlAttribute")),
        xml_namespace=_namespace(namespace),
        timestamp_format=str(t.get("timestampFormat") or ""),
        json_value=bool(t.get("jsonvalue")),
        host_label=bool(t.get("hostLabel")),
        event_payload=bool(t.get("eventpayload")),
        event_header=bool(t.get("eventheader")),
        idempotency_token=bool(t.get("idempotencyToken") or member.documented.idempotency_token),
        streaming=bool(t.get("streaming")),
    )


def _namespace(value: Any) -> tuple[str, str] | None:
    if isinstance(value, Mapping) and value.get("uri"):
        return (str(value.get("prefix") or ""), str(value["uri"]))
    return None


def _shape(model: ServiceModel, shape: ModelShape) -> Shape:
    t = shape.traits
    error = t.get("error") if isinstance(t.get("error"), Mapping) else {}
    assert isinstance(error, Mapping)
    return Shape(
        type=shape.type,
        members=tuple(_ref(m, name) for name, m in shape.members.items()),
        member=_ref(shape.member, "") if shape.member is not None else None,
        key=_ref(shape.key, "") if shape.key is not None else None,
        value=_ref(shape.value, "") if shape.value is not None else None,
        required=tuple(shape.required),
        payload=str(t.get("payload") or ""),
        timestamp_format=str(t.get("timestampFormat") or ""),
        flattened=bool(t.get("flattened")),
        location_name=str(t.get("locationName") or ""),
        xml_namespace=_namespace(t.get("xmlNamespace")),
        streaming=bool(t.get("streaming")),
        event_stream=bool(t.get("eventstream")),
        event=bool(t.get("event")),
        exception=bool(t.get("exception")),
        error_code=str(error.get("code") or ""),
        error_status=int(error.get("httpStatusCode") or 0),
        sender_fault=not t.get("fault") and error.get("senderFault", True) is not False,
        union=bool(t.get("union")),
        document=bool(t.get("document")),
        sparse=bool(t.get("sparse")),
        enum=tuple(shape.enum),
        min=shape.min,
        max=shape.max,
        pattern=shape.pattern or "",
    )


def _operation(model: ServiceModel, name: str) -> Operation:
    op = model.operations[name]
    t = op.traits
    output_ref = t.get("outputRef") if isinstance(t.get("outputRef"), Mapping) else {}
    input_ref = t.get("inputRef") if isinstance(t.get("inputRef"), Mapping) else {}
    endpoint = t.get("endpoint") if isinstance(t.get("endpoint"), Mapping) else {}
    checksum = t.get("httpChecksum") if isinstance(t.get("httpChecksum"), Mapping) else {}
    assert isinstance(output_ref, Mapping) and isinstance(input_ref, Mapping)
    assert isinstance(endpoint, Mapping) and isinstance(checksum, Mapping)
    namespace = input_ref.get("xmlNamespace")
    return Operation(
        name=name,
        input=op.input or "",
        output=op.output or "",
        errors=tuple(op.errors),
        method=op.http_method,
        request_uri=op.request_uri,
        response_code=int(t.get("http.responseCode") or 200),
        result_wrapper=str(output_ref.get("resultWrapper") or ""),
        input_location_name=str(input_ref.get("locationName") or ""),
        input_xml_namespace=str(namespace.get("uri") or "")
        if isinstance(namespace, Mapping)
        else "",
        host_prefix=str(endpoint.get("hostPrefix") or ""),
        auth_type=str(t.get("authtype") or ""),
        checksum_required=bool(
            t.get("httpChecksumRequired") or checksum.get("requestChecksumRequired")
        ),
        deprecated=bool(t.get("deprecated")),
    )


# -- source ------------------------------------------------------------------------------


def literal(value: Any) -> str:
    """Python source for a table value: a table type with only its non-default fields (the
    first two positionally where they have no default), tuples, mappings and scalars."""
    if isinstance(value, (Ref, Shape, Operation)):
        return _named(value)
    if isinstance(value, tuple):
        items = [literal(v) for v in value]
        return f"({', '.join(items)}{',' if len(items) == 1 else ''})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def _named(value: NamedTuple) -> str:
    cls = type(value)
    defaults: Mapping[str, Any] = cls._field_defaults
    args: list[str] = []
    for field in cls._fields:
        item = getattr(value, field)
        if field not in defaults:
            args.append(literal(item))
        elif item != defaults[field]:
            args.append(f"{field}={literal(item)}")
    return f"{cls.__name__}({', '.join(args)})"


def tables_source(
    tables: ServiceTables,
    examples_name: str = "EXAMPLES",
    error_examples_name: str = "ERROR_EXAMPLES",
) -> str:
    """``ServiceTables(...)`` as Python source; its examples are referred to by
    ``examples_name`` and ``error_examples_name`` (module-level constants the caller writes),
    not inlined."""
    fields: list[str] = []
    defaults: Mapping[str, Any] = ServiceTables._field_defaults
    for field in ServiceTables._fields:
        if field == "examples":
            fields.append(f"examples={examples_name}")
            continue
        if field == "error_examples":
            fields.append(f"error_examples={error_examples_name}")
            continue
        item = getattr(tables, field)
        if field in ("shapes", "operations"):
            fields.append(f"{field}={_mapping_lines(item)}")
        elif field not in defaults or item != defaults[field]:
            fields.append(f"{field}={literal(item)}")
    return "ServiceTables(\n    " + ",\n    ".join(fields) + ",\n)"


def _mapping_lines(items: Mapping[str, Any]) -> str:
    lines: Iterable[str] = (f"        {k!r}: {literal(v)}," for k, v in items.items())
    return "{\n" + "\n".join(lines) + "\n    }"
