// `npx tsx bench/gateData.ts --task <t> [--seeds 1,2,3,4] [--refiner NAME] [--out FILE]`: what a per-photo gate
// on a refiner (served one by default) could see and gain, measured on the photos held out for validation (never
// a training crop, never a test photo). Each held-out photo, at the training pairs' scale (short side 512), is
// degraded with each seed's draw (the pairs' draw for that seed) and restored by the endpoint's own code; for
// each, it records statistics the endpoint could compute without the clean photo and the PSNR of
// base + g·(refined − base) for g = 0, 0.1, …, 1, and of the same with only the change's tone weighed (its detail
// kept) at two tone scales. Resumable: the file is rewritten after each photo and rows
// already in it are skipped. Default out: bench/results/gate-data-<task>.json.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readManifest } from "../common/src/modelRepository.js";
import { cacheDir } from "../dataset/src/cacheDir.js";
import { degrade, deriveSeed, TASKS, type Task } from "../dataset/src/degradations/index.js";
import { psnr } from "../dataset/src/quality/imageQuality.js";
import { darkTrainingPhotos, loadScene, splitOf, type PhotoIndexEntry } from "../dataset/src/trainingPairs/buildTrainingPairs.js";
import { writeFileAtomically } from "../dataset/src/writeFileAtomically.js";
import { quantize } from "../endpoint/src/outputImage.js";
import { PipelineModels } from "../endpoint/src/pipelineModels.js";
import { restorePixels } from "../endpoint/src/restorePipeline.js";
import { blendRefined, gateStatistics, toneOfChange, type GateStatistics } from "../endpoint/src/refinerGate.js";

const { values } = parseArgs({
  options: { task: { type: "string" }, seeds: { type: "string", default: "1,2,3,4" }, refiner: { type: "string" }, out: { type: "string" } },
});
const task = values.task as Task;
if (!TASKS.includes(task)) {
  console.error(`usage: npx tsx bench/gateData.ts --task <${TASKS.join("|")}> [--seeds 1,2,3,4] [--refiner NAME] [--out FILE]`);
  process.exit(2);
}
const seeds = values.seeds.split(",").map(Number);
const refinerEntry = (await readManifest()).models.find((m) => m.role === "refiner" && m.task === task && (values.refiner ? m.name === values.refiner : m.served));
if (!refinerEntry) {
  console.error(`no refiner ${values.refiner ?? "served"} for ${task}`);
  process.exit(2);
}
const outFile = values.out ?? `bench/results/gate-data-${task}.json`;

export interface GateRow {
  image: string;
  seed: number;
  width: number;
  height: number;
  degradation: Record<string, unknown>;
  statistics: GateStatistics;
  /** PSNR (dB) of base + g·(refined − base), 8-bit rounded, for g = 0, 0.1, …, 1 (index g·10). */
  psnrByGate: number[];
  /** PSNR (dB) of refined − (1 − g)·tone, the change's tone weighed and its detail kept (refinerGate.ts's
   * `toneScale`), per tone scale (fraction of the short side), g as above. */
  psnrToneByGate?: Record<string, number[]>;
}

const photosDir = join(cacheDir(), "photos");
const index = JSON.parse(await readFile(join(photosDir, "index.json"), "utf8")) as { files: PhotoIndexEntry[] };
// The training pairs' validation photos (low light leaves out the same too-dark photos).
const photos = index.files.filter((f) => f.split === "train" && splitOf(f.name) === "val" && !(task === "lowlight" && darkTrainingPhotos.includes(f.name)));
const previous = await readFile(outFile, "utf8").then((t) => JSON.parse(t) as { refiner: string; rows: GateRow[] }, () => undefined);
// Rows recorded before the tone split was measured are measured again.
const rows: GateRow[] = previous?.refiner === refinerEntry.name ? previous.rows.filter((r) => r.psnrToneByGate) : [];

const models = await PipelineModels.load({});
const refiner = await models.refiner(refinerEntry.name);
const gates = Array.from({ length: 11 }, (_, k) => k / 10);
const toneScales = [1 / 32, 1 / 8];
const started = performance.now();
const todo = photos.flatMap((photo) => seeds.map((seed) => ({ photo, seed }))).filter(({ photo, seed }) => !rows.some((r) => r.image === photo.name && r.seed === seed));
let done = 0;
for (const photo of photos) {
  if (!todo.some((t) => t.photo === photo)) continue;
  const scene = await loadScene(join(photosDir, photo.file), 512, 256);
  for (const seed of seeds) {
    if (rows.some((r) => r.image === photo.name && r.seed === seed)) continue;
    done++;
    const degraded = degrade(task, scene, deriveSeed(seed, photo.name, task));
    const input = { rgb: degraded.image.data, width: scene.width, height: scene.height };
    const restored = await restorePixels(models, task, input, [refiner]);
    const base = restored.base;
    const refined = restored.refined[0]!;
    const blended = new Float32Array(base.length);
    const psnrByGate = gates.map((g) => {
      for (let i = 0; i < base.length; i++) blended[i] = base[i]! + g * (refined[i]! - base[i]!);
      return Number(psnr(quantize(blended), scene.data).toFixed(4));
    });
    const psnrToneByGate = Object.fromEntries(
      toneScales.map((scale) => {
        const tone = toneOfChange(base, refined, scene.width, scene.height, scale);
        return [String(scale), gates.map((g) => Number(psnr(quantize(blendRefined(base, refined, g, tone)), scene.data).toFixed(4)))];
      }),
    );
    rows.push({
      image: photo.name,
      seed,
      width: scene.width,
      height: scene.height,
      degradation: degraded.params,
      statistics: gateStatistics(degraded.image.data, base, refined),
      psnrByGate,
      psnrToneByGate,
    });
    await writeFileAtomically(outFile, `${JSON.stringify({ task, refiner: refinerEntry.name, seeds, command: `npx tsx bench/gateData.ts --task ${task} --seeds ${values.seeds}${values.refiner ? ` --refiner ${values.refiner}` : ""}${values.out ? ` --out ${values.out}` : ""}`, rows }, null, 1)}\n`);
    const eta = ((performance.now() - started) / done) * (todo.length - done);
    console.log(`[${done}/${todo.length}] ${photo.name} seed ${seed}: base ${psnrByGate[0]!.toFixed(2)}, refined ${psnrByGate[10]!.toFixed(2)} dB (about ${Math.ceil(eta / 60_000)} min left)`);
  }
}
console.log(`${rows.length} rows in ${outFile}`);
