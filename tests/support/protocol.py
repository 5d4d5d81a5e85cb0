"""Helpers for the protocol-layer tests: load a generated service package, botocore's own
EC2 serializer and parser for a model."""

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

# botocore's EC2 protocol tests run in reverse (tests/generators/test_protocol_suite.py);
# docs/generated-code.md quotes these lists
# case id -> why it cannot pass in reverse (docs/generated-code.md: "The protocol layer")
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
    " HTTP server's business, not the protocol layer's; the case has no body to parse",
    "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query": "request compression (gzip"
    " Content-Encoding) is the HTTP server's business; the case has no body to parse",
    "Ec2EmptyQueryLists": "EC2 sends nothing for an empty list, so ListArg=[] and no ListArg are"
    " the same request: the parser cannot give back []",
    "Ec2ComplexError": "modeled error members beyond Code and Message (TopLevel, Nested):"
    " serialize_error writes a code and a message only (botocore skips it too)",
}

# case id -> (a member left out of the case's result, why); the rest of the case runs
TRIMMED = {
    "Ec2XmlLists": (
        "flattenedList2",
        (
            "two flattened lists whose items are both named 'item' (flattenedList and"
            " flattenedList2): botocore reads both from the same <item> elements, so no body gives"
            " back each list; the case runs without flattenedList2 (botocore skips it whole)"
        ),
    ),
}


def load_package(folder: Path) -> ModuleType:
    """Import a generated service folder as a package under a fresh name; return its
    ``protocol`` module."""
    name = fresh_name("service")
    import_package(name, folder)
    return importlib.import_module(f"{name}.protocol")


@cache
def ec2_model(name: str) -> CodegenServiceModel:
    """The model of the validator tests named ``name`` (``ec2``, ``widgets``), with the EC2
    protocol."""
    model = model_named(name)
    if model.metadata.protocol == "ec2":
        return model
    return dataclasses.replace(model, metadata=dataclasses.replace(model.metadata, protocol="ec2"))


@cache
def protocol_module(name: str) -> ModuleType:
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
