"""CloudWatch Logs: log groups, streams and their events, as CloudWatch Logs answers them.

What no model states, on Python values. The derived engine would keep groups and streams as
records filled with the model's example values (a retention of 1 day, a KMS key named
``example-kmsKeyId``) and has nowhere to put events; these are written by hand:

* **Groups** (``CreateLogGroup`` with ``kmsKeyId``, ``tags``, ``logGroupClass``,
  ``deletionProtectionEnabled``; ``DescribeLogGroups`` by name, ``logGroupNamePrefix`` or
  ``logGroupNamePattern`` (a substring, case-insensitive), ``logGroupClass``,
  ``logGroupIdentifiers``, ``limit`` (at most 50) and ``nextToken``; ``DeleteLogGroup``, refused
  while ``deletionProtectionEnabled``; ``PutLogGroupDeletionProtection``;
  ``PutRetentionPolicy`` with one of the documented day counts, ``DeleteRetentionPolicy``):
  ``arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*`` (``logGroupArn`` without ``:*``), times in
  milliseconds. Tags: ``TagResource``, ``UntagResource``, ``ListTagsForResource`` by the
  group's ARN (other ARNs: the derived engine's), and the older ``TagLogGroup``,
  ``UntagLogGroup``, ``ListTagsLogGroup`` by name.
* **Streams** (``CreateLogStream``, ``DescribeLogStreams`` by prefix, or ordered by
  ``LastEventTime``, ``descending``, paged; ``DeleteLogStream``) with the first and last event
  timestamps and the last ingestion time of their events.
* **Events**: ``PutLogEvents`` (1 to 10,000 events in chronological order, spanning at most 24
  hours; events older than 14 days, or than the group's retention, and more than 2 hours ahead
  are not stored and reported in ``rejectedLogEventsInfo``, as CloudWatch Logs does; the
  ``sequenceToken`` is ignored, as it has been since 2023). ``GetLogEvents`` reads a stream in
  time order between ``startTime`` and ``endTime`` (exclusive): the last ``limit`` events, or
  the first with ``startFromHead``, and pages forward (``nextForwardToken``, the same token
  again at the end, as the service) and backward (``nextBackwardToken``). ``FilterLogEvents``
  reads a group's streams (``logStreamNames`` or ``logStreamNamePrefix``) in time order, with
  ``filterPattern``'s terms (every term in the message, case-sensitive; ``"quoted phrases"``;
  ``?term`` alternatives; ``-term`` exclusions; an empty pattern matches all) and ``nextToken``.
  Each event gets an ``eventId`` and its ``ingestionTime``.

Errors with CloudWatch Logs' codes and wording: ``ResourceNotFoundException`` ("The specified
log group does not exist."), ``ResourceAlreadyExistsException``, ``InvalidParameterException``.
Not modelled: JSON and space-delimited filter patterns (a pattern of ``{`` or ``[`` is an
``InvalidParameterException``), metric and subscription filters, Logs Insights queries,
expiring events by retention after they are stored, KMS encryption, anomaly detection.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any, Final

from codegen.model import ServiceModel
from codegen.server.behaviours import DerivedFallback
from codegen.server.behaviours.paging import decode_token, encode_token
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["behaviours"]

RETENTION_DAYS: Final = frozenset(
    (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557)
    + (2922, 3288, 3653)
)
MAX_PAGE: Final = 50  # DescribeLogGroups and DescribeLogStreams
MAX_EVENTS: Final = 10_000  # PutLogEvents, GetLogEvents and FilterLogEvents
DAY_MS: Final = 86_400_000
TOO_OLD_MS: Final = 14 * DAY_MS
TOO_NEW_MS: Final = 2 * 3_600_000

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]


def _now_ms() -> int:
    return int(time.time() * 1000)


def _invalid(message: str) -> ApiError:
    return ApiError("InvalidParameterException", message, 400)


def _no_group() -> ApiError:
    return ApiError("ResourceNotFoundException", "The specified log group does not exist.", 400)


def _no_stream() -> ApiError:
    return ApiError("ResourceNotFoundException", "The specified log stream does not exist.", 400)


def _group_name(params: Mapping[str, Any]) -> str:
    """``logGroupName``, else the name in ``logGroupIdentifier`` (a name or an ARN)."""
    name = params.get("logGroupName")
    identifier = params.get("logGroupIdentifier")
    if name and identifier:
        raise _invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
    if name:
        return str(name)
    if identifier:
        text = str(identifier)
        if text.startswith("arn:"):
            return text.split(":log-group:", 1)[-1].removesuffix(":*")
        return text
    raise _invalid("Either the logGroupName or the logGroupIdentifier must be given.")


def _page_token(params: Mapping[str, Any]) -> str | None:
    token = params.get("nextToken")
    if token is None:
        return None
    after = decode_token(str(token))
    if after is None:
        raise _invalid("The specified nextToken is invalid.")
    return after


def _matcher(pattern: str) -> Callable[[str], bool]:
    """A filter pattern of terms: all plain terms and phrases in the message, at least one of
    the ``?`` terms when there are any, none of the ``-`` terms."""
    text = pattern.strip()
    if text.startswith(("{", "[")):
        raise _invalid(
            "JSON and space-delimited filter patterns are not supported by this server; "
            "use terms and quoted phrases."
        )
    terms: list[str] = []
    i = 0
    while i < len(text):  # one pass: a term runs to a space, a phrase to its closing quote
        if text[i].isspace():
            i += 1
            continue
        start = i
        prefix = text[i] if text[i] in "?-" else ""
        i += len(prefix)
        if i < len(text) and text[i] == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            terms.append(prefix + text[i + 1 : end])
            i = end + 1
        else:
            while i < len(text) and not text[i].isspace():
                i += 1
            terms.append(text[start:i])
    required = [t for t in terms if not t.startswith(("?", "-")) and t]
    anyof = [t[1:] for t in terms if t.startswith("?") and len(t) > 1]
    excluded = [t[1:] for t in terms if t.startswith("-") and len(t) > 1]

    def matches(message: str) -> bool:
        return (
            all(t in message for t in required)
            and (not anyof or any(t in message for t in anyof))
            and not any(t in message for t in excluded)
        )

    return matches


class Logs(DerivedFallback):
    """The behaviours of log groups, streams and events."""

    def __init__(self, model: ServiceModel) -> None:
        super().__init__(model)

    # -- groups ------------------------------------------------------------------------------

    def _arn(self, ctx: Context, name: str) -> str:
        return f"arn:aws:logs:{ctx.region}:{ctx.account}:log-group:{name}"

    def _group(self, ctx: Context, name: str) -> tuple[Any, ...]:
        rows = ctx.state.query(
            "SELECT name, created, retention, kms, class, protected, tags FROM logs_groups "
            "WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, name),
        )
        if not rows:
            raise _no_group()
        return rows[0]

    def create_log_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["logGroupName"]
        with ctx.state.transaction() as db:
            if db.execute(
                "SELECT 1 FROM logs_groups WHERE account = ? AND region = ? AND name = ?",
                (ctx.account, ctx.region, name),
            ).fetchone():
                raise ApiError(
                    "ResourceAlreadyExistsException",
                    "The specified log group already exists",
                    400,
                )
            db.execute(
                "INSERT INTO logs_groups VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                (
                    ctx.account,
                    ctx.region,
                    name,
                    _now_ms(),
                    params.get("kmsKeyId"),
                    params.get("logGroupClass") or "STANDARD",
                    int(bool(params.get("deletionProtectionEnabled"))),
                    json.dumps(dict(params.get("tags") or {})),
                ),
            )
        return {}

    def _described(self, ctx: Context, row: Sequence[Any]) -> dict[str, Any]:
        name, created, retention, kms, kind, protected, _ = row
        stored = ctx.state.query(
            "SELECT COALESCE(SUM(stored), 0) FROM logs_streams WHERE account = ? AND region = ? "
            "AND grp = ?",
            (ctx.account, ctx.region, name),
        )[0][0]
        out: dict[str, Any] = {
            "logGroupName": name,
            "creationTime": created,
            "metricFilterCount": 0,
            "arn": self._arn(ctx, name) + ":*",
            "storedBytes": stored,
            "logGroupClass": kind,
            "logGroupArn": self._arn(ctx, name),
            "deletionProtectionEnabled": bool(protected),
        }
        if retention is not None:
            out["retentionInDays"] = retention
        if kms:
            out["kmsKeyId"] = kms
        return out

    def describe_log_groups(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("logGroupNamePrefix")
        pattern = params.get("logGroupNamePattern")
        names = params.get("logGroupIdentifiers")
        if sum(1 for x in (prefix, pattern, names) if x) > 1:
            raise _invalid(
                "LogGroup name prefix, LogGroup name pattern and LogGroup identifiers are "
                "mutually exclusive parameters."
            )
        limit = int(params.get("limit") or MAX_PAGE)
        after = _page_token(params) or ""
        rows = ctx.state.query(
            "SELECT name, created, retention, kms, class, protected, tags FROM logs_groups "
            "WHERE account = ? AND region = ? AND name > ? ORDER BY name",
            (ctx.account, ctx.region, after),
        )
        wanted = {str(n).split(":log-group:", 1)[-1].removesuffix(":*") for n in names or ()}
        kind = params.get("logGroupClass")
        page: list[dict[str, Any]] = []
        more = False
        for row in rows:
            name = row[0]
            if prefix and not name.startswith(prefix):
                continue
            if pattern and str(pattern).lower() not in name.lower():
                continue
            if names and name not in wanted:
                continue
            if kind and row[4] != kind:
                continue
            if len(page) == limit:
                more = True
                break
            page.append(self._described(ctx, row))
        out: dict[str, Any] = {"logGroups": page}
        if more:
            out["nextToken"] = encode_token(page[-1]["logGroupName"])
        return out

    def delete_log_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["logGroupName"]
        if self._group(ctx, name)[5]:
            raise _invalid(
                f"Log group {name} has deletion protection enabled: disable it "
                "(PutLogGroupDeletionProtection) to delete the log group."
            )
        with ctx.state.transaction() as db:
            for table, column in (
                ("logs_events", "grp"),
                ("logs_streams", "grp"),
                ("logs_groups", "name"),
            ):
                db.execute(
                    f"DELETE FROM {table} WHERE account = ? AND region = ? AND {column} = ?",
                    (ctx.account, ctx.region, name),
                )
        return {}

    def _update_group(self, ctx: Context, name: str, column: str, value: Any) -> None:
        self._group(ctx, name)
        with ctx.state.transaction() as db:
            db.execute(
                f"UPDATE logs_groups SET {column} = ? WHERE account = ? AND region = ? AND name = ?",
                (value, ctx.account, ctx.region, name),
            )

    def put_log_group_deletion_protection(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        enabled = int(bool(params["deletionProtectionEnabled"]))
        self._update_group(ctx, _group_name(params), "protected", enabled)
        return {}

    def put_retention_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        days = params["retentionInDays"]
        if days not in RETENTION_DAYS:
            raise _invalid(
                f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to "
                "satisfy constraint: Member must satisfy enum value set: "
                f"[{', '.join(str(d) for d in sorted(RETENTION_DAYS))}]"
            )
        self._update_group(ctx, params["logGroupName"], "retention", days)
        return {}

    def delete_retention_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._update_group(ctx, params["logGroupName"], "retention", None)
        return {}

    # -- tags --------------------------------------------------------------------------------

    def _tags(self, ctx: Context, name: str) -> dict[str, str]:
        tags: dict[str, str] = json.loads(self._group(ctx, name)[6])
        return tags

    def _retag(self, ctx: Context, name: str, tags: Mapping[str, str]) -> None:
        if len(tags) > 50:
            raise _invalid("A log group can have at most 50 tags.")
        self._update_group(ctx, name, "tags", json.dumps(dict(tags)))

    def _group_of_arn(self, ctx: Context, arn: str) -> str | None:
        """The name of the log group ``arn`` names in the caller's account and region (one
        that is not there: ``ResourceNotFoundException``), or None for an ARN of another kind
        of resource (the derived engine's)."""
        if ":log-group:" not in arn:
            return None
        prefix = f"arn:aws:logs:{ctx.region}:{ctx.account}:log-group:"
        if not arn.startswith(prefix):
            raise _no_group()
        return arn[len(prefix) :].removesuffix(":*")

    def tag_log_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["logGroupName"]
        self._retag(ctx, name, {**self._tags(ctx, name), **params["tags"]})
        return {}

    def untag_log_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["logGroupName"]
        tags = self._tags(ctx, name)
        for key in params["tags"]:
            tags.pop(key, None)
        self._retag(ctx, name, tags)
        return {}

    def list_tags_log_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return {"tags": self._tags(ctx, params["logGroupName"])}

    def tag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = self._group_of_arn(ctx, params["resourceArn"])
        if name is None:
            return self._others("TagResource")(ctx, params)
        self._retag(ctx, name, {**self._tags(ctx, name), **params["tags"]})
        return {}

    def untag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = self._group_of_arn(ctx, params["resourceArn"])
        if name is None:
            return self._others("UntagResource")(ctx, params)
        tags = self._tags(ctx, name)
        for key in params["tagKeys"]:
            tags.pop(key, None)
        self._retag(ctx, name, tags)
        return {}

    def list_tags_for_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = self._group_of_arn(ctx, params["resourceArn"])
        if name is None:
            return self._others("ListTagsForResource")(ctx, params)
        return {"tags": self._tags(ctx, name)}

    # -- streams -----------------------------------------------------------------------------

    def create_log_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group, name = params["logGroupName"], params["logStreamName"]
        self._group(ctx, group)
        with ctx.state.transaction() as db:
            if db.execute(
                "SELECT 1 FROM logs_streams WHERE account = ? AND region = ? AND grp = ? "
                "AND name = ?",
                (ctx.account, ctx.region, group, name),
            ).fetchone():
                raise ApiError(
                    "ResourceAlreadyExistsException",
                    "The specified log stream already exists",
                    400,
                )
            db.execute(
                "INSERT INTO logs_streams VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, 0)",
                (ctx.account, ctx.region, group, name, _now_ms()),
            )
        return {}

    def _stream(self, ctx: Context, group: str, name: str) -> tuple[Any, ...]:
        """The group's row (see :meth:`_group`), when it has the stream ``name``."""
        row = self._group(ctx, group)
        if not ctx.state.query(
            "SELECT 1 FROM logs_streams WHERE account = ? AND region = ? AND grp = ? AND name = ?",
            (ctx.account, ctx.region, group, name),
        ):
            raise _no_stream()
        return row

    def describe_log_streams(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group = _group_name(params)
        self._group(ctx, group)
        prefix = str(params.get("logStreamNamePrefix") or "")
        by_time = params.get("orderBy") == "LastEventTime"
        if by_time and prefix:
            raise _invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
        descending = bool(params.get("descending"))
        limit = int(params.get("limit") or MAX_PAGE)
        rows = ctx.state.query(
            "SELECT name, created, first_event, last_event, last_ingestion, stored "
            "FROM logs_streams WHERE account = ? AND region = ? AND grp = ?",
            (ctx.account, ctx.region, group),
        )
        rows = [r for r in rows if r[0].startswith(prefix)]
        if by_time:
            rows.sort(key=lambda r: (r[3] if r[3] is not None else -1, r[0]), reverse=descending)
        else:
            rows.sort(key=lambda r: r[0], reverse=descending)
        start = 0
        after = _page_token(params)
        if after is not None:
            names = [r[0] for r in rows]
            start = names.index(after) + 1 if after in names else len(rows)
        page = rows[start : start + limit]
        streams = []
        for name, created, first, last, ingested, stored in page:
            stream: dict[str, Any] = {
                "logStreamName": name,
                "creationTime": created,
                "arn": f"{self._arn(ctx, group)}:log-stream:{name}",
                "storedBytes": stored,
                "uploadSequenceToken": "49" + "0" * 54,
            }
            if first is not None:
                stream.update(
                    firstEventTimestamp=first, lastEventTimestamp=last, lastIngestionTime=ingested
                )
            streams.append(stream)
        out: dict[str, Any] = {"logStreams": streams}
        if start + limit < len(rows):
            out["nextToken"] = encode_token(page[-1][0])
        return out

    def delete_log_stream(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group, name = params["logGroupName"], params["logStreamName"]
        self._stream(ctx, group, name)
        with ctx.state.transaction() as db:
            db.execute(
                "DELETE FROM logs_events WHERE account = ? AND region = ? AND grp = ? "
                "AND stream = ?",
                (ctx.account, ctx.region, group, name),
            )
            db.execute(
                "DELETE FROM logs_streams WHERE account = ? AND region = ? AND grp = ? "
                "AND name = ?",
                (ctx.account, ctx.region, group, name),
            )
        return {}

    # -- events ------------------------------------------------------------------------------

    def put_log_events(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group, name = params["logGroupName"], params["logStreamName"]
        retention = self._stream(ctx, group, name)[2]
        events = list(params["logEvents"])
        stamps = [int(e["timestamp"]) for e in events]
        if any(b < a for a, b in pairwise(stamps)):
            raise _invalid(
                "Log events in a single PutLogEvents request must be in chronological order."
            )
        if stamps and stamps[-1] - stamps[0] > DAY_MS:
            raise _invalid(
                "The batch of log events in a single PutLogEvents request cannot span more "
                "than 24 hours."
            )
        now = _now_ms()
        expired_before = now - retention * DAY_MS if retention is not None else None
        rejected: dict[str, int] = {}
        kept = []
        for index, (event, stamp) in enumerate(zip(events, stamps, strict=True)):
            if stamp > now + TOO_NEW_MS:
                rejected.setdefault("tooNewLogEventStartIndex", index)
            elif stamp < now - TOO_OLD_MS:
                rejected["tooOldLogEventEndIndex"] = index
            elif expired_before is not None and stamp < expired_before:
                rejected["expiredLogEventEndIndex"] = index
            else:
                kept.append((stamp, str(event["message"])))
        with ctx.state.transaction() as db:
            db.executemany(
                "INSERT INTO logs_events (account, region, grp, stream, ts, ingested, message) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(ctx.account, ctx.region, group, name, s, now, m) for s, m in kept],
            )
            if kept:
                size = sum(len(m.encode("utf-8")) + 26 for _, m in kept)
                db.execute(
                    "UPDATE logs_streams SET first_event = MIN(COALESCE(first_event, ?), ?), "
                    "last_event = MAX(COALESCE(last_event, ?), ?), last_ingestion = ?, "
                    "stored = stored + ? WHERE account = ? AND region = ? AND grp = ? AND name = ?",
                    (
                        kept[0][0],
                        kept[0][0],
                        kept[-1][0],
                        kept[-1][0],
                        now,
                        size,
                        ctx.account,
                        ctx.region,
                        group,
                        name,
                    ),
                )
        out: dict[str, Any] = {"nextSequenceToken": "49" + f"{now:054d}"}
        if rejected:
            out["rejectedLogEventsInfo"] = rejected
        return out

    def get_log_events(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group, name = _group_name(params), params["logStreamName"]
        self._stream(ctx, group, name)
        start = int(params.get("startTime") or 0)
        end = params.get("endTime")
        limit = int(params.get("limit") or MAX_EVENTS)
        token = params.get("nextToken")
        where = "account = ? AND region = ? AND grp = ? AND stream = ? AND ts >= ?"
        args: list[Any] = [ctx.account, ctx.region, group, name, start]
        if end is not None:
            where += " AND ts < ?"
            args.append(int(end))
        forward = bool(params.get("startFromHead"))
        if token is not None:
            cursor = _cursor(str(token))
            forward = cursor[0] == "f"
            where += " AND (ts, seq) > (?, ?)" if forward else " AND (ts, seq) < (?, ?)"
            args += [cursor[1], cursor[2]]
        order = "ASC" if forward else "DESC"
        rows = ctx.state.query(
            f"SELECT ts, seq, message, ingested FROM logs_events WHERE {where} "
            f"ORDER BY ts {order}, seq {order} LIMIT ?",
            (*args, limit),
        )
        if not forward:
            rows.reverse()
        events = [{"timestamp": ts, "message": m, "ingestionTime": i} for ts, _, m, i in rows]
        if rows:
            first, last = rows[0], rows[-1]
            after = f"f/{last[0]:020d}/{last[1]:020d}"
            before = f"b/{first[0]:020d}/{first[1]:020d}"
        elif token is not None:  # at the end: the same token again, as the service
            after = before = str(token)
        else:
            after = f"f/{int(end) - 1 if end is not None else _now_ms():020d}/{2**62:020d}"
            before = f"b/{start:020d}/{0:020d}"
        return {"events": events, "nextForwardToken": after, "nextBackwardToken": before}

    def filter_log_events(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group = _group_name(params)
        self._group(ctx, group)
        names = params.get("logStreamNames")
        prefix = params.get("logStreamNamePrefix")
        if names and prefix:
            raise _invalid("logStreamNames and logStreamNamePrefix are mutually exclusive.")
        matches = _matcher(str(params.get("filterPattern") or ""))
        limit = int(params.get("limit") or MAX_EVENTS)
        where = "account = ? AND region = ? AND grp = ?"
        args: list[Any] = [ctx.account, ctx.region, group]
        if params.get("startTime") is not None:
            where += " AND ts >= ?"
            args.append(int(params["startTime"]))
        if params.get("endTime") is not None:
            where += " AND ts <= ?"
            args.append(int(params["endTime"]))
        after = _page_token(params)
        if after is not None:
            stamp, _, seq = after.partition("/")
            if not (stamp.isdigit() and seq.isdigit()):
                raise _invalid("The specified nextToken is invalid.")
            where += " AND (ts, seq) > (?, ?)"
            args += [int(stamp), int(seq)]
        streams = ctx.state.query(
            "SELECT name FROM logs_streams WHERE account = ? AND region = ? AND grp = ? "
            "ORDER BY name",
            (ctx.account, ctx.region, group),
        )
        wanted = [
            s
            for (s,) in streams
            if (not names or s in names) and (not prefix or s.startswith(str(prefix)))
        ]
        if names and not wanted:
            raise _no_stream()
        chosen = set(wanted)
        events: list[dict[str, Any]] = []
        last: tuple[int, int] | None = None
        more = False
        cursor = ctx.state.query(
            f"SELECT stream, ts, seq, message, ingested FROM logs_events WHERE {where} "
            "ORDER BY ts, seq",
            tuple(args),
        )
        for stream, ts, seq, message, ingested in cursor:
            if stream not in chosen or not matches(message):
                continue
            if len(events) == limit:
                more = True
                break
            events.append(
                {
                    "logStreamName": stream,
                    "timestamp": ts,
                    "message": message,
                    "ingestionTime": ingested,
                    "eventId": _event_id(ts, seq),
                }
            )
            last = (ts, seq)
        out: dict[str, Any] = {
            "events": events,
            "searchedLogStreams": [
                {"logStreamName": s, "searchedCompletely": True} for s in wanted
            ],
        }
        if more and last is not None:
            out["nextToken"] = encode_token(f"{last[0]}/{last[1]}")
        return out


def _cursor(token: str) -> tuple[str, int, int]:
    """A GetLogEvents token: ``f/TIME/SEQ`` (after) or ``b/TIME/SEQ`` (before)."""
    parts = token.split("/")
    if len(parts) != 3 or parts[0] not in ("f", "b") or not all(p.isdigit() for p in parts[1:]):
        raise _invalid("The specified nextToken is invalid.")
    if max(len(parts[1]), len(parts[2])) > 20:
        raise _invalid("The specified nextToken is invalid.")
    return parts[0], int(parts[1]), int(parts[2])


def _event_id(stamp: int, seq: int) -> str:
    """A 56-digit event id, as CloudWatch Logs' (unique: the time and the sequence)."""
    digest = int.from_bytes(hashlib.sha256(f"{stamp}/{seq}".encode()).digest()[:8], "big")
    return f"{stamp:020d}{seq:016d}{digest % 10**20:020d}"


def behaviours(model: ServiceModel) -> dict[str, Behaviour]:
    logs = Logs(model)
    return {
        "CreateLogGroup": logs.create_log_group,
        "DescribeLogGroups": logs.describe_log_groups,
        "DeleteLogGroup": logs.delete_log_group,
        "PutLogGroupDeletionProtection": logs.put_log_group_deletion_protection,
        "PutRetentionPolicy": logs.put_retention_policy,
        "DeleteRetentionPolicy": logs.delete_retention_policy,
        "TagLogGroup": logs.tag_log_group,
        "UntagLogGroup": logs.untag_log_group,
        "ListTagsLogGroup": logs.list_tags_log_group,
        "TagResource": logs.tag_resource,
        "UntagResource": logs.untag_resource,
        "ListTagsForResource": logs.list_tags_for_resource,
        "CreateLogStream": logs.create_log_stream,
        "DescribeLogStreams": logs.describe_log_streams,
        "DeleteLogStream": logs.delete_log_stream,
        "PutLogEvents": logs.put_log_events,
        "GetLogEvents": logs.get_log_events,
        "FilterLogEvents": logs.filter_log_events,
    }
