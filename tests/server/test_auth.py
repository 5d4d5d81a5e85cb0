"""Who a request is from (``codegen/server/auth.py``): presigned URLs' query strings.

The reference for what a presigned query holds is botocore's own presigner
(``generate_presigned_url``, SigV4 and S3's legacy SigV2) and, under hypothesis, queries built
with the standard library's ``urlencode`` from the parts. ``APIGEN_HYPOTHESIS_EXAMPLES`` runs
more examples (derandomized in CI)."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit

import boto3.session  # type: ignore[import-untyped]  # boto3 ships no types
import botocore.config
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.server.auth import (
    DEFAULT_REGION,
    PRESIGNED_KEYS,
    PRESIGNED_V2_KEYS,
    Authenticator,
    PresignedCredential,
    account_of,
    presigned_credential,
)
from codegen.server.errors import ApiError

EXAMPLES = settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "60")),
    derandomize=True,
    deadline=None,
)
QUERY_ERROR = "AuthorizationQueryParametersError"

# what a credential scope's parts may hold: anything but "/" (the separator); "&", "=", "%"
# and "+" are percent-encoded by urlencode as by botocore
PART = st.text(st.characters(exclude_characters="/", exclude_categories=["Cs"]), min_size=1)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
OTHER = st.lists(
    st.tuples(
        st.text(st.characters(exclude_categories=["Cs"])).filter(
            lambda k: k not in PRESIGNED_KEYS and k not in PRESIGNED_V2_KEYS
        ),
        st.text(st.characters(exclude_categories=["Cs"])),
    ),
    max_size=4,
)


def _query(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs)


def _sigv4(key: str, day: date, region: str, service: str, expires: int) -> dict[str, str]:
    stamp = day.strftime("%Y%m%d")
    return {
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": f"{key}/{stamp}/{region}/{service}/aws4_request",
        "X-Amz-Date": f"{stamp}T120000Z",
        "X-Amz-Expires": str(expires),
        "X-Amz-SignedHeaders": "host",
        "X-Amz-Signature": "0" * 64,
    }


def _error(query: str) -> ApiError:
    with pytest.raises(ApiError) as caught:
        presigned_credential(query)
    assert (caught.value.code, caught.value.status) == (QUERY_ERROR, 400), caught.value.message
    return caught.value


@EXAMPLES
@given(
    key=PART,
    day=DAYS,
    region=PART,
    service=PART,
    expires=st.integers(0, 604800),
    other=OTHER,
    at=st.integers(0, 4),
)
def test_a_sigv4_query_gives_its_credential(
    key: str,
    day: date,
    region: str,
    service: str,
    expires: int,
    other: list[tuple[str, str]],
    at: int,
) -> None:
    pairs = list(_sigv4(key, day, region, service, expires).items())
    pairs[at:at] = other  # the service's own parameters, anywhere among the signature's
    found = presigned_credential(_query(pairs))
    assert found == PresignedCredential(key, region, service, 4, expires)


@EXAMPLES
@given(
    parts=st.tuples(PART, DAYS, PART, PART, st.integers(0, 604800)),
    dropped=st.sets(st.sampled_from(PRESIGNED_KEYS), min_size=1, max_size=5),
)
def test_a_sigv4_query_missing_a_key_is_refused(
    parts: tuple[str, date, str, str, int], dropped: set[str]
) -> None:
    fields = _sigv4(*parts)
    error = _error(_query([(k, v) for k, v in fields.items() if k not in dropped]))
    assert "requires the X-Amz-Algorithm, X-Amz-Credential" in error.message


@EXAMPLES
@given(credential=st.text(st.characters(exclude_categories=["Cs"])))
def test_a_malformed_credential_is_refused(credential: str) -> None:
    fields = _sigv4("AKID", date(2026, 1, 2), "eu-west-1", "s3", 60)
    fields["X-Amz-Credential"] = credential
    parts = credential.split("/")
    well_formed = (
        len(parts) == 5
        and all(parts[:4])
        and len(parts[1]) == 8
        and parts[1].isascii()
        and parts[1].isdigit()
        and parts[4] == "aws4_request"
    )
    if well_formed and parts[1] == "20260102":
        assert presigned_credential(_query(list(fields.items()))) == PresignedCredential(
            parts[0], parts[2], parts[3], 4, 60
        )
    elif well_formed:
        assert "incorrect date" in _error(_query(list(fields.items()))).message
    else:
        assert "the Credential is mal-formed" in _error(_query(list(fields.items()))).message


@EXAMPLES
@given(query=st.text(st.characters(min_codepoint=0, max_codepoint=255)))
def test_any_query_is_a_credential_none_or_a_400(query: str) -> None:
    for text in (query, "X-Amz-Credential=" + query, "AWSAccessKeyId=" + query):
        try:
            presigned_credential(text)
        except ApiError as error:
            assert (error.code, error.status) == (QUERY_ERROR, 400)


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA512", 'only supports "AWS4-HMAC-SHA256"'),
        ("X-Amz-Date", "2026-01-02T12:00:00Z", "ISO8601 Long Format"),
        ("X-Amz-Expires", "604801", "less than a week"),
        ("X-Amz-Expires", "-1", "should be a number"),
        ("X-Amz-Expires", "1" * 40, "should be a number"),
        ("X-Amz-Credential", "AKID/20260102/eu-west-1/s3", "mal-formed"),
        ("X-Amz-Credential", "AKID/2026012/eu-west-1/s3/aws4_request", "mal-formed"),
    ],
)
def test_malformed_sigv4_fields_say_which(field: str, value: str, said: str) -> None:
    fields = _sigv4("AKID", date(2026, 1, 2), "eu-west-1", "s3", 60)
    fields[field] = value
    assert said in _error(_query(list(fields.items()))).message


def test_repeated_and_undecodable_keys_are_refused() -> None:
    fields = list(_sigv4("AKID", date(2026, 1, 2), "eu-west-1", "s3", 60).items())
    assert "given twice" in _error(_query([*fields, fields[1]])).message
    _error(_query(fields) + "&X-Amz-Date=%ZZ")
    _error(_query(fields) + "&X-Amz-Date=%FF")  # not UTF-8
    assert presigned_credential("Action=List&Version=1&x=%41") is None
    assert presigned_credential("") is None


def test_sigv2_queries() -> None:
    v2 = [("AWSAccessKeyId", "AKIDB"), ("Signature", "c2ln"), ("Expires", "1796659101")]
    assert presigned_credential(_query(v2)) == PresignedCredential(
        "AKIDB", DEFAULT_REGION, "s3", 2, 1796659101
    )
    assert "requires the Signature, Expires and AWSAccessKeyId" in _error(_query(v2[:2])).message
    assert "should be a number" in _error(_query([*v2[:2], ("Expires", "soon")])).message


@pytest.mark.parametrize("signature_version", ["s3v4", None])
@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
def test_botocore_presigned_urls(signature_version: str | None, region: str) -> None:
    client = boto3.session.Session().client(
        "s3",
        endpoint_url="http://localhost:4566",
        region_name=region,
        aws_access_key_id="AKIDPRESIGN",
        aws_secret_access_key="secret",
        config=botocore.config.Config(signature_version=signature_version),
    )
    for method in ("get_object", "put_object"):
        url = client.generate_presigned_url(
            method, Params={"Bucket": "bkt", "Key": "a/b c.txt"}, ExpiresIn=900
        )
        found = presigned_credential(urlsplit(url).query)
        if signature_version == "s3v4":
            assert found == PresignedCredential("AKIDPRESIGN", region, "s3", 4, 900)
        else:  # botocore's default for S3: SigV2, expiry as an epoch second
            assert found is not None and (found.version, found.region) == (2, DEFAULT_REGION)
            soon = datetime.now(timezone.utc) + timedelta(seconds=900)
            assert abs(found.expires - soon.timestamp()) < 60
        caller = Authenticator().caller("GET", url, {}, b"")
        assert caller.account == account_of("AKIDPRESIGN") and caller.access_key == "AKIDPRESIGN"
        assert caller.region == (region if signature_version else DEFAULT_REGION)


def test_verify_signatures_refuses_a_presigned_request() -> None:
    url = "http://h/b/k?" + _query(
        list(_sigv4("AKID", date(2026, 1, 2), "eu-west-1", "s3", 60).items())
    )
    with pytest.raises(ApiError) as caught:
        Authenticator(verify=True).caller("GET", url, {}, b"")
    assert (caught.value.code, caught.value.status) == ("AuthFailure", 401)
    # an Authorization header is read first: the query's credential is then a parameter
    header = "AWS4-HMAC-SHA256 Credential=AKIDH/20260102/us-west-2/s3/aws4_request, x"
    caller = Authenticator().caller("GET", url, {"authorization": header}, b"")
    assert (caller.access_key, caller.region) == ("AKIDH", "us-west-2")
