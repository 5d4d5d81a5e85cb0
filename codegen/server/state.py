"""Server state in SQLite: records of every resource, flow logs and client tokens, per account
and region.

``records`` is one generic table for every resource of every service the derived engine
(:mod:`codegen.server.engine`) keeps: the record as JSON (the structure a read returns), its
identifier, unique name and ARN in indexed columns (looked up by id, by name, by ARN, and by
id across a service's resources for EC2's ``CreateTags``), its tags, and where it is in its
life (``phase``: ``creating`` until it settles, ``ready``, ``deleting``, ``deleted``; ``reads``:
how many reads have seen it in that phase). ``flow_logs`` is the hand-written flow-log
behaviour's (``codegen/server/behaviours/ec2_flow_logs.py``). ``client_tokens`` holds the
result of each create that carried an idempotency token.

One connection, serialized by a lock (SQLite's own locking covers other processes). Every
write is committed before the caller answers the request, so an acknowledged change survives
``kill -9``. ``":memory:"`` (the default) keeps nothing after the process ends. A state file
of another schema version is refused (``SCHEMA_VERSION``), never silently migrated.

A state file is checked when it is opened: ``PRAGMA quick_check`` (every page and record, in
time linear in the file) within :data:`CHECK_SECONDS`; a damaged file is refused
(:class:`StateFileError`), and a file too large to check in that time is used with a warning,
as a damage found later is handled too: any query that finds the file damaged (or cannot read
or write it) raises :class:`StateUnreadable`, which the server answers with no response at all
(never a 5xx: an SDK would retry it) and by stopping (see ``codegen/server/app.py``). What was
acknowledged had been committed, so a repaired file, or a backup, loses nothing of it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from codegen.errors import ApigenError

# 2: flow logs no longer carry pre-rendered XML; 3: records, for every resource; 4: the
# hand-written behaviours' tables (S3 buckets, objects and uploads; SQS queues and messages;
# DynamoDB tables and items); 5: Secrets Manager secrets and versions,
# Lambda functions, IAM users and roles, SNS topics and subscriptions, Kinesis streams and records;
# 6: Lambda's published versions and aliases; 7: S3 buckets' configurations (tagging, policy,
# CORS, lifecycle, encryption, website, versioning, ...), STS's temporary credentials, and
# CloudWatch Logs' groups, streams and events, IAM's managed policy attachments and group
# members, Lambda's resource-based policies, Kinesis streams' retention and encryption
SCHEMA_VERSION = 7
APPLICATION_ID = 0x61706967  # "apig": marks a state file as ours

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE flow_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    flow_log_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    traffic_type TEXT NOT NULL,
    log_destination_type TEXT NOT NULL,
    destination TEXT NOT NULL,
    log_group_name TEXT,
    deliver_logs_status TEXT NOT NULL,
    item TEXT NOT NULL
);
CREATE UNIQUE INDEX flow_logs_by_id ON flow_logs (account, region, flow_log_id);
CREATE INDEX flow_logs_by_resource ON flow_logs (account, region, resource_id, seq);
CREATE INDEX flow_logs_by_scope ON flow_logs (account, region, seq);
CREATE INDEX flow_logs_by_config
    ON flow_logs (account, region, resource_id, traffic_type, destination);
CREATE TABLE records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    service TEXT NOT NULL,
    resource TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT,
    arn TEXT,
    phase TEXT NOT NULL,
    reads INTEGER NOT NULL DEFAULT 0,
    record TEXT NOT NULL,
    extra TEXT NOT NULL,
    tags TEXT NOT NULL
);
CREATE UNIQUE INDEX records_by_id ON records (account, region, service, resource, id);
CREATE INDEX records_by_scope ON records (account, region, service, resource, seq);
CREATE INDEX records_by_name ON records (account, region, service, resource, name);
CREATE INDEX records_by_arn ON records (account, region, service, arn);
CREATE INDEX records_any_id ON records (account, region, service, id);
CREATE TABLE s3_buckets (
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (account, name)
);
CREATE TABLE s3_objects (
    account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key BLOB NOT NULL,
    body BLOB NOT NULL,
    etag TEXT NOT NULL,
    modified TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (account, bucket, key)
);
CREATE TABLE s3_bucket_configs (
    account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (account, bucket, kind)
);
CREATE TABLE sts_sessions (
    access_key TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    arn TEXT NOT NULL,
    user_id TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE TABLE logs_groups (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    created INTEGER NOT NULL,
    retention INTEGER,
    kms TEXT,
    class TEXT NOT NULL,
    protected INTEGER NOT NULL,
    tags TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
);
CREATE TABLE logs_streams (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    grp TEXT NOT NULL,
    name TEXT NOT NULL,
    created INTEGER NOT NULL,
    first_event INTEGER,
    last_event INTEGER,
    last_ingestion INTEGER,
    stored INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, region, grp, name)
);
CREATE TABLE logs_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    grp TEXT NOT NULL,
    stream TEXT NOT NULL,
    ts INTEGER NOT NULL,
    ingested INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX logs_events_by_stream ON logs_events (account, region, grp, stream, ts, seq);
CREATE INDEX logs_events_by_group ON logs_events (account, region, grp, ts, seq);
CREATE TABLE s3_uploads (
    account TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key BLOB NOT NULL,
    initiated TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (account, upload_id)
);
CREATE INDEX s3_uploads_by_bucket ON s3_uploads (account, bucket, key);
CREATE TABLE s3_parts (
    account TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    body BLOB NOT NULL,
    etag TEXT NOT NULL,
    modified TEXT NOT NULL,
    PRIMARY KEY (account, upload_id, part)
);
CREATE TABLE sqs_queues (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
);
CREATE TABLE sqs_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    attributes TEXT NOT NULL,
    sent REAL NOT NULL,
    visible_at REAL NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_received REAL,
    receipt TEXT,
    group_id TEXT,
    dedup_id TEXT
);
CREATE INDEX sqs_messages_visible ON sqs_messages (account, region, queue, visible_at, seq);
CREATE INDEX sqs_messages_by_queue ON sqs_messages (account, region, queue, seq);
CREATE INDEX sqs_messages_by_receipt ON sqs_messages (receipt);
CREATE TABLE ddb_tables (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    reads INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, region, name)
);
CREATE TABLE ddb_items (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    tbl TEXT NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (account, region, tbl, pk, sk)
);
CREATE TABLE sm_secrets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE UNIQUE INDEX sm_secrets_by_name ON sm_secrets (account, region, name);
CREATE INDEX sm_secrets_by_arn ON sm_secrets (account, region, arn);
CREATE TABLE sm_versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    arn TEXT NOT NULL,
    version_id TEXT NOT NULL,
    created REAL NOT NULL,
    string TEXT,
    binary BLOB,
    digest TEXT NOT NULL
);
CREATE UNIQUE INDEX sm_versions_by_id ON sm_versions (account, region, arn, version_id);
CREATE INDEX sm_versions_by_secret ON sm_versions (account, region, arn, seq);
CREATE TABLE lambda_functions (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    code TEXT NOT NULL,
    tags TEXT NOT NULL,
    phase TEXT NOT NULL,
    reads INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, region, name)
);
CREATE TABLE lambda_versions (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    config TEXT NOT NULL,
    source_revision TEXT NOT NULL,
    PRIMARY KEY (account, region, name, version)
);
CREATE TABLE lambda_aliases (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    config TEXT NOT NULL,
    PRIMARY KEY (account, region, name, alias)
);
CREATE TABLE iam_entities (
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    entity TEXT NOT NULL,
    PRIMARY KEY (account, kind, key)
);
CREATE TABLE iam_attachments (
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    arn TEXT NOT NULL,
    PRIMARY KEY (account, kind, entity, arn)
);
CREATE INDEX iam_attachments_by_policy ON iam_attachments (account, arn);
CREATE TABLE iam_members (
    account TEXT NOT NULL,
    grp TEXT NOT NULL,
    user TEXT NOT NULL,
    PRIMARY KEY (account, grp, user)
);
CREATE INDEX iam_members_by_user ON iam_members (account, user);
CREATE TABLE lambda_policies (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    sid TEXT NOT NULL,
    statement TEXT NOT NULL,
    PRIMARY KEY (account, region, name, qualifier, sid)
);
CREATE TABLE sns_topics (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
);
CREATE TABLE sns_subscriptions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    topic TEXT NOT NULL,
    arn TEXT NOT NULL,
    protocol TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    attributes TEXT NOT NULL
);
CREATE UNIQUE INDEX sns_subscriptions_by_arn ON sns_subscriptions (account, region, arn);
CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (account, region, topic, seq);
CREATE TABLE kinesis_streams (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    shards INTEGER NOT NULL,
    mode TEXT NOT NULL,
    tags TEXT NOT NULL,
    phase TEXT NOT NULL,
    reads INTEGER NOT NULL DEFAULT 0,
    retention INTEGER NOT NULL DEFAULT 24,
    key_id TEXT,
    PRIMARY KEY (account, region, name)
);
CREATE TABLE kinesis_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    stream TEXT NOT NULL,
    shard INTEGER NOT NULL,
    partition_key TEXT NOT NULL,
    data BLOB NOT NULL,
    arrived REAL NOT NULL
);
CREATE INDEX kinesis_records_by_shard ON kinesis_records (account, region, stream, shard, seq);
CREATE TABLE client_tokens (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    operation TEXT NOT NULL,
    token TEXT NOT NULL,
    digest TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (account, region, operation, token)
);
"""


# Every table of state but ``meta`` (the reset endpoint empties them).
RESET_TABLES = (
    "records",
    "flow_logs",
    "client_tokens",
    "s3_buckets",
    "s3_bucket_configs",
    "sts_sessions",
    "logs_groups",
    "logs_streams",
    "logs_events",
    "s3_objects",
    "s3_uploads",
    "s3_parts",
    "sqs_queues",
    "sqs_messages",
    "ddb_tables",
    "ddb_items",
    "sm_secrets",
    "sm_versions",
    "lambda_functions",
    "lambda_versions",
    "lambda_aliases",
    "iam_entities",
    "sns_topics",
    "sns_subscriptions",
    "kinesis_streams",
    "kinesis_records",
    "iam_attachments",
    "iam_members",
    "lambda_policies",
)


class StateFileError(ApigenError):
    fmt = "state file {path}: {reason}"


class StateUnreadable(StateFileError):
    """The state file turned out damaged, unreadable or unwritable while serving."""


#: How long the check of a state file at start may take (a larger file is used unchecked).
CHECK_SECONDS = 10.0

# SQLite's primary result codes that mean the file cannot be used: I/O error, damaged ("database
# disk image is malformed"), full, cannot be opened, not a database.
_UNUSABLE = {10, 11, 13, 14, 26}
_UNUSABLE_TEXT = ("malformed", "not a database", "disk i/o error", "is full", "unable to open")


def unusable(exc: BaseException) -> bool:
    """Whether an SQLite error says the file itself cannot be used (not a bug in a query)."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if isinstance(code, int):
        return code & 0xFF in _UNUSABLE
    return any(text in str(exc).lower() for text in _UNUSABLE_TEXT)


class State:
    """The SQLite database behind the server (thread-safe: one lock around one connection)."""

    def __init__(self, path: str | Path = ":memory:", *, settle_after: int = 1) -> None:
        if settle_after < 0:
            raise ValueError(f"settle_after must be 0 or more, not {settle_after}")
        self.path = str(path)
        # reads of a new (or deleted) record before it reaches its waiter's success state
        self.settle_after = settle_after
        self.lock = threading.RLock()
        if self.path != ":memory:":
            target = Path(self.path)
            if target.is_dir():
                raise StateFileError(path=self.path, reason="is a directory")
            if not target.parent.is_dir():
                raise StateFileError(
                    path=self.path, reason=f"folder {target.parent} does not exist"
                )
            if target.exists():
                _check_header(target)
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.execute(
                "PRAGMA journal_mode=WAL"
                if self.path != ":memory:"
                else "PRAGMA journal_mode=MEMORY"
            )
            self.db.execute("PRAGMA synchronous=FULL")
            if self.path != ":memory:":
                self.warning = self._check()
            self._open()
        except sqlite3.DatabaseError as exc:
            raise StateFileError(
                path=self.path, reason=f"not a usable SQLite database ({exc})"
            ) from None
        self.token_key = bytes.fromhex(self._meta("token_key"))

    warning: str | None = None  # set when the file was too large to check at start

    def _check(self, seconds: float = CHECK_SECONDS) -> str | None:
        """``PRAGMA quick_check`` within ``seconds``: a damaged file is a StateFileError naming
        the first problems; one not checked in time gives the warning returned."""
        deadline = time.monotonic() + seconds
        self.db.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            rows = self.db.execute("PRAGMA quick_check(5)").fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            return (
                f"state file {self.path}: not checked for damage (larger than a check takes "
                f"{seconds:g} s to read); damage found while serving stops the server"
            )
        finally:
            self.db.set_progress_handler(None, 0)
        problems = [" ".join(str(row[0]).split()) for row in rows]
        if problems != ["ok"]:
            raise StateFileError(
                path=self.path,
                reason="is damaged (SQLite's quick_check: "
                + "; ".join(problems)
                + "); refusing to use it: restore a backup or move it away",
            )
        return None

    def _open(self) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables and app_id == 0:
            with self.transaction():
                self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
                self.db.execute(
                    "INSERT INTO meta VALUES ('token_key', ?)", (secrets.token_hex(32),)
                )
            return
        if app_id != APPLICATION_ID or "meta" not in tables:
            raise StateFileError(
                path=self.path,
                reason="is an SQLite database but not an apigen state file; refusing to use it",
            )
        found = self._meta("schema_version")
        if found != str(SCHEMA_VERSION):
            raise StateFileError(
                path=self.path,
                reason=f"has state schema version {found}, this apigen reads version {SCHEMA_VERSION}; "
                "refusing to use it (move it away or pass another --state file)",
            )

    def _meta(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise StateFileError(
                path=self.path, reason=f"has no {key!r}; it is damaged or not ours"
            )
        return str(row[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Serialized, committed on success (before the response is sent), rolled back on error.
        A file that cannot be used raises :class:`StateUnreadable`."""
        with self.lock, self._usable():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # a damaged file: the error that found it is the one to report
                raise
            self.db.execute("COMMIT")

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.lock, self._usable():
            return self.db.execute(sql, args).fetchall()

    @contextmanager
    def _usable(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if unusable(exc):
                raise StateUnreadable(
                    path=self.path, reason=f"cannot be used any more ({exc})"
                ) from None
            raise

    def reset(self) -> None:
        """Forget every record, flow log and client token (the token key stays)."""
        with self.transaction() as db:
            for table in RESET_TABLES:
                db.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        with self.lock:
            self.db.close()


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise StateFileError(path=str(path), reason=f"cannot be read ({exc.strerror})") from None
    if head and not head.startswith(b"SQLite format 3\x00"):
        raise StateFileError(
            path=str(path), reason="is not an SQLite database; refusing to overwrite it"
        )


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
