// CLI: run an original MAXIM TF.js model on a centre crop of a photo and write the raw float32 NHWC
// output. `npx tsx converter/src/reference/runReference.ts --model denoise --size 256 \
//   [--image path.png] [--out out.bin] [--runs 1] [--backend wasm|cpu]`
// The image defaults to the model package's own fixture.png; --backend cpu is the pure-JS tfjs
// backend (very slow), kept for cross-checking the wasm path.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { readCenterCrop } from "./imageCrop.js";
import { maximModels, packageDir as packageDirOf, type Task } from "../maximModels.js";
import { loadTfjsGraphModel } from "./loadTfjsModel.js";
import { initTfjsWasm, runTfjsReference } from "./tfjsReference.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    size: { type: "string", default: "64" },
    image: { type: "string" },
    out: { type: "string" },
    runs: { type: "string", default: "1" },
    backend: { type: "string", default: "wasm" },
  },
});
const model = values.model as Task;
const size = Number(values.size);
const runs = Number(values.runs);
const source = maximModels.find((m) => m.task === model);
if (!source) throw new Error(`--model must be one of ${maximModels.map((m) => m.task).join(", ")}`);
if (!Number.isInteger(size) || size <= 0 || size % 64 !== 0) throw new Error("--size must be a multiple of 64");
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");

const packageDir = packageDirOf(source);

if (values.backend === "wasm") await initTfjsWasm();
else if (values.backend === "cpu") await tf.setBackend("cpu");
else throw new Error("--backend must be wasm or cpu");

let t = performance.now();
const graph = await loadTfjsGraphModel(join(packageDir, "models"));
console.log(`backend ${tf.getBackend()}, ${model} loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const input = await readCenterCrop(values.image ?? join(packageDir, "assets", "fixture.png"), size, size);

let output: Float32Array = new Float32Array(0);
for (let i = 1; i <= runs; i++) {
  t = performance.now();
  output = await runTfjsReference(graph, input, size, size);
  console.log(`run ${i}: ${model} ${size}x${size} on ${tf.getBackend()}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
}
if (values.out) {
  await writeFile(values.out, new Uint8Array(output.buffer, output.byteOffset, output.byteLength));
  console.log(`wrote ${values.out}: float32 NHWC [1,${size},${size},3]`);
}
graph.dispose();
