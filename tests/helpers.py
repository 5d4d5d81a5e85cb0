"""Small helpers shared by the tests (not fixtures)."""

from __future__ import annotations

from functools import lru_cache

from codegen.bridge.importer import import_model
from codegen.bridge.releases import Release, fetch_release, installed_release
from codegen.loader import load_spec
from codegen.model import ServiceModel
from codegen.spec import Spec

from conftest import SPEC


@lru_cache(maxsize=None)
def spec() -> Spec:
    return load_spec(SPEC)


@lru_cache(maxsize=None)
def release(version: str) -> Release:
    return installed_release() if version == "installed" else fetch_release(version)


@lru_cache(maxsize=None)
def botocore_model(version: str, service: str = "ec2") -> ServiceModel:
    r = release(version)
    return import_model(
        r.load_model(service),
        name=service,
        paginators=r.load_paginators(service),
        source=f"botocore {r.version}",
    )


def strip_docs(value):
    """A botocore-format document without its documentation strings."""
    if isinstance(value, dict):
        return {k: strip_docs(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [strip_docs(v) for v in value]
    return value
