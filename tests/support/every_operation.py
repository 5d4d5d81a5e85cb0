"""Every operation of a service through a real SDK client (issue 17, item 7): minimal valid
params, the call, and whether the answer conforms.

* :func:`minimal_params`: the operation's required members (recursively: a required
  structure's required members, or a whole example of one that has none, which the query
  protocols would not send), each a valid value of its shape and constraints (the
  protocol generator's example values, which the generated validators accept);
* :func:`outcome`: one boto3 call, and what came back: ``conforming`` (a result the generated
  output validators accept), ``modeled`` (a ClientError with a 4xx and a code the operation
  models), ``refused`` (a ClientError with a 4xx and any other code: what a request with a
  required member left out must get), ``not sent`` (botocore itself failed before sending: a
  URI label left out, or endpoint rules that read the member, as DynamoDB's BatchGetItem's
  ``RequestItems``), else
  what it was (a 5xx, an unparseable body, a result that breaks the output shape, ...).

Used by ``tests/server/test_every_operation.py`` and by ``tools/every_operation.py``, which
makes the same calls to moto.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from botocore.exceptions import ClientError

from codegen.generators.protocol import Examples, NoExample
from codegen.model import ServiceModel


def minimal_params(model: ServiceModel, operation: str) -> dict[str, Any] | None:
    """The operation's required members with valid values; None when one has no example."""
    name = model.operations[operation].input
    if name is None:
        return {}
    examples = Examples(model, "2020-01-01", lenient=True)
    try:
        return _required(model, examples, name, (name,))
    except NoExample:
        return None


def _required(
    model: ServiceModel, examples: Examples, shape_name: str, stack: tuple[str, ...]
) -> dict[str, Any]:
    shape = model.shapes[shape_name]
    out: dict[str, Any] = {}
    for member_name in shape.required:
        member = shape.members[member_name]
        target = model.shapes[member.shape]
        if target.type == "structure" and not target.traits.get("document"):
            if target.traits.get("union") or target.traits.get("eventstream"):
                out[member_name] = examples.value(member, (*stack, member.shape))
            else:  # (an empty structure is not sent by the query protocols: a whole example)
                inner = _required(model, examples, member.shape, (*stack, member.shape))
                out[member_name] = inner or examples.value(member, (*stack, member.shape))
        else:
            out[member_name] = examples.value(member, (*stack, member.shape))
    return out


def without_a_required_member(model: ServiceModel, operation: str) -> list[dict[str, Any]]:
    """:func:`minimal_params` less one required member, for each required member in turn that
    is not an idempotency token (which botocore fills in itself) nor a blob payload (left out,
    the body is empty: an empty blob, which is valid): a caller takes the first that botocore
    can send (a URI label left out it cannot)."""
    params = minimal_params(model, operation)
    name = model.operations[operation].input
    if not params or name is None:
        return []
    shape = model.shapes[name]
    payload = shape.traits.get("payload")
    return [
        {k: v for k, v in params.items() if k != left_out}
        for left_out in params
        if not (
            shape.members[left_out].documented.idempotency_token
            or shape.members[left_out].traits.get("idempotencyToken")
            # a blob payload left out is an empty body: an empty blob, a valid value
            or (left_out == payload and model.shapes[shape.members[left_out].shape].type == "blob")
        )
    ]


def lacking_outcome(
    client: Any,
    model: ServiceModel,
    operation: str,
    validators: ModuleType,
    modeled: frozenset[str],
) -> Outcome | None:
    """The outcome of the first call lacking a required member that botocore sends (None when
    the operation has no required member, or botocore sends none of them: ``not sent``)."""
    found: Outcome | None = None
    for params in without_a_required_member(model, operation):
        found = outcome(client, operation, params, validators, modeled)
        if found.kind != "not sent":
            return found
    return found


@dataclass(frozen=True)
class Outcome:
    kind: str  # conforming, modeled, refused, or what went wrong
    detail: str = ""


def _readable(value: Any) -> Any:
    """A result as the validators take it: streaming bodies read, event streams consumed."""
    if hasattr(value, "read") and callable(value.read):
        data = value.read()
        return data if isinstance(data, bytes) else bytes(data)
    if type(value).__name__ == "EventStream":
        return list(value)
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v) for v in value]
    return value


def outcome(
    client: Any,
    operation: str,
    params: dict[str, Any],
    validators: ModuleType,
    modeled: frozenset[str],
) -> Outcome:
    """Call ``operation`` and classify the answer (``modeled``: the codes it models)."""
    sent: list[bool] = []

    def mark(**_: Any) -> None:
        sent.append(True)

    client.meta.events.register("before-send", mark, unique_id="every-operation-sent")
    try:
        response = client._make_api_call(operation, params)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = error.response.get("Error", {}).get("Code", "")
        if 400 <= status < 500:
            return Outcome("modeled" if code in modeled else "refused", f"{status} {code}")
        return Outcome(f"status {status}", f"{code}: {error}"[:300])
    except Exception as exc:  # noqa: BLE001 - what the client could not read is the outcome
        if not sent:  # botocore failed before sending (a URI label or endpoint rule lacking)
            return Outcome("not sent", f"{type(exc).__name__}: {exc}"[:300])
        return Outcome(type(exc).__name__, str(exc)[:300])
    finally:
        client.meta.events.unregister("before-send", unique_id="every-operation-sent")
    result = _readable({k: v for k, v in response.items() if k != "ResponseMetadata"})
    if any(type(v).__name__ == "EventStream" for v in response.values()):
        return Outcome("conforming", "event stream read")
    issues = validators.validate_output(operation, result)
    if issues:
        return Outcome("invalid result", "; ".join(str(i) for i in issues[:3])[:300])
    return Outcome("conforming")


def modeled_codes(client: Any, operation: str) -> frozenset[str]:
    """The error codes botocore gives a client for ``operation``'s modeled errors."""
    model = client.meta.service_model.operation_model(operation)
    return frozenset(
        shape.metadata.get("error", {}).get("code", shape.name) for shape in model.error_shapes
    ) | frozenset(shape.name for shape in model.error_shapes)
