// The AWS SDK for JavaScript v3 (@aws-sdk/client-sqs) against apigen serve:
// node sqs.mjs ENDPOINT_URL
// A queue and its messages, in the protocol this SDK speaks (JSON, X-Amz-Target: AmazonSQS.*).
// The SDK checks MD5OfMessageBody (and of the attributes) on every send and receive itself
// (md5Checks, on by default): a wrong digest is an error here.
// Signs with the secret "secret" (SECRET_ACCESS_KEY overrides it).
// Prints one JSON line with what it saw; exits 1 on any surprise.
import {
  SQSClient, CreateQueueCommand, GetQueueUrlCommand, GetQueueAttributesCommand,
  SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageCommand,
  ChangeMessageVisibilityCommand, DeleteQueueCommand,
} from "@aws-sdk/client-sqs";

const client = new SQSClient({
  endpoint: process.argv[2], region: "ap-southeast-2", maxAttempts: 1,
  credentials: {
    accessKeyId: "AKIDJAVASCRIPTSQS", secretAccessKey: process.env.SECRET_ACCESS_KEY ?? "secret",
  },
});
const targets = new Set();
client.middlewareStack.add((next) => async (args) => {
  targets.add(`${args.request.headers["content-type"]} ${args.request.headers["x-amz-target"]}`);
  return next(args);
}, { step: "finalizeRequest", name: "recordProtocol" });

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function errorOf(promise) {
  try {
    await promise;
  } catch (e) {
    return { code: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("no error");
}

try {
  const seen = {};
  const started = Date.now();
  const QueueUrl = (await client.send(new CreateQueueCommand({
    QueueName: "js-jobs", Attributes: { VisibilityTimeout: "30" },
  }))).QueueUrl;
  seen.url = QueueUrl;
  seen.sameUrl = (await client.send(new GetQueueUrlCommand({ QueueName: "js-jobs" }))).QueueUrl;
  seen.attributes = (await client.send(new GetQueueAttributesCommand({
    QueueUrl, AttributeNames: ["QueueArn", "VisibilityTimeout"],
  }))).Attributes;
  const sent = await client.send(new SendMessageCommand({
    QueueUrl, MessageBody: "héllo 👋 from js",
    MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } },
  }));
  seen.sent = [sent.MD5OfMessageBody, sent.MD5OfMessageAttributes];
  const batch = await client.send(new SendMessageBatchCommand({
    QueueUrl,
    Entries: [{ Id: "a", MessageBody: "second" }, { Id: "b", MessageBody: "third" }],
  }));
  seen.batch = [batch.Successful.map((e) => e.Id).sort(), (batch.Failed ?? []).length];
  const first = await client.send(new ReceiveMessageCommand({
    QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], VisibilityTimeout: 1,
  }));
  seen.received = first.Messages.map((m) => m.Body).sort();
  seen.attribute = first.Messages.find((m) => m.Body.startsWith("héllo"))
    .MessageAttributes.kind.StringValue;
  // all three are in flight: none is received until their visibility timeout (1 s) ends
  seen.inFlight = (await client.send(new ReceiveMessageCommand({
    QueueUrl, MaxNumberOfMessages: 10,
  }))).Messages?.length ?? 0;
  const hello = first.Messages.find((m) => m.Body.startsWith("héllo"));
  await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: hello.ReceiptHandle }));
  const second = first.Messages.find((m) => m.Body === "second");
  await client.send(new ChangeMessageVisibilityCommand({
    QueueUrl, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 60,
  }));
  await sleep(1500);
  const again = await client.send(new ReceiveMessageCommand({
    QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"],
    // the older member, which SQS documents for the message system attributes too
    AttributeNames: ["SentTimestamp"],
  }));
  seen.visibleAgain = again.Messages.map((m) => [m.Body, m.Attributes.ApproximateReceiveCount]);
  seen.sentMillis = again.Messages.map((m) => Number(m.Attributes.SentTimestamp) - started);
  await client.send(new DeleteQueueCommand({ QueueUrl }));
  seen.deleted = await errorOf(client.send(new GetQueueUrlCommand({ QueueName: "js-jobs" })));
  seen.missing = await errorOf(client.send(new SendMessageCommand({
    QueueUrl, MessageBody: "to nowhere",
  })));
  seen.protocol = [...targets].sort();
  console.log(JSON.stringify(seen));
} catch (e) {
  console.error(e);
  process.exit(1);
}
