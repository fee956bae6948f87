// `npm run bench:memory`: peak RSS of the restore pipeline itself (decode, tiling, blending, encode) for a
// 24-megapixel photo (6000x4000 JPEG), against decoding alone in the same kind of process. The base network is
// an identity ONNX model with 256x256 tiles, so what is measured is the pipeline's memory, not a network's (a
// MAXIM session adds its own, about 1.2 GiB on CPU: see bench/results/load.json); on these 2 CPU cores the
// real networks would take about half an hour for the 486 tiles. Writes bench/results/pipeline-memory.json.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);
const width = 6000;
const height = 4000;

async function measure(mode: "decode" | "pipeline"): Promise<{ peakRssMiB: number; seconds: number; tiles: number }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/pipelineMemoryRun.ts", mode, String(width), String(height)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { peakRssMiB: number; seconds: number; tiles: number };
}

const rounds = 3;
const results = { decode: [] as number[], pipeline: [] as number[], seconds: [] as number[], tiles: 0 };
for (let i = 0; i < rounds; i++) {
  const decode = await measure("decode");
  const pipeline = await measure("pipeline");
  results.decode.push(decode.peakRssMiB);
  results.pipeline.push(pipeline.peakRssMiB);
  results.seconds.push(pipeline.seconds);
  results.tiles = pipeline.tiles;
  console.log(`round ${i + 1}/${rounds}: decode only ${decode.peakRssMiB.toFixed(0)} MiB, whole pipeline ${pipeline.peakRssMiB.toFixed(0)} MiB in ${pipeline.seconds.toFixed(1)} s`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = {
  command: "npm run bench:memory",
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown" },
  input: `${width}x${height} JPEG (${((width * height) / 1e6).toFixed(0)} MP)`,
  baseNetwork: "identity ONNX model, 256x256 tiles (measures the pipeline, not a network)",
  tiles: results.tiles,
  rounds,
  decodeOnlyPeakRssMiB: Math.round(median(results.decode)),
  pipelinePeakRssMiB: Math.round(median(results.pipeline)),
  ratio: Number((median(results.pipeline) / median(results.decode)).toFixed(2)),
  pipelineSeconds: Number(median(results.seconds).toFixed(1)),
};
console.log(summary);
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/pipeline-memory.json", `${JSON.stringify(summary, null, 2)}\n`);
