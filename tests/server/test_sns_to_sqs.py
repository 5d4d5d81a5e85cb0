"""SNS delivering to SQS in one server (``codegen/server/behaviours/sns_delivery.py``), through
real boto3: what a topic's publish puts in its subscribed queues, in SNS's envelope or raw,
filtered by the subscription's filter policy, as SNS's documentation describes them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.server import StubServer, running_server
from codegen.server.behaviours.sns_delivery import policy_accepts
from tests.support.server import NO_RETRIES, Client, error_of, fresh_key, session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server(services=["sns", "sqs"]) as running:
        for service in running.services:
            service.load()
        yield running


@pytest.fixture
def clients(server: StubServer) -> tuple[Client, Client]:
    key = fresh_key()

    def make(service: str) -> Client:
        return session().client(
            service,
            endpoint_url=server.url,
            region_name="us-west-2",
            aws_access_key_id=key,
            aws_secret_access_key="x",
            config=NO_RETRIES,
        )

    return make("sns"), make("sqs")


def queue(sqs: Client, name: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def received(sqs: Client, url: str) -> list[dict[str, Any]]:
    got = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], WaitTimeSeconds=0
    )
    return list(got.get("Messages", []))


def test_a_publish_reaches_the_subscribed_queues(clients: tuple[Client, Client]) -> None:
    sns, sqs = clients
    topic = sns.create_topic(Name="orders")["TopicArn"]
    wrapped_url, wrapped_arn = queue(sqs, "wrapped")
    raw_url, raw_arn = queue(sqs, "raw")
    quiet_url, _ = queue(sqs, "not-subscribed")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=wrapped_arn)
    raw = sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=raw_arn,
        Attributes={"RawMessageDelivery": "true"},
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    message_id = sns.publish(
        TopicArn=topic,
        Message="order 42 paid",
        Subject="paid",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "payment"}},
    )["MessageId"]

    [wrapped] = received(sqs, wrapped_url)
    envelope = json.loads(wrapped["Body"])
    assert envelope["Type"] == "Notification"
    assert (envelope["MessageId"], envelope["TopicArn"]) == (message_id, topic)
    assert (envelope["Subject"], envelope["Message"]) == ("paid", "order 42 paid")
    assert envelope["MessageAttributes"] == {"kind": {"Type": "String", "Value": "payment"}}
    assert envelope["Timestamp"].endswith("Z") and envelope["SignatureVersion"] == "1"
    [plain] = received(sqs, raw_url)
    assert plain["Body"] == "order 42 paid"
    assert plain["MessageAttributes"]["kind"]["StringValue"] == "payment"
    assert received(sqs, quiet_url) == []

    sns.unsubscribe(SubscriptionArn=raw)
    sns.publish(TopicArn=topic, Message="after")
    assert received(sqs, raw_url) == []
    assert json.loads(received(sqs, wrapped_url)[0]["Body"])["Message"] == "after"


def test_filter_policies_choose_what_is_delivered(clients: tuple[Client, Client]) -> None:
    sns, sqs = clients
    topic = sns.create_topic(Name="events")["TopicArn"]
    url, arn = queue(sqs, "big-eu-orders")
    policy = {"region": ["eu-west-1", {"prefix": "eu-"}], "amount": [{"numeric": [">=", 100]}]}
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps(policy), "RawMessageDelivery": "true"},
    )
    for region, amount in (("eu-central-1", "250"), ("us-east-1", "900"), ("eu-west-1", "5")):
        sns.publish(
            TopicArn=topic,
            Message=f"{region} {amount}",
            MessageAttributes={
                "region": {"DataType": "String", "StringValue": region},
                "amount": {"DataType": "Number", "StringValue": amount},
            },
        )
    assert [m["Body"] for m in received(sqs, url)] == ["eu-central-1 250"]

    body_url, body_arn = queue(sqs, "by-body")
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=body_arn,
        Attributes={
            "FilterPolicy": json.dumps({"order": {"status": [{"anything-but": "draft"}]}}),
            "FilterPolicyScope": "MessageBody",
            "RawMessageDelivery": "true",
        },
    )
    for status in ("draft", "paid"):
        sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": status}}))
    assert [json.loads(m["Body"])["order"]["status"] for m in received(sqs, body_url)] == ["paid"]


def test_publish_batch_and_message_structure(clients: tuple[Client, Client]) -> None:
    sns, sqs = clients
    topic = sns.create_topic(Name="batch")["TopicArn"]
    url, arn = queue(sqs, "batched")
    sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"}
    )
    answer = sns.publish_batch(
        TopicArn=topic,
        PublishBatchRequestEntries=[
            {"Id": "a", "Message": "first"},
            {
                "Id": "b",
                "Message": json.dumps({"default": "for all", "sqs": "for queues"}),
                "MessageStructure": "json",
            },
        ],
    )
    assert [s["Id"] for s in answer["Successful"]] == ["a", "b"] and answer["Failed"] == []
    assert sorted(m["Body"] for m in received(sqs, url)) == ["first", "for queues"]
    with pytest.raises(ClientError) as raised:
        sns.publish(TopicArn=topic, Message='{"sqs": "x"}', MessageStructure="json")
    assert error_of(raised)[:2] == ("InvalidParameter", 400)


@pytest.mark.parametrize(
    ("policy", "values", "accepted"),
    [
        ({"a": ["x"]}, {"a": "x"}, True),
        ({"a": ["x"]}, {"a": "y"}, False),
        ({"a": ["x"]}, {}, False),
        ({"a": [{"exists": False}]}, {}, True),
        ({"a": [{"exists": True}]}, {}, False),
        ({"a": [{"anything-but": ["x", "y"]}]}, {"a": "z"}, True),
        ({"a": [{"anything-but": ["x", "y"]}]}, {"a": "y"}, False),
        ({"n": [{"numeric": [">", 0, "<=", 5]}]}, {"n": 5.0}, True),
        ({"n": [{"numeric": [">", 0, "<=", 5]}]}, {"n": 0.0}, False),
        ({"n": [{"numeric": [">", 0]}]}, {"n": "3"}, False),  # a string is no number
        ({"a": [{"suffix": ".png"}]}, {"a": "cat.png"}, True),
        ({"a": [{"equals-ignore-case": "ERROR"}]}, {"a": "error"}, True),
        ({"a": ["x"], "b": ["y"]}, {"a": "x", "b": "z"}, False),  # every key must match
        ({"$or": [{"a": ["x"]}, {"b": ["y"]}]}, {"b": "y"}, True),
        ({"a": ["x"]}, {"a": ["w", "x"]}, True),  # an array matches by any of its values
        ({"a": [{"unknown-operator": 1}]}, {"a": 1}, False),
    ],
)
def test_filter_policy_operators(policy: Any, values: dict[str, Any], accepted: bool) -> None:
    assert policy_accepts(policy, values) is accepted


def test_a_body_nested_too_deeply_is_filtered_out_not_an_error(
    clients: tuple[Client, Client],
) -> None:
    sns, sqs = clients
    topic = sns.create_topic(Name="deep")["TopicArn"]
    url, arn = queue(sqs, "deep-q")
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={
            "FilterPolicy": json.dumps({"a": ["x"]}),
            "FilterPolicyScope": "MessageBody",
            "RawMessageDelivery": "true",
        },
    )
    deep = "[" * 50_000 + "]" * 50_000  # json.loads gives up (RecursionError)
    assert sns.publish(TopicArn=topic, Message=deep)["MessageId"]
    with pytest.raises(ClientError) as raised:  # nor as a message structure
        sns.publish(TopicArn=topic, Message=deep, MessageStructure="json")
    assert error_of(raised)[:2] == ("InvalidParameter", 400)
    assert received(sqs, url) == []
