"""STS's hand-written behaviours (``codegen/server/behaviours/sts.py``) through real boto3: the
caller is the account its access key maps to, the same one every other service of the server
puts its resources in; credentials from AssumeRole act in the role's account, in any service,
and GetCallerIdentity then names the assumed role's session, as STS does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import pytest

from codegen.server import StubServer, running_server
from codegen.server.auth import minted_account
from tests.support.server import NO_RETRIES, Client, fresh_key

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server(services=["sts", "sqs"]) as running:
        for service in running.services:
            service.load()
        yield running


def client(server: StubServer, service: str, key: str, token: str | None = None) -> Client:
    return boto3.session.Session().client(
        service,
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id=key,
        aws_secret_access_key="secret",
        aws_session_token=token,
        config=NO_RETRIES,
    )


def test_the_caller_is_the_account_the_other_services_use(server: StubServer) -> None:
    key, other = fresh_key(), fresh_key()
    sts, sqs = client(server, "sts", key), client(server, "sqs", key)
    me = sts.get_caller_identity()
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    assert f"/{me['Account']}/jobs" in url  # the queue is in the caller's account
    assert me["Arn"] == f"arn:aws:iam::{me['Account']}:root"
    assert len(me["Account"]) == 12 and me["Account"].isdigit()
    theirs = client(server, "sts", other).get_caller_identity()
    assert theirs["Account"] != me["Account"]
    again = client(server, "sts", key).get_caller_identity()
    assert {k: again[k] for k in ("UserId", "Account", "Arn")} == {
        k: me[k] for k in ("UserId", "Account", "Arn")
    }


def test_assumed_credentials_act_in_the_roles_account(server: StubServer) -> None:
    sts = client(server, "sts", fresh_key())
    before = datetime.now(timezone.utc)
    assumed = sts.assume_role(
        RoleArn="arn:aws:iam::111122223333:role/ops/deployer",
        RoleSessionName="ci-run",
        DurationSeconds=1800,
    )
    credentials = assumed["Credentials"]
    key = credentials["AccessKeyId"]
    assert key.startswith("ASIA") and len(key) == 20 and minted_account(key) == "111122223333"
    assert 1790 <= (credentials["Expiration"] - before).total_seconds() <= 1810
    arn = "arn:aws:sts::111122223333:assumed-role/deployer/ci-run"
    assert assumed["AssumedRoleUser"]["Arn"] == arn
    assert assumed["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    assert assumed["AssumedRoleUser"]["AssumedRoleId"].endswith(":ci-run")

    as_role = client(server, "sts", key, credentials["SessionToken"])
    identity = as_role.get_caller_identity()
    assert identity["Account"] == "111122223333" and identity["Arn"] == arn
    assert identity["UserId"] == assumed["AssumedRoleUser"]["AssumedRoleId"]
    sqs = client(server, "sqs", key, credentials["SessionToken"])
    url = sqs.create_queue(QueueName="deploys")["QueueUrl"]
    assert "/111122223333/deploys" in url
    info = sts.get_access_key_info(AccessKeyId=key)
    assert info["Account"] == "111122223333"

    again = sts.assume_role(
        RoleArn="arn:aws:iam::111122223333:role/ops/deployer", RoleSessionName="ci-run"
    )
    assert again["Credentials"]["AccessKeyId"] != key  # a new key each time


def test_session_and_federation_tokens_keep_the_callers_account(server: StubServer) -> None:
    sts = client(server, "sts", fresh_key())
    account = sts.get_caller_identity()["Account"]
    session = sts.get_session_token()["Credentials"]
    assert minted_account(session["AccessKeyId"]) == account
    federated = sts.get_federation_token(Name="alice")
    assert federated["FederatedUser"]["Arn"] == f"arn:aws:sts::{account}:federated-user/alice"
    as_alice = client(
        server,
        "sts",
        federated["Credentials"]["AccessKeyId"],
        federated["Credentials"]["SessionToken"],
    )
    assert as_alice.get_caller_identity()["Arn"] == federated["FederatedUser"]["Arn"]
