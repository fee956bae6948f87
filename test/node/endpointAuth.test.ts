// The endpoint with keys configured (EDGE_RESTORE_ENDPOINT_KEYS): model, inference and request routes answer 401
// without one of them, and never touch a model; health, readiness, server metadata and metrics stay open for
// probes and scrapes; with a key everything works. (Identity network written by the test: no real model needed.)
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EndpointKeys } from "../../endpoint/src/endpointKeys.js";
import { createInferenceServer } from "../../endpoint/src/inferenceServer.js";
import { EndpointMetrics } from "../../endpoint/src/metrics.js";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { TensorModels } from "../../endpoint/src/tensorModels.js";
import { WorkQueue } from "../../endpoint/src/workQueue.js";
import { writeIdentityBaseModel } from "../fakes/identityBaseModel.js";
import { encodeBinaryMessage, encodeBytesElements, inferenceHeaderLength } from "../../common/src/binaryTensors.js";
import { listenOnLoopback } from "./freePort.js";

let dir: string;
let url: string;
let close: () => void;
let tensorModels: TensorModels;
const key = "endpoint-test-key-0123456789abcdef";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-auth-"));
  const entry = await writeIdentityBaseModel(dir, "denoise", 64, 1);
  // The same file as a tensor model too, in the repository layout (<name>/<version>/model.onnx).
  await mkdir(join(dir, "repository", "identity-64", "1"), { recursive: true });
  await copyFile(entry.file, join(dir, "repository", "identity-64", "1", "model.onnx"));
  const queue = new WorkQueue(1, 4);
  tensorModels = await TensorModels.open(join(dir, "repository"));
  const models = await PipelineModels.load({ entries: [entry], log: () => {} });
  const server = createInferenceServer({ models, tensorModels, metrics: new EndpointMetrics(() => queue.depth), maxPixels: 1e6, maxBodyBytes: 1 << 20, queue, log: () => {}, keys: new EndpointKeys(`old-key-0123456789,${key}`) });
  url = await listenOnLoopback(server);
  close = () => server.close();
});

afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

async function inferBody(): Promise<RequestInit> {
  const png = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toBuffer());
  const { body, headerLength } = encodeBinaryMessage(
    { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], outputs: [{ name: "image", parameters: { binary_data: true } }], parameters: { format: "png" } },
    new Map([["image", encodeBytesElements([png])]]),
    "inputs",
  );
  return { method: "POST", body: new Uint8Array(body), headers: { [inferenceHeaderLength]: String(headerLength) } };
}

const guarded = ["/v2/models/restore-denoise", "/v2/models/restore-denoise/ready", "/v2/models/restore-denoise/config", "/v2/models/identity-64/ready", "/v2/models/identity-64", "/v2/requests/some-id"];

describe("endpoint keys", () => {
  it("answers 401 without a key or with a wrong one, on every model, inference and request route, loading nothing", async () => {
    for (const authorization of [undefined, "Bearer wrong-key", `Basic ${key}`]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      for (const path of guarded) {
        const response = await fetch(`${url}${path}`, { headers });
        expect(response.status, `${path} ${authorization}`).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(await response.json()).toEqual({ error: expect.stringMatching(/endpoint key/) });
      }
      const infer = await inferBody();
      const refused = await fetch(`${url}/v2/models/restore-denoise/infer`, { ...infer, headers: { ...(infer.headers as Record<string, string>), ...headers } });
      expect(refused.status).toBe(401);
    }
    // The anonymous readiness probe of a tensor model did not load it.
    expect(tensorModels.loaded()).toEqual([]);
  });

  it("keeps probes, server metadata and metrics open", async () => {
    for (const path of ["/v2/health/live", "/v2/health/ready", "/v2", "/metrics"]) expect((await fetch(`${url}${path}`)).status, path).toBe(200);
  });

  it("serves a holder of any configured key", async () => {
    for (const k of [key, "old-key-0123456789"]) {
      const infer = await inferBody();
      const response = await fetch(`${url}/v2/models/restore-denoise/infer`, { ...infer, headers: { ...(infer.headers as Record<string, string>), authorization: `Bearer ${k}` } });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    expect((await fetch(`${url}/v2/models/identity-64/ready`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(tensorModels.loaded()).toEqual(["identity-64/1"]);
  });
});
