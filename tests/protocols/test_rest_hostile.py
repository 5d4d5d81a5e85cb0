"""Hostile requests to the REST protocols: whatever the bytes, a request is parsed or refused
with a 4xx in the protocol's form (a :class:`ProtocolError`), never another exception, and the
refusal serializes into a response botocore reads.

Requests are real ones botocore sends (for every operation of s3, lambda and route53, with
their minimal params) mutated where they enter: the path (a byte changed, a segment doubled,
percent-escapes broken), the query string, a header the operation binds (set to random text),
the body (bytes flipped, cut, replaced by random bytes or random XML/JSON), the method and the
Host. Derandomized; ``APIGEN_FUZZ_EXAMPLES`` draws more.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.protocols import HttpRequest, ProtocolError
from tests.support.rest import botocore_parse, botocore_request, served_service
from tests.support.rest_values import minimal

SERVICES = ("s3", "lambda", "route53")
SETTINGS = settings(
    max_examples=int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "60")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
_TEXT = st.text(st.characters(codec="latin-1"), max_size=40)
_BYTES = st.binary(max_size=200)


Base = tuple[str, HttpRequest, tuple[tuple[str, str], ...]]


def _base_requests(service: str) -> list[Base]:
    """One botocore request per operation, with the simplest params botocore accepts, and the
    headers and query keys the operation binds (where typed values are read)."""
    served = served_service(service)
    out = []
    for name in sorted(served.model.operation_names):
        shape = served.model.operation_model(name).input_shape
        if shape is not None and any(
            m.serialization.get("eventstream") for m in shape.members.values()
        ):
            continue
        params = minimal(shape) if shape is not None else {}
        bound = [
            (member.serialization["location"], member.serialization.get("name", member_name))
            for member_name, member in (shape.members.items() if shape is not None else ())
            if member.serialization.get("location") in ("header", "querystring")
            and member.type_name != "map"
        ]
        typed = [
            where
            for where, member in zip(
                bound,
                (
                    m
                    for m in (shape.members.values() if shape is not None else ())
                    if m.serialization.get("location") in ("header", "querystring")
                    and m.type_name != "map"
                ),
            )
            if member.type_name != "string"
        ]
        located = tuple(typed or bound)  # typed members first: their text must read
        out.append((name, botocore_request(served.model, name, params), located))
    return out


_BASES: dict[str, list[Base]] = {}


def bases(service: str) -> list[Base]:
    if service not in _BASES:
        _BASES[service] = _base_requests(service)
    return _BASES[service]


def _mutations(base: Base) -> st.SearchStrategy[HttpRequest]:
    _, request, located = base
    headers = sorted(request.headers)

    def bind(where: tuple[str, str], value: str) -> HttpRequest:
        location, name = where
        if location == "header":
            return replace(request, headers={**request.headers, name.lower(): value})
        escaped = "".join(c if c.isalnum() else f"%{ord(c):02X}" for c in value if ord(c) < 256)
        query = f"{request.query}&{name}={escaped}" if request.query else f"{name}={escaped}"
        return replace(request, query=query)

    def set_header(name: str, value: str) -> HttpRequest:
        return replace(request, headers={**request.headers, name: value})

    def flip(data: bytes, index: int, bit: int) -> bytes:
        if not data:
            return data
        index %= len(data)
        return data[:index] + bytes([data[index] ^ (1 << bit)]) + data[index + 1 :]

    options: list[st.SearchStrategy[HttpRequest]] = [
        st.builds(lambda b: replace(request, body=b), _BYTES),
        st.builds(
            lambda i, b: replace(request, body=flip(request.body, i, b)),
            st.integers(0, 10_000),
            st.integers(0, 7),
        ),
        st.builds(lambda n: replace(request, body=request.body[:n]), st.integers(0, 500)),
        st.builds(
            lambda t: replace(request, body=t.encode()),
            st.sampled_from(
                [
                    "<a>" * 50,
                    "{" * 50,
                    '{"a": ' * 30,
                    "<x><y>&unknown;</y></x>",
                    '<?xml version="1.0" encoding="UTF-16"?><x/>',
                    "[1, 2, 3]",
                    "null",
                    '{"__proto__": {}}',
                ]
            ),
        ),
        st.builds(lambda p: replace(request, path=p), _TEXT.map(lambda t: "/" + t)),
        st.builds(
            lambda i, c: replace(request, path=request.path[: i % (len(request.path) + 1)] + c),
            st.integers(0, 200),
            st.sampled_from(["%", "%G", "%FF", "//", "/..", "%2F%2F", "?", "\x00"]),
        ),
        st.builds(lambda q: replace(request, query=q), _TEXT),
        st.builds(
            lambda m: replace(request, method=m),
            st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS", "X"]),
        ),
        st.builds(lambda h: set_header("host", h), _TEXT),
        st.builds(
            lambda e: set_header("content-encoding", e),
            st.sampled_from(["aws-chunked", "gzip,aws-chunked", "identity"]),
        ),
    ]
    if headers:
        options.append(st.builds(set_header, st.sampled_from(headers), _TEXT))
    if located:  # a member the operation binds, with text that may not read as its type
        values = st.one_of(_TEXT, st.sampled_from(["-1", "1e999", "NaN", "true", "", "%zz"]))
        options += [st.builds(bind, st.sampled_from(located), values)] * 3
    return st.one_of(*options)


@pytest.mark.parametrize("service", SERVICES)
def test_any_request_is_parsed_or_refused_in_the_protocols_form(service: str) -> None:
    served = served_service(service)
    requests = st.sampled_from(bases(service)).flatmap(
        lambda base: st.tuples(st.just(base[0]), _mutations(base))
    )

    @SETTINGS
    @given(requests)
    def check(case: tuple[str, HttpRequest]) -> None:
        operation, request = case
        try:
            served.protocol.parse_request(request)
        except ProtocolError as error:
            assert 400 <= error.status < 500, (error.code, error.message)
            response = served.protocol.serialize_error(error, error.operation, "r")
            parsed: Any = botocore_parse(served.model, error.operation or operation, response)
            if request.method != "HEAD" and response.body:
                assert parsed["Error"]["Code"] == error.code

    check()
