"""S3: ``rest-xml`` with S3's own addressing, uploads, integrity checks and errors.

What S3 does beyond :class:`~.restxml.RestXmlProtocol` (and no model states, so it is written
here, once):

* **Addressing.** Path style (``/bucket/key``) and virtual-host style, the bucket in the Host
  header: ``bucket.localhost:PORT``, ``bucket.s3.localhost``, ``bucket.s3.amazonaws.com``,
  ``bucket.s3.us-east-1.amazonaws.com``, ``bucket.s3-website-...`` (everything before a label
  ``s3`` or ``s3-*``, else before a final ``localhost``); a Host that is an IP address,
  ``localhost`` or ``s3.*`` itself carries no bucket. A virtual host's bucket is put in front of
  the path before routing, so ``PUT /`` on ``bucket.localhost`` is ``CreateBucket`` and
  ``GET /`` there ``ListObjects`` (``ListBuckets`` where there is no bucket). ``/bucket/``
  (the JavaScript SDK v3's path style) is the bucket: an object key is never empty.
* **aws-chunked uploads**, as boto3 and the other SDKs send them (``Content-Encoding:
  aws-chunked`` or an ``x-amz-content-sha256`` of ``STREAMING-...``): chunks of
  ``hex-size[;chunk-signature=...]\\r\\n data \\r\\n``, a final empty chunk, then trailers
  (``x-amz-checksum-crc32:...``) up to an empty line. The body is decoded (its length must be
  ``x-amz-decoded-content-length``), the trailers become headers (every announced one must
  come), ``aws-chunked`` leaves ``Content-Encoding``. Chunk signatures are checked for form
  (64 hex digits), not recomputed: verifying signatures is the server's ``--verify-signatures``
  business, which checks the seed signature.
* **Integrity.** ``Content-MD5`` is checked on every request that sends it (``InvalidDigest``
  when it is not the base64 of 16 bytes, ``BadDigest`` when it does not match); each
  ``x-amz-checksum-<algorithm>`` header or trailer (crc32, crc32c, crc64nvme, sha1, sha256,
  sha512, md5; :mod:`.checksums`) on the operations that take a flexible checksum of their body
  (those with an ``x-amz-sdk-checksum-algorithm`` member, and any aws-chunked upload):
  ``BadDigest`` when it does not match, ``InvalidRequest`` when it is not a digest; a hex
  ``x-amz-content-sha256`` must be the body's (``XAmzContentSHA256Mismatch``).
* **Errors**: ``<Error><Code/><Message/>...<RequestId/><HostId/></Error>`` (no namespace, as
  S3 sends it; an error's string fields the model does not state, such as ``NoSuchKey``'s
  ``Key`` and ``NoSuchBucket``'s ``BucketName``, as elements of their name), ``x-amz-request-id`` and ``x-amz-id-2`` headers; HEAD errors have no body
  (clients read the status). Parameters that do not validate: ``InvalidArgument`` (or the
  operation's modeled validation error), an unreadable XML body ``MalformedXML``, a header or
  query value of the wrong type ``InvalidArgument``, a method the path does not take
  ``MethodNotAllowed`` (405).
* **Responses** S3 writes its own way: ``GetBucketLocation``'s bare ``<LocationConstraint>``
  element (botocore reads the root's text), and listings whose ``EncodingType`` is ``url``
  (``ListObjects``, ``ListObjectsV2``, ``ListObjectVersions``) with their keys, prefixes and
  markers percent-encoded, as boto3 asks for them and decodes them; a ``GetObject`` that
  answers a range (``ContentRange``) is 206 Partial Content.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final
from urllib.parse import quote

from . import register
from .base import Request
from .checksums import ALGORITHMS, digest
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse
from .restxml import RestXmlProtocol, _escape

__all__ = ["S3Protocol", "decode_aws_chunked", "virtual_bucket"]

_IPV4: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_HEX: Final = re.compile(rb"[0-9A-Fa-f]{1,16}")
_SIGNATURE: Final = re.compile(rb"chunk-signature=[0-9a-f]{64}")
_SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}")
_MAX_CHUNK_LINE: Final = 256
_NAMESPACE: Final = "http://s3.amazonaws.com/doc/2006-03-01/"

# listings whose members S3 percent-encodes when EncodingType is url, as botocore decodes them
# (its handlers decode_list_object, decode_list_object_v2, decode_list_object_versions):
# operation -> (top-level members, (list member, its items' member) pairs)
_URL_ENCODED: Final = {
    "ListObjects": (
        ("Delimiter", "Marker", "NextMarker"),
        (("Contents", "Key"), ("CommonPrefixes", "Prefix")),
    ),
    "ListObjectsV2": (
        ("Delimiter", "Prefix", "StartAfter"),
        (("Contents", "Key"), ("CommonPrefixes", "Prefix")),
    ),
    "ListObjectVersions": (
        ("KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"),
        (("Versions", "Key"), ("DeleteMarkers", "Key"), ("CommonPrefixes", "Prefix")),
    ),
}


def virtual_bucket(host: str) -> str | None:
    """The bucket a Host header names (virtual-host style), or None (path style)."""
    if not host or host.startswith("[") or _IPV4.fullmatch(host):
        return None
    labels = host.split(".")
    if labels[0] == "s3" or labels[0].startswith("s3-"):
        return None
    for index, label in enumerate(labels[1:], start=1):
        if label == "s3" or label.startswith("s3-"):
            return ".".join(labels[:index])
    if len(labels) > 1 and labels[-1] == "localhost":
        return ".".join(labels[:-1])
    return None


class _Prepared(HttpRequest):
    """A request with the virtual host's bucket in its path and its aws-chunked body decoded."""


@dataclass(frozen=True)
class _Chunked:
    body: bytes
    trailers: dict[str, str]


def decode_aws_chunked(body: bytes) -> _Chunked:
    """An aws-chunked body -> the data and the trailers (lower-case names). Raises
    :class:`ValueError` saying what is wrong; linear in the body."""
    out = bytearray()
    pos = 0
    size = len(body)
    while True:
        eol = body.find(b"\r\n", pos, pos + _MAX_CHUNK_LINE)
        if eol < 0:
            raise ValueError(f"no chunk header at byte {pos}")
        head, _, extension = body[pos:eol].partition(b";")
        if not _HEX.fullmatch(head):
            raise ValueError(f"the chunk size at byte {pos} is not hexadecimal")
        if extension and not _SIGNATURE.fullmatch(extension):
            raise ValueError(f"the chunk extension at byte {pos} is not a chunk-signature")
        length = int(head, 16)
        pos = eol + 2
        if length == 0:
            break
        if pos + length + 2 > size:
            raise ValueError(f"the chunk at byte {pos} is cut short")
        out += body[pos : pos + length]
        pos += length
        if body[pos : pos + 2] != b"\r\n":
            raise ValueError(f"the chunk ending at byte {pos} is not followed by CRLF")
        pos += 2
    trailers: dict[str, str] = {}
    while pos < size:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            raise ValueError(f"the trailer at byte {pos} does not end with CRLF")
        line = body[pos:eol]
        pos = eol + 2
        if not line:
            break
        name, colon, value = line.partition(b":")
        if not colon:
            raise ValueError(f"the trailer line ending at byte {eol} has no colon")
        try:
            trailers[name.strip().decode("ascii").lower()] = value.strip().decode("ascii")
        except UnicodeDecodeError:
            raise ValueError(f"the trailer line ending at byte {eol} is not ASCII") from None
    if pos < size:
        raise ValueError(f"{size - pos} bytes follow the last trailer")
    return _Chunked(bytes(out), trailers)


@register("rest-xml", service="s3")
class S3Protocol(RestXmlProtocol):
    """``rest-xml`` as S3 speaks it."""

    value_error_code: ClassVar[str] = "InvalidArgument"
    body_error_code: ClassVar[str] = "MalformedXML"
    default_validation_code: ClassVar[str] = "InvalidArgument"
    unknown_operation_code: ClassVar[str] = "InvalidRequest"
    unknown_operation_status: ClassVar[int] = 400
    method_not_allowed_code: ClassVar[str] = "MethodNotAllowed"
    # an object's bytes, held in memory: enough for boto3's multipart parts (8 MiB) and
    # objects of tens of MiB (S3's own limit, 5 GiB for one PutObject, is no stub's)
    max_body: ClassVar[int] = 64 << 20

    def __init__(self, tables: Any, validate: Any) -> None:
        super().__init__(tables, validate)
        self._prefixed = [op.name for op in tables.operations.values() if op.host_prefix]
        if not self.namespace:
            self.namespace = self.xml.default_namespace = _NAMESPACE

    # -- requests --------------------------------------------------------------------------

    def route_path(self, request: HttpRequest) -> str:
        if isinstance(request, _Prepared):
            return request.path
        return self._bucket_path(request)

    def _bucket_path(self, request: HttpRequest) -> str:
        path = request.path or "/"
        bucket = virtual_bucket(request.host)
        if bucket is not None and not self._host_prefixed(request.method, path):
            path = f"/{quote(bucket, safe='')}" + ("" if path == "/" else path)
        if len(path) > 2 and path.endswith("/") and path.count("/") == 2:
            # "/bucket/" (the JavaScript SDK's path style): the bucket, an object key is never empty
            path = path[:-1]
        return path

    def _host_prefixed(self, method: str, path: str) -> bool:
        """Whether an operation with an endpoint host prefix takes this path as it is
        (``WriteGetObjectResponse`` on ``{RequestRoute}.s3-object-lambda...``: the host's first
        label is its request route, not a bucket)."""
        method = method.upper()
        for name in self._prefixed:
            route = self.router.by_operation[name]
            if route.method == method and route.matches_path(path) is not None:
                return True
        return False

    def parse_request(self, request: HttpRequest) -> Request:
        return super().parse_request(self.prepare(request))

    def prepare(self, request: HttpRequest) -> HttpRequest:
        """The request as routing and parsing read it: the virtual host's bucket in the path,
        an aws-chunked body decoded (its trailers as headers)."""
        if isinstance(request, _Prepared):
            return request
        headers = dict(request.headers)
        body = request.body
        encodings = [
            e.strip() for e in headers.get("content-encoding", "").split(",") if e.strip()
        ]
        sha = headers.get("x-amz-content-sha256", "")
        if "aws-chunked" in encodings or sha.startswith("STREAMING-"):
            body = self._dechunk(body, headers)
            encodings = [e for e in encodings if e != "aws-chunked"]
            if encodings:
                headers["content-encoding"] = ", ".join(encodings)
            else:
                headers.pop("content-encoding", None)
            headers["content-length"] = str(len(body))
            headers["x-apigen-aws-chunked"] = "true"
        elif _SHA256_HEX.fullmatch(sha) and hashlib.sha256(body).hexdigest() != sha:
            raise ProtocolError(
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
        return _Prepared(request.method, self._bucket_path(request), request.query, headers, body)

    def _dechunk(self, body: bytes, headers: dict[str, str]) -> bytes:
        try:
            chunked = decode_aws_chunked(body)
        except ValueError as error:
            raise ProtocolError(
                "IncompleteBody", f"The aws-chunked request body is malformed: {error}."
            ) from None
        declared = headers.get("x-amz-decoded-content-length")
        if declared is not None and declared.strip() != str(len(chunked.body)):
            raise ProtocolError(
                "IncompleteBody",
                f"The aws-chunked body holds {len(chunked.body)} bytes; the"
                f" x-amz-decoded-content-length header says {declared.strip()!r}.",
            )
        announced = [t.strip().lower() for t in headers.get("x-amz-trailer", "").split(",")]
        for name in announced:
            if name and name not in chunked.trailers:
                raise ProtocolError(
                    "InvalidRequest",
                    f"The trailer {name} announced in x-amz-trailer is missing from the body.",
                )
        for name, value in chunked.trailers.items():
            if name != "x-amz-trailer-signature":
                headers[name] = value
        return chunked.body

    def read_params(self, operation: str, request: HttpRequest) -> dict[str, Any]:
        self._verify(operation, request)
        return super().read_params(operation, request)

    def _verify(self, operation: str, request: HttpRequest) -> None:
        headers = request.headers
        body = request.body
        md5 = headers.get("content-md5")
        if md5 is not None:
            try:
                expected = base64.b64decode(md5.strip(), validate=True)
            except (binascii.Error, ValueError):
                expected = b""
            if len(expected) != 16:
                raise ProtocolError("InvalidDigest", "The Content-MD5 you specified was invalid.")
            if hashlib.md5(body).digest() != expected:
                raise ProtocolError(
                    "BadDigest", "The Content-MD5 you specified did not match what we received."
                )
        if not (headers.get("x-apigen-aws-chunked") or self._takes_checksum(operation)):
            return
        for algorithm in ALGORITHMS:
            given = headers.get(f"x-amz-checksum-{algorithm}")
            if given is None:
                continue
            try:
                raw = base64.b64decode(given.strip(), validate=True)
            except (binascii.Error, ValueError):
                raw = b""
            if len(raw) != len(ALGORITHMS[algorithm](b"")):
                raise ProtocolError(
                    "InvalidRequest", f"Value for x-amz-checksum-{algorithm} header is invalid."
                )
            if digest(algorithm, body) != base64.b64encode(raw).decode("ascii"):
                raise ProtocolError(
                    "BadDigest",
                    f"The {algorithm.upper()} you specified did not match the calculated"
                    " checksum.",
                )

    def _takes_checksum(self, operation: str) -> bool:
        plan = self.input_plan(operation)
        return "x-amz-sdk-checksum-algorithm" in plan.header_names

    # -- responses -------------------------------------------------------------------------

    def response_headers(self, request_id: str) -> list[tuple[str, str]]:
        return [("x-amz-request-id", request_id), ("x-amz-id-2", _host_id(request_id))]

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        if operation == "GetBucketLocation":
            response = HttpResponse(200, self.response_headers(request_id))
            location = result.get("LocationConstraint")
            text = _escape(str(location)) if location else ""
            response.body = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<LocationConstraint xmlns="{self.namespace}">{text}</LocationConstraint>'
            ).encode()
            response.headers.append(("Content-Type", self.content_type))
            return response
        if operation in _URL_ENCODED and result.get("EncodingType") == "url":
            result = _url_encoded(operation, result)
        response = super().serialize_response(operation, result, request_id)
        if operation == "GetObject" and result.get("ContentRange") and response.status == 200:
            response.status = 206  # Partial Content: a Range's bytes, as S3 answers them
        return response

    def write_error(
        self,
        response: HttpResponse,
        error: ServiceError,
        shape_name: str,
        fields: Mapping[str, Any],
        request_id: str,
    ) -> None:
        inner = f"<Code>{_escape(error.code)}</Code><Message>{_escape(error.message)}</Message>"
        inner += self._error_fields(shape_name, fields)
        modeled = {ref.name for ref in self.error_plan(shape_name).body} if shape_name else set()
        for (
            name,
            value,
        ) in error.fields.items():  # S3's unmodeled details: <Key>, <BucketName>, ...
            if isinstance(value, str) and name not in modeled and name.isalnum():
                inner += f"<{name}>{_escape(value)}</{name}>"
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{inner}'
            f"<RequestId>{_escape(request_id)}</RequestId>"
            f"<HostId>{_host_id(request_id)}</HostId></Error>"
        )
        response.headers.append(("Content-Type", self.content_type))
        response.body = body.encode()


def _host_id(request_id: str) -> str:
    return base64.b64encode(hashlib.sha256(request_id.encode()).digest()).decode("ascii")


def _url_encoded(operation: str, result: Mapping[str, Any]) -> dict[str, Any]:
    names, nested = _URL_ENCODED[operation]
    out = dict(result)

    def encode(value: Any) -> Any:
        return quote(value, safe="/") if isinstance(value, str) else value

    for name in names:
        if name in out:
            out[name] = encode(out[name])
    for group, key in nested:
        if isinstance(out.get(group), list):
            out[group] = [
                {**item, key: encode(item[key])}
                if isinstance(item, Mapping) and key in item
                else item
                for item in out[group]
            ]
    return out
