// API keys, the worker's endpoint key and URL signatures never appear in logs or error bodies: the real stack runs
// with its logs captured while requests carry a valid key, wrong keys and a signed transform URL, and the endpoint
// is called with a wrong endpoint key; then everything is searched.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevStack } from "../../scripts/devStack.js";
import { startTestStack } from "../node/testStack.js";

const validKey = "sk-valid-7d3f0c9e51a24b8f";
const wrongKeys = ["sk-wrong-a1b2c3d4e5f6", "Bearer-in-key-9f8e7d6c"];
const signature = "J3LpoUCikVLdjRfFu8h3J7ZKVQmtLxT8rJRXV2crZdg";
const logs: string[] = [];
const bodies: string[] = [];
let stack: DevStack;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-logs-"));
  stack = await startTestStack(join(dir, "state"), { apiKey: validKey, log: (line) => logs.push(line) });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("secrets in logs", () => {
  it("never logs or echoes keys and signatures", { timeout: 180_000 }, async () => {
    const image = new Uint8Array(await sharp({ create: { width: 24, height: 16, channels: 3, background: "#468" } }).png().toBuffer());
    const post = async (key: string, body: Uint8Array) => {
      const response = await fetch(`${stack.workerUrl}/v1/restore?task=denoise`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "image/png" }, body: new Uint8Array(body) });
      bodies.push(response.ok ? "" : await response.text());
      if (response.ok) await response.arrayBuffer();
      return response.status;
    };
    expect(await post(validKey, image)).toBe(200); // logs an inference at the endpoint
    expect(await post(validKey, new TextEncoder().encode("<html>"))).toBe(415);
    for (const key of wrongKeys) expect(await post(key, image)).toBe(401);
    const transform = await fetch(`${stack.workerUrl}/cdn-cgi/restore/task=denoise,sig=${signature}/https://cdn.example.com/a.jpg`);
    bodies.push(await transform.text());
    const wrongEndpointKey = `${stack.endpointKey}-wrong`;
    const refused = await fetch(`${stack.endpointUrl}/v2/models/restore-denoise`, { headers: { authorization: `Bearer ${wrongEndpointKey}` } });
    expect(refused.status).toBe(401);
    bodies.push(await refused.text());
    // Let the processes flush what they logged.
    await new Promise((r) => setTimeout(r, 500));

    expect(logs.some((line) => line.includes('"event":"infer"'))).toBe(true); // the capture works
    const everything = [...logs, ...bodies].join("\n");
    for (const secret of [validKey, ...wrongKeys, signature, stack.endpointKey]) expect(everything).not.toContain(secret);
  });

  it("captures the worker's own error logs too, without the key", { timeout: 180_000 }, async () => {
    // A misconfigured limit makes the worker log an unhandled error with its stack: proof that worker logs are
    // part of what the first test searched.
    const workerLogs: string[] = [];
    const broken = await startTestStack(join(dir, "broken"), { apiKey: validKey, vars: { MAX_BYTES: "lots" }, log: (line) => workerLogs.push(line) });
    try {
      const response = await fetch(`${broken.workerUrl}/v1/restore?task=denoise`, { method: "POST", headers: { authorization: `Bearer ${validKey}` }, body: "x" });
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain(validKey);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await broken.stop();
    }
    expect(workerLogs.some((line) => line.includes("unhandled_error"))).toBe(true);
    expect(workerLogs.join("\n")).not.toContain(validKey);
  });
});
