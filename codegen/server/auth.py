"""Who sent a request: account from the access key, region from the SigV4 credential scope.

``--accounts FILE`` (JSON) maps access keys to account ids and, for ``--verify-signatures``,
secret keys::

    {"AKIDEXAMPLE": {"account": "111122223333", "secret": "wJalr..."},
     "AKIDOTHER": "444455556666"}

A key the file does not map gets a stable account id of its own (derived from the key).
Signatures are recomputed with botocore's own SigV4 signer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from codegen.errors import ApigenError
from codegen.files import surrogate_problems
from codegen.server.context import Caller
from codegen.server.errors import ApiError

DEFAULT_REGION = "us-east-1"
ANONYMOUS_ACCOUNT = "000000000000"  # requests without an Authorization header
_CREDENTIAL = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request\s*,"
    r"\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$"
)
# Without --verify-signatures, whatever names a credential scope is enough to tell the caller.
_SCOPE = re.compile(r"Credential=([^/,\s]+)/[^/,\s]*/([^/,\s]+)/([^/,\s]+)/")


class AccountsFileError(ApigenError):
    fmt = "accounts file {path}: {reason}"


@dataclass(frozen=True)
class Account:
    account: str
    secret: str | None = None


def load_accounts(path: Path) -> dict[str, Account]:
    try:
        raw = path.read_bytes()
        document = json.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise AccountsFileError(path=path, reason=exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise AccountsFileError(
            path=path, reason=f"not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    except json.JSONDecodeError as exc:
        raise AccountsFileError(
            path=path, reason=f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(document, dict):
        raise AccountsFileError(path=path, reason="expected a JSON object {access key: account}")
    lone = surrogate_problems(raw, document)
    if lone:
        raise AccountsFileError(path=path, reason=f"at {lone[0][0]}: {lone[0][1]}")
    accounts: dict[str, Account] = {}
    for key, value in document.items():
        if isinstance(value, str):
            value = {"account": value}
        if not isinstance(value, dict) or not isinstance(value.get("account"), str):
            raise AccountsFileError(
                path=path,
                reason=f'{key}: expected an account id or {{"account": ..., "secret": ...}}',
            )
        if not re.fullmatch(r"[0-9]{12}", value["account"]):
            raise AccountsFileError(
                path=path, reason=f"{key}: account {value['account']!r} is not 12 digits"
            )
        secret = value.get("secret")
        if secret is not None and not isinstance(secret, str):
            raise AccountsFileError(path=path, reason=f"{key}: secret must be a string")
        unknown = set(value) - {"account", "secret"}
        if unknown:
            raise AccountsFileError(
                path=path, reason=f"{key}: unknown field(s) {', '.join(sorted(unknown))}"
            )
        accounts[key] = Account(value["account"], secret)
    return accounts


def account_of(access_key: str) -> str:
    """A stable 12-digit account id for an access key no accounts file maps."""
    digest = hashlib.sha256(access_key.encode("utf-8", "surrogatepass")).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**12:012d}"


class Authenticator:
    def __init__(
        self, accounts: Mapping[str, Account] | None = None, verify: bool = False
    ) -> None:
        self.accounts = dict(accounts or {})
        self.verify = verify

    def caller(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> Caller:
        header = headers.get("authorization")
        if header is None:
            if self.verify:
                raise ApiError(
                    "MissingAuthenticationToken",
                    "The request must contain valid credentials.",
                    401,
                )
            return Caller(ANONYMOUS_ACCOUNT, DEFAULT_REGION)
        match = _CREDENTIAL.match(header)
        if match is None and not self.verify:
            # not checking signatures: any Authorization header is accepted, as by moto; a
            # credential scope in it still picks the account and region
            scope = _SCOPE.search(header)
            if scope is None:
                return Caller(ANONYMOUS_ACCOUNT, DEFAULT_REGION)
            key, region, service = scope.groups()
            known = self.accounts.get(key)
            return Caller(known.account if known else account_of(key), region, key, service)
        if match is None:
            raise ApiError(
                "IncompleteSignature",
                "The Authorization header is not an AWS4-HMAC-SHA256 signature "
                "(Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...).",
            )
        key, date, region, service, signed, signature = match.groups()
        known = self.accounts.get(key)
        caller = Caller(known.account if known else account_of(key), region, key, service)
        if self.verify:
            if known is None or known.secret is None:
                raise ApiError(
                    "AuthFailure",
                    "AWS was not able to validate the provided access credentials",
                    401,
                )
            expected = _signature(
                method,
                url,
                headers,
                body,
                known.secret,
                key,
                date,
                region,
                service,
                signed.split(";"),
            )
            if expected is None or not hmac.compare_digest(expected, signature):
                raise ApiError(
                    "AuthFailure",
                    "AWS was not able to validate the provided access credentials",
                    401,
                )
        return caller


def _signature(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    secret: str,
    key: str,
    date: str,
    region: str,
    service: str,
    signed: list[str],
) -> str | None:
    """The SigV4 signature botocore's signer computes for this request (None: cannot sign)."""
    from botocore.auth import SigV4Auth  # type: ignore[import-untyped,unused-ignore]
    from botocore.awsrequest import AWSRequest  # type: ignore[import-untyped,unused-ignore]
    from botocore.credentials import Credentials  # type: ignore[import-untyped,unused-ignore]

    timestamp = headers.get("x-amz-date")
    if (
        timestamp is None
        or not timestamp.startswith(date)
        or any(h not in headers for h in signed)
    ):
        return None
    request = AWSRequest(
        method=method, url=url, data=body, headers={h: headers[h] for h in signed}
    )
    request.context["timestamp"] = timestamp
    signer = SigV4Auth(Credentials(key, secret), service, region)
    canonical = signer.canonical_request(request)
    signature: str = signer.signature(signer.string_to_sign(request, canonical), request)
    return signature
