// Each optimizer rewrite on a small graph spelled the way the TF graphs spell it: the optimized model computes the
// same values as the original (onnxruntime, random input) and has the expected ops.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { OnnxGraphBuilder } from "../onnxGraphBuilder.js";
import { optimizeGraph } from "./optimizeGraph.js";

const raw = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 30) - 1);
}

class TestGraph {
  readonly b = new OnnxGraphBuilder();
  #seed = 1;
  constructor(readonly inputShape: number[]) {
    this.b.dtypes.set("x", "float32");
  }
  weight(shape: number[], value?: number): string {
    const data = value === undefined ? values(size(shape), this.#seed++) : new Float32Array(size(shape)).fill(value);
    return this.b.addInitializer(this.b.temp("w"), { dtype: "float32", shape, raw: raw(data) });
  }
  ints(v: number[]): string {
    return this.b.addInitializer(this.b.temp("i"), { dtype: "int64", shape: [v.length], raw: raw(BigInt64Array.from(v.map(BigInt))) });
  }
  op(opType: string, inputs: string[], attrs: Record<string, number | string | number[] | { float: number }> = {}): string {
    return this.b.node(opType, inputs, [this.b.temp(opType)], attrs, opType === "GreaterOrEqual" ? "bool" : undefined);
  }
  model(output: string, outputShape: number[]): Uint8Array {
    this.b.nodes.push({ opType: "Identity", inputs: [output], outputs: ["y"], attrs: {} });
    this.b.dtypes.set("y", "float32");
    return this.b.toModel("t", [{ name: "x", dtype: "float32", shape: this.inputShape }], [{ name: "y", dtype: "float32", shape: outputShape }], {});
  }
  ops(): string[] {
    return this.b.nodes.map((n) => n.opType);
  }
}

async function run(model: Uint8Array, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: "disabled" });
  const out = await session.run({ x: new ort.Tensor("float32", input, shape) });
  await session.release();
  return out["y"]!.data as Float32Array;
}

/** Optimizes the graph; returns the largest difference between the original and optimized outputs. */
async function optimizeAndCompare(g: TestGraph, output: string, outputShape: number[]): Promise<number> {
  const before = g.model(output, outputShape);
  optimizeGraph(g.b, new Map([["x", g.inputShape]]), ["y"]);
  const after = g.b.toModel("t", [{ name: "x", dtype: "float32", shape: g.inputShape }], [{ name: "y", dtype: "float32", shape: outputShape }], {});
  const input = values(size(g.inputShape), 99);
  const [a, b] = [await run(before, input, g.inputShape), await run(after, input, g.inputShape)];
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i]!)), 0);
}

/** Layer norm over the last axis as jax2tf writes it: E[x], E[x²] − E[x]² clamped at 0, rsqrt, scale, shift. */
function jaxLayerNorm(g: TestGraph, x: string, channels: number, rows: number[]): string {
  const mean = g.op("Mul", [g.op("ReduceSum", [x, g.ints([-1])], { keepdims: 0 }), g.weight([], 1 / channels)]);
  const meanSquare = g.op("Mul", [g.op("ReduceSum", [g.op("Mul", [x, x]), g.ints([-1])], { keepdims: 0 }), g.weight([], 1 / channels)]);
  const variance = g.op("Max", [g.weight([], 0), g.op("Sub", [meanSquare, g.op("Mul", [mean, mean])])]);
  const column = (t: string) => g.op("Reshape", [t, g.ints([...rows, 1])]);
  const rsqrt = g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [column(variance), g.weight([], 1e-6)])])]);
  const scaled = g.op("Mul", [rsqrt, g.weight([1, 1, 1, channels])]);
  return g.op("Add", [g.op("Mul", [g.op("Sub", [x, column(mean)]), scaled]), g.weight([1, 1, 1, channels])]);
}

function jaxGelu(g: TestGraph, x: string): string {
  const cube = g.op("Mul", [g.op("Mul", [g.weight([], 0.044715), x]), g.op("Mul", [x, x])]);
  const tanh = g.op("Tanh", [g.op("Mul", [g.weight([], Math.sqrt(2 / Math.PI)), g.op("Add", [x, cube])])]);
  return g.op("Mul", [g.op("Mul", [g.weight([], 0.5), x]), g.op("Add", [g.weight([], 1), tanh])]);
}

describe("optimizeGraph", () => {
  it("fuses layer norm, GELU, sigmoid and leaky ReLU into single nodes", async () => {
    const g = new TestGraph([1, 4, 4, 8]);
    const ln = jaxLayerNorm(g, "x", 8, [1, 4, 4]);
    const gelu = jaxGelu(g, ln);
    const sigmoid = g.op("Reciprocal", [g.op("Add", [g.weight([], 1), g.op("Exp", [g.op("Neg", [gelu])])])]);
    const leaky = g.op("Where", [g.op("GreaterOrEqual", [sigmoid, g.weight([], 0)]), sigmoid, g.op("Mul", [g.weight([], 0.2), sigmoid])]);
    const diff = await optimizeAndCompare(g, g.op("Sub", [leaky, g.weight([], 0.5)]), [1, 4, 4, 8]);
    expect(diff).toBeLessThan(1e-5);
    expect(g.ops().sort()).toEqual(["Gelu", "Identity", "LayerNormalization", "LeakyRelu", "Sigmoid", "Sub"]);
  });

  it("cancels the transposes around convolutions through element-wise ops and folds the bias into the Conv", async () => {
    const g = new TestGraph([1, 6, 6, 4]);
    const conv = (x: string) => {
      const nchw = g.op("Transpose", [x], { perm: [0, 3, 1, 2] });
      const y = g.op("Conv", [nchw, g.weight([4, 4, 3, 3])], { kernel_shape: [3, 3], auto_pad: "SAME_UPPER" });
      return g.op("Add", [g.op("Transpose", [y], { perm: [0, 2, 3, 1] }), g.weight([1, 1, 1, 4])]);
    };
    const first = conv("x");
    const activated = g.op("Where", [g.op("GreaterOrEqual", [first, g.weight([], 0)]), first, g.op("Mul", [g.weight([], 0.2), first])]);
    const diff = await optimizeAndCompare(g, conv(activated), [1, 6, 6, 4]);
    expect(diff).toBeLessThan(1e-5);
    expect(g.ops()).toEqual(["Transpose", "Conv", "LeakyRelu", "Conv", "Transpose", "Identity"]);
  });

  it("turns swapaxes → Dense over tokens → swapaxes into one MatMul from the left (block and grid gating)", async () => {
    // x: [n, blocks, tokens, channels]; block gating mixes axis 2, grid gating axis 1.
    const g = new TestGraph([1, 4, 6, 3]);
    const block = g.op("Transpose", [g.op("Add", [g.op("MatMul", [g.op("Transpose", ["x"], { perm: [0, 1, 3, 2] }), g.weight([6, 6])]), g.weight([1, 1, 1, 6])])], { perm: [0, 1, 3, 2] });
    const swapped = g.op("Transpose", [block], { perm: [0, 3, 2, 1] });
    const grid = g.op("Transpose", [g.op("Add", [g.op("MatMul", [swapped, g.weight([4, 4])]), g.weight([1, 1, 1, 4])])], { perm: [0, 3, 2, 1] });
    const diff = await optimizeAndCompare(g, g.op("Add", [grid, g.weight([], 1)]), [1, 4, 6, 3]);
    expect(diff).toBeLessThan(1e-5);
    expect(g.ops()).not.toContain("Transpose");
  });

  it("computes channel slices of a Dense layer from the weight's columns instead of copying them apart", async () => {
    const g = new TestGraph([1, 2, 2, 4]);
    const dense = jaxGelu(g, g.op("Add", [g.op("MatMul", ["x", g.weight([4, 8])]), g.weight([1, 1, 1, 8])]));
    const slice = (begin: number, end: number) => g.op("Slice", [dense, g.ints([0, 0, 0, begin]), g.ints([1, 2, 2, end]), g.ints([0, 1, 2, 3]), g.ints([1, 1, 1, 1])]);
    const diff = await optimizeAndCompare(g, g.op("Mul", [slice(0, 4), slice(4, 8)]), [1, 2, 2, 4]);
    expect(diff).toBeLessThan(1e-5);
    expect(g.ops()).not.toContain("Slice");
    expect(g.ops().filter((op) => op === "MatMul")).toHaveLength(2);
  });

  it("applies a channel-reducing Dense layer before an upsampling contraction, where it costs less", async () => {
    // Upsample axis 1 from 4 to 16 with a dense matrix, then reduce 8 channels to 2.
    const g = new TestGraph([1, 4, 8]);
    const up = g.op("MatMul", [g.weight([16, 4]), "x"]);
    const diff = await optimizeAndCompare(g, g.op("MatMul", [up, g.weight([8, 2])]), [1, 16, 2]);
    expect(diff).toBeLessThan(1e-5);
    const first = g.b.nodes.find((n) => n.opType === "MatMul")!;
    expect(first.inputs[1]).not.toBe("x"); // the Dense layer (x · W) comes first now
  });
});
