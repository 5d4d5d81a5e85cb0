"""The derived engine through boto3: whole EC2 of the installed botocore, served.

Every expectation here comes from AWS's documentation of EC2 or from botocore (its waiters,
its paginators), never from the derivation under test: ids of the documented form (``vpc-``
and 17 hex digits), the documented error codes (``InvalidVpcID.NotFound``,
``InvalidKeyPair.Duplicate``), the documented instance state codes (0 pending, 16 running, 32
shutting-down, 48 terminated), boto3's own waiters and paginators. Each test is an account of
its own (a fresh access key) on the session's server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError, WaiterError

from codegen.server import StubServer
from tests.support.server import OWNER_ACCOUNT, OWNER_KEY, ec2, error_of, fresh_key, reset_status

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FAST = {"Delay": 0, "MaxAttempts": 6}


def hex_id(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-[0-9a-f]{{17}}$")


@pytest.fixture
def client(ec2_server: StubServer) -> Any:
    return ec2(ec2_server.url, key=fresh_key())


# -- create, read, list, delete ------------------------------------------------------------


def test_a_vpc_is_created_read_listed_and_deleted(client: Any) -> None:
    vpc = client.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]
    assert hex_id("vpc").match(vpc["VpcId"])
    assert vpc["CidrBlock"] == "10.1.0.0/16"  # what the request gave
    assert vpc["State"] == "pending"  # where VpcAvailable waits
    (listed,) = client.describe_vpcs()["Vpcs"]
    assert listed["VpcId"] == vpc["VpcId"] and listed["CidrBlock"] == "10.1.0.0/16"
    (by_id,) = client.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"]
    assert by_id["State"] == "available"  # the second read: settled
    client.delete_vpc(VpcId=vpc["VpcId"])
    assert client.describe_vpcs()["Vpcs"] == []
    with pytest.raises(ClientError) as excinfo:
        client.describe_vpcs(VpcIds=[vpc["VpcId"]])
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidVpcID.NotFound", 400)
    assert vpc["VpcId"] in message


def test_records_carry_the_owner_account_and_the_region_zone(ec2_server: StubServer) -> None:
    client = ec2(ec2_server.url, key=OWNER_KEY, region="eu-west-3")
    vpc = client.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]
    assert vpc["OwnerId"] == OWNER_ACCOUNT
    subnet = client.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.2.1.0/24")["Subnet"]
    assert hex_id("subnet").match(subnet["SubnetId"])
    assert subnet["VpcId"] == vpc["VpcId"]
    assert subnet["AvailabilityZone"] == "eu-west-3a"
    assert subnet["OwnerId"] == OWNER_ACCOUNT
    client.delete_subnet(SubnetId=subnet["SubnetId"])
    client.delete_vpc(VpcId=vpc["VpcId"])


def test_ids_are_unique(client: Any) -> None:
    ids = [client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _ in range(40)]
    assert len(set(ids)) == 40
    assert all(hex_id("vpc").match(i) for i in ids)


def test_unknown_ids_get_the_documented_not_found_codes(client: Any) -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: client.describe_vpcs(VpcIds=["vpc-0123456789abcdef0"]), "InvalidVpcID.NotFound"),
        (lambda: client.delete_vpc(VpcId="vpc-0123456789abcdef0"), "InvalidVpcID.NotFound"),
        (
            lambda: client.describe_instances(InstanceIds=["i-0123456789abcdef0"]),
            "InvalidInstanceID.NotFound",
        ),
        (
            lambda: client.terminate_instances(InstanceIds=["i-0123456789abcdef0"]),
            "InvalidInstanceID.NotFound",
        ),
        (
            lambda: client.describe_security_groups(GroupIds=["sg-0123456789abcdef0"]),
            "InvalidGroup.NotFound",
        ),
        (lambda: client.describe_key_pairs(KeyNames=["nope"]), "InvalidKeyPair.NotFound"),
        (
            lambda: client.describe_volumes(VolumeIds=["vol-0123456789abcdef0"]),
            "InvalidVolume.NotFound",
        ),
        (
            lambda: client.describe_subnets(SubnetIds=["subnet-0123456789abcdef0"]),
            "InvalidSubnetID.NotFound",
        ),
        (
            lambda: client.describe_internet_gateways(
                InternetGatewayIds=["igw-0123456789abcdef0"]
            ),
            "InvalidInternetGateway.NotFound",
        ),
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo)[:2] == (expected, 400)


def test_one_unknown_id_among_known_ones_fails_the_whole_describe(client: Any) -> None:
    vpc = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    with pytest.raises(ClientError) as excinfo:
        client.describe_vpcs(VpcIds=[vpc, "vpc-00000000000000000"])
    code, _, message = error_of(excinfo)
    assert code == "InvalidVpcID.NotFound"
    assert "vpc-00000000000000000" in message and vpc not in message


# -- waiters and states ------------------------------------------------------------------------


def test_instances_run_in_one_reservation_and_the_waiters_succeed(client: Any) -> None:
    run = client.run_instances(
        ImageId="ami-12345678", MinCount=3, MaxCount=3, InstanceType="t3.micro"
    )
    assert re.match(r"^r-[0-9a-f]{17}$", run["ReservationId"])
    instances = run["Instances"]
    ids = [i["InstanceId"] for i in instances]
    assert len(ids) == 3 and all(hex_id("i").match(i) for i in ids)
    assert {(i["State"]["Code"], i["State"]["Name"]) for i in instances} == {(0, "pending")}
    assert {i["ImageId"] for i in instances} == {"ami-12345678"}
    assert {i["InstanceType"] for i in instances} == {"t3.micro"}
    (reservation,) = client.describe_instances()["Reservations"]
    assert reservation["ReservationId"] == run["ReservationId"]
    assert [i["InstanceId"] for i in reservation["Instances"]] == ids
    client.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    states = {
        (i["State"]["Code"], i["State"]["Name"])
        for r in client.describe_instances(InstanceIds=ids)["Reservations"]
        for i in r["Instances"]
    }
    assert states == {(16, "running")}
    client.get_waiter("instance_exists").wait(InstanceIds=ids, WaiterConfig=FAST)
    client.get_waiter("instance_status_ok").wait(InstanceIds=ids, WaiterConfig=FAST)

    terminating = client.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
    assert {t["InstanceId"] for t in terminating} == set(ids)
    for change in terminating:
        assert change["PreviousState"] == {"Code": 16, "Name": "running"}
        assert change["CurrentState"] == {"Code": 32, "Name": "shutting-down"}
    client.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig=FAST)
    # terminated instances stay visible, as on AWS
    names = {
        (i["State"]["Code"], i["State"]["Name"])
        for r in client.describe_instances(InstanceIds=ids)["Reservations"]
        for i in r["Instances"]
    }
    assert names == {(48, "terminated")}


def test_a_new_instance_is_not_running_yet_so_instance_stopped_fails_at_once(client: Any) -> None:
    """botocore's InstanceStopped fails on ``pending``: a new instance is pending, as on AWS."""
    (instance,) = client.run_instances(ImageId="ami-1", MinCount=1, MaxCount=1)["Instances"]
    with pytest.raises(WaiterError) as excinfo:
        client.get_waiter("instance_stopped").wait(
            InstanceIds=[instance["InstanceId"]], WaiterConfig=FAST
        )
    assert "failure state" in str(excinfo.value)


def test_waiters_of_other_resources(client: Any) -> None:
    vpc = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    client.get_waiter("vpc_exists").wait(VpcIds=[vpc], WaiterConfig=FAST)
    client.get_waiter("vpc_available").wait(VpcIds=[vpc], WaiterConfig=FAST)
    subnet = client.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    client.get_waiter("subnet_available").wait(SubnetIds=[subnet], WaiterConfig=FAST)
    volume = client.create_volume(AvailabilityZone="us-east-1a", Size=8)
    assert volume["State"] == "creating" and volume["Size"] == 8
    client.get_waiter("volume_available").wait(VolumeIds=[volume["VolumeId"]], WaiterConfig=FAST)
    client.delete_volume(VolumeId=volume["VolumeId"])
    client.get_waiter("volume_deleted").wait(VolumeIds=[volume["VolumeId"]], WaiterConfig=FAST)
    nat = client.create_nat_gateway(SubnetId=subnet)["NatGateway"]
    assert nat["State"] == "pending"
    client.get_waiter("nat_gateway_available").wait(
        NatGatewayIds=[nat["NatGatewayId"]], WaiterConfig=FAST
    )
    client.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"])
    client.get_waiter("nat_gateway_deleted").wait(
        NatGatewayIds=[nat["NatGatewayId"]], WaiterConfig=FAST
    )
    group = client.create_security_group(GroupName="web", Description="d", VpcId=vpc)["GroupId"]
    client.get_waiter("security_group_exists").wait(GroupIds=[group], WaiterConfig=FAST)
    client.create_key_pair(KeyName="waited")
    client.get_waiter("key_pair_exists").wait(KeyNames=["waited"], WaiterConfig=FAST)


def test_settle_after_counts_the_reads(ec2_server: StubServer) -> None:
    client = ec2(ec2_server.url, key=fresh_key())
    state = ec2_server.state
    try:
        state.settle_after = 0
        assert client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["State"] == "available"
        state.settle_after = 3
        vpc = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        seen = [client.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["State"] for _ in range(5)]
        assert seen == ["pending", "pending", "pending", "available", "available"]
    finally:
        state.settle_after = 1


# -- filters and pagination ----------------------------------------------------------------------


def test_describe_filters_map_to_record_members(client: Any) -> None:
    a = client.create_vpc(
        CidrBlock="10.0.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "team", "Value": "red"}]}],
    )["Vpc"]["VpcId"]
    b = client.create_vpc(
        CidrBlock="10.9.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "owner", "Value": "red"}]}],
    )["Vpc"]["VpcId"]

    def ids(*filters: tuple[str, list[str]]) -> list[str]:
        found = client.describe_vpcs(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return [v["VpcId"] for v in found["Vpcs"]]

    assert ids(("vpc-id", [b])) == [b]
    assert ids(("cidr", ["10.0.0.0/16"])) == [a]
    assert ids(("tag:team", ["red"])) == [a]
    assert ids(("tag:team", ["blue"])) == []
    assert ids(("tag-key", ["team"])) == [a]
    assert ids(("tag-value", ["red"])) == [a, b]
    assert ids(("tag:owner", ["red"])) == [b]  # the value of that key, not of any
    assert ids(("vpc-id", [a, b]), ("tag-key", ["team"])) == [a]  # filters AND-ed
    assert ids(("vpc-id", [a, b])) == [a, b]  # values OR-ed, in creation order
    assert ids(("is-default", ["false"])) == [a, b]
    assert ids(("owner-id", ["999999999999"])) == []
    client.describe_vpcs(VpcIds=[a, b])  # settles both
    assert ids(("state", ["available"])) == [a, b]
    with pytest.raises(ClientError) as excinfo:
        ids(("no-such-filter", ["x"]))
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterValue", 400) and "no-such-filter" in message


def test_instance_filters(client: Any) -> None:
    run = client.run_instances(ImageId="ami-1", MinCount=2, MaxCount=2, InstanceType="t3.nano")
    ids = [i["InstanceId"] for i in run["Instances"]]
    other = client.run_instances(ImageId="ami-2", MinCount=1, MaxCount=1)["Instances"][0]

    def found(name: str, values: list[str]) -> list[str]:
        reservations = client.describe_instances(Filters=[{"Name": name, "Values": values}])
        return [i["InstanceId"] for r in reservations["Reservations"] for i in r["Instances"]]

    assert found("instance-state-name", ["running"]) == []
    assert found("instance-state-name", ["pending"]) == [*ids, other["InstanceId"]]
    # seen once: due to run, so a read that asks for running ones finds them
    assert found("instance-state-name", ["running"]) == [*ids, other["InstanceId"]]
    assert found("instance-state-code", ["16"]) == [*ids, other["InstanceId"]]
    assert found("image-id", ["ami-1"]) == ids
    assert found("instance-type", ["t3.nano"]) == ids
    assert found("instance-id", [other["InstanceId"]]) == [other["InstanceId"]]
    assert found("availability-zone", ["us-east-1a"]) == [*ids, other["InstanceId"]]


def test_pages_follow_the_models_tokens(client: Any) -> None:
    ids = [client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _ in range(12)]
    first = client.describe_vpcs(MaxResults=5)
    assert [v["VpcId"] for v in first["Vpcs"]] == ids[:5]
    second = client.describe_vpcs(MaxResults=5, NextToken=first["NextToken"])
    assert [v["VpcId"] for v in second["Vpcs"]] == ids[5:10]
    third = client.describe_vpcs(MaxResults=5, NextToken=second["NextToken"])
    assert [v["VpcId"] for v in third["Vpcs"]] == ids[10:]
    assert "NextToken" not in third
    pages = client.get_paginator("describe_vpcs").paginate(PaginationConfig={"PageSize": 5})
    assert [v["VpcId"] for page in pages for v in page["Vpcs"]] == ids
    # a token is bound to its account, its filters and its operation
    with pytest.raises(ClientError) as excinfo:
        client.describe_vpcs(
            MaxResults=5,
            NextToken=first["NextToken"],
            Filters=[{"Name": "vpc-id", "Values": ids}],
        )
    assert error_of(excinfo)[0] == "InvalidPaginationToken"
    stranger = ec2(client.meta.endpoint_url, key=fresh_key())
    with pytest.raises(ClientError) as excinfo:
        stranger.describe_vpcs(MaxResults=5, NextToken=first["NextToken"])
    assert error_of(excinfo)[0] == "InvalidPaginationToken"
    for garbage in ("x", "e30.AAAA", "." * 500, first["NextToken"][:-2] + "xx"):
        with pytest.raises(ClientError) as excinfo:
            client.describe_vpcs(MaxResults=5, NextToken=garbage)
        assert error_of(excinfo)[:2] == ("InvalidPaginationToken", 400)


def test_records_created_between_pages_come_after_those_seen(client: Any) -> None:
    ids = [client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _ in range(6)]
    first = client.describe_vpcs(MaxResults=5)
    late = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    second = client.describe_vpcs(MaxResults=5, NextToken=first["NextToken"])
    assert [v["VpcId"] for v in first["Vpcs"] + second["Vpcs"]] == [*ids, late]


# -- names, updates, tags, idempotency -----------------------------------------------------------


def test_key_pairs_by_name_with_the_duplicate_error(client: Any) -> None:
    created = client.create_key_pair(KeyName="deploy")
    assert created["KeyName"] == "deploy"
    assert hex_id("key").match(created["KeyPairId"])
    with pytest.raises(ClientError) as excinfo:
        client.create_key_pair(KeyName="deploy")
    assert error_of(excinfo)[:2] == ("InvalidKeyPair.Duplicate", 400)
    (listed,) = client.describe_key_pairs(KeyNames=["deploy"])["KeyPairs"]
    assert listed["KeyPairId"] == created["KeyPairId"]
    client.delete_key_pair(KeyName="deploy")
    assert client.describe_key_pairs()["KeyPairs"] == []
    client.create_key_pair(KeyName="deploy")  # the name is free again


def test_security_group_names_are_unique(client: Any) -> None:
    group = client.create_security_group(GroupName="db", Description="x")
    assert hex_id("sg").match(group["GroupId"])
    with pytest.raises(ClientError) as excinfo:
        client.create_security_group(GroupName="db", Description="y")
    assert error_of(excinfo)[0] == "InvalidGroup.Duplicate"
    (listed,) = client.describe_security_groups(GroupIds=[group["GroupId"]])["SecurityGroups"]
    assert listed["GroupName"] == "db" and listed["Description"] == "x"


def test_an_update_is_read_back(client: Any) -> None:
    vpc = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    client.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    answer = client.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")
    assert answer["VpcId"] == vpc
    assert answer["EnableDnsHostnames"] == {"Value": True}
    client.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": False})
    answer = client.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")
    assert answer["EnableDnsHostnames"] == {"Value": False}
    with pytest.raises(ClientError) as excinfo:
        client.modify_vpc_attribute(
            VpcId="vpc-00000000000000000", EnableDnsSupport={"Value": True}
        )
    assert error_of(excinfo)[0] == "InvalidVpcID.NotFound"


def test_tags_on_any_stored_resource(client: Any) -> None:
    vpc = client.create_vpc(
        CidrBlock="10.0.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "1"}]}],
    )["Vpc"]
    assert vpc["Tags"] == [{"Key": "a", "Value": "1"}]
    (instance,) = client.run_instances(ImageId="ami-1", MinCount=1, MaxCount=1)["Instances"]
    assert "Tags" not in instance
    client.create_tags(
        Resources=[vpc["VpcId"], instance["InstanceId"]],
        Tags=[{"Key": "env", "Value": "test"}, {"Key": "a", "Value": "2"}],
    )
    (described,) = client.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"]
    assert sorted((t["Key"], t["Value"]) for t in described["Tags"]) == [
        ("a", "2"),
        ("env", "test"),
    ]
    tags = client.describe_tags()["Tags"]
    assert sorted(
        (t["ResourceId"], t["ResourceType"], t["Key"], t["Value"]) for t in tags
    ) == sorted(
        [
            (vpc["VpcId"], "vpc", "a", "2"),
            (vpc["VpcId"], "vpc", "env", "test"),
            (instance["InstanceId"], "instance", "a", "2"),
            (instance["InstanceId"], "instance", "env", "test"),
        ]
    )
    only = client.describe_tags(Filters=[{"Name": "resource-type", "Values": ["instance"]}])
    assert {t["ResourceId"] for t in only["Tags"]} == {instance["InstanceId"]}
    keyed = client.describe_tags(Filters=[{"Name": "key", "Values": ["env"]}])["Tags"]
    assert len(keyed) == 2
    client.delete_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "env"}, {"Key": "a", "Value": "9"}])
    (described,) = client.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"]
    assert described["Tags"] == [{"Key": "a", "Value": "2"}]  # a Value that differs: kept
    with pytest.raises(ClientError) as excinfo:
        client.create_tags(Resources=["vpc-00000000000000000"], Tags=[{"Key": "k", "Value": "v"}])
    assert error_of(excinfo)[0] == "InvalidVpcID.NotFound"


def test_describe_tags_pages(client: Any) -> None:
    vpc = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    client.create_tags(Resources=[vpc], Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(7)])
    pages = client.get_paginator("describe_tags").paginate(PaginationConfig={"PageSize": 5})
    assert sorted(t["Key"] for page in pages for t in page["Tags"]) == [f"k{i}" for i in range(7)]


def test_a_client_token_repeats_the_first_answer(client: Any) -> None:
    first = client.run_instances(ImageId="ami-1", MinCount=2, MaxCount=2, ClientToken="tok-1")
    again = client.run_instances(ImageId="ami-1", MinCount=2, MaxCount=2, ClientToken="tok-1")
    assert [i["InstanceId"] for i in again["Instances"]] == [
        i["InstanceId"] for i in first["Instances"]
    ]
    assert again["ReservationId"] == first["ReservationId"]
    listed = [
        i["InstanceId"]
        for r in client.describe_instances()["Reservations"]
        for i in r["Instances"]
    ]
    assert len(listed) == 2
    with pytest.raises(ClientError) as excinfo:
        client.run_instances(ImageId="ami-2", MinCount=2, MaxCount=2, ClientToken="tok-1")
    assert error_of(excinfo)[0] == "IdempotentParameterMismatch"


def test_max_count_is_bounded(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.run_instances(ImageId="ami-1", MinCount=1, MaxCount=1_000_000)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("InvalidParameterValue", 400) and "MaxCount" in message


# -- accounts, regions, reset ------------------------------------------------------------------


def test_accounts_and_regions_do_not_see_each_other(ec2_server: StubServer) -> None:
    key = fresh_key()
    east = ec2(ec2_server.url, key=key, region="us-east-1")
    west = ec2(ec2_server.url, key=key, region="us-west-2")
    stranger = ec2(ec2_server.url, key=fresh_key(), region="us-east-1")
    vpc = east.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert west.describe_vpcs()["Vpcs"] == []
    assert stranger.describe_vpcs()["Vpcs"] == []
    for other in (west, stranger):
        with pytest.raises(ClientError) as excinfo:
            other.delete_vpc(VpcId=vpc)
        assert error_of(excinfo)[0] == "InvalidVpcID.NotFound"
    assert [v["VpcId"] for v in east.describe_vpcs()["Vpcs"]] == [vpc]


def test_the_reset_endpoints_forget_everything(ec2_server: StubServer) -> None:
    client = ec2(ec2_server.url, key=fresh_key())
    for path in ("/_apigen/reset", "/moto-api/reset"):
        client.create_vpc(CidrBlock="10.0.0.0/16")
        assert len(client.describe_vpcs()["Vpcs"]) == 1
        assert reset_status(ec2_server.url, path) == (200, b'{"status": "ok"}')
        assert client.describe_vpcs()["Vpcs"] == []
    status, _ = reset_status(ec2_server.url, "/_apigen/reset", method="GET")
    assert status == 405
    client.create_vpc(CidrBlock="10.0.0.0/16")
    ec2_server.reset()  # running_server's reset goes through the endpoint
    assert client.describe_vpcs()["Vpcs"] == []
