// Webhook signatures the Standard Webhooks way (https://www.standardwebhooks.com): the signed content is
// `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 keyed with the secret's base64 bytes (after its
// `whsec_` prefix), sent as `webhook-signature: v1,<base64>` (several space-separated during a key rotation).
// Web Crypto only, so receivers in Node, browsers, Workers and Deno can verify.

/** Refused deliveries: a missing header, a timestamp outside the tolerance, or no signature that matches. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  const raw = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(raw);
  } catch {
    throw new TypeError("the webhook secret must be `whsec_` followed by base64");
  }
  return crypto.subtle.importKey("raw", new Uint8Array(bytes), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

function content(id: string, timestamp: number, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(`${id}.${timestamp}.`);
  const payload = typeof body === "string" ? encoder.encode(body) : body;
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

/** The `webhook-signature` value for one delivery: `v1,<base64 HMAC-SHA256>`. */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string | Uint8Array): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), content(id, timestamp, body));
  return `v1,${base64(new Uint8Array(mac))}`;
}

export interface VerifyWebhookOptions {
  /** How far the delivery's timestamp may be from now, in seconds (default 300, as Standard Webhooks says). */
  toleranceSeconds?: number;
  /** Tests: the current time in ms. */
  now?: number;
}

/**
 * Checks a delivery's `webhook-id`, `webhook-timestamp` and `webhook-signature` against the raw body (as received:
 * parse it only after this resolves). Throws WebhookVerificationError when they do not match. `secret` is the
 * `whsec_…` value `GET /v1/webhooks/secret` gives for your API key.
 */
export async function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  body: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): Promise<void> {
  const header = (name: string) => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const id = header("webhook-id");
  const timestamp = header("webhook-timestamp");
  const signatures = header("webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature");
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError("webhook-timestamp is not a whole number of seconds");
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs((options.now ?? Date.now()) / 1000 - seconds) > tolerance) throw new WebhookVerificationError("webhook-timestamp is too old or too far in the future");
  const key = await hmacKey(secret);
  const signed = content(id, seconds, body);
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) continue;
    let mac: Uint8Array;
    try {
      mac = fromBase64(signature);
    } catch {
      continue;
    }
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, new Uint8Array(mac), new Uint8Array(signed))) return;
  }
  throw new WebhookVerificationError("no webhook-signature matches the body");
}
