import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhook, WebhookVerificationError } from "./webhookSignature.js";

const secret = `whsec_${btoa("a webhook secret of 32 bytes....")}`;
const body = JSON.stringify({ type: "job.succeeded", data: { id: "job_0" } });
const now = 1_790_000_000_000;
const timestamp = Math.floor(now / 1000);

async function signed(payload = body) {
  return { "webhook-id": "msg_1", "webhook-timestamp": String(timestamp), "webhook-signature": await signWebhook(secret, "msg_1", timestamp, payload) };
}

describe("webhook signatures", () => {
  it("match what the standardwebhooks package (an implementation we did not write) signs and accepts", async () => {
    const reference = new Webhook(secret);
    expect(await signWebhook(secret, "msg_1", timestamp, body)).toBe(reference.sign("msg_1", new Date(now), body));
    const headers = await signed();
    // The reference checks the timestamp against the real clock: sign one for now.
    const fresh = Math.floor(Date.now() / 1000);
    const live = { ...headers, "webhook-timestamp": String(fresh), "webhook-signature": await signWebhook(secret, "msg_1", fresh, body) };
    expect(reference.verify(body, live)).toEqual(JSON.parse(body));
    await expect(verifyWebhook(secret, headers, body, { now })).resolves.toBeUndefined();
    await expect(verifyWebhook(secret, new Headers(headers), new TextEncoder().encode(body), { now })).resolves.toBeUndefined();
  });

  it("refuses a tampered body, another secret, a stale timestamp and missing headers", async () => {
    const headers = await signed();
    const tampered = body.replace("succeeded", "failed");
    await expect(verifyWebhook(secret, headers, tampered, { now })).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(`whsec_${btoa("another secret")}`, headers, body, { now })).rejects.toThrow(/no webhook-signature matches/);
    await expect(verifyWebhook(secret, headers, body, { now: now + 301_000 })).rejects.toThrow(/too old/);
    await expect(verifyWebhook(secret, { "webhook-id": "msg_1" }, body, { now })).rejects.toThrow(/missing/);
  });

  it("accepts any one matching signature among several (key rotation)", async () => {
    const headers = await signed();
    const rotated = { ...headers, "webhook-signature": `v1,${btoa("x".repeat(32))} ${headers["webhook-signature"]}` };
    await expect(verifyWebhook(secret, rotated, body, { now })).resolves.toBeUndefined();
  });
});
