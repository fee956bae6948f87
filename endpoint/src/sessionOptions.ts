// onnxruntime session options for the endpoint's models.
import type { InferenceSession } from "onnxruntime-node";

/**
 * Measured by `npm run bench:session` (bench/results/session-settings.json, optimized lowlight network, 256x256,
 * 2-core CPU): all graph optimizations (extended: 1.11x slower, basic: 1.20x; "all" adds onnxruntime's NCHWc
 * convolutions), every core (one thread: 1.79x slower), and the CPU memory arena and memory patterns off (on: same
 * speed, 57% more peak memory).
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
