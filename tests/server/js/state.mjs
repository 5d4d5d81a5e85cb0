// The AWS SDK for JavaScript v3 against apigen serve's derived engine: node state.mjs ENDPOINT_URL
// A VPC and instances through their lifecycle, with the SDK's own waiters (waitUntil...).
// Prints one JSON line with what it saw; exits 1 on any surprise.
import {
  EC2Client, CreateVpcCommand, DescribeVpcsCommand, DeleteVpcCommand, RunInstancesCommand,
  TerminateInstancesCommand, DescribeInstancesCommand, CreateTagsCommand,
  waitUntilVpcAvailable, waitUntilInstanceRunning, waitUntilInstanceTerminated,
} from "@aws-sdk/client-ec2";

const endpoint = process.argv[2];
const client = new EC2Client({
  endpoint, region: "eu-central-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIDJAVASCRIPTSTATE", secretAccessKey: "secret" },
});
const fast = { client, minDelay: 1, maxDelay: 1, maxWaitTime: 30 };

const vpc = (await client.send(new CreateVpcCommand({ CidrBlock: "10.7.0.0/16" }))).Vpc;
const vpcAvailable = await waitUntilVpcAvailable(fast, { VpcIds: [vpc.VpcId] });
await client.send(new CreateTagsCommand({
  Resources: [vpc.VpcId], Tags: [{ Key: "team", Value: "js" }],
}));
const tagged = await client.send(new DescribeVpcsCommand({
  Filters: [{ Name: "tag:team", Values: ["js"] }],
}));
const run = await client.send(new RunInstancesCommand({
  ImageId: "ami-12345678", MinCount: 2, MaxCount: 2,
}));
const ids = run.Instances.map((i) => i.InstanceId);
const running = await waitUntilInstanceRunning(fast, { InstanceIds: ids });
await client.send(new TerminateInstancesCommand({ InstanceIds: ids }));
const terminated = await waitUntilInstanceTerminated(fast, { InstanceIds: ids });
const described = await client.send(new DescribeInstancesCommand({ InstanceIds: ids }));
await client.send(new DeleteVpcCommand({ VpcId: vpc.VpcId }));
let error = null;
try {
  await client.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId] }));
} catch (e) {
  error = { code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode };
}
console.log(JSON.stringify({
  vpc: [vpc.VpcId, vpc.State, vpc.CidrBlock],
  vpcAvailable: vpcAvailable.state,
  tagged: tagged.Vpcs.map((v) => v.VpcId),
  instances: run.Instances.map((i) => [i.InstanceId, i.State.Name, i.State.Code]),
  running: running.state,
  terminated: terminated.state,
  states: described.Reservations.flatMap((r) => r.Instances.map((i) => i.State.Name)),
  error,
}));
