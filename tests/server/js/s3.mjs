// The AWS SDK for JavaScript v3 (@aws-sdk/client-s3) against apigen serve: node s3.mjs ENDPOINT_URL
// One bucket path-style (forcePathStyle) and one virtual-host style (the bucket in the Host,
// BUCKET.localhost:PORT, resolved to the server's address by the agent's own lookup: the
// machine's resolver need not know *.localhost). The SDK's defaults are kept: it sends a
// flexible checksum (CRC32) with every upload, in a header for a body of known bytes, in the
// trailer of an aws-chunked body (Transfer-Encoding: chunked) for a stream.
// Signs with the secret "secret" (SECRET_ACCESS_KEY overrides it).
// Prints one JSON line with what it saw; exits 1 on any surprise.
import http from "node:http";
import { Readable } from "node:stream";
import {
  S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand, GetObjectCommand,
  ListObjectsV2Command, DeleteObjectCommand, DeleteBucketCommand, paginateListObjectsV2,
  waitUntilBucketExists, waitUntilObjectExists, waitUntilObjectNotExists,
} from "@aws-sdk/client-s3";

const endpoint = new URL(process.argv[2]);
const credentials = {
  accessKeyId: "AKIDJAVASCRIPTS3", secretAccessKey: process.env.SECRET_ACCESS_KEY ?? "secret",
};
const fast = (client) => ({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 });

async function errorOf(promise) {
  try {
    await promise;
  } catch (e) {
    return { code: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("no error");
}

async function lifecycle(client, bucket) {
  const seen = {};
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  seen.bucketExists = (await waitUntilBucketExists(fast(client), { Bucket: bucket })).state;
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
  const put = async (params) => {
    const out = await client.send(new PutObjectCommand({ Bucket: bucket, ...params }));
    return [out.ETag, out.ChecksumCRC32];
  };
  seen.putText = await put({
    Key: "notes/a.txt", Body: "héllo, wörld", ContentType: "text/plain",
  });
  seen.putBytes = await put({ Key: "data/b.bin", Body: bytes, Metadata: { origin: "js" } });
  seen.putStream = await put({
    Key: "data/stream.txt", ContentLength: 11,
    Body: Readable.from([Buffer.from("streamed "), Buffer.from("up")]),
  });
  const streamed = await client.send(new GetObjectCommand({
    Bucket: bucket, Key: "data/stream.txt",
  }));
  seen.streamed = await streamed.Body.transformToString();
  for (const key of ["notes/c.txt", "notes/sub/d.txt", "notes/sub/e.txt", "top.txt"]) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  }
  seen.objectExists = (await waitUntilObjectExists(
    fast(client), { Bucket: bucket, Key: "data/b.bin" })).state;
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: "notes/a.txt" }));
  seen.head = [head.ContentLength, head.ContentType, head.ETag];
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "data/b.bin" }));
  const back = await got.Body.transformToByteArray();
  seen.get = {
    equal: back.length === bytes.length && back.every((b, i) => b === bytes[i]),
    length: got.ContentLength, etag: got.ETag, metadata: got.Metadata,
  };
  const text = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "notes/a.txt" }));
  seen.text = await text.Body.transformToString();
  const part = await client.send(new GetObjectCommand({
    Bucket: bucket, Key: "data/b.bin", Range: "bytes=10-13",
  }));
  const partBytes = Array.from(await part.Body.transformToByteArray());
  seen.range = [part.$metadata.httpStatusCode, part.ContentRange, partBytes];
  const listed = await client.send(new ListObjectsV2Command({
    Bucket: bucket, Prefix: "notes/", Delimiter: "/",
  }));
  seen.delimited = {
    keys: (listed.Contents ?? []).map((o) => [o.Key, o.Size]),
    prefixes: (listed.CommonPrefixes ?? []).map((p) => p.Prefix),
  };
  seen.pages = [];
  for await (const page of paginateListObjectsV2(
    { client, pageSize: 2 }, { Bucket: bucket, Prefix: "notes/" })) {
    seen.pages.push([(page.Contents ?? []).map((o) => o.Key), page.KeyCount, page.IsTruncated]);
  }
  seen.notEmpty = await errorOf(client.send(new DeleteBucketCommand({ Bucket: bucket })));
  seen.ifNoneMatch = await errorOf(client.send(new PutObjectCommand({
    Bucket: bucket, Key: "notes/a.txt", Body: "overwritten", IfNoneMatch: "*",
  })));
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "notes/a.txt" }));
  seen.objectGone = (await waitUntilObjectNotExists(
    fast(client), { Bucket: bucket, Key: "notes/a.txt" })).state;
  seen.missing = await errorOf(
    client.send(new GetObjectCommand({ Bucket: bucket, Key: "notes/a.txt" })));
  return seen;
}

const pathStyle = new S3Client({
  endpoint: endpoint.href, region: "us-east-1", forcePathStyle: true, maxAttempts: 1, credentials,
});

// Virtual-host style: the SDK puts the bucket in front of the endpoint's host name.
const lookup = (hostname, options, callback) => {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    if (options.all) callback(null, [{ address: endpoint.hostname, family: 4 }]);
    else callback(null, endpoint.hostname, 4);
  } else {
    callback(new Error(`unexpected host ${hostname}`));
  }
};
const hosts = [];
const uploads = [];
const agent = new http.Agent({ lookup });
const virtualHost = new S3Client({
  endpoint: `http://localhost:${endpoint.port}`, region: "us-east-1", maxAttempts: 1,
  credentials, requestHandler: { httpAgent: agent },
});
const record = (next) => async (args) => {
  const { hostname, method, headers } = args.request;
  if (hostname !== endpoint.hostname) hosts.push(hostname);
  if (method === "PUT" && headers["x-amz-checksum-crc32"] !== undefined) uploads.push("header");
  if (headers["content-encoding"] === "aws-chunked") {
    uploads.push(`aws-chunked ${headers["x-amz-content-sha256"]} ${headers["x-amz-trailer"]}`);
  }
  return next(args);
};
for (const client of [pathStyle, virtualHost]) {
  client.middlewareStack.add(record, { step: "finalizeRequest", name: "record" });
}

try {
  const path = await lifecycle(pathStyle, "js-path-bucket");
  const virtual = await lifecycle(virtualHost, "js-virtual-bucket");
  console.log(JSON.stringify({
    path, virtual, hosts: [...new Set(hosts)].sort(), uploads: [...new Set(uploads)].sort(),
  }));
} catch (e) {
  console.error(e);
  process.exit(1);
}
