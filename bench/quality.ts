// `npm run eval -- --task <t> [--images DIR] [--scale S] [--limit N] [--seed 7] [--tiles 256] [--refiners A,B]`:
// restoration quality of the served pipeline. Each clean photo is degraded with the task's synthetic degradation
// (seeded per photo), sent through the endpoint's own code (PNG decode, tiles of the built shape that computes the
// fewest pixels with 32 px overlap, or only the --tiles shapes (256: the pipeline before oblong tiles), base
// network, every PTG-RM of the task in models/ (or only the --refiners named) on the same base tiles, blending,
// 8-bit rounding), and scored against the clean photo: PSNR, SSIM and "GT-mean" PSNR (brightness matched to the
// clean photo's first) for the degraded input, the base network, and each refiner (the served one, its zero-prior
// twin and any other encoder's; one with a per-photo gate both without and with it, as "<name>+gate"). The default
// run (the 24 held-out test photos from `npm run data:photos`, full resolution, every refiner, seed 7) writes
// bench/results/quality-<task>.json (or --out) and docs/quality-<task>.png (crops); any other run writes only to
// --out, else to a file in the temp folder, so a partial run never replaces the results the README quotes.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { basename, extname, join } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { gateOf, parseTileShapes, readManifest, type ManifestEntry } from "../common/src/modelRepository.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { quality, type Quality } from "../dataset/src/quality/imageQuality.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { quantize } from "../endpoint/src/outputImage.js";
import { applyGate } from "../endpoint/src/refinerGate.js";
import { restorePixels } from "../endpoint/src/restorePipeline.js";
import { pairedComparison } from "./pairedComparison.js";
import { defaultEvalSeed, defaultPhotosDir, degradedRequest, listPhotos, loadPhoto } from "./evalPhotos.js";

const { values } = parseArgs({
  options: {
    task: { type: "string" },
    images: { type: "string" },
    scale: { type: "string", default: "1" },
    limit: { type: "string" },
    seed: { type: "string", default: String(defaultEvalSeed) },
    tiles: { type: "string" },
    refiners: { type: "string" },
    out: { type: "string" },
  },
});
const task = values.task as Task;
if (!TASKS.includes(task)) {
  console.error(`usage: npm run eval -- --task <${TASKS.join("|")}> [--images DIR] [--scale S] [--limit N] [--seed N]`);
  process.exit(2);
}
const scale = Number(values.scale);
const seed = Number(values.seed);
const defaultSet =
  values.images === undefined &&
  values.tiles === undefined &&
  values.refiners === undefined &&
  values.limit === undefined &&
  scale === 1 &&
  seed === defaultEvalSeed;
const imagesDir = values.images ?? defaultPhotosDir();
const files = await listPhotos(imagesDir, values.limit === undefined ? undefined : Number(values.limit));

const models = await PipelineModels.load(values.tiles ? { tiles: parseTileShapes(values.tiles) } : {});
const refinerEntries = (await readManifest()).models
  .filter((m) => m.role === "refiner" && m.task === task && (!values.refiners || values.refiners.split(",").includes(m.name)))
  .sort((a, b) => Number(b.served ?? false) - Number(a.served ?? false) || a.name.localeCompare(b.name));
const refiners = await Promise.all(refinerEntries.map((e) => models.refiner(e.name)));
// A refiner with a fitted per-photo gate (bench/fitGate.ts) is scored both without it and, as "<name>+gate", with it.
const gated = (e: ManifestEntry) => `${e.name}+gate`;
const variants = ["degraded", "base", ...refinerEntries.flatMap((e) => (e.gate ? [e.name, gated(e)] : [e.name]))];
console.log(`${task}: ${files.length} photos from ${imagesDir}, scale ${scale}, seed ${seed}; variants: ${variants.join(", ")}`);

interface Row {
  image: string;
  width: number;
  height: number;
  degradation: Record<string, unknown>;
  scores: Record<string, Quality>;
  baseMs: number;
  refinerCostMs: Record<string, number>;
  /** Gated refiners: the weight their gate gave this photo's refinement. */
  gateWeights?: Record<string, number>;
  tiling: { tileShape: string; tiles: number; pixelsPerOutputPixel: number };
}
const rows: Row[] = [];
const crops: { row: Row; clean: Uint8Array; outputs: Record<string, Uint8Array> }[] = [];

for (const [i, file] of files.entries()) {
  const name = basename(file, extname(file));
  const { data: clean, width, height } = await loadPhoto(join(imagesDir, file), scale);
  const { degraded, decoded } = await degradedRequest(task, { data: clean, width, height }, name, seed);
  const restored = await restorePixels(models, task, decoded, refiners);

  const outputs: Record<string, Uint8Array> = { degraded: degraded.image.data, base: quantize(restored.base) };
  const gateWeights: Record<string, number> = {};
  const gateMs: Record<string, number> = {};
  refinerEntries.forEach((e, k) => {
    const refined = restored.refined[k]!;
    outputs[e.name] = quantize(refined);
    if (!e.gate) return;
    const started = performance.now();
    const { weight, pixels } = applyGate(e.gate, decoded.rgb, restored.base, refined, decoded.width, decoded.height);
    gateWeights[e.name] = weight;
    gateMs[e.name] = performance.now() - started;
    outputs[gated(e)] = quantize(pixels);
  });
  const scores = Object.fromEntries(Object.entries(outputs).map(([v, bytes]) => [v, quality(bytes, clean, width, height)]));
  const row: Row = {
    image: name,
    width,
    height,
    degradation: degraded.params,
    scores,
    baseMs: Math.round(restored.timingsMs.base),
    refinerCostMs: Object.fromEntries(
      refinerEntries.flatMap((e, k) => {
        const cost = restored.refinerCostMs[k]!;
        // The gated variant also pays for the gate: its statistics and the blend.
        return e.gate ? [[e.name, Math.round(cost)], [gated(e), Math.round(cost + gateMs[e.name]!)]] : [[e.name, Math.round(cost)]];
      }),
    ),
    ...(Object.keys(gateWeights).length ? { gateWeights: Object.fromEntries(Object.entries(gateWeights).map(([n, w]) => [n, Number(w.toFixed(3))])) } : {}),
    tiling: {
      tileShape: `${restored.tiling.tile.height}x${restored.tiling.tile.width}`,
      tiles: restored.tiling.tiles,
      pixelsPerOutputPixel: Number(restored.tiling.pixelsPerOutputPixel.toFixed(3)),
    },
  };
  rows.push(row);
  crops.push({ row, clean, outputs });
  const line = variants.map((v) => `${v} ${scores[v]!.psnr.toFixed(2)}`).join(", ");
  console.log(`[${i + 1}/${files.length}] ${name} ${width}x${height}: ${line} dB (base ${(restored.timingsMs.base / 1000).toFixed(1)} s, ${restored.tiling.tiles} tiles of ${row.tiling.tileShape})`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const megapixels = (r: Row) => (r.width * r.height) / 1e6;
const summary = Object.fromEntries(
  variants.map((v) => {
    const gains = rows.map((r) => r.scores[v]!.psnr - r.scores["base"]!.psnr);
    return [
      v,
      {
        psnr: Number(mean(rows.map((r) => r.scores[v]!.psnr)).toFixed(3)),
        ssim: Number(mean(rows.map((r) => r.scores[v]!.ssim)).toFixed(4)),
        psnrGtMean: Number(mean(rows.map((r) => r.scores[v]!.psnrGtMean)).toFixed(3)),
        ...(v !== "degraded" && v !== "base"
          ? {
              gainOverBase: Number(mean(gains).toFixed(3)),
              improvedImages: gains.filter((g) => g > 0).length,
              worstGain: Number(Math.min(...gains).toFixed(3)),
              imagesWorseThanBaseBy01dB: gains.filter((g) => g < -0.1).length,
              // The same with each result's brightness matched to the clean photo's (a diagnostic for low light).
              gtMeanImagesWorseThanBaseBy01dB: rows.filter((r) => r.scores[v]!.psnrGtMean - r.scores["base"]!.psnrGtMean < -0.1).length,
              addedMsPerMegapixel: Math.round(median(rows.map((r) => r.refinerCostMs[v]! / megapixels(r)))),
              // Robust to a busy machine: the refiner's time (with its encoder) over the base network's, same run.
              addedTimeOverBase: Number(median(rows.map((r) => r.refinerCostMs[v]! / r.baseMs)).toFixed(3)),
            }
          : {}),
      },
    ];
  }),
);
const served = refinerEntries.find((e) => e.served);
// What the endpoint returns for the task: the served refiner, through its gate when it has one.
const servedVariant = served && (served.gate ? gated(served) : served.name);
// Each prior module against its zero-prior twin (same architecture and recipe, OSF input fed zeros), photo by photo.
// The twin's name has `zero` where the module's names its encoder (npm run train's naming).
const twinOf = (entry: ManifestEntry) => {
  const encoder = entry.osfEncoder;
  return encoder ? refinerEntries.find((e) => e.osfEncoder === null && e.name === entry.name.replace(`-${encoder.replace(/^osf-/, "")}`, "-zero")) : undefined;
};
const priorVsZeroPrior = Object.fromEntries(
  refinerEntries.flatMap((e) => {
    const twin = twinOf(e);
    if (!twin) return [];
    const stats = pairedComparison(rows.map((r) => r.scores[e.name]!.psnr), rows.map((r) => r.scores[twin.name]!.psnr), { tie: 0.1 });
    const round = (x: number) => Number(x.toFixed(3));
    return [[e.name, { twin: twin.name, ...stats, meanDifference: round(stats.meanDifference), ci95: stats.ci95.map(round), pValue: Number(stats.pValue.toFixed(4)) }]];
  }),
);
const zero = served && twinOf(served);
const result = {
  command: `npm run eval -- --task ${task}${values.images ? ` --images ${values.images}` : ""}${scale !== 1 ? ` --scale ${scale}` : ""}${values.limit ? ` --limit ${values.limit}` : ""}${seed !== defaultEvalSeed ? ` --seed ${seed}` : ""}${values.tiles ? ` --tiles ${values.tiles}` : ""}${values.refiners ? ` --refiners ${values.refiners}` : ""}${values.out ? ` --out ${values.out}` : ""}`,
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, onnxruntime-node CPU`,
  task,
  seed,
  scale,
  images: rows.length,
  baseModel: models.forTask(task)!.name,
  tileShapes: models.tileShapes(task).map((t) => `${t.height}x${t.width}`),
  baseMsPerMegapixel: Math.round(median(rows.map((r) => r.baseMs / megapixels(r)))),
  served: served?.name ?? null,
  // The gate as the manifest held it for this run, so that a later gate is not read as this one.
  ...(served?.gate ? { servedGated: gated(served), servedGate: gateOf(served) } : {}),
  ...(served && zero ? { servedMinusZeroPrior: Number((summary[served.name]!.psnr - summary[zero.name]!.psnr).toFixed(3)) } : {}),
  summary,
  priorVsZeroPrior,
  perImage: rows,
};

const outFile = values.out ?? (defaultSet ? `bench/results/quality-${task}.json` : join(os.tmpdir(), `edge-restore-quality-${task}.json`));
await mkdir(join(outFile, ".."), { recursive: true });
await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
console.log("");
console.log(`| variant | PSNR dB | SSIM | GT-mean PSNR dB | gain dB | improved | worse by > 0.1 dB | worst dB | added ms/MP |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
for (const [v, s] of Object.entries(summary) as [string, Record<string, number>][]) {
  const extra =
    s["gainOverBase"] === undefined
      ? "| | | | |"
      : `| ${s["gainOverBase"]} | ${s["improvedImages"]}/${rows.length} | ${s["imagesWorseThanBaseBy01dB"]} | ${s["worstGain"]} | ${s["addedMsPerMegapixel"]} |`;
  console.log(`| ${v} | ${s["psnr"]!.toFixed(2)} | ${s["ssim"]!.toFixed(4)} | ${s["psnrGtMean"]!.toFixed(2)} ${extra}`);
}
for (const [name, c] of Object.entries(priorVsZeroPrior)) {
  console.log(`${name} − ${c.twin}: ${c.meanDifference} dB (95% CI ${c.ci95[0]} to ${c.ci95[1]}, p ${c.pValue}; ahead by > 0.1 dB on ${c.wins}, behind on ${c.losses} of ${c.n} photos)`);
}
console.log(`wrote ${outFile}`);

// Crops for the README: the photo whose served-refiner gain is the median, 192x192 from its centre.
if (defaultSet) {
  const key = servedVariant ?? "base";
  const gainOf = (c: (typeof crops)[number]) => c.row.scores[key]!.psnr - c.row.scores["base"]!.psnr;
  const sorted = [...crops].sort((a, b) => gainOf(a) - gainOf(b));
  const pick = sorted[Math.floor(sorted.length / 2)]!;
  const size = Math.min(192, pick.row.width, pick.row.height);
  const left = Math.floor((pick.row.width - size) / 2);
  const top = Math.floor((pick.row.height - size) / 2);
  const panels = [...variants.filter((v) => v === "degraded" || v === "base" || v === servedVariant), "clean"];
  const tiles = await Promise.all(
    panels.map((v) =>
      sharp(v === "clean" ? pick.clean : pick.outputs[v]!, { raw: { width: pick.row.width, height: pick.row.height, channels: 3 } })
        .extract({ left, top, width: size, height: size })
        .png()
        .toBuffer(),
    ),
  );
  const gap = 4;
  await mkdir("docs", { recursive: true });
  await sharp({ create: { width: panels.length * size + (panels.length - 1) * gap, height: size, channels: 3, background: "#ffffff" } })
    .composite(tiles.map((input, k) => ({ input, left: k * (size + gap), top: 0 })))
    .png()
    .toFile(`docs/quality-${task}.png`);
  console.log(`wrote docs/quality-${task}.png (${pick.row.image}: ${panels.join(" | ")})`);
}

