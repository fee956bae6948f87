// Checks the wasm Einsum kernel against tfjs-backend-cpu's Einsum, and the whole wasm reference path
// on the real denoising model.
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planEinsum, registerWasmEinsum } from "./einsumKernel.js";
import { readCenterCrop } from "./imageCrop.js";
import { maximModels, packageDir } from "../maximModels.js";
import { loadTfjsGraphModel } from "./loadTfjsModel.js";
import { initTfjsWasm, runTfjsReference } from "./tfjsReference.js";

/** Deterministic values in [-1, 1) (mulberry32), so failures reproduce. */
function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 2 ** 31) - 1;
  }
  return out;
}

async function einsumOn(backend: string, equation: string, a: tf.Tensor, b: tf.Tensor) {
  await tf.setBackend(backend);
  const [x, y] = [tf.tensor(await a.data(), a.shape), tf.tensor(await b.data(), b.shape)];
  const out = tf.einsum(equation, x, y);
  const result = { shape: out.shape, values: await out.data() };
  tf.dispose([x, y, out]);
  return result;
}

const psnr = (p: Float32Array, q: Float32Array) => {
  let sse = 0;
  for (let i = 0; i < p.length; i++) sse += (p[i]! - q[i]!) ** 2;
  return 10 * Math.log10(p.length / sse);
};

beforeAll(async () => {
  await initTfjsWasm();
  // Makes the engine throw if a kernel leaks backend data (it counts data ids around each kernel).
  tf.env().set("IS_TEST", true);
});
afterAll(() => {
  tf.env().set("IS_TEST", false);
});

describe("wasm Einsum kernel", () => {
  // Every equation in the four MAXIM graphs, with the operand layouts (which axes are 1, which are
  // contracted) seen when running them; spatial sizes are cut down because the cpu backend's Einsum
  // materialises the full outer product before summing.
  const cases: [string, number[], number[]][] = [
    ["abcg,gf->abcf", [1, 16, 16, 32], [32, 64]],
    ["abcg,gf->abcf", [1, 4, 128, 64], [64, 64]],
    ["abcg,gf->abcf", [1, 2, 8, 256], [256, 256]],
    ["abcg,gf->abcf", [1, 64, 1, 128], [128, 256]],
    ["gb,cgef->bcef", [16, 64], [1, 16, 16, 128]],
    ["gb,cgef->bcef", [32, 16], [1, 32, 32, 64]],
    ["abgd,gf->abdf", [32, 1, 16, 64], [16, 32]],
    ["abgd,gf->abdf", [16, 1, 64, 32], [64, 16]],
  ];

  it.each(cases)("%s with %j x %j matches the cpu backend", async (equation, shapeA, shapeB) => {
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const a = tf.tensor(randomValues(size(shapeA), 1), shapeA);
    const b = tf.tensor(randomValues(size(shapeB), 2), shapeB);
    const before = tf.memory().numTensors;
    const wasm = await einsumOn("wasm", equation, a, b);
    const cpu = await einsumOn("cpu", equation, a, b);
    await tf.setBackend("wasm");
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before - 2);

    expect(wasm.shape).toEqual(cpu.shape);
    let maxDiff = 0;
    for (let i = 0; i < cpu.values.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(cpu.values[i]! - wasm.values[i]!));
    }
    // Sums of up to 256 products of values in [-1,1): float32 rounding stays far below 1e-4.
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("rejects equations outside the single-matmul class", () => {
    expect(() => planEinsum("ii,ij->j")).toThrow(/repeated/);
    expect(() => planEinsum("bij,bjk->bik")).toThrow(/batch/);
    expect(() => planEinsum("ij,jk,kl->il")).toThrow(/unsupported/);
  });

  it("registers idempotently", () => {
    expect(() => registerWasmEinsum()).not.toThrow();
    expect(tf.getKernel("Einsum", "wasm")).toBeDefined();
  });
});

describe("tfjs wasm reference on the real denoising model", () => {
  it("denoises a 64x64 crop of the package's noisy fixture", { timeout: 180_000 }, async () => {
    const dir = packageDir(maximModels.find((m) => m.task === "denoise")!);
    const model = await loadTfjsGraphModel(join(dir, "models"));
    const input = await readCenterCrop(join(dir, "assets", "fixture.png"), 64, 64);
    const before = tf.memory().numTensors;
    const output = await runTfjsReference(model, input, 64, 64);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();

    expect(output).toHaveLength(64 * 64 * 3);
    expect(output.every(Number.isFinite)).toBe(true);
    expect(Math.min(...output)).toBeGreaterThan(-0.1);
    expect(Math.max(...output)).toBeLessThan(1.1);
    // The fixture is very noisy (PSNR of input vs the package's denoised result.png is ~18 dB), so a
    // good denoiser changes it a lot: output vs input lands near that same ~18 dB, not above 20 dB.
    const vsInput = psnr(output, input);
    expect(vsInput).toBeGreaterThan(15);
    expect(vsInput).toBeLessThan(25);
    // The real check: the crop of the package's own published output (computed on the full 256x256
    // image, hence not bit-equal at the crop's borders) is close to ours: measured 38.6 dB.
    const published = await readCenterCrop(join(dir, "assets", "result.png"), 64, 64);
    expect(psnr(output, published)).toBeGreaterThan(33);
  });
});
