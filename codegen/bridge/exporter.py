"""The in-memory model -> botocore's service-2.json (and paginators-1.json) format.

The export holds what botocore's format means, written as botocore writes it: operations and
shapes sorted by name, members in their order, documentation as HTML. The spec's own
documented rules (``Member.documented``, ``Shape.rules``, formats, documented errors) are not
botocore's and stay out, so that an export of a spec can equal botocore's own model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen.docs import text_to_html
from codegen.files import write_files
from codegen.model import Member, Metadata, Operation, Pagination, ServiceModel, Shape, Waiter
from codegen.spec import _METADATA_FIELDS


def export_service(model: ServiceModel) -> dict[str, Any]:
    """service-2.json as a dict."""
    traits = dict(model.traits)
    version = traits.pop("version", "2.0")
    out: dict[str, Any] = {} if version is None else {"version": version}
    out |= {
        "metadata": _metadata(model.metadata),
        "operations": {
            name: _operation(model.operations[name]) for name in sorted(model.operations)
        },
        "shapes": {name: _shape(model.shapes[name]) for name in sorted(model.shapes)},
    }
    out.update(traits)
    if model.documentation:
        out["documentation"] = text_to_html(model.documentation)
    return out


def export_paginators(model: ServiceModel) -> dict[str, Any]:
    """paginators-1.json as a dict."""
    return {
        "pagination": {
            name: _pagination(op.pagination)
            for name, op in sorted(model.operations.items())
            if op.pagination is not None
        }
    }


def export_waiters(model: ServiceModel) -> dict[str, Any]:
    """waiters-2.json as a dict (waiters sorted by name)."""
    return {
        "version": 2,
        "waiters": {name: _waiter(model.waiters[name]) for name in sorted(model.waiters)},
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_data_path(model: ServiceModel, root: Path) -> Path:
    """Write the model as a botocore data path (``root/<service>/<api-version>/``).

    Point botocore at ``root`` (``AWS_DATA_PATH`` or the loader's search paths) and
    ``session.create_client(<service>)`` builds a client from this model. Files apigen did not
    write there are never replaced (see :func:`codegen.files.write_files`).
    """
    files = {"service-2.json": dumps(export_service(model))}
    paginators = export_paginators(model)
    if paginators["pagination"]:
        files["paginators-1.json"] = dumps(paginators)
    if model.waiters:
        files["waiters-2.json"] = dumps(export_waiters(model))
    sub = f"{model.name}/{model.metadata.api_version}"
    return write_files(root, sub, files, "--data-path")


def _metadata(meta: Metadata) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, field in _METADATA_FIELDS.items():
        value = getattr(meta, field)
        if value:
            out[key] = value
    out.update(meta.traits)
    return dict(sorted(out.items()))


def _doc(text: str) -> dict[str, str]:
    return {"documentation": text_to_html(text)} if text else {}


def _member(m: Member) -> dict[str, Any]:
    out: dict[str, Any] = {"shape": m.shape}
    out.update(_doc(m.documentation))
    if m.location_name is not None:
        out["locationName"] = m.location_name
    if m.query_name is not None:
        out["queryName"] = m.query_name
    out.update(m.traits)
    return out


def _shape(s: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {"type": s.type}
    if s.type == "structure":
        if s.required:
            out["required"] = list(s.required)
        out["members"] = {name: _member(m) for name, m in s.members.items()}
    for slot in ("member", "key", "value"):
        ref = getattr(s, slot)
        if ref is not None:
            out[slot] = _member(ref)
    for attr in ("min", "max", "pattern"):
        if getattr(s, attr) is not None:
            out[attr] = getattr(s, attr)
    if s.enum:
        out["enum"] = list(s.enum)
    out.update(_doc(s.documentation))
    out.update(s.traits)
    return out


def _operation(op: Operation) -> dict[str, Any]:
    traits = dict(op.traits)
    http: dict[str, Any] = {"method": op.http_method, "requestUri": op.request_uri}
    for key in [k for k in traits if k.startswith("http.")]:
        http[key[len("http.") :]] = traits.pop(key)
    out: dict[str, Any] = {"name": traits.pop("name", op.name), "http": http}
    for slot in ("input", "output"):
        target = getattr(op, slot)
        if target:
            out[slot] = {"shape": target, **traits.pop(f"{slot}Ref", {})}
    extras = traits.pop("errorRefs", {})
    errors = [{"shape": e, **extras.get(e, {})} for e in op.errors] or traits.pop("errors", None)
    if errors is not None:
        out["errors"] = errors
    out.update(_doc(op.documentation))
    out.update(traits)
    return out


def _pagination(p: Pagination | None) -> dict[str, Any]:
    assert p is not None
    out: dict[str, Any] = {
        "input_token": _plain(p.input_token),
        "output_token": _plain(p.output_token),
    }
    if p.limit_key:
        out["limit_key"] = p.limit_key
    if p.more_results:
        out["more_results"] = p.more_results
    if p.result_key is not None:
        out["result_key"] = _plain(p.result_key)
    if p.non_aggregate_keys:
        out["non_aggregate_keys"] = list(p.non_aggregate_keys)
    return out


def _waiter(w: Waiter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "delay": w.delay,
        "operation": w.operation,
        "maxAttempts": w.max_attempts,
    }
    if w.description is not None:
        out["description"] = w.description
    acceptors = []
    for a in w.acceptors:
        entry: dict[str, Any] = {"expected": a.expected, "matcher": a.matcher, "state": a.state}
        if a.argument is not None:
            entry["argument"] = a.argument
        entry.update(a.traits)
        acceptors.append(entry)
    out["acceptors"] = acceptors
    out.update(w.traits)
    return out


def _plain(v: str | tuple[str, ...]) -> str | list[str]:
    return v if isinstance(v, str) else list(v)
