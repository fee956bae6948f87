// Runs the original MAXIM TF.js graph models on the tfjs wasm backend in Node: the ground truth the
// ONNX conversion is checked against.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { GraphModel } from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmEinsum } from "./einsumKernel.js";

const require = createRequire(import.meta.url);

/**
 * Makes "wasm" the active backend, with the SIMD binary and our Einsum kernel.
 *
 * Threads: not used. tfjs-backend-wasm hard-codes WASM_HAS_MULTITHREAD_SUPPORT=false under Node
 * (tensorflow/tfjs#3830), and its threaded build starts its pthread workers from blob: URLs, which
 * Node's worker_threads cannot load. So this runs single-threaded XNNPACK with SIMD.
 */
export async function initTfjsWasm(): Promise<void> {
  registerWasmEinsum();
  if (tf.getBackend() === "wasm") return;
  // In Node, Emscripten reads the .wasm with fs, so a plain directory path (with trailing slash) works.
  const wasmDir = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/");
  setWasmPaths(wasmDir);
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialise");
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) throw new Error("wasm SIMD unavailable in this Node");
}

/** Runs `model` on one NHWC image `[1,height,width,3]` (values in [0,1]); returns the NHWC output (or that of
 * the inner node `outputNode`). */
export async function runTfjsReference(
  model: GraphModel,
  input: Float32Array,
  height: number,
  width: number,
  outputNode?: string,
): Promise<Float32Array> {
  if (input.length !== height * width * 3) {
    throw new Error(`input has ${input.length} values, expected ${height}x${width}x3`);
  }
  if (height % 64 !== 0 || width % 64 !== 0) throw new Error("MAXIM needs height and width multiples of 64");
  const x = tf.tensor4d(input, [1, height, width, 3], "float32");
  try {
    // execute() keeps no intermediates: the graph executor disposes them as it goes.
    const y = (outputNode ? model.execute(x, outputNode) : model.execute(x)) as tf.Tensor;
    try {
      return (await y.data()) as Float32Array;
    } finally {
      y.dispose();
    }
  } finally {
    x.dispose();
  }
}
