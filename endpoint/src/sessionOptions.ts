// onnxruntime session options for the endpoint's models.
import type { InferenceSession } from "onnxruntime-node";

/**
 * The CPU memory arena and memory patterns are off: with them a MAXIM session peaked at 2002 MiB, without them at
 * 1168 MiB, at the same speed (256x256 tile, 2-core CPU; measured while developing; bench:load shows the endpoint
 * process at 1310 MiB).
 */
export function sessionOptions(provider: string, threads = 0): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    enableCpuMemArena: false,
    enableMemPattern: false,
  };
}
