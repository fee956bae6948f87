// Training pairs for one task's PTG-RM: for each training photo, a clean 256x256 crop, the same crop degraded
// (the whole photo is degraded, seeded per photo), the frozen base network's output on that degraded crop
// (exactly what the endpoint feeds PTG-RM for a tile), and the OSF vector of every encoder, computed on the
// whole degraded photo as the endpoint does. Written outside the repository; resumable: a sample is complete
// when its .json exists (written last), so a killed run loses at most one photo.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { degrade, deriveSeed, Rng, type Task } from "../degradations/index.js";
import { cacheDir } from "../cacheDir.js";
import { writeFileAtomically } from "../writeFileAtomically.js";
import type { PipelineModels } from "../../../endpoint/src/pipelineModels.js";

export interface PhotoIndexEntry {
  split: "train" | "test";
  name: string;
  file: string;
  width: number;
  height: number;
}

export interface TrainingPairsOptions {
  task: Task;
  photosDir: string;
  outDir: string;
  models: PipelineModels;
  /** Encoder names (role "encoder" in models/manifest.json) whose features are stored. */
  encoders: string[];
  seed?: number;
  cropSize?: number;
  /** Photos are resized so their short side is this, the scale of the 768x512 test photos. */
  shortSide?: number;
  /** Every n-th photo (by name hash) is held out for validation. */
  validationEvery?: number;
  limit?: number;
  /** Build only the photos held out for validation (more validation crops from another seed's draw, without the
   * training ones); training crops already in the set are kept. */
  validationOnly?: boolean;
  log?: (line: string) => void;
}

export interface TrainingSample {
  name: string;
  split: "train" | "val";
  seed: number;
  crop: { top: number; left: number };
  sceneSize: { width: number; height: number };
  degradation: Record<string, unknown>;
  files: { clean: string; degraded: string; base: string; osf: Record<string, string> };
}

/**
 * Too dark to be a clean target for synthetic low light (found by the photo recipe's authors): darkening them
 * further teaches nothing.
 */
export const darkTrainingPhotos = ["e17_Foggy-Trees", "e17_Mountain", "e17_Peaks", "e17_Sunset-Clouds", "e17_Lichen-Branches"];

/**
 * Where `npm run data:pairs` writes a task's pairs: `<cache>/pairs/<task>` for the default seed 1, `<task>-seed<S>`
 * for another seed (another draw of crops and degradations of the same photos, so a set of its own).
 */
export function defaultPairsDir(task: Task, seed: number, cache = cacheDir()): string {
  return join(cache, "pairs", seed === 1 ? task : `${task}-seed${seed}`);
}

/**
 * The photos held out for validation are drawn with this seed whatever the set's own seed (1, the default set's,
 * so that set is as it was): sets of other seeds, trained on together with it, then hold out the same photos, and
 * no validation photo is in another set's training split.
 */
const VALIDATION_SPLIT_SEED = 1;

export function splitOf(name: string, validationEvery = 8): TrainingSample["split"] {
  return deriveSeed(VALIDATION_SPLIT_SEED, name, "validation") % validationEvery === 0 ? "val" : "train";
}

function bytesOf(array: Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Resized so the short side is `shortSide` (never below the crop size), 8-bit RGB. */
export async function loadScene(path: string, shortSide: number, cropSize: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const meta = await sharp(path).metadata();
  const short = Math.min(meta.width!, meta.height!);
  const target = Math.max(cropSize, Math.min(short, shortSide));
  const landscape = meta.width! >= meta.height!;
  const { data, info } = await sharp(path)
    .removeAlpha()
    .resize(landscape ? { height: target } : { width: target })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

function crop(image: { data: Uint8Array; width: number }, top: number, left: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const from = ((top + y) * image.width + left) * 3;
    out.set(image.data.subarray(from, from + size * 3), y * size * 3);
  }
  return out;
}

export async function buildTrainingPairs(options: TrainingPairsOptions): Promise<TrainingSample[]> {
  const { task, photosDir, outDir, models, encoders } = options;
  const seed = options.seed ?? 1;
  const cropSize = options.cropSize ?? 256;
  const shortSide = options.shortSide ?? 512;
  const validationEvery = options.validationEvery ?? 8;
  const log = options.log ?? ((line) => console.log(line));
  await mkdir(outDir, { recursive: true });

  const index = JSON.parse(await readFile(join(photosDir, "index.json"), "utf8")) as { files: PhotoIndexEntry[] };
  let photos = index.files
    .filter((f) => f.split === "train" && !(task === "lowlight" && darkTrainingPhotos.includes(f.name)))
    // A seeded shuffle, so that `limit` takes a fair sample of every package rather than the first names.
    .map((photo) => ({ photo, key: deriveSeed(seed, photo.name, "order") }))
    .sort((a, b) => a.key - b.key)
    .map(({ photo }) => photo);
  if (options.limit) photos = photos.slice(0, options.limit);

  const base = await models.model(task);
  if (base.entry.tile.height !== cropSize) throw new Error(`the ${task} base network takes ${base.entry.tile.height}px tiles, not ${cropSize}`);
  const encoderModels = await Promise.all(encoders.map((name) => models.encoder(name)));

  const samples: TrainingSample[] = [];
  const started = performance.now();
  for (const [i, photo] of photos.entries()) {
    const marker = join(outDir, `${photo.name}.json`);
    const existing = await readFile(marker, "utf8").then((text) => JSON.parse(text) as TrainingSample, () => undefined);
    // Training crops already built stay in the index; only missing ones are skipped.
    if (!existing && options.validationOnly && splitOf(photo.name, validationEvery) === "train") continue;
    const missingEncoders = encoderModels.filter((e) => !existing?.files.osf[e.entry.name]);
    if (existing && missingEncoders.length === 0) {
      samples.push(existing);
      continue;
    }
    const photoSeed = deriveSeed(seed, photo.name, task);
    const scene = await loadScene(join(photosDir, photo.file), shortSide, cropSize);
    const degraded = degrade(task, scene, photoSeed);
    if (existing) {
      // An encoder was added since: only its features are computed, the base output is kept.
      for (const encoder of missingEncoders) {
        const file = `${photo.name}.osf-${encoder.entry.name}.f32`;
        await writeFileAtomically(join(outDir, file), bytesOf(await encoder.features(degraded.image.data, scene.width, scene.height)));
        existing.files.osf[encoder.entry.name] = file;
      }
      await writeFileAtomically(marker, JSON.stringify(existing));
      samples.push(existing);
      log(`[${i + 1}/${photos.length}] ${task} ${photo.name}: added ${missingEncoders.map((e) => e.entry.name).join(", ")}`);
      continue;
    }
    const rng = new Rng(deriveSeed(seed, photo.name, `${task}/crop`));
    const top = Math.floor(rng.uniform(0, scene.height - cropSize + 1));
    const left = Math.floor(rng.uniform(0, scene.width - cropSize + 1));
    const degradedCrop = crop(degraded.image, top, left, cropSize);
    const t0 = performance.now();
    const baseOut = await base.run(Float32Array.from(degradedCrop, (v) => v / 255));
    const baseMs = performance.now() - t0;

    const files: TrainingSample["files"] = {
      clean: `${photo.name}.clean.u8`,
      degraded: `${photo.name}.degraded.u8`,
      base: `${photo.name}.base.f32`,
      osf: {},
    };
    await writeFileAtomically(join(outDir, files.clean), crop(scene, top, left, cropSize));
    await writeFileAtomically(join(outDir, files.degraded), degradedCrop);
    await writeFileAtomically(join(outDir, files.base), bytesOf(baseOut));
    for (const encoder of encoderModels) {
      const file = `${photo.name}.osf-${encoder.entry.name}.f32`;
      await writeFileAtomically(join(outDir, file), bytesOf(await encoder.features(degraded.image.data, scene.width, scene.height)));
      files.osf[encoder.entry.name] = file;
    }
    const sample: TrainingSample = {
      name: photo.name,
      split: splitOf(photo.name, validationEvery),
      seed: photoSeed,
      crop: { top, left },
      sceneSize: { width: scene.width, height: scene.height },
      degradation: degraded.params,
      files,
    };
    await writeFileAtomically(marker, JSON.stringify(sample));
    samples.push(sample);
    const eta = ((performance.now() - started) / (i + 1)) * (photos.length - i - 1);
    log(`[${i + 1}/${photos.length}] ${task} ${photo.name}: base ${(baseMs / 1000).toFixed(1)} s, ${sample.split} (about ${Math.ceil(eta / 60_000)} min left)`);
  }

  const encoderDims = Object.fromEntries(encoderModels.map((e) => [e.entry.name, e.entry.outputs[0]!.shape[1]!]));
  await writeFileAtomically(
    join(outDir, "index.json"),
    `${JSON.stringify(
      {
        task,
        seed,
        cropSize,
        shortSide,
        baseModel: { name: base.entry.name, sha256: base.entry.sha256 },
        encoders: encoderDims,
        encoderSha256: Object.fromEntries(encoderModels.map((e) => [e.entry.name, e.entry.sha256])),
        photos: join(photosDir, "index.json"),
        samples,
      },
      null,
      1,
    )}\n`,
  );
  log(`${task}: ${samples.length} samples (${samples.filter((s) => s.split === "val").length} for validation) in ${outDir}`);
  return samples;
}
