"""Helpers for the stub-server tests: boto3 clients, raw HTTP, the generated modules."""

from __future__ import annotations

import http.client
import xml.etree.ElementTree as ET
from functools import cache
from types import ModuleType
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import pytest
from botocore.exceptions import ClientError

from tests.support.imports import import_file
from tests.support.paths import GENERATED

# A boto3 client: its methods are made at run time from the service model, so no static type
# says more than Any (boto3 ships no types; per-service stubs would type the calls, not the
# server's answers these tests check).
Client: TypeAlias = Any

NO_RETRIES = botocore.config.Config(
    retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30, max_pool_connections=32
)


@cache
def _session() -> boto3.session.Session:
    return boto3.session.Session()  # one session: its loader reads the EC2 model once


def ec2(
    url: str, key: str = "AKIDALICE", region: str = "us-east-1", secret: str = "secret"
) -> Client:
    """A boto3 EC2 client (thread-safe; create clients from one thread only)."""
    return _session().client(
        "ec2",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=NO_RETRIES,
    )


def error_of(excinfo: pytest.ExceptionInfo[Exception]) -> tuple[str, int, str]:
    """(Error.Code, HTTP status, Error.Message) of a ClientError."""
    exc = excinfo.value
    assert isinstance(exc, ClientError), exc
    return (
        exc.response["Error"]["Code"],
        exc.response["ResponseMetadata"]["HTTPStatusCode"],
        exc.response["Error"].get("Message", ""),
    )


def post(
    url: str,
    body: bytes | str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    method: str = "POST",
    timeout: float = 30,
) -> tuple[int, bytes, dict[str, str]]:
    """A raw HTTP request (no SDK): (status, body, headers)."""
    parts = urlsplit(url)
    assert parts.hostname is not None, url
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        data = body.encode() if isinstance(body, str) else body
        sent = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        sent.update(headers or {})
        conn.request(method, "/" + (f"?{query}" if query else ""), body=data, headers=sent)
        response = conn.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def xml_error(body: bytes) -> tuple[str, str]:
    """(Code, Message) from EC2's error envelope; fails if the body is not that envelope."""
    root = ET.fromstring(body)
    assert root.tag == "Response", body[:200]
    error = root.find("./Errors/Error")
    assert error is not None, body[:200]
    assert root.find("./RequestID") is not None and root.findtext("./RequestID"), body[:200]
    return error.findtext("Code") or "", error.findtext("Message") or ""


def _module(name: str) -> ModuleType:
    return import_file(f"server_tests_{name}", GENERATED / f"{name}.py")


@cache
def shapes() -> ModuleType:
    return _module("shapes")


@cache
def validators() -> ModuleType:
    return _module("validators")


def payload(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}
