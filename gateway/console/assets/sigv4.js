// AWS Signature Version 4 in the browser (WebCrypto), the same signature
// the AWS CLI makes: the console signs every call with the access key and
// secret it was given, so the gateway checks it exactly like any client's.
// crypto.subtle exists only in a secure context (https, or http on
// 127.0.0.1 / localhost).

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer),
                    (b) => b.toString(16).padStart(2, "0")).join("");
}

export function canSign() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

async function sha256Hex(text) {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

async function hmac(key, text) {
  const raw = typeof key === "string" ? encoder.encode(key) : key;
  const imported = await crypto.subtle.importKey(
      "raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(
      await crypto.subtle.sign("HMAC", imported, encoder.encode(text)));
}

// "20261207T183000Z".
function amzDate(now) {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

// The headers to add to a POST of `body` to "/" on `host`: X-Amz-Date and
// Authorization. `headers` are the request's own (lower-case names); every
// one of them is signed, with host.
export async function signRequest({ service, region, host, headers, body,
                                    accessKey, secret, now = new Date() }) {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const all = { ...headers, host, "x-amz-date": date };
  const names = Object.keys(all).sort();
  const canonicalHeaders =
      names.map((n) => `${n}:${String(all[n]).trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders,
                            await sha256Hex(body)].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope,
                        await sha256Hex(canonicalRequest)].join("\n");
  let key = await hmac(`AWS4${secret}`, day);
  key = await hmac(key, region);
  key = await hmac(key, service);
  key = await hmac(key, "aws4_request");
  const signature = hex(await hmac(key, stringToSign));
  return {
    "x-amz-date": date,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, ` +
                   `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}
