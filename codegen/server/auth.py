"""Who sent a request: account from the access key, region from the SigV4 credential scope.

``--accounts FILE`` (JSON) maps access keys to account ids and, for ``--verify-signatures``,
secret keys::

    {"AKIDEXAMPLE": {"account": "111122223333", "secret": "wJalr..."},
     "AKIDOTHER": "444455556666"}

A key the file does not map gets a stable account id of its own (derived from the key), but
for the temporary keys this server's STS hands out (``AssumeRole``, ``GetSessionToken``, ...:
:func:`mint_access_key`), which carry their account as AWS's keys do: a client using the
credentials of ``AssumeRole`` on ``arn:aws:iam::111122223333:role/r`` acts in 111122223333.
Signatures are recomputed with botocore's own SigV4 signer (of a temporary key too: its
secret is not kept, so ``--verify-signatures`` refuses it).

A presigned request (boto3's ``generate_presigned_url``) carries its signature in the query
string instead of an ``Authorization`` header: SigV4's ``X-Amz-Algorithm``,
``X-Amz-Credential`` (``KEY/YYYYMMDD/REGION/SERVICE/aws4_request``), ``X-Amz-Date``,
``X-Amz-Expires``, ``X-Amz-SignedHeaders`` and ``X-Amz-Signature``, or S3's legacy SigV2
``AWSAccessKeyId``, ``Signature`` and ``Expires`` (boto3's default for S3 presigned URLs; no
region: ``us-east-1``). :func:`presigned_credential` reads them (one pass over the query
string, linear in its length) and the caller is the credential's account and region, as for a
header. Expiry is not enforced. A query that names some of them but not all, or names them
malformed, is S3's ``AuthorizationQueryParametersError`` (400), with S3's messages. Their
signatures are not recomputed: with ``--verify-signatures`` a presigned request is refused
(``AuthFailure``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from codegen.errors import ApigenError
from codegen.files import surrogate_problems
from codegen.protocols.errors import ProtocolError
from codegen.protocols.http import percent_decode
from codegen.server.context import Caller
from codegen.server.errors import ApiError

DEFAULT_REGION = "us-east-1"
ANONYMOUS_ACCOUNT = "000000000000"  # requests without an Authorization header
_CREDENTIAL = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request\s*,"
    r"\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$"
)
# Without --verify-signatures, whatever names a credential scope is enough to tell the caller.
# Only a "Credential=" that starts the header or follows a space or comma is tried: searched
# from every "Credential=", a header of nothing but those took time quadratic in its length.
_SCOPE = re.compile(r"(?<![^\s,])Credential=([^/,\s]+)/[^/,\s]*/([^/,\s]+)/([^/,\s]+)/")


# A presigned URL's query keys (AWS's names, case as sent by the SDKs): SigV4's, and the
# legacy SigV2 ones S3 still takes (boto3 presigns S3 with them unless told "s3v4").
PRESIGNED_KEYS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
)
PRESIGNED_V2_KEYS = ("AWSAccessKeyId", "Signature", "Expires")
MAX_EXPIRES = 604800  # seconds: a week, the longest a SigV4 presigned URL may last
_QUERY_CREDENTIAL = re.compile(r"([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")
_QUERY_ERROR = "AuthorizationQueryParametersError"
_RAW_KEYS = {k.encode("ascii"): k for k in (*PRESIGNED_KEYS, *PRESIGNED_V2_KEYS)}


@dataclass(frozen=True)
class PresignedCredential:
    """Who a presigned URL's query says signed it."""

    access_key: str
    region: str  # the credential scope's (SigV2 names none: us-east-1)
    service: str  # the credential scope's (SigV2: s3)
    version: int  # 4 (X-Amz-*), or 2 (AWSAccessKeyId, Signature, Expires)
    expires: int  # SigV4: seconds after X-Amz-Date; SigV2: the epoch second it expires


def presigned_credential(query: str) -> PresignedCredential | None:
    """The credential of a presigned request's raw query string; None when the query holds
    none of :data:`PRESIGNED_KEYS` (nor ``AWSAccessKeyId``). Raises :class:`ApiError`
    (``AuthorizationQueryParametersError``, 400) for a query that holds some of them but not
    all, or one malformed. One pass over the query: linear in its length."""
    if "X-Amz-" not in query and "AWSAccessKeyId=" not in query:
        return None  # the keys as the SDKs send them (not percent-encoded)
    try:
        raw = query.encode("latin-1")
    except UnicodeEncodeError:
        raw = query.encode("utf-8", "surrogatepass")
    found: dict[str, str] = {}
    for item in raw.split(b"&"):  # only the signature's values are decoded
        name, _, value = item.partition(b"=")
        key = _RAW_KEYS.get(name)
        if key is None:
            continue
        if key in found:
            raise ApiError(_QUERY_ERROR, f"The query parameter {key} is given twice.")
        try:
            found[key] = percent_decode(value, plus_is_space=True, error_code=_QUERY_ERROR)
        except ProtocolError as exc:
            raise ApiError(_QUERY_ERROR, f"{key}: {exc.message}") from None
    if any(key in found for key in PRESIGNED_KEYS):
        return _sigv4(found)
    if "AWSAccessKeyId" in found:
        return _sigv2(found)
    return None


def _sigv4(found: Mapping[str, str]) -> PresignedCredential:
    if any(key not in found for key in PRESIGNED_KEYS):
        raise ApiError(
            _QUERY_ERROR,
            "Query-string authentication version 4 requires the X-Amz-Algorithm,"
            " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and"
            " X-Amz-Expires parameters.",
        )
    if found["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256":
        raise ApiError(_QUERY_ERROR, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')
    credential = _QUERY_CREDENTIAL.fullmatch(found["X-Amz-Credential"])
    if credential is None:
        raise ApiError(
            _QUERY_ERROR,
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed;"
            ' expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
        )
    key, date, region, service = credential.groups()
    amz_date = found["X-Amz-Date"]
    if _AMZ_DATE.fullmatch(amz_date) is None:
        raise ApiError(
            _QUERY_ERROR, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
        )
    if not amz_date.startswith(date):
        raise ApiError(
            _QUERY_ERROR,
            "Error parsing the X-Amz-Credential parameter; incorrect date: the credential's"
            f" date {date} is not the date of X-Amz-Date ({amz_date[:8]}).",
        )
    expires = _number(found["X-Amz-Expires"], "X-Amz-Expires")
    if expires > MAX_EXPIRES:
        raise ApiError(
            _QUERY_ERROR, "X-Amz-Expires must be less than a week (in seconds) that is 604800"
        )
    return PresignedCredential(key, region, service, 4, expires)


def _sigv2(found: Mapping[str, str]) -> PresignedCredential:
    if any(key not in found for key in PRESIGNED_V2_KEYS):
        raise ApiError(
            _QUERY_ERROR,
            "Query-string authentication requires the Signature, Expires and AWSAccessKeyId"
            " parameters",
        )
    key = found["AWSAccessKeyId"]
    if not key:
        raise ApiError(_QUERY_ERROR, "The AWSAccessKeyId parameter is empty.")
    expires = _number(found["Expires"], "Expires")
    return PresignedCredential(key, DEFAULT_REGION, "s3", 2, expires)


def _number(text: str, name: str) -> int:
    """A query parameter that must be a whole number of seconds (at most 11 digits)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 11:
        raise ApiError(_QUERY_ERROR, f"{name} should be a number")
    return int(text)


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
    """A stable 12-digit account id for an access key no accounts file maps: the account a
    temporary key of ours carries (:func:`minted_account`), else one derived from the key."""
    minted = minted_account(access_key)
    if minted is not None:
        return minted
    digest = hashlib.sha256(access_key.encode("utf-8", "surrogatepass")).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**12:012d}"


# A temporary access key: "ASIA" and 16 base32 letters of 80 bits: the account (40 bits: 10**12
# < 2**40), 32 random bits, and a check byte (the first of the SHA-256 of the 9 bytes before it)
# that tells our keys from others that start with ASIA.
_MINTED: Final = re.compile(r"ASIA[A-Z2-7]{16}")


def mint_access_key(account: str) -> str:
    """A new temporary access key id that carries ``account`` (12 digits)."""
    payload = int(account).to_bytes(5, "big") + secrets.token_bytes(4)
    check = hashlib.sha256(payload).digest()[:1]
    return "ASIA" + base64.b32encode(payload + check).decode("ascii")


def minted_account(access_key: str) -> str | None:
    """The account a key of :func:`mint_access_key` carries, or None for any other key."""
    if _MINTED.fullmatch(access_key) is None:
        return None
    raw = base64.b32decode(access_key[4:])
    payload, check = raw[:9], raw[9:]
    if hashlib.sha256(payload).digest()[:1] != check:
        return None
    number = int.from_bytes(payload[:5], "big")
    return f"{number:012d}" if number < 10**12 else None


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
            presigned = presigned_credential(url.partition("?")[2])
            if presigned is not None:
                return self._presigned(presigned)
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

    def _presigned(self, credential: PresignedCredential) -> Caller:
        """The caller a presigned request's credential names (its signature not checked)."""
        if self.verify:
            raise ApiError(
                "AuthFailure",
                "The signatures of presigned URLs are not verified by this server"
                " (--verify-signatures): sign the request in its Authorization header.",
                401,
            )
        key = credential.access_key
        known = self.accounts.get(key)
        return Caller(
            known.account if known else account_of(key), credential.region, key, credential.service
        )


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
