// `npm run bench:models`: per-tile latency, time per megapixel of network input, peak memory and where the time
// goes (onnxruntime profile, op types) of each MAXIM base network in three forms, in one run, one process per
// measurement:
//   - the converter's optimized fp32 file (what models/ serves),
//   - the op-by-op translation the converter made before its optimizer (`optimize: false`, built here into a
//     temporary folder: the baseline),
//   - the original TF.js graph on tfjs wasm (at the first tile shape listed only: it takes 10x longer),
//   - with --int8, the optimized graph with its channel MatMuls in int8 (converter/src/int8MatMuls.ts), timed in
//     the same rounds and compared with the fp32 file's output on the same crop.
// The first run of each is a warm-up and is not counted. The baseline and the optimized file are measured in turn,
// `--rounds` times (order alternating), and the speed-up is the median of the rounds' ratios: on this shared
// machine the memory-bound baseline's time swings by half between minutes while the optimized file's barely moves,
// so one round's ratio says as much about the neighbours as about the graphs. Writes bench/results/base-models.json.
//   --runs 3   --rounds 3   --tiles 256[,512,384x512]   --only denoise   --no-tfjs   --int8   --out bench/results/base-models.json
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { convertTfjsModel } from "../converter/src/convertTfjsModel.js";
import { agreement } from "../converter/src/imageMetrics.js";
import { maximModels, packageDir, type Task } from "../converter/src/maximModels.js";
import { repositoryDir } from "../common/src/modelRepository.js";
import { median } from "./loadRounds.js";
import { formatOpTimes, type OpTimes } from "./onnxProfile.js";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
    tiles: { type: "string", default: "256" },
    only: { type: "string" },
    "no-tfjs": { type: "boolean", default: false },
    int8: { type: "boolean", default: false },
    out: { type: "string", default: "bench/results/base-models.json" },
  },
});
const runs = Number(values.runs);
const rounds = Number(values.rounds);
const only = values.only?.split(",") as Task[] | undefined;
const tiles = values.tiles.split(",").map((t) => (t.includes("x") ? t.split("x").map(Number) : [Number(t), Number(t)]) as [number, number]);

interface Measurement {
  loadMs: number;
  runsMs: number[];
  peakRssMiB: number;
  profile?: OpTimes;
  tileMsMedian: number;
  /** Seconds per megapixel of network input. */
  sPerMegapixel: number;
}

/** One process of bench/baseModelRun.ts; `outputTo` keeps its last output (raw float32). */
async function measure(task: Task, runtime: string, height: number, width: number, outputTo?: string): Promise<Measurement> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/baseModelRun.ts", task, runtime, String(height), String(width), String(runs + 1)], {
    maxBuffer: 1 << 24,
    env: { ...process.env, ...(outputTo ? { BENCH_OUTPUT_TO: outputTo } : {}) },
  });
  const m = JSON.parse(stdout.trim().split("\n").pop()!) as Omit<Measurement, "tileMsMedian" | "sPerMegapixel">;
  const tileMsMedian = median(m.runsMs.slice(1));
  return { ...m, tileMsMedian, sPerMegapixel: tileMsMedian / 1000 / ((height * width) / 1e6) };
}

const scratch = await mkdtemp(join(os.tmpdir(), "edge-restore-bench-models-"));
/** The converted file: from models/ when it is there at this size, else converted into the scratch folder. */
type Form = "baseline" | "optimized" | "int8";
async function modelFile(task: Task, height: number, width: number, form: Form): Promise<string> {
  const name = `maxim-${task}-${height === width ? height : `${height}x${width}`}`;
  const served = join(repositoryDir, name, "1", "model.onnx");
  if (form === "optimized" && existsSync(served)) return served;
  const source = maximModels.find((m) => m.task === task)!;
  const file = join(scratch, `${name}-${form}.onnx`);
  const converted = await convertTfjsModel({
    modelDir: `${packageDir(source)}models`,
    height,
    width,
    precision: "fp32",
    optimize: form !== "baseline",
    int8MatMuls: form === "int8",
  });
  await writeFile(file, converted.onnx);
  return file;
}

/** The rounds of one form pooled: all counted runs, the first round's load time and profile, the highest peak. */
function pooled(measurements: Measurement[], height: number, width: number): Measurement {
  const runsMs = measurements.flatMap((m) => m.runsMs.slice(1));
  const tileMsMedian = median(runsMs);
  return {
    ...measurements[0]!,
    runsMs,
    peakRssMiB: Math.max(...measurements.map((m) => m.peakRssMiB)),
    tileMsMedian,
    sPerMegapixel: tileMsMedian / 1000 / ((height * width) / 1e6),
  };
}

const fmt = (m: Measurement) => `${(m.tileMsMedian / 1000).toFixed(2)} s/tile ${m.sPerMegapixel.toFixed(1)} s/MP (peak ${m.peakRssMiB.toFixed(0)} MiB)`;
const ratios = (slower: Measurement[], faster: Measurement[]) => slower.map((s, i) => s.tileMsMedian / faster[i]!.tileMsMedian);
const readFloats = async (file: string) => {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};
const rows = [];
try {
  for (const { task } of maximModels.filter((m) => !only || only.includes(m.task))) {
    for (const [height, width] of tiles) {
      const forms: { form: Form; file: string; rounds: Measurement[] }[] = [];
      for (const form of ["baseline", "optimized", ...(values.int8 ? ["int8"] : [])] as Form[]) {
        forms.push({ form, file: await modelFile(task, height, width, form), rounds: [] });
      }
      for (let round = 0; round < rounds; round++) {
        // Each round starts with the next form, so that no form always runs right after the conversion.
        for (let i = 0; i < forms.length; i++) {
          const f = forms[(i + round) % forms.length]!;
          // With --int8, the first round keeps the fp32 and int8 outputs for their comparison.
          const output = values.int8 && round === 0 && f.form !== "baseline" ? join(scratch, `${f.form}.f32`) : undefined;
          f.rounds.push(await measure(task, f.file, height, width, output));
        }
      }
      const [baselineRounds, optimizedRounds, int8Rounds] = forms.map((f) => f.rounds) as [Measurement[], Measurement[], Measurement[] | undefined];
      const speedupPerRound = ratios(baselineRounds, optimizedRounds);
      const [baseline, optimized] = [pooled(baselineRounds, height, width), pooled(optimizedRounds, height, width)];
      const first = height === tiles[0]![0] && width === tiles[0]![1];
      const tfjs = values["no-tfjs"] || !first ? undefined : await measure(task, "tfjs-wasm", height, width);
      let int8: (Measurement & { speedupOverOptimized: number; speedupPerRound: number[]; psnrVsOptimized: number; maxAbsDiffVsOptimized: number }) | undefined;
      if (int8Rounds) {
        const [exact, approximate] = [await readFloats(join(scratch, "optimized.f32")), await readFloats(join(scratch, "int8.f32"))];
        const int8SpeedupPerRound = ratios(optimizedRounds, int8Rounds);
        const { psnr, maxAbsDiff } = agreement(exact, approximate);
        int8 = {
          ...pooled(int8Rounds, height, width),
          speedupOverOptimized: median(int8SpeedupPerRound),
          speedupPerRound: int8SpeedupPerRound,
          // Against the fp32 file's output on the same crop (values 0..1): how far int8 moves the restoration.
          psnrVsOptimized: psnr,
          maxAbsDiffVsOptimized: maxAbsDiff,
        };
      }
      const row = {
        task,
        tile: `${height}x${width}`,
        optimized,
        baseline,
        ...(tfjs ? { tfjsWasm: tfjs } : {}),
        ...(int8 ? { int8 } : {}),
        speedupOverBaseline: median(speedupPerRound),
        speedupPerRound,
        ...(tfjs ? { speedupOverTfjsWasm: tfjs.tileMsMedian / optimized.tileMsMedian } : {}),
      };
      rows.push(row);
      console.log(`${task} ${row.tile}`);
      console.log(`  optimized ${fmt(optimized)}  GEMM-type ${(optimized.profile!.gemmShare * 100).toFixed(0)}%: ${formatOpTimes(optimized.profile!)}`);
      console.log(`  baseline  ${fmt(baseline)}  GEMM-type ${(baseline.profile!.gemmShare * 100).toFixed(0)}%: ${formatOpTimes(baseline.profile!)}`);
      if (tfjs) console.log(`  tfjs-wasm ${fmt(tfjs)}`);
      console.log(`  optimized vs baseline ${row.speedupOverBaseline.toFixed(2)}x (rounds: ${speedupPerRound.map((r) => r.toFixed(2)).join(", ")})${tfjs ? `, vs tfjs-wasm ${row.speedupOverTfjsWasm!.toFixed(1)}x` : ""}`);
      if (int8) {
        console.log(`  int8      ${fmt(int8)}  ${formatOpTimes(int8.profile!)}`);
        console.log(`  int8 vs optimized ${int8.speedupOverOptimized.toFixed(2)}x (rounds: ${int8.speedupPerRound.map((r) => r.toFixed(2)).join(", ")}); output ${int8.psnrVsOptimized.toFixed(1)} dB PSNR from the fp32 file's, max abs diff ${int8.maxAbsDiffVsOptimized.toFixed(3)}`);
      }
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
const out = values.out;
await mkdir(join(out, ".."), { recursive: true });
const command = ["npm run bench:models", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
await writeFile(
  out,
  `${JSON.stringify({ command, date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version }, runsCounted: runs, rounds, rows }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
