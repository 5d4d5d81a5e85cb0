"""The REST binding that ``rest-json`` and ``rest-xml`` share: routes, URI labels, query strings,
headers, status codes and payloads. Only the body format differs between the two (a subclass
provides it: :mod:`.restjson`, :mod:`.restxml`).

Routing (:class:`Router`). Each operation's ``requestUri`` is compiled once into a route: a
regular expression over the raw (still percent-encoded) path, one group per label (``{Name}``
matches one segment, a greedy ``{Key+}`` the rest of the path, slashes included), and the
literal query parts of the template (``?uploads``, ``?list-type=2``) that the request must
carry. A request's candidates are the routes of its method that can match its number of path
segments and whose literal query parts it carries (an index built once per method and segment
count, so a request meets a few routes, not all); of those whose path matches, the most
specific wins: more literal query parts, then more literal path characters, then fewer greedy
labels. Operations that share one template (S3's ``PutObject``, ``UploadPart``,
``CopyObject``, ``UploadPartCopy``) are told apart by the required query and header members the
request carries (``uploadId``, ``partNumber``, ``x-amz-copy-source``): the operation whose
required located members are all present and most numerous wins, then the one that models most
of the query keys and headers present, then one not deprecated, then by name. Labels are
percent-decoded strictly, exactly as botocore encodes them (``/`` as ``%2F`` in a plain label,
kept in a greedy one). A path that no route matches is a 404 in the protocol's form, a path
that matches another method's route a 405 naming the methods that would do.

Members by location, planned once per operation (:class:`_Plan`, built on first use):

* ``uri``: labels, by type (timestamps ISO 8601 unless the member says otherwise);
* ``querystring``: a scalar once (a key given twice is refused), a list as repeated keys, a
  map of strings or of string lists from every key no other member (nor the template, nor a
  presigned URL's signature) claims, the inverse of botocore's serializer; other keys are
  ignored (the JavaScript SDK's ``x-id``);
* ``header``: timestamps as HTTP dates by default, lists comma-separated (quoted strings
  understood, HTTP dates kept whole), ``jsonvalue`` strings as base64 JSON, blobs as base64;
* ``headers``: a prefix map (``x-amz-meta-*``), names lower case;
* ``statusCode``: the response's status;
* the payload member (a structure's ``payload``): a blob or string is the body itself (a
  streaming blob is ``b""`` when the body is empty, another is absent), a structure, union or
  document is the body in the protocol's format (``{}``, what botocore sends for none, is
  none), an event stream is binary event-stream messages (:mod:`.eventstream`: an input stream
  is read into its list of events, which the validators do not check beyond their wire types;
  an output stream is written from one); otherwise the body holds the members with no
  location. In a response, members bound to the URI or the query string (which a response has
  not) go in the body, where botocore reads them.

Responses to ``HEAD`` have no body; a response's ``Content-Length`` is the body's, never a
result member's (but for ``HEAD``, where it is the member's). Header values are written as
latin-1 text without control characters: a value that cannot be is RFC 2047-encoded (UTF-8,
base64), as S3 does with metadata. The request id is the server's to send
(``x-amzn-RequestId``, for every protocol).

A request that does not validate gets the operation's own validation error when it models one
(:data:`VALIDATION_ERRORS`, in that order: ``ValidationException``, then
``InvalidParameterValueException``, ``BadRequestException``, route53's ``InvalidInput``,
cloudfront's ``InvalidArgument``, ...), else the protocol's default, with AWS's sentence
(:mod:`.validation`). A header, label or query value that does not read as its type is the
protocol's ``value_error_code``; a body that does not parse its ``body_error_code``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, NamedTuple

from . import eventstream
from .base import Issue, Protocol, Validate
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse, decode_form, percent_decode
from .tables import Operation, Ref, ServiceTables, Shape
from .validation import aws_message
from .values import blob_text, float_text, parse_text, timestamp_text

__all__ = ["MethodNotAllowed", "RestProtocol", "Route", "Router", "wire_name"]

_LABEL: Final = re.compile(r"\{([^}]+)\}")
_FLOATS: Final = frozenset({"float", "double"})
# request query keys that are the signature's (a presigned URL), not anyone's parameters
_SIGNATURE_KEYS: Final = frozenset(
    {
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
        "X-Amz-Security-Token",
    }
)
_HEADER_SAFE: Final = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
# an HTTP date's weekday, which is followed by a comma inside one list item
_WEEKDAY: Final = frozenset({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"})
# error shapes that are an operation's own validation error, most specific first
VALIDATION_ERRORS: Final = (
    "ValidationException",
    "ValidationError",
    "InvalidParameterValueException",
    "InvalidParameterException",
    "InvalidInputException",
    "InvalidInput",
    "InvalidArgumentException",
    "InvalidArgument",
    "InvalidRequestException",
    "InvalidRequest",
    "BadRequestException",
)

# -- routing -------------------------------------------------------------------------------


class MethodNotAllowed(ProtocolError):
    """A path that some operation takes, with a method none takes on it (a 405)."""

    def __init__(self, code: str, message: str, allowed: Sequence[str]) -> None:
        super().__init__(code, message, 405, headers={"Allow": ", ".join(allowed)})
        self.allowed = tuple(allowed)


@dataclass(frozen=True)
class Route:
    """One operation's URI template, compiled."""

    operation: str
    method: str
    template: str
    pattern: re.Pattern[str]
    labels: tuple[str, ...]  # the label names, in the order of the pattern's groups
    prefix: str  # the literal text before the first label: a cheap first test
    query: tuple[tuple[str, str | None], ...]  # literal query parts: (key, value or None)
    literal_length: int
    greedy: int
    required_located: tuple[tuple[str, str], ...] = ()  # ("query" | "header", wire name)
    located: tuple[tuple[str, str], ...] = ()
    deprecated: bool = False
    slashes: int = 0  # of the path template: a path must have as many (at least as many: greedy)
    static_rank: tuple[int, int, int] = (0, 0, 0)  # more literal query, literal path, less greedy

    @classmethod
    def compile(cls, operation: Operation, shapes: Mapping[str, Shape]) -> Route:
        path, _, query = operation.request_uri.partition("?")
        parts: list[str] = []
        labels: list[str] = []
        greedy = 0
        literal = 0
        position = 0
        prefix: str | None = None
        for match in _LABEL.finditer(path):
            text = path[position : match.start()]
            literal += len(text)
            parts.append(re.escape(text))
            if prefix is None:
                prefix = path[: match.start()]
            name = match.group(1)
            if name.endswith("+"):
                greedy += 1
                labels.append(name[:-1])
                parts.append("(.+)")
            else:
                labels.append(name)
                parts.append("([^/]+)")
            position = match.end()
        tail = path[position:]
        literal += len(tail)
        parts.append(re.escape(tail))
        literals: list[tuple[str, str | None]] = []
        for item in query.split("&") if query else ():
            key, eq, value = item.partition("=")
            literals.append((key, value if eq else None))
        required: list[tuple[str, str]] = []
        located: list[tuple[str, str]] = []
        shape = shapes.get(operation.input) if operation.input else None
        if shape is not None:
            for ref in shape.members:
                wire = wire_name(ref, shapes[ref.shape]) if ref.shape in shapes else ref.wire
                if ref.location == "querystring":
                    where = ("query", wire)
                elif ref.location == "header":
                    where = ("header", wire.lower())
                else:
                    continue
                located.append(where)
                if ref.name in shape.required:
                    required.append(where)
        return cls(
            operation=operation.name,
            method=operation.method.upper(),
            template=operation.request_uri,
            pattern=re.compile("".join(parts)),
            labels=tuple(labels),
            prefix=path if prefix is None else prefix,
            query=tuple(literals),
            literal_length=literal,
            greedy=greedy,
            required_located=tuple(required),
            located=tuple(located),
            deprecated=operation.deprecated,
            slashes=path.count("/"),
            static_rank=(len(literals), literal, -greedy),
        )

    def matches_path(self, path: str) -> re.Match[str] | None:
        if not path.startswith(self.prefix):
            return None
        return self.pattern.fullmatch(path)

    def matches_query(self, query: Mapping[str, Sequence[str]]) -> bool:
        for key, value in self.query:
            given = query.get(key)
            if given is None or (value is not None and value not in given):
                return False
        return True

    def fit(
        self, query: Mapping[str, Sequence[str]], headers: Mapping[str, str]
    ) -> tuple[int, ...]:
        """How well the request fits this operation among those sharing its template."""

        def present(where: tuple[str, str]) -> bool:
            return where[1] in (query if where[0] == "query" else headers)

        required = sum(1 for where in self.required_located if present(where))
        optional = sum(1 for where in self.located if present(where))
        return (
            int(required == len(self.required_located)),
            required,
            optional,
            int(not self.deprecated),
        )


class _Group(NamedTuple):
    """The routes of one method that can match a path of a given number of slashes: those
    without literal query parts, and the others by their first literal query key."""

    plain: tuple[Route, ...]
    by_key: dict[str, tuple[Route, ...]]


class Router:
    """Every route of a service, by method; a request is tried only against the routes that can
    match its number of path segments (a plain label never holds a slash, a greedy one may) and
    whose literal query parts it carries."""

    def __init__(self, tables: ServiceTables) -> None:
        self.by_method: dict[str, list[Route]] = {}
        self.by_operation: dict[str, Route] = {}
        for operation in tables.operations.values():
            route = Route.compile(operation, tables.shapes)
            self.by_method.setdefault(route.method, []).append(route)
            self.by_operation[operation.name] = route
        for routes in self.by_method.values():
            routes.sort(key=lambda r: (tuple(-x for x in r.static_rank), r.operation))
        self._groups: dict[tuple[str, int], _Group] = {}

    def _group(self, method: str, slashes: int) -> _Group:
        group = self._groups.get((method, slashes))
        if group is None:
            plain: list[Route] = []
            by_key: dict[str, list[Route]] = {}
            for route in self.by_method.get(method, ()):
                if route.slashes > slashes or (route.slashes < slashes and not route.greedy):
                    continue
                if route.query:
                    by_key.setdefault(route.query[0][0], []).append(route)
                else:
                    plain.append(route)
            group = _Group(tuple(plain), {k: tuple(v) for k, v in by_key.items()})
            if slashes <= 64:  # a path of more slashes is rare: its routes are not kept
                self._groups[(method, slashes)] = group
        return group

    def route(
        self,
        method: str,
        path: str,
        query: Mapping[str, Sequence[str]],
        headers: Mapping[str, str],
    ) -> Route | None:
        """The route of ``method`` that fits the request best, or None."""
        group = self._group(method, path.count("/"))
        candidates = list(group.plain)
        for key in query:
            candidates.extend(group.by_key.get(key, ()))
        matching = [
            r for r in candidates if r.matches_query(query) and r.matches_path(path) is not None
        ]
        if len(matching) <= 1:
            return matching[0] if matching else None
        # the most specific: more literal query parts, then literal path, then fewer greedy
        rank = max(r.static_rank for r in matching)
        best = [r for r in matching if r.static_rank == rank]
        if len(best) == 1:
            return best[0]
        # one template, several operations (S3's PUT /{Bucket}/{Key+}): the request tells them
        # apart by the located members it carries
        return max(best, key=lambda r: (r.fit(query, headers), _reverse(r.operation)))

    def matches_any(self, path: str) -> bool:
        """Whether a route of any method matches ``path``."""
        slashes = path.count("/")
        return any(
            route.matches_path(path) is not None
            for method in self.by_method
            for routes in (self._group(method, slashes),)
            for route in (*routes.plain, *(r for rs in routes.by_key.values() for r in rs))
        )

    def methods_for(self, path: str) -> list[str]:
        """The methods that have a route matching ``path`` (for a 405's Allow header)."""
        return sorted(
            method
            for method, routes in self.by_method.items()
            if any(route.matches_path(path) is not None for route in routes)
        )


def _reverse(name: str) -> tuple[int, ...]:
    """A key under which the alphabetically first name is the largest."""
    return tuple(-ord(c) for c in name)


def query_values(raw: str, error_code: str) -> dict[str, list[str]]:
    """A raw query string -> each key's values in order (strictly decoded)."""
    values: dict[str, list[str]] = {}
    for key, value in decode_form(raw, error_code=error_code):
        values.setdefault(key, []).append(value)
    return values


# -- plans ---------------------------------------------------------------------------------


class _Member(NamedTuple):
    name: str  # the params key
    wire: str  # the label, query key, header name (lower case) or header prefix (lower case)
    ref: Ref
    shape: Shape
    timestamp_format: str


@dataclass
class _Plan:
    """One structure's members by location (an operation's input or output, an error)."""

    shape_name: str
    shape: Shape | None
    labels: list[_Member] = field(default_factory=list)
    query: list[_Member] = field(default_factory=list)
    query_map: _Member | None = None
    headers: list[_Member] = field(default_factory=list)
    header_maps: list[_Member] = field(default_factory=list)
    status: _Member | None = None
    payload: _Member | None = None
    body: tuple[Ref, ...] = ()  # the members with no location (when there is no payload)
    header_names: frozenset[str] = frozenset()


# -- the protocol --------------------------------------------------------------------------


class RestProtocol(Protocol):
    """The REST binding; subclasses give the body format (``read_*`` / ``write_*`` hooks)."""

    # codes of the errors this protocol answers for requests it cannot read
    value_error_code: ClassVar[str] = "SerializationException"  # a bad header, label, query
    body_error_code: ClassVar[str] = "SerializationException"  # a body that does not parse
    malformed_code: ClassVar[str] = "SerializationException"
    unknown_operation_code: ClassVar[str] = "UnknownOperationException"
    unknown_operation_status: ClassVar[int] = 404
    method_not_allowed_code: ClassVar[str] = "MethodNotAllowedException"
    default_validation_code: ClassVar[str] = "ValidationException"
    content_encoding_is_payload: ClassVar[bool] = True  # S3's ContentEncoding, stored as sent
    body_timestamp_format: ClassVar[str]  # the body's default timestamp format

    def __init__(self, tables: ServiceTables, validate: Validate) -> None:
        super().__init__(tables, self._validator(validate))
        self._router: Router | None = None
        self._inputs: dict[str, _Plan] = {}
        self._outputs: dict[str, _Plan] = {}
        self._errors: dict[str, _Plan] = {}
        self._query: tuple[str, dict[str, list[str]]] | None = None

    def _validator(self, validate: Validate) -> Validate:
        """``validate``, but blind to the events of an input event stream: they are read by
        their shapes from the frames, into a list of events where the validators expect a
        structure (which is checked as present, and empty)."""

        def checked(operation: str, params: Mapping[str, Any]) -> Sequence[Issue]:
            payload = self.input_plan(operation).payload
            if payload is not None and payload.shape.event_stream and payload.name in params:
                params = {**params, payload.name: {}}
            return validate(operation, params)

        return checked

    # -- routing ---------------------------------------------------------------------------

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(self.tables)
        return self._router

    def recognizes(self, request: HttpRequest) -> bool:
        return self.router.matches_any(self.route_path(request))

    def route_path(self, request: HttpRequest) -> str:
        """The path routes are matched against (S3 puts a virtual host's bucket in front)."""
        return request.path or "/"

    def operation_for(self, request: HttpRequest) -> str | None:
        route = self.router.route(
            request.method.upper(),
            self.route_path(request),
            self.query_of(request),
            request.headers,
        )
        return route.operation if route is not None else None

    def query_of(self, request: HttpRequest) -> Mapping[str, list[str]]:
        """The request's query string decoded (the last one is kept: routing and reading
        decode the same string)."""
        raw = request.query
        cached = self._query
        if cached is not None and cached[0] == raw:
            return cached[1]
        values = query_values(raw, self.value_error_code)
        self._query = (raw, values)
        return values

    def unknown_operation(self, request: HttpRequest) -> ProtocolError:
        path = self.route_path(request)
        methods = [m for m in self.router.methods_for(path) if m != request.method.upper()]
        shown = f"{request.method.upper()} {path}"
        if methods:
            return MethodNotAllowed(
                self.method_not_allowed_code,
                f"{shown}: no operation of {self.tables.name} takes this method on this path;"
                f" it takes {', '.join(methods)}.",
                methods,
            )
        return ProtocolError(
            self.unknown_operation_code,
            f"{shown}: no operation of {self.tables.name} has this path.",
            self.unknown_operation_status,
        )

    # -- plans -----------------------------------------------------------------------------

    def _plan(self, shape_name: str, response: bool = False) -> _Plan:
        shape = self.tables.shapes.get(shape_name) if shape_name else None
        plan = _Plan(shape_name, shape)
        if shape is None:
            return plan
        body: list[Ref] = []
        names: set[str] = set()
        for ref in shape.members:
            target = self.tables.shapes[ref.shape]
            fmt = ref.timestamp_format or target.timestamp_format
            location = ref.location
            if response and location in ("uri", "querystring"):
                location = ""  # a response has neither: botocore reads such members from the body
            wire = wire_name(ref, target)
            if location == "headers":
                wire = ref.location_name.lower()  # the prefix ("" : every header)
            elif location == "header":
                wire = wire.lower()
            member = _Member(ref.name, wire, ref, target, fmt)
            if ref.name == shape.payload:
                plan.payload = member
            elif location == "uri":
                plan.labels.append(member)
            elif location == "querystring":
                if target.type == "map":
                    plan.query_map = member
                else:
                    plan.query.append(member)
            elif location == "header":
                plan.headers.append(member)
                names.add(wire)
            elif location == "headers":
                plan.header_maps.append(member)
            elif location == "statusCode":
                plan.status = member
            else:
                body.append(ref)
        if not shape.payload:
            plan.body = tuple(body)
        plan.header_names = frozenset(names)
        return plan

    def input_plan(self, operation: str) -> _Plan:
        plan = self._inputs.get(operation)
        if plan is None:
            plan = self._inputs[operation] = self._plan(self.tables.operations[operation].input)
        return plan

    def output_plan(self, operation: str) -> _Plan:
        plan = self._outputs.get(operation)
        if plan is None:
            output = self.tables.operations[operation].output
            plan = self._outputs[operation] = self._plan(output, response=True)
        return plan

    def error_plan(self, shape_name: str) -> _Plan:
        plan = self._errors.get(shape_name)
        if plan is None:
            plan = self._errors[shape_name] = self._plan(shape_name, response=True)
        return plan

    # -- requests --------------------------------------------------------------------------

    def read_params(self, operation: str, request: HttpRequest) -> dict[str, Any]:
        op = self.tables.operations[operation]
        plan = self.input_plan(operation)
        params: dict[str, Any] = {}
        if plan.shape is None:
            return params
        if plan.labels:
            self._read_labels(op, plan, request, params)
        if plan.query or plan.query_map is not None:
            self._read_query(op, plan, request, params)
        headers = request.headers
        for member in plan.headers:
            raw = headers.get(member.wire)
            if raw is not None:
                params[member.name] = self._header_value(member, raw)
        for member in plan.header_maps:
            prefix = member.wire
            params[member.name] = {
                name[len(prefix) :]: value
                for name, value in headers.items()
                if name.startswith(prefix) and (prefix or name not in plan.header_names)
            }
        if plan.payload is not None:
            value = self._read_payload(plan.payload, request)
            if value == {} and plan.payload.name not in plan.shape.required:
                value = None  # botocore sends "{}" for an absent structure payload
            if value is not None:
                params[plan.payload.name] = value
        elif plan.body:
            params.update(self.read_body(plan.shape_name, plan.body, request.body, op))
        return params

    def _read_labels(
        self, op: Operation, plan: _Plan, request: HttpRequest, params: dict[str, Any]
    ) -> None:
        route = self.router.by_operation[op.name]
        match = route.matches_path(self.route_path(request))
        if match is None:  # routed here by operation_for, so this does not happen
            raise self.unknown_operation(request)
        raw = dict(zip(route.labels, match.groups()))
        for member in plan.labels:
            text = raw.get(member.wire)
            if text is None:
                continue
            decoded = percent_decode(
                text.encode("latin-1", "replace"),
                plus_is_space=False,
                error_code=self.value_error_code,
            )
            params[member.name] = self._scalar(member, decoded, f"URI label '{member.wire}'")

    def _read_query(
        self, op: Operation, plan: _Plan, request: HttpRequest, params: dict[str, Any]
    ) -> None:
        query = self.query_of(request)
        claimed = {key for key, _ in self.router.by_operation[op.name].query}
        for member in plan.query:
            values = query.get(member.wire)
            if values is None:
                continue
            claimed.add(member.wire)
            where = f"query parameter '{member.wire}'"
            if member.shape.type == "list":
                item = self._item(member)
                params[member.name] = [self._scalar(item, v, where) for v in values]
            elif len(values) > 1:
                raise self.value_error(
                    f"The {where} ({member.name}) is given {len(values)} times; it takes one"
                    " value."
                )
            else:
                params[member.name] = self._scalar(member, values[0], where)
        if plan.query_map is not None:
            member = plan.query_map
            value_ref = member.shape.value
            value_shape = self.tables.shapes[value_ref.shape] if value_ref else None
            as_lists = value_shape is not None and value_shape.type == "list"
            out: dict[str, Any] = {}
            for key, values in query.items():
                if key in claimed or key in _SIGNATURE_KEYS:
                    continue
                out[key] = list(values) if as_lists else values[0]
            if out:
                params[member.name] = out

    def _item(self, member: _Member) -> _Member:
        """A list member's item, located as the list is."""
        ref = member.shape.member
        assert ref is not None
        shape = self.tables.shapes[ref.shape]
        fmt = ref.timestamp_format or shape.timestamp_format or member.timestamp_format
        return _Member(member.name, member.wire, ref, shape, fmt)

    def _scalar(self, member: _Member, text: str, where: str) -> Any:
        """A label's, query value's or header's text -> its value by the member's type."""
        kind = member.shape.type
        if kind in ("string", "character"):
            return text
        default = "rfc822" if where.startswith("header") else "iso8601"
        try:
            return parse_text(kind, text, member.timestamp_format or default)
        except ValueError as error:
            raise self.value_error(
                f"The {where} ({member.name}) is not valid: {_shown(text)} is {error}."
            ) from None

    def _header_value(self, member: _Member, raw: str) -> Any:
        where = f"header '{member.wire}'"
        kind = member.shape.type
        if kind == "list":
            if not raw.strip():
                return []
            item = self._item(member)
            return [self._scalar(item, part, where) for part in self._split_list(item, raw)]
        if kind == "string" and member.ref.json_value:
            try:
                return json.loads(base64.b64decode(raw.encode("ascii"), validate=True))
            except (ValueError, binascii.Error, UnicodeError, RecursionError):
                raise self.value_error(
                    f"The {where} ({member.name}) is not base64-encoded JSON: {_shown(raw)}."
                ) from None
        return self._scalar(member, raw, where)

    def _split_list(self, item: _Member, raw: str) -> list[str]:
        """A header list: comma-separated, items trimmed, double-quoted items unquoted (with
        ``\\"`` and ``\\\\`` escapes), HTTP dates (which hold a comma) kept whole."""
        parts: list[str] = []
        i, n = 0, len(raw)
        while i <= n:
            while i < n and raw[i] in " \t":
                i += 1
            if i < n and raw[i] == '"':
                out: list[str] = []
                i += 1
                while i < n and raw[i] != '"':
                    if raw[i] == "\\" and i + 1 < n:
                        i += 1
                    out.append(raw[i])
                    i += 1
                if i >= n:
                    raise self.value_error(
                        f"The header '{item.wire}' ({item.name}) has an unterminated quoted"
                        " string."
                    )
                i += 1
                while i < n and raw[i] in " \t":
                    i += 1
                if i < n and raw[i] != ",":
                    raise self.value_error(
                        f"The header '{item.wire}' ({item.name}) has text after a quoted string."
                    )
                parts.append("".join(out))
                i += 1
                continue
            end = raw.find(",", i)
            end = n if end < 0 else end
            parts.append(raw[i:end].strip())
            i = end + 1
        if (
            item.shape.type == "timestamp"
            and (item.timestamp_format or "rfc822") == "rfc822"
            and len(parts) > 1
        ):
            joined: list[str] = []
            for part in parts:
                if joined and joined[-1] in _WEEKDAY:
                    joined[-1] = f"{joined[-1]}, {part}"
                else:
                    joined.append(part)
            parts = joined
        return parts

    def _read_payload(self, member: _Member, request: HttpRequest) -> Any:
        kind = member.shape.type
        body = request.body
        if member.shape.event_stream:
            return self.read_event_stream(member, body)
        if kind == "blob":
            if not body and not (member.ref.streaming or member.shape.streaming):
                return None  # an empty body is no payload (a streaming one is b"")
            return body
        if kind == "string":
            if not body:
                return None
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                raise self.body_error("The request body is not valid UTF-8.") from None
        if not body:
            return None
        return self.read_payload(member.ref, body)

    def read_event_stream(self, member: _Member, body: bytes) -> list[dict[str, Any]]:
        """An input event stream (the body as event-stream messages) -> its events, each
        ``{event name: members}``."""
        try:
            messages = eventstream.decode(body)
        except eventstream.EventStreamError as error:
            raise self.body_error(f"The request's event stream is not valid: {error}") from None
        events: list[dict[str, Any]] = []
        refs = {ref.name: ref for ref in member.shape.members}
        for message in messages:
            name = message.headers.get(":event-type")
            if message.headers.get(":message-type", "event") != "event" or not isinstance(
                name, str
            ):
                continue
            ref = refs.get(name)
            if ref is None:
                continue  # an event of a newer API: skipped, as clients skip them
            events.append({name: self._read_event(ref, message)})
        return events

    def _read_event(self, ref: Ref, message: eventstream.Message) -> dict[str, Any]:
        shape = self.tables.shapes[ref.shape]
        out: dict[str, Any] = {}
        payload_ref = next((r for r in shape.members if r.event_payload), None)
        for member in shape.members:
            if member.event_header and member.name in message.headers:
                out[member.name] = message.headers[member.name]
        if payload_ref is not None:
            target = self.tables.shapes[payload_ref.shape]
            if target.type == "blob":
                out[payload_ref.name] = message.payload
            elif target.type == "string":
                out[payload_ref.name] = message.payload.decode("utf-8", "replace")
            elif message.payload:
                out[payload_ref.name] = self.read_payload(payload_ref, message.payload)
        else:
            body_refs = tuple(r for r in shape.members if not r.event_header)
            if body_refs and message.payload:
                out.update(self.read_body(ref.shape, body_refs, message.payload, None))
        return out

    # -- request errors --------------------------------------------------------------------

    def value_error(self, message: str) -> ProtocolError:
        return ProtocolError(self.value_error_code, message)

    def body_error(self, message: str) -> ProtocolError:
        return ProtocolError(self.body_error_code, message)

    def validation_error(
        self, operation: str, issues: Sequence[Issue], params: Mapping[str, Any]
    ) -> ProtocolError:
        """The validator's issues in AWS's words, as the operation's own validation error when
        it models one (the first of :data:`VALIDATION_ERRORS` it has), else as this protocol's
        default code."""
        message = aws_message(self.tables, self.tables.operations[operation].input, params, issues)
        codes = {self.error_code(name) for name in self.tables.operations[operation].errors}
        codes |= set(self.tables.operations[operation].errors)
        for code in VALIDATION_ERRORS:
            if code in codes:
                return self.modeled_validation_error(operation, message, code)
        return ProtocolError(self.default_validation_code, message, operation=operation)

    # -- responses -------------------------------------------------------------------------

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        op = self.tables.operations[operation]
        plan = self.output_plan(operation)
        response = HttpResponse(op.response_code, self.response_headers(request_id))
        head = op.method.upper() == "HEAD"
        if plan.shape is None:
            if not head:
                self.write_empty(response)
            return response
        self._write_located(plan, result, response, head)
        if head:
            return response
        payload = plan.payload
        if payload is not None:
            value = result.get(payload.name)
            if payload.shape.event_stream:
                events = value if isinstance(value, Iterable) else ()
                response.body = eventstream.event_stream_body(self, payload.ref.shape, events)
                self._content_type(response, eventstream.CONTENT_TYPE)
            elif payload.shape.type in ("blob", "string"):
                if value is not None:
                    response.body = _payload_bytes(value)
                self._content_type(response, "application/octet-stream" if value else "")
            elif value is not None:
                response.body = self.write_payload(payload.ref, value)
                self._content_type(response, self.content_type)
            else:
                self.write_empty(response)
        else:
            response.body = self.write_body(plan.shape_name, plan.body, result, op)
            self._content_type(response, self.content_type if response.body else "")
        return response

    def response_headers(self, request_id: str) -> list[tuple[str, str]]:
        """Headers of every response beyond the request id, which the server sends
        (``x-amzn-RequestId``, for every protocol)."""
        return []

    def write_empty(self, response: HttpResponse) -> None:
        """The body of a response without a body member (``{}`` for JSON, nothing for XML)."""

    def _content_type(self, response: HttpResponse, content_type: str) -> None:
        if content_type and response.header("content-type") is None:
            response.headers.append(("Content-Type", content_type))

    def _write_located(
        self, plan: _Plan, result: Mapping[str, Any], response: HttpResponse, head: bool
    ) -> None:
        headers = response.headers
        for member in plan.headers:
            value = result.get(member.name)
            if value is None:
                continue
            if member.wire == "content-length" and not head:
                continue  # the body's own length, set by the HTTP server
            text = self._header_text(member, value)
            if text is not None:
                headers.append((wire_name(member.ref, member.shape), _header_safe(text)))
        for member in plan.header_maps:
            mapping = result.get(member.name)
            if not mapping:
                continue
            prefix = member.ref.location_name
            for key, value in mapping.items():
                if value is not None:
                    headers.append((_header_safe(prefix + str(key)), _header_safe(str(value))))
        if plan.status is not None:
            status = result.get(plan.status.name)
            if isinstance(status, int) and not isinstance(status, bool) and 100 <= status < 600:
                response.status = status

    def _header_text(self, member: _Member, value: Any) -> str | None:
        kind = member.shape.type
        if kind == "list":
            if not value:
                return None
            item = self._item(member)
            texts = [self._scalar_text(item, v, "rfc822") for v in value if v is not None]
            if item.shape.type in ("string", "character"):
                texts = [_quote_item(t) for t in texts]
            return ",".join(texts)
        if kind == "string" and member.ref.json_value:
            text = json.dumps(value, separators=(",", ":"))
            return base64.b64encode(text.encode("utf-8")).decode("ascii")
        return self._scalar_text(member, value, "rfc822")

    def _scalar_text(self, member: _Member, value: Any, default_format: str) -> str:
        kind = member.shape.type
        if kind == "boolean":
            return "true" if value else "false"
        if kind == "timestamp":
            return timestamp_text(value, member.timestamp_format or default_format)
        if kind in _FLOATS:
            return float_text(value)
        if kind == "blob":
            return blob_text(value)
        return str(value)

    event_content_type: ClassVar[str]  # of the events of an event stream (their payloads)

    def event_payload(self, shape_name: str, value: Mapping[str, Any]) -> bytes:
        """An event's members (or a structure payload of one) in this protocol's format."""
        shape = self.tables.shapes[shape_name]
        return self.write_body(shape_name, shape.members, value, None, root=shape_name)

    # -- errors ----------------------------------------------------------------------------

    def serialize_error(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        response = HttpResponse(error.status, self.response_headers(request_id))
        shape_name = self._error_shape(error, operation)
        fields = dict(error.fields)
        if shape_name:
            plan = self.error_plan(shape_name)
            self._write_located(plan, fields, response, head=False)
            fields = {k: v for k, v in fields.items() if k in {r.name for r in plan.body}}
        else:
            fields = {}
        head = operation is not None and self.tables.operations[operation].method == "HEAD"
        if head:
            return response
        self.write_error(response, error, shape_name, fields, request_id)
        return response

    def _error_shape(self, error: ServiceError, operation: str | None) -> str:
        """The modeled error shape answered with ``error.code``, if any."""
        names: Iterable[str] = (
            self.tables.operations[operation].errors if operation is not None else ()
        )
        for name in names:
            if error.code in (name, self.error_code(name)):
                return name
        shape = self.tables.shapes.get(error.code)
        return error.code if shape is not None and shape.exception else ""

    @abstractmethod
    def write_error(
        self,
        response: HttpResponse,
        error: ServiceError,
        shape_name: str,
        fields: Mapping[str, Any],
        request_id: str,
    ) -> None:
        """The error's body (and its headers beyond the located members)."""

    # -- body format hooks -----------------------------------------------------------------

    @abstractmethod
    def read_body(
        self, shape_name: str, members: Sequence[Ref], body: bytes, op: Operation | None
    ) -> dict[str, Any]:
        """The body members (``members`` of ``shape_name``) from a request body."""

    @abstractmethod
    def read_payload(self, ref: Ref, body: bytes) -> Any:
        """A structure, union or document payload member from a request body."""

    @abstractmethod
    def write_body(
        self,
        shape_name: str,
        members: Sequence[Ref],
        value: Mapping[str, Any],
        op: Operation | None,
        root: str = "",
    ) -> bytes:
        """The body holding ``members`` of ``value``."""

    @abstractmethod
    def write_payload(self, ref: Ref, value: Any) -> bytes:
        """A structure, union or document payload member as the body."""


# -- helpers -------------------------------------------------------------------------------


def wire_name(ref: Ref, shape: Shape) -> str:
    """A member's name on the wire: its ``locationName``, else its shape's, else its name (as
    botocore merges a member's traits over its shape's)."""
    return ref.location_name or shape.location_name or ref.name


def _payload_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return bytes(value)


def _quote_item(text: str) -> str:
    if '"' in text or "," in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _header_safe(text: str) -> str:
    """``text`` as an HTTP header value: as it is when it is latin-1 without control
    characters, else RFC 2047-encoded (UTF-8, base64), as S3 answers such metadata."""
    if _HEADER_SAFE.fullmatch(text) and text == text.strip():
        return text
    encoded = base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")
    return f"=?UTF-8?B?{encoded}?="


def _shown(text: str, limit: int = 80) -> str:
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown)
