"""rest-xml as boto3 speaks it to route53, cloudfront and s3control, answered by
:class:`codegen.protocols.restxml.RestXmlProtocol` in-process; the error envelope
(``<ErrorResponse><Error>``), XML bodies with namespaces, payload members, the account-id host
prefix and greedy labels; bad XML refused."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from codegen.protocols import HttpRequest, ProtocolError, Request
from tests.support.rest import InProcess, botocore_parse, served_service

ROUTE53 = served_service("route53")
CLOUDFRONT = served_service("cloudfront")
S3CONTROL = served_service("s3control")
NOW = datetime(2020, 2, 4, tzinfo=timezone.utc)

ZONE = {"Id": "/hostedzone/Z1", "Name": "example.com.", "CallerReference": "ref-1"}
CHANGE = {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": NOW}


def test_route53_create_hosted_zone_body_and_201() -> None:
    def answer(request: Request) -> Mapping[str, Any]:
        return {
            "HostedZone": ZONE,
            "ChangeInfo": CHANGE,
            "DelegationSet": {"NameServers": ["ns-1.example", "ns-2.example"]},
            "Location": "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1",
        }

    wire = InProcess("route53", ROUTE53.protocol, answer)
    out = wire.client.create_hosted_zone(
        Name="example.com.",
        CallerReference="ref-1",
        HostedZoneConfig={"Comment": "a & b <c>", "PrivateZone": False},
    )
    sent = wire.requests[-1]
    assert sent.body.startswith(b"<CreateHostedZoneRequest")
    assert b'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"' in sent.body
    assert wire.parsed[-1].params == {
        "Name": "example.com.",
        "CallerReference": "ref-1",
        "HostedZoneConfig": {"Comment": "a & b <c>", "PrivateZone": False},
    }
    response = wire.responses[-1]
    assert response.status == 201
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert out["Location"].endswith("/hostedzone/Z1")
    assert out["DelegationSet"]["NameServers"] == ["ns-1.example", "ns-2.example"]
    assert out["ChangeInfo"]["SubmittedAt"] == NOW
    assert out["HostedZone"] == ZONE


def test_route53_ids_and_errors() -> None:
    def missing(request: Request) -> Mapping[str, Any]:
        assert request.params == {"Id": "Z1"}  # boto3 strips /hostedzone/
        raise ROUTE53.protocol.modeled_error(request.operation, "NoSuchHostedZone", "No zone")

    wire = InProcess("route53", ROUTE53.protocol, missing)
    with pytest.raises(wire.client.exceptions.NoSuchHostedZone) as excinfo:
        wire.client.get_hosted_zone(Id="/hostedzone/Z1")
    assert excinfo.value.response["Error"]["Message"] == "No zone"
    assert excinfo.value.response["Error"]["Type"] == "Sender"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    body = wire.responses[-1].body
    assert body.startswith(
        b'<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
    )


def test_route53_validation_error_is_its_invalid_input() -> None:
    wire = InProcess("route53", ROUTE53.protocol, lambda r: {})
    with pytest.raises(ClientError) as excinfo:
        wire.client.get_hosted_zone(Id="Z" * 40)  # at most 32 characters
    response = excinfo.value.response
    assert response["Error"]["Code"] == "InvalidInput"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"].startswith("1 validation error detected: ")


def test_route53_lists_and_query_strings() -> None:
    def answer(request: Request) -> Mapping[str, Any]:
        return {
            "HostedZones": [ZONE, {**ZONE, "Id": "/hostedzone/Z2"}],
            "Marker": "",
            "IsTruncated": False,
            "MaxItems": "2",
        }

    wire = InProcess("route53", ROUTE53.protocol, answer)
    out = wire.client.list_hosted_zones(MaxItems="2", DelegationSetId="D1")
    assert wire.parsed[-1].params == {"MaxItems": "2", "DelegationSetId": "D1"}
    assert [z["Id"] for z in out["HostedZones"]] == ["/hostedzone/Z1", "/hostedzone/Z2"]
    assert out["IsTruncated"] is False


def test_cloudfront_payload_members_and_etags() -> None:
    identity = {
        "Id": "E1",
        "S3CanonicalUserId": "abc",
        "CloudFrontOriginAccessIdentityConfig": {"CallerReference": "r", "Comment": "c"},
    }

    def answer(request: Request) -> Mapping[str, Any]:
        if request.operation == "CreateCloudFrontOriginAccessIdentity":
            return {
                "CloudFrontOriginAccessIdentity": identity,
                "Location": "https://cloudfront/oai/E1",
                "ETag": "E2QWRUHAPOMQZL",
            }
        assert request.params["IfMatch"] == "E2QWRUHAPOMQZL"
        return {}

    wire = InProcess("cloudfront", CLOUDFRONT.protocol, answer)
    out = wire.client.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": "r", "Comment": "c"}
    )
    params = wire.parsed[-1].params
    assert params == {
        "CloudFrontOriginAccessIdentityConfig": {"CallerReference": "r", "Comment": "c"}
    }
    assert out["CloudFrontOriginAccessIdentity"] == identity
    assert out["ETag"] == "E2QWRUHAPOMQZL"
    wire.client.delete_cloud_front_origin_access_identity(Id="E1", IfMatch="E2QWRUHAPOMQZL")
    assert wire.responses[-1].status == 204


def test_cloudfront_validation_error_is_invalid_argument() -> None:
    wire = InProcess(
        "cloudfront", CLOUDFRONT.protocol, lambda r: {}, config={"parameter_validation": False}
    )
    with pytest.raises(ClientError) as excinfo:
        wire.client.create_cloud_front_origin_access_identity(
            CloudFrontOriginAccessIdentityConfig={"CallerReference": "r"}  # Comment required
        )
    assert excinfo.value.response["Error"]["Code"] == "InvalidArgument"
    assert "comment" in excinfo.value.response["Error"]["Message"]


def test_s3control_account_host_and_greedy_labels() -> None:
    def answer(request: Request) -> Mapping[str, Any]:
        if request.operation == "ListAccessPoints":
            return {"AccessPointList": [{"Name": "ap", "NetworkOrigin": "Internet",
                                         "Bucket": "b"}]}  # fmt: skip
        return {"Policy": {"Established": {"Policy": "{}"}}}

    wire = InProcess("s3control", S3CONTROL.protocol, answer)
    out = wire.client.list_access_points(AccountId="123456789012", Bucket="bkt")
    sent = wire.requests[-1]
    assert sent.host.startswith("123456789012.")  # the endpoint's host prefix
    assert wire.parsed[-1].params == {"AccountId": "123456789012", "Bucket": "bkt"}
    assert out["AccessPointList"][0]["Name"] == "ap"
    # a greedy label ({name+}) followed by a literal: the more literal route wins
    wire.client.get_multi_region_access_point_policy(AccountId="123456789012", Name="my-mrap")
    assert wire.requests[-1].path == "/v20180820/mrap/instances/my-mrap/policy"
    assert wire.parsed[-1].params["Name"] == "my-mrap"
    assert wire.parsed[-1].operation == "GetMultiRegionAccessPointPolicy"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<CreateHostedZoneRequest><Name>x</Name>", "not well-formed"),
        (
            (
                b'<!DOCTYPE x [<!ENTITY a "aaaa">]><CreateHostedZoneRequest><Name>&a;</Name>'
                b"</CreateHostedZoneRequest>"
            ),
            "DOCTYPE",
        ),
        # elements no member names are skipped, however deep: the request lacks its members
        (b"<a>" * 100_000 + b"</a>" * 100_000, "callerReference"),
        (b"\x00\x01", "not well-formed"),
        (b"<CreateHostedZoneRequest>text only</CreateHostedZoneRequest>", "callerReference"),
        (
            (
                b"<CreateHostedZoneRequest><Name>x</Name><CallerReference>r</CallerReference>"
                b"<HostedZoneConfig><PrivateZone>maybe</PrivateZone></HostedZoneConfig>"
                b"</CreateHostedZoneRequest>"
            ),
            "HostedZoneConfig.PrivateZone",
        ),
    ],
)
def test_bad_xml_is_refused_in_route53s_form(body: bytes, words: str) -> None:
    request = HttpRequest("POST", "/2013-04-01/hostedzone", "", {"host": "localhost"}, body)
    with pytest.raises(ProtocolError) as excinfo:
        ROUTE53.protocol.parse_request(request)
    error = excinfo.value
    assert error.status == 400
    assert words in error.message
    response = ROUTE53.protocol.serialize_error(error, "CreateHostedZone", "r")
    parsed = botocore_parse(ROUTE53.model, "CreateHostedZone", response)
    assert parsed["Error"]["Code"] == error.code
    assert parsed["Error"]["Code"] in ("MalformedXML", "InvalidInput")
