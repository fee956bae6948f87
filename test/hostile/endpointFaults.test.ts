// Faults of the real endpoint process under the real worker (wrangler dev + local R2, default circuit breaker
// settings): the endpoint crashes in the middle of an inference, stays down, and comes back. Every failure is a
// spec Error with Retry-After, nothing is stored, the circuit opens, and the worker recovers by itself; the
// recovery time is measured. `npm run test:hostile` writes bench/results/faults.json.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DevStack } from "../../scripts/devStack.js";
import { startTestStack } from "../node/testStack.js";
import { storedObjects as storedObjectsIn, writeResults } from "./hostileResults.js";

let stack: DevStack;
let dir: string;
const record: Record<string, unknown> = { command: "npm run test:hostile", date: new Date().toISOString() };
let variant = 0;

const storedObjects = () => storedObjectsIn(join(dir, "state"));

/** A photo-like image no other request used, so every request is a cache miss. */
async function uniqueImage(width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  const shade = variant++;
  const svg = `<svg width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${shade % 256},60,120)"/><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#e0c040"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

async function restore(image: Uint8Array<ArrayBuffer>): Promise<{ status: number; retryAfter: string | null; code?: string; message?: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${stack.workerUrl}/v1/restore?task=lowlight&format=png`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "image/png" },
    body: image,
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const ms = Math.round(performance.now() - started);
  if (response.status === 200) return { status: 200, retryAfter: null, ms };
  const { error } = JSON.parse(new TextDecoder().decode(body)) as { error: { code: string; message: string } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: error.code, message: error.message, ms };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-faults-"));
  stack = await startTestStack(join(dir, "state"));
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
  await writeResults("faults.json", record);
});

it("the endpoint crashes mid-inference, stays down, comes back: 503s, no partial object, circuit opens, recovers", { timeout: 300_000 }, async () => {
  // Warm up (session created), so the crash below happens during a real inference.
  expect((await restore(await uniqueImage(64, 48))).status).toBe(200);
  const objectsBefore = await storedObjects();

  // 1. Crash in the middle of a multi-tile inference (512x384: six 256x256 tiles, seconds on CPU).
  const inFlight = restore(await uniqueImage(512, 384));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await stack.killEndpoint();
  const crashed = await inFlight;
  expect(crashed).toMatchObject({ status: 503, code: "upstream_unavailable" });
  expect(crashed.retryAfter).toMatch(/^\d+$/);

  // 2. Down: connection refused until the circuit opens (5 failures in a row), then refused at once.
  const down = [];
  for (let i = 0; i < 6; i++) down.push(await restore(await uniqueImage(64, 48)));
  for (const r of down) {
    expect(r).toMatchObject({ status: 503, code: "upstream_unavailable" });
    expect(r.retryAfter).toMatch(/^\d+$/);
  }
  expect(down.at(-1)?.message).toContain("circuit open");
  expect(await storedObjects()).toBe(objectsBefore);
  expect((await fetch(`${stack.workerUrl}/v1/health`)).ok).toBe(true);

  // 3. Back: the worker finds it by itself (the circuit half-opens after CIRCUIT_OPEN_MS, 5 s by default).
  await stack.restartEndpoint();
  const ready = performance.now();
  const attempts = [];
  let firstSuccess: { startedMs: number; finishedMs: number } | undefined;
  while (!firstSuccess && performance.now() - ready < 60_000) {
    const startedMs = performance.now() - ready;
    const r = await restore(await uniqueImage(64, 48));
    attempts.push(r.status);
    if (r.status === 200) firstSuccess = { startedMs, finishedMs: performance.now() - ready };
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(firstSuccess).toBeDefined();
  expect(await storedObjects()).toBe(objectsBefore + 1);

  Object.assign(record, {
    circuit: { failureThreshold: 5, openMs: 5000 },
    crashMidInference: crashed,
    whileDown: down,
    recovery: {
      // From the endpoint reporting ready to the first request the worker passed on again, and to its answer.
      firstAcceptedRequestStartedAfterReadyMs: Math.round(firstSuccess!.startedMs),
      firstSuccessAnsweredAfterReadyMs: Math.round(firstSuccess!.finishedMs),
      attemptsStatuses: attempts,
      pollIntervalMs: 250,
    },
    partialObjects: (await storedObjects()) - objectsBefore - 1,
  });
});
