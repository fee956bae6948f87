// The converter's fast check: each MAXIM network converted to ONNX at a 64x64 tile agrees with the original
// TF.js graph (tfjs wasm reference) on a real photo; conversion is deterministic; fp16 weights cost little.
// `npm run models:check` runs the full-size version on several photos.
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { restorationEncoders } from "../../converter/src/buildModelRepository.js";
import { convertTfjsModel } from "../../converter/src/convertTfjsModel.js";
import { agreement } from "../../converter/src/imageMetrics.js";
import { maximModels, packageDir } from "../../converter/src/maximModels.js";
import { sha256 } from "../../converter/src/modelRepository.js";
import { createCpuSession, runNhwc } from "../../converter/src/onnxRun.js";
import { readCenterCrop } from "../../converter/src/reference/imageCrop.js";
import { loadTfjsGraphModel } from "../../converter/src/reference/loadTfjsModel.js";
import { initTfjsWasm, runTfjsReference } from "../../converter/src/reference/tfjsReference.js";

const tile = 64;

describe.each(maximModels)("MAXIM $task ($packageName) at 64x64", (source) => {
  const modelDir = join(packageDir(source), "models");
  let input: Float32Array;
  let expected: Float32Array;

  beforeAll(async () => {
    input = await readCenterCrop(join(packageDir(source), "assets", "fixture.png"), tile, tile);
    await initTfjsWasm();
    const reference = await loadTfjsGraphModel(modelDir);
    expected = await runTfjsReference(reference, input, tile, tile);
    reference.dispose();
  }, 120_000);

  it("matches the TF.js reference (max|Δ| ≤ 1e-4, PSNR ≥ 60 dB) and converts deterministically", async () => {
    const first = await convertTfjsModel({ modelDir, height: tile, width: tile, precision: "fp32" });
    const actual = await runNhwc(await createCpuSession(first.onnx, 2), input, tile, tile);
    const { maxAbsDiff, psnr } = agreement(actual, expected);
    expect(maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(psnr).toBeGreaterThanOrEqual(60);
    // The model does something: the output is not the input.
    expect(agreement(actual, input).psnr).toBeLessThan(60);
    const second = await convertTfjsModel({ modelDir, height: tile, width: tile, precision: "fp32" });
    expect(sha256(second.onnx)).toBe(sha256(first.onnx));
  }, 180_000);

  it("keeps fp16 weights within 45 dB of fp32", async () => {
    const half = await convertTfjsModel({ modelDir, height: tile, width: tile, precision: "fp16" });
    const actual = await runNhwc(await createCpuSession(half.onnx, 2), input, tile, tile);
    expect(agreement(actual, expected).psnr).toBeGreaterThanOrEqual(45);
  }, 180_000);
});

describe.each(restorationEncoders)("$name (a MAXIM network's first stage, pooled) at 64x64", (spec) => {
  const source = maximModels.find((m) => m.task === spec.task)!;
  const modelDir = join(packageDir(source), "models");

  it("gives the TF.js graph's bottleneck averaged over the image (max|Δ| ≤ 1e-4)", async () => {
    const input = await readCenterCrop(join(packageDir(source), "assets", "fixture.png"), tile, tile);
    await initTfjsWasm();
    const reference = await loadTfjsGraphModel(modelDir);
    const inner = await runTfjsReference(reference, input, tile, tile, spec.node);
    reference.dispose();
    const converted = await convertTfjsModel({ modelDir, height: tile, width: tile, precision: "fp32", pooledNode: spec.node });
    const session = await createCpuSession(converted.onnx, 2);
    const features = (await session.run({ input: new ort.Tensor("float32", input, [1, tile, tile, 3]) }))["features"]!;
    const channels = features.dims[1]!;
    expect(inner.length % channels).toBe(0);
    const expected = new Float32Array(channels);
    const pixels = inner.length / channels;
    for (let i = 0; i < inner.length; i++) expected[i % channels]! += inner[i]! / pixels;
    const actual = features.data as Float32Array;
    expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThanOrEqual(1e-4);
    expect(Math.max(...actual.map(Math.abs))).toBeGreaterThan(1e-3); // not all zeros
  }, 180_000);
});
