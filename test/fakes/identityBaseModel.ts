// An identity ONNX "base network" and its manifest entry, for measuring or testing the pipeline around a
// network (tiling, batching, blending, memory) without running one. `batch` -1 makes the batch dimension dynamic.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ManifestEntry, TileShape } from "../../converter/src/modelRepository.js";
import { OnnxGraphBuilder } from "../../converter/src/onnxGraphBuilder.js";

/** `tile`: a square's side, or a height x width shape. */
export async function writeIdentityBaseModel(dir: string, task: ManifestEntry["task"], tile: number | TileShape, batch: number): Promise<ManifestEntry> {
  const { height, width } = typeof tile === "number" ? { height: tile, width: tile } : tile;
  const b = new OnnxGraphBuilder();
  b.dtypes.set("input", "float32");
  b.node("Identity", ["input"], ["output"]);
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
