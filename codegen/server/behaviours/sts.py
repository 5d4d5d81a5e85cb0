"""STS as STS answers it: who the caller is, and temporary credentials that act as someone.

What no model states: ``GetCallerIdentity`` names the caller, the account its access key maps
to (``codegen/server/auth.py``: an ``--accounts`` file, else a stable id derived from the key),
as the root user (``arn:aws:iam::ACCOUNT:root``), or, for a temporary key this server handed
out, the session it was handed out for. ``AssumeRole``, ``AssumeRoleWithWebIdentity`` and
``AssumeRoleWithSAML`` hand out keys of the role's account (the account of ``RoleArn``),
``GetSessionToken`` and ``GetFederationToken`` of the caller's: ``ASIA...`` keys that carry
their account (:func:`codegen.server.auth.mint_access_key`), so a client that signs with them
acts in that account, in every service of the server, and ``GetCallerIdentity`` answers the
assumed role's session (``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION``) or the federated
user. Sessions are kept in ``sts_sessions`` (``codegen/server/state.py``); their expiry
(``DurationSeconds``, 900 to 43,200; default 3,600, 43,200 for ``GetSessionToken``) is
answered, not enforced. ``GetAccessKeyInfo`` answers a key's account. Trust policies, MFA and
the identity tokens and assertions are not checked.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from codegen.server.auth import account_of, mint_access_key
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["behaviours"]

_ROLE_ARN: Final = re.compile(r"arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[^/]+/)*([^/]+)")
_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _unique_id(prefix: str, seed: str) -> str:
    """An IAM-style unique id (``AROA`` and 17 letters), stable for ``seed``."""
    digest = hashlib.sha256(seed.encode("utf-8", "surrogatepass")).digest()
    return prefix + "".join(_LETTERS[b % 32] for b in digest[:17])


class Sts:
    def _credentials(
        self, ctx: Context, account: str, arn: str, user_id: str, seconds: int
    ) -> dict[str, Any]:
        key = mint_access_key(account)  # (DurationSeconds: the model's range, validated)
        expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=seconds)
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT INTO sts_sessions VALUES (?, ?, ?, ?, ?)",
                (key, account, arn, user_id, expires.isoformat()),
            )
        return {
            "AccessKeyId": key,
            "SecretAccessKey": secrets.token_urlsafe(30)[:40],
            "SessionToken": "IQoJb3JpZ2luX2VjE" + secrets.token_urlsafe(180),
            "Expiration": expires,
        }

    def get_caller_identity(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        key = ctx.caller.access_key
        if key is not None:
            rows = ctx.state.query(
                "SELECT account, arn, user_id FROM sts_sessions WHERE access_key = ?", (key,)
            )
            if rows:
                account, arn, user_id = rows[0]
                return {"UserId": user_id, "Account": account, "Arn": arn}
        return {
            "UserId": ctx.account,
            "Account": ctx.account,
            "Arn": f"arn:aws:iam::{ctx.account}:root",
        }

    def _assume(self, ctx: Context, params: dict[str, Any], session: str) -> dict[str, Any]:
        match = _ROLE_ARN.fullmatch(params["RoleArn"])
        if match is None:
            raise ApiError(
                "ValidationError",
                f"{params['RoleArn'][:2048]} is invalid: a role ARN is "
                "arn:aws:iam::ACCOUNT:role/NAME",
                400,
            )
        account, role = match.groups()
        role_id = _unique_id("AROA", f"{account}:{role}")
        arn = f"arn:aws:sts::{account}:assumed-role/{role}/{session}"
        user_id = f"{role_id}:{session}"
        seconds = int(params.get("DurationSeconds") or 3600)
        return {
            "Credentials": self._credentials(ctx, account, arn, user_id, seconds),
            "AssumedRoleUser": {"AssumedRoleId": user_id, "Arn": arn},
            "PackedPolicySize": 0,
        }

    def assume_role(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._assume(ctx, params, params["RoleSessionName"])

    def assume_role_with_web_identity(
        self, ctx: Context, params: dict[str, Any]
    ) -> dict[str, Any]:
        out = self._assume(ctx, params, params["RoleSessionName"])
        out["SubjectFromWebIdentityToken"] = "apigen-subject"
        out["Provider"] = params.get("ProviderId") or "apigen"
        return out

    def assume_role_with_saml(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        out = self._assume(ctx, params, "apigen-saml-session")
        out["Subject"] = "apigen-subject"
        out["SubjectType"] = "persistent"
        out["Issuer"] = "https://apigen.invalid/saml"
        return out

    def get_session_token(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        arn = f"arn:aws:iam::{ctx.account}:root"
        seconds = int(params.get("DurationSeconds") or 43_200)
        return {"Credentials": self._credentials(ctx, ctx.account, arn, ctx.account, seconds)}

    def get_federation_token(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        arn = f"arn:aws:sts::{ctx.account}:federated-user/{name}"
        user_id = f"{ctx.account}:{name}"
        seconds = int(params.get("DurationSeconds") or 43_200)
        return {
            "Credentials": self._credentials(ctx, ctx.account, arn, user_id, seconds),
            "FederatedUser": {"FederatedUserId": user_id, "Arn": arn},
            "PackedPolicySize": 0,
        }

    def get_access_key_info(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return {"Account": account_of(params["AccessKeyId"])}


def behaviours() -> dict[str, Callable[[Context, dict[str, Any]], dict[str, Any]]]:
    sts = Sts()
    return {
        "GetCallerIdentity": sts.get_caller_identity,
        "AssumeRole": sts.assume_role,
        "AssumeRoleWithWebIdentity": sts.assume_role_with_web_identity,
        "AssumeRoleWithSAML": sts.assume_role_with_saml,
        "GetSessionToken": sts.get_session_token,
        "GetFederationToken": sts.get_federation_token,
        "GetAccessKeyInfo": sts.get_access_key_info,
    }
