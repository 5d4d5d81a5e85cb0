"""What a behaviour is called with besides its validated params."""

from __future__ import annotations

from dataclasses import dataclass

from codegen.server.state import State


@dataclass(frozen=True)
class Caller:
    """Who sent a request: the account (from the access key) and the region (from SigV4)."""

    account: str
    region: str
    access_key: str | None = None
    service: str | None = None  # the SigV4 credential scope's service (routes the request)


@dataclass(frozen=True)
class Context:
    caller: Caller
    request_id: str
    state: State

    @property
    def account(self) -> str:
        return self.caller.account

    @property
    def region(self) -> str:
        return self.caller.region
