// fp16 model files: float weights stored as fp16 (half the file) and widened to fp32 by a Cast that the session
// folds when it loads them; arithmetic stays fp32. Whole-graph fp16 arithmetic was tried and gives NaN from
// 128x128 tiles up (sums over the image pass fp16's 65504 even with the normalisation ops kept in fp32).
import { Float16Array } from "@petamoriken/float16";
import { onnxDataType, type OnnxGraphBuilder } from "./onnxGraphBuilder.js";

const raw = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/**
 * Whether a float constant can be stored as fp16. Folded shape arithmetic holds integer-valued grids (pixel
 * coordinates at 256x256 reach 65535): fp16 has integers exact only to 2048, so such tensors stay fp32.
 */
export function survivesFp16(data: Float32Array): boolean {
  let integral = true;
  let max = 0;
  for (const v of data) {
    if (integral && !Number.isInteger(v)) integral = false;
    max = Math.max(max, Math.abs(v));
  }
  return max <= 65504 && !(integral && max > 2048);
}

/** Replaces every float32 initializer some node reads that survives fp16 by an fp16 one and a Cast to fp32 under its old name. */
export function storeWeightsAsFp16(b: OnnxGraphBuilder): void {
  const read = new Set(b.nodes.flatMap((n) => n.inputs));
  const casts = [];
  for (const [name, init] of [...b.initializers]) {
    if (init.dtype !== "float32" || !read.has(name)) continue;
    const bytes = init.raw.slice();
    const data = new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
    if (!survivesFp16(data)) continue;
    b.initializers.delete(name);
    const stored = b.addInitializer(`${name}__fp16`, { dtype: "float16", shape: init.shape, raw: raw(new Uint16Array(new Float16Array(data).buffer)) });
    casts.push({ opType: "Cast", inputs: [stored], outputs: [name], attrs: { to: onnxDataType("float32") } });
  }
  b.nodes = [...casts, ...b.nodes];
}
