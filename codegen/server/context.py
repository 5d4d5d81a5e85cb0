"""What a behaviour is called with besides its validated params.

A behaviour that waits for something to happen (SQS's long polling: a ``ReceiveMessage`` with
``WaitTimeSeconds`` and no message yet) does not block: it raises :class:`Waiting` with a
topic (what it waits on: a queue) and a deadline, and the app calls it again, without holding
other requests, when :attr:`Context.changed` is called on that topic (a message sent to the
queue), every :data:`codegen.server.app.RECHECK` seconds besides (a delayed message becoming
visible), and at the deadline, each time with :attr:`Context.deadline` set; called at or after
its deadline, a behaviour answers what it has (waiting on is answered as an internal error).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from codegen.server.state import State


@dataclass(frozen=True)
class Caller:
    """Who sent a request: the account (from the access key) and the region (from SigV4)."""

    account: str
    region: str
    access_key: str | None = None
    service: str | None = None  # the SigV4 credential scope's service (routes the request)


def _nobody(topic: Hashable) -> None:
    """No request waits on anything (a context outside the app)."""


class Waiting(Exception):  # a signal to the app, not an error
    """Raised by a behaviour with nothing to answer yet: call it again on a change of
    ``topic``, or by ``deadline`` (``time.monotonic()``) at the latest."""

    def __init__(self, topic: Hashable, deadline: float) -> None:
        super().__init__(topic, deadline)
        self.topic = topic
        self.deadline = deadline


@dataclass(frozen=True)
class Context:
    caller: Caller
    request_id: str
    state: State
    # the deadline of the wait this request is in (None: its first call, no wait yet)
    deadline: float | None = None
    # wakes the requests waiting on a topic (called by a behaviour that changed it)
    changed: Callable[[Hashable], None] = field(default=_nobody, compare=False, repr=False)

    @property
    def account(self) -> str:
        return self.caller.account

    @property
    def region(self) -> str:
        return self.caller.region
