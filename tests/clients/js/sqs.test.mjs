// The real JS SDK v3 (@aws-sdk/client-sqs, JSON 1.0 protocol) against
// cortado-server, with the SDK's MD5 validation ON (the default): every
// send, batch send and receive below is checked by the SDK itself
// (sqs-protocol.md §4.5). Run: node --test (from tests/clients/js).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

import { makeClient, md5OfAttributes, md5OfBody, startServer } from "./harness.mjs";

let server;
let sqs;

before(async () => {
  server = await startServer();
  sqs = makeClient(server);
});

after(async () => {
  sqs?.destroy();
  await server?.stop();
});

async function createQueue(name, extra = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, ...extra }));
  assert.equal(QueueUrl, server.queueUrl(name));
  return QueueUrl;
}

async function receiveAll(queueUrl, count, extra = {}) {
  const messages = [];
  const deadline = Date.now() + 10000;
  while (messages.length < count && Date.now() < deadline) {
    const reply = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...extra,
    }));
    messages.push(...(reply.Messages ?? []));
  }
  assert.equal(messages.length, count, "messages received");
  return messages;
}

test("send, receive with attributes and message attributes, delete", async () => {
  const queueUrl = await createQueue("js-attributes", { tags: { env: "dev" } });
  const attributes = {
    s: { DataType: "String", StringValue: "v1" },
    n: { DataType: "Number", StringValue: "42" },
    b: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2]) },
  };
  const body = 'hello "world" & <x>';
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes,
  }));
  assert.equal(sent.MD5OfMessageBody, "e6ca7313bb7dcbf8fe6b0edbd2f029bf");
  assert.equal(sent.MD5OfMessageAttributes, "94c1f82a132b049cf75fad3ec912d79c");
  assert.equal(md5OfAttributes(attributes), "94c1f82a132b049cf75fad3ec912d79c");

  const [message] = await receiveAll(queueUrl, 1, {
    MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"],
  });
  assert.equal(message.MessageId, sent.MessageId);
  assert.equal(message.Body, body);
  assert.equal(message.MD5OfBody, sent.MD5OfMessageBody);
  assert.equal(message.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual(message.MessageAttributes.s, attributes.s);
  assert.deepEqual(message.MessageAttributes.n, attributes.n);
  assert.equal(message.MessageAttributes.b.DataType, "Binary");
  assert.deepEqual([...message.MessageAttributes.b.BinaryValue], [0, 1, 2]);
  assert.equal(message.Attributes.ApproximateReceiveCount, "1");
  assert.match(message.Attributes.SentTimestamp, /^\d{13}$/);
  assert.match(message.Attributes.ApproximateFirstReceiveTimestamp, /^\d{13}$/);
  assert.ok(message.Attributes.SenderId);

  await sqs.send(new DeleteMessageCommand({
    QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle,
  }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: queueUrl,
    AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
  }));
  assert.deepEqual(Attributes, {
    ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0",
  });
});

test("send batch, receive and delete batch", async () => {
  const queueUrl = await createQueue("js-batch");
  const entries = [
    { Id: "a", MessageBody: "m1", MessageAttributes: { k: { DataType: "String", StringValue: "x" } } },
    { Id: "b", MessageBody: "m2", DelaySeconds: 0 },
    { Id: "c", MessageBody: "Cappuccino|2025-02-26 10:31:00" },
  ];
  const reply = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  assert.deepEqual(reply.Failed ?? [], []);
  assert.deepEqual(reply.Successful.map((e) => e.Id).sort(), ["a", "b", "c"]);
  const byId = Object.fromEntries(reply.Successful.map((e) => [e.Id, e]));
  for (const entry of entries) {
    assert.equal(byId[entry.Id].MD5OfMessageBody, md5OfBody(entry.MessageBody));
  }
  assert.equal(byId.a.MD5OfMessageAttributes, "a45daa70926828a2f0a1db3418e6feb4");

  const messages = await receiveAll(queueUrl, 3, { MessageAttributeNames: ["All"] });
  assert.deepEqual(messages.map((m) => m.Body).sort(),
    ["Cappuccino|2025-02-26 10:31:00", "m1", "m2"]);
  const withAttribute = messages.find((m) => m.Body === "m1");
  assert.equal(withAttribute.MD5OfMessageAttributes, "a45daa70926828a2f0a1db3418e6feb4");

  const deleted = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: queueUrl,
    Entries: [
      ...messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      { Id: "bogus", ReceiptHandle: "garbage" },
    ],
  }));
  assert.deepEqual(deleted.Successful.map((e) => e.Id).sort(), ["d0", "d1", "d2"]);
  assert.equal(deleted.Failed.length, 1);
  assert.equal(deleted.Failed[0].Id, "bogus");
  assert.equal(deleted.Failed[0].Code, "ReceiptHandleIsInvalid");
  assert.equal(deleted.Failed[0].SenderFault, true);
});

test("bodies with \\r, unicode and emoji round-trip (SDK MD5 checks pass)", async () => {
  const queueUrl = await createQueue("js-fidelity");
  const bodies = [
    "h\u00e9 \u{1F600} \r\n", "\r", "a\rb\r\nc", "\u4e2d\u6587 \u{1F9D1}\u200D\u{1F373}",
    "<&>\"'", "x+y%20z", "\uE000\uFFFD\u{10FFFF}",
  ];
  for (const body of bodies) {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    assert.equal(sent.MD5OfMessageBody, md5OfBody(body));
  }
  const batch = await sqs.send(new SendMessageBatchCommand({
    QueueUrl: queueUrl,
    Entries: [{ Id: "e1", MessageBody: "batch \r\n \u{1F600}" }],
  }));
  assert.equal(batch.Successful[0].MD5OfMessageBody, md5OfBody("batch \r\n \u{1F600}"));
  const received = await receiveAll(queueUrl, bodies.length + 1);
  assert.deepEqual(received.map((m) => m.Body).sort(),
    [...bodies, "batch \r\n \u{1F600}"].sort());
});

test("QueueDoesNotExist: error name, class, legacy code", async () => {
  await assert.rejects(
    sqs.send(new GetQueueUrlCommand({ QueueName: "js-missing" })),
    (error) => {
      assert.equal(error.name, "QueueDoesNotExist");
      assert.ok(error instanceof QueueDoesNotExist);
      assert.equal(error.Code, "AWS.SimpleQueueService.NonExistentQueue");
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.match(error.message, /does not exist/);
      return true;
    });
  await assert.rejects(
    sqs.send(new SendMessageCommand({ QueueUrl: server.queueUrl("js-missing"), MessageBody: "x" })),
    (error) => error.name === "QueueDoesNotExist");
});

test("ReceiptHandleIsInvalid: error name and status 404", async () => {
  const queueUrl = await createQueue("js-handles");
  await assert.rejects(
    sqs.send(new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl, ReceiptHandle: "garbage", VisibilityTimeout: 0,
    })),
    (error) => {
      assert.equal(error.name, "ReceiptHandleIsInvalid");
      assert.ok(error instanceof ReceiptHandleIsInvalid);
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
});

test("long poll returns promptly when another client sends", async () => {
  const queueUrl = await createQueue("js-long-poll");
  const sender = makeClient(server);
  const started = Date.now();
  const receive = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
  // The send starts once the receive is on its way.
  const sent = new Promise((resolve, reject) => setTimeout(() => {
    sender.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "ding" }))
      .then(resolve, reject);
  }, 300));
  const reply = await receive;
  await sent;
  sender.destroy();
  assert.deepEqual((reply.Messages ?? []).map((m) => m.Body), ["ding"]);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test("a client configured only by AWS_ENDPOINT_URL_SQS reaches the queue URLs it gets", async () => {
  // Without an explicit `endpoint`, the SDK sends queue requests to the
  // QueueUrl's origin (§7.3): the returned URLs must be reachable.
  process.env.AWS_ENDPOINT_URL_SQS = server.endpoint;
  const envClient = new SQSClient({ region: "us-east-1", maxAttempts: 1 });
  try {
    const { QueueUrl } = await envClient.send(new CreateQueueCommand({ QueueName: "js-env" }));
    assert.equal(QueueUrl, server.queueUrl("js-env"));
    await envClient.send(new SendMessageCommand({ QueueUrl, MessageBody: "via env" }));
    const { Messages } = await envClient.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.equal(Messages[0].Body, "via env");
    const listed = await envClient.send(new ListQueuesCommand({ QueueNamePrefix: "js-env" }));
    assert.deepEqual(listed.QueueUrls, [QueueUrl]);
  } finally {
    delete process.env.AWS_ENDPOINT_URL_SQS;
    envClient.destroy();
  }
});
