"""DynamoDB tables and items as DynamoDB answers them: what no model states, on Python values.

Tables are described as ``DescribeTable`` returns them (``TableStatus`` ``CREATING`` until
``State.settle_after`` reads have seen it, then ``ACTIVE``: boto3's ``table_exists`` waiter
succeeds; a deleted table is gone at once: ``table_not_exists`` succeeds). Items are kept in
``ddb_items`` (``codegen/server/state.py``) under their key encoded so that SQLite's byte
order is DynamoDB's (strings by UTF-8 bytes, binaries by bytes, numbers numerically: sign,
exponent and digits, see :func:`encode_key`), so a ``Query`` reads one index range of its
partition, in either direction, and a ``Scan`` pages through the primary key.

Expressions (conditions, key conditions, filters, updates, projections) are parsed and
evaluated by :mod:`.ddb_expressions`. What DynamoDB checks is checked with its wording:
``One or more parameter values were invalid: Missing the key pk in the item``, a key of the
wrong type, an empty string key, ``The provided key element does not match the schema``,
``ConditionalCheckFailedException``, ``ResourceNotFoundException``,
``ResourceInUseException``, expression placeholders that are missing or unused, item size.
A table's tags (``Tags`` of ``CreateTable``, ``TagResource``, ``UntagResource``,
``ListTagsOfResource`` by the table's ARN) are kept with its description, under
:data:`_TAGS`, which ``DescribeTable`` does not show.

Secondary indexes (``LocalSecondaryIndexes``, ``GlobalSecondaryIndexes`` of ``CreateTable``,
checked as DynamoDB checks them and listed by ``DescribeTable``) are not stored: a ``Query`` or
``Scan`` with ``IndexName`` reads the table's items, keeps those that have the index's key
attributes (a sparse index), orders them by the index's keys and projects them
(``KEYS_ONLY``, ``INCLUDE``, ``ALL``); an item whose index key attribute has another type than
the index's is refused on write, as DynamoDB refuses it; an unknown index is DynamoDB's
``ValidationException`` ``The table does not have the specified index``. A local index's read
with ``Select`` ``ALL_ATTRIBUTES`` or a ``ProjectionExpression`` fetches the table's items (as
DynamoDB does); a global one's cannot (``ALL_ATTRIBUTES`` of a global index that does not
project all is a ``ValidationException``). An index read is therefore linear in the table's
items (a read of the table, in the items it returns).

``UpdateTable`` changes the billing mode and throughput, deletion protection, the table class,
the stream specification (an ARN and label; no stream records) and creates or deletes one
global secondary index a call (new indexes are read as the others, from the table's items);
``UpdateTimeToLive`` and ``DescribeTimeToLive`` keep the attribute, under :data:`_TTL`;
``UpdateContinuousBackups`` and ``DescribeContinuousBackups`` point-in-time recovery, under
:data:`_PITR`; ``DescribeLimits`` and ``DescribeEndpoints`` answer DynamoDB's defaults.

Not modelled: ``Segment``/``TotalSegments``, the 1 MB page limit (a page ends at ``Limit`` or
:data:`PAGE_LIMIT` items), ``ClientRequestToken`` idempotency of transactions, stream
records, expiring items by their TTL attribute, replicas; the ``ItemCount`` and ``IndexSizeBytes`` of an index stay 0
(DynamoDB updates them about every six hours); a filter sees what the read returns.

Transactions: ``TransactWriteItems`` (``ConditionCheck``, ``Put``, ``Update``, ``Delete``, up to
100) evaluates every condition against the items as they are, then writes all in one SQLite
transaction, or none: ``TransactionCanceledException`` with one ``CancellationReasons`` entry
per action (``None`` or ``ConditionalCheckFailed``); two actions on one item are a
``ValidationException``. ``TransactGetItems`` reads each item (``Responses`` in order).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from codegen.server.behaviours.ddb_expressions import (
    Names,
    Parser,
    condition,
    equal,
    invalid,
    kind_of,
    number,
    project,
    projection,
    significant,
    update,
)
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["DynamoDb", "behaviours", "encode_key"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]
Item = dict[str, Any]

PAGE_LIMIT: Final = 1000
MAX_ITEM_BYTES: Final = 400 * 1024
MAX_BATCH_GET: Final = 100
MAX_BATCH_WRITE: Final = 25
MAX_TRANSACTION: Final = 100
_TABLE_NAME: Final = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_TABLE_ARN: Final = re.compile(
    r"arn:aws:dynamodb:([^:]+):([0-9]{12}):table/([A-Za-z0-9_.-]{3,255})"
)
_TAGS: Final = "apigen:tags"  # a table's tags, in its stored description
_TTL: Final = "apigen:ttl"  # its time-to-live attribute (enabled), likewise not described
_PITR: Final = "apigen:pitr"  # its point-in-time recovery (the days kept, when enabled)


def encode_key(value: Mapping[str, Any]) -> bytes:
    """A key attribute as bytes whose order is DynamoDB's: S as UTF-8, B as is, N as a sign
    byte, the decimal exponent (2 bytes, inverted for negatives) and the digits (inverted and
    terminated for negatives, so that a longer negative is smaller)."""
    kind = kind_of(value)
    if kind == "S":
        return str(value["S"]).encode("utf-8")
    if kind == "B":
        return bytes(value["B"])
    n = number(value["N"])
    if n.is_zero():
        return b"\x80"
    sign = n.is_signed()
    exponent = n.adjusted() + 1000
    text = significant(n)
    if not sign:
        return b"\xc0" + exponent.to_bytes(2, "big") + text.encode("ascii")
    inverted = bytes(ord("9") - int(d) + ord("0") for d in text)
    return b"\x40" + (3000 - exponent).to_bytes(2, "big") + inverted + b"\xff"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _to_json(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$b" in value:
            return base64.b64decode(value["$b"])
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


def _dump(item: Item) -> str:
    return json.dumps(_to_json(item), separators=(",", ":"), sort_keys=True)


def _keys_defined(keys: Sequence[Mapping[str, str]], types: Mapping[str, str]) -> None:
    """A key schema's (the table's or an index's) attributes are all defined, else DynamoDB's
    ValidationException naming the first that is not."""
    for key in keys:
        if key["AttributeName"] not in types:
            raise invalid(
                "One or more parameter values were invalid: Some index key attributes are "
                "not defined in AttributeDefinitions. Keys: ["
                + key["AttributeName"][:255]
                + "], AttributeDefinitions: ["
                + ", ".join(types)[:1000]
                + "]"
            )


def _not_found(name: str | None = None) -> ApiError:
    message = "Requested resource not found"
    if name is not None:
        message += f": Table: {name[:255]} not found"
    return ApiError("ResourceNotFoundException", message, 400)


class _Keys:
    """A key schema (a table's or an index's): its partition and sort key and their types."""

    def __init__(self, schema: Sequence[Mapping[str, str]], types: Mapping[str, str]) -> None:
        self.hash: str = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
        ranges = [k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"]
        self.range: str | None = ranges[0] if ranges else None
        self.types = {self.hash: types[self.hash]}
        if self.range is not None:
            self.types[self.range] = types[self.range]

    def key_names(self) -> list[str]:
        return [self.hash] + ([self.range] if self.range else [])

    def encoded(self, item: Mapping[str, Any]) -> tuple[bytes, bytes]:
        sort = encode_key(item[self.range]) if self.range else b""
        return encode_key(item[self.hash]), sort


class _Index(_Keys):
    """A secondary index: its keys and what it projects (``KEYS_ONLY``, ``INCLUDE`` its
    ``NonKeyAttributes``, ``ALL``). An item is in it when it has both of its key attributes
    (a sparse index)."""

    def __init__(
        self,
        description: Mapping[str, Any],
        types: Mapping[str, str],
        table: _Keys,
        *,
        local: bool,
    ) -> None:
        super().__init__(description["KeySchema"], types)
        self.name: str = description["IndexName"]
        self.local = local  # a local index's reads fetch what it does not project
        projection = description.get("Projection") or {}
        self.projection: str = projection.get("ProjectionType") or "ALL"
        self.keys = {*table.key_names(), *self.key_names()}
        self.included = self.keys | set(projection.get("NonKeyAttributes") or ())

    def holds(self, item: Mapping[str, Any]) -> bool:
        return all(
            name in item and kind_of(item[name]) == self.types[name] for name in self.key_names()
        )

    def projected(self, item: Item) -> Item:
        if self.projection == "ALL":
            return item
        kept = self.keys if self.projection == "KEYS_ONLY" else self.included
        return {k: v for k, v in item.items() if k in kept}


class _Table(_Keys):
    def __init__(self, description: dict[str, Any]) -> None:
        self.description = description
        self.name: str = description["TableName"]
        types = {
            a["AttributeName"]: a["AttributeType"] for a in description["AttributeDefinitions"]
        }
        super().__init__(description["KeySchema"], types)
        self.indexes = {
            index["IndexName"]: _Index(index, types, self, local=kind[0] == "L")
            for kind in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes")
            for index in description.get(kind, ())
        }

    def index(self, name: str) -> _Index:
        found = self.indexes.get(name)
        if found is None:
            raise invalid(f"The table does not have the specified index: {name[:255]}")
        return found

    def check_item(self, item: Mapping[str, Any]) -> None:
        for name in self.key_names():
            value = item.get(name)
            if value is None:
                raise invalid(
                    f"One or more parameter values were invalid: Missing the key {name} in the item"
                )
            self._check_type(name, value)
        self.check_indexed(item)

    def check_indexed(self, item: Mapping[str, Any]) -> None:
        """An index's key attribute, where an item has it, is of the type the index says."""
        for index in self.indexes.values():
            for name in index.key_names():
                value = item.get(name)
                if value is None or name in self.types:
                    continue
                actual = kind_of(value)
                if actual != index.types[name]:
                    raise invalid(
                        "One or more parameter values were invalid: Type mismatch for Index Key "
                        f"{name} Expected: {index.types[name]} Actual: {actual} IndexName: "
                        f"{index.name}"
                    )
                if actual in ("S", "B") and len(value[actual]) == 0:
                    raise invalid(
                        "One or more parameter values are not valid. A value specified for a "
                        "secondary index key is not supported. The AttributeValue for a key "
                        "attribute cannot contain an empty "
                        f"{'string' if actual == 'S' else 'binary'} value. IndexName: "
                        f"{index.name}, IndexKey: {name}"
                    )

    def _check_type(self, name: str, value: Mapping[str, Any]) -> None:
        expected = self.types[name]
        actual = kind_of(value)
        if actual != expected:
            raise invalid(
                "One or more parameter values were invalid: Type mismatch for key "
                f"{name} expected: {expected} actual: {actual}"
            )
        if expected in ("S", "B") and len(value[expected]) == 0:
            raise invalid(
                "One or more parameter values are not valid. The AttributeValue for a key "
                f"attribute cannot contain an empty {'string' if expected == 'S' else 'binary'} "
                f"value. Key: {name}"
            )

    def check_key(self, key: Mapping[str, Any]) -> tuple[bytes, bytes]:
        if set(key) != set(self.key_names()):
            raise invalid("The provided key element does not match the schema")
        for name in self.key_names():
            self._check_type(name, key[name])
        return self.encoded(key)

    def key_of(self, item: Mapping[str, Any]) -> Item:
        return {name: item[name] for name in self.key_names()}


def _names(params: Mapping[str, Any]) -> Names:
    return Names(
        dict(params.get("ExpressionAttributeNames") or {}),
        dict(params.get("ExpressionAttributeValues") or {}),
    )


class DynamoDb:
    """The behaviours of DynamoDB's table and item operations."""

    # -- tables ------------------------------------------------------------------------------

    def _table(self, ctx: Context, name: str, *, settle: bool = False) -> _Table:
        with ctx.state.transaction() as db:
            row = db.execute(
                "SELECT description, reads FROM ddb_tables WHERE account = ? AND region = ? "
                "AND name = ?",
                (ctx.account, ctx.region, name),
            ).fetchone()
            if row is None:
                raise _not_found(name)
            description = json.loads(row[0])
            if settle and description["TableStatus"] == "CREATING":
                if row[1] >= ctx.state.settle_after:
                    description["TableStatus"] = "ACTIVE"
                    for index in description.get("GlobalSecondaryIndexes", []):
                        index["IndexStatus"] = "ACTIVE"
                    db.execute(
                        "UPDATE ddb_tables SET description = ? WHERE account = ? AND region = ? "
                        "AND name = ?",
                        (json.dumps(description), ctx.account, ctx.region, name),
                    )
                else:
                    db.execute(
                        "UPDATE ddb_tables SET reads = reads + 1 WHERE account = ? AND "
                        "region = ? AND name = ?",
                        (ctx.account, ctx.region, name),
                    )
        return _Table(description)

    def create_table(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TableName"]
        if not _TABLE_NAME.fullmatch(name):
            raise invalid(
                f"1 validation error detected: Value '{name[:255]}' at 'tableName' failed to "
                "satisfy constraint: Member must satisfy regular expression pattern: "
                "[a-zA-Z0-9_.-]+"
            )
        for member, wire in (
            ("KeySchema", "keySchema"),
            ("AttributeDefinitions", "attributeDefinitions"),
        ):
            if not params.get(member):
                raise invalid(
                    f"1 validation error detected: Value null at '{wire}' failed to satisfy "
                    "constraint: Member must not be null"
                )
        schema = list(params["KeySchema"])
        definitions = list(params["AttributeDefinitions"])
        types = {d["AttributeName"]: d["AttributeType"] for d in definitions}
        hashes = [k for k in schema if k["KeyType"] == "HASH"]
        ranges = [k for k in schema if k["KeyType"] == "RANGE"]
        if len(hashes) != 1 or len(ranges) > 1 or len(schema) != len(hashes) + len(ranges):
            raise invalid(
                "1 validation error detected: Value at 'keySchema' failed to satisfy "
                "constraint: exactly one HASH key and at most one RANGE key"
            )
        _keys_defined(schema, types)
        self._check_indexes(params, types, schema)
        used = {k["AttributeName"] for k in schema} | {
            k["AttributeName"]
            for kind in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes")
            for index in params.get(kind) or ()
            for k in index["KeySchema"]
        }
        if set(types) != used:
            raise invalid(
                "One or more parameter values were invalid: Some AttributeDefinitions are not "
                "used. AttributeDefinitions: ["
                + ", ".join(sorted(types))[:1000]
                + "], keys used: ["
                + ", ".join(sorted(used))[:1000]
                + "]"
            )
        mode = params.get("BillingMode") or "PROVISIONED"
        throughput = params.get("ProvisionedThroughput")
        if mode == "PROVISIONED" and not throughput:
            raise invalid(
                "One or more parameter values were invalid: ReadCapacityUnits and "
                "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
            )
        arn = f"arn:aws:dynamodb:{ctx.region}:{ctx.account}:table/{name}"
        description: dict[str, Any] = {
            "TableName": name,
            "KeySchema": schema,
            "AttributeDefinitions": definitions,
            "TableStatus": "CREATING" if ctx.state.settle_after > 0 else "ACTIVE",
            "CreationDateTime": _now().timestamp(),
            "TableArn": arn,
            "TableId": str(uuid.uuid4()),
            "ProvisionedThroughput": {
                "ReadCapacityUnits": (throughput or {}).get("ReadCapacityUnits", 0),
                "WriteCapacityUnits": (throughput or {}).get("WriteCapacityUnits", 0),
                "NumberOfDecreasesToday": 0,
            },
            "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled")),
        }
        if mode == "PAY_PER_REQUEST":
            description["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST"}
        if params.get("Tags"):
            description[_TAGS] = {t["Key"]: t["Value"] for t in params["Tags"]}
        for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            indexes = params.get(kind)
            if indexes:
                description[kind] = [
                    {
                        **index,
                        "IndexArn": f"{arn}/index/{index['IndexName']}",
                        "IndexSizeBytes": 0,
                        "ItemCount": 0,
                        **({"IndexStatus": description["TableStatus"]} if kind[0] == "G" else {}),
                    }
                    for index in indexes
                ]
        with ctx.state.transaction() as db:
            if db.execute(
                "SELECT 1 FROM ddb_tables WHERE account = ? AND region = ? AND name = ?",
                (ctx.account, ctx.region, name),
            ).fetchone():
                raise ApiError("ResourceInUseException", f"Table already exists: {name}", 400)
            db.execute(
                "INSERT INTO ddb_tables VALUES (?, ?, ?, ?, 0)",
                (ctx.account, ctx.region, name, json.dumps(description)),
            )
        return {"TableDescription": self._described(ctx, description)}

    @staticmethod
    def _check_indexes(
        params: Mapping[str, Any], types: Mapping[str, str], schema: Sequence[Mapping[str, str]]
    ) -> None:
        """Secondary indexes as CreateTable checks them: at most 5 local and 20 global ones
        (DynamoDB's quotas), distinct names, one HASH key and at
        most one RANGE key each, defined in ``AttributeDefinitions``; a local index shares the
        table's partition key and has a sort key; ``NonKeyAttributes`` with ``INCLUDE`` only."""
        seen: set[str] = set()
        table_hash = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
        table_range = [k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"]
        for kind, most in (("LocalSecondaryIndexes", 5), ("GlobalSecondaryIndexes", 20)):
            if len(params.get(kind) or ()) > most:
                raise invalid(
                    f"One or more parameter values were invalid: Number of {kind} exceeds "
                    f"per-table limit of {most}"
                )
            for index in params.get(kind) or ():
                name = str(index["IndexName"])
                if name in seen:
                    raise invalid(
                        f"One or more parameter values were invalid: Duplicate index name: {name}"
                    )
                seen.add(name)
                keys = list(index["KeySchema"])
                hashes = [k["AttributeName"] for k in keys if k["KeyType"] == "HASH"]
                ranges = [k["AttributeName"] for k in keys if k["KeyType"] == "RANGE"]
                if len(hashes) != 1 or len(ranges) > 1 or len(keys) != len(hashes) + len(ranges):
                    raise invalid(
                        "1 validation error detected: Value at 'keySchema' of index "
                        f"{name} failed to satisfy constraint: exactly one HASH key and at most "
                        "one RANGE key"
                    )
                _keys_defined(keys, types)
                if kind[0] == "L":
                    if not table_range:
                        raise invalid(
                            "One or more parameter values were invalid: Table KeySchema does not "
                            "have a range key, which is required when specifying a "
                            "LocalSecondaryIndex"
                        )
                    if hashes[0] != table_hash or not ranges:
                        raise invalid(
                            "One or more parameter values were invalid: Index KeySchema does not "
                            "have the same leading hash key as table KeySchema for index: "
                            f"{name}. index hash key: {hashes[0]}, table hash key: {table_hash}"
                            if hashes[0] != table_hash
                            else "One or more parameter values were invalid: Index KeySchema "
                            f"does not have a range key for index: {name}"
                        )
                projection = index.get("Projection") or {}
                kind_of_projection = projection.get("ProjectionType") or "ALL"
                if projection.get("NonKeyAttributes") and kind_of_projection != "INCLUDE":
                    raise invalid(
                        "One or more parameter values were invalid: ProjectionType is "
                        f"{kind_of_projection}, but NonKeyAttributes is specified"
                    )

    def _described(self, ctx: Context, description: dict[str, Any]) -> dict[str, Any]:
        out = dict(description)
        out.pop(_TAGS, None)
        out.pop(_TTL, None)
        out.pop(_PITR, None)
        out["CreationDateTime"] = datetime.fromtimestamp(
            description["CreationDateTime"], timezone.utc
        )
        rows = ctx.state.query(
            "SELECT COUNT(*), COALESCE(SUM(length(item)), 0) FROM ddb_items "
            "WHERE account = ? AND region = ? AND tbl = ?",
            (ctx.account, ctx.region, description["TableName"]),
        )
        out["ItemCount"], out["TableSizeBytes"] = rows[0]
        return out

    def describe_table(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"], settle=True)
        return {"Table": self._described(ctx, table.description)}

    def list_tables(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        limit = max(1, min(int(params.get("Limit") or 100), 100))
        after = str(params.get("ExclusiveStartTableName") or "")
        rows = ctx.state.query(
            "SELECT name FROM ddb_tables WHERE account = ? AND region = ? AND name > ? "
            "ORDER BY name LIMIT ?",
            (ctx.account, ctx.region, after, limit + 1),
        )
        names = [r[0] for r in rows]
        out: dict[str, Any] = {"TableNames": names[:limit]}
        if len(names) > limit:
            out["LastEvaluatedTableName"] = names[limit - 1]
        return out

    def delete_table(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        if table.description.get("DeletionProtectionEnabled"):
            raise invalid(
                "Resource cannot be deleted as it is currently protected against deletion. "
                "Disable deletion protection first."
            )
        description = self._described(ctx, table.description)
        description["TableStatus"] = "DELETING"
        with ctx.state.transaction() as db:
            for sql in (
                "DELETE FROM ddb_items WHERE account = ? AND region = ? AND tbl = ?",
                "DELETE FROM ddb_tables WHERE account = ? AND region = ? AND name = ?",
            ):
                db.execute(sql, (ctx.account, ctx.region, table.name))
        return {"TableDescription": description}

    def _store(self, ctx: Context, description: Mapping[str, Any]) -> None:
        with ctx.state.transaction() as db:
            db.execute(
                "UPDATE ddb_tables SET description = ? WHERE account = ? AND region = ? "
                "AND name = ?",
                (json.dumps(description), ctx.account, ctx.region, description["TableName"]),
            )

    def update_table(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """What ``UpdateTable`` changes, checked as DynamoDB checks it: ``BillingMode`` and
        ``ProvisionedThroughput``, ``DeletionProtectionEnabled``, ``TableClass``,
        ``StreamSpecification``, and one global secondary index created or deleted (or its
        throughput updated) per call. The answer is ``UPDATING`` (a new index ``CREATING``);
        ``DescribeTable`` then shows the table ``ACTIVE``, as once DynamoDB is done."""
        table = self._table(ctx, params["TableName"], settle=True)
        description = json.loads(json.dumps(table.description))  # a copy to change
        if description["TableStatus"] != "ACTIVE":
            raise ApiError(
                "ResourceInUseException",
                f"Attempt to change a resource which is still in use: Table is being "
                f"{'created' if description['TableStatus'] == 'CREATING' else 'updated'}: "
                f"{table.name}",
                400,
            )
        definitions = {
            d["AttributeName"]: d["AttributeType"] for d in description["AttributeDefinitions"]
        }
        for given in params.get("AttributeDefinitions") or ():
            known = definitions.get(given["AttributeName"])
            if known is not None and known != given["AttributeType"]:
                raise invalid(
                    "One or more parameter values were invalid: Cannot change the type of "
                    f"attribute {given['AttributeName']} from {known} to {given['AttributeType']}"
                )
            definitions[given["AttributeName"]] = given["AttributeType"]
        mode = params.get("BillingMode")
        current = (description.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        throughput = params.get("ProvisionedThroughput")
        if (mode or current) == "PAY_PER_REQUEST" and throughput:
            raise invalid(
                "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
            )
        if mode == "PROVISIONED" and current == "PAY_PER_REQUEST" and not throughput:
            raise invalid(
                "One or more parameter values were invalid: ProvisionedThroughput must be "
                "specified when BillingMode is PROVISIONED"
            )
        if mode is not None:
            description["BillingModeSummary"] = {
                "BillingMode": mode,
                "LastUpdateToPayPerRequestDateTime": _now().timestamp(),
            }
            if mode == "PAY_PER_REQUEST":
                description["ProvisionedThroughput"].update(
                    ReadCapacityUnits=0, WriteCapacityUnits=0
                )
        if throughput:
            description["ProvisionedThroughput"].update(
                ReadCapacityUnits=throughput["ReadCapacityUnits"],
                WriteCapacityUnits=throughput["WriteCapacityUnits"],
                LastIncreaseDateTime=_now().timestamp(),
            )
        if "DeletionProtectionEnabled" in params:
            description["DeletionProtectionEnabled"] = bool(params["DeletionProtectionEnabled"])
        if params.get("TableClass"):
            description["TableClassSummary"] = {"TableClass": params["TableClass"]}
        stream = params.get("StreamSpecification")
        if stream is not None:
            if stream.get("StreamEnabled"):
                label = _now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
                description["StreamSpecification"] = stream
                description["LatestStreamLabel"] = label
                description["LatestStreamArn"] = f"{description['TableArn']}/stream/{label}"
            else:
                for key in ("StreamSpecification", "LatestStreamLabel", "LatestStreamArn"):
                    description.pop(key, None)
        created = self._update_indexes(description, params, definitions)
        used = {k["AttributeName"] for k in description["KeySchema"]} | {
            k["AttributeName"]
            for kind in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes")
            for index in description.get(kind) or ()
            for k in index["KeySchema"]
        }
        description["AttributeDefinitions"] = [
            {"AttributeName": name, "AttributeType": kind}
            for name, kind in definitions.items()
            if name in used
        ]
        self._store(ctx, description)
        answer = self._described(ctx, description)
        answer["TableStatus"] = "UPDATING"
        for index in answer.get("GlobalSecondaryIndexes") or ():
            if index["IndexName"] in created:
                index["IndexStatus"] = "CREATING"
                index["Backfilling"] = True
        return {"TableDescription": answer}

    def _update_indexes(
        self,
        description: dict[str, Any],
        params: Mapping[str, Any],
        definitions: Mapping[str, str],
    ) -> set[str]:
        """``GlobalSecondaryIndexUpdates`` applied to ``description``: the names created."""
        updates = list(params.get("GlobalSecondaryIndexUpdates") or ())
        if sum(1 for u in updates if u.get("Create") or u.get("Delete")) > 1:
            raise ApiError(
                "LimitExceededException",
                "Subscriber limit exceeded: Only 1 online index can be created or deleted "
                "simultaneously per table",
                400,
            )
        indexes: list[dict[str, Any]] = description.get("GlobalSecondaryIndexes") or []
        names = {index["IndexName"]: index for index in indexes}
        created: set[str] = set()
        for change in updates:
            if change.get("Create"):
                new = dict(change["Create"])
                if new["IndexName"] in names:
                    raise invalid(
                        "One or more parameter values were invalid: Attempting to create an "
                        f"index which already exists: {new['IndexName']}"
                    )
                proposed = {
                    "GlobalSecondaryIndexes": [*indexes, new],
                    "LocalSecondaryIndexes": description.get("LocalSecondaryIndexes") or [],
                }
                self._check_indexes(proposed, definitions, description["KeySchema"])
                indexed = {
                    **new,
                    "IndexArn": f"{description['TableArn']}/index/{new['IndexName']}",
                    "IndexSizeBytes": 0,
                    "ItemCount": 0,
                    "IndexStatus": "ACTIVE",
                }
                indexes.append(indexed)
                names[new["IndexName"]] = indexed
                created.add(new["IndexName"])
            elif change.get("Delete") or change.get("Update"):
                name = (change.get("Delete") or change.get("Update"))["IndexName"]
                if name not in names:
                    raise ApiError(
                        "ResourceNotFoundException",
                        f"Requested resource not found: Index: {name[:255]} not found",
                        400,
                    )
                if change.get("Delete"):
                    indexes.remove(names.pop(name))
                elif change["Update"].get("ProvisionedThroughput"):
                    names[name]["ProvisionedThroughput"] = change["Update"][
                        "ProvisionedThroughput"
                    ]
        if indexes:
            description["GlobalSecondaryIndexes"] = indexes
        else:
            description.pop("GlobalSecondaryIndexes", None)
        return created

    # -- time to live ------------------------------------------------------------------------

    def update_time_to_live(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """Enabled or disabled, as DynamoDB keeps it (no item expires here: DynamoDB deletes
        expired items within days, not at their time)."""
        table = self._table(ctx, params["TableName"])
        spec = params["TimeToLiveSpecification"]
        enabled = table.description.get(_TTL)
        if spec["Enabled"] and enabled is not None:
            raise invalid("TimeToLive is already enabled")
        if not spec["Enabled"] and enabled is None:
            raise invalid("TimeToLive is already disabled")
        description = dict(table.description)
        if spec["Enabled"]:
            description[_TTL] = spec["AttributeName"]
        else:
            description.pop(_TTL, None)
        self._store(ctx, description)
        return {"TimeToLiveSpecification": spec}

    def describe_time_to_live(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        attribute = table.description.get(_TTL)
        if attribute is None:
            return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
        return {
            "TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}
        }

    # -- continuous backups, limits, endpoints -----------------------------------------------

    def _backups(self, description: Mapping[str, Any]) -> dict[str, Any]:
        days = description.get(_PITR)
        recovery: dict[str, Any] = {"PointInTimeRecoveryStatus": "DISABLED"}
        if days is not None:
            now = _now()
            earliest = max(
                datetime.fromtimestamp(description["CreationDateTime"], timezone.utc),
                now - timedelta(days=days),
            )
            recovery = {
                "PointInTimeRecoveryStatus": "ENABLED",
                "RecoveryPeriodInDays": days,
                "EarliestRestorableDateTime": earliest,
                "LatestRestorableDateTime": max(earliest, now - timedelta(minutes=5)),
            }
        return {
            "ContinuousBackupsDescription": {
                "ContinuousBackupsStatus": "ENABLED",
                "PointInTimeRecoveryDescription": recovery,
            }
        }

    def describe_continuous_backups(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """Continuous backups are always on; point-in-time recovery as last updated."""
        table = self._table(ctx, params["TableName"])
        return self._backups(table.description)

    def update_continuous_backups(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        spec = params["PointInTimeRecoverySpecification"]
        description = dict(table.description)
        days = spec.get("RecoveryPeriodInDays")
        if spec["PointInTimeRecoveryEnabled"]:
            if days is not None and not 1 <= int(days) <= 35:
                raise invalid("RecoveryPeriodInDays must be between 1 and 35.")
            description[_PITR] = int(days or 35)
        else:
            if days is not None:
                raise invalid(
                    "RecoveryPeriodInDays cannot be set when point in time recovery is disabled."
                )
            description.pop(_PITR, None)
        self._store(ctx, description)
        return self._backups(description)

    @staticmethod
    def describe_limits(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """DynamoDB's default quotas (of provisioned capacity)."""
        return {
            "AccountMaxReadCapacityUnits": 80000,
            "AccountMaxWriteCapacityUnits": 80000,
            "TableMaxReadCapacityUnits": 40000,
            "TableMaxWriteCapacityUnits": 40000,
        }

    @staticmethod
    def describe_endpoints(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "Endpoints": [
                {"Address": f"dynamodb.{ctx.region}.amazonaws.com", "CachePeriodInMinutes": 1440}
            ]
        }

    # -- tags --------------------------------------------------------------------------------

    def _tagged(self, ctx: Context, arn: str) -> _Table:
        """The table a ``ResourceArn`` names, in the caller's account and region."""
        match = _TABLE_ARN.fullmatch(arn)
        if match is None:
            raise invalid(f"Invalid TableArn: Invalid ResourceArn provided as input {arn[:2048]}")
        region, account, name = match.groups()
        try:
            if (region, account) != (ctx.region, ctx.account):
                raise _not_found()
            return self._table(ctx, name)
        except ApiError:
            raise ApiError(
                "ResourceNotFoundException",
                f"Requested resource not found: ResourceArn: {arn} not found",
                400,
            ) from None

    def _retag(self, ctx: Context, table: _Table, tags: dict[str, str]) -> None:
        self._store(ctx, {**table.description, _TAGS: tags})

    def tag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._tagged(ctx, params["ResourceArn"])
        tags = dict(table.description.get(_TAGS, {}))
        tags.update((t["Key"], t["Value"]) for t in params["Tags"])
        self._retag(ctx, table, tags)
        return {}

    def untag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._tagged(ctx, params["ResourceArn"])
        tags = dict(table.description.get(_TAGS, {}))
        for key in params["TagKeys"]:
            tags.pop(key, None)
        self._retag(ctx, table, tags)
        return {}

    def list_tags_of_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._tagged(ctx, params["ResourceArn"])
        tags = table.description.get(_TAGS, {})
        return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}

    # -- items -------------------------------------------------------------------------------

    def _get(self, ctx: Context, table: _Table, key: tuple[bytes, bytes]) -> Item | None:
        rows = ctx.state.query(
            "SELECT item FROM ddb_items WHERE account = ? AND region = ? AND tbl = ? AND pk = ? "
            "AND sk = ?",
            (ctx.account, ctx.region, table.name, *key),
        )
        return dict(_from_json(json.loads(rows[0][0]))) if rows else None

    @staticmethod
    def _check_condition(params: Mapping[str, Any], names: Names, current: Item | None) -> None:
        text = params.get("ConditionExpression")
        if not text:
            return
        test = condition(str(text), "ConditionExpression", names)
        if not test(current or {}):
            raise ApiError(
                "ConditionalCheckFailedException",
                "The conditional request failed",
                400,
                fields={"Item": current}
                if current is not None
                and params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
                else None,
            )

    def _write(self, ctx: Context, table: _Table, item: Item) -> None:
        text = _dump(item)
        if len(text) > MAX_ITEM_BYTES:
            raise invalid("Item size has exceeded the maximum allowed size")
        with ctx.state.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO ddb_items VALUES (?, ?, ?, ?, ?, ?)",
                (ctx.account, ctx.region, table.name, *table.encoded(item), text),
            )

    def put_item(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        item = dict(params["Item"])
        table.check_item(item)
        names = _names(params)
        with ctx.state.lock:
            current = self._get(ctx, table, table.encoded(item))
            self._check_condition(params, names, current)
            names.check_all_used()
            self._write(ctx, table, item)
        if params.get("ReturnValues") == "ALL_OLD" and current is not None:
            return {"Attributes": current}
        return {}

    def get_item(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        key = table.check_key(params["Key"])
        names = _names(params)
        paths = (
            projection(str(params["ProjectionExpression"]), names)
            if params.get("ProjectionExpression")
            else None
        )
        names.check_all_used()
        item = self._get(ctx, table, key)
        if item is None:
            return {}
        return {"Item": project(item, paths) if paths else item}

    def delete_item(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        key = table.check_key(params["Key"])
        names = _names(params)
        with ctx.state.lock:
            current = self._get(ctx, table, key)
            self._check_condition(params, names, current)
            names.check_all_used()
            with ctx.state.transaction() as db:
                db.execute(
                    "DELETE FROM ddb_items WHERE account = ? AND region = ? AND tbl = ? "
                    "AND pk = ? AND sk = ?",
                    (ctx.account, ctx.region, table.name, *key),
                )
        if params.get("ReturnValues") == "ALL_OLD" and current is not None:
            return {"Attributes": current}
        return {}

    def update_item(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        key = table.check_key(params["Key"])
        names = _names(params)
        change = (
            update(str(params["UpdateExpression"]), names)
            if params.get("UpdateExpression")
            else None
        )
        with ctx.state.lock:
            current = self._get(ctx, table, key)
            self._check_condition(params, names, current)
            names.check_all_used()
            old = current if current is not None else dict(params["Key"])
            new = change(old) if change is not None else dict(old)
            for name in table.key_names():
                if name not in new or not equal(new[name], params["Key"][name]):
                    raise invalid(
                        f"One or more parameter values were invalid: Cannot update attribute "
                        f"{name}. This attribute is part of the key"
                    )
            table.check_indexed(new)
            self._write(ctx, table, new)
        wanted = params.get("ReturnValues") or "NONE"
        if wanted == "ALL_NEW":
            return {"Attributes": new}
        if wanted == "ALL_OLD":
            return {"Attributes": current} if current is not None else {}
        changed = {
            k
            for k in set(new) | set(old)
            if k not in new or k not in old or not equal(new[k], old[k])
        }
        if wanted == "UPDATED_NEW":
            return {"Attributes": {k: new[k] for k in sorted(changed) if k in new}}
        if wanted == "UPDATED_OLD" and current is not None:
            return {"Attributes": {k: current[k] for k in sorted(changed) if k in current}}
        return {}

    # -- transactions ------------------------------------------------------------------------

    def transact_write_items(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """All of the actions or none: every condition is evaluated against the items as they
        are, then every write made in one SQLite transaction; a failed condition cancels the
        whole with a reason per action, in order."""
        actions = list(params["TransactItems"])
        if not 1 <= len(actions) <= MAX_TRANSACTION:
            raise invalid(
                "1 validation error detected: Value at 'transactItems' failed to satisfy "
                "constraint: Member must have length less than or equal to 100, Member must "
                "have length greater than or equal to 1"
            )
        planned: list[tuple[_Table, tuple[bytes, bytes], Item | None]] = []
        reasons: list[dict[str, Any]] = []
        seen: set[tuple[str, bytes, bytes]] = set()
        with ctx.state.lock:
            for action in actions:
                kinds = [k for k in ("ConditionCheck", "Put", "Delete", "Update") if action.get(k)]
                if len(kinds) != 1:
                    raise invalid(
                        "TransactItems can only contain one of Check, Put, Update or Delete"
                    )
                kind = kinds[0]
                request = action[kind]
                table = self._table(ctx, request["TableName"])
                names = _names(request)
                put: Item = dict(request.get("Item") or {})
                if kind == "Put":
                    table.check_item(put)
                    key = table.encoded(put)
                else:
                    key = table.check_key(request["Key"])
                if (table.name, *key) in seen:
                    raise invalid(
                        "Transaction request cannot include multiple operations on one item"
                    )
                seen.add((table.name, *key))
                current = self._get(ctx, table, key)
                if kind == "ConditionCheck" and not request.get("ConditionExpression"):
                    raise invalid("The ConditionExpression parameter is required")
                change = None
                if kind == "Update":
                    change = update(str(request["UpdateExpression"]), names)
                try:
                    self._check_condition(request, names, current)
                    reasons.append({"Code": "None"})
                except ApiError as failed:
                    if failed.code != "ConditionalCheckFailedException":
                        raise
                    reason: dict[str, Any] = {"Code": "ConditionalCheckFailed"}
                    reason["Message"] = failed.message
                    if current is not None and (
                        request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
                    ):
                        reason["Item"] = current
                    reasons.append(reason)
                names.check_all_used()
                if kind == "Put":
                    planned.append((table, key, put))
                elif kind == "Delete":
                    planned.append((table, key, None))
                elif change is not None:
                    old = current if current is not None else dict(request["Key"])
                    new = change(old)
                    for name in table.key_names():
                        if name not in new or not equal(new[name], request["Key"][name]):
                            raise invalid(
                                "One or more parameter values were invalid: Cannot update "
                                f"attribute {name}. This attribute is part of the key"
                            )
                    table.check_indexed(new)
                    planned.append((table, key, new))
            if any(r["Code"] != "None" for r in reasons):
                codes = ", ".join(r["Code"] for r in reasons)
                raise ApiError(
                    "TransactionCanceledException",
                    "Transaction cancelled, please refer cancellation reasons for specific "
                    f"reasons [{codes}]",
                    400,
                    fields={"CancellationReasons": reasons},
                )
            with ctx.state.transaction() as db:
                for table, key, new_item in planned:
                    if new_item is None:
                        db.execute(
                            "DELETE FROM ddb_items WHERE account = ? AND region = ? AND "
                            "tbl = ? AND pk = ? AND sk = ?",
                            (ctx.account, ctx.region, table.name, *key),
                        )
                        continue
                    text = _dump(new_item)
                    if len(text) > MAX_ITEM_BYTES:
                        raise invalid("Item size has exceeded the maximum allowed size")
                    db.execute(
                        "INSERT OR REPLACE INTO ddb_items VALUES (?, ?, ?, ?, ?, ?)",
                        (ctx.account, ctx.region, table.name, *key, text),
                    )
        return {}

    def transact_get_items(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        actions = list(params["TransactItems"])
        if not 1 <= len(actions) <= MAX_TRANSACTION:
            raise invalid(
                "1 validation error detected: Value at 'transactItems' failed to satisfy "
                "constraint: Member must have length less than or equal to 100, Member must "
                "have length greater than or equal to 1"
            )
        responses: list[dict[str, Any]] = []
        with ctx.state.lock:
            for action in actions:
                request = action["Get"]
                table = self._table(ctx, request["TableName"])
                key = table.check_key(request["Key"])
                names = _names(request)
                paths = (
                    projection(str(request["ProjectionExpression"]), names)
                    if request.get("ProjectionExpression")
                    else None
                )
                names.check_all_used()
                item = self._get(ctx, table, key)
                if item is None:
                    responses.append({})
                else:
                    responses.append({"Item": project(item, paths) if paths else item})
        return {"Responses": responses}

    # -- reads of many -----------------------------------------------------------------------

    def query(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        index = table.index(str(params["IndexName"])) if params.get("IndexName") else None
        names = _names(params)
        text = params.get("KeyConditionExpression")
        if not text:
            raise invalid(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified "
                "in the request."
            )
        pk, bounds = self._key_condition(str(text), names, index or table)
        filt = (
            condition(str(params["FilterExpression"]), "FilterExpression", names)
            if params.get("FilterExpression")
            else None
        )
        paths = (
            projection(str(params["ProjectionExpression"]), names)
            if params.get("ProjectionExpression")
            else None
        )
        names.check_all_used()
        forward = params.get("ScanIndexForward", True) is not False
        if index is not None:
            return self._read_index(ctx, table, index, params, (pk, bounds), forward, filt, paths)
        sql = "WHERE account = ? AND region = ? AND tbl = ? AND pk = ?"
        sql += "".join(f" AND sk {op} ?" for op, _ in bounds)
        args: list[Any] = [ctx.account, ctx.region, table.name, pk, *(v for _, v in bounds)]
        start = params.get("ExclusiveStartKey")
        if start:
            start_pk, start_sk = table.check_key(start)
            if start_pk != pk:
                raise invalid(
                    "The provided starting key is invalid: The provided key element "
                    "does not match the schema"
                )
            sql += " AND sk > ?" if forward else " AND sk < ?"
            args.append(start_sk)
        sql += " ORDER BY sk" + ("" if forward else " DESC")
        return self._page(ctx, table, params, sql, args, filt, paths)

    def _key_condition(
        self, text: str, names: Names, table: _Keys
    ) -> tuple[bytes, list[tuple[str, bytes]]]:
        """The partition key's encoded value and the bounds (operator, encoded value) the sort
        key condition puts on the encoded sort key."""
        parser = Parser(text, "KeyConditionExpression", names)
        parts = [self._key_part(parser, table)]
        if parser.tokens.peek() == ("keyword", "AND"):
            parser.tokens.take()
            parts.append(self._key_part(parser, table))
        parser.finish()
        hashes = [p for p in parts if p[0] == table.hash]
        sorts = [p for p in parts if p[0] != table.hash]
        if len(hashes) != 1 or hashes[0][1] != "=":
            raise invalid("Query condition missed key schema element: " + table.hash)
        if len(sorts) > 1 or (sorts and sorts[0][0] != table.range):
            raise invalid(
                "Query condition missed key schema element"
                + (f": {table.range}" if table.range else "")
                if table.range
                else "Query key condition not supported"
            )
        pk = encode_key(hashes[0][2][0])
        if not sorts:
            return pk, []
        _, op, values = sorts[0]
        encoded = [encode_key(v) for v in values]
        if op == "BETWEEN":
            if encoded[0] > encoded[1]:
                raise invalid(
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to "
                    "be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                    f"{{{kind_of(values[0])}:...}}, upper bound operand: AttributeValue: "
                    f"{{{kind_of(values[1])}:...}}"
                )
            return pk, [(">=", encoded[0]), ("<=", encoded[1])]
        if op == "begins_with":
            if table.types[str(table.range)] == "N":
                raise invalid(
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or "
                    "function; operator or function: begins_with, operand type: N"
                )
            upper = _successor(encoded[0])
            if upper is None:
                return pk, [(">=", encoded[0])]
            return pk, [(">=", encoded[0]), ("<", upper)]
        return pk, [(op, encoded[0])]

    @staticmethod
    def _key_part(parser: Parser, table: _Keys) -> tuple[str, str, list[Any]]:
        tokens = parser.tokens
        if tokens.peek()[1] == "(":
            tokens.take()
            part = DynamoDb._key_part(parser, table)
            tokens.expect(")")
            return part
        if tokens.peek() == ("word", "begins_with"):
            tokens.take()
            tokens.expect("(")
            path = parser.path()
            tokens.expect(",")
            value = _value(parser)
            tokens.expect(")")
            return _key_checked(table, path, "begins_with", [value])
        path = parser.path()
        _, op = tokens.take()
        if op == "BETWEEN":
            low = _value(parser)
            tokens.expect("AND")
            high = _value(parser)
            return _key_checked(table, path, "BETWEEN", [low, high])
        if op not in ("=", "<", "<=", ">", ">="):
            raise invalid(f"Invalid operator used in KeyConditionExpression: {op[:20] or '<end>'}")
        return _key_checked(table, path, op, [_value(parser)])

    def scan(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        table = self._table(ctx, params["TableName"])
        index = table.index(str(params["IndexName"])) if params.get("IndexName") else None
        names = _names(params)
        filt = (
            condition(str(params["FilterExpression"]), "FilterExpression", names)
            if params.get("FilterExpression")
            else None
        )
        paths = (
            projection(str(params["ProjectionExpression"]), names)
            if params.get("ProjectionExpression")
            else None
        )
        names.check_all_used()
        if index is not None:
            return self._read_index(ctx, table, index, params, None, True, filt, paths)
        sql = "WHERE account = ? AND region = ? AND tbl = ?"
        args: list[Any] = [ctx.account, ctx.region, table.name]
        start = params.get("ExclusiveStartKey")
        if start:
            sql += " AND (pk, sk) > (?, ?)"
            args.extend(table.check_key(start))
        sql += " ORDER BY pk, sk"
        return self._page(ctx, table, params, sql, args, filt, paths)

    def _page(
        self,
        ctx: Context,
        table: _Table,
        params: Mapping[str, Any],
        where: str,
        args: list[Any],
        filt: Callable[[Mapping[str, Any]], Any] | None,
        paths: list[Any] | None,
    ) -> dict[str, Any]:
        asked = params.get("Limit")
        limit = PAGE_LIMIT if asked is None else max(1, min(int(asked), PAGE_LIMIT))
        rows = ctx.state.query(
            f"SELECT item FROM ddb_items {where} LIMIT ?",
            [*args, limit + 1],
        )
        more = len(rows) > limit
        evaluated = [_from_json(json.loads(r[0])) for r in rows[:limit]]
        kept = [item for item in evaluated if filt is None or filt(item)]
        out: dict[str, Any] = {"Count": len(kept), "ScannedCount": len(evaluated)}
        if params.get("Select") != "COUNT":
            out["Items"] = [project(item, paths) if paths else item for item in kept]
        if more and evaluated:
            out["LastEvaluatedKey"] = table.key_of(evaluated[-1])
        return out

    def _read_index(
        self,
        ctx: Context,
        table: _Table,
        index: _Index,
        params: Mapping[str, Any],
        key: tuple[bytes, list[tuple[str, bytes]]] | None,
        forward: bool,
        filt: Callable[[Mapping[str, Any]], Any] | None,
        paths: list[Any] | None,
    ) -> dict[str, Any]:
        """A Query (``key``: the partition and the sort key's bounds) or a Scan (None) of
        a secondary index. The index is not stored: the table's items are read once (linear in
        the table), those the index holds kept; a query's (one partition's, within the
        bounds) sorted in the index's order (its keys, then the table's: DynamoDB leaves the
        order of equal index keys unspecified), a scan's in the table's order; then paged as a
        read of the table is (``Limit`` before the filter; ``LastEvaluatedKey`` holding the
        table's and the index's keys)."""
        rows = ctx.state.query(
            "SELECT item FROM ddb_items WHERE account = ? AND region = ? AND tbl = ? "
            "ORDER BY pk, sk",
            (ctx.account, ctx.region, table.name),
        )
        entries: list[tuple[tuple[bytes, ...], Item]] = []
        for (text,) in rows:
            item = _from_json(json.loads(text))
            if not index.holds(item):
                continue
            if key is None:  # a scan: in the table's order (as read: no sort)
                entries.append((table.encoded(item), item))
                continue
            ipk, isk = index.encoded(item)
            pk, bounds = key
            if ipk == pk and all(_COMPARE[op](isk, v) for op, v in bounds):
                entries.append(((ipk, isk, *table.encoded(item)), item))
        if key is not None:  # a query: the partition's items in the index's order
            entries.sort(key=lambda e: e[0], reverse=not forward)
        start = params.get("ExclusiveStartKey")
        if start:
            if set(start) != index.keys or not index.holds(start):
                raise invalid(
                    "The provided starting key is invalid: The provided key element does not "
                    "match the schema"
                )
            table.check_key({name: start[name] for name in table.key_names()})
            after = (*(index.encoded(start) if key is not None else ()), *table.encoded(start))
            entries = [e for e in entries if (e[0] > after if forward else e[0] < after)]
        asked = params.get("Limit")
        limit = PAGE_LIMIT if asked is None else max(1, min(int(asked), PAGE_LIMIT))
        select = params.get("Select")
        if select == "ALL_ATTRIBUTES" and not index.local and index.projection != "ALL":
            raise invalid(
                "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                f"supported for global secondary index {index.name} because its projection "
                "type is not ALL"
            )
        # a local index's read of what it does not project fetches the table's item
        fetched = index.local and (select == "ALL_ATTRIBUTES" or paths is not None)
        evaluated = [item if fetched else index.projected(item) for _, item in entries[:limit]]
        kept = [item for item in evaluated if filt is None or filt(item)]
        out: dict[str, Any] = {"Count": len(kept), "ScannedCount": len(evaluated)}
        if params.get("Select") != "COUNT":
            out["Items"] = [project(item, paths) if paths else item for item in kept]
        if len(entries) > limit and evaluated:
            last = evaluated[-1]
            out["LastEvaluatedKey"] = {name: last[name] for name in sorted(index.keys)}
        return out

    # -- batches -----------------------------------------------------------------------------

    def batch_get_item(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        requests = dict(params["RequestItems"])
        total = sum(len(r.get("Keys") or []) for r in requests.values())
        if total > MAX_BATCH_GET:
            raise invalid("Too many items requested for the BatchGetItem call")
        responses: dict[str, list[Item]] = {}
        for name, request in requests.items():
            table = self._table(ctx, name)
            names = _names(request)
            paths = (
                projection(str(request["ProjectionExpression"]), names)
                if request.get("ProjectionExpression")
                else None
            )
            names.check_all_used()
            found = responses.setdefault(name, [])
            seen: set[tuple[bytes, bytes]] = set()
            for key in request.get("Keys") or []:
                encoded = table.check_key(key)
                if encoded in seen:
                    raise invalid("Provided list of item keys contains duplicates")
                seen.add(encoded)
                item = self._get(ctx, table, encoded)
                if item is not None:
                    found.append(project(item, paths) if paths else item)
        return {"Responses": responses, "UnprocessedKeys": {}}

    def batch_write_item(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        requests = dict(params["RequestItems"])
        total = sum(len(r) for r in requests.values())
        if total > MAX_BATCH_WRITE or total == 0:
            raise invalid(
                "1 validation error detected: Value at 'requestItems' failed to satisfy "
                "constraint: Map value must satisfy constraint: [Member must have length less "
                "than or equal to 25, Member must have length greater than or equal to 1]"
            )
        planned: list[tuple[_Table, Item | None, tuple[bytes, bytes]]] = []
        item: Item | None
        for name, writes in requests.items():
            table = self._table(ctx, name)
            seen: set[tuple[bytes, bytes]] = set()
            for write in writes:
                if "PutRequest" in write:
                    item = dict(write["PutRequest"]["Item"])
                    table.check_item(item)
                    key = table.encoded(item)
                    planned.append((table, item, key))
                else:
                    key = table.check_key(write["DeleteRequest"]["Key"])
                    planned.append((table, None, key))
                if key in seen:
                    raise invalid("Provided list of item keys contains duplicates")
                seen.add(key)
        with ctx.state.transaction() as db:
            for table, item, key in planned:
                if item is None:
                    db.execute(
                        "DELETE FROM ddb_items WHERE account = ? AND region = ? AND tbl = ? "
                        "AND pk = ? AND sk = ?",
                        (ctx.account, ctx.region, table.name, *key),
                    )
                else:
                    text = _dump(item)
                    if len(text) > MAX_ITEM_BYTES:
                        raise invalid("Item size has exceeded the maximum allowed size")
                    db.execute(
                        "INSERT OR REPLACE INTO ddb_items VALUES (?, ?, ?, ?, ?, ?)",
                        (ctx.account, ctx.region, table.name, *key, text),
                    )
        return {"UnprocessedItems": {}}


def _value(parser: Parser) -> Any:
    kind, token = parser.tokens.take()
    if kind != "value":
        raise parser.tokens.error(token or "<end>")
    return parser.names.value(token)


def _key_checked(
    table: _Keys, path: Sequence[str | int], op: str, values: list[Any]
) -> tuple[str, str, list[Any]]:
    if len(path) != 1 or not isinstance(path[0], str) or path[0] not in table.types:
        raise invalid(
            "Query condition missed key schema element: "
            + table.hash
            + "; a key condition names key attributes only"
        )
    name = path[0]
    for value in values:
        if kind_of(value) != table.types[name]:
            raise invalid(
                "One or more parameter values were invalid: Condition parameter type does not "
                "match schema type"
            )
    return name, op, values


_COMPARE: Final[dict[str, Callable[[bytes, bytes], bool]]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _successor(prefix: bytes) -> bytes | None:
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


def behaviours() -> dict[str, Behaviour]:
    ddb = DynamoDb()
    return {
        "CreateTable": ddb.create_table,
        "DescribeTable": ddb.describe_table,
        "ListTables": ddb.list_tables,
        "DeleteTable": ddb.delete_table,
        "UpdateTable": ddb.update_table,
        "UpdateTimeToLive": ddb.update_time_to_live,
        "DescribeContinuousBackups": ddb.describe_continuous_backups,
        "UpdateContinuousBackups": ddb.update_continuous_backups,
        "DescribeLimits": ddb.describe_limits,
        "DescribeEndpoints": ddb.describe_endpoints,
        "DescribeTimeToLive": ddb.describe_time_to_live,
        "PutItem": ddb.put_item,
        "GetItem": ddb.get_item,
        "DeleteItem": ddb.delete_item,
        "UpdateItem": ddb.update_item,
        "Query": ddb.query,
        "Scan": ddb.scan,
        "BatchGetItem": ddb.batch_get_item,
        "BatchWriteItem": ddb.batch_write_item,
        "TransactWriteItems": ddb.transact_write_items,
        "TransactGetItems": ddb.transact_get_items,
        "TagResource": ddb.tag_resource,
        "UntagResource": ddb.untag_resource,
        "ListTagsOfResource": ddb.list_tags_of_resource,
    }
