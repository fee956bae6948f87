// One measurement process for bench/baseModels.ts: loads one base network in one runtime, runs it on the same
// photo crop `runs` times, and prints JSON (its own process, so peak RSS is this model's alone). ONNX models run
// with the endpoint's session options; afterwards one profiled run gives the op-type breakdown (after the peak
// RSS is read, so the profiler's session does not count). An optional JSON argument overrides session options
// (bench/sessionSettings.ts); a model with a batch dimension above 1 runs that many copies of the crop at once.
// With BENCH_OUTPUT_TO set, the last run's output is written there (raw float32).
//   tsx bench/baseModelRun.ts <task> <model.onnx | tfjs-wasm> <height> <width> <runs> ['{"intraOpNumThreads":1}']
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { maximModels, packageDir } from "../converter/src/maximModels.js";
import sharp from "sharp";
import { loadTfjsGraphModel } from "../converter/src/reference/loadTfjsModel.js";
import { initTfjsWasm, runTfjsReference } from "../converter/src/reference/tfjsReference.js";
import { sessionOptions } from "../endpoint/src/sessionOptions.js";
import { opTimes, profiledRun } from "./onnxProfile.js";

const [task, runtime, heightArg, widthArg, runsArg, optionsArg] = process.argv.slice(2);
const [height, width] = [Number(heightArg), Number(widthArg)];
const source = maximModels.find((m) => m.task === task);
if (!source || !runtime || !height || !width) throw new Error("usage: <task> <model.onnx|tfjs-wasm> <height> <width> <runs>");
// The same input for every runtime: the enhancement package's photo (470x470), scaled to cover the tile.
const photo = join(packageDir(maximModels.find((m) => m.task === "lowlight")!), "assets", "fixture.png");
const pixels = await sharp(photo).resize(width, height, { fit: "cover" }).removeAlpha().raw().toBuffer();
const input = Float32Array.from(pixels, (v) => v / 255);

const options = { ...sessionOptions("cpu"), ...(optionsArg ? (JSON.parse(optionsArg) as ort.InferenceSession.SessionOptions) : {}) };
let started = performance.now();
let run: () => Promise<Float32Array>;
if (runtime === "tfjs-wasm") {
  await initTfjsWasm();
  const model = await loadTfjsGraphModel(join(packageDir(source), "models"));
  run = () => runTfjsReference(model, input, height, width);
} else {
  const session = await ort.InferenceSession.create(runtime, options);
  const batch = Number(session.inputMetadata[0]?.isTensor ? session.inputMetadata[0].shape[0] : 1) || 1;
  const batched = new Float32Array(batch * input.length);
  for (let i = 0; i < batch; i++) batched.set(input, i * input.length);
  run = async () => (await session.run({ input: new ort.Tensor("float32", batched, [batch, height, width, 3]) }))["output"]!.data as Float32Array;
}
const loadMs = performance.now() - started;
const runsMs: number[] = [];
let output: Float32Array | undefined;
for (let i = 0; i < Number(runsArg); i++) {
  started = performance.now();
  output = await run();
  runsMs.push(performance.now() - started);
}
// For comparing two files' outputs (bench/baseModels.ts --int8).
if (process.env["BENCH_OUTPUT_TO"] && output) await writeFile(process.env["BENCH_OUTPUT_TO"], new Uint8Array(output.buffer, output.byteOffset, output.byteLength));
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const profile =
  runtime === "tfjs-wasm" || optionsArg
    ? undefined
    : opTimes(await profiledRun(runtime, { input: new ort.Tensor("float32", input, [1, height, width, 3]) }, options, 2));
console.log(JSON.stringify({ loadMs, runsMs, peakRssMiB, profile }));
