"""pytest fixtures (registered through the ``pytest11`` entry point ``apigen``).

``apigen_server``: a stub server for the session's specs (``--apigen-spec`` or every spec
under ./specs), its state reset before each test through the server's reset endpoint
(``POST /_apigen/reset``); ``--apigen-settle-after N`` sets the reads a new resource takes to
reach its waiter's success state (default 1, 0: at once)::

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
    group.addoption(
        "--apigen-settle-after",
        type=int,
        default=1,
        metavar="N",
        help="Reads before a new resource reaches its waiter's success state (0: at once).",
    )


@pytest.fixture(scope="session")
def apigen_server_session(request: pytest.FixtureRequest) -> Iterator[StubServer]:
    specs = [Path(p) for p in request.config.getoption("--apigen-spec")] or None
    settle = int(request.config.getoption("--apigen-settle-after"))
    with running_server(specs, settle_after=settle) as server:
        yield server


@pytest.fixture
def apigen_server(apigen_server_session: StubServer) -> StubServer:
    """The session's stub server, with empty state for this test."""
    apigen_server_session.reset()
    return apigen_server_session
