// The AWS SDK for JavaScript v3 against apigen serve: node flow.mjs ENDPOINT_URL
// Creates flow logs, describes them with a filter and pagination, deletes them, reads an
// error's code. Prints one JSON line with what it saw; exits 1 on any surprise.
import {
  EC2Client, CreateFlowLogsCommand, DeleteFlowLogsCommand, DescribeFlowLogsCommand,
  paginateDescribeFlowLogs,
} from "@aws-sdk/client-ec2";

const endpoint = process.argv[2];
const client = new EC2Client({
  endpoint, region: "eu-central-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIDJAVASCRIPT", secretAccessKey: "secret" },
});

const resources = Array.from({ length: 7 }, (_, i) => `vpc-js${i}`);
const created = await client.send(new CreateFlowLogsCommand({
  ResourceIds: resources, ResourceType: "VPC", TrafficType: "ALL", LogGroupName: "js-logs",
  MaxAggregationInterval: 60, ClientToken: "js-token",
}));
const filter = [{ Name: "resource-id", Values: resources.slice(0, 5) }];
const pages = [];
for await (const page of paginateDescribeFlowLogs({ client, pageSize: 2 }, { Filter: filter })) {
  pages.push(page.FlowLogs.map((f) => [f.FlowLogId, f.ResourceId, f.MaxAggregationInterval,
    f.CreationTime instanceof Date]));
}
let error = null;
try {
  await client.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "no-such-filter", Values: ["x"] }] }));
} catch (e) {
  error = { name: e.name, code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode };
}
const deleted = await client.send(new DeleteFlowLogsCommand({
  FlowLogIds: [...created.FlowLogIds, "fl-0123456789abcdef0"],
}));
const left = await client.send(new DescribeFlowLogsCommand({}));
console.log(JSON.stringify({
  created: created.FlowLogIds, clientToken: created.ClientToken, pages, error,
  unsuccessful: deleted.Unsuccessful.map((u) => [u.ResourceId, u.Error.Code]),
  left: left.FlowLogs.length,
}));
