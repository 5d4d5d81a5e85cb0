"""The derived engine on models that are unusual: constraints that contradict each other, and
identifiers that are numbers.

botocore's apprunner states ``ServiceId`` as a UUID (a 36-character pattern) of at most 32
characters: no value satisfies both, so no record of a Service can be made by the letter of
the model. No model is corrected by hand here; the server must still answer (a record whose
``ServiceId`` follows its pattern), never a 500. Expectations come from botocore's model and
App Runner's documentation (CreateService returns the service with its ARN, id and URL;
DescribeService reads it back by ARN; DeleteService removes it).

Glue's statements are named by an integer ``Id`` within their session (RunStatement answers
it, GetStatement takes it): a string identifier there was a 500 (the JSON writer cannot make
an integer of a UUID).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.server import StubServer, running_server
from tests.support.helpers import release
from tests.support.server import NO_RETRIES, fresh_key, session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server(services=["apprunner", "glue"]) as running:
        for service in running.services:  # generated here, not within a client's timeout
            service.load()
        yield running


def client_of(server: StubServer, service: str = "apprunner") -> Any:
    return session().client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=fresh_key(),
        aws_secret_access_key="x",
        config=NO_RETRIES,
    )


def test_the_model_contradicts_itself() -> None:
    """The premise, read from botocore's own model: nothing of ServiceId's length matches."""
    shape = release("installed").load_model("apprunner")["shapes"]["ServiceId"]
    assert shape["max"] < len("01234567-89ab-4cde-8f01-23456789abcd")
    assert "{12}" in shape["pattern"]


def test_a_service_is_created_read_and_deleted(server: StubServer) -> None:
    client = client_of(server)
    created = client.create_service(
        ServiceName="web-app",
        SourceConfiguration={
            "ImageRepository": {
                "ImageIdentifier": "public.ecr.aws/nginx/nginx:latest",
                "ImageRepositoryType": "ECR_PUBLIC",
            }
        },
    )["Service"]
    assert created["ServiceName"] == "web-app"
    arn = created["ServiceArn"]
    assert arn.startswith("arn:aws:apprunner:us-east-1:")
    assert created["ServiceId"]
    read = client.describe_service(ServiceArn=arn)["Service"]
    assert (read["ServiceArn"], read["ServiceId"]) == (arn, created["ServiceId"])
    client.delete_service(ServiceArn=arn)
    with pytest.raises(ClientError) as excinfo:
        client.describe_service(ServiceArn=arn)
    # the operation's modeled not-found error; its shape states no status, and a json
    # service answers a client's fault 400 (as App Runner does), not REST's 404
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_numeric_identifier_is_a_number(server: StubServer) -> None:
    glue = client_of(server, "glue")
    session_id = glue.create_session(
        Id="etl-session", Role="arn:aws:iam::123456789012:role/glue", Command={"Name": "glueetl"}
    )["Session"]["Id"]
    assert session_id == "etl-session"
    statement = glue.run_statement(SessionId=session_id, Code="print(1)")["Id"]
    assert isinstance(statement, int)
    read = glue.get_statement(SessionId=session_id, Id=statement)["Statement"]
    assert read["Id"] == statement
    listed = glue.list_statements(SessionId=session_id)["Statements"]
    assert statement in [s["Id"] for s in listed]


def test_a_json_service_answers_its_modeled_faults_400(server: StubServer) -> None:
    """Glue's errors state no HTTP status; Glue, as every json service, answers them 400."""
    glue = client_of(server, "glue")
    glue.create_database(DatabaseInput={"Name": "sales"})
    for operation, params, code in (
        ("create_database", {"DatabaseInput": {"Name": "sales"}}, "AlreadyExistsException"),
        ("get_database", {"Name": "no-such-database"}, "EntityNotFoundException"),
    ):
        with pytest.raises(ClientError) as excinfo:
            getattr(glue, operation)(**params)
        response = excinfo.value.response
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
            code,
            400,
        )
