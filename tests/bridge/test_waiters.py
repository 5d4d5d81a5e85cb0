"""Waiters: botocore's waiters-2.json -> the model -> a spec's ``waiters`` section -> the model
-> waiters-2.json again, equal to botocore's; and botocore itself reads what the exporter
writes (its waiter configuration, through a client built from the data path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from codegen.bridge.exporter import export_waiters, write_data_path
from codegen.bridge.importer import import_model, waiter_to_spec
from codegen.cli import main
from codegen.errors import SpecError
from codegen.loader import load_spec, parse_spec, spec_from_bytes
from codegen.pipeline import import_operations
from codegen.spec import _waiter
from tests.support.helpers import release


def _with_waiters() -> list[str]:
    r = release("installed")
    return [s for s in r.services() if r.load_waiters(s)]


def test_every_waiter_of_botocore_round_trips_through_the_model_and_the_spec_form() -> None:
    r = release("installed")
    services = _with_waiters()
    assert len(services) > 80  # really every service that has waiters (85 at botocore 1.44)
    count = 0
    for service in services:
        raw = r.load_waiters(service)
        assert raw is not None
        model = import_model(r.load_model(service), name=service, waiters=raw, lazy=True)
        assert export_waiters(model) == {"version": 2, "waiters": raw}, service
        for name, waiter in model.waiters.items():
            entry = waiter_to_spec(waiter)
            assert _waiter(name, json.loads(json.dumps(entry))) == waiter
            count += 1
    assert count > 400  # 435 waiters at botocore 1.44.18


def test_importing_operations_brings_their_waiters(tmp_path: Path) -> None:
    spec = tmp_path / "ec2.json"
    import_operations(spec, release("installed"), ["DescribeVpcs"], service="ec2")
    document = json.loads(spec.read_text())
    raw = release("installed").load_waiters("ec2")
    assert raw is not None
    expected = {n for n, w in raw.items() if w["operation"] == "DescribeVpcs"}
    assert set(document["waiters"]) == expected == {"VpcAvailable", "VpcExists"}
    # a later import adds the waiters of the operations it brings, and keeps the others
    import_operations(spec, release("installed"), ["DescribeInstances"], service="ec2")
    document = json.loads(spec.read_text())
    assert set(document["waiters"]) == expected | {
        n for n, w in raw.items() if w["operation"] == "DescribeInstances"
    }
    assert load_spec(spec).model().waiters["VpcAvailable"].max_attempts == 40


def test_botocore_reads_the_exported_waiters(tmp_path: Path) -> None:
    spec = tmp_path / "ec2.json"
    operations = ["DescribeVpcs", "DescribeInstances", "DescribeInstanceStatus"]
    import_operations(spec, release("installed"), operations, service="ec2")
    model = load_spec(spec).model()
    write_data_path(model, tmp_path / "data")
    ours = botocore.session.Session()
    ours.get_component("data_loader").search_paths.insert(0, str(tmp_path / "data"))
    theirs = botocore.session.Session()
    client = ours.create_client("ec2", region_name="us-east-1")
    reference = theirs.create_client("ec2", region_name="us-east-1")
    configs: dict[str, Any] = {n: reference.get_waiter(n).config for n in reference.waiter_names}
    assert set(client.waiter_names) == {
        n for n, config in configs.items() if config.operation in operations
    }
    for name in client.waiter_names:
        mine: Any = client.get_waiter(name).config  # botocore's SingleWaiterConfig
        original: Any = reference.get_waiter(name).config
        assert (mine.operation, mine.delay, mine.max_attempts) == (
            original.operation,
            original.delay,
            original.max_attempts,
        )
        fields = ("state", "matcher", "expected", "argument")
        assert [[getattr(a, f) for f in fields] for a in mine.acceptors] == [
            [getattr(a, f) for f in fields] for a in original.acceptors
        ]


def test_apigen_export_botocore_waiters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "ec2.json"
    import_operations(spec, release("installed"), ["DescribeVpcs"], service="ec2")
    capsys.readouterr()
    main(["export", str(spec), "--format", "botocore-waiters"])
    printed = json.loads(capsys.readouterr().out)
    raw = release("installed").load_waiters("ec2") or {}
    assert printed == {
        "version": 2,
        "waiters": {n: raw[n] for n in sorted(raw) if raw[n]["operation"] == "DescribeVpcs"},
    }


def _spec_with(waiters: dict[str, Any]) -> bytes:
    spec: dict[str, Any] = {
        "specFormat": 1,
        "service": "ec2",
        "metadata": {
            "apiVersion": "2016-11-15",
            "protocol": "ec2",
            "endpointPrefix": "ec2",
            "serviceFullName": "EC2",
        },
        "versions": [{"date": "2024-01-01", "summary": "s"}],
        "operations": {
            "DescribeThings": {
                "http": {"method": "POST", "requestUri": "/"},
                "output": "DescribeThingsResult",
            }
        },
        "shapes": {
            "String": {"type": "string"},
            "DescribeThingsResult": {
                "type": "structure",
                "members": {"Things": {"shape": "String"}},
            },
        },
        "waiters": waiters,
    }
    return json.dumps(spec).encode()


def test_bad_waiters_are_reported_with_pointers() -> None:
    ok = {"state": "success", "matcher": "pathAll", "argument": "Things", "expected": "x"}
    waiters: dict[str, Any] = {
        "Good": {"operation": "DescribeThings", "delay": 1, "maxAttempts": 2, "acceptors": [ok]},
        "Bad": {
            "operation": "DescribeNothing",
            "delay": 1,
            "maxAttempts": 2,
            "acceptors": [
                {"state": "success", "matcher": "pathAll", "expected": "x"},
                {"state": "retry", "matcher": "error", "argument": "Things", "expected": 3},
                {"state": "failure", "matcher": "status", "expected": "500"},
            ],
        },
        "Path": {
            "operation": "DescribeThings",
            "delay": 1,
            "maxAttempts": 2,
            "acceptors": [{**ok, "argument": "Nothing[].State"}],
        },
    }
    with pytest.raises(SpecError) as info:
        parse_spec(_spec_with(waiters), "w.json")
    assert [(p.pointer, p.message) for p in info.value.problems] == [
        ("/waiters/Bad/acceptors/0", "a pathAll acceptor needs an argument (a JMESPath)"),
        ("/waiters/Bad/acceptors/1/argument", "a error acceptor takes no argument"),
        ("/waiters/Bad/acceptors/1/expected", "an error is a code or true/false, not 3"),
        ("/waiters/Bad/acceptors/2/expected", "a status is an integer, not '500'"),
        ("/waiters/Bad/operation", "unknown operation 'DescribeNothing'"),
        (
            "/waiters/Path/acceptors/0/argument",
            "'Nothing' is not a member of DescribeThings's output",
        ),
    ]
    schema = {
        "Odd": {"operation": "DescribeThings", "delay": -1, "maxAttempts": 0, "acceptors": []}
    }
    with pytest.raises(SpecError) as info:
        parse_spec(_spec_with(schema), "w.json")
    pointers = {p.pointer for p in info.value.problems}
    assert pointers == {"/waiters/Odd/delay", "/waiters/Odd/maxAttempts", "/waiters/Odd/acceptors"}


def test_a_waiters_since_until_and_history_are_checked_and_materialized() -> None:
    """Waiters carry versions as operations do (apigen update writes them): bad ones are
    reported with pointers, good ones give each version its own waiters."""
    ok = {"state": "success", "matcher": "pathAll", "argument": "Things", "expected": "x"}
    base = {"operation": "DescribeThings", "delay": 1, "maxAttempts": 2, "acceptors": [ok]}

    def spec(waiters: dict[str, Any]) -> bytes:
        document = json.loads(_spec_with(waiters))
        document["versions"].append({"date": "2025-01-01", "summary": "s"})
        return json.dumps(document).encode()

    bad = {
        "Later": {**base, "since": "2030-01-01"},
        "Old": {
            **base,
            "history": [
                {"until": "2025-01-01", "operation": "DescribeNothing"},
                {"until": "2026-01-01", "maxAttempts": 3},
            ],
        },
        "Path": {
            **base,
            "history": [{"until": "2025-01-01", "acceptors": [{**ok, "argument": "Nothing"}]}],
        },
    }
    with pytest.raises(SpecError) as info:
        parse_spec(spec(bad), "w.json")
    problems = [(p.pointer, p.message) for p in info.value.problems]
    assert ("/waiters/Old/history/0/operation", "unknown operation 'DescribeNothing'") in problems
    assert (
        "/waiters/Path/history/0/acceptors/0/argument",
        "'Nothing' is not a member of DescribeThings's output",
    ) in problems
    pointers = {p for p, _ in problems}
    assert {"/waiters/Later/since", "/waiters/Old/history/1/until"} <= pointers
    good = {
        "New": {**base, "since": "2025-01-01"},
        "Gone": {**base, "until": "2025-01-01"},
        "Changed": {
            **base,
            "maxAttempts": 5,
            "history": [{"until": "2025-01-01", "maxAttempts": 9}],
        },
    }
    loaded = spec_from_bytes(spec(good), "w.json")
    first, second = (loaded.model(v.version).waiters for v in loaded.versions)
    assert set(first) == {"Gone", "Changed"} and first["Changed"].max_attempts == 9
    assert set(second) == {"New", "Changed"} and second["Changed"].max_attempts == 5
