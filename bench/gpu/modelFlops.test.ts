import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { OnnxGraphBuilder } from "../../converter/src/onnxGraphBuilder.js";
import { nodeFlops, profileModelFlops } from "./modelFlops.js";

const floats = (n: number) => ({ dtype: "float32" as const, raw: new Uint8Array(new Float32Array(n).fill(0.01).buffer) });

describe("nodeFlops", () => {
  it("counts a multiply-add as two operations", () => {
    // 3x3 conv, 8 -> 16 channels, 32x32 output: 16*32*32 outputs x 8*3*3 multiply-adds.
    expect(nodeFlops("Conv", [[1, 8, 32, 32], [16, 8, 3, 3]], [[1, 16, 32, 32]])).toBe(2 * 16 * 32 * 32 * 8 * 9);
    // Depthwise (group 8): the weight's second dimension is 1.
    expect(nodeFlops("Conv", [[1, 8, 32, 32], [8, 1, 3, 3]], [[1, 8, 32, 32]])).toBe(2 * 8 * 32 * 32 * 9);
    expect(nodeFlops("MatMul", [[2, 64, 32], [32, 48]], [[2, 64, 48]])).toBe(2 * 2 * 64 * 48 * 32);
    expect(nodeFlops("ConvTranspose", [[1, 16, 8, 8], [16, 8, 2, 2]], [[1, 8, 16, 16]])).toBe(2 * 16 * 8 * 8 * 8 * 4);
    expect(nodeFlops("Add", [[1, 8], [1, 8]], [[1, 8]])).toBe(0);
  });
});

describe("profileModelFlops", () => {
  it("reads the shapes of a real run from onnxruntime's profile", { timeout: 60_000 }, async () => {
    const b = new OnnxGraphBuilder();
    b.dtypes.set("x", "float32");
    b.addInitializer("w", { ...floats(16 * 8 * 9), shape: [16, 8, 3, 3] });
    b.addInitializer("t", { ...floats(16 * 4 * 4), shape: [16, 4, 2, 2] });
    b.addInitializer("m", { ...floats(64 * 10), shape: [64, 10] });
    b.node("Conv", ["x", "w"], ["y"], { pads: [1, 1, 1, 1] });
    // onnxruntime's profile leaves out these two nodes' weight shapes: they come from the initializers.
    // As in the fp16 models: the weight reaches the node through a Cast.
    b.node("Cast", ["t"], ["t32"], { to: 1 });
    b.node("ConvTranspose", ["y", "t32"], ["u"], { strides: [2, 2] });
    b.node("MatMul", ["u", "m"], ["z"]);
    const model = b.toModel("flops", [{ name: "x", dtype: "float32", shape: [1, 8, 32, 32] }], [{ name: "z", dtype: "float32", shape: [1, 4, 64, 10] }], {});
    const flops = await profileModelFlops(model, { x: new ort.Tensor("float32", new Float32Array(8 * 32 * 32), [1, 8, 32, 32]) });
    expect(flops.byOp).toEqual({ Conv: 2 * 16 * 32 * 32 * 8 * 9, ConvTranspose: 2 * 16 * 32 * 32 * 4 * 4, MatMul: 2 * 4 * 64 * 10 * 64 });
    expect(flops.total).toBe(flops.byOp["Conv"]! + flops.byOp["ConvTranspose"]! + flops.byOp["MatMul"]!);
  });
});
