// Shared helper for the JS SDK v3 tests: starts the real cortado-server
// (binary from $CORTADO_SERVER_BINARY) on 127.0.0.1:0 ports with a fresh
// SQLite data dir, polls its --ready-file for `http=HOST:PORT` with a
// deadline, and builds SQSClients with dummy credentials. HOME points to a
// temp dir so no user AWS config leaks in.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import { SQSClient } from "@aws-sdk/client-sqs";

const scratch = mkdtempSync(join(tmpdir(), "cortado-js-"));
process.env.HOME = scratch;
for (const key of Object.keys(process.env)) {
  if (key.startsWith("AWS_")) delete process.env[key];
}
process.env.AWS_CONFIG_FILE = join(scratch, "no-aws-config");
process.env.AWS_SHARED_CREDENTIALS_FILE = join(scratch, "no-aws-credentials");
process.env.AWS_ACCESS_KEY_ID = "test";
process.env.AWS_SECRET_ACCESS_KEY = "test";
process.env.AWS_REGION = "us-east-1";
process.env.AWS_DEFAULT_REGION = "us-east-1";

export const ACCOUNT_ID = "000000000000";

export async function startServer({ extraArgs = [], timeoutMs = 20000 } = {}) {
  const binary = process.env.CORTADO_SERVER_BINARY;
  if (!binary) {
    throw new Error("CORTADO_SERVER_BINARY is not set (ctest sets it)");
  }
  const dir = mkdtempSync(join(scratch, "server-"));
  const readyFile = join(dir, "ready");
  const logPath = join(dir, "server.log");
  const log = openSync(logPath, "w");
  const child = spawn(binary, [
    "--storage=sqlite", `--data-dir=${join(dir, "data")}`,
    "--grpc-addr=127.0.0.1:0", "--http-addr=127.0.0.1:0",
    `--ready-file=${readyFile}`, ...extraArgs,
  ], { stdio: ["ignore", log, log] });
  let exitCode = null;
  child.on("exit", (code) => { exitCode = code; });
  const readLog = () => {
    try { return readFileSync(logPath, "utf8").slice(-4000); } catch { return ""; }
  };

  const deadline = Date.now() + timeoutMs;
  let http = null;
  while (Date.now() < deadline) {
    if (exitCode !== null) {
      throw new Error(`cortado-server exited with ${exitCode}; log:\n${readLog()}`);
    }
    try {
      const match = /^http=(.+)$/m.exec(readFileSync(readyFile, "utf8"));
      if (match) { http = match[1].trim(); break; }
    } catch { /* not written yet */ }
    await delay(20);  // polling interval, bounded by the deadline
  }
  if (http === null) {
    child.kill("SIGKILL");
    throw new Error(`cortado-server not ready after ${timeoutMs} ms; log:\n${readLog()}`);
  }
  const port = Number(http.slice(http.lastIndexOf(":") + 1));
  if (!port) {
    child.kill("SIGKILL");
    throw new Error(`ready file names http=${http}: no bound HTTP port`);
  }
  const endpoint = `http://${http}`;
  return {
    endpoint,
    port,
    log: readLog,
    queueUrl: (name) => `${endpoint}/${ACCOUNT_ID}/${name}`,
    async stop() {
      if (exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      closeSync(log);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function makeClient(server, options = {}) {
  return new SQSClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    ...options,
  });
}

export function md5OfBody(body) {
  return createHash("md5").update(Buffer.from(body, "utf8")).digest("hex");
}

// MD5OfMessageAttributes (sqs-protocol.md §4.2); BinaryValue is a Uint8Array.
export function md5OfAttributes(attributes) {
  const hash = createHash("md5");
  const put = (bytes) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name];
    put(Buffer.from(name, "utf8"));
    put(Buffer.from(value.DataType, "utf8"));
    if (value.StringValue !== undefined) {
      hash.update(Buffer.from([1]));
      put(Buffer.from(value.StringValue, "utf8"));
    } else {
      hash.update(Buffer.from([2]));
      put(Buffer.from(value.BinaryValue));
    }
  }
  return hash.digest("hex");
}
