"""SNS's hand-written topic and subscription behaviours (``codegen/server/behaviours/sns.py``)
through real boto3 against the server ``apigen serve`` runs (``running_server``), SNS
imported whole from the installed botocore."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("sns",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def sns(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "sns")


def test_topics_are_idempotent_by_name(sns: Client) -> None:
    arn = sns.create_topic(Name="orders")["TopicArn"]
    assert re.fullmatch(r"arn:aws:sns:us-east-1:\d{12}:orders", arn)
    assert sns.create_topic(Name="orders")["TopicArn"] == arn
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        sns.create_topic(Name="orders", Attributes={"DisplayName": "other"})
    assert "different attributes" in error_of(excinfo)[2]
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    account = arn.split(":")[4]
    assert (attributes["TopicArn"], attributes["Owner"]) == (arn, account)
    assert json.loads(attributes["Policy"])["Statement"][0]["Resource"] == arn
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Orders")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Orders"
    # the same attributes again: the same topic
    assert sns.create_topic(Name="orders", Attributes={"DisplayName": "Orders"})["TopicArn"] == arn
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.set_topic_attributes(TopicArn=arn, AttributeName="Colour", AttributeValue="red")
    fifo = sns.create_topic(Name="jobs.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert fifo.endswith(":jobs.fifo")
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.create_topic(Name="jobs", Attributes={"FifoTopic": "true"})
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.publish(TopicArn=fifo, Message="no group")
    assert sns.publish(TopicArn=fifo, Message="x", MessageGroupId="g")["MessageId"]
    names = [f"t{i:03d}" for i in range(120)]
    for name in names:
        sns.create_topic(Name=name)
    pages = list(sns.get_paginator("list_topics").paginate())
    assert [len(p["Topics"]) for p in pages] == [100, 22]
    listed = [t["TopicArn"].split(":")[5] for p in pages for t in p["Topics"]]
    assert listed == sorted(["orders", "jobs.fifo", *names])
    sns.delete_topic(TopicArn=arn)
    sns.delete_topic(TopicArn=arn)  # SNS: deleting a topic that is not there succeeds
    for call in (sns.get_topic_attributes, sns.list_subscriptions_by_topic):
        with pytest.raises(sns.exceptions.NotFoundException) as excinfo:
            call(TopicArn=arn)
        assert error_of(excinfo)[:2] == ("NotFound", 404)
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.publish(TopicArn=arn, Message="gone")


def test_subscriptions(sns: Client) -> None:
    arn = sns.create_topic(Name="events")["TopicArn"]
    queue = f"arn:aws:sqs:us-east-1:{arn.split(':')[4]}:inbox"
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue)["SubscriptionArn"]
    assert sub.startswith(arn + ":")
    assert sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue)["SubscriptionArn"] == sub
    pending = sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="a@example.com")
    assert pending["SubscriptionArn"] == "pending confirmation"
    listed = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"], s["TopicArn"]) for s in listed] == [
        ("sqs", queue, arn),
        ("email", "a@example.com", arn),
    ]
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsConfirmed"] == "2"
    sns.set_subscription_attributes(
        SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true"
    )
    got = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert (got["RawMessageDelivery"], got["Endpoint"], got["TopicArn"]) == ("true", queue, arn)
    sns.unsubscribe(SubscriptionArn=sub)
    assert [s["Protocol"] for s in sns.list_subscriptions()["Subscriptions"]] == ["email"]
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.unsubscribe(SubscriptionArn=sub)
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.subscribe(TopicArn=arn + "-missing", Protocol="sqs", Endpoint=queue)
    for token in ("not base64!", base64.urlsafe_b64encode("\u00b2".encode()).decode()):
        with pytest.raises(sns.exceptions.InvalidParameterException):
            sns.list_subscriptions(NextToken=token)
    sns.delete_topic(TopicArn=arn)
    assert sns.list_subscriptions()["Subscriptions"] == []


def test_topic_tags_and_scopes(sns: Client, server: StubServer) -> None:
    arn = sns.create_topic(Name="tagged", Tags=[{"Key": "a", "Value": "1"}])["TopicArn"]
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}])
    sns.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.create_topic(Name="tagged", Tags=[{"Key": "c", "Value": "3"}])
    with pytest.raises(ClientError) as excinfo:
        sns.list_tags_for_resource(ResourceArn=arn + "x")
    assert error_of(excinfo)[:2] == ("ResourceNotFound", 404)
    for other in (
        client_for(server.url, "sns", key="AKIDBOB"),
        client_for(server.url, "sns", region="eu-west-1"),
    ):
        assert other.list_topics()["Topics"] == []
        with pytest.raises(other.exceptions.NotFoundException):
            other.get_topic_attributes(TopicArn=arn)
