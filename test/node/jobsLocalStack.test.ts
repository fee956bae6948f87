// Jobs on the real local stack (`npm start`'s: wrangler dev with local R2 and Workflows, the endpoint with the real
// networks on CPU): a job reports its progress from the endpoint's tiles without going backwards and its result is
// the endpoint's own output; a job cancelled after its 3rd tile stops the endpoint within one more tile and stores
// nothing; a job survives the endpoint being killed (SIGKILL) and restarted mid-run, with no manual step.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevStack } from "../../scripts/devStack.js";
import type { components } from "../../sdk/src/generated/openapi.js";
import { decodeBinaryMessage, decodeBytesElements, encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../../common/src/binaryTensors.js";
import { startTestStack } from "./testStack.js";

type Job = components["schemas"]["Job"];

let stack: DevStack;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-jobs-"));
  // 256x256 tiles only, as CI builds them: the tile counts below are of that shape.
  stack = await startTestStack(join(dir, "state"), { endpointTiles: "256" });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A JPEG with `width` / 256 * … tiles' worth of texture (256x256 tiles, 32 px overlap). */
async function photo(width: number, height: number, seed: number): Promise<Uint8Array<ArrayBuffer>> {
  const raw = Buffer.alloc(width * height * 3).map((_, i) => (i * 7919 + seed * 104729) % 251);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
}

const auth = () => ({ authorization: `Bearer ${stack.apiKey}` });

async function submit(image: Uint8Array<ArrayBuffer>, query: string): Promise<Job> {
  const response = await fetch(`${stack.workerUrl}/v1/jobs?${query}`, { method: "POST", body: image, headers: { ...auth(), "content-type": "image/jpeg" } });
  expect(response.status).toBe(202);
  return (await response.json()) as Job;
}

async function job(id: string): Promise<Job> {
  const response = await fetch(`${stack.workerUrl}/v1/jobs/${id}`, { headers: auth() });
  if (response.status !== 200) throw new Error(`GET /v1/jobs/${id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Job;
}

/** Polls a job until `until` holds, returning every answer seen. */
async function watch(id: string, until: (j: Job) => boolean, timeoutMs: number): Promise<Job[]> {
  const seen: Job[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const current = await job(id);
    seen.push(current);
    if (until(current)) return seen;
    await new Promise((r) => setTimeout(r, 700)); // the key's rate limit is 120 requests a minute
  }
  throw new Error(`job ${id} never got there: ${JSON.stringify(seen.at(-1))}`);
}

async function tilesComputed(model: string): Promise<number> {
  const text = await (await fetch(`${stack.endpointUrl}/metrics`)).text();
  return Number(new RegExp(`edge_restore_tiles_total\\{model="${model}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

/** What the endpoint itself answers for this image and options (it is deterministic). */
async function endpointOutput(task: string, image: Uint8Array, format: string): Promise<Uint8Array> {
  const { body, headerLength } = encodeBinaryMessage(
    { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], outputs: [{ name: "image", parameters: { binary_data: true } }], parameters: { format, quality: 90, refine: true } },
    new Map([["image", encodeBytesElements([image])]]),
    "inputs",
  );
  const response = await fetch(`${stack.endpointUrl}/v2/models/restore-${task}/infer`, { method: "POST", body: new Uint8Array(body), headers: { [inferenceHeaderLength]: String(headerLength), authorization: `Bearer ${stack.endpointKey}` } });
  const message = decodeBinaryMessage(new Uint8Array(await response.arrayBuffer()), Number(response.headers.get(inferenceHeaderLength)), "outputs");
  return decodeBytesElements(message.tensors.get("image")!)[0]!;
}

const terminal = (j: Job) => !["queued", "running"].includes(j.status);

describe("jobs on the local stack", () => {
  it("reports progress from 0 to the tile count without going backwards, and returns the endpoint's output", { timeout: 400_000 }, async () => {
    const image = await photo(768, 512, 1); // 12 tiles of 256x256
    const created = await submit(image, "task=denoise&format=png");
    const seen = await watch(created.id, terminal, 270_000);
    expect(seen.at(-1)!.status).toBe("succeeded");
    const tiles = seen.map((j) => j.progress.tilesDone);
    for (let i = 1; i < tiles.length; i++) expect(tiles[i]!).toBeGreaterThanOrEqual(tiles[i - 1]!);
    expect(seen.some((j) => j.status === "running" && j.progress.stage === "tiles" && j.progress.tilesTotal === 12)).toBe(true);
    expect(seen.at(-1)!.progress).toEqual({ stage: "done", tilesDone: 12, tilesTotal: 12 });
    const result = await fetch(`${stack.workerUrl}/v1/jobs/${created.id}/result`, { headers: auth() });
    expect(result.status).toBe(200);
    expect(new Uint8Array(await result.arrayBuffer())).toEqual(await endpointOutput("denoise", image, "png"));
  });

  it("cancels after the 3rd tile: the endpoint computes at most one more, nothing is stored", { timeout: 300_000 }, async () => {
    const image = await photo(1024, 256, 2); // 5 tiles
    const before = await tilesComputed("restore-deblur");
    const created = await submit(image, "task=deblur");
    const [atCancel] = (await watch(created.id, (j) => j.progress.tilesDone >= 3 || terminal(j), 240_000)).slice(-1);
    expect(atCancel!.status).toBe("running");
    const canceled = await fetch(`${stack.workerUrl}/v1/jobs/${created.id}`, { method: "DELETE", headers: auth() });
    expect(((await canceled.json()) as Job).status).toBe("canceled");
    await new Promise((r) => setTimeout(r, 8000)); // longer than a tile
    const computed = (await tilesComputed("restore-deblur")) - before;
    expect(computed).toBeGreaterThanOrEqual(atCancel!.progress.tilesDone);
    expect(computed).toBeLessThanOrEqual(atCancel!.progress.tilesDone + 1);
    expect((await job(created.id)).status).toBe("canceled");
    expect((await fetch(`${stack.workerUrl}/v1/jobs/${created.id}/result`, { headers: auth() })).status).toBe(409);
    // Nothing landed in the results cache: the same job again has to run.
    const again = await submit(image, "task=deblur");
    expect(again.status).not.toBe("succeeded");
    await fetch(`${stack.workerUrl}/v1/jobs/${again.id}`, { method: "DELETE", headers: auth() });
  });

  it("finishes a job whose endpoint is killed mid-run and restarted", { timeout: 420_000 }, async () => {
    const image = await photo(768, 256, 3);
    const created = await submit(image, "task=lowlight&format=png");
    await watch(created.id, (j) => j.progress.tilesDone >= 1 || terminal(j), 240_000);
    await stack.killEndpoint();
    await new Promise((r) => setTimeout(r, 3000));
    await stack.restartEndpoint();
    const [last] = (await watch(created.id, terminal, 360_000)).slice(-1);
    expect(last!.status).toBe("succeeded");
    const result = await fetch(`${stack.workerUrl}/v1/jobs/${created.id}/result`, { headers: auth() });
    expect(new Uint8Array(await result.arrayBuffer())).toEqual(await endpointOutput("lowlight", image, "png"));
  });
});
