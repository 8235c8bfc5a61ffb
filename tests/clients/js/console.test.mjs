// The web console (/console) in a real browser: Debian's chromium driven by
// playwright-core against the real cortado-server. Queues are made through
// the API, then seen, sent to, peeked and purged from the page; the AWS CLI
// v2 confirms that peeking did not count a receive. With --credentials the
// page shows nothing but its login until it signs in. Screenshots go to
// $CORTADO_CONSOLE_SCREENSHOTS (ctest: <build>/tests/clients/console-screenshots).
// Run: node --test console.test.mjs (from tests/clients/js).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import {
  CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { chromium } from "playwright-core";

import { makeClient, startServer } from "./harness.mjs";

const CHROMIUM = process.env.CORTADO_CHROMIUM || "/usr/bin/chromium";
const AWS_CLI = process.env.CORTADO_AWS_CLI_V2 || "/usr/bin/aws";
const SHOTS = process.env.CORTADO_CONSOLE_SCREENSHOTS ||
              mkdtempSync(join(tmpdir(), "cortado-console-shots-"));
mkdirSync(SHOTS, { recursive: true });
// Bounded waits for what the page shows (it polls the server every 2 s).
const UI_TIMEOUT_MS = 15000;

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The test runs as root on CI, where chromium's sandbox cannot start.
    args: ["--no-sandbox"],
  });
});

after(async () => {
  await browser?.close();
});

async function newPage() {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on("dialog", (dialog) => dialog.accept());  // confirm() of purge/delete
  return page;
}

async function shot(page, name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// AWS CLI v2 (query protocol), JSON output.
async function awsCli(server, args, { accessKey = "test", secret = "test" } = {}) {
  const { stdout } = await promisify(execFile)(AWS_CLI, [
    ...args, "--endpoint-url", server.endpoint, "--region", "us-east-1",
    "--output", "json",
  ], { env: { ...process.env, AWS_ACCESS_KEY_ID: accessKey,
              AWS_SECRET_ACCESS_KEY: secret, AWS_PAGER: "",
              AWS_EC2_METADATA_DISABLED: "true" }, timeout: 60000 });
  return stdout.trim() ? JSON.parse(stdout) : {};
}

async function counts(sqs, url) {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: url, AttributeNames: ["All"] }));
  return Attributes;
}

describe("console on an open gateway", () => {
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

  test("lists, sends, peeks without receiving, and purges", async () => {
    const { QueueUrl: url } = await sqs.send(
        new CreateQueueCommand({ QueueName: "console-orders" }));
    await sqs.send(new CreateQueueCommand({ QueueName: "console-orders-dlq" }));
    const page = await newPage();
    await page.goto(`${server.endpoint}/console`);

    const row = page.locator('tr[data-queue="console-orders"]');
    await row.waitFor();
    await shot(page, "01-queues");

    await row.getByRole("link", { name: "console-orders" }).click();
    await page.locator("#send-body").fill("latte, oat milk");
    await page.getByRole("button", { name: "+ attribute" }).click();
    await page.locator(".attr-name").fill("size");
    await page.locator(".attr-value").fill("large");
    await page.locator("#send-button").click();
    const peeked = page.locator("#message-table tbody tr[data-message-id]");
    await peeked.first().waitFor();
    assert.equal(await peeked.count(), 1);
    assert.match(await peeked.first().textContent(), /latte, oat milk/);
    assert.match(await peeked.first().textContent(), /size \(String\) large/);
    // Peek again: still never received.
    await page.locator("#refresh-messages").click();
    await page.locator("#refresh-messages").click();
    assert.equal((await peeked.first().locator(".receive-count").textContent()).trim(), "0");
    // A section a standard queue leaves out is left out, not shown as "null".
    assert.doesNotMatch(await page.locator("#main").textContent(), /null|undefined/);
    await shot(page, "02-queue-peeked");

    const received = await awsCli(server, [
      "sqs", "receive-message", "--queue-url", url,
      "--attribute-names", "All", "--message-attribute-names", "All"]);
    assert.equal(received.Messages.length, 1);
    assert.equal(received.Messages[0].Body, "latte, oat milk");
    assert.equal(received.Messages[0].Attributes.ApproximateReceiveCount, "1");

    // The peek shows the receive the CLI made, and the message in flight.
    await page.locator("#refresh-messages").click();
    await page.locator("#message-table .receive-count", { hasText: "1" }).waitFor();

    await page.locator("#purge-queue").click();
    await page.locator("#status", { hasText: "Purged console-orders" }).waitFor();
    await page.locator("#message-table td.empty").waitFor();
    const after = await counts(sqs, url);
    assert.equal(after.ApproximateNumberOfMessages, "0");
    assert.equal(after.ApproximateNumberOfMessagesNotVisible, "0");
    await page.close();
  });

  test("shows dead-letter links and filters by name", async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: "console-dlq" }));
    await sqs.send(new CreateQueueCommand({
      QueueName: "console-source",
      Attributes: { RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:console-dlq",
        maxReceiveCount: 3 }) } }));
    const page = await newPage();
    await page.goto(`${server.endpoint}/console#/queues`);
    const source = page.locator('tr[data-queue="console-source"]');
    await source.getByRole("link", { name: "console-dlq" }).waitFor();
    await page.locator("#queue-filter").fill("dlq");
    await page.locator('tr[data-queue="console-source"]').waitFor({ state: "detached" });
    await page.locator('tr[data-queue="console-dlq"]').waitFor();
    await page.locator("#queue-filter").fill("");

    await page.locator('tr[data-queue="console-dlq"]')
        .getByRole("link", { name: "console-dlq" }).click();
    await page.locator("#redrive", { hasText: "Dead-letter queue of console-source" })
        .waitFor();
    await shot(page, "03-dead-letter-queue");
    await page.close();
  });

  test("shows topic subscriptions and publishes into them", async () => {
    const { QueueUrl: url } = await sqs.send(
        new CreateQueueCommand({ QueueName: "console-fanout" }));
    const { TopicArn: topic } = await awsCli(server, [
      "sns", "create-topic", "--name", "console-events"]);
    await awsCli(server, [
      "sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
      "--notification-endpoint", "arn:aws:sqs:us-east-1:000000000000:console-fanout",
      "--attributes", JSON.stringify({ RawMessageDelivery: "true",
        FilterPolicy: JSON.stringify({ kind: ["espresso"] }) })]);
    const page = await newPage();
    await page.goto(`${server.endpoint}/console#/topics`);
    const section = page.locator(`section[data-topic="${topic}"]`);
    await section.locator("td", { hasText: "Confirmed" }).waitFor();
    assert.match(await section.textContent(), /espresso/);
    await section.locator("summary").click();
    await section.locator('textarea[name="message"]').fill("double shot");
    await section.getByRole("button", { name: "+ attribute" }).click();
    await section.locator(".attr-name").fill("kind");
    await section.locator(".attr-value").fill("espresso");
    await section.getByRole("button", { name: "Publish" }).click();
    await page.locator("#status", { hasText: "Published message" }).waitFor();
    await shot(page, "04-topics");
    const delivered = await counts(sqs, url);
    assert.equal(delivered.ApproximateNumberOfMessages, "1");
    await page.close();
  });
});

describe("console with --credentials", () => {
  const ACCESS_KEY = "console-key";
  const SECRET = "console-secret-0123456789";
  let server;
  let sqs;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "cortado-console-creds-"));
    const file = join(dir, "credentials");
    writeFileSync(file, `${ACCESS_KEY} ${SECRET}\n`);
    server = await startServer({ extraArgs: [`--credentials=${file}`] });
    sqs = makeClient(server, { credentials: {
      accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } });
  });
  after(async () => {
    sqs?.destroy();
    await server?.stop();
  });

  test("shows nothing before login, everything after", async () => {
    const { QueueUrl: url } = await sqs.send(
        new CreateQueueCommand({ QueueName: "secret-orders" }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url,
                                            MessageBody: "classified" }));
    // The endpoint itself refuses an unsigned peek.
    const unsigned = await fetch(`${server.endpoint}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0",
                 "x-amz-target": "Cortado.PeekMessages" },
      body: JSON.stringify({ QueueUrl: "secret-orders" }) });
    assert.equal(unsigned.status, 403);
    assert.doesNotMatch(await unsigned.text(), /classified/);

    const page = await newPage();
    await page.goto(`${server.endpoint}/console`);
    await page.locator("#login-form").waitFor();
    assert.equal(await page.locator("#queue-table").count(), 0);
    assert.equal(await page.locator("#nav").isVisible(), false);
    assert.doesNotMatch(await page.content(), /secret-orders|classified/);
    await shot(page, "05-login");

    await page.locator("#access-key").fill(ACCESS_KEY);
    await page.locator("#secret-key").fill("wrong-secret");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#login-error", { hasText: "SignatureDoesNotMatch" }).waitFor();
    assert.equal(await page.locator("#queue-table").count(), 0);

    await page.locator("#access-key").fill(ACCESS_KEY);
    await page.locator("#secret-key").fill(SECRET);
    await page.getByRole("button", { name: "Sign in" }).click();
    const row = page.locator('tr[data-queue="secret-orders"]');
    await row.waitFor();
    await row.getByRole("link", { name: "secret-orders" }).click();
    await page.locator("#message-table tr", { hasText: "classified" }).waitFor();
    await shot(page, "06-signed-in-queue");

    // The CLI, signing with the same key, finds the message never received.
    const received = await awsCli(server, [
      "sqs", "receive-message", "--queue-url", url, "--attribute-names", "All"],
      { accessKey: ACCESS_KEY, secret: SECRET });
    assert.equal(received.Messages[0].Attributes.ApproximateReceiveCount, "1");

    await page.locator("#sign-out").click();
    await page.locator("#login-form").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.close();
  });
});
