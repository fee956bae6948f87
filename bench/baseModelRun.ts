// One measurement process for bench/baseModels.ts: loads one base network in one runtime, runs it on the
// same 256x256 photo crop `runs` times, and prints JSON (its own process, so peak RSS is this model's alone).
//   tsx bench/baseModelRun.ts <task> <onnx|tfjs-wasm> <tile> <runs>
import { join } from "node:path";
import { maximModels, packageDir } from "../converter/src/maximModels.js";
import { repositoryDir } from "../converter/src/modelRepository.js";
import { createCpuSession, runNhwc } from "../converter/src/onnxRun.js";
import { readCenterCrop } from "../converter/src/reference/imageCrop.js";
import { loadTfjsGraphModel } from "../converter/src/reference/loadTfjsModel.js";
import { initTfjsWasm, runTfjsReference } from "../converter/src/reference/tfjsReference.js";

const [task, runtime, tileArg, runsArg] = process.argv.slice(2);
const tile = Number(tileArg);
const source = maximModels.find((m) => m.task === task);
if (!source || (runtime !== "onnx" && runtime !== "tfjs-wasm")) throw new Error("usage: <task> <onnx|tfjs-wasm> <tile> <runs>");
// The same input for both runtimes: the denoising package's real noisy photo.
const input = await readCenterCrop(join(packageDir(maximModels.find((m) => m.task === "denoise")!), "assets", "fixture.png"), tile, tile);

let started = performance.now();
let run: () => Promise<Float32Array>;
if (runtime === "onnx") {
  const session = await createCpuSession(join(repositoryDir, `maxim-${task}-${tile}/1/model.onnx`));
  run = () => runNhwc(session, input, tile, tile);
} else {
  await initTfjsWasm();
  const model = await loadTfjsGraphModel(join(packageDir(source), "models"));
  run = () => runTfjsReference(model, input, tile, tile);
}
const loadMs = performance.now() - started;
const runsMs: number[] = [];
for (let i = 0; i < Number(runsArg); i++) {
  started = performance.now();
  await run();
  runsMs.push(performance.now() - started);
}
console.log(JSON.stringify({ loadMs, runsMs, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
