"""The lifecycle of a derived resource and the waiters of a service, run through a botocore
client against any endpoint: ``apigen serve`` in the tests, moto's server in
``tools/lifecycle_vs_moto.py`` (the same calls, side by side).

What is called comes from the model and the derived resources (:mod:`codegen.resources`);
whether a step passed is judged without them, as a client would judge it:

1. **create** -- the create answers; the new resource's identifier is found in the answer
   (or, for a resource named by the request, is that name);
2. **read** -- a read by that identifier answers and holds it;
3. **list** -- a list read without identifiers holds it;
4. **delete** -- the delete answers;
5. **read (not found)** -- a read by the identifier now fails with a not-found error (a code
   with ``NotFound``, ``NoSuch``, ``NotExist``...), or lists nothing, or shows the resource in a
   deleted state (``terminated`` instances stay visible on AWS); read up to four times, as a
   waiter polls (a deleted resource may pass through ``shutting-down``).

Request values are the model's examples for the required members, and realistic values for
members whose name says what they hold (``CidrBlock``, ``ImageId``, ``Size``...; given where
the input has them, required or not), and identifiers of other resources created first
(``CreateSubnet`` needs a ``VpcId``: a VPC is created for it).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError, WaiterError

from codegen.generators.protocol import Examples, NoExample
from codegen.model import ServiceModel, Waiter
from codegen.resources import (
    DELETED_WORDS,
    NOT_FOUND_WORDS,
    Binding,
    Resource,
    ServiceResources,
    path_steps,
    words,
)

STEPS = ("create", "read", "list", "delete", "read (not found)")
# What the breadth and waiter tests measured, printed at the end of the session (conftest.py).
REPORT: list[str] = []
READS_AFTER_DELETE = 4

# Realistic values by member name, the same for every endpoint (moto checks some of them).
VALUES: Mapping[str, Any] = {
    "CidrBlock": "10.0.0.0/24",
    "DestinationCidrBlock": "10.0.1.0/24",
    "ImageId": "ami-12c6146b",
    "InstanceType": "t2.micro",
    "AvailabilityZone": "us-east-1a",
    "Description": "made by the lifecycle test",
    "GroupDescription": "made by the lifecycle test",
    "PublicKeyMaterial": b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC lifecycle",
    "Size": 8,
    "MinCount": 1,
    "MaxCount": 1,
    "Type": "ipsec.1",
    "BgpAsn": 65000,
    "PublicIp": "198.51.100.7",
    "IpAddress": "198.51.100.7",
    "Domain": "vpc",
}
NAME_MEMBERS = re.compile(r"(Name|KeyName|GroupName)$")


@dataclass
class Outcome:
    """One resource's lifecycle: the steps that passed, and where and why it stopped."""

    service: str
    resource: str
    passed: list[str] = field(default_factory=list)
    failed: str | None = None  # the step
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.failed is None and len(self.passed) == len(STEPS)


class Lifecycle:
    """Runs lifecycles and waiters of one service's derived resources through ``client``."""

    def __init__(self, model: ServiceModel, resources: ServiceResources, client: Any) -> None:
        self.model = model
        self.resources = resources
        self.client = client
        self.examples = Examples(model, "")
        self.by_identifier = {r.identifier.member: r for r in resources.resources}

    # -- requests -------------------------------------------------------------------------------

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        method = getattr(self.client, xform_name(operation))
        answer: dict[str, Any] = method(**params)
        answer.pop("ResponseMetadata", None)
        return answer

    def params(
        self,
        operation: str,
        given: Mapping[str, Any] | None = None,
        depth: int = 0,
        making: Resource | None = None,
    ) -> dict[str, Any]:
        # a create also gets the optional members VALUES knows (CreateVolume's Size)
        """The required members of ``operation``'s input (and ``given``); a member naming
        another resource by id or ARN (``VpcId``) gets one created first."""
        op = self.model.operations[operation]
        shape = self.model.shapes.get(op.input or "")
        out: dict[str, Any] = {}
        if shape is None:
            return dict(given or {})
        optional = [n for n in shape.members if n in VALUES] if making is not None else []
        wanted = [*shape.required, *optional]
        for name in dict.fromkeys(wanted):
            if given and name in given:
                continue
            member = shape.members[name]
            if member.traits.get("idempotencyToken") or member.documented.idempotency_token:
                continue  # botocore fills it with a fresh UUID, as it does for any client
            target = self.model.shapes[member.shape]
            if (
                name in VALUES
                and target.type in ("string", "integer", "long", "blob")
                and (not target.enum or VALUES[name] in target.enum)
            ):
                out[name] = VALUES[name]
                continue
            if name not in shape.required:
                continue
            other = self.by_identifier.get(name) or self.by_identifier.get(name.removesuffix("s"))
            if (
                other is not None
                and other is not making
                and re.search(r"(Id|Arn|ARN)s?$", name)
                and depth < 3
                and other.bindings_of("create")
            ):
                made = self.create(other, depth + 1)[0]
                out[name] = [made] if target.type == "list" else made
                continue
            if NAME_MEMBERS.search(name) and target.type == "string":
                out[name] = f"lc-{uuid.uuid4().hex[:12]}"
                continue
            out[name] = self.examples.value(member, (member.shape,), name)
        out.update(given or {})
        return out

    # -- the steps --------------------------------------------------------------------------------

    def create(self, resource: Resource, depth: int = 0) -> tuple[str, dict[str, Any]]:
        """Create one; its identifier and the create's answer."""
        creates = sorted(  # CreateVpc before CreateDefaultVpc
            resource.bindings_of("create"),
            key=lambda b: (
                b.records is None,
                not b.operation.startswith("Create"),
                len(b.operation),
                b.operation,
            ),
        )
        binding = creates[0]
        params = self.params(binding.operation, depth=depth, making=resource)
        answer = self.call(binding.operation, params)
        ident = resource.identifier.member
        found = _identifier_in(answer, binding.records, ident)
        if found is None and resource.name_member and resource.name_member in params:
            found = params[resource.name_member]
        if found is None and ident in params:
            found = params[ident]
        if found is None:
            raise StepError(f"the answer of {binding.operation} holds no {ident}")
        return str(found), answer

    def read_binding(self, resource: Resource, listing: bool) -> Binding | None:
        # a shapeless resource's read by the identifier itself first (GetQueueAttributes before
        # GetQueueUrl); others in the derived order (DescribeInstances before its attributes)
        reads = sorted(
            resource.bindings_of("read"),
            key=lambda b: resource.shape is None and b.id != resource.identifier.member,
        )
        for binding in reads:
            op = self.model.operations[binding.operation]
            held = _records_shape(self.model, op.output, binding.records or "")
            own = binding.records is not None and (
                binding.records == ""
                or held == resource.shape
                or (  # ListTables: the identifiers (TableNames[])
                    binding.records.endswith("[]")
                    and held is not None
                    and self.model.shapes[held].type == "string"
                )
            )
            # a list of summaries that hold the identifier (ListInvestigationGroups' items)
            view = (
                listing
                and binding.records is not None
                and binding.records.endswith("[]")
                and held is not None
                and resource.identifier.member in self.model.shapes[held].members
            )
            if not (own or view):
                continue
            if listing and binding.records and binding.records.endswith("[]"):
                required = self.model.shapes[op.input].required if op.input else ()
                if binding.id not in required:
                    return binding
            if not listing and binding.id is not None:
                return binding
        return None

    def named(self, binding: Binding, ident: str) -> dict[str, Any]:
        """The input naming the resource ``ident`` (a number where the member is one: Glue's
        statement ids)."""
        assert binding.id is not None
        op = self.model.operations[binding.operation]
        member = self.model.shapes[op.input].members[binding.id] if op.input else None
        shape = self.model.shapes[member.shape] if member else None
        if shape is not None and shape.type == "list" and shape.member is not None:
            shape = self.model.shapes[shape.member.shape]
        value: Any = ident
        if shape is not None and shape.type in ("integer", "long") and ident.isdigit():
            value = int(ident)
        return {binding.id: [value] if binding.many else value}

    def read(self, resource: Resource, binding: Binding, ident: str) -> dict[str, Any]:
        assert binding.id is not None
        return self.call(
            binding.operation,
            self.params(binding.operation, self.named(binding, ident)),
        )

    def run(self, resource: Resource) -> Outcome:
        outcome = Outcome(self.model.name, resource.name)
        step = "create"
        try:
            ident, _ = self.create(resource)
            outcome.passed.append(step)
            step = "read"
            reader = self.read_binding(resource, listing=False)
            if reader is None:
                raise StepError("no read by identifier")
            answer = self.read(resource, reader, ident)
            # a shapeless resource's read may answer without its identifier (SQS's
            # GetQueueAttributes): answering is the step, and step 5 checks it then fails
            if resource.shape is not None and not _holds(answer, ident):
                raise StepError(f"{reader.operation} does not hold {ident}")
            outcome.passed.append(step)
            step = "list"
            lister = self.read_binding(resource, listing=True)
            if lister is None:
                raise StepError("no list read")
            listed = self.call(lister.operation, self.params(lister.operation))
            if not _holds(listed, ident):
                raise StepError(f"{lister.operation} does not list {ident}")
            outcome.passed.append(step)
            step = "delete"
            deletes = resource.bindings_of("delete")
            if not deletes:
                raise StepError("no delete")
            delete = deletes[0]
            assert delete.id is not None
            self.call(
                delete.operation,
                self.params(delete.operation, self.named(delete, ident)),
            )
            outcome.passed.append(step)
            step = "read (not found)"
            for attempt in range(READS_AFTER_DELETE):  # as a waiter polls, a few times
                try:
                    again = self.read(resource, reader, ident)
                except ClientError as error:
                    code = error.response["Error"].get("Code", "")
                    status = error.response["ResponseMetadata"].get("HTTPStatusCode", 0)
                    if status >= 500 or not any(
                        w.lower() in code.lower() for w in NOT_FOUND_WORDS
                    ):
                        raise StepError(f"{code} ({status}), not a not-found error") from None
                    break
                if (resource.shape is not None and not _holds(again, ident)) or _deleted(again):
                    break
                if attempt == READS_AFTER_DELETE - 1:
                    raise StepError(f"{reader.operation} still shows {ident}, not deleted")
            outcome.passed.append(step)
        except StepError as error:
            outcome.failed, outcome.reason = step, str(error)
        except ClientError as error:
            err = error.response["Error"]
            status = error.response["ResponseMetadata"].get("HTTPStatusCode", "?")
            message = str(err.get("Message", ""))[:120]
            outcome.failed, outcome.reason = step, f"{err.get('Code')} ({status}): {message}"
        except (ParamValidationError, NoExample) as error:
            outcome.failed, outcome.reason = step, f"no valid request: {str(error)[:160]}"
        except Exception as error:  # noqa: BLE001 - any other failure of a peer is a finding
            outcome.failed, outcome.reason = step, f"{type(error).__name__}: {str(error)[:160]}"
        return outcome

    # -- waiters ------------------------------------------------------------------------------------

    def waiter(self, waiter: Waiter, max_attempts: int = 8) -> str | None:
        """None when ``waiter`` succeeds on a resource made for it, else why not (``wait``
        polls without delay, at most ``max_attempts`` times)."""
        resource = next(
            (
                r
                for r in self.resources.resources
                if any(b.operation == waiter.operation for b in r.bindings_of("read"))
            ),
            None,
        )
        if resource is None:
            return f"{waiter.operation} is not answered from state (no resource derived)"
        binding = next(b for b in resource.bindings_of("read") if b.operation == waiter.operation)
        if not resource.bindings_of("create"):
            return f"{resource.name} has no create"
        try:
            ident, _ = self.create(resource)
            if _waits_for_deletion(waiter):
                deletes = resource.bindings_of("delete")
                if not deletes:
                    return f"a deletion waiter, and {resource.name} has no delete"
                delete = deletes[0]
                assert delete.id is not None
                self.call(
                    delete.operation,
                    self.params(delete.operation, self.named(delete, ident)),
                )
            wanted = {a.expected for a in waiter.acceptors if a.state == "success"}
            for change in resource.bindings_of("update"):  # StopInstances for InstanceStopped
                if change.state is not None and change.state in wanted and change.id:
                    self.call(
                        change.operation,
                        self.params(change.operation, self.named(change, ident)),
                    )
                    break
            given = {}
            if binding.id is not None:
                given[binding.id] = [ident] if binding.many else ident
            params = self.params(waiter.operation, given)
            self.client.get_waiter(xform_name(waiter.name)).wait(
                **params, WaiterConfig={"Delay": 0, "MaxAttempts": max_attempts}
            )
        except WaiterError as error:
            return f"waiter: {str(error)[:200]}"
        except ClientError as error:
            err = error.response["Error"]
            return f"{err.get('Code')}: {str(err.get('Message', ''))[:120]}"
        except (ParamValidationError, NoExample, StepError) as error:
            return f"no valid request: {str(error)[:160]}"
        except Exception as error:  # noqa: BLE001 - any other failure of a peer is a finding
            return f"{type(error).__name__}: {str(error)[:160]}"
        return None


class StepError(Exception):
    """A lifecycle step that did not do what a client expects."""


def _records_shape(model: ServiceModel, output: str | None, records: str) -> str | None:
    from codegen.resources import shape_at

    shape = shape_at(model, output or "", records)
    return shape.name if shape is not None else None


def _identifier_in(answer: Mapping[str, Any], records: str | None, ident: str) -> Any:
    if records is None:
        return None
    if records == "":
        return answer.get(ident)
    current: Any = [answer]
    for name, many in path_steps(records):
        nxt = []
        for value in current:
            inner = value.get(name) if isinstance(value, dict) else None
            if many and isinstance(inner, list):
                nxt.extend(inner)
            elif inner is not None:
                nxt.append(inner)
        current = nxt
    for value in current:
        if isinstance(value, dict) and ident in value:
            return value[ident]
        if isinstance(value, str):
            return value
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield str(value)  # a numeric identifier (Glue's statement ids)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _holds(answer: Any, ident: str) -> bool:
    return any(s == ident or s.endswith(f"/{ident}") for s in _strings(answer))


def _deleted(answer: Any) -> bool:
    return any(words(s) in DELETED_WORDS for s in _strings(answer))


def _waits_for_deletion(waiter: Waiter) -> bool:
    for a in waiter.acceptors:
        if a.state != "success":
            continue
        if a.matcher == "error":
            return True
        if isinstance(a.expected, str) and words(a.expected) in DELETED_WORDS:
            return True
        if a.matcher == "path" and a.argument and "== `0`" in a.argument:
            return True
    return re.search(r"(Deleted|NotExists|Terminated|DeleteComplete)$", waiter.name) is not None


def summarize(outcomes: list[Outcome]) -> tuple[int, dict[str, list[str]]]:
    """How many passed, and the others by reason (step: reason -> resources)."""
    by_reason: dict[str, list[str]] = {}
    for o in outcomes:
        if not o.ok:
            key = f"{o.failed}: {re.sub(r'[a-z]+-[0-9a-f]{8,}', 'ID', o.reason)}"
            by_reason.setdefault(key, []).append(f"{o.service}/{o.resource}")
    return sum(o.ok for o in outcomes), by_reason


ClientFactory = Callable[[str], Any]


def summary() -> str | None:
    return "\n".join(REPORT) if REPORT else None


def served_services() -> list[str]:
    """The installed botocore's services whose protocol ``apigen serve`` speaks."""
    from codegen.bridge.releases import installed_release
    from codegen.generators.protocol import supported_protocols

    release = installed_release()
    protocols = set(supported_protocols())
    return [
        name
        for name in release.services()
        if release.load_model(name).get("metadata", {}).get("protocol") in protocols
    ]
