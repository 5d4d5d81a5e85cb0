"""CloudWatch Logs' hand-written behaviours (``codegen/server/behaviours/logs.py``) through real
boto3: groups and streams as the service describes them (no example values), events put and
read back in time order with the service's paging, filters and rejections. Expectations from
the CloudWatch Logs API reference."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server import StubServer, running_server
from tests.support.server import NO_RETRIES, Client, error_of, fresh_key, session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server(services=["logs"]) as running:
        for service in running.services:
            service.load()
        yield running


def client_of(server: StubServer, key: str | None = None) -> Client:
    return session().client(
        "logs",
        endpoint_url=server.url,
        region_name="eu-central-1",
        aws_access_key_id=key or fresh_key(),
        aws_secret_access_key="x",
        config=NO_RETRIES,
    )


@pytest.fixture
def logs(server: StubServer) -> Client:
    return client_of(server)


def now_ms() -> int:
    return int(time.time() * 1000)


def test_groups_and_streams_are_what_was_made(server: StubServer) -> None:
    key = fresh_key()
    logs = client_of(server, key)
    logs.create_log_group(logGroupName="/app/web", tags={"team": "web"})
    logs.create_log_group(logGroupName="/app/jobs", kmsKeyId="arn:aws:kms:eu-central-1:1:key/k")
    with pytest.raises(ClientError) as raised:
        logs.create_log_group(logGroupName="/app/web")
    assert error_of(raised)[:2] == ("ResourceAlreadyExistsException", 400)
    groups = logs.describe_log_groups(logGroupNamePrefix="/app/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/app/jobs", "/app/web"]
    web = groups[1]
    assert web["arn"].startswith("arn:aws:logs:eu-central-1:") and web["arn"].endswith(
        ":log-group:/app/web:*"
    )
    assert web["logGroupArn"] == web["arn"].removesuffix(":*")
    assert "retentionInDays" not in web and "kmsKeyId" not in web  # never set: absent
    assert groups[0]["kmsKeyId"] == "arn:aws:kms:eu-central-1:1:key/k"
    assert abs(web["creationTime"] - now_ms()) < 60_000
    logs.put_retention_policy(logGroupName="/app/web", retentionInDays=30)
    assert (
        logs.describe_log_groups(logGroupNamePrefix="/app/w")["logGroups"][0]["retentionInDays"]
        == 30
    )
    with pytest.raises(ClientError) as raised:
        logs.put_retention_policy(logGroupName="/app/web", retentionInDays=31)
    assert error_of(raised)[:2] == ("InvalidParameterException", 400)
    logs.delete_retention_policy(logGroupName="/app/web")
    assert (
        "retentionInDays"
        not in logs.describe_log_groups(logGroupNamePrefix="/app/w")["logGroups"][0]
    )
    assert logs.list_tags_log_group(logGroupName="/app/web")["tags"] == {"team": "web"}
    logs.tag_resource(resourceArn=web["logGroupArn"], tags={"cost": "7"})
    assert logs.list_tags_for_resource(resourceArn=web["logGroupArn"])["tags"] == {
        "team": "web",
        "cost": "7",
    }
    logs.untag_resource(resourceArn=web["logGroupArn"], tagKeys=["team"])
    assert logs.list_tags_log_group(logGroupName="/app/web")["tags"] == {"cost": "7"}

    logs.create_log_stream(logGroupName="/app/web", logStreamName="i-2")
    logs.create_log_stream(logGroupName="/app/web", logStreamName="i-1")
    with pytest.raises(ClientError) as raised:
        logs.create_log_stream(logGroupName="/app/nowhere", logStreamName="i-1")
    assert error_of(raised) == (
        "ResourceNotFoundException",
        400,
        "The specified log group does not exist.",
    )
    streams = logs.describe_log_streams(logGroupName="/app/web")["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["i-1", "i-2"]
    assert "lastEventTimestamp" not in streams[0]  # no event yet
    pages = logs.get_paginator("describe_log_groups").paginate(PaginationConfig={"PageSize": 1})
    assert [g["logGroupName"] for p in pages for g in p["logGroups"]] == ["/app/jobs", "/app/web"]

    logs.delete_log_group(logGroupName="/app/web")
    with pytest.raises(ClientError) as raised:
        logs.describe_log_streams(logGroupName="/app/web")
    assert error_of(raised)[:2] == ("ResourceNotFoundException", 400)
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == ["/app/jobs"]


def test_events_are_read_back_in_time_order_and_paged(logs: Client) -> None:
    logs.create_log_group(logGroupName="g")
    logs.create_log_stream(logGroupName="g", logStreamName="s")
    base = now_ms() - 60_000
    first = [{"timestamp": base + i, "message": f"line {i}"} for i in range(0, 10, 2)]
    second = [{"timestamp": base + i, "message": f"line {i}"} for i in range(1, 10, 2)]
    logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=first)
    logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=second)
    whole = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)
    assert [e["message"] for e in whole["events"]] == [f"line {i}" for i in range(10)]
    assert all(e["ingestionTime"] >= e["timestamp"] for e in whole["events"])

    # the last three, then backward and forward from them
    last = logs.get_log_events(logGroupName="g", logStreamName="s", limit=3)
    assert [e["message"] for e in last["events"]] == ["line 7", "line 8", "line 9"]
    back = logs.get_log_events(
        logGroupName="g", logStreamName="s", limit=3, nextToken=last["nextBackwardToken"]
    )
    assert [e["message"] for e in back["events"]] == ["line 4", "line 5", "line 6"]
    end = logs.get_log_events(
        logGroupName="g", logStreamName="s", nextToken=last["nextForwardToken"]
    )
    assert end["events"] == [] and end["nextForwardToken"] == last["nextForwardToken"]
    window = logs.get_log_events(
        logGroupName="g",
        logStreamName="s",
        startTime=base + 3,
        endTime=base + 6,
        startFromHead=True,
    )
    assert [e["message"] for e in window["events"]] == ["line 3", "line 4", "line 5"]

    stream = logs.describe_log_streams(logGroupName="g")["logStreams"][0]
    assert (stream["firstEventTimestamp"], stream["lastEventTimestamp"]) == (base, base + 9)

    with pytest.raises(ClientError) as raised:
        logs.put_log_events(
            logGroupName="g",
            logStreamName="s",
            logEvents=[
                {"timestamp": base + 5, "message": "b"},
                {"timestamp": base, "message": "a"},
            ],
        )
    assert error_of(raised)[:2] == ("InvalidParameterException", 400)
    with pytest.raises(ClientError) as raised:
        logs.put_log_events(
            logGroupName="g", logStreamName="nope", logEvents=[{"timestamp": base, "message": "a"}]
        )
    assert error_of(raised) == (
        "ResourceNotFoundException",
        400,
        "The specified log stream does not exist.",
    )
    too_old = now_ms() - 14 * 86_400_000 - 12 * 3_600_000  # 14 days and a half
    rejected = logs.put_log_events(
        logGroupName="g",
        logStreamName="s",
        logEvents=[
            {"timestamp": too_old, "message": "old"},
            {"timestamp": too_old + 1000, "message": "old too"},
            {"timestamp": too_old + 13 * 3_600_000, "message": "fine"},
        ],
    )["rejectedLogEventsInfo"]
    assert rejected == {"tooOldLogEventEndIndex": 1}
    rejected = logs.put_log_events(
        logGroupName="g",
        logStreamName="s",
        logEvents=[
            {"timestamp": base + 20, "message": "new"},
            {"timestamp": now_ms() + 3 * 3_600_000, "message": "future"},
        ],
    )["rejectedLogEventsInfo"]
    assert rejected == {"tooNewLogEventStartIndex": 1}
    messages = [
        e["message"]
        for e in logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)[
            "events"
        ]
    ]
    assert messages[0] == "fine" and messages[-1] == "new"
    assert {"old", "old too", "future"}.isdisjoint(messages)


def test_filter_log_events_across_streams(logs: Client) -> None:
    logs.create_log_group(logGroupName="svc")
    base = now_ms() - 60_000
    lines = {
        "a": ["GET /health 200", "ERROR db timeout", "GET /x 500"],
        "b": ["ERROR disk full", "WARN slow", 'user said "hello world"'],
    }
    for stream, messages in lines.items():
        logs.create_log_stream(logGroupName="svc", logStreamName=stream)
        offset = 0 if stream == "a" else 1
        logs.put_log_events(
            logGroupName="svc",
            logStreamName=stream,
            logEvents=[
                {"timestamp": base + 2 * i + offset, "message": m} for i, m in enumerate(messages)
            ],
        )

    def found(**kwargs: object) -> list[str]:
        pages = logs.get_paginator("filter_log_events").paginate(logGroupName="svc", **kwargs)
        return [e["message"] for p in pages for e in p["events"]]

    everything = found()
    assert everything == [
        "GET /health 200",
        "ERROR disk full",
        "ERROR db timeout",
        "WARN slow",
        "GET /x 500",
        'user said "hello world"',
    ]
    assert found(filterPattern="ERROR") == ["ERROR disk full", "ERROR db timeout"]
    assert found(filterPattern="ERROR timeout") == ["ERROR db timeout"]
    assert found(filterPattern="?WARN ?500") == ["WARN slow", "GET /x 500"]
    assert found(filterPattern="GET -500") == ["GET /health 200"]
    assert found(filterPattern='"hello world"') == ['user said "hello world"']
    assert found(filterPattern="ERROR", logStreamNames=["b"]) == ["ERROR disk full"]
    assert found(PaginationConfig={"PageSize": 1}) == everything  # paged one by one
    one = logs.filter_log_events(logGroupName="svc", limit=2)
    assert len(one["events"]) == 2 and "nextToken" in one
    assert len({e["eventId"] for e in one["events"]}) == 2
    with pytest.raises(ClientError) as raised:
        logs.filter_log_events(logGroupName="svc", filterPattern="{ $.level = 1 }")
    assert error_of(raised)[:2] == ("InvalidParameterException", 400)


def test_accounts_do_not_see_each_others_logs(server: StubServer) -> None:
    mine, theirs = client_of(server), client_of(server)
    mine.create_log_group(logGroupName="private")
    assert theirs.describe_log_groups(logGroupNamePrefix="private")["logGroups"] == []
    with pytest.raises(ClientError):
        theirs.create_log_stream(logGroupName="private", logStreamName="s")


@settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(
    stamps=st.lists(st.integers(0, 10_000), min_size=1, max_size=30),
    limit=st.integers(1, 7),
)
def test_paging_forward_reads_every_event_once_in_order(
    server: StubServer, stamps: list[int], limit: int
) -> None:
    logs = client_of(server)
    logs.create_log_group(logGroupName="p")
    logs.create_log_stream(logGroupName="p", logStreamName="s")
    base = now_ms() - 3_600_000
    for i, stamp in enumerate(stamps):  # one batch each: their times in any order
        logs.put_log_events(
            logGroupName="p",
            logStreamName="s",
            logEvents=[{"timestamp": base + stamp, "message": str(i)}],
        )
    expected = [str(i) for i, _ in sorted(enumerate(stamps), key=lambda p: (p[1], p[0]))]
    seen: list[str] = []
    token = None
    for _ in range(len(stamps) + 2):
        kwargs = {"nextToken": token} if token else {"startFromHead": True}
        page = logs.get_log_events(logGroupName="p", logStreamName="s", limit=limit, **kwargs)
        seen += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert seen == expected
