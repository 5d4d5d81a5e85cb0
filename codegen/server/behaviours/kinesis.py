"""Kinesis streams and their records as Kinesis answers them, on Python values.

A stream is more than a record: it has shards that split the 128-bit hash key space, a record
put goes to the shard whose range holds the MD5 of its partition key (or its
``ExplicitHashKey``), gets a sequence number greater than every earlier one, and is read back
in order through shard iterators. No model states that, so streams are written here by hand;
Kinesis's other resources (stream consumers, ...) stay the derived engine's.

State (``codegen/server/state.py``): ``kinesis_streams`` per account, region and name (shard
count, mode, tags, where it is in its life: ``phase`` and ``reads``) and ``kinesis_records``
(the records, numbered by one counter, indexed by stream, shard and number; a record's
sequence number is ``49`` followed by that number in 54 digits).

* **Streams**: ``CreateStream`` (``ShardCount`` 1-500; without it, or with ``ON_DEMAND``, an
  on-demand stream of 4 shards) answers
  ``StreamStatus: CREATING`` until ``State.settle_after`` reads (``DescribeStream``,
  ``DescribeStreamSummary``; ``apigen serve --settle-after``, default 1; 0: at once) have seen
  it, then ``ACTIVE`` (boto3's ``stream_exists``); ``DeleteStream`` removes it and its records
  at once (``stream_not_exists``). ``ResourceInUseException`` for an existing name,
  ``ResourceNotFoundException`` for a missing one. ``StreamName`` or ``StreamARN``
  (``arn:aws:kinesis:REGION:ACCOUNT:stream/NAME``) name a stream. ``ListStreams`` by name with
  ``Limit``, ``ExclusiveStartStreamName`` and ``NextToken``; ``ListShards``.
* **Records**: ``PutRecord``/``PutRecords`` (at most 500) answer ``ShardId`` and
  ``SequenceNumber``; ``GetShardIterator`` (``TRIM_HORIZON``, ``LATEST``,
  ``AT_SEQUENCE_NUMBER``, ``AFTER_SEQUENCE_NUMBER``, ``AT_TIMESTAMP``) and ``GetRecords``
  (``Limit``, at most 10000) read a shard in order, with ``NextShardIterator``. An iterator is
  an opaque token of the stream, its creation, the shard and the position; one of a deleted or
  recreated stream is ``ResourceNotFoundException``, one that is not a token
  ``InvalidArgumentException``.

Not modelled: resharding, iterator expiry, retention (records are kept until the stream is
deleted), throughput limits, encryption, consumers' link to streams; writes are accepted
while a stream is ``CREATING``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final

from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["Kinesis", "behaviours"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

HASH_SPACE: Final = 2**128
MAX_SHARDS: Final = 500
MAX_PUT_RECORDS: Final = 500
MAX_GET_RECORDS: Final = 10000
_NAME: Final = re.compile(r"[A-Za-z0-9_.-]{1,128}")
_SEQUENCE: Final = re.compile(r"49([0-9]{54})")
_SHARD_ID: Final = re.compile(r"shardId-([0-9]{12})")


def _invalid(message: str) -> ApiError:
    return ApiError("InvalidArgumentException", message, 400)


def _sequence(number: int) -> str:
    return f"49{number:054d}"


def _shard_id(index: int) -> str:
    return f"shardId-{index:012d}"


def _range(index: int, count: int) -> tuple[int, int]:
    return index * HASH_SPACE // count, (index + 1) * HASH_SPACE // count - 1


class _Stream:
    def __init__(self, row: Sequence[Any]) -> None:
        self.name: str = row[0]
        self.created: float = row[1]
        self.shards: int = row[2]
        self.mode: str = row[3]
        self.tags: dict[str, str] = json.loads(row[4])
        self.phase: str = row[5]
        self.reads: int = row[6]
        self.retention: int = row[7]
        self.key_id: str | None = row[8]


class Kinesis:
    """The behaviours of Kinesis's stream and record operations."""

    @staticmethod
    def arn(ctx: Context, name: str) -> str:
        return f"arn:aws:kinesis:{ctx.region}:{ctx.account}:stream/{name}"

    def _name(self, ctx: Context, params: Mapping[str, Any]) -> str:
        name, arn = params.get("StreamName"), params.get("StreamARN")
        if arn is not None:
            parts = str(arn).split(":")
            if len(parts) != 6 or not parts[5].startswith("stream/"):
                raise _invalid(f"Invalid StreamARN: {str(arn)[:200]}")
            if parts[3] != ctx.region or parts[4] != ctx.account:
                raise self._missing(ctx, parts[5][len("stream/") :])
            from_arn = parts[5][len("stream/") :]
            if name is not None and name != from_arn:
                raise _invalid("StreamName and StreamARN name different streams.")
            name = from_arn
        if name is None:
            raise _invalid("Either StreamName or StreamARN should be provided.")
        return str(name)

    @staticmethod
    def _missing(ctx: Context, name: str) -> ApiError:
        return ApiError(
            "ResourceNotFoundException",
            f"Stream {name[:128]} under account {ctx.account} not found.",
            400,
        )

    def _stream(self, ctx: Context, db: sqlite3.Connection, name: str) -> _Stream:
        row = db.execute(
            "SELECT name, created, shards, mode, tags, phase, reads, retention, key_id FROM kinesis_streams "
            "WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, name),
        ).fetchone()
        if row is None:
            raise self._missing(ctx, name)
        return _Stream(row)

    def _read(self, ctx: Context, params: Mapping[str, Any]) -> _Stream:
        """The stream a describe names, ACTIVE once ``settle_after`` reads have seen it."""
        name = self._name(ctx, params)
        with ctx.state.transaction() as db:
            stream = self._stream(ctx, db, name)
            if stream.phase == "creating":
                if stream.reads >= ctx.state.settle_after:
                    stream.phase = "ready"
                    db.execute(
                        "UPDATE kinesis_streams SET phase = 'ready' WHERE account = ? AND "
                        "region = ? AND name = ?",
                        (ctx.account, ctx.region, name),
                    )
                else:
                    db.execute(
                        "UPDATE kinesis_streams SET reads = reads + 1 WHERE account = ? AND "
                        "region = ? AND name = ?",
                        (ctx.account, ctx.region, name),
                    )
        return stream

    def _common(self, ctx: Context, stream: _Stream) -> dict[str, Any]:
        return {
            "StreamName": stream.name,
            "StreamARN": self.arn(ctx, stream.name),
            "StreamStatus": "CREATING" if stream.phase == "creating" else "ACTIVE",
            "StreamModeDetails": {"StreamMode": stream.mode},
            "RetentionPeriodHours": stream.retention,
            "StreamCreationTimestamp": datetime.fromtimestamp(stream.created, timezone.utc),
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
            "EncryptionType": "KMS" if stream.key_id else "NONE",
            **({"KeyId": stream.key_id} if stream.key_id else {}),
        }

    @staticmethod
    def _shards(
        stream: _Stream, after: int = -1, limit: int | None = None
    ) -> list[dict[str, Any]]:
        last = stream.shards if limit is None else min(stream.shards, after + 1 + limit)
        out = []
        for index in range(after + 1, last):
            low, high = _range(index, stream.shards)
            out.append(
                {
                    "ShardId": _shard_id(index),
                    "HashKeyRange": {"StartingHashKey": str(low), "EndingHashKey": str(high)},
                    "SequenceNumberRange": {"StartingSequenceNumber": _sequence(0)},
                }
            )
        return out

    # -- streams -----------------------------------------------------------------------------

    def create_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["StreamName"]
        if not _NAME.fullmatch(name):
            raise _invalid(f"Invalid stream name: {name[:128]}")
        shards = params.get("ShardCount")
        # neither a mode nor a shard count: an on-demand stream, as Kinesis makes one
        default = "PROVISIONED" if shards is not None else "ON_DEMAND"
        mode = (params.get("StreamModeDetails") or {}).get("StreamMode") or default
        if shards is None:
            if mode == "PROVISIONED":
                raise _invalid("ShardCount is required for a PROVISIONED stream.")
            shards = 4
        elif mode == "ON_DEMAND":
            raise _invalid("ShardCount cannot be given for an ON_DEMAND stream.")
        if not 1 <= shards <= MAX_SHARDS:
            raise ApiError(
                "LimitExceededException" if shards > MAX_SHARDS else "InvalidArgumentException",
                f"ShardCount must be between 1 and {MAX_SHARDS}, not {shards}.",
                400,
            )
        phase = "creating" if ctx.state.settle_after > 0 else "ready"
        with ctx.state.transaction() as db:
            try:
                db.execute(
                    "INSERT INTO kinesis_streams (account, region, name, created, shards, mode, "
                    "tags, phase) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        ctx.account,
                        ctx.region,
                        name,
                        time.time(),
                        shards,
                        mode,
                        json.dumps(dict(params.get("Tags") or {})),
                        phase,
                    ),
                )
            except sqlite3.IntegrityError:
                raise ApiError(
                    "ResourceInUseException",
                    f"Stream {name} under account {ctx.account} already exists.",
                    400,
                ) from None
        return {}

    def describe_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._read(ctx, params)
        after = -1
        if params.get("ExclusiveStartShardId") is not None:
            match = _SHARD_ID.fullmatch(params["ExclusiveStartShardId"])
            if match is None:
                raise _invalid("Invalid ExclusiveStartShardId.")
            after = int(match.group(1))
        limit = params.get("Limit") or 100
        shards = self._shards(stream, after, limit)
        description = self._common(ctx, stream)
        description["Shards"] = shards
        description["HasMoreShards"] = bool(shards) and after + 1 + len(shards) < stream.shards
        return {"StreamDescription": description}

    def describe_stream_summary(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._read(ctx, params)
        summary = self._common(ctx, stream)
        summary.update(OpenShardCount=stream.shards, ConsumerCount=0)
        return {"StreamDescriptionSummary": summary}

    def list_streams(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limit = params.get("Limit") or 100
        after = params.get("ExclusiveStartStreamName") or ""
        if params.get("NextToken") is not None:
            try:
                after = base64.urlsafe_b64decode(params["NextToken"].encode("ascii")).decode()
            except (ValueError, UnicodeError):
                after = "\x00"
            if not _NAME.fullmatch(after):
                raise _invalid("Invalid NextToken.")
        rows = ctx.state.query(
            "SELECT name, created, shards, mode, tags, phase, reads, retention, key_id FROM kinesis_streams "
            "WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?",
            (ctx.account, ctx.region, after, limit + 1),
        )
        streams = [_Stream(row) for row in rows[:limit]]
        out: dict[str, Any] = {
            "StreamNames": [s.name for s in streams],
            "HasMoreStreams": len(rows) > limit,
            "StreamSummaries": [
                {
                    k: v
                    for k, v in self._common(ctx, s).items()
                    if k
                    in (
                        "StreamName",
                        "StreamARN",
                        "StreamStatus",
                        "StreamModeDetails",
                        "StreamCreationTimestamp",
                    )
                }
                for s in streams
            ],
        }
        if len(rows) > limit:
            out["NextToken"] = base64.urlsafe_b64encode(streams[-1].name.encode()).decode()
        return out

    def list_shards(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            stream = self._stream(ctx, db, self._name(ctx, params))
        return {"Shards": self._shards(stream)}

    def delete_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = self._name(ctx, params)
        with ctx.state.transaction() as db:
            self._stream(ctx, db, name)
            db.execute(
                "DELETE FROM kinesis_streams WHERE account = ? AND region = ? AND name = ?",
                (ctx.account, ctx.region, name),
            )
            db.execute(
                "DELETE FROM kinesis_records WHERE account = ? AND region = ? AND stream = ?",
                (ctx.account, ctx.region, name),
            )
        return {}

    # -- records -----------------------------------------------------------------------------

    @staticmethod
    def _shard_for(stream: _Stream, record: Mapping[str, Any]) -> int:
        explicit = record.get("ExplicitHashKey")
        if explicit is not None:
            if not (isinstance(explicit, str) and re.fullmatch(r"[0-9]{1,39}", explicit)):
                raise _invalid(
                    f"Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, {HASH_SPACE - 1}]"
                )
            key = int(explicit)
            if key >= HASH_SPACE:
                raise _invalid(
                    f"Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, {HASH_SPACE - 1}]"
                )
        else:
            digest = hashlib.md5(
                str(record["PartitionKey"]).encode("utf-8"), usedforsecurity=False
            )
            key = int.from_bytes(digest.digest(), "big")
        return key * stream.shards // HASH_SPACE

    def _put(
        self, ctx: Context, db: sqlite3.Connection, stream: _Stream, record: Mapping[str, Any]
    ) -> dict[str, Any]:
        shard = self._shard_for(stream, record)
        cursor = db.execute(
            "INSERT INTO kinesis_records (account, region, stream, shard, partition_key, data, "
            "arrived) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                ctx.account,
                ctx.region,
                stream.name,
                shard,
                record["PartitionKey"],
                bytes(record["Data"]),
                time.time(),
            ),
        )
        return {
            "ShardId": _shard_id(shard),
            "SequenceNumber": _sequence(int(cursor.lastrowid or 0)),
        }

    def put_record(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = self._name(ctx, params)
        with ctx.state.transaction() as db:
            stream = self._stream(ctx, db, name)
            out = self._put(ctx, db, stream, params)
        out["EncryptionType"] = "NONE"
        return out

    def put_records(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        records = params["Records"]
        if not 1 <= len(records) <= MAX_PUT_RECORDS:
            raise ApiError(
                "ValidationException",
                f"1 validation error detected: Value '{len(records)} records' at 'records' failed "
                f"to satisfy constraint: Member must have length between 1 and {MAX_PUT_RECORDS}",
                400,
            )
        name = self._name(ctx, params)
        with ctx.state.transaction() as db:
            stream = self._stream(ctx, db, name)
            # every record's shard first: a bad hash key rejects the request, storing nothing
            for record in records:
                self._shard_for(stream, record)
            answers = [self._put(ctx, db, stream, record) for record in records]
        return {"FailedRecordCount": 0, "Records": answers, "EncryptionType": "NONE"}

    def get_shard_iterator(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = self._name(ctx, params)
        match = _SHARD_ID.fullmatch(params["ShardId"])
        kind = params["ShardIteratorType"]
        with ctx.state.transaction() as db:
            stream = self._stream(ctx, db, name)
            if match is None or int(match.group(1)) >= stream.shards:
                raise ApiError(
                    "ResourceNotFoundException",
                    f"Shard {params['ShardId'][:64]} in stream {name} under account "
                    f"{ctx.account} does not exist",
                    400,
                )
            shard = int(match.group(1))
            scope = (ctx.account, ctx.region, name, shard)
            if kind == "TRIM_HORIZON":
                position = 0
            elif kind == "LATEST":
                row = db.execute(
                    "SELECT MAX(seq) FROM kinesis_records WHERE account = ? AND region = ? "
                    "AND stream = ? AND shard = ?",
                    scope,
                ).fetchone()
                position = int(row[0] or 0)
            elif kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
                given = params.get("StartingSequenceNumber")
                found = _SEQUENCE.fullmatch(given or "")
                if found is None:
                    raise _invalid(
                        f"StartingSequenceNumber {str(given)[:130]} used in GetShardIterator on "
                        f"shard {params['ShardId']} in stream {name} under account {ctx.account} "
                        "is invalid."
                    )
                number = int(found.group(1))
                position = number - 1 if kind == "AT_SEQUENCE_NUMBER" else number
            elif kind == "AT_TIMESTAMP":
                when = params.get("Timestamp")
                if when is None:
                    raise _invalid("Timestamp is required for an AT_TIMESTAMP iterator.")
                seconds = when.timestamp() if isinstance(when, datetime) else float(when)
                row = db.execute(
                    "SELECT MAX(seq) FROM kinesis_records WHERE account = ? AND region = ? "
                    "AND stream = ? AND shard = ? AND arrived < ?",
                    (*scope, seconds),
                ).fetchone()
                position = int(row[0] or 0)
            else:
                raise _invalid(f"Invalid ShardIteratorType: {kind[:64]}")
        return {"ShardIterator": _iterator(name, stream.created, shard, position)}

    def get_records(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, created, shard, position = _read_iterator(params["ShardIterator"])
        limit = params.get("Limit") or MAX_GET_RECORDS
        if not 1 <= limit <= MAX_GET_RECORDS:
            raise _invalid(f"Limit must be between 1 and {MAX_GET_RECORDS}.")
        with ctx.state.transaction() as db:
            stream = self._stream(ctx, db, name)
            if stream.created != created:  # the iterator's stream was deleted and made again
                raise self._missing(ctx, name)
            rows = db.execute(
                "SELECT seq, partition_key, data, arrived FROM kinesis_records WHERE account = ? "
                "AND region = ? AND stream = ? AND shard = ? AND seq > ? ORDER BY seq LIMIT ?",
                (ctx.account, ctx.region, name, shard, position, limit),
            ).fetchall()
        records = [
            {
                "SequenceNumber": _sequence(seq),
                "ApproximateArrivalTimestamp": datetime.fromtimestamp(arrived, timezone.utc),
                "Data": bytes(data),
                "PartitionKey": key,
                "EncryptionType": "NONE",
            }
            for seq, key, data, arrived in rows
        ]
        last = rows[-1][0] if rows else position
        return {
            "Records": records,
            "NextShardIterator": _iterator(name, created, shard, last),
            "MillisBehindLatest": 0,
        }


def _iterator(name: str, created: float, shard: int, position: int) -> str:
    raw = json.dumps([name, created, shard, position], separators=(",", ":"))
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def _read_iterator(token: str) -> tuple[str, float, int, int]:
    try:
        value = json.loads(base64.b64decode(token.encode("ascii"), validate=True))
    except (ValueError, UnicodeError, RecursionError):
        value = None
    if (
        isinstance(value, list)
        and len(value) == 4
        and isinstance(value[0], str)
        and isinstance(value[1], float)
        and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**62 for v in value[2:]
        )
    ):
        return value[0], value[1], value[2], value[3]
    raise _invalid("Invalid ShardIterator.")


MAX_TAGS: Final = 50
MAX_RETENTION_HOURS: Final = 8760


class StreamSettings(Kinesis):
    """A stream's tags (by name or by ARN), retention period and server-side encryption."""

    def _update(self, ctx: Context, name: str, column: str, value: Any) -> None:
        with ctx.state.transaction() as db:
            self._stream(ctx, db, name)
            db.execute(
                f"UPDATE kinesis_streams SET {column} = ? WHERE account = ? AND region = ? "
                "AND name = ?",
                (value, ctx.account, ctx.region, name),
            )

    def _named(self, ctx: Context, params: Mapping[str, Any]) -> _Stream:
        with ctx.state.transaction() as db:
            return self._stream(ctx, db, self._name(ctx, params))

    def _by_arn(self, ctx: Context, params: Mapping[str, Any]) -> _Stream:
        return self._named(ctx, {"StreamARN": params["ResourceARN"]})

    def _tag(self, ctx: Context, stream: _Stream, tags: Mapping[str, str]) -> dict[str, Any]:
        merged = {**stream.tags, **tags}
        if len(merged) > MAX_TAGS:
            raise _invalid(f"A stream can have at most {MAX_TAGS} tags.")
        self._update(ctx, stream.name, "tags", json.dumps(merged))
        return {}

    def _untag(self, ctx: Context, stream: _Stream, keys: Sequence[str]) -> dict[str, Any]:
        dropped = set(keys)
        kept = {k: v for k, v in stream.tags.items() if k not in dropped}
        self._update(ctx, stream.name, "tags", json.dumps(kept))
        return {}

    def add_tags_to_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._tag(ctx, self._named(ctx, params), params["Tags"])

    def remove_tags_from_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._untag(ctx, self._named(ctx, params), params["TagKeys"])

    def list_tags_for_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._named(ctx, params)
        after = params.get("ExclusiveStartTagKey") or ""
        limit = params.get("Limit") or 50
        keys = sorted(k for k in stream.tags if k > after)
        return {
            "Tags": [{"Key": k, "Value": stream.tags[k]} for k in keys[:limit]],
            "HasMoreTags": len(keys) > limit,
        }

    def tag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._tag(ctx, self._by_arn(ctx, params), params["Tags"])

    def untag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._untag(ctx, self._by_arn(ctx, params), params["TagKeys"])

    def list_tags_for_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._by_arn(ctx, params)
        return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(stream.tags.items())]}

    def _retention(
        self, ctx: Context, params: Mapping[str, Any], increase: bool
    ) -> dict[str, Any]:
        stream = self._named(ctx, params)
        hours = int(params["RetentionPeriodHours"])
        if not 24 <= hours <= MAX_RETENTION_HOURS:
            raise _invalid(
                f"Minimum allowed retention period is 24 hours. Maximum allowed retention period "
                f"is {MAX_RETENTION_HOURS} hours. Requested retention period ({hours} hours) is "
                "outside this range."
            )
        if increase and hours < stream.retention:
            raise _invalid(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not be "
                f"shorter than existing retention period ({stream.retention} hours). Use "
                "DecreaseRetentionPeriod API."
            )
        if not increase and hours > stream.retention:
            raise _invalid(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not be "
                f"longer than existing retention period ({stream.retention} hours). Use "
                "IncreaseRetentionPeriod API."
            )
        self._update(ctx, stream.name, "retention", hours)
        return {}

    def increase_stream_retention_period(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        return self._retention(ctx, params, True)

    def decrease_stream_retention_period(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        return self._retention(ctx, params, False)

    def start_stream_encryption(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._named(ctx, params)
        self._update(ctx, stream.name, "key_id", str(params["KeyId"]))
        return {}

    def stop_stream_encryption(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._named(ctx, params)
        self._update(ctx, stream.name, "key_id", None)
        return {}


def behaviours() -> dict[str, Behaviour]:
    kinesis = StreamSettings()
    return {
        "AddTagsToStream": kinesis.add_tags_to_stream,
        "RemoveTagsFromStream": kinesis.remove_tags_from_stream,
        "ListTagsForStream": kinesis.list_tags_for_stream,
        "TagResource": kinesis.tag_resource,
        "UntagResource": kinesis.untag_resource,
        "ListTagsForResource": kinesis.list_tags_for_resource,
        "IncreaseStreamRetentionPeriod": kinesis.increase_stream_retention_period,
        "DecreaseStreamRetentionPeriod": kinesis.decrease_stream_retention_period,
        "StartStreamEncryption": kinesis.start_stream_encryption,
        "StopStreamEncryption": kinesis.stop_stream_encryption,
        "CreateStream": kinesis.create_stream,
        "DescribeStream": kinesis.describe_stream,
        "DescribeStreamSummary": kinesis.describe_stream_summary,
        "ListStreams": kinesis.list_streams,
        "ListShards": kinesis.list_shards,
        "DeleteStream": kinesis.delete_stream,
        "PutRecord": kinesis.put_record,
        "PutRecords": kinesis.put_records,
        "GetShardIterator": kinesis.get_shard_iterator,
        "GetRecords": kinesis.get_records,
    }
