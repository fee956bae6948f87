// `npm run bench:models`: per-tile latency and peak memory of each converted base network on onnxruntime-node
// (CPU) against the original TF.js graph on tfjs wasm, same 256x256 input, same run, one process per
// measurement. The first run of each is a warm-up and is not counted. Writes bench/results/base-models.json.
//   --runs 3   --tile 256   --only denoise
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs, promisify } from "node:util";
import { maximModels, type Task } from "../converter/src/maximModels.js";

const run = promisify(execFile);
const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, tile: { type: "string", default: "256" }, only: { type: "string" } } });
const runs = Number(values.runs);
const only = values.only?.split(",") as Task[] | undefined;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Measurement { loadMs: number; runsMs: number[]; peakRssMiB: number }
async function measure(task: Task, runtime: "onnx" | "tfjs-wasm"): Promise<Measurement & { tileMsMedian: number }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/baseModelRun.ts", task, runtime, values.tile, String(runs + 1)], {
    maxBuffer: 1 << 20,
  });
  const m = JSON.parse(stdout.trim().split("\n").pop()!) as Measurement;
  return { ...m, tileMsMedian: median(m.runsMs.slice(1)) };
}

const rows = [];
for (const { task } of maximModels.filter((m) => !only || only.includes(m.task))) {
  const onnx = await measure(task, "onnx");
  const tfjs = await measure(task, "tfjs-wasm");
  const row = { task, onnx, tfjsWasm: tfjs, speedup: tfjs.tileMsMedian / onnx.tileMsMedian };
  rows.push(row);
  console.log(
    `${task.padEnd(9)} onnx ${(onnx.tileMsMedian / 1000).toFixed(2)} s/tile (peak ${onnx.peakRssMiB.toFixed(0)} MiB)  ` +
      `tfjs-wasm ${(tfjs.tileMsMedian / 1000).toFixed(2)} s/tile (peak ${tfjs.peakRssMiB.toFixed(0)} MiB)  speed-up ${row.speedup.toFixed(1)}x`,
  );
}
await mkdir(new URL("./results/", import.meta.url), { recursive: true });
await writeFile(
  new URL("./results/base-models.json", import.meta.url),
  `${JSON.stringify({ command: "npm run bench:models", date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version }, tile: Number(values.tile), runsCounted: runs, rows }, null, 2)}\n`,
);
console.log("wrote bench/results/base-models.json");
