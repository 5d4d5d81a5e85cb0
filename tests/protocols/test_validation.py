"""Requests that break the model's constraints get AWS's own sentence (codegen/protocols/validation.py).

The expected messages are what DynamoDB and IAM answered to such requests (recorded from the
services, quoted here as they came), or, where the constraint's numbers come from the model,
built from botocore's own model of the service. They go through the served packages of the
installed botocore's dynamodb (json) and iam (query), request bytes in, error response out,
read back by botocore's parser.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.parsers import create_parser

from codegen.protocols.validation import SHOWN
from tests.support.helpers import parse_response
from tests.support.round_trip import botocore_service, served

pytestmark = pytest.mark.network


def _json_error(operation: str, params: dict[str, Any]) -> tuple[int, str, str]:
    """(status, code, message) botocore reads from dynamodb's answer to ``params``."""
    package = served("dynamodb")
    request = package.HttpRequest(
        "POST",
        "/",
        "",
        {
            "x-amz-target": f"DynamoDB_20120810.{operation}",
            "content-type": "application/x-amz-json-1.0",
        },
        json.dumps(params).encode(),
    )
    protocol = package.protocol_for(request)
    with pytest.raises(package.ProtocolError) as caught:
        protocol.parse_request(request)
    response = protocol.serialize_error(caught.value, operation, "r")
    parsed = parse_response(
        create_parser("json"),
        {"status_code": response.status, "headers": dict(response.headers), "body": response.body},
        None,
    )
    return response.status, parsed["Error"]["Code"], parsed["Error"]["Message"]


# (operation, params, the message DynamoDB answered)
RECORDED = [
    (
        "ListTables",
        {"Limit": 0},
        (
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member"
            " must have value greater than or equal to 1"
        ),
    ),
    (
        "CreateTable",
        {
            "TableName": "t",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{}],
            "BillingMode": "PAY_PER_REQUEST",
        },
        (
            "2 validation errors detected: Value null at 'keySchema.1.member.attributeName' failed to"
            " satisfy constraint: Member must not be null; Value null at 'keySchema.1.member.keyType'"
            " failed to satisfy constraint: Member must not be null"
        ),
    ),
    (
        "CreateTable",
        {
            "TableName": "t",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "BillingMode": "",
        },
        (
            "1 validation error detected: Value '' at 'billingMode' failed to satisfy constraint:"
            " Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"
        ),
    ),
    (
        "CreateTable",
        {
            "TableName": "t",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [],
            "BillingMode": "PAY_PER_REQUEST",
        },
        (
            "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint:"
            " Member must have length greater than or equal to 1"
        ),
    ),
]


@pytest.mark.parametrize(("operation", "params", "message"), RECORDED, ids=range(len(RECORDED)))
def test_json_validation_errors_say_what_dynamodb_says(
    operation: str, params: dict[str, Any], message: str
) -> None:
    assert _json_error(operation, params) == (400, "ValidationException", message)


def test_constraints_are_named_with_the_models_numbers_and_aws_paths() -> None:
    model: Any = botocore_service("dynamodb")  # (its shapes' members: see round_trip.py)
    table = {
        "TableName": "t",
        "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    specification: Any = model.shape_for("SSESpecification")
    sse = specification.members["SSEType"]
    status, code, message = _json_error(
        "CreateTable", {**table, "SSESpecification": {"SSEType": "X"}}
    )
    # the first letter lower-cased, the rest as it is (DynamoDB's 'sSESpecification')
    assert message == (
        "1 validation error detected: Value 'X' at 'sSESpecification.sSEType' failed to satisfy"
        f" constraint: Member must satisfy enum value set: [{', '.join(sse.enum)}]"
    ), message
    index = {"IndexName": "", "KeySchema": table["KeySchema"], "Projection": {}}
    status, code, message = _json_error(
        "CreateTable", {**table, "GlobalSecondaryIndexes": [index]}
    )
    assert (status, code) == (400, "ValidationException")
    assert message.startswith(  # as DynamoDB answered it
        "2 validation errors detected: Value '' at 'globalSecondaryIndexes.1.member.indexName'"
        " failed to satisfy constraint: Member must have length greater than or equal to 3;"
    ), message
    # a scalar in a list is reported on the list, as AWS does
    untag: Any = model.operation_model("UntagResource").input_shape
    keys = untag.members["TagKeys"]
    _status, _code, message = _json_error(
        "UntagResource",
        {"ResourceArn": "arn:aws:dynamodb:us-east-1:1:table/t", "TagKeys": ["a", ""]},
    )
    assert message == (
        "1 validation error detected: Value '[a, ]' at 'tagKeys' failed to satisfy constraint:"
        " Member must satisfy constraint: [Member must have length greater than or equal to"
        f" {keys.member.metadata['min']}]"
    ), message


def test_many_errors_are_counted_and_the_first_ones_spelled_out() -> None:
    status, code, message = _json_error(
        "BatchGetItem",
        {"RequestItems": {f"t{i}": {"Keys": [{}], "ProjectionExpression": 1} for i in range(30)}},
    )
    assert (status, code) == (400, "SerializationException"), message  # a number for a string
    status, code, message = _json_error(
        "BatchGetItem", {"RequestItems": {f"t{i}": {} for i in range(30)}}
    )
    assert code == "ValidationException"
    assert message.startswith(
        "30 validation errors detected: Value null at 'requestItems.t0.keys'"
    )
    assert message.count("failed to satisfy constraint") == SHOWN
    assert message.endswith(f"; and {30 - SHOWN} more")


def _query_error(operation: str, body: str) -> tuple[int, str, str]:
    package = served("iam")
    request = package.HttpRequest(
        "POST",
        "/",
        "",
        {"content-type": "application/x-www-form-urlencoded"},
        f"Action={operation}&Version=2010-05-08&{body}".encode(),
    )
    protocol = package.protocol_for(request)
    with pytest.raises(package.ProtocolError) as caught:
        protocol.parse_request(request)
    response = protocol.serialize_error(caught.value, operation, "r")
    parsed = parse_response(
        create_parser("query"),
        {"status_code": response.status, "headers": dict(response.headers), "body": response.body},
        None,
    )
    return response.status, parsed["Error"]["Code"], parsed["Error"]["Message"]


def test_query_validation_errors_are_validation_error() -> None:
    user = botocore_service("iam").shape_for("userNameType").metadata
    assert _query_error("CreateUser", "UserName=") == (
        400,
        "ValidationError",
        (
            "2 validation errors detected: Value '' at 'userName' failed to satisfy constraint:"
            f" Member must have length greater than or equal to {user['min']}; Value '' at"
            " 'userName' failed to satisfy constraint: Member must satisfy regular expression"
            f" pattern: {user['pattern']}"
        ),
    )
    assert _query_error("CreateUser", "Path=%2F") == (
        400,
        "ValidationError",
        (
            "1 validation error detected: Value null at 'userName' failed to satisfy constraint:"
            " Member must not be null"
        ),
    )


def test_an_operation_that_models_its_validation_error_answers_it() -> None:
    """SNS's Publish models ValidationException (a query service: its other operations answer
    ValidationError); botocore reads it as the modeled error's code."""
    package = served("sns")
    request = package.HttpRequest(
        "POST",
        "/",
        "",
        {"content-type": "application/x-www-form-urlencoded"},
        b"Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At",
    )
    protocol = package.protocol_for(request)
    with pytest.raises(package.ProtocolError) as caught:
        protocol.parse_request(request)
    assert (caught.value.code, caught.value.status) == ("ValidationException", 400)
    response = protocol.serialize_error(caught.value, "Publish", "r")
    parsed = parse_response(
        create_parser("query"),
        {"status_code": response.status, "headers": dict(response.headers), "body": response.body},
        botocore_service("sns").shape_for("ValidationException"),
    )
    assert parsed["Message"] == (
        "1 validation error detected: Value null at 'message' failed to satisfy constraint:"
        " Member must not be null"
    )
    other = package.HttpRequest(
        "POST",
        "/",
        "",
        {"content-type": "application/x-www-form-urlencoded"},
        b"Action=CreateTopic&Version=2010-03-31",
    )
    with pytest.raises(package.ProtocolError) as caught:
        protocol.parse_request(other)
    assert caught.value.code == "ValidationError"
