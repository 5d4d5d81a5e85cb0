"""A botocore client built from the exported spec sends the same request bytes as a client
built from botocore 1.14.10's own model.

Both clients are real botocore clients (installed botocore, data loaded from a data path);
a ``before-send`` handler records each prepared request and answers it, so nothing leaves
the machine. Signatures and dates differ per call and are left out of the comparison.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeAlias

import botocore.awsrequest
import botocore.exceptions
import botocore.loaders
import botocore.session
import pytest

from codegen.bridge.exporter import write_data_path
from tests.support.helpers import release, spec

AWSPreparedRequest = botocore.awsrequest.AWSPreparedRequest
# a botocore EC2 client (its methods are made at run time from the model: Any) and the
# requests it sent
Sent: TypeAlias = tuple[Any, list[AWSPreparedRequest]]

pytestmark = pytest.mark.network

RESPONSES = {
    "CreateFlowLogs": b"<CreateFlowLogsResponse xmlns='http://ec2.amazonaws.com/doc/2016-11-15/'>"
    b"<requestId>r-1</requestId><flowLogIdSet><item>fl-1</item></flowLogIdSet>"
    b"<unsuccessful/></CreateFlowLogsResponse>",
    "DescribeFlowLogs": b"<DescribeFlowLogsResponse xmlns='http://ec2.amazonaws.com/doc/2016-11-15/'>"
    b"<requestId>r-2</requestId><flowLogSet><item><flowLogId>fl-1</flowLogId>"
    b"<creationTime>2020-02-04T10:00:00.000Z</creationTime><maxAggregationInterval>60</maxAggregationInterval>"
    b"<trafficType>ALL</trafficType></item></flowLogSet></DescribeFlowLogsResponse>",
    "DeleteFlowLogs": b"<DeleteFlowLogsResponse xmlns='http://ec2.amazonaws.com/doc/2016-11-15/'>"
    b"<requestId>r-3</requestId><unsuccessful/></DeleteFlowLogsResponse>",
}

REQUESTS = [
    (
        "CreateFlowLogs",
        {
            "ResourceIds": ["vpc-1", "vpc-2"],
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogGroupName": "my-logs",
            "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/r",
        },
    ),
    (
        "CreateFlowLogs",
        {
            "ResourceIds": ["subnet-1"],
            "ResourceType": "Subnet",
            "TrafficType": "REJECT",
            "LogDestinationType": "s3",
            "LogDestination": "arn:aws:s3:::my-bucket/my-logs/",
            "LogFormat": "${version} ${srcaddr} ${dstaddr}",
            "MaxAggregationInterval": 60,
            "ClientToken": "token-1",
            "DryRun": True,
        },
    ),
    ("DescribeFlowLogs", {}),
    (
        "DescribeFlowLogs",
        {
            "Filter": [
                {"Name": "resource-id", "Values": ["vpc-1", "vpc-2"]},
                {"Name": "traffic-type", "Values": ["ALL"]},
            ],
            "FlowLogIds": ["fl-1", "fl-2"],
            "MaxResults": 5,
            "NextToken": "abc",
        },
    ),
    ("DeleteFlowLogs", {"FlowLogIds": ["fl-1", "fl-2", "fl-3"], "DryRun": False}),
]


def _client(data_path: Path) -> Sent:
    session = botocore.session.Session()
    session.register_component(
        "data_loader", botocore.loaders.Loader(extra_search_paths=[str(data_path)])
    )
    client = session.create_client(
        "ec2",
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    sent: list[AWSPreparedRequest] = []

    def answer(request: AWSPreparedRequest, **_: Any) -> botocore.awsrequest.AWSResponse:
        sent.append(request)
        operation = _body(request).decode().split("Action=")[1].split("&")[0]
        headers = botocore.awsrequest.HTTPHeaders()
        return botocore.awsrequest.AWSResponse(
            request.url, 200, headers, _Raw(RESPONSES[operation])
        )

    # a before-send handler that returns a response stands in for the network (botocore-stubs
    # type event handlers as returning None)
    client.meta.events.register("before-send", answer)  # type: ignore[arg-type]
    return client, sent


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sent, Sent]:
    ours_dir = tmp_path_factory.mktemp("ours")
    write_data_path(spec().model("1.14.10"), ours_dir)
    theirs_dir = tmp_path_factory.mktemp("theirs") / "ec2" / "2016-11-15"
    theirs_dir.mkdir(parents=True)
    source = release("1.14.10").model_path("ec2")
    shutil.copy(source, theirs_dir / "service-2.json")
    shutil.copy(source.with_name("paginators-1.json"), theirs_dir / "paginators-1.json")
    return _client(ours_dir), _client(theirs_dir.parent.parent)


def _shown(request: AWSPreparedRequest) -> tuple[str, str, dict[str, str], bytes]:
    headers = {
        k: v
        for k, v in request.headers.items()
        if k
        not in (
            "Authorization",
            "X-Amz-Date",
            "User-Agent",
            "amz-sdk-invocation-id",
            "amz-sdk-request",
        )
    }
    return request.method, request.url, headers, _body(request)


def _body(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if isinstance(body, str):
        return body.encode()
    assert isinstance(body, bytes), body
    return body


@pytest.mark.parametrize(
    "operation, params", REQUESTS, ids=[f"{o}-{i}" for i, (o, _) in enumerate(REQUESTS)]
)
def test_same_request_bytes(
    clients: tuple[Sent, Sent], operation: str, params: dict[str, Any]
) -> None:
    (ours, ours_sent), (theirs, theirs_sent) = clients
    method = getattr(ours, _snake(operation))
    ours_result = method(**params)
    theirs_result = getattr(theirs, _snake(operation))(**params)
    assert _shown(ours_sent[-1]) == _shown(theirs_sent[-1])
    assert b"Action=" + operation.encode() in _body(ours_sent[-1])
    ours_result.pop("ResponseMetadata"), theirs_result.pop("ResponseMetadata")
    assert ours_result == theirs_result


def test_response_parsed_the_same_with_timestamps_and_new_member(
    clients: tuple[Sent, Sent],
) -> None:
    (ours, _), _ = clients
    result = ours.describe_flow_logs()
    log = result["FlowLogs"][0]
    assert log["MaxAggregationInterval"] == 60
    assert log["CreationTime"] == datetime.datetime(
        2020, 2, 4, 10, 0, tzinfo=datetime.timezone.utc
    )


def test_paginator_from_exported_spec(clients: tuple[Sent, Sent]) -> None:
    (ours, sent), _ = clients
    pages = list(
        ours.get_paginator("describe_flow_logs").paginate(PaginationConfig={"PageSize": 5})
    )
    assert len(pages) == 1 and b"MaxResults=5" in _body(sent[-1])


def test_client_from_spec_before_the_change_rejects_the_new_member(tmp_path: Path) -> None:
    write_data_path(spec().model("1.14.9"), tmp_path)
    client, _ = _client(tmp_path)
    with pytest.raises(botocore.exceptions.ParamValidationError, match="MaxAggregationInterval"):
        client.create_flow_logs(
            ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL", MaxAggregationInterval=60
        )


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
