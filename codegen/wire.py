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

from collections.abc import Callable

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
    return _leaves(
        model,
        shape_name,
        member=lambda wire, m, depth: f"{wire}.{query_name(m)}" if wire else query_name(m),
        item=lambda wire, m, depth: f"{wire}.{_INDEXES[depth]}",
    )


def xml_paths(model: ServiceModel, shape_name: str) -> dict[str, str]:
    """Map each leaf member path of a response structure (``FlowLogs[].FlowLogId``) to its XML
    element path below the response element (``flowLogSet/item/flowLogId``)."""
    return _leaves(
        model,
        shape_name,
        member=lambda wire, m, depth: f"{wire}/{m.wire_name}" if wire else m.wire_name,
        item=lambda wire, m, depth: f"{wire}/{m.location_name or 'member'}",
    )


_Step = Callable[[str, Member, int], str]


def _leaves(model: ServiceModel, shape_name: str, *, member: _Step, item: _Step) -> dict[str, str]:
    """Walk a structure to its scalar leaves, building each leaf's member path and wire name
    (``member`` extends the wire name by a structure member, ``item`` by a list item; ``depth``
    counts the lists above). A recursive shape is not entered twice on one path."""
    out: dict[str, str] = {}

    def walk(name: str, path: str, wire: str, depth: int, seen: frozenset[str]) -> None:
        shape = model.shapes[name]
        if shape.name in seen:
            return
        if shape.type == "structure":
            for m in shape.members.values():
                sub_path = f"{path}.{m.name}" if path else m.name
                walk(m.shape, sub_path, member(wire, m, depth), depth, seen | {shape.name})
        elif shape.type == "list" and shape.member is not None:
            walk(shape.member.shape, f"{path}[]", item(wire, shape.member, depth), depth + 1, seen)
        else:
            out[path] = wire

    walk(shape_name, "", "", 0, frozenset())
    return out
