// Every case of the hostile corpus against the real stack (worker in workerd under wrangler dev with local R2,
// endpoint with the real base network on CPU): the exact expected outcome, the worker and the endpoint healthy
// after each case, and no R2 object written by a failed request. `npm run test:hostile` writes
// bench/results/hostile.json.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevStack } from "../../scripts/devStack.js";
import { startTestStack } from "../node/testStack.js";
import { hostileCorpus, type HostileCase } from "./corpus.js";
import { storedObjects as storedObjectsIn, writeResults } from "./hostileResults.js";

const maxBytes = 20 * 1024 * 1024; // wrangler.toml MAX_BYTES
let stack: DevStack;
let dir: string;
const results: Record<string, unknown>[] = [];

const storedObjects = () => storedObjectsIn(join(dir, "state"));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-hostile-"));
  stack = await startTestStack(join(dir, "state"));
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
  await writeResults("hostile.json", { command: "npm run test:hostile", date: new Date().toISOString(), cases: results.length, passed: results.filter((r) => r["pass"]).length, results });
});

async function send(c: HostileCase): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${stack.apiKey}` };
  if (c.contentType !== undefined) headers["content-type"] = c.contentType;
  return fetch(`${stack.workerUrl}/v1/restore?task=denoise&format=png`, { method: "POST", headers, body: c.body, duplex: "half" } as RequestInit);
}

const corpus = await hostileCorpus(maxBytes);

describe("hostile inputs against the real stack", () => {
  it("has at least 40 cases", () => expect(corpus.length).toBeGreaterThanOrEqual(40));

  it.each(corpus)("$name", { timeout: 120_000 }, async (c) => {
    const before = await storedObjects();
    const started = performance.now();
    const response = await send(c);
    const body = new Uint8Array(await response.arrayBuffer());
    const ms = Math.round(performance.now() - started);
    const actual: Record<string, unknown> = { status: response.status };
    if (response.status === 200) {
      const meta = await sharp(body).metadata();
      Object.assign(actual, { width: meta.width, height: meta.height });
    } else {
      actual["code"] = (JSON.parse(new TextDecoder().decode(body)) as { error: { code: string } }).error.code;
    }
    const healthy = (await fetch(`${stack.workerUrl}/v1/health`)).ok && (await fetch(`${stack.endpointUrl}/v2/health/live`)).ok;
    const after = await storedObjects();
    const pass = JSON.stringify(actual) === JSON.stringify(c.expected) && healthy && (response.status === 200 || after === before);
    results.push({ name: c.name, expected: c.expected, actual, ms, healthy, r2ObjectsAdded: after - before, pass });

    expect(actual).toEqual(c.expected);
    expect(healthy).toBe(true);
    if (response.status !== 200) expect(after).toBe(before);
  });
});
