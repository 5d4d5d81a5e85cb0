"""What a protocol needs to know of one service, as plain data: the generated tables' types.

A served package's generated ``protocol.py`` holds one :class:`ServiceTables` literal: the
service's metadata, every shape a request or response can reach, every operation with its HTTP
binding, all with the model's wire names (``locationName``, ``queryName``, ``jsonName``-style
keys, XML namespaces, timestamp formats, ...). Wire names are taken from the model by the
generator, never typed by hand; protocols read them here.

Every field has a default (the model's own default) so that a literal states only what differs,
and new fields can be added without touching older generated code. Values follow botocore's
model vocabulary; names are snake_case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = ["Operation", "Ref", "ServiceTables", "Shape"]


class Ref(NamedTuple):
    """A reference to a shape: a structure member, a list's member, a map's key or value."""

    name: str  # the member's name: the key in botocore-style params ("" for list/map parts)
    shape: str  # the shape referred to (a key of ServiceTables.shapes)
    location: str = ""  # "" (the body), "uri", "querystring", "header", "headers", "statusCode"
    location_name: str = ""  # the wire name when it differs from ``name`` (element, key, header)
    query_name: str = ""  # ec2's queryName
    flattened: bool = False  # XML: list/map members written without a wrapper element
    xml_attribute: bool = False
    xml_namespace: tuple[str, str] | None = None  # (prefix, uri); prefix "" for xmlns=
    timestamp_format: str = ""  # "iso8601", "rfc822", "unixTimestamp" ("" = the protocol's)
    json_value: bool = False  # a header carrying base64-encoded JSON text
    host_label: bool = False  # part of the endpoint's host prefix
    event_payload: bool = False
    event_header: bool = False
    idempotency_token: bool = False
    streaming: bool = False  # a blob (or string) payload streamed as the body (S3's Body)

    @property
    def wire(self) -> str:
        """The name on the wire: ``location_name``, else ``name``."""
        return self.location_name or self.name


class Shape(NamedTuple):
    """A shape, with what any protocol needs to read or write a value of it."""

    # structure, list, map, string, integer, long, float, double, boolean, timestamp, blob
    type: str
    members: tuple[Ref, ...] = ()  # a structure's members, in model order
    member: Ref | None = None  # a list's member
    key: Ref | None = None  # a map's key
    value: Ref | None = None  # a map's value
    required: tuple[str, ...] = ()
    payload: str = ""  # a structure's member that is the whole HTTP payload
    timestamp_format: str = ""
    flattened: bool = False
    location_name: str = ""  # e.g. an XML list's member element name given on the shape
    xml_namespace: tuple[str, str] | None = None
    streaming: bool = False  # a blob (or string) payload streamed as the body itself
    event_stream: bool = False  # a structure that is an event stream
    event: bool = False  # a structure that is one event of an event stream
    exception: bool = False  # an error shape
    error_code: str = ""  # error.code (the code query-compatible and XML services send)
    error_status: int = 0  # error.httpStatusCode (0: the protocol's default)
    sender_fault: bool = True  # error.senderFault / not "fault"
    union: bool = False
    document: bool = False
    sparse: bool = False
    enum: tuple[str, ...] = ()
    min: float | None = None  # a string's or blob's least length, a list's or map's least size,
    max: float | None = None  # a number's least value (and the greatest of each)
    pattern: str = ""  # a string's regular expression (for the messages AWS sends)


class Operation(NamedTuple):
    """An operation and its HTTP binding."""

    name: str
    input: str = ""  # the input shape ("" when it takes none)
    output: str = ""  # the output shape ("" when it returns none)
    errors: tuple[str, ...] = ()  # the modeled error shapes
    method: str = "POST"
    request_uri: str = "/"  # the URI template: "/{Bucket}/{Key+}?uploads"
    response_code: int = 200
    result_wrapper: str = ""  # query: the element wrapping the result
    input_location_name: str = ""  # rest-xml: the request payload's root element
    input_xml_namespace: str = ""
    host_prefix: str = ""  # endpoint.hostPrefix: "{AccountId}." ...
    auth_type: str = ""  # botocore's authtype ("none", "v4-unsigned-body", ...)
    checksum_required: bool = False
    deprecated: bool = False


class ServiceTables(NamedTuple):
    """One service, as its served package's ``protocol.py`` states it."""

    name: str  # botocore's service name: "ec2", "s3", "sqs"
    api_version: str
    protocol: str  # metadata.protocol
    protocols: tuple[str, ...]  # metadata.protocols (else (protocol,)), in the model's order
    shapes: Mapping[str, Shape]
    operations: Mapping[str, Operation]
    target_prefix: str = ""  # json / cbor: the X-Amz-Target prefix or Smithy service name
    json_version: str = ""  # "1.0" or "1.1"
    signing_name: str = ""  # the SigV4 scope's service (metadata.signingName or endpointPrefix)
    endpoint_prefix: str = ""
    service_id: str = ""
    xml_namespace: str = ""
    aws_query_compatible: bool = False
    examples: Mapping[str, Mapping[str, Any]] = {}  # operation -> a valid example result
    # error shape -> a valid example of its members other than the message (for modeled errors)
    error_examples: Mapping[str, Mapping[str, Any]] = {}
