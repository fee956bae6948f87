// Execution provider fallback: asked for webgpu first, the endpoint's models run on whatever works here and say
// which (webgpu on a machine with a GPU adapter, cpu elsewhere, with the failure logged). A provider with a
// fallback behind it is probed with one run, since a GPU provider can load a model and still fail on it.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ManifestEntry } from "../../common/src/modelRepository.js";
import { OnnxGraphBuilder } from "../../converter/src/onnxGraphBuilder.js";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { writeIdentityBaseModel } from "../fakes/identityBaseModel.js";

describe("execution providers", () => {
  it("falls back from webgpu to cpu when no adapter exists, and logs it", { timeout: 300_000 }, async () => {
    const events: Record<string, unknown>[] = [];
    const models = await PipelineModels.load({ providers: ["webgpu", "cpu"], log: (e) => events.push(e) });
    const model = await models.model("derain");
    const out = await model.run(new Float32Array(256 * 256 * 3).fill(0.5));
    expect(out.length).toBe(256 * 256 * 3);
    expect(["webgpu", "cpu"]).toContain(models.provider);
    if (models.provider === "cpu") {
      expect(events).toContainEqual(expect.objectContaining({ event: "execution_provider_failed", provider: "webgpu", fallback: "cpu" }));
    }
    expect(events).toContainEqual({ event: "execution_provider", provider: models.provider });
  });
});

describe("provider probe", () => {
  // Loads on any provider, fails on every run: a constant Reshape target that no input of 4 values fits.
  async function unrunnableModel(dir: string): Promise<ManifestEntry> {
    const b = new OnnxGraphBuilder();
    b.dtypes.set("x", "float32");
    b.addInitializer("target", { dtype: "int64", shape: [2], raw: new Uint8Array(new BigInt64Array([3n, 5n]).buffer) });
    b.node("Reshape", ["x", "target"], ["y"]);
    const file = join(dir, "unrunnable.onnx");
    await writeFile(file, b.toModel("unrunnable", [{ name: "x", dtype: "float32", shape: ["n", 4] }], [{ name: "y", dtype: "float32", shape: [3, 5] }], {}));
    const spec = { name: "x", datatype: "FP32" as const, shape: [-1, 4] };
    return { name: "unrunnable", role: "encoder", source: "test", trainedOn: "nothing", precision: "fp32", file, sha256: "", bytes: 0, parameters: 0, tile: { height: 1, width: 4 }, inputs: [spec], outputs: [{ ...spec, name: "y", shape: [3, 5] }] };
  }

  it("drops a provider that loads a model but cannot run it, when another provider follows", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "edge-restore-probe-"));
    const events: Record<string, unknown>[] = [];
    // Two CPU providers stand in for "webgpu, then cpu": the first one's probe run fails and is logged.
    const models = await PipelineModels.load({ providers: ["cpu", "cpu"], entries: [await unrunnableModel(dir)], log: (e) => events.push(e) });
    await models.encoder("unrunnable");
    expect(events[0]).toMatchObject({ event: "execution_provider_failed", provider: "cpu", model: "unrunnable", stage: "probe run", fallback: "cpu" });
    expect(String(events[0]!["error"])).toMatch(/reshape/i);
    // The last provider has nothing to fall back to, so it is not probed and the model's own errors surface later.
    expect(events[1]).toEqual({ event: "execution_provider", provider: "cpu" });
  });

  it("keeps the first provider when its probe run succeeds", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "edge-restore-probe-"));
    const events: Record<string, unknown>[] = [];
    const models = await PipelineModels.load({ providers: ["cpu", "webgpu"], entries: [await writeIdentityBaseModel(dir, "derain", 32, -1)], log: (e) => events.push(e) });
    const out = await (await models.model("derain")).run(new Float32Array(32 * 32 * 3).fill(0.25));
    expect(out[0]).toBe(0.25);
    expect(events).toEqual([{ event: "execution_provider", provider: "cpu" }]);
  });
});
