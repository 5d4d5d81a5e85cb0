"""SQS queues and messages as SQS answers them: what no model states, on Python values.

The derived engine would keep a queue as a record; a queue's messages, their visibility and
their digests are semantics no model states, so these behaviours are written by hand. They
see botocore-style params (whatever protocol the request came in: SQS speaks JSON with query
error codes in botocore 1.3x+, the query protocol before) and return botocore-style results;
errors are :class:`ApiError` with the model's error shape names (the protocol writes SQS's query
codes, ``AWS.SimpleQueueService.NonExistentQueue`` ...).

State (``codegen/server/state.py``): ``sqs_queues`` per account, region and name (attributes
and tags as JSON), ``sqs_messages`` (indexed by queue and visibility time, so a receive reads
the first visible messages from the index; by receipt handle for deletes).

* **Queues**: ``CreateQueue`` is idempotent by name when the attributes given agree with the
  queue's (``QueueNameExists``, query code ``QueueAlreadyExists``, otherwise); URLs are
  ``https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`` (any host is accepted back: the queue is
  found by its account and name); attributes are checked by name and range
  (``InvalidAttributeName``, ``InvalidAttributeValue``) and answered with ``QueueArn``,
  ``ApproximateNumberOfMessages`` (visible), ``...NotVisible``, ``...Delayed`` and the
  timestamps; ``ListQueues`` by prefix, paginated; ``GetQueueUrl``; ``PurgeQueue``;
  ``DeleteQueue``; ``TagQueue``/``UntagQueue``/``ListQueueTags``.
* **Messages**: ``MD5OfMessageBody`` and ``MD5OfMessageAttributes`` as SQS computes them (the
  digests botocore checks on every send and receive); ``DelaySeconds``; receive with
  ``MaxNumberOfMessages`` (1-10), ``VisibilityTimeout`` (the queue's by default), system
  attributes (``ApproximateReceiveCount``, ``SentTimestamp``, ...) and message attributes by
  name, ``All`` or ``prefix.*``; long polling: with ``WaitTimeSeconds`` (else the queue's
  ``ReceiveMessageWaitTimeSeconds``) and no message, the receive waits up to that many seconds
  and answers as soon as one can be had (:class:`~codegen.server.context.Waiting` on the queue,
  which a send to it wakes: other requests are served meanwhile); delete and
  change visibility by receipt handle (a handle of a message already deleted is accepted, as
  SQS does; one that is not a handle is ``ReceiptHandleIsInvalid``); the batch forms with
  SQS's batch errors. FIFO queues (``.fifo``): ``MessageGroupId`` required, deduplication by
  ``MessageDeduplicationId`` or, with ``ContentBasedDeduplication``, the body's SHA-256 within
  five minutes, ``SequenceNumber``; messages are received in order of sending, and a group
  with a message in flight gives no other until that one is deleted or visible again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from codegen.server.context import Context, Waiting
from codegen.server.errors import ApiError
from codegen.server.state import dumps

__all__ = ["Sqs", "behaviours", "md5_of_attributes"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

# Queue attributes a client may set, with their defaults and (for numbers) their ranges.
SETTABLE: Final[dict[str, tuple[str, int, int] | None]] = {
    "DelaySeconds": ("0", 0, 900),
    "MaximumMessageSize": ("262144", 1024, 1048576),
    "MessageRetentionPeriod": ("345600", 60, 1209600),
    "ReceiveMessageWaitTimeSeconds": ("0", 0, 20),
    "VisibilityTimeout": ("30", 0, 43200),
    "Policy": None,
    "RedrivePolicy": None,
    "RedriveAllowPolicy": None,
    "KmsMasterKeyId": None,
    "KmsDataKeyReusePeriodSeconds": ("300", 60, 86400),
    "SqsManagedSseEnabled": None,
    "FifoQueue": None,
    "ContentBasedDeduplication": None,
    "DeduplicationScope": None,
    "FifoThroughputLimit": None,
}
READ_ONLY: Final = (
    "QueueArn",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
)
SYSTEM: Final = (
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "MessageGroupId",
    "MessageDeduplicationId",
    "SequenceNumber",
)
MAX_QUEUES: Final = 1000  # a ListQueues page's most
MAX_BATCH: Final = 10
DEDUP_SECONDS: Final = 300
_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,80}")
_PREFIX: Final = re.compile(r"[A-Za-z0-9_.-]{1,80}")
_FIFO_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,75}\.fifo")
_BATCH_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,80}")
# Characters a message may hold (SQS's documented set).
_INVALID_TEXT: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RECEIPT_PREFIX: Final = "apigen:"
_DIGITS: Final = re.compile(r"[0-9]{1,10}")


def md5_of_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> str:
    """``MD5OfMessageAttributes`` as SQS computes it: for each attribute in name order, the
    name, the data type and the value, each as a 4-byte big-endian length and the bytes, with a
    transport byte before the value (1 for a string value, 2 for a binary one)."""
    digest = hashlib.md5(usedforsecurity=False)
    for name in sorted(attributes):
        value = attributes[name]
        data_type = str(value.get("DataType", ""))
        for text in (name, data_type):
            encoded = text.encode("utf-8")
            digest.update(struct.pack(">I", len(encoded)) + encoded)
        if value.get("BinaryValue") is not None:
            raw = bytes(value["BinaryValue"])
            digest.update(b"\x02" + struct.pack(">I", len(raw)) + raw)
        else:
            raw = str(value.get("StringValue", "")).encode("utf-8")
            digest.update(b"\x01" + struct.pack(">I", len(raw)) + raw)
    return digest.hexdigest()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _no_queue() -> ApiError:
    return ApiError(
        "QueueDoesNotExist", "The specified queue does not exist for this wsdl version.", 400
    )


class Sqs:
    """The behaviours of SQS's queue and message operations."""

    # -- queues ------------------------------------------------------------------------------

    @staticmethod
    def url(ctx: Context, name: str) -> str:
        return f"https://sqs.{ctx.region}.amazonaws.com/{ctx.account}/{name}"

    def _queue(self, ctx: Context, url: str) -> tuple[str, dict[str, str], float]:
        """(name, attributes, created) of the queue ``url`` names in the caller's account."""
        parts = url.rstrip("/").split("/")
        if len(parts) < 2 or parts[-2] != ctx.account:
            raise _no_queue()
        rows = ctx.state.query(
            "SELECT attributes, created FROM sqs_queues "
            "WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, parts[-1]),
        )
        if not rows:
            raise _no_queue()
        return parts[-1], json.loads(rows[0][0]), rows[0][1]

    @staticmethod
    def _checked(attributes: Mapping[str, str], fifo: bool) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in attributes.items():
            if name not in SETTABLE:
                raise ApiError("InvalidAttributeName", f"Unknown Attribute {name[:100]}.", 400)
            bounds = SETTABLE[name]
            if bounds is not None:
                _, low, high = bounds
                if not (_DIGITS.fullmatch(value) and low <= int(value) <= high):
                    raise ApiError(
                        "InvalidAttributeValue",
                        f"Invalid value for the parameter {name}.",
                        400,
                    )
            if name in ("FifoQueue", "ContentBasedDeduplication") and value not in (
                "true",
                "false",
            ):
                raise ApiError(
                    "InvalidAttributeValue", f"Invalid value for the parameter {name}.", 400
                )
            out[name] = value
        if out.get("FifoQueue") == "false":
            del out["FifoQueue"]
        if ("FifoQueue" in out) != fifo:
            raise ApiError(
                "InvalidParameterValue",
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                "or underscores, must end with .fifo suffix and be 1 to 80 in length.",
                400,
            )
        return out

    def create_queue(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["QueueName"]
        fifo = name.endswith(".fifo")
        if not (_FIFO_NAME if fifo else _NAME).fullmatch(name):
            raise ApiError(
                "InvalidParameterValue",
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 "
                "in length",
                400,
            )
        given = dict(params.get("Attributes") or {})
        if fifo:
            given.setdefault("FifoQueue", "true")
        attributes = self._checked(given, fifo)
        tags = dict(params.get("tags") or {})
        with ctx.state.transaction() as db:
            row = db.execute(
                "SELECT attributes FROM sqs_queues WHERE account = ? AND region = ? AND name = ?",
                (ctx.account, ctx.region, name),
            ).fetchone()
            if row is not None:
                current = json.loads(row[0])
                if any(current.get(k, _default(k)) != v for k, v in attributes.items()):
                    raise ApiError(
                        "QueueNameExists",
                        "A queue already exists with the same name and a different value for "
                        "attribute(s) " + ", ".join(sorted(attributes)),
                        400,
                    )
            else:
                now = time.time()
                attributes["CreatedTimestamp"] = str(int(now))
                attributes["LastModifiedTimestamp"] = str(int(now))
                db.execute(
                    "INSERT INTO sqs_queues VALUES (?, ?, ?, ?, ?, ?)",
                    (ctx.account, ctx.region, name, now, dumps(attributes), dumps(tags)),
                )
        return {"QueueUrl": self.url(ctx, name)}

    def get_queue_url(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["QueueName"]
        rows = ctx.state.query(
            "SELECT 1 FROM sqs_queues WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, name),
        )
        if not rows:
            raise _no_queue()
        return {"QueueUrl": self.url(ctx, name)}

    def list_queues(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        prefix = str(params.get("QueueNamePrefix") or "")
        asked = params.get("MaxResults")
        limit = MAX_QUEUES if asked is None else max(1, min(int(asked), MAX_QUEUES))
        after = ""
        if params.get("NextToken"):
            try:
                token = str(params["NextToken"]).encode("ascii")
                after = base64.b64decode(token, altchars=b"-_", validate=True).decode("utf-8")
            except (ValueError, UnicodeError):
                raise ApiError("InvalidParameterValue", "Invalid NextToken value.", 400) from None
        if prefix and not _PREFIX.fullmatch(prefix):
            return {}  # queue names are of these characters only: nothing starts so
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else None
        sql = (
            "SELECT name FROM sqs_queues WHERE account = ? AND region = ? AND name >= ? "
            "AND name > ?"
        )
        args: list[Any] = [ctx.account, ctx.region, prefix, after]
        if upper is not None:
            sql += " AND name < ?"
            args.append(upper)
        rows = ctx.state.query(sql + " ORDER BY name LIMIT ?", [*args, limit + 1])
        names = [r[0] for r in rows]
        out: dict[str, Any] = {}
        if names[:limit]:
            out["QueueUrls"] = [self.url(ctx, n) for n in names[:limit]]
        if len(names) > limit and asked is not None:
            out["NextToken"] = base64.urlsafe_b64encode(names[limit - 1].encode()).decode()
        return out

    def get_queue_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, attributes, _ = self._queue(ctx, params["QueueUrl"])
        wanted = list(params.get("AttributeNames") or [])
        every = (*SETTABLE, *READ_ONLY)
        for item in wanted:
            if item != "All" and item not in every:
                raise ApiError("InvalidAttributeName", f"Unknown Attribute {item[:100]}.", 400)
        if not wanted:
            return {}
        full: dict[str, str] = {k: v[0] for k, v in SETTABLE.items() if v is not None}
        full.pop("KmsDataKeyReusePeriodSeconds")
        full.update(attributes)
        full["QueueArn"] = f"arn:aws:sqs:{ctx.region}:{ctx.account}:{name}"
        now = time.time()
        for key, condition, args in (
            ("ApproximateNumberOfMessages", "visible_at <= ? AND receive_count >= 0", (now,)),
            (
                "ApproximateNumberOfMessagesNotVisible",
                "visible_at > ? AND receive_count > 0",
                (now,),
            ),
            ("ApproximateNumberOfMessagesDelayed", "visible_at > ? AND receive_count = 0", (now,)),
        ):
            full[key] = str(
                ctx.state.query(
                    "SELECT COUNT(*) FROM sqs_messages WHERE account = ? AND region = ? "
                    f"AND queue = ? AND {condition}",
                    (ctx.account, ctx.region, name, *args),
                )[0][0]
            )
        if "All" in wanted:
            return {"Attributes": full}
        return {"Attributes": {k: full[k] for k in wanted if k in full}}

    def set_queue_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, attributes, _ = self._queue(ctx, params["QueueUrl"])
        given = dict(params.get("Attributes") or {})
        if "FifoQueue" in given:
            raise ApiError("InvalidAttributeName", "Unknown Attribute FifoQueue.", 400)
        changed = self._checked(given, False) if given else {}
        attributes.update(changed)
        attributes["LastModifiedTimestamp"] = str(int(time.time()))
        with ctx.state.transaction() as db:
            db.execute(
                "UPDATE sqs_queues SET attributes = ? WHERE account = ? AND region = ? "
                "AND name = ?",
                (dumps(attributes), ctx.account, ctx.region, name),
            )
        return {}

    def delete_queue(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        with ctx.state.transaction() as db:
            for table, column in (("sqs_messages", "queue"), ("sqs_queues", "name")):
                db.execute(
                    f"DELETE FROM {table} WHERE account = ? AND region = ? AND {column} = ?",
                    (ctx.account, ctx.region, name),
                )
        return {}

    def purge_queue(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        with ctx.state.transaction() as db:
            db.execute(
                "DELETE FROM sqs_messages WHERE account = ? AND region = ? AND queue = ?",
                (ctx.account, ctx.region, name),
            )
        return {}

    def tag_queue(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._retag(ctx, params, add=dict(params.get("Tags") or {}))

    def untag_queue(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._retag(ctx, params, remove=list(params.get("TagKeys") or []))

    def _retag(
        self,
        ctx: Context,
        params: Mapping[str, Any],
        add: Mapping[str, str] | None = None,
        remove: Sequence[str] = (),
    ) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        with ctx.state.transaction() as db:
            (tags_json,) = db.execute(
                "SELECT tags FROM sqs_queues WHERE account = ? AND region = ? AND name = ?",
                (ctx.account, ctx.region, name),
            ).fetchone()
            tags = json.loads(tags_json)
            tags.update(add or {})
            for key in remove:
                tags.pop(key, None)
            db.execute(
                "UPDATE sqs_queues SET tags = ? WHERE account = ? AND region = ? AND name = ?",
                (dumps(tags), ctx.account, ctx.region, name),
            )
        return {}

    def list_queue_tags(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        (tags_json,) = ctx.state.query(
            "SELECT tags FROM sqs_queues WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, name),
        )[0]
        tags = json.loads(tags_json)
        return {"Tags": tags} if tags else {}

    # -- messages ----------------------------------------------------------------------------

    def _send(
        self,
        ctx: Context,
        name: str,
        attributes: Mapping[str, str],
        entry: Mapping[str, Any],
    ) -> dict[str, Any]:
        body = str(entry["MessageBody"])
        if not body or _INVALID_TEXT.search(body):
            raise ApiError(
                "InvalidMessageContents",
                "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
                if body
                else "The request must contain the parameter MessageBody.",
                400,
            )
        message_attributes = dict(entry.get("MessageAttributes") or {})
        size = len(body.encode("utf-8")) + sum(
            len(k.encode())
            + len(str(v.get("DataType", "")).encode())
            + len(
                v["BinaryValue"]
                if v.get("BinaryValue") is not None
                else str(v.get("StringValue", "")).encode()
            )
            for k, v in message_attributes.items()
        )
        limit = int(attributes.get("MaximumMessageSize", SETTABLE["MaximumMessageSize"][0]))  # type: ignore[index]
        if size > limit:
            raise ApiError(
                "InvalidParameterValue",
                f"One or more parameters are invalid. Reason: Message must be shorter than "
                f"{limit} bytes.",
                400,
            )
        fifo = attributes.get("FifoQueue") == "true"
        group, dedup = entry.get("MessageGroupId"), entry.get("MessageDeduplicationId")
        if fifo and not group:
            raise ApiError(
                "MissingParameter",
                "The request must contain the parameter MessageGroupId.",
                400,
            )
        if fifo and not dedup:
            if attributes.get("ContentBasedDeduplication") != "true":
                raise ApiError(
                    "InvalidParameterValue",
                    "The queue should either have ContentBasedDeduplication enabled or "
                    "MessageDeduplicationId provided explicitly",
                    400,
                )
            dedup = hashlib.sha256(body.encode("utf-8")).hexdigest()
        delay = entry.get("DelaySeconds")
        if delay is None:
            delay = int(attributes.get("DelaySeconds", "0"))
        elif fifo:
            raise ApiError(
                "InvalidParameterValue",
                "Value " + str(delay) + " for parameter DelaySeconds is invalid. Reason: The "
                "request include parameter that is not valid for this queue type.",
                400,
            )
        if not 0 <= int(delay) <= 900:
            raise ApiError(
                "InvalidParameterValue",
                f"Value {delay} for parameter DelaySeconds is invalid. Reason: must be between "
                "0 and 900, if provided.",
                400,
            )
        now = time.time()
        out: dict[str, Any] = {"MD5OfMessageBody": _md5(body)}
        if message_attributes:
            out["MD5OfMessageAttributes"] = md5_of_attributes(message_attributes)
        stored = {
            k: {
                "DataType": v.get("DataType"),
                **(
                    {"BinaryValue": base64.b64encode(bytes(v["BinaryValue"])).decode()}
                    if v.get("BinaryValue") is not None
                    else {"StringValue": v.get("StringValue", "")}
                ),
            }
            for k, v in message_attributes.items()
        }
        with ctx.state.transaction() as db:
            if fifo:
                seen = db.execute(
                    "SELECT message_id, seq FROM sqs_messages WHERE account = ? AND region = ? "
                    "AND queue = ? AND dedup_id = ? AND sent > ? ORDER BY seq DESC LIMIT 1",
                    (ctx.account, ctx.region, name, dedup, now - DEDUP_SECONDS),
                ).fetchone()
                if seen is not None:
                    out["MessageId"] = seen[0]
                    out["SequenceNumber"] = f"{seen[1]:020d}"
                    return out
            message_id = str(uuid.uuid4())
            cursor = db.execute(
                "INSERT INTO sqs_messages (account, region, queue, message_id, body, attributes, "
                "sent, visible_at, group_id, dedup_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ctx.account,
                    ctx.region,
                    name,
                    message_id,
                    body,
                    dumps(stored),
                    now,
                    now + int(delay),
                    group,
                    dedup,
                ),
            )
        out["MessageId"] = message_id
        if fifo:
            out["SequenceNumber"] = f"{cursor.lastrowid:020d}"
        if not int(delay):
            ctx.changed(_topic(ctx, name))  # a receive waiting on the queue can have it
        return out

    def send_message(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, attributes, _ = self._queue(ctx, params["QueueUrl"])
        return self._send(ctx, name, attributes, params)

    def send_message_batch(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, attributes, _ = self._queue(ctx, params["QueueUrl"])
        return self._batch(
            params.get("Entries") or [],
            lambda entry: {"Id": entry["Id"], **self._send(ctx, name, attributes, entry)},
        )

    def receive_message(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, attributes, _ = self._queue(ctx, params["QueueUrl"])
        count = params.get("MaxNumberOfMessages")
        count = 1 if count is None else int(count)
        if not 1 <= count <= MAX_BATCH:
            raise ApiError(
                "InvalidParameterValue",
                f"Value {count} for parameter MaxNumberOfMessages is invalid. Reason: Must be "
                "between 1 and 10, if provided.",
                400,
            )
        wait = params.get("WaitTimeSeconds")
        if wait is not None and not 0 <= int(wait) <= 20:
            raise ApiError(
                "InvalidParameterValue",
                f"Value {wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 "
                "and <= 20, if provided.",
                400,
            )
        if wait is None:
            wait = int(attributes.get("ReceiveMessageWaitTimeSeconds", "0"))
        timeout = params.get("VisibilityTimeout")
        timeout = (
            int(attributes.get("VisibilityTimeout", "30")) if timeout is None else int(timeout)
        )
        if not 0 <= timeout <= 43200:
            raise ApiError(
                "InvalidParameterValue",
                f"Value {timeout} for parameter VisibilityTimeout is invalid. Reason: Must be "
                ">= 0 and <= 43200, if provided.",
                400,
            )
        system = set(params.get("AttributeNames") or []) | set(
            params.get("MessageSystemAttributeNames") or []
        )
        if "All" in system:
            system = set(SYSTEM)
        wanted = list(params.get("MessageAttributeNames") or [])
        now = time.time()
        messages: list[dict[str, Any]] = []
        columns = (
            "SELECT seq, message_id, body, attributes, sent, receive_count, first_received, "
            "group_id, dedup_id FROM sqs_messages WHERE account = ? AND region = ? "
            "AND queue = ? AND visible_at <= ?"
        )
        with ctx.state.transaction() as db:
            self._redrive(ctx, db, name, attributes, now)
            if name.endswith(".fifo"):
                # in order of sending; a group with a message in flight waits for it
                rows = db.execute(
                    columns + " AND group_id NOT IN (SELECT group_id FROM sqs_messages "
                    "WHERE account = ? AND region = ? AND queue = ? AND visible_at > ? "
                    "AND receive_count > 0) ORDER BY seq LIMIT ?",
                    (
                        ctx.account,
                        ctx.region,
                        name,
                        now,
                        ctx.account,
                        ctx.region,
                        name,
                        now,
                        count,
                    ),
                ).fetchall()
            else:
                rows = db.execute(
                    columns + " ORDER BY visible_at, seq LIMIT ?",
                    (ctx.account, ctx.region, name, now, count),
                ).fetchall()
            for seq, message_id, body, stored, sent, received, first, group, dedup in rows:
                receipt = _RECEIPT_PREFIX + base64.urlsafe_b64encode(
                    f"{name}/{message_id}/{uuid.uuid4()}".encode()
                ).decode("ascii")
                first = first if first is not None else now
                db.execute(
                    "UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, "
                    "first_received = ?, receipt = ? WHERE seq = ?",
                    (now + timeout, first, receipt, seq),
                )
                message: dict[str, Any] = {
                    "MessageId": message_id,
                    "ReceiptHandle": receipt,
                    "MD5OfBody": _md5(body),
                    "Body": body,
                }
                values = {
                    "SenderId": ctx.caller.access_key or ctx.account,
                    "SentTimestamp": str(int(sent * 1000)),
                    "ApproximateReceiveCount": str(received + 1),
                    "ApproximateFirstReceiveTimestamp": str(int(first * 1000)),
                    "MessageGroupId": group,
                    "MessageDeduplicationId": dedup,
                    "SequenceNumber": f"{seq:020d}" if group else None,
                }
                chosen = {k: v for k, v in values.items() if k in system and v is not None}
                if chosen:
                    message["Attributes"] = chosen
                selected = _selected(json.loads(stored), wanted)
                if selected:
                    message["MessageAttributes"] = selected
                    message["MD5OfMessageAttributes"] = md5_of_attributes(selected)
                messages.append(message)
        if not messages and int(wait) > 0:
            deadline = time.monotonic() + int(wait) if ctx.deadline is None else ctx.deadline
            if time.monotonic() < deadline:
                raise Waiting(_topic(ctx, name), deadline)
        return {"Messages": messages} if messages else {}

    @staticmethod
    def _redrive(
        ctx: Context, db: Any, name: str, attributes: Mapping[str, str], now: float
    ) -> None:
        """The queue's ``RedrivePolicy``: a message received ``maxReceiveCount`` times that is
        visible again moves to the dead-letter queue (``deadLetterTargetArn``, of the same
        account and region) instead of being received once more, as SQS moves it."""
        text = attributes.get("RedrivePolicy")
        if not text:
            return
        try:
            policy = json.loads(text)
            most = int(policy["maxReceiveCount"])
            target = str(policy["deadLetterTargetArn"]).split(":")
        except (ValueError, KeyError, TypeError, RecursionError):
            return  # a policy SQS would not have taken (nested too deeply, not JSON)
        if len(target) != 6 or (target[3], target[4]) != (ctx.region, ctx.account):
            return
        dead = target[5]
        if (
            dead == name
            or not db.execute(
                "SELECT 1 FROM sqs_queues WHERE account = ? AND region = ? AND name = ?",
                (ctx.account, ctx.region, dead),
            ).fetchone()
        ):
            return
        moved = db.execute(
            "UPDATE sqs_messages SET queue = ?, visible_at = ?, receipt = NULL WHERE account = ? "
            "AND region = ? AND queue = ? AND visible_at <= ? AND receive_count >= ?",
            (dead, now, ctx.account, ctx.region, name, now, most),
        ).rowcount
        if moved:
            ctx.changed(_topic(ctx, dead))

    def list_dead_letter_source_queues(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        """The queues whose ``RedrivePolicy`` names this one, by name."""
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        arn = f"arn:aws:sqs:{ctx.region}:{ctx.account}:{name}"
        rows = ctx.state.query(
            "SELECT name, attributes FROM sqs_queues WHERE account = ? AND region = ? "
            "ORDER BY name",
            (ctx.account, ctx.region),
        )
        sources = []
        for source, raw in rows:
            try:
                policy = json.loads(json.loads(raw).get("RedrivePolicy") or "{}")
            except (ValueError, RecursionError):
                continue
            if isinstance(policy, dict) and policy.get("deadLetterTargetArn") == arn:
                sources.append(self.url(ctx, source))
        limit = params.get("MaxResults")
        if limit:
            return {"queueUrls": sources[: int(limit)]}
        return {"queueUrls": sources}

    def _by_receipt(self, ctx: Context, name: str, receipt: str) -> int | None:
        """The message a receipt handle names (None: a handle of a message no longer there)."""
        if not receipt.startswith(_RECEIPT_PREFIX):
            raise ApiError(
                "ReceiptHandleIsInvalid",
                f'The input receipt handle "{receipt[:100]}" is not a valid receipt handle.',
                400,
            )
        rows = ctx.state.query(
            "SELECT seq FROM sqs_messages WHERE receipt = ? AND account = ? AND region = ? "
            "AND queue = ?",
            (receipt, ctx.account, ctx.region, name),
        )
        return rows[0][0] if rows else None

    def _delete(self, ctx: Context, name: str, receipt: str) -> dict[str, Any]:
        seq = self._by_receipt(ctx, name, receipt)
        if seq is not None:
            with ctx.state.transaction() as db:
                db.execute("DELETE FROM sqs_messages WHERE seq = ?", (seq,))
            if name.endswith(".fifo"):
                ctx.changed(_topic(ctx, name))  # its group's next message can be had
        return {}

    def delete_message(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        return self._delete(ctx, name, str(params["ReceiptHandle"]))

    def delete_message_batch(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        return self._batch(
            params.get("Entries") or [],
            lambda entry: {"Id": entry["Id"], **self._delete(ctx, name, entry["ReceiptHandle"])},
        )

    def _change(self, ctx: Context, name: str, receipt: str, timeout: int) -> dict[str, Any]:
        if not 0 <= timeout <= 43200:
            raise ApiError(
                "InvalidParameterValue",
                f"Value {timeout} for parameter VisibilityTimeout is invalid. Reason: Must be "
                ">= 0 and <= 43200, if provided.",
                400,
            )
        seq = self._by_receipt(ctx, name, receipt)
        now = time.time()
        with ctx.state.transaction() as db:
            row = (
                None
                if seq is None
                else db.execute(
                    "SELECT visible_at FROM sqs_messages WHERE seq = ?", (seq,)
                ).fetchone()
            )
            if row is None or row[0] <= now:
                raise ApiError(
                    "MessageNotInflight", "The message referred to isn't in flight.", 400
                )
            db.execute(
                "UPDATE sqs_messages SET visible_at = ? WHERE seq = ?", (now + timeout, seq)
            )
        if not timeout:
            ctx.changed(_topic(ctx, name))
        return {}

    def change_message_visibility(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        return self._change(
            ctx, name, str(params["ReceiptHandle"]), int(params["VisibilityTimeout"])
        )

    def change_message_visibility_batch(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        name, _, _ = self._queue(ctx, params["QueueUrl"])
        return self._batch(
            params.get("Entries") or [],
            lambda entry: {
                "Id": entry["Id"],
                **self._change(
                    ctx, name, entry["ReceiptHandle"], int(entry.get("VisibilityTimeout") or 0)
                ),
            },
        )

    @staticmethod
    def _batch(
        entries: Sequence[Mapping[str, Any]],
        one: Callable[[Mapping[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """Entries checked as SQS checks a batch, then each done on its own: a failed entry
        is in ``Failed`` with its code, the others in ``Successful``."""
        if not entries:
            raise ApiError(
                "EmptyBatchRequest",
                "There should be at least one SendMessageBatchRequestEntry in the request.",
                400,
            )
        if len(entries) > MAX_BATCH:
            raise ApiError(
                "TooManyEntriesInBatchRequest",
                f"Maximum number of entries per request are {MAX_BATCH}. You have sent "
                f"{len(entries)}.",
                400,
            )
        ids = [str(e.get("Id", "")) for e in entries]
        for entry_id in ids:
            if not _BATCH_ID.fullmatch(entry_id):
                raise ApiError(
                    "InvalidBatchEntryId",
                    "A batch entry id can only contain alphanumeric characters, hyphens and "
                    "underscores. It can be at most 80 letters long.",
                    400,
                )
        if len(set(ids)) != len(ids):
            raise ApiError(
                "BatchEntryIdsNotDistinct", "Two or more batch entries have the same Id.", 400
            )
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for entry in entries:
            try:
                successful.append(one(entry))
            except ApiError as error:
                failed.append(
                    {
                        "Id": entry["Id"],
                        "SenderFault": bool(error.sender_fault),
                        "Code": error.code,
                        "Message": error.message,
                    }
                )
        return {"Successful": successful, "Failed": failed}


def _topic(ctx: Context, queue: str) -> tuple[str, str, str, str]:
    """What a long poll of ``queue`` waits on."""
    return ("sqs", ctx.account, ctx.region, queue)


def _default(name: str) -> str | None:
    bounds = SETTABLE.get(name)
    return bounds[0] if bounds is not None else None


def _selected(stored: Mapping[str, Mapping[str, Any]], wanted: Sequence[str]) -> dict[str, Any]:
    """The message attributes ``wanted`` names (``All``, ``.*``, names, ``prefix.*``), in
    botocore's form (binary values as bytes)."""
    if not wanted or not stored:
        return {}
    every = "All" in wanted or ".*" in wanted
    names = {w for w in wanted if not w.endswith(".*")}
    prefixes = tuple(w[:-1] for w in wanted if w.endswith(".*") and w != ".*")
    out: dict[str, Any] = {}
    for key, value in stored.items():
        if every or key in names or (prefixes and key.startswith(prefixes)):
            item: dict[str, Any] = {"DataType": value["DataType"]}
            if "BinaryValue" in value:
                item["BinaryValue"] = base64.b64decode(value["BinaryValue"])
            else:
                item["StringValue"] = value["StringValue"]
            out[key] = item
    return out


def behaviours() -> dict[str, Behaviour]:
    sqs = Sqs()
    return {
        "CreateQueue": sqs.create_queue,
        "ListDeadLetterSourceQueues": sqs.list_dead_letter_source_queues,
        "GetQueueUrl": sqs.get_queue_url,
        "ListQueues": sqs.list_queues,
        "GetQueueAttributes": sqs.get_queue_attributes,
        "SetQueueAttributes": sqs.set_queue_attributes,
        "DeleteQueue": sqs.delete_queue,
        "PurgeQueue": sqs.purge_queue,
        "TagQueue": sqs.tag_queue,
        "UntagQueue": sqs.untag_queue,
        "ListQueueTags": sqs.list_queue_tags,
        "SendMessage": sqs.send_message,
        "SendMessageBatch": sqs.send_message_batch,
        "ReceiveMessage": sqs.receive_message,
        "DeleteMessage": sqs.delete_message,
        "DeleteMessageBatch": sqs.delete_message_batch,
        "ChangeMessageVisibility": sqs.change_message_visibility,
        "ChangeMessageVisibilityBatch": sqs.change_message_visibility_batch,
    }
