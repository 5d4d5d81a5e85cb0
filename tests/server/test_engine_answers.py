"""What the derived engine answers around a record, on IAM's groups and policies (derived, not
hand-written): no example values where the request set nothing, a global service's ARNs
without a region, and a read's other members (lists, the truncation flag) as an empty page.
Expectations from IAM's API reference (GetGroup, CreatePolicy) and its ARN format
(``arn:aws:iam::ACCOUNT:group/NAME``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from codegen.server import StubServer, running_server
from tests.support.server import NO_RETRIES, Client, fresh_key, session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server(services=["iam"]) as running:
        for service in running.services:
            service.load()
        yield running


@pytest.fixture
def iam(server: StubServer) -> Client:
    return session().client(
        "iam",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id=fresh_key(),
        aws_secret_access_key="x",
        config=NO_RETRIES,
    )


def test_a_global_services_arns_have_no_region(iam: Client) -> None:
    group = iam.create_group(GroupName="devs")["Group"]
    account = group["Arn"].split(":")[4]
    assert group["Arn"] == f"arn:aws:iam::{account}:group/devs"
    policy = iam.create_policy(PolicyName="read", PolicyDocument='{"Statement": []}')["Policy"]
    assert policy["Arn"] == f"arn:aws:iam::{account}:policy/read"
    assert not group["GroupId"].startswith("sg-")  # EC2's prefixes are EC2's


def test_what_the_request_did_not_set_is_not_made_up(iam: Client) -> None:
    policy = iam.create_policy(PolicyName="bare", PolicyDocument='{"Statement": []}')["Policy"]
    read = iam.get_policy(PolicyArn=policy["Arn"])["Policy"]
    assert "Description" not in read and "Description" not in policy
    described = iam.create_policy(
        PolicyName="described", PolicyDocument='{"Statement": []}', Description="for readers"
    )["Policy"]
    assert iam.get_policy(PolicyArn=described["Arn"])["Policy"]["Description"] == "for readers"


def test_a_reads_other_members_are_an_empty_page(iam: Client) -> None:
    iam.create_group(GroupName="ops")
    answer = iam.get_group(GroupName="ops")
    assert answer["Group"]["GroupName"] == "ops"
    assert answer["Users"] == [] and answer["IsTruncated"] is False
    assert "Marker" not in answer
    pages = list(iam.get_paginator("get_group").paginate(GroupName="ops"))
    assert len(pages) == 1
    listed = iam.list_groups()
    assert [g["GroupName"] for g in listed["Groups"]] == ["ops"]
    assert listed["IsTruncated"] is False
