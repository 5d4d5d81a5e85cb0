#!/usr/bin/env python3
"""Every operation of the services of issue 17 through boto3, against ``apigen serve`` and
moto side by side in one run: how many answer as they should.

    .venv/bin/python tools/every_operation.py [--service sqs --service sts ...] [--with-state]

Each operation is called on each server with minimal valid params (its required members,
valid values: ``tests/support/every_operation.py``), then with a required member left out
(boto3's validation off; the first whose absence botocore can send: not a URI label). Counted
per service:

* *valid*: a conforming result (the generated output validators accept what botocore parsed) or
  a modeled error (a 4xx with a code the operation models);
* *refused*: of the calls lacking a required member, those answered with a 4xx botocore parses
  into a ClientError.

Ours: ``apigen serve --service ...`` for every service named (imported from the installed
botocore, generated into apigen's cache on the first run), answering with the protocol layer
alone (each operation's example response, as the test measures it); ``--with-state`` keeps the
behaviours, which answer a call naming a resource never created with the service's not-found
error (S3's ``NoSuchBucket``), counted valid only where the operation models it. moto: ``ThreadedMotoServer`` (run
with the ``python3`` where moto is installed). No assertions: the test is
``tests/server/test_every_operation.py``; this prints the figures the docs quote.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # type: ignore[import-untyped]
import botocore.config

from codegen.server import running_server
from tests.support.every_operation import (
    lacking_outcome,
    minimal_params,
    modeled_codes,
    outcome,
)
from tests.support.server import examples_only

SERVICES = [
    "sqs",
    "sns",
    "sts",
    "iam",
    "dynamodb",
    "kinesis",
    "logs",
    "secretsmanager",
    "lambda",
    "s3",
    "route53",
    "cloudwatch",
    "ec2",
]
MOTO = """
from moto.server import ThreadedMotoServer
import time
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
while True:
    time.sleep(3600)
"""


def _client(url: str, service: str, validate: bool) -> Any:
    return boto3.session.Session().client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
        config=botocore.config.Config(
            retries={"total_max_attempts": 1},
            read_timeout=60,
            parameter_validation=validate,
            inject_host_prefix=False,  # (a label in front of 127.0.0.1 resolves nowhere)
        ),
    )


def _moto() -> tuple[subprocess.Popen[str], str] | None:
    for python in (sys.executable, shutil.which("python3")):
        if python is None:
            continue
        found = subprocess.run(
            [python, "-c", "import moto.server"], capture_output=True, check=False
        )
        if found.returncode:
            continue
        proc = subprocess.Popen(
            [python, "-c", MOTO], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert proc.stdout is not None
        return proc, proc.stdout.readline().strip()
    return None


def count(url: str, service: Any, name: str) -> tuple[Counter[str], Counter[str], int, int]:
    """(outcomes of valid calls, outcomes of calls lacking a member, how many of each)."""
    model, validators = service.model, service.validators
    strict, loose = _client(url, name, True), _client(url, name, False)
    valid: Counter[str] = Counter()
    lacking: Counter[str] = Counter()
    tried = 0
    for operation in sorted(model.operations):
        codes = modeled_codes(strict, operation)
        params = minimal_params(model, operation)
        if params is not None:
            valid[outcome(strict, operation, params, validators, codes).kind] += 1
        got = lacking_outcome(loose, model, operation, validators, codes)
        if got is not None and got.kind != "not sent":  # (botocore sends none without it)
            tried += 1
            lacking[got.kind] += 1
    return valid, lacking, len(model.operations), tried


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", action="append", dest="services")
    parser.add_argument(
        "--with-state",
        action="store_true",
        help="keep the behaviours (state), not the protocol layer's answers alone",
    )
    args = parser.parse_args()
    names = args.services or list(SERVICES)
    moto = _moto()
    totals: dict[str, Counter[str]] = {"ours": Counter(), "moto": Counter()}
    print(f"{'service':<16}{'ops':>6}  {'ours valid':>11}{'refused':>9}  {'moto valid':>11}"
          f"{'refused':>9}   (refused: of the calls lacking a required member)")  # fmt: skip
    with running_server(services=names) as server:
        if not args.with_state:
            examples_only(server)
        for name in names:
            service = server.app.catalog.services[name]
            started = time.perf_counter()
            service.load()
            loaded = time.perf_counter() - started
            row = [f"{name:<16}"]
            for who, url in (("ours", server.url), ("moto", moto[1] if moto else None)):
                if url is None:
                    row.append(f"{'-':>11}{'-':>9}  ")
                    continue
                valid, lacking, ops, tried = count(url, service, name)
                good = valid["conforming"] + valid["modeled"]
                refused = lacking["refused"] + lacking["modeled"]
                totals[who].update(ops=ops, good=good, tried=tried, refused=refused)
                if who == "ours":
                    row.insert(1, f"{ops:>6}  ")
                row.append(f"{good:>11}{f'{refused}/{tried}':>9}  ")
            print("".join(row) + f" (loaded in {loaded:.1f}s)", flush=True)
    if moto is not None:
        moto[0].terminate()
    for who, total in totals.items():
        if total["ops"]:
            print(
                f"{who}: {total['good']} of {total['ops']} operations answered validly"
                f" ({100 * total['good'] / total['ops']:.0f}%), {total['refused']} of"
                f" {total['tried']} calls lacking a required member refused"
                f" ({100 * total['refused'] / max(total['tried'], 1):.0f}%)"
            )


if __name__ == "__main__":
    main()
