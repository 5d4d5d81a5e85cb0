"""Pre-rendered list items: the protocol layer's own output for one item, kept and spliced.

Serializing a 1000-item page item by item costs tens of milliseconds; a flow log does not
change once created. So its XML is rendered once, when it is created, by the generated
``serialize_response`` itself, and a page is the response rendered with an empty list with the
stored fragments put where the list's items go. Nothing here knows the wire format: the item's
fragment is what one item adds to the rendering of an empty list, found by comparing the two
renderings, and the splice is checked at start-up (and by the tests) to give byte for byte what
``serialize_response`` gives for the whole result. Where the check fails the behaviour renders
normally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

_RID = "00000000-0000-4000-8000-000000000000"


class RawResponse:
    """A response body a behaviour rendered with the protocol layer (see :class:`ListRenderer`)."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body


class ListRenderer:
    """Renders the items of list member ``member`` of ``operation``'s output once, splices pages."""

    def __init__(
        self,
        protocol: ModuleType,
        operation: str,
        member: str,
        sample: Mapping[str, Any],
        rests: Sequence[Mapping[str, Any]] = ({},),
    ) -> None:
        """``sample``: a valid item; ``rests``: other members of the result to check with."""
        self.protocol = protocol
        self.operation = operation
        self.member = member
        self.sample = sample
        self._empty, self._at = self._insertion({}, _RID)
        self.works = self._check(rests)

    def _insertion(self, rest: Mapping[str, Any], request_id: str) -> tuple[bytes, int]:
        """The rendering of ``rest`` with an empty list and where the list's items go in it."""
        empty = self.protocol.serialize_response(
            self.operation, {**rest, self.member: []}, request_id
        )
        one = self.protocol.serialize_response(
            self.operation, {**rest, self.member: [self.sample]}, request_id
        )
        size = min(len(empty), len(one))
        same = 0
        while same < size and empty[same] == one[same]:
            same += 1
        # the item's first byte ('<') may equal the next byte of the empty rendering: back up
        # to just after the last complete tag
        return empty, empty.rfind(b">", 0, same) + 1

    def fragment(self, item: Mapping[str, Any]) -> bytes:
        """The bytes one item adds to the response (rendered by the protocol layer)."""
        one = self.protocol.serialize_response(self.operation, {self.member: [item]}, _RID)
        return bytes(one[self._at : len(one) - (len(self._empty) - self._at)])

    def page(self, rest: Mapping[str, Any], fragments: Sequence[bytes], request_id: str) -> bytes:
        """The response for ``rest`` plus the list of items whose fragments are given."""
        empty, at = self._insertion(rest, request_id)
        return b"".join((empty[:at], *fragments, empty[at:]))

    def _check(self, rests: Sequence[Mapping[str, Any]]) -> bool:
        items = [self.sample, dict(self.sample), self.sample]
        for rest in rests:
            whole = self.protocol.serialize_response(
                self.operation, {**rest, self.member: items}, _RID
            )
            try:
                spliced = self.page(rest, [self.fragment(i) for i in items], _RID)
            except Exception:  # noqa: BLE001 - any surprise: render normally
                return False
            if spliced != whole:
                return False
        return True
