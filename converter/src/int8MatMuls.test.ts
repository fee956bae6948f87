// The int8 option: weights round-trip within half a step of their column's scale, and a MatMul + bias becomes one
// DynamicQuantizeMatMul that onnxruntime runs to within int8 rounding of the fp32 product.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { quantizeColumns, quantizeMatMuls } from "./int8MatMuls.js";
import { OnnxGraphBuilder } from "./onnxGraphBuilder.js";

const raw = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
const values = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 30) - 1);
};

describe("quantizeColumns", () => {
  it("keeps each weight within half a step of its column's scale, the largest at ±63", () => {
    const [k, n] = [5, 3];
    const w = values(k * n, 7).map((v, i) => v * (i % n === 2 ? 100 : 1));
    const { q, scales } = quantizeColumns(w, k, n);
    for (let i = 0; i < w.length; i++) expect(Math.abs(q[i]! * scales[i % n]! - w[i]!)).toBeLessThanOrEqual(scales[i % n]! / 2 + 1e-7);
    for (let col = 0; col < n; col++) expect(Math.max(...Array.from({ length: k }, (_, r) => Math.abs(q[r * n + col]!)))).toBe(63);
    expect(scales[2]! / scales[0]!).toBeGreaterThan(20);
  });
});

describe("quantizeMatMuls", () => {
  it("turns MatMul + bias into one DynamicQuantizeMatMul close to the fp32 result", async () => {
    const [rows, k, n] = [64, 16, 8];
    const build = () => {
      const b = new OnnxGraphBuilder();
      b.dtypes.set("x", "float32");
      const w = b.addInitializer("w", { dtype: "float32", shape: [k, n], raw: raw(values(k * n, 3)) });
      const bias = b.addInitializer("bias", { dtype: "float32", shape: [1, 1, n], raw: raw(values(n, 5)) });
      const product = b.node("MatMul", ["x", w], ["product"]);
      b.node("Add", [product, bias], ["y"]);
      return b;
    };
    const run = async (b: OnnxGraphBuilder, x: Float32Array) => {
      const model = b.toModel("t", [{ name: "x", dtype: "float32", shape: [1, rows, k] }], [{ name: "y", dtype: "float32", shape: [1, rows, n] }], {});
      const session = await ort.InferenceSession.create(model);
      return (await session.run({ x: new ort.Tensor("float32", x, [1, rows, k]) }))["y"]!.data as Float32Array;
    };
    const x = values(rows * k, 11);
    const quantized = build();
    expect(quantizeMatMuls(quantized)).toEqual({ matMuls: 1, biases: 1 });
    expect(quantized.nodes.map((node) => `${node.domain}.${node.opType}`)).toEqual(["com.microsoft.DynamicQuantizeMatMul"]);
    const [exact, approximate] = [await run(build(), x), await run(quantized, x)];
    const worst = Math.max(...exact.map((v, i) => Math.abs(v - approximate[i]!)));
    // k products, each off by at most half a step of the weight (1/63) and of the activation (range 2 over 255 steps).
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(k * (1 / 63 / 2 + 2 / 255 / 2) * 1.5);
  });
});
