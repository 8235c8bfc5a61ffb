// The console's only way to the broker: the SQS JSON protocol, the SNS query
// protocol and Cortado.PeekMessages, POSTed to "/" of the page's own origin,
// signed with SigV4 once the user has logged in. The credentials live in
// sessionStorage (this tab only, gone when it closes).
import { canSign, signRequest } from "./sigv4.js";

const REGION = "us-east-1";
const STORAGE_KEY = "cortado.credentials";
const AUTH_ERRORS = new Set([
  "MissingAuthenticationToken", "IncompleteSignature", "InvalidClientTokenId",
  "SignatureDoesNotMatch", "RequestExpired", "AccessDenied",
]);

export class ApiError extends Error {
  constructor(code, message, status) {
    super(message || code);
    this.code = code;
    this.status = status;
  }
  // The gateway wants a (valid) signature: show the login.
  get isAuth() { return AUTH_ERRORS.has(this.code); }
}

export function credentials() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
  } catch {
    return null;
  }
}
export function setCredentials(accessKey, secret) {
  if (!canSign()) {
    throw new ApiError("InsecureContext",
        "This browser cannot sign requests here: open the console over " +
        "https or on 127.0.0.1 / localhost.", 0);
  }
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ accessKey, secret }));
}
export function clearCredentials() { sessionStorage.removeItem(STORAGE_KEY); }

async function post(service, headers, body) {
  const creds = credentials();
  if (creds) {
    Object.assign(headers, await signRequest({
      service, region: REGION, host: location.host, headers, body,
      accessKey: creds.accessKey, secret: creds.secret,
    }));
  }
  try {
    return await fetch("/", { method: "POST", headers, body,
                              cache: "no-store", credentials: "omit" });
  } catch (error) {
    throw new ApiError("NetworkError", `The server did not answer: ${error}`,
                       0);
  }
}

// An SQS action over JSON 1.0; answers the response object.
export async function sqs(action, params = {}) {
  const target = action === "PeekMessages" ? "Cortado.PeekMessages"
                                           : `AmazonSQS.${action}`;
  const response = await post("sqs", {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": target,
  }, JSON.stringify(params));
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = {}; }
  if (!response.ok) {
    const type = String(data.__type || data.code || "Error").split("#").pop();
    throw new ApiError(type.replace(/Exception$/, ""),
                       data.message || data.Message || text, response.status);
  }
  return data;
}

function formEncode(params) {
  return Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join("&");
}

// An SNS action over the query protocol; answers the parsed XML document.
export async function sns(action, params = {}) {
  const body = formEncode({ Action: action, Version: "2010-03-31", ...params });
  const response = await post("sns", {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
  }, body);
  const xml = new DOMParser().parseFromString(await response.text(),
                                              "application/xml");
  if (!response.ok) {
    const code = xml.querySelector("Error > Code")?.textContent || "Error";
    const message = xml.querySelector("Error > Message")?.textContent || "";
    throw new ApiError(code, message, response.status);
  }
  return xml;
}

// Text of the first element named `name` under `node` ("" if none).
export function xmlText(node, name) {
  return node.getElementsByTagName(name)[0]?.textContent ?? "";
}

export function queueNameOf(urlOrArn) {
  return String(urlOrArn).split(/[/:]/).pop();
}
