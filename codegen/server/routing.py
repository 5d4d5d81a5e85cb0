"""Which served service a request is for, without loading any service's model or package.

Many services share one port. Each served service has an :class:`Entry`: what routing needs of
it (its name, signing name, endpoint prefix, protocols, target prefix, API version and each
operation's HTTP method and URI template), taken from the same model fields the protocol
tables take them from (:func:`entry_from_tables` for a generated package,
:func:`entry_from_botocore` for a release's ``service-2.json``: the two agree, a test checks
it). :class:`Router` picks a request's service from its entries alone, so that
``apigen serve --all-services`` loads nothing of a service before its first request.

What a request tells, strongest first:

1. the SigV4 credential scope's service (the ``Authorization`` header, or a presigned URL's
   ``X-Amz-Credential``): the candidates are the services that sign with that name (or are
   named so); when none does (a signing name no service model states: S3's directory-bucket
   operations sign as ``s3express``, from its endpoint rules), every service is a candidate,
   but the request must then name an operation of one;
2. a Host under ``amazonaws.com`` (``sqs.us-east-1.amazonaws.com``,
   ``bucket.s3.amazonaws.com``, ``runtime.sagemaker...``): the candidates whose endpoint prefix
   it holds, when any does (a proxy may send any Host, so a Host that names none is no
   verdict);
3. what each candidate's protocols recognize, scored (:meth:`Router.fit`): an ``X-Amz-Target``
   of the service's target prefix (``json``), a ``/service/<targetPrefix>/operation/<Op>``
   path (``smithy-rpc-v2-cbor``), an ``Action`` (and ``Version``) of a form or query string
   (``query``, ``ec2``), a URI template of the method (``rest-json``, ``rest-xml``; S3's
   virtual hosts put the bucket in front of the path first).

The best-scoring candidate wins: one naming an operation of the service beats one merely in
its form (a known target prefix, a path that another method takes), a query request whose
``Version`` is the API version beats one whose is not. Ties go to the service named like the
credential scope, then to the more specific URI template, then by name (rds, docdb and
neptune share signing name, API version and action names: an ``rds``-signed
``CreateDBCluster`` goes to rds). An unsigned request from no service's host that fits several
services alike is refused, naming them, rather than answered by a guess (an unsigned ``GET /``
is S3's ListBuckets and mediastore-data's ListItems). When no candidate recognizes the request, it still goes to
the only candidate there is (or the one named like the scope), whose protocol then answers
the precise error (an unknown operation, a missing ``Action``); otherwise the request fits no
served service and :class:`Unroutable` says what was tried.

Routing is linear in the request (a form body is decoded once) and touches only the candidate
services' entries; each REST service's router is built on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from codegen.protocols.errors import ProtocolError
from codegen.protocols.http import HttpRequest, decode_form
from codegen.protocols.tables import Operation, ServiceTables

__all__ = [
    "Entry",
    "Router",
    "Unroutable",
    "credential_scope",
    "entry_from_botocore",
    "entry_from_tables",
    "error_form",
]

REST: Final = frozenset({"rest-json", "rest-xml"})
QUERY: Final = frozenset({"query", "ec2"})
FORM: Final = "application/x-www-form-urlencoded"
_SCOPE: Final = re.compile(r"Credential=([^/,\s]+)/[^/,\s]*/([^/,\s]+)/([^/,\s]+)/")
_QUERY_SCOPE: Final = re.compile(r"^([^/]+)/[^/]*/([^/]+)/([^/]+)/aws4_request$")
_AWS_HOST: Final = re.compile(r"^(.+)\.amazonaws\.com(?:\.cn)?$")
MAX_HOST: Final = 255  # a DNS name has at most 253 characters: a longer Host names no service
_SHOWN: Final = 80  # characters of a client's value quoted in a message


@dataclass(frozen=True)
class Entry:
    """What routing needs to know of one service (JSON-serializable: it is cached)."""

    name: str
    protocols: tuple[str, ...]
    api_version: str = ""
    signing_name: str = ""
    endpoint_prefix: str = ""
    target_prefix: str = ""
    json_version: str = ""
    # operation -> (HTTP method, request URI template)
    operations: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "protocols": list(self.protocols),
            "api_version": self.api_version,
            "signing_name": self.signing_name,
            "endpoint_prefix": self.endpoint_prefix,
            "target_prefix": self.target_prefix,
            "json_version": self.json_version,
            "operations": {k: list(v) for k, v in self.operations.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Entry:
        return cls(
            name=str(data["name"]),
            protocols=tuple(str(p) for p in data["protocols"]),
            api_version=str(data.get("api_version", "")),
            signing_name=str(data.get("signing_name", "")),
            endpoint_prefix=str(data.get("endpoint_prefix", "")),
            target_prefix=str(data.get("target_prefix", "")),
            json_version=str(data.get("json_version", "")),
            operations={
                str(k): (str(v[0]), str(v[1])) for k, v in dict(data["operations"]).items()
            },
        )

    @property
    def names(self) -> frozenset[str]:
        """The names a credential scope may call this service by."""
        return frozenset(n for n in (self.signing_name, self.name, self.endpoint_prefix) if n)


def entry_from_tables(tables: ServiceTables) -> Entry:
    """The entry of a generated package's protocol tables."""
    return Entry(
        name=tables.name,
        protocols=tuple(tables.protocols),
        api_version=tables.api_version,
        signing_name=tables.signing_name,
        endpoint_prefix=tables.endpoint_prefix,
        target_prefix=tables.target_prefix,
        json_version=tables.json_version,
        operations={
            name: (op.method.upper(), op.request_uri)
            for name, op in sorted(tables.operations.items())
        },
    )


def entry_from_botocore(name: str, model: Mapping[str, Any]) -> Entry:
    """The entry of a botocore ``service-2.json`` (parsed), read as the protocol tables read
    the imported model: ``metadata.protocols`` else ``protocol``, ``signingName`` else
    ``endpointPrefix``, each operation's ``http``."""
    meta = model.get("metadata") or {}
    protocol = str(meta.get("protocol") or "")
    protocols = tuple(str(p) for p in meta.get("protocols") or ()) or (protocol,)
    operations: dict[str, tuple[str, str]] = {}
    for op_name, op in sorted((model.get("operations") or {}).items()):
        http = op.get("http") or {} if isinstance(op, Mapping) else {}
        operations[str(op_name)] = (
            str(http.get("method") or "POST").upper(),
            str(http.get("requestUri") or "/"),
        )
    return Entry(
        name=name,
        protocols=protocols,
        api_version=str(meta.get("apiVersion") or ""),
        signing_name=str(meta.get("signingName") or meta.get("endpointPrefix") or ""),
        endpoint_prefix=str(meta.get("endpointPrefix") or ""),
        target_prefix=str(meta.get("targetPrefix") or ""),
        json_version=str(meta.get("jsonVersion") or ""),
        operations=operations,
    )


def credential_scope(request: HttpRequest) -> tuple[str, str, str] | None:
    """(access key, region, service) of the request's SigV4 credential scope: its
    ``Authorization`` header, else a presigned URL's ``X-Amz-Credential``; None without one."""
    header = request.headers.get("authorization")
    if header is not None:
        found = _SCOPE.search(header)
        return (found.group(1), found.group(2), found.group(3)) if found else None
    if "X-Amz-Credential=" not in request.query:
        return None
    try:
        fields = decode_form(request.query, error_code="MalformedQueryString")
    except ProtocolError:  # a malformed query string names no scope
        return None
    for key, value in fields:
        if key == "X-Amz-Credential":
            found = _QUERY_SCOPE.match(value)
            return (found.group(1), found.group(2), found.group(3)) if found else None
    return None


def _shown(value: str) -> str:
    return repr(value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "...")


@dataclass(frozen=True)
class Unroutable:
    """A request that fits no served service: what was tried, and the protocol whose error
    form the request is in (:func:`error_form`)."""

    tried: tuple[str, ...]
    form: str
    json_version: str = "1.0"

    @property
    def message(self) -> str:
        return "No served service fits this request: " + "; ".join(self.tried) + "."


@dataclass
class _Evidence:
    """What a request says about its service, read once."""

    scope: str | None
    target: str | None  # X-Amz-Target
    cbor: tuple[str, str] | None  # (service, operation) of a /service/S/operation/O path
    action: str | None  # a query request's Action
    version: str | None  # and its Version
    host_labels: str | None  # an amazonaws.com Host's labels before it, as ".a.b.c."
    method: str
    path: str
    query: dict[str, list[str]] | None  # decoded on first use (REST)


def _cbor_route(request: HttpRequest) -> tuple[str, str] | None:
    if "x-amz-target" in request.headers:
        return None
    _, found, rest = request.path.rpartition("/service/")
    service, marker, operation = rest.partition("/operation/")
    if not found or not marker or "/" in operation:
        return None
    return service, operation


def _query_fields(request: HttpRequest) -> tuple[str | None, str | None]:
    """(Action, Version) of a query request: its query string, and a form body's fields."""
    if request.method not in ("GET", "POST") or "x-amz-target" in request.headers:
        return None, None
    action = version = None
    sources: list[bytes | str] = []
    if "Action=" in request.query:
        sources.append(request.query)
    if (
        request.method == "POST"
        and request.media_type in (FORM, "")
        and b"Action=" in request.body
    ):
        sources.append(request.body)
    for source in sources:
        try:
            fields = decode_form(source, error_code="MalformedQueryString")
        except ProtocolError:  # the protocol answers the malformed encoding
            continue
        for key, value in fields:
            if key == "Action" and action is None:
                action = value
            elif key == "Version" and version is None:
                version = value
    return action, version


def _host_labels(request: HttpRequest) -> str | None:
    """The labels of an ``amazonaws.com`` Host before it, dot-delimited on both sides
    (``.bucket.s3.``), or None. A Host longer than a DNS name can be names no service (and
    is not searched: every served service's prefix is looked for in it)."""
    host = request.host
    if len(host) > MAX_HOST:
        return None
    found = _AWS_HOST.match(host)
    return f".{found.group(1)}." if found else None


def _holds(labels: str, prefix: str) -> bool:
    """Whether the endpoint prefix ``prefix`` (``sqs``, ``runtime.sagemaker``) is a run of
    the Host's ``labels`` (a bucket or account may come before it)."""
    return f".{prefix}." in labels


class Router:
    """The served services' entries, and the choice of one for a request."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {e.name: e for e in entries}
        self._rest: dict[str, Any] = {}  # name -> codegen.protocols.rest.Router, on first use

    # -- evidence ----------------------------------------------------------------------------

    def _evidence(self, request: HttpRequest, scope: str | None) -> _Evidence:
        action, version = _query_fields(request)
        return _Evidence(
            scope=scope,
            target=request.headers.get("x-amz-target"),
            cbor=_cbor_route(request),
            action=action,
            version=version,
            host_labels=_host_labels(request),
            method=request.method.upper(),
            path=request.path or "/",
            query=None,
        )

    def _rest_router(self, entry: Entry) -> Any:
        router = self._rest.get(entry.name)
        if router is None:
            from codegen.protocols.rest import Router as RestRouter

            tables = ServiceTables(
                name=entry.name,
                api_version=entry.api_version,
                protocol=entry.protocols[0],
                protocols=entry.protocols,
                shapes={},
                operations={
                    name: Operation(name, method=method, request_uri=uri)
                    for name, (method, uri) in entry.operations.items()
                },
            )
            router = self._rest[entry.name] = RestRouter(tables)
        return router

    # -- scoring -----------------------------------------------------------------------------

    def fit(
        self, entry: Entry, evidence: _Evidence, request: HttpRequest
    ) -> tuple[int, tuple[int, int, int]]:
        """How well ``request`` fits ``entry``: (level, the URI template's specificity).

        Level 3: a query request of its API version naming one of its operations; 2: a request
        in one of its protocols' forms naming one of its operations; 1: in its form, naming no
        operation of it (a known target prefix, a path another method takes, its ``Version``);
        0: not in any of its forms."""
        best = (0, (0, 0, 0))
        for protocol in entry.protocols:
            if protocol == "json" and evidence.target is not None:
                prefix, dot, operation = evidence.target.rpartition(".")
                if dot and prefix == entry.target_prefix:
                    best = max(best, (2 if operation in entry.operations else 1, (0, 0, 0)))
            elif protocol == "smithy-rpc-v2-cbor" and evidence.cbor is not None:
                service, operation = evidence.cbor
                if service == entry.target_prefix:
                    best = max(best, (2 if operation in entry.operations else 1, (0, 0, 0)))
            elif protocol in QUERY and (evidence.action is not None):
                same_version = evidence.version == entry.api_version
                if evidence.action in entry.operations:
                    best = max(best, (3 if same_version else 2, (0, 0, 0)))
                elif same_version:
                    best = max(best, (1, (0, 0, 0)))
            elif protocol in REST and evidence.target is None and evidence.cbor is None:
                best = max(best, self._rest_fit(entry, evidence, request))
        return best

    def _rest_fit(
        self, entry: Entry, evidence: _Evidence, request: HttpRequest
    ) -> tuple[int, tuple[int, int, int]]:
        from codegen.protocols.rest import query_values

        router = self._rest_router(entry)
        path = evidence.path
        if entry.name == "s3":  # the bucket of a virtual host goes in front of the path
            from codegen.protocols.s3 import virtual_bucket

            bucket = virtual_bucket(request.host)
            if bucket is not None:
                from urllib.parse import quote

                path = f"/{quote(bucket, safe='')}" + ("" if path == "/" else path)
        if evidence.query is None:
            try:
                evidence.query = query_values(request.query, "MalformedQueryString")
            except ProtocolError:  # the protocol answers the malformed query string
                evidence.query = {}
        route = router.route(evidence.method, path, evidence.query, request.headers)
        if route is not None:
            return 2, route.static_rank
        return (1, (0, 0, 0)) if router.matches_any(path) else (0, (0, 0, 0))

    # -- the choice ----------------------------------------------------------------------------

    def route(self, request: HttpRequest, scope: str | None = None) -> str | Unroutable:
        """The name of the served service ``request`` is for, or what was tried.

        ``scope``: the credential scope's service (:func:`credential_scope`), if any."""
        evidence = self._evidence(request, scope)
        tried: list[str] = []
        candidates = list(self.entries.values())
        strange_scope = False
        if scope is not None:
            named = [e for e in candidates if scope in e.names]
            if named:
                candidates = named
            else:  # a signing name no model states (S3's directory buckets sign as s3express)
                strange_scope = True
        hosted_by_name = False
        if evidence.host_labels is not None:
            labels = evidence.host_labels
            hosted = [
                e for e in candidates if e.endpoint_prefix and _holds(labels, e.endpoint_prefix)
            ]
            hosted_by_name = bool(hosted)
            if hosted:
                longest = max(len(e.endpoint_prefix.split(".")) for e in hosted)
                candidates = [e for e in hosted if len(e.endpoint_prefix.split(".")) == longest]
        scored = [(self.fit(e, evidence, request), e) for e in candidates]
        best = max((score for score, _ in scored), default=(0, (0, 0, 0)))
        if strange_scope and best[0] < 2:  # only a request naming an operation goes on
            signing = sorted(
                {
                    e.signing_name or e.name
                    if e.signing_name in (e.name, "")
                    else f"{e.signing_name} ({e.name})"
                    for e in self.entries.values()
                }
            )
            tried.append(
                f"the credential scope names the service {_shown(scope or '')}, which no served"
                f" service signs with (they sign with {_listing(signing)}), and the request"
                " names no operation of any"
            )
            return self._unroutable(tried, evidence, request)
        if best[0] > 0:
            winners = [e for score, e in scored if score == best]
            if len(winners) > 1 and scope is None and not hosted_by_name:
                # nothing but the form tells, and it fits several services alike: a guess
                # would answer for the wrong one (an unsigned GET / is s3's ListBuckets and
                # mediastore-data's ListItems)
                names = _listing(sorted(e.name for e in winners))
                tried.append(
                    "no credential scope (the request is not signed) and no service's host,"
                    f" and {evidence.method} {_shown(evidence.path)} fits {names} alike: sign"
                    " the request (its credential scope names the service) or serve only the"
                    " service meant (apigen serve --service NAME)"
                )
                return self._unroutable(tried, evidence, request)
            return min(winners, key=lambda e: (e.name != scope, e.name)).name
        if len(candidates) == 1:
            return candidates[0].name  # its protocol answers the precise error
        if scope is not None:
            same = [e for e in candidates if e.name == scope]
            if len(same) == 1:
                return same[0].name
        tried.extend(self._what_was_tried(evidence, candidates, scope))
        return self._unroutable(tried, evidence, request)

    def _what_was_tried(
        self, evidence: _Evidence, candidates: Sequence[Entry], scope: str | None
    ) -> list[str]:
        names = _listing(sorted(e.name for e in candidates))
        among = f"the services signing as {_shown(scope)} ({names})" if scope else names
        tried = []
        if scope is None:
            tried.append("no credential scope (the request is not signed)")
        if evidence.target is not None:
            prefixes = sorted({e.target_prefix for e in candidates if "json" in e.protocols})
            tried.append(
                f"X-Amz-Target {_shown(evidence.target)} names no operation of {among}"
                f" (their target prefixes: {_listing(prefixes)})"
            )
        elif evidence.cbor is not None:
            tried.append(
                f"the path {_shown(evidence.path)} names no smithy-rpc-v2-cbor service of {among}"
            )
        elif evidence.action is not None:
            tried.append(
                f"Action {_shown(evidence.action)} (Version {_shown(evidence.version or '')})"
                f" is no operation of {among}"
            )
        else:
            tried.append(
                f"{evidence.method} {_shown(evidence.path)} has no X-Amz-Target, no Action and"
                f" matches no URI template of {among}"
            )
        return tried

    def _unroutable(
        self, tried: list[str], evidence: _Evidence, request: HttpRequest
    ) -> Unroutable:
        form, version = error_form(request)
        return Unroutable(tuple(tried), form, version)


def _listing(names: Sequence[str], most: int = 12) -> str:
    if not names:
        return "none"
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f", ... ({len(names)} in all)"


def error_form(request: HttpRequest) -> tuple[str, str]:
    """The protocol (and JSON version) whose error envelope a request is answered in when no
    service can answer it: its form (``X-Amz-Target``: json; a ``/service/`` path: CBOR; a
    form or ``Action``: query; an XML body: rest-xml; else rest-json)."""
    media = request.media_type
    if "x-amz-target" in request.headers:
        return "json", "1.1" if media.endswith("1.1") else "1.0"
    if _cbor_route(request) is not None or media == "application/cbor":
        return "smithy-rpc-v2-cbor", ""
    if media == FORM or "Action=" in request.query:
        return "query", ""
    if media.endswith("xml"):
        return "rest-xml", ""
    return "rest-json", ""
