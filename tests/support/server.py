"""Helpers for the stub-server tests: boto3 clients, raw HTTP, the generated modules."""

from __future__ import annotations

import atexit
import http.client
import itertools
import shutil
import tempfile
import uuid
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import botocore.session
import pytest
from botocore.exceptions import ClientError

from tests.support.imports import import_file
from tests.support.paths import FIXTURES, GENERATED

THINGS = FIXTURES / "resources" / "things.json"

# the access key the session's whole-EC2 server maps to a known account (--accounts)
OWNER_KEY, OWNER_ACCOUNT = "AKIDOWNER", "111122223333"

# A boto3 client: its methods are made at run time from the service model, so no static type
# says more than Any (boto3 ships no types; per-service stubs would type the calls, not the
# server's answers these tests check).
Client: TypeAlias = Any

NO_RETRIES = botocore.config.Config(
    retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30, max_pool_connections=32
)


@cache
def session() -> boto3.session.Session:
    return boto3.session.Session()  # one session: its loader reads the EC2 model once


def ec2(
    url: str, key: str = "AKIDALICE", region: str = "us-east-1", secret: str = "secret"
) -> Client:
    """A boto3 EC2 client (thread-safe; create clients from one thread only)."""
    return session().client(
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


def fresh_key() -> str:
    """An access key no other test uses: an account of its own on a shared server."""
    return f"AKID{next(_keys):08d}{uuid.uuid4().hex[:8].upper()}"


_keys = itertools.count()


def reset_status(
    url: str, path: str = "/_apigen/reset", method: str = "POST"
) -> tuple[int, bytes]:
    """(status, body) of a request to the reset endpoint."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.request(method, path, body=b"")
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@cache
def things_session() -> botocore.session.Session:
    """A botocore session whose ``ec2`` is the made-up Things service of
    ``tests/fixtures/resources/things.json`` (its model exported to a botocore data path)."""
    from codegen.bridge.exporter import write_data_path
    from codegen.loader import load_spec

    folder = Path(tempfile.mkdtemp(prefix="things-data-"))
    atexit.register(shutil.rmtree, folder, True)
    write_data_path(load_spec(THINGS).model(), folder)
    made = botocore.session.Session()
    made.get_component("data_loader").search_paths.insert(0, str(folder))
    return made


def things(url: str, key: str = "AKIDALICE", region: str = "us-east-1") -> Client:
    """A botocore client of the Things service (as ``ec2``) against ``url``."""
    return things_session().create_client(
        "ec2",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key="secret",
        config=NO_RETRIES,
    )


def installed_specs(folder: Path, services: tuple[str, ...]) -> list[Path]:
    """Specs of ``services`` imported whole from the installed botocore into ``folder``."""
    from codegen.cli import main

    out = []
    for service in services:
        path = folder / f"{service}.json"
        try:
            main(["import", str(path), "--from", "botocore:installed", "--service", service])
        except SystemExit as exit_:
            assert not exit_.code, f"apigen import {service} failed"
        out.append(path)
    return out


def client_for(
    url: str,
    service: str,
    key: str = "AKIDALICE",
    region: str = "us-east-1",
    **config: Any,
) -> Client:
    """A boto3 client of ``service`` against the server at ``url`` (no retries)."""
    options: dict[str, Any] = {
        "retries": {"total_max_attempts": 1},
        "connect_timeout": 5,
        "read_timeout": 30,
        **config,
    }
    return session().client(
        service,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key="secret",
        config=botocore.config.Config(**options),
    )


def examples_only(server: Any) -> Any:
    """``server`` answering every operation with its example response: its hand-written and
    derived behaviours taken out (for tests of the protocol layer, not of the semantics)."""
    for service in server.services:
        service.behaviours.clear()
    return server
