"""Helpers for the protocol-layer tests: load a generated service package, botocore's own
EC2 serializer and parser for a model."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from botocore.model import OperationModel, ServiceModel
from botocore.parsers import EC2QueryParser
from botocore.serialize import EC2Serializer
from conftest import ROOT

GENERATED = ROOT / "generated" / "ec2"
_counter = itertools.count()


def load_package(folder: Path) -> ModuleType:
    """Import a generated service folder as a package under a fresh name; return its
    ``protocol`` module."""
    name = f"_apigen_generated_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.protocol")


def botocore_service(document: dict[str, Any]) -> ServiceModel:
    return ServiceModel(document)


def ec2_service() -> ServiceModel:
    path = GENERATED / "botocore" / "ec2" / "2016-11-15" / "service-2.json"
    return ServiceModel(json.loads(path.read_text(encoding="utf-8")), service_name="ec2")


def serialize(service: ServiceModel, operation: str, params: dict[str, Any]) -> bytes:
    """The form body botocore's EC2 serializer sends for ``params``."""
    request = EC2Serializer().serialize_to_request(params, service.operation_model(operation))
    body = request["body"]
    return urlencode(list(body.items())).encode("utf-8") if isinstance(body, dict) else body


def parse(service: ServiceModel, operation: str, body: bytes, status: int = 200) -> Any:
    """What botocore's EC2 parser makes of a response body."""
    op: OperationModel = service.operation_model(operation)
    response = {"body": body, "headers": {}, "status_code": status}
    return EC2QueryParser().parse(response, op.output_shape)
