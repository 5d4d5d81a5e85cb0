"""IAM's hand-written user and role behaviours (``codegen/server/behaviours/iam.py``) through
real boto3 against the server ``apigen serve`` runs (``running_server``), IAM imported whole
from the installed botocore. botocore URL-decodes and parses the policy documents IAM answers
(its ``json_decode_policies`` handler), so a document read back as the dict it was proves the
server answered it URL-encoded, as IAM does."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
from botocore.exceptions import ClientError

from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:*:*:123456789012:a b/%+&?"}},
        }
    ],
}
NOW = {"Delay": 0, "MaxAttempts": 2}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("iam",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def iam(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "iam")


def test_users(iam: Client) -> None:
    user = iam.create_user(UserName="alice", Path="/eng/", Tags=[{"Key": "k", "Value": "v"}])[
        "User"
    ]
    account = user["Arn"].split(":")[4]
    assert re.fullmatch(r"\d{12}", account)
    assert user["Arn"] == f"arn:aws:iam::{account}:user/eng/alice"
    assert re.fullmatch(r"AIDA[A-Z0-9]{17}", user["UserId"])
    iam.get_waiter("user_exists").wait(UserName="alice", WaiterConfig=NOW)
    got = iam.get_user(UserName="ALICE")["User"]  # names are not told apart by case
    assert (got["UserName"], got["UserId"], got["Tags"]) == (
        "alice",
        user["UserId"],
        [{"Key": "k", "Value": "v"}],
    )
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as excinfo:
        iam.create_user(UserName="Alice")
    assert error_of(excinfo)[:2] == ("EntityAlreadyExists", 409)
    iam.create_user(UserName="bob")
    iam.create_user(UserName="carol", Path="/eng/")
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice", "bob", "carol"]
    assert [u["UserName"] for u in iam.list_users(PathPrefix="/eng/")["Users"]] == [
        "alice",
        "carol",
    ]
    pages = iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2})
    assert [[u["UserName"] for u in page["Users"]] for page in pages] == [
        ["alice", "bob"],
        ["carol"],
    ]
    iam.update_user(UserName="bob", NewUserName="robert", NewPath="/ops/")
    assert iam.get_user(UserName="robert")["User"]["Arn"].endswith(":user/ops/robert")
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        iam.update_user(UserName="robert", NewUserName="Carol")
    iam.tag_user(UserName="alice", Tags=[{"Key": "team", "Value": "db"}])
    iam.untag_user(UserName="alice", TagKeys=["k"])
    assert iam.list_user_tags(UserName="alice")["Tags"] == [{"Key": "team", "Value": "db"}]
    iam.delete_user(UserName="alice")
    for call in (iam.get_user, iam.delete_user, iam.list_user_tags):
        with pytest.raises(iam.exceptions.NoSuchEntityException) as excinfo:
            call(UserName="alice")
        assert error_of(excinfo)[:2] == ("NoSuchEntity", 404)
    assert "The user with name alice cannot be found." in error_of(excinfo)[2]


def test_roles_keep_the_trust_policy(iam: Client) -> None:
    document = json.dumps(TRUST, indent=1)
    role = iam.create_role(
        RoleName="runner", AssumeRolePolicyDocument=document, Description="runs lambdas"
    )["Role"]
    account = role["Arn"].split(":")[4]
    assert role["Arn"] == f"arn:aws:iam::{account}:role/runner"
    assert re.fullmatch(r"AROA[A-Z0-9]{17}", role["RoleId"])
    assert role["AssumeRolePolicyDocument"] == TRUST and role["MaxSessionDuration"] == 3600
    iam.get_waiter("role_exists").wait(RoleName="runner", WaiterConfig=NOW)
    got = iam.get_role(RoleName="runner")["Role"]
    assert got["AssumeRolePolicyDocument"] == TRUST and got["Description"] == "runs lambdas"
    # what the server sent is IAM's: the document as given, URL-encoded
    raw: list[bytes] = []
    iam.meta.events.register(
        "after-call.iam.GetRole", lambda http_response, **_: raw.append(http_response.content)
    )
    iam.get_role(RoleName="runner")
    encoded = re.search(rb"<AssumeRolePolicyDocument>(.*)</AssumeRolePolicyDocument>", raw[0])
    assert encoded is not None and b"%7B" in encoded.group(1) and b"{" not in encoded.group(1)
    iam.update_role(RoleName="runner", MaxSessionDuration=7200)
    iam.update_assume_role_policy(RoleName="runner", PolicyDocument='{"Version":"2012-10-17"}')
    got = iam.get_role(RoleName="runner")["Role"]
    assert got["MaxSessionDuration"] == 7200
    assert got["AssumeRolePolicyDocument"] == {"Version": "2012-10-17"}
    for malformed in ("{not json", "[" * 60_000 + "]" * 60_000):  # the second: too deep to read
        with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
            iam.create_role(RoleName="bad", AssumeRolePolicyDocument=malformed)
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException):
        iam.create_role(RoleName="RUNNER", AssumeRolePolicyDocument=document)
    iam.create_role(RoleName="svc", Path="/service/", AssumeRolePolicyDocument=document)
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["runner", "svc"]
    assert [r["Arn"] for r in iam.list_roles(PathPrefix="/service/")["Roles"]] == [
        f"arn:aws:iam::{account}:role/service/svc"
    ]
    iam.tag_role(RoleName="svc", Tags=[{"Key": "a", "Value": "1"}])
    assert iam.list_role_tags(RoleName="svc")["Tags"] == [{"Key": "a", "Value": "1"}]
    iam.delete_role(RoleName="svc")
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_role(RoleName="svc")


def test_iam_is_global_and_per_account(iam: Client, server: StubServer) -> None:
    iam.create_user(UserName="dave")
    elsewhere = client_for(server.url, "iam", region="eu-west-1")
    assert elsewhere.get_user(UserName="dave")["User"]["UserName"] == "dave"
    other = client_for(server.url, "iam", key="AKIDBOB")
    with pytest.raises(other.exceptions.NoSuchEntityException):
        other.get_user(UserName="dave")
    with pytest.raises(ClientError) as excinfo:
        iam.get_user()
    assert error_of(excinfo)[0] == "ValidationError"
    with pytest.raises(ClientError) as excinfo:
        iam.list_users(Marker="%%%")
    assert error_of(excinfo)[0] == "InvalidInput"


def test_managed_policies_and_groups_link_users_and_roles(iam: Client) -> None:
    """Attach, list and detach managed policies on users, roles and groups; users in groups;
    IAM's refusals while something is linked (DeleteConflict). From IAM's API reference."""
    iam.create_user(UserName="ana")
    iam.create_role(RoleName="builder", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_group(GroupName="devs")
    mine = iam.create_policy(
        PolicyName="read-logs", Path="/team/", PolicyDocument='{"Statement": []}'
    )["Policy"]["Arn"]
    managed = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.attach_user_policy(UserName="ana", PolicyArn=mine)
    iam.attach_user_policy(UserName="ana", PolicyArn=managed)
    iam.attach_user_policy(UserName="ana", PolicyArn=managed)  # again: no change, no error
    iam.attach_role_policy(RoleName="builder", PolicyArn=mine)
    iam.attach_group_policy(GroupName="devs", PolicyArn=managed)
    attached = iam.list_attached_user_policies(UserName="ana")["AttachedPolicies"]
    assert attached == [
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": managed},
        {"PolicyName": "read-logs", "PolicyArn": mine},
    ]
    only_team = iam.list_attached_user_policies(UserName="ana", PathPrefix="/team/")
    assert only_team["AttachedPolicies"] == [{"PolicyName": "read-logs", "PolicyArn": mine}]
    assert iam.list_attached_role_policies(RoleName="builder")["AttachedPolicies"] == [
        {"PolicyName": "read-logs", "PolicyArn": mine}
    ]
    assert iam.get_policy(PolicyArn=mine)["Policy"]["AttachmentCount"] == 2
    entities = iam.list_entities_for_policy(PolicyArn=mine)
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["ana"]
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["builder"]
    assert entities["PolicyGroups"] == []

    refusals: list[tuple[Callable[[], object], str]] = [
        (lambda: iam.attach_user_policy(UserName="nobody", PolicyArn=mine), "NoSuchEntity"),
        (
            lambda: iam.attach_role_policy(
                RoleName="builder", PolicyArn=mine.replace("read-logs", "missing")
            ),
            "NoSuchEntity",
        ),
        (lambda: iam.detach_group_policy(GroupName="devs", PolicyArn=mine), "NoSuchEntity"),
        (lambda: iam.delete_policy(PolicyArn=mine), "DeleteConflict"),
        (lambda: iam.delete_role(RoleName="builder"), "DeleteConflict"),
    ]
    for call, code in refusals:
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised)[0] == code

    iam.add_user_to_group(GroupName="devs", UserName="ana")
    group = iam.get_group(GroupName="devs")
    assert [u["UserName"] for u in group["Users"]] == ["ana"]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="ana")["Groups"]] == ["devs"]
    with pytest.raises(ClientError) as raised:
        iam.delete_group(GroupName="devs")  # it has a member (and a policy)
    assert error_of(raised)[:2] == ("DeleteConflict", 409)

    iam.detach_user_policy(UserName="ana", PolicyArn=mine)
    iam.detach_user_policy(UserName="ana", PolicyArn=managed)
    with pytest.raises(ClientError) as raised:
        iam.delete_user(UserName="ana")  # still in a group
    assert error_of(raised)[:2] == ("DeleteConflict", 409)
    iam.remove_user_from_group(GroupName="devs", UserName="ana")
    assert iam.get_group(GroupName="devs")["Users"] == []
    iam.delete_user(UserName="ana")
    iam.detach_role_policy(RoleName="builder", PolicyArn=mine)
    iam.delete_policy(PolicyArn=mine)
    iam.delete_role(RoleName="builder")
    iam.detach_group_policy(GroupName="devs", PolicyArn=managed)
    iam.delete_group(GroupName="devs")
