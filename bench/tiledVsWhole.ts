// `npm run bench:tiling -- [--task t,...] [--images DIR] [--scale S] [--limit N] [--seed 7]`: what tiling costs
// the base networks. Each clean photo (default: the 24 held-out test photos) is degraded as `npm run eval` does
// it (same seeds), then restored twice by the task's base network: as the endpoint does it (tiles of the built
// shape that computes the fewest pixels, 32 px overlap, blended; the endpoint's own code) and whole (the network
// converted at the photo's size).
// Reports PSNR against the clean photo for both, their difference, and PSNR(tiled, whole).
// Writes bench/results/tiled-vs-whole.json (all tasks on the default photo set) or --out.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { basename, extname, join } from "node:path";
import { parseArgs } from "node:util";
import type * as ort from "onnxruntime-node";
import { convertTfjsModel } from "../converter/src/convertTfjsModel.js";
import { agreement } from "../converter/src/imageMetrics.js";
import { maximModels, packageDir } from "../converter/src/maximModels.js";
import { createCpuSession, runNhwc } from "../converter/src/onnxRun.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { psnr } from "../dataset/src/quality/imageQuality.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { quantize } from "../endpoint/src/outputImage.js";
import { restorePixels, tileOverlap } from "../endpoint/src/restorePipeline.js";
import { defaultEvalSeed, defaultPhotosDir, degradedRequest, listPhotos, loadPhoto } from "./evalPhotos.js";

const { values } = parseArgs({
  options: {
    task: { type: "string", default: TASKS.join(",") },
    images: { type: "string" },
    scale: { type: "string", default: "0.5" },
    limit: { type: "string" },
    seed: { type: "string", default: String(defaultEvalSeed) },
    out: { type: "string" },
  },
});
const tasks = values.task.split(",") as Task[];
if (tasks.some((t) => !TASKS.includes(t))) {
  console.error(`usage: npm run bench:tiling -- [--task ${TASKS.join(",")}] [--images DIR] [--scale S] [--limit N] [--seed N]`);
  process.exit(2);
}
const scale = Number(values.scale);
const seed = Number(values.seed);
const imagesDir = values.images ?? defaultPhotosDir();
const files = await listPhotos(imagesDir, values.limit === undefined ? undefined : Number(values.limit));
const models = await PipelineModels.load();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const summaries = [];
const perImage = [];
for (const task of tasks) {
  const source = maximModels.find((m) => m.task === task)!;
  // A whole-image network per photo size (MAXIM needs sides that are multiples of 64).
  const wholeSessions = new Map<string, ort.InferenceSession>();
  const rows = [];
  for (const [i, file] of files.entries()) {
    const name = basename(file, extname(file));
    const photo = await loadPhoto(join(imagesDir, file), scale);
    const { width, height } = photo;
    if (width % 64 || height % 64) {
      console.log(`skip ${name}: ${width}x${height} is not a multiple of 64, so the whole-image network cannot run on it`);
      continue;
    }
    const { decoded } = await degradedRequest(task, photo, name, seed);
    const restored = await restorePixels(models, task, decoded, []);
    const tiled = quantize(restored.base);
    const size = `${width}x${height}`;
    if (!wholeSessions.has(size)) {
      const { onnx } = await convertTfjsModel({ modelDir: join(packageDir(source), "models"), height, width, precision: "fp32" });
      wholeSessions.set(size, await createCpuSession(onnx));
    }
    const input = Float32Array.from(decoded.rgb, (v) => v / 255);
    const whole = quantize(await runNhwc(wholeSessions.get(size)!, input, height, width));
    const row = {
      task,
      image: name,
      size,
      tileShape: `${restored.tiling.tile.height}x${restored.tiling.tile.width}`,
      tiles: restored.tiling.tiles,
      wholePsnr: round(psnr(whole, photo.data)),
      tiledPsnr: round(psnr(tiled, photo.data)),
      tiledVsWholePsnr: round(agreement(tiled, whole, 255).psnr),
    };
    rows.push(row);
    console.log(
      `${task} [${i + 1}/${files.length}] ${name} ${size}, ${row.tiles} tiles of ${row.tileShape}: whole ${row.wholePsnr.toFixed(2)} dB, tiled ${row.tiledPsnr.toFixed(2)} dB, tiled vs whole ${row.tiledVsWholePsnr.toFixed(1)} dB`,
    );
  }
  await Promise.all([...wholeSessions.values()].map((s) => s.release()));
  const differences = rows.map((r) => r.tiledPsnr - r.wholePsnr);
  const summary = {
    task,
    images: rows.length,
    wholePsnr: round(mean(rows.map((r) => r.wholePsnr))),
    tiledPsnr: round(mean(rows.map((r) => r.tiledPsnr))),
    tiledMinusWhole: round(mean(differences)),
    tiledBetterImages: differences.filter((d) => d > 0).length,
    worstTiledMinusWhole: round(Math.min(...differences)),
    bestTiledMinusWhole: round(Math.max(...differences)),
    meanTiledVsWholePsnr: round(mean(rows.map((r) => r.tiledVsWholePsnr))),
  };
  summaries.push(summary);
  perImage.push(...rows);
  console.log(`${task}: whole ${summary.wholePsnr} dB, tiled ${summary.tiledPsnr} dB, tiled - whole ${summary.tiledMinusWhole} dB (${summary.tiledBetterImages}/${rows.length} better tiled)`);
}

// Only a run over every task and all default photos replaces the committed results.
const defaultSet = values.images === undefined && values.limit === undefined && tasks.length === TASKS.length;
const outFile = defaultSet ? "bench/results/tiled-vs-whole.json" : (values.out ?? join(os.tmpdir(), "edge-restore-tiled-vs-whole.json"));
await mkdir(join(outFile, ".."), { recursive: true });
const args = process.argv.slice(2).join(" ");
await writeFile(
  outFile,
  `${JSON.stringify(
    {
      command: `npm run bench:tiling${args ? ` -- ${args}` : ""}`,
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, onnxruntime-node CPU`,
      photos: imagesDir === defaultPhotosDir() ? "the 24 test photos (npm run data:photos)" : imagesDir,
      scale,
      seed,
      tileShapes: tasks.map((t) => ({ task: t, shapes: models.tileShapes(t).map((s) => `${s.height}x${s.width}`) })),
      overlap: tileOverlap,
      summary: summaries,
      perImage,
    },
    null,
    2,
  )}\n`,
);
console.log("");
console.log("| task | whole PSNR dB | tiled PSNR dB | tiled − whole dB | better tiled | worst / best dB | PSNR tiled vs whole dB |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const s of summaries) {
  console.log(
    `| ${s.task} | ${s.wholePsnr.toFixed(2)} | ${s.tiledPsnr.toFixed(2)} | ${s.tiledMinusWhole.toFixed(2)} | ${s.tiledBetterImages}/${s.images} | ${s.worstTiledMinusWhole.toFixed(2)} / ${s.bestTiledMinusWhole.toFixed(2)} | ${s.meanTiledVsWholePsnr.toFixed(1)} |`,
  );
}
console.log(`wrote ${outFile}`);
