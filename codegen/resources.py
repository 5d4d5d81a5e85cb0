"""Resources derived from a service model: what the stub server keeps state for.

A *resource* is a kind of thing a service creates, reads, lists, updates and deletes: EC2's
``Vpc``, ``Instance``, ``KeyPairInfo``. Nothing in a botocore model says so outright (Smithy's
``resource`` shapes do; botocore's JSON lost them), but the model states most of it in other
ways, and :func:`derive_resources` reads them:

* **operation families, by name and shape.** An operation is a verb and a noun
  (``Describe`` + ``Vpcs``). Reads (``Describe``/``Get``/``List``) say where records sit in
  their output: the list of structures (``Vpcs[]``), a list inside a list
  (``Reservations[].Instances[]``: instances grouped in reservations), one structure
  (``Table``), or the output's own members. The record's structure names the resource. A create
  (``Create``/``Run``/``Allocate``/``Register``/``Import``/``Request``/``Put``), an update
  (``Modify``/``Update``/``Put``/``Set``) and a delete (``Delete``/``Terminate``/``Release``/
  ``Deregister``/``Cancel``) belong to it by noun, or by returning its records.
* **the identifier** (an id, a name or an ARN): the record's member the delete takes, or that a
  read's id list names (``VpcIds`` -> ``VpcId``), else ``<Noun>Id``/``Name``/``Arn``; where it
  sits in each operation's input (``VpcIds``: a list, ``VpcId``: one) and output. Its format:
  the shape's pattern when it has one, else AWS's convention (EC2: ``vpc-`` + 17 hex digits,
  :data:`EC2_ID_PREFIXES`; ARNs with partition, region and account).
* **pagination**: the model's paginator of each read (tokens, limit member and its bounds).
* **errors**: the not-found and conflict errors the operations model (by name:
  ``ResourceNotFoundException``, ``NoSuchEntity``, ``...AlreadyExists``...), those the waiters
  name (``InvalidInstanceID.NotFound`` retried by ``InstanceExists``), else EC2's documented
  convention ``Invalid<Resource>ID.NotFound`` (EC2 models no errors).
* **states, from the waiters** (:class:`~codegen.model.Waiter`): a waiter on a read whose
  acceptors look at ``Vpcs[].State`` says the record's state member is ``State``, the value
  its success acceptor expects is the state a resource settles in (``available``), and one
  it neither accepts nor rejects (``pending``) where a new one starts; a waiter that succeeds
  on ``terminated`` or on the not-found error says what a delete leads to, and whether the
  deleted record stays readable (``InstanceTerminated`` succeeds only on a record in state
  ``terminated``: it must stay).
* **tagging**: EC2's ``CreateTags``/``DeleteTags``/``DescribeTags`` and the other services'
  ``TagResource``/``UntagResource``/``ListTagsForResource`` (by id or ARN), and the record's
  ``Tags`` member.

What was derived is data: :meth:`ServiceResources.to_json` is what ``apigen resources SPEC
--format json`` prints, and a spec's ``resources`` section (the same form, per resource; any
subset of its fields) states a resource the names do not reveal or corrects a derived one
(``{"exclude": true}`` drops it). :func:`resources_for` applies those statements over the
derivation; every field of the result says whether it was derived or stated.

The server's engine (:mod:`codegen.server.engine`) answers every operation named here from
this data alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from codegen.errors import ApigenError
from codegen.model import Member, ServiceModel, Shape, Waiter

Role = Literal["create", "read", "update", "delete"]


class StatementError(ApigenError):
    """A spec's ``resources`` statement that cannot be applied (found at /resources/NAME)."""

    fmt = "at /resources/{name}: {message}"


ROLES: tuple[Role, ...] = ("create", "read", "update", "delete")

CREATE_VERBS = ("Create", "Run", "Allocate", "Register", "Import", "Request", "Launch", "Put")
READ_VERBS = ("Describe", "Get", "List")
UPDATE_VERBS = ("Modify", "Update", "Put", "Set")
DELETE_VERBS = ("Delete", "Terminate", "Release", "Deregister", "Cancel")
TAG_VERBS = ("CreateTags", "DeleteTags", "DescribeTags", "TagResource", "UntagResource")

# Members no record is made of: the request's own machinery.
REQUEST_MACHINERY = frozenset(
    {"DryRun", "ClientToken", "NextToken", "MaxResults", "Marker", "MaxItems", "Limit"}
)

# State values by what they mean (for resources whose waiters do not say): compared in
# lower case with ``_`` and spaces read as ``-``.
READY_WORDS = (
    "available",
    "active",
    "running",
    "in-use",
    "completed",
    "complete",
    "create-complete",
    "ready",
    "in-service",
    "succeeded",
    "success",
    "enabled",
    "ok",
    "associated",
    "attached",
    "deployed",
    "issued",
    "fulfilled",
)
INITIAL_WORDS = (
    "pending",
    "creating",
    "create-in-progress",
    "provisioning",
    "in-progress",
    "starting",
    "initializing",
    "associating",
    "attaching",
    "pending-acceptance",
    "submitted",
    "queued",
)
DELETING_WORDS = (
    "deleting",
    "shutting-down",
    "delete-in-progress",
    "terminating",
    "deprovisioning",
    "disassociating",
    "detaching",
    "cancelling",
    "releasing",
)
DELETED_WORDS = (
    "deleted",
    "terminated",
    "delete-complete",
    "deprovisioned",
    "disassociated",
    "detached",
    "cancelled",
    "canceled",
    "released",
)
NOT_FOUND_WORDS = ("NotFound", "NoSuch", "DoesNotExist", "NotExist", "Nonexistent", "Unknown")
CONFLICT_WORDS = (
    "AlreadyExists",
    "AlreadyExist",
    "NameExists",
    "Duplicate",
    "Conflict",
    "ResourceInUse",
)

# EC2's resource ids: the prefix AWS gives each kind (ids are the prefix, ``-``, 17 hex digits;
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/ and the resource ids page). Keyed
# by the record's identifier member.
EC2_ID_PREFIXES = {
    "AllocationId": "eipalloc",
    "AssociationId": "eipassoc",
    "CapacityReservationFleetId": "crf",
    "CapacityReservationId": "cr",
    "CarrierGatewayId": "cagw",
    "ClientVpnEndpointId": "cvpn-endpoint",
    "CoipPoolId": "ipv4pool-coip",
    "CustomerGatewayId": "cgw",
    "DhcpOptionsId": "dopt",
    "EgressOnlyInternetGatewayId": "eigw",
    "ExportTaskId": "export-i",
    "FleetId": "fleet",
    "FlowLogId": "fl",
    "FpgaImageId": "afi",
    "GroupId": "sg",
    "HostId": "h",
    "ImageId": "ami",
    "ImportTaskId": "import-ami",
    "InstanceConnectEndpointId": "eice",
    "InstanceEventWindowId": "iew",
    "InstanceId": "i",
    "InternetGatewayId": "igw",
    "IpamId": "ipam",
    "IpamPoolId": "ipam-pool",
    "IpamResourceDiscoveryId": "ipam-res-disco",
    "IpamScopeId": "ipam-scope",
    "KeyPairId": "key",
    "LaunchTemplateId": "lt",
    "LocalGatewayRouteTableId": "lgw-rtb",
    "NatGatewayId": "nat",
    "NetworkAclId": "acl",
    "NetworkInsightsAccessScopeId": "nis",
    "NetworkInsightsPathId": "nip",
    "NetworkInterfaceId": "eni",
    "NetworkInterfacePermissionId": "eni-perm",
    "PlacementGroupId": "pg",
    "PrefixListId": "pl",
    "ReservationId": "r",
    "RouteServerEndpointId": "rse",
    "RouteServerId": "rs",
    "RouteServerPeerId": "rsp",
    "RouteTableId": "rtb",
    "SnapshotId": "snap",
    "SpotFleetRequestId": "sfr",
    "SpotInstanceRequestId": "sir",
    "SubnetId": "subnet",
    "TrafficMirrorFilterId": "tmf",
    "TrafficMirrorFilterRuleId": "tmfr",
    "TrafficMirrorSessionId": "tms",
    "TrafficMirrorTargetId": "tmt",
    "TransitGatewayAttachmentId": "tgw-attach",
    "TransitGatewayConnectPeerId": "tgw-connect-peer",
    "TransitGatewayId": "tgw",
    "TransitGatewayMulticastDomainId": "tgw-mcast-domain",
    "TransitGatewayPolicyTableId": "tgw-ptb",
    "TransitGatewayRouteTableId": "tgw-rtb",
    "VerifiedAccessEndpointId": "vae",
    "VerifiedAccessGroupId": "vagr",
    "VerifiedAccessInstanceId": "vai",
    "VerifiedAccessTrustProviderId": "vatp",
    "VolumeId": "vol",
    "VpcEndpointId": "vpce",
    "VpcEndpointConnectionNotificationId": "vpce-nfn",
    "VpcId": "vpc",
    "VpcPeeringConnectionId": "pcx",
    "VpnConnectionId": "vpn",
    "VpnGatewayId": "vgw",
}
# EC2's not-found codes that do not follow ``Invalid<Member without Id>ID.NotFound`` (from its
# documented error codes), keyed by the identifier member.
EC2_NOT_FOUND = {
    "GroupId": "InvalidGroup.NotFound",
    "KeyName": "InvalidKeyPair.NotFound",
    "KeyPairId": "InvalidKeyPair.NotFound",
    "ImageId": "InvalidAMIID.NotFound",
    "VolumeId": "InvalidVolume.NotFound",
    "SnapshotId": "InvalidSnapshot.NotFound",
    "DhcpOptionsId": "InvalidDhcpOptionID.NotFound",
    "LaunchTemplateId": "InvalidLaunchTemplateId.NotFound",
    "FlowLogId": "InvalidFlowLogId.NotFound",
    "VpcEndpointId": "InvalidVpcEndpointId.NotFound",
    "CapacityReservationId": "InvalidCapacityReservationId.NotFound",
    "PlacementGroupId": "InvalidPlacementGroup.Unknown",
    "GroupName": "InvalidPlacementGroup.Unknown",
}
# EC2's duplicate-name codes (``Invalid<Thing>.Duplicate``), keyed by the name member.
EC2_DUPLICATE = {
    "KeyName": "InvalidKeyPair.Duplicate",
    "GroupName": "InvalidGroup.Duplicate",
    "LaunchTemplateName": "InvalidLaunchTemplateName.AlreadyExistsException",
}


# -- the derived data --------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """One operation's part in a resource's lifecycle.

    ``id``: the input member that names the resource (``VpcId``), or names several when its
    shape is a list (``VpcIds``); ``records``: where records sit in the output (``Vpcs[]``,
    ``Reservations[].Instances[]``, ``Vpc``, ``""`` for the output's own members; None: the
    output holds none); ``filters``: the input member of EC2-style filters; ``count``: the
    input member saying how many to create (``MaxCount``); ``each``: the input list with one
    new record per item (``ResourceIds``: a flow log per resource, its ``ResourceId`` the
    item); ``token``: the idempotency token; ``state``: the state an update moves the resource
    to (``StopInstances``: ``stopped``, through ``stopping``).
    """

    operation: str
    role: Role
    id: str | None = None
    many: bool = False
    records: str | None = None
    filters: str | None = None
    count: str | None = None
    each: str | None = None
    token: str | None = None
    state: str | None = None  # an update that moves the resource to this state (StopInstances)
    stated: bool = False  # from the spec's resources section, not derived

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"operation": self.operation}
        for key in ("id", "records", "filters", "count", "each", "token", "state"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class States:
    """The state member of a record (a path in it: ``State``, ``State.Name``) and its values:
    ``initial`` a new record's (None: it starts ``ready``), ``ready`` where it settles,
    ``deleting``/``deleted`` after a delete (None: a deleted record is gone at once);
    ``keep_deleted``: a deleted record stays readable in state ``deleted``. ``waiters``:
    those that stated it."""

    member: str
    ready: str
    initial: str | None = None
    deleting: str | None = None
    deleted: str | None = None
    keep_deleted: bool = False
    waiters: tuple[str, ...] = ()
    # the number beside the state (EC2's State.Code) and each state's, as documented
    code: str | None = None
    codes: tuple[tuple[str, int], ...] = ()
    values: tuple[str, ...] = ()  # every value the state takes (its enum, or its waiters')

    def code_of(self, value: str) -> int | None:
        return dict(self.codes).get(value)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "member": self.member,
            "initial": self.initial,
            "ready": self.ready,
            "deleting": self.deleting,
            "deleted": self.deleted,
            "keepDeleted": self.keep_deleted,
        }
        if self.code is not None:
            out["code"] = {"member": self.code, "values": dict(self.codes)}
        return out


@dataclass(frozen=True)
class Identifier:
    """The record's identifier member and the format of a new one: a template with
    ``{hex:N}``, ``{digits:N}``, ``{alnum:N}``, ``{uuid}``, ``{region}``, ``{account}``,
    ``{partition}``, ``{name}`` (the value of the resource's name member), ``{id}``."""

    member: str
    format: str

    def to_json(self) -> dict[str, Any]:
        return {"member": self.member, "format": self.format}


@dataclass(frozen=True)
class Resource:
    name: str
    shape: str | None  # the record structure (None: the records are the create's input)
    identifier: Identifier
    bindings: tuple[Binding, ...]
    name_member: str | None = None  # unique per account and region: the conflict error's key
    arn: Identifier | None = None
    not_found: str | None = None
    conflict: str | None = None
    states: States | None = None
    tags: str | None = None  # the record's tags member
    stated: frozenset[str] = frozenset()  # fields the spec states

    def bindings_of(self, role: Role) -> tuple[Binding, ...]:
        return tuple(b for b in self.bindings if b.role == role)

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(b.operation for b in self.bindings)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"shape": self.shape, "identifier": self.identifier.to_json()}
        if self.arn is not None:
            out["arn"] = self.arn.to_json()
        out["name"] = self.name_member
        for role in ROLES:
            out[role] = [b.to_json() for b in self.bindings_of(role)]
        out["notFound"] = self.not_found
        out["conflict"] = self.conflict
        out["state"] = self.states.to_json() if self.states else None
        out["tags"] = self.tags
        return out


@dataclass(frozen=True)
class Tagging:
    """The service's tag operations: ``tag``/``untag``/``list`` (None where it has none);
    ``ids`` the input member naming the resource(s), ``tags`` the tags member, ``keys`` the
    untag keys member."""

    tag: str | None
    untag: str | None
    list: str | None
    ids: str
    many: bool
    tags: str
    keys: str | None = None
    filters: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "untag": self.untag,
            "list": self.list,
            "ids": self.ids,
            "tags": self.tags,
            "keys": self.keys,
        }


@dataclass(frozen=True)
class ServiceResources:
    service: str
    resources: tuple[Resource, ...]
    tagging: Tagging | None = None
    # operations of the families above that no resource took, with the reason
    unmatched: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> Resource | None:
        for resource in self.resources:
            if resource.name == name:
                return resource
        return None

    def by_operation(self) -> dict[str, tuple[Resource, Binding]]:
        """Operation name -> the resource and binding that answer it."""
        out: dict[str, tuple[Resource, Binding]] = {}
        for resource in self.resources:
            for binding in resource.bindings:
                out.setdefault(binding.operation, (resource, binding))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "resources": {r.name: r.to_json() for r in self.resources},
            "tagging": self.tagging.to_json() if self.tagging else None,
            "unmatched": {op: reason for op, reason in self.unmatched},
        }

    def describe(self) -> list[str]:
        """Readable lines: one block per resource, then what was left unmatched."""
        lines: list[str] = []
        for r in self.resources:
            stated = f" (stated: {', '.join(sorted(r.stated))})" if r.stated else ""
            lines.append(f"{r.name}{stated}")
            lines.append(f"  record: {r.shape or '(the create input)'}")
            lines.append(f"  identifier: {r.identifier.member} ({r.identifier.format})")
            if r.arn is not None:
                lines.append(f"  arn: {r.arn.member} ({r.arn.format})")
            if r.name_member:
                lines.append(f"  unique name: {r.name_member}")
            for role in ROLES:
                for b in r.bindings_of(role):
                    parts = []
                    if b.id:
                        parts.append(f"id {b.id}{'[]' if b.many else ''}")
                    if b.records is not None:
                        parts.append(f"records {b.records or '(output members)'}")
                    if b.filters:
                        parts.append(f"filters {b.filters}")
                    if b.count:
                        parts.append(f"count {b.count}")
                    if b.each:
                        parts.append(f"one per {b.each}[]")
                    if b.token:
                        parts.append(f"token {b.token}")
                    if b.state:
                        parts.append(f"to {b.state}")
                    shown = f" ({', '.join(parts)})" if parts else ""
                    lines.append(f"  {role}: {b.operation}{shown}")
            lines.append(f"  not found: {r.not_found or '-'}")
            if r.conflict:
                lines.append(f"  conflict: {r.conflict}")
            if r.states is not None:
                s = r.states
                path = " -> ".join(v for v in (s.initial, s.ready) if v is not None)
                if s.keep_deleted:
                    gone = (s.deleting, s.deleted)
                    path += " -> " + " -> ".join(v for v in gone if v) + " (stays readable)"
                elif r.bindings_of("delete"):
                    last = s.deleting or s.deleted
                    path += "; a delete removes it" + (f" (answering {last})" if last else "")
                via = f" (waiters {', '.join(s.waiters)})" if s.waiters else ""
                lines.append(f"  state: {s.member}: {path}{via}")
            if r.tags:
                lines.append(f"  tags: {r.tags}")
        if self.tagging is not None:
            t = self.tagging
            ops = ", ".join(op for op in (t.tag, t.untag, t.list) if op)
            lines.append(f"tagging: {ops} (resources by {t.ids})")
        lines.append(
            f"{len(self.resources)} resource(s), {sum(len(r.bindings) for r in self.resources)} "
            f"operation(s) answered from state; {len(self.unmatched)} lifecycle-like "
            "operation(s) not matched"
        )
        for op, reason in self.unmatched:
            lines.append(f"  not matched: {op}: {reason}")
        return lines


# -- paths in values ---------------------------------------------------------------------


def path_steps(path: str) -> list[tuple[str, bool]]:
    """``"Reservations[].Instances[]"`` -> ``[("Reservations", True), ("Instances", True)]``;
    ``""`` -> ``[]``."""
    if not path:
        return []
    steps = []
    for part in path.split("."):
        many = part.endswith("[]")
        steps.append((part[:-2] if many else part, many))
    return steps


def shape_at(model: ServiceModel, root: str, path: str) -> Shape | None:
    """The shape ``path`` leads to from structure ``root`` (a list step: its item), or None."""
    shape = model.shapes.get(root)
    for name, many in path_steps(path):
        if shape is None or shape.type != "structure" or name not in shape.members:
            return None
        shape = model.shapes.get(shape.members[name].shape)
        if many:
            if shape is None or shape.type != "list" or shape.member is None:
                return None
            shape = model.shapes.get(shape.member.shape)
    return shape


# -- names ----------------------------------------------------------------------------------


def split_name(operation: str) -> tuple[str, str]:
    """``DescribeVpcs`` -> ``("Describe", "Vpcs")``."""
    match = re.match(r"[A-Z][a-z]+", operation)
    if match is None:
        return "", operation
    return match.group(0), operation[match.end() :]


def singulars(noun: str) -> list[str]:
    """The forms ``noun`` may be the plural of, itself included (``Addresses`` -> Addresses,
    Address, Addresse; ``Policies`` -> Policy)."""
    forms = [noun]
    if noun.endswith("ies") and len(noun) > 3:
        forms.append(noun[:-3] + "y")
    if noun.endswith("es") and len(noun) > 2:
        forms.append(noun[:-2])
    if noun.endswith("s") and not noun.endswith("ss"):
        forms.append(noun[:-1])
    return forms


def plural_of(member: str, singular: str) -> bool:
    """Whether ``member`` names a list of ``singular`` (``VpcIds`` of ``VpcId``)."""
    return singular in singulars(member) and member != singular


def words(value: str) -> str:
    return value.lower().replace("_", "-").replace(" ", "-")


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# -- derivation ------------------------------------------------------------------------------


@dataclass
class _Read:
    operation: str
    verb: str
    noun: str
    records: str  # path
    record: Shape | None  # None: the records are identifiers (strings)
    id_member: str | None = None
    many: bool = False
    filters: str | None = None


@dataclass
class _Draft:
    name: str
    shape: Shape | None
    nouns: set[str] = field(default_factory=set)
    reads: list[_Read] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    identifier: str | None = None


def derive_resources(model: ServiceModel) -> ServiceResources:
    """Every resource the model's operations, shapes and waiters reveal (no spec statements
    applied: see :func:`resources_for`)."""
    return _Deriver(model).run()


def resources_for(model: ServiceModel) -> ServiceResources:
    """The derived resources with the spec's ``resources`` statements applied."""
    derived = derive_resources(model)
    if not model.resources:
        return derived
    return apply_statements(model, derived, model.resources)


def _with_reads(resource: Resource, reads: Sequence[Binding]) -> Resource:
    """``resource`` with more reads, after its creates and reads (before updates, deletes)."""
    if not reads:
        return resource
    bindings = list(resource.bindings)
    at = max(i for i, b in enumerate(bindings) if b.role in ("create", "read")) + 1
    return replace(resource, bindings=(*bindings[:at], *reads, *bindings[at:]))


class _Deriver:
    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self.ec2 = model.metadata.protocol == "ec2"
        self.unmatched: dict[str, str] = {}
        self.used: set[str] = set()
        self.record_shapes: set[str] = set()
        self.nouns_of: dict[str, set[str]] = {}  # resource name -> its nouns

    # -- shapes ------------------------------------------------------------------------

    def shape(self, name: str | None) -> Shape | None:
        return self.model.shapes.get(name) if name else None

    def members(self, name: str | None) -> Mapping[str, Member]:
        shape = self.shape(name)
        return shape.members if shape is not None and shape.type == "structure" else {}

    def item(self, member: Member) -> Shape | None:
        shape = self.shape(member.shape)
        if shape is None or shape.type != "list" or shape.member is None:
            return None
        return self.shape(shape.member.shape)

    def tokens(self, operation: str) -> set[str]:
        pagination = self.model.operations[operation].pagination
        if pagination is None:
            return set()
        out = set()
        for token in (pagination.output_token, pagination.input_token):
            for t in (token,) if isinstance(token, str) else token:
                if re.fullmatch(r"[A-Za-z0-9_]+", t.strip()):
                    out.add(t.strip())  # not StreamDescription.Shards[-1].ShardId's head
        if pagination.limit_key:
            out.add(pagination.limit_key)
        return out

    # -- reads --------------------------------------------------------------------------

    def read_of(self, operation: str) -> _Read | None:
        verb, noun = split_name(operation)
        op = self.model.operations[operation]
        outputs = self.members(op.output)
        if not outputs:
            return None
        skip = self.tokens(operation) | REQUEST_MACHINERY
        if noun.endswith(("Attribute", "Attributes")):
            return _Read(operation, verb, noun, "", None)  # the output's own members
        nouns = singulars(noun)
        lists: list[tuple[str, Shape | None]] = []
        for name, member in outputs.items():
            if name in skip:
                continue
            item = self.item(member)
            if item is None:
                continue
            if item.type == "structure":
                inner = [
                    (f"{name}[].{n}[]", self.item(m))
                    for n, m in item.members.items()
                    if (sub := self.item(m)) is not None
                    and sub.type == "structure"
                    and sub.name in nouns
                ]
                if inner and item.name not in nouns:
                    lists.extend(inner)
                else:
                    lists.append((f"{name}[]", item))
            elif item.type == "string" and verb == "List":
                lists.append((f"{name}[]", None))
        if lists:
            matching: list[tuple[str, Shape | None]] = (
                [(p, s) for p, s in lists if s is not None and s.name in nouns]
                or [(p, s) for p, s in lists if path_steps(p)[-1][0] in nouns]
                or [  # ListStreams: StreamNames[] (the identifiers) beside StreamSummaries[]
                    (p, s)
                    for p, s in lists
                    if s is None
                    and re.fullmatch(
                        f"({'|'.join(map(re.escape, nouns))})(Name|Id|Arn|ARN|Url)s",
                        path_steps(p)[-1][0],
                    )
                ]
            )
            if len(matching) == 1:
                path, shape = matching[0]
                return _Read(operation, verb, noun, path, shape)
            if matching:
                return None
        structures = [
            (name, s)
            for name, m in outputs.items()
            if name not in skip
            and (s := self.shape(m.shape)) is not None
            and s.type == "structure"
        ]
        # a structure named after the noun (IAM's GetGroup: Group, beside its Users[])
        named = [(n, s) for n, s in structures if n in nouns or s.name in nouns]
        if len(named) == 1:
            return _Read(operation, verb, noun, named[0][0], named[0][1])
        own_id = verb != "List" and any(  # MediaLive's DescribeMultiplex: Id, Destinations[]
            n.lower() in ("id", "arn") and self.is_scalar(m) for n, m in outputs.items()
        )
        if len(lists) == 1 and not own_id:
            path, shape = lists[0]
            return _Read(operation, verb, noun, path, shape)
        # a Describe/Get whose output is the record itself, flat, beside lists of its own
        # (Secrets Manager's DescribeSecret: ARN, Name, ..., Tags[], ReplicationStatus[])
        flat = verb != "List" and (
            {"Name", "ARN"} <= set(outputs)
            or any(
                n in outputs and self.is_scalar(outputs[n])
                for each in nouns
                for n in (f"{each}Id", f"{each}Name", f"{each}Arn", f"{each}ARN")
            )
            # rest-json's own members (neptune-graph's GetGraph: id, name, arn; MediaLive's
            # DescribeChannel: Id, Arn, beside Destinations[])
            or any(n.lower() in ("id", "arn") and self.is_scalar(m) for n, m in outputs.items())
        )
        if (lists and not flat) or verb == "List":
            return None
        if len(structures) == 1 and len(outputs) - len(skip & set(outputs)) == 1:
            name, shape = structures[0]
            return _Read(operation, verb, noun, name, shape)
        return _Read(operation, verb, noun, "", None)  # the output's own members

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> ServiceResources:
        self.index()
        drafts: dict[str, _Draft] = {}
        flat: list[_Read] = []
        for operation in self.model.operations:
            verb, noun = split_name(operation)
            if verb not in READ_VERBS or operation in TAG_VERBS or noun.startswith("TagsFor"):
                continue
            read = self.read_of(operation)
            if read is None:
                self.unmatched[operation] = "no list or structure of records in its output"
                continue
            if read.record is None:
                flat.append(read)
                continue
            draft = drafts.get(read.record.name)
            if draft is None:
                draft = drafts[read.record.name] = _Draft(read.record.name, read.record)
            draft.reads.append(read)
            draft.nouns.update(singulars(noun))
            draft.nouns.add(read.record.name)
        self.record_shapes = set(drafts)
        resources: list[Resource] = []
        views: list[_Read] = []
        for draft in drafts.values():
            resource = self.finish(draft, flat)
            if resource is not None:
                resources.append(resource)
            else:
                views.extend(draft.reads)
        resources += self.shapeless(flat, {r.name for r in resources})
        resources += self.flat_resources(flat, {r.name for r in resources})
        # views join flat resources too (aiops' ListInvestigationGroups lists summaries of
        # what GetInvestigationGroup answers as its output's own members)
        resources = [self.with_views(resource, views) for resource in resources]
        resources = self.merge_summaries(resources)
        for read in flat:
            if read.operation not in self.used:
                self.unmatched.setdefault(
                    read.operation, "its output holds no records of a resource with a create"
                )
        for operation in self.model.operations:
            verb, _ = split_name(operation)
            if (
                verb in CREATE_VERBS + DELETE_VERBS
                and operation not in self.used
                and operation not in TAG_VERBS
            ):
                self.unmatched.setdefault(operation, "no read of its resource found")
        tagging = self.tagging()
        return ServiceResources(
            self.model.name,
            tuple(sorted(resources, key=lambda r: r.name)),
            tagging,
            tuple(sorted(self.unmatched.items())),
        )

    def finish(self, draft: _Draft, flat: list[_Read]) -> Resource | None:
        shape = draft.shape
        assert shape is not None
        # list reads first (DescribeVpcs), then single ones
        draft.reads.sort(key=lambda r: (not r.records.endswith("[]"), r.operation))
        deletes = self.candidates(draft, DELETE_VERBS)
        identifier = self.identifier(draft, deletes)
        creates = self.creates(draft, identifier)
        if not creates:
            for read in draft.reads:
                self.unmatched.setdefault(read.operation, f"no create of {draft.name} found")
            return None
        if identifier is None:
            for read in draft.reads:
                self.unmatched.setdefault(
                    read.operation, f"no identifier member found in {draft.name}"
                )
            return None
        bindings: list[Binding] = []
        for operation, path in creates:
            inputs = self.members(self.model.operations[operation].input)
            token = next(
                (
                    n
                    for n, m in inputs.items()
                    if m.traits.get("idempotencyToken") or m.documented.idempotency_token
                ),
                "ClientToken" if "ClientToken" in inputs else None,
            )
            many = path is not None and path.endswith("[]")
            count = "MaxCount" if many and "MaxCount" in inputs else None
            each = None
            if many and count is None:  # one record per item (ResourceIds)
                each = next(
                    (
                        n
                        for n, m in inputs.items()
                        if self.item(m) is not None
                        and any(plural_of(n, r) for r in shape.members if r != identifier)
                    ),
                    None,
                )
            bindings.append(
                Binding(operation, "create", records=path, count=count, each=each, token=token)
            )
        nouns = draft.nouns
        for read in draft.reads:
            id_member, many = self.id_input(read.operation, identifier, nouns)
            filters = (
                "Filters"
                if "Filters" in self.members(self.model.operations[read.operation].input)
                else (
                    "Filter"
                    if "Filter" in self.members(self.model.operations[read.operation].input)
                    else None
                )
            )
            if read.records.endswith("[]") or id_member is not None:
                bindings.append(
                    Binding(
                        read.operation,
                        "read",
                        id=id_member,
                        many=many,
                        records=read.records,
                        filters=filters,
                    )
                )
        for read in flat:  # DescribeVpcAttribute: the output's members, by the identifier
            noun = read.noun.removesuffix("Attributes").removesuffix("Attribute")
            if read.operation in self.used or not self.noun_matches(noun, draft):
                continue
            if read.records:  # ListStreams: the identifiers (StreamNames[])
                bindings.append(Binding(read.operation, "read", records=read.records))
                continue
            id_member, many = self.id_input(read.operation, identifier, nouns)
            if id_member is not None and not many:
                bindings.append(Binding(read.operation, "read", id=id_member, records=""))
        for operation in self.candidates(draft, UPDATE_VERBS):
            if any(b.operation == operation for b in bindings):
                continue
            id_member, many = self.id_input(operation, identifier, nouns)
            if id_member is not None:
                bindings.append(Binding(operation, "update", id=id_member, many=many))
        for operation in deletes:
            id_member, many = self.id_input(operation, identifier, nouns)
            if id_member is not None:
                bindings.append(Binding(operation, "delete", id=id_member, many=many))
        if not any(b.role == "read" for b in bindings):
            return None
        for b in bindings:
            self.used.add(b.operation)
        self.nouns_of[draft.name] = set(draft.nouns)
        members = shape.members
        name_member = self.name_member(draft, creates, identifier)
        arn = next(
            (n for n in members if n.endswith("Arn") and n[:-3] in draft.nouns | {""}),
            None,
        )
        resource = Resource(
            name=draft.name,
            shape=shape.name,
            identifier=Identifier(
                identifier, self.id_format(draft, identifier, name_member, bindings)
            ),
            bindings=tuple(bindings),
            name_member=name_member,
            arn=Identifier(arn, self.arn_format(draft, member=arn))
            if arn and arn != identifier
            else None,
            tags="Tags" if "Tags" in members else ("TagSet" if "TagSet" in members else None),
        )
        states = self.states(resource)
        if states is not None:
            bindings += self.state_changes(draft, identifier, states, bindings)
            bindings.sort(key=lambda b: ROLES.index(b.role))  # stable: the model's order within
        return replace(
            resource,
            bindings=tuple(bindings),
            not_found=self.not_found(resource),
            conflict=self.conflict(resource),
            states=states,
        )

    def state_changes(
        self, draft: _Draft, identifier: str, states: States, bindings: list[Binding]
    ) -> list[Binding]:
        """``Stop<Noun>`` to the ``stopped`` state (through ``stopping``), ``Start<Noun>`` back
        to the state a new one settles in (through its first): the states the waiters name."""
        found = []
        taken = {b.operation for b in bindings}
        for operation in self.candidates(draft, ("Stop", "Start")):
            verb, _ = split_name(operation)
            target = states.ready if verb == "Start" else None
            if verb == "Stop":
                target = next((v for v in states.values if words(v) == "stopped"), None)
            id_member, many = self.id_input(operation, identifier, draft.nouns)
            if target is None or id_member is None or operation in taken:
                continue
            found.append(Binding(operation, "update", id=id_member, many=many, state=target))
            self.used.add(operation)
            self.unmatched.pop(operation, None)
        return found

    def shapeless(self, flat: list[_Read], taken: set[str]) -> list[Resource]:
        """Resources no structure describes (SQS's queues): a create whose answer is one
        identifier (``CreateQueue`` -> ``QueueUrl``) that a delete of the same noun takes; the
        record is what the create was given. Reads of the noun answer from it: by identifier
        (``GetQueueAttributes``), by name (``GetQueueUrl``), the identifiers (``ListQueues``)."""
        found: list[Resource] = []
        for operation, op in self.model.operations.items():
            verb, noun = split_name(operation)
            if verb != "Create" or operation in self.used or noun in taken:
                continue
            outputs = {n: m for n, m in self.members(op.output).items() if self.is_scalar(m)}
            if len(outputs) != 1 or len(self.members(op.output)) != 1:
                continue
            (identifier,) = outputs
            draft = _Draft(noun, None, set(singulars(noun)))
            deletes = [
                d for d in self.candidates(draft, DELETE_VERBS) if identifier in self.required(d)
            ]
            if not deletes:
                continue
            inputs = self.shape(op.input)
            required = inputs.required if inputs is not None else ()
            name_member = next((n for n in required if n == f"{noun}Name"), None)
            bindings = [Binding(operation, "create", records="")]
            for read in flat:
                base = re.sub(r"(Url|Arn|Id|Name|Attributes|Attribute)$", "", read.noun)
                if read.operation in self.used or not any(
                    f in draft.nouns for f in singulars(base) + singulars(read.noun)
                ):
                    continue
                if read.records:  # ListQueues: QueueUrls[]
                    if path_steps(read.records)[-1][0] == f"{identifier}s":
                        bindings.append(Binding(read.operation, "read", records=read.records))
                    continue
                read_inputs = self.members(self.model.operations[read.operation].input)
                by = identifier if identifier in read_inputs else name_member
                if by is not None and by in read_inputs:
                    bindings.append(Binding(read.operation, "read", id=by, records=""))
            for update in self.candidates(draft, UPDATE_VERBS):
                if identifier in self.required(update):
                    bindings.append(Binding(update, "update", id=identifier))
            bindings += [Binding(d, "delete", id=identifier) for d in deletes]
            if not any(b.role == "read" for b in bindings):
                continue
            for b in bindings:
                self.used.add(b.operation)
                self.unmatched.pop(b.operation, None)
            fmt = (
                f"https://{self.model.metadata.endpoint_prefix}.{{region}}.amazonaws.com/"
                "{account}/{name}"
                if identifier.endswith("Url") and name_member
                else "{name}"
                if name_member and identifier == name_member
                else "{uuid}"
            )
            resource = Resource(
                name=noun,
                shape=None,
                identifier=Identifier(identifier, fmt),
                bindings=tuple(bindings),
                name_member=name_member,
            )
            found.append(
                replace(
                    resource,
                    not_found=self.not_found(resource),
                    conflict=self.conflict(resource),
                    tags=next((t for t in ("Tags", "tags") if t in self.members(op.input)), None),
                )
            )
            self.nouns_of[noun] = draft.nouns
        return found

    def flat_resources(self, flat: list[_Read], taken: set[str]) -> list[Resource]:
        """Resources whose read answers the record as its output's own members, by one
        identifier it requires (neptune-graph's ``GetGraph(graphIdentifier)`` -> ``id``,
        ``name``, ``arn``, ``status``...): the record is that output's structure; its create
        is a create of the noun whose answer holds the identifier (its own members, or a
        structure that holds them: MediaLive's ``CreateChannel`` -> ``Channel``), or that is
        given it (a name); its deletes and updates those of the noun that take the same input.
        The identifier is the output member the input names (``ChannelId`` -> ``Id``,
        ``graphIdentifier`` -> ``id``, else ``arn``, else ``name``)."""
        found: list[Resource] = []
        known = set(taken) | {n for nouns in self.nouns_of.values() for n in nouns}
        for read in flat:
            op = self.model.operations[read.operation]
            if (
                read.verb == "List"
                or read.records
                or read.operation in self.used
                or op.output is None
                or any(f in known for f in singulars(read.noun))
            ):
                continue
            draft = _Draft(read.noun, self.shape(op.output), set(singulars(read.noun)))
            shape = draft.shape
            assert shape is not None
            id_in = self.flat_id_input(read.operation, draft.nouns)
            if id_in is None:
                continue
            identifier = self.flat_identifier(id_in, draft.nouns, shape.members)
            if identifier is None:
                continue
            creates: list[Binding] = []
            for operation in self.candidates(draft, (*CREATE_VERBS, "Start")):
                if split_name(operation)[0] == "Start" and (
                    id_in in self.required(operation)
                    or self.flat_id_input(operation, draft.nouns) is not None
                ):
                    continue  # StartGraph starts one that exists; StartExportTask makes one
                path = self.flat_create_path(operation, identifier, id_in)
                if path is not None:
                    creates.append(Binding(operation, "create", records=path))
            if any(split_name(b.operation)[0] != "Put" for b in creates):
                creates = [b for b in creates if split_name(b.operation)[0] != "Put"]
            if not creates:
                continue
            bindings = [*creates, Binding(read.operation, "read", id=id_in, records="")]
            for role, verbs in (("update", UPDATE_VERBS), ("delete", DELETE_VERBS)):
                for operation in self.candidates(draft, verbs):
                    if operation in self.used or operation == read.operation:
                        continue
                    by = self.flat_id_input(operation, draft.nouns, prefer=id_in)
                    if by is not None:
                        bindings.append(Binding(operation, role, id=by))  # type: ignore[arg-type]
            known.update(draft.nouns)
            name_member = identifier if identifier.lower() == "name" else None
            resource = Resource(
                name=read.noun,
                shape=shape.name,
                identifier=Identifier(
                    identifier, self.id_format(draft, identifier, name_member, bindings)
                ),
                bindings=tuple(bindings),
                name_member=name_member,
            )
            states = self.states(resource)
            if states is not None:
                bindings += self.state_changes(draft, id_in, states, bindings)
                bindings.sort(key=lambda b: ROLES.index(b.role))
            for b in bindings:
                self.used.add(b.operation)
                self.unmatched.pop(b.operation, None)
            self.nouns_of[read.noun] = draft.nouns
            found.append(
                replace(
                    resource,
                    bindings=tuple(bindings),
                    not_found=self.not_found(resource),
                    conflict=self.conflict(resource),
                    states=states,
                    tags=next((t for t in ("Tags", "tags") if t in shape.members), None),
                )
            )
        return found

    def flat_id_input(
        self, operation: str, nouns: Iterable[str], prefer: str | None = None
    ) -> str | None:
        """The one required string input naming a resource of ``nouns`` (``ChannelId``,
        ``graphIdentifier``, ``proxyIdentifier``), or ``prefer`` where the input has it."""
        required = self.required(operation)
        inputs = self.members(self.model.operations[operation].input)
        if prefer is not None and prefer in required:
            return prefer
        lowered = {n.lower() for n in nouns}
        for name in required:
            match = re.fullmatch(r"(.*?)(Id|Identifier|Name|Arn|ARN)", name, re.IGNORECASE)
            if match is None or name not in inputs or not self.is_scalar(inputs[name]):
                continue
            head = match.group(1).lower()
            # the noun (ChannelId), its last word (GetGraphSnapshot's snapshotIdentifier), or
            # nothing when it is all the read requires (GetSignalMap's Identifier)
            if (head and any(n.endswith(head) for n in lowered)) or (
                not head and len(required) == 1
            ):
                return name
        return None

    def flat_identifier(
        self, id_in: str, nouns: Iterable[str], members: Mapping[str, Member]
    ) -> str | None:
        """The output member ``id_in`` names: itself, else by its suffix (``Id``,
        ``Identifier``: ``id``, then ``arn``, then ``name``; ``Arn``; ``Name``)."""
        if id_in in members and self.is_scalar(members[id_in]):
            return id_in
        suffix = next(
            (
                s
                for s in ("Identifier", "Id", "Arn", "ARN", "Name")
                if id_in.lower().endswith(s.lower())
            ),
            "",
        )
        wanted = {
            "identifier": ("id", "arn", "name"),
            "id": ("id",),
            "arn": ("arn",),
            "name": ("name",),
        }.get(suffix.lower(), ())
        by_lower = {n.lower(): n for n, m in members.items() if self.is_scalar(m)}
        head = id_in[: len(id_in) - len(suffix)].lower()
        for want in wanted:
            if want in by_lower:
                return by_lower[want]
            if head and f"{head}{want}" in by_lower:  # taskIdentifier: taskId
                return by_lower[f"{head}{want}"]
            for noun in nouns:
                if f"{noun.lower()}{want}" in by_lower:
                    return by_lower[f"{noun.lower()}{want}"]
        return None

    def flat_create_path(self, operation: str, identifier: str, id_in: str) -> str | None:
        """Where a create's answer holds the record (``""``: its own members; a structure
        member that holds the identifier), or ``""`` for a create given the identifier."""
        outputs = self.members(self.model.operations[operation].output)
        if identifier in outputs and self.is_scalar(outputs[identifier]):
            return ""
        for name, member in outputs.items():
            inner = self.members(member.shape)
            if identifier in inner and self.is_scalar(inner[identifier]):
                return name
        if identifier in self.required(operation) or id_in in self.required(operation):
            return ""
        return None

    def required(self, operation: str) -> tuple[str, ...]:
        shape = self.shape(self.model.operations[operation].input)
        return shape.required if shape is not None else ()

    def with_views(self, resource: Resource, reads: list[_Read]) -> Resource:
        """``resource`` with the list reads of other structures that hold its identifier and
        take its ids (DescribeInstanceStatus of instances): records made from the resource's,
        member by member."""
        found = []
        for read in reads:
            if read.operation in self.used or read.record is None:
                continue
            if resource.identifier.member not in read.record.members:
                continue
            id_member, many = self.id_input(read.operation, resource.identifier.member)
            listing = read.verb == "List" and read.records.endswith("[]")
            nouns = self.nouns_of.get(resource.name, set())
            if listing and id_member is None and any(f in nouns for f in singulars(read.noun)):
                pass  # ListGlobalTables: every stored one, as summaries
            elif id_member is None or many != read.records.endswith("[]"):
                continue
            inputs = self.members(self.model.operations[read.operation].input)
            filters = next((f for f in ("Filters", "Filter") if f in inputs), None)
            found.append(
                Binding(
                    read.operation,
                    "read",
                    id=id_member,
                    many=many,
                    records=read.records,
                    filters=filters,
                )
            )
            self.used.add(read.operation)
            self.unmatched.pop(read.operation, None)
        return _with_reads(resource, found)

    def merge_summaries(self, resources: list[Resource]) -> list[Resource]:
        """A resource read only by lists without identifiers whose creates are another's, and
        whose records hold that other's identifier, is a view of it (ACM's
        ``AcmeEndpointSummary``: what ListAcmeEndpoints answers of what CreateAcmeEndpoint makes
        and GetAcmeEndpoint reads): its list reads join the other, and it is no resource of its
        own (a lifecycle of it had no read by identifier, and took the other's list)."""
        merged = {r.name: r for r in resources}
        for view in resources:
            reads = view.bindings_of("read")
            creates = {b.operation for b in view.bindings_of("create")}
            if view.shape is None or not reads or not creates or any(b.id for b in reads):
                continue
            record = self.members(view.shape)
            owners = [
                r
                for r in merged.values()
                if r.name != view.name
                and creates & {b.operation for b in r.bindings_of("create")}
                and any(b.id for b in r.bindings_of("read"))
                and r.identifier.member in record
            ]
            if len(owners) != 1:
                continue
            owner = owners[0]
            known = {b.operation for b in owner.bindings}
            merged[owner.name] = _with_reads(owner, [b for b in reads if b.operation not in known])
            del merged[view.name]
        return list(merged.values())

    def noun_matches(self, noun: str, draft: _Draft) -> bool:
        return any(form in draft.nouns for form in singulars(noun))

    def index(self) -> None:
        """Operations by each singular form of their noun, and by each structure their output
        holds (directly or in a list): what the matching below looks up."""
        self.by_noun: dict[str, list[str]] = {}
        self.by_output: dict[str, list[str]] = {}
        for operation, op in self.model.operations.items():
            _, noun = split_name(operation)
            forms = set(singulars(noun))
            forms.update(singulars(noun.removesuffix("Attribute").removesuffix("Attributes")))
            for form in forms:
                self.by_noun.setdefault(form, []).append(operation)
            held = {op.output} if op.output else set()
            for member in self.members(op.output).values():
                held.add(member.shape)
                item = self.item(member)
                if item is not None:
                    held.add(item.name)
            for name in held:
                self.by_output.setdefault(name, []).append(operation)

    def related(self, draft: _Draft) -> list[str]:
        """The operations whose noun is one of the draft's, or whose output holds its record,
        in the model's order."""
        names: set[str] = set()
        for noun in draft.nouns:
            names.update(self.by_noun.get(noun, ()))
        if draft.shape is not None:
            names.update(self.by_output.get(draft.shape.name, ()))
            for read in draft.reads:  # RunInstances: its output is DescribeInstances' envelope
                steps = path_steps(read.records)
                if len(steps) == 2:
                    outer = shape_at(
                        self.model,
                        self.model.operations[read.operation].output or "",
                        f"{steps[0][0]}[]",
                    )
                    if outer is not None:
                        names.update(self.by_output.get(outer.name, ()))
        return [op for op in self.model.operations if op in names]

    def candidates(self, draft: _Draft, verbs: Sequence[str]) -> list[str]:
        found = []
        for operation in self.related(draft):
            verb, noun = split_name(operation)
            if verb in verbs and operation not in TAG_VERBS:
                attribute = noun.removesuffix("Attribute").removesuffix("Attributes")
                if self.noun_matches(noun, draft) or (
                    verb in UPDATE_VERBS
                    and attribute != noun
                    and self.noun_matches(attribute, draft)
                ):
                    found.append(operation)
        return found

    def creates(self, draft: _Draft, identifier: str | None) -> list[tuple[str, str | None]]:
        """(operation, where the record sits in its output) of each create."""
        shape = draft.shape
        assert shape is not None
        out: list[tuple[str, str | None]] = []
        nested = next((r.records for r in draft.reads if r.records.count("[]") == 2), None)
        for operation in self.related(draft):
            op = self.model.operations[operation]
            verb, noun = split_name(operation)
            if verb not in CREATE_VERBS or operation in TAG_VERBS:
                continue
            outputs = self.members(op.output)
            path: str | None = None
            for name, member in outputs.items():
                target = self.shape(member.shape)
                if target is not None and target.name == shape.name:
                    path = name
                elif (item := self.item(member)) is not None and item.name == shape.name:
                    path = f"{name}[]"
            if path is None and nested is not None and op.output is not None:
                outer = shape_at(
                    self.model,
                    self.model.operations[draft.reads[0].operation].output or "",
                    nested.split(".")[0],
                )
                if outer is not None and outer.name == op.output:
                    path = nested.split(".", 1)[1]
            if path is None and op.output == shape.name:
                path = ""  # the output is the record itself (CreateVolume)
            if path is None and identifier is not None and self.noun_matches(noun, draft):
                # IAM's CreateAccessKey: an AccessKey, which holds the identifier
                path = next(
                    (
                        name
                        for name, member in outputs.items()
                        if identifier in self.members(member.shape)
                    ),
                    None,
                )
            if path is None and self.noun_matches(noun, draft) and verb != "Put":
                if set(outputs) & set(shape.members):
                    path = ""  # the output holds some of the record's members (AllocateAddress)
                else:  # the output lists the new records' identifiers (FlowLogIds)
                    path = next(
                        (
                            f"{name}[]"
                            for name, member in outputs.items()
                            if (item := self.item(member)) is not None
                            and item.type == "string"
                            and any(plural_of(name, m) for m in shape.members)
                        ),
                        None,
                    )
            if path is not None:
                out.append((operation, path))
            elif (
                self.noun_matches(noun, draft)
                and verb != "Put"
                and not any(self.holds_records(m) for m in outputs.values())
            ):
                out.append((operation, None))  # CreateStream: answers no record
        # Put creates only when nothing else does (elsewhere it updates)
        if any(split_name(o)[0] != "Put" for o, _ in out):
            out = [(o, p) for o, p in out if split_name(o)[0] != "Put"]
        return out

    def holds_records(self, member: Member) -> bool:
        """Whether an output member holds records of some read (ImportInstance's
        ConversionTask: that create makes a conversion task, not an instance)."""
        shape = self.shape(member.shape)
        item = self.item(member)
        return (shape is not None and shape.name in self.record_shapes) or (
            item is not None and item.name in self.record_shapes
        )

    def identifier(self, draft: _Draft, deletes: list[str]) -> str | None:
        shape = draft.shape
        assert shape is not None
        members = shape.members
        for operation in deletes:
            inputs = self.members(self.model.operations[operation].input)
            op_input = self.shape(self.model.operations[operation].input)
            required = op_input.required if op_input is not None else ()
            for name in [*required, *inputs]:
                if name in members and self.is_scalar(members[name]):
                    return name
                for noun in draft.nouns:  # IAM's DeletePolicy(PolicyArn): the policy's Arn
                    suffix = name[len(noun) :]
                    if (
                        name.startswith(noun)
                        and suffix in ("Id", "Name", "Arn")
                        and suffix in members
                        and self.is_scalar(members[suffix])
                    ):
                        return suffix
                for singular in members:
                    if plural_of(name, singular) and self.is_scalar(members[singular]):
                        return singular
        for read in draft.reads:
            for name in self.members(self.model.operations[read.operation].input):
                for singular in members:
                    if plural_of(name, singular) and self.is_scalar(members[singular]):
                        return singular
        for noun in sorted(draft.nouns, key=len, reverse=True):
            for suffix in ("Id", "Name", "Arn"):
                if f"{noun}{suffix}" in members:
                    return f"{noun}{suffix}"
        for name in ("Id", "Name", "Arn"):
            if name in members:
                return name
        return None

    def is_scalar(self, member: Member) -> bool:
        shape = self.shape(member.shape)
        return shape is not None and shape.type == "string"

    def id_input(
        self, operation: str, identifier: str, nouns: Iterable[str] = ()
    ) -> tuple[str | None, bool]:
        """The input member that names the resource (by its identifier; else, for a resource
        of ``nouns``, ``<Noun>Id``, ``<Noun>Name`` or ``<Noun>Arn``, which the engine resolves
        by identifier, name or ARN: Secrets Manager's ``SecretId``) and whether it is a list."""
        inputs = self.members(self.model.operations[operation].input)
        if identifier in inputs:
            return identifier, False
        for name, member in inputs.items():
            if plural_of(name, identifier) and self.item(member) is not None:
                return name, True
        for noun in sorted(nouns, key=len, reverse=True):
            for suffix in ("Id", "Name", "Arn", "ARN"):
                name = f"{noun}{suffix}"
                if name in inputs and self.is_scalar(inputs[name]):
                    return name, False
        return None, False

    def name_member(
        self, draft: _Draft, creates: list[tuple[str, str | None]], identifier: str
    ) -> str | None:
        """A record member the create requires and that names it uniquely (``KeyName``)."""
        shape = draft.shape
        assert shape is not None
        for operation, _ in creates:
            op_input = self.shape(self.model.operations[operation].input)
            if op_input is None:
                continue
            for name in op_input.required:
                if name.endswith("Name") and name in shape.members and name != "GroupName":
                    return name
                if name == "GroupName" and self.ec2 and name in shape.members:
                    return name
        return identifier if identifier.endswith("Name") else None

    def id_format(
        self,
        draft: _Draft,
        identifier: str,
        name_member: str | None,
        bindings: Sequence[Binding] = (),
    ) -> str:
        """The identifier's pattern where the record's shape or an input naming it has one
        (EC2's ``fcap-[a-f0-9]{17}``), else AWS's convention."""
        shape = draft.shape
        assert shape is not None
        target = self.shape(shape.members[identifier].shape)
        if identifier == name_member or identifier.endswith("Name"):
            return "{name}"
        if identifier.endswith(("Arn", "ARN")) or identifier == "arn":
            return self.arn_format(draft, "{name}" if name_member else "{uuid}", identifier)
        if target is not None and target.type in ("integer", "long"):
            return "{digits:9}"  # a number (Glue's statement ids): the engine stores an int
        patterns = [target.pattern] if target is not None and target.pattern else []
        for binding in bindings:
            op = self.model.operations[binding.operation]
            ref = self.members(op.input).get(binding.id or "")
            given = self.shape(ref.shape) if ref is not None else None
            if given is not None and given.type == "list" and given.member is not None:
                given = self.shape(given.member.shape)
            if given is not None and given.pattern:
                patterns.append(given.pattern)
        for pattern in patterns:
            fmt = _format_for_pattern(pattern)
            if fmt is not None:
                return fmt
        if self.ec2:
            prefix = EC2_ID_PREFIXES.get(identifier)
            if prefix is None:
                base = identifier.removesuffix("Id")
                prefix = "".join(re.findall(r"[A-Z]", base)).lower() or base.lower()
            return f"{prefix}-{{hex:17}}"
        return "{uuid}"

    def arn_format(self, draft: _Draft, tail: str = "{id}", member: str = "") -> str:
        """An ARN in AWS's convention; ``tail`` its last part (``{id}``: the identifier's
        value; for an identifier that is itself the ARN, the name or a UUID). Its resource type
        is the ARN member's noun (``ChannelARN``: ``channel``), else the record's name without
        ``Description``, ``Summary``..."""
        base = re.sub(r"(Arn|ARN)$|^arn$", "", member)
        if not base:
            base = re.sub(
                r"(Description|Summary|Info|Configuration|Detail|Details)$", "", draft.name
            )
        noun = _kebab(base or draft.name)
        service = self.model.metadata.endpoint_prefix
        # a global service (its model names a globalEndpoint: IAM, Route 53, CloudFront, ...)
        # has no region in its ARNs: arn:aws:iam::ACCOUNT:policy/NAME
        region = "" if self.model.metadata.traits.get("globalEndpoint") else "{region}"
        return f"arn:{{partition}}:{service}:{region}:{{account}}:{noun}/{tail}"

    # -- errors -------------------------------------------------------------------------------

    def waiter_errors(self, operations: Iterable[str]) -> list[str]:
        ops = set(operations)
        codes = []
        for waiter in self.model.waiters.values():
            if waiter.operation in ops:
                for a in waiter.acceptors:
                    if a.matcher == "error" and isinstance(a.expected, str):
                        codes.append(a.expected)
        return codes

    def not_found(self, resource: Resource) -> str | None:
        reads = [b.operation for b in resource.bindings if b.role in ("read", "delete", "update")]
        modeled = [self.wire_code(e) for op in reads for e in self.model.operations[op].errors]
        for code in [*self.waiter_errors(reads), *modeled]:
            if any(w in code for w in NOT_FOUND_WORDS):
                return code
        for op in reads:
            for documented in self.model.operations[op].documented_errors:
                if any(w in documented.code for w in NOT_FOUND_WORDS):
                    return documented.code
        if self.ec2:
            member = resource.identifier.member
            if member in EC2_NOT_FOUND:
                return EC2_NOT_FOUND[member]
            if member.endswith("Id"):
                return f"Invalid{member[:-2]}ID.NotFound"
            return f"Invalid{member}.NotFound"
        return None

    def wire_code(self, error: str) -> str:
        """The code an error shape is answered with: its ``error`` trait's (rds's
        ``DBInstanceNotFoundFault`` is ``DBInstanceNotFound``), else its name."""
        shape = self.shape(error)
        code = shape.traits.get("error", {}).get("code") if shape is not None else None
        return code if isinstance(code, str) and code else error

    def conflict(self, resource: Resource) -> str | None:
        creates = [b.operation for b in resource.bindings_of("create")]
        for op in creates:
            for error in self.model.operations[op].errors:
                code = self.wire_code(error)
                if any(w in code for w in CONFLICT_WORDS):
                    return code
        if self.ec2 and resource.name_member in EC2_DUPLICATE:
            return EC2_DUPLICATE[resource.name_member or ""]
        return None

    # -- states -------------------------------------------------------------------------------

    def states(self, resource: Resource) -> States | None:
        reads = {b.operation: b for b in resource.bindings_of("read") if b.records is not None}
        found: list[tuple[Waiter, str]] = []  # (waiter, state member path)
        for waiter in self.model.waiters.values():
            binding = reads.get(waiter.operation)
            if binding is None or binding.records is None:
                continue
            prefix = binding.records + "." if binding.records else ""
            paths = {
                a.argument[len(prefix) :]
                for a in waiter.acceptors
                if a.matcher in ("pathAll", "pathAny", "path")
                and a.argument is not None
                and a.argument.startswith(prefix)
                and isinstance(a.expected, str)
                and re.fullmatch(r"[A-Za-z0-9_.]+", a.argument[len(prefix) :])
            }
            if len(paths) == 1:
                found.append((waiter, paths.pop()))
        assert resource.shape is not None
        if found:
            member = found[0][1]
            found = [(w, p) for w, p in found if p == member]
        else:
            member = self.state_member(resource.shape) or ""
        values = self.enum_at(resource.shape, member) if member else ()
        if not values and found:  # a plain string: the values its waiters name
            named: dict[str, None] = {}
            for waiter, _ in found:
                for a in waiter.acceptors:
                    if a.matcher.startswith("path") and isinstance(a.expected, str):
                        named.setdefault(a.expected, None)
            values = tuple(named)
        if not values:
            return None

        def expected(waiter: Waiter, state: str) -> list[str]:
            return [
                a.expected
                for a in waiter.acceptors
                if a.state == state
                and a.matcher.startswith("path")
                and isinstance(a.expected, str)
            ]

        def gone(waiter: Waiter) -> bool:
            success = expected(waiter, "success")
            return any(
                a.state == "success" and a.matcher == "error" for a in waiter.acceptors
            ) or any(words(v) in DELETED_WORDS for v in success)

        deleting_waiters = [w for w, _ in found if gone(w)]
        ready_waiters = [w for w, _ in found if not gone(w) and expected(w, "success")]

        def rank(waiter: Waiter) -> int:
            value = words(expected(waiter, "success")[0])
            return READY_WORDS.index(value) if value in READY_WORDS else len(READY_WORDS)

        ready_waiters.sort(key=rank)
        initial: str | None = None
        if ready_waiters:
            waiter = ready_waiters[0]
            ready = expected(waiter, "success")[0]
            settled = set(expected(waiter, "success")) | set(expected(waiter, "failure"))
            waiting = [
                v
                for v in values
                if v not in settled and words(v) not in DELETING_WORDS + DELETED_WORDS
            ]
            initial = next((v for v in waiting if words(v) in INITIAL_WORDS), None)
        else:
            ready_found = next((v for v in values if words(v) in READY_WORDS), None)
            if ready_found is None:
                return None
            ready = ready_found
        deleted: str | None = None
        deleting: str | None = None
        keep = False
        if deleting_waiters:
            waiter = deleting_waiters[0]
            success = [v for v in expected(waiter, "success") if v in values]
            deleted = success[0] if success else None
            keep = deleted is not None and not any(
                a.state == "success" and a.matcher == "error" for a in waiter.acceptors
            )
            rejected = set(expected(waiter, "failure"))
            deleting = next(
                (v for v in values if words(v) in DELETING_WORDS and v not in rejected), None
            )
        else:
            deleted = next((v for v in values if words(v) in DELETED_WORDS), None)
            deleting = next((v for v in values if words(v) in DELETING_WORDS), None)
        if not resource.bindings_of("delete"):
            deleted = deleting = None
            keep = False
        code, codes = self.state_codes(resource.shape, member, values)
        return States(
            code=code,
            codes=codes,
            values=tuple(values),
            member=member,
            ready=ready,
            initial=initial,
            deleting=deleting if deleted is not None else None,
            deleted=deleted,
            keep_deleted=keep,
            waiters=tuple(w.name for w, _ in found),
        )

    def state_codes(
        self, shape_name: str, member: str, values: Sequence[str]
    ) -> tuple[str | None, tuple[tuple[str, int], ...]]:
        """The integer member beside the state (``State.Code`` beside ``State.Name``) and the
        number of each state value, as its documentation lists them (``16 : running``)."""
        if "." not in member:
            return None, ()
        parent = member.rsplit(".", 1)[0]
        container = shape_at(self.model, shape_name, parent)
        if container is None:
            return None, ()
        for name, ref in container.members.items():
            target = self.shape(ref.shape)
            if target is None or target.type not in ("integer", "long"):
                continue
            found = {
                value: int(number)
                for number, value in re.findall(r"(\d+)\s*:\s*([A-Za-z0-9_-]+)", ref.documentation)
                if value in values
            }
            if found:
                return f"{parent}.{name}", tuple((v, found[v]) for v in values if v in found)
        return None, ()

    def state_member(self, shape_name: str) -> str | None:
        members = self.members(shape_name)
        for name in ("State", "Status", f"{shape_name}State", f"{shape_name}Status"):
            member = members.get(name)
            if member is None:
                continue
            target = self.shape(member.shape)
            if target is not None and target.enum:
                return name
            for inner in ("Name", "Code"):
                if inner in self.members(member.shape):
                    return f"{name}.{inner}"
        return None

    def enum_at(self, shape_name: str, path: str) -> tuple[str, ...]:
        shape = self.shape(shape_name)
        for part in path.split("."):
            if shape is None or part not in self.members(shape.name):
                return ()
            shape = self.shape(self.members(shape.name)[part].shape)
        return shape.enum if shape is not None else ()

    # -- tagging ------------------------------------------------------------------------------

    def tagging(self) -> Tagging | None:
        ops = self.model.operations
        families = [
            ("CreateTags", "DeleteTags", "DescribeTags"),
            ("TagResource", "UntagResource", "ListTagsForResource"),
        ]
        for operation in ops:  # SQS's TagQueue, UntagQueue, ListQueueTags
            match = re.fullmatch(r"Tag([A-Z]\w*)", operation)
            if match and match.group(1) != "Resource":
                noun = match.group(1)
                families.append((operation, f"Untag{noun}", f"List{noun}Tags"))
        names = (
            "Resources",
            "ResourceArn",
            "ResourceARN",
            "resourceArn",
            "resourceARN",
            "ResourceId",
            "Resource",
            "ResourceName",
            "arn",
            "Arn",
        )
        for tag, untag, listing in families:
            if tag not in ops:
                continue
            if listing not in ops:  # DynamoDB's ListTagsOfResource
                listing = next(
                    (n for n in ("ListTagsOfResource", "ListTags") if n in ops), listing
                )
            inputs = self.members(ops[tag].input)
            ids = next((n for n in names if n in inputs), None)
            if ids is None:  # TagQueue(QueueUrl): the one required member that is not tags
                others = [n for n in self.required(tag) if n not in ("Tags", "tags")]
                ids = others[0] if len(others) == 1 else None
            tags = next((n for n in ("Tags", "tags", "TagList", "Tag") if n in inputs), None)
            if ids is None or tags is None:
                continue
            keys = None
            if untag in ops:
                keys = next(
                    (
                        n
                        for n in ("TagKeys", "tagKeys", "Tags", "TagKeyList", "Keys")
                        if n in self.members(ops[untag].input)
                    ),
                    None,
                )
            for op in (tag, untag, listing):
                self.used.add(op)
                self.unmatched.pop(op, None)
            return Tagging(
                tag=tag,
                untag=untag if untag in ops else None,
                list=listing if listing in ops else None,
                ids=ids,
                many=self.item(inputs[ids]) is not None,
                tags=tags,
                keys=keys,
                filters="Filters" if listing == "DescribeTags" else None,
            )
        return None


def _format_for_pattern(pattern: str) -> str | None:
    """An id format for a simple pattern: ``^prefix-[0-9a-f]{17}$`` -> ``prefix-{hex:17}``."""
    match = re.fullmatch(
        r"\^?([a-z][a-z0-9-]*?)\[(0-9a-f|a-f0-9|0-9a-z|a-z0-9|a-zA-Z0-9|0-9)\]\{(\d+)(?:,\d*)?\}\$?",
        pattern,
    )
    if match is None:
        return None
    kind = {"0-9": "digits", "0-9a-f": "hex", "a-f0-9": "hex"}.get(match.group(2), "alnum")
    return f"{match.group(1)}{{{kind}:{match.group(3)}}}"


# -- the spec's statements -------------------------------------------------------------------


def apply_statements(
    model: ServiceModel, derived: ServiceResources, stated: Mapping[str, Mapping[str, Any]]
) -> ServiceResources:
    """``derived`` with what the spec states (its ``resources`` section, checked by the loader)
    over it: a stated field replaces the derived one; a resource only stated is added;
    ``{"exclude": true}`` drops one."""
    resources = {r.name: r for r in derived.resources}
    for name, statement in stated.items():
        if statement.get("exclude"):
            resources.pop(name, None)
            continue
        resources[name] = _stated(model, resources.get(name), name, statement)
    return replace(derived, resources=tuple(sorted(resources.values(), key=lambda r: r.name)))


def _stated(
    model: ServiceModel, base: Resource | None, name: str, s: Mapping[str, Any]
) -> Resource:
    def identifier(value: Mapping[str, Any]) -> Identifier:
        return Identifier(value["member"], value.get("format", "{uuid}"))

    if base is None:
        missing = [key for key in ("shape", "identifier", "create", "read") if not s.get(key)]
        if missing:
            raise StatementError(
                name=name,
                message=f"{name} is not derived from the model (apigen resources lists what "
                f"is); a resource stated anew needs {', '.join(missing)}",
            )
        base = Resource(
            name=name,
            shape=s.get("shape"),
            identifier=identifier(s["identifier"]),
            bindings=(),
        )
    fields: dict[str, Any] = {}
    if "shape" in s:
        fields["shape"] = s["shape"]
    if "identifier" in s:
        fields["identifier"] = identifier(s["identifier"])
    if "arn" in s:
        fields["arn"] = identifier(s["arn"]) if s["arn"] is not None else None
    if "name" in s:
        fields["name_member"] = s["name"]
    if "notFound" in s:
        fields["not_found"] = s["notFound"]
    if "conflict" in s:
        fields["conflict"] = s["conflict"]
    if "tags" in s:
        fields["tags"] = s["tags"]
    if "state" in s:
        st = s["state"]
        fields["states"] = (
            None
            if st is None
            else States(
                member=st["member"],
                ready=st["ready"],
                initial=st.get("initial"),
                deleting=st.get("deleting"),
                deleted=st.get("deleted"),
                keep_deleted=st.get("keepDeleted", False),
                code=st["code"]["member"] if st.get("code") else None,
                codes=tuple(st["code"]["values"].items()) if st.get("code") else (),
            )
        )
    bindings = list(base.bindings)
    for role in ROLES:
        if role not in s:
            continue
        bindings = [b for b in bindings if b.role != role]
        for entry in s[role]:
            op = model.operations.get(entry["operation"])
            inputs = model.shapes.get(op.input or "") if op is not None else None
            ref = inputs.members.get(entry.get("id", "")) if inputs is not None else None
            target = model.shapes.get(ref.shape) if ref is not None else None
            bindings.append(
                Binding(
                    entry["operation"],
                    role,
                    id=entry.get("id"),
                    many=target is not None and target.type == "list",
                    records=entry.get("records"),
                    filters=entry.get("filters"),
                    count=entry.get("count"),
                    each=entry.get("each"),
                    token=entry.get("token"),
                    state=entry.get("state"),
                    stated=True,
                )
            )
    fields["bindings"] = tuple(sorted(bindings, key=lambda b: ROLES.index(b.role)))
    fields["stated"] = frozenset(k for k in s if k != "exclude")
    return replace(base, **fields)


def operations_answered(resources: ServiceResources) -> Iterator[str]:
    """Every operation the resources (and tagging) answer."""
    for resource in resources.resources:
        yield from resource.operations
    if resources.tagging is not None:
        t = resources.tagging
        yield from (op for op in (t.tag, t.untag, t.list) if op)
