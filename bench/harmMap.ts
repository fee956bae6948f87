// `npx tsx bench/harmMap.ts --task <t> --photo <test photo name> [--refiner <name>] [--out DIR]`: where on one test
// photo a refiner does worse than its base network. Runs the photo through the endpoint's code as `npm run eval`
// does (same degradation and seed) and prints, for base and refined, the channel means (a global tone shift shows
// there), PSNR and GT-mean PSNR (brightness matched to the clean photo's), and the squared-error increase and
// decrease summed over the photo; writes to DIR (default: the temp folder) the clean, degraded, base and refined
// images and a map: red where the refined pixel's error exceeds the base's, green where it is smaller.
import { mkdir } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { readManifest } from "../common/src/modelRepository.js";
import { TASKS, type Task } from "../dataset/src/degradations/index.js";
import { quality } from "../dataset/src/quality/imageQuality.js";
import { quantize } from "../endpoint/src/outputImage.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { restorePixels } from "../endpoint/src/restorePipeline.js";
import { defaultEvalSeed, defaultPhotosDir, degradedRequest, loadPhoto } from "./evalPhotos.js";

const { values } = parseArgs({
  options: { task: { type: "string" }, photo: { type: "string" }, refiner: { type: "string" }, out: { type: "string" } },
});
const task = values.task as Task;
if (!TASKS.includes(task) || !values.photo) {
  console.error(`usage: npx tsx bench/harmMap.ts --task <${TASKS.join("|")}> --photo <test photo name> [--refiner <name>] [--out DIR]`);
  process.exit(2);
}
const refiners = (await readManifest()).models.filter((m) => m.role === "refiner" && m.task === task);
const entry = values.refiner ? refiners.find((m) => m.name === values.refiner) : refiners.find((m) => m.served);
if (!entry) {
  console.error(`no refiner ${values.refiner ?? "served"} for ${task}; installed: ${refiners.map((m) => m.name).join(", ")}`);
  process.exit(2);
}

const models = await PipelineModels.load({});
const name = values.photo;
const clean = await loadPhoto(join(defaultPhotosDir(), `${name}.png`));
const { width, height } = clean;
// `npm run eval`'s seed, so the degradation is the one its results report.
const { degraded, decoded } = await degradedRequest(task, clean, name, defaultEvalSeed);
const restored = await restorePixels(models, task, decoded, [await models.refiner(entry.name)]);
const base = quantize(restored.base);
const refined = quantize(restored.refined[0]!);

const map = new Uint8Array(width * height * 3);
let increase = 0;
let decrease = 0;
for (let i = 0; i < width * height; i++) {
  let d = 0;
  for (let c = 0; c < 3; c++) {
    const truth = clean.data[i * 3 + c]!;
    d += (refined[i * 3 + c]! - truth) ** 2 - (base[i * 3 + c]! - truth) ** 2;
  }
  if (d > 0) increase += d;
  else decrease -= d;
  const shade = Math.min(255, Math.sqrt(Math.abs(d)) * 8);
  map[i * 3 + (d > 0 ? 0 : 1)] = shade;
}

const channelMeans = (pixels: Uint8Array) =>
  [0, 1, 2].map((c) => {
    let sum = 0;
    for (let i = c; i < pixels.length; i += 3) sum += pixels[i]!;
    return (sum / (pixels.length / 3)).toFixed(1);
  });
console.log(`${task} ${name}, ${entry.name}`);
for (const [label, pixels] of [["clean", clean.data], ["base", base], ["refined", refined]] as const) {
  console.log(`  channel means (R G B), ${label}: ${channelMeans(pixels).join(" ")}`);
}
for (const [label, pixels] of [["base", base], ["refined", refined]] as const) {
  const q = quality(pixels, clean.data, width, height);
  console.log(`  ${label}: PSNR ${q.psnr.toFixed(2)} dB, GT-mean PSNR ${q.psnrGtMean.toFixed(2)} dB`);
}
console.log(`  squared error, refined against base: +${increase.toFixed(0)} where worse, −${decrease.toFixed(0)} where better`);

const outDir = values.out ?? join(os.tmpdir(), "edge-restore-harm-map");
await mkdir(outDir, { recursive: true });
const images = { clean: clean.data, degraded: degraded.image.data, base, refined, harm: map };
for (const [label, pixels] of Object.entries(images)) {
  await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(join(outDir, `${name}-${label}.png`));
}
console.log(`  wrote ${Object.keys(images).map((l) => `${name}-${l}.png`).join(", ")} to ${outDir}`);
