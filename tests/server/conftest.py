"""Fixtures of the stub-server tests: whole EC2 of the installed botocore, imported once and
served once for the session.

``whole_ec2_spec`` is the spec ``apigen import --service ec2 --from botocore:installed``
writes (every operation, shape and waiter); ``ec2_server`` serves it, with the access key
``AKIDOWNER`` mapped to account ``111122223333`` (``--accounts``). Tests that share the server
keep out of each other's way by using an access key of their own (each key is its own
account: :func:`tests.support.server.ec2` with ``key=``), never by resetting it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen.pipeline import import_operations
from codegen.server import StubServer, running_server
from tests.support.helpers import release
from tests.support.server import OWNER_ACCOUNT, OWNER_KEY


@pytest.fixture(scope="session")
def whole_ec2_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = tmp_path_factory.mktemp("whole-ec2-installed") / "ec2.json"
    import_operations(spec, release("installed"), None, service="ec2")
    return spec


@pytest.fixture(scope="session")
def ec2_server(
    whole_ec2_spec: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StubServer]:
    accounts = tmp_path_factory.mktemp("accounts") / "accounts.json"
    accounts.write_text(json.dumps({OWNER_KEY: OWNER_ACCOUNT}))
    with running_server([whole_ec2_spec], accounts=accounts) as server:
        yield server
