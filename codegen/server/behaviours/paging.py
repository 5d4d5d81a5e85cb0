"""Continuation tokens of the hand-written behaviours.

A token is the key a page ended at (a name, an ARN, a sequence number as text), in URL-safe
base64: opaque to clients, as AWS's are, and read back without any state. A token that does not
decode is not one of ours; each service answers it with its own error (IAM's ``InvalidInput``,
SNS's ``InvalidParameter``, Secrets Manager's ``InvalidNextTokenException``).
"""

from __future__ import annotations

import base64

__all__ = ["decode_token", "encode_token"]


def encode_token(key: str) -> str:
    """The token of a page that ended at ``key``."""
    return base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii")


def decode_token(token: str) -> str | None:
    """The key ``token`` was made of, or None when it is not a token :func:`encode_token` made."""
    try:
        return base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):
        return None
