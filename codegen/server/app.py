"""The HTTP application: an ASGI app that hands each whole request to a service's protocol.

Per request::

    body (at most the protocol's max_body) -> HttpRequest(method, raw path, query, headers, body)
    caller (SigV4: account by access key, region by credential scope; --verify-signatures)
    service (the one the credential scope names; else the first served)
    protocol = the service's protocol that recognizes the request (its first when none does)
    protocol.parse_request    -> Request(operation, validated params)   or ProtocolError
    behaviour(context, params) or the operation's example result         or ServiceError
    protocol.serialize_response / error_response -> HttpResponse

The app knows no wire format: routing, content types, headers, error envelopes and each
protocol's own rules (EC2's ``DryRun``) are the protocol's, in the served package
(:mod:`codegen.protocols`, copied into it). A new request id (uuid4) per request, sent as
``x-amzn-RequestId`` and written into the body where the protocol puts one; one log line per
request unless quiet. Anything a client sends gets an answer in the protocol's error envelope
with a 4xx; a 500 (``InternalError``, logged with its traceback) only for a fault of ours.

``POST /_apigen/reset`` (and moto's ``POST /moto-api/reset``, so that suites written for moto's
server mode run unchanged) forgets all state and answers ``{"status": "ok"}``; another method
there is a 405.
A state file found damaged while serving (:class:`~codegen.server.state.StateUnreadable`) is
never answered from: the connection is dropped, the reason said once, and the runner stops.
"""

from __future__ import annotations

import asyncio
import sys
import time
import traceback
import uuid
import zlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TextIO

from codegen.protocols.errors import ServiceError
from codegen.protocols.http import HttpRequest, HttpResponse, join_headers
from codegen.server.auth import Authenticator
from codegen.server.context import Context
from codegen.server.errors import ApiError
from codegen.server.services import Service
from codegen.server.state import State, StateUnreadable

# A decompressed body's limit (the protocols' own: Protocol.max_body, 1 MiB but for S3's
# objects; a CreateFlowLogs with 1000 resource ids is about 30 KiB)
MAX_BODY = 1 << 20
RESET_PATHS = ("/_apigen/reset", "/moto-api/reset")  # POST: forget all state

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


class App:
    def __init__(
        self,
        services: Sequence[Service],
        state: State,
        auth: Authenticator,
        *,
        log: TextIO | None = sys.stderr,
    ) -> None:
        self.services = {s.name: s for s in services}
        # a SigV4 credential scope names a service by its signing name
        self.by_scope: dict[str, Service] = {}
        for service in services:
            for name in (service.name, service.signing_name):
                self.by_scope.setdefault(name, service)
        self.default = services[0]
        # bodies are read up to the largest any served protocol takes, then held to the
        # limit of the protocol the request is in
        self.read_limit = max(
            [MAX_BODY] + [p.max_body for s in services for p in s.protocol.PROTOCOLS.values()]
        )
        # what each served package's protocols raise (each package carries its own copy)
        self.error_types: tuple[type[Exception], ...] = (ServiceError,) + tuple(
            dict.fromkeys(t for service in services for t in service.error_types)
        )
        self.state = state
        self.auth = auth
        self.log = log
        # Set when the state file turns out unusable: every request is then dropped unanswered
        # and on_failure (the runner's: stop serving) is called once.
        self.failed: str | None = None
        self.on_failure: Callable[[str], None] | None = None

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
        too_large = False
        more = True
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
        if scope["path"] in RESET_PATHS:
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
        response, operation, request_id = self.handle(request, too_large)
        if self.failed is not None:  # this request found the state file unusable
            await _drop(send)
            return
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        if response.header("content-length") is None:  # a HEAD response may state the length
            headers.append((b"content-length", str(len(response.body)).encode()))
        headers.append((b"x-amzn-requestid", request_id.encode()))
        if too_large:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        body = b"" if request.method == "HEAD" else response.body
        await send({"type": "http.response.body", "body": body})
        if self.log is not None:
            client = scope.get("client") or ("-", 0)
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{client[0]} {scope['method']} {scope['path']} {operation or '-'} "
                f"{response.status} {elapsed:.1f}ms {request_id}",
                file=self.log,
                flush=True,
            )

    async def _reset(self, scope: Scope, send: Send, started: float) -> None:
        """The reset endpoint: POST forgets every record, flow log and client token."""
        if scope["method"] == "POST":
            try:
                self.state.reset()
            except StateUnreadable as exc:
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

    def handle(
        self, request: HttpRequest, too_large: bool = False
    ) -> tuple[HttpResponse, str | None, str]:
        """One request -> (the response, the operation or None, the request id). Never raises."""
        request_id = str(uuid.uuid4())
        service = self.default
        protocol = service.protocol_for(request)
        operation: str | None = None
        try:
            if too_large:
                raise _too_large(self.read_limit)
            url = f"http://{request.headers.get('host', 'localhost')}{request.path}"
            if request.query:
                url += "?" + request.query
            caller = self.auth.caller(request.method, url, request.headers, request.body)
            # several services served: the one the request was signed for
            service = self.by_scope.get(caller.service or "", self.default)
            protocol = service.protocol_for(request)
            if len(request.body) > protocol.max_body:
                raise _too_large(protocol.max_body)
            if not protocol.content_encoding_is_payload:  # (S3 stores a gzip object as sent)
                request = decompressed(request)  # (signed as sent: compressed)
            parsed = protocol.parse_request(request)
            operation = parsed.operation
            behaviour = service.behaviours.get(operation)
            if behaviour is None:
                result = protocol.example_response(operation)
            else:
                result = behaviour(Context(caller, request_id, self.state), parsed.params)
            return (
                protocol.serialize_response(operation, result, request_id),
                operation,
                request_id,
            )
        except StateUnreadable as exc:  # never answered: __call__ drops the connection
            self._fail(str(exc))
            return HttpResponse(503), operation, request_id
        except self.error_types as exc:
            # a request that did not validate names its operation in the error
            operation = operation or getattr(exc, "operation", None)
            return protocol.error_response(exc, operation, request_id), operation, request_id
        except Exception:  # noqa: BLE001 - a fault of ours: a 500, logged with its traceback
            if self.log is not None:
                print(f"internal error in request {request_id}:", file=self.log)
                traceback.print_exc(file=self.log)
            failure = ServiceError("InternalError", "An internal error has occurred.", 500)
            try:
                response = protocol.serialize_error(failure, operation, request_id)
            except Exception:  # noqa: BLE001 - the protocol itself failed: plain text
                response = HttpResponse(500, [("Content-Type", "text/plain")], b"InternalError\n")
            return response, operation, request_id


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
