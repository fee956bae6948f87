// The photo set that the quality benchmarks score against: clean photos from a folder (default: the 24
// held-out test photos built by `npm run data:photos`), read upright and optionally scaled.
import { readdir } from "node:fs/promises";
import { extname, join } from "node:path";
import sharp from "sharp";
import { cacheDir } from "../dataset/src/cacheDir.js";
import { degrade, deriveSeed, type Degraded, type Task } from "../dataset/src/degradations/index.js";
import { decodeImage, type DecodedImage } from "../endpoint/src/restorePipeline.js";

export const defaultPhotosDir = (): string => join(cacheDir(), "photos", "test");

/** The degradation seed the published quality results use (`npm run eval`'s default). */
export const defaultEvalSeed = 7;

/** Sorted image files in a folder; exits with a clear message when there are none. */
export async function listPhotos(dir: string, limit?: number): Promise<string[]> {
  let files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => [".png", ".jpg", ".jpeg", ".webp"].includes(extname(f).toLowerCase()))
    .sort();
  if (limit !== undefined) files = files.slice(0, limit);
  if (files.length === 0) {
    console.error(`no photos in ${dir}${dir === defaultPhotosDir() ? " (build the test set with `npm run data:photos`)" : ""}`);
    process.exit(1);
  }
  return files;
}

export interface Photo {
  data: Uint8Array;
  width: number;
  height: number;
}

/** RGB pixels of a photo, EXIF orientation applied, alpha dropped, scaled by `scale`. */
export async function loadPhoto(path: string, scale = 1): Promise<Photo> {
  let pipeline = sharp(path).rotate().removeAlpha();
  if (scale !== 1) {
    const meta = await sharp(path).metadata();
    const [w, h] = meta.orientation && meta.orientation >= 5 ? [meta.height!, meta.width!] : [meta.width!, meta.height!];
    pipeline = pipeline.resize(Math.round(w * scale), Math.round(h * scale));
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * The task's synthetic degradation of a photo (seeded by photo name and task), then decoded by the endpoint's
 * own decoder from a PNG, as a request would arrive (PNG is lossless, so the pixels are unchanged).
 */
export async function degradedRequest(task: Task, photo: Photo, name: string, seed: number): Promise<{ degraded: Degraded; decoded: DecodedImage }> {
  const { width, height } = photo;
  const degraded = degrade(task, photo, deriveSeed(seed, name, task));
  const png = await sharp(degraded.image.data, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return { degraded, decoded: await decodeImage(new Uint8Array(png), 100_000_000) };
}
