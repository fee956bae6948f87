// The inference endpoint in-process with the real base networks: protocol routes, a binary infer round trip,
// and its errors. (test/node/modelsGlobalSetup.ts builds models/ first.)
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { createInferenceServer } from "../../endpoint/src/inferenceServer.js";
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";
import { EndpointMetrics } from "../../endpoint/src/metrics.js";
import { WorkQueue } from "../../endpoint/src/workQueue.js";
import { TensorModels } from "../../endpoint/src/tensorModels.js";
import { repositoryDir } from "../../common/src/modelRepository.js";
import {
  decodeBinaryMessage,
  decodeBytesElements,
  encodeBinaryMessage,
  encodeBytesElements,
  inferenceHeaderLength,
} from "../../common/src/binaryTensors.js";
import { listenOnLoopback } from "./freePort.js";

let url: string;
let close: () => void;
let models: PipelineModels;

beforeAll(async () => {
  const queue = new WorkQueue(1, 0);
  models = await PipelineModels.load();
  const server = createInferenceServer({
    models,
    tensorModels: await TensorModels.open(repositoryDir),
    metrics: new EndpointMetrics(() => queue.depth),
    maxPixels: 4_000_000,
    maxBodyBytes: 8 * 1024 * 1024,
    queue,
    log: () => {},
  });
  url = await listenOnLoopback(server);
  close = () => server.close();
}, 300_000);

afterAll(() => close?.());

function inferRequest(image: Uint8Array, parameters: Record<string, string | number | boolean> = {}): RequestInit {
  const { body, headerLength } = encodeBinaryMessage(
    { inputs: [{ name: "image", datatype: "BYTES", shape: [1] }], outputs: [{ name: "image", parameters: { binary_data: true } }], parameters },
    new Map([["image", encodeBytesElements([image])]]),
    "inputs",
  );
  return { method: "POST", body: new Uint8Array(body), headers: { [inferenceHeaderLength]: String(headerLength) } };
}

const photo = () =>
  sharp({ create: { width: 100, height: 70, channels: 3, background: { r: 30, g: 40, b: 50 } } })
    .composite([{ input: Buffer.from('<svg width="100" height="70"><rect x="20" y="10" width="40" height="30" fill="#c84"/></svg>') }])
    .jpeg()
    .toBuffer();

describe("inference endpoint", () => {
  it("answers the protocol's health and model routes", async () => {
    expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    expect(await (await fetch(`${url}/v2`)).json()).toMatchObject({ extensions: ["binary_tensor_data", "model_configuration"] });
    expect(await (await fetch(`${url}/v2/models/restore-denoise`)).json()).toMatchObject({ name: "restore-denoise", versions: [pipelineVersion] });
    expect((await fetch(`${url}/v2/models/restore-denoise/versions/${pipelineVersion}/ready`)).status).toBe(200);
    const config = (await (await fetch(`${url}/v2/models/restore-lowlight/versions/${pipelineVersion}/config`)).json()) as { parameters: Record<string, { string_value: string }> };
    expect(Number(config.parameters["base_parameter_count"]!.string_value)).toBeGreaterThan(1_000_000);
    // The base networks of models/ are servable as tensor models too.
    expect(await (await fetch(`${url}/v2/models/maxim-denoise-256`)).json()).toMatchObject({
      platform: "onnxruntime_onnx",
      inputs: [{ name: "input", datatype: "FP32", shape: [1, 256, 256, 3] }],
      outputs: [{ name: "output", datatype: "FP32", shape: [1, 256, 256, 3] }],
    });
    expect((await fetch(`${url}/v2/models/restore-colorize`)).status).toBe(404);
    expect((await fetch(`${url}/v2/models/restore-denoise/versions/${Number(pipelineVersion) + 1}/ready`)).status).toBe(404);
  });

  it("restores an image over binary tensors, same size, in the requested format", { timeout: 120_000 }, async () => {
    const response = await fetch(`${url}/v2/models/restore-denoise/versions/${pipelineVersion}/infer`, inferRequest(new Uint8Array(await photo()), { format: "png", refine: true }));
    expect(response.status).toBe(200);
    const message = decodeBinaryMessage(new Uint8Array(await response.arrayBuffer()), Number(response.headers.get(inferenceHeaderLength)), "outputs");
    // Refined when a PTG-RM for denoising is trained and served (models/manifest.json), else the base result, said so.
    const refiner = models.refinerFor("denoise");
    expect(message.header.parameters).toMatchObject({ refine_applied: refiner !== undefined, width: 100, height: 70, base_model: "maxim-denoise-256" });
    if (refiner) expect(message.header.parameters?.["refine_model"]).toBe(refiner.name);
    const [image] = decodeBytesElements(message.tensors.get("image")!);
    expect(await sharp(image!).metadata()).toMatchObject({ format: "png", width: 100, height: 70 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/edge_restore_infer_requests_total\{model="restore-denoise",outcome="ok"\} 1/);
  });

  it("answers 400 for bytes that are not an image and for malformed messages", async () => {
    const notImage = await fetch(`${url}/v2/models/restore-denoise/infer`, inferRequest(new TextEncoder().encode("hello")));
    expect(notImage.status).toBe(400);
    expect(((await notImage.json()) as { error: string }).error).toMatch(/cannot decode image/);
    const malformed = await fetch(`${url}/v2/models/restore-denoise/infer`, { method: "POST", body: "{", headers: { [inferenceHeaderLength]: "1" } });
    expect(malformed.status).toBe(400);
  });

  it("answers 503 with Retry-After when the queue is full", { timeout: 120_000 }, async () => {
    const image = new Uint8Array(await photo());
    const responses = await Promise.all([1, 2].map(() => fetch(`${url}/v2/models/restore-derain/infer`, inferRequest(image))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 503]);
    expect(responses.find((r) => r.status === 503)!.headers.get("retry-after")).toBe("5");
  });
});
