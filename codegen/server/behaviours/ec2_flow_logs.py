"""CreateFlowLogs, DescribeFlowLogs and DeleteFlowLogs as EC2 documents them, on SQLite state.

Defaults, documented filter names and the default log format are read from the model (the
spec), not repeated here. State is per account and region; see ``codegen/server/state.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from codegen.model import ServiceModel
from codegen.server.context import Context
from codegen.server.errors import ApiError
from codegen.server.state import dumps

# The id prefix each ResourceType takes, and the resource's name in EC2's error codes.
RESOURCE_PREFIXES = {
    "VPC": ("vpc-", "Vpc"),
    "Subnet": ("subnet-", "Subnet"),
    "NetworkInterface": ("eni-", "NetworkInterface"),
}
# Documented filter name -> column of ``flow_logs`` (state.py). Every filter the spec
# documents must be here (a test checks it); one it does not document is a 400 anyway.
FILTER_COLUMNS = {
    "deliver-log-status": "deliver_logs_status",
    "log-destination-type": "log_destination_type",
    "flow-log-id": "flow_log_id",
    "log-group-name": "log_group_name",
    "resource-id": "resource_id",
    "traffic-type": "traffic_type",
}
PAGE_LIMIT = 1000  # the most items one page holds, whatever MaxResults asks for
MAX_FILTER_VALUES = 10_000  # in one request, all filters and FlowLogIds together


def new_flow_log_id() -> str:
    return "fl-" + secrets.token_hex(9)[:17]


def documented(model: ServiceModel) -> bool:
    """Whether ``model`` holds what these behaviours read from the hand-written spec (the
    documented default destination type and the log-format fields). A plain botocore import
    lacks them: its flow-log operations then answer example responses like any other."""
    names = ("CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs")
    if not all(name in model.operations for name in names):
        return False
    create_op = model.operations["CreateFlowLogs"]
    create = model.shapes[create_op.input].members if create_op.input else {}
    destination, log_format = create.get("LogDestinationType"), create.get("LogFormat")
    if destination is None or log_format is None or destination.documented.default is None:
        return False
    fmt = model.formats.get(log_format.documented.format or "")
    return (
        fmt is not None
        and fmt.fields is not None
        and (model.operations["DescribeFlowLogs"].input is not None)
    )


class FlowLogs:
    def __init__(self, model: ServiceModel) -> None:
        create = model.shapes[model.operations["CreateFlowLogs"].input or ""].members
        self.default_destination_type: str = create["LogDestinationType"].documented.default
        self.default_interval: int | None = (
            create["MaxAggregationInterval"].documented.default
            if "MaxAggregationInterval" in create
            else None
        )
        fmt = model.formats[create["LogFormat"].documented.format or ""]
        fields = fmt.fields
        assert fields is not None
        version2 = [f for f in fields.fields if fields.field_versions.get(f, 2) == 2]
        self.default_log_format = fields.separator.join(
            f"{fields.prefix}{f}{fields.suffix}" for f in version2
        )
        describe = model.shapes[model.operations["DescribeFlowLogs"].input or ""].members
        spec = describe["Filter"].documented.filters
        self.filter_names: tuple[str, ...] = tuple(f.name for f in spec.names) if spec else ()

    # -- CreateFlowLogs ---------------------------------------------------------------------

    def create(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        token = params.get("ClientToken")
        with ctx.state.transaction() as db:
            if token is not None:
                digest = hashlib.sha256(
                    dumps(
                        {k: v for k, v in params.items() if k not in ("ClientToken", "DryRun")}
                    ).encode()
                ).hexdigest()
                row = db.execute(
                    "SELECT digest, result FROM client_tokens WHERE account=? AND region=? "
                    "AND operation='CreateFlowLogs' AND token=?",
                    (ctx.account, ctx.region, token),
                ).fetchone()
                if row is not None:
                    if row[0] != digest:
                        raise ApiError(
                            "IdempotentParameterMismatch",
                            f"The client token {token} was already used with different parameters "
                            "in a CreateFlowLogs request.",
                        )
                    result: dict[str, Any] = json.loads(row[1])
                    return result
            result = self._create(ctx, db, params)
            if token is not None:
                result["ClientToken"] = token
                db.execute(
                    "INSERT INTO client_tokens VALUES (?, ?, 'CreateFlowLogs', ?, ?, ?)",
                    (ctx.account, ctx.region, token, digest, dumps(result)),
                )
        return result

    def _create(self, ctx: Context, db: Any, params: dict[str, Any]) -> dict[str, Any]:
        resource_type = params["ResourceType"]
        # required until botocore 1.20-ish; optional since (a spec updated with apigen update)
        traffic_type = params.get("TrafficType")
        dest_type = params.get("LogDestinationType", self.default_destination_type)
        group = params.get("LogGroupName")
        destination = params.get("LogDestination")
        if dest_type == "cloud-watch-logs":
            if destination is None and group is not None:
                destination = f"arn:aws:logs:{ctx.region}:{ctx.account}:log-group:{group}"
            elif destination is not None and group is None and ":log-group:" in destination:
                group = destination.split(":log-group:", 1)[1].removesuffix(":*")
        item: dict[str, Any] = {
            "CreationTime": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "DeliverLogsStatus": "SUCCESS",
            "FlowLogStatus": "ACTIVE",
            **({"TrafficType": traffic_type} if traffic_type is not None else {}),
            "LogDestinationType": dest_type,
            "LogFormat": params.get("LogFormat", self.default_log_format),
        }
        if destination is not None:
            item["LogDestination"] = destination
        if group is not None:
            item["LogGroupName"] = group
        if "DeliverLogsPermissionArn" in params:
            item["DeliverLogsPermissionArn"] = params["DeliverLogsPermissionArn"]
        interval = params.get("MaxAggregationInterval", self.default_interval)
        if interval is not None:
            item["MaxAggregationInterval"] = interval
        prefix, noun = RESOURCE_PREFIXES.get(resource_type, ("", resource_type))
        created: list[str] = []
        unsuccessful: list[dict[str, Any]] = []
        for resource in params["ResourceIds"]:
            if not resource.startswith(prefix) or len(resource) == len(prefix):
                unsuccessful.append(
                    _failed(
                        resource,
                        f"Invalid{noun}ID.Malformed",
                        f'Invalid id: "{resource}" (expecting "{prefix}...") for ResourceType {resource_type}',
                    )
                )
                continue
            exists = db.execute(
                "SELECT 1 FROM flow_logs WHERE account=? AND region=? AND resource_id=? "
                "AND traffic_type=? AND destination=? LIMIT 1",
                (
                    ctx.account,
                    ctx.region,
                    resource,
                    traffic_type or "",
                    f"{dest_type}|{destination}",
                ),
            ).fetchone()
            if exists:
                unsuccessful.append(
                    _failed(
                        resource,
                        "FlowLogAlreadyExists",
                        "Error. There is an existing Flow Log with the same configuration and log "
                        "destination.",
                    )
                )
                continue
            flow_log_id = new_flow_log_id()
            while db.execute(
                "SELECT 1 FROM flow_logs WHERE account=? AND region=? AND flow_log_id=?",
                (ctx.account, ctx.region, flow_log_id),
            ).fetchone():  # pragma: no cover - 68 bits of randomness
                flow_log_id = new_flow_log_id()
            record = dict(item, FlowLogId=flow_log_id, ResourceId=resource)
            db.execute(
                "INSERT INTO flow_logs (account, region, flow_log_id, resource_id, traffic_type, "
                "log_destination_type, destination, log_group_name, deliver_logs_status, item) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ctx.account,
                    ctx.region,
                    flow_log_id,
                    resource,
                    traffic_type or "",  # the column is NOT NULL: absent is ''
                    dest_type,
                    f"{dest_type}|{destination}",
                    group,
                    item["DeliverLogsStatus"],
                    dumps(record),
                ),
            )
            created.append(flow_log_id)
        return {"FlowLogIds": created, "Unsuccessful": unsuccessful}

    # -- DescribeFlowLogs -------------------------------------------------------------------

    def describe(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """The page as Python values (botocore's output shape)."""
        rows, rest = self._select(ctx, params, "item")
        return dict(sorted({**rest, "FlowLogs": _items(row[1] for row in rows)}.items()))

    def _select(
        self, ctx: Context, params: dict[str, Any], selected: str
    ) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        """The page's rows (seq, ``selected``) and the other members of the result (NextToken)."""
        where = ["account = ?", "region = ?"]
        args: list[Any] = [ctx.account, ctx.region]
        counted = 0
        for index, flt in enumerate(params.get("Filter") or ()):
            name = flt.get("Name")
            values = flt.get("Values") or []
            column = FILTER_COLUMNS.get(name) if name in self.filter_names else None
            if column is None:
                raise ApiError(
                    "InvalidFilter",
                    f"The filter '{name}' is invalid (Filter.{index + 1}.Name); valid filter names: "
                    + ", ".join(self.filter_names),
                )
            if not values:
                raise ApiError(
                    "InvalidParameterValue",
                    f"The filter '{name}' needs at least one value (Filter.{index + 1}.Value.1)",
                )
            counted += len(values)
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            args.extend(values)
        ids = params.get("FlowLogIds")
        if ids:
            counted += len(ids)
            where.append(f"flow_log_id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        if counted > MAX_FILTER_VALUES:
            raise ApiError(
                "InvalidParameterValue",
                f"{counted} filter values and flow log ids; at most {MAX_FILTER_VALUES} are accepted",
            )
        limit = params.get("MaxResults")
        if limit is not None and limit < 1:
            raise ApiError("InvalidParameterValue", f"MaxResults must be at least 1, not {limit}")
        query = _query_digest(ctx, params)
        after = 0
        token = params.get("NextToken")
        if token is not None:
            after = self._read_token(ctx, token, query)
            where.append("seq > ?")
            args.append(after)
        page = PAGE_LIMIT if limit is None else min(limit, PAGE_LIMIT)
        # by id or by resource: that index, whatever else is asked (never a scan of the account)
        names = {f.get("Name") for f in params.get("Filter") or ()}
        use = (
            "flow_logs_by_id"
            if ids or "flow-log-id" in names
            else "flow_logs_by_resource"
            if "resource-id" in names
            else None
        )
        source = f"flow_logs INDEXED BY {use}" if use else "flow_logs"
        sql = f"SELECT seq, {selected} FROM {source} WHERE {' AND '.join(where)} ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {page + 1}"
        rows = ctx.state.query(sql, args)
        rest: dict[str, Any] = {}
        if limit is not None and len(rows) > page:
            rows = rows[:page]
            rest["NextToken"] = self._make_token(ctx, rows[-1][0], query)
        return rows, rest

    def _make_token(self, ctx: Context, seq: int, query: str) -> str:
        payload = base64.urlsafe_b64encode(f"{seq}:{query}".encode()).decode().rstrip("=")
        mac = hmac.new(
            ctx.state.token_key, f"{ctx.account}/{ctx.region}/{payload}".encode(), "sha256"
        )
        return f"{payload}.{base64.urlsafe_b64encode(mac.digest()[:18]).decode()}"

    def _read_token(self, ctx: Context, token: str, query: str) -> int:
        shown = token if len(token) <= 64 else token[:64] + "..."
        invalid = ApiError("InvalidPaginationToken", f"The pagination token '{shown}' is invalid.")
        payload, _, mac = token.partition(".")
        expected = hmac.new(
            ctx.state.token_key, f"{ctx.account}/{ctx.region}/{payload}".encode(), "sha256"
        )
        try:
            given = base64.urlsafe_b64decode(mac.encode("ascii"))
            seq_text, _, digest = (
                base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
                .decode()
                .partition(":")
            )
        except (ValueError, UnicodeError):
            raise invalid from None
        if not hmac.compare_digest(given, expected.digest()[:18]):
            raise invalid
        if digest != query:
            raise ApiError(
                "InvalidPaginationToken",
                "The pagination token was issued for other filters or flow log ids; repeat the "
                "request's parameters with its NextToken.",
            )
        return int(seq_text)

    # -- DeleteFlowLogs ---------------------------------------------------------------------

    def delete(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        unsuccessful: list[dict[str, Any]] = []
        with ctx.state.transaction() as db:
            for flow_log_id in dict.fromkeys(params["FlowLogIds"]):
                gone = db.execute(
                    "DELETE FROM flow_logs WHERE account=? AND region=? AND flow_log_id=?",
                    (ctx.account, ctx.region, flow_log_id),
                ).rowcount
                if not gone:
                    unsuccessful.append(
                        _failed(
                            flow_log_id,
                            "InvalidFlowLogId.NotFound",
                            f"Flow log {flow_log_id} does not exist",
                        )
                    )
        return {"Unsuccessful": unsuccessful}


def _failed(resource: str, code: str, message: str) -> dict[str, Any]:
    return {"Error": {"Code": code, "Message": message}, "ResourceId": resource}


def _items(texts: Iterable[str]) -> list[dict[str, Any]]:
    """Stored flow logs (JSON objects) as Python values: one parse for the whole page."""
    items: list[dict[str, Any]] = json.loads("[" + ",".join(texts) + "]")
    for item in items:
        item["CreationTime"] = datetime.fromisoformat(item["CreationTime"])
    return items


def _query_digest(ctx: Context, params: dict[str, Any]) -> str:
    """What a NextToken is bound to: the filters and ids (not MaxResults or the token)."""
    bound = {"Filter": params.get("Filter"), "FlowLogIds": params.get("FlowLogIds")}
    return hashlib.sha256(dumps(bound).encode()).hexdigest()[:16]
