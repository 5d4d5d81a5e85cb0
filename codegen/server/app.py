"""The HTTP application: an ASGI app that routes each whole request to a served service and
hands it to that service's protocol.

Per request::

    body (at most App.read_limit bytes) -> HttpRequest(method, raw path, raw query, headers, body)
    gzip body decompressed (Content-Encoding: gzip), at most MAX_BODY bytes of it
    service = Router.route(request, credential scope)   (codegen.server.routing)
    the service loaded (generated on its first request, in a worker thread; cached)
    caller (SigV4: account by access key, region by credential scope; --verify-signatures)
    protocol = the service's protocol that recognizes the request (its first when none does)
    protocol.parse_request    -> Request(operation, validated params)   or ProtocolError
    x-apigen-error: CODE      -> the operation's modeled error CODE      (or a 4xx naming them)
    behaviour(context, params) or the operation's example result         or ServiceError
    protocol.serialize_response / error_response -> HttpResponse

The app knows no wire format: routing facts, content types, headers, error envelopes and each
protocol's own rules (EC2's ``DryRun``) are the protocols'. A request that fits no served
service (``UnknownService``), whose service could not be generated
(``ServiceGenerationFailed``, the reason in the log) or for which the routing index failed is
answered with a 4xx in the error envelope of the protocol its form is in
(:func:`codegen.server.routing.error_form`), by that protocol's own code with no service behind
it. A body too large (cut at :attr:`App.read_limit`; not read at all when its Content-Length
says it is more than :data:`DRAIN` bytes over, or the client waits for a ``100 Continue``) or not gzip when it says so is still routed on what came, and answered by its
service's protocol. A new request id (uuid4) per request, sent as
``x-amzn-RequestId`` and written into the body where the protocol puts one; the service that
answered in ``x-apigen-service``; one log line per request unless quiet. Anything a client
sends gets an answer in a protocol's error envelope with a 4xx; a 500 (``InternalError``,
logged with its traceback) only for a fault of ours. A state file found unusable
(:class:`~codegen.server.state.StateUnreadable`) is the exception: the request is dropped
unanswered, as is every later one, and the server stops (``on_failure``).

``POST /_apigen/reset`` (and moto's ``POST /moto-api/reset``, so that suites written for moto's
server mode run unchanged) forgets all state and answers ``{"status": "ok"}``; another method
there is a 405. ``/_apigen/reset`` is the server's own path (no bucket name has an underscore);
moto's is one only for a POST without a query: anything else there (S3's key ``reset`` of a
bucket ``moto-api``) is routed as any request.

``x-apigen-error: <Code>`` (errors on request, for testing a client's error handling): the
request is routed, parsed and validated as any other, so that a request that would fail
anyway fails as it would (and EC2's ``DryRun`` answers ``DryRunOperation``); then, instead of
the behaviour or the example, the operation's modeled error of that code (its shape's name or
its ``error.code``) is answered in the protocol's envelope with its modeled status and
members and a generated message; no behaviour runs and no state changes. A code the operation
does not model is refused (400 ``InvalidRequestedError``) naming the ones it does.

Requests are handled one at a time on the event loop (each takes well under a millisecond);
only a service's first load runs in a worker thread, so that other services keep answering
while one is generated, and concurrent first requests wait for the same load. A behaviour
that waits (SQS's long polling) raises :class:`~codegen.server.context.Waiting`: its request
then awaits, without holding the loop, a change of what it waits on (:class:`Changes`: a
behaviour calls ``Context.changed(topic)``), or :data:`RECHECK` seconds, or its deadline, and is
handled again (parsed, authenticated and called, with ``Context.deadline`` set).
"""

from __future__ import annotations

import asyncio
import sys
import time
import traceback
import uuid
import zlib
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from functools import cache
from typing import Any, TextIO

from codegen.protocols.errors import ServiceError
from codegen.protocols.http import HttpRequest, HttpResponse, join_headers
from codegen.server.auth import Authenticator
from codegen.server.context import Context, Waiting
from codegen.server.errors import ApiError
from codegen.server.routing import Unroutable, credential_scope, error_form
from codegen.server.services import Catalog, GenerationFailed, ServeError, Service
from codegen.server.state import State, StateUnreadable

# A decompressed body's limit (the protocols' own: Protocol.max_body, 1 MiB but for S3's
# objects; a CreateFlowLogs with 1000 resource ids is about 30 KiB)
MAX_BODY = 1 << 20
# How much of a body over the read limit is still read (and dropped) so that the client, which
# sends it all before reading, sees the answer; a larger one is answered at once.
DRAIN = 64 << 20
ERROR_HEADER = "x-apigen-error"  # request: answer this modeled error of the operation
SERVICE_HEADER = "x-apigen-service"  # response: the service that answered
RESET_PATH = "/_apigen/reset"  # POST forgets all state; another method is a 405
# moto's, for suites written for its server mode: a POST without a query only, for the path is
# also S3's key "reset" of a bucket "moto-api" (GET, PUT, POST ?uploads, ... go to S3)
MOTO_RESET_PATH = "/moto-api/reset"

# How often a waiting request is handled again though nothing woke it (what changes with time
# alone: a delayed message becoming visible; another process writing the state file)
RECHECK = 0.25

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def decompressed(request: HttpRequest) -> HttpRequest:
    """``request`` with a gzip body (``Content-Encoding: ..., gzip``: what botocore sends for
    operations with ``requestcompression``, e.g. CloudWatch's PutMetricData) decompressed, at
    most :data:`MAX_BODY` bytes of it; gzip is taken out of the header."""
    encodings = [e.strip() for e in request.headers.get("content-encoding", "").split(",")]
    encodings = [e for e in encodings if e]
    if not encodings or encodings[-1].lower() != "gzip":
        return request
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(request.body, MAX_BODY + 1)
    except zlib.error as error:
        raise ApiError("MalformedGzip", f"The request body is not gzip: {error}.") from None
    if len(body) > MAX_BODY:
        raise ApiError(
            "RequestEntityTooLarge",
            f"The decompressed request body is larger than the {MAX_BODY} bytes this server"
            " accepts.",
            413,
        )
    if not inflater.eof or inflater.unused_data:
        raise ApiError("MalformedGzip", "The gzip request body is truncated or has trailing data.")
    headers = dict(request.headers)
    if len(encodings) > 1:
        headers["content-encoding"] = ", ".join(encodings[:-1])
    else:
        del headers["content-encoding"]
    return HttpRequest(request.method, request.path, request.query, headers, body)


@cache
def _error_protocol(form: str, json_version: str) -> Any:
    """A protocol of no service, to answer errors in ``form``'s envelope (an empty service:
    its errors are its own, with no modeled shape)."""
    from codegen.protocols import create_protocol
    from codegen.protocols.tables import ServiceTables

    tables = ServiceTables(
        name="apigen",
        api_version="",
        protocol=form,
        protocols=(form,),
        shapes={},
        operations={},
        target_prefix="apigen",
        json_version=json_version,
    )
    return create_protocol(form, tables, lambda operation, params: ())


class Changes:
    """The requests waiting on topics (:class:`~codegen.server.context.Waiting`), woken by
    :meth:`changed`. Used on the event loop's thread only (behaviours run there)."""

    def __init__(self) -> None:
        self._waiting: dict[Hashable, set[asyncio.Event]] = {}

    def changed(self, topic: Hashable) -> None:
        for event in self._waiting.pop(topic, ()):
            event.set()

    async def wait(self, topic: Hashable, deadline: float) -> None:
        """Until ``topic`` changes, :data:`RECHECK` seconds pass or ``deadline`` comes."""
        left = min(deadline - time.monotonic(), RECHECK)
        if left <= 0:
            return
        event = asyncio.Event()
        waiting = self._waiting.setdefault(topic, set())
        waiting.add(event)
        try:
            await asyncio.wait_for(event.wait(), left)
        except asyncio.TimeoutError:  # (not the builtin TimeoutError before Python 3.11)
            pass
        finally:
            waiting.discard(event)
            if not waiting and self._waiting.get(topic) is waiting:
                del self._waiting[topic]


class Answer:
    """A response and what the log line says of it."""

    __slots__ = ("operation", "request_id", "response", "service")

    def __init__(
        self, response: HttpResponse, request_id: str, operation: str | None, service: str | None
    ) -> None:
        self.response = response
        self.request_id = request_id
        self.operation = operation
        self.service = service


class App:
    def __init__(
        self,
        services: Catalog | Sequence[Service],
        state: State,
        auth: Authenticator,
        *,
        log: TextIO | None = sys.stderr,
    ) -> None:
        self.catalog = services if isinstance(services, Catalog) else Catalog(services)
        self.state = state
        self.auth = auth
        self.log = log
        # Set when the state file turns out unusable: every request is then dropped unanswered
        # and on_failure (the runner's: stop serving) is called once.
        self.failed: str | None = None
        self.on_failure: Callable[[str], None] | None = None
        self._read_limit: int | None = None
        self.changes = Changes()

    @property
    def read_limit(self) -> int:
        """How much of a body is read: the largest ``max_body`` of the protocols the served
        services speak (each request is then held to its own protocol's). While the routing
        index of ``--all-services`` is being built, the largest of any protocol."""
        if self._read_limit is not None:
            return self._read_limit
        from codegen.protocols import SERVICE_PROTOCOLS, protocol_class, supported

        if not self.catalog.ready:
            classes = [*supported().values(), *SERVICE_PROTOCOLS.values()]
            return max([MAX_BODY, *(c.max_body for c in classes)])
        limit = MAX_BODY
        for service in self.catalog.services.values():
            for name in service.entry.protocols:
                try:
                    limit = max(limit, protocol_class(name, service.name).max_body)
                except ValueError:  # a protocol not spoken: the service answers nothing in it
                    continue
        self._read_limit = limit
        return limit

    @property
    def services(self) -> dict[str, Service]:
        return self.catalog.services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        chunks: list[bytes] = []
        size = 0
        declared = _declared_length(scope["headers"])
        too_large = declared > self.read_limit
        # A body declared too large is read on and dropped, so that the client reads the
        # answer, unless the client waits for a 100 Continue before sending it, or it would
        # be more than DRAIN bytes: then it is answered at once and the connection closed.
        more = not too_large or (
            declared - self.read_limit <= DRAIN and not _expects_continue(scope["headers"])
        )
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.read_limit:
                too_large = True  # read on and drop the rest, so the client reads our answer
                chunks = []
            else:
                chunks.append(chunk)
            more = message.get("more_body", False)
        if scope["path"] == RESET_PATH or (
            scope["path"] == MOTO_RESET_PATH
            and scope["method"] == "POST"
            and not scope["query_string"]
        ):
            await self._reset(scope, send, started)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        request = HttpRequest(
            method=scope["method"],
            path=raw_path.decode("latin-1"),
            query=scope["query_string"].decode("latin-1"),
            headers=join_headers(
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
            ),
            body=b"".join(chunks),
        )
        if self.failed is not None:
            await _drop(send)
            return
        answer = await self.respond(request, too_large)
        if self.failed is not None:  # this request found the state file unusable
            await _drop(send)
            return
        response = answer.response
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        # a 204 or 304 has no content (RFC 9110): a body written after it would be read by a
        # keep-alive client as the start of its next response
        empty = response.status in (204, 304)
        if empty:
            headers = [(k, v) for k, v in headers if k != b"content-length"]
        elif response.header("content-length") is None:  # a HEAD response may state the length
            headers.append((b"content-length", str(len(response.body)).encode()))
        headers.append((b"x-amzn-requestid", answer.request_id.encode()))
        if answer.service is not None:
            headers.append((SERVICE_HEADER.encode(), answer.service.encode("latin-1")))
        if too_large:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        body = b"" if request.method == "HEAD" or empty else response.body
        await send({"type": "http.response.body", "body": body})
        if self.log is not None:
            client = scope.get("client") or ("-", 0)
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{client[0]} {scope['method']} {scope['path']} {answer.operation or '-'} "
                f"{response.status} {elapsed:.1f}ms {answer.request_id} {answer.service or '-'}",
                file=self.log,
                flush=True,
            )

    async def respond(self, request: HttpRequest, too_large: bool = False) -> Answer:
        """One request -> its answer. Never raises."""
        request_id = str(uuid.uuid4())
        try:
            undecodable: ServiceError | None = None
            try:  # (signatures are checked on the body as sent)
                decoded = request if too_large else decompressed(request)
            except ServiceError as bad_gzip:  # said by the service's protocol, unless S3's
                decoded, undecodable = request, bad_gzip
            if self.catalog.ready:
                router = self.catalog.router()
            else:  # the routing index is still being built: wait for it off the loop
                router = await asyncio.get_running_loop().run_in_executor(
                    None, self.catalog.router
                )
            found = credential_scope(request)
            routed = router.route(decoded, found[2] if found else None)
            if isinstance(routed, Unroutable):
                raise ApiError("UnknownService", routed.message)
            service = self.catalog.services[routed]
            if not service.loaded:
                await asyncio.get_running_loop().run_in_executor(None, service.load)
                service.announce(self.log)
        except GenerationFailed as failed:
            self._log_failure(failed)
            error = ApiError("ServiceGenerationFailed", f"{failed}; other services are served.")
            return self._without_service(request, error, request_id)
        except ServeError as unavailable:
            error = ApiError("RoutingUnavailable", str(unavailable))
            return self._without_service(request, error, request_id)
        except ServiceError as error:
            return self._without_service(request, error, request_id)
        except Exception:  # noqa: BLE001 - a fault of ours: a 500, logged with its traceback
            self._log_traceback(request_id)
            failure = ServiceError("InternalError", "An internal error has occurred.", 500)
            return self._without_service(request, failure, request_id)
        deadline: float | None = None
        while True:
            called = time.monotonic()
            answer = self.handle(
                service, request, decoded, request_id, undecodable, too_large, deadline
            )
            if isinstance(answer, Answer):
                return answer
            if deadline is not None and called >= deadline:
                # called at its deadline, a behaviour answers: waiting on is a fault of ours
                if self.log is not None:
                    print(
                        f"internal error in request {request_id}: a behaviour waits past its "
                        f"deadline on {answer.topic!r}",
                        file=self.log,
                    )
                failure = ServiceError("InternalError", "An internal error has occurred.", 500)
                protocol = service.protocol_for(decoded)
                response = protocol.serialize_error(failure, None, request_id)
                return Answer(response, request_id, None, service.name)
            deadline = answer.deadline
            await self.changes.wait(answer.topic, deadline)

    def handle(
        self,
        service: Service,
        sent: HttpRequest,
        request: HttpRequest,
        request_id: str,
        undecodable: ServiceError | None = None,
        too_large: bool = False,
        deadline: float | None = None,
    ) -> Answer | Waiting:
        """A request routed to ``service`` (loaded) -> its answer, or what its behaviour waits
        for (``deadline``: of the wait it is in, for the behaviour). Never raises. ``sent`` is the
        request as it came (signatures are over it), ``request`` its gzip body decompressed
        (``undecodable``: why it could not be), used unless the protocol takes the
        Content-Encoding as the payload's (S3 stores a gzip object as sent). ``too_large``:
        the body was cut at :attr:`read_limit` (routed on what came; answered with a 413)."""
        protocol = service.protocol_for(request)
        if protocol.content_encoding_is_payload:
            request, undecodable = sent, None
        operation: str | None = None
        answered: tuple[type[Exception], ...] = (ServiceError, *service.error_types)
        try:
            if too_large:
                raise _too_large(self.read_limit)
            if len(sent.body) > protocol.max_body:
                raise _too_large(protocol.max_body)
            if undecodable is not None:
                raise undecodable
            url = f"http://{sent.headers.get('host', 'localhost')}{sent.path}"
            if sent.query:
                url += "?" + sent.query
            caller = self.auth.caller(sent.method, url, sent.headers, sent.body)
            parsed = protocol.parse_request(request)
            operation = parsed.operation
            wanted = request.headers.get(ERROR_HEADER)
            if wanted is not None:
                raise protocol.modeled_error(operation, wanted.strip())
            behaviour = service.behaviours.get(operation)
            if behaviour is None:
                result = protocol.example_response(operation)
            else:
                context = Context(caller, request_id, self.state, deadline, self.changes.changed)
                result = behaviour(context, parsed.params)
            response = protocol.serialize_response(operation, result, request_id)
        except Waiting as waiting:
            return waiting
        except StateUnreadable as exc:
            self._fail(str(exc))
            response = HttpResponse(500, [], b"")  # never sent: the connection is dropped
        except answered as exc:
            # a request that did not validate names its operation in the error
            operation = operation or getattr(exc, "operation", None)
            response = protocol.error_response(exc, operation, request_id)
        except Exception:  # noqa: BLE001 - a fault of ours: a 500, logged with its traceback
            self._log_traceback(request_id)
            failure = ServiceError("InternalError", "An internal error has occurred.", 500)
            try:
                response = protocol.serialize_error(failure, operation, request_id)
            except Exception:  # noqa: BLE001 - the protocol itself failed: plain text
                response = HttpResponse(500, [("Content-Type", "text/plain")], b"InternalError\n")
        return Answer(response, request_id, operation, service.name)

    def _without_service(
        self, request: HttpRequest, error: ServiceError, request_id: str
    ) -> Answer:
        """An error answered before (or without) a service: in the envelope of the protocol
        the request's form is in."""
        form, json_version = error_form(request)
        try:
            response = _error_protocol(form, json_version).error_response(error, None, request_id)
        except Exception:  # noqa: BLE001 - the protocol itself failed: plain text
            self._log_traceback(request_id)
            response = HttpResponse(
                error.status, [("Content-Type", "text/plain")], f"{error.code}\n".encode()
            )
        return Answer(response, request_id, None, None)

    async def _reset(self, scope: Scope, send: Send, started: float) -> None:
        """The reset endpoint: POST forgets every record, flow log and client token."""
        if scope["method"] == "POST":
            try:
                self.state.reset()
            except StateUnreadable as exc:  # never answered: as for any other request
                self._fail(str(exc))
                await _drop(send)
                return
            status, body, extra = 200, b'{"status": "ok"}', []
        else:
            status, body = 405, b'{"status": "error", "message": "use POST to reset"}'
            extra = [(b"allow", b"POST")]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        if self.log is not None:
            client = scope.get("client") or ("-", 0)
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{client[0]} {scope['method']} {scope['path']} reset {status} {elapsed:.1f}ms -",
                file=self.log,
                flush=True,
            )

    def _fail(self, reason: str) -> None:
        """Say once (on standard error, whatever the request log) that the state file cannot be
        used, and stop: no request is answered from it, not even with a 5xx, which SDKs retry."""
        if self.failed is not None:
            return
        self.failed = reason
        print(
            f"apigen: error: {reason}; stopping without answering (restart the server once the "
            "file is restored or moved away: it refuses a damaged file)",
            file=sys.stderr,
            flush=True,
        )
        if self.on_failure is not None:
            self.on_failure(reason)

    def _log_traceback(self, request_id: str) -> None:
        if self.log is not None:
            print(f"internal error in request {request_id}:", file=self.log)
            traceback.print_exc(file=self.log)

    def _log_failure(self, failure: GenerationFailed) -> None:
        """Why a service could not be generated: the whole traceback, once."""
        if self.log is None or getattr(failure, "logged", False):
            return
        failure.logged = True  # type: ignore[attr-defined]
        print(f"apigen: {failure}; why:", file=self.log)
        cause = failure.__cause__ or failure
        traceback.print_exception(type(cause), cause, cause.__traceback__, file=self.log)


def _declared_length(headers: Iterable[tuple[bytes, bytes]]) -> int:
    """The body length a request's Content-Length declares (0 when absent or not a number:
    the HTTP server refuses those before the app sees them)."""
    for name, value in headers:
        if name.lower() == b"content-length":
            text = value.strip()
            return int(text) if text.isdigit() and len(text) <= 20 else 0
    return 0


def _expects_continue(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether the client sends its body only after a ``100 Continue`` (botocore does so for
    S3 uploads): it then reads an early answer without having sent anything."""
    return any(
        name.lower() == b"expect" and value.strip().lower() == b"100-continue"
        for name, value in headers
    )


def _too_large(limit: int) -> ApiError:
    return ApiError(
        "RequestEntityTooLarge",
        f"The request body is larger than the {limit} bytes this server accepts.",
        413,
    )


async def _drop(send: Send) -> None:
    """Close the connection without any response (the client sees it reset, as if the server
    had died; SDKs retry such a request on another connection, which the restarted server
    answers). uvicorn's connection object is reached through its ``send``; once the connection
    is lost uvicorn itself sends nothing more (no 500 for an unstarted response)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.abort()
        await asyncio.sleep(0)  # let the loop note the connection lost
