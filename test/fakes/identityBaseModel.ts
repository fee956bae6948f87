// An identity ONNX "base network" and its manifest entry, for measuring or testing the pipeline around a
// network (tiling, batching, blending, memory) without running one. `batch` -1 makes the batch dimension dynamic.
// `work` > 0 adds that many 256x256 matrix products per pixel whose result is multiplied by 0 and added to the
// output: still the identity, but each tile takes measurable time (progress and cancellation tests).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ManifestEntry, TileShape } from "../../common/src/modelRepository.js";
import { OnnxGraphBuilder } from "../../converter/src/onnxGraphBuilder.js";

/** `tile`: a square's side, or a height x width shape. */
export async function writeIdentityBaseModel(dir: string, task: ManifestEntry["task"], tile: number | TileShape, batch: number, work = 0): Promise<ManifestEntry> {
  const { height, width } = typeof tile === "number" ? { height: tile, width: tile } : tile;
  const b = new OnnxGraphBuilder();
  b.dtypes.set("input", "float32");
  if (work > 0) {
    const raw = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const weight = (name: string, shape: number[]) =>
      b.addInitializer(name, { dtype: "float32", shape, raw: raw(new Float32Array(shape[0]! * shape[1]!).fill(1 / shape[0]!)) });
    const ints = (name: string, values: number[]) => b.addInitializer(name, { dtype: "int64", shape: [values.length], raw: raw(BigInt64Array.from(values.map(BigInt))) });
    let t = b.node("MatMul", [b.node("Reshape", ["input", ints("rows", [-1, 3])], ["rows_out"]), weight("w_in", [3, 256])], ["busy_0"]);
    for (let i = 1; i <= work; i++) t = b.node("MatMul", [t, weight(`w_${i}`, [256, 256])], [`busy_${i}`]);
    const nothing = b.node("Mul", [b.node("ReduceSum", [t, ints("all", [0, 1])], ["busy_sum"], { keepdims: 0 }), b.addInitializer("zero", { dtype: "float32", shape: [], raw: raw(new Float32Array(1)) })], ["nothing"]);
    b.node("Add", ["input", nothing], ["output"]);
  } else {
    b.node("Identity", ["input"], ["output"]);
  }
  const onnxShape = [batch > 0 ? batch : "batch", height, width, 3];
  const name = `identity-${height === width ? height : `${height}x${width}`}`;
  const file = join(dir, `${name}.onnx`);
  await writeFile(file, b.toModel("identity", [{ name: "input", dtype: "float32", shape: onnxShape }], [{ name: "output", dtype: "float32", shape: onnxShape }], {}));
  const shape = [batch, height, width, 3];
  return {
    name,
    task,
    role: "base",
    source: "test fake",
    trainedOn: "nothing",
    precision: "fp32",
    file,
    sha256: "",
    bytes: 0,
    parameters: 0,
    tile: { height, width },
    inputs: [{ name: "input", datatype: "FP32", shape }],
    outputs: [{ name: "output", datatype: "FP32", shape }],
  };
}
