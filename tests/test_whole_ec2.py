"""Whole EC2 (every operation of the installed botocore): imported, generated, served.

EC2 is the service this toolkit started from, and the only one with a protocol layer (the
``ec2`` protocol), so it is generated whole here, in CI, with every generator: the protocol
layer's example responses must be valid for every one of its operations (the stub server
answers them for operations without a behaviour) and must read back through botocore's own
response parser as the same values. A real boto3 client then calls a few operations of the
whole-EC2 stub server combined with the hand-written flow-logs spec.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from botocore import parsers
from botocore.model import ServiceModel as BotocoreServiceModel

from codegen.pipeline import generate, import_operations
from tests.support.helpers import parse_response, release
from tests.support.imports import fresh_name, import_package


@pytest.fixture(scope="module")
def whole_ec2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """Whole EC2 imported into a new spec and generated: its (protocol, validators) modules."""
    root = tmp_path_factory.mktemp("whole-ec2")
    spec = root / "ec2.json"
    import_operations(spec, release("installed"), None, service="ec2")
    (result,) = generate([spec], root / "out")
    assert result.folder == root / "out" / "ec2"
    package = fresh_name("whole_ec2")
    import_package(package, result.folder)
    try:
        protocol = importlib.import_module(f"{package}.protocol")
        validators = importlib.import_module(f"{package}.validators")
        yield protocol, validators
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]


def test_every_operation_of_the_installed_ec2_is_generated(
    whole_ec2: tuple[ModuleType, ModuleType],
) -> None:
    protocol, validators = whole_ec2
    raw = release("installed").load_model("ec2")
    assert set(validators.OPERATIONS) == set(raw["operations"])
    assert set(protocol.OPERATIONS) == set(raw["operations"])
    assert len(raw["operations"]) > 700  # really whole EC2, not a sample


def test_every_example_response_is_valid_and_botocore_reads_it_back(
    whole_ec2: tuple[ModuleType, ModuleType],
) -> None:
    protocol, validators = whole_ec2
    model = BotocoreServiceModel(release("installed").load_model("ec2"))
    parser = parsers.create_parser("ec2")
    invalid, different = [], []
    for operation in validators.OPERATIONS:
        example = protocol.example_response(operation)
        issues = validators.validate_output(operation, example, unknown_members=True)
        if issues:
            invalid.append((operation, [str(i) for i in issues[:3]]))
            continue
        body = protocol.serialize_response(operation, example, "req-1")
        output = model.operation_model(operation).output_shape
        parsed = parse_response(parser, {"body": body, "headers": {}, "status_code": 200}, output)
        parsed.pop("ResponseMetadata", None)
        if parsed != example:
            different.append(operation)
    assert invalid == []
    assert different == []


def test_an_optional_member_no_value_can_match_is_left_out_of_examples(
    whole_ec2: tuple[ModuleType, ModuleType],
) -> None:
    """botocore's PlacementGroupArn pattern has a ``^`` in its middle: nothing matches it, so
    the example of a capacity reservation has no PlacementGroupArn (and still validates)."""
    protocol, _ = whole_ec2
    raw = release("installed").load_model("ec2")
    pattern = raw["shapes"].get("PlacementGroupArn", {}).get("pattern", "")
    if "/^" not in pattern:
        pytest.skip("this botocore's PlacementGroupArn pattern can be matched")
    reservations = protocol.example_response("DescribeCapacityReservations")[
        "CapacityReservations"
    ]
    assert reservations and all("PlacementGroupArn" not in r for r in reservations)
    assert all("CapacityReservationId" in r for r in reservations)  # the rest is there


def test_example_strings_match_their_patterns_and_lengths(
    whole_ec2: tuple[ModuleType, ModuleType],
) -> None:
    """Checked independently of the generated validators: Python's ``re`` on botocore's own
    pattern (where it reads it) and lengths, for the example of every pattern-bearing id."""
    import re

    protocol, _ = whole_ec2
    raw = release("installed").load_model("ec2")
    shape = raw["shapes"].get("FlexCostAllocationPolicyAssociationId")
    if shape is None:
        pytest.skip("no FlexCostAllocationPolicyAssociationId in this botocore")
    found = []

    def walk(value: object, want: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == want:
                    found.append(item)
                walk(item, want)
        elif isinstance(value, list):
            for item in value:
                walk(item, want)

    for operation in protocol.OPERATIONS:
        walk(protocol.example_response(operation), "FcaPolicyAssociationId")
    assert found, "no example holds an FcaPolicyAssociationId"
    for text in found:
        assert re.search(shape["pattern"], text), text
        assert shape["min"] <= len(text) <= shape["max"]


# -- the stub server on whole EC2, combined with the hand-written flow-logs spec ----------------


@pytest.fixture(scope="module")
def whole_ec2_1_14_10(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Whole EC2 of botocore 1.14.10 (the release the flow-logs spec transcribes) as a spec."""
    spec = tmp_path_factory.mktemp("whole-ec2-1.14.10") / "ec2.json"
    import_operations(spec, release("1.14.10"), None, service="ec2")
    return spec


def test_served_whole_ec2_answers_every_operation_and_keeps_the_documented_rules(
    whole_ec2_1_14_10: Path, tmp_path: Path
) -> None:
    from botocore.exceptions import ClientError

    from codegen.server.runner import running_server
    from tests.support.paths import SPEC
    from tests.support.server import ec2

    with running_server([whole_ec2_1_14_10, SPEC]) as server:
        client = ec2(server.url)
        # an operation without a behaviour: its example response, as botocore reads it
        reservations = client.describe_instances()["Reservations"]
        assert reservations and reservations[0]["Instances"][0]["InstanceId"]
        assert client.describe_vpcs()["Vpcs"][0]["VpcId"]
        # the flow-log behaviours, with the hand-written spec's documented rules and defaults
        created = client.create_flow_logs(
            ResourceIds=["vpc-1a2b3c4d"],
            ResourceType="VPC",
            TrafficType="ALL",
            LogGroupName="logs",
            DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/r",
        )
        (flow_log_id,) = created["FlowLogIds"]
        (described,) = client.describe_flow_logs(FlowLogIds=[flow_log_id])["FlowLogs"]
        assert described["MaxAggregationInterval"] == 600  # the documented default
        assert described["LogDestinationType"] == "cloud-watch-logs"
        with pytest.raises(ClientError) as excinfo:  # a documented rule botocore lacks
            client.create_flow_logs(
                ResourceIds=["vpc-1a2b3c4d"],
                ResourceType="VPC",
                TrafficType="ALL",
                LogGroupName="logs",
                DeliverLogsPermissionArn="arn:aws:iam::1:role/r",
                MaxAggregationInterval=30,
            )
        assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_served_ec2_import_alone_answers_flow_log_operations_with_examples(
    tmp_path: Path,
) -> None:
    """An EC2 import alone (no hand-written spec, so none of the documented defaults, formats
    and filters the flow-log behaviours read) is served: its flow-log operations answer their
    example responses like any other operation (before: the server did not start, KeyError)."""
    from codegen.server.runner import running_server
    from tests.support.server import ec2

    spec = tmp_path / "ec2.json"
    operations = ["CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs", "DescribeVpcs"]
    import_operations(spec, release("installed"), operations, service="ec2")
    with running_server([spec]) as server:
        client = ec2(server.url)
        created = client.create_flow_logs(
            ResourceIds=["vpc-1a2b3c4d"],
            ResourceType="VPC",
            TrafficType="ALL",
            LogGroupName="logs",
        )
        assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert isinstance(client.describe_flow_logs()["FlowLogs"], list)
        assert client.describe_vpcs()["Vpcs"][0]["VpcId"]


def test_serving_specs_of_one_service_that_disagree_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The flow-logs spec (1.14.10) and whole EC2 of the installed botocore differ in the
    structure of shapes both define: serving them together is refused, naming both files."""
    from codegen.cli import main
    from tests.support.paths import SPEC

    spec = tmp_path / "ec2.json"
    import_operations(spec, release("installed"), ["CreateFlowLogs"], service="ec2")
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", str(spec), str(SPEC), "--port", "0"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert str(spec) in error and "specs/ec2/flow-logs.json" in error
    assert "CreateFlowLogs" in error and "differs" in error


def test_updating_a_whole_service_spec_rewrites_only_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The update of whole EC2 from botocore 1.14.9 to 1.14.10 (the release that added
    MaxAggregationInterval to CreateFlowLogs and FlowLog), through the CLI as a user runs it:
    regenerating rewrites the files of what changed, not the thousand others."""
    from codegen.cli import main

    spec, out = tmp_path / "ec2.json", tmp_path / "out"

    def run(*args: str) -> str:
        try:
            main(list(args))
        except SystemExit as exit_info:  # a success returns; an error exits non-zero
            raise AssertionError(capsys.readouterr()) from exit_info
        return capsys.readouterr().err

    run("import", str(spec), "--from", "botocore:1.14.9", "--service", "ec2")
    run("generate", str(spec), "-o", str(out))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert (out / "ec2" / "validators" / "__init__.py").is_file()  # a package: > 64 operations
    said = run("update", str(spec), "--to", "botocore:1.14.10", "-o", str(out))
    assert "2 updated api methods" in said or "added version" in said
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    rewritten = sorted(
        str(p.relative_to(out)) for p in after if p not in before or after[p] != before[p]
    )
    assert len(after) > 1000
    # what changed: the two operations' schemas, their validator and dataclass modules, the
    # packages' __init__ (the spec version), the protocol module, botocore's model, the
    # manifest and the new version's report
    assert "ec2/schemas/CreateFlowLogs.input.json" in rewritten
    assert "ec2/schemas/DescribeFlowLogs.output.json" in rewritten
    assert "ec2/schemas/DescribeVpcs.output.json" not in rewritten
    assert "ec2/validators/__init__.py" in rewritten
    assert len(rewritten) <= 40, rewritten
    text = (out / "ec2" / "schemas" / "CreateFlowLogs.input.json").read_text()
    assert "MaxAggregationInterval" in text


def test_update_of_one_of_combined_specs_keeps_the_combined_output(
    whole_ec2_1_14_10: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``generated/ec2`` made from a whole-EC2 import + the flow-logs spec: updating the
    flow-logs spec adds its version but does not regenerate from it alone (that would remove
    every file the import contributed); it says how to regenerate once both are updated."""
    import json
    import shutil

    from codegen.cli import main
    from tests.support.paths import SPEC

    flow_logs = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, flow_logs)
    out = tmp_path / "out"
    main(["generate", str(whole_ec2_1_14_10), str(flow_logs), "-o", str(out)])
    before = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert (out / "ec2" / "schemas" / "DescribeVpcs.input.json").is_file()
    capsys.readouterr()
    main(["update", str(flow_logs), "--to", "botocore:installed", "-o", str(out)])
    said = capsys.readouterr().err
    assert "added version" in said
    assert "not regenerated" in said and f"apigen generate {whole_ec2_1_14_10}" in said.replace(
        f"{flow_logs} {whole_ec2_1_14_10}", f"{whole_ec2_1_14_10} {flow_logs}"
    )
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == before
    versions = json.loads(flow_logs.read_text())["versions"]
    assert versions[-1]["botocore"] == release("installed").version
