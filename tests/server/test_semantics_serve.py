"""S3 objects, SQS messages and DynamoDB items through a real ``apigen serve`` process with
``--state FILE``: what was acknowledged survives ``kill -9`` and a restart, and the reset
endpoint (moto's path) forgets all of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.server import client_for, installed_specs

pytestmark = pytest.mark.network
APIGEN = str(Path(sys.executable).parent / "apigen")


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``apigen serve ARGS --quiet`` in a subprocess: (its URL, the process)."""
    proc = subprocess.Popen(
        [APIGEN, "serve", *args, "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://"), url
        yield url, proc
    finally:
        proc.kill()
        proc.wait(10)


def test_data_survives_kill_9_and_reset_forgets_it(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    specs = [
        str(p)
        for p in installed_specs(tmp_path_factory.mktemp("specs"), ("s3", "sqs", "dynamodb"))
    ]
    state = str(tmp_path / "state.db")
    with serving(*specs, "--state", state, "--settle-after", "0") as (url, proc):
        s3 = client_for(url, "s3", s3={"addressing_style": "path"})
        s3.create_bucket(Bucket="kept")
        s3.put_object(Bucket="kept", Key="a/b", Body=b"\x00bytes\xff")
        sqs = client_for(url, "sqs")
        queue = sqs.create_queue(QueueName="kept")["QueueUrl"]
        sent = sqs.send_message(QueueUrl=queue, MessageBody="survives")
        ddb = client_for(url, "dynamodb")
        ddb.create_table(
            TableName="kept",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.put_item(TableName="kept", Item={"k": {"S": "v"}, "n": {"N": "1"}})
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    with serving(*specs, "--state", state) as (url, _):
        s3 = client_for(url, "s3", s3={"addressing_style": "path"})
        assert s3.get_object(Bucket="kept", Key="a/b")["Body"].read() == b"\x00bytes\xff"
        sqs = client_for(url, "sqs")
        got = sqs.receive_message(QueueUrl=sqs.get_queue_url(QueueName="kept")["QueueUrl"])
        assert [m["MessageId"] for m in got["Messages"]] == [sent["MessageId"]]
        ddb = client_for(url, "dynamodb")
        assert ddb.get_item(TableName="kept", Key={"k": {"S": "v"}})["Item"]["n"] == {"N": "1"}
        request = urllib.request.Request(url + "/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        assert "Buckets" not in s3.list_buckets() or s3.list_buckets()["Buckets"] == []
        assert "QueueUrls" not in sqs.list_queues()
        assert ddb.list_tables()["TableNames"] == []


def test_secrets_and_stream_records_survive_kill_9(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    specs = [
        str(p)
        for p in installed_specs(tmp_path_factory.mktemp("specs"), ("secretsmanager", "kinesis"))
    ]
    state = str(tmp_path / "state.db")
    with serving(*specs, "--state", state, "--settle-after", "0") as (url, proc):
        sm = client_for(url, "secretsmanager")
        version = sm.create_secret(Name="kept", SecretString="s3cr3t")["VersionId"]
        kinesis = client_for(url, "kinesis")
        kinesis.create_stream(StreamName="kept", ShardCount=1)
        put = kinesis.put_record(StreamName="kept", Data=b"\x00rec", PartitionKey="p")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    with serving(*specs, "--state", state) as (url, _):
        sm = client_for(url, "secretsmanager")
        got = sm.get_secret_value(SecretId="kept")
        assert (got["SecretString"], got["VersionId"]) == ("s3cr3t", version)
        kinesis = client_for(url, "kinesis")
        iterator = kinesis.get_shard_iterator(
            StreamName="kept", ShardId=put["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator)["Records"]
        assert [(r["SequenceNumber"], r["Data"]) for r in records] == [
            (put["SequenceNumber"], b"\x00rec")
        ]
        request = urllib.request.Request(url + "/_apigen/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        assert sm.list_secrets()["SecretList"] == []
        assert kinesis.list_streams()["StreamNames"] == []
