// Dynamic batching across concurrent requests, on a tiny identity "base network" with a dynamic batch dimension
// written by the test: tiles of three concurrent restore requests share batches, and every response is exactly
// its own input (the identity, tiled and blended, returns the image), so no tile went to the wrong request.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
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
const batches: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-batching-"));
  const entry = await writeIdentityBaseModel(dir, "denoise", 64, -1);
  const queue = new WorkQueue(4, 8);
  const metrics = new EndpointMetrics(() => queue.depth);
  const models = await PipelineModels.load({
    entries: [entry],
    maxBatch: 8,
    // Generous, so that a slow CI machine still sees the three requests meet; production default: 5 ms.
    batchDelayMs: 200,
    onBatch: (model, size) => {
      batches.push(size);
      metrics.batchSize.observe({ model }, size);
    },
  });
  const server = createInferenceServer({ models, tensorModels: await TensorModels.open(dir), metrics, maxPixels: 1e6, maxBodyBytes: 1 << 20, queue, log: () => {} });
  url = await listenOnLoopback(server);
  close = () => server.close();
});

afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

async function restore(png: Uint8Array): Promise<Uint8Array> {
  const { body, headerLength } = encodeBinaryMessage(
    { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], outputs: [{ name: "image", parameters: { binary_data: true } }], parameters: { format: "png" } },
    new Map([["image", encodeBytesElements([png])]]),
    "inputs",
  );
  const response = await fetch(`${url}/v2/models/restore-denoise/infer`, { method: "POST", body: new Uint8Array(body), headers: { [inferenceHeaderLength]: String(headerLength) } });
  expect(response.status).toBe(200);
  const message = decodeBinaryMessage(new Uint8Array(await response.arrayBuffer()), Number(response.headers.get(inferenceHeaderLength)), "outputs");
  return decodeBytesElements(message.tensors.get("image")!)[0]!;
}

it("batches tiles of concurrent requests and returns each request its own pixels", async () => {
  // 96x96 with 64 px tiles and 32 px overlap: 4 tiles per request, 12 in all.
  const inputs = await Promise.all(
    [0, 1, 2].map(async () => {
      const raw = new Uint8Array(96 * 96 * 3);
      crypto.getRandomValues(raw);
      return { raw, png: new Uint8Array(await sharp(raw, { raw: { width: 96, height: 96, channels: 3 } }).png().toBuffer()) };
    }),
  );
  const outputs = await Promise.all(inputs.map((i) => restore(i.png)));
  for (const [k, output] of outputs.entries()) {
    const pixels = new Uint8Array(await sharp(output).raw().toBuffer());
    expect(Buffer.compare(Buffer.from(pixels), Buffer.from(inputs[k]!.raw))).toBe(0);
  }
  expect(batches.reduce((a, n) => a + n, 0)).toBe(12);
  // At least one batch held tiles of more than one request (each request submits its 4 tiles at once).
  expect(Math.max(...batches)).toBeGreaterThan(4);
  const metricsText = await (await fetch(`${url}/metrics`)).text();
  expect(metricsText).toMatch(/edge_restore_batch_size_count\{model="identity-64"\} \d+/);
});
