"""The contract every protocol keeps, and what protocols share.

A :class:`Protocol` is built for one service (its :class:`~codegen.protocols.tables.ServiceTables`
and its strict generated validator) and answers four questions:

* :meth:`Protocol.recognizes`: is this HTTP request in my form at all (a form body with an
  ``Action``, an ``X-Amz-Target`` header, a ``/service/S/operation/O`` path, a URI template that
  matches)? The server asks it to pick a service, and the protocol of a service that speaks
  several (cloudwatch: CBOR, json and query), without parsing anything.
* :meth:`Protocol.parse_request`: the request -> a validated :class:`Request` (the operation and
  botocore-style params), or :class:`~codegen.protocols.errors.ProtocolError`.
* :meth:`Protocol.serialize_response`: a botocore-style result -> the HTTP response.
* :meth:`Protocol.serialize_error`: a :class:`~codegen.protocols.errors.ServiceError` -> the
  HTTP response in the protocol's error envelope, with the status and code AWS services of that
  protocol use.

Parsing is split so that subclasses override small steps: :meth:`Protocol.operation_for`
(routing), :meth:`Protocol.read_params` (wire -> Python values, by shape type), then the
validator (shared), then :meth:`Protocol.validation_error` (issues -> the protocol's error).
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, cast
from typing import Protocol as TypingProtocol

from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse
from .tables import ServiceTables, Shape

__all__ = ["GiveUp", "Issue", "Protocol", "Request", "Validate"]

# the codes of the validation errors AWS's services model (an operation's own one is answered)
_VALIDATION_CODES = frozenset({"ValidationException", "ValidationError"})


_Key = TypeVar("_Key")
_Made = TypeVar("_Made", bound=Callable[..., Any])


def made_once(cache: dict[_Key, _Made], key: _Key, make: Callable[[], _Made]) -> _Made:
    """``cache[key]``, made by ``make`` the first time it is asked for and kept (the per-shape
    readers and writers). A recursive shape meets itself while its function is being made:
    until then ``cache[key]`` forwards to the function being made."""
    found = cache.get(key)
    if found is not None:
        return found
    cell: list[_Made] = []
    cache[key] = cast(_Made, lambda *args: cell[0](*args))
    made = make()
    cell.append(made)
    cache[key] = made
    return made


class GiveUp(Exception):
    """A protocol's fast reader (made once per shape) met what it does not accept: the request
    is read again by the protocol's careful walk, which accepts it or names the fault."""


class Issue(TypingProtocol):
    """What the generated validators report (their ``ValidationIssue``), as protocols read it."""

    @property
    def path(self) -> str: ...  # botocore-style: "Filter[0].Values[2]"

    @property
    def code(self) -> str: ...  # "missing_required", "invalid_length", ...

    @property
    def message(self) -> str: ...

    @property
    def rule(self) -> str | None: ...


# validators.validate(operation, params, strict=True) as the protocol calls it
Validate = Callable[[str, Mapping[str, Any]], Sequence[Issue]]


@dataclass(frozen=True)
class Request:
    """A parsed, validated request."""

    operation: str
    params: dict[str, Any]
    protocol: str  # the protocol that read it: the response is written in the same one


class Protocol(ABC):
    """One wire protocol, for one service."""

    name: ClassVar[str]  # botocore's name: "query", "ec2", "json", ...
    content_type: ClassVar[str]  # of responses (and error responses) with a body
    # whether Content-Encoding names the payload's own encoding (the REST protocols: S3 keeps a
    # gzip object as it was sent), which the server must not undo, rather than a compression of
    # the request (botocore's requestcompression) the server decompresses first
    content_encoding_is_payload: ClassVar[bool] = False
    malformed_code: ClassVar[str] = "SerializationException"  # a body that cannot be read
    methods: ClassVar[tuple[str, ...]] = ("POST",)  # the HTTP methods check_method lets in
    method_not_allowed_code: ClassVar[str] = "MethodNotAllowedException"
    # the largest request body the protocol takes (the server answers a larger one
    # RequestEntityTooLarge, 413): 1 MiB, but S3's, which carries objects
    max_body: ClassVar[int] = 1 << 20

    def __init__(self, tables: ServiceTables, validate: Validate) -> None:
        self.tables = tables
        self.validate = validate
        self._error_shapes: dict[str, str] | None = None

    # -- routing ---------------------------------------------------------------------------

    @abstractmethod
    def recognizes(self, request: HttpRequest) -> bool:
        """Whether ``request`` is in this protocol's form (cheap: headers and path only)."""

    @abstractmethod
    def operation_for(self, request: HttpRequest) -> str | None:
        """The operation of this service that ``request`` names, or None (not an error: the
        server may try another service). May read the body (query's ``Action``)."""

    # -- requests --------------------------------------------------------------------------

    def parse_request(self, request: HttpRequest) -> Request:
        """The request -> its operation and validated params. Raises :class:`ProtocolError`
        for anything the client got wrong, and nothing else for any bytes."""
        operation = self.operation_for(request)
        if operation is None:
            raise self.unknown_operation(request)
        return self.checked(operation, lambda: self.read_params(operation, request))

    def checked(self, operation: str, read: Callable[[], dict[str, Any]]) -> Request:
        """The params ``read()`` gives, validated: a :class:`Request`, or the protocol's
        :class:`ProtocolError` (naming ``operation``) for what they break."""
        try:
            params = read()
            issues = self.validate(operation, params)
            if issues:
                raise self.validation_error(operation, issues, params)
        except ProtocolError as error:
            error.operation = operation
            raise
        except RecursionError:  # a protocol bounds nesting; this is the last guard
            raise ProtocolError(
                self.malformed_code, "The request is nested too deeply.", operation=operation
            ) from None
        return Request(operation, params, self.name)

    def check_method(self, request: HttpRequest) -> None:
        """405 (``method_not_allowed_code``, with an ``Allow`` header of :attr:`methods`) for
        an HTTP method this protocol does not take; the RPC protocols call it first."""
        if request.method not in self.methods:
            shown = request.method[:20]
            raise ProtocolError(
                self.method_not_allowed_code,
                f"The HTTP method {shown} is not allowed: the {self.name} protocol takes"
                f" {' and '.join(self.methods)}.",
                405,
                headers={"Allow": ", ".join(self.methods)},
            )

    @abstractmethod
    def read_params(self, operation: str, request: HttpRequest) -> dict[str, Any]:
        """The request's params as botocore-style Python values (not yet validated)."""

    @abstractmethod
    def unknown_operation(self, request: HttpRequest) -> ProtocolError:
        """The error for a request in this protocol's form that names no operation of ours."""

    def validation_error(
        self, operation: str, issues: Sequence[Issue], params: Mapping[str, Any]
    ) -> ProtocolError:
        """The validator's issues as one error: what AWS's JSON services say
        (``ValidationException``, "1 validation error detected: Value ... at '...' failed to
        satisfy constraint: ..."), or the operation's own modeled validation error; protocols
        override."""
        from .validation import aws_message

        input_shape = self.tables.operations[operation].input
        message = aws_message(self.tables, input_shape, params, issues)
        return self.modeled_validation_error(operation, message, "ValidationException")

    def modeled_validation_error(self, operation: str, message: str, code: str) -> ProtocolError:
        """``code`` with ``message``: the operation's own modeled validation error when it
        models one (a shape named, or coded, ``ValidationException`` or ``ValidationError``:
        its code, its status, and the other members of its shape from the tables' examples),
        else a plain 400 of ``code``."""
        for name in self.tables.operations[operation].errors:
            if {name, self.error_code(name)} & _VALIDATION_CODES:
                shape = self.tables.shapes[name]
                return ProtocolError(
                    self.error_code(name),
                    message,
                    shape.error_status or 400,
                    operation=operation,
                    fields=self.tables.error_examples.get(name),
                )
        return ProtocolError(code, message, operation=operation)

    # -- responses -------------------------------------------------------------------------

    @abstractmethod
    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        """A result (botocore-style output params) -> the HTTP response."""

    @abstractmethod
    def serialize_error(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        """An error -> the HTTP response in the protocol's error envelope."""

    def error_response(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        """:meth:`serialize_error`, with the headers a :class:`ProtocolError` asks for
        (``Allow`` on a 405): what the server answers an error with."""
        response = self.serialize_error(error, operation, request_id)
        extra = getattr(error, "headers", None)
        if extra:
            response.headers.extend(extra.items())
        return response

    def example_response(self, operation: str) -> dict[str, Any]:
        """A deterministic example result of ``operation``, valid for its output shape (a fresh
        copy on each call)."""
        if operation not in self.tables.operations:
            raise KeyError(f"unknown operation {operation!r}")
        return copy.deepcopy(dict(self.tables.examples.get(operation, {})))

    # -- modeled errors --------------------------------------------------------------------

    def modeled_errors(self, operation: str) -> tuple[str, ...]:
        """The codes of the errors ``operation`` models."""
        return tuple(self.error_code(name) for name in self.tables.operations[operation].errors)

    def error_code(self, shape_name: str) -> str:
        """The code botocore gives a client for an error shape (its ``error.code``, else its
        name): what a behaviour raises and what ``x-apigen-error`` names."""
        return self.tables.shapes[shape_name].error_code or shape_name

    def error_shape(self, code: str) -> str | None:
        """The error shape answered for ``code`` (a shape's name or its ``error.code``)."""
        if self._error_shapes is None:
            found: dict[str, str] = {}
            for name, shape in sorted(self.tables.shapes.items()):
                if shape.exception:
                    found.setdefault(shape.error_code or name, name)
            for name, shape in self.tables.shapes.items():
                if shape.exception:
                    found[name] = name
            self._error_shapes = found
        return self._error_shapes.get(code)

    def modeled_error(self, operation: str, code: str, message: str | None = None) -> ServiceError:
        """The modeled error ``code`` of ``operation`` (for ``x-apigen-error``), with its
        modeled status; :class:`ProtocolError` naming the modeled ones when it has none such."""
        for name in self.tables.operations[operation].errors:
            if code in (name, self.error_code(name)):
                shape: Shape = self.tables.shapes[name]
                status = shape.error_status or (400 if shape.sender_fault else 500)
                return ServiceError(
                    self.error_code(name),
                    message or f"{code} (requested with x-apigen-error)",
                    status,
                    sender_fault=shape.sender_fault,
                    fields=self.tables.error_examples.get(name),
                )
        modeled = ", ".join(self.modeled_errors(operation)) or "none"
        raise ProtocolError(
            "InvalidRequestedError",
            f"{operation} does not model the error {code!r}; it models: {modeled}.",
            operation=operation,
        )
