// The AWS SDK for JavaScript v3 (@aws-sdk/client-dynamodb) against apigen serve:
// node dynamodb.mjs ENDPOINT_URL
// A table through its lifecycle with the SDK's own waiters, tagged by its ARN, its items read,
// queried, scanned.
// Signs with the secret "secret" (SECRET_ACCESS_KEY overrides it).
// Prints one JSON line with what it saw; exits 1 on any surprise.
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, PutItemCommand, GetItemCommand,
  QueryCommand, ScanCommand, DeleteItemCommand, DeleteTableCommand, TagResourceCommand,
  UntagResourceCommand, ListTagsOfResourceCommand, TransactWriteItemsCommand, paginateScan,
  waitUntilTableExists, waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";

const client = new DynamoDBClient({
  endpoint: process.argv[2], region: "eu-west-1", maxAttempts: 1,
  credentials: {
    accessKeyId: "AKIDJAVASCRIPTDDB", secretAccessKey: process.env.SECRET_ACCESS_KEY ?? "secret",
  },
});
const fast = { client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 };
const TableName = "js-orders";

async function errorOf(promise) {
  try {
    await promise;
  } catch (e) {
    return { code: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error("no error");
}

try {
  const seen = {};
  const created = await client.send(new CreateTableCommand({
    TableName,
    AttributeDefinitions: [
      { AttributeName: "customer", AttributeType: "S" },
      { AttributeName: "order", AttributeType: "N" },
    ],
    KeySchema: [
      { AttributeName: "customer", KeyType: "HASH" },
      { AttributeName: "order", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
  }));
  seen.created = [created.TableDescription.TableName, created.TableDescription.TableStatus];
  seen.exists = (await waitUntilTableExists(fast, { TableName })).state;
  const table = (await client.send(new DescribeTableCommand({ TableName }))).Table;
  seen.described = table.TableStatus;
  const ResourceArn = table.TableArn;
  await client.send(new TagResourceCommand({
    ResourceArn, Tags: [{ Key: "team", Value: "js" }, { Key: "env", Value: "test" }],
  }));
  await client.send(new UntagResourceCommand({ ResourceArn, TagKeys: ["env"] }));
  seen.tags = (await client.send(new ListTagsOfResourceCommand({ ResourceArn }))).Tags;
  seen.arn = ResourceArn;
  const orders = [["ana", 1, 10], ["ana", 2, 25], ["ana", 3, 40], ["bo", 1, 5]];
  for (const [customer, order, total] of orders) {
    await client.send(new PutItemCommand({
      TableName,
      Item: {
        customer: { S: customer }, order: { N: String(order) }, total: { N: String(total) },
        tags: { SS: ["js", customer] }, blob: { B: Uint8Array.of(0, 255, order) },
      },
    }));
  }
  const got = (await client.send(new GetItemCommand({
    TableName, Key: { customer: { S: "ana" }, order: { N: "2" } }, ConsistentRead: true,
  }))).Item;
  seen.got = {
    total: got.total.N, tags: [...got.tags.SS].sort(), blob: Array.from(got.blob.B),
  };
  seen.absent = (await client.send(new GetItemCommand({
    TableName, Key: { customer: { S: "ana" }, order: { N: "9" } },
  }))).Item ?? null;
  const queried = await client.send(new QueryCommand({
    TableName,
    KeyConditionExpression: "customer = :c AND #o >= :from",
    ExpressionAttributeNames: { "#o": "order" },
    ExpressionAttributeValues: { ":c": { S: "ana" }, ":from": { N: "2" } },
    ScanIndexForward: false,
  }));
  seen.query = [queried.Count, queried.Items.map((i) => Number(i.order.N))];
  const pages = [];
  for await (const page of paginateScan({ client, pageSize: 3 }, { TableName })) {
    pages.push(page.Items.map((i) => `${i.customer.S}#${i.order.N}`));
  }
  seen.scanPages = pages.map((p) => p.length);
  seen.scanned = pages.flat().sort();
  const ana1 = { customer: { S: "ana" }, order: { N: "1" } };
  const transfer = (limit) => new TransactWriteItemsCommand({
    TransactItems: [
      { Put: { TableName, Item: { customer: { S: "cy" }, order: { N: "1" }, total: { N: "7" } } } },
      {
        Update: {
          TableName, Key: ana1, UpdateExpression: "SET #t = #t - :seven",
          ConditionExpression: "#t >= :limit", ExpressionAttributeNames: { "#t": "total" },
          ExpressionAttributeValues: { ":seven": { N: "7" }, ":limit": { N: String(limit) } },
        },
      },
    ],
  });
  try {
    await client.send(transfer(100));
    throw new Error("the transaction was not cancelled");
  } catch (e) {
    if (e.name !== "TransactionCanceledException") throw e;
    seen.cancelled = e.CancellationReasons.map((r) => r.Code);
  }
  await client.send(transfer(7));
  seen.transacted = (await client.send(new GetItemCommand({ TableName, Key: ana1 }))).Item.total.N;
  seen.transactedPut = (await client.send(new DeleteItemCommand({
    TableName, Key: { customer: { S: "cy" }, order: { N: "1" } }, ReturnValues: "ALL_OLD",
  }))).Attributes?.total?.N ?? null;
  const deleted = await client.send(new DeleteItemCommand({
    TableName, Key: { customer: { S: "bo" }, order: { N: "1" } }, ReturnValues: "ALL_OLD",
  }));
  seen.deletedOld = deleted.Attributes.total.N;
  seen.afterDelete = (await client.send(new ScanCommand({ TableName, Select: "COUNT" }))).Count;
  seen.noKey = await errorOf(client.send(new PutItemCommand({
    TableName, Item: { customer: { S: "cy" }, total: { N: "1" } },
  })));
  await client.send(new DeleteTableCommand({ TableName }));
  seen.notExists = (await waitUntilTableNotExists(fast, { TableName })).state;
  seen.missing = await errorOf(client.send(new DescribeTableCommand({ TableName })));
  console.log(JSON.stringify(seen));
} catch (e) {
  console.error(e);
  process.exit(1);
}
