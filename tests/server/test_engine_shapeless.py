"""The derived engine on a resource no structure describes: SQS queues (the json protocol),
whole SQS of the installed botocore, served, called by boto3.

Expectations come from AWS's documentation of SQS and from botocore's model, never from the
derivation under test: a queue URL is ``https://sqs.<region>.amazonaws.com/<account>/<name>``,
a missing queue is ``QueueDoesNotExist`` (the model's error of GetQueueUrl, GetQueueAttributes
and DeleteQueue), ``ListQueues`` lists the URLs and takes ``QueueNamePrefix``, tags are a map.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.pipeline import import_operations
from codegen.server import StubServer, running_server
from tests.support.helpers import release
from tests.support.server import NO_RETRIES, OWNER_ACCOUNT, OWNER_KEY, fresh_key, session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def sqs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    folder = tmp_path_factory.mktemp("whole-sqs")
    spec = folder / "sqs.json"
    import_operations(spec, release("installed"), None, service="sqs")
    accounts = folder / "accounts.json"
    accounts.write_text(json.dumps({OWNER_KEY: OWNER_ACCOUNT}))
    with running_server([spec], accounts=accounts) as server:
        yield server


def sqs(server: StubServer, key: str | None = None, region: str = "eu-west-1") -> Any:
    return session().client(
        "sqs",
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id=key or fresh_key(),
        aws_secret_access_key="x",
        config=NO_RETRIES,
    )


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response: Any = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_a_queue_is_created_found_listed_and_deleted(sqs_server: StubServer) -> None:
    client = sqs(sqs_server, key=OWNER_KEY)
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    assert url == f"https://sqs.eu-west-1.amazonaws.com/{OWNER_ACCOUNT}/jobs"
    assert client.get_queue_url(QueueName="jobs")["QueueUrl"] == url
    other = client.create_queue(QueueName="mail")["QueueUrl"]
    assert client.list_queues()["QueueUrls"] == [url, other]
    client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])  # answers
    client.delete_queue(QueueUrl=url)
    assert client.list_queues()["QueueUrls"] == [other]
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_url(QueueName="jobs")
    assert _code(excinfo)[0] == "QueueDoesNotExist"
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    assert _code(excinfo)[0] == "QueueDoesNotExist"
    with pytest.raises(ClientError) as excinfo:
        client.delete_queue(QueueUrl=url)
    assert _code(excinfo)[0] == "QueueDoesNotExist"


def test_queue_tags(sqs_server: StubServer) -> None:
    client = sqs(sqs_server)
    url = client.create_queue(QueueName="tagged", tags={"team": "a"})["QueueUrl"]
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "a"}
    client.tag_queue(QueueUrl=url, Tags={"env": "dev", "team": "b"})
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "b", "env": "dev"}
    client.untag_queue(QueueUrl=url, TagKeys=["team"])
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "dev"}
    with pytest.raises(ClientError) as excinfo:
        client.tag_queue(QueueUrl=url + "-gone", Tags={"a": "b"})
    assert _code(excinfo)[0] == "QueueDoesNotExist"


def test_queues_are_per_account_and_region(sqs_server: StubServer) -> None:
    key = fresh_key()
    here, there = sqs(sqs_server, key=key), sqs(sqs_server, key=key, region="us-west-2")
    url = here.create_queue(QueueName="local")["QueueUrl"]
    assert there.list_queues().get("QueueUrls", []) == []
    assert sqs(sqs_server).list_queues().get("QueueUrls", []) == []
    # the same name in another region is another queue
    elsewhere = there.create_queue(QueueName="local")["QueueUrl"]
    assert elsewhere != url and ".us-west-2." in elsewhere
