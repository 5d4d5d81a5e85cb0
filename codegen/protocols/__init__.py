"""The wire protocols of AWS services, as the stub server speaks them.

Ordinary Python (standard library only, linted and typed as the rest of the toolkit) that every
served package carries: the protocol generator copies this package verbatim into the package it
writes (as ``_protocols/``), beside a generated ``protocol.py`` that holds what is specific to
one service (its :class:`~codegen.protocols.tables.ServiceTables`: shapes, operations, routes,
wire names, example results) and builds one :class:`~codegen.protocols.base.Protocol` per wire
protocol the service speaks. Every module here therefore imports its siblings relatively and
nothing of ``codegen`` outside this package.

The contract, for every protocol::

    HttpRequest --Protocol.parse_request--> Request(operation, params)      (or ProtocolError)
    result      --Protocol.serialize_response--> HttpResponse
    ServiceError / ProtocolError --Protocol.serialize_error--> HttpResponse

* An :class:`~codegen.protocols.http.HttpRequest` is the whole HTTP request (method, raw path,
  raw query string, headers, body); an :class:`~codegen.protocols.http.HttpResponse` the whole
  response (status, headers, body). Routing is the protocol's business: ``Action`` for query and
  ec2, ``X-Amz-Target`` for json, the ``/service/S/operation/O`` path for CBOR, method and URI
  template for the REST protocols (:meth:`~codegen.protocols.base.Protocol.operation_for`).
* ``params`` and ``result`` are botocore-style Python values (what a boto3 client is given and
  returns: ``dict``/``list``/``str``/``int``/``float``/``bool``/``bytes``/``datetime``), checked
  by the service's strict generated validators before any behaviour sees them. Hand-written
  behaviour never sees the wire.
* :class:`~codegen.protocols.errors.ProtocolError` is the client's fault (a 4xx in the
  protocol's error envelope); any other exception from a protocol is a bug of ours.

The class tree (what differs between protocols is a subclass overriding a few methods, as in
botocore's ``serialize.py``)::

    Protocol                       base.py       the contract; routing, validation errors
    +-- QueryProtocol              query.py      form bodies, Action routing, XML results
    |   +-- Ec2Protocol            ec2.py        EC2's names, flattened lists, envelope, DryRun
    +-- TreeProtocol               tree.py       bodies that are trees: reading/writing by shape
    |   +-- JsonProtocol           json.py       X-Amz-Target routing, JSON 1.0 / 1.1 bodies
    |   +-- RpcV2CborProtocol      rpcv2cbor.py  /service/S/operation/O, CBOR bodies
    +-- RestProtocol               rest.py       URI templates, headers, query strings, payloads
        +-- RestJsonProtocol       restjson.py
        +-- RestXmlProtocol        restxml.py
            +-- S3Protocol         s3.py         virtual hosts, aws-chunked uploads

Beside them: ``values.py`` (timestamps, floats, blobs as text), ``xml.py`` (XML bodies: element
names from the tables, escaping, the generic writer), ``validation.py`` (the validators' issues
in AWS's words), ``cbor.py`` (the CBOR codec), ``eventstream.py`` (event-stream framing).

:data:`PROTOCOLS` maps botocore's protocol names to these classes, :data:`SERVICE_PROTOCOLS` a
(protocol, service) pair to a service's own subclass (``("rest-xml", "s3")``: S3's virtual
hosts and uploads live there, not in flags of the generic code); :func:`create_protocol` builds
one for a service's tables. A served package carries only the modules its protocols import
(``codegen.generators.protocol.runtime_modules``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .base import Protocol, Request, Validate
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse
from .tables import ServiceTables

__all__ = [
    "PROTOCOLS",
    "SERVICE_PROTOCOLS",
    "HttpRequest",
    "HttpResponse",
    "Protocol",
    "ProtocolError",
    "Request",
    "ServiceError",
    "ServiceTables",
    "create_protocol",
    "protocol_class",
]

# botocore's protocol name -> the class that speaks it. Filled in as protocols are written.
PROTOCOLS: dict[str, type[Protocol]] = {}
# (botocore's protocol name, service name) -> the subclass that speaks it for that service
SERVICE_PROTOCOLS: dict[tuple[str, str], type[Protocol]] = {}


def register(name: str, service: str = "") -> Callable[[type[Protocol]], type[Protocol]]:
    """Class decorator: ``@register("query")`` makes the class speak botocore's ``query``;
    ``@register("rest-xml", service="s3")`` makes it speak ``rest-xml`` for S3 alone."""

    def add(cls: type[Protocol]) -> type[Protocol]:
        if service:
            SERVICE_PROTOCOLS[(name, service)] = cls
        else:
            PROTOCOLS[name] = cls
        return cls

    return add


def protocol_class(name: str, service: str) -> type[Protocol]:
    """The class that speaks protocol ``name`` (botocore's name: ``query``, ``ec2``, ``json``,
    ``rest-json``, ``rest-xml``, ``smithy-rpc-v2-cbor``) for ``service``: the service's own
    subclass where it has one (:data:`SERVICE_PROTOCOLS`)."""
    _load_all()
    try:
        return SERVICE_PROTOCOLS.get((name, service)) or PROTOCOLS[name]
    except KeyError:
        raise ValueError(
            f"no protocol {name!r}; this package speaks {', '.join(sorted(PROTOCOLS)) or 'none'}"
        ) from None


def create_protocol(name: str, tables: ServiceTables, validate: Validate) -> Protocol:
    """The protocol ``name`` for one service's tables."""
    return protocol_class(name, tables.name)(tables, validate)


def supported() -> Mapping[str, type[Protocol]]:
    """botocore's protocol names -> the classes that speak them (every module loaded)."""
    _load_all()
    return PROTOCOLS


def _load_all() -> None:
    """Import every protocol module so that each registers itself (the modules that do not
    exist yet are skipped: the registry says what this package speaks)."""
    import importlib

    for module in ("query", "ec2", "json", "rpcv2cbor", "restjson", "restxml", "s3"):
        try:
            importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{module}":
                raise
