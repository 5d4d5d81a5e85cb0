"""The stub server through real clients: boto3 with endpoint_url against ``running_server()``.

One server for the module; each test starts from empty state (``reset()``) or uses its own
access key (its own account), so tests do not see each other's flow logs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from types import MethodType
from typing import Any, TypeVar

import pytest
from botocore.exceptions import ClientError

from codegen.server import StubServer, running_server
from tests.support.server import Client, ec2, error_of, payload, shapes, validators

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DEFAULT_FORMAT = (
    "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
    "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
)
FLOW_LOG_ID = re.compile(r"^fl-[0-9a-f]{17}$")
T = TypeVar("T")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server() as running:
        yield running


@pytest.fixture
def client(server: StubServer) -> Client:
    server.reset()
    return ec2(server.url)


def create(client: Client, resources: list[str], **kwargs: Any) -> dict[str, Any]:
    params = {
        "ResourceIds": resources,
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogGroupName": "my-logs",
    }
    params.update(kwargs)  # a None value: not sent
    return payload(client.create_flow_logs(**{k: v for k, v in params.items() if v is not None}))


def describe_all(client: Client, **kwargs: Any) -> list[dict[str, Any]]:
    flow_logs: list[dict[str, Any]] = payload(client.describe_flow_logs(**kwargs))["FlowLogs"]
    return flow_logs


# -- CreateFlowLogs -------------------------------------------------------------------------


def test_create_applies_the_documented_defaults(client: Client) -> None:
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    result = create(client, ["vpc-0a1b"])
    assert result["Unsuccessful"] == []
    [flow_log_id] = result["FlowLogIds"]
    assert FLOW_LOG_ID.match(flow_log_id)
    [item] = describe_all(client)
    assert item["FlowLogId"] == flow_log_id
    assert item["ResourceId"] == "vpc-0a1b"
    assert item["MaxAggregationInterval"] == 600
    assert item["LogDestinationType"] == "cloud-watch-logs"
    assert item["LogFormat"] == DEFAULT_FORMAT
    assert item["LogGroupName"] == "my-logs"
    assert item["FlowLogStatus"] == "ACTIVE"
    assert item["DeliverLogsStatus"] == "SUCCESS"
    assert item["TrafficType"] == "ALL"
    assert before <= item["CreationTime"] <= datetime.now(timezone.utc) + timedelta(seconds=2)
    assert re.fullmatch(r"arn:aws:logs:us-east-1:\d{12}:log-group:my-logs", item["LogDestination"])


def test_create_keeps_what_was_given(client: Client) -> None:
    arn = "arn:aws:s3:::my-bucket/flow/"
    result = create(
        client,
        ["subnet-1", "subnet-2"],
        ResourceType="Subnet",
        TrafficType="REJECT",
        LogGroupName=None,
        LogDestinationType="s3",
        LogDestination=arn,
        LogFormat="${srcaddr} ${dstaddr}",
        MaxAggregationInterval=60,
    )
    assert len(result["FlowLogIds"]) == 2
    items = {i["ResourceId"]: i for i in describe_all(client)}
    assert set(items) == {"subnet-1", "subnet-2"}
    for item in items.values():
        assert (
            item["LogDestination"],
            item["LogDestinationType"],
            item["LogFormat"],
            item["MaxAggregationInterval"],
            item["TrafficType"],
        ) == (arn, "s3", "${srcaddr} ${dstaddr}", 60, "REJECT")
        assert "LogGroupName" not in item


def test_ids_are_unique_and_of_ec2s_shape(client: Client) -> None:
    result = create(client, [f"eni-{i:04x}" for i in range(200)], ResourceType="NetworkInterface")
    ids = result["FlowLogIds"]
    assert len(ids) == len(set(ids)) == 200
    assert all(FLOW_LOG_ID.match(i) for i in ids)


def test_dry_run_creates_nothing(client: Client) -> None:
    with pytest.raises(ClientError) as excinfo:
        create(client, ["vpc-1"], DryRun=True)
    assert error_of(excinfo)[:2] == ("DryRunOperation", 412)
    assert describe_all(client) == []
    calls: tuple[Callable[[], object], ...] = (
        lambda: client.describe_flow_logs(DryRun=True),
        lambda: client.delete_flow_logs(FlowLogIds=["fl-1"], DryRun=True),
    )
    for call in calls:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == ("DryRunOperation", 412)


def test_client_token_idempotency(client: Client) -> None:
    first = create(client, ["vpc-1", "vpc-2"], ClientToken="token-1")
    again = create(client, ["vpc-1", "vpc-2"], ClientToken="token-1")
    assert first["ClientToken"] == again["ClientToken"] == "token-1"
    assert again["FlowLogIds"] == first["FlowLogIds"]
    assert again["Unsuccessful"] == first["Unsuccessful"] == []
    assert len(describe_all(client)) == 2  # nothing created the second time
    with pytest.raises(ClientError) as excinfo:
        create(client, ["vpc-1", "vpc-3"], ClientToken="token-1")
    assert error_of(excinfo)[:2] == ("IdempotentParameterMismatch", 400)
    with pytest.raises(ClientError) as excinfo:
        create(client, ["vpc-1", "vpc-2"], ClientToken="token-1", MaxAggregationInterval=60)
    assert error_of(excinfo)[:2] == ("IdempotentParameterMismatch", 400)
    # another token with the same parameters: a new request, every flow log already exists
    other = create(client, ["vpc-1", "vpc-2"], ClientToken="token-2")
    assert other["FlowLogIds"] == []
    assert [u["Error"]["Code"] for u in other["Unsuccessful"]] == ["FlowLogAlreadyExists"] * 2
    # the token belongs to the account: another account may use it
    assert (
        len(
            create(ec2(client.meta.endpoint_url, key="AKIDBOB"), ["vpc-1"], ClientToken="token-1")[
                "FlowLogIds"
            ]
        )
        == 1
    )


def test_unsuccessful_items_while_the_others_are_created(client: Client) -> None:
    create(client, ["vpc-1"])
    result = create(client, ["vpc-1", "subnet-9", "vpc-2", "eni-3", "vpc-"])
    assert len(result["FlowLogIds"]) == 1
    failed = {u["ResourceId"]: u["Error"]["Code"] for u in result["Unsuccessful"]}
    assert failed == {
        "vpc-1": "FlowLogAlreadyExists",
        "subnet-9": "InvalidVpcID.Malformed",
        "eni-3": "InvalidVpcID.Malformed",
        "vpc-": "InvalidVpcID.Malformed",
    }
    assert sorted(i["ResourceId"] for i in describe_all(client)) == ["vpc-1", "vpc-2"]
    # the same resource with another traffic type or destination is another flow log
    assert len(create(client, ["vpc-1"], TrafficType="ACCEPT")["FlowLogIds"]) == 1
    assert len(create(client, ["vpc-1"], LogGroupName="other")["FlowLogIds"]) == 1
    # ... but a log group named by its ARN is the same destination as by its name
    arn = describe_all(client, FlowLogIds=result["FlowLogIds"])[0]["LogDestination"]
    again = client.create_flow_logs(
        ResourceIds=["vpc-2"], ResourceType="VPC", TrafficType="ALL", LogDestination=arn
    )
    assert [u["Error"]["Code"] for u in again["Unsuccessful"]] == ["FlowLogAlreadyExists"]
    for kind, resource, code in (
        ("Subnet", "vpc-1", "InvalidSubnetID.Malformed"),
        ("NetworkInterface", "subnet-1", "InvalidNetworkInterfaceID.Malformed"),
    ):
        out = create(client, [resource], ResourceType=kind)
        assert out["FlowLogIds"] == [] and out["Unsuccessful"][0]["Error"]["Code"] == code


# -- DescribeFlowLogs -----------------------------------------------------------------------


@pytest.fixture
def population(client: Client) -> dict[str, dict[str, str | None]]:
    """Flow logs of known attributes: (id -> attributes), created through the API."""
    made = {}
    rows = [
        ("vpc-1", "ALL", "cloud-watch-logs", "group-a"),
        ("vpc-1", "ACCEPT", "cloud-watch-logs", "group-a"),
        ("vpc-2", "REJECT", "cloud-watch-logs", "group-b"),
        ("vpc-3", "ALL", "s3", None),
        ("vpc-4", "ACCEPT", "s3", None),
        ("VPC-1", "ALL", "cloud-watch-logs", "Group-A"),
    ]
    for resource, traffic, dest, group in rows:
        kwargs: dict[str, Any] = {
            "ResourceIds": [resource],
            "ResourceType": "VPC",
            "TrafficType": traffic,
        }
        if dest == "s3":
            kwargs.update(
                LogDestinationType="s3", LogDestination=f"arn:aws:s3:::bucket-{resource}"
            )
        else:
            kwargs["LogGroupName"] = group
        result = client.create_flow_logs(**kwargs)
        if resource.startswith("vpc-"):
            [flow_log_id] = result["FlowLogIds"]
            made[flow_log_id] = {
                "resource-id": resource,
                "traffic-type": traffic,
                "log-destination-type": dest,
                "log-group-name": group,
                "deliver-log-status": "SUCCESS",
                "flow-log-id": flow_log_id,
            }
        else:  # an id of another case: not a VPC id
            assert result["FlowLogIds"] == []
    return made


def _expected(
    population: dict[str, dict[str, str | None]], filters: list[dict[str, Any]]
) -> list[str]:
    return sorted(
        fid
        for fid, attrs in population.items()
        if all(attrs[f["Name"]] in f["Values"] for f in filters)
    )


FILTER_CASES = [
    [{"Name": "resource-id", "Values": ["vpc-1"]}],
    [{"Name": "resource-id", "Values": ["vpc-1", "vpc-3"]}],  # OR within
    [{"Name": "resource-id", "Values": ["VPC-1"]}],  # case-sensitive value
    [{"Name": "traffic-type", "Values": ["ACCEPT"]}],
    [{"Name": "traffic-type", "Values": ["ALL", "REJECT"]}],
    [{"Name": "log-destination-type", "Values": ["s3"]}],
    [{"Name": "log-destination-type", "Values": ["cloud-watch-logs"]}],
    [{"Name": "log-group-name", "Values": ["group-a"]}],
    [{"Name": "log-group-name", "Values": ["Group-a", "GROUP-A"]}],
    [{"Name": "deliver-log-status", "Values": ["SUCCESS"]}],
    [{"Name": "deliver-log-status", "Values": ["FAILED"]}],
    [
        {"Name": "resource-id", "Values": ["vpc-1", "vpc-4"]},
        {"Name": "traffic-type", "Values": ["ACCEPT"]},
    ],  # AND across
    [
        {"Name": "traffic-type", "Values": ["ALL", "ACCEPT"]},
        {"Name": "log-destination-type", "Values": ["s3"]},
        {"Name": "resource-id", "Values": ["vpc-3"]},
    ],
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: "&".join(x["Name"] for x in f))
def test_every_documented_filter(
    client: Client, population: dict[str, dict[str, str | None]], filters: list[dict[str, Any]]
) -> None:
    got = sorted(i["FlowLogId"] for i in describe_all(client, Filters=filters))
    assert got == _expected(population, filters)


def test_flow_log_id_filter_and_flow_log_ids(
    client: Client, population: dict[str, dict[str, str | None]]
) -> None:
    ids = sorted(population)
    got = describe_all(client, Filters=[{"Name": "flow-log-id", "Values": ids[:2]}])
    assert sorted(i["FlowLogId"] for i in got) == ids[:2]
    got = describe_all(client, FlowLogIds=[ids[0], "fl-00000000000000000"])
    assert [i["FlowLogId"] for i in got] == [ids[0]]
    both = describe_all(
        client, FlowLogIds=ids[:2], Filters=[{"Name": "flow-log-id", "Values": ids[1:3]}]
    )
    assert [i["FlowLogId"] for i in both] == [ids[1]]


def test_every_filter_the_spec_documents_is_tested() -> None:
    from codegen.loader import load_spec
    from tests.support.paths import SPEC

    model = load_spec(SPEC).model()
    filters = model.shapes["DescribeFlowLogsRequest"].members["Filter"].documented.filters
    assert filters is not None
    documented = {f.name for f in filters.names}
    tested = {f["Name"] for case in FILTER_CASES for f in case} | {"flow-log-id"}
    assert documented == tested


def test_unknown_filter_name_is_a_400(
    client: Client, population: dict[str, dict[str, str | None]]
) -> None:
    for name in ("no-such-filter", "Resource-Id", "tag:Name"):
        with pytest.raises(ClientError) as excinfo:
            client.describe_flow_logs(Filters=[{"Name": name, "Values": ["x"]}])
        code, status, message = error_of(excinfo)
        # EC2's code for it (the generated protocol layer maps the validators' invalid_filter)
        assert status == 400 and code == "InvalidFilter", (code, message)
        assert name in message


def test_pagination_stable_order_and_paginator(client: Client) -> None:
    ids = []
    for i in range(23):
        ids += create(client, [f"vpc-{i:03d}"])["FlowLogIds"]
    pages = list(
        client.get_paginator("describe_flow_logs").paginate(PaginationConfig={"PageSize": 5})
    )
    assert [len(p["FlowLogs"]) for p in pages] == [5, 5, 5, 5, 3]
    assert [i["FlowLogId"] for p in pages for i in p["FlowLogs"]] == ids  # creation order
    assert "NextToken" not in pages[-1]
    # filtered pages
    pages = list(
        client.get_paginator("describe_flow_logs").paginate(
            Filters=[{"Name": "resource-id", "Values": [f"vpc-{i:03d}" for i in range(0, 23, 2)]}],
            PaginationConfig={"PageSize": 4},
        )
    )
    assert [i["ResourceId"] for p in pages for i in p["FlowLogs"]] == [
        f"vpc-{i:03d}" for i in range(0, 23, 2)
    ]


def test_no_item_lost_or_repeated_while_creating_between_pages(client: Client) -> None:
    for i in range(10):
        create(client, [f"vpc-{i}"])
    seen = []
    token = None
    created = 10
    while True:
        kwargs = {"MaxResults": 3} | ({"NextToken": token} if token else {})
        page = client.describe_flow_logs(**kwargs)
        seen += [i["ResourceId"] for i in page["FlowLogs"]]
        if created < 16:  # flow logs created between pages, and one deleted that was seen
            create(client, [f"vpc-{created}"])
            created += 1
        token = page.get("NextToken")
        if not token:
            break
    assert len(seen) == len(set(seen))
    assert seen == [f"vpc-{i}" for i in range(len(seen))]
    assert set(seen) >= {f"vpc-{i}" for i in range(10)}


def test_tampered_or_foreign_tokens_are_rejected(client: Client, server: StubServer) -> None:
    for i in range(4):
        create(client, [f"vpc-{i}"])
    token = client.describe_flow_logs(MaxResults=1)["NextToken"]
    payload_part, _, mac = token.partition(".")
    flipped = payload_part[:-1] + ("A" if payload_part[-1] != "A" else "B")
    for bad in (flipped + "." + mac, token[:-2], "garbage", token + "x", ".", "" + mac):
        with pytest.raises(ClientError) as excinfo:
            client.describe_flow_logs(MaxResults=1, NextToken=bad)
        assert error_of(excinfo)[:2] == ("InvalidPaginationToken", 400), bad
    # a token for other filters, another account or another region
    with pytest.raises(ClientError) as excinfo:
        client.describe_flow_logs(
            MaxResults=1, NextToken=token, Filters=[{"Name": "resource-id", "Values": ["vpc-1"]}]
        )
    assert error_of(excinfo)[:2] == ("InvalidPaginationToken", 400)
    for other in (ec2(server.url, key="AKIDBOB"), ec2(server.url, region="eu-west-1")):
        with pytest.raises(ClientError) as excinfo:
            other.describe_flow_logs(MaxResults=1, NextToken=token)
        assert error_of(excinfo)[:2] == ("InvalidPaginationToken", 400)
    # the genuine token works
    assert (
        client.describe_flow_logs(MaxResults=1, NextToken=token)["FlowLogs"][0]["ResourceId"]
        == "vpc-1"
    )


def test_max_results_below_one_is_rejected(client: Client) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.describe_flow_logs(MaxResults=0)
    assert error_of(excinfo)[1] == 400


# -- DeleteFlowLogs -------------------------------------------------------------------------


def test_delete_known_and_unknown(client: Client) -> None:
    ids = create(client, ["vpc-1", "vpc-2", "vpc-3"])["FlowLogIds"]
    result = payload(client.delete_flow_logs(FlowLogIds=[ids[0], "fl-0123456789abcdef0", ids[2]]))
    assert [(u["ResourceId"], u["Error"]["Code"]) for u in result["Unsuccessful"]] == [
        ("fl-0123456789abcdef0", "InvalidFlowLogId.NotFound")
    ]
    assert [i["FlowLogId"] for i in describe_all(client)] == [ids[1]]
    again = payload(client.delete_flow_logs(FlowLogIds=[ids[0]]))
    assert again["Unsuccessful"][0]["Error"]["Code"] == "InvalidFlowLogId.NotFound"
    # deleted: the resource can get a flow log with that configuration again
    assert len(create(client, ["vpc-1"])["FlowLogIds"]) == 1


# -- accounts and regions -------------------------------------------------------------------


def test_accounts_and_regions_are_apart(client: Client, server: StubServer) -> None:
    alice_east = client
    bob_east = ec2(server.url, key="AKIDBOB")
    alice_west = ec2(server.url, region="us-west-2")
    [a] = create(alice_east, ["vpc-1"])["FlowLogIds"]
    [b] = create(bob_east, ["vpc-1"])["FlowLogIds"]  # no FlowLogAlreadyExists across accounts
    [w] = create(alice_west, ["vpc-1"])["FlowLogIds"]
    assert [i["FlowLogId"] for i in describe_all(alice_east)] == [a]
    assert [i["FlowLogId"] for i in describe_all(bob_east)] == [b]
    assert [i["FlowLogId"] for i in describe_all(alice_west)] == [w]
    assert describe_all(bob_east, FlowLogIds=[a]) == []
    gone = payload(bob_east.delete_flow_logs(FlowLogIds=[a]))
    assert gone["Unsuccessful"][0]["Error"]["Code"] == "InvalidFlowLogId.NotFound"
    assert [i["FlowLogId"] for i in describe_all(alice_east)] == [a]
    # the account id is stable per key and differs between keys (seen in the log group ARN)
    arn_a = describe_all(alice_east)[0]["LogDestination"]
    arn_b = describe_all(bob_east)[0]["LogDestination"]
    assert arn_a.split(":")[4] != arn_b.split(":")[4]
    assert describe_all(alice_west)[0]["LogDestination"].split(":")[3:5] == [
        "us-west-2",
        arn_a.split(":")[4],
    ]


# -- responses are what the generated code expects ------------------------------------------


def test_responses_load_into_the_generated_dataclasses(
    client: Client, population: dict[str, dict[str, str | None]]
) -> None:
    create(client, ["vpc-9"], ClientToken="t")
    described = payload(client.describe_flow_logs(MaxResults=2))
    result = shapes().DescribeFlowLogsResult.from_dict(described, unknown="error")
    assert len(result.flow_logs) == 2 and result.next_token
    assert result.flow_logs[0].max_aggregation_interval == 600
    assert validators().validate("DescribeFlowLogs", {}, strict=True) == []
    assert validators().validate_output("DescribeFlowLogs", described) == []
    created = payload(
        client.create_flow_logs(
            ResourceIds=["vpc-9", "subnet-1"],
            ResourceType="VPC",
            TrafficType="ALL",
            LogGroupName="my-logs",
            ClientToken="u",
        )
    )
    typed = shapes().CreateFlowLogsResult.from_dict(created, unknown="error")
    assert typed.client_token == "u" and typed.unsuccessful[0].error.code == "FlowLogAlreadyExists"
    assert validators().validate_output("CreateFlowLogs", created) == []
    deleted = payload(client.delete_flow_logs(FlowLogIds=["fl-0123456789abcdef0"]))
    assert shapes().DeleteFlowLogsResult.from_dict(deleted, unknown="error").unsuccessful
    assert validators().validate_output("DeleteFlowLogs", deleted) == []


def test_operations_without_behaviour_answer_their_example(server: StubServer) -> None:
    service = server.services[0]
    behaviour = service.behaviours.pop("DescribeFlowLogs")
    try:
        response = payload(ec2(server.url).describe_flow_logs())
    finally:
        service.behaviours["DescribeFlowLogs"] = behaviour
    assert response == service.protocol.example_response("DescribeFlowLogs")
    assert validators().validate_output("DescribeFlowLogs", response) == []
    assert response["FlowLogs"], "an example should show at least one item"


# -- concurrency ----------------------------------------------------------------------------


def _in_threads(n: int, fn: Callable[[int], T]) -> list[T]:
    results: dict[int, T] = {}
    errors: list[Exception] = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return [results[i] for i in range(n)]


def test_one_client_token_from_8_threads_makes_one_flow_log(
    client: Client, server: StubServer
) -> None:
    results = _in_threads(8, lambda i: create(client, ["vpc-1"], ClientToken="same"))
    ids = {tuple(r["FlowLogIds"]) for r in results}
    assert len(ids) == 1 and len(next(iter(ids))) == 1
    assert [i["FlowLogId"] for i in describe_all(client)] == list(next(iter(ids)))


def test_20_threads_creating_distinct_flow_logs_lose_none(
    client: Client, server: StubServer
) -> None:
    results = _in_threads(20, lambda i: create(client, [f"vpc-{i}"]))
    made = sorted(r["FlowLogIds"][0] for r in results)
    assert sorted(i["FlowLogId"] for i in describe_all(client)) == made
    assert len(set(made)) == 20


def test_describe_behaviour_returns_python_values_the_output_validator_accepts(
    client: Client, server: StubServer
) -> None:
    """The behaviour sees and returns Python values only (the wire is the protocol layer's):
    every page is a dict of botocore's output shape that the strict output validator accepts,
    with the strings a client sent given back exactly."""
    from datetime import datetime

    from codegen.server.behaviours.ec2_flow_logs import FlowLogs
    from codegen.server.context import Caller, Context

    service = server.services[0]
    describe = service.behaviours["DescribeFlowLogs"]
    assert isinstance(describe, MethodType)  # a bound method of the object holding the flow logs
    flow_logs = describe.__self__
    assert isinstance(flow_logs, FlowLogs)
    create(client, ["vpc-<&>\"'", "vpc-2"], LogGroupName="a]]>b&c")
    create(
        client,
        ["subnet-1"],
        ResourceType="Subnet",
        TrafficType="REJECT",
        LogGroupName=None,
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::bucket/x/",
        LogFormat="${srcaddr}",
        MaxAggregationInterval=60,
    )
    account = describe_all(client)[0]["LogDestination"].split(":")[4]
    ctx = Context(
        Caller(account, "us-east-1"), "5f0c1a62-0d0e-4b7c-9f4e-000000000001", server.state
    )
    token = flow_logs.describe(ctx, {"MaxResults": 1})["NextToken"]
    for params in (
        {},
        {"MaxResults": 1},
        {"MaxResults": 1, "NextToken": token},
        {"Filter": [{"Name": "resource-id", "Values": ["vpc-<&>\"'"]}]},
    ):
        page = flow_logs.describe(ctx, params)
        assert isinstance(page, dict), params
        assert service.protocol.validators.validate_output("DescribeFlowLogs", page) == [], params
        assert all(isinstance(i["CreationTime"], datetime) for i in page["FlowLogs"])
    found = flow_logs.describe(
        ctx, {"Filter": [{"Name": "resource-id", "Values": ["vpc-<&>\"'"]}]}
    )
    assert [(i["ResourceId"], i["LogGroupName"]) for i in found["FlowLogs"]] == [
        ("vpc-<&>\"'", "a]]>b&c")
    ]
