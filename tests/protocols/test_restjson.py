"""rest-json as boto3 speaks it (lambda, bedrock-runtime, apigateway, lex), answered by
:class:`codegen.protocols.restjson.RestJsonProtocol` in-process, and bad requests of every kind
as raw HTTP: each gets a 4xx in rest-json's form that botocore reads, never an exception of
another kind."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest
from botocore.eventstream import EventStreamBuffer
from botocore.exceptions import ClientError, EventStreamError

from codegen.protocols import HttpRequest, ProtocolError, Request, ServiceError
from codegen.protocols.eventstream import STRING, decode, message
from tests.support.rest import InProcess, botocore_parse, served_service

LAMBDA = served_service("lambda")
BEDROCK = served_service("bedrock-runtime")


def _refusal(served: Any, request: HttpRequest) -> ServiceError:
    with pytest.raises(ProtocolError) as excinfo:
        served.protocol.parse_request(request)
    return excinfo.value


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def test_lambda_invoke_payload_headers_and_status() -> None:
    def answer(request: Request) -> Mapping[str, Any]:
        assert request.params["Payload"] == b'{"x": 1}'
        return {
            "StatusCode": 202,
            "FunctionError": "Unhandled",
            "LogResult": "bG9n",
            "ExecutedVersion": "$LATEST",
            "Payload": b"\x00\xffraw",
        }

    wire = InProcess("lambda", LAMBDA.protocol, answer)
    out = wire.client.invoke(
        FunctionName="my-function:prod",
        InvocationType="Event",
        LogType="Tail",
        ClientContext="e30=",
        Payload=b'{"x": 1}',
        Qualifier="prod",
    )
    params = wire.parsed[-1].params
    assert params["FunctionName"] == "my-function:prod"
    assert params["InvocationType"] == "Event"
    assert params["Qualifier"] == "prod"
    assert out["StatusCode"] == 202
    assert out["FunctionError"] == "Unhandled"
    assert out["ExecutedVersion"] == "$LATEST"
    assert out["Payload"].read() == b"\x00\xffraw"


def test_lambda_response_stream_events_reach_boto3() -> None:
    events = [
        {"PayloadChunk": {"Payload": b"hello "}},
        {"PayloadChunk": {"Payload": b"world"}},
        {"InvokeComplete": {"LogResult": "bG9n"}},
    ]
    wire = InProcess(
        "lambda",
        LAMBDA.protocol,
        lambda r: {"StatusCode": 200, "ExecutedVersion": "1", "EventStream": events},
    )
    out = wire.client.invoke_with_response_stream(FunctionName="f", Payload=b"{}")
    assert out["StatusCode"] == 200 and out["ExecutedVersion"] == "1"
    assert list(out["EventStream"]) == events
    response = wire.responses[-1]
    assert response.header("content-type") == "application/vnd.amazon.eventstream"
    assert [m.headers[":event-type"] for m in decode(response.body)] == [
        "PayloadChunk",
        "PayloadChunk",
        "InvokeComplete",
    ]


def test_converse_stream_events_and_a_modeled_error_in_the_stream() -> None:
    events: list[dict[str, Any]] = [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"delta": {"text": "Hi"}, "contentBlockIndex": 0}},
        {"messageStop": {"stopReason": "end_turn"}},
        {
            "metadata": {
                "usage": {"inputTokens": 3, "outputTokens": 1, "totalTokens": 4},
                "metrics": {"latencyMs": 12},
            }
        },
    ]
    failing = [
        *events[:2],
        {"modelStreamErrorException": {"message": "overloaded", "originalStatusCode": 503}},
    ]
    answers = iter([events, failing])
    wire = InProcess("bedrock-runtime", BEDROCK.protocol, lambda r: {"stream": next(answers)})
    messages = [{"role": "user", "content": [{"text": "Hello"}]}]
    out = wire.client.converse_stream(modelId="model-1", messages=messages)
    assert list(out["stream"]) == events
    assert wire.parsed[-1].params["messages"] == messages
    out = wire.client.converse_stream(modelId="model-1", messages=messages)
    stream = iter(out["stream"])
    assert next(stream) == events[0]
    assert next(stream) == events[1]
    with pytest.raises(EventStreamError) as excinfo:
        next(stream)
    assert excinfo.value.response["Error"]["Code"] == "modelStreamErrorException"
    assert excinfo.value.response["Error"]["Message"] == "overloaded"


def test_modeled_error_with_a_header_member() -> None:
    def throttled(request: Request) -> Mapping[str, Any]:
        error = LAMBDA.protocol.modeled_error(request.operation, "TooManyRequestsException")
        error.fields = {"retryAfterSeconds": "7", "Reason": "CallerRateLimitExceeded"}
        error.message = "Rate exceeded"
        raise error

    wire = InProcess("lambda", LAMBDA.protocol, throttled)
    with pytest.raises(wire.client.exceptions.TooManyRequestsException) as excinfo:
        wire.client.get_function(FunctionName="f")
    response = excinfo.value.response
    assert _code(excinfo) == ("TooManyRequestsException", 429)
    assert response["Error"]["Message"] == "Rate exceeded"
    assert response["retryAfterSeconds"] == "7"
    assert response["Reason"] == "CallerRateLimitExceeded"
    sent = wire.responses[-1]
    assert sent.header("x-amzn-ErrorType") == "TooManyRequestsException"
    assert json.loads(sent.body)["__type"] == "TooManyRequestsException"


def test_a_request_that_does_not_validate_gets_the_modeled_validation_error() -> None:
    wire = InProcess("lambda", LAMBDA.protocol, lambda r: {})
    with pytest.raises(ClientError) as excinfo:
        # botocore does not check a maximum length; the server's strict validators do
        wire.client.get_function(FunctionName="f" * 300)
    code, status = _code(excinfo)
    assert (code, status) == ("InvalidParameterValueException", 400)  # lambda models it
    message = excinfo.value.response["Error"]["Message"]
    assert message.startswith("1 validation error detected: ")
    assert "functionname" in message.lower()
    bedrock = InProcess(
        "bedrock-runtime", BEDROCK.protocol, lambda r: {}, config={"parameter_validation": False}
    )
    with pytest.raises(ClientError) as excinfo:
        bedrock.client.converse(modelId="m", messages=[], inferenceConfig={"maxTokens": 0})
    assert _code(excinfo) == ("ValidationException", 400)


def test_missing_required_member_without_client_validation() -> None:
    wire = InProcess(
        "lambda", LAMBDA.protocol, lambda r: {}, config={"parameter_validation": False}
    )
    with pytest.raises(ClientError) as excinfo:
        wire.client.create_alias(FunctionName="f", Name="a")  # FunctionVersion is required
    assert _code(excinfo) == ("InvalidParameterValueException", 400)
    assert "functionversion" in excinfo.value.response["Error"]["Message"].lower()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"{not json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"FunctionVersion": 7, "Name": "a"}', "Expected a string at FunctionVersion, got the integer 7"),
        (b'{"FunctionVersion": "1", "Name": "a", "RoutingConfig": []}', "at RoutingConfig, got a list"),
        ((b'{"FunctionVersion": "1", "Name": "a", "RoutingConfig": {"AdditionalVersionWeights":'
         b' {"2": "half"}}}'), "RoutingConfig.AdditionalVersionWeights.2"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'"just a string"', "got a string"),
    ],
)  # fmt: skip
def test_bad_json_bodies_are_serialization_exceptions(body: bytes, words: str) -> None:
    request = HttpRequest(
        "POST",
        "/2015-03-31/functions/f/aliases",
        "",
        {"host": "localhost", "content-type": "application/json"},
        body,
    )
    error = _refusal(LAMBDA, request)
    assert (error.code, error.status) == ("SerializationException", 400)
    assert words in error.message
    response = LAMBDA.protocol.serialize_error(error, "CreateAlias", "r")
    assert botocore_parse(LAMBDA.model, "CreateAlias", response)["Error"]["Code"] == (
        "SerializationException"
    )


@pytest.mark.parametrize(
    ("path", "query", "headers", "words"),
    [
        ("/2015-03-31/functions/f%G1/configuration", "", {}, "not a percent-encoded byte"),
        ("/2015-03-31/functions/%FF/configuration", "", {}, "not valid UTF-8"),
        ("/2015-03-31/functions", "MaxItems=ten", {}, "query parameter 'MaxItems'"),
        ("/2015-03-31/functions", "MaxItems=1&MaxItems=2", {}, "given 2 times"),
        ("/2015-03-31/functions", "MaxItems=99999999999", {}, "outside the range"),
    ],
)
def test_bad_labels_and_query_values(
    path: str, query: str, headers: dict[str, str], words: str
) -> None:
    request = HttpRequest("GET", path, query, {"host": "localhost", **headers}, b"")
    error = _refusal(LAMBDA, request)
    assert error.status == 400
    assert words in error.message


def test_bad_header_values_name_the_header() -> None:
    request = HttpRequest(
        "POST",
        "/2015-03-31/functions/f/invocations",
        "",
        {"host": "localhost", "x-amz-invocation-type": "Event"},
        b"{}",
    )
    assert LAMBDA.protocol.parse_request(request).params["InvocationType"] == "Event"
    # a timestamp header that is no HTTP date (bedrock-runtime has none; apigateway neither):
    # lambda's only integer header is a response's, so read an integer label instead
    error = _refusal(
        LAMBDA,
        replace(request, path="/2015-03-31/functions/f/invocations", query="Qualifier=%"),
    )
    assert "not a percent-encoded byte" in error.message


def test_unknown_path_is_404_and_wrong_method_405() -> None:
    unknown = HttpRequest("GET", "/no/such/path", "", {"host": "localhost"}, b"")
    assert not LAMBDA.protocol.recognizes(unknown)
    error = _refusal(LAMBDA, unknown)
    assert (error.code, error.status) == ("UnknownOperationException", 404)
    response = LAMBDA.protocol.serialize_error(error, None, "r")
    assert botocore_parse(LAMBDA.model, "GetFunction", response)["Error"]["Code"] == (
        "UnknownOperationException"
    )
    wrong = HttpRequest("PATCH", "/2015-03-31/functions/f", "", {"host": "localhost"}, b"")
    assert LAMBDA.protocol.recognizes(wrong)
    error = _refusal(LAMBDA, wrong)
    assert (error.code, error.status) == ("MethodNotAllowedException", 405)
    response = LAMBDA.protocol.error_response(error, None, "r")
    assert response.header("Allow") == "DELETE, GET"


def test_query_maps_and_lists() -> None:
    apigateway = served_service("apigateway")
    wire = InProcess("apigateway", apigateway.protocol, lambda r: {"body": b"{}"})
    wire.client.get_export(
        restApiId="api",
        stageName="prod",
        exportType="oas30",
        parameters={"extensions": "integrations", "a b": "c&d"},
        accepts="application/json",
    )
    params = wire.parsed[-1].params
    assert params["parameters"] == {"extensions": "integrations", "a b": "c&d"}
    assert params["accepts"] == "application/json"


def test_json_value_headers() -> None:
    lex = served_service("lex-runtime")
    attributes = {"color": "blue", "n": [1, 2, {"x": None}]}

    def answer(request: Request) -> Mapping[str, Any]:
        assert request.params["sessionAttributes"] == attributes
        return {"sessionAttributes": attributes, "audioStream": b"", "contentType": "text/plain"}

    wire = InProcess("lex-runtime", lex.protocol, answer)
    out = wire.client.post_content(
        botName="bot",
        botAlias="alias",
        userId="user",
        sessionAttributes=attributes,
        contentType="text/plain; charset=utf-8",
        inputStream=b"hello",
    )
    assert out["sessionAttributes"] == attributes


def test_input_event_stream_is_read_into_events() -> None:
    headers = [
        (":message-type", STRING, "event"),
        (":event-type", STRING, "chunk"),
        (":content-type", STRING, "application/json"),
    ]
    frames = message(headers, b'{"bytes":"aGVsbG8="}') + message(headers, b'{"bytes":"IQ=="}')
    buffer = EventStreamBuffer()  # botocore's own decoder reads the same frames
    buffer.add_data(frames)
    assert [m.payload for m in buffer] == [b'{"bytes":"aGVsbG8="}', b'{"bytes":"IQ=="}']
    request = HttpRequest(
        "POST",
        "/model/m1/invoke-with-bidirectional-stream",
        "",
        {"host": "localhost", "content-type": "application/vnd.amazon.eventstream"},
        frames,
    )
    parsed = BEDROCK.protocol.parse_request(request)
    assert parsed.params == {
        "modelId": "m1",
        "body": [{"chunk": {"bytes": b"hello"}}, {"chunk": {"bytes": b"!"}}],
    }
    for broken, words in (
        (frames[:-1] + bytes([frames[-1] ^ 1]), "message CRC"),
        (frames[:20], "cut short"),
        (bytes([frames[0] ^ 1]) + frames[1:], "prelude CRC"),
    ):
        error = _refusal(BEDROCK, replace(request, body=broken))
        assert (error.code, error.status) == ("SerializationException", 400)
        assert words in error.message
