// Job webhooks in workerd with the real local Workflows: deliveries reach a real receiver (the fake origin's
// recorder on 127.0.0.1) signed so that the standardwebhooks package (an implementation we did not write) and the
// SDK's verifyWebhook accept them, and a tampered body fails both; events are sent only when asked for; a
// webhook URL of every SSRF form is refused at submit time; the per-key live-job limit answers 429.
import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../sdk/src/webhookSignature.js";
import type { Job } from "../../worker/src/jobs/jobRecords.js";
import { sha256Hex } from "../../worker/src/sha256.js";
import { callWorker, callWorkerWith, uniquePng } from "./helpers.js";
import { expectConformsToSpec } from "./openapiConformance.js";
import { ssrfForms } from "./ssrfForms.js";
import { origin, uniqueSeed } from "./transformHelpers.js";

type Introspector = Awaited<ReturnType<typeof introspectWorkflow>>;
let restores: Introspector;
let hooks: Introspector;

beforeEach(async () => {
  restores = await introspectWorkflow(env.RESTORE_JOBS);
  hooks = await introspectWorkflow(env.JOB_WEBHOOKS);
});
afterEach(async () => {
  await restores.dispose();
  await hooks.dispose();
});

interface Delivery {
  headers: Record<string, string>;
  body: string;
  status: number;
}

const auth = (key = "test-key-1") => ({ authorization: `Bearer ${key}` });

function submitRequest(query: string, image: Uint8Array, key?: string): Request {
  return new Request(`https://edge.test/v1/jobs?${query}`, { method: "POST", body: image, headers: { ...auth(key), "content-type": "image/png" } });
}

async function submit(query: string, image = uniquePng()): Promise<Job> {
  const response = await callWorker(submitRequest(query, image));
  expect(response.status).toBe(202);
  return (await response.json()) as Job;
}

async function deliveries(name: string): Promise<Delivery[]> {
  return (await (await fetch(`${origin}/__hooks?name=${name}`)).json()) as Delivery[];
}

async function secret(key = "test-key-1"): Promise<string> {
  const response = await callWorker(new Request("https://edge.test/v1/webhooks/secret", { headers: auth(key) }));
  expect(response.status).toBe(200);
  await expectConformsToSpec(response, "/v1/webhooks/secret", "GET");
  return ((await response.json()) as { secret: string }).secret;
}

async function allComplete(introspector: Introspector): Promise<number> {
  const instances = introspector.get();
  for (const instance of instances) await instance.waitForStatus("complete");
  return instances.length;
}

describe("job webhooks", () => {
  it("delivers a signed job.succeeded that standardwebhooks and verifyWebhook accept; a tampered body fails both", async () => {
    await restores.modifyAll(async (m) => m.disableRetryDelays());
    const name = uniqueSeed();
    const job = await submit(`task=denoise&webhook=${encodeURIComponent(`${origin}/hooks/${name}`)}`);
    await allComplete(restores);
    expect(await allComplete(hooks)).toBe(1);

    const [delivery, ...more] = await deliveries(name);
    expect(more).toEqual([]);
    expect(delivery!.headers["webhook-id"]).toBe(`msg_${job.id}_succeeded`);
    expect(delivery!.headers["content-type"]).toBe("application/json");
    const event = JSON.parse(delivery!.body) as { type: string; data: Job };
    expect(event).toMatchObject({ type: "job.succeeded", data: { id: job.id, status: "succeeded", result: `/v1/jobs/${job.id}/result` } });

    const key = await secret();
    expect(key).toMatch(/^whsec_/);
    expect(new Webhook(key).verify(delivery!.body, delivery!.headers)).toEqual(event);
    await expect(verifyWebhook(key, delivery!.headers, delivery!.body)).resolves.toBeUndefined();
    const tampered = delivery!.body.replace("succeeded", "failed");
    expect(() => new Webhook(key).verify(tampered, delivery!.headers)).toThrow();
    await expect(verifyWebhook(key, delivery!.headers, tampered)).rejects.toThrow();
    // Another key's secret does not verify it.
    await expect(verifyWebhook(await secret("test-key-2"), delivery!.headers, delivery!.body)).rejects.toThrow();
  });

  it("gives each key one stable secret", async () => {
    expect(await secret()).toBe(await secret());
    expect(await secret()).not.toBe(await secret("test-key-2"));
    const unconfigured = await callWorkerWith(new Request("https://edge.test/v1/webhooks/secret", { headers: auth() }), { WEBHOOK_SIGNING_KEY: "" });
    expect(unconfigured.status).toBe(503);
    await expectConformsToSpec(unconfigured, "/v1/webhooks/secret", "GET");
  });

  it("sends only the events asked for; a cached result's job is notified at once; a 307 is followed", async () => {
    await restores.modifyAll(async (m) => m.disableRetryDelays());
    const image = uniquePng();
    const quiet = uniqueSeed();
    await submit(`task=denoise&webhookEvents=failed,canceled&webhook=${encodeURIComponent(`${origin}/hooks/${quiet}`)}`, image);
    await allComplete(restores);
    expect(hooks.get()).toHaveLength(0);
    expect(await deliveries(quiet)).toEqual([]);

    // The same image again: its result is cached, so the job has succeeded already and is notified now.
    const name = uniqueSeed();
    const cached = await submit(`task=denoise&webhook=${encodeURIComponent(`${origin}/hooks-redirect/${name}`)}`, image);
    expect(cached.status).toBe("succeeded");
    expect(await allComplete(hooks)).toBe(1);
    const received = await deliveries(name);
    expect(received.map((d) => JSON.parse(d.body).data.id)).toEqual([cached.id]);
  });

  it("notifies a cancellation", async () => {
    // The endpoint call fails once and waits its retry delay, so the job is still running when canceled.
    await restores.modifyAll(async (m) => m.mockStepError({ name: "restore" }, new Error("The inference endpoint could not be reached."), 1));
    const name = uniqueSeed();
    const job = await submit(`task=denoise&webhook=${encodeURIComponent(`${origin}/hooks/${name}`)}`);
    const canceled = await callWorker(new Request(`https://edge.test/v1/jobs/${job.id}`, { method: "DELETE", headers: auth() }));
    expect(((await canceled.json()) as Job).status).toBe("canceled");
    expect(await allComplete(hooks)).toBe(1);
    const [delivery] = await deliveries(name);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "job.canceled", data: { id: job.id, status: "canceled" } });
    await expect(verifyWebhook(await secret(), delivery!.headers, delivery!.body)).resolves.toBeUndefined();
  });

  const webhookForms = ssrfForms.filter((f) => f.reason !== "encoded-path" && f.reason !== "not-listed");
  it.each(webhookForms)("refuses a webhook at $name when the job is submitted", async ({ source, reason }) => {
    const response = await callWorkerWith(submitRequest(`task=denoise&webhook=${encodeURIComponent(source)}`, uniquePng()), { WEBHOOK_ALLOW_LOOPBACK_FOR_TESTS: "false" });
    expect(response.status).toBe(400);
    expect(await response.clone().json()).toMatchObject({ error: { code: "webhook_not_allowed", details: { reason } } });
    await expectConformsToSpec(response, "/v1/jobs", "POST");
    expect(restores.get()).toHaveLength(0);
  });

  it("refuses malformed webhook options, and webhooks where no signing key is configured", async () => {
    const hook = encodeURIComponent(`${origin}/hooks/x`);
    for (const query of [`task=denoise&webhook=${hook}&webhookEvents=done`, "task=denoise&webhookEvents=failed", `task=denoise&webhook=${hook}&webhookEvents=`]) {
      const response = await callWorker(submitRequest(query, uniquePng()));
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_parameter" } });
    }
    const notUrl = await callWorker(submitRequest("task=denoise&webhook=not-a-url", uniquePng()));
    expect(await notUrl.json()).toMatchObject({ error: { code: "webhook_not_allowed", details: { reason: "invalid-url" } } });
    const unconfigured = await callWorkerWith(submitRequest(`task=denoise&webhook=${hook}`, uniquePng()), { WEBHOOK_SIGNING_KEY: "" });
    expect(unconfigured.status).toBe(503);
    await expectConformsToSpec(unconfigured, "/v1/jobs", "POST");
    expect(restores.get()).toHaveLength(0);
  });
});

describe("live jobs per key", () => {
  it("answers 429 with Retry-After at the limit, and a finished job stops counting", async () => {
    await restores.modifyAll(async (m) => m.disableRetryDelays());
    const owner = await sha256Hex(new TextEncoder().encode("test-key-2"));
    // Another job of this key is running (its marker, as createJob leaves it).
    await env.RESULTS.put(`job-live/${owner}/job_${"0".repeat(32)}`, "");
    const limits = { JOBS_MAX_LIVE_PER_KEY: "1" };
    const refused = await callWorkerWith(submitRequest("task=denoise", uniquePng(), "test-key-2"), limits);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(await refused.clone().json()).toMatchObject({ error: { code: "rate_limited", details: { reason: "live_jobs", limit: 1 } } });
    await expectConformsToSpec(refused, "/v1/jobs", "POST");
    expect(restores.get()).toHaveLength(0);

    const accepted = await callWorkerWith(submitRequest("task=denoise", uniquePng(), "test-key-2"), { JOBS_MAX_LIVE_PER_KEY: "2" });
    expect(accepted.status).toBe(202);
    expect((await env.RESULTS.list({ prefix: `job-live/${owner}/` })).objects).toHaveLength(2);
    await allComplete(restores);
    expect((await env.RESULTS.list({ prefix: `job-live/${owner}/` })).objects.map((o) => o.key)).toEqual([`job-live/${owner}/job_${"0".repeat(32)}`]);
    await env.RESULTS.delete(`job-live/${owner}/job_${"0".repeat(32)}`);
  });
});
