"""The generated dataclasses (``generated/ec2/shapes.py``) at run time.

The module under test is generated afresh from the spec by the current generator (that the
committed file is the same is checked in test_dataclasses_gen.py). Properties are checked
with hypothesis strategies derived from the model's shapes; requests are checked against the
installed botocore's ParamValidator, and responses are parsed from EC2 response XML by
botocore's own parser before they are loaded.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache
from types import ModuleType
from typing import Any

import botocore.model
import botocore.parsers
import botocore.serialize
import botocore.session
import botocore.validate
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.generators.base import GenerationContext
from codegen.generators.dataclasses_gen import DataclassesGenerator, class_names, field_names
from codegen.loader import load_spec
from codegen.model import ServiceModel
from tests.support.helpers import input_shape, parse_response
from tests.support.imports import import_source
from tests.support.paths import ROOT, SPEC
from tests.support.shapes import UTC, ZONES, values

EXPORTED_MODEL = ROOT / "generated" / "ec2" / "botocore" / "ec2" / "2016-11-15" / "service-2.json"
OPERATIONS = ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")


# -- the module under test -----------------------------------------------------------------


@lru_cache(maxsize=1)
def model() -> ServiceModel:
    return load_spec(SPEC).model()


@lru_cache(maxsize=1)
def shapes_module() -> ModuleType:
    spec = load_spec(SPEC)
    source = DataclassesGenerator().generate(GenerationContext(spec.model(), spec))["shapes.py"]
    return import_source(source, "apigen_test_ec2_shapes")


def cls(shape: str) -> Any:
    return getattr(shapes_module(), class_names(model())[shape])


def structures() -> list[str]:
    return [name for name, s in model().shapes.items() if s.type == "structure"]


# -- strategies derived from the model -------------------------------------------------------


def instances(shape: str) -> st.SearchStrategy[Any]:
    return values(model(), shapes_module(), shape, as_dict=False)


def dicts(shape: str) -> st.SearchStrategy[dict[str, Any]]:
    return values(model(), shapes_module(), shape, as_dict=True)


def any_structure(
    strategy: Callable[[str], st.SearchStrategy[Any]],
) -> st.SearchStrategy[tuple[str, Any]]:
    return st.sampled_from(structures()).flatmap(
        lambda name: strategy(name).map(lambda v: (name, v))
    )


def assert_plain(value: Any, path: str = "") -> None:
    """to_dict output holds only what botocore returns: dicts, lists, plain str, ..."""
    assert not isinstance(value, (Enum, tuple)), f"{path}: {type(value).__name__}"
    if isinstance(value, str):
        assert type(value) is str, path
    elif isinstance(value, dict):
        for k, v in value.items():
            assert type(k) is str, path
            assert_plain(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            assert_plain(v, f"{path}[{i}]")
    elif isinstance(value, datetime):
        assert value.utcoffset() is not None, path


# -- round trips ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(any_structure(instances))
def test_instance_round_trip(case: tuple[str, Any]) -> None:
    """``X.from_dict(x.to_dict()) == x`` for any instance, whatever policy for unknown keys."""
    name, x = case
    data = x.to_dict()
    assert_plain(data)
    for unknown in ("ignore", "keep", "error"):
        y = cls(name).from_dict(data, unknown=unknown)
        assert y == x
        assert hash(y) == hash(x)
        assert y.to_dict() == data


@settings(max_examples=300, deadline=None)
@given(any_structure(dicts))
def test_dict_round_trip(case: tuple[str, dict[str, Any]]) -> None:
    """``from_dict(d).to_dict() == d`` for any botocore-style dict."""
    name, data = case
    x = cls(name).from_dict(data, unknown="error")
    out = x.to_dict()
    assert out == data
    assert_plain(out)


@settings(max_examples=100, deadline=None)
@given(
    any_structure(dicts),
    st.dictionaries(
        st.from_regex(r"[A-Z][A-Za-z0-9]{0,12}", fullmatch=True),
        st.integers() | st.text(max_size=5) | st.lists(st.integers(), max_size=2),
        min_size=1,
        max_size=3,
    ),
)
def test_unknown_keys(case: tuple[str, dict[str, Any]], new: dict[str, Any]) -> None:
    """Keys the model does not know: dropped, kept (and written back) or an error naming them."""
    name, data = case
    new = {k: v for k, v in new.items() if k not in model().shapes[name].members}
    if not new:
        return
    full = {**data, **new}
    ignored = cls(name).from_dict(full)
    assert ignored.extra == {}
    assert ignored.to_dict() == data
    kept = cls(name).from_dict(full, unknown="keep")
    assert kept.extra == new
    assert kept.to_dict() == full
    assert kept == ignored and hash(kept) == hash(ignored)  # extra is not compared
    assert "extra" not in repr(kept)
    with pytest.raises(shapes_module().ShapeError) as info:
        cls(name).from_dict(full, unknown="error")
    assert info.value.path in new
    assert f"not a member of {name}" in str(info.value)


def test_shape_errors_pickle() -> None:
    """A ShapeError crosses a process boundary (multiprocessing, a task queue) intact; before,
    unpickling it raised TypeError (its __init__ takes path and problem)."""
    import pickle

    s = shapes_module()
    with pytest.raises(s.ShapeError) as info:
        s.DescribeFlowLogsResult.from_dict({"FlowLogs": "x"})
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is s.ShapeError
    assert (again.path, again.problem, str(again)) == (
        "FlowLogs",
        "expected list, got str",
        "FlowLogs: expected list, got str",
    )


# -- the classes ----------------------------------------------------------------------------


def test_classes_follow_the_model() -> None:
    s = shapes_module()
    for name in structures():
        shape = model().shapes[name]
        c = cls(name)
        assert c.SHAPE == name
        fields = {f.name: f for f in dataclasses.fields(c)}
        assert list(fields) == [*field_names(shape).values(), "extra"]
        assert list(c.MEMBERS) == list(field_names(shape).values())
        for member_name, member in shape.members.items():
            field = field_names(shape)[member_name]
            info = c.MEMBERS[field]
            assert info == s.MemberInfo(
                member_name, member.shape, member.wire_name, member_name in shape.required
            )
            if member_name in shape.required:
                assert fields[field].default is dataclasses.MISSING
            else:
                assert fields[field].default is None
            assert fields[field].kw_only
        assert c.__dataclass_params__.frozen
        assert "__slots__" in vars(c)
    flow_log = s.FlowLog.MEMBERS
    assert flow_log["creation_time"] == s.MemberInfo("CreationTime", "DateTime", "creationTime")
    assert flow_log["traffic_type"] == s.MemberInfo("TrafficType", "TrafficType", "trafficType")
    request = s.CreateFlowLogsRequest.MEMBERS
    assert request["resource_ids"] == s.MemberInfo(
        "ResourceIds", "ValueStringList", "ResourceId", True
    )
    assert {"dry_run", "max_aggregation_interval", "resource_ids"} <= set(request)


def test_annotations_read_naturally() -> None:
    s = shapes_module()
    assert s.FlowLog.__annotations__["traffic_type"] == "TrafficType | str | None"
    assert s.FlowLog.__annotations__["creation_time"] == "datetime | None"
    assert s.CreateFlowLogsRequest.__annotations__["resource_ids"] == "tuple[str, ...]"
    assert s.CreateFlowLogsRequest.__annotations__["resource_type"] == "FlowLogsResourceType | str"
    assert s.DescribeFlowLogsResult.__annotations__["flow_logs"] == "tuple[FlowLog, ...] | None"
    assert s.CreateFlowLogsRequest.__annotations__["extra"] == "Mapping[str, Any]"


def test_docstrings_come_from_the_spec() -> None:
    s = shapes_module()
    assert s.FlowLog.__doc__ == "Describes a flow log."
    assert s.UnsuccessfulItem.__doc__.startswith(
        "Information about items that were not successfully"
    )
    assert "client.create_flow_logs(**params.to_dict())" in s.CreateFlowLogsRequest.__doc__
    assert "Creates one or more flow logs" in s.CreateFlowLogsRequest.__doc__
    assert (
        "DescribeFlowLogsResult.from_dict(client.describe_flow_logs(...))"
        in s.DescribeFlowLogsResult.__doc__
    )
    assert (
        "- DescribeAvailabilityZones\n    - DescribeImages" in s.Filter.__doc__
    )  # bullets as a list
    assert s.TrafficType.__doc__.startswith("The values of the ``TrafficType`` shape.")


def test_enums() -> None:
    s = shapes_module()
    assert [(m.name, m.value) for m in s.FlowLogsResourceType] == [
        ("VPC", "VPC"),
        ("SUBNET", "Subnet"),
        ("NETWORK_INTERFACE", "NetworkInterface"),
    ]
    assert [m.value for m in s.TrafficType] == ["ACCEPT", "REJECT", "ALL"]
    assert s.LogDestinationType.CLOUD_WATCH_LOGS == "cloud-watch-logs"
    assert str(s.LogDestinationType.S3) == "s3" and f"{s.LogDestinationType.S3}" == "s3"
    assert isinstance(s.TrafficType.ALL, str)


def test_instances_are_immutable_hashable_and_keyword_only() -> None:
    s = shapes_module()
    request = s.CreateFlowLogsRequest(
        resource_ids=["vpc-0a1b2c3d"],  # a list is stored as a tuple
        resource_type="Subnet",  # a known value is stored as the enum member
        traffic_type="SOMETHING-NEW",  # an unknown one as it is
    )
    assert request.resource_ids == ("vpc-0a1b2c3d",)
    assert request.resource_type is s.FlowLogsResourceType.SUBNET
    assert request.traffic_type == "SOMETHING-NEW" and type(request.traffic_type) is str
    same = s.CreateFlowLogsRequest(
        resource_ids=("vpc-0a1b2c3d",),
        resource_type=s.FlowLogsResourceType.SUBNET,
        traffic_type="SOMETHING-NEW",
    )
    assert request == same and hash(request) == hash(same)
    assert len({request, same}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.traffic_type = "ALL"
    with pytest.raises(TypeError):
        s.UnsuccessfulItemError("code", "message")
    with pytest.raises(TypeError):  # required members have no default
        s.CreateFlowLogsRequest(resource_ids=("vpc-1",), traffic_type="ALL")
    naive = s.FlowLog(creation_time=datetime(2020, 2, 4, 12, 0))
    assert naive.creation_time == datetime(2020, 2, 4, 12, 0, tzinfo=UTC)
    assert naive.creation_time.tzinfo is not None
    replaced = dataclasses.replace(naive, traffic_type="REJECT")
    assert replaced.traffic_type is s.TrafficType.REJECT


def test_extra_is_kept_apart() -> None:
    s = shapes_module()
    x = s.FlowLog(
        flow_log_id="fl-1", extra={"Tags": [{"Key": "a", "Value": "b"}], "FlowLogId": "ignored"}
    )
    assert x == s.FlowLog(flow_log_id="fl-1")
    assert x.to_dict() == {
        "FlowLogId": "fl-1",
        "Tags": [{"Key": "a", "Value": "b"}],
    }  # known members win


# -- from_dict errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "data", "message"),
    [
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": [{"FlowLogId": "fl-1"}, {"CreationTime": 1580812800}]},
            "FlowLogs[1].CreationTime: expected datetime or ISO 8601 string, got int",
        ),
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": [{"CreationTime": "last tuesday"}]},
            "FlowLogs[0].CreationTime: expected an ISO 8601 timestamp, got 'last tuesday'",
        ),
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": [{"MaxAggregationInterval": True}]},
            "FlowLogs[0].MaxAggregationInterval: expected int, got bool",
        ),
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": [{"MaxAggregationInterval": "60"}]},
            "FlowLogs[0].MaxAggregationInterval: expected int, got str",
        ),
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": {"FlowLogId": "fl-1"}},
            "FlowLogs: expected list, got dict",
        ),
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": ["fl-1"]},
            "FlowLogs[0]: expected a mapping of FlowLog members, got str",
        ),
        (
            "DescribeFlowLogsResult",
            ["fl-1"],
            "expected a mapping of DescribeFlowLogsResult members, got list",
        ),
        (
            "DescribeFlowLogsResult",
            {"FlowLogs": [{"TrafficType": 1}]},
            "FlowLogs[0].TrafficType: expected str, got int",
        ),
        ("DescribeFlowLogsRequest", {"DryRun": "false"}, "DryRun: expected bool, got str"),
        (
            "DescribeFlowLogsRequest",
            {"Filter": [{"Name": "traffic-type", "Values": ["ALL", 2]}]},
            "Filter[0].Values[1]: expected str, got int",
        ),
        (
            "CreateFlowLogsResult",
            {"Unsuccessful": [{"Error": {"Code": ["x"]}}]},
            "Unsuccessful[0].Error.Code: expected str, got list",
        ),
        (
            "DeleteFlowLogsRequest",
            {"DryRun": True},
            "FlowLogIds: missing (required by DeleteFlowLogsRequest)",
        ),
        (
            "CreateFlowLogsRequest",
            {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": None},
            "TrafficType: missing (required by CreateFlowLogsRequest)",
        ),
    ],
)
def test_wrong_types_name_the_path(shape: str, data: Any, message: str) -> None:
    with pytest.raises(shapes_module().ShapeError) as info:
        cls(shape).from_dict(data)
    assert str(info.value) == message
    error: Any = info.value  # the generated module's ShapeError
    assert isinstance(info.value, ValueError)
    path = "" if message.startswith("expected") else message.partition(": ")[0]
    assert error.path == path


def test_unknown_key_error_names_the_nested_path() -> None:
    data = {
        "FlowLogs": [{"FlowLogId": "fl-1"}, {"FlowLogId": "fl-2", "TrafficMirrorSampling": 0.5}]
    }
    with pytest.raises(shapes_module().ShapeError) as info:
        cls("DescribeFlowLogsResult").from_dict(data, unknown="error")
    assert info.value.path == "FlowLogs[1].TrafficMirrorSampling"
    assert str(info.value).startswith("FlowLogs[1].TrafficMirrorSampling: not a member of FlowLog")
    with pytest.raises(ValueError, match="unknown must be 'ignore', 'keep' or 'error'"):
        cls("FlowLog").from_dict({}, unknown="drop")


def test_timestamps() -> None:
    flow_log = cls("FlowLog")
    expected = datetime(2020, 2, 4, 10, 15, 30, tzinfo=UTC)
    for text in (
        "2020-02-04T10:15:30Z",
        "2020-02-04T10:15:30.000+00:00",
        "2020-02-04T10:15:30",
        "2020-02-04T11:15:30+01:00",
    ):
        value = flow_log.from_dict({"CreationTime": text}).creation_time
        assert value == expected and value.utcoffset() is not None, text
    naive = flow_log.from_dict({"CreationTime": datetime(2020, 2, 4, 10, 15, 30)}).creation_time
    assert naive == expected and naive.tzinfo is UTC
    kolkata = datetime(2020, 2, 4, 15, 45, 30, tzinfo=ZONES[2])
    assert flow_log.from_dict({"CreationTime": kolkata}).creation_time is kolkata


# -- botocore ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def installed_ec2() -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model("ec2")


@lru_cache(maxsize=1)
def exported_ec2() -> botocore.model.ServiceModel:
    """The spec's own model, as the botocore-export generator writes it."""
    return botocore.model.ServiceModel(
        json.loads(EXPORTED_MODEL.read_text(encoding="utf-8")), "ec2"
    )


def assert_valid_params(params: dict[str, Any], operation: str) -> None:
    shape = input_shape(installed_ec2().operation_model(operation))
    report = botocore.validate.ParamValidator().validate(params, shape)
    assert not report.has_errors(), report.generate_report()


def test_request_passes_botocore_param_validation() -> None:
    s = shapes_module()
    request = s.CreateFlowLogsRequest(
        dry_run=False,
        client_token="5e6b7c8d-0000-4000-8000-123456789abc",
        resource_ids=("vpc-0a1b2c3d4e5f60718", "subnet-0123456789abcdef0"),
        resource_type=s.FlowLogsResourceType.VPC,
        traffic_type=s.TrafficType.ALL,
        log_destination_type=s.LogDestinationType.S3,
        log_destination="arn:aws:s3:::my-bucket/my-logs/",
        log_format="${version} ${vpc-id} ${subnet-id} ${instance-id} ${srcaddr} ${dstaddr}",
        max_aggregation_interval=60,
    )
    params = request.to_dict()
    assert params["ResourceIds"] == ["vpc-0a1b2c3d4e5f60718", "subnet-0123456789abcdef0"]
    assert type(params["LogDestinationType"]) is str
    assert_valid_params(params, "CreateFlowLogs")
    describe = s.DescribeFlowLogsRequest(
        filter=(s.Filter(name="traffic-type", values=("ALL", "REJECT")),),
        max_results=100,
        next_token="abc",
    )
    assert_valid_params(describe.to_dict(), "DescribeFlowLogs")
    assert_valid_params(
        s.DeleteFlowLogsRequest(flow_log_ids=["fl-1a2b3c4d"]).to_dict(), "DeleteFlowLogs"
    )


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(OPERATIONS).flatmap(
        lambda op: instances(f"{op}Request").map(lambda x: (op, x))
    )
)
def test_any_request_passes_botocore_param_validation(case: tuple[str, Any]) -> None:
    operation, request = case
    assert_valid_params(request.to_dict(), operation)


REQUEST_ID = "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>"

DESCRIBE_FLOW_LOGS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    {REQUEST_ID}
    <flowLogSet>
        <item>
            <creationTime>2020-02-05T09:41:27.000Z</creationTime>
            <deliverLogsPermissionArn>arn:aws:iam::123456789012:role/flow-logs-role</deliverLogsPermissionArn>
            <deliverLogsStatus>SUCCESS</deliverLogsStatus>
            <flowLogId>fl-1a2b3c4d5e6f7a8b9</flowLogId>
            <flowLogStatus>ACTIVE</flowLogStatus>
            <logGroupName>my-flow-logs</logGroupName>
            <resourceId>vpc-0a1b2c3d4e5f60718</resourceId>
            <trafficType>ALL</trafficType>
            <logDestinationType>cloud-watch-logs</logDestinationType>
            <logDestination>arn:aws:logs:us-east-1:123456789012:log-group:my-flow-logs</logDestination>
            <logFormat>${{version}} ${{account-id}} ${{interface-id}} ${{srcaddr}} ${{dstaddr}} ${{srcport}} ${{dstport}} ${{protocol}} ${{packets}} ${{bytes}} ${{start}} ${{end}} ${{action}} ${{log-status}}</logFormat>
            <maxAggregationInterval>600</maxAggregationInterval>
        </item>
        <item>
            <creationTime>2024-06-11T17:03:12.512Z</creationTime>
            <deliverLogsStatus>SUCCESS</deliverLogsStatus>
            <flowLogId>fl-0f9e8d7c6b5a49382</flowLogId>
            <flowLogStatus>ACTIVE</flowLogStatus>
            <resourceId>subnet-0123456789abcdef0</resourceId>
            <trafficType>REJECT</trafficType>
            <logDestinationType>kinesis-data-firehose</logDestinationType>
            <logDestination>arn:aws:firehose:us-east-1:123456789012:deliverystream/flow-logs</logDestination>
            <deliverCrossAccountRole>arn:aws:iam::210987654321:role/cross-account-flow-logs</deliverCrossAccountRole>
            <logFormat>${{version}} ${{vpc-id}} ${{subnet-id}} ${{instance-id}} ${{tcp-flags}}</logFormat>
            <tagSet>
                <item>
                    <key>Name</key>
                    <value>audit</value>
                </item>
            </tagSet>
            <maxAggregationInterval>60</maxAggregationInterval>
            <trafficMirrorSampling>0.5</trafficMirrorSampling>
        </item>
    </flowLogSet>
    <nextToken>eyJ2IjoiMiIsImMiOiJmbC0wZjllOGQ3YzZiNWE0OTM4MiJ9</nextToken>
</DescribeFlowLogsResponse>
"""

CREATE_FLOW_LOGS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<CreateFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    {REQUEST_ID}
    <clientToken>5e6b7c8d-0000-4000-8000-123456789abc</clientToken>
    <flowLogIdSet>
        <item>fl-1a2b3c4d5e6f7a8b9</item>
    </flowLogIdSet>
    <unsuccessful>
        <item>
            <error>
                <code>InvalidVpcID.NotFound</code>
                <message>The vpc ID 'vpc-deadbeef' does not exist</message>
            </error>
            <resourceId>vpc-deadbeef</resourceId>
        </item>
    </unsuccessful>
</CreateFlowLogsResponse>
"""

DELETE_FLOW_LOGS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<DeleteFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    {REQUEST_ID}
    <unsuccessful>
        <item>
            <error>
                <code>InvalidFlowLogId.NotFound</code>
                <message>These flow log ids in the input list are not found: [fl-11111111]</message>
            </error>
            <resourceId>fl-11111111</resourceId>
        </item>
    </unsuccessful>
</DeleteFlowLogsResponse>
"""

DELETE_FLOW_LOGS_OK_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<DeleteFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    {REQUEST_ID}
    <unsuccessful/>
</DeleteFlowLogsResponse>
"""


def parse(
    xml: str, operation: str, service: botocore.model.ServiceModel | None = None
) -> dict[str, Any]:
    """Parse a response body the way a botocore client does, ResponseMetadata stripped."""
    output_shape = (service or installed_ec2()).operation_model(operation).output_shape
    parser = botocore.parsers.create_parser("ec2")
    response = {"body": xml.encode(), "headers": {}, "status_code": 200}
    parsed = parse_response(parser, response, output_shape)
    assert parsed.pop("ResponseMetadata")["RequestId"] == "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
    return parsed


def test_describe_flow_logs_response() -> None:
    s = shapes_module()
    parsed = parse(DESCRIBE_FLOW_LOGS_XML, "DescribeFlowLogs")
    # what the installed botocore knows and the spec (2020-02-04) does not
    new_members = {"DeliverCrossAccountRole", "Tags"}
    assert new_members <= set(parsed["FlowLogs"][1])

    result = s.DescribeFlowLogsResult.from_dict(parsed)
    first, second = result.flow_logs
    assert first.creation_time == datetime(2020, 2, 5, 9, 41, 27, tzinfo=UTC)
    assert first.creation_time.utcoffset() == timedelta(0)
    assert first.traffic_type is s.TrafficType.ALL
    assert first.log_destination_type is s.LogDestinationType.CLOUD_WATCH_LOGS
    assert first.max_aggregation_interval == 600
    assert first.log_format is not None and first.log_format.startswith("${version} ${account-id}")
    assert first.deliver_logs_status == "SUCCESS" and first.flow_log_status == "ACTIVE"
    assert second.creation_time == datetime(2024, 6, 11, 17, 3, 12, 512000, tzinfo=UTC)
    assert second.traffic_type is s.TrafficType.REJECT
    assert second.log_destination_type == "kinesis-data-firehose"
    assert type(second.log_destination_type) is str  # not a member: kept as it came
    assert second.max_aggregation_interval == 60
    assert result.next_token == "eyJ2IjoiMiIsImMiOiJmbC0wZjllOGQ3YzZiNWE0OTM4MiJ9"
    assert second.extra == {}
    ignored_keys = {k: v for k, v in parsed["FlowLogs"][1].items() if k not in new_members}
    assert result.to_dict() == {**parsed, "FlowLogs": [parsed["FlowLogs"][0], ignored_keys]}

    kept = s.DescribeFlowLogsResult.from_dict(parsed, unknown="keep")
    assert kept == result
    assert kept.flow_logs[1].extra == {
        "DeliverCrossAccountRole": "arn:aws:iam::210987654321:role/cross-account-flow-logs",
        "Tags": [{"Key": "Name", "Value": "audit"}],
    }
    assert kept.to_dict() == parsed

    with pytest.raises(s.ShapeError) as info:
        s.DescribeFlowLogsResult.from_dict(parsed, unknown="error")
    assert info.value.path in {f"FlowLogs[1].{k}" for k in new_members}


def test_create_flow_logs_response() -> None:
    s = shapes_module()
    parsed = parse(CREATE_FLOW_LOGS_XML, "CreateFlowLogs")
    for unknown in ("ignore", "keep", "error"):
        result = s.CreateFlowLogsResult.from_dict(parsed, unknown=unknown)
        assert result.client_token == "5e6b7c8d-0000-4000-8000-123456789abc"
        assert result.flow_log_ids == ("fl-1a2b3c4d5e6f7a8b9",)
        assert result.unsuccessful == (
            s.UnsuccessfulItem(
                error=s.UnsuccessfulItemError(
                    code="InvalidVpcID.NotFound",
                    message="The vpc ID 'vpc-deadbeef' does not exist",
                ),
                resource_id="vpc-deadbeef",
            ),
        )
        assert result.to_dict() == parsed


def test_delete_flow_logs_response() -> None:
    s = shapes_module()
    parsed = parse(DELETE_FLOW_LOGS_XML, "DeleteFlowLogs")
    result = s.DeleteFlowLogsResult.from_dict(parsed, unknown="keep")
    assert result.unsuccessful is not None
    (item,) = result.unsuccessful
    assert item.resource_id == "fl-11111111"
    assert item.error is not None and item.error.code == "InvalidFlowLogId.NotFound"
    assert result.to_dict() == parsed
    empty = parse(DELETE_FLOW_LOGS_OK_XML, "DeleteFlowLogs")
    assert empty == {"Unsuccessful": []}
    assert s.DeleteFlowLogsResult.from_dict(empty) == s.DeleteFlowLogsResult(unsuccessful=())
    assert s.DeleteFlowLogsResult.from_dict(empty).to_dict() == empty


@pytest.mark.parametrize(
    ("xml", "operation"),
    [
        (DESCRIBE_FLOW_LOGS_XML, "DescribeFlowLogs"),
        (CREATE_FLOW_LOGS_XML, "CreateFlowLogs"),
        (DELETE_FLOW_LOGS_XML, "DeleteFlowLogs"),
    ],
)
def test_responses_parsed_with_the_spec_model_load_strictly(xml: str, operation: str) -> None:
    """Parsed with the spec's own botocore model, a response has no member the module lacks."""
    parsed = parse(xml, operation, exported_ec2())
    result = cls(f"{operation}Result").from_dict(parsed, unknown="error")
    assert result.to_dict() == parsed


# -- round trips anchored on botocore, not on themselves ----------------------------------------
# A bug the same in both directions (enum members written and read by name, say) passes the
# round trips above; these compare each direction with botocore's own serializer and with the
# plain values botocore returns.


def _members(cls: type) -> dict[str, Any]:
    """A generated dataclass's ``MEMBERS`` table (field name -> member info)."""
    members: dict[str, Any] = getattr(cls, "MEMBERS")  # noqa: B009  # generated: not typed here
    return members


def plain(value: Any) -> Any:
    """What botocore takes for an instance, written out here: members by botocore name, None
    left out, enum members as their values, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            info.member: plain(getattr(value, field))
            for field, info in _members(type(value)).items()
            if getattr(value, field) is not None
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def enum_members(value: Any) -> list[Enum]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [e for f in dataclasses.fields(value) for e in enum_members(getattr(value, f.name))]
    if isinstance(value, Enum):
        return [value]
    if isinstance(value, (list, tuple)):
        return [e for v in value for e in enum_members(v)]
    if isinstance(value, dict):
        return [e for v in value.values() for e in enum_members(v)]
    return []


def serialized(params: dict[str, Any], operation: str) -> dict[str, Any]:
    """The query parameters botocore's EC2 serializer sends for ``params``."""
    serializer = botocore.serialize.create_serializer("ec2", include_validation=False)
    body: dict[str, Any] = serializer.serialize_to_request(
        params, installed_ec2().operation_model(operation)
    )["body"]
    return body


def test_a_request_on_the_wire_as_botocore_sends_it() -> None:
    """Fixed wire example, written by hand: enum members whose names differ from their values."""
    s = shapes_module()
    request = s.CreateFlowLogsRequest(
        resource_ids=("eni-0123456789abcdef0",),
        resource_type=s.FlowLogsResourceType.NETWORK_INTERFACE,
        traffic_type=s.TrafficType.REJECT,
        log_destination_type=s.LogDestinationType.CLOUD_WATCH_LOGS,
        log_group_name="my-logs",
        max_aggregation_interval=600,
    )
    assert serialized(request.to_dict(), "CreateFlowLogs") == {
        "Action": "CreateFlowLogs",
        "Version": "2016-11-15",
        "ResourceId.1": "eni-0123456789abcdef0",
        "ResourceType": "NetworkInterface",
        "TrafficType": "REJECT",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": "my-logs",
        "MaxAggregationInterval": 600,
    }


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(OPERATIONS).flatmap(
        lambda op: instances(f"{op}Request").map(lambda x: (op, x))
    )
)
def test_any_request_serializes_as_its_plain_values(case: tuple[str, Any]) -> None:
    """An instance's ``to_dict`` is the plain dict botocore takes, and botocore sends each enum
    member as its value."""
    operation, request = case
    data = request.to_dict()
    assert data == plain(request)
    body = serialized(data, operation)
    assert body == serialized(plain(request), operation)
    sent = set(map(str, body.values()))
    for member in enum_members(request):
        assert member.value in sent, (member, body)


def assert_loaded(shape_name: str, data: Any, loaded: Any) -> None:
    """``loaded`` (from_dict of botocore's ``data``) holds each known enum value as its member
    (looked up by value), each unknown one as the plain string, everything else as given."""
    shape = model().shapes[shape_name]
    if shape.type == "structure":
        for field, info in type(loaded).MEMBERS.items():
            member = shape.members[info.member]
            if info.member in data:
                assert_loaded(member.shape, data[info.member], getattr(loaded, field))
            else:
                assert getattr(loaded, field) is None
    elif shape.type == "list":
        assert shape.member is not None
        assert len(loaded) == len(data)
        for d, v in zip(data, loaded):
            assert_loaded(shape.member.shape, d, v)
    elif shape.type == "map":
        assert shape.value is not None
        assert set(loaded) == set(data)
        for k, d in data.items():
            assert_loaded(shape.value.shape, d, loaded[k])
    elif shape.type == "string" and shape.enum:
        enum_class = getattr(shapes_module(), class_names(model())[shape_name])
        if data in shape.enum:
            assert loaded is enum_class(data), (shape_name, data, loaded)
        else:
            assert type(loaded) is str and loaded == data
    else:
        assert loaded == data


@settings(max_examples=300, deadline=None)
@given(any_structure(dicts))
def test_any_dict_loads_to_members_by_value(case: tuple[str, dict[str, Any]]) -> None:
    name, data = case
    assert_loaded(name, data, cls(name).from_dict(data))
