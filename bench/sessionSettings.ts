// `npm run bench:session`: onnxruntime session settings for the base networks, measured rather than guessed, in
// one run: each variant in its own process on the same 256x256 crop (first run a warm-up), the whole set
// repeated `--rounds` times in turn so that machine noise spreads over all of them; medians per tile and peak RSS.
// Variants: the endpoint's settings (endpoint/src/sessionOptions.ts), the memory arena and memory patterns on,
// lower graph optimization levels, one intra-op thread, and a file with a fixed batch of 2 tiles.
//   --task lowlight   --runs 3   --rounds 2   --out bench/results/session-settings.json
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { convertTfjsModel } from "../converter/src/convertTfjsModel.js";
import { maximModels, packageDir, type Task } from "../converter/src/maximModels.js";
import { repositoryDir } from "../common/src/modelRepository.js";
import { median } from "./loadRounds.js";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    task: { type: "string", default: "lowlight" },
    runs: { type: "string", default: "3" },
    rounds: { type: "string", default: "2" },
    out: { type: "string", default: "bench/results/session-settings.json" },
  },
});
const task = values.task as Task;
const tile = 256;
const scratch = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-session-"));
const served = join(repositoryDir, `maxim-${task}-${tile}`, "1", "model.onnx");
const batch2 = join(scratch, "batch2.onnx");
const source = maximModels.find((m) => m.task === task)!;
await writeFile(batch2, (await convertTfjsModel({ modelDir: `${packageDir(source)}models`, height: tile, width: tile, batch: 2, precision: "fp32" })).onnx);

const variants: { name: string; file: string; options?: object; tilesPerRun: number }[] = [
  { name: "endpoint settings (all optimizations, arena and memory patterns off, threads = cores)", file: served, tilesPerRun: 1 },
  { name: "memory arena and memory patterns on", file: served, options: { enableCpuMemArena: true, enableMemPattern: true }, tilesPerRun: 1 },
  { name: "graph optimization level extended (no NCHWc layout)", file: served, options: { graphOptimizationLevel: "extended" }, tilesPerRun: 1 },
  { name: "graph optimization level basic", file: served, options: { graphOptimizationLevel: "basic" }, tilesPerRun: 1 },
  { name: "one intra-op thread", file: served, options: { intraOpNumThreads: 1 }, tilesPerRun: 1 },
  { name: "fixed batch of 2 tiles per run", file: batch2, tilesPerRun: 2 },
];
const samples = new Map<string, { tileMs: number[]; peakRssMiB: number[] }>();
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const v of variants) {
      const args = ["--import", "tsx", "bench/baseModelRun.ts", task, v.file, String(tile), String(tile), String(Number(values.runs) + 1), JSON.stringify(v.options ?? {})];
      const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24 });
      const m = JSON.parse(stdout.trim().split("\n").pop()!) as { runsMs: number[]; peakRssMiB: number };
      const s = samples.get(v.name) ?? { tileMs: [], peakRssMiB: [] };
      s.tileMs.push(...m.runsMs.slice(1).map((ms) => ms / v.tilesPerRun));
      s.peakRssMiB.push(m.peakRssMiB);
      samples.set(v.name, s);
      console.log(`round ${round + 1}: ${v.name}: ${(median(m.runsMs.slice(1)) / v.tilesPerRun / 1000).toFixed(2)} s/tile`);
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
const reference = median(samples.get(variants[0]!.name)!.tileMs);
const rows = variants.map((v) => {
  const s = samples.get(v.name)!;
  const tileMs = median(s.tileMs);
  return { variant: v.name, options: v.options ?? {}, tilesPerRun: v.tilesPerRun, tileMsMedian: Math.round(tileMs), relativeToEndpoint: Number((tileMs / reference).toFixed(3)), peakRssMiB: Math.round(Math.max(...s.peakRssMiB)) };
});
console.log("\n| variant | s per tile | vs endpoint settings | peak RSS MiB |\n| --- | ---: | ---: | ---: |");
for (const r of rows) console.log(`| ${r.variant} | ${(r.tileMsMedian / 1000).toFixed(2)} | ${r.relativeToEndpoint.toFixed(2)} | ${r.peakRssMiB} |`);
await mkdir(join(values.out, ".."), { recursive: true });
const command = ["npm run bench:session", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
await writeFile(values.out, `${JSON.stringify({ command, date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version }, task, tile, rows }, null, 2)}\n`);
console.log(`wrote ${values.out}`);
