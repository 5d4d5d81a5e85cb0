"""Round trips through whole botocore services: served packages, botocore's own serializers and
parsers, and hypothesis strategies of valid values drawn from botocore's own model.

* :func:`served` generates (once per session) the served package of a service of the
  installed botocore (its validators and protocol package) and imports it.
* :class:`Values` draws values valid for a botocore shape (lengths, ranges, patterns, enums,
  unions with exactly one member, documents), built from botocore's ``ServiceModel``, not from
  our tables, so that nothing of the code under test decides what is drawn.
* :func:`botocore_request` is the request botocore's serializer sends for params (as the
  protocol reads it: an ``HttpRequest`` of the package); :func:`botocore_parse`, what
  botocore's parser makes of a response.
* :func:`on_the_wire` is what each protocol can carry of a value: what the other side gives
  back (the query protocols send nothing for an empty map or structure, ec2 nothing for an
  empty list; timestamps come back as aware datetimes, blobs as bytes).
"""

from __future__ import annotations

import math
import os
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import Any, Literal

import botocore.session
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence
from hypothesis import strategies as st

from codegen.bridge.importer import import_model
from codegen.generators.base import GenerationContext
from codegen.generators.protocol import ProtocolGenerator
from codegen.generators.validators import ValidatorsGenerator
from codegen.regexes import compiled, enforceable, examples, portable_regex
from tests.support.helpers import parse_response, spec
from tests.support.imports import scratch, write_files
from tests.support.protocol import load_module

# a botocore shape: its type name decides which attributes it has (members, member, key, value,
# enum, ...), which botocore's stubs type on the subclasses only
Shape = Any

EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "8"))
SLOW = os.environ.get("APIGEN_SLOW_TESTS") == "1"
XML_PROTOCOLS = ("query", "ec2")
# characters XML 1.0 cannot carry (refused in requests, replaced in responses)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ALPHABET = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
)
TEXT_EXTRAS = st.sampled_from(["&", "<", ">", '"', "'", "]]>", "\t", "\n", " ", "é", "😀"])

_SESSION = botocore.session.get_session()
_LOADER = _SESSION.get_component("data_loader")


@cache
def values(service: str, protocol: str, *, request: bool) -> Values:
    """One :class:`Values` per service, protocol and direction (its strategies, kept by shape
    name, are built once)."""
    return Values(protocol, request=request)


@cache
def botocore_service(name: str) -> ServiceModel:
    return _SESSION.get_service_model(name)


@cache
def served(name: str) -> ModuleType:
    """The served package's ``protocol`` module of service ``name`` (installed botocore)."""
    raw = _LOADER.load_service_model(name, "service-2")
    model = import_model(raw, name=name, source=f"botocore {botocore.__version__}")
    context = GenerationContext(model, spec())
    folder = scratch(name)
    write_files(
        folder,
        {**ValidatorsGenerator().generate(context), **ProtocolGenerator().generate(context)},
    )
    return load_module(folder)


def validators(package: ModuleType) -> ModuleType:
    import importlib

    return importlib.import_module(package.__name__.rsplit(".", 1)[0] + ".validators")


# -- values --------------------------------------------------------------------------------------


class Values:
    """Strategies of values valid for botocore shapes. ``protocol`` narrows them to what the
    protocol carries exactly: no characters XML cannot carry (XML protocols), whole
    milliseconds in timestamps where they travel as floats (JSON, CBOR), 32-bit floats where
    botocore's CBOR serializer writes a ``float`` shape in 4 bytes."""

    def __init__(self, protocol: str, *, request: bool) -> None:
        self.protocol = protocol
        self.request = request
        self._built: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def structure(self, shape: Shape, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
        key = (shape.name, min(depth, 5))
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = self._structure(shape, depth)
        return found

    def _structure(self, shape: Shape, depth: int) -> st.SearchStrategy[dict[str, Any]]:
        members = {  # an event stream is not a value (its events are written apart)
            name: ref
            for name, ref in shape.members.items()
            if not ref.serialization.get("eventstream")
        }
        if shape.is_document_type:
            return st.just({})
        if shape.is_tagged_union:
            options = [
                self.value(ref, depth + 1).map(_one_member(name))
                for name, ref in members.items()
                if depth < 4 or ref.type_name not in ("structure", "list", "map")
            ]
            return st.one_of(*options) if options else st.just({})
        if depth > 3:
            return st.fixed_dictionaries(
                {name: self.value(members[name], depth + 1) for name in shape.required_members}
            )
        required = {name: self.value(members[name], depth + 1) for name in shape.required_members}
        optional = {
            name: self.value(ref, depth + 1)
            for name, ref in members.items()
            if name not in required
        }
        return st.fixed_dictionaries(required, optional=optional)

    def value(self, shape: Shape, depth: int) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        meta = shape.metadata
        low = int(meta.get("min", 0) or 0)
        high = meta.get("max")
        if kind == "structure":
            if shape.is_document_type:
                return DOCUMENTS
            return self.structure(shape, depth)
        if kind == "list":
            top = min(int(high), low + 3) if high is not None else low + 3
            return st.lists(self.value(shape.member, depth + 1), min_size=low, max_size=top)
        if kind == "map":
            top = min(int(high), low + 3) if high is not None else low + 3
            return st.dictionaries(
                self.value(shape.key, depth + 1),
                self.value(shape.value, depth + 1),
                min_size=low,
                max_size=top,
            )
        if kind == "string":
            return self.string(shape)
        if kind in ("integer", "long"):
            bits = 31 if kind == "integer" else 63
            lo = max(math.ceil(float(meta.get("min", -(2**bits)))), -(2**bits))
            hi = min(int(float(meta.get("max", 2**bits - 1))), 2**bits - 1)
            return st.integers(lo, hi)
        if kind in ("float", "double"):
            width: Literal[32, 64] = (
                32 if kind == "float" and self.protocol == "smithy-rpc-v2-cbor" else 64
            )
            lo = meta.get("min")
            hi = meta.get("max")
            return st.floats(
                min_value=None if lo is None else float(lo),
                max_value=None if hi is None else float(hi),
                allow_nan=False,
                allow_infinity=False,
                width=width,
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            moments = st.datetimes(
                min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1)
            ).map(lambda d: d.replace(tzinfo=timezone.utc))
            if self.protocol in XML_PROTOCOLS:
                fmt = shape.serialization.get("timestampFormat")
                if fmt in (None, "iso8601"):
                    return moments
            # epoch seconds travel as floats: whole milliseconds come back exactly
            return moments.map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
        if kind == "blob":
            top = min(int(high), low + 16) if high is not None else low + 16
            return st.binary(min_size=low, max_size=top)
        raise AssertionError(kind)

    def string(self, shape: Shape) -> st.SearchStrategy[str]:
        meta = shape.metadata
        if shape.enum:
            return st.sampled_from(shape.enum)
        low = int(meta.get("min", 0) or 0)
        high = meta.get("max")
        top = min(int(high), low + 12) if high is not None else low + 12
        most = high if high is not None else 10**9
        pieces = st.one_of(ALPHABET, ALPHABET, ALPHABET, TEXT_EXTRAS)
        if self.protocol in XML_PROTOCOLS:
            pieces = pieces.filter(lambda c: XML_ILLEGAL.search(c) is None)
        plain = st.lists(pieces, min_size=low, max_size=top).map("".join)
        pattern = meta.get("pattern")
        if not (pattern and enforceable(pattern)):
            return plain
        regex = compiled(pattern)
        repeated = _REPEATED_CLASS.fullmatch(pattern)
        if repeated is not None:  # [...]* or [...]+, the most common: any length it takes
            char = _from_regex(repeated.group(1))
            if self.protocol in XML_PROTOCOLS:
                char = char.filter(lambda c: XML_ILLEGAL.search(c) is None)
            least = max(low, 1 if repeated.group(2) == "+" else 0)
            return st.lists(char, min_size=least, max_size=max(least, top)).map("".join)
        # the pattern's own examples that fit the length (quick, and always there for a
        # pattern that something fits), and hypothesis's own full matches of it
        fitting = [e for e in examples(pattern, limit=max(64, low)) if low <= len(e) <= most]
        matching = _from_regex(pattern).filter(
            lambda s: (
                low <= len(s) <= most
                and regex.search(s) is not None
                and (self.protocol not in XML_PROTOCOLS or XML_ILLEGAL.search(s) is None)
            )
        )
        if not fitting:
            return matching
        return st.one_of(st.sampled_from(fitting), st.sampled_from(fitting), matching)


# a pattern that is one character class repeated: ^[a-z0-9-]+$, [\\w+=,.@-]*, \\S+, ...
_REPEATED_CLASS = re.compile(r"\^?(\[(?:\\.|[^\]\\])*\]|\\[wdsSWD.]|\.)([*+])\$?")


def _one_member(name: str) -> Any:
    """A union's value of one member ``name``."""

    def member(value: Any) -> dict[str, Any]:
        return {name: value}

    return member


def _from_regex(pattern: str) -> st.SearchStrategy[str]:
    """Full matches of ``pattern`` as ECMA-262 reads it (its portable form: ``\\d`` is ASCII,
    ``\\p{L}`` a class, ``$`` the very end)."""
    return st.from_regex(re.compile(portable_regex(pattern)), fullmatch=True)


DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


# -- what a protocol carries ------------------------------------------------------------------

DROPPED = object()  # a value the protocol sends nothing for


def on_the_wire(shape: Shape, value: Any, protocol: str, *, request: bool) -> Any:
    """What comes back of ``value`` after one trip in ``protocol`` (:data:`DROPPED` when nothing
    is sent for it). Raises ``Unrepresentable`` for a value whose trip loses more than that
    (an empty structure inside a list)."""
    kind = shape.type_name
    xml = protocol in XML_PROTOCOLS
    if kind == "structure":
        if shape.is_document_type:
            return value
        out = {}
        for key, item in value.items():
            back = on_the_wire(shape.members[key], item, protocol, request=request)
            if back is not DROPPED:
                out[key] = back
        if xml and request and not out:
            return DROPPED
        return out
    if kind == "list":
        items = []
        for item in value:
            back = on_the_wire(shape.member, item, protocol, request=request)
            if back is DROPPED:
                raise Unrepresentable("an item the protocol sends nothing for")
            items.append(back)
        if not items and xml:
            flattened = shape.serialization.get("flattened")
            if request and protocol == "ec2":
                return DROPPED  # ec2 sends nothing for an empty list
            if not request and flattened:
                return DROPPED  # no element for no items
        return items
    if kind == "map":
        entries = {}
        for key, item in value.items():
            back = on_the_wire(shape.value, item, protocol, request=request)
            if back is DROPPED:
                raise Unrepresentable("a map value the protocol sends nothing for")
            entries[key] = back
        if not entries and xml and (request or shape.serialization.get("flattened")):
            return DROPPED
        return entries
    if kind == "timestamp":
        return value.astimezone(timezone.utc)
    if kind in ("float", "double"):
        return float(value)
    if kind == "blob":
        return bytes(value)
    return value


class Unrepresentable(Exception):
    """A value one trip through the protocol cannot give back."""


def comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(v) for v in value]
    if isinstance(value, datetime):
        return (
            "datetime",
            value.astimezone(timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc),
        )
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, timedelta):
        return value
    return value


# -- botocore's side ---------------------------------------------------------------------------


def botocore_request(
    package: ModuleType, protocol: str, operation: OperationModel, params: dict[str, Any]
) -> Any:
    """The request botocore's ``protocol`` serializer sends for ``params``, as an
    ``HttpRequest`` of ``package``."""
    serialized = create_serializer(protocol, include_validation=False).serialize_to_request(
        params, operation
    )
    body = serialized["body"]
    if isinstance(body, dict):  # the query protocols: what AWSRequest sends for a dict body
        body = percent_encode_sequence(body).encode("utf-8")
    elif isinstance(body, str):
        body = body.encode("utf-8")
    query = serialized.get("query_string") or ""
    if isinstance(query, dict):
        query = percent_encode_sequence(query)
    headers = {k.lower(): v for k, v in serialized["headers"].items()}
    return package.HttpRequest(serialized["method"], serialized["url_path"], query, headers, body)


class RawBody:
    """An event-stream body as botocore reads it from urllib3 (``stream()`` gives its chunks)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, amt: int = 1024) -> Any:
        for start in range(0, len(self.data), amt):
            yield self.data[start : start + amt]

    def close(self) -> None:
        pass


def botocore_parse(protocol: str, response: Any, shape: Shape | None) -> Any:
    headers = {k.lower(): v for k, v in response.headers}
    headers["x-amzn-requestid"] = "request-id"
    streaming = shape is not None and shape.event_stream_name is not None and response.status < 300
    http = {
        "status_code": response.status,
        "headers": headers,
        "body": RawBody(response.body) if streaming else response.body,
        "context": {"operation_name": shape.name if shape is not None else ""},
    }
    return parse_response(create_parser(protocol), http, shape)
