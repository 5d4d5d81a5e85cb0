"""Running the server: in the foreground (``apigen serve``) or in a background thread (tests)."""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from codegen.server.app import App
from codegen.server.auth import Authenticator, load_accounts
from codegen.server.services import ServeError, Service, load_services
from codegen.server.state import State


@dataclass
class StubServer:
    """A server being set up or running: ``url``, ``state``, ``services``; ``reset()`` forgets state."""

    app: App
    sock: socket.socket
    services: list[Service] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    @property
    def state(self) -> State:
        return self.app.state

    def reset(self) -> None:
        self.app.state.reset()

    def describe(self) -> list[str]:
        lines = []
        for service in self.services:
            lines.append(
                f"{service.name}: behaviour: {', '.join(sorted(service.behaviours)) or '-'}"
            )
            lines.append(
                f"{service.name}: example responses: {', '.join(service.examples) or '-'}"
            )
        return lines


def build(
    specs: Sequence[Path] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    state: str | Path = ":memory:",
    accounts: Path | None = None,
    verify_signatures: bool = False,
    log: TextIO | None = sys.stderr,
) -> StubServer:
    """Load the services, open the state and bind the socket (nothing is served yet)."""
    services = load_services(list(specs) if specs else None)
    table = load_accounts(accounts) if accounts is not None else {}
    if verify_signatures and not any(a.secret for a in table.values()):
        raise ServeError(
            message="--verify-signatures needs --accounts FILE with a secret for each access key"
        )
    store = State(state)
    if store.warning is not None and log is not None:
        print(f"apigen: warning: {store.warning}", file=log, flush=True)
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP: asyncio then sets TCP_NODELAY on each connection (no 40 ms Nagle stalls)
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
        sock.setblocking(False)
    except OSError as exc:
        store.close()
        raise ServeError(
            message=f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    except OverflowError:
        store.close()
        raise ServeError(message=f"cannot listen on {host}:{port}: not a port number") from None
    app = App(services, store, Authenticator(table, verify_signatures), log=log)
    return StubServer(app, sock, services)


def _uvicorn_server(server: StubServer) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn re-raises a captured SIGTERM after shutting down (the process then dies
            # of it); serve_forever handles the signals itself and exits with status 0.
            yield

    config = uvicorn.Config(
        server.app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        http="httptools",
        loop="asyncio",
        timeout_graceful_shutdown=5,
        timeout_keep_alive=60,  # SDK connection pools keep connections between calls
    )
    return Server(config)


def serve_forever(server: StubServer) -> None:
    """Serve in this (main) thread until Ctrl-C or SIGTERM, then shut down cleanly."""
    runner = _uvicorn_server(server)
    server.app.on_failure = lambda reason: setattr(runner, "should_exit", True)

    def stop(signum: int, frame: object) -> None:
        if runner.should_exit:
            runner.force_exit = True
        runner.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        runner.run(sockets=[server.sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.state.close()


@contextmanager
def running_server(
    specs: Sequence[Path] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    state: str | Path = ":memory:",
    accounts: Path | None = None,
    verify_signatures: bool = False,
    log: TextIO | None = None,
) -> Iterator[StubServer]:
    """Start the stub server on a free port in a background thread; yields it (``.url``, ``.reset()``).

    >>> with running_server() as server:          # doctest: +SKIP
    ...     boto3.client("ec2", endpoint_url=server.url, region_name="us-east-1")
    """
    server = build(
        specs,
        host=host,
        port=port,
        state=state,
        accounts=accounts,
        verify_signatures=verify_signatures,
        log=log,
    )
    runner = _uvicorn_server(server)
    server.app.on_failure = lambda reason: setattr(runner, "should_exit", True)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            runner.run(sockets=[server.sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name="apigen-serve", daemon=True)
    thread.start()
    while not runner.started and thread.is_alive():
        thread.join(0.01)
    if not runner.started:
        server.state.close()
        raise ServeError(
            message=f"the server did not start: {failure[0] if failure else 'unknown'}"
        )
    try:
        yield server
    finally:
        runner.should_exit = True
        thread.join(10)
        server.sock.close()
        server.state.close()
