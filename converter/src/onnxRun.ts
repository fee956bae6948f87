// Runs a converted model once on the CPU with onnxruntime-node (used by checks and benchmarks).
import * as ort from "onnxruntime-node";

export async function createCpuSession(model: string | Uint8Array, threads = 0): Promise<ort.InferenceSession> {
  // Uint8Array: ORT takes a buffer; string: a path.
  return ort.InferenceSession.create(model as Uint8Array, { graphOptimizationLevel: "all", intraOpNumThreads: threads });
}

export async function runNhwc(session: ort.InferenceSession, input: Float32Array, height: number, width: number): Promise<Float32Array> {
  const output = await session.run({ input: new ort.Tensor("float32", input, [1, height, width, 3]) });
  return output["output"]!.data as Float32Array;
}
