"""DynamoDB's hand-written behaviours (``codegen/server/behaviours/dynamodb.py`` and its
expressions) through real boto3 against the server ``apigen serve`` runs
(``running_server``), DynamoDB imported whole from the installed botocore: the table's life
with boto3's own waiters, items put, read, updated and deleted with conditions, Query and Scan
against a plain model (sort keys ordered as DynamoDB orders numbers, strings and binaries,
every page size, both directions), batches, and DynamoDB's validation errors."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.server.behaviours.dynamodb import encode_key
from codegen.server.runner import StubServer, running_server
from tests.support.server import Client, client_for, error_of, installed_specs

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StubServer]:
    specs = installed_specs(tmp_path_factory.mktemp("specs"), ("dynamodb",))
    with running_server(specs) as running:
        yield running


@pytest.fixture
def ddb(server: StubServer) -> Client:
    server.reset()
    return client_for(server.url, "dynamodb")


def make_table(ddb: Client, name: str = "things", sort_type: str | None = "S") -> None:
    schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    if sort_type:
        schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
        definitions.append({"AttributeName": "sk", "AttributeType": sort_type})
    ddb.create_table(
        TableName=name,
        KeySchema=schema,
        AttributeDefinitions=definitions,
        BillingMode="PAY_PER_REQUEST",
    )


def test_table_lifecycle_with_waiters(ddb: Client) -> None:
    make_table(ddb)
    created = ddb.describe_table(TableName="things")["Table"]
    assert created["TableStatus"] == "CREATING"  # settle-after 1: one read sees it creating
    ddb.get_waiter("table_exists").wait(TableName="things", WaiterConfig={"Delay": 0})
    table = ddb.describe_table(TableName="things")["Table"]
    assert table["TableStatus"] == "ACTIVE" and table["TableArn"].endswith(":table/things")
    assert ddb.list_tables()["TableNames"] == ["things"]
    with pytest.raises(ddb.exceptions.ResourceInUseException):
        make_table(ddb)
    with pytest.raises(ClientError) as raised:
        ddb.create_table(TableName="bare", BillingMode="PAY_PER_REQUEST")  # no key schema
    assert error_of(raised)[:2] == ("ValidationException", 400)
    ddb.delete_table(TableName="things")
    ddb.get_waiter("table_not_exists").wait(TableName="things", WaiterConfig={"Delay": 0})
    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.get_item(TableName="things", Key={"pk": {"S": "a"}, "sk": {"S": "b"}})


def test_table_tags_by_arn(server: StubServer, ddb: Client) -> None:
    """Tags of a table by its ARN (the JavaScript SDK's TagResource found the table unknown)."""
    ddb.create_table(
        TableName="tagged",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "team", "Value": "a"}],
    )
    arn = ddb.describe_table(TableName="tagged")["Table"]["TableArn"]
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    ddb.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "test"}]
    )
    ddb.untag_resource(ResourceArn=arn, TagKeys=["env", "absent"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "b"}]
    assert "apigen:tags" not in ddb.describe_table(TableName="tagged")["Table"]
    other = client_for(server.url, "dynamodb", key="AKIDBOB")  # another account
    for client, name in ((ddb, arn.replace(":table/tagged", ":table/untagged")), (other, arn)):
        with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
            client.list_tags_of_resource(ResourceArn=name)
        assert (
            error_of(raised)[2] == f"Requested resource not found: ResourceArn: {name} not found"
        )
    with pytest.raises(ClientError) as raised:
        ddb.tag_resource(ResourceArn="arn:aws:s3:::bucket", Tags=[{"Key": "k", "Value": "v"}])
    assert error_of(raised)[:2] == ("ValidationException", 400)
    ddb.delete_table(TableName="tagged")
    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.list_tags_of_resource(ResourceArn=arn)


def test_transactions_write_all_or_nothing(ddb: Client) -> None:
    make_table(ddb)
    ddb.put_item(TableName="things", Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "n": {"N": "5"}})
    ddb.put_item(TableName="things", Item={"pk": {"S": "a"}, "sk": {"S": "2"}})
    key1 = {"pk": {"S": "a"}, "sk": {"S": "1"}}
    key2 = {"pk": {"S": "a"}, "sk": {"S": "2"}}
    key3 = {"pk": {"S": "b"}, "sk": {"S": "3"}}
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as raised:
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "things", "Item": {**key3, "v": {"S": "new"}}}},
                {"Delete": {"TableName": "things", "Key": key2}},
                {
                    "ConditionCheck": {
                        "TableName": "things",
                        "Key": key1,
                        "ConditionExpression": "n > :min",
                        "ExpressionAttributeValues": {":min": {"N": "9"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        )
    reasons = raised.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "None", "ConditionalCheckFailed"]
    assert reasons[2]["Item"] == {**key1, "n": {"N": "5"}}
    assert "[None, None, ConditionalCheckFailed]" in error_of(raised)[2]
    # nothing was written
    assert "Item" not in ddb.get_item(TableName="things", Key=key3)
    assert "Item" in ddb.get_item(TableName="things", Key=key2)
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "things", "Item": {**key3, "v": {"S": "new"}}}},
            {"Delete": {"TableName": "things", "Key": key2}},
            {
                "Update": {
                    "TableName": "things",
                    "Key": key1,
                    "UpdateExpression": "SET n = n + :one",
                    "ConditionExpression": "n < :max",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":max": {"N": "9"}},
                }
            },
        ]
    )
    got = ddb.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": "things", "Key": key1}},
            {"Get": {"TableName": "things", "Key": key2}},
            {"Get": {"TableName": "things", "Key": key3, "ProjectionExpression": "v"}},
        ]
    )["Responses"]
    assert got == [{"Item": {**key1, "n": {"N": "6"}}}, {}, {"Item": {"v": {"S": "new"}}}]
    with pytest.raises(ClientError) as raised:
        ddb.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": "things", "Key": key1}},
                {"Put": {"TableName": "things", "Item": {**key1}}},
            ]
        )
    assert error_of(raised) == (
        "ValidationException",
        400,
        "Transaction request cannot include multiple operations on one item",
    )
    with pytest.raises(ClientError) as raised:  # a bad expression is not a failed condition
        ddb.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": "things",
                        "Key": key1,
                        "ConditionExpression": "n >",
                    }
                }
            ]
        )
    assert error_of(raised)[:2] == ("ValidationException", 400)
    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.transact_get_items(TransactItems=[{"Get": {"TableName": "none", "Key": key1}}])


def test_items_and_conditions(ddb: Client) -> None:
    make_table(ddb)
    key = {"pk": {"S": "user#1"}, "sk": {"S": "profile"}}
    item = {
        **key,
        "name": {"S": "Ada"},
        "age": {"N": "36"},
        "blob": {"B": b"\x00\x01"},
        "tags": {"SS": ["a", "b"]},
        "address": {"M": {"city": {"S": "London"}, "zip": {"NULL": True}}},
        "list": {"L": [{"N": "1"}, {"BOOL": True}]},
    }
    ddb.put_item(TableName="things", Item=item)
    assert ddb.get_item(TableName="things", Key=key)["Item"] == item
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.put_item(TableName="things", Item=item, ConditionExpression="attribute_not_exists(pk)")
    ddb.put_item(
        TableName="things",
        Item={"pk": {"S": "user#2"}, "sk": {"S": "profile"}},
        ConditionExpression="attribute_not_exists(pk)",
    )
    got = ddb.get_item(
        TableName="things",
        Key=key,
        ProjectionExpression="#n, address.city",
        ExpressionAttributeNames={"#n": "name"},
    )
    assert got["Item"] == {"name": {"S": "Ada"}, "address": {"M": {"city": {"S": "London"}}}}
    updated = ddb.update_item(
        TableName="things",
        Key=key,
        UpdateExpression="SET age = age + :one, visits = if_not_exists(visits, :zero) "
        "REMOVE blob ADD tags :more",
        ConditionExpression="age >= :min AND attribute_exists(#n)",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={
            ":one": {"N": "1"},
            ":zero": {"N": "0"},
            ":min": {"N": "18"},
            ":more": {"SS": ["c"]},
        },
        ReturnValues="ALL_NEW",
    )["Attributes"]
    assert updated["age"] == {"N": "37"} and updated["visits"] == {"N": "0"}
    assert "blob" not in updated and sorted(updated["tags"]["SS"]) == ["a", "b", "c"]
    with pytest.raises(ClientError) as raised:
        ddb.update_item(
            TableName="things",
            Key=key,
            UpdateExpression="SET pk = :v",
            ExpressionAttributeValues={":v": {"S": "x"}},
        )
    assert (
        error_of(raised)[0] == "ValidationException" and "part of the key" in error_of(raised)[2]
    )
    old = ddb.delete_item(TableName="things", Key=key, ReturnValues="ALL_OLD")["Attributes"]
    assert old["age"] == {"N": "37"}
    assert "Item" not in ddb.get_item(TableName="things", Key=key)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"sk": {"S": "x"}},
            "One or more parameter values were invalid: Missing the key pk in the item",
        ),
        (
            {"pk": {"S": "x"}},
            "One or more parameter values were invalid: Missing the key sk in the item",
        ),
        (
            {"pk": {"N": "1"}, "sk": {"S": "x"}},
            "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
        ),
        (
            {"pk": {"S": ""}, "sk": {"S": "x"}},
            (
                "One or more parameter values are not valid. The AttributeValue for a key "
                "attribute cannot contain an empty string value. Key: pk"
            ),
        ),
    ],
)
def test_validation_errors_for_keys(ddb: Client, item: dict[str, Any], message: str) -> None:
    make_table(ddb)
    with pytest.raises(ClientError) as raised:
        ddb.put_item(TableName="things", Item=item)
    assert error_of(raised) == ("ValidationException", 400, message)


def test_expression_errors(ddb: Client) -> None:
    make_table(ddb)
    key = {"pk": {"S": "a"}, "sk": {"S": "b"}}
    for kwargs, words in (
        ({"Key": {"pk": {"S": "a"}}}, "does not match the schema"),
        ({"Key": key, "ProjectionExpression": "#x"}, "attribute name"),
        (
            {
                "Key": key,
                "ProjectionExpression": "a",
                "ExpressionAttributeNames": {"#unused": "b"},
            },
            "unused",
        ),
        ({"Key": key, "ProjectionExpression": "a,, b"}, "Syntax error"),
    ):
        with pytest.raises(ClientError) as raised:
            ddb.get_item(TableName="things", **kwargs)
        code, status, message = error_of(raised)
        assert (code, status) == ("ValidationException", 400) and words in message, message


@pytest.mark.parametrize(
    "expression",
    [
        "NOT " * 1000 + "a = :v",
        "(" * 1500 + "a = :v" + ")" * 1500,
        "a = :v AND " * 300 + "a = :v",
        "a" * 5000,
        "a = :v \x00 )",
        "size(",
        "attribute_exists(a, :v, :v)",
        "a BETWEEN :v",
        "a IN ()",
    ],
    ids=["nots", "parentheses", "ands", "too long", "control", "open", "arity", "between", "in"],
)
def test_hostile_expressions_are_400s(ddb: Client, expression: str) -> None:
    make_table(ddb)
    with pytest.raises(ClientError) as raised:
        ddb.put_item(
            TableName="things",
            Item={"pk": {"S": "a"}, "sk": {"S": "b"}},
            ConditionExpression=expression,
            ExpressionAttributeValues={":v": {"S": "x"}},
        )
    code, status, message = error_of(raised)
    # a long but well-formed condition is evaluated (false here); the rest are refused
    expected = "ConditionalCheckFailedException" if "AND" in expression else "ValidationException"
    assert (code, status) == (expected, 400), message
    assert ddb.scan(TableName="things")["Count"] == 0


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e126", "overflow"),
        ("1e-131", "underflow"),
        ("1" * 39, "38 significant digits"),
        ("Infinity", "numeric value"),
        ("NaN", "numeric value"),
        ("1" * 200, "numeric value"),
    ],
)
def test_numbers_beyond_dynamodbs_limits(ddb: Client, value: str, words: str) -> None:
    make_table(ddb, sort_type="N")
    with pytest.raises(ClientError) as raised:
        ddb.put_item(TableName="things", Item={"pk": {"S": "a"}, "sk": {"N": value}})
    code, status, message = error_of(raised)
    assert (code, status) == ("ValidationException", 400) and words in message, message


def test_batches(ddb: Client) -> None:
    make_table(ddb)
    items = [{"pk": {"S": "p"}, "sk": {"S": f"{i:02}"}, "v": {"N": str(i)}} for i in range(25)]
    ddb.batch_write_item(RequestItems={"things": [{"PutRequest": {"Item": i}} for i in items]})
    keys = [{"pk": i["pk"], "sk": i["sk"]} for i in items[:5]]
    got = ddb.batch_get_item(RequestItems={"things": {"Keys": keys}})["Responses"]["things"]
    assert sorted(g["sk"]["S"] for g in got) == ["00", "01", "02", "03", "04"]
    ddb.batch_write_item(RequestItems={"things": [{"DeleteRequest": {"Key": k}} for k in keys]})
    assert ddb.scan(TableName="things")["Count"] == 20
    with pytest.raises(ClientError) as raised:
        ddb.batch_write_item(
            RequestItems={"things": [{"PutRequest": {"Item": i}} for i in items + items[:1]]}
        )
    assert error_of(raised)[:2] == ("ValidationException", 400)


# -- Query and Scan against a model ------------------------------------------------------------

# Numbers that share exponents and prefixes of digits (where an encoding that is not
# order-preserving goes wrong), and any others.
NUMBERS = st.one_of(
    st.sampled_from(
        [
            Decimal(t)
            for t in [
                "-1000",
                "-125",
                "-12.5",
                "-12",
                "-1.25",
                "-1",
                "-0.5",
                "-0.05",
                "0",
                "0.05",
                "0.5",
                "1",
                "1.25",
                "12",
                "12.5",
                "125",
            ]
        ]
    ),
    st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=3, allow_nan=False),
)
STRINGS = st.text(alphabet=st.sampled_from("aAzé😀0 _"), min_size=1, max_size=5)
BINARIES = st.binary(min_size=1, max_size=4)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.decimals(  # at most 38 significant digits, as DynamoDB's numbers
            allow_nan=False, allow_infinity=False, min_value=-(10**25), max_value=10**25, places=12
        ),
        min_size=2,
        max_size=8,
    )
)
def test_sort_key_bytes_order_numbers_numerically(numbers: list[Decimal]) -> None:
    """The stored form of a number sort key sorts as the numbers do (what Query's ranges read)."""
    by_bytes = sorted(numbers, key=lambda n: encode_key({"N": str(n)}))
    assert [n for n in by_bytes] == sorted(numbers, key=lambda n: (n, encode_key({"N": str(n)})))
    assert all(
        (encode_key({"N": str(a)}) == encode_key({"N": str(b)})) == (a == b)
        for a in numbers
        for b in numbers
    )


def typed(kind: str, value: Any) -> dict[str, Any]:
    return {kind: format(value.normalize(), "f") if kind == "N" else value}


def order(kind: str, value: Any) -> Any:
    return value if kind != "S" else value.encode("utf-8")


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "20")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), kind=st.sampled_from(["N", "S", "B"]), page=st.integers(1, 4))
def test_query_matches_a_model(
    server: StubServer, data: st.DataObject, kind: str, page: int
) -> None:
    """A Query of the table, or of a global secondary index keyed as the table is (``g``,
    ``gs``: the same reads through ``IndexName``, items without ``g`` left out of it), returns
    what a model of DynamoDB's order returns, page by page."""
    server.reset()
    ddb = client_for(server.url, "dynamodb")
    indexed = data.draw(st.booleans(), label="through a global secondary index")
    if indexed:
        ddb.create_table(
            TableName="things",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"},
                {"AttributeName": "gs", "AttributeType": kind},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by-g",
                    "KeySchema": [
                        {"AttributeName": "g", "KeyType": "HASH"},
                        {"AttributeName": "gs", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
    else:
        make_table(ddb, sort_type=kind)
    pk, sk = ("g", "gs") if indexed else ("pk", "sk")

    def put(partition: str | None, value: Any, n: int) -> None:
        item = {sk: typed(kind, value)}
        if partition is not None:
            item[pk] = {"S": partition}
        if indexed:
            item["id"] = {"S": f"item-{n}"}
        ddb.put_item(TableName="things", Item=item)

    values = {"N": NUMBERS, "S": STRINGS, "B": BINARIES}[kind]
    sorts = data.draw(st.lists(values, max_size=10, unique_by=lambda v: order(kind, v)))
    for n, value in enumerate(sorts):
        put("p", value, n)
    put("other", data.draw(values), 100)
    if indexed:
        put(None, data.draw(values), 101)  # not in the index: it has no g
    op = data.draw(st.sampled_from(["all", "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"]))
    if op == "begins_with" and kind == "N":
        op = ">"
    bound: Any = data.draw(values)
    high: Any = data.draw(values)
    if op == "BETWEEN" and order(kind, high) < order(kind, bound):
        bound, high = high, bound
    if op == "begins_with":
        bound = bound[:1]
    forward = data.draw(st.booleans())
    expression = f"{pk} = :p"
    names: dict[str, Any] = {":p": {"S": "p"}}
    if op == "BETWEEN":
        expression += f" AND {sk} BETWEEN :a AND :b"
        names.update({":a": typed(kind, bound), ":b": typed(kind, high)})
    elif op == "begins_with":
        expression += f" AND begins_with({sk}, :a)"
        names[":a"] = typed(kind, bound)
    elif op != "all":
        expression += f" AND {sk} {op} :a"
        names[":a"] = typed(kind, bound)
    tests: dict[str, Callable[[Any], bool]] = {
        "all": lambda v: True,
        "=": lambda v: order(kind, v) == order(kind, bound),
        "<": lambda v: order(kind, v) < order(kind, bound),
        "<=": lambda v: order(kind, v) <= order(kind, bound),
        ">": lambda v: order(kind, v) > order(kind, bound),
        ">=": lambda v: order(kind, v) >= order(kind, bound),
        "BETWEEN": lambda v: order(kind, bound) <= order(kind, v) <= order(kind, high),
        "begins_with": lambda v: order(kind, v).startswith(order(kind, bound)),
    }
    expected = sorted(
        (v for v in sorts if tests[op](v)), key=lambda v: order(kind, v), reverse=not forward
    )
    got: list[Any] = []
    kwargs: dict[str, Any] = {
        "TableName": "things",
        "KeyConditionExpression": expression,
        "ExpressionAttributeValues": names,
        "Limit": page,
        "ScanIndexForward": forward,
        **({"IndexName": "by-g"} if indexed else {}),
    }
    for _ in range(50):
        result = ddb.query(**kwargs)
        assert result["Count"] <= page
        got += [i[sk] for i in result["Items"]]
        if "LastEvaluatedKey" not in result:
            break
        kwargs["ExclusiveStartKey"] = result["LastEvaluatedKey"]
    assert got == [typed(kind, v) for v in expected]


def test_scan_pages_and_filters(ddb: Client) -> None:
    make_table(ddb, sort_type=None)
    for i in range(23):
        ddb.put_item(TableName="things", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    paginator = ddb.get_paginator("scan")
    pages = list(
        paginator.paginate(
            TableName="things",
            FilterExpression="n >= :ten",
            ExpressionAttributeValues={":ten": {"N": "10"}},
            PaginationConfig={"PageSize": 5},
        )
    )
    assert len(pages) == 5 and sum(p["ScannedCount"] for p in pages) == 23
    found = sorted(int(i["n"]["N"]) for p in pages for i in p["Items"])
    assert found == list(range(10, 23))


def make_indexed(ddb: Client) -> None:
    ddb.create_table(
        TableName="orders",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "status", "AttributeType": "S"},
            {"AttributeName": "created", "AttributeType": "N"},
            {"AttributeName": "total", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byStatus",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "created", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "byTotal",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "total", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )


# Orders: (pk, sk, status or None, created or None, total). Numbers of both signs and
# scales, so that an order of their text (or of floats) would differ from DynamoDB's.
ORDERS = [
    (
        f"c{i % 3}",
        i,
        [None, "open", "shipped", "open"][i % 4],
        [None, -5, 0.5, 12, 100][i % 5],
        [3, -1, 250, 7.25, 40, 1000][i % 6],
    )
    for i in range(40)
]


def _put_orders(ddb: Client) -> None:
    for pk, sk, status, created, total in ORDERS:
        item: dict[str, Any] = {
            "pk": {"S": pk},
            "sk": {"N": str(sk)},
            "total": {"N": str(total)},
            "note": {"S": f"order {sk}"},
        }
        if status is not None:
            item["status"] = {"S": status}
        if created is not None:
            item["created"] = {"N": str(created)}
        ddb.put_item(TableName="orders", Item=item)


def _all_pages(ddb: Client, method: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    start = None
    for _ in range(100):
        page = getattr(ddb, method)(**params, **({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if start is None:
            return items
    raise AssertionError("no last page")


def test_secondary_indexes(ddb: Client) -> None:
    """DynamoDB Developer Guide, "Improving data access with secondary indexes": a Query or
    Scan names the index with ``IndexName``; the key condition is on the index's partition key
    (``=``) and sort key; results come in the index's sort key order (``ScanIndexForward``
    reverses); an item is in the index only when it has the index's key attributes (sparse
    indexes); an index holds the table's keys, its own keys and what its ``Projection`` names
    (``KEYS_ONLY``, ``INCLUDE`` ``NonKeyAttributes``, ``ALL``); ``LastEvaluatedKey`` of an
    index read holds the table's and the index's keys; a local index's query with ``Select``
    ``ALL_ATTRIBUTES`` fetches the attributes it does not project from the table, a global
    index's is a ``ValidationException`` unless it projects all (the API reference of
    ``Query``, ``Select``). ``DescribeTable`` lists the indexes
    (``IndexArn`` ``TABLE_ARN/index/NAME``; a global one's ``IndexStatus``). An unknown index
    is a ``ValidationException`` "The table does not have the specified index"; an item whose
    index key attribute has another type than its definition is refused
    (``ValidationException``: "Type mismatch for Index Key")."""
    make_indexed(ddb)
    table = ddb.describe_table(TableName="orders")["Table"]
    by_name = {i["IndexName"]: i for i in table["GlobalSecondaryIndexes"]}
    by_name.update({i["IndexName"]: i for i in table["LocalSecondaryIndexes"]})
    assert set(by_name) == {"byStatus", "byTotal"}
    assert by_name["byStatus"]["IndexArn"] == table["TableArn"] + "/index/byStatus"
    assert by_name["byStatus"]["IndexStatus"] in ("CREATING", "ACTIVE")
    assert by_name["byTotal"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert by_name["byStatus"]["KeySchema"][0] == {"AttributeName": "status", "KeyType": "HASH"}
    _put_orders(ddb)

    # the global index: one status, a range of created, in created's order (numerically)
    expected = sorted(
        (Decimal(str(c)), sk)
        for pk, sk, status, c, _ in ORDERS
        if status == "open" and c is not None and Decimal(str(c)) >= 0
    )
    for forward in (True, False):
        for limit in (None, 1, 3):
            got = _all_pages(
                ddb,
                "query",
                TableName="orders",
                IndexName="byStatus",
                KeyConditionExpression="#s = :s AND created >= :zero",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":s": {"S": "open"}, ":zero": {"N": "0"}},
                ScanIndexForward=forward,
                **({"Limit": limit} if limit else {}),
            )
            created = [(Decimal(i["created"]["N"]), int(i["sk"]["N"])) for i in got]
            # equal index keys come in an unspecified order: compare the index keys' order
            # and the items as a set
            wanted = expected if forward else expected[::-1]
            assert [c for c, _ in created] == [c for c, _ in wanted], (forward, limit)
            assert sorted(created) == sorted(wanted)
            # INCLUDE total: the table's keys, the index's keys and total; not the note
            assert all(set(i) == {"pk", "sk", "status", "created", "total"} for i in got)
    # the local index: one partition in total's order, the keys only
    got = ddb.query(
        TableName="orders",
        IndexName="byTotal",
        KeyConditionExpression="pk = :p AND total BETWEEN :lo AND :hi",
        ExpressionAttributeValues={":p": {"S": "c1"}, ":lo": {"N": "-1"}, ":hi": {"N": "250"}},
    )["Items"]
    wanted_totals = sorted(
        Decimal(str(t)) for pk, _, _, _, t in ORDERS if pk == "c1" and -1 <= t <= 250
    )
    assert [Decimal(i["total"]["N"]) for i in got] == wanted_totals
    assert all(set(i) == {"pk", "sk", "total"} for i in got)
    # a local index fetches what it does not project when asked for all attributes; a global
    # index that does not project all cannot give them
    fetched = ddb.query(
        TableName="orders",
        IndexName="byTotal",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "c1"}},
        Select="ALL_ATTRIBUTES",
    )["Items"]
    assert fetched and all("note" in i for i in fetched)
    with pytest.raises(ClientError) as raised:
        ddb.query(
            TableName="orders",
            IndexName="byStatus",
            KeyConditionExpression="#s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "open"}},
            Select="ALL_ATTRIBUTES",
        )
    assert error_of(raised)[0] == "ValidationException"
    assert "projection type is not ALL" in error_of(raised)[2]
    # a scan of the global index: the items that have both of its keys, and only those
    scanned = _all_pages(ddb, "scan", TableName="orders", IndexName="byStatus", Limit=7)
    assert sorted(int(i["sk"]["N"]) for i in scanned) == sorted(
        sk for _, sk, status, created, _ in ORDERS if status is not None and created is not None
    )
    counted = ddb.scan(TableName="orders", IndexName="byStatus", Select="COUNT")
    assert counted["Count"] == len(scanned) and "Items" not in counted
    filtered = ddb.query(
        TableName="orders",
        IndexName="byStatus",
        KeyConditionExpression="#s = :s",
        FilterExpression="total > :t",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "shipped"}, ":t": {"N": "100"}},
    )
    assert all(Decimal(i["total"]["N"]) > 100 for i in filtered["Items"])
    assert filtered["ScannedCount"] == sum(
        1 for _, _, status, created, _ in ORDERS if status == "shipped" and created is not None
    )

    # what DynamoDB refuses
    for method, extra in (
        (
            "query",
            {
                "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": "c1"}},
            },
        ),
        ("scan", {}),
    ):
        with pytest.raises(ClientError) as raised:
            getattr(ddb, method)(TableName="orders", IndexName="nope", **extra)
        assert error_of(raised) == (
            "ValidationException",
            400,
            "The table does not have the specified index: nope",
        )
    with pytest.raises(ClientError) as raised:  # the table's sort key is no key of the index
        ddb.query(
            TableName="orders",
            IndexName="byStatus",
            KeyConditionExpression="#s = :s AND sk = :k",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "open"}, ":k": {"N": "1"}},
        )
    assert error_of(raised)[:2] == ("ValidationException", 400)
    bad = {"pk": {"S": "x"}, "sk": {"N": "1"}, "status": {"N": "1"}}
    with pytest.raises(ClientError) as raised:
        ddb.put_item(TableName="orders", Item=bad)
    assert error_of(raised)[0] == "ValidationException"
    assert "Type mismatch for Index Key status" in error_of(raised)[2]
    with pytest.raises(ClientError) as raised:
        ddb.update_item(
            TableName="orders",
            Key={"pk": {"S": "c0"}, "sk": {"N": "0"}},
            UpdateExpression="SET created = :c",
            ExpressionAttributeValues={":c": {"S": "yesterday"}},
        )
    assert "Type mismatch for Index Key created" in error_of(raised)[2]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (  # a local index on a table without a sort key
            {
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "GlobalSecondaryIndexes": None,
            },
            "Table KeySchema does not have a range key",
        ),
        (  # an index key not defined
            {
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                    {"AttributeName": "total", "AttributeType": "N"},
                ]
            },
            "Some index key attributes are not defined in AttributeDefinitions",
        ),
        (  # more local indexes than DynamoDB's quota of 5 per table
            {
                "LocalSecondaryIndexes": [
                    {
                        "IndexName": f"local-{i}",
                        "KeySchema": [
                            {"AttributeName": "pk", "KeyType": "HASH"},
                            {"AttributeName": "total", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                    }
                    for i in range(6)
                ]
            },
            "exceeds per-table limit of 5",
        ),
        (  # an attribute defined that no key uses (the indexes dropped)
            {"GlobalSecondaryIndexes": None, "LocalSecondaryIndexes": None},
            (
                "Some AttributeDefinitions are not used. AttributeDefinitions: [created, pk, "
                "sk, status, total], keys used: [pk, sk]"
            ),
        ),
    ],
)
def test_indexes_create_table_checks(ddb: Client, change: dict[str, Any], words: str) -> None:
    """DynamoDB's CreateTable checks: at most 5 local secondary indexes per table (the
    developer guide's quotas); a LocalSecondaryIndex needs the table's sort key; every
    index key attribute is defined in AttributeDefinitions, and every attribute defined there
    is a key of the table or of an index."""
    captured: dict[str, Any] = {}

    class Capture:
        def create_table(self, **params: Any) -> None:
            captured.update(params)

    make_indexed(Capture())
    params = {**captured, **change}
    params = {k: v for k, v in params.items() if v is not None}
    with pytest.raises(ClientError) as raised:
        ddb.create_table(**params)
    assert error_of(raised)[:2] == ("ValidationException", 400) and words in error_of(raised)[2]


def test_update_table_and_time_to_live(ddb: Client) -> None:
    """UpdateTable changes what it names, and a global index it creates is read as
    CreateTable's are; time to live is kept. Expectations from DynamoDB's API reference."""
    make_table(ddb)
    with pytest.raises(ClientError) as raised:  # still CREATING: DynamoDB refuses changes
        ddb.update_table(TableName="things", DeletionProtectionEnabled=True)
    assert error_of(raised)[:2] == ("ResourceInUseException", 400)
    ddb.get_waiter("table_exists").wait(TableName="things", WaiterConfig={"Delay": 0})
    for i in range(4):
        item = {"pk": {"S": f"p{i}"}, "sk": {"S": "s"}}
        if i % 2:
            item["colour"] = {"S": f"c{i}"}  # sparse: only odd items are in the index
        ddb.put_item(TableName="things", Item=item)

    answer = ddb.update_table(
        TableName="things",
        AttributeDefinitions=[{"AttributeName": "colour", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "by-colour",
                    "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            }
        ],
    )["TableDescription"]
    assert answer["TableStatus"] == "UPDATING"
    [index] = answer["GlobalSecondaryIndexes"]
    assert (index["IndexName"], index["IndexStatus"]) == ("by-colour", "CREATING")
    table = ddb.describe_table(TableName="things")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert {d["AttributeName"] for d in table["AttributeDefinitions"]} == {"pk", "sk", "colour"}
    found = ddb.query(
        TableName="things",
        IndexName="by-colour",
        KeyConditionExpression="colour = :c",
        ExpressionAttributeValues={":c": {"S": "c3"}},
    )["Items"]
    assert found == [{"pk": {"S": "p3"}, "sk": {"S": "s"}, "colour": {"S": "c3"}}]

    with pytest.raises(ClientError) as raised:  # one index created or deleted a call
        ddb.update_table(
            TableName="things",
            GlobalSecondaryIndexUpdates=[
                {"Delete": {"IndexName": "by-colour"}},
                {
                    "Create": {
                        "IndexName": "other",
                        "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                },
            ],
        )
    assert error_of(raised)[:2] == ("LimitExceededException", 400)
    ddb.update_table(
        TableName="things", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-colour"}}]
    )
    table = ddb.describe_table(TableName="things")["Table"]
    assert "GlobalSecondaryIndexes" not in table
    assert {d["AttributeName"] for d in table["AttributeDefinitions"]} == {"pk", "sk"}
    with pytest.raises(ClientError) as raised:
        ddb.query(
            TableName="things",
            IndexName="by-colour",
            KeyConditionExpression="colour = :c",
            ExpressionAttributeValues={":c": {"S": "c3"}},
        )
    assert error_of(raised)[:2] == ("ValidationException", 400)

    with pytest.raises(ClientError) as raised:  # on demand: no throughput
        ddb.update_table(
            TableName="things",
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        )
    assert error_of(raised)[:2] == ("ValidationException", 400)
    ddb.update_table(
        TableName="things",
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
        DeletionProtectionEnabled=True,
    )
    table = ddb.describe_table(TableName="things")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    with pytest.raises(ClientError) as raised:
        ddb.delete_table(TableName="things")  # protected now
    assert error_of(raised)[:2] == ("ValidationException", 400)

    assert ddb.describe_time_to_live(TableName="things")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"
    }
    spec = {"Enabled": True, "AttributeName": "expires"}
    assert (
        ddb.update_time_to_live(TableName="things", TimeToLiveSpecification=spec)[
            "TimeToLiveSpecification"
        ]
        == spec
    )
    assert ddb.describe_time_to_live(TableName="things")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires",
    }
    with pytest.raises(ClientError) as raised:
        ddb.update_time_to_live(TableName="things", TimeToLiveSpecification=spec)
    assert error_of(raised) == ("ValidationException", 400, "TimeToLive is already enabled")
    assert "apigen" not in str(ddb.describe_table(TableName="things")["Table"])
    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.describe_time_to_live(TableName="nowhere")


def test_point_in_time_recovery_limits_and_endpoints(ddb: Client) -> None:
    make_table(ddb)
    backups = ddb.describe_continuous_backups(TableName="things")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    updated = ddb.update_continuous_backups(
        TableName="things",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert (updated["PointInTimeRecoveryStatus"], updated["RecoveryPeriodInDays"]) == (
        "ENABLED",
        35,  # the documented default
    )
    assert updated["EarliestRestorableDateTime"] <= updated["LatestRestorableDateTime"]
    read = ddb.describe_continuous_backups(TableName="things")["ContinuousBackupsDescription"]
    assert read["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    with pytest.raises(ClientError) as raised:
        ddb.update_continuous_backups(
            TableName="things",
            PointInTimeRecoverySpecification={
                "PointInTimeRecoveryEnabled": False,
                "RecoveryPeriodInDays": 7,
            },
        )
    assert error_of(raised)[:2] == ("ValidationException", 400)
    assert "apigen" not in str(ddb.describe_table(TableName="things")["Table"])
    limits = ddb.describe_limits()
    assert limits["TableMaxReadCapacityUnits"] <= limits["AccountMaxReadCapacityUnits"]
    assert ddb.describe_endpoints()["Endpoints"][0]["Address"].startswith("dynamodb.")
