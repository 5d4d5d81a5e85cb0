"""IAM users and roles as IAM answers them, on Python values.

The derived engine finds ``User`` and ``Role`` in the model, but IAM's conventions are none a
model states: IAM is global (one namespace per account, whatever region a request is signed
for), names are unique regardless of case (``Bob`` after ``bob`` is
``EntityAlreadyExists``; ``GetUser`` of ``BOB`` finds ``bob``), ARNs carry the path and no
region (``arn:aws:iam::ACCOUNT:user/PATH/NAME``), ids are ``AIDA``/``AROA`` and 17 letters and
digits (21 characters, as AWS's), and a role's ``AssumeRolePolicyDocument`` is kept as given
and answered URL-encoded, as IAM answers it (botocore decodes it back into a dict). So users
and roles are written here by hand; IAM's other resources (groups, access keys, policies, ...)
stay the derived engine's.

State (``codegen/server/state.py``): ``iam_entities`` per account, kind (``user``,
``role``) and lower-cased name, the entity as ``GetUser``/``GetRole`` returns it (JSON).

* ``CreateUser``, ``GetUser``, ``ListUsers``, ``UpdateUser`` (``NewUserName``, ``NewPath``),
  ``DeleteUser``, ``TagUser``, ``UntagUser``, ``ListUserTags``; ``CreateRole``, ``GetRole``,
  ``ListRoles``, ``UpdateRole``, ``UpdateAssumeRolePolicy``, ``DeleteRole``, ``TagRole``,
  ``UntagRole``, ``ListRoleTags``. boto3's ``user_exists`` and ``role_exists`` waiters succeed.
* Errors: ``EntityAlreadyExists`` (409), ``NoSuchEntity`` (404) with IAM's wording,
  ``MalformedPolicyDocument`` for a policy that is not a JSON object, ``InvalidInput``.
* Listings in order of the lower-cased name, ``PathPrefix``, ``MaxItems`` (default 100) and
  ``Marker``/``IsTruncated``. ``GetUser`` without a name is IAM's ``ValidationError`` (the
  caller is an access key, not a user).

Managed policies and groups (:class:`IamLinks`; groups and customer managed policies are
the derived engine's records, ``iam_attachments`` and ``iam_members`` link them):
``AttachUserPolicy``, ``AttachRolePolicy``, ``AttachGroupPolicy`` (an AWS managed policy,
``arn:aws:iam::aws:policy/...``, or one of the account's; at most 10 an entity, IAM's default
quota: ``LimitExceeded``), their ``Detach`` (``NoSuchEntity`` when not attached) and
``ListAttached...Policies`` (``PathPrefix``, ``MaxItems``, ``Marker``),
``ListEntitiesForPolicy``; ``AddUserToGroup``, ``RemoveUserFromGroup``, ``ListGroupsForUser``,
and ``GetGroup`` listing the group's users. ``GetPolicy`` counts the attachments
(``AttachmentCount``). Deleting a user, role or group that has policies attached or (a
group, a user) members is IAM's ``DeleteConflict`` (409), as is deleting an attached policy.

Not modelled: ``DeleteConflict`` for a user with access keys or inline policies,
``RoleLastUsed``, permissions boundaries' effect (kept as given), service-linked roles, what
a policy allows.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import string
import time
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final

from codegen.model import ServiceModel
from codegen.server.behaviours import DerivedFallback
from codegen.server.behaviours.paging import decode_token, encode_token
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["Iam", "behaviours"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

PAGE: Final = 100
_ID_CHARS: Final = string.ascii_uppercase + string.digits
_NAME: Final = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
_PATH: Final = re.compile(r"/|/[\x21-\x7e]{1,510}/")


class _Kind:
    def __init__(self, kind: str, title: str, prefix: str, member: str) -> None:
        self.kind = kind  # "user" / "role": the table's kind and the ARN's resource type
        self.title = title  # "User" / "Role": the output member and the messages' noun
        self.prefix = prefix  # AIDA / AROA
        self.member = member  # UserName / RoleName


USER: Final = _Kind("user", "User", "AIDA", "UserName")
ROLE: Final = _Kind("role", "Role", "AROA", "RoleName")


def _no_such(kind: _Kind, name: str) -> ApiError:
    return ApiError(
        "NoSuchEntity",
        f"The {kind.kind} with name {name[:64]} cannot be found.",
        404,
    )


def _policy(document: str) -> str:
    try:
        parsed = json.loads(document)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        parsed = None
    if not isinstance(parsed, dict):
        raise ApiError(
            "MalformedPolicyDocument",
            "This policy contains invalid Json",
            400,
        )
    return document


def _check_path(path: str) -> str:
    if not _PATH.fullmatch(path):
        raise ApiError(
            "InvalidInput",
            "The specified value for path is invalid. It must begin and end with / and contain "
            "only alphanumeric characters and/or / characters.",
            400,
        )
    return path


def _read_marker(marker: str | None) -> str:
    if marker is None:
        return ""
    key = decode_token(marker) or ""
    if not _NAME.fullmatch(key):
        raise ApiError("InvalidInput", "Invalid Marker.", 400)
    return key


class Iam:
    """The behaviours of IAM's user and role operations."""

    def _get(self, ctx: Context, db: sqlite3.Connection, kind: _Kind, name: str) -> dict[str, Any]:
        row = db.execute(
            "SELECT entity FROM iam_entities WHERE account = ? AND kind = ? AND key = ?",
            (ctx.account, kind.kind, name.lower()),
        ).fetchone()
        if row is None:
            raise _no_such(kind, name)
        entity: dict[str, Any] = json.loads(row[0])
        return entity

    @staticmethod
    def _put(ctx: Context, db: sqlite3.Connection, kind: _Kind, entity: Mapping[str, Any]) -> None:
        db.execute(
            "UPDATE iam_entities SET entity = ? WHERE account = ? AND kind = ? AND key = ?",
            (json.dumps(entity), ctx.account, kind.kind, str(entity[kind.member]).lower()),
        )

    @staticmethod
    def _view(kind: _Kind, entity: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(entity)
        out["CreateDate"] = datetime.fromtimestamp(entity["CreateDate"], timezone.utc)
        if "AssumeRolePolicyDocument" in out:  # IAM answers policy documents URL-encoded
            out["AssumeRolePolicyDocument"] = urllib.parse.quote(
                out["AssumeRolePolicyDocument"], safe=""
            )
        if not out.get("Tags"):
            out.pop("Tags", None)
        return out

    def _create(self, ctx: Context, kind: _Kind, params: Mapping[str, Any]) -> dict[str, Any]:
        name = params[kind.member]
        if not _NAME.fullmatch(name):
            raise ApiError(
                "InvalidInput",
                f"The specified value for {kind.member[0].lower()}{kind.member[1:]} is invalid.",
                400,
            )
        path = _check_path(params.get("Path") or "/")
        entity: dict[str, Any] = {
            "Path": path,
            kind.member: name,
            f"{kind.title}Id": kind.prefix + "".join(secrets.choice(_ID_CHARS) for _ in range(17)),
            "Arn": f"arn:aws:iam::{ctx.account}:{kind.kind}{path}{name}",
            "CreateDate": float(int(time.time())),
            "Tags": [{"Key": t["Key"], "Value": t["Value"]} for t in params.get("Tags") or []],
        }
        if params.get("PermissionsBoundary") is not None:
            entity["PermissionsBoundary"] = {
                "PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": params["PermissionsBoundary"],
            }
        if kind is ROLE:
            entity["AssumeRolePolicyDocument"] = _policy(params["AssumeRolePolicyDocument"])
            entity["MaxSessionDuration"] = params.get("MaxSessionDuration") or 3600
            if params.get("Description") is not None:
                entity["Description"] = params["Description"]
        with ctx.state.transaction() as db:
            try:
                db.execute(
                    "INSERT INTO iam_entities (account, kind, key, entity) VALUES (?, ?, ?, ?)",
                    (ctx.account, kind.kind, name.lower(), json.dumps(entity)),
                )
            except sqlite3.IntegrityError:
                raise ApiError(
                    "EntityAlreadyExists",
                    f"{kind.title} with name {name} already exists.",
                    409,
                ) from None
        return {kind.title: self._view(kind, entity)}

    def _read(self, ctx: Context, kind: _Kind, name: str) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            return {kind.title: self._view(kind, self._get(ctx, db, kind, name))}

    def _list(self, ctx: Context, kind: _Kind, params: Mapping[str, Any]) -> dict[str, Any]:
        limit = params.get("MaxItems") or PAGE
        after = _read_marker(params.get("Marker"))
        prefix = params.get("PathPrefix") or "/"
        found: list[dict[str, Any]] = []
        out: dict[str, Any] = {f"{kind.title}s": found, "IsTruncated": False}
        with ctx.state.transaction() as db:
            rows = db.execute(
                "SELECT key, entity FROM iam_entities WHERE account = ? AND kind = ? AND key > ? "
                "ORDER BY key",
                (ctx.account, kind.kind, after),
            )
            last = ""
            for key, raw in rows:
                entity = json.loads(raw)
                if not str(entity["Path"]).startswith(prefix):
                    continue
                if len(found) == limit:
                    out.update(IsTruncated=True, Marker=encode_token(last))
                    break
                view = self._view(kind, entity)
                view.pop("Tags", None)  # ListUsers and ListRoles answer no tags
                found.append(view)
                last = key
        return out

    def _delete(self, ctx: Context, kind: _Kind, name: str) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            gone = db.execute(
                "DELETE FROM iam_entities WHERE account = ? AND kind = ? AND key = ?",
                (ctx.account, kind.kind, name.lower()),
            ).rowcount
        if not gone:
            raise _no_such(kind, name)
        return {}

    def _tag(self, ctx: Context, kind: _Kind, params: Mapping[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            entity = self._get(ctx, db, kind, params[kind.member])
            tags = {t["Key"]: t["Value"] for t in entity["Tags"]}
            if "TagKeys" in params:
                for key in params["TagKeys"]:
                    tags.pop(key, None)
            else:
                tags.update({t["Key"]: t["Value"] for t in params["Tags"]})
            if len(tags) > 50:
                raise ApiError(
                    "LimitExceeded",
                    "The number of tags has reached the maximum limit.",
                    409,
                )
            entity["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
            self._put(ctx, db, kind, entity)
        return {}

    def _list_tags(self, ctx: Context, kind: _Kind, params: Mapping[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            entity = self._get(ctx, db, kind, params[kind.member])
        return {"Tags": entity["Tags"], "IsTruncated": False}

    # -- users -------------------------------------------------------------------------------

    def create_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._create(ctx, USER, params)

    def get_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("UserName") is None:
            raise ApiError(
                "ValidationError",
                "Must specify userName when calling with non-User credentials",
                400,
            )
        return self._read(ctx, USER, params["UserName"])

    def list_users(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._list(ctx, USER, params)

    def delete_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._delete(ctx, USER, params["UserName"])

    def update_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        new_name, new_path = params.get("NewUserName"), params.get("NewPath")
        if new_name is not None and not _NAME.fullmatch(new_name):
            raise ApiError("InvalidInput", "The specified value for newUserName is invalid.", 400)
        with ctx.state.transaction() as db:
            entity = self._get(ctx, db, USER, params["UserName"])
            old_key = str(entity["UserName"]).lower()
            if new_path is not None:
                entity["Path"] = _check_path(new_path)
            if new_name is not None:
                entity["UserName"] = new_name
            entity["Arn"] = f"arn:aws:iam::{ctx.account}:user{entity['Path']}{entity['UserName']}"
            try:
                db.execute(
                    "UPDATE iam_entities SET key = ?, entity = ? WHERE account = ? AND kind = ? "
                    "AND key = ?",
                    (
                        str(entity["UserName"]).lower(),
                        json.dumps(entity),
                        ctx.account,
                        "user",
                        old_key,
                    ),
                )
            except sqlite3.IntegrityError:
                raise ApiError(
                    "EntityAlreadyExists",
                    f"User with name {new_name} already exists.",
                    409,
                ) from None
        return {}

    def tag_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._tag(ctx, USER, params)

    def untag_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._tag(ctx, USER, params)

    def list_user_tags(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._list_tags(ctx, USER, params)

    # -- roles -------------------------------------------------------------------------------

    def create_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._create(ctx, ROLE, params)

    def get_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._read(ctx, ROLE, params["RoleName"])

    def list_roles(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._list(ctx, ROLE, params)

    def delete_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._delete(ctx, ROLE, params["RoleName"])

    def update_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            entity = self._get(ctx, db, ROLE, params["RoleName"])
            for member in ("Description", "MaxSessionDuration"):
                if params.get(member) is not None:
                    entity[member] = params[member]
            self._put(ctx, db, ROLE, entity)
        return {}

    def update_assume_role_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        document = _policy(params["PolicyDocument"])
        with ctx.state.transaction() as db:
            entity = self._get(ctx, db, ROLE, params["RoleName"])
            entity["AssumeRolePolicyDocument"] = document
            self._put(ctx, db, ROLE, entity)
        return {}

    def tag_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._tag(ctx, ROLE, params)

    def untag_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._tag(ctx, ROLE, params)

    def list_role_tags(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._list_tags(ctx, ROLE, params)


_AWS_MANAGED: Final = "arn:aws:iam::aws:policy/"
MAX_ATTACHED: Final = 10  # managed policies an entity may have (IAM's default quota)
_KINDS: Final = {"user": "UserName", "role": "RoleName", "group": "GroupName"}


def _conflict(message: str) -> ApiError:
    return ApiError("DeleteConflict", message, 409)


class IamLinks(DerivedFallback):
    """Managed policies attached to users, roles and groups, and users in groups: links
    between the hand-written users and roles and the derived engine's groups and policies."""

    def __init__(self, iam: Iam, model: ServiceModel) -> None:
        super().__init__(model)
        self.iam = iam

    # -- what is linked ----------------------------------------------------------------------

    def _exists(self, ctx: Context, kind: str, name: str) -> dict[str, Any]:
        """The user, role or group ``name`` (as its Get answers it), else IAM's NoSuchEntity."""
        if kind == "group":
            try:
                group: dict[str, Any] = self._others("GetGroup")(ctx, {"GroupName": name})["Group"]
            except ApiError:
                raise ApiError(
                    "NoSuchEntity", f"The group with name {name[:128]} cannot be found.", 404
                ) from None
            return group
        entity = USER if kind == "user" else ROLE
        with ctx.state.transaction() as db:
            return self.iam._get(ctx, db, entity, name)

    def _policy(self, ctx: Context, arn: str) -> dict[str, Any]:
        """The policy ``arn`` names: an AWS managed one (any under ``arn:aws:iam::aws:policy/``),
        or one of the account's (GetPolicy's), else IAM's NoSuchEntity."""
        if arn.startswith(_AWS_MANAGED) and len(arn) > len(_AWS_MANAGED):
            path, _, name = arn[len(_AWS_MANAGED) - 1 :].rpartition("/")
            return {"PolicyName": name, "PolicyArn": arn, "Path": path + "/"}
        try:
            policy = self._others("GetPolicy")(ctx, {"PolicyArn": arn})["Policy"]
        except ApiError:
            raise ApiError(
                "NoSuchEntity", f"Policy {arn[:2048]} does not exist or is not attachable.", 404
            ) from None
        return {"PolicyName": policy["PolicyName"], "PolicyArn": arn, "Path": policy["Path"]}

    def _attached(self, ctx: Context, kind: str, name: str) -> list[str]:
        rows = ctx.state.query(
            "SELECT arn FROM iam_attachments WHERE account = ? AND kind = ? AND entity = ? "
            "ORDER BY arn",
            (ctx.account, kind, name.lower()),
        )
        return [r[0] for r in rows]

    # -- attach, detach, list ----------------------------------------------------------------

    def attach(self, kind: str) -> Behaviour:
        def attach(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            name = params[_KINDS[kind]]
            self._exists(ctx, kind, name)
            arn = params["PolicyArn"]
            self._policy(ctx, arn)
            with ctx.state.transaction() as db:
                count = db.execute(
                    "SELECT COUNT(*) FROM iam_attachments WHERE account = ? AND kind = ? AND "
                    "entity = ? AND arn != ?",
                    (ctx.account, kind, name.lower(), arn),
                ).fetchone()[0]
                if count >= MAX_ATTACHED:
                    raise ApiError(
                        "LimitExceeded",
                        f"Cannot exceed quota for PoliciesPer{kind.title()}: {MAX_ATTACHED}",
                        409,
                    )
                db.execute(
                    "INSERT OR IGNORE INTO iam_attachments VALUES (?, ?, ?, ?)",
                    (ctx.account, kind, name.lower(), arn),
                )
            return {}

        return attach

    def detach(self, kind: str) -> Behaviour:
        def detach(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            name = params[_KINDS[kind]]
            self._exists(ctx, kind, name)
            arn = params["PolicyArn"]
            with ctx.state.transaction() as db:
                gone = db.execute(
                    "DELETE FROM iam_attachments WHERE account = ? AND kind = ? AND entity = ? "
                    "AND arn = ?",
                    (ctx.account, kind, name.lower(), arn),
                ).rowcount
            if not gone:
                raise ApiError("NoSuchEntity", f"Policy {arn[:2048]} was not found.", 404)
            return {}

        return detach

    def list_attached(self, kind: str) -> Behaviour:
        def list_attached(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
            name = params[_KINDS[kind]]
            self._exists(ctx, kind, name)
            prefix = params.get("PathPrefix") or "/"
            policies = []
            for arn in self._attached(ctx, kind, name):
                try:
                    policy = self._policy(ctx, arn)
                except ApiError:
                    continue  # a policy deleted since (IAM refuses that; kept safe)
                if policy["Path"].startswith(prefix):
                    policies.append({"PolicyName": policy["PolicyName"], "PolicyArn": arn})
            policies.sort(key=lambda p: (p["PolicyName"], p["PolicyArn"]))
            return _page(params, "AttachedPolicies", policies, lambda p: p["PolicyArn"])

        return list_attached

    def list_entities_for_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["PolicyArn"]
        self._policy(ctx, arn)
        wanted = params.get("EntityFilter")
        rows = ctx.state.query(
            "SELECT kind, entity FROM iam_attachments WHERE account = ? AND arn = ? "
            "ORDER BY kind, entity",
            (ctx.account, arn),
        )
        out: dict[str, Any] = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
        for kind, name in rows:
            if wanted and wanted.lower() != kind:
                continue
            try:
                entity = self._exists(ctx, kind, name)
            except ApiError:
                continue
            title = kind.title()
            out[f"Policy{title}s"].append(
                {f"{title}Name": entity[f"{title}Name"], f"{title}Id": entity[f"{title}Id"]}
            )
        out["IsTruncated"] = False
        return out

    # -- groups and their users --------------------------------------------------------------

    def add_user_to_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group, user = params["GroupName"], params["UserName"]
        self._exists(ctx, "group", group)
        self._exists(ctx, "user", user)
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO iam_members VALUES (?, ?, ?)",
                (ctx.account, group.lower(), user.lower()),
            )
        return {}

    def remove_user_from_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        group, user = params["GroupName"], params["UserName"]
        self._exists(ctx, "group", group)
        self._exists(ctx, "user", user)
        with ctx.state.transaction() as db:
            gone = db.execute(
                "DELETE FROM iam_members WHERE account = ? AND grp = ? AND user = ?",
                (ctx.account, group.lower(), user.lower()),
            ).rowcount
        if not gone:
            raise ApiError(
                "NoSuchEntity",
                f"The user with name {user[:64]} cannot be found in group {group[:128]}.",
                404,
            )
        return {}

    def list_groups_for_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        user = params["UserName"]
        self._exists(ctx, "user", user)
        rows = ctx.state.query(
            "SELECT grp FROM iam_members WHERE account = ? AND user = ? ORDER BY grp",
            (ctx.account, user.lower()),
        )
        groups = []
        for (group,) in rows:
            try:
                groups.append(self._exists(ctx, "group", group))
            except ApiError:
                continue
        return _page(params, "Groups", groups, lambda g: str(g["GroupName"]).lower())

    def get_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        out = self._others("GetGroup")(ctx, params)
        rows = ctx.state.query(
            "SELECT user FROM iam_members WHERE account = ? AND grp = ? ORDER BY user",
            (ctx.account, str(params["GroupName"]).lower()),
        )
        users = []
        with ctx.state.transaction() as db:
            for (user,) in rows:
                try:
                    entity = self.iam._view(USER, self.iam._get(ctx, db, USER, user))
                except ApiError:
                    continue
                entity.pop("Tags", None)
                users.append(entity)
        page = _page(params, "Users", users, lambda u: str(u["UserName"]).lower())
        return {**out, **page}

    def get_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        out = self._others("GetPolicy")(ctx, params)
        count = ctx.state.query(
            "SELECT COUNT(*) FROM iam_attachments WHERE account = ? AND arn = ?",
            (ctx.account, params["PolicyArn"]),
        )[0][0]
        out["Policy"] = {**out["Policy"], "AttachmentCount": count}
        out["Policy"]["PermissionsBoundaryUsageCount"] = 0
        out["Policy"]["IsAttachable"] = True
        return out

    # -- deletes that IAM refuses while something is linked ----------------------------------

    def _no_links(self, ctx: Context, kind: str, name: str) -> None:
        if self._attached(ctx, kind, name):
            raise _conflict("Cannot delete entity, must detach all policies first.")
        column = "grp" if kind == "group" else "user"
        if kind != "role" and ctx.state.query(
            f"SELECT 1 FROM iam_members WHERE account = ? AND {column} = ? LIMIT 1",
            (ctx.account, name.lower()),
        ):
            raise _conflict(
                "Cannot delete entity, must remove users from group first."
                if kind == "group"
                else "Cannot delete entity, must remove user from all groups first."
            )

    def delete_user(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._no_links(ctx, "user", params["UserName"])
        return self.iam.delete_user(ctx, params)

    def delete_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._no_links(ctx, "role", params["RoleName"])
        return self.iam.delete_role(ctx, params)

    def delete_group(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        self._no_links(ctx, "group", params["GroupName"])
        return self._others("DeleteGroup")(ctx, params)

    def delete_policy(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        if ctx.state.query(
            "SELECT 1 FROM iam_attachments WHERE account = ? AND arn = ? LIMIT 1",
            (ctx.account, params["PolicyArn"]),
        ):
            raise _conflict("Cannot delete a policy attached to entities.")
        return self._others("DeletePolicy")(ctx, params)


def _page(
    params: Mapping[str, Any],
    member: str,
    items: list[dict[str, Any]],
    key: Callable[[dict[str, Any]], str],
) -> dict[str, Any]:
    """``items`` (in order) after ``Marker``, at most ``MaxItems`` (default 100)."""
    limit = params.get("MaxItems") or PAGE
    marker = params.get("Marker")
    if marker is not None:
        after = decode_token(str(marker))
        if after is None:
            raise ApiError("InvalidInput", "Invalid Marker.", 400)
        items = [item for item in items if key(item) > after]
    out: dict[str, Any] = {member: items[:limit], "IsTruncated": len(items) > limit}
    if len(items) > limit:
        out["Marker"] = encode_token(key(items[limit - 1]))
    return out


def behaviours(model: ServiceModel | None = None) -> dict[str, Behaviour]:
    iam = Iam()
    links: dict[str, Behaviour] = {}
    if model is not None:
        linked = IamLinks(iam, model)
        links = {
            "AttachUserPolicy": linked.attach("user"),
            "AttachRolePolicy": linked.attach("role"),
            "AttachGroupPolicy": linked.attach("group"),
            "DetachUserPolicy": linked.detach("user"),
            "DetachRolePolicy": linked.detach("role"),
            "DetachGroupPolicy": linked.detach("group"),
            "ListAttachedUserPolicies": linked.list_attached("user"),
            "ListAttachedRolePolicies": linked.list_attached("role"),
            "ListAttachedGroupPolicies": linked.list_attached("group"),
            "ListEntitiesForPolicy": linked.list_entities_for_policy,
            "AddUserToGroup": linked.add_user_to_group,
            "RemoveUserFromGroup": linked.remove_user_from_group,
            "ListGroupsForUser": linked.list_groups_for_user,
            "GetGroup": linked.get_group,
            "GetPolicy": linked.get_policy,
            "DeleteGroup": linked.delete_group,
            "DeletePolicy": linked.delete_policy,
            "DeleteUser": linked.delete_user,
            "DeleteRole": linked.delete_role,
        }
    return {
        "CreateUser": iam.create_user,
        "GetUser": iam.get_user,
        "ListUsers": iam.list_users,
        "UpdateUser": iam.update_user,
        "DeleteUser": iam.delete_user,
        "TagUser": iam.tag_user,
        "UntagUser": iam.untag_user,
        "ListUserTags": iam.list_user_tags,
        "CreateRole": iam.create_role,
        "GetRole": iam.get_role,
        "ListRoles": iam.list_roles,
        "UpdateRole": iam.update_role,
        "UpdateAssumeRolePolicy": iam.update_assume_role_policy,
        "DeleteRole": iam.delete_role,
        "TagRole": iam.tag_role,
        "UntagRole": iam.untag_role,
        "ListRoleTags": iam.list_role_tags,
    } | links
