"""Lambda functions that become Active, as Lambda answers them, on Python values.

The derived engine keeps a function as a record (``apigen resources`` finds
``FunctionConfiguration``), but what Lambda does with one is more than a record: its code has a
size and a SHA-256, its ARN is ``arn:aws:lambda:REGION:ACCOUNT:function:NAME`` (colons, not
the slash a convention would give), it is ``Pending`` before it is ``Active``, an update is
``InProgress`` before it is ``Successful``, and while either lasts Lambda refuses another
change. No model states that, so the function operations are written here by hand.

State (``codegen/server/state.py``): ``lambda_functions`` per account, region and name: the
configuration as ``GetFunctionConfiguration`` returns it (JSON), its tags, where it is in its
life (``phase``: ``creating``, ``updating`` or ``ready``), how many reads have seen it there
and how many versions were published (numbers are not reused); ``lambda_versions`` (each
version's configuration, and the ``$LATEST`` revision it was published from) and
``lambda_aliases`` (each alias's configuration).

* **States**: a new function is ``State: Pending`` (``StateReasonCode: Creating``) until
  ``State.settle_after`` reads (``GetFunction``, ``GetFunctionConfiguration``; ``apigen serve
  --settle-after``, default 1; 0: at once) have seen it, then ``Active`` with
  ``LastUpdateStatus: Successful``; ``UpdateFunctionCode`` and
  ``UpdateFunctionConfiguration`` make ``LastUpdateStatus: InProgress`` the same way. boto3's
  ``function_exists``, ``function_active``/``_v2`` and ``function_updated``/``_v2`` waiters
  succeed. A change while ``Pending`` or ``InProgress``, and an ``Invoke`` while ``Pending``,
  is Lambda's ``ResourceConflictException``.
* **Code**: ``ZipFile`` bytes give ``CodeSize`` and ``CodeSha256`` (base64 of the SHA-256, as
  Lambda reports it); ``S3Bucket``/``S3Key`` and ``ImageUri`` are kept as given (size 0).
* **Versions and aliases**: ``PublishVersion`` snapshots ``$LATEST`` as version 1, 2, ...
  (none when nothing changed since the last: that one is answered; ``CodeSha256`` and
  ``RevisionId`` checked; not while ``Pending`` or ``InProgress``), as do ``CreateFunction``
  and ``UpdateFunctionCode`` with ``Publish`` (answering the version; a version is ``Active``
  at once); ``ListVersionsByFunction``;
  ``CreateAlias``, ``GetAlias``, ``ListAliases`` (by ``FunctionVersion``), ``UpdateAlias``
  (``RevisionId``), ``DeleteAlias``; a qualifier (``Qualifier`` or the name's suffix: a version,
  an alias or ``$LATEST``) reads (``GetFunction``, ``GetFunctionConfiguration``) and invokes
  that version; ``DeleteFunction`` with a version's qualifier deletes it unless an alias points
  to it, without one deletes the function with its versions and aliases.
* **Errors**: ``ResourceConflictException`` for an existing name, ``ResourceNotFoundException``
  for a missing one (or a version or alias that is not there),
  ``PreconditionFailedException`` for a stale ``RevisionId``, ``InvalidParameterValueException``
  for a zip function without ``Runtime``/``Handler`` or a function without code.
* **Names**: ``FunctionName`` is the name, the ARN or the partial ARN
  (``ACCOUNT:function:NAME``), each with an optional ``:$LATEST``.
* ``Invoke`` runs no code: it checks the function is there and ``Active`` and answers
  ``StatusCode`` 200 (``RequestResponse``, payload ``null``), 202 (``Event``) or 204
  (``DryRun``) with ``ExecutedVersion``: ``$LATEST`` or the version the qualifier names.

``TagResource``, ``UntagResource`` and ``ListTags`` of a function's ARN are answered here, of
any other ARN by the derived engine (aliases, event source mappings, ...).

Not modelled: aliases' weighted routing (``RoutingConfig`` is kept and its versions checked,
but an invocation runs the alias's ``FunctionVersion``), ``PublishTo``, tags of versions and
aliases, layers' contents, concurrency, URLs, event source mappings' link to functions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final

from codegen.model import ServiceModel
from codegen.server.behaviours import DerivedFallback
from codegen.server.behaviours.paging import decode_token, encode_token
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["Functions", "behaviours"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

LATEST: Final = "$LATEST"
PAGE: Final = 50
_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DIGITS: Final = re.compile(r"[0-9]{1,9}")
# Members of CreateFunction's input kept in the configuration as given.
_KEPT: Final = (
    "Runtime",
    "Role",
    "Handler",
    "Description",
    "Timeout",
    "MemorySize",
    "Environment",
    "TracingConfig",
    "DeadLetterConfig",
    "KMSKeyArn",
    "EphemeralStorage",
    "LoggingConfig",
    "Architectures",
    "ImageConfig",
    "FileSystemConfigs",
)
_UPDATABLE: Final = (
    "Role",
    "Handler",
    "Description",
    "Timeout",
    "MemorySize",
    "Environment",
    "Runtime",
    "DeadLetterConfig",
    "KMSKeyArn",
    "TracingConfig",
    "EphemeralStorage",
    "LoggingConfig",
    "ImageConfig",
    "FileSystemConfigs",
)


def _not_found(name: str, ctx: Context) -> ApiError:
    return ApiError(
        "ResourceNotFoundException",
        f"Function not found: arn:aws:lambda:{ctx.region}:{ctx.account}:function:{name[:140]}",
        404,
        fields={"Type": "User"},
    )


def _invalid(message: str) -> ApiError:
    return ApiError("InvalidParameterValueException", message, 400, fields={"Type": "User"})


def _conflict(message: str) -> ApiError:
    return ApiError("ResourceConflictException", message, 409, fields={"Type": "User"})


def _now() -> str:
    """Lambda's ``LastModified``: ``2024-05-01T12:00:00.000+0000``."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+0000"


def _name_of(ctx: Context, given: str, qualifier: str | None) -> str:
    """The function's name from a name, ARN or partial ARN (and the qualifier it or
    ``Qualifier`` gives, which must be ``$LATEST``: operations on the unpublished function)."""
    name, wanted = _qualified(ctx, given, qualifier)
    if wanted is not None and wanted != LATEST:
        raise _not_found(f"{name}:{wanted}", ctx)
    return name


def _qualified(ctx: Context, given: str, qualifier: str | None) -> tuple[str, str | None]:
    """The function's name and the qualifier (a version, an alias or ``$LATEST``) that the
    name's suffix or ``Qualifier`` gives (both: they must agree)."""
    parts = given.split(":")
    if given.startswith("arn:") and len(parts) in (7, 8) and parts[5] == "function":
        if parts[4] != ctx.account or parts[3] != ctx.region:
            raise _not_found(parts[6], ctx)
        name, suffix = parts[6], parts[7] if len(parts) == 8 else None
    elif len(parts) in (3, 4) and parts[1] == "function":
        if parts[0] != ctx.account:
            raise _not_found(parts[2], ctx)
        name, suffix = parts[2], parts[3] if len(parts) == 4 else None
    elif len(parts) in (1, 2):
        name, suffix = parts[0], parts[1] if len(parts) == 2 else None
    else:
        raise _invalid(f"Invalid function name: {given[:140]}")
    if not _NAME.fullmatch(name):
        raise _invalid(
            "1 validation error detected: Value '"
            + given[:140]
            + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1})?"
            ":?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"
        )
    if suffix is not None and qualifier is not None and suffix != qualifier:
        raise _invalid(
            "The derived qualifier from the function name does not match the specified qualifier."
        )
    return name, suffix if suffix is not None else qualifier


def _code(params: Mapping[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """Set the code members of ``config`` from a ``Code`` structure (or UpdateFunctionCode's
    members); the ``Code`` location GetFunction answers."""
    if params.get("ZipFile") is not None:
        body = bytes(params["ZipFile"])
        config["CodeSize"] = len(body)
        config["CodeSha256"] = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        return {"RepositoryType": "S3"}
    if params.get("S3Bucket") is not None and params.get("S3Key") is not None:
        where = f"s3://{params['S3Bucket']}/{params['S3Key']}"
        config["CodeSize"] = 0
        config["CodeSha256"] = base64.b64encode(hashlib.sha256(where.encode()).digest()).decode()
        return {"RepositoryType": "S3"}
    if params.get("ImageUri") is not None:
        uri = str(params["ImageUri"])
        config["CodeSize"] = 0
        config["CodeSha256"] = hashlib.sha256(uri.encode()).hexdigest()
        return {"RepositoryType": "ECR", "ImageUri": uri, "ResolvedImageUri": uri}
    raise _invalid("Please provide a source for function code.")


class Functions(DerivedFallback):
    """The behaviours of Lambda's function operations."""

    def _tagged(self, ctx: Context, db: sqlite3.Connection, arn: str) -> str | None:
        """The name of the function ``arn`` names (None: not a function's ARN)."""
        parts = arn.split(":")
        if len(parts) != 7 or parts[0] != "arn" or parts[5] != "function":
            return None
        name = _name_of(ctx, arn, None)
        self._row(ctx, db, name)
        return name

    def _retag(self, ctx: Context, params: dict[str, Any], operation: str) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            name = self._tagged(ctx, db, params["Resource"])
            if name is not None:
                tags = self._row(ctx, db, name)[2]
                if operation == "TagResource":
                    tags.update(params["Tags"])
                else:
                    for key in params["TagKeys"]:
                        tags.pop(key, None)
                db.execute(
                    "UPDATE lambda_functions SET tags = ? WHERE account = ? AND region = ? "
                    "AND name = ?",
                    (json.dumps(tags), ctx.account, ctx.region, name),
                )
                return {}
        return self._others(operation)(ctx, params)

    def tag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._retag(ctx, params, "TagResource")

    def untag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._retag(ctx, params, "UntagResource")

    def list_tags(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            name = self._tagged(ctx, db, params["Resource"])
            if name is not None:
                return {"Tags": self._row(ctx, db, name)[2]}
        return self._others("ListTags")(ctx, params)

    def _row(
        self, ctx: Context, db: sqlite3.Connection, name: str
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], str, int]:
        row = db.execute(
            "SELECT config, code, tags, phase, reads FROM lambda_functions "
            "WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, name),
        ).fetchone()
        if row is None:
            raise _not_found(name, ctx)
        return json.loads(row[0]), json.loads(row[1]), json.loads(row[2]), row[3], row[4]

    @staticmethod
    def _write(
        ctx: Context,
        db: sqlite3.Connection,
        config: Mapping[str, Any],
        code: Mapping[str, Any],
        phase: str,
    ) -> None:
        db.execute(
            "UPDATE lambda_functions SET config = ?, code = ?, phase = ?, reads = 0 "
            "WHERE account = ? AND region = ? AND name = ?",
            (
                json.dumps(config),
                json.dumps(code),
                phase,
                ctx.account,
                ctx.region,
                config["FunctionName"],
            ),
        )

    def _read(
        self, ctx: Context, params: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
        """The function a read names, moved on once ``settle_after`` reads have seen it; or
        the version its qualifier names (an alias: the version it points to)."""
        name, qualifier = _qualified(ctx, params["FunctionName"], params.get("Qualifier"))
        with ctx.state.transaction() as db:
            config, code, tags, phase, reads = self._row(ctx, db, name)
            if qualifier not in (None, LATEST):
                return self._version(ctx, db, name, str(qualifier))[0], code, tags
            if phase != "ready":
                if reads >= ctx.state.settle_after:
                    _settle(config)
                    self._write(ctx, db, config, code, "ready")
                else:
                    db.execute(
                        "UPDATE lambda_functions SET reads = reads + 1 "
                        "WHERE account = ? AND region = ? AND name = ?",
                        (ctx.account, ctx.region, name),
                    )
        return config, code, tags

    def _version(
        self, ctx: Context, db: sqlite3.Connection, name: str, qualifier: str
    ) -> tuple[dict[str, Any], str]:
        """(configuration, version) that ``qualifier`` names: a published version, or an
        alias and the version it points to (its ``FunctionArn`` then ends in the alias)."""
        if qualifier.isdigit():
            row = db.execute(
                "SELECT config FROM lambda_versions WHERE account = ? AND region = ? "
                "AND name = ? AND version = ?",
                (ctx.account, ctx.region, name, int(qualifier)),
            ).fetchone()
            if row is None:
                raise _not_found(f"{name}:{qualifier}", ctx)
            return json.loads(row[0]), qualifier
        alias = self._alias(ctx, db, name, qualifier, function_message=True)
        target = alias["FunctionVersion"]
        if target == LATEST:
            config = self._row(ctx, db, name)[0]
        else:
            config = self._version(ctx, db, name, target)[0]
        config["FunctionArn"] = _arn(ctx, name, qualifier)
        return config, target

    def _alias(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        name: str,
        alias: str,
        *,
        function_message: bool = False,
    ) -> dict[str, Any]:
        row = db.execute(
            "SELECT config FROM lambda_aliases WHERE account = ? AND region = ? AND name = ? "
            "AND alias = ?",
            (ctx.account, ctx.region, name, alias),
        ).fetchone()
        if row is None:
            if function_message:
                raise _not_found(f"{name}:{alias}", ctx)
            raise ApiError(
                "ResourceNotFoundException",
                f"Alias not found: {_arn(ctx, name, alias[:128])}",
                404,
                fields={"Type": "User"},
            )
        config: dict[str, Any] = json.loads(row[0])
        return config

    def _changing(self, ctx: Context, config: Mapping[str, Any], phase: str) -> None:
        if phase == "creating":
            raise _conflict(
                "The operation cannot be performed at this time. The function is currently in "
                "the following state: Pending"
            )
        if phase == "updating":
            raise _conflict(
                "The operation cannot be performed at this time. An update is in progress for "
                f"resource: {config['FunctionArn']}"
            )

    # -- operations --------------------------------------------------------------------------

    def create_function(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = _name_of(ctx, params["FunctionName"], None)
        package = params.get("PackageType") or "Zip"
        if package == "Zip":
            for member in ("Runtime", "Handler"):
                if params.get(member) is None:
                    raise _invalid(f"{member} must be specified when PackageType is Zip.")
        config: dict[str, Any] = {
            "FunctionName": name,
            "FunctionArn": f"arn:aws:lambda:{ctx.region}:{ctx.account}:function:{name}",
            "Description": "",
            "Timeout": 3,
            "MemorySize": 128,
            "Version": LATEST,
            "TracingConfig": {"Mode": "PassThrough"},
            "PackageType": package,
            "Architectures": ["x86_64"],
            "EphemeralStorage": {"Size": 512},
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
        }
        for member in _KEPT:
            if params.get(member) is not None:
                config[member] = params[member]
        code = _code(params["Code"], config)
        config["LastModified"] = _now()
        config["RevisionId"] = str(uuid.uuid4())
        pending = ctx.state.settle_after > 0
        if pending:
            config.update(
                State="Pending",
                StateReason="The function is being created.",
                StateReasonCode="Creating",
            )
        else:
            _settle(config)
        tags = dict(params.get("Tags") or {})
        with ctx.state.transaction() as db:
            try:
                db.execute(
                    "INSERT INTO lambda_functions (account, region, name, config, code, tags, "
                    "phase) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        ctx.account,
                        ctx.region,
                        name,
                        json.dumps(config),
                        json.dumps(code),
                        json.dumps(tags),
                        "creating" if pending else "ready",
                    ),
                )
            except sqlite3.IntegrityError:
                raise _conflict(f"Function already exist: {name}") from None
            if params.get("Publish"):
                return self._publish(ctx, db, name, config, None)
        return config

    def get_function(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        config, code, tags = self._read(ctx, params)
        out: dict[str, Any] = {"Configuration": config, "Code": code}
        if code.get("RepositoryType") == "S3":
            code["Location"] = (
                f"https://awslambda-{ctx.region}-tasks.s3.{ctx.region}.amazonaws.com/snapshots/"
                f"{ctx.account}/{config['FunctionName']}"
            )
        if tags:
            out["Tags"] = tags
        return out

    def get_function_configuration(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._read(ctx, params)[0]

    def list_functions(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limit = params.get("MaxItems") or PAGE
        marker = params.get("Marker")
        after = ""
        if marker is not None:
            try:
                after = base64.urlsafe_b64decode(marker.encode("ascii")).decode("utf-8")
            except (ValueError, UnicodeError):
                after = "\x00"
            if not _NAME.fullmatch(after):
                raise _invalid("Invalid Marker: it is not one this server gave.")
        rows = ctx.state.query(
            "SELECT name, config FROM lambda_functions WHERE account = ? AND region = ? "
            "AND name > ? ORDER BY name LIMIT ?",
            (ctx.account, ctx.region, after, limit + 1),
        )
        out: dict[str, Any] = {"Functions": [json.loads(row[1]) for row in rows[:limit]]}
        if len(rows) > limit:
            out["NextMarker"] = base64.urlsafe_b64encode(rows[limit - 1][0].encode()).decode()
        return out

    def update_function_code(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._update(ctx, params, code=True)

    def update_function_configuration(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        return self._update(ctx, params, code=False)

    def _update(self, ctx: Context, params: dict[str, Any], *, code: bool) -> dict[str, Any]:
        name = _name_of(ctx, params["FunctionName"], None)
        with ctx.state.transaction() as db:
            config, location, _, phase, _ = self._row(ctx, db, name)
            revision = params.get("RevisionId")
            if revision is not None and revision != config["RevisionId"]:
                raise _stale()
            self._changing(ctx, config, phase)
            if code:
                location = _code(params, config)
                if params.get("Architectures") is not None:
                    config["Architectures"] = params["Architectures"]
                if params.get("DryRun"):
                    return config
            else:
                for member in _UPDATABLE:
                    if params.get(member) is not None:
                        config[member] = params[member]
            config["LastModified"] = _now()
            config["RevisionId"] = str(uuid.uuid4())
            if ctx.state.settle_after > 0:
                config["LastUpdateStatus"] = "InProgress"
                self._write(ctx, db, config, location, "updating")
            else:
                _settle(config)
                self._write(ctx, db, config, location, "ready")
            if code and params.get("Publish"):
                return self._publish(ctx, db, name, config, None)
        return config

    def delete_function(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """The function with its versions and aliases; with a ``Qualifier``, that version
        (not ``$LATEST``, nor one an alias points to)."""
        name, qualifier = _qualified(ctx, params["FunctionName"], params.get("Qualifier"))
        key = (ctx.account, ctx.region, name)
        with ctx.state.transaction() as db:
            if qualifier == LATEST:
                raise _invalid("$LATEST version cannot be deleted without deleting the function.")
            if qualifier is not None:
                self._row(ctx, db, name)
                if not qualifier.isdigit():
                    raise _invalid("Deletion of aliases is not supported.")
                self._version(ctx, db, name, qualifier)
                pointing = sorted(
                    alias
                    for alias, config in db.execute(
                        "SELECT alias, config FROM lambda_aliases WHERE account = ? AND "
                        "region = ? AND name = ?",
                        key,
                    )
                    if json.loads(config)["FunctionVersion"] == qualifier
                )
                if pointing:
                    raise _conflict(
                        "Unable to delete version because the following aliases reference it: "
                        f"[{', '.join(pointing)}]"
                    )
                db.execute(
                    "DELETE FROM lambda_versions WHERE account = ? AND region = ? AND name = ? "
                    "AND version = ?",
                    (*key, int(qualifier)),
                )
                return {}
            gone = db.execute(
                "DELETE FROM lambda_functions WHERE account = ? AND region = ? AND name = ?", key
            ).rowcount
            for table in ("lambda_versions", "lambda_aliases", "lambda_policies"):
                db.execute(
                    f"DELETE FROM {table} WHERE account = ? AND region = ? AND name = ?", key
                )
        if not gone:
            raise _not_found(name, ctx)
        return {}

    # -- resource-based policy ---------------------------------------------------------------

    def _policy_target(self, ctx: Context, params: Mapping[str, Any]) -> tuple[str, str, str]:
        """(name, qualifier or "", the ARN a statement names) of the function, version or
        alias ``FunctionName`` and ``Qualifier`` name (which must exist)."""
        name, qualifier = _qualified(ctx, params["FunctionName"], params.get("Qualifier"))
        with ctx.state.transaction() as db:
            config = self._row(ctx, db, name)[0]
            if qualifier not in (None, LATEST):
                self._version(ctx, db, name, str(qualifier))
        arn = str(config["FunctionArn"])
        return name, qualifier or "", f"{arn}:{qualifier}" if qualifier else arn

    def add_permission(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """A statement of the function's policy, as Lambda writes it: the principal a service
        (``s3.amazonaws.com``) or an account or ARN, ``SourceArn`` and ``SourceAccount`` as
        conditions; a statement id in use is ``ResourceConflictException``."""
        name, qualifier, resource = self._policy_target(ctx, params)
        sid, principal = params["StatementId"], str(params["Principal"])
        if principal.endswith(".amazonaws.com"):
            who: dict[str, str] = {"Service": principal}
        elif principal.isdigit():
            who = {"AWS": f"arn:aws:iam::{principal}:root"}
        else:
            who = {"AWS": principal}
        statement: dict[str, Any] = {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": who,
            "Action": params["Action"],
            "Resource": resource,
        }
        condition: dict[str, Any] = {}
        if params.get("SourceArn"):
            condition["ArnLike"] = {"AWS:SourceArn": params["SourceArn"]}
        if params.get("SourceAccount"):
            condition["StringEquals"] = {"AWS:SourceAccount": params["SourceAccount"]}
        if params.get("PrincipalOrgID"):
            condition.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = params[
                "PrincipalOrgID"
            ]
        if params.get("FunctionUrlAuthType"):
            condition.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = params[
                "FunctionUrlAuthType"
            ]
        if condition:
            statement["Condition"] = condition
        text = json.dumps(statement, separators=(",", ":"))
        with ctx.state.transaction() as db:
            try:
                db.execute(
                    "INSERT INTO lambda_policies VALUES (?, ?, ?, ?, ?, ?)",
                    (ctx.account, ctx.region, name, qualifier, sid, text),
                )
            except sqlite3.IntegrityError:
                raise _conflict(
                    f"The statement id ({sid[:100]}) provided already exists. Please provide a "
                    "new statement id, or remove the existing statement."
                ) from None
        return {"Statement": text}

    def get_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, qualifier, _ = self._policy_target(ctx, params)
        rows = ctx.state.query(
            "SELECT statement FROM lambda_policies WHERE account = ? AND region = ? AND "
            "name = ? AND qualifier = ? ORDER BY rowid",
            (ctx.account, ctx.region, name, qualifier),
        )
        if not rows:
            raise ApiError(
                "ResourceNotFoundException",
                "The resource you requested does not exist.",
                404,
                fields={"Type": "User"},
            )
        policy = {
            "Version": "2012-10-17",
            "Id": "default",
            "Statement": [json.loads(row[0]) for row in rows],
        }
        return {
            "Policy": json.dumps(policy, separators=(",", ":")),
            "RevisionId": str(uuid.uuid4()),
        }

    def remove_permission(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name, qualifier, _ = self._policy_target(ctx, params)
        sid = params["StatementId"]
        with ctx.state.transaction() as db:
            gone = db.execute(
                "DELETE FROM lambda_policies WHERE account = ? AND region = ? AND name = ? AND "
                "qualifier = ? AND sid = ?",
                (ctx.account, ctx.region, name, qualifier, sid),
            ).rowcount
        if not gone:
            raise ApiError(
                "ResourceNotFoundException",
                f"Statement {sid[:100]} is not found in resource policy.",
                404,
                fields={"Type": "User"},
            )
        return {}

    def list_versions_by_function(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """``$LATEST`` and the published versions, in order (``MaxItems``, ``Marker``)."""
        name = _name_of(ctx, params["FunctionName"], None)
        with ctx.state.transaction() as db:
            versions = [self._row(ctx, db, name)[0]]
            versions += [
                json.loads(row[0])
                for row in db.execute(
                    "SELECT config FROM lambda_versions WHERE account = ? AND region = ? "
                    "AND name = ? ORDER BY version",
                    (ctx.account, ctx.region, name),
                )
            ]
        return _paged(versions, params, "Versions")

    def publish_version(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """A version of the function's code and configuration as they are: numbered from 1,
        never reused; none when nothing changed since the last (that one is answered)."""
        name = _name_of(ctx, params["FunctionName"], None)
        with ctx.state.transaction() as db:
            config, _, _, phase, _ = self._row(ctx, db, name)
            self._changing(ctx, config, phase)
            revision = params.get("RevisionId")
            if revision is not None and revision != config["RevisionId"]:
                raise _stale()
            sha = params.get("CodeSha256")
            if sha is not None and sha != config["CodeSha256"]:
                raise _invalid(
                    f"CodeSHA256 ({str(sha)[:100]}) is different from current CodeSHA256 in "
                    f"$LATEST ({config['CodeSha256']}). Please try again with the CodeSHA256 "
                    "in $LATEST."
                )
            return self._publish(ctx, db, name, config, params.get("Description"))

    def _publish(
        self,
        ctx: Context,
        db: sqlite3.Connection,
        name: str,
        config: Mapping[str, Any],
        description: str | None,
    ) -> dict[str, Any]:
        """Publish ``config`` (``$LATEST``'s) as the next version, unless the last version was
        published from the same revision of it (then that one is answered)."""
        key = (ctx.account, ctx.region, name)
        last = db.execute(
            "SELECT config, source_revision FROM lambda_versions WHERE account = ? AND "
            "region = ? AND name = ? ORDER BY version DESC LIMIT 1",
            key,
        ).fetchone()
        if last is not None and last[1] == config["RevisionId"]:
            published: dict[str, Any] = json.loads(last[0])
            return published
        db.execute(
            "UPDATE lambda_functions SET published = published + 1 WHERE account = ? "
            "AND region = ? AND name = ?",
            key,
        )
        number = int(
            db.execute(
                "SELECT published FROM lambda_functions WHERE account = ? AND region = ? "
                "AND name = ?",
                key,
            ).fetchone()[0]
        )
        version = dict(config)
        _settle(version)  # a version is Active at once
        version["Version"] = str(number)
        version["FunctionArn"] = _arn(ctx, name, str(number))
        version["RevisionId"] = str(uuid.uuid4())
        if description is not None:
            version["Description"] = description
        db.execute(
            "INSERT INTO lambda_versions VALUES (?, ?, ?, ?, ?, ?)",
            (*key, number, json.dumps(version), config["RevisionId"]),
        )
        return version

    # -- aliases -----------------------------------------------------------------------------

    def _check_target(
        self, ctx: Context, db: sqlite3.Connection, name: str, params: Mapping[str, Any]
    ) -> None:
        """The versions an alias points to exist (its ``FunctionVersion``, its routing's)."""
        wanted = [params.get("FunctionVersion")]
        routing = params.get("RoutingConfig") or {}
        wanted += list((routing.get("AdditionalVersionWeights") or {}).keys())
        for version in wanted:
            if version is not None and version != LATEST:
                if not str(version).isdigit():
                    raise _invalid(f"Invalid function version {str(version)[:100]}.")
                self._version(ctx, db, name, str(version))

    def create_alias(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = _name_of(ctx, params["FunctionName"], None)
        alias = str(params["Name"])
        with ctx.state.transaction() as db:
            self._row(ctx, db, name)
            self._check_target(ctx, db, name, params)
            config: dict[str, Any] = {
                "AliasArn": _arn(ctx, name, alias),
                "Name": alias,
                "FunctionVersion": params["FunctionVersion"],
                "Description": params.get("Description") or "",
                "RevisionId": str(uuid.uuid4()),
            }
            if params.get("RoutingConfig"):
                config["RoutingConfig"] = params["RoutingConfig"]
            try:
                db.execute(
                    "INSERT INTO lambda_aliases VALUES (?, ?, ?, ?, ?)",
                    (ctx.account, ctx.region, name, alias, json.dumps(config)),
                )
            except sqlite3.IntegrityError:
                raise _conflict(f"Alias already exists: {config['AliasArn']}") from None
        return config

    def get_alias(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = _name_of(ctx, params["FunctionName"], None)
        with ctx.state.transaction() as db:
            self._row(ctx, db, name)
            return self._alias(ctx, db, name, str(params["Name"]))

    def list_aliases(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """The function's aliases by name (those of ``FunctionVersion`` when given)."""
        name = _name_of(ctx, params["FunctionName"], None)
        with ctx.state.transaction() as db:
            self._row(ctx, db, name)
            aliases = [
                json.loads(row[0])
                for row in db.execute(
                    "SELECT config FROM lambda_aliases WHERE account = ? AND region = ? "
                    "AND name = ? ORDER BY alias",
                    (ctx.account, ctx.region, name),
                )
            ]
        version = params.get("FunctionVersion")
        if version is not None:
            aliases = [a for a in aliases if a["FunctionVersion"] == version]
        return _paged(aliases, params, "Aliases")

    def update_alias(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = _name_of(ctx, params["FunctionName"], None)
        alias = str(params["Name"])
        with ctx.state.transaction() as db:
            self._row(ctx, db, name)
            config = self._alias(ctx, db, name, alias)
            revision = params.get("RevisionId")
            if revision is not None and revision != config["RevisionId"]:
                raise _stale()
            self._check_target(ctx, db, name, params)
            for member in ("FunctionVersion", "Description", "RoutingConfig"):
                if params.get(member) is not None:
                    config[member] = params[member]
            config["RevisionId"] = str(uuid.uuid4())
            db.execute(
                "UPDATE lambda_aliases SET config = ? WHERE account = ? AND region = ? "
                "AND name = ? AND alias = ?",
                (json.dumps(config), ctx.account, ctx.region, name, alias),
            )
        return config

    def delete_alias(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = _name_of(ctx, params["FunctionName"], None)
        alias = str(params["Name"])
        with ctx.state.transaction() as db:
            self._row(ctx, db, name)
            self._alias(ctx, db, name, alias)
            db.execute(
                "DELETE FROM lambda_aliases WHERE account = ? AND region = ? AND name = ? "
                "AND alias = ?",
                (ctx.account, ctx.region, name, alias),
            )
        return {}

    def invoke(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """Runs no code: the function (the version or alias its qualifier names) must be there
        and ``Active``; ``ExecutedVersion`` is the version that would have run."""
        name, qualifier = _qualified(ctx, params["FunctionName"], params.get("Qualifier"))
        executed = LATEST
        with ctx.state.transaction() as db:
            config, _, _, phase, _ = self._row(ctx, db, name)
            if qualifier not in (None, LATEST):
                executed = self._version(ctx, db, name, str(qualifier))[1]
        if phase == "creating" and executed == LATEST:
            self._changing(ctx, config, phase)
        kind = params.get("InvocationType") or "RequestResponse"
        if kind == "Event":
            return {"StatusCode": 202, "Payload": b""}
        if kind == "DryRun":
            return {"StatusCode": 204, "Payload": b""}
        return {"StatusCode": 200, "ExecutedVersion": executed, "Payload": b"null"}


def _arn(ctx: Context, name: str, qualifier: str | None = None) -> str:
    arn = f"arn:aws:lambda:{ctx.region}:{ctx.account}:function:{name}"
    return arn if qualifier is None else f"{arn}:{qualifier}"


def _stale() -> ApiError:
    return ApiError(
        "PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. Call the "
        "GetFunction/GetAlias API to retrieve the latest Revision Id",
        412,
        fields={"Type": "User"},
    )


def _paged(entries: list[dict[str, Any]], params: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A page of ``entries`` (``MaxItems``, default :data:`PAGE`; ``Marker``: where the last
    page ended, as this server gave it)."""
    limit = int(params.get("MaxItems") or PAGE)
    start = 0
    marker = params.get("Marker")
    if marker is not None:
        position = decode_token(str(marker))
        start = int(position) if position is not None and _DIGITS.fullmatch(position) else -1
        if not 0 < start <= len(entries):
            raise _invalid("Invalid Marker: it is not one this server gave.")
    out: dict[str, Any] = {key: entries[start : start + limit]}
    if start + limit < len(entries):
        out["NextMarker"] = encode_token(str(start + limit))
    return out


def _settle(config: dict[str, Any]) -> None:
    """The configuration once its creation or update has finished."""
    for member in ("StateReason", "StateReasonCode", "LastUpdateStatusReason"):
        config.pop(member, None)
    config.pop("LastUpdateStatusReasonCode", None)
    config["State"] = "Active"
    config["LastUpdateStatus"] = "Successful"


def behaviours(model: ServiceModel) -> dict[str, Behaviour]:
    functions = Functions(model)
    return {
        "AddPermission": functions.add_permission,
        "GetPolicy": functions.get_policy,
        "RemovePermission": functions.remove_permission,
        "TagResource": functions.tag_resource,
        "UntagResource": functions.untag_resource,
        "ListTags": functions.list_tags,
        "CreateFunction": functions.create_function,
        "GetFunction": functions.get_function,
        "GetFunctionConfiguration": functions.get_function_configuration,
        "ListFunctions": functions.list_functions,
        "UpdateFunctionCode": functions.update_function_code,
        "UpdateFunctionConfiguration": functions.update_function_configuration,
        "DeleteFunction": functions.delete_function,
        "ListVersionsByFunction": functions.list_versions_by_function,
        "PublishVersion": functions.publish_version,
        "CreateAlias": functions.create_alias,
        "GetAlias": functions.get_alias,
        "ListAliases": functions.list_aliases,
        "UpdateAlias": functions.update_alias,
        "DeleteAlias": functions.delete_alias,
        "Invoke": functions.invoke,
    }
