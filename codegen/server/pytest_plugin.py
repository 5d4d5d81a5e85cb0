"""pytest fixtures (registered through the ``pytest11`` entry point ``apigen``).

``apigen_server``: a stub server for the session's specs (``--apigen-spec`` or every spec
under ./specs), its state reset before each test::

    def test_it(apigen_server):
        ec2 = boto3.client("ec2", endpoint_url=apigen_server.url, region_name="us-east-1",
                           aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x")
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codegen.server.runner import StubServer, running_server


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("apigen")
    group.addoption(
        "--apigen-spec",
        action="append",
        default=[],
        metavar="SPEC",
        help="A spec for the apigen_server fixture to serve (repeatable; default: ./specs).",
    )


@pytest.fixture(scope="session")
def apigen_server_session(request: pytest.FixtureRequest) -> Iterator[StubServer]:
    specs = [Path(p) for p in request.config.getoption("--apigen-spec")] or None
    with running_server(specs) as server:
        yield server


@pytest.fixture
def apigen_server(apigen_server_session: StubServer) -> StubServer:
    """The session's stub server, with empty state for this test."""
    apigen_server_session.reset()
    return apigen_server_session
