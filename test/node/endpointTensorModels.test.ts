// Tensor models over the Open Inference Protocol, on tiny ONNX models the test writes itself: the request and
// response example of the KServe v2 protocol document (kserve/kserve docs/predict-api/v2/required_api.md,
// "Inference Request Examples"), Triton's binary tensor data extension (binary_data_size, binary_data_output,
// per-output binary_data, Inference-Header-Content-Length), BYTES tensors, and errors.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OnnxGraphBuilder, type OnnxDtype } from "../../converter/src/onnxGraphBuilder.js";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { createInferenceServer } from "../../endpoint/src/inferenceServer.js";
import { EndpointMetrics } from "../../endpoint/src/metrics.js";
import { TensorModels } from "../../endpoint/src/tensorModels.js";
import { WorkQueue } from "../../endpoint/src/workQueue.js";
import { decodeBinaryMessage, encodeBinaryMessage, inferenceHeaderLength } from "../../common/src/binaryTensors.js";
import { listenOnLoopback } from "./freePort.js";

let dir: string;
let url: string;
let close: () => void;

const raw = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

async function writeModel(name: string, build: (b: OnnxGraphBuilder) => void, inputs: [string, OnnxDtype, number[]][], outputs: [string, OnnxDtype, (number | string)[]][]) {
  const b = new OnnxGraphBuilder();
  for (const [n, dtype] of inputs) b.dtypes.set(n, dtype);
  build(b);
  const bytes = b.toModel(name, inputs.map(([n, dtype, shape]) => ({ name: n, dtype, shape })), outputs.map(([n, dtype, shape]) => ({ name: n, dtype, shape })), {});
  await mkdir(join(dir, name, "1"), { recursive: true });
  await writeFile(join(dir, name, "1", "model.onnx"), bytes);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-repo-"));
  // The protocol document's example model: two inputs, output0 a [3, 2] FP32 tensor.
  await writeModel(
    "mymodel",
    (b) => {
      b.addInitializer("values", { dtype: "float32", shape: [3, 2], raw: raw(new Float32Array([1.0, 1.1, 2.0, 2.1, 3.0, 3.1])) });
      b.node("Identity", ["values"], ["output0"]);
    },
    [["input0", "uint32", [2, 2]], ["input1", "bool", [3]]],
    [["output0", "float32", [3, 2]]],
  );
  await writeModel(
    "double",
    (b) => {
      b.addInitializer("two", { dtype: "float32", shape: [], raw: raw(new Float32Array([2])) });
      b.node("Mul", ["x", "two"], ["y"]);
      b.node("Cast", ["x"], ["n"], { to: 7 }, "int64");
    },
    [["x", "float32", [2, 3]]],
    [["y", "float32", [2, 3]], ["n", "int64", [2, 3]]],
  );
  // Reshapes x to a target given at run time: a wrong target makes the ONNX Runtime session throw while running.
  await writeModel(
    "reshape",
    (b) => {
      b.node("Reshape", ["x", "target"], ["y"]);
    },
    [["x", "float32", [6]], ["target", "int64", [2]]],
    [["y", "float32", ["a", "b"]]],
  );
  const queue = new WorkQueue(1, 4);
  const server = createInferenceServer({
    models: await PipelineModels.load(),
    tensorModels: await TensorModels.open(dir),
    metrics: new EndpointMetrics(() => queue.depth),
    maxPixels: 1_000_000,
    maxBodyBytes: 1 << 20,
    queue,
    log: () => {},
  });
  url = await listenOnLoopback(server);
  close = () => server.close();
});

afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

const postJson = (path: string, body: unknown) => fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("tensor models", () => {
  it("replays the KServe v2 protocol document's inference example", async () => {
    const response = await postJson("/v2/models/mymodel/infer", {
      id: "42",
      inputs: [
        { name: "input0", shape: [2, 2], datatype: "UINT32", data: [1, 2, 3, 4] },
        // The document writes `data: [true]` for shape [3]; a tensor needs 3 elements.
        { name: "input1", shape: [3], datatype: "BOOL", data: [true, false, true] },
      ],
      outputs: [{ name: "output0" }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { id: string; outputs: { name: string; shape: number[]; datatype: string; data: number[] }[] };
    expect(body.id).toBe("42");
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0]).toMatchObject({ name: "output0", shape: [3, 2], datatype: "FP32" });
    body.outputs[0]!.data.forEach((v, i) => expect(v).toBeCloseTo([1.0, 1.1, 2.0, 2.1, 3.0, 3.1][i]!, 6));
  });

  it("describes models with datatypes and shapes (model metadata)", async () => {
    const metadata = await (await fetch(`${url}/v2/models/double`)).json();
    expect(metadata).toEqual({
      name: "double",
      versions: ["1"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "x", datatype: "FP32", shape: [2, 3] }],
      outputs: [
        { name: "y", datatype: "FP32", shape: [2, 3] },
        { name: "n", datatype: "INT64", shape: [2, 3] },
      ],
    });
    expect((await fetch(`${url}/v2/models/double/versions/1/ready`)).status).toBe(200);
  });

  it("takes binary inputs and returns binary outputs byte-exact (binary_data_output)", async () => {
    const x = new Float32Array([0.5, -1, 3.25, 1e-7, 100, -0]);
    const { body, headerLength } = encodeBinaryMessage(
      { inputs: [{ name: "x", datatype: "FP32", shape: [2, 3] }], parameters: { binary_data_output: true } },
      new Map([["x", raw(x)]]),
      "inputs",
    );
    const response = await fetch(`${url}/v2/models/double/infer`, { method: "POST", body: new Uint8Array(body), headers: { [inferenceHeaderLength]: String(headerLength) } });
    expect(response.status).toBe(200);
    const message = decodeBinaryMessage(new Uint8Array(await response.arrayBuffer()), Number(response.headers.get(inferenceHeaderLength)), "outputs");
    expect(message.header.outputs?.map((o) => [o.name, o.datatype, o.parameters?.["binary_data_size"]])).toEqual([["y", "FP32", 24], ["n", "INT64", 48]]);
    expect(new Float32Array(message.tensors.get("y")!.slice().buffer)).toEqual(x.map((v) => v * 2));
    expect(Array.from(new BigInt64Array(message.tensors.get("n")!.slice().buffer))).toEqual([0n, -1n, 3n, 0n, 100n, 0n]);
  });

  it("mixes JSON and binary outputs per output (binary_data)", async () => {
    const response = await postJson("/v2/models/double/infer", {
      inputs: [{ name: "x", datatype: "FP32", shape: [2, 3], data: [[1, 2, 3], [4, 5, 6]] }],
      outputs: [{ name: "n" }, { name: "y", parameters: { binary_data: true } }],
    });
    const message = decodeBinaryMessage(new Uint8Array(await response.arrayBuffer()), Number(response.headers.get(inferenceHeaderLength)), "outputs");
    expect(message.header.outputs?.[0]).toMatchObject({ name: "n", datatype: "INT64", data: [1, 2, 3, 4, 5, 6] });
    expect(new Float32Array(message.tensors.get("y")!.slice().buffer)).toEqual(new Float32Array([2, 4, 6, 8, 10, 12]));
  });

  it("answers errors as {error} with Triton's statuses", async () => {
    const bad = async (path: string, body: unknown, status: number, message: RegExp) => {
      const response = await postJson(path, body);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    };
    await bad("/v2/models/double/infer", { inputs: [{ name: "x", datatype: "FP32", shape: [2, 3], data: [1, 2] }] }, 400, /2 elements for shape/);
    await bad("/v2/models/double/infer", { inputs: [] }, 400, /expected inputs 'x'/);
    await bad("/v2/models/double/infer", { inputs: [{ name: "z", datatype: "FP32", shape: [1], data: [1] }] }, 400, /unexpected inference input 'z'/);
    await bad("/v2/models/double/infer", { inputs: [{ name: "x", datatype: "FP32", shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }], outputs: [{ name: "w" }] }, 400, /unexpected inference output 'w'/);
    await bad("/v2/models/double/infer", { inputs: [{ name: "x", datatype: "COMPLEX", shape: [1], data: [1] }] }, 400, /unsupported datatype/);
    await bad("/v2/models/nope/infer", { inputs: [] }, 404, /unknown model 'nope'/);
    await bad("/v2/models/double/versions/7/infer", { inputs: [] }, 404, /has no version 7/);
    const malformed = await fetch(`${url}/v2/models/double/infer`, { method: "POST", body: "{not json" });
    expect(malformed.status).toBe(400);
  });

  it("survives a model session that throws: 500 for that request, the next ones are served", async () => {
    const reshape = (target: number[]) =>
      postJson("/v2/models/reshape/infer", {
        inputs: [
          { name: "x", datatype: "FP32", shape: [6], data: [1, 2, 3, 4, 5, 6] },
          { name: "target", datatype: "INT64", shape: [2], data: target },
        ],
      });
    for (let i = 0; i < 3; i++) {
      const failed = await reshape([4, 4]);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ error: "internal error" });
    }
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    const served = await reshape([3, 2]);
    expect(served.status).toBe(200);
    const body = (await served.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    expect(body.outputs[0]).toMatchObject({ name: "y", shape: [3, 2], data: [1, 2, 3, 4, 5, 6] });
  });
});
