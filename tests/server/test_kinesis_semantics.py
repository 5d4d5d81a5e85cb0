"""Kinesis's hand-written stream and record behaviours (``codegen/server/behaviours/kinesis.py``)
through real boto3 against the server ``apigen serve`` runs (``running_server``), Kinesis
imported whole from the installed botocore. Shard routing is checked against the MD5 of each
partition key computed here and the hash key ranges the stream describes."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network

NOW = {"Delay": 0, "MaxAttempts": 3}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("kinesis",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def kinesis(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "kinesis")


def shards_of(kinesis: Client, name: str) -> list[dict[str, Any]]:
    shards: list[dict[str, Any]] = kinesis.describe_stream(StreamName=name)["StreamDescription"][
        "Shards"
    ]
    return shards


def test_stream_lifecycle_and_waiters(kinesis: Client) -> None:
    kinesis.create_stream(StreamName="clicks", ShardCount=3)
    first = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]
    assert first["StreamStatus"] == "CREATING"  # --settle-after 1: the first read
    kinesis.get_waiter("stream_exists").wait(StreamName="clicks", WaiterConfig=NOW)
    summary = kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE" and summary["OpenShardCount"] == 3
    account = summary["StreamARN"].split(":")[4]
    assert summary["StreamARN"] == f"arn:aws:kinesis:us-east-1:{account}:stream/clicks"
    by_arn = kinesis.describe_stream(StreamARN=summary["StreamARN"])["StreamDescription"]
    assert by_arn["StreamName"] == "clicks"
    shards = shards_of(kinesis, "clicks")
    assert [s["ShardId"] for s in shards] == [f"shardId-{i:012d}" for i in range(3)]
    # the ranges tile the 128-bit hash key space
    assert int(shards[0]["HashKeyRange"]["StartingHashKey"]) == 0
    assert int(shards[-1]["HashKeyRange"]["EndingHashKey"]) == 2**128 - 1
    for left, right in itertools.pairwise(shards):
        end = int(left["HashKeyRange"]["EndingHashKey"])
        assert int(right["HashKeyRange"]["StartingHashKey"]) == end + 1
    with pytest.raises(kinesis.exceptions.ResourceInUseException):
        kinesis.create_stream(StreamName="clicks", ShardCount=1)
    kinesis.create_stream(StreamName="audit", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    kinesis.create_stream(StreamName="bare")  # no mode, no shard count: on demand
    bare = kinesis.describe_stream_summary(StreamName="bare")["StreamDescriptionSummary"]
    assert bare["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"} and bare["OpenShardCount"] == 4
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.create_stream(StreamName="x", StreamModeDetails={"StreamMode": "PROVISIONED"})
    kinesis.delete_stream(StreamName="bare")
    listed = kinesis.list_streams(Limit=1)
    assert listed["StreamNames"] == ["audit"] and listed["HasMoreStreams"]
    rest = kinesis.list_streams(NextToken=listed["NextToken"])
    assert rest["StreamNames"] == ["clicks"] and not rest["HasMoreStreams"]
    assert len(kinesis.list_shards(StreamName="audit")["Shards"]) == 4
    kinesis.delete_stream(StreamName="clicks")
    kinesis.get_waiter("stream_not_exists").wait(StreamName="clicks", WaiterConfig=NOW)
    for call in (kinesis.describe_stream, kinesis.delete_stream):
        with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
            call(StreamName="clicks")
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.put_record(StreamName="clicks", Data=b"x", PartitionKey="k")


def test_records_go_to_their_shard_and_come_back_in_order(kinesis: Client) -> None:
    kinesis.create_stream(StreamName="events", ShardCount=4)
    shards = shards_of(kinesis, "events")

    def shard_for(key: str) -> str:
        point = int.from_bytes(hashlib.md5(key.encode()).digest(), "big")
        (found,) = [
            s["ShardId"]
            for s in shards
            if int(s["HashKeyRange"]["StartingHashKey"])
            <= point
            <= int(s["HashKeyRange"]["EndingHashKey"])
        ]
        return str(found)

    sent: list[tuple[str, bytes, str, str]] = []
    for i in range(12):
        key = f"user-{i % 5}"
        put = kinesis.put_record(StreamName="events", Data=f"e{i}".encode(), PartitionKey=key)
        assert put["ShardId"] == shard_for(key)
        assert re.fullmatch(r"[1-9][0-9]{0,128}", put["SequenceNumber"])
        sent.append((key, f"e{i}".encode(), put["ShardId"], put["SequenceNumber"]))
    batch = kinesis.put_records(
        StreamName="events",
        Records=[
            {"Data": b"b0", "PartitionKey": "user-1"},
            {"Data": b"b1", "PartitionKey": "ignored", "ExplicitHashKey": str(2**128 - 1)},
        ],
    )
    assert batch["FailedRecordCount"] == 0
    assert batch["Records"][1]["ShardId"] == shards[-1]["ShardId"]
    sent += [
        ("user-1", b"b0", batch["Records"][0]["ShardId"], batch["Records"][0]["SequenceNumber"]),
        ("ignored", b"b1", batch["Records"][1]["ShardId"], batch["Records"][1]["SequenceNumber"]),
    ]
    numbers = [int(s[3]) for s in sent]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for shard in shards:
        iterator = kinesis.get_shard_iterator(
            StreamName="events", ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        got: list[tuple[str, bytes, str]] = []
        while True:  # two at a time, following NextShardIterator
            page = kinesis.get_records(ShardIterator=iterator, Limit=2)
            got += [(r["PartitionKey"], r["Data"], r["SequenceNumber"]) for r in page["Records"]]
            iterator = page["NextShardIterator"]
            if not page["Records"]:
                break
        assert got == [(k, d, n) for k, d, s, n in sent if s == shard["ShardId"]]
    # AT and AFTER a sequence number; LATEST sees only what comes after it
    key, data, shard_id, number = sent[3]
    at = kinesis.get_shard_iterator(
        StreamName="events",
        ShardId=shard_id,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        StartingSequenceNumber=number,
    )["ShardIterator"]
    assert kinesis.get_records(ShardIterator=at, Limit=1)["Records"][0]["Data"] == data
    after = kinesis.get_shard_iterator(
        StreamName="events",
        ShardId=shard_id,
        ShardIteratorType="AFTER_SEQUENCE_NUMBER",
        StartingSequenceNumber=number,
    )["ShardIterator"]
    later = [r["SequenceNumber"] for r in kinesis.get_records(ShardIterator=after)["Records"]]
    assert number not in later and all(int(n) > int(number) for n in later)
    latest = kinesis.get_shard_iterator(
        StreamName="events", ShardId=shard_id, ShardIteratorType="LATEST"
    )["ShardIterator"]
    assert kinesis.get_records(ShardIterator=latest)["Records"] == []
    kinesis.put_record(StreamName="events", Data=b"new", PartitionKey=key)
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=latest)["Records"]] == [b"new"]


def test_bad_iterators_and_keys(kinesis: Client) -> None:
    kinesis.create_stream(StreamName="s", ShardCount=1)
    iterator = kinesis.get_shard_iterator(
        StreamName="s", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    huge = base64.b64encode(b'["s", 1.5, 0, 99999999999999999999999]').decode()
    for bad in ("not-an-iterator", "W10=", iterator[:-4], huge):
        with pytest.raises(ClientError) as excinfo:
            kinesis.get_records(ShardIterator=bad)
        assert error_of(excinfo)[0] == "InvalidArgumentException"
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.get_shard_iterator(
            StreamName="s", ShardId="shardId-000000000001", ShardIteratorType="TRIM_HORIZON"
        )
    # beyond the hash key space: Kinesis's own check; not digits: the model's pattern
    for key, code in (
        (str(2**128), "InvalidArgumentException"),
        ("\u00b2", "ValidationException"),
        ("-1", "ValidationException"),
    ):
        with pytest.raises(ClientError) as excinfo:
            kinesis.put_record(StreamName="s", Data=b"x", PartitionKey="k", ExplicitHashKey=key)
        assert error_of(excinfo)[:2] == (code, 400)
    with pytest.raises(kinesis.exceptions.InvalidArgumentException):
        kinesis.get_shard_iterator(
            StreamName="s",
            ShardId="shardId-000000000000",
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber="12345",
        )
    # an iterator of a stream deleted and made again reads nothing of the new one
    kinesis.delete_stream(StreamName="s")
    kinesis.create_stream(StreamName="s", ShardCount=1)
    kinesis.put_record(StreamName="s", Data=b"fresh", PartitionKey="k")
    with pytest.raises(kinesis.exceptions.ResourceNotFoundException):
        kinesis.get_records(ShardIterator=iterator)


def test_tags_retention_and_encryption(kinesis: Client) -> None:
    """A stream's tags by name and by ARN, its retention period and its encryption, as
    DescribeStreamSummary then shows them (Kinesis's API reference)."""
    kinesis.create_stream(StreamName="events", ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName="events")["StreamDescriptionSummary"][
        "StreamARN"
    ]
    kinesis.add_tags_to_stream(StreamName="events", Tags={"team": "data", "env": "dev"})
    kinesis.tag_resource(ResourceARN=arn, Tags={"cost": "7"})
    listed = kinesis.list_tags_for_stream(StreamName="events", Limit=2)
    assert listed["Tags"] == [{"Key": "cost", "Value": "7"}, {"Key": "env", "Value": "dev"}]
    assert listed["HasMoreTags"] is True
    kinesis.remove_tags_from_stream(StreamName="events", TagKeys=["env"])
    kinesis.untag_resource(ResourceARN=arn, TagKeys=["cost"])
    assert kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "team", "Value": "data"}
    ]

    kinesis.increase_stream_retention_period(StreamName="events", RetentionPeriodHours=48)
    summary = kinesis.describe_stream_summary(StreamName="events")["StreamDescriptionSummary"]
    assert summary["RetentionPeriodHours"] == 48
    for method, hours in (("increase", 30), ("decrease", 12)):  # shorter, or under 24
        with pytest.raises(ClientError) as raised:
            getattr(kinesis, f"{method}_stream_retention_period")(
                StreamName="events", RetentionPeriodHours=hours
            )
        assert error_of(raised)[:2] == ("InvalidArgumentException", 400)
    kinesis.decrease_stream_retention_period(StreamName="events", RetentionPeriodHours=24)

    kinesis.start_stream_encryption(StreamName="events", EncryptionType="KMS", KeyId="alias/k")
    summary = kinesis.describe_stream_summary(StreamName="events")["StreamDescriptionSummary"]
    assert (summary["EncryptionType"], summary["KeyId"]) == ("KMS", "alias/k")
    kinesis.stop_stream_encryption(StreamName="events", EncryptionType="KMS", KeyId="alias/k")
    summary = kinesis.describe_stream_summary(StreamName="events")["StreamDescriptionSummary"]
    assert summary["EncryptionType"] == "NONE" and "KeyId" not in summary
    with pytest.raises(ClientError) as raised:
        kinesis.add_tags_to_stream(StreamName="nowhere", Tags={"a": "b"})
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 400)
