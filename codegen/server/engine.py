"""The derived engine: one generic behaviour for every operation of every derived resource.

:mod:`codegen.resources` says, from the model, which operations create, read, update and
delete which resource, where identifiers and records sit and which states a resource goes
through. This engine answers those operations on Python values (a behaviour, as the flow-log
ones are: validated botocore-style params in, a botocore-style result out, or
:class:`~codegen.server.errors.ApiError`), with the records in the ``records`` table of the
server's SQLite state (:mod:`codegen.server.state`), per account and region:

* **create** stores a record: the example of the record's structure (the protocol layer's
  deterministic examples, :class:`codegen.generators.protocol.Examples`) filled with what the
  request gave, member by member where names and types agree, then an identifier in its
  format (``vpc-`` + 17 hex digits, an ARN with partition, region and account, the request's
  name), the account as ``OwnerId``, the region's first zone, the time of creation, its tags
  (``TagSpecifications`` or ``Tags``) and its first state. ``MaxCount`` creates that many
  (``RunInstances``, grouped in one reservation); a list such as ``ResourceIds`` one per item.
  An idempotency token with the same parameters gives the first result again, with other
  parameters ``IdempotentParameterMismatch``; an existing unique name the modeled conflict
  error.
* **read** returns stored records: by an identifier list (an unknown id is the resource's
  not-found error, as AWS answers), by EC2-style filters whose name maps to a record member
  (``vpc-id``, ``state``, ``instance-state-name`` -> ``State.Name``, ``tag:Key``,
  ``tag-key``), paginated with the model's tokens and limit member, in creation order. A read
  of another structure that holds the identifier (``DescribeInstanceStatus``) makes its
  records from the stored ones, member by member; a read of the output's own members
  (``DescribeVpcAttribute``) takes them from the record and from what updates set.
* **update** merges the request's members into the record (members the record lacks are kept
  beside it, for the attribute reads); **delete** removes the record, or moves it to its
  deleted state when a waiter needs to see it there (``InstanceTerminated``).
* **states**: a record starts in the state its waiter retries on (``pending``) and reaches
  the waiter's success state (``available``) once ``State.settle_after`` reads have seen it
  (``apigen serve --settle-after N``; 0: at once); a deleted one passes through its deleting
  state the same way.
* **tags**: ``CreateTags``/``DeleteTags``/``DescribeTags`` (EC2, by id of any stored
  resource) and ``TagResource``/``UntagResource``/``ListTagsForResource`` (by ARN or id).

Hand-written behaviours take precedence over these (``codegen.server.behaviours``); an
operation neither answers gets its example response.
"""

from __future__ import annotations

import base64
import copy
import difflib
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from codegen.model import Member, ServiceModel, Shape
from codegen.regexes import compiled, enforceable, random_match
from codegen.resources import (
    REQUEST_MACHINERY,
    Binding,
    Resource,
    ServiceResources,
    States,
    Tagging,
    path_steps,
    plural_of,
    shape_at,
    singulars,
)
from codegen.server.context import Context
from codegen.server.errors import ApiError
from codegen.server.state import dumps

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

PAGE_LIMIT = 1000  # the most records one page holds, whatever the limit member asks for
MAX_CREATE = 1000  # records one create makes at most (MaxCount)
MAX_LOOKUPS = 10_000  # identifiers and filter values in one request, together
# Members of a record filled by convention when the request does not give them.
_ACCOUNT_MEMBERS = frozenset({"OwnerId", "AccountId", "OwnerAccountId", "Owner", "RequesterId"})
_TIME_MEMBERS = re.compile(r"(Creat\w*|Launch|Start)(Time|Date|Timestamp|At|edAt|edTime)?$")
_RANDOM = re.compile(r"\{(hex|digits|alnum):[1-9]|\{uuid\}")  # a format's random parts
_COLUMNS = "seq, id, record, extra, tags, phase, reads"  # a row, as the engine reads it
_SETTLING = ("creating", "moving", "deleting")  # phases a read counts towards the next
_NOT_COPIED = REQUEST_MACHINERY | {"TagSpecifications", "Tags", "tags", "MinCount", "MaxCount"}


class Engine:
    """The derived behaviours of one service."""

    def __init__(self, model: ServiceModel, resources: ServiceResources) -> None:
        from codegen.generators.protocol import Examples

        self.model = model
        self.resources = resources
        self.service = model.name
        # lenient: a record must be made even where the model's constraints contradict each
        # other (apprunner's ServiceId: a UUID pattern, at most 32 characters), as the
        # protocol's example responses are; a strict one made CreateService a 500
        version = model.version.version if model.version else ""
        self.examples = Examples(model, version, lenient=True)
        self._templates: dict[str, dict[str, Any]] = {}
        self._filters: dict[tuple[str, str], dict[str, str | None]] = {}
        self._patterns: dict[str, list[str]] = {}

    # -- what it answers ---------------------------------------------------------------------

    def behaviours(self) -> dict[str, Behaviour]:
        out: dict[str, Behaviour] = {}
        for resource in self.resources.resources:
            for binding in resource.bindings:
                if binding.operation not in self.model.operations:
                    continue
                out.setdefault(binding.operation, self._behaviour(resource, binding))
        tagging = self.resources.tagging
        if tagging is not None:
            for op, fn in (
                (tagging.tag, self.tag),
                (tagging.untag, self.untag),
                (tagging.list, self.list_tags),
            ):
                if op is not None and op in self.model.operations:
                    out.setdefault(op, _bound(fn, tagging, op))
        return out

    def _behaviour(self, resource: Resource, binding: Binding) -> Behaviour:
        handler = {
            "create": self.create,
            "read": self.read,
            "update": self.update,
            "delete": self.delete,
        }[binding.role]

        def behaviour(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            return handler(ctx, resource, binding, params)

        behaviour.__name__ = f"{binding.role}_{resource.name}"
        return behaviour

    # -- values -------------------------------------------------------------------------------

    def template(self, shape_name: str) -> dict[str, Any]:
        """A fresh copy of the example of a structure."""
        if shape_name not in self._templates:
            shape = self.model.shapes[shape_name]
            self._templates[shape_name] = self.examples.structure(shape, (shape_name,))
        return copy.deepcopy(self._templates[shape_name])

    def example_id(self, resource: Resource) -> Any:
        """The identifier's value in the record template: what a record holds unless the
        request names it."""
        if resource.shape is None:
            return None
        return self.template(resource.shape).get(resource.identifier.member)

    def output_example(self, operation: str) -> dict[str, Any]:
        key = f"\0{operation}"
        if key not in self._templates:
            self._templates[key] = self.examples.result(operation)
        return copy.deepcopy(self._templates[key])

    def shape(self, name: str | None) -> Shape | None:
        return self.model.shapes.get(name) if name else None

    def members(self, name: str | None) -> Mapping[str, Member]:
        shape = self.shape(name)
        return shape.members if shape is not None and shape.type == "structure" else {}

    # -- create -------------------------------------------------------------------------------

    def create(
        self, ctx: Context, resource: Resource, binding: Binding, params: dict[str, Any]
    ) -> dict[str, Any]:
        token = params.get(binding.token) if binding.token else None
        with ctx.state.transaction() as db:
            digest = ""
            if token is not None:
                digest = _digest({k: v for k, v in params.items() if k != binding.token})
                row = db.execute(
                    "SELECT digest, result FROM client_tokens WHERE account=? AND region=? "
                    "AND operation=? AND token=?",
                    (ctx.account, ctx.region, binding.operation, token),
                ).fetchone()
                if row is not None:
                    if row[0] != digest:
                        raise ApiError(
                            "IdempotentParameterMismatch",
                            f"The client token {token} was already used with different "
                            f"parameters in a {binding.operation} request.",
                        )
                    earlier: dict[str, Any] = self.decode(
                        json.loads(row[1]), self.model.operations[binding.operation].output
                    )
                    return earlier
            result = self._create(ctx, db, resource, binding, params)
            if token is not None:
                db.execute(
                    "INSERT INTO client_tokens VALUES (?, ?, ?, ?, ?, ?)",
                    (ctx.account, ctx.region, binding.operation, token, digest, _json(result)),
                )
        return result

    def _create(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        resource: Resource,
        binding: Binding,
        params: dict[str, Any],
    ) -> dict[str, Any]:
        operation = self.model.operations[binding.operation]
        count = 1
        items: list[Any] = [None]
        if binding.count and isinstance(params.get(binding.count), int):
            count = params[binding.count]
            if not 1 <= count <= MAX_CREATE:
                raise ApiError(
                    "InvalidParameterValue",
                    f"{binding.count} must be between 1 and {MAX_CREATE} on this server, "
                    f"not {count}",
                )
            items = [None] * count
        elif binding.each and isinstance(params.get(binding.each), list):
            items = list(params[binding.each])
            if len(items) > MAX_CREATE:
                raise ApiError(
                    "InvalidParameterValue",
                    f"{binding.each}: at most {MAX_CREATE} items on this server, not {len(items)}",
                )
        each_member = _singular_member(binding.each, resource, self) if binding.each else None
        tags = self.tags_from(params, resource)
        envelope: dict[str, Any] | None = None
        nested = self._envelope(resource)
        steps = path_steps(binding.records or "")
        if nested is not None and len(steps) == 1 and nested[1] == operation.output:
            # RunInstances: its output is the reservation the new instances are grouped in
            envelope = self.record_template(nested[1])
            envelope.pop(steps[0][0], None)
            self._fill_envelope(ctx, envelope, nested[1])
        records: list[dict[str, Any]] = []
        for item in items:
            record = self.new_record(ctx, resource, operation.input, params)
            if each_member is not None and item is not None:
                record[each_member] = item
            extra = {"envelope": json.loads(_json(envelope))} if envelope is not None else {}
            record_id = self.store(ctx, db, resource, record, tags, extra)
            records.append(self.render(ctx, db, resource, record_id, record))
        out = self.create_output(ctx, resource, binding, records)
        if envelope is not None:
            out.update(envelope)
        return out

    def new_record(
        self, ctx: Context, resource: Resource, input_shape: str | None, params: dict[str, Any]
    ) -> dict[str, Any]:
        shape_name = resource.shape
        record: dict[str, Any]
        if shape_name is None:
            record = {k: v for k, v in params.items() if k not in _NOT_COPIED}
        else:
            record = self.record_template(shape_name)
            self.merge(record, shape_name, params, input_shape, top=True)
            self.conventions(ctx, record, shape_name)
            members = self.members(shape_name)
            for member, fmt in self.own_ids(resource):
                record[member] = self.fitting(render_format(fmt, ctx), members[member].shape)
            if resource.tags and resource.tags in record:
                del record[resource.tags]
        if resource.states is not None and shape_name is not None:
            states = resource.states
            first = states.initial if states.initial and ctx.state.settle_after else states.ready
            set_state(record, states, first)
        return record

    def fitting(self, value: str, shape_name: str) -> str:
        """``value``, or when the string shape's pattern or lengths refuse it, a random string
        of the pattern's form (IAM's ``GroupId``, ``[\\w]+`` of at least 16: no UUID)."""
        shape = self.shape(shape_name)
        if shape is None or shape.type != "string":
            return value
        low, high = shape.min or 0, shape.max if shape.max is not None else float("inf")
        patterns = [p for p in (shape.pattern,) if p and enforceable(p) is not None]
        if _matches_all(value, patterns) and low <= len(value) <= high:
            return value
        for pattern in patterns:
            made = random_match(pattern, size=max(17, int(low)))
            if made is not None and low <= len(made) <= high:
                return made
        return value

    def record_template(self, shape_name: str) -> dict[str, Any]:
        """What a new record starts from: of the structure's example, its required members,
        its scalars (booleans false) and its structures of scalars (``Placement``, ``State``);
        no lists of example items, no nested example structures (AWS leaves most unset), and
        no optional text that is only a placeholder (``example-Description``, a KMS key id
        ``example-KmsKeyId``: what the request did not set, AWS does not describe)."""
        out: dict[str, Any] = {}
        shape = self.model.shapes[shape_name]
        for name, value in self.template(shape_name).items():
            target = self.shape(shape.members[name].shape)
            if target is None:
                continue
            if name in shape.required:
                out[name] = value
            elif isinstance(value, str) and value.startswith("example") and not target.enum:
                continue
            elif target.type == "structure" and isinstance(value, dict):
                inner = {k: v for k, v in value.items() if not isinstance(v, (dict, list))}
                if len(inner) == len(value):
                    out[name] = {k: False if v is True else v for k, v in inner.items()}
            elif target.type not in ("list", "map"):
                out[name] = False if value is True else value
        return out

    def own_ids(self, resource: Resource) -> list[tuple[str, str]]:
        """(member, format) of the record's other identifiers of the resource itself
        (``KeyPairId`` of a key pair named by ``KeyName``)."""
        from codegen.resources import EC2_ID_PREFIXES

        if resource.shape is None:
            return []
        nouns = {resource.shape}
        for binding in resource.bindings:
            nouns.update(singulars(re.sub(r"^[A-Z][a-z]+", "", binding.operation)))
        found = []
        for name, member in self.members(resource.shape).items():
            target = self.shape(member.shape)
            if (
                name == resource.identifier.member
                or target is None
                or target.type != "string"
                or not name.endswith("Id")
                or name[:-2] not in nouns
            ):
                continue
            # EC2's prefixes are EC2's (an IAM group's GroupId is no security group's sg-)
            prefix = EC2_ID_PREFIXES.get(name) if self.model.metadata.protocol == "ec2" else None
            found.append((name, f"{prefix}-{{hex:17}}" if prefix else "{uuid}"))
        return found

    def merge(
        self,
        target: dict[str, Any],
        target_shape: str,
        source: Mapping[str, Any],
        source_shape: str | None,
        *,
        top: bool = False,
    ) -> None:
        """Copy ``source``'s members into ``target`` where a member of the same name has a
        compatible shape (the same shape, the same scalar type, or structures, merged member by
        member)."""
        targets = self.members(target_shape)
        sources = self.members(source_shape)
        for name, value in source.items():
            if top and name in _NOT_COPIED:
                continue
            member = targets.get(name)
            given = sources.get(name)
            if member is None or given is None:
                continue
            to, frm = self.shape(member.shape), self.shape(given.shape)
            if to is None or frm is None:
                continue
            if to.name == frm.name:
                target[name] = copy.deepcopy(value)
            elif to.type == frm.type == "structure" and isinstance(value, dict):
                inner = target.get(name)
                if not isinstance(inner, dict):
                    inner = target[name] = {}
                self.merge(inner, to.name, value, frm.name)
            elif to.type == frm.type and to.type not in ("list", "map", "structure"):
                if not to.enum or value in to.enum:
                    target[name] = value
            elif (
                to.type not in ("list", "map", "structure")
                and frm.type == "structure"
                and isinstance(value, dict)
                and set(value) == {"Value"}
                and not isinstance(value["Value"], (dict, list))
            ):  # EC2's AttributeValue: ModifyInstanceAttribute(InstanceType={"Value": ...})
                inner = value["Value"]
                if not to.enum or inner in to.enum:
                    target[name] = inner
            elif to.type == frm.type == "list" and to.member and frm.member:
                a, b = self.shape(to.member.shape), self.shape(frm.member.shape)
                if (
                    a is not None
                    and b is not None
                    and (
                        a.name == b.name
                        or (a.type == b.type and a.type not in ("structure", "list", "map"))
                    )
                ):
                    target[name] = copy.deepcopy(value)
            elif to.type == frm.type == "map" and isinstance(value, dict):
                target[name] = copy.deepcopy(value)

    def conventions(self, ctx: Context, record: dict[str, Any], shape_name: str) -> None:
        """Members AWS fills in itself: the owner's account, the zone, the time of creation."""
        members = self.members(shape_name)
        now = datetime.now(timezone.utc)
        for name, member in members.items():
            shape = self.shape(member.shape)
            if shape is None:
                continue
            if name in _ACCOUNT_MEMBERS and shape.type == "string" and not shape.enum:
                record[name] = ctx.account
            elif name == "Region" and shape.type == "string":
                record[name] = ctx.region
            elif shape.type == "timestamp" and _TIME_MEMBERS.search(name):
                record[name] = now
            elif name == "AvailabilityZone" and shape.type == "string":
                if str(record.get(name, "example")).startswith("example"):
                    record[name] = f"{ctx.region}a"
            elif name == "Placement" and shape.type == "structure":
                placement = record.get(name)
                if isinstance(placement, dict) and str(
                    placement.get("AvailabilityZone", "")
                ).startswith("example"):
                    placement["AvailabilityZone"] = f"{ctx.region}a"

    def store(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        resource: Resource,
        record: dict[str, Any],
        tags: list[tuple[str, str]],
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Insert a new record with a fresh identifier (or the one the request named); the
        identifier."""
        ident = resource.identifier
        name = record.get(resource.name_member) if resource.name_member else None
        if name is not None and resource.conflict is not None:
            exists = db.execute(
                "SELECT 1 FROM records WHERE account=? AND region=? AND service=? AND "
                "resource=? AND name=? AND phase != 'deleted' LIMIT 1",
                (ctx.account, ctx.region, self.service, resource.name, str(name)),
            ).fetchone()
            if exists:
                raise ApiError(
                    resource.conflict,
                    f"The {resource.name_member} '{name}' already exists.",
                    _error_status(self.model, resource.conflict, 409),
                )
        given = record.get(ident.member)
        if "{name}" in ident.format and name is not None:
            record_id = render_format(ident.format, ctx, name=str(name))
        elif (
            isinstance(given, str)
            and given
            and not given.startswith("example")
            and ("{name}" in ident.format or given != self.example_id(resource))
        ):
            # the request named it (Glue's CreateSession takes the session's Id)
            record_id = given
        else:
            record_id = render_format(ident.format, ctx)
        if not record_id:  # a name format, and the request named nothing
            record_id = render_format("{uuid}", ctx)
        patterns = self.id_patterns(resource)
        low, high = self.id_lengths(resource)

        def fits(value: str) -> bool:
            return _matches_all(value, patterns) and low <= len(value) <= high

        if not fits(record_id) and "{name}" not in ident.format:
            # the convention's form is not the model's: a random string of the model's form
            # (healthlake's data store ids: at most 32 characters, a UUID's hex digits)
            made = [random_match(p) for p in patterns] + [uuid.uuid4().hex[: int(min(high, 32))]]
            record_id = next((v for v in made if v and fits(v)), record_id)
        random = _RANDOM.search(ident.format) is not None
        for _ in range(8):  # a random identifier that is taken: another (68 random bits)
            clash = db.execute(
                "SELECT phase FROM records WHERE account=? AND region=? AND service=? AND "
                "resource=? AND id=?",
                (ctx.account, ctx.region, self.service, resource.name, record_id),
            ).fetchone()
            if clash is None:
                break
            if not random:  # a name (the request's), or a format with nothing random: taken
                conflict = resource.conflict or "ResourceAlreadyExistsException"
                raise ApiError(
                    conflict,
                    f"{resource.name} {record_id} already exists.",
                    _error_status(self.model, conflict, 409),
                )
            record_id = render_format(ident.format, ctx)
        else:
            conflict = resource.conflict or "ResourceAlreadyExistsException"
            raise ApiError(
                conflict,
                f"no free identifier of the form {ident.format} for a new {resource.name}",
                _error_status(self.model, conflict, 409),
            )
        member = self.members(resource.shape).get(ident.member)
        number = self.shape(member.shape if member else None)
        if number is not None and number.type in ("integer", "long") and record_id.isdigit():
            record_id = str(int(record_id))  # as a request gives it back: str(int)
            record[ident.member] = int(record_id)
        else:
            record[ident.member] = record_id
        arn = None
        if resource.arn is not None:
            arn = render_format(
                resource.arn.format, ctx, name=str(name or record_id), id=record_id
            )
            record[resource.arn.member] = arn
        elif ident.member.endswith(("Arn", "ARN")):
            arn = record_id
        states = resource.states
        phase = (
            "creating"
            if states is not None and states.initial and ctx.state.settle_after
            else "ready"
        )
        db.execute(
            "INSERT INTO records (account, region, service, resource, id, name, arn, phase, "
            "reads, record, extra, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
            (
                ctx.account,
                ctx.region,
                self.service,
                resource.name,
                record_id,
                None if name is None else str(name),
                arn,
                phase,
                _json(record),
                _json(extra or {}),
                json.dumps(tags),
            ),
        )
        return record_id

    def id_lengths(self, resource: Resource) -> tuple[float, float]:
        """The lengths the model allows the identifier: the tightest of its shape's in the
        record and those of the inputs that name it."""
        low, high = 0.0, float("inf")
        refs = [self.members(resource.shape).get(resource.identifier.member)]
        for binding in resource.bindings:
            if binding.id:
                refs.append(
                    self.members(self.model.operations[binding.operation].input).get(binding.id)
                )
        for ref in refs:
            shape = self.shape(ref.shape) if ref is not None else None
            if shape is not None and shape.type == "string":
                low = max(low, shape.min or 0)
                high = min(high, shape.max if shape.max is not None else high)
        return low, high

    def id_patterns(self, resource: Resource) -> list[str]:
        """The patterns the model gives the identifier: its shape's in the record, and those of
        the inputs that name it (only the enforceable ones)."""
        if resource.name not in self._patterns:
            refs = [self.members(resource.shape).get(resource.identifier.member)]
            for binding in resource.bindings:
                if binding.id:
                    op = self.model.operations[binding.operation]
                    refs.append(self.members(op.input).get(binding.id))
            found: dict[str, None] = {}
            for ref in refs:
                shape = self.shape(ref.shape) if ref is not None else None
                if shape is not None and shape.type == "list" and shape.member is not None:
                    shape = self.shape(shape.member.shape)
                if (
                    shape is not None
                    and shape.type == "string"
                    and shape.pattern
                    and enforceable(shape.pattern) is not None
                ):
                    found.setdefault(shape.pattern, None)
            self._patterns[resource.name] = list(found)
        return self._patterns[resource.name]

    def create_output(
        self, ctx: Context, resource: Resource, binding: Binding, records: list[dict[str, Any]]
    ) -> dict[str, Any]:
        operation = self.model.operations[binding.operation]
        if operation.output is None:
            return {}
        out = self.output_example(binding.operation)
        path = binding.records
        first = records[0]
        if path is None:
            return out
        if path == "":
            self.project(out, operation.output, first, resource)
            return out
        steps = path_steps(path)
        name, many = steps[0]
        if len(steps) == 1 and many:
            item = shape_at(self.model, operation.output, path)
            if item is None or item.type != "structure":  # FlowLogIds: the identifiers
                out[name] = [r[resource.identifier.member] for r in records]
                for other, member in self.members(operation.output).items():
                    if other != name and (s := self.shape(member.shape)) and s.type == "list":
                        out[other] = []  # Unsuccessful: none
            elif item.name == resource.shape:
                out[name] = records
            else:
                out[name] = [self.view(r, item.name, resource) for r in records]
            return out
        target = shape_at(self.model, operation.output, path)
        out[name] = (
            first
            if target is not None and target.name == resource.shape
            else self.view(first, target.name if target else "", resource)
        )
        return out

    def _envelope(self, resource: Resource) -> tuple[str, str] | None:
        """(the outer list's member, the envelope shape) of a nested read
        (``Reservations[].Instances[]``: Reservations, Reservation)."""
        for binding in resource.bindings_of("read"):
            steps = path_steps(binding.records or "")
            if len(steps) == 2 and steps[0][1] and steps[1][1]:
                outer = shape_at(
                    self.model,
                    self.model.operations[binding.operation].output or "",
                    f"{steps[0][0]}[]",
                )
                if outer is not None:
                    return steps[0][0], outer.name
        return None

    def _fill_envelope(self, ctx: Context, out: dict[str, Any], shape_name: str) -> None:
        """The envelope's own identifier (a reservation's ``r-`` id) and owner."""
        from codegen.resources import EC2_ID_PREFIXES

        own = f"{shape_name}Id"
        if own in self.members(shape_name):
            prefix = EC2_ID_PREFIXES.get(own)
            out[own] = render_format(f"{prefix}-{{hex:17}}" if prefix else "{uuid}", ctx)
        for name in self.members(shape_name):
            if name in _ACCOUNT_MEMBERS:
                out[name] = ctx.account

    # -- tags -------------------------------------------------------------------------------

    def tags_from(self, params: Mapping[str, Any], resource: Resource) -> list[tuple[str, str]]:
        """The tags a create gives: EC2's TagSpecifications (those for this kind of resource,
        or naming none) or a Tags member (a list of Key/Value or a map)."""
        found: list[tuple[str, str]] = []
        for spec in params.get("TagSpecifications") or ():
            if isinstance(spec, dict):
                found += _tag_pairs(spec.get("Tags"))
        for name in ("Tags", "tags", "TagList"):
            if name in params:
                found += _tag_pairs(params[name])
        return list(dict(found).items())

    def tag(
        self, ctx: Context, tagging: Tagging, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        ids = _as_list(params.get(tagging.ids))
        pairs = _tag_pairs(params.get(tagging.tags))
        with ctx.state.transaction() as db:
            rows = self.find_any(ctx, db, ids)
            for seq, tags_text in rows:
                tags = dict(json.loads(tags_text))
                tags.update(pairs)
                db.execute(
                    "UPDATE records SET tags=? WHERE seq=?", (json.dumps(list(tags.items())), seq)
                )
        return self.output_example(operation) if self.model.operations[operation].output else {}

    def untag(
        self, ctx: Context, tagging: Tagging, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        ids = _as_list(params.get(tagging.ids))
        removed: list[tuple[str, str | None]] = []
        given = params.get(tagging.keys) if tagging.keys else None
        for item in _as_list(given):
            if isinstance(item, dict):  # EC2: {Key, Value?}
                removed.append((str(item.get("Key")), item.get("Value")))
            else:
                removed.append((str(item), None))
        with ctx.state.transaction() as db:
            for seq, tags_text in self.find_any(ctx, db, ids):
                tags = dict(json.loads(tags_text))
                for key, value in removed:
                    if key in tags and (value is None or tags[key] == value):
                        del tags[key]
                db.execute(
                    "UPDATE records SET tags=? WHERE seq=?", (json.dumps(list(tags.items())), seq)
                )
        return self.output_example(operation) if self.model.operations[operation].output else {}

    def list_tags(
        self, ctx: Context, tagging: Tagging, operation: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        op = self.model.operations[operation]
        out = self.output_example(operation)
        outputs = self.members(op.output)
        if tagging.ids in self.members(op.input):  # ListTagsForResource: one resource's tags
            with ctx.state.transaction() as db:
                rows = self.find_any(ctx, db, _as_list(params.get(tagging.ids)))
            tags = json.loads(rows[0][1]) if rows else []
            for name, member in outputs.items():
                if name in ("Tags", "tags", "TagList", "TagSet"):
                    out[name] = _render_tags(tags, self.shape(member.shape), self)
            for name in list(out):
                if name in ("NextToken", "Marker", "nextToken"):
                    del out[name]
            return out
        # DescribeTags: every tag of every stored resource, filtered
        filters = {
            str(f.get("Name")): [str(v) for v in f.get("Values") or ()]
            for f in params.get("Filters") or ()
        }
        known = {"resource-id", "resource-type", "key", "value"}
        for name in filters:
            if name not in known and not name.startswith("tag:"):
                raise ApiError("InvalidParameterValue", f"The filter '{name}' is invalid")
        tagged = ctx.state.query(
            "SELECT seq, resource, id, tags FROM records WHERE account=? AND region=? AND "
            "service=? AND tags != '[]' ORDER BY seq",
            (ctx.account, ctx.region, self.service),
        )
        found: list[dict[str, Any]] = []
        for _, resource_name, record_id, tags_text in tagged:
            kind = self.resource_type(resource_name)
            for key, value in json.loads(tags_text):
                entry = {"Key": key, "ResourceId": record_id, "ResourceType": kind, "Value": value}
                if _tag_matches(entry, filters):
                    found.append(entry)
        limit = params.get("MaxResults")
        start = 0
        token = params.get("NextToken")
        query = _digest({"Filters": params.get("Filters")})
        if token is not None:
            start = self.read_token(ctx, token, operation, query)
        page = min(limit or PAGE_LIMIT, PAGE_LIMIT)
        out["Tags"] = found[start : start + page]
        out.pop("NextToken", None)
        if start + page < len(found):
            out["NextToken"] = self.make_token(ctx, start + page, operation, query)
        return out

    def resource_type(self, resource_name: str) -> str:
        """EC2's ``ResourceType`` value for a resource (``vpc``, ``security-group``)."""
        values = self.shape("ResourceType")
        candidates = [_kebab(resource_name)]
        resource = self.resources.get(resource_name)
        if resource is not None:
            candidates.append(_kebab(re.sub(r"(Id|Name|Arn)$", "", resource.identifier.member)))
            candidates.append(_kebab(re.sub(r"Info$", "", resource_name)))
        if values is not None and values.enum:
            for candidate in candidates:
                if candidate in values.enum:
                    return candidate
        return candidates[0]

    def find_any(
        self, ctx: Context, db: sqlite3.Connection, ids: Sequence[Any]
    ) -> list[tuple[int, str]]:
        """(seq, tags) of the records named by ``ids`` (identifiers or ARNs, of any resource
        of this service); an unknown one is a not-found error."""
        if len(ids) > MAX_LOOKUPS:
            raise ApiError("InvalidParameterValue", f"at most {MAX_LOOKUPS} resources at once")
        rows: list[tuple[int, str]] = []
        for value in dict.fromkeys(str(i) for i in ids):
            row = (
                db.execute(
                    "SELECT seq, tags FROM records INDEXED BY records_any_id WHERE account=? AND "
                    "region=? AND service=? AND id=? AND phase != 'deleted'",
                    (ctx.account, ctx.region, self.service, value),
                ).fetchone()
                or db.execute(
                    "SELECT seq, tags FROM records INDEXED BY records_by_arn WHERE account=? AND "
                    "region=? AND service=? AND arn=? AND phase != 'deleted'",
                    (ctx.account, ctx.region, self.service, value),
                ).fetchone()
            )
            if row is None:
                raise self.unknown_resource(value)
            rows.append((row[0], row[1]))
        return rows

    def unknown_resource(self, value: str) -> ApiError:
        for resource in self.resources.resources:
            fmt = resource.identifier.format
            prefix = fmt.split("{", 1)[0]
            if prefix and value.startswith(prefix) and resource.not_found:
                return self.not_found(resource, [value])
        if self.model.metadata.protocol == "ec2":
            return ApiError("InvalidID", f"The ID '{_shown(value)}' is not valid")
        code = "ResourceNotFoundException"
        return ApiError(
            code, f"Resource {_shown(value)} does not exist", _error_status(self.model, code, 404)
        )

    # -- read -------------------------------------------------------------------------------

    def read(
        self, ctx: Context, resource: Resource, binding: Binding, params: dict[str, Any]
    ) -> dict[str, Any]:
        operation = self.model.operations[binding.operation]
        out = self.output_example(binding.operation)
        path = binding.records or ""
        steps = path_steps(path)
        ids = _as_list(params.get(binding.id)) if binding.id else []
        if binding.id and not binding.many and binding.id in params:
            ids = [params[binding.id]]
        if len(ids) > MAX_LOOKUPS:
            raise ApiError("InvalidParameterValue", f"at most {MAX_LOOKUPS} identifiers at once")
        if steps and steps[-1][1]:  # a list of records
            filters = self.parse_filters(resource, binding, params)
            pagination = operation.pagination
            limit_key = pagination.limit_key if pagination else None
            limit = params.get(limit_key) if limit_key else None
            token_in = _first(pagination.input_token) if pagination else None
            token_out = _first(pagination.output_token) if pagination else None
            token = params.get(token_in) if token_in else None
            query = _digest({k: v for k, v in params.items() if k not in (token_in, limit_key)})
            after = self.read_token(ctx, token, binding.operation, query) if token else 0
            page = min(limit, PAGE_LIMIT) if isinstance(limit, int) and limit > 0 else PAGE_LIMIT
            with ctx.state.transaction() as db:
                chosen = self.page(ctx, db, resource, ids, after, filters, page + 1)
                more = len(chosen) > page
                chosen = chosen[:page]
                records = [self.settle(ctx, db, resource, row) for row in chosen]
            self.place(out, operation.output, path, records, resource, chosen)
            self.bare(out, operation.output, keep=steps[0][0])
            if token_out and token_out in out:
                del out[token_out]
            if more and token_out:
                out[token_out] = self.make_token(ctx, chosen[-1][0], binding.operation, query)
            if pagination is not None and pagination.more_results:
                out[pagination.more_results] = more
            return out
        # one record: by its identifier
        if not ids:
            raise ApiError(
                "MissingParameter", f"The request must name the {resource.name} ({binding.id})."
            )
        with ctx.state.transaction() as db:
            rows = [
                self.advance(ctx, db, resource, r)
                for r in self.select(ctx, db, resource, ids[:1], 0)
            ]
            records = [self.settle(ctx, db, resource, row) for row in rows]
        record = records[0]
        if path == "":
            self.project(out, operation.output, record, resource, extra=json.loads(rows[0][3]))
            return out
        target = shape_at(self.model, operation.output or "", path)
        out[steps[0][0]] = (
            record
            if target is not None and target.name == resource.shape
            else self.view(record, target.name if target else "", resource)
        )
        self.bare(out, operation.output, keep=steps[0][0])
        pagination = operation.pagination
        if pagination is not None:
            for token in _as_list(pagination.output_token):
                out.pop(str(token), None)
            if pagination.more_results:
                out[pagination.more_results] = False
        return out

    def bare(self, out: dict[str, Any], output: str | None, *, keep: str) -> None:
        """A read's answer around its record(s) (``keep``): the example's other lists and maps
        emptied (IAM's ``GetGroup`` lists no example user), its placeholder text dropped where
        the member is optional; what is required stays."""
        shape = self.shape(output)
        if shape is None:
            return
        for name in list(out):
            if name == keep or name not in shape.members:
                continue
            value = out[name]
            target = self.shape(shape.members[name].shape)
            if isinstance(value, list):
                out[name] = []
            elif target is not None and target.type == "map":
                out[name] = {}
            elif (
                isinstance(value, str)
                and value.startswith("example")
                and name not in shape.required
            ):
                del out[name]

    def page(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        resource: Resource,
        ids: Sequence[Any],
        after: int,
        filters: list[tuple[str, str | None, frozenset[str]]],
        want: int,
    ) -> list[tuple[Any, ...]]:
        """Up to ``want`` rows after ``after`` that the filters accept (each advanced first):
        by ``ids``, or read in chunks in creation order, stopping as soon as enough match (a
        page costs what it reads, not what the account holds)."""
        if ids:
            rows = [
                self.advance(ctx, db, resource, r)
                for r in self.select(ctx, db, resource, ids, after)
            ]
            return [r for r in rows if self.matches(r, filters)][:want]
        chosen: list[tuple[Any, ...]] = []
        chunk = max(want, 64)
        while len(chosen) < want:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM records INDEXED BY records_by_scope WHERE account=? AND "
                "region=? AND service=? AND resource=? AND seq > ? ORDER BY seq LIMIT ?",
                (ctx.account, ctx.region, self.service, resource.name, after, chunk),
            ).fetchall()
            for row in rows:
                row = self.advance(ctx, db, resource, row)
                if self.matches(row, filters):
                    chosen.append(row)
                    if len(chosen) == want:
                        break
            if len(rows) < chunk:
                break
            after = rows[-1][0]
        return chosen

    def select(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        resource: Resource,
        ids: Sequence[Any],
        after: int,
    ) -> list[tuple[Any, ...]]:
        """Rows (``_COLUMNS``) of the records ``ids`` name, after ``seq`` ``after``, in creation
        order; each must exist, else the resource's not-found error names those missing."""
        rows = []
        missing = []
        for value in dict.fromkeys(str(i) for i in ids):
            row = self._one(ctx, db, resource, value, _COLUMNS)
            if row is None:
                missing.append(value)
            elif row[0] > after:
                rows.append(row)
        if missing:
            raise self.not_found(resource, missing)
        return sorted(rows)

    def _one(
        self, ctx: Context, db: sqlite3.Connection, resource: Resource, value: str, columns: str
    ) -> tuple[Any, ...] | None:
        """A record by identifier, else by ARN, else by unique name."""
        scope = (ctx.account, ctx.region, self.service, resource.name, value)
        row: tuple[Any, ...] | None = db.execute(
            f"SELECT {columns} FROM records INDEXED BY records_by_id WHERE account=? AND "
            "region=? AND service=? AND resource=? AND id=?",
            scope,
        ).fetchone()
        if row is None and (resource.arn is not None or resource.name_member):
            row = (
                db.execute(
                    f"SELECT {columns} FROM records INDEXED BY records_by_arn WHERE account=? AND "
                    "region=? AND service=? AND resource=? AND arn=?",
                    scope,
                ).fetchone()
                or db.execute(
                    f"SELECT {columns} FROM records INDEXED BY records_by_name WHERE account=? AND "
                    "region=? AND service=? AND resource=? AND name=?",
                    scope,
                ).fetchone()
            )
        return row

    def not_found(self, resource: Resource, ids: Sequence[str]) -> ApiError:
        code = resource.not_found or "ResourceNotFoundException"
        shown = ", ".join(f"'{_shown(i)}'" for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
        noun = _kebab(resource.identifier.member).replace("-", " ")
        verb = "does" if len(ids) == 1 else "do"
        status = _error_status(self.model, code, 404)
        return ApiError(code, f"The {noun} {shown} {verb} not exist", status)

    def advance(
        self, ctx: Context, db: sqlite3.Connection, resource: Resource, row: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        """A row whose record has been seen by ``settle_after`` reads in its phase moves on
        (``creating`` to ``ready``, ``deleting`` to ``deleted``): before filters look at it, so
        that a read asking for ``running`` instances finds those due to run."""
        seq, record_id, record_text, extra, tags_text, phase, reads = row
        states = resource.states
        if states is None or phase not in _SETTLING:
            return row
        if reads < ctx.state.settle_after:
            return row
        record = json.loads(record_text)
        value: str | None
        if phase == "creating":
            phase, value = "ready", states.ready
        elif phase == "moving":
            phase, value = "ready", json.loads(extra).get("target")
        else:
            phase, value = "deleted", states.deleted
        if value is not None:
            set_state(record, states, value)
        record_text = _json(record)
        db.execute(
            "UPDATE records SET phase=?, reads=0, record=? WHERE seq=?", (phase, record_text, seq)
        )
        return (seq, record_id, record_text, extra, tags_text, phase, 0)

    def settle(
        self, ctx: Context, db: sqlite3.Connection, resource: Resource, row: tuple[Any, ...]
    ) -> dict[str, Any]:
        """The record of an (advanced) row as this read shows it; a record still settling
        counts the read."""
        seq, record_id, record_text, _, tags_text, phase, _ = row
        if resource.states is not None and phase in _SETTLING:
            db.execute("UPDATE records SET reads=reads+1 WHERE seq=?", (seq,))
        record = self.decode(json.loads(record_text), resource.shape)
        return self.render(ctx, db, resource, record_id, record, json.loads(tags_text))

    def render(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        resource: Resource,
        record_id: str,
        record: dict[str, Any],
        tags: list[list[str]] | None = None,
    ) -> dict[str, Any]:
        if resource.tags and resource.shape:
            member = self.members(resource.shape).get(resource.tags)
            if tags is None:
                row = db.execute(
                    "SELECT tags FROM records WHERE account=? AND region=? AND service=? AND "
                    "resource=? AND id=?",
                    (ctx.account, ctx.region, self.service, resource.name, record_id),
                ).fetchone()
                tags = json.loads(row[0]) if row else []
            if tags and member is not None:
                record[resource.tags] = _render_tags(tags, self.shape(member.shape), self)
            else:
                record.pop(resource.tags, None)
        return record

    def place(
        self,
        out: dict[str, Any],
        output: str | None,
        path: str,
        records: list[dict[str, Any]],
        resource: Resource,
        rows: list[tuple[Any, ...]],
    ) -> None:
        steps = path_steps(path)
        item = shape_at(self.model, output or "", path)
        if len(steps) == 2:  # Reservations[].Instances[]: grouped by the envelope they came in
            outer, inner = steps[0][0], steps[1][0]
            groups: list[dict[str, Any]] = []
            last = None
            for record, row in zip(records, rows):
                envelope = json.loads(row[3]).get("envelope") or {}
                key = json.dumps(envelope, sort_keys=True, default=str)
                if key != last:
                    groups.append({**envelope, inner: []})
                    last = key
                groups[-1][inner].append(record)
            out[outer] = groups
            return
        name = steps[0][0]
        if item is None or item.type != "structure":  # the identifiers (StreamNames[])
            member = next(
                (
                    m
                    for m in singulars(name)
                    if m != name and resource.shape and m in self.members(resource.shape)
                ),
                resource.identifier.member,
            )
            out[name] = [r.get(member, r.get(resource.identifier.member)) for r in records]
        elif item.name == resource.shape:
            out[name] = records
        else:
            out[name] = [self.view(r, item.name, resource) for r in records]

    def view(self, record: dict[str, Any], shape_name: str, resource: Resource) -> dict[str, Any]:
        """A record of another structure made from ``record``: its example, with every member
        of the same name and a compatible shape taken from ``record``."""
        if not shape_name or shape_name not in self.model.shapes:
            return record
        out = self.template(shape_name)
        self.merge(out, shape_name, record, resource.shape)
        return out

    def project(
        self,
        out: dict[str, Any],
        output: str | None,
        record: dict[str, Any],
        resource: Resource,
        *,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Fill an output's own members from ``record`` (and ``extra``: what updates set)."""
        if output is None:
            return
        members = self.members(output)
        if resource.shape:
            record_members = self.members(resource.shape)
            for name in list(out):
                target = self.shape(members[name].shape) if name in members else None
                if name in record_members and name not in record:
                    del out[name]  # the record has it unset: so has the answer
                elif name not in record_members and target is not None and target.type == "list":
                    out[name] = []  # Unsuccessful, Groups: no example items
            self.merge(out, output, record, resource.shape)
            for name, member in members.items():  # GetFunction's Configuration
                if member.shape == resource.shape:
                    out[name] = record
        else:
            for name in members:
                if name in record:
                    out[name] = record[name]
        for name, value in (extra or {}).get("attributes", {}).items():
            if name in members:
                out[name] = self.decode(value, members[name].shape, member=True)
        if resource.identifier.member in members and resource.identifier.member in record:
            out[resource.identifier.member] = record[resource.identifier.member]

    # -- filters ------------------------------------------------------------------------------

    def parse_filters(
        self, resource: Resource, binding: Binding, params: dict[str, Any]
    ) -> list[tuple[str, str | None, frozenset[str]]]:
        """(filter name, record path or tag key, values) of each filter given; an unknown name
        is ``InvalidParameterValue`` (as EC2 answers ``The filter 'x' is invalid``)."""
        given = params.get(binding.filters) if binding.filters else None
        if not given:
            return []
        known = self.filter_paths(resource, binding)
        out: list[tuple[str, str | None, frozenset[str]]] = []
        counted = 0
        for index, f in enumerate(given):
            name = str(f.get("Name"))
            values = frozenset(_text(v) for v in f.get("Values") or ())
            counted += len(values)
            if name.startswith("tag:") or name in ("tag-key", "tag-value"):
                out.append((name, None, values))
                continue
            if name not in known:
                supported = ", ".join(sorted(n for n, p in known.items() if p)) or "none"
                raise ApiError(
                    "InvalidParameterValue",
                    f"The filter '{_shown(name)}' is invalid (Filter.{index + 1}.Name); "
                    f"filters {binding.operation} supports here: {supported}",
                )
            path = known[name]
            if path is None:
                raise ApiError(
                    "InvalidParameterValue",
                    f"The filter '{_shown(name)}' is documented but this server cannot tell "
                    f"which member of {resource.shape} it reads; state it in the spec's "
                    "resources section",
                )
            out.append((name, path, values))
        if counted > MAX_LOOKUPS:
            raise ApiError("InvalidParameterValue", f"at most {MAX_LOOKUPS} filter values")
        return out

    def filter_paths(self, resource: Resource, binding: Binding) -> dict[str, str | None]:
        """Documented filter name -> the record path it reads (None: none found)."""
        key = (resource.name, binding.operation)
        if key not in self._filters:
            op = self.model.operations[binding.operation]
            member = self.members(op.input).get(binding.filters or "")
            names = list(documented_filters(member)) if member is not None else []
            record_shape = shape_at(self.model, op.output or "", binding.records or "")
            shape_name = record_shape.name if record_shape is not None else resource.shape or ""
            paths = self.scalar_paths(shape_name)
            nouns = [_kebab(n) for n in {resource.name, shape_name, *singulars(resource.name)}]
            self._filters[key] = {n: match_filter(n, paths, nouns) for n in names}
        return self._filters[key]

    def scalar_paths(self, shape_name: str, depth: int = 3) -> dict[str, str]:
        """Normalized name (``cidr-block-association.cidr-block``) -> path
        (``CidrBlockAssociationSet[].CidrBlock``) of each scalar member, ``depth`` levels down."""
        out: dict[str, str] = {}

        def walk(name: str, path: str, norm: str, level: int, seen: tuple[str, ...]) -> None:
            shape = self.shape(name)
            if shape is None or level > depth or name in seen:
                return
            for mname, member in self.members(name).items():
                target = self.shape(member.shape)
                if target is None:
                    continue
                step = _kebab(mname)
                if target.type == "list" and target.member is not None:
                    step = re.sub(r"-set$|s$", "", step)
                    item = self.shape(target.member.shape)
                    if item is not None and item.type == "structure":
                        walk(
                            item.name,
                            f"{path}{mname}[].",
                            f"{norm}{step}.",
                            level + 1,
                            (*seen, name),
                        )
                    elif item is not None:
                        out.setdefault(f"{norm}{step}", f"{path}{mname}[]")
                elif target.type == "structure":
                    walk(
                        target.name, f"{path}{mname}.", f"{norm}{step}.", level + 1, (*seen, name)
                    )
                elif target.type != "map":
                    out.setdefault(f"{norm}{step}", f"{path}{mname}")

        walk(shape_name, "", "", 1, ())
        return out

    def matches(
        self, row: tuple[Any, ...], filters: list[tuple[str, str | None, frozenset[str]]]
    ) -> bool:
        if not filters:
            return True
        record = json.loads(row[2])
        tags = dict(json.loads(row[4]))
        for name, path, values in filters:
            if path is None:
                if name == "tag-key":
                    found = list(tags)
                elif name == "tag-value":
                    found = list(tags.values())
                else:
                    key = name[4:]
                    found = [tags[key]] if key in tags else []
            else:
                found = [_text(v) for v in _values_at(record, path)]
            if not any(v in values for v in found):
                return False
        return True

    # -- update and delete -----------------------------------------------------------------------

    def update(
        self, ctx: Context, resource: Resource, binding: Binding, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Merge the request's members into each named record (members the record lacks are
        kept beside it, for the attribute reads); or, for a state change (``StopInstances``),
        move each to its new state, through the one before it while it settles."""
        operation = self.model.operations[binding.operation]
        ids = self._ids(binding, params, resource)
        changed: list[tuple[dict[str, Any], Any, Any]] = []  # (record, state before, after)
        states = resource.states
        with ctx.state.transaction() as db:
            rows = [
                self.advance(ctx, db, resource, r) for r in self.select(ctx, db, resource, ids, 0)
            ]
            for seq, record_id, record_text, extra_text, tags_text, phase, row_reads in rows:
                record = self.decode(json.loads(record_text), resource.shape)
                extra = json.loads(extra_text)
                before = _get_path(record, states.member) if states else None
                reads = row_reads
                if binding.state is not None and states is not None:
                    reads = 0
                    via = _state_before(states, binding.state)
                    if via is not None and ctx.state.settle_after and before != binding.state:
                        set_state(record, states, via)
                        extra["target"] = binding.state
                        phase = "moving"
                    else:
                        set_state(record, states, binding.state)
                        phase = "ready"
                else:
                    self.apply(record, extra, resource, binding, params, operation.input)
                db.execute(
                    "UPDATE records SET record=?, extra=?, phase=?, reads=? WHERE seq=?",
                    (_json(record), _json(extra), phase, reads, seq),
                )
                after = _get_path(record, states.member) if states else None
                rendered = self.render(ctx, db, resource, record_id, record, json.loads(tags_text))
                changed.append((rendered, before, after))
        out = self.output_example(binding.operation) if operation.output else {}
        if changed and operation.output:
            self.change_output(out, operation.output, resource, changed)
        return out

    def apply(
        self,
        record: dict[str, Any],
        extra: dict[str, Any],
        resource: Resource,
        binding: Binding,
        params: dict[str, Any],
        input_shape: str | None,
    ) -> None:
        changes = {
            k: v for k, v in params.items() if k != binding.id and k not in REQUEST_MACHINERY
        }
        if not resource.shape:
            for name, value in changes.items():
                if isinstance(value, dict) and isinstance(record.get(name), dict):
                    record[name] = {**record[name], **value}  # maps merge (SetQueueAttributes)
                else:
                    record[name] = value
            return
        members = self.members(resource.shape)
        before = copy.deepcopy(record)
        self.merge(record, resource.shape, changes, input_shape, top=True)
        attributes = extra.setdefault("attributes", {})
        for name, value in changes.items():
            if name not in members:  # EnableDnsHostnames: for DescribeVpcAttribute
                attributes[name] = json.loads(_json(value))
                continue
            target = self.shape(members[name].shape)
            if target is not None and target.type == "map" and isinstance(before.get(name), dict):
                record[name] = {**before[name], **value}  # maps merge

    def delete(
        self, ctx: Context, resource: Resource, binding: Binding, params: dict[str, Any]
    ) -> dict[str, Any]:
        operation = self.model.operations[binding.operation]
        ids = self._ids(binding, params, resource)
        states = resource.states
        changes: list[tuple[dict[str, Any], Any, Any]] = []  # (record, state before, after)
        with ctx.state.transaction() as db:
            rows = self.select(ctx, db, resource, ids, 0)
            for row in rows:
                seq, record_id, record_text, _, tags_text, phase, _ = row
                record = self.decode(json.loads(record_text), resource.shape)
                before = _get_path(record, states.member) if states else None
                if states is not None and states.keep_deleted and states.deleted is not None:
                    if phase in ("deleting", "deleted"):
                        after = before
                    elif states.deleting is not None and ctx.state.settle_after:
                        after = states.deleting
                        db.execute(
                            "UPDATE records SET phase='deleting', reads=0 WHERE seq=?", (seq,)
                        )
                    else:
                        after = states.deleted
                        db.execute(
                            "UPDATE records SET phase='deleted', reads=0 WHERE seq=?", (seq,)
                        )
                    if after is not None:
                        set_state(record, states, after)
                    db.execute("UPDATE records SET record=? WHERE seq=?", (_json(record), seq))
                else:
                    after = states.deleted or states.deleting if states else None
                    if states is not None and after is not None:
                        set_state(record, states, after)
                    db.execute("DELETE FROM records WHERE seq=?", (seq,))
                record = self.render(ctx, db, resource, record_id, record, json.loads(tags_text))
                changes.append((record, before, after))
        out = self.output_example(binding.operation) if operation.output else {}
        if operation.output and changes:
            self.change_output(out, operation.output, resource, changes)
        return out

    def change_output(
        self,
        out: dict[str, Any],
        output: str,
        resource: Resource,
        changes: list[tuple[dict[str, Any], Any, Any]],
    ) -> None:
        """The answer of an update or delete: TerminateInstances' TerminatingInstances (an item
        per record, with its current and previous state), DeleteTable's TableDescription,
        DeleteKeyPair's KeyPairId, UpdateTable's TableDescription."""
        self.project(out, output, changes[0][0], resource)
        states = resource.states
        state_shape = None
        if states is not None and "." in states.member and resource.shape:
            state_shape = shape_at(self.model, resource.shape, states.member.rsplit(".", 1)[0])
        for name, member in self.members(output).items():
            item = self.shape(member.shape)
            if item is None:
                continue
            if item.type == "list" and item.member is not None:
                inner = self.shape(item.member.shape)
                if inner is not None and resource.identifier.member in self.members(inner.name):
                    entries = []
                    for record, before, after in changes:
                        entry = self.view(record, inner.name, resource)
                        for field, ref in self.members(inner.name).items():
                            if (
                                state_shape is not None
                                and ref.shape == state_shape.name
                                and states
                            ):
                                leaf = states.member.rsplit(".", 1)[1]
                                value = before if field.startswith("Previous") else after
                                entry[field] = {**self.template(state_shape.name), leaf: value}
                                if states.code is not None:
                                    code = states.code_of(str(value))
                                    field_name = states.code.rsplit(".", 1)[1]
                                    if code is not None:
                                        entry[field][field_name] = code
                        entries.append(entry)
                    out[name] = entries

    def _ids(self, binding: Binding, params: dict[str, Any], resource: Resource) -> list[Any]:
        if binding.id is None or binding.id not in params:
            raise ApiError("MissingParameter", f"The request must name the {resource.name}.")
        value = params[binding.id]
        ids = value if isinstance(value, list) else [value]
        if len(ids) > MAX_LOOKUPS:
            raise ApiError("InvalidParameterValue", f"at most {MAX_LOOKUPS} identifiers at once")
        return ids

    # -- stored values ------------------------------------------------------------------------

    def decode(self, value: Any, shape_name: str | None, *, member: bool = False) -> Any:
        """A value stored as JSON, back as Python values by its shape (timestamps to
        datetimes, blobs to bytes)."""
        shape = self.shape(shape_name)
        if shape is None or value is None:
            return value
        kind = shape.type
        if kind == "structure" and isinstance(value, dict):
            if shape.traits.get("document"):
                return value
            members = shape.members
            return {
                k: self.decode(v, members[k].shape) if k in members else v
                for k, v in value.items()
            }
        if kind == "list" and isinstance(value, list) and shape.member is not None:
            return [self.decode(v, shape.member.shape) for v in value]
        if kind == "map" and isinstance(value, dict) and shape.value is not None:
            return {k: self.decode(v, shape.value.shape) for k, v in value.items()}
        if kind == "timestamp" and isinstance(value, str):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                return value
        if kind == "blob" and isinstance(value, str) and not shape.traits.get("streaming"):
            try:
                return base64.b64decode(value)
            except ValueError:
                return value
        return value

    # -- pagination tokens --------------------------------------------------------------------

    def make_token(self, ctx: Context, position: int, operation: str, query: str) -> str:
        payload = base64.urlsafe_b64encode(f"{position}:{query}".encode()).decode().rstrip("=")
        mac = hmac.new(
            ctx.state.token_key,
            f"{ctx.account}/{ctx.region}/{operation}/{payload}".encode(),
            "sha256",
        )
        return f"{payload}.{base64.urlsafe_b64encode(mac.digest()[:18]).decode()}"

    def read_token(self, ctx: Context, token: str, operation: str, query: str) -> int:
        shown = _shown(token)
        # the operation's modeled error for a bad token (InvalidNextTokenException), else
        # EC2's documented InvalidPaginationToken, else the generic ValidationException
        modeled = [e for e in self.model.operations[operation].errors if "Token" in e]
        code = (
            modeled[0]
            if modeled
            else "InvalidPaginationToken"
            if self.model.metadata.protocol == "ec2"
            else "ValidationException"
        )
        invalid = ApiError(code, f"The pagination token '{shown}' is invalid.")
        payload, _, mac = token.partition(".")
        expected = hmac.new(
            ctx.state.token_key,
            f"{ctx.account}/{ctx.region}/{operation}/{payload}".encode(),
            "sha256",
        )
        try:
            given = base64.urlsafe_b64decode(mac.encode("ascii"))
            position, _, digest = (
                base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
                .decode()
                .partition(":")
            )
            number = int(position)
        except (ValueError, UnicodeError):
            raise invalid from None
        if not hmac.compare_digest(given, expected.digest()[:18]) or digest != query:
            raise invalid
        return number


# -- helpers --------------------------------------------------------------------------------


def _state_before(states: States, target: str) -> str | None:
    """The state a change passes through on its way to ``target``: ``stopping`` before
    ``stopped``, the first state of a new resource before the one it settles in."""
    if target == states.ready:
        return states.initial
    stem = target.removesuffix("ed")
    going = {stem + "ing", stem[:-1] + "ing"}  # stopped: stopping; cancelled: cancelling
    return next((v for v in states.values if v in going), None)


def _matches_all(value: str, patterns: Sequence[str]) -> bool:
    return all(compiled(p).search(value) is not None for p in patterns)


def set_state(record: dict[str, Any], states: States, value: str) -> None:
    """Put a state value in a record (and the number the model documents for it beside it)."""
    _set_path(record, states.member, value)
    if states.code is not None:
        code = states.code_of(value)
        if code is not None:
            _set_path(record, states.code, code)


# the names of not-found errors: NoSuchBucket, QueueDoesNotExist, ResourceNotFoundException,
# InvalidVpcID.NotFound, NoSuchHostedZone, NonExistentQueue
_NOT_FOUND = re.compile(r"NotFound|NoSuch|DoesNotExist|NonExistent")


def modeled_not_found(model: ServiceModel, op: str, behaviour: Behaviour) -> Behaviour:
    """``behaviour`` (the derived engine's), its not-found errors answered with ``op``'s own:
    a resource's not-found error is the one its reads model (route53's resource says
    ``NoSuchDelegationSet``, ``GetHostedZone`` models ``NoSuchHostedZone``), which another
    operation may not, and the fallback ``ResourceNotFoundException`` is modeled by few. Where ``op`` models no not-found error, or
    models the one raised, the error stays as it was."""
    # an error's code on the wire is its shape's error code where it states one (rds's
    # DBInstanceNotFoundFault is answered as DBInstanceNotFound, the code waiters expect)
    modeled = {_wire_code(model, e): e for e in model.operations[op].errors}
    mine = [c for c in modeled if _NOT_FOUND.search(c)]
    if not mine:
        return behaviour

    def answered(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        try:
            return behaviour(ctx, params)
        except ApiError as error:
            if error.code in modeled or not _NOT_FOUND.search(error.code):
                raise
            # of several (route53: NoSuchHostedZone, NoSuchHealthCheck), the closest name
            code = difflib.get_close_matches(error.code, mine, n=1, cutoff=0)[0]
            status = model.shapes[modeled[code]].traits.get("error", {}).get("httpStatusCode")
            raise ApiError(code, error.message, int(status or error.status)) from None

    answered.__name__ = getattr(behaviour, "__name__", op)
    return answered


def _wire_code(model: ServiceModel, shape: str) -> str:
    """The code an error shape is answered with: its ``error`` trait's code, else its name."""
    found = model.shapes.get(shape)
    code = found.traits.get("error", {}).get("code") if found is not None else None
    return code if isinstance(code, str) and code else shape


def _bound(
    fn: Callable[[Context, Tagging, str, dict[str, Any]], dict[str, Any]],
    tagging: Tagging,
    op: str,
) -> Behaviour:
    def behaviour(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return fn(ctx, tagging, op, params)

    behaviour.__name__ = f"tags_{op}"
    return behaviour


def _singular_member(each: str, resource: Resource, engine: Engine) -> str | None:
    members = engine.members(resource.shape)
    return next((m for m in members if plural_of(each, m)), None)


def _error_status(model: ServiceModel, code: str, rest: int) -> int:
    """The HTTP status of the error ``code`` (a shape's name, or the wire code a shape states):
    the one its shape states, else ``rest`` (404, 409) in the REST protocols, whose services
    answer by HTTP's meaning, and 400 in the others (query, ec2, json and CBOR services answer
    a client's fault 400: DynamoDB's and App Runner's ``ResourceNotFoundException``)."""
    shape = model.shapes.get(code)
    if shape is None:  # a wire code (DBInstanceNotFound, of DBInstanceNotFoundFault)
        shape = next(
            (s for s in model.shapes.values() if s.traits.get("error", {}).get("code") == code),
            None,
        )
    stated = shape.traits.get("error", {}).get("httpStatusCode") if shape is not None else None
    if stated:
        return int(stated)
    return rest if model.metadata.protocol in ("rest-json", "rest-xml") else 400


def render_format(fmt: str, ctx: Context, *, name: str = "", id: str = "") -> str:
    """A new identifier (or ARN) in ``fmt``: ``{hex:17}``, ``{digits:N}``, ``{alnum:N}``,
    ``{uuid}``, ``{region}``, ``{account}``, ``{partition}``, ``{name}``, ``{id}``."""

    def one(match: re.Match[str]) -> str:
        kind, _, size = match.group(1).partition(":")
        n = int(size) if size.isdigit() else 0
        if kind == "hex":
            return secrets.token_hex((n + 1) // 2)[:n]
        if kind == "digits":
            return "".join(secrets.choice("0123456789") for _ in range(n))
        if kind == "alnum":
            alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
            return "".join(secrets.choice(alphabet) for _ in range(n))
        if kind == "uuid":
            return str(uuid.uuid4())
        if kind == "region":
            return ctx.region
        if kind == "account":
            return ctx.account
        if kind == "partition":
            return (
                "aws-cn"
                if ctx.region.startswith("cn-")
                else ("aws-us-gov" if ctx.region.startswith("us-gov-") else "aws")
            )
        if kind == "name":
            return name
        if kind == "id":
            return id
        return match.group(0)

    return re.sub(r"\{([a-z]+(?::\d+)?)\}", one, fmt)


def documented_filters(member: Member) -> Iterable[str]:
    """The filter names a ``Filters`` member's documentation lists (``• vpc-id - The ID...``)."""
    seen: dict[str, None] = {}
    for line in member.documentation.splitlines():
        match = re.match(r"\s*[•*-]?\s*([a-z0-9][a-z0-9.:-]*)\s+-\s", line)
        if match and not match.group(1).endswith(":"):
            seen.setdefault(match.group(1).rstrip("."), None)
    return seen


def match_filter(name: str, paths: Mapping[str, str], nouns: Sequence[str]) -> str | None:
    """The record path a filter name reads: exactly (``vpc-id``), without the resource's noun
    (``instance-state-name`` -> ``State.Name``), as the end of a path (``availability-zone``
    -> ``Placement.AvailabilityZone``), else the shortest path it starts (``cidr`` ->
    ``CidrBlock``)."""
    flat = {k.replace(".", "-"): v for k, v in paths.items()}
    candidates = [name, name.replace(".", "-")]
    for noun in nouns:
        if name.startswith(noun + "-"):
            candidates.append(name[len(noun) + 1 :].replace(".", "-"))
    for candidate in candidates:
        if candidate in paths:
            return paths[candidate]
        if candidate in flat:
            return flat[candidate]
    for candidate in candidates:
        ends = [v for k, v in flat.items() if k.endswith("-" + candidate)]
        if len(ends) == 1:
            return ends[0]
    starts = sorted((k for k in flat if k.startswith(candidates[-1])), key=len)
    return flat[starts[0]] if starts else None


def _values_at(value: Any, path: str) -> list[Any]:
    current = [value]
    for name, many in path_steps(path):
        nxt: list[Any] = []
        for v in current:
            if isinstance(v, dict) and name in v:
                inner = v[name]
                if many and isinstance(inner, list):
                    nxt.extend(inner)
                else:
                    nxt.append(inner)
        current = nxt
    return current


def _get_path(record: dict[str, Any], path: str) -> Any:
    current: Any = record
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def _set_path(record: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    current = record
    for part in parts[:-1]:
        nxt = current.get(part)
        if not isinstance(nxt, dict):
            nxt = current[part] = {}
        current = nxt
    current[parts[-1]] = value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _tag_pairs(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [(str(k), str(v)) for k, v in value.items()]
    pairs = []
    for item in value or ():
        if isinstance(item, dict):
            key = item.get("Key", item.get("key", item.get("TagKey")))
            val = item.get("Value", item.get("value", item.get("TagValue", "")))
            if key is not None:
                pairs.append((str(key), "" if val is None else str(val)))
    return pairs


def _render_tags(tags: Sequence[Sequence[str]], shape: Shape | None, engine: Engine) -> Any:
    if shape is not None and shape.type == "map":
        return {k: v for k, v in tags}
    keys = ("Key", "Value")
    if shape is not None and shape.member is not None:
        item = engine.members(shape.member.shape)
        for pair in (("Key", "Value"), ("key", "value"), ("TagKey", "TagValue")):
            if pair[0] in item:
                keys = pair
                break
    return [{keys[0]: k, keys[1]: v} for k, v in tags]


def _tag_matches(entry: Mapping[str, Any], filters: Mapping[str, list[str]]) -> bool:
    for name, values in filters.items():
        if name == "resource-id":
            field = entry["ResourceId"]
        elif name == "resource-type":
            field = entry["ResourceType"]
        elif name == "key":
            field = entry["Key"]
        elif name == "value":
            field = entry["Value"]
        else:  # tag:Key
            if entry["Key"] != name[4:]:
                return False
            field = entry["Value"]
        if field not in values:
            return False
    return True


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: str | tuple[str, ...] | None) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value[0]


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 64 else text[:64] + "..."


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot store {type(value).__name__}")


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=_default)


def _digest(value: Any) -> str:
    return hashlib.sha256(dumps(json.loads(_json(value))).encode()).hexdigest()[:32]


def _json_record(db: sqlite3.Connection, seq: int) -> str:
    row = db.execute("SELECT record FROM records WHERE seq=?", (seq,)).fetchone()
    return str(row[0]) if row else "{}"
