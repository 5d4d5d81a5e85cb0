"""Lambda's hand-written function behaviours (``codegen/server/behaviours/lambda_functions.py``)
through real boto3 against the server ``apigen serve`` runs (``running_server``), Lambda
imported whole from the installed botocore; boto3's own waiters judge the states."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, WaiterError

from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network

ROLE = "arn:aws:iam::123456789012:role/lambda-run"
ZIP = b"PK\x03\x04 pretend this is a zip"
NOW = {"Delay": 0, "MaxAttempts": 3}


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return installed_specs(tmp_path_factory.mktemp("specs"), ("lambda",))


@pytest.fixture(scope="module")
def server(specs: list[Path]) -> Iterator[StubServer]:
    with running_server(specs) as running:
        yield running


@pytest.fixture
def lam(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "lambda")


def create(lam: Client, name: str = "resize", **extra: Any) -> dict[str, Any]:
    made: dict[str, Any] = lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=ROLE,
        Handler="app.handler",
        Code={"ZipFile": ZIP},
        **extra,
    )
    return made


def test_function_becomes_active(lam: Client) -> None:
    made = create(lam, Environment={"Variables": {"SIZE": "64"}}, Tags={"team": "img"})
    account = made["FunctionArn"].split(":")[4]
    assert made["FunctionArn"] == f"arn:aws:lambda:us-east-1:{account}:function:resize"
    assert made["State"] == "Pending" and made["StateReasonCode"] == "Creating"
    assert made["CodeSize"] == len(ZIP)
    assert made["CodeSha256"] == base64.b64encode(hashlib.sha256(ZIP).digest()).decode()
    assert made["Timeout"] == 3 and made["MemorySize"] == 128 and made["Version"] == "$LATEST"
    # still Pending: a change or an invocation is refused as Lambda refuses it
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.update_function_configuration(FunctionName="resize", Timeout=10)
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.invoke(FunctionName="resize")
    lam.get_waiter("function_exists").wait(FunctionName="resize", WaiterConfig=NOW)
    lam.get_waiter("function_active_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    got = lam.get_function(FunctionName=made["FunctionArn"])
    assert got["Configuration"]["State"] == "Active"
    assert got["Configuration"]["LastUpdateStatus"] == "Successful"
    assert got["Configuration"]["Environment"] == {"Variables": {"SIZE": "64"}}
    assert got["Tags"] == {"team": "img"}
    lam.tag_resource(Resource=made["FunctionArn"], Tags={"cost": "7", "team": "media"})
    answered: list[Any] = []
    lam.meta.events.register(
        "after-call.lambda.UntagResource",
        lambda http_response, **_: answered.append(http_response),
    )
    lam.untag_resource(Resource=made["FunctionArn"], TagKeys=["cost"])
    # a 204 carries no content: a body after it would be read as the next response's start
    assert answered[0].status_code == 204
    assert answered[0].headers.get("content-length") in (None, "0")
    assert lam.list_tags(Resource=made["FunctionArn"])["Tags"] == {"team": "media"}
    assert lam.get_function(FunctionName="resize")["Tags"] == {"team": "media"}
    partial = f"{account}:function:resize:$LATEST"
    assert lam.get_function_configuration(FunctionName=partial)["State"] == "Active"
    with pytest.raises(lam.exceptions.ResourceConflictException):
        create(lam)


def test_settles_after_the_configured_reads(lam: Client) -> None:
    create(lam)
    # --settle-after 1: the first read still sees Pending, the second Active
    assert lam.get_function_configuration(FunctionName="resize")["State"] == "Pending"
    assert lam.get_function_configuration(FunctionName="resize")["State"] == "Active"
    lam.get_waiter("function_active").wait(FunctionName="resize", WaiterConfig=NOW)


def test_update_in_progress_then_successful(lam: Client) -> None:
    create(lam)
    lam.get_waiter("function_active_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    new_zip = b"PK\x03\x04 version two"
    updated = lam.update_function_code(FunctionName="resize", ZipFile=new_zip)
    assert updated["LastUpdateStatus"] == "InProgress"
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(new_zip).digest()).decode()
    with pytest.raises(lam.exceptions.ResourceConflictException) as excinfo:
        lam.update_function_configuration(FunctionName="resize", MemorySize=256)
    assert "update is in progress" in error_of(excinfo)[2]
    lam.get_waiter("function_updated_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    revision = lam.get_function(FunctionName="resize")["Configuration"]["RevisionId"]
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.update_function_configuration(
            FunctionName="resize", MemorySize=256, RevisionId="0" * 36
        )
    changed = lam.update_function_configuration(
        FunctionName="resize", MemorySize=256, Description="thumbs", RevisionId=revision
    )
    assert changed["LastUpdateStatus"] == "InProgress" and changed["RevisionId"] != revision
    lam.get_waiter("function_updated").wait(FunctionName="resize", WaiterConfig=NOW)
    config = lam.get_function_configuration(FunctionName="resize")
    assert (config["MemorySize"], config["Description"], config["CodeSize"]) == (
        256,
        "thumbs",
        len(new_zip),
    )


def test_list_invoke_delete(lam: Client) -> None:
    names = [f"fn-{i:02d}" for i in range(5)]
    for name in reversed(names):
        create(lam, name)
    pages = lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2})
    listed = [[f["FunctionName"] for f in page["Functions"]] for page in pages]
    assert listed == [names[0:2], names[2:4], names[4:5]]
    lam.get_waiter("function_active_v2").wait(FunctionName="fn-00", WaiterConfig=NOW)
    answer = lam.invoke(FunctionName="fn-00", Payload=b'{"x": 1}')
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    assert answer["Payload"].read() == b"null"
    assert lam.invoke(FunctionName="fn-00", InvocationType="Event")["StatusCode"] == 202
    lam.delete_function(FunctionName="fn-00")
    for call in (lam.get_function, lam.delete_function, lam.invoke):
        with pytest.raises(lam.exceptions.ResourceNotFoundException):
            call(FunctionName="fn-00")
    with pytest.raises(WaiterError):
        lam.get_waiter("function_exists").wait(
            FunctionName="fn-00", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
        )
    assert [f["FunctionName"] for f in lam.list_functions()["Functions"]] == names[1:]
    versions = lam.list_versions_by_function(FunctionName="fn-01")["Versions"]
    assert [(v["FunctionName"], v["Version"]) for v in versions] == [("fn-01", "$LATEST")]
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="fn-01", Qualifier="7")  # no version 7 is published


def test_bad_input_gets_lambdas_errors(lam: Client) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.create_function(FunctionName="nohandler", Runtime="python3.12", Role=ROLE, Code={})
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.create_function(
            FunctionName="nocode", Runtime="python3.12", Role=ROLE, Handler="a.b", Code={}
        )
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.list_functions(Marker="!!not-ours")
    other = client_for(lam.meta.endpoint_url, "lambda", key="AKIDBOB")
    create(lam)
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.get_function(FunctionName="resize")
    # another resource's ARN is the derived engine's to answer (here: not found)
    mapping = (
        "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:"
        + "0" * 8
        + ("-0000" * 3)
        + "-"
        + "0" * 12
    )
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.list_tags(Resource=mapping)


def test_settle_after_zero_is_active_at_once(specs: list[Path]) -> None:
    with running_server(specs, settle_after=0) as running:
        lam = client_for(running.url, "lambda")
        assert create(lam)["State"] == "Active"
        updated = lam.update_function_configuration(FunctionName="resize", Timeout=9)
        assert updated["LastUpdateStatus"] == "Successful"


def test_versions_and_aliases(lam: Client) -> None:
    """Lambda Developer Guide, "Lambda function versions" and "Lambda function aliases", and the
    API reference: ``PublishVersion`` snapshots ``$LATEST``'s code and configuration as version
    1, 2, ... (``FunctionArn`` ending ``:N``; its ``Description`` overrides the function's; a
    ``CodeSha256`` that is not ``$LATEST``'s is refused) and publishes nothing when nothing
    changed since the last version; ``ListVersionsByFunction`` lists ``$LATEST`` and them; an
    alias (``CreateAlias``, ``GetAlias``, ``ListAliases``, ``UpdateAlias`` with ``RevisionId``,
    ``DeleteAlias``) points to a version, and a qualifier (a version or an alias, in
    ``Qualifier`` or the ARN) reads or invokes that version (``ExecutedVersion``); a version
    an alias points to is not deleted (``ResourceConflictException``), nor ``$LATEST`` alone;
    deleting the function deletes its versions and aliases."""
    made = create(lam)
    lam.get_waiter("function_active_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.publish_version(FunctionName="resize", CodeSha256="not-the-code")
    one = lam.publish_version(FunctionName="resize", Description="first")
    assert one["Version"] == "1" and one["FunctionArn"] == made["FunctionArn"] + ":1"
    assert one["Description"] == "first" and one["CodeSha256"] == made["CodeSha256"]
    again = lam.publish_version(FunctionName="resize", CodeSha256=made["CodeSha256"])
    assert again["Version"] == "1"  # nothing changed: no new version
    lam.update_function_configuration(FunctionName="resize", Timeout=30)
    with pytest.raises(lam.exceptions.ResourceConflictException):  # the update is in progress
        lam.publish_version(FunctionName="resize")
    lam.get_waiter("function_updated_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    two = lam.publish_version(FunctionName="resize")
    assert two["Version"] == "2" and two["Timeout"] == 30
    assert two["Description"] == ""  # the function's own
    versions = lam.list_versions_by_function(FunctionName="resize")["Versions"]
    assert [(v["Version"], v["Timeout"]) for v in versions] == [
        ("$LATEST", 30),
        ("1", 3),
        ("2", 30),
    ]
    pages = lam.get_paginator("list_versions_by_function").paginate(
        FunctionName="resize", PaginationConfig={"PageSize": 2}
    )
    assert [[v["Version"] for v in p["Versions"]] for p in pages] == [["$LATEST", "1"], ["2"]]
    for marker in ("!!", "OTk5", "LTE=", "MA=="):  # not a token; 999; -1; 0 (never given)
        with pytest.raises(lam.exceptions.InvalidParameterValueException):
            lam.list_versions_by_function(FunctionName="resize", Marker=marker)
    assert lam.get_function_configuration(FunctionName="resize", Qualifier="1")["Timeout"] == 3

    live = lam.create_alias(FunctionName="resize", Name="live", FunctionVersion="1")
    assert live["AliasArn"] == made["FunctionArn"] + ":live"
    assert live["FunctionVersion"] == "1" and live["Description"] == ""
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_alias(FunctionName="resize", Name="live", FunctionVersion="2")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.create_alias(FunctionName="resize", Name="later", FunctionVersion="9")
    lam.create_alias(FunctionName="resize", Name="edge", FunctionVersion="$LATEST")
    got = lam.get_alias(FunctionName="resize", Name="live")
    got.pop("ResponseMetadata")
    live.pop("ResponseMetadata")
    assert got == live
    listed = lam.list_aliases(FunctionName="resize")["Aliases"]
    assert [a["Name"] for a in listed] == ["edge", "live"]
    only = lam.list_aliases(FunctionName="resize", FunctionVersion="1")["Aliases"]
    assert [a["Name"] for a in only] == ["live"]
    # a qualifier reads and invokes the version an alias points to
    by_alias = lam.get_function(FunctionName="resize", Qualifier="live")["Configuration"]
    assert by_alias["Version"] == "1" and by_alias["Timeout"] == 3
    assert by_alias["FunctionArn"] == made["FunctionArn"] + ":live"
    assert lam.invoke(FunctionName="resize", Qualifier="live")["ExecutedVersion"] == "1"
    assert lam.invoke(FunctionName=made["FunctionArn"] + ":2")["ExecutedVersion"] == "2"
    assert lam.invoke(FunctionName="resize:edge")["ExecutedVersion"] == "$LATEST"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName="resize", Qualifier="nope")
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.invoke(FunctionName="resize:1", Qualifier="2")  # two qualifiers that disagree
    # UpdateAlias with a stale RevisionId is refused; with the current one it moves the alias
    with pytest.raises(lam.exceptions.PreconditionFailedException):
        lam.update_alias(
            FunctionName="resize", Name="live", FunctionVersion="2", RevisionId="stale"
        )
    moved = lam.update_alias(
        FunctionName="resize", Name="live", FunctionVersion="2", RevisionId=live["RevisionId"]
    )
    assert moved["FunctionVersion"] == "2" and moved["RevisionId"] != live["RevisionId"]
    assert lam.invoke(FunctionName="resize", Qualifier="live")["ExecutedVersion"] == "2"
    # deletions
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.delete_function(FunctionName="resize", Qualifier="2")  # live points to it
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.delete_function(FunctionName="resize", Qualifier="$LATEST")
    lam.delete_function(FunctionName="resize", Qualifier="1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="resize", Qualifier="1")
    lam.update_function_configuration(FunctionName="resize", Timeout=40)
    lam.get_waiter("function_updated_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    assert lam.publish_version(FunctionName="resize")["Version"] == "3"  # 1 is not reused
    lam.delete_alias(FunctionName="resize", Name="edge")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_alias(FunctionName="resize", Name="edge")
    lam.delete_function(FunctionName="resize")
    create(lam)  # the same name again: no versions, no aliases of the one before
    assert [
        v["Version"] for v in lam.list_versions_by_function(FunctionName="resize")["Versions"]
    ] == ["$LATEST"]
    assert lam.list_aliases(FunctionName="resize")["Aliases"] == []


def test_publish_on_create_and_on_code_update(lam: Client) -> None:
    """Lambda API reference: ``CreateFunction`` and ``UpdateFunctionCode`` with ``Publish``
    ("set to true to publish a new version") answer the version published (``Version`` 1, then
    2, its ``FunctionArn`` qualified); ``$LATEST`` stays unqualified."""
    made = create(lam, Publish=True)
    assert made["Version"] == "1" and made["FunctionArn"].endswith(":function:resize:1")
    lam.get_waiter("function_active_v2").wait(FunctionName="resize", WaiterConfig=NOW)
    updated = lam.update_function_code(FunctionName="resize", ZipFile=b"PK new", Publish=True)
    assert updated["Version"] == "2"
    assert updated["CodeSha256"] == base64.b64encode(hashlib.sha256(b"PK new").digest()).decode()
    versions = lam.list_versions_by_function(FunctionName="resize")["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1", "2"]
    assert versions[0]["FunctionArn"].endswith(":function:resize")
    assert versions[1]["CodeSha256"] != versions[2]["CodeSha256"] == versions[0]["CodeSha256"]


def test_resource_policy_statements(lam: Client) -> None:
    """AddPermission, GetPolicy, RemovePermission as Lambda's API reference describes them."""
    arn = create(lam)["FunctionArn"]
    with pytest.raises(ClientError) as raised:
        lam.get_policy(FunctionName="resize")  # no statement yet
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)
    added = lam.add_permission(
        FunctionName="resize",
        StatementId="s3-invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::uploads",
        SourceAccount="123456789012",
    )
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    statement = json.loads(added["Statement"])
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Resource"] == arn and statement["Effect"] == "Allow"
    assert statement["Condition"] == {
        "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"},
        "StringEquals": {"AWS:SourceAccount": "123456789012"},
    }
    lam.add_permission(
        FunctionName=arn,
        StatementId="partner",
        Action="lambda:InvokeFunction",
        Principal="111122223333",
    )
    policy = json.loads(lam.get_policy(FunctionName="resize")["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["s3-invoke", "partner"]
    assert policy["Statement"][1]["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
    with pytest.raises(ClientError) as raised:
        lam.add_permission(
            FunctionName="resize",
            StatementId="partner",
            Action="lambda:InvokeFunction",
            Principal="*",
        )
    assert error_of(raised)[:2] == ("ResourceConflictException", 409)
    lam.remove_permission(FunctionName="resize", StatementId="s3-invoke")
    policy = json.loads(lam.get_policy(FunctionName="resize")["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["partner"]
    with pytest.raises(ClientError) as raised:
        lam.remove_permission(FunctionName="resize", StatementId="s3-invoke")
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as raised:
        lam.add_permission(
            FunctionName="nowhere", StatementId="x", Action="lambda:*", Principal="*"
        )
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 404)
