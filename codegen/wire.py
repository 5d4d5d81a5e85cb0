"""Wire names derived from the model, following the EC2 protocol's conventions.

* Request query keys (``ec2`` protocol): a member is sent under its ``queryName``, else its
  ``locationName`` with the first letter upper-cased, else its member name; list items are
  numbered from 1 (``ResourceId.1``; written ``ResourceId.N``), a list item's own
  ``locationName`` is not used, and nested names join with dots (``Filter.N.Value.M``).
* Response XML element paths: a member's ``locationName`` (else its name), list items under
  their member's ``locationName`` (``flowLogSet/item``).

A stub server needs both; the tests prove them against botocore's own serializer and parser.
"""

from __future__ import annotations

from codegen.model import Member, ServiceModel

_INDEXES = "NMKLJ"


def query_name(member: Member) -> str:
    if member.query_name:
        return member.query_name
    if member.location_name:
        return member.location_name[0].upper() + member.location_name[1:]
    return member.name


def query_keys(model: ServiceModel, shape_name: str) -> dict[str, str]:
    """Map each leaf parameter path (``Filter[].Values[]``) to its query key pattern
    (``Filter.N.Value.M``) for a request structure."""
    out: dict[str, str] = {}
    _query_keys(model, shape_name, "", "", 0, out, frozenset())
    return out


def _query_keys(
    model: ServiceModel,
    shape_name: str,
    path: str,
    key: str,
    depth: int,
    out: dict[str, str],
    seen: frozenset[str],
) -> None:
    shape = model.shapes[shape_name]
    if shape.name in seen:
        return
    if shape.type == "structure":
        for member in shape.members.values():
            sub_path = f"{path}.{member.name}" if path else member.name
            sub_key = f"{key}.{query_name(member)}" if key else query_name(member)
            _query_keys(model, member.shape, sub_path, sub_key, depth, out, seen | {shape.name})
    elif shape.type == "list" and shape.member is not None:
        _query_keys(
            model,
            shape.member.shape,
            f"{path}[]",
            f"{key}.{_INDEXES[depth]}",
            depth + 1,
            out,
            seen,
        )
    else:
        out[path] = key


def xml_paths(model: ServiceModel, shape_name: str) -> dict[str, str]:
    """Map each leaf member path of a response structure (``FlowLogs[].FlowLogId``) to its XML
    element path below the response element (``flowLogSet/item/flowLogId``)."""
    out: dict[str, str] = {}
    _xml_paths(model, shape_name, "", "", out, frozenset())
    return out


def _xml_paths(
    model: ServiceModel,
    shape_name: str,
    path: str,
    xml: str,
    out: dict[str, str],
    seen: frozenset[str],
) -> None:
    shape = model.shapes[shape_name]
    if shape.name in seen:
        return
    if shape.type == "structure":
        for member in shape.members.values():
            sub_path = f"{path}.{member.name}" if path else member.name
            sub_xml = f"{xml}/{member.wire_name}" if xml else member.wire_name
            _xml_paths(model, member.shape, sub_path, sub_xml, out, seen | {shape.name})
    elif shape.type == "list" and shape.member is not None:
        item = shape.member.location_name or "member"
        _xml_paths(model, shape.member.shape, f"{path}[]", f"{xml}/{item}", out, seen)
    else:
        out[path] = xml
