// PTG-RM in the endpoint's pipeline, independent of which weights are trained: a PTG-RM exported by
// training/export_onnx.py (small random output layer, so it is not the identity) is given to the pipeline as a
// served refiner with the MobileNetV2 encoder, plus a zero-prior twin; the real lowlight base network runs.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManifestEntry } from "../../common/src/modelRepository.js";
import { PipelineModels } from "../../endpoint/src/pipelineModels.js";
import { gateStatistics } from "../../endpoint/src/refinerGate.js";
import { decodeImage, restoreImage, restorePixels } from "../../endpoint/src/restorePipeline.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir: string;
let models: PipelineModels;
let photo: Uint8Array;

function refinerEntry(name: string, osfEncoder: string | null, served: boolean): ManifestEntry {
  const image = (n: string) => ({ name: n, datatype: "FP32" as const, shape: [1, -1, -1, 3] });
  return {
    name,
    task: "lowlight",
    role: "refiner",
    source: "test",
    trainedOn: "nothing (random output layer)",
    precision: "fp32",
    file: join(dir, "ptg_rm.onnx"),
    sha256: "",
    bytes: 0,
    parameters: 0,
    tile: { height: 256, width: 256 },
    // The paper's module (export_onnx.py's default) also takes each pixel's position in the photo.
    inputs: [image("base"), image("degraded"), { name: "osf", datatype: "FP32", shape: [1, 1280] }, { name: "position", datatype: "FP32", shape: [1, -1, -1, 2] }],
    outputs: [image("refined")],
    osfEncoder,
    served,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-restore-refiner-"));
  await promisify(execFile)("/usr/bin/python3", ["training/export_onnx.py", "--out", dir, "--check", "--osf-dim", "1280"], { cwd: root });
  models = await PipelineModels.load({
    extraEntries: [refinerEntry("test-refiner", "osf-mobilenetv2", true), refinerEntry("test-refiner-zero", null, false)],
  });
  photo = new Uint8Array(
    await sharp({ create: { width: 80, height: 60, channels: 3, background: { r: 30, g: 25, b: 40 } } })
      .composite([{ input: Buffer.from('<svg width="80" height="60"><circle cx="40" cy="30" r="18" fill="#605030"/></svg>') }])
      .png()
      .toBuffer(),
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("refinement in the pipeline", () => {
  it("runs the base once per tile and each refiner on it; the prior changes the result", { timeout: 120_000 }, async () => {
    const decoded = await decodeImage(photo, 1e6);
    const refiners = [await models.refiner("test-refiner"), await models.refiner("test-refiner-zero")];
    const restored = await restorePixels(models, "lowlight", decoded, refiners);
    expect(restored.base.length).toBe(80 * 60 * 3);
    expect(restored.refined.map((r) => r.length)).toEqual([80 * 60 * 3, 80 * 60 * 3]);
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    const clampedBase = restored.base.map((v) => Math.min(1, Math.max(0, v)));
    expect(maxDiff(restored.refined[0]!, clampedBase)).toBeGreaterThan(1e-3);
    // Same weights, MobileNetV2 features vs zeros: the prior input reaches the output.
    expect(maxDiff(restored.refined[0]!, restored.refined[1]!)).toBeGreaterThan(1e-4);
    expect(restored.refinerCostMs.every((ms) => ms > 0)).toBe(true);
  });

  it("applies the served refiner when asked, and says so; without refine it returns the base result", { timeout: 120_000 }, async () => {
    const request = { task: "lowlight" as const, image: photo, format: "png" as const, quality: 90, metadata: "none" as const };
    const served = models.refinerFor("lowlight");
    const refined = await restoreImage(models, { ...request, refine: true }, 1e6);
    expect(refined.refineApplied).toBe(true);
    expect(refined.refineModel).toBe(served!.name);
    const base = await restoreImage(models, { ...request, refine: false }, 1e6);
    expect(base.refineApplied).toBe(false);
    expect(base.refineModel).toBeUndefined();
    expect(Buffer.compare(Buffer.from(refined.image), Buffer.from(base.image))).not.toBe(0);
  });

  it("keeps only the share of the refiner's change that a fitted gate gives the photo", { timeout: 120_000 }, async () => {
    const request = { task: "lowlight" as const, image: photo, format: "png" as const, quality: 90, metadata: "none" as const, refine: true };
    const served = models.refinerFor("lowlight")!;
    // The served refiner may have a fitted gate of its own in the manifest: each run sets its own, then puts
    // that one back.
    const installed = served.gate;
    const withGate = async (off?: number, full?: number) => {
      if (off === undefined || full === undefined) delete served.gate;
      else served.gate = { statistic: "baseChange", off, full, fitted: {} };
      try {
        return await restoreImage(models, request, 1e6);
      } finally {
        if (installed) served.gate = installed;
        else delete served.gate;
      }
    };
    const ungated = await withGate();
    const base = await restoreImage(models, { ...request, refine: false }, 1e6);
    expect(ungated.refineWeight).toBeUndefined();
    // The base network's change is an RMS in 0..1 units: never 2, always above −1.
    const closed = await withGate(2, 3);
    expect(closed.refineWeight).toBe(0);
    expect(closed.refineApplied).toBe(true);
    expect(Buffer.compare(Buffer.from(closed.image), Buffer.from(base.image))).toBe(0);
    const open = await withGate(-1, 0);
    expect(open.refineWeight).toBe(1);
    expect(Buffer.compare(Buffer.from(open.image), Buffer.from(ungated.image))).toBe(0);
    const half = await withGate(0, 2 * (await baseChangeOf(request.image)));
    expect(half.refineWeight).toBeCloseTo(0.5, 3);
    expect(Buffer.compare(Buffer.from(half.image), Buffer.from(base.image))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(half.image), Buffer.from(ungated.image))).not.toBe(0);
  });
});

/** The base network's RMS change of an image, as the gate measures it. */
async function baseChangeOf(image: Uint8Array): Promise<number> {
  const decoded = await decodeImage(image, 1e6);
  const restored = await restorePixels(models, "lowlight", decoded, []);
  return gateStatistics(decoded.rgb, restored.base, restored.base).baseChange;
}
