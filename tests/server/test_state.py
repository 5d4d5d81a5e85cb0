"""The server's SQLite state: describes filtered by id or resource use an index (checked on the
statements actually run, with SQLite's own query planner), and defaults come from the spec."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeAlias

import pytest

from codegen.loader import load_spec
from codegen.model import ServiceModel
from codegen.server.behaviours.ec2_flow_logs import FILTER_COLUMNS, FlowLogs
from codegen.server.context import Caller, Context
from codegen.server.state import RESET_TABLES, State
from tests.support.paths import SPEC

# the state, the behaviour, the first account's context and every flow log id made
Populated: TypeAlias = tuple[State, FlowLogs, Context, list[str]]


@pytest.fixture(scope="module")
def model() -> ServiceModel:
    return load_spec(SPEC).model()


@pytest.fixture
def populated(model: ServiceModel) -> Populated:
    state = State()
    flow_logs = FlowLogs(model)
    contexts = [Context(Caller(f"{a:012d}", "us-east-1"), "r", state) for a in range(3)]
    ids: list[str] = []
    for ctx in contexts:
        ids += flow_logs.create(
            ctx,
            {
                "ResourceIds": [f"vpc-{i}" for i in range(300)],
                "ResourceType": "VPC",
                "TrafficType": "ALL",
                "LogGroupName": "g",
            },
        )["FlowLogIds"]
    return state, flow_logs, contexts[0], ids


def _plans(state: State, run: Callable[[], object]) -> list[str]:
    """The query plan of every SELECT on flow_logs that ``run()`` executes."""
    statements: list[str] = []
    state.db.set_trace_callback(statements.append)
    try:
        run()
    finally:
        state.db.set_trace_callback(None)
    selects = [s for s in statements if s.startswith("SELECT") and "FROM flow_logs" in s]
    assert selects
    return [
        " | ".join(r[-1] for r in state.db.execute("EXPLAIN QUERY PLAN " + s)) for s in selects
    ]


CASES = [
    ({"Filter": [{"Name": "resource-id", "Values": ["vpc-7"]}]}, "flow_logs_by_resource"),
    (
        {
            "Filter": [
                {"Name": "resource-id", "Values": ["vpc-7", "vpc-9"]},
                {"Name": "traffic-type", "Values": ["ALL"]},
            ],
            "MaxResults": 1,
        },
        "flow_logs_by_resource",
    ),
    ({"Filter": [{"Name": "flow-log-id", "Values": ["fl-1", "fl-2"]}]}, "flow_logs_by_id"),
    (
        {"FlowLogIds": ["fl-1"], "Filter": [{"Name": "resource-id", "Values": ["vpc-1"]}]},
        "flow_logs_by_id",
    ),
]


@pytest.mark.parametrize("params,index", CASES)
def test_filtered_describe_uses_an_index(
    populated: Populated, params: dict[str, Any], index: str
) -> None:
    state, flow_logs, ctx, _ = populated
    for plan in _plans(state, lambda: flow_logs.describe(ctx, params)):
        assert f"USING INDEX {index}" in plan and "SCAN" not in plan, plan


def test_paginated_filtered_describe_uses_the_index_on_later_pages(populated: Populated) -> None:
    state, flow_logs, ctx, _ = populated
    params = {
        "Filter": [{"Name": "resource-id", "Values": ["vpc-1", "vpc-2", "vpc-3"]}],
        "MaxResults": 1,
    }
    token = flow_logs.describe(ctx, params)["NextToken"]
    for plan in _plans(state, lambda: flow_logs.describe(ctx, {**params, "NextToken": token})):
        assert "USING INDEX flow_logs_by_resource" in plan and "SCAN" not in plan, plan


def test_delete_and_duplicate_checks_use_indexes(populated: Populated) -> None:
    state, flow_logs, ctx, ids = populated
    statements: list[str] = []
    state.db.set_trace_callback(statements.append)
    flow_logs.create(
        ctx,
        {
            "ResourceIds": ["vpc-1"],
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogGroupName": "g",
        },
    )
    flow_logs.delete(ctx, {"FlowLogIds": ids[:2]})
    state.db.set_trace_callback(None)
    checked = 0
    for statement in statements:
        if statement.startswith(("SELECT", "DELETE")):
            plan = " | ".join(r[-1] for r in state.db.execute("EXPLAIN QUERY PLAN " + statement))
            assert "INDEX" in plan and "SCAN" not in plan, (statement, plan)
            if "traffic_type=" in statement.replace(" ", ""):  # the FlowLogAlreadyExists check
                # every column of the check in the index: many flow logs on one resource
                # (other destinations) are not read one by one
                assert "destination=?" in plan, plan
                checked += 1
    assert checked == 1


def test_defaults_and_filters_come_from_the_spec(model: ServiceModel) -> None:
    flow_logs = FlowLogs(model)
    create = model.shapes["CreateFlowLogsRequest"].members
    assert flow_logs.default_interval == create["MaxAggregationInterval"].documented.default == 600
    assert flow_logs.default_destination_type == "cloud-watch-logs"
    fields = model.formats["flow-log-format"].fields
    assert fields is not None
    assert flow_logs.default_log_format.split(" ") == [
        "${" + f + "}" for f in fields.fields if fields.field_versions.get(f) == 2
    ]
    filters = model.shapes["DescribeFlowLogsRequest"].members["Filter"].documented.filters
    assert filters is not None
    documented = {f.name for f in filters.names}
    assert documented == set(FILTER_COLUMNS) == set(flow_logs.filter_names)


def test_reset_forgets_everything_but_the_token_key(populated: Populated) -> None:
    state, flow_logs, ctx, _ = populated
    key = state.token_key
    state.reset()
    assert flow_logs.describe(ctx, {}) == {"FlowLogs": []}
    assert state.token_key == key


def test_state_file_in_a_missing_folder(tmp_path: Path) -> None:
    from codegen.server.state import StateFileError

    with pytest.raises(StateFileError, match="does not exist"):
        State(tmp_path / "no" / "state.db")
    assert not (tmp_path / "no").exists()


def test_reset_empties_every_table_but_meta() -> None:
    state = State()
    tables = {
        row[0]
        for row in state.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(row[0]).startswith("sqlite_")
    }
    assert tables - {"meta"} == set(RESET_TABLES)
