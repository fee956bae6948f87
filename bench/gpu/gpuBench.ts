// The GPU benchmark: one run on a lent GPU machine (see bench/gpu/README.md for how it gets there), built to
// plain JS by `npm run gpu:prepare`. For each execution provider (default webgpu, then cpu, on the same
// machine in the same run) it measures:
//   - session creation and per-model latency on one tile (base network, PTG-RM, OSF encoder), medians;
//   - the endpoint's pipeline (decode, OSF, tiled base, PTG-RM, blend, encode) at each size, per stage, medians;
//   - keeping the base output on the device for PTG-RM (onnxruntime's preferred output location) against the
//     round trip through host memory, where the provider has device memory;
// then provider agreement (max abs diff, PSNR) against the CPU provider, the base network's work per tile
// (FLOPs from an onnxruntime profile) and the fraction of the card's datasheet peak it reaches, and GPU memory.
// Writes <out>/gpu-<card>.json. Runs anywhere: without a GPU, webgpu fails, is recorded as such, and cpu runs.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import sharp from "sharp";
import { agreement } from "../../converter/src/imageMetrics.js";
import { repositoryDir, type ManifestEntry } from "../../common/src/modelRepository.js";
import type { Task } from "../../converter/src/maximModels.js";
import { PipelineModels, type ExecutionProvider } from "../../endpoint/src/pipelineModels.js";
import { positionMap } from "../../endpoint/src/refinerPosition.js";
import { encodeOutput, quantize } from "../../endpoint/src/outputImage.js";
import { decodeImage, restorePixels, tileOverlap } from "../../endpoint/src/restorePipeline.js";
import { sessionOptions } from "../../endpoint/src/sessionOptions.js";
import { chooseTileShape } from "../../endpoint/src/tiling.js";
import { cardPeak, gpuName, sampleGpuMemory } from "./gpuCard.js";
import { profileModelFlops } from "./modelFlops.js";

const { values } = parseArgs({
  options: {
    task: { type: "string", default: "lowlight" },
    precision: { type: "string", default: "fp16" },
    refiner: { type: "string" },
    providers: { type: "string", default: "webgpu,cpu" },
    sizes: { type: "string", default: "512x512,1920x1080" },
    photo: { type: "string" },
    repeats: { type: "string", default: "5" },
    "tile-repeats": { type: "string", default: "10" },
    "budget-s": { type: "string", default: "40" },
    out: { type: "string", default: "bench/results" },
  },
});
const task = values.task as Task;
const precision = values.precision as "fp32" | "fp16";
const providers = values.providers.split(",") as ExecutionProvider[];
const sizes = values.sizes.split(",").map((s) => s.split("x").map(Number) as [number, number]);
const repeats = Number(values.repeats);
const tileRepeats = Number(values["tile-repeats"]);
const budgetMs = Number(values["budget-s"]) * 1000;
const log = (line: string) => console.log(`[gpu-bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/**
 * Times `fn` once as a warm-up (shader compilation, first allocations), then up to `count` more times within
 * the time budget. Without the warm-up, the first run is also the first timed one.
 */
async function timed<T>(count: number, fn: () => Promise<T>, warmUp = true): Promise<{ firstMs: number; ms: number[]; last: T }> {
  let started = performance.now();
  let last = await fn();
  const firstMs = performance.now() - started;
  const ms: number[] = warmUp ? [] : [firstMs];
  const deadline = performance.now() + budgetMs;
  while (ms.length < count && (ms.length === 0 || performance.now() < deadline)) {
    started = performance.now();
    last = await fn();
    ms.push(performance.now() - started);
  }
  return { firstMs, ms, last };
}

// Inputs: a deterministic tile and, per size, a JPEG made from the photo (or a synthetic gradient).
const tileSize = 256;
const tile = Float32Array.from({ length: tileSize * tileSize * 3 }, (_, i) => ((i * 7919) % 256) / 255);
async function inputImage(width: number, height: number): Promise<Uint8Array> {
  const source = values.photo
    ? sharp(await readFile(values.photo)).rotate()
    : sharp(Buffer.from(Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 37) % 256)), { raw: { width: 64, height: 64, channels: 3 } });
  return new Uint8Array(await source.resize(width, height, { fit: "cover" }).jpeg({ quality: 95 }).toBuffer());
}
const images = new Map<string, Uint8Array>();
for (const [w, h] of sizes) images.set(`${w}x${h}`, await inputImage(w, h));

const probe = await PipelineModels.load({ precision });
const baseEntry = probe.forTask(task);
if (!baseEntry) throw new Error(`no ${precision} base network for ${task} in models/manifest.json`);
const refinerEntry = values.refiner ? probe.entries.find((e) => e.name === values.refiner) : probe.refinerFor(task);
if (!refinerEntry) throw new Error(`no refiner ${values.refiner ?? `served for ${task}`} in models/manifest.json`);
const encoderEntry = refinerEntry.osfEncoder ? probe.entries.find((e) => e.name === refinerEntry.osfEncoder) : undefined;
const pathOf = (e: ManifestEntry) => resolve(repositoryDir, e.file);
const [baseIn, baseOut] = [baseEntry.inputs[0]!.name, baseEntry.outputs[0]!.name];
const osfDim = refinerEntry.inputs.find((t) => t.name === "osf")?.shape[1] ?? 0;
const nhwc = (data: Float32Array) => new ort.Tensor("float32", data, [1, tileSize, tileSize, 3]);
const osf = new ort.Tensor("float32", new Float32Array(osfDim).fill(0.1), [1, osfDim]);
// The paper's module also takes each pixel's place in the photo: here the tile is the whole photo.
const refinerExtra: Record<string, ort.Tensor> = refinerEntry.inputs.some((t) => t.name === "position")
  ? { position: new ort.Tensor("float32", positionMap({ top: 0, left: 0 }, { height: tileSize, width: tileSize }, tileSize, tileSize), [1, tileSize, tileSize, 2]) }
  : {};

const card = await gpuName();
log(`card: ${card ? `${card.name}, driver ${card.driver}` : "no NVIDIA GPU found"}; CPU: ${os.cpus()[0]?.model}, ${os.cpus().length} cores`);
log(`task ${task}: base ${baseEntry.name}, refiner ${refinerEntry.name}, encoder ${encoderEntry?.name ?? "none"}; onnxruntime-node backends ${JSON.stringify(ort.listSupportedBackends())}`);
// The base network's work per tile (FLOPs from a CPU profile), to say what fraction of the card's peak it reaches.
const flops = await profileModelFlops(pathOf(baseEntry), { [baseIn]: nhwc(tile) });
const peak = card ? cardPeak(card.name) : undefined;
log(`base network: ${(flops.total / 1e9).toFixed(1)} GFLOP per tile (Conv, ConvTranspose, MatMul)`);
const memory = sampleGpuMemory();

interface PipelineRow {
  size: string;
  tiles: number;
  runs: number;
  firstMs: number;
  totalMs: number;
  imagesPerSecond: number;
  stagesMs: Record<string, number>;
}
interface ProviderResult {
  provider: ExecutionProvider;
  error?: string;
  sessionCreateMs?: Record<string, number>;
  tileMs?: Record<string, { first: number; median: number; runs: number }>;
  deviceResidency?: Record<string, unknown>;
  pipeline?: PipelineRow[];
}
const results: ProviderResult[] = [];
const outputs = new Map<ExecutionProvider, { baseTile: Float32Array; refinedTile: Float32Array; images: Map<string, Uint8Array> }>();

for (const provider of providers) {
  log(`--- ${provider}`);
  const result: ProviderResult = { provider };
  results.push(result);
  try {
    // Per model, on its own session (the pipeline's sessions below are separate, as the endpoint has them).
    const sessionCreateMs: Record<string, number> = {};
    const create = async (entry: ManifestEntry, extra: ort.InferenceSession.SessionOptions = {}, label = entry.name) => {
      const started = performance.now();
      const session = await ort.InferenceSession.create(pathOf(entry), { ...sessionOptions(provider), ...extra });
      sessionCreateMs[label] = round(performance.now() - started, 0);
      return session;
    };
    const base = await create(baseEntry);
    const refiner = await create(refinerEntry);
    const baseRun = await timed(tileRepeats, async () => (await base.run({ [baseIn]: nhwc(tile) }))[baseOut]!.data as Float32Array);
    const refinerRun = await timed(tileRepeats, async () =>
      (await refiner.run({ base: nhwc(baseRun.last), degraded: nhwc(tile), osf, ...refinerExtra }))["refined"]!.data as Float32Array,
    );
    const tileMs: ProviderResult["tileMs"] = {};
    const record = (name: string, run: { firstMs: number; ms: number[] }) => (tileMs[name] = { first: round(run.firstMs), median: round(median(run.ms)), runs: run.ms.length });
    record(baseEntry.name, baseRun);
    record(refinerEntry.name, refinerRun);
    if (encoderEntry) {
      const encoder = await create(encoderEntry);
      const [, h, w] = encoderEntry.inputs[0]!.shape as number[];
      const pixels = new ort.Tensor("float32", new Float32Array(h! * w! * 3).fill(0.5), [1, h!, w!, 3]);
      record(encoderEntry.name, await timed(tileRepeats, () => encoder.run({ [encoderEntry.inputs[0]!.name]: pixels })));
      await encoder.release();
    }
    result.sessionCreateMs = sessionCreateMs;
    result.tileMs = tileMs;
    log(`tile ms (median): ${Object.entries(tileMs).map(([k, v]) => `${k} ${v.median} (first ${v.first})`).join(", ")}`);
    await base.release();

    // The base output kept where the provider computed it and handed to PTG-RM as is, against the round trip.
    if (provider !== "cpu") {
      try {
        const resident = await create(baseEntry, { preferredOutputLocation: "gpu-buffer" }, `${baseEntry.name} (output on the device)`);
        const residentRun = await timed(tileRepeats, async () => {
          const out = (await resident.run({ [baseIn]: nhwc(tile) }))[baseOut]!;
          const refined = (await refiner.run({ base: out, degraded: nhwc(tile), osf, ...refinerExtra }))["refined"]!.data as Float32Array;
          out.dispose();
          return refined;
        });
        const roundTripMs = median(baseRun.ms) + median(refinerRun.ms);
        result.deviceResidency = {
          baseThenRefinerMs: round(median(residentRun.ms)),
          roundTripMs: round(roundTripMs),
          speedup: round(roundTripMs / median(residentRun.ms), 3),
          agreementWithRoundTrip: agreement(residentRun.last, refinerRun.last),
        };
        await resident.release();
      } catch (error) {
        result.deviceResidency = { error: String(error).slice(0, 500) };
      }
      log(`device residency: ${JSON.stringify(result.deviceResidency)}`);
    }
    await refiner.release();

    // The endpoint's pipeline, stage by stage, as restoreImage runs it (with the chosen refiner).
    const models = await PipelineModels.load({ providers: [provider], precision });
    const refinerModel = await models.refiner(refinerEntry.name);
    const pipelineImages = new Map<string, Uint8Array>();
    result.pipeline = [];
    for (const [i, [width, height]] of sizes.entries()) {
      const size = `${width}x${height}`;
      const stageRuns: Record<string, number>[] = [];
      const run = await timed(repeats, async () => {
        const t0 = performance.now();
        const decoded = await decodeImage(images.get(size)!, 100_000_000);
        const t1 = performance.now();
        const restored = await restorePixels(models, task, decoded, [refinerModel]);
        const t2 = performance.now();
        await encodeOutput({ pixels: restored.refined[0]!, width, height }, images.get(size)!, { format: "jpeg", quality: 90, metadata: "none" });
        stageRuns.push({ decode: t1 - t0, ...restored.timingsMs, encode: performance.now() - t2 });
        return restored.refined[0]!;
      }, i === 0); // the first size warms the sessions up for all
      pipelineImages.set(size, quantize(run.last));
      const timedRuns = stageRuns.slice(stageRuns.length - run.ms.length);
      const row: PipelineRow = {
        size,
        tiles: chooseTileShape(height, width, models.tileShapes(task), tileOverlap).tiles,
        runs: run.ms.length,
        firstMs: round(run.firstMs, 0),
        totalMs: round(median(run.ms), 0),
        imagesPerSecond: round(1000 / median(run.ms), 3),
        stagesMs: Object.fromEntries(["decode", "osf", "base", "refine", "encode"].map((s) => [s, round(median(timedRuns.map((r) => r[s]!)), 1)])),
      };
      result.pipeline.push(row);
      log(`${size}: ${row.totalMs} ms median of ${row.runs} (first ${row.firstMs} ms); stage medians ${JSON.stringify(row.stagesMs)}`);
    }
    outputs.set(provider, { baseTile: baseRun.last, refinedTile: refinerRun.last, images: pipelineImages });
  } catch (error) {
    result.error = String(error).slice(0, 1000);
    log(`${provider} failed: ${result.error}`);
  }
  await writeReport(memory.current());
}

/** Everything measured so far, written after each provider so that a run cut short still leaves its numbers. */
async function writeReport(gpuMemory: { firstMiB: number; peakMiB: number } | undefined) {
  // Provider agreement, each provider against the CPU provider.
  const cpu = outputs.get("cpu");
  const agreementWithCpu = Object.fromEntries(
    [...outputs.entries()]
      .filter(([p]) => p !== "cpu" && cpu)
      .map(([p, o]) => [
        p,
        {
          baseTile: agreement(o.baseTile, cpu!.baseTile),
          refinedTile: agreement(o.refinedTile, cpu!.refinedTile),
          pipeline8bit: Object.fromEntries([...o.images.entries()].map(([size, img]) => [size, agreement(img, cpu!.images.get(size)!, 255)])),
        },
      ]),
  );
  // Speed-up of each provider over the CPU provider: same machine, same run.
  const cpuResult = results.find((r) => r.provider === "cpu" && r.pipeline);
  const speedupOverCpu = Object.fromEntries(
    results
      .filter((r) => r.provider !== "cpu" && r.pipeline && cpuResult)
      .map((r) => [
        r.provider,
        {
          pipeline: Object.fromEntries(
            r.pipeline!.map((row) => [row.size, round(cpuResult!.pipeline!.find((c) => c.size === row.size)!.totalMs / row.totalMs, 2)]),
          ),
          tiles: Object.fromEntries(Object.entries(r.tileMs!).map(([name, t]) => [name, round(cpuResult!.tileMs![name]!.median / t.median, 2)])),
        },
      ]),
  );
  const throughput = Object.fromEntries(
    results
      .filter((r) => r.tileMs?.[baseEntry!.name])
      .map((r) => {
        const tflops = flops.total / (r.tileMs![baseEntry!.name]!.median / 1000) / 1e12;
        const ofPeak = peak && r.provider !== "cpu" ? { ofFp32Peak: round(tflops / peak.fp32, 4), ofFp16TensorPeak: round(tflops / peak.fp16Tensor, 5) } : {};
        return [r.provider, { tflops: round(tflops, 3), ...ofPeak }];
      }),
  );
  const report = {
    command: `node ${process.argv.slice(1).join(" ")}`,
    date: new Date().toISOString(),
    card: card ?? null,
    cardPeak: peak ?? null,
    cpu: `${os.cpus()[0]?.model ?? "unknown"}, ${os.cpus().length} cores`,
    node: process.version,
    task,
    precision,
    models: { base: baseEntry!.name, refiner: refinerEntry!.name, encoder: encoderEntry?.name ?? null },
    baseFlopsPerTile: flops,
    providers: results,
    speedupOverCpu,
    agreementWithCpu,
    throughput,
    gpuMemoryMiB: gpuMemory ?? null,
  };
  await mkdir(values.out, { recursive: true });
  const slug = (card?.name ?? "none").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  const file = join(values.out, `gpu-${slug}.json`);
  // PSNR of identical outputs is Infinity, which JSON cannot hold.
  await writeFile(file, `${JSON.stringify(report, (_, v: unknown) => (v === Infinity ? "Infinity" : v), 2)}\n`);
  return { file, report };
}

const { file, report } = await writeReport(await memory.stop());
log(`speed-up over cpu: ${JSON.stringify(report.speedupOverCpu)}`);
log(`agreement with cpu: ${JSON.stringify(report.agreementWithCpu)}`);
log(`throughput (base network, one tile): ${JSON.stringify(report.throughput)}; GPU memory ${JSON.stringify(report.gpuMemoryMiB)}`);
log(`wrote ${file}`);
