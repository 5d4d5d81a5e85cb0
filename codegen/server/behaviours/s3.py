"""S3 buckets and objects as S3 answers them: what no model states, on Python values.

The derived engine (:mod:`codegen.server.engine`) keeps records shaped like a read's output;
an S3 object is bytes with headers, listed in key order with prefixes, delimiters and markers,
so these behaviours are written by hand. They see botocore-style params (``Body`` as bytes,
``Metadata`` as a dict: the S3 protocol has already read paths, virtual hosts, aws-chunked
bodies and checked every checksum) and return botocore-style results; errors are
:class:`ApiError` with S3's codes, messages and statuses.

State (``codegen/server/state.py``): ``s3_buckets`` per account (a bucket's name is the
account's in every region, as AWS's one namespace is; the region it was created in is kept
for ``GetBucketLocation``), ``s3_objects`` keyed by account, bucket and the key's UTF-8 bytes
(a BLOB, so SQLite's ``memcmp`` order is S3's listing order and a range scan on the primary
key reads a page), ``s3_uploads`` and ``s3_parts`` for multipart uploads,
``s3_bucket_configs`` for each bucket's configurations (one JSON value a kind).

* **Objects**: bytes stored exactly as given; ``ETag`` the MD5 of the bytes in hex, quoted; a
  multipart object's ETag the MD5 of its parts' binary MD5s, ``-`` and the number of parts.
  ``Content-Type`` (default ``binary/octet-stream``), ``Content-Encoding``,
  ``Content-Disposition``, ``Content-Language``, ``Cache-Control``, ``Expires``, user metadata
  (``x-amz-meta-*``) and the flexible checksums boto3 sends (``ChecksumCRC32`` ...) are kept
  and returned as given (checksums with ``ChecksumMode=ENABLED``, as S3 does). ``Range:
  bytes=a-b`` / ``a-`` / ``-n`` returns those bytes with ``ContentRange``.
  ``GetObjectAttributes`` answers the attributes asked for from the stored object (the ETag
  unquoted, as S3 gives it there). An object's tags (``Tagging`` of ``PutObject`` and
  ``CreateMultipartUpload``, ``PutObjectTagging``, ``GetObjectTagging``,
  ``DeleteObjectTagging``; ``TagCount`` on GET and HEAD; ``CopyObject`` copies them unless
  ``TaggingDirective`` is ``REPLACE``) are kept with its headers. Conditional writes:
  ``PutObject`` with ``If-None-Match: *`` fails (412 ``PreconditionFailed``) on an existing
  key, with ``If-Match`` on another ETag (a missing key: ``NoSuchKey``).
* **Listing**: ``ListObjects`` and ``ListObjectsV2`` with ``Prefix``, ``Delimiter``
  (``CommonPrefixes``), ``MaxKeys`` (at most 1000), ``Marker``/``NextMarker``,
  ``StartAfter``, ``ContinuationToken``/``NextContinuationToken``. A page reads at most
  ``MaxKeys`` + 1 index ranges, however many keys a common prefix groups (each prefix is
  skipped with one range query past its last possible key).
* **Bucket configurations** (:data:`CONFIGURATIONS`): what ``PutBucketTagging``,
  ``PutBucketPolicy``, ``PutBucketCors``, ``PutBucketVersioning``, ... put is what the matching
  ``Get`` answers, until its ``Delete``; which member of the ``Put`` holds it (its payload) and
  how the ``Get`` returns it (as a member of that name, else the payload's members) are read
  from the model. What S3 answers for a configuration never put is S3's, written here: a
  ``NoSuch...`` error (``NoSuchTagSet``, ``NoSuchBucketPolicy``, ``NoSuchCORSConfiguration``,
  ...: 404), or the default every new bucket has had since 2023 (``AES256`` encryption, the
  four public access blocks, ``BucketOwnerEnforced``), or an empty answer (versioning never
  enabled). ``DeleteBucket`` forgets them.
* **Errors**: ``NoSuchBucket`` and ``NoSuchKey`` (404; HEAD answers a bare 404, as S3),
  ``BucketNotEmpty`` (409), ``BucketAlreadyOwnedByYou`` (409, outside us-east-1 where S3 answers
  200 for its legacy reasons), ``BucketAlreadyExists`` (409, another account's name),
  ``InvalidBucketName``, ``KeyTooLongError``, ``InvalidRange`` (416), ``NoSuchUpload``,
  ``InvalidPart``, ``InvalidPartOrder``, ``MalformedXML``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final
from urllib.parse import parse_qsl, unquote

from codegen.model import ServiceModel
from codegen.server.context import Context
from codegen.server.errors import ApiError
from codegen.server.state import dumps

__all__ = ["S3", "behaviours"]

MAX_KEYS: Final = 1000  # a listing page's most entries, whatever MaxKeys asks for
MAX_KEY_BYTES: Final = 1024
MAX_PARTS: Final = 10_000
MAX_OBJECT_TAGS: Final = 10
DEFAULT_TYPE: Final = "binary/octet-stream"
# The headers of an object kept with it and returned on GET and HEAD (param names).
KEPT: Final = (
    "ContentType",
    "ContentEncoding",
    "ContentDisposition",
    "ContentLanguage",
    "CacheControl",
    "Expires",
    "WebsiteRedirectLocation",
    "StorageClass",
    "ServerSideEncryption",
)
CHECKSUMS: Final = (
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumSHA1",
    "ChecksumSHA256",
)
# S3's rules for a new bucket's name (general purpose buckets).
_BUCKET_NAME: Final = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_LIKE: Final = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_RANGE: Final = re.compile(r"bytes=([0-9]{0,20})-([0-9]{0,20})")
_COPY_RANGE: Final = re.compile(r"bytes=([0-9]{1,20})-([0-9]{1,20})")


def _missing(code: str, message: str) -> Callable[[str], ApiError]:
    def error(bucket: str) -> ApiError:
        return ApiError(code, message, 404, fields={"BucketName": bucket})

    return error


# A bucket configuration: its kind (the Put, Get and Delete operations' common suffix), the
# operations' names, and what S3 answers for it when none was put: an error (a function of the
# bucket's name), or a result. Which member of the Put holds the configuration, and how the Get
# gives it back, are the model's (S3Configurations reads them).
_ALWAYS_ENCRYPTED: Final = {
    "Rules": [
        {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BucketKeyEnabled": False,
        }
    ]
}
CONFIGURATIONS: Final[dict[str, tuple[str, str, str | None, Any]]] = {
    # kind: (put, get, delete, the answer when none was put)
    "Tagging": (
        "PutBucketTagging",
        "GetBucketTagging",
        "DeleteBucketTagging",
        _missing("NoSuchTagSet", "The TagSet does not exist"),
    ),
    "Policy": (
        "PutBucketPolicy",
        "GetBucketPolicy",
        "DeleteBucketPolicy",
        _missing("NoSuchBucketPolicy", "The bucket policy does not exist"),
    ),
    "Cors": (
        "PutBucketCors",
        "GetBucketCors",
        "DeleteBucketCors",
        _missing("NoSuchCORSConfiguration", "The CORS configuration does not exist"),
    ),
    "Lifecycle": (
        "PutBucketLifecycleConfiguration",
        "GetBucketLifecycleConfiguration",
        "DeleteBucketLifecycle",
        _missing("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"),
    ),
    "Website": (
        "PutBucketWebsite",
        "GetBucketWebsite",
        "DeleteBucketWebsite",
        _missing(
            "NoSuchWebsiteConfiguration",
            "The specified bucket does not have a website configuration",
        ),
    ),
    "Replication": (
        "PutBucketReplication",
        "GetBucketReplication",
        "DeleteBucketReplication",
        _missing(
            "ReplicationConfigurationNotFoundError", "The replication configuration was not found"
        ),
    ),
    "Encryption": (
        "PutBucketEncryption",
        "GetBucketEncryption",
        "DeleteBucketEncryption",
        {"ServerSideEncryptionConfiguration": _ALWAYS_ENCRYPTED},
    ),
    "PublicAccessBlock": (
        "PutPublicAccessBlock",
        "GetPublicAccessBlock",
        "DeletePublicAccessBlock",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            }
        },
    ),
    "OwnershipControls": (
        "PutBucketOwnershipControls",
        "GetBucketOwnershipControls",
        "DeleteBucketOwnershipControls",
        {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}},
    ),
    "Versioning": ("PutBucketVersioning", "GetBucketVersioning", None, {}),
    "Accelerate": (
        "PutBucketAccelerateConfiguration",
        "GetBucketAccelerateConfiguration",
        None,
        {},
    ),
    "RequestPayment": (
        "PutBucketRequestPayment",
        "GetBucketRequestPayment",
        None,
        {"Payer": "BucketOwner"},
    ),
    "Logging": ("PutBucketLogging", "GetBucketLogging", None, {}),
    "Notification": (
        "PutBucketNotificationConfiguration",
        "GetBucketNotificationConfiguration",
        None,
        {},
    ),
}
MAX_BUCKET_TAGS: Final = 50


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _etag(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


def _successor(prefix: bytes) -> bytes | None:
    """The least byte string greater than every string that starts with ``prefix`` (None: no
    such bound, for an empty prefix or one of 0xFF bytes only)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


def _owner(account: str) -> dict[str, str]:
    return {"ID": hashlib.sha256(account.encode()).hexdigest(), "DisplayName": "apigen"}


class S3:
    """The behaviours of S3's bucket and object operations."""

    # -- buckets -----------------------------------------------------------------------------

    def create_bucket(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Bucket"]
        if not _BUCKET_NAME.fullmatch(name) or ".." in name or _IP_LIKE.fullmatch(name):
            raise ApiError("InvalidBucketName", "The specified bucket is not valid.", 400)
        location = (params.get("CreateBucketConfiguration") or {}).get("LocationConstraint")
        region = location or "us-east-1"
        with ctx.state.transaction() as db:
            taken = db.execute("SELECT account FROM s3_buckets WHERE name = ?", (name,)).fetchall()
            if any(row[0] == ctx.account for row in taken):
                if ctx.region != "us-east-1":
                    raise ApiError(
                        "BucketAlreadyOwnedByYou",
                        "Your previous request to create the named bucket succeeded and you "
                        "already own it.",
                        409,
                    )
            elif taken:
                raise ApiError(
                    "BucketAlreadyExists",
                    "The requested bucket name is not available. The bucket namespace is shared "
                    "by all users of the system. Please select a different name and try again.",
                    409,
                )
            else:
                db.execute(
                    "INSERT INTO s3_buckets VALUES (?, ?, ?, ?)",
                    (ctx.account, name, region, _now()),
                )
        return {"Location": f"/{name}"}

    def _bucket(self, ctx: Context, name: str) -> tuple[str, str]:
        rows = ctx.state.query(
            "SELECT region, created FROM s3_buckets WHERE account = ? AND name = ?",
            (ctx.account, name),
        )
        if not rows:
            raise ApiError(
                "NoSuchBucket",
                "The specified bucket does not exist",
                404,
                fields={"BucketName": name},
            )
        return rows[0][0], rows[0][1]

    def head_bucket(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        region, _ = self._bucket(ctx, params["Bucket"])
        return {"BucketRegion": region}

    def get_bucket_location(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        region, _ = self._bucket(ctx, params["Bucket"])
        return {} if region == "us-east-1" else {"LocationConstraint": region}

    def list_buckets(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        rows = ctx.state.query(
            "SELECT name, created, region FROM s3_buckets WHERE account = ? ORDER BY name LIMIT ?",
            (ctx.account, 10_000),
        )
        return {
            "Buckets": [
                {"Name": name, "CreationDate": _time(created), "BucketRegion": region}
                for name, created, region in rows
            ],
            "Owner": _owner(ctx.account),
        }

    def delete_bucket(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Bucket"]
        self._bucket(ctx, name)
        with ctx.state.transaction() as db:
            if db.execute(
                "SELECT 1 FROM s3_objects WHERE account = ? AND bucket = ? LIMIT 1",
                (ctx.account, name),
            ).fetchone():
                raise ApiError(
                    "BucketNotEmpty",
                    "The bucket you tried to delete is not empty",
                    409,
                    fields={"BucketName": name},
                )
            db.execute(
                "DELETE FROM s3_buckets WHERE account = ? AND name = ?", (ctx.account, name)
            )
            db.execute(
                "DELETE FROM s3_bucket_configs WHERE account = ? AND bucket = ?",
                (ctx.account, name),
            )
            uploads = db.execute(
                "SELECT upload_id FROM s3_uploads WHERE account = ? AND bucket = ?",
                (ctx.account, name),
            ).fetchall()
            for (upload_id,) in uploads:
                self._forget_upload(db, ctx.account, upload_id)
        return {}

    # -- objects -----------------------------------------------------------------------------

    @staticmethod
    def _key(params: Mapping[str, Any]) -> bytes:
        key = str(params["Key"]).encode("utf-8")
        if len(key) > MAX_KEY_BYTES:
            raise ApiError(
                "KeyTooLongError",
                "Your key is too long",
                400,
                fields={"MaxSizeAllowed": str(MAX_KEY_BYTES), "Size": str(len(key))},
            )
        return key

    @staticmethod
    def _meta(params: Mapping[str, Any]) -> dict[str, Any]:
        meta: dict[str, Any] = {k: params[k] for k in KEPT if params.get(k) is not None}
        if isinstance(meta.get("Expires"), datetime):
            meta["Expires"] = meta["Expires"].isoformat()
        meta.setdefault("ContentType", DEFAULT_TYPE)
        meta["Metadata"] = dict(params.get("Metadata") or {})
        for name in CHECKSUMS:
            if params.get(name):
                meta[name] = params[name]
        if params.get("Tagging"):
            meta["Tags"] = _tags_of_header(str(params["Tagging"]))
        return meta

    def put_object(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        bucket, key = params["Bucket"], self._key(params)
        body = _bytes(params.get("Body"))
        meta = self._meta(params)
        etag = _etag(body)
        self._bucket(ctx, bucket)
        with ctx.state.transaction() as db:
            if params.get("IfMatch") is not None or params.get("IfNoneMatch") is not None:
                row = db.execute(
                    "SELECT etag FROM s3_objects WHERE account = ? AND bucket = ? AND key = ?",
                    (ctx.account, bucket, key),
                ).fetchone()
                self._write_conditions(params, key, None if row is None else row[0])
            db.execute(
                "INSERT OR REPLACE INTO s3_objects VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ctx.account, bucket, key, body, etag, _now(), dumps(meta)),
            )
        out: dict[str, Any] = {"ETag": etag}
        out.update({k: meta[k] for k in CHECKSUMS if k in meta})
        return out

    def _object(
        self, ctx: Context, bucket: str, key: bytes
    ) -> tuple[bytes, str, str, dict[str, Any]]:
        rows = ctx.state.query(
            "SELECT body, etag, modified, meta FROM s3_objects "
            "WHERE account = ? AND bucket = ? AND key = ?",
            (ctx.account, bucket, key),
        )
        if not rows:
            self._bucket(ctx, bucket)
            raise ApiError(
                "NoSuchKey",
                "The specified key does not exist.",
                404,
                fields={"Key": key.decode("utf-8")},
            )
        body, etag, modified, meta = rows[0]
        return bytes(body), etag, modified, json.loads(meta)

    def _headers(
        self,
        params: Mapping[str, Any],
        body: bytes,
        etag: str,
        modified: str,
        meta: dict[str, Any],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ETag": etag,
            "LastModified": _time(modified),
            "ContentLength": len(body),
            "AcceptRanges": "bytes",
            "Metadata": meta.get("Metadata", {}),
        }
        for name in KEPT:
            if name in meta:
                out[name] = _time(meta[name]) if name == "Expires" else meta[name]
        if params.get("ChecksumMode") == "ENABLED":
            out.update({k: meta[k] for k in CHECKSUMS if k in meta})
        if "-" in etag:
            out["PartsCount"] = int(etag.strip('"').rsplit("-", 1)[1])
        if meta.get("Tags"):
            out["TagCount"] = len(meta["Tags"])
        self._preconditions(params, etag, modified)
        return out

    @staticmethod
    def _write_conditions(params: Mapping[str, Any], key: bytes, etag: str | None) -> None:
        """S3's conditional writes: ``If-None-Match: *`` (only ``*``) fails on an existing
        key, ``If-Match`` on another ETag; ``If-Match`` on a missing key is ``NoSuchKey``."""
        match, none_match = params.get("IfMatch"), params.get("IfNoneMatch")
        if none_match is not None and none_match != "*":
            raise ApiError(
                "NotImplemented",
                "A header you provided implies functionality that is not implemented",
                501,
                fields={"Header": "If-None-Match"},
            )
        if match is not None and etag is None:
            raise ApiError(
                "NoSuchKey",
                "The specified key does not exist.",
                404,
                fields={"Key": key.decode("utf-8")},
            )
        failed = (none_match is not None and etag is not None) or (
            match is not None and etag is not None and match not in (etag, etag.strip('"'))
        )
        if failed:
            raise ApiError(
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
                412,
                fields={"Condition": "If-None-Match" if none_match is not None else "If-Match"},
            )

    @staticmethod
    def _preconditions(params: Mapping[str, Any], etag: str, modified: str) -> None:
        match, none_match = params.get("IfMatch"), params.get("IfNoneMatch")
        if match is not None and match not in (etag, etag.strip('"'), "*"):
            raise ApiError(
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
                412,
                fields={"Condition": "If-Match"},
            )
        if none_match is not None and none_match in (etag, etag.strip('"'), "*"):
            raise ApiError("NotModified", "Not Modified", 304)

    def get_object(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        body, etag, modified, meta = self._object(ctx, params["Bucket"], self._key(params))
        out = self._headers(params, body, etag, modified, meta)
        wanted = params.get("Range")
        if wanted:
            start, end = _range(str(wanted), len(body))
            out["ContentRange"] = f"bytes {start}-{end}/{len(body)}"
            body = body[start : end + 1]
            out["ContentLength"] = len(body)
            for name in CHECKSUMS:  # a part's checksum is not the object's
                out.pop(name, None)
        out["Body"] = body
        return out

    def head_object(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        body, etag, modified, meta = self._object(ctx, params["Bucket"], self._key(params))
        return self._headers(params, body, etag, modified, meta)

    def get_object_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """The attributes asked for (``ObjectAttributes``), as S3 gives them: the ETag
        unquoted, the checksums kept with the object, a multipart object's part count."""
        body, etag, modified, meta = self._object(ctx, params["Bucket"], self._key(params))
        wanted = set(params["ObjectAttributes"])
        out: dict[str, Any] = {"LastModified": _time(modified)}
        if "ETag" in wanted:
            out["ETag"] = etag.strip('"')
        if "ObjectSize" in wanted:
            out["ObjectSize"] = len(body)
        if "StorageClass" in wanted:
            out["StorageClass"] = meta.get("StorageClass", "STANDARD")
        sums = {k: meta[k] for k in CHECKSUMS if k in meta}
        if "Checksum" in wanted and sums:
            out["Checksum"] = sums
        if "ObjectParts" in wanted and "-" in etag:
            out["ObjectParts"] = {"TotalPartsCount": int(etag.strip('"').rsplit("-", 1)[1])}
        return out

    def _retag(self, ctx: Context, params: Mapping[str, Any], tags: list[list[str]]) -> None:
        bucket, key = params["Bucket"], self._key(params)
        with ctx.state.transaction() as db:
            row = db.execute(
                "SELECT meta FROM s3_objects WHERE account = ? AND bucket = ? AND key = ?",
                (ctx.account, bucket, key),
            ).fetchone()
            if row is None:
                self._object(ctx, bucket, key)  # NoSuchBucket or NoSuchKey
                return
            meta = json.loads(row[0])
            meta["Tags"] = tags
            db.execute(
                "UPDATE s3_objects SET meta = ? WHERE account = ? AND bucket = ? AND key = ?",
                (dumps(meta), ctx.account, bucket, key),
            )

    def put_object_tagging(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        tags = [[t["Key"], t["Value"]] for t in params["Tagging"]["TagSet"]]
        _check_tags(tags)
        self._retag(ctx, params, tags)
        return {}

    def get_object_tagging(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        meta = self._object(ctx, params["Bucket"], self._key(params))[3]
        return {"TagSet": [{"Key": k, "Value": v} for k, v in meta.get("Tags", [])]}

    def delete_object_tagging(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._retag(ctx, params, [])
        return {}

    def delete_object(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        bucket, key = params["Bucket"], self._key(params)
        self._bucket(ctx, bucket)
        with ctx.state.transaction() as db:
            db.execute(
                "DELETE FROM s3_objects WHERE account = ? AND bucket = ? AND key = ?",
                (ctx.account, bucket, key),
            )
        return {}

    def delete_objects(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        bucket = params["Bucket"]
        request = params.get("Delete") or {}
        objects = request.get("Objects") or []
        if len(objects) > MAX_KEYS:
            raise ApiError(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our "
                f"published schema (at most {MAX_KEYS} keys, not {len(objects)})",
                400,
            )
        self._bucket(ctx, bucket)
        deleted: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        with ctx.state.transaction() as db:
            for item in objects:
                key = str(item["Key"]).encode("utf-8")
                if len(key) > MAX_KEY_BYTES:
                    errors.append(
                        {
                            "Key": item["Key"],
                            "Code": "KeyTooLongError",
                            "Message": "Your key is too long",
                        }
                    )
                    continue
                db.execute(
                    "DELETE FROM s3_objects WHERE account = ? AND bucket = ? AND key = ?",
                    (ctx.account, bucket, key),
                )
                deleted.append({"Key": item["Key"]})
        out: dict[str, Any] = {}
        if not request.get("Quiet"):
            out["Deleted"] = deleted
        if errors:
            out["Errors"] = errors
        return out

    def _source(
        self, ctx: Context, params: Mapping[str, Any]
    ) -> tuple[bytes, str, str, dict[str, Any]]:
        """The object ``CopySource`` (``bucket/key``, URL-encoded) names."""
        source = unquote(str(params["CopySource"]).split("?", 1)[0]).lstrip("/")
        if "/" not in source:
            raise ApiError(
                "InvalidArgument",
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                400,
                fields={
                    "ArgumentName": "x-amz-copy-source",
                    "ArgumentValue": str(params["CopySource"]),
                },
            )
        source_bucket, source_key = source.split("/", 1)
        return self._object(ctx, source_bucket, self._key({"Key": source_key}))

    def copy_object(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        body, _, _, meta = self._source(ctx, params)
        tags = meta.pop("Tags", [])
        if params.get("MetadataDirective") == "REPLACE":
            meta = self._meta(params)
            meta.pop("Tags", None)
        elif params.get("ContentType"):
            meta["ContentType"] = params["ContentType"]
        if params.get("TaggingDirective") == "REPLACE":  # else the source's tags (COPY)
            tags = _tags_of_header(str(params["Tagging"])) if params.get("Tagging") else []
        if tags:
            meta["Tags"] = tags
        bucket, key = params["Bucket"], self._key(params)
        self._bucket(ctx, bucket)
        etag, modified = _etag(body), _now()
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO s3_objects VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ctx.account, bucket, key, body, etag, modified, dumps(meta)),
            )
        return {"CopyObjectResult": {"ETag": etag, "LastModified": _time(modified)}}

    # -- listing -----------------------------------------------------------------------------

    def _walk(
        self,
        ctx: Context,
        bucket: str,
        prefix: bytes,
        delimiter: bytes,
        after: bytes | None,
        max_keys: int,
    ) -> tuple[list[tuple[bytes, str, str, int]], list[bytes], bool, bytes | None]:
        """(objects, common prefixes, truncated, last entry) of one page, in key order, after
        ``after``. Each step is one indexed range query: the next key, or past a prefix."""
        contents: list[tuple[bytes, str, str, int]] = []
        prefixes: list[bytes] = []
        upper = _successor(prefix)
        lower, inclusive = (prefix, True) if after is None or after < prefix else (after, False)
        last: bytes | None = None
        while True:
            row = self._next(ctx, bucket, lower, inclusive, upper)
            if row is None:
                return contents, prefixes, False, last
            key = row[0]
            common: bytes | None = None
            if delimiter:
                at = key.find(delimiter, len(prefix))
                if at >= 0:
                    common = key[: at + len(delimiter)]
            if common is not None and after is not None and common <= after:
                past = _successor(common)  # the marker is in (or is) this prefix: skip it
                if past is None:
                    return contents, prefixes, False, last
                lower, inclusive = past, True
                continue
            if len(contents) + len(prefixes) >= max_keys:
                return contents, prefixes, True, last
            if common is not None:
                prefixes.append(common)
                last = common
                past = _successor(common)
                if past is None:
                    return contents, prefixes, False, last
                lower, inclusive = past, True
            else:
                contents.append(row)
                last = key
                lower, inclusive = key, False

    def _next(
        self, ctx: Context, bucket: str, lower: bytes, inclusive: bool, upper: bytes | None
    ) -> tuple[bytes, str, str, int] | None:
        sql = (
            "SELECT key, etag, modified, length(body) FROM s3_objects "
            f"WHERE account = ? AND bucket = ? AND key {'>=' if inclusive else '>'} ?"
        )
        args: list[Any] = [ctx.account, bucket, lower]
        if upper is not None:
            sql += " AND key < ?"
            args.append(upper)
        rows = ctx.state.query(sql + " ORDER BY key LIMIT 1", args)
        if not rows:
            return None
        key, etag, modified, size = rows[0]
        return bytes(key), etag, modified, size

    def _listing(
        self, ctx: Context, params: Mapping[str, Any], after: bytes | None
    ) -> tuple[dict[str, Any], bytes | None]:
        bucket = params["Bucket"]
        self._bucket(ctx, bucket)
        prefix = str(params.get("Prefix") or "").encode("utf-8")
        delimiter = str(params.get("Delimiter") or "").encode("utf-8")
        asked = params.get("MaxKeys")
        max_keys = MAX_KEYS if asked is None else max(0, min(int(asked), MAX_KEYS))
        contents, prefixes, truncated, last = self._walk(
            ctx, bucket, prefix, delimiter, after, max_keys
        )
        out: dict[str, Any] = {
            "Name": bucket,
            "Prefix": prefix.decode("utf-8"),
            "MaxKeys": max_keys if asked is None else int(asked),
            "IsTruncated": truncated,
            "Contents": [
                {
                    "Key": key.decode("utf-8"),
                    "LastModified": _time(modified),
                    "ETag": etag,
                    "Size": size,
                    "StorageClass": "STANDARD",
                }
                for key, etag, modified, size in contents
            ],
        }
        if not out["Contents"]:
            del out["Contents"]
        if delimiter:
            out["Delimiter"] = delimiter.decode("utf-8")
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": p.decode("utf-8")} for p in prefixes]
        if params.get("EncodingType"):
            out["EncodingType"] = params["EncodingType"]
        return out, last if truncated else None

    def list_objects(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        marker = params.get("Marker")
        out, last = self._listing(ctx, params, str(marker).encode("utf-8") if marker else None)
        out["Marker"] = marker or ""
        for item in out.get("Contents", []):
            item["Owner"] = _owner(ctx.account)
        if last is not None and params.get("Delimiter"):
            out["NextMarker"] = last.decode("utf-8")
        return out

    def list_objects_v2(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        token, start_after = params.get("ContinuationToken"), params.get("StartAfter")
        after = _read_token(token) if token else None
        if after is None and start_after:
            after = str(start_after).encode("utf-8")
        out, last = self._listing(ctx, params, after)
        out["KeyCount"] = len(out.get("Contents", [])) + len(out.get("CommonPrefixes", []))
        if token:
            out["ContinuationToken"] = token
        if start_after:
            out["StartAfter"] = start_after
        if last is not None:
            out["NextContinuationToken"] = base64.urlsafe_b64encode(last).decode("ascii")
        if params.get("FetchOwner"):
            for item in out.get("Contents", []):
                item["Owner"] = _owner(ctx.account)
        return out

    # -- multipart uploads -------------------------------------------------------------------

    def create_multipart_upload(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        bucket, key = params["Bucket"], self._key(params)
        self._bucket(ctx, bucket)
        upload_id = secrets.token_urlsafe(48)
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT INTO s3_uploads VALUES (?, ?, ?, ?, ?, ?)",
                (ctx.account, upload_id, bucket, key, _now(), dumps(self._meta(params))),
            )
        out = {"Bucket": bucket, "Key": params["Key"], "UploadId": upload_id}
        if params.get("ChecksumAlgorithm"):
            out["ChecksumAlgorithm"] = params["ChecksumAlgorithm"]
        return out

    def _upload(self, ctx: Context, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        rows = ctx.state.query(
            "SELECT bucket, key, meta FROM s3_uploads WHERE account = ? AND upload_id = ?",
            (ctx.account, params["UploadId"]),
        )
        if not rows or rows[0][0] != params["Bucket"] or bytes(rows[0][1]) != self._key(params):
            self._bucket(ctx, params["Bucket"])
            raise ApiError(
                "NoSuchUpload",
                "The specified upload does not exist. The upload ID may be invalid, or the "
                "upload may have been aborted or completed.",
                404,
                fields={"UploadId": params["UploadId"]},
            )
        return params["UploadId"], json.loads(rows[0][2])

    def upload_part(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        upload_id, _ = self._upload(ctx, params)
        number = _part_number(params)
        body = _bytes(params.get("Body"))
        etag = _etag(body)
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO s3_parts VALUES (?, ?, ?, ?, ?, ?)",
                (ctx.account, upload_id, number, body, etag, _now()),
            )
        out: dict[str, Any] = {"ETag": etag}
        out.update({k: params[k] for k in CHECKSUMS if params.get(k)})
        return out

    def upload_part_copy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """A part copied from an object (``CopySourceRange`` ``bytes=first-last``, inclusive, of
        it; the whole object without one): how boto3 copies objects past its threshold."""
        upload_id, _ = self._upload(ctx, params)
        number = _part_number(params)
        source = self._source(ctx, params)[0]
        wanted = params.get("CopySourceRange")
        if wanted:
            match = _COPY_RANGE.fullmatch(str(wanted).strip())
            if (
                match is None
                or int(match.group(2)) >= len(source)
                or (int(match.group(1)) > int(match.group(2)))
            ):
                raise ApiError(
                    "InvalidArgument",
                    f"Range specified is not valid for source object of size: {len(source)}",
                    400,
                    fields={"ArgumentName": "x-amz-copy-source-range", "ArgumentValue": wanted},
                )
            source = source[int(match.group(1)) : int(match.group(2)) + 1]
        etag, modified = _etag(source), _now()
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO s3_parts VALUES (?, ?, ?, ?, ?, ?)",
                (ctx.account, upload_id, number, source, etag, modified),
            )
        return {"CopyPartResult": {"ETag": etag, "LastModified": _time(modified)}}

    def list_multipart_uploads(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """The bucket's uploads in progress by key (UTF-8 bytes) and id, ``Prefix``,
        ``MaxUploads`` (at most 1000), ``KeyMarker`` and ``UploadIdMarker``."""
        bucket = params["Bucket"]
        self._bucket(ctx, bucket)
        prefix = str(params.get("Prefix") or "").encode("utf-8")
        limit = max(0, min(int(params.get("MaxUploads") or MAX_KEYS), MAX_KEYS))
        key_marker = str(params.get("KeyMarker") or "").encode("utf-8")
        id_marker = str(params.get("UploadIdMarker") or "")
        rows = ctx.state.query(
            "SELECT upload_id, key, initiated, meta FROM s3_uploads WHERE account = ? AND "
            "bucket = ? ORDER BY key, upload_id",
            (ctx.account, bucket),
        )
        chosen = [
            r
            for r in rows
            if bytes(r[1]).startswith(prefix)
            and (
                not key_marker
                or bytes(r[1]) > key_marker
                or (bytes(r[1]) == key_marker and id_marker and r[0] > id_marker)
            )
        ]
        page = chosen[:limit]
        owner = _owner(ctx.account)
        out: dict[str, Any] = {
            "Bucket": bucket,
            "KeyMarker": key_marker.decode("utf-8"),
            "UploadIdMarker": id_marker,
            "MaxUploads": limit,
            "IsTruncated": len(chosen) > limit,
            "Uploads": [
                {
                    "UploadId": upload_id,
                    "Key": bytes(key).decode("utf-8"),
                    "Initiated": _time(initiated),
                    "StorageClass": json.loads(meta).get("StorageClass") or "STANDARD",
                    "Owner": owner,
                    "Initiator": owner,
                }
                for upload_id, key, initiated, meta in page
            ],
        }
        if prefix:
            out["Prefix"] = prefix.decode("utf-8")
        if len(chosen) > limit and page:
            out["NextKeyMarker"] = bytes(page[-1][1]).decode("utf-8")
            out["NextUploadIdMarker"] = page[-1][0]
        return out

    # -- access control lists: the owner's, as S3 answers them with ACLs disabled ------------

    def _grants(self, ctx: Context) -> dict[str, Any]:
        owner = _owner(ctx.account)
        return {
            "Owner": owner,
            "Grants": [
                {
                    "Grantee": {"Type": "CanonicalUser", **owner},
                    "Permission": "FULL_CONTROL",
                }
            ],
        }

    def get_bucket_acl(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(ctx, params["Bucket"])
        return self._grants(ctx)

    def get_object_acl(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._object(ctx, params["Bucket"], self._key(params))
        return self._grants(ctx)

    def _put_acl(self, ctx: Context, params: Mapping[str, Any]) -> dict[str, Any]:
        """Taken where it grants nothing beyond the owner (``private``,
        ``bucket-owner-full-control``): a new bucket's ACLs are disabled
        (``BucketOwnerEnforced``), so anything else is S3's ``AccessControlListNotSupported``."""
        granted = [k for k in params if k.startswith("Grant")] or params.get("AccessControlPolicy")
        if granted or params.get("ACL") not in (None, "private", "bucket-owner-full-control"):
            raise ApiError("AccessControlListNotSupported", "The bucket does not allow ACLs", 400)
        return {}

    def put_bucket_acl(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(ctx, params["Bucket"])
        return self._put_acl(ctx, params)

    def put_object_acl(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._object(ctx, params["Bucket"], self._key(params))
        return self._put_acl(ctx, params)

    def list_parts(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        upload_id, _ = self._upload(ctx, params)
        marker = int(params.get("PartNumberMarker") or 0)
        asked = params.get("MaxParts")
        limit = MAX_KEYS if asked is None else max(0, min(int(asked), MAX_KEYS))
        rows = ctx.state.query(
            "SELECT part, etag, modified, length(body) FROM s3_parts "
            "WHERE account = ? AND upload_id = ? AND part > ? ORDER BY part LIMIT ?",
            (ctx.account, upload_id, marker, limit + 1),
        )
        truncated = len(rows) > limit
        rows = rows[:limit]
        out: dict[str, Any] = {
            "Bucket": params["Bucket"],
            "Key": params["Key"],
            "UploadId": upload_id,
            "PartNumberMarker": marker,
            "MaxParts": limit,
            "IsTruncated": truncated,
            "Parts": [
                {"PartNumber": part, "ETag": etag, "LastModified": _time(modified), "Size": size}
                for part, etag, modified, size in rows
            ],
            "StorageClass": "STANDARD",
            "Owner": _owner(ctx.account),
            "Initiator": _owner(ctx.account),
        }
        if truncated and rows:
            out["NextPartNumberMarker"] = rows[-1][0]
        return out

    def complete_multipart_upload(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        upload_id, meta = self._upload(ctx, params)
        asked = (params.get("MultipartUpload") or {}).get("Parts") or []
        if not asked:
            raise ApiError(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our "
                "published schema",
                400,
            )
        numbers = [int(p.get("PartNumber") or 0) for p in asked]
        if min(numbers) < 1:
            raise ApiError(
                "InvalidPart",
                "One or more of the specified parts could not be found. The part may not have "
                "been uploaded, or the specified entity tag may not match the part's entity tag.",
                400,
                fields={"UploadId": upload_id},
            )
        if numbers != sorted(set(numbers)):
            raise ApiError(
                "InvalidPartOrder",
                "The list of parts was not in ascending order. The parts list must be "
                "specified in order by part number.",
                400,
            )
        bucket, key = params["Bucket"], self._key(params)
        with ctx.state.transaction() as db:
            body = bytearray()
            digests = bytearray()
            for part in asked:
                row = db.execute(
                    "SELECT body, etag FROM s3_parts WHERE account = ? AND upload_id = ? "
                    "AND part = ?",
                    (ctx.account, upload_id, int(part["PartNumber"])),
                ).fetchone()
                given = str(part.get("ETag") or "").strip('"')
                if row is None or (given and given != row[1].strip('"')):
                    raise ApiError(
                        "InvalidPart",
                        "One or more of the specified parts could not be found. The part may "
                        "not have been uploaded, or the specified entity tag may not match the "
                        "part's entity tag.",
                        400,
                        fields={"UploadId": upload_id, "PartNumber": str(part["PartNumber"])},
                    )
                body += bytes(row[0])
                digests += binascii.unhexlify(row[1].strip('"'))
            etag = (
                '"'
                + hashlib.md5(bytes(digests), usedforsecurity=False).hexdigest()
                + f'-{len(asked)}"'
            )
            db.execute(
                "INSERT OR REPLACE INTO s3_objects VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ctx.account, bucket, key, bytes(body), etag, _now(), dumps(meta)),
            )
            self._forget_upload(db, ctx.account, upload_id)
        return {
            "Location": f"/{bucket}/{params['Key']}",
            "Bucket": bucket,
            "Key": params["Key"],
            "ETag": etag,
        }

    def abort_multipart_upload(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        upload_id, _ = self._upload(ctx, params)
        with ctx.state.transaction() as db:
            self._forget_upload(db, ctx.account, upload_id)
        return {}

    @staticmethod
    def _forget_upload(db: Any, account: str, upload_id: str) -> None:
        db.execute(
            "DELETE FROM s3_parts WHERE account = ? AND upload_id = ?", (account, upload_id)
        )
        db.execute(
            "DELETE FROM s3_uploads WHERE account = ? AND upload_id = ?", (account, upload_id)
        )


class S3Configurations:
    """The Put, Get and Delete of each bucket configuration of :data:`CONFIGURATIONS` the model
    has: the Put's payload member is stored (as JSON) under the bucket and the kind; the Get
    answers it as its output member of that name when it has one (``Policy``,
    ``ServerSideEncryptionConfiguration``), else as the payload's own members (``Tagging``'s
    ``TagSet``, ``VersioningConfiguration``'s ``Status``)."""

    def __init__(self, s3: S3, model: ServiceModel) -> None:
        self.s3 = s3
        self.model = model

    def behaviours(self) -> dict[str, Callable[[Context, dict[str, Any]], dict[str, Any]]]:
        found: dict[str, Callable[[Context, dict[str, Any]], dict[str, Any]]] = {}
        operations = self.model.operations
        for kind, (put, get, delete, absent) in CONFIGURATIONS.items():
            if put not in operations or get not in operations:
                continue
            put_input = operations[put].input
            get_output = operations[get].output
            if put_input is None or get_output is None:
                continue
            payload = self.model.shapes[put_input].traits.get("payload")
            if not payload:
                continue
            members = set(self.model.shapes[get_output].members)
            wrapped = payload in members
            found[put] = self._put(kind, payload)
            found[get] = self._get(kind, payload if wrapped else None, members, absent)
            if delete is not None and delete in operations:
                found[delete] = self._delete(kind)
        return found

    def _put(self, kind: str, payload: str) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
        def put(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            bucket = params["Bucket"]
            self.s3._bucket(ctx, bucket)  # NoSuchBucket
            value = params.get(payload)
            if kind == "Tagging":
                _check_bucket_tags(value)
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            with ctx.state.transaction() as db:
                db.execute(
                    "INSERT OR REPLACE INTO s3_bucket_configs VALUES (?, ?, ?, ?)",
                    (ctx.account, bucket, kind, dumps(value)),
                )
            return {}

        return put

    def _get(
        self, kind: str, member: str | None, members: set[str], absent: Any
    ) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
        def get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            bucket = params["Bucket"]
            self.s3._bucket(ctx, bucket)
            rows = ctx.state.query(
                "SELECT value FROM s3_bucket_configs WHERE account = ? AND bucket = ? AND kind = ?",
                (ctx.account, bucket, kind),
            )
            if not rows:
                if callable(absent):
                    raise absent(bucket)
                default: dict[str, Any] = json.loads(json.dumps(absent))  # a copy
                return default
            value = json.loads(rows[0][0])
            if member is not None:
                return {member: value}
            if not isinstance(value, dict):
                return {}
            return {k: v for k, v in value.items() if k in members}

        return get

    def _delete(self, kind: str) -> Callable[[Context, dict[str, Any]], dict[str, Any]]:
        def delete(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            bucket = params["Bucket"]
            self.s3._bucket(ctx, bucket)
            with ctx.state.transaction() as db:
                db.execute(
                    "DELETE FROM s3_bucket_configs WHERE account = ? AND bucket = ? AND kind = ?",
                    (ctx.account, bucket, kind),
                )
            return {}

        return delete


def _check_bucket_tags(tagging: Any) -> None:
    """S3's limits on a bucket's tags: at most 50, keys unique."""
    tags = (tagging or {}).get("TagSet") or [] if isinstance(tagging, dict) else []
    if len(tags) > MAX_BUCKET_TAGS:
        raise ApiError("InvalidTag", "Bucket tag count cannot be greater than 50", 400)
    if len({tag.get("Key") for tag in tags}) != len(tags):
        raise ApiError("InvalidTag", "Cannot provide multiple Tags with the same key", 400)


def _part_number(params: Mapping[str, Any]) -> int:
    """``PartNumber``, 1 to :data:`MAX_PARTS` (else S3's ``InvalidArgument``)."""
    number = int(params["PartNumber"])
    if not 1 <= number <= MAX_PARTS:
        raise ApiError(
            "InvalidArgument",
            f"Part number must be an integer between 1 and {MAX_PARTS}, inclusive",
            400,
            fields={"ArgumentName": "partNumber", "ArgumentValue": str(number)},
        )
    return number


def _bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    read = getattr(value, "read", None)
    if callable(read):
        return _bytes(read())
    raise TypeError(f"an object's body must be bytes, not {type(value).__name__}")


def _read_token(token: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ApiError(
            "InvalidArgument",
            "The continuation token provided is incorrect",
            400,
            fields={"ArgumentName": "continuation-token", "ArgumentValue": token[:100]},
        ) from None


def _range(wanted: str, size: int) -> tuple[int, int]:
    """``bytes=a-b`` -> (first, last) byte, inclusive, as S3 reads it (RFC 9110)."""
    match = _RANGE.fullmatch(wanted.strip())
    if match is None or not (match.group(1) or match.group(2)):
        return 0, max(size - 1, 0)  # S3 ignores a range it cannot read
    first, last = match.group(1), match.group(2)
    if not first:  # the last n bytes
        n = int(last)
        if n == 0 or size == 0:
            raise _invalid_range(size)
        return max(size - n, 0), size - 1
    start = int(first)
    end = size - 1 if not last else min(int(last), size - 1)
    if start >= size or (last and int(last) < start):
        raise _invalid_range(size)
    return start, end


def _invalid_range(size: int) -> ApiError:
    return ApiError(
        "InvalidRange",
        "The requested range is not satisfiable",
        416,
        fields={"ActualObjectSize": str(size)},
    )


def _tags_of_header(header: str) -> list[list[str]]:
    """``x-amz-tagging`` (``k1=v1&k2=v2``, URL-encoded) -> [[key, value], ...]."""
    try:
        tags = [[k, v] for k, v in parse_qsl(header, keep_blank_values=True, strict_parsing=True)]
    except ValueError:
        raise ApiError(
            "InvalidArgument",
            "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query "
            "parameters without tag name duplicates.",
            400,
        ) from None
    _check_tags(tags)
    return tags


def _check_tags(tags: list[list[str]]) -> None:
    """S3's limits on an object's tags: at most 10, keys unique, 128 and 256 characters."""
    if len(tags) > MAX_OBJECT_TAGS:
        raise ApiError("BadRequest", "Object tags cannot be greater than 10", 400)
    if len({k for k, _ in tags}) != len(tags):
        raise ApiError("InvalidTag", "Cannot provide multiple Tags with the same key", 400)
    for key, value in tags:
        if not key or len(key) > 128 or len(value) > 256:
            raise ApiError(
                "InvalidTag", "The TagKey or TagValue you have provided is invalid", 400
            )


def behaviours(
    model: ServiceModel | None = None,
) -> dict[str, Callable[[Context, dict[str, Any]], dict[str, Any]]]:
    s3 = S3()
    configurations = S3Configurations(s3, model).behaviours() if model is not None else {}
    return configurations | {
        "CreateBucket": s3.create_bucket,
        "HeadBucket": s3.head_bucket,
        "GetBucketLocation": s3.get_bucket_location,
        "ListBuckets": s3.list_buckets,
        "DeleteBucket": s3.delete_bucket,
        "PutObject": s3.put_object,
        "GetObject": s3.get_object,
        "HeadObject": s3.head_object,
        "GetObjectAttributes": s3.get_object_attributes,
        "PutObjectTagging": s3.put_object_tagging,
        "GetObjectTagging": s3.get_object_tagging,
        "DeleteObjectTagging": s3.delete_object_tagging,
        "DeleteObject": s3.delete_object,
        "DeleteObjects": s3.delete_objects,
        "CopyObject": s3.copy_object,
        "ListObjects": s3.list_objects,
        "ListObjectsV2": s3.list_objects_v2,
        "CreateMultipartUpload": s3.create_multipart_upload,
        "UploadPart": s3.upload_part,
        "UploadPartCopy": s3.upload_part_copy,
        "ListMultipartUploads": s3.list_multipart_uploads,
        "GetBucketAcl": s3.get_bucket_acl,
        "GetObjectAcl": s3.get_object_acl,
        "PutBucketAcl": s3.put_bucket_acl,
        "PutObjectAcl": s3.put_object_acl,
        "ListParts": s3.list_parts,
        "CompleteMultipartUpload": s3.complete_multipart_upload,
        "AbortMultipartUpload": s3.abort_multipart_upload,
    }
