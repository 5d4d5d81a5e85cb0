"""Every waiter of the installed botocore, through boto3, against one ``apigen serve
--all-services botocore:installed`` (``tools/waiters_all.py`` over everything,
``tests/server/test_waiters_all.py`` over a sample, and the whole behind ``slow``).

For each waiter of a service (boto3's ``client.waiter_names``), what a user's test does
(:meth:`tests.support.lifecycle.Lifecycle.waiter`): create the resource the waiter watches --
the resource the engine derived whose read is the waiter's operation, created by its create
operation with minimal valid parameters from the model -- delete it first for a "deleted" /
"not exists" waiter, then ``wait`` with its identifier and ``{"Delay": 0, "MaxAttempts": 5}``.

Each waiter is bounded: it runs in a daemon thread joined with a timeout (a waiter that does not
finish in time is recorded as such and left behind; the client's read timeout ends it), and
any failure is recorded, never raised. Why a waiter did not succeed is put into one of a small
set of kinds (:data:`KINDS`), keeping the detail beside it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import botocore.config
from botocore import xform_name

from codegen.model import ServiceModel
from codegen.resources import resources_for
from tests.support.lifecycle import Lifecycle

MAX_ATTEMPTS = 5
SUCCEEDS = "succeeds"
# The kinds of reasons, in the order they are tested against a reason's text.
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("protocol not served", re.compile(r"^protocol not served")),
    (
        "not answered from state (no derived resource reads the waiter's operation)",
        re.compile(r"is not answered from state"),
    ),
    ("the resource has no create", re.compile(r" has no create$")),
    ("a deletion waiter on a resource with no delete", re.compile(r"^a deletion waiter")),
    ("no valid request from the model", re.compile(r"^no valid request")),
    (
        "waiter: max attempts exceeded (the success state is not reached)",
        re.compile(r"^waiter: .*Max attempts exceeded"),
    ),
    ("waiter: reached a failure state", re.compile(r"^waiter: .*(failure state|terminal)")),
    ("waiter: an unexpected error", re.compile(r"^waiter: ")),
    ("timed out", re.compile(r"^timed out")),
    ("the service could not be served", re.compile(r"^(ServiceGenerationFailed|UnknownService)")),
    ("server fault (5xx)", re.compile(r"InternalError|InternalFailure|\(5\d\d\)")),
    ("an error answered by the server", re.compile(r"^[A-Za-z0-9.]+: ")),
)
OTHER = "other"

CONFIG = botocore.config.Config(
    retries={"total_max_attempts": 1},
    connect_timeout=5,
    # a service's first request generates its package on the server (seconds, more when busy)
    read_timeout=120,
    max_pool_connections=8,
    # what a test against a local endpoint sets: no operation's host prefix before it
    # (deadline's "scheduling.", omics' "analytics-": names that do not resolve)
    inject_host_prefix=False,
)


@dataclass
class Result:
    """One waiter: ``reason`` None when it succeeded, else why not and of which kind."""

    service: str
    waiter: str  # boto3's name (``instance_running``)
    reason: str | None
    kind: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.reason is None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def kind_of(reason: str | None) -> str:
    """The kind of a reason (:data:`KINDS`), :data:`SUCCEEDS` for None."""
    if reason is None:
        return SUCCEEDS
    for kind, pattern in KINDS:
        if pattern.search(reason):
            return kind
    return OTHER


def waiter_services(release: Any) -> list[str]:
    """The release's services that have waiters (a ``waiters-2.json``), sorted."""
    return sorted(s for s in release.services() if release.load_waiters(s))


def served(model: ServiceModel) -> bool:
    from codegen.generators.protocol import spoken

    return bool(spoken(model))


@contextmanager
def serving_all(settle_after: int = 1, log: Path | None = None) -> Iterator[str]:
    """``apigen serve --all-services botocore:installed`` in a process of its own; its URL."""
    apigen = Path(sys.executable).parent / "apigen"
    command = [
        str(apigen),
        "serve",
        "--all-services",
        "botocore:installed",
        "--settle-after",
        str(settle_after),
        "--quiet",
    ]
    stderr = open(log, "w") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError(
                f"apigen serve did not start: {' '.join(command)} (exit {process.poll()})"
            )
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        if log is not None:
            stderr.close()  # type: ignore[union-attr]


_clients = threading.Lock()


def measure_service(
    service: str,
    model: ServiceModel,
    url: str,
    key: str,
    *,
    timeout: float = 60.0,
    only: Sequence[str] | None = None,
) -> list[Result]:
    """Every waiter of ``service`` (or those in ``only``, boto3's names) on ``url``."""
    from tests.support.server import session

    with _clients:  # boto3 clients are made from one thread at a time
        client = session().client(
            service,
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id=key,
            aws_secret_access_key="x",
            config=CONFIG,
        )
    names = list(client.waiter_names)
    by_name = {xform_name(name): waiter for name, waiter in model.waiters.items()}
    if only is not None:
        names = [n for n in names if n in only]
    if not served(model):
        protocols = model.metadata.traits.get("protocols") or [model.metadata.protocol]
        unserved = f"protocol not served: {', '.join(protocols)}"
        return [Result(service, n, unserved, kind_of(unserved), 0.0) for n in names]
    lifecycle = Lifecycle(model, resources_for(model), client)
    _warm(client, model)
    results = []
    for name in names:
        started = time.perf_counter()
        waiter = by_name.get(name)
        if waiter is None:
            reason: str | None = f"not in the served model: {name}"
        else:
            reason = _bounded(lambda w=waiter: lifecycle.waiter(w, MAX_ATTEMPTS), timeout)
        results.append(
            Result(service, name, reason, kind_of(reason), round(time.perf_counter() - started, 2))
        )
    return results


def _warm(client: Any, model: ServiceModel) -> None:
    """One request first, whatever its answer: the server generates a service's package on its
    first request (a minute for EC2 on a busy machine), which is no waiter's time."""
    for name, operation in model.operations.items():
        shape = model.shapes.get(operation.input or "")
        if shape is None or not shape.required:
            try:
                getattr(client, xform_name(name))()
            except Exception:  # noqa: BLE001, S110 - any answer will do: the service is up
                pass
            return


def _bounded(call: Any, timeout: float) -> str | None:
    box: list[str | None] = []

    def run() -> None:
        try:
            box.append(call())
        except Exception as error:  # noqa: BLE001 - recorded, the next waiter goes on
            box.append(f"{type(error).__name__}: {str(error)[:160]}")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if not box:
        return f"timed out after {timeout:.0f} s"
    return box[0]
