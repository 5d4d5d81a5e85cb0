"""The HTTP application: an ASGI app that routes each request to a service's protocol layer.

Per request: read the body (at most ``MAX_BODY`` bytes), identify the caller (SigV4), parse and
validate with the generated protocol layer, answer ``DryRunOperation`` for ``DryRun=True``, run
the operation's behaviour (or answer its example response), serialize. A new request id
(uuid4) per request; one log line per request unless quiet. Anything a client sends gets the
service's XML error; a 500 only for a fault of ours.
"""

from __future__ import annotations

import asyncio
import sys
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TextIO

from codegen.server.auth import Authenticator
from codegen.server.context import Context
from codegen.server.errors import ApiError, dry_run
from codegen.server.services import Service
from codegen.server.state import State, StateUnreadable

MAX_BODY = 1 << 20  # 1 MiB: a CreateFlowLogs with 1000 resource ids is about 30 KiB

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


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
        self.default = services[0]
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
            if size > MAX_BODY:
                too_large = True  # read on and drop the rest, so the client reads our answer
                chunks = []
            else:
                chunks.append(chunk)
            more = message.get("more_body", False)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.failed is not None:
            await _drop(send)
            return
        status, body, operation, request_id = self.handle(
            scope["method"],
            scope.get("raw_path") or scope["path"].encode(),
            scope["query_string"],
            headers,
            b"".join(chunks),
            too_large,
        )
        if self.failed is not None:  # this request found the state file unusable
            await _drop(send)
            return
        allow = ", ".join(self.default.protocol.METHODS).encode() if status == 405 else None
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/xml;charset=UTF-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-amzn-requestid", request_id.encode()),
                ]
                + ([(b"allow", allow)] if allow else [])
                + ([(b"connection", b"close")] if too_large else []),
            }
        )
        await send({"type": "http.response.body", "body": body})
        if self.log is not None:
            client = scope.get("client") or ("-", 0)
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{client[0]} {scope['method']} {scope['path']} {operation or '-'} {status} "
                f"{elapsed:.1f}ms {request_id}",
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
        self,
        method: str,
        raw_path: bytes,
        query: bytes,
        headers: dict[str, str],
        body: bytes,
        too_large: bool = False,
    ) -> tuple[int, bytes, str | None, str]:
        """One request -> (status, body, operation or None, request id). Never raises."""
        request_id = str(uuid.uuid4())
        service = self.default
        protocol = service.protocol
        operation: str | None = None
        try:
            protocol.check_method(method)  # PUT, DELETE, ...: 405 with Allow, changing nothing
            if too_large:
                raise ApiError(
                    "RequestEntityTooLarge",
                    f"The request body is larger than the {MAX_BODY} bytes this server accepts.",
                    413,
                )
            host = headers.get("host", "localhost")
            url = f"http://{host}{raw_path.decode('latin-1')}"
            if query:
                url += "?" + query.decode("latin-1")
            caller = self.auth.caller(method, url, headers, body)
            # several services served: the one the request was signed for
            service = self.services.get(caller.service or "", self.default)
            protocol = service.protocol
            request = protocol.parse_request(query, body, headers.get("content-type"))
            operation = request.operation
            params = request.params
            if params.get("DryRun") is True:
                raise dry_run()
            behaviour = service.behaviours.get(operation)
            if behaviour is None:
                result = protocol.example_response(operation)
            else:
                result = behaviour(Context(caller, request_id, self.state), params)
            body = protocol.serialize_response(operation, result, request_id)
            return 200, body, operation, request_id
        except StateUnreadable as exc:
            self._fail(str(exc))
            return 0, b"", operation, request_id
        except (ApiError, protocol.ProtocolError) as exc:
            return (
                exc.status,
                protocol.serialize_error(exc.code, exc.message, request_id),
                operation or getattr(exc, "operation", None),  # a request that did not validate
                request_id,
            )
        except Exception:  # noqa: BLE001 - a fault of ours: a 500, logged with its traceback
            if self.log is not None:
                print(f"internal error in request {request_id}:", file=self.log)
                traceback.print_exc(file=self.log)
            return (
                500,
                protocol.serialize_error(
                    "InternalError", "An internal error has occurred.", request_id
                ),
                operation,
                request_id,
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
