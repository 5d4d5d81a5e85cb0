"""The error a behaviour raises to answer the client with an EC2 error."""

from __future__ import annotations


class ApiError(Exception):
    """An error answered to the client in the service's error envelope (code, message, status)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def dry_run() -> ApiError:
    return ApiError(
        "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412
    )
