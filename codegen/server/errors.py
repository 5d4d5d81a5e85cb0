"""The error a behaviour raises to answer the client with an AWS error.

:class:`ApiError` is a :class:`codegen.protocols.errors.ServiceError`: a code, a message, an HTTP
status, whether the sender is at fault, and the members of the operation's modeled error shape
(botocore-style values) when it has more than a code and a message. The protocol the request
came in writes it in its own envelope (EC2's ``<Response><Errors>``, query's
``<ErrorResponse>``, JSON's ``__type``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.protocols.errors import ServiceError

__all__ = ["ApiError"]


class ApiError(ServiceError):
    """An error answered to the client in the protocol's error envelope."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        *,
        sender_fault: bool | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(code, message, status, sender_fault=sender_fault, fields=fields)
