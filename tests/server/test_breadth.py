"""Measured breadth: for every derived resource of every served service, the lifecycle
create -> read -> list -> delete -> read (not found) through a botocore client, and every
waiter of the service on a resource made for it (:mod:`tests.support.lifecycle`).

Served services are those of the installed botocore whose protocol ``apigen serve`` speaks
(``codegen/templates/protocol/``); CI measures the sample below, ``APIGEN_SLOW_TESTS=1`` every
one. The figures are printed at the end of the session (and are in docs/state.md); a test
fails when a service falls below what it reached when last measured (``FLOORS``, a ratchet:
raise it when the engine improves), or when any step is answered with a 5xx (a fault of
ours, never an answer).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from codegen.pipeline import import_operations
from codegen.resources import resources_for
from codegen.server import StubServer, running_server
from tests.support.helpers import release
from tests.support.lifecycle import REPORT, Lifecycle, served_services, summarize
from tests.support.server import NO_RETRIES, fresh_key, session

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SAMPLE = ("ec2", "sqs", "sns", "dynamodb", "s3", "lambda", "iam", "secretsmanager", "kinesis")
# lifecycles passing and waiters succeeding when last measured (botocore 1.44.18)
FLOORS = {
    "ec2": (99, 47),
    "sqs": (1, 0),
    # DynamoDB is hand-written (docs/semantics.md): a CreateTable without KeySchema and
    # AttributeDefinitions (optional in the model; the lifecycle sends required members only)
    # is a ValidationException, as DynamoDB answers it. Its lifecycle and waiters are tested
    # in tests/server/test_dynamodb_semantics.py.
    "dynamodb": (0, 1),
    # IAM's users and roles are hand-written: a CreateRole with the model's example value as
    # its AssumeRolePolicyDocument (not JSON) is MalformedPolicyDocument, as IAM answers it,
    # so the Role lifecycle and role_exists no longer count (tests/server/test_iam_semantics.py);
    # the inline policies of users, groups and roles are derived
    "iam": (7, 3),
    "kinesis": (3, 3),
    # Secrets Manager and Lambda are hand-written (docs/semantics.md): a deleted secret is
    # described (DeletedDate) for its recovery window, not gone, as Secrets Manager answers;
    # a zip function without Runtime and Handler (optional in the model: image functions need
    # neither) is an InvalidParameterValueException, as Lambda answers it. Their lifecycles and
    # waiters are tested in tests/server/test_{secretsmanager,lambda}_semantics.py.
    "secretsmanager": (0, 0),
}
SLOW = os.environ.get("APIGEN_SLOW_TESTS") == "1"


def _measured() -> list[str]:
    served = served_services()
    return served if SLOW else [s for s in SAMPLE if s in served]


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory, ec2_server: StubServer, whole_ec2_spec: Path
) -> Iterator[dict[str, tuple[StubServer, Path]]]:
    """A server per measured service (EC2: the session's), started when first asked for."""
    with ExitStack() as stack:

        class Started(dict[str, tuple[StubServer, Path]]):
            def __missing__(self, service: str) -> tuple[StubServer, Path]:
                spec = tmp_path_factory.mktemp(f"whole-{service}") / f"{service}.json"
                import_operations(spec, release("installed"), None, service=service)
                self[service] = (stack.enter_context(running_server([spec])), spec)
                return self[service]

        yield Started({"ec2": (ec2_server, whole_ec2_spec)})


def _lifecycle(service: str, server: StubServer, spec: Path) -> Lifecycle:
    (model,) = [s.model for s in server.services if s.name == service]  # the served model
    client = session().client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=fresh_key(),
        aws_secret_access_key="x",
        config=NO_RETRIES,
    )
    return Lifecycle(model, resources_for(model), client)


@pytest.mark.parametrize("service", _measured())
def test_every_derived_resource_lives_and_dies(
    service: str, servers: dict[str, tuple[StubServer, Path]]
) -> None:
    server, spec = servers[service]
    lifecycle = _lifecycle(service, server, spec)
    outcomes = [lifecycle.run(resource) for resource in lifecycle.resources.resources]
    passed, by_reason = summarize(outcomes)
    REPORT.append(
        f"lifecycle {service}: {passed} of {len(outcomes)} resources pass create -> read -> "
        "list -> delete -> read (not found)"
    )
    for reason, names in sorted(by_reason.items(), key=lambda item: (-len(item[1]), item[0])):
        REPORT.append(f"  {len(names)} x {reason}: {', '.join(n.split('/')[1] for n in names)}")
    faults = [o for o in outcomes if "(5" in o.reason]
    assert faults == []
    assert passed >= FLOORS.get(service, (0, 0))[0], "\n".join(REPORT)


@pytest.mark.parametrize("service", _measured())
def test_waiters_succeed(service: str, servers: dict[str, tuple[StubServer, Path]]) -> None:
    server, spec = servers[service]
    lifecycle = _lifecycle(service, server, spec)
    waiters = lifecycle.model.waiters
    results = {name: lifecycle.waiter(waiters[name]) for name in sorted(waiters)}
    succeeded = [name for name, reason in results.items() if reason is None]
    REPORT.append(f"waiters {service}: {len(succeeded)} of {len(results)} succeed through boto3")
    for name, reason in results.items():
        if reason is not None:
            REPORT.append(f"  {name}: {reason}")
    assert not [r for r in results.values() if r and ("InternalError" in r or "(5" in r)]
    assert len(succeeded) >= FLOORS.get(service, (0, 0))[1], "\n".join(REPORT)
    if service == "ec2":  # the examples
        for name in ("InstanceRunning", "InstanceTerminated", "VpcAvailable", "InstanceExists"):
            assert results[name] is None, results[name]
