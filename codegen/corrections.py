"""Corrections of botocore's models where they say less than the service accepts.

botocore's models are what apigen derives everything from, but a few of their constraints are
narrower than the service's documented behaviour: SQS's ``ReceiveMessage`` types its
``AttributeNames`` with the *queue* attributes' enum, while SQS takes (and its API reference
documents) the *message system* attribute names there (``ApproximateReceiveCount``,
``SentTimestamp``...), the most common receive call in user code. A server validating against
the model as botocore ships it would refuse that call.

Such corrections are data, not code in the protocols or behaviours: ``codegen/data/
corrections.json`` lists them per service, each with why and where the service documents it::

    {"sqs": [{"member": "ReceiveMessageRequest.AttributeNames",
              "alsoAccepts": "MessageSystemAttributeName",
              "why": "...", "see": "https://docs.aws.amazon.com/..."}]}

A correction's kinds (one so far):

* ``member`` + ``alsoAccepts``: the member (``Structure.Member``; a string with an enum, or a
  list of them) also accepts the values of another enum shape. The member is given new shapes
  of its own (``<Structure><Member>`` for the list, ``<Structure><Member>Value`` for its
  values; the enum the union of both, the model's values first), so that the other users of
  the shared enum (``GetQueueAttributes``, ``CreateQueue``'s attribute names) keep it.

:func:`corrected` applies them to a :class:`~codegen.model.ServiceModel` when the server loads
the model it serves (:mod:`codegen.server.services`); the models that ``apigen generate`` and
``apigen export`` write stay botocore's, so that exports remain equal to botocore's files. A
correction whose structure or member the model lacks (a spec importing a few operations) is
skipped; one that names something else wrong raises :class:`CorrectionError` (the test of this
module applies every correction to the installed botocore's models). A correction botocore
has since made itself changes nothing (the union adds no value).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from codegen.errors import ApigenError
from codegen.model import ServiceModel, Shape

__all__ = ["CORRECTIONS_PATH", "CorrectionError", "corrected", "corrections"]

CORRECTIONS_PATH = Path(__file__).resolve().parent / "data" / "corrections.json"


class CorrectionError(ApigenError):
    """A correction that does not fit the model it is applied to."""

    fmt = "{message}"

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


@cache
def corrections() -> Mapping[str, Sequence[Mapping[str, Any]]]:
    """The corrections, by service name."""
    with CORRECTIONS_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return {k: v for k, v in data.items() if not k.startswith("$")}


def corrected(
    model: ServiceModel, table: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
) -> ServiceModel:
    """``model`` with the corrections of its service (``table``: instead of the shipped ones)."""
    listed = (corrections() if table is None else table).get(model.name, ())
    if not listed:
        return model
    shapes: dict[str, Shape] = {}
    for correction in listed:
        shapes = _widen(model, shapes, correction)
    if not shapes:
        return model
    return dataclasses.replace(model, shapes={**model.shapes, **shapes})


def _widen(
    model: ServiceModel, changed: dict[str, Shape], correction: Mapping[str, Any]
) -> dict[str, Shape]:
    where = f"{CORRECTIONS_PATH.name}: {model.name}: {correction.get('member')!r}"
    unknown = set(correction) - {"member", "alsoAccepts", "why", "see"}
    if unknown or not {"member", "alsoAccepts", "why", "see"} <= set(correction):
        raise CorrectionError(f"{where}: needs member, alsoAccepts, why and see (and no other)")
    structure_name, _, member_name = str(correction["member"]).partition(".")

    def shape(name: str) -> Shape | None:
        return changed.get(name) or model.shapes.get(name)

    structure = shape(structure_name)
    if structure is None or member_name not in structure.members:
        return changed  # not in this model (an import of a few operations)
    other = shape(str(correction["alsoAccepts"]))
    if other is None or not other.enum:
        raise CorrectionError(f"{where}: {correction['alsoAccepts']!r} is no enum of the model")
    member = structure.members[member_name]
    target = shape(member.shape)
    assert target is not None  # (the model checks its references)
    listed = target.type == "list" and target.member is not None
    values = shape(target.member.shape) if listed and target.member is not None else target
    if values is None or values.type != "string" or not values.enum:
        raise CorrectionError(f"{where}: the member is not an enum nor a list of one")
    added = tuple(v for v in other.enum if v not in values.enum)
    if not added:
        return changed  # botocore says as much already
    out = dict(changed)
    value_name = f"{structure_name}{member_name}Value"
    list_name = f"{structure_name}{member_name}"
    for name in (value_name, list_name) if listed else (value_name,):
        if model.shapes.get(name) is not None:
            raise CorrectionError(f"{where}: the model has a shape {name!r} already")
    out[value_name] = dataclasses.replace(
        values, name=value_name, enum=values.enum + added, provenance=None
    )
    new_target = value_name
    if listed and target.member is not None:
        out[list_name] = dataclasses.replace(
            target,
            name=list_name,
            member=dataclasses.replace(target.member, shape=value_name),
            provenance=None,
        )
        new_target = list_name
    members = dict(structure.members)
    members[member_name] = dataclasses.replace(member, shape=new_target)
    out[structure_name] = dataclasses.replace(structure, members=members)
    return out
