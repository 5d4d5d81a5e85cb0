"""Hostile requests to the derived engine (the made-up Things service, raw HTTP): random
identifiers, filter names and values, page tokens and sizes, tags, on a server holding
records. Never a 5xx, always EC2's error envelope for a 4xx, and the server keeps its
records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server import StubServer, running_server
from tests.support.server import THINGS, post, things, xml_error

TEXT = st.text(max_size=80) | st.sampled_from(
    ["", "t-0123456789abcdef0", "x" * 5000, "tag:", "tag:\u00e9", "%", "\ufffd", "a.b.c"]
)
ACTIONS = [
    "DescribeThings",
    "DeleteThing",
    "StopThings",
    "CreateTags",
    "DeleteTags",
    "DescribeTags",
    "ModifyThingAttribute",
    "DescribeThingAttribute",
    "CreateThing",
]


CREATED: list[str] = []


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with running_server([THINGS]) as running:
        client = things(running.url)
        CREATED[:] = [client.create_thing(Name=f"t{i}")["Thing"]["ThingId"] for i in range(12)]
        yield running


@st.composite
def requests(draw: st.DrawFn) -> list[tuple[str, str]]:
    pairs = [("Action", draw(st.sampled_from(ACTIONS))), ("Version", "2016-11-15")]
    for i in range(draw(st.integers(0, 3))):
        pairs.append((f"Filter.{i + 1}.Name", draw(TEXT | st.sampled_from(["name", "tag:k"]))))
        for j in range(draw(st.integers(0, 3))):
            pairs.append((f"Filter.{i + 1}.Value.{j + 1}", draw(TEXT)))
    for i in range(draw(st.integers(0, 3))):
        pairs.append((f"ThingId.{i + 1}", draw(TEXT)))
        pairs.append((f"ResourceId.{i + 1}", draw(TEXT)))
    if draw(st.booleans()):
        pairs.append(("ThingId", draw(TEXT)))
    if draw(st.booleans()):
        pairs.append(("NextToken", draw(TEXT)))
    if draw(st.booleans()):
        pairs.append(("MaxResults", str(draw(st.integers(-5, 2000)))))
    if draw(st.booleans()):
        pairs.append(("Name", draw(TEXT)))
        pairs.append(("ClientToken", draw(TEXT)))
    for i in range(draw(st.integers(0, 2))):
        pairs.append((f"Tag.{i + 1}.Key", draw(TEXT)))
        pairs.append((f"Tag.{i + 1}.Value", draw(TEXT)))
    return pairs


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pairs=requests())
def test_random_requests_never_5xx(server: StubServer, pairs: list[tuple[str, str]]) -> None:
    status, content, _ = post(server.url, urlencode(pairs), timeout=10)
    assert status < 500, content[:300]
    if status >= 400:
        assert xml_error(content)[0]


def test_the_records_are_still_there(server: StubServer) -> None:
    """Random identifiers never name a stored thing (17 random hex digits): all are left."""
    listed: Any = things(server.url).describe_things(ThingIds=CREATED)["Things"]
    assert [t["ThingId"] for t in listed] == CREATED
