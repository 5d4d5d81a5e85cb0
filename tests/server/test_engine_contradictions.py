"""The derived engine on a model whose constraints contradict each other.

botocore's apprunner states ``ServiceId`` as a UUID (a 36-character pattern) of at most 32
characters: no value satisfies both, so no record of a Service can be made by the letter of
the model. No model is corrected by hand here; the server must still answer (a record whose
``ServiceId`` follows its pattern), never a 500. Expectations come from botocore's model and
App Runner's documentation (CreateService returns the service with its ARN, id and URL;
DescribeService reads it back by ARN; DeleteService removes it).
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
    with running_server(services=["apprunner"]) as running:
        yield running


def apprunner(server: StubServer) -> Any:
    return session().client(
        "apprunner",
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
    client = apprunner(server)
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
    # the operation's modeled not-found error
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
