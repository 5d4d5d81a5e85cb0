"""Secrets Manager's hand-written behaviours (``codegen/server/behaviours/secretsmanager.py``)
through real boto3 against the server ``apigen serve`` runs (``running_server``), Secrets
Manager imported whole from the installed botocore. boto3 fills ``ClientRequestToken`` itself
(the model marks it an idempotency token), so tokens here are either boto3's or given."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("secretsmanager",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def sm(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "secretsmanager")


def test_create_and_read_values_and_arn(sm: Client) -> None:
    made = sm.create_secret(Name="prod/db", SecretString='{"password":"hunter2"}')
    assert re.fullmatch(
        r"arn:aws:secretsmanager:us-east-1:\d{12}:secret:prod/db-[A-Za-z0-9]{6}", made["ARN"]
    )
    got = sm.get_secret_value(SecretId="prod/db")
    assert got["SecretString"] == '{"password":"hunter2"}' and "SecretBinary" not in got
    assert got["VersionId"] == made["VersionId"] and got["VersionStages"] == ["AWSCURRENT"]
    # by ARN, and by the ARN without its random suffix
    assert sm.get_secret_value(SecretId=made["ARN"])["ARN"] == made["ARN"]
    assert sm.get_secret_value(SecretId=made["ARN"][:-7])["ARN"] == made["ARN"]
    other = sm.create_secret(Name="prod/key", SecretBinary=b"\x00\xff key")
    assert sm.get_secret_value(SecretId=other["ARN"])["SecretBinary"] == b"\x00\xff key"
    assert other["ARN"] != made["ARN"]
    with pytest.raises(sm.exceptions.ResourceExistsException):
        sm.create_secret(Name="prod/db", SecretString="other")
    with pytest.raises(sm.exceptions.InvalidParameterException):
        sm.create_secret(Name="both", SecretString="a", SecretBinary=b"b")
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.get_secret_value(SecretId="prod/nothing")
    # a secret without a value has no AWSCURRENT version yet
    sm.create_secret(Name="empty")
    with pytest.raises(sm.exceptions.ResourceNotFoundException) as excinfo:
        sm.get_secret_value(SecretId="empty")
    assert "AWSCURRENT" in error_of(excinfo)[2]
    sm.put_secret_value(SecretId="empty", SecretString="first", VersionStages=["custom"])
    assert sm.get_secret_value(SecretId="empty")["VersionStages"] == ["AWSCURRENT", "custom"]


def test_versions_move_current_and_previous(sm: Client) -> None:
    first = sm.create_secret(Name="rotating", SecretString="v1")["VersionId"]
    second = sm.put_secret_value(SecretId="rotating", SecretString="v2")
    assert second["VersionStages"] == ["AWSCURRENT"] and second["VersionId"] != first
    third = sm.put_secret_value(SecretId="rotating", SecretString="v3")["VersionId"]
    assert sm.get_secret_value(SecretId="rotating")["SecretString"] == "v3"
    previous = sm.get_secret_value(SecretId="rotating", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == "v2" and previous["VersionId"] == second["VersionId"]
    assert sm.get_secret_value(SecretId="rotating", VersionId=first)["SecretString"] == "v1"
    assert sm.get_secret_value(SecretId="rotating", VersionId=first)["VersionStages"] == []
    with pytest.raises(sm.exceptions.InvalidRequestException):
        sm.get_secret_value(SecretId="rotating", VersionId=first, VersionStage="AWSCURRENT")
    stages = sm.describe_secret(SecretId="rotating")["VersionIdsToStages"]
    assert stages == {third: ["AWSCURRENT"], second["VersionId"]: ["AWSPREVIOUS"]}
    listed = sm.list_secret_version_ids(SecretId="rotating")["Versions"]
    assert {v["VersionId"] for v in listed} == {second["VersionId"], third}
    everything = sm.list_secret_version_ids(SecretId="rotating", IncludeDeprecated=True)
    assert [v["VersionId"] for v in everything["Versions"]] == [first, second["VersionId"], third]
    page = sm.list_secret_version_ids(SecretId="rotating", IncludeDeprecated=True, MaxResults=2)
    assert [v["VersionId"] for v in page["Versions"]] == [first, second["VersionId"]]
    page = sm.list_secret_version_ids(
        SecretId="rotating", IncludeDeprecated=True, MaxResults=2, NextToken=page["NextToken"]
    )
    assert [v["VersionId"] for v in page["Versions"]] == [third] and "NextToken" not in page
    # a staged version that is not AWSPENDING's: a pending label moves by hand
    pending = sm.put_secret_value(
        SecretId="rotating", SecretString="v4", VersionStages=["AWSPENDING"]
    )["VersionId"]
    assert sm.get_secret_value(SecretId="rotating")["SecretString"] == "v3"
    sm.update_secret_version_stage(
        SecretId="rotating",
        VersionStage="AWSCURRENT",
        MoveToVersionId=pending,
        RemoveFromVersionId=third,
    )
    assert sm.get_secret_value(SecretId="rotating")["SecretString"] == "v4"
    assert (
        sm.get_secret_value(SecretId="rotating", VersionStage="AWSPREVIOUS")["VersionId"] == third
    )


def test_client_request_token_is_the_version_id_and_idempotent(sm: Client) -> None:
    token = str(uuid.uuid4())
    made = sm.create_secret(Name="once", SecretString="v1", ClientRequestToken=token)
    assert made["VersionId"] == token
    # the same request again (a retry) changes nothing and answers the same
    again = sm.create_secret(Name="once", SecretString="v1", ClientRequestToken=token)
    assert (again["ARN"], again["VersionId"]) == (made["ARN"], token)
    put_token = str(uuid.uuid4())
    sm.put_secret_value(SecretId="once", SecretString="v2", ClientRequestToken=put_token)
    sm.put_secret_value(SecretId="once", SecretString="v2", ClientRequestToken=put_token)
    versions = sm.list_secret_version_ids(SecretId="once", IncludeDeprecated=True)["Versions"]
    assert [v["VersionId"] for v in versions] == [token, put_token]
    assert sm.get_secret_value(SecretId="once", VersionStage="AWSPREVIOUS")["VersionId"] == token
    with pytest.raises(sm.exceptions.ResourceExistsException):
        sm.put_secret_value(SecretId="once", SecretString="v3", ClientRequestToken=put_token)
    with pytest.raises(sm.exceptions.ResourceExistsException):
        sm.create_secret(Name="once", SecretString="v9", ClientRequestToken=token)


def test_update_secret(sm: Client) -> None:
    sm.create_secret(Name="app", SecretString="a", Description="old")
    updated = sm.update_secret(SecretId="app", Description="new")
    assert "VersionId" not in updated
    assert sm.describe_secret(SecretId="app")["Description"] == "new"
    with_value = sm.update_secret(SecretId="app", SecretString="b")
    got = sm.get_secret_value(SecretId="app")
    assert got["SecretString"] == "b" and got["VersionId"] == with_value["VersionId"]
    assert sm.get_secret_value(SecretId="app", VersionStage="AWSPREVIOUS")["SecretString"] == "a"
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.update_secret(SecretId="nothing", Description="x")


def test_delete_with_recovery_window_then_restore(sm: Client) -> None:
    arn = sm.create_secret(Name="doomed", SecretString="x")["ARN"]
    deleted = sm.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    described = sm.describe_secret(SecretId=arn)
    assert (deleted["DeletionDate"] - described["DeletedDate"]).days == 7
    with pytest.raises(sm.exceptions.InvalidRequestException) as excinfo:
        sm.get_secret_value(SecretId="doomed")
    assert "marked for deletion" in error_of(excinfo)[2]
    with pytest.raises(sm.exceptions.InvalidRequestException):
        sm.create_secret(Name="doomed", SecretString="y")
    with pytest.raises(sm.exceptions.InvalidRequestException):
        sm.delete_secret(SecretId="doomed")
    assert [s["Name"] for s in sm.list_secrets()["SecretList"]] == []
    planned = sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert [s["Name"] for s in planned] == ["doomed"] and "DeletedDate" in planned[0]
    assert sm.restore_secret(SecretId="doomed")["ARN"] == arn
    assert sm.get_secret_value(SecretId="doomed")["SecretString"] == "x"
    assert "DeletedDate" not in sm.describe_secret(SecretId="doomed")


def test_force_delete_is_gone(sm: Client) -> None:
    arn = sm.create_secret(Name="gone", SecretString="x")["ARN"]
    with pytest.raises(sm.exceptions.InvalidParameterException):
        sm.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True, RecoveryWindowInDays=7)
    for window in (6, 31):
        with pytest.raises(sm.exceptions.InvalidParameterException):
            sm.delete_secret(SecretId="gone", RecoveryWindowInDays=window)
    sm.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True)
    for call in (sm.get_secret_value, sm.describe_secret, sm.restore_secret):
        with pytest.raises(sm.exceptions.ResourceNotFoundException):
            call(SecretId=arn)
    # the name is free again, under a new ARN
    assert sm.create_secret(Name="gone", SecretString="y")["ARN"] != arn


def test_list_secrets_filters_and_pages(sm: Client) -> None:
    names = [f"team-{i:02d}" for i in range(7)] + ["other"]
    for i, name in enumerate(names):
        sm.create_secret(
            Name=name,
            Description="Payments DB" if i % 2 else "search",
            Tags=[{"Key": "env", "Value": "prod" if i < 3 else "dev"}],
        )
    pages = sm.get_paginator("list_secrets").paginate(PaginationConfig={"PageSize": 3})
    assert [[s["Name"] for s in page["SecretList"]] for page in pages] == [
        names[0:3],
        names[3:6],
        names[6:8],
    ]
    desc = sm.list_secrets(SortOrder="desc", MaxResults=5)
    assert [s["Name"] for s in desc["SecretList"]] == names[::-1][:5]
    rest = sm.list_secrets(SortOrder="desc", NextToken=desc["NextToken"])
    assert [s["Name"] for s in rest["SecretList"]] == names[::-1][5:]

    def listed(*filters: tuple[str, list[str]]) -> list[str]:
        out = sm.list_secrets(Filters=[{"Key": k, "Values": v} for k, v in filters])
        return [s["Name"] for s in out["SecretList"]]

    assert listed(("name", ["team-0"])) == names[:7]
    assert listed(("name", ["TEAM"])) == []  # case-sensitive
    assert listed(("description", ["payments"])) == [n for i, n in enumerate(names) if i % 2]
    assert listed(("tag-value", ["prod"])) == names[:3]
    assert listed(("tag-value", ["!prod"])) == names[3:]
    assert listed(("name", ["team"]), ("tag-value", ["dev"])) == names[3:7]
    assert listed(("all", ["OTHER"])) == ["other"]
    with pytest.raises(ClientError) as excinfo:
        sm.list_secrets(NextToken="not-a-token")
    assert error_of(excinfo)[0] == "InvalidNextTokenException"


def test_tags_and_accounts(sm: Client, server: StubServer) -> None:
    sm.create_secret(Name="tagged", Tags=[{"Key": "a", "Value": "1"}])
    sm.tag_resource(
        SecretId="tagged", Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}]
    )
    sm.untag_resource(SecretId="tagged", TagKeys=["b"])
    assert sm.describe_secret(SecretId="tagged")["Tags"] == [{"Key": "a", "Value": "3"}]
    # another account, another region: another namespace
    for other in (
        client_for(server.url, "secretsmanager", key="AKIDBOB"),
        client_for(server.url, "secretsmanager", region="eu-west-1"),
    ):
        with pytest.raises(other.exceptions.ResourceNotFoundException):
            other.describe_secret(SecretId="tagged")
        other.create_secret(Name="tagged")


def documented_filter(secret: dict[str, Any], key: str, values: list[str]) -> bool:
    """ListSecrets' filter rules as its documentation states them, written out plainly: a
    secret passes a filter when any value matches (a ``!value`` when it does not); name and tag
    prefixes are case-sensitive, description and ``all`` not."""
    tags = secret.get("Tags", [])
    candidates = {
        "name": [secret["Name"]],
        "description": [secret.get("Description", "")],
        "tag-key": [t["Key"] for t in tags],
        "tag-value": [t["Value"] for t in tags],
    }
    if key == "all":
        words = [w for ws in candidates.values() for w in ws]
        fold = True
    else:
        words, fold = candidates[key], key == "description"
    for value in values:
        negated = value.startswith("!")
        wanted = value[1:] if negated else value
        hit = any(
            (w.lower() if fold else w).startswith(wanted.lower() if fold else wanted)
            for w in words
        )
        if hit != negated:
            return True
    return False


# few letters, both cases: filters and secrets share prefixes that differ only in case
WORDS = st.text(alphabet=st.sampled_from("aAb"), min_size=1, max_size=2)
TAGS = st.dictionaries(WORDS, WORDS, max_size=2).map(
    lambda tags: [{"Key": k, "Value": v} for k, v in tags.items()]
)


@st.composite
def secret_entries(draw: st.DrawFn, name: str) -> dict[str, Any]:
    secret: dict[str, Any] = {"Name": name}
    if draw(st.integers(0, 3)):
        secret["Description"] = draw(WORDS)
    tags = draw(TAGS)
    if tags:
        secret["Tags"] = tags
    return secret


SECRETS = st.lists(WORDS, min_size=2, max_size=6, unique=True).flatmap(
    lambda names: st.tuples(*[secret_entries(n) for n in names]).map(list)
)
FILTERS = st.lists(
    st.tuples(
        st.sampled_from(["name", "description", "tag-key", "tag-value", "all"]),
        st.lists(
            st.builds(lambda neg, w: ("!" if neg else "") + w, st.booleans(), WORDS),
            min_size=1,
            max_size=2,
        ),
    ),
    min_size=1,
    max_size=2,
)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(secrets=SECRETS, filters=FILTERS, size=st.integers(1, 3))
def test_list_secrets_filters_match_the_documented_rules(
    server: StubServer,
    secrets: list[dict[str, Any]],
    filters: list[tuple[str, list[str]]],
    size: int,
) -> None:
    server.reset()
    sm = client_for(server.url, "secretsmanager")
    for secret in secrets:
        sm.create_secret(**secret)
    pages = list(
        sm.get_paginator("list_secrets").paginate(
            Filters=[{"Key": k, "Values": v} for k, v in filters],
            PaginationConfig={"PageSize": size},
        )
    )
    got = [s["Name"] for page in pages for s in page["SecretList"]]
    assert all(len(page["SecretList"]) <= size for page in pages)
    wanted = [s["Name"] for s in secrets if all(documented_filter(s, k, v) for k, v in filters)]
    assert got == wanted


@settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(
    length=st.integers(4, 64),
    excluded=st.sets(
        st.sampled_from(["ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase"])
    ),
    space=st.booleans(),
    characters=st.text(alphabet="abcdef0123!?", max_size=6),
)
def test_random_passwords_follow_what_was_asked(
    server: StubServer, length: int, excluded: set[str], space: bool, characters: str
) -> None:
    sm = client_for(server.url, "secretsmanager")
    password = sm.get_random_password(
        PasswordLength=length,
        ExcludeCharacters=characters,
        IncludeSpace=space,
        **dict.fromkeys(excluded, True),
    )["RandomPassword"]
    assert len(password) == length
    assert not set(characters) & set(password)

    def punctuation(c: str) -> bool:
        return not c.isalnum() and c != " "

    kinds: dict[str, Callable[[str], bool]] = {
        "ExcludeNumbers": str.isdigit,
        "ExcludeUppercase": str.isupper,
        "ExcludePunctuation": punctuation,
    }
    for flag, kind in kinds.items():
        if flag in excluded:
            assert not any(kind(c) for c in password)
        elif not (flag == "ExcludeNumbers" and set("0123456789") <= set(characters)):
            assert any(kind(c) for c in password), (flag, password)  # each included type
    assert (" " in password) == space  # each included type: the space too


def test_batch_get_secret_value(sm: Client) -> None:
    for name, value in (("db/user", "ana"), ("db/pass", "s3cret"), ("api/key", "k")):
        sm.create_secret(Name=name, SecretString=value)
    got = sm.batch_get_secret_value(SecretIdList=["db/user", "db/pass", "nope"])
    assert {v["Name"]: v["SecretString"] for v in got["SecretValues"]} == {
        "db/user": "ana",
        "db/pass": "s3cret",
    }
    assert [(e["SecretId"], e["ErrorCode"]) for e in got["Errors"]] == [
        ("nope", "ResourceNotFoundException")
    ]
    filtered = sm.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["db/"]}])
    assert sorted(v["Name"] for v in filtered["SecretValues"]) == ["db/pass", "db/user"]
    with pytest.raises(ClientError) as raised:
        sm.batch_get_secret_value(
            SecretIdList=["db/user"], Filters=[{"Key": "name", "Values": ["db/"]}]
        )
    assert error_of(raised)[0] == "InvalidParameterException"
