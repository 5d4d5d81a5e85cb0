"""Running the server: in the foreground (``apigen serve``) or in a background thread (tests).

:func:`build` assembles what is served (:func:`catalog`: specs, services of a botocore release
named with ``--service``, or every service of one with ``--all-services``), opens the state
and binds the socket. Nothing that can wait is done before the server is up: specs are read
(and their packages generated when the cache lacks them, so that a spec that cannot be served
is an error before the start); a release's services are generated on first use (those named
with ``--service`` in the background at once), and ``--all-services``' routing index is read
from the cache or built in the background.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from codegen.server.app import App
from codegen.server.auth import Authenticator, load_accounts
from codegen.server.services import (
    Catalog,
    ServeError,
    Service,
    load_services,
    release_entries,
    release_service,
    spec_services,
)
from codegen.server.state import State


@dataclass(frozen=True)
class Tls:
    """A certificate (PEM, with its chain) and its private key: the server speaks HTTPS."""

    certificate: Path
    key: Path


@dataclass
class StubServer:
    """A server being set up or running: ``url``, ``state``, ``services``; ``reset()`` forgets state."""

    app: App
    sock: socket.socket
    tls: Tls | None = None

    @property
    def services(self) -> list[Service]:
        """The services served (with ``--all-services``, those indexed so far)."""
        return list(self.app.catalog.services.values())

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"{'https' if self.tls else 'http'}://{shown}:{port}"

    @property
    def state(self) -> State:
        return self.app.state

    def reset(self) -> None:
        """Forget all state, through the server's reset endpoint (``POST /_apigen/reset``)."""
        import http.client

        host, port = self.sock.getsockname()[:2]
        connection: http.client.HTTPConnection
        if self.tls is not None:  # our own certificate: not one to verify here
            import ssl

            unverified = ssl._create_unverified_context()
            connection = http.client.HTTPSConnection(host, port, timeout=30, context=unverified)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            connection.request("POST", "/_apigen/reset", body=b"")
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise ServeError(
                message=f"the server did not reset its state (HTTP {response.status})"
            )

    def describe(self) -> list[str]:
        """What is served, for the log: each loaded service's behaviours and example
        responses; each service not loaded yet by its source."""
        catalog = self.app.catalog
        lines = []
        for service in catalog.services.values():
            if service.loaded:
                lines.append(
                    f"{service.name}: behaviour: {', '.join(service.hand_written) or '-'}"
                )
                lines.append(
                    f"{service.name}: derived from the model: {_listed(sorted(service.derived))}"
                )
                lines.append(f"{service.name}: example responses: {_listed(service.examples)}")
            else:
                count = len(service.entry.operations)
                when = "cached" if service.where.read() else "generated on first use"
                lines.append(
                    f"{service.name}: {count} operations from {service.source.shown} ({when})"
                )
        if catalog.description:
            lines.append(catalog.description)
        return lines


def catalog(
    specs: Sequence[Path] | None = None,
    *,
    services: Sequence[str] = (),
    release: str = "installed",
    all_services: bool = False,
    cache: Path | None = None,
) -> Catalog:
    """What is served: ``specs`` (default, without ``services`` or ``all_services``: every
    spec under ./specs), the ``services`` of botocore ``release`` (``installed`` or a version,
    fetched and cached), and with ``all_services`` every service of it. A service given by
    specs is served from them (``--all-services`` serves the others); naming it with
    ``services`` as well is an error."""
    if not services and not all_services:
        return Catalog(load_services(list(specs) if specs else None))
    from codegen.bridge.releases import resolve_release

    fixed = spec_services(list(specs), cache=cache) if specs else []
    given = {s.name: s for s in fixed}
    twice = [name for name in services if name in given]
    if twice:
        where = given[twice[0]].source.shown
        raise ServeError(
            message=f"{twice[0]} is served from {where}; --service {twice[0]} would serve it"
            " a second time (to serve a whole-service import with a spec, import it into a"
            " spec file: apigen import FILE --service NAME, and name both specs)"
        )
    chosen = resolve_release(release)
    known = set(chosen.services())
    unknown = [name for name in services if name not in known]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], sorted(known), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ServeError(message=f"botocore {chosen.version} has no service {unknown[0]!r}{hint}")
    named = [
        release_service(chosen, entry, cache=cache)
        for entry in release_entries(chosen, list(dict.fromkeys(services)))
    ]
    if not all_services:
        return Catalog([*fixed, *named], warm=[s.name for s in named])
    return Catalog(
        [*fixed, *named],
        index=lambda: release_entries(chosen, cache=cache),
        make=lambda entry: release_service(chosen, entry, cache=cache),
        warm=[s.name for s in named],
        description=f"every other service of botocore {chosen.version}: generated on its"
        " first request, cached",
    )


def _listed(names: Sequence[str], most: int = 12) -> str:
    """A list of operations for a log line: all of a few, the count and the first of many."""
    if not names:
        return "-"
    if len(names) <= most:
        return ", ".join(names)
    return f"{len(names)} operations ({', '.join(names[:most])}, ...)"


def build(
    specs: Sequence[Path] | None = None,
    *,
    services: Sequence[str] = (),
    release: str = "installed",
    all_services: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
    state: str | Path = ":memory:",
    accounts: Path | None = None,
    verify_signatures: bool = False,
    log: TextIO | None = sys.stderr,
    settle_after: int = 1,
    tls: Tls | None = None,
    cache: Path | None = None,
) -> StubServer:
    """Assemble what is served (:func:`catalog`), open the state and bind the socket (nothing
    is served yet). ``cache``: where served packages are generated (default: the ``server``
    folder of apigen's cache). ``settle_after``: how many reads see a new (or deleted)
    resource in the state its waiter retries on before it reaches the waiter's success state
    (0: at once)."""
    if settle_after < 0:
        raise ServeError(message=f"settle_after must be 0 or more, not {settle_after}")
    if tls is not None:
        _check_tls(tls)
    served = catalog(
        specs, services=services, release=release, all_services=all_services, cache=cache
    )
    table = load_accounts(accounts) if accounts is not None else {}
    if verify_signatures and not any(a.secret for a in table.values()):
        raise ServeError(
            message="--verify-signatures needs --accounts FILE with a secret for each access key"
        )
    store = State(state, settle_after=settle_after)
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
    served.start(log)
    app = App(served, store, Authenticator(table, verify_signatures), log=log)
    return StubServer(app, sock, tls)


def _check_tls(tls: Tls) -> None:
    """The certificate and key load (a clear error now, not a failure to start later)."""
    import ssl

    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            str(tls.certificate), str(tls.key)
        )
    except (OSError, ssl.SSLError) as exc:
        raise ServeError(
            message=f"cannot use the certificate {tls.certificate} with the key {tls.key}:"
            f" {getattr(exc, 'strerror', None) or exc}"
        ) from None


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
        ssl_certfile=str(server.tls.certificate) if server.tls else None,
        ssl_keyfile=str(server.tls.key) if server.tls else None,
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
    services: Sequence[str] = (),
    release: str = "installed",
    all_services: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
    state: str | Path = ":memory:",
    accounts: Path | None = None,
    verify_signatures: bool = False,
    log: TextIO | None = None,
    settle_after: int = 1,
    tls: Tls | None = None,
    cache: Path | None = None,
) -> Iterator[StubServer]:
    """Start the stub server on a free port in a background thread; yields it (``.url``, ``.reset()``).

    ``services``, ``release``, ``all_services``, ``cache``, ``settle_after`` (reads before a
    new or deleted resource reaches its waiter's success state; default 1, 0: at once): as
    :func:`build` takes them.

    >>> with running_server() as server:          # doctest: +SKIP
    ...     boto3.client("ec2", endpoint_url=server.url, region_name="us-east-1")
    """
    server = build(
        specs,
        services=services,
        release=release,
        all_services=all_services,
        host=host,
        port=port,
        state=state,
        accounts=accounts,
        verify_signatures=verify_signatures,
        log=log,
        settle_after=settle_after,
        tls=tls,
        cache=cache,
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
