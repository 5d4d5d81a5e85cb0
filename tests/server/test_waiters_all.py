"""Every waiter of the installed botocore through boto3 against ``apigen serve --all-services``
(issue 19: "how many succeed"), measured by ``tools/waiters_all.py`` and held as data: the
waiters that succeeded in the last full run, with the botocore version they were measured on
(``tests/fixtures/waiters/succeeding.json``, written by ``tools/waiters_all.py --expected``).

CI measures the waiters of a few services on one ``apigen serve --all-services`` process: each
waiter that succeeded there must still succeed (a ratchet: re-measure and commit the data when
the engine improves). ``APIGEN_SLOW_TESTS=1`` measures every service and asserts at least the
committed count. What a waiter does and why one fails: ``tests/support/waiters.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from codegen.bridge.releases import installed_release
from codegen.pipeline import release_spec
from tests.support.lifecycle import REPORT
from tests.support.paths import FIXTURES
from tests.support.server import fresh_key, session
from tests.support.waiters import (
    CONFIG,
    Result,
    measure_service,
    serving_all,
    waiter_services,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EXPECTED = json.loads((FIXTURES / "waiters" / "succeeding.json").read_text())
# small services: resources with a record structure (kinesis' streams), read as their output's
# own members (repostspace's channels, CloudWatch's alarm mute rules), and waiters that fail
# (CloudWatch's alarms): with a reason, not a hang or a fault
SAMPLE = ("kinesis", "repostspace", "cloudwatch")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    assert installed_release().version == EXPECTED["botocore"], (
        "the installed botocore is not the one the data was measured on: "
        "re-measure with tools/waiters_all.py --expected tests/fixtures/waiters/succeeding.json"
    )
    with serving_all(settle_after=1) as started:
        yield started


def _measure(service: str, url: str) -> list[Result]:
    model = release_spec(installed_release(), service).model()
    return measure_service(service, model, url, fresh_key(), timeout=60)


@pytest.mark.parametrize("service", SAMPLE)
def test_sampled_waiters_still_succeed(service: str, url: str) -> None:
    results = _measure(service, url)
    expected = set(EXPECTED["services"].get(service, ()))
    succeeded = {r.waiter for r in results if r.ok}
    REPORT.append(f"waiters of {service} on --all-services: {len(succeeded)} of {len(results)}")
    assert {r.waiter for r in results} >= expected  # boto3 still has them
    assert expected <= succeeded, {r.waiter: r.reason for r in results if r.waiter in expected}
    assert all(r.kind not in ("server fault (5xx)", "other") for r in results), results


@pytest.mark.slow
def test_every_waiter_of_botocore(url: str) -> None:
    release = installed_release()
    results = [r for s in waiter_services(release) for r in _measure(s, url)]
    succeeded = {(r.service, r.waiter) for r in results if r.ok}
    REPORT.append(
        f"waiters on --all-services: {len(succeeded)} of {len(results)} succeed (botocore "
        f"{release.version})"
    )
    assert len(results) == EXPECTED["waiters"]
    assert len(succeeded) >= EXPECTED["succeeded"], sorted(
        (s, w) for s, ws in EXPECTED["services"].items() for w in ws if (s, w) not in succeeded
    )


@pytest.mark.parametrize(
    ("service", "call", "params", "modeled"),
    [
        ("iam", "get_role", {"RoleName": "nobody"}, "NoSuchEntityException"),
    ],
)
def test_a_missing_resource_is_the_modeled_exception(
    url: str, service: str, call: str, params: dict[str, str], modeled: str
) -> None:
    """A read of a missing resource is answered with the code its modeled error shape states
    (IAM's ``NoSuchEntityException`` is ``NoSuchEntity`` on the wire, rds's
    ``DBInstanceNotFoundFault`` ``DBInstanceNotFound``), the code a deletion waiter and botocore's
    exception classes match."""
    client = session().client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=fresh_key(),
        aws_secret_access_key="x",
        config=CONFIG,
    )
    # the reference: botocore's own model of the error shape
    wire = client.meta.service_model.shape_for(modeled).metadata["error"]["code"]
    assert wire != modeled
    with pytest.raises(ClientError) as caught:
        getattr(client, call)(**params)
    assert caught.value.response["Error"]["Code"] == wire
