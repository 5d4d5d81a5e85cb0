"""Resources derived from the models (codegen.resources) and what a spec states about them.

Expectations are written by hand: for the made-up service of ``tests/fixtures/resources/
things.json`` from its definition, for EC2 from AWS's documentation, and, as an independent
reference, boto3's own resource models (``boto3/data/<service>/<version>/resources-1.json``,
written by AWS by hand: each resource's identifier, the operation that loads it and the
actions that create it).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.bridge.importer import import_model
from codegen.cli import main
from codegen.errors import SpecError
from codegen.loader import load_spec, parse_spec, spec_from_bytes
from codegen.model import ServiceModel
from codegen.resources import ServiceResources, derive_resources, resources_for
from tests.support.helpers import release
from tests.support.paths import FIXTURES, SPEC

THINGS = FIXTURES / "resources" / "things.json"


@cache
def installed(service: str) -> ServiceModel:
    r = release("installed")
    return import_model(
        r.load_model(service),
        name=service,
        paginators=r.load_paginators(service),
        waiters=r.load_waiters(service),
    )


@cache
def derived(service: str) -> ServiceResources:
    return derive_resources(installed(service))


def things() -> ServiceResources:
    return resources_for(load_spec(THINGS).model())


# -- a made-up service, every rule on a small scale ---------------------------------------------


def test_the_things_resource_is_derived_from_names_shapes_and_waiters() -> None:
    resources = things()
    assert [r.name for r in resources.resources] == ["Thing"]
    (thing,) = resources.resources
    assert thing.shape == "Thing"
    assert (thing.identifier.member, thing.identifier.format) == ("ThingId", "t-{hex:17}")
    roles = [(b.role, b.operation, b.id, b.many, b.records) for b in thing.bindings]
    assert roles == [
        ("create", "CreateThing", None, False, "Thing"),
        ("read", "DescribeThings", "ThingIds", True, "Things[]"),
        ("read", "DescribeThingAttribute", "ThingId", False, ""),
        ("update", "ModifyThingAttribute", "ThingId", False, None),
        ("update", "StopThings", "ThingIds", True, None),
        ("update", "StartThings", "ThingIds", True, None),
        ("delete", "DeleteThing", "ThingId", False, None),
    ]
    (create,) = thing.bindings_of("create")
    assert create.token == "ClientToken"  # the member with botocore's idempotencyToken trait
    (describe, _) = thing.bindings_of("read")
    assert describe.filters == "Filters"
    stop, start = (b for b in thing.bindings_of("update") if b.state)
    assert (stop.state, start.state) == ("stopped", "available")
    # the waiter that retries on it names the not-found error
    assert thing.not_found == "InvalidThingID.NotFound"
    states = thing.states
    assert states is not None
    assert (states.member, states.initial, states.ready) == ("State.Name", "pending", "available")
    # ThingDeleted also succeeds on the not-found error: a deleted thing can simply be gone
    assert states.keep_deleted is False
    assert states.code == "State.Code"  # numbers documented beside the state
    assert dict(states.codes) == {"pending": 0, "available": 16, "stopping": 64, "stopped": 80}
    assert thing.tags == "Tags"
    tagging = resources.tagging
    assert tagging is not None
    assert (tagging.tag, tagging.untag, tagging.list, tagging.ids) == (
        "CreateTags",
        "DeleteTags",
        "DescribeTags",
        "Resources",
    )
    assert dict(resources.unmatched) == {"DescribeRegions": "no create of Region found"}


def test_a_waiter_that_needs_the_deleted_record_keeps_it() -> None:
    document = json.loads(THINGS.read_text())
    acceptors = document["waiters"]["ThingDeleted"]["acceptors"]
    acceptors[:] = [a for a in acceptors if a["matcher"] != "error"]
    spec = spec_from_bytes(json.dumps(document).encode(), "things.json")
    (thing,) = resources_for(spec.model()).resources
    assert thing.states is not None
    assert (thing.states.deleting, thing.states.deleted) == ("deleting", "deleted")
    assert thing.states.keep_deleted is True


# -- EC2, as AWS documents it -----------------------------------------------------------------


def test_ec2_resources_as_aws_documents_them() -> None:
    resources = derived("ec2")
    vpc = resources.get("Vpc")
    assert vpc is not None
    assert vpc.identifier.format == "vpc-{hex:17}"
    assert vpc.not_found == "InvalidVpcID.NotFound"
    assert {b.operation for b in vpc.bindings_of("create")} >= {"CreateVpc"}
    assert {b.operation for b in vpc.bindings_of("delete")} == {"DeleteVpc"}
    assert vpc.states is not None and (vpc.states.initial, vpc.states.ready) == (
        "pending",
        "available",
    )
    instance = resources.get("Instance")
    assert instance is not None and instance.identifier.format == "i-{hex:17}"
    (run,) = instance.bindings_of("create")
    assert (run.operation, run.records, run.count, run.token) == (
        "RunInstances",
        "Instances[]",
        "MaxCount",
        "ClientToken",
    )
    (describe,) = [b for b in instance.bindings_of("read") if b.operation == "DescribeInstances"]
    assert describe.records == "Reservations[].Instances[]"  # grouped in reservations
    states = instance.states
    assert states is not None
    assert (states.initial, states.ready, states.deleting, states.deleted) == (
        "pending",
        "running",
        "shutting-down",
        "terminated",
    )
    assert states.keep_deleted  # InstanceTerminated succeeds only on a terminated instance
    # EC2's documented instance state codes
    assert dict(states.codes) == {
        "pending": 0,
        "running": 16,
        "shutting-down": 32,
        "terminated": 48,
        "stopping": 64,
        "stopped": 80,
    }
    key_pair = resources.get("KeyPairInfo")
    assert key_pair is not None
    assert (key_pair.identifier.member, key_pair.conflict) == (
        "KeyName",
        "InvalidKeyPair.Duplicate",
    )
    group = resources.get("SecurityGroup")
    assert group is not None
    assert (group.identifier.format, group.not_found) == ("sg-{hex:17}", "InvalidGroup.NotFound")
    nat = resources.get("NatGateway")
    assert nat is not None and nat.not_found == "NatGatewayNotFound"  # named by its waiter


def _boto3_resources(service: str) -> dict[str, Any]:
    root = Path(boto3.__file__).parent / "data" / service
    (path,) = sorted(root.glob("*/resources-1.json"))[-1:]
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def _agreement(service: str) -> tuple[list[str], dict[str, list[str]]]:
    """boto3's resources that load through an operation and have a create action: those we
    derive alike (identifier, load and create operations), and the others with why not."""
    document = _boto3_resources(service)
    creates: dict[str, list[str]] = {}
    for action in document["service"].get("actions", {}).values():
        if "resource" in action:
            creates.setdefault(action["resource"]["type"], []).append(
                action["request"]["operation"]
            )
    ours = derived(service)
    agree: list[str] = []
    differ: dict[str, list[str]] = {}
    for name, resource in document["resources"].items():
        if "load" not in resource or name not in creates or not resource["identifiers"]:
            continue
        load = resource["load"]["request"]["operation"]
        identifier = resource["identifiers"][0].get(
            "memberName", resource["identifiers"][0]["name"]
        )
        mine = next((r for r in ours.resources if load in r.operations), None)
        problems = []
        if mine is None:
            problems.append(f"no derived resource reads it with {load}")
        else:
            # boto3 names an ARN identifier "Arn" where the member is TopicArn
            same = mine.identifier.member == identifier or (
                identifier == "Arn" and mine.identifier.member.endswith("Arn")
            )
            if not same:
                problems.append(f"identifier {mine.identifier.member}, boto3 {identifier}")
            problems += [
                f"create {op} not ours" for op in creates[name] if op not in mine.operations
            ]
        if problems:
            differ[name] = problems
        else:
            agree.append(name)
    return agree, differ


def test_ec2_agrees_with_boto3s_resource_model() -> None:
    agree, differ = _agreement("ec2")
    assert differ == {}
    assert len(agree) >= 15  # Vpc, Instance, Subnet, Volume, ... (boto3 1.44)


@pytest.mark.parametrize(
    "service,expected",
    [
        ("iam", {"Group", "InstanceProfile", "Policy", "Role", "User"}),
        ("dynamodb", {"Table"}),
        ("cloudformation", {"Stack"}),
        ("sns", {"Topic", "PlatformApplication"}),
    ],
)
def test_other_services_agree_with_boto3_where_names_tell(
    service: str, expected: set[str]
) -> None:
    agree, differ = _agreement(service)
    assert expected <= set(agree), differ


def test_a_queue_is_derived_without_a_record_structure() -> None:
    """SQS states no Queue structure: the create answers one identifier (QueueUrl) that a delete
    of the same noun takes; reads by that identifier, by name and the list of URLs read it."""
    queue = derived("sqs").get("Queue")
    assert queue is not None and queue.shape is None
    assert (queue.identifier.member, queue.name_member) == ("QueueUrl", "QueueName")
    assert queue.identifier.format.startswith("https://sqs.{region}.amazonaws.com/{account}/")
    assert [b.operation for b in queue.bindings_of("create")] == ["CreateQueue"]
    assert [b.operation for b in queue.bindings_of("delete")] == ["DeleteQueue"]
    reads = {b.operation: (b.id, b.records) for b in queue.bindings_of("read")}
    assert reads["GetQueueUrl"] == ("QueueName", "")
    assert reads["GetQueueAttributes"] == ("QueueUrl", "")
    assert reads["ListQueues"] == (None, "QueueUrls[]")
    assert queue.not_found == "QueueDoesNotExist"


def test_a_flat_describe_beside_lists_of_its_own_reads_the_record() -> None:
    """Secrets Manager's DescribeSecret answers the secret's members flat (ARN, Name, ...)
    beside lists that are not records (Tags[], ReplicationStatus[]): a read by SecretId."""
    (secret,) = derived("secretsmanager").resources
    reads = {b.operation: (b.id, b.records) for b in secret.bindings_of("read")}
    assert reads["DescribeSecret"] == ("SecretId", "")
    assert reads["ListSecrets"] == (None, "SecretList[]")


def test_a_read_answering_its_own_members_is_a_resource_of_its_own() -> None:
    """neptune-graph's GetGraph(graphIdentifier) answers the graph flat (id, name, arn, status)
    and no structure of a read by identifier describes graphs: the read's output is the record,
    ``id`` (what boto3's waiters and AWS's documentation call the graph identifier) its
    identifier; ListGraphs lists summaries of it (GraphSummary: id, name, arn, status...); the
    creates and deletes are the noun's; the states are the waiters' (GraphAvailable: ``status``
    AVAILABLE; CREATING retried)."""
    graph = derived("neptune-graph").get("Graph")
    assert graph is not None and graph.shape == "GetGraphOutput"
    assert graph.identifier.member == "id"
    assert [b.operation for b in graph.bindings_of("create")] == ["CreateGraph"]
    assert {b.operation: (b.id, b.records) for b in graph.bindings_of("read")} == {
        "GetGraph": ("graphIdentifier", ""),
        "ListGraphs": (None, "graphs[]"),
    }
    assert [(b.operation, b.id) for b in graph.bindings_of("delete")] == [
        ("DeleteGraph", "graphIdentifier")
    ]
    assert graph.states is not None
    assert (graph.states.member, graph.states.initial, graph.states.ready) == (
        "status",
        "CREATING",
        "AVAILABLE",
    )
    # a task started, not created: StartExportTask makes one, named by taskIdentifier -> taskId
    task = derived("neptune-graph").get("ExportTask")
    assert task is not None and task.identifier.member == "taskId"
    assert [b.operation for b in task.bindings_of("create")] == ["StartExportTask"]
    # MediaLive's DescribeMultiplex: Id and Arn flat beside a list of its own (Destinations[]),
    # which is not a record of multiplexes
    reads = {
        b.operation: b.records
        for r in derived("medialive").resources
        for b in r.bindings_of("read")
    }
    assert reads.get("DescribeMultiplex") == ""


@pytest.mark.parametrize(
    ("service", "resource", "waiter"),
    [
        ("rds", "DBInstance", "DBInstanceDeleted"),
        ("elasticache", "CacheCluster", "CacheClusterDeleted"),
    ],
)
def test_errors_are_the_codes_on_the_wire(service: str, resource: str, waiter: str) -> None:
    """Query services' error shapes state the code they are answered with
    (``DBInstanceNotFoundFault`` is ``DBInstanceNotFound`` on the wire): the not-found and
    conflict errors are those codes, the one the deletion waiter waits for."""
    found = derived(service).get(resource)
    assert found is not None
    (expected,) = [
        a.expected
        for a in installed(service).waiters[waiter].acceptors
        if a.matcher == "error" and a.state == "success"
    ]
    assert found.not_found == expected
    codes = {s.traits.get("error", {}).get("code") for s in installed(service).shapes.values()}
    assert found.conflict in codes


# -- whatever is derived, it is derived the same way ---------------------------------------------


@settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_a_resource_is_derived_alike_from_its_own_operations(data: st.DataObject) -> None:
    """Cut EC2 down to one resource's operations (and the waiters on them): the same resource,
    identifier, records, errors and states come out; derivation depends on no other part of
    the model."""
    whole = derived("ec2")
    resource = data.draw(st.sampled_from([r for r in whole.resources if r.states is not None]))
    model = installed("ec2").restrict(resource.operations)
    alone = derive_resources(model).get(resource.name)
    assert alone is not None
    assert alone.identifier == resource.identifier
    assert alone.not_found == resource.not_found
    assert alone.states == resource.states
    own = [b for b in resource.bindings if b.records is None or b.records.count("[]") < 2]
    assert [b for b in own if b in alone.bindings] == own


# -- what a spec states -----------------------------------------------------------------------


def _stated(statement: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(THINGS.read_text())
    document["resources"] = statement
    return document


def test_a_statement_replaces_what_was_derived() -> None:
    document = _stated(
        {
            "Thing": {
                "identifier": {"member": "ThingId", "format": "thing-{digits:6}"},
                "notFound": "ThingNotFound",
                "state": {"member": "State.Name", "ready": "available"},
                "delete": [],
            }
        }
    )
    spec = spec_from_bytes(json.dumps(document).encode(), "things.json")
    (thing,) = resources_for(spec.model()).resources
    assert thing.identifier.format == "thing-{digits:6}"
    assert thing.not_found == "ThingNotFound"
    assert thing.states is not None and thing.states.initial is None
    assert thing.bindings_of("delete") == ()
    assert thing.bindings_of("create")[0].operation == "CreateThing"  # not stated: derived
    assert thing.stated == {"identifier", "notFound", "state", "delete"}


def test_a_statement_excludes_or_adds_a_resource() -> None:
    excluded = spec_from_bytes(
        json.dumps(_stated({"Thing": {"exclude": True}})).encode(), "things.json"
    )
    assert resources_for(excluded.model()).resources == ()
    region = {
        "shape": "Region",
        "identifier": {"member": "RegionName", "format": "{name}"},
        "create": [{"operation": "CreateThing", "records": ""}],
        "read": [{"operation": "DescribeRegions", "records": "Regions[]"}],
    }
    added = spec_from_bytes(json.dumps(_stated({"Region": region})).encode(), "things.json")
    names = [r.name for r in resources_for(added.model()).resources]
    assert names == ["Region", "Thing"]


def test_what_apigen_resources_prints_as_json_is_a_statement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["resources", str(THINGS), "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    thing = printed["resources"]["Thing"]
    document = _stated({"Thing": thing})
    spec = spec_from_bytes(json.dumps(document).encode(), "things.json")
    (again,) = resources_for(spec.model()).resources
    (original,) = things().resources
    assert again.to_json() == original.to_json()


def test_apigen_resources_text(capsys: pytest.CaptureFixture[str]) -> None:
    main(["resources", str(THINGS)])
    out = capsys.readouterr().out
    assert "  Thing\n" in out
    assert "identifier: ThingId (t-{hex:17})" in out
    assert "read: DescribeThings (id ThingIds[], records Things[], filters Filters)" in out
    assert "state: State.Name: pending -> available" in out
    assert "not matched: DescribeRegions: no create of Region found" in out


def test_apigen_resources_of_the_flow_logs_spec(capsys: pytest.CaptureFixture[str]) -> None:
    main(["resources", str(SPEC), "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    flow_log = printed["resources"]["FlowLog"]
    assert flow_log["identifier"] == {"member": "FlowLogId", "format": "fl-{hex:17}"}
    assert flow_log["create"] == [
        {
            "operation": "CreateFlowLogs",
            "records": "FlowLogIds[]",
            "each": "ResourceIds",
            "token": "ClientToken",
        }
    ]


BAD_STATEMENTS: dict[str, Any] = {
    "Ghost": {"shape": "NoSuchShape"},
    "Thing": {
        "shape": "Thing",
        "identifier": {"member": "NoSuchMember"},
        "name": "Nameless",
        "state": {"member": "State.Nope", "ready": "available"},
        "read": [
            {"operation": "DescribeThings", "id": "Ids", "records": "Things[].Nope"},
            {"operation": "NoSuchOperation"},
        ],
    },
    "Half": {"shape": "Region"},
}


def test_bad_statements_are_reported_with_pointers() -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(json.dumps(_stated(copy.deepcopy(BAD_STATEMENTS))).encode(), "bad.json")
    problems = [(p.pointer, p.message) for p in info.value.problems]
    assert problems == [
        ("/resources/Ghost/shape", "unknown shape 'NoSuchShape'"),
        ("/resources/Thing/identifier/member", "Thing has no member 'NoSuchMember'"),
        ("/resources/Thing/name", "Thing has no member 'Nameless'"),
        ("/resources/Thing/read/0/id", "'Ids' is not a member of DescribeThings's input"),
        (
            "/resources/Thing/read/0/records",
            "'Things[].Nope' is not a path of DescribeThings's output",
        ),
        ("/resources/Thing/read/1/operation", "unknown operation 'NoSuchOperation'"),
        ("/resources/Thing/state/member", "'State.Nope' is not a member path of Thing"),
    ]


def test_a_resource_stated_anew_must_say_enough() -> None:
    with pytest.raises(SpecError) as info:
        spec_from_bytes(json.dumps(_stated({"Half": {"shape": "Region"}})).encode(), "half.json")
    ((pointer, message),) = [(p.pointer, p.message) for p in info.value.problems]
    assert pointer == "/resources/Half"
    assert message.endswith("needs identifier, create, read")
