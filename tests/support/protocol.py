"""Helpers for the protocol-layer tests: load a generated service package, botocore's own
EC2 serializer and parser for a model.

:class:`Layer` gives the EC2 tests the calls they make of a served package's protocol (a query
string, a form body and its content type in; bodies out) on top of its whole-HTTP interface
(``protocol.PROTOCOL.parse_request(HttpRequest(...))`` -> ``HttpResponse``)."""

from __future__ import annotations

import dataclasses
import importlib
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from botocore.model import OperationModel, ServiceModel
from botocore.parsers import EC2QueryParser
from botocore.serialize import EC2Serializer
from botocore.utils import percent_encode_sequence

from codegen.generators.base import GenerationContext
from codegen.generators.protocol import ProtocolGenerator
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec
from codegen.model import ServiceModel as CodegenServiceModel
from tests.support.helpers import parse_response
from tests.support.imports import fresh_name, generate_into, import_package, scratch
from tests.support.paths import GENERATED, SPEC
from tests.support.validators import model_named

# botocore's protocol test suites run in reverse (tests/generators/test_protocol_suite.py)
SUITES = (
    "ec2",
    "query",
    "json",
    "json_1_0",
    "json_1_0-query-compatible",
    "smithy-rpc-v2-cbor",
    "smithy-rpc-v2-cbor-query-compatible",
    "smithy-rpc-v2-cbor-non-query-compatible",
)
# case id -> why it cannot pass in reverse (docs/stub-server.md quotes these lists)
SKIPPED = {
    "Ec2Lists": "Smithy's EC2 query capitalizes every member name (hi -> Hi); botocore's"
    " serializer, and so this layer, capitalizes only a locationName (botocore skips it too)",
    "Ec2TimestampsInput": "Smithy's EC2 query capitalizes every member name (normalFormat ->"
    " NormalFormat); botocore does not (botocore skips it too)",
    "Ec2QueryEndpointTraitWithHostLabel": "Smithy's EC2 query capitalizes every member name"
    " (label -> Label), and the host label is the endpoint's business (botocore skips it too)",
    "Ec2ProtocolIdempotencyTokenAutoFill": "the client fills in an idempotency token the caller"
    " did not give, so the request holds a param the case's params lack (botocore skips it too)",
    "Ec2ProtocolIdempotencyTokenAutoFillIsSet": "Smithy's EC2 query capitalizes every member"
    " name (token -> Token); botocore does not (botocore skips the suite too)",
    "SDKAppliedContentEncoding_ec2Query": "request compression (gzip Content-Encoding) is the"
    " app's business, before the protocol; the case has no body to parse",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query": "request compression is the app's"
    " business; the case has no body to parse",
    "Ec2EmptyQueryLists": "EC2 sends nothing for an empty list, so ListArg=[] and no ListArg are"
    " the same request: the parser cannot give back []",
    "Ec2ComplexError": "an error without a message: botocore's EC2 parser reads the empty"
    " <Message/> as None, the case expects '' (its members, TopLevel and Nested, are written"
    " and read back) (botocore skips it too)",
    # query
    "SDKAppliedContentEncoding_awsQuery": "request compression (gzip Content-Encoding) is the"
    " app's business, before the protocol; the case has no body to parse (botocore skips it"
    " too)",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery": "request compression is the app's"
    " business; the case has no body to parse (botocore skips it too)",
    "QueryProtocolIdempotencyTokenAutoFill": "the client fills in an idempotency token the"
    " caller did not give, so the request holds a param the case's params lack (botocore skips"
    " it too)",
    "QueryFlattenedListArgWithXmlName": "the case sends a flattened list under the member's"
    " locationName (Hi.1); botocore's serializer, and so this protocol, names it after the"
    " list's items (item.1) (botocore skips it too)",
    "QueryEmptyQueryMaps": "the query protocol sends nothing for an empty map, so MapArg={} and"
    " no MapArg are the same request: the parser cannot give back {}",
    "QueryComplexError": "an error without a message: botocore's query parser reads the empty"
    " <Message/> as None, the case expects '' (botocore skips it too)",
    # json 1.0 and 1.1
    "AwsJson11StructuresDontSerializeNullValues": "a member given as None is not sent, so the"
    " request has no such member: None cannot come back (botocore skips it too)",
    "SDKAppliedContentEncoding_awsJson1_1": "request compression is the app's business; the"
    " case has no body to parse (botocore skips it too)",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_1": "request compression is the"
    " app's business; the case has no body to parse (botocore skips it too)",
    "SDKAppliedContentEncoding_awsJson1_0": "request compression is the app's business; the"
    " case has no body to parse (botocore skips it too)",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_0": "request compression is the"
    " app's business; the case has no body to parse (botocore skips it too)",
    "AwsJson10EndpointTrait": "the case states no headers, so no X-Amz-Target names the"
    " operation; it checks the host prefix, which is the client's business",
    "AwsJson10EndpointTraitWithHostLabel": "the case states no headers, so no X-Amz-Target"
    " names the operation; it checks the host prefix, which is the client's business",
    "AwsJson10HostWithPath": "the case states no headers, so no X-Amz-Target names the"
    " operation; it checks the endpoint's path, which is the client's business",
    "AwsJson11SupportsNaNFloatInputs": 'JSON carries NaN as the string "NaN"; botocore\'s JSON'
    " parser gives that string, not a float (its rest-json parser converts it)",
    "AwsJson11SupportsInfinityFloatInputs": 'JSON carries Infinity as the string "Infinity";'
    " botocore's JSON parser gives that string, not a float",
    "AwsJson11SupportsNegativeInfinityFloatInputs": "JSON carries -Infinity as the string"
    ' "-Infinity"; botocore\'s JSON parser gives that string, not a float',
    "AwsJson10SupportsNaNFloatInputs": 'JSON carries NaN as the string "NaN"; botocore\'s JSON'
    " parser gives that string, not a float (its rest-json parser converts it)",
    "AwsJson10SupportsInfinityFloatInputs": 'JSON carries Infinity as the string "Infinity";'
    " botocore's JSON parser gives that string, not a float",
    "AwsJson10SupportsNegativeInfinityFloatInputs": "JSON carries -Infinity as the string"
    ' "-Infinity"; botocore\'s JSON parser gives that string, not a float',
    # smithy-rpc-v2-cbor
    "RpcV2CborClientDoesntSerializeNullStructureValues": "a member given as None is not sent,"
    " so the request has no such member: None cannot come back",
}

# case id -> (a member left out of the case's result, why); the rest of the case runs
TRIMMED = {
    "QueryXmlLists": (
        "flattenedList2",
        (
            "two flattened lists whose items are both named 'item' (flattenedList and"
            " flattenedList2): botocore reads both from the same <item> elements, so no body gives"
            " back each list; the case runs without flattenedList2 (botocore skips it whole)"
        ),
    ),
    "Ec2XmlLists": (
        "flattenedList2",
        (
            "two flattened lists whose items are both named 'item' (flattenedList and"
            " flattenedList2): botocore reads both from the same <item> elements, so no body gives"
            " back each list; the case runs without flattenedList2 (botocore skips it whole)"
        ),
    ),
}


class Layer:
    """A served package's default protocol, through the calls the EC2 tests make."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.__file__ = module.__file__
        self.protocol = module.PROTOCOL
        self.ProtocolError = module.ProtocolError
        self.validators = importlib.import_module(
            module.__name__.rsplit(".", 1)[0] + ".validators"
        )
        self.SERVICE = module.SERVICE
        self.API_VERSION = module.API_VERSION
        self.OPERATIONS = module.OPERATIONS
        self.TABLES = module.TABLES
        self.SHAPES = module.TABLES.shapes
        self.OPERATION_SHAPES = module.TABLES.operations

    def request(self, query: bytes, body: bytes, content_type: str | None) -> Any:
        headers = {"content-type": content_type} if content_type else {}
        return self.module.HttpRequest(
            "POST" if body else "GET", "/", query.decode("latin-1"), headers, body
        )

    def parse_request(self, query: bytes, body: bytes, content_type: str | None) -> Any:
        return self.protocol.parse_request(self.request(query, body, content_type))

    def serialize_response(self, operation: str, result: Any, request_id: str) -> bytes:
        body: bytes = self.protocol.serialize_response(operation, result, request_id).body
        return body

    def serialize_error(self, code: str, message: str, request_id: str) -> bytes:
        error = self.module.ServiceError(code, message)
        body: bytes = self.protocol.serialize_error(error, None, request_id).body
        return body

    def example_response(self, operation: str) -> Any:
        return self.module.example_response(operation)


def load_module(folder: Path) -> ModuleType:
    """Import a generated service folder as a package under a fresh name; return its
    ``protocol`` module."""
    name = fresh_name("service")
    import_package(name, folder)
    return importlib.import_module(f"{name}.protocol")


def load_package(folder: Path) -> Layer:
    """:func:`load_module`, as a :class:`Layer`."""
    return Layer(load_module(folder))


@cache
def ec2_model(name: str) -> CodegenServiceModel:
    """The model of the validator tests named ``name`` (``ec2``, ``widgets``), with the EC2
    protocol."""
    model = model_named(name)
    if model.metadata.protocol == "ec2":
        return model
    return dataclasses.replace(model, metadata=dataclasses.replace(model.metadata, protocol="ec2"))


@cache
def protocol_module(name: str) -> Layer:
    """The protocol module of the model ``name``: the committed one for ``ec2``, generated
    (with the validators it uses) into a temporary folder for ``widgets``."""
    if name == "ec2":
        return load_package(GENERATED)
    context = GenerationContext(ec2_model(name), load_spec(SPEC))
    folder = scratch(name)
    generate_into(folder, context, ValidatorsGenerator(), ProtocolGenerator())
    return load_package(folder)


def botocore_service(document: dict[str, Any]) -> ServiceModel:
    return ServiceModel(document)


def ec2_service() -> ServiceModel:
    path = GENERATED / "botocore" / "ec2" / "2016-11-15" / "service-2.json"
    return ServiceModel(json.loads(path.read_text(encoding="utf-8")), service_name="ec2")


def serialize(service: ServiceModel, operation: str, params: dict[str, Any]) -> bytes:
    """The form body botocore's EC2 serializer sends for ``params``."""
    request = EC2Serializer().serialize_to_request(params, service.operation_model(operation))
    body = request["body"]
    # what botocore's AWSRequest sends for a dict body (spaces as %20, not +)
    if isinstance(body, dict):
        form: str = percent_encode_sequence(body)
        return form.encode("utf-8")
    assert isinstance(body, bytes), body
    return body


def parse(service: ServiceModel, operation: str, body: bytes, status: int = 200) -> Any:
    """What botocore's EC2 parser makes of a response body."""
    op: OperationModel = service.operation_model(operation)
    response = {"body": body, "headers": {}, "status_code": status}
    return parse_response(EC2QueryParser(), response, op.output_shape)
