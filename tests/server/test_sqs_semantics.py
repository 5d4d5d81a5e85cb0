"""SQS's hand-written behaviours (``codegen/server/behaviours/sqs.py``) through real boto3
against the server ``apigen serve`` runs (``running_server``), SQS imported whole from the
installed botocore. botocore itself checks ``MD5OfMessageBody`` and ``MD5OfMessageAttributes``
on every send and receive (its ``validate_md5_*`` handlers raise on a mismatch), so each
message sent and received here proves the digests against botocore's own computation."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.server.context import Context, Waiting
from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("sqs",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def sqs(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "sqs")


# Published digests of SQS message attributes (the AWS SDK for JavaScript's and sqslite's tests
# of their checks against SQS), independent of the code under test.
PUBLISHED = [
    (
        {"SellerName": {"DataType": "String", "StringValue": "Example Store"}},
        "cd28f3b68aeee4b2eac9c66f2f694b58",
    ),
    (
        {
            "ordinal": {"DataType": "Number", "StringValue": "1"},
            "category": {"DataType": "String", "StringValue": "test"},
        },
        "d21ae90c49061e927f57df5f5d72be1f",
    ),
]


@pytest.mark.parametrize(("attributes", "digest"), PUBLISHED)
def test_digests_as_sqs_computes_them(
    sqs: Client, attributes: dict[str, Any], digest: str
) -> None:
    url = sqs.create_queue(QueueName="digests")["QueueUrl"]
    body = "Hello, wörld 👋"
    sent = sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
    assert sent["MD5OfMessageBody"] == hashlib.md5(body.encode()).hexdigest()
    assert sent["MD5OfMessageAttributes"] == digest
    got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    assert got["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert got["MD5OfMessageAttributes"] == digest and got["MessageAttributes"] == attributes


def test_queue_lifecycle_and_attributes(sqs: Client) -> None:
    url = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    assert url.endswith("/jobs")
    assert (
        sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
        == url
    )
    # the modeled errors by their classes: their codes are the model's (botocore 1.44's SQS
    # model names no query codes, so the shape's name is the code)
    with pytest.raises(sqs.exceptions.QueueNameExists):
        sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "46"})
    assert sqs.get_queue_url(QueueName="jobs")["QueueUrl"] == url
    sqs.create_queue(QueueName="jobs-2")
    sqs.create_queue(QueueName="other")
    assert sorted(sqs.list_queues(QueueNamePrefix="jobs")["QueueUrls"]) == [url, url + "-2"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    account = url.split("/")[-2]
    assert attributes["QueueArn"] == f"arn:aws:sqs:us-east-1:{account}:jobs"
    assert attributes["VisibilityTimeout"] == "45"
    assert attributes["ApproximateNumberOfMessages"] == "0"
    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"DelaySeconds": "0", "VisibilityTimeout": "5"}
    )
    got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])
    assert got["Attributes"] == {"VisibilityTimeout": "5"}
    with pytest.raises(ClientError) as raised:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Colour": "blue"})
    assert error_of(raised)[1] == 400 and "Colour" in error_of(raised)[2]  # (the model's enum)
    with pytest.raises(ClientError) as raised:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
    assert error_of(raised)[:2] == ("InvalidAttributeValue", 400)
    sqs.tag_queue(QueueUrl=url, Tags={"team": "a"})
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "a"}
    sqs.delete_queue(QueueUrl=url)
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName="jobs")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=url, MessageBody="x")


def test_send_receive_delete_with_attributes(sqs: Client) -> None:
    url = sqs.create_queue(QueueName="msgs")["QueueUrl"]
    attributes = {
        "Colour": {"DataType": "String", "StringValue": "blue é"},
        "Count": {"DataType": "Number", "StringValue": "12"},
        "Raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff\x10"},
        "Custom": {"DataType": "String.kind", "StringValue": ""},
    }
    sent = sqs.send_message(QueueUrl=url, MessageBody="hello 👋", MessageAttributes=attributes)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert counts["Attributes"]["ApproximateNumberOfMessages"] == "1"
    got = sqs.receive_message(
        QueueUrl=url,
        MessageAttributeNames=["All"],
        MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
        VisibilityTimeout=30,
    )["Messages"]
    assert len(got) == 1 and got[0]["Body"] == "hello 👋"
    assert got[0]["MessageId"] == sent["MessageId"]
    assert got[0]["MessageAttributes"] == attributes
    assert got[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)  # in flight
    only = sqs.send_message(QueueUrl=url, MessageBody="two", MessageAttributes=attributes)
    second = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["Col*", "Count"])
    assert [m["MessageId"] for m in second["Messages"]] == [only["MessageId"]]
    assert set(second["Messages"][0]["MessageAttributes"]) == {"Count"}
    for message in (got[0], second["Messages"][0]):
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])  # again: accepted
    with pytest.raises(ClientError) as raised:
        sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-handle")
    assert error_of(raised)[1] == 400
    assert isinstance(raised.value, sqs.exceptions.ReceiptHandleIsInvalid)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessages"] == "0"
    assert counts["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_visibility_timeout(sqs: Client) -> None:
    url = sqs.create_queue(QueueName="vis", Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="again")
    first = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    time.sleep(1.2)
    again = sqs.receive_message(
        QueueUrl=url, MessageSystemAttributeNames=["ApproximateReceiveCount"]
    )["Messages"][0]
    assert again["MessageId"] == first["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=0
    )
    third = sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)["Messages"][0]
    assert third["MessageId"] == first["MessageId"]
    with pytest.raises(ClientError) as raised:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=5
        )
    assert isinstance(raised.value, sqs.exceptions.MessageNotInflight)
    sqs.purge_queue(QueueUrl=url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_batches(sqs: Client) -> None:
    url = sqs.create_queue(QueueName="batch")["QueueUrl"]
    sent = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": f"m{i}", "MessageBody": f"body {i}"} for i in range(10)],
    )
    assert sorted(s["Id"] for s in sent["Successful"]) == sorted(f"m{i}" for i in range(10))
    assert sent.get("Failed", []) == []
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in received) == sorted(f"body {i}" for i in range(10))
    deleted = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(received)
        ],
    )
    assert len(deleted["Successful"]) == 10
    with pytest.raises(sqs.exceptions.BatchEntryIdsNotDistinct):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}] * 2)
    with pytest.raises(sqs.exceptions.TooManyEntriesInBatchRequest):
        sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": f"e{i}", "MessageBody": "x"} for i in range(11)]
        )
    mixed = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "ok", "MessageBody": "fine"}, {"Id": "bad", "MessageBody": "\x01"}],
    )
    assert [s["Id"] for s in mixed["Successful"]] == ["ok"]
    assert [(f["Id"], f["Code"]) for f in mixed["Failed"]] == [("bad", "InvalidMessageContents")]
    with pytest.raises(ClientError) as raised:
        sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
    assert error_of(raised)[1] == 400


def test_fifo_deduplication(sqs: Client) -> None:
    url = sqs.create_queue(
        QueueName="orders.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    first = sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g")
    again = sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g")
    assert again["MessageId"] == first["MessageId"]
    second = sqs.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g")
    assert int(second["SequenceNumber"]) > int(first["SequenceNumber"])
    bodies = [
        m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    ]
    assert bodies == ["one", "two"]
    with pytest.raises(ClientError) as raised:
        sqs.send_message(QueueUrl=url, MessageBody="x")
    assert error_of(raised)[:2] == ("MissingParameter", 400)


def test_queues_per_account_and_region(server: StubServer, sqs: Client) -> None:
    sqs.create_queue(QueueName="mine")
    for other in (
        client_for(server.url, "sqs", key="AKIDBOB"),
        client_for(server.url, "sqs", region="eu-west-1"),
    ):
        assert "QueueUrls" not in other.list_queues()
        with pytest.raises(ClientError):
            other.get_queue_url(QueueName="mine")


def test_hostile_values_are_400s(sqs: Client) -> None:
    for value in ("²", "1e3", "-1", " 5", "99999999999999999999"):
        with pytest.raises(ClientError) as raised:
            sqs.create_queue(QueueName="odd", Attributes={"DelaySeconds": value})
        assert error_of(raised)[:2] == ("InvalidAttributeValue", 400), value
    sqs.create_queue(QueueName="plain")
    for prefix in ("é", "\U0010ffff", "~", "p" * 80):
        assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix=prefix)
    with pytest.raises(ClientError) as raised:
        sqs.list_queues(MaxResults=1, NextToken="%%%")
    assert error_of(raised)[1] == 400


def test_receive_attribute_names_are_message_system_attributes(sqs: Client) -> None:
    """SQS's API reference, ReceiveMessage: ``AttributeNames`` (kept beside
    ``MessageSystemAttributeNames``) lists the attributes returned with each message:
    ``ApproximateReceiveCount`` ("the number of times a message has been received across all
    queues but not deleted"), ``SentTimestamp`` and ``ApproximateFirstReceiveTimestamp``
    ("epoch time in milliseconds"), ``SenderId``, and for FIFO queues ``MessageGroupId``,
    ``MessageDeduplicationId``, ``SequenceNumber``; ``All`` returns every one. botocore's model
    types the member with the queue attributes' enum: the server takes the documented names
    (``codegen/data/corrections.json``)."""
    url = sqs.create_queue(QueueName="counted")["QueueUrl"]
    before = int(time.time() * 1000)
    sqs.send_message(QueueUrl=url, MessageBody="count me")
    after = int(time.time() * 1000) + 1
    names = ["ApproximateReceiveCount", "SentTimestamp", "ApproximateFirstReceiveTimestamp"]
    seen = []
    for _ in range(3):
        got = sqs.receive_message(QueueUrl=url, AttributeNames=names, VisibilityTimeout=0)
        seen.append(got["Messages"][0]["Attributes"])
    assert [s["ApproximateReceiveCount"] for s in seen] == ["1", "2", "3"]
    assert set(seen[0]) == set(names)  # what was asked for, no more
    sent = int(seen[0]["SentTimestamp"])
    assert before <= sent <= after
    first = {s["ApproximateFirstReceiveTimestamp"] for s in seen}
    assert len(first) == 1 and sent <= int(first.pop()) <= int(time.time() * 1000) + 1
    every = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    assert {"SenderId", "SentTimestamp", "ApproximateReceiveCount"} <= set(every["Attributes"])
    assert every["Attributes"]["ApproximateReceiveCount"] == "4"
    assert "MessageGroupId" not in every["Attributes"]  # a standard queue's message has none
    fifo = sqs.create_queue(
        QueueName="counted.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    done = sqs.send_message(QueueUrl=fifo, MessageBody="in order", MessageGroupId="g1")
    got = sqs.receive_message(
        QueueUrl=fifo, AttributeNames=["MessageGroupId", "SequenceNumber", "SenderId"]
    )["Messages"][0]["Attributes"]
    assert got["MessageGroupId"] == "g1"
    assert got["SequenceNumber"] == done["SequenceNumber"]
    assert got["SenderId"]
    # the queue attributes' enum is GetQueueAttributes' still: a queue has no receive count
    with pytest.raises(ClientError) as raised:
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])
    assert error_of(raised)[1] == 400 and "ApproximateReceiveCount" in error_of(raised)[2]
    with pytest.raises(ClientError) as raised:
        sqs.receive_message(QueueUrl=url, AttributeNames=["Colour"])
    assert error_of(raised)[1] == 400 and "Colour" in error_of(raised)[2]


def test_long_polling_waits_for_a_message(server: StubServer, sqs: Client) -> None:
    """SQS's developer guide, "Amazon SQS short and long polling": with ``WaitTimeSeconds``
    (or the queue's ``ReceiveMessageWaitTimeSeconds``) above 0, ReceiveMessage "waits until a
    message is available in the queue before sending a response ... if no messages are
    available and the wait time expires, returns an empty response"; it returns as soon as a
    message is there. Other requests are answered meanwhile (the sends here come from another
    thread while the receive waits)."""
    url = sqs.create_queue(QueueName="polled")["QueueUrl"]
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    waited = time.monotonic() - started
    assert 0.9 <= waited < 5, waited
    # the queue's own wait applies when the receive names none; WaitTimeSeconds=0 overrides it
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"ReceiveMessageWaitTimeSeconds": "1"})
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    assert 0.9 <= time.monotonic() - started < 5
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert time.monotonic() - started < 0.9

    sender = client_for(server.url, "sqs")  # (clients are made in this thread)
    sent: list[float] = []

    def send_later() -> None:
        time.sleep(0.3)
        sender.send_message(QueueUrl=url, MessageBody="worth the wait")
        sent.append(time.monotonic())

    thread = threading.Thread(target=send_later)
    started = time.monotonic()
    thread.start()
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
    answered = time.monotonic()
    thread.join()
    assert [m["Body"] for m in got["Messages"]] == ["worth the wait"]
    assert sent and answered - started < 5, answered - started  # not the 20 s: at the send
    # a delayed message becomes visible during the wait: the receive has it then
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
    started = time.monotonic()
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    assert [m["Body"] for m in got["Messages"]] == ["later"]
    assert 0.9 <= time.monotonic() - started < 4


def test_a_behaviour_that_waits_past_its_deadline_is_an_internal_error(
    server: StubServer, sqs: Client
) -> None:
    """The app's side of waiting (``codegen.server.context.Waiting``): a behaviour called at its
    deadline must answer; one that waits on is a fault of ours, answered as a 500 at the
    deadline, not a request held (or a loop spun) for ever."""
    url = sqs.create_queue(QueueName="stuck")["QueueUrl"]
    (service,) = [s for s in server.services if s.name == "sqs"]

    def stuck(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        raise Waiting("nothing", ctx.deadline or time.monotonic() + 0.3)

    real = service.behaviours["ReceiveMessage"]
    service.behaviours["ReceiveMessage"] = stuck
    try:
        started = time.monotonic()
        with pytest.raises(ClientError) as raised:
            sqs.receive_message(QueueUrl=url)
        assert 0.25 <= time.monotonic() - started < 5
    finally:
        service.behaviours["ReceiveMessage"] = real
    assert error_of(raised)[:2] == ("InternalError", 500)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)  # the real one again


def test_fifo_groups_wait_for_their_message_in_flight(server: StubServer, sqs: Client) -> None:
    """SQS developer guide, "FIFO queue message grouping": messages of one group are received
    in the order they were sent, and "you can't receive additional messages with the same
    message group ID until the message is deleted or becomes visible"; other groups are
    received meanwhile."""
    url = sqs.create_queue(
        QueueName="grouped.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    for body, group in (("a1", "A"), ("a2", "A"), ("b1", "B")):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    first = sqs.receive_message(QueueUrl=url, VisibilityTimeout=60)["Messages"]
    assert [m["Body"] for m in first] == ["a1"]
    others = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
    assert [m["Body"] for m in others["Messages"]] == ["b1"]  # A waits for a1
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    # a1 visible again: it comes before a2, the group's order kept
    sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"], VisibilityTimeout=0
    )
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)
    assert [m["Body"] for m in again["Messages"]] == ["a1", "a2"]
    # a long poll waiting on the group gets its next message once those in flight are deleted
    sqs.send_message(QueueUrl=url, MessageBody="a3", MessageGroupId="A")
    deleter = client_for(server.url, "sqs")

    def delete_later() -> None:
        time.sleep(0.3)
        for message in again["Messages"]:
            deleter.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    thread = threading.Thread(target=delete_later)
    started = time.monotonic()
    thread.start()
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    thread.join()
    assert [m["Body"] for m in got["Messages"]] == ["a3"]
    assert 0.25 <= time.monotonic() - started < 4


def test_a_message_received_too_often_moves_to_the_dead_letter_queue(sqs: Client) -> None:
    """RedrivePolicy: received maxReceiveCount times, a message goes to the dead-letter queue
    on its next receive, as SQS's developer guide describes."""
    dead = sqs.create_queue(QueueName="jobs-dlq")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    jobs = sqs.create_queue(
        QueueName="jobs",
        Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": 2})
        },
    )["QueueUrl"]
    sqs.send_message(QueueUrl=jobs, MessageBody="poison")
    for _ in range(2):  # two receives, each given up at once
        got = sqs.receive_message(QueueUrl=jobs, VisibilityTimeout=0)["Messages"]
        assert [m["Body"] for m in got] == ["poison"]
    assert "Messages" not in sqs.receive_message(QueueUrl=jobs, VisibilityTimeout=0)
    moved = sqs.receive_message(QueueUrl=dead)["Messages"]
    assert [m["Body"] for m in moved] == ["poison"]
    assert sqs.list_dead_letter_source_queues(QueueUrl=dead)["queueUrls"] == [jobs]
    assert sqs.list_dead_letter_source_queues(QueueUrl=jobs)["queueUrls"] == []


def test_a_redrive_policy_nested_too_deeply_moves_nothing(sqs: Client) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    url = sqs.create_queue(QueueName="odd", Attributes={"RedrivePolicy": deep})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="m")
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url)["Messages"]] == ["m"]
    assert sqs.list_dead_letter_source_queues(QueueUrl=url)["queueUrls"] == []
