"""Secrets Manager secrets and their versions as Secrets Manager answers them, on Python values.

The derived engine would keep a secret as the record ``DescribeSecret`` returns; a secret's
values, their versions and staging labels, and the deletion with a recovery window are
semantics no model states, so the whole secret lifecycle is written here by hand (its record
changes with its versions: ``VersionIdsToStages``, ``DeletedDate``). Errors are the model's
shapes with the wording Secrets Manager uses.

State (``codegen/server/state.py``): ``sm_secrets`` per account, region and name (the
secret's description as JSON, with ``stages``: staging label -> version id, each label on one
version) and ``sm_versions`` (the values, by the secret's ARN and version id, in order of
creation).

* **Secrets**: ARNs ``arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`` with six
  random letters and digits, as AWS adds; a secret is found by its name, its ARN or its ARN
  without the suffix. ``ResourceExistsException`` for a name in use,
  ``InvalidRequestException`` for a name whose secret is scheduled for deletion.
* **Versions**: ``SecretString`` or ``SecretBinary`` (not both: ``InvalidParameterException``)
  make a version whose id is the ``ClientRequestToken`` (a UUID when none is given); the same
  token with the same value again changes nothing (idempotent), with another value is
  ``ResourceExistsException``. ``PutSecretValue`` moves ``AWSCURRENT`` to the new version
  unless ``VersionStages`` says otherwise, and ``AWSPREVIOUS`` to the version it left; a
  version without labels is deprecated (listed with ``IncludeDeprecated``); at most
  :data:`MAX_DEPRECATED` deprecated versions are kept. ``GetSecretValue`` by ``VersionId``
  and/or ``VersionStage`` (``AWSCURRENT`` by default); ``UpdateSecretVersionStage``.
* **Deletion**: ``DeleteSecret`` schedules it ``RecoveryWindowInDays`` (7-30, default 30)
  ahead: until then ``DescribeSecret`` shows ``DeletedDate``, values are refused with
  ``InvalidRequestException``, ``ListSecrets`` hides it unless ``IncludePlannedDeletion``, and
  ``RestoreSecret`` brings it back; with ``ForceDeleteWithoutRecovery`` (or once the window
  has passed) it is gone: ``ResourceNotFoundException``.
* **Listing**: ``ListSecrets`` in order of creation (``SortOrder``), ``Filters`` as documented
  (``name``, ``tag-key``, ``tag-value`` prefixes case-sensitive, ``description`` and ``all``
  not; ``!`` negates), ``MaxResults`` (default 100) and ``NextToken``.

Not modelled: rotation, replication, resource policies, KMS (``KmsKeyId`` is kept as given).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
import string
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final

from codegen.server.behaviours.paging import decode_token, encode_token
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["SecretsManager", "behaviours"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

CURRENT: Final = "AWSCURRENT"
PREVIOUS: Final = "AWSPREVIOUS"
MAX_DEPRECATED: Final = 100
DAY: Final = 86400.0
_NAME: Final = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
_SUFFIX: Final = string.ascii_letters + string.digits


def _date(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc)


def _not_found() -> ApiError:
    return ApiError(
        "ResourceNotFoundException", "Secrets Manager can't find the specified secret.", 400
    )


def _invalid_parameter(message: str) -> ApiError:
    return ApiError("InvalidParameterException", message, 400)


def _invalid_request(message: str) -> ApiError:
    return ApiError("InvalidRequestException", message, 400)


def _marked() -> ApiError:
    return _invalid_request(
        "You can't perform this operation on the secret because it was marked for deletion."
    )


def _value(params: Mapping[str, Any]) -> tuple[str | None, bytes | None]:
    text, binary = params.get("SecretString"), params.get("SecretBinary")
    if text is not None and binary is not None:
        raise _invalid_parameter(
            "You can't specify both a binary secret value and a string secret value in the "
            "same secret."
        )
    return text, None if binary is None else bytes(binary)


def _digest(text: str | None, binary: bytes | None) -> str:
    raw = b"s" + text.encode("utf-8") if text is not None else b"b" + (binary or b"")
    return hashlib.sha256(raw).hexdigest()


class _Secret:
    """A secret's row: its description (``meta``) and where it is."""

    def __init__(self, seq: int, meta: dict[str, Any]) -> None:
        self.seq = seq
        self.meta = meta

    @property
    def arn(self) -> str:
        return str(self.meta["ARN"])

    @property
    def name(self) -> str:
        return str(self.meta["Name"])

    @property
    def stages(self) -> dict[str, str]:
        stages: dict[str, str] = self.meta["stages"]
        return stages

    @property
    def deleted(self) -> bool:
        return self.meta.get("DeletedDate") is not None

    def check_live(self) -> None:
        if self.deleted:
            raise _marked()

    def versions_to_stages(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for label, version in sorted(self.stages.items()):
            out.setdefault(version, []).append(label)
        return out


class SecretsManager:
    """The behaviours of Secrets Manager's secret and value operations."""

    # -- finding -----------------------------------------------------------------------------

    @staticmethod
    def _row(ctx: Context, db: sqlite3.Connection, secret_id: str) -> _Secret | None:
        base = "SELECT seq, meta, arn FROM sm_secrets WHERE account = ? AND region = ? AND "
        if secret_id.startswith("arn:"):
            row = db.execute(base + "arn = ?", (ctx.account, ctx.region, secret_id)).fetchone()
            if row is None:  # an ARN without the random suffix names the secret too
                _, _, name = secret_id.partition(":secret:")
                row = db.execute(base + "name = ?", (ctx.account, ctx.region, name)).fetchone()
                if row is not None and not str(row[2]).startswith(secret_id + "-"):
                    row = None
        else:
            row = db.execute(base + "name = ?", (ctx.account, ctx.region, secret_id)).fetchone()
        if row is None:
            return None
        secret = _Secret(row[0], json.loads(row[1]))
        deadline = secret.meta.get("DeletionDate")
        if deadline is not None and deadline <= time.time():  # its recovery window has passed
            SecretsManager._forget(ctx, db, secret)
            return None
        return secret

    def _find(self, ctx: Context, db: sqlite3.Connection, secret_id: str) -> _Secret:
        secret = self._row(ctx, db, secret_id)
        if secret is None:
            raise _not_found()
        return secret

    @staticmethod
    def _forget(ctx: Context, db: sqlite3.Connection, secret: _Secret) -> None:
        db.execute("DELETE FROM sm_secrets WHERE seq = ?", (secret.seq,))
        db.execute(
            "DELETE FROM sm_versions WHERE account = ? AND region = ? AND arn = ?",
            (ctx.account, ctx.region, secret.arn),
        )

    @staticmethod
    def _save(db: sqlite3.Connection, secret: _Secret) -> None:
        db.execute(
            "UPDATE sm_secrets SET meta = ? WHERE seq = ?",
            (json.dumps(secret.meta, sort_keys=True), secret.seq),
        )

    @staticmethod
    def _version(
        ctx: Context, db: sqlite3.Connection, secret: _Secret, version_id: str
    ) -> tuple[float, str | None, bytes | None, str] | None:
        row = db.execute(
            "SELECT created, string, binary, digest FROM sm_versions "
            "WHERE account = ? AND region = ? AND arn = ? AND version_id = ?",
            (ctx.account, ctx.region, secret.arn, version_id),
        ).fetchone()
        if row is None:
            return None
        return row[0], row[1], None if row[2] is None else bytes(row[2]), row[3]

    # -- values ------------------------------------------------------------------------------

    def _add_version(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        secret: _Secret,
        params: Mapping[str, Any],
        stages: list[str] | None,
    ) -> tuple[str, bool]:
        """Add the value ``params`` gives as a new version (id: the client token), labelled
        ``stages`` (``AWSCURRENT`` when None); (version id, whether it was new)."""
        text, binary = _value(params)
        token = params.get("ClientRequestToken") or str(uuid.uuid4())
        digest = _digest(text, binary)
        earlier = self._version(ctx, db, secret, token)
        if earlier is not None:
            if earlier[3] != digest:
                raise ApiError(
                    "ResourceExistsException",
                    f"You can't modify an existing version, you can only create a new version. "
                    f"A version with the ClientRequestToken {token} already exists with "
                    "different secret data.",
                    400,
                )
            return token, False
        now = time.time()
        db.execute(
            "INSERT INTO sm_versions (account, region, arn, version_id, created, string, binary, "
            "digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ctx.account, ctx.region, secret.arn, token, now, text, binary, digest),
        )
        labels = [CURRENT] if stages is None else list(dict.fromkeys(stages))
        if CURRENT not in secret.stages and CURRENT not in labels:
            labels.append(CURRENT)  # a secret's first version is its current one
        for label in labels:
            self._move(secret, label, token)
        secret.meta["LastChangedDate"] = now
        self._prune(ctx, db, secret)
        return token, True

    @staticmethod
    def _move(secret: _Secret, label: str, version: str) -> None:
        stages = secret.stages
        before = stages.get(label)
        stages[label] = version
        if label == CURRENT and before is not None and before != version:
            stages[PREVIOUS] = before

    def _prune(self, ctx: Context, db: sqlite3.Connection, secret: _Secret) -> None:
        labelled = set(secret.stages.values())
        rows = db.execute(
            "SELECT seq, version_id FROM sm_versions WHERE account = ? AND region = ? AND arn = ? "
            "ORDER BY seq DESC",
            (ctx.account, ctx.region, secret.arn),
        ).fetchall()
        deprecated = [seq for seq, version in rows if version not in labelled]
        for seq in deprecated[MAX_DEPRECATED:]:
            db.execute("DELETE FROM sm_versions WHERE seq = ?", (seq,))

    # -- operations --------------------------------------------------------------------------

    def create_secret(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        if not _NAME.fullmatch(name):
            raise _invalid_parameter(
                "Invalid name. Must be a valid name containing alphanumeric characters, or any "
                "of the following: -/_+=.@!"
            )
        text, binary = _value(params)
        with ctx.state.transaction() as db:
            secret = self._row(ctx, db, name)
            if secret is not None:
                if secret.deleted:
                    raise _invalid_request(
                        "You can't create this secret because a secret with this name is "
                        "already scheduled for deletion."
                    )
                token = params.get("ClientRequestToken")
                earlier = None if token is None else self._version(ctx, db, secret, token)
                if earlier is None or earlier[3] != _digest(text, binary):
                    raise ApiError(
                        "ResourceExistsException",
                        f"The operation failed because the secret {name} already exists.",
                        400,
                    )
                return {"ARN": secret.arn, "Name": secret.name, "VersionId": token}
            suffix = "".join(secrets.choice(_SUFFIX) for _ in range(6))
            arn = f"arn:aws:secretsmanager:{ctx.region}:{ctx.account}:secret:{name}-{suffix}"
            now = time.time()
            meta: dict[str, Any] = {
                "ARN": arn,
                "Name": name,
                "CreatedDate": now,
                "LastChangedDate": now,
                "stages": {},
                "Tags": [
                    {"Key": t["Key"], "Value": t.get("Value", "")}
                    for t in params.get("Tags") or []
                ],
            }
            for member in ("Description", "KmsKeyId", "Type"):
                if params.get(member) is not None:
                    meta[member] = params[member]
            cursor = db.execute(
                "INSERT INTO sm_secrets (account, region, name, arn, meta) VALUES (?, ?, ?, ?, ?)",
                (ctx.account, ctx.region, name, arn, "{}"),
            )
            secret = _Secret(int(cursor.lastrowid or 0), meta)
            out: dict[str, Any] = {"ARN": arn, "Name": name}
            if text is not None or binary is not None:
                out["VersionId"], _ = self._add_version(ctx, db, secret, params, None)
            self._save(db, secret)
        return out

    def put_secret_value(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        text, binary = _value(params)
        if text is None and binary is None:
            raise _invalid_request("You must provide either SecretString or SecretBinary.")
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.check_live()
            version, _ = self._add_version(ctx, db, secret, params, params.get("VersionStages"))
            self._save(db, secret)
            return {
                "ARN": secret.arn,
                "Name": secret.name,
                "VersionId": version,
                "VersionStages": secret.versions_to_stages().get(version, []),
            }

    def update_secret(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        text, binary = _value(params)
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.check_live()
            out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
            for member in ("Description", "KmsKeyId", "Type"):
                if params.get(member) is not None:
                    secret.meta[member] = params[member]
                    secret.meta["LastChangedDate"] = time.time()
            if text is not None or binary is not None:
                out["VersionId"], _ = self._add_version(ctx, db, secret, params, None)
            self._save(db, secret)
        return out

    def get_secret_value(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.check_live()
            version_id, stage = params.get("VersionId"), params.get("VersionStage")
            if version_id is None:
                stage = stage or CURRENT
                version_id = secret.stages.get(stage)
                if version_id is None:
                    raise ApiError(
                        "ResourceNotFoundException",
                        "Secrets Manager can't find the specified secret value for staging "
                        f"label: {stage}",
                        400,
                    )
            elif stage is not None and secret.stages.get(stage) != version_id:
                raise _invalid_request(
                    "You provided a VersionStage that is not associated to the provided VersionId."
                )
            found = self._version(ctx, db, secret, version_id)
            if found is None:
                raise ApiError(
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for VersionId: "
                    f"{version_id}",
                    400,
                )
            secret.meta["LastAccessedDate"] = float(int(time.time()) // int(DAY) * int(DAY))
            self._save(db, secret)
        created, text, binary, _ = found
        out: dict[str, Any] = {
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version_id,
            "VersionStages": secret.versions_to_stages().get(version_id, []),
            "CreatedDate": _date(created),
        }
        if text is not None:
            out["SecretString"] = text
        if binary is not None:
            out["SecretBinary"] = binary
        return out

    def batch_get_secret_value(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """The current values of ``SecretIdList`` (each that cannot be read in ``Errors``), or
        of the secrets ``Filters`` lists (as ListSecrets filters, paged by it); not both."""
        ids = params.get("SecretIdList")
        if ids and params.get("Filters"):
            raise _invalid_parameter("Either 'SecretIdList' or 'Filters' must be provided.")
        if not ids and not params.get("Filters"):
            raise _invalid_parameter("Either 'SecretIdList' or 'Filters' must be provided.")
        out: dict[str, Any] = {"SecretValues": [], "Errors": []}
        if not ids:
            listed = self.list_secrets(
                ctx,
                {
                    k: params[k]
                    for k in ("Filters", "MaxResults", "NextToken")
                    if params.get(k) is not None
                },
            )
            ids = [entry["ARN"] for entry in listed["SecretList"]]
            if listed.get("NextToken"):
                out["NextToken"] = listed["NextToken"]
        for secret_id in ids:
            try:
                out["SecretValues"].append(self.get_secret_value(ctx, {"SecretId": secret_id}))
            except ApiError as error:
                out["Errors"].append(
                    {"SecretId": secret_id, "ErrorCode": error.code, "Message": error.message}
                )
        return out

    def list_secret_version_ids(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limit = params.get("MaxResults") or 100
        start = _read_token(params.get("NextToken"))
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            rows = db.execute(
                "SELECT seq, version_id, created FROM sm_versions "
                "WHERE account = ? AND region = ? AND arn = ? AND seq > ? ORDER BY seq",
                (ctx.account, ctx.region, secret.arn, start),
            ).fetchall()
        stages = secret.versions_to_stages()
        last = start
        versions: list[dict[str, Any]] = []
        out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name, "Versions": versions}
        for seq, version, created in rows:
            if version not in stages and not params.get("IncludeDeprecated"):
                continue
            if len(versions) == limit:
                out["NextToken"] = _token(last)
                break
            entry: dict[str, Any] = {"VersionId": version, "CreatedDate": _date(created)}
            if version in stages:
                entry["VersionStages"] = stages[version]
            if secret.meta.get("KmsKeyId"):
                entry["KmsKeyIds"] = [secret.meta["KmsKeyId"]]
            versions.append(entry)
            last = seq
        return out

    def update_secret_version_stage(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        label = params["VersionStage"]
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.check_live()
            holder = secret.stages.get(label)
            remove, move = params.get("RemoveFromVersionId"), params.get("MoveToVersionId")
            if holder is not None and holder != move and remove != holder:
                raise _invalid_parameter(
                    f"The staging label {label} is currently attached to version {holder}, so "
                    "you must explicitly reference that version in RemoveFromVersionId."
                )
            if remove is not None and holder != remove:
                raise _invalid_parameter(
                    f"The staging label {label} is not attached to version {remove}."
                )
            if move is not None:
                if self._version(ctx, db, secret, move) is None:
                    raise _invalid_parameter(f"Version {move} does not exist for this secret.")
                self._move(secret, label, move)
            elif holder is not None:
                if label == CURRENT:
                    raise _invalid_parameter(
                        "You can't remove the staging label AWSCURRENT from a version without "
                        "moving it to another version."
                    )
                del secret.stages[label]
            secret.meta["LastChangedDate"] = time.time()
            self._save(db, secret)
        return {"ARN": secret.arn, "Name": secret.name}

    # -- describe, list, delete, restore, tags -----------------------------------------------

    def _describe(self, secret: _Secret) -> dict[str, Any]:
        meta = secret.meta
        out: dict[str, Any] = {
            "ARN": secret.arn,
            "Name": secret.name,
            "RotationEnabled": False,
            "CreatedDate": _date(meta["CreatedDate"]),
            "LastChangedDate": _date(meta["LastChangedDate"]),
            "VersionIdsToStages": secret.versions_to_stages(),
        }
        for member in ("Description", "KmsKeyId", "Type"):
            if member in meta:
                out[member] = meta[member]
        for member in ("LastAccessedDate", "DeletedDate"):
            if meta.get(member) is not None:
                out[member] = _date(meta[member])
        if meta["Tags"]:
            out["Tags"] = meta["Tags"]
        return out

    def describe_secret(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            return self._describe(self._find(ctx, db, params["SecretId"]))

    def list_secrets(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limit = params.get("MaxResults") or 100
        start = _read_token(params.get("NextToken"))
        descending = params.get("SortOrder") == "desc"
        filters = [
            (f.get("Key"), list(f.get("Values") or [])) for f in params.get("Filters") or []
        ]
        for key, values in filters:
            if key is None or not values:
                raise _invalid_parameter("Invalid filter: a filter needs a Key and Values.")
        if descending:
            where, order = ("seq < ?", "DESC") if start else ("seq > ?", "DESC")
        else:
            where, order = "seq > ?", "ASC"
        listed: list[dict[str, Any]] = []
        last = start
        out: dict[str, Any] = {"SecretList": listed}
        now = time.time()
        with ctx.state.transaction() as db:
            rows = db.execute(
                f"SELECT seq, meta FROM sm_secrets WHERE account = ? AND region = ? AND {where} "
                f"ORDER BY seq {order}",
                (ctx.account, ctx.region, start),
            )
            for seq, raw in rows:
                secret = _Secret(seq, json.loads(raw))
                deadline = secret.meta.get("DeletionDate")
                if deadline is not None and deadline <= now:
                    continue
                if secret.deleted and not params.get("IncludePlannedDeletion"):
                    continue
                if not all(_matches(secret.meta, key, values) for key, values in filters):
                    continue
                if len(listed) == limit:
                    out["NextToken"] = _token(last)
                    break
                entry = self._describe(secret)
                entry["SecretVersionsToStages"] = entry.pop("VersionIdsToStages")
                listed.append(entry)
                last = seq
        return out

    def delete_secret(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        window = params.get("RecoveryWindowInDays")
        force = bool(params.get("ForceDeleteWithoutRecovery"))
        if force and window is not None:
            raise _invalid_parameter(
                "You can't use ForceDeleteWithoutRecovery in conjunction with "
                "RecoveryWindowInDays."
            )
        if window is not None and not 7 <= window <= 30:
            raise _invalid_parameter(
                "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
            )
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            now = time.time()
            if force:
                self._forget(ctx, db, secret)
                deletion = now
            elif secret.deleted:
                raise _marked()
            else:
                deletion = now + DAY * (30 if window is None else window)
                secret.meta["DeletedDate"] = now
                secret.meta["DeletionDate"] = deletion
                self._save(db, secret)
        return {"ARN": secret.arn, "Name": secret.name, "DeletionDate": _date(deletion)}

    def restore_secret(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.meta.pop("DeletedDate", None)
            secret.meta.pop("DeletionDate", None)
            self._save(db, secret)
        return {"ARN": secret.arn, "Name": secret.name}

    def tag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.check_live()
            tags = {t["Key"]: t.get("Value", "") for t in secret.meta["Tags"]}
            tags.update({t["Key"]: t.get("Value", "") for t in params["Tags"]})
            secret.meta["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
            self._save(db, secret)
        return {}

    def untag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            secret = self._find(ctx, db, params["SecretId"])
            secret.check_live()
            gone = set(params["TagKeys"])
            secret.meta["Tags"] = [t for t in secret.meta["Tags"] if t["Key"] not in gone]
            self._save(db, secret)
        return {}


def _matches(meta: Mapping[str, Any], key: str, values: list[str]) -> bool:
    """Whether a secret passes one filter (any of its values; ``!value`` negates)."""
    tags = meta.get("Tags") or []
    fields: dict[str, tuple[list[str], bool]] = {
        "name": ([meta["Name"]], True),
        "description": ([meta.get("Description") or ""], False),
        "tag-key": ([t["Key"] for t in tags], True),
        "tag-value": ([t["Value"] for t in tags], True),
        "primary-region": ([], True),
        "owning-service": ([], True),
    }
    if key == "all":
        words = [
            w for name in ("name", "description", "tag-key", "tag-value") for w in fields[name][0]
        ]
        candidates, case = words, False
    elif key in fields:
        candidates, case = fields[key]
    else:
        raise _invalid_parameter(f"Invalid filter key: {key[:64]}")
    for value in values:
        negate = value.startswith("!")
        wanted = value[1:] if negate else value
        if not case:
            wanted = wanted.lower()
        hit = any((c if case else c.lower()).startswith(wanted) for c in candidates)
        if hit != negate:
            return True
    return False


def _token(seq: int) -> str:
    return encode_token(f"apigen-sm:{seq}")


def _read_token(token: str | None) -> int:
    if token is None:
        return 0
    text = decode_token(token) or ""
    prefix, _, number = text.partition(":")
    if prefix != "apigen-sm" or not (number.isascii() and number.isdigit()) or len(number) > 18:
        raise ApiError("InvalidNextTokenException", "The NextToken value is invalid.", 400)
    return int(number)


# GetRandomPassword's characters, as Secrets Manager documents them
_PUNCTUATION: Final = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_KINDS: Final = (
    ("ExcludeLowercase", "abcdefghijklmnopqrstuvwxyz"),
    ("ExcludeUppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    ("ExcludeNumbers", "0123456789"),
    ("ExcludePunctuation", _PUNCTUATION),
)


def get_random_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """A random password of ``PasswordLength`` (default 32) characters from the kinds not
    excluded (and a space with ``IncludeSpace``), less ``ExcludeCharacters``; with
    ``RequireEachIncludedType`` (the default) at least one of each kind left."""
    length = int(params.get("PasswordLength") or 32)
    excluded = set(str(params.get("ExcludeCharacters") or ""))
    kinds = [
        [c for c in chars if c not in excluded] for flag, chars in _KINDS if not params.get(flag)
    ]
    if params.get("IncludeSpace") and " " not in excluded:
        kinds.append([" "])
    kinds = [kind for kind in kinds if kind]
    if not kinds:
        raise _invalid_parameter("The password can't be generated from no characters.")
    each = params.get("RequireEachIncludedType", True)
    if each and length < len(kinds):
        raise _invalid_parameter(
            f"The password length {length} is too short to include each of the {len(kinds)} "
            "required types of characters."
        )
    pool = [c for kind in kinds for c in kind]
    chosen = [secrets.choice(kind) for kind in kinds] if each else []
    chosen += [secrets.choice(pool) for _ in range(length - len(chosen))]
    order = list(range(length))
    for i in range(length - 1, 0, -1):  # shuffled with the secrets generator
        j = secrets.randbelow(i + 1)
        order[i], order[j] = order[j], order[i]
    return {"RandomPassword": "".join(chosen[i] for i in order)}


def behaviours() -> dict[str, Behaviour]:
    sm = SecretsManager()
    return {
        "GetRandomPassword": get_random_password,
        "BatchGetSecretValue": sm.batch_get_secret_value,
        "CreateSecret": sm.create_secret,
        "PutSecretValue": sm.put_secret_value,
        "UpdateSecret": sm.update_secret,
        "GetSecretValue": sm.get_secret_value,
        "ListSecretVersionIds": sm.list_secret_version_ids,
        "UpdateSecretVersionStage": sm.update_secret_version_stage,
        "DescribeSecret": sm.describe_secret,
        "ListSecrets": sm.list_secrets,
        "DeleteSecret": sm.delete_secret,
        "RestoreSecret": sm.restore_secret,
        "TagResource": sm.tag_resource,
        "UntagResource": sm.untag_resource,
    }
