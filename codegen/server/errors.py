"""The error a behaviour raises to answer the client with an AWS error.

:class:`ApiError` is a :class:`codegen.protocols.errors.ServiceError`: a code, a message, an HTTP
status, whether the sender is at fault, and the members of the operation's modeled error shape
(botocore-style values) when it has more than a code and a message. The protocol the request
came in writes it in its own envelope (EC2's ``<Response><Errors>``, query's
``<ErrorResponse>``, JSON's ``__type``, ...).
"""

from __future__ import annotations

from codegen.protocols.errors import ServiceError

__all__ = ["ApiError"]


class ApiError(ServiceError):
    """An error answered to the client in the protocol's error envelope:
    ``ApiError(code, message, status=400, *, sender_fault=None, fields=None)``."""
