"""The generated EC2 protocol layer (generated/ec2/protocol.py), against botocore's own EC2
serializer and parser."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codegen.generators.base import GenerationContext
from codegen.generators.protocol import ProtocolGenerator
from codegen.wire import query_keys
from tests.support.helpers import spec
from tests.support.paths import GENERATED, ROOT
from tests.support.protocol import (
    SKIPPED,
    TRIMMED,
    ec2_service,
    load_package,
    parse,
    protocol_module,
    serialize,
)

protocol = load_package(GENERATED)
validators = protocol.validators
SERVICE = ec2_service()
V = "Version=2016-11-15"

CREATE = {
    "ResourceIds": ["vpc-0a1b", "subnet-2c3d"],
    "ResourceType": "VPC",
    "TrafficType": "ALL",
    "LogGroupName": "my-logs",
    "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow-logs",
    "MaxAggregationInterval": 60,
    "DryRun": False,
}


def test_interface_constants() -> None:
    assert protocol.SERVICE == "ec2"
    assert protocol.API_VERSION == "2016-11-15"
    assert protocol.PROTOCOL == "ec2"
    assert protocol.OPERATIONS == ("CreateFlowLogs", "DeleteFlowLogs", "DescribeFlowLogs")
    assert protocol.CONTENT_TYPE == "text/xml;charset=UTF-8"


def test_botocore_request_parses_back_post_and_get() -> None:
    body = serialize(SERVICE, "CreateFlowLogs", CREATE)
    request = protocol.parse_request(b"", body, "application/x-www-form-urlencoded; charset=utf-8")
    assert request.operation == "CreateFlowLogs"
    assert request.params == CREATE
    # the same keys in a GET query string
    assert protocol.parse_request(body, b"", None).params == CREATE


def test_filters_and_values_by_query_keys() -> None:
    body = (
        f"Action=DescribeFlowLogs&{V}&Filter.1.Name=resource-id&Filter.1.Value.1=vpc-1"
        "&Filter.1.Value.2=vpc-2&Filter.2.Name=traffic-type&Filter.2.Value.1=ALL"
        "&FlowLogId.1=fl-1&MaxResults=5&NextToken=abc"
    ).encode()
    params = protocol.parse_request(b"", body, None).params
    assert params == {
        "Filter": [
            {"Name": "resource-id", "Values": ["vpc-1", "vpc-2"]},
            {"Name": "traffic-type", "Values": ["ALL"]},
        ],
        "FlowLogIds": ["fl-1"],
        "MaxResults": 5,
        "NextToken": "abc",
    }


def test_signature_query_keys_are_not_parameters() -> None:
    query = (
        f"Action=DeleteFlowLogs&{V}&FlowLogId.1=fl-1&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKID%2F20200204%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-Signature=ab"
    ).encode()
    assert protocol.parse_request(query, b"", None).params == {"FlowLogIds": ["fl-1"]}


BAD_REQUESTS = [
    (b"", "MissingAction"),
    (b"Version=2016-11-15", "MissingAction"),
    (f"Action=RunInstances&{V}".encode(), "InvalidAction"),
    (b"Action=DescribeFlowLogs", "MissingParameter"),
    (b"Action=DescribeFlowLogs&Version=2014-01-01", "NoSuchVersion"),
    (f"Action=DescribeFlowLogs&{V}&MaxResults=ten".encode(), "InvalidParameterValue"),
    (f"Action=DescribeFlowLogs&{V}&MaxResults=1e3".encode(), "InvalidParameterValue"),
    (f"Action=DescribeFlowLogs&{V}&MaxResults=" + "9" * 5000, "InvalidParameterValue"),
    (f"Action=DescribeFlowLogs&{V}&DryRun=yes".encode(), "InvalidParameterValue"),
    (f"Action=DescribeFlowLogs&{V}&FlowLogId.2=fl-1".encode(), "InvalidParameter"),
    (f"Action=DescribeFlowLogs&{V}&FlowLogId.0=fl-1".encode(), "UnknownParameter"),
    (f"Action=DescribeFlowLogs&{V}&FlowLogId.01=fl-1".encode(), "UnknownParameter"),
    (f"Action=DescribeFlowLogs&{V}&FlowLogId.x=fl-1".encode(), "UnknownParameter"),
    (f"Action=DescribeFlowLogs&{V}&FlowLogId=fl-1".encode(), "InvalidParameter"),
    (f"Action=DescribeFlowLogs&{V}&FlowLogId.1=a&FlowLogId.1=b".encode(), "InvalidParameter"),
    (f"Action=DescribeFlowLogs&{V}&Bogus=1".encode(), "UnknownParameter"),
    (f"Action=DescribeFlowLogs&{V}&NextToken.1=x".encode(), "UnknownParameter"),
    (f"Action=DescribeFlowLogs&{V}&Filter.1=x".encode(), "InvalidParameter"),
    (
        f"Action=DescribeFlowLogs&{V}&Filter.1.Name=nope&Filter.1.Value.1=x".encode(),
        "InvalidFilter",
    ),
    (f"Action=DescribeFlowLogs&{V}&NextToken=%FF%FE".encode(), "MalformedQueryString"),
    (b"Action=DescribeFlowLogs&\xff\xfe", "MalformedQueryString"),
    (f"Action=DescribeFlowLogs&{V}&NextToken=a%00b".encode(), "InvalidCharacter"),
    (f"Action=DescribeFlowLogs&{V}&" + "A." * 10000 + "=1", "UnknownParameter"),
    (f"Action=CreateFlowLogs&{V}&ResourceType=VPC&TrafficType=ALL".encode(), "MissingParameter"),
    (
        (
            f"Action=CreateFlowLogs&{V}&ResourceId.1=vpc-1&ResourceType=VPC&TrafficType=ALL"
            "&LogDestinationType=s3&LogDestination=arn%3Aaws%3As3%3A%3A%3Amy-bucket&LogGroupName=g"
        ),
        "InvalidParameterCombination",
    ),
    (
        (
            f"Action=CreateFlowLogs&{V}&ResourceId.1=vpc-1&ResourceType=VPC&TrafficType=ALL"
            "&LogGroupName=g&MaxAggregationInterval=300"
        ),
        "InvalidParameterValue",
    ),
    (
        f"Action=CreateFlowLogs&{V}&ResourceType=VPC&TrafficType=ALL&LogGroupName=g&"
        + "&".join(f"ResourceId.{i}=vpc-{i}" for i in range(1, 1002)),
        "InvalidParameterValue",
    ),
]


@pytest.mark.parametrize(("body", "code"), BAD_REQUESTS, ids=range(len(BAD_REQUESTS)))
def test_bad_requests_get_ec2_error_codes(body: bytes | str, code: str) -> None:
    data = body.encode() if isinstance(body, str) else body
    for query, form in ((b"", data), (data, b"")):
        with pytest.raises(protocol.ProtocolError) as caught:
            protocol.parse_request(query, form, None)
        assert (caught.value.code, caught.value.status) == (code, 400), caught.value.message


def test_protocol_errors_pickle() -> None:
    """Before, unpickling a ProtocolError raised TypeError (its __init__ takes code, message)."""
    import pickle

    body = f"Action=DescribeFlowLogs&{V}&MaxResults=ten"
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse_request(b"", body.encode(), None)
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is protocol.ProtocolError
    fields = ("code", "message", "status", "operation")
    assert [getattr(again, f) for f in fields] == [getattr(caught.value, f) for f in fields]
    assert again.operation == "DescribeFlowLogs" and again.code == "InvalidParameterValue"
    assert str(again) == str(caught.value)


def test_body_must_be_form_encoded() -> None:
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse_request(b"", b'{"Action": "DescribeFlowLogs"}', "application/json")
    assert caught.value.code == "MalformedQueryString"


def test_validation_messages_name_the_query_key() -> None:
    body = f"Action=DescribeFlowLogs&{V}&Filter.1.Name=traffic-type&Filter.1.Value.1=all"
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse_request(b"", body.encode(), None)
    assert caught.value.code == "InvalidFilter"
    assert "Filter.1.Value.1" in caught.value.message
    assert "'all'" in caught.value.message or "all" in caught.value.message


def test_example_responses_are_valid_and_read_back_by_botocore() -> None:
    for operation in protocol.OPERATIONS:
        example = protocol.example_response(operation)
        assert example, operation
        assert validators.validate_output(operation, example) == []
        body = protocol.serialize_response(operation, example, "req-1")
        parsed = parse(SERVICE, operation, body)
        assert parsed.pop("ResponseMetadata")["RequestId"] == "req-1"
        assert parsed == example
        assert protocol.example_response(operation) == example  # deterministic
        example.clear()
        assert protocol.example_response(operation)  # a fresh copy each time


def test_response_xml_has_the_model_element_names_and_namespace() -> None:
    result = {
        "FlowLogs": [
            {
                "FlowLogId": "fl-1",
                "CreationTime": datetime(2020, 2, 4, 1, 2, 3, tzinfo=timezone.utc),
                "MaxAggregationInterval": 60,
                "LogGroupName": "a<b&c\"d'e\r\nf]]>",
            }
        ]
    }
    body = protocol.serialize_response("DescribeFlowLogs", result, "r-<1>")
    ns = "{http://ec2.amazonaws.com/doc/2016-11-15/}"
    root = ElementTree.fromstring(body)
    assert root.tag == f"{ns}DescribeFlowLogsResponse"
    assert root.findtext(f"{ns}requestId") == "r-<1>"
    item = root.find(f"{ns}flowLogSet/{ns}item")
    assert item is not None
    assert item.findtext(f"{ns}flowLogId") == "fl-1"
    assert item.findtext(f"{ns}creationTime") == "2020-02-04T01:02:03Z"
    assert item.findtext(f"{ns}maxAggregationInterval") == "60"
    assert item.findtext(f"{ns}logGroupName") == "a<b&c\"d'e\r\nf]]>"
    parsed = parse(SERVICE, "DescribeFlowLogs", body)
    assert parsed["FlowLogs"] == result["FlowLogs"]


def test_characters_xml_cannot_carry_become_replacement_characters() -> None:
    body = protocol.serialize_response("CreateFlowLogs", {"ClientToken": "a\x00b\x1f\ufffe"}, "r")
    assert parse(SERVICE, "CreateFlowLogs", body)["ClientToken"] == "a\ufffdb\ufffd\ufffd"


def test_error_envelope_is_escaped_and_read_by_botocore() -> None:
    body = protocol.serialize_error("Invalid<Code>", 'bad & "worse" <x>', "id&1")
    parsed = parse(SERVICE, "DescribeFlowLogs", body, status=400)
    assert parsed["Error"] == {"Code": "Invalid<Code>", "Message": 'bad & "worse" <x>'}
    assert parsed["ResponseMetadata"]["RequestId"] == "id&1"


def test_generation_is_deterministic() -> None:
    s = spec()
    first = ProtocolGenerator().generate(GenerationContext(s.model(), s))
    second = ProtocolGenerator().generate(GenerationContext(s.model(), s))
    assert first == second
    assert first["protocol.py"] == (GENERATED / "protocol.py").read_text(encoding="utf-8")
    assert first["protocol.py"].startswith("# Code generated by apigen")


def test_generated_protocol_passes_mypy_strict_and_ruff(tmp_path: Path) -> None:
    # the EC2 module, and one generated for the synthetic widgets model (maps, blobs, ...)
    widgets = tmp_path / "widgets"
    source = protocol_module("widgets").__file__
    assert source is not None
    shutil.copytree(Path(source).parent, widgets)
    targets = [str(GENERATED), str(widgets)]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.10"]
        + targets,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache"] + targets,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_readme_quotes_the_skip_list() -> None:
    page = (ROOT / "docs" / "generated-code.md").read_text(encoding="utf-8")
    section = page[page.index("## The protocol layer") :]
    section = section.split("\n## ", 1)[0]
    for case in [*SKIPPED, *TRIMMED]:
        assert f"`{case}`" in section, case


KEYS = sorted(
    {"X-Amz-Date"}
    | {
        ".".join({"N": "1", "M": "2"}.get(part, part) for part in key.split("."))
        for op in ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")
        for key in query_keys(spec().model(), f"{op}Request").values()
    }
)
KEY_PARTS = st.one_of(
    *[st.sampled_from(KEYS)] * 12,
    st.sampled_from(KEYS).map(lambda k: k.replace(".1", ".0")),
    st.sampled_from(KEYS).map(lambda k: k.replace(".1", ".1001")),
    st.sampled_from(KEYS).map(lambda k: k + ".1"),
    st.sampled_from(KEYS).map(lambda k: k.split(".")[0]),
    st.text(max_size=6),
)
VALUES = st.one_of(
    *[
        st.sampled_from(
            ["vpc-1", "VPC", "ALL", "s3", "cloud-watch-logs", "60", "arn:aws:s3:::bucket/x/"]
            + ["resource-id", "traffic-type", "ACCEPT", "${version} ${srcaddr}", "5", "true"]
        )
    ]
    * 4,
    st.sampled_from(
        ["CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs", "2016-11-15", "VPC", "ALL"]
        + ["s3", "60", "600", "-1", "1e3", "true", "false", "", "resource-id", "vpc-1", "%FF"]
        + ["arn:aws:s3:::bucket/x/", "${version}", "9" * 30, "2020-02-04T00:00:00Z"]
    ),
    st.text(max_size=10),
)
ERROR_CODES = {
    "MissingAction",
    "InvalidAction",
    "NoSuchVersion",
    "MalformedQueryString",
    "UnknownParameter",
    "InvalidParameter",
    "InvalidParameterValue",
    "MissingParameter",
    "InvalidParameterCombination",
    "InvalidFilter",
    "InvalidCharacter",
}


def _form(pairs: list[tuple[str, str]], raw: bool) -> bytes:
    if raw:
        return "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass")
    return urlencode(pairs).encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    action=st.sampled_from(["CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs", "Nope"]),
    pairs=st.lists(st.tuples(KEY_PARTS, VALUES), max_size=6, unique_by=lambda p: p[0])
    | st.lists(st.tuples(KEY_PARTS, VALUES), max_size=4),
    raw=st.booleans(),
    noise=st.binary(max_size=20),
    as_query=st.booleans(),
    content_type=st.sampled_from(
        [None, "application/x-www-form-urlencoded; charset=utf-8"] * 3 + ["text/plain"]
    ),
)
def test_any_bytes_give_a_request_or_an_ec2_error(
    action: str,
    pairs: list[tuple[str, str]],
    raw: bool,
    noise: bytes,
    as_query: bool,
    content_type: str | None,
) -> None:
    data = _form([("Action", action), ("Version", "2016-11-15"), *pairs], raw)
    for candidate in (data, data + b"&" + noise, noise):
        # the form as sent, with noise after it, and noise alone
        query, form = (candidate, b"") if as_query else (b"", candidate)
        try:
            request = protocol.parse_request(query, form, content_type)
        except protocol.ProtocolError as error:
            assert error.code in ERROR_CODES, error.code
            event(error.code)
            assert error.status == 400
            assert error.message
            ElementTree.fromstring(protocol.serialize_error(error.code, error.message, "r"))
        else:
            assert request.operation in protocol.OPERATIONS
            assert validators.validate(request.operation, request.params) == []
            event("accepted")


def test_missing_parameter_message_names_the_query_key() -> None:
    body = f"Action=DeleteFlowLogs&{V}".encode()
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse_request(b"", body, None)
    assert caught.value.code == "MissingParameter"
    assert caught.value.message == "The request must contain the parameter FlowLogId."


def test_an_operation_without_input_takes_no_parameters(tmp_path: Path) -> None:
    widgets = protocol_module("widgets")
    assert widgets.parse_request(b"Action=ListWidgets&Version=2024-01-01", b"", None).params == {}
    with pytest.raises(widgets.ProtocolError) as caught:
        widgets.parse_request(b"Action=ListWidgets&Version=2024-01-01&Name=x", b"", None)
    assert caught.value.code == "UnknownParameter"


def test_maps_blobs_and_timestamps_by_query_keys() -> None:
    widgets = protocol_module("widgets")
    query = (
        b"Action=PutWidget&Version=2024-01-01&Name=www&Tags.entry.1.key=a&Tags.entry.1.value=b"
        b"&Parts.1.Id=pp1&Parts.1.Payload=AAE%3D&Parts.2.Id=pp2"
        b"&At=2020-02-04T10%3A00%3A00.5%2B01%3A00"
    )
    params = widgets.parse_request(query, b"", None).params
    assert params["Tags"] == {"a": "b"}
    assert params["Parts"] == [{"Id": "pp1", "Payload": b"\x00\x01"}, {"Id": "pp2"}]
    assert params["At"] == datetime(2020, 2, 4, 9, 0, 0, 500000, tzinfo=timezone.utc)
    for bad, code in (
        ("Tags.entry.1.key=a", "MissingParameter"),
        ("Tags.entry.2.key=a&Tags.entry.2.value=b", "InvalidParameter"),
        ("Tags.1.key=a", "UnknownParameter"),
        ("Parts.1.Payload=%21%21%21", "InvalidParameterValue"),  # "!!!": not base64
        ("At=2020-13-01T00%3A00%3A00Z", "InvalidParameterValue"),
        ("At=yesterday", "InvalidParameterValue"),
    ):
        query = b"Action=PutWidget&Version=2024-01-01&Name=www&" + bad.encode()
        with pytest.raises(widgets.ProtocolError) as caught:
            widgets.parse_request(query, b"", None)
        assert caught.value.code == code, (bad, caught.value.message)


def test_only_protocols_with_templates_get_a_protocol_layer() -> None:
    from codegen.generators.protocol import supported_protocols

    assert supported_protocols() == ["ec2"]
    s = spec()
    model = s.model()
    json_model = dataclasses.replace(
        model, metadata=dataclasses.replace(model.metadata, protocol="json")
    )
    assert ProtocolGenerator().generate(GenerationContext(json_model, s)) == {}
    files = ProtocolGenerator().generate(GenerationContext(model, s))
    assert sorted(files) == ["__init__.py", "protocol.py"]
    assert "from . import validators" in files["protocol.py"]
