"""The server's own fixed patterns do linear work on any request (no catastrophic backtracking).

The patterns of the specs are held to linear time in ``tests/test_regex_safety.py``; these are
the hand-written ones that read untrusted text: the credential scope in an ``Authorization``
header (without ``--verify-signatures``), and a number in a query parameter (the query
protocol, which EC2 reuses and every served package carries). As there, times are never compared with a constant: the growth of a
call's time with its input's length is bounded.
"""

from __future__ import annotations

import importlib
import re

from codegen.server.auth import Authenticator, presigned_credential
from codegen.server.context import Caller
from codegen.server.errors import ApiError
from tests.support.paths import GENERATED, SPEC
from tests.support.protocol import load_module
from tests.support.regex_safety import Served, bound, growth
from tests.support.server import post


def test_an_authorization_header_of_repeated_credentials_is_read_in_linear_time() -> None:
    served = Served(SPEC)
    try:
        assert served.url.startswith("http://"), served.url
        body = "Action=DescribeFlowLogs&Version=2016-11-15"
        scope = "AWS4-HMAC-SHA256 Credential=AKIDX/20260101/eu-west-1/ec2/aws4_request"
        for header in (scope, "Credential=" * 1300, "junk"):
            status, _, _ = post(served.url, body, headers={"Authorization": header})
            assert status == 200, header[:40]
    finally:
        served.stop()
    authenticator = Authenticator()

    def caller(header: str) -> Caller:
        return authenticator.caller("POST", "/", {"authorization": header}, b"")

    found = caller(scope)
    assert (found.region, found.access_key) == ("eu-west-1", "AKIDX")
    assert caller(", " + scope[len("AWS4-HMAC-SHA256 ") :]).region == "eu-west-1"
    short, long = "Credential=" * 100, "Credential=" * 1600
    baseline = growth(caller, "x" * len(short), "x" * len(long))
    assert growth(caller, short, long, repeat=3) < bound(short, long, baseline)


def _float_pattern() -> re.Pattern[str]:
    """The number syntax of the query protocol as the generated EC2 package carries it
    (``generated/ec2/_protocols/query.py``, a copy of ``codegen/protocols/query.py``)."""
    package = load_module(GENERATED).__name__.rsplit(".", 1)[0]
    pattern: re.Pattern[str] = importlib.import_module(f"{package}._protocols.query")._FLOAT
    return pattern


def test_a_long_number_is_parsed_in_linear_time() -> None:
    number = _float_pattern()
    for text in ("1", "-1.5", ".5", "1.", "1e5", "2.5E-3", "-0.0"):
        assert number.fullmatch(text), text
    for text in ("", ".", "-", "1.2.3", "e5", "1e", "1x", "--1"):
        assert not number.fullmatch(text), text
    short, long = "1" * 250 + "x", "1" * 4000 + "x"
    baseline = growth(number.fullmatch, "1" * 250, "1" * 4000)
    assert growth(number.fullmatch, short, long, repeat=3) < bound(short, long, baseline)


def test_a_presigned_query_is_read_in_linear_time() -> None:
    signature = (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3"
        "%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=" + "0" * 64
    )
    assert presigned_credential(signature) is not None
    short, long = "a=b%20&" * 100 + signature, "a=b%20&" * 1600 + signature
    baseline = growth(len, "x" * len(short), "x" * len(long))
    assert growth(presigned_credential, short, long, repeat=5) < bound(short, long, baseline)
    # a credential of many slashes: the pattern has no nested repetition to backtrack through
    slashes = signature.replace("AKID%2F", "AKID" + "%2F" * 50)
    many = signature.replace("AKID%2F", "AKID" + "%2F" * 800)
    assert growth(_refused, slashes, many, repeat=5) < bound(slashes, many, baseline)


def _refused(query: str) -> str:
    try:
        presigned_credential(query)
    except ApiError as error:
        return error.code
    raise AssertionError("accepted")
