"""Errors answered to the client, in whatever protocol the request used.

:class:`ServiceError` is an AWS error to answer: a code (``ResourceNotFoundException``,
``InvalidFlowLogId.NotFound``), a message, an HTTP status, whether the sender is at fault, and
the members of the operation's modeled error shape (botocore-style values) when it has more than
a code and a message. Hand-written behaviour raises it; each protocol writes it in its own
envelope (:meth:`codegen.protocols.base.Protocol.serialize_error`).

:class:`ProtocolError` is the client's fault found while reading the request (malformed bytes,
an unknown operation, parameters that do not validate): a :class:`ServiceError` that also
remembers the operation, once the request named one, for the log, and the HTTP headers the
answer needs beside the envelope (``Allow`` on a 405).

Any other exception raised by protocol code is a bug of ours (a 500).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ProtocolError", "ServiceError"]


class ServiceError(Exception):
    """An error answered in the protocol's envelope."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        *,
        sender_fault: bool | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.sender_fault = status < 500 if sender_fault is None else sender_fault
        self.fields: dict[str, Any] = dict(fields or {})

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (type(self), self.code, self.message, self.status, self.sender_fault, self.fields),
            self.__dict__,
        )


class ProtocolError(ServiceError):
    """The client sent something wrong (a 4xx unless ``status`` says otherwise)."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        *,
        operation: str | None = None,
        sender_fault: bool | None = None,
        fields: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code, message, status, sender_fault=sender_fault, fields=fields)
        self.operation = operation  # the operation asked for, once the request names one
        self.headers: dict[str, str] = dict(headers or {})  # sent with the error envelope


def _rebuild(
    cls: type[ServiceError],
    code: str,
    message: str,
    status: int,
    sender_fault: bool,
    fields: dict[str, Any],
) -> ServiceError:
    error = cls.__new__(cls)
    ServiceError.__init__(error, code, message, status, sender_fault=sender_fault, fields=fields)
    return error
