// Following and stopping restore requests on the endpoint (the request-progress extension), with a slow identity
// "base network" written by the test (each 64x64 tile does some matrix work, then returns its input): progress
// goes from 0 to the tile count without going backwards; a request canceled, or whose client disconnects, stops
// before its next tile, so at most one more tile is computed than was done when it was stopped.
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInferenceServer } from "../../endpoint/src/inferenceServer.js";
import { EndpointMetrics } from "../../endpoint/src/metrics.js";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { TensorModels } from "../../endpoint/src/tensorModels.js";
import { WorkQueue } from "../../endpoint/src/workQueue.js";
import { writeIdentityBaseModel } from "../fakes/identityBaseModel.js";
import { decodeBinaryMessage, decodeBytesElements, encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../../common/src/binaryTensors.js";
import { listenOnLoopback } from "./freePort.js";

let dir: string;
let url: string;
let close: () => void;
const events: Record<string, unknown>[] = [];
let png: Uint8Array;
let raw: Buffer;
// 64 px tiles with 32 px overlap along a 64x1024 strip: 31 tiles.
const [width, height, tileCount] = [1024, 64, 31];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-progress-"));
  const entry = await writeIdentityBaseModel(dir, "denoise", 64, 1, 6);
  const queue = new WorkQueue(2, 8);
  const metrics = new EndpointMetrics(() => queue.depth);
  const models = await PipelineModels.load({ entries: [entry], log: () => {} });
  const server = createInferenceServer({ models, tensorModels: await TensorModels.open(dir), metrics, maxPixels: 1e6, maxBodyBytes: 1 << 20, queue, log: (e) => events.push(e) });
  url = await listenOnLoopback(server);
  close = () => server.close();
  raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  png = new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer());
}, 60_000);

afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

function inferBody(id?: string) {
  return encodeBinaryMessage(
    { ...(id ? { id } : {}), inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], parameters: { format: "png" } },
    new Map([["image", encodeBytesElements([png])]]),
    "inputs",
  );
}

/** Posts an infer request over node:http; `abort` lets the caller drop the connection. */
function infer(id?: string) {
  const { body, headerLength } = inferBody(id);
  let abort = () => {};
  const done = new Promise<{ status: number; body: Buffer; headerLength: number }>((resolve, reject) => {
    const req = request(`${url}/v2/models/restore-denoise/infer`, { method: "POST", headers: { [inferenceHeaderLength]: String(headerLength) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headerLength: Number(res.headers[inferenceHeaderLength.toLowerCase()]) }));
    });
    req.on("error", reject).end(Buffer.from(body));
    abort = () => req.destroy();
  });
  return { done, abort: () => abort() };
}

interface Progress {
  id: string;
  stage: string;
  tiles_done: number;
  tiles_total: number;
}

async function progress(id: string): Promise<Progress | undefined> {
  const response = await fetch(`${url}/v2/requests/${id}`);
  return response.status === 200 ? ((await response.json()) as Progress) : undefined;
}

/** Polls until `until` holds for a request's progress, recording every answer. */
async function watch(id: string, until: (p: Progress) => boolean, seen: Progress[] = []): Promise<Progress[]> {
  for (let i = 0; i < 2000; i++) {
    const p = await progress(id);
    if (p) {
      seen.push(p);
      if (until(p)) return seen;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`request ${id} never got there: ${JSON.stringify(seen.at(-1))}`);
}

async function tilesComputed(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/edge_restore_tiles_total\{model="restore-denoise"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe("request progress and cancellation", () => {
  it("reports progress from 0 to the tile count without going backwards, and answers with the request's id", async () => {
    const before = await tilesComputed();
    const { done } = infer("progress-1");
    const seen = await watch("progress-1", (p) => p.tiles_done >= tileCount - 1);
    const response = await done;
    expect(response.status).toBe(200);
    const message = decodeBinaryMessage(new Uint8Array(response.body), response.headerLength, "outputs");
    expect(message.header.id).toBe("progress-1");
    expect(Buffer.compare(await sharp(decodeBytesElements(message.tensors.get("image")!)[0]!).raw().toBuffer(), raw)).toBe(0);
    const tiles = seen.filter((p) => p.stage === "tiles");
    expect(tiles.length).toBeGreaterThan(0);
    for (const p of tiles) expect(p.tiles_total).toBe(tileCount);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.tiles_done).toBeGreaterThanOrEqual(seen[i - 1]!.tiles_done);
    expect(await tilesComputed()).toBe(before + tileCount);
    expect(await progress("progress-1")).toBeUndefined(); // finished requests are forgotten
  });

  it("stops a canceled request before its next tile: 409 for it, at most one more tile computed", async () => {
    const before = await tilesComputed();
    const { done } = infer("cancel-1");
    await watch("cancel-1", (p) => p.tiles_done >= 3);
    const cancel = await fetch(`${url}/v2/requests/cancel-1`, { method: "DELETE" });
    expect(cancel.status).toBe(202);
    // The tiles done when the endpoint took the cancel (this test shares its event loop, so it may be one later).
    const { tiles_done: atCancel } = (await cancel.json()) as { tiles_done: number };
    expect(atCancel).toBeGreaterThanOrEqual(3);
    const response = await done;
    expect(response.status).toBe(409);
    expect(JSON.parse(response.body.toString()).error).toMatch(/canceled/);
    await new Promise((r) => setTimeout(r, 300));
    const computed = (await tilesComputed()) - before;
    expect(computed).toBeGreaterThanOrEqual(atCancel);
    expect(computed).toBeLessThanOrEqual(atCancel + 1);
    expect(events).toContainEqual(expect.objectContaining({ event: "infer_canceled", id: "cancel-1" }));
    expect((await fetch(`${url}/v2/requests/cancel-1`, { method: "DELETE" })).status).toBe(404);
  });

  it("stops a request whose client disconnects, within one tile", async () => {
    const before = await tilesComputed();
    const { done, abort } = infer("gone-1");
    done.catch(() => {}); // the connection is dropped on purpose
    await watch("gone-1", (p) => p.tiles_done >= 2);
    abort();
    for (let i = 0; i < 200 && (await progress("gone-1")); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await progress("gone-1")).toBeUndefined();
    const computed = (await tilesComputed()) - before;
    const stopped = events.find((e) => e["event"] === "infer_abandoned" && e["id"] === "gone-1");
    expect(stopped).toBeDefined();
    // Tiles done when the endpoint saw the connection close: after that it finished the running tile only.
    const atDrop = stopped!["tilesDoneWhenStopped"] as number;
    expect(atDrop).toBeGreaterThanOrEqual(2);
    expect(computed).toBeLessThanOrEqual(atDrop + 1);
    expect(computed).toBeLessThan(tileCount);
  });

  it("refuses an id that is in use or malformed, and unknown ids", async () => {
    const first = infer("dup-1");
    await watch("dup-1", (p) => p.stage === "tiles");
    const second = await infer("dup-1").done;
    expect(second.status).toBe(409);
    expect(JSON.parse(second.body.toString()).error).toMatch(/in use/);
    await fetch(`${url}/v2/requests/dup-1`, { method: "DELETE" });
    expect((await first.done).status).toBe(409);
    expect((await infer("bad id/").done).status).toBe(400);
    expect((await fetch(`${url}/v2/requests/nothing-here`)).status).toBe(404);
  });
});
