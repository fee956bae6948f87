// The restored pixels made into the file the client asked for: the input's alpha re-attached (only the colour
// is restored), resized after restoration (never before: restoring at full resolution is the point), the
// input's metadata kept as asked (Cloudflare Images' `metadata` values), then encoded.
import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import exifReader from "exif-reader";
import sharp from "sharp";
import { maxDpr, maxResizeSide, planResize, resizeFits, type Fit, type Resize } from "../../common/src/outputSize.js";

export type OutputFormat = "png" | "jpeg" | "webp" | "avif";
export const outputFormats: readonly OutputFormat[] = ["png", "jpeg", "webp", "avif"];
export type Metadata = "keep" | "copyright" | "none";
export const metadataModes: readonly Metadata[] = ["keep", "copyright", "none"];

export interface OutputOptions {
  format: OutputFormat;
  /** jpeg, webp and avif. */
  quality: number;
  metadata: Metadata;
  resize?: Resize | undefined;
}

export interface RestoredImage {
  /** HWC float RGB, nominally [0, 1] (clamped here). */
  pixels: Float32Array;
  width: number;
  height: number;
  /** The input's alpha channel (8 bits, one per pixel), if it had one. */
  alpha?: Uint8Array | undefined;
}

export interface EncodedImage {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/**
 * Output options from an inference request's parameters (`format`, `quality`, `metadata`, `width`, `height`,
 * `fit`, `dpr`; defaults png, 90, copyright, no resize). Throws a message for the client on a bad value.
 */
export function outputOptionsFrom(parameters: Record<string, unknown>): OutputOptions {
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = parameters[name] ?? fallback;
    if (!allowed.includes(value as T)) throw new Error(`parameter ${name} must be one of ${allowed.join(", ")}`);
    return value as T;
  };
  const number = (name: string, ok: (n: number) => boolean): number | undefined => {
    const value = parameters[name];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !ok(value)) throw new Error(`parameter ${name} is out of range`);
    return value;
  };
  const side = (n: number) => Number.isInteger(n) && n >= 1 && n <= maxResizeSide;
  const quality = number("quality", (n) => Number.isInteger(n) && n >= 1 && n <= 100) ?? 90;
  const width = number("width", side);
  const height = number("height", side);
  const fit = pick<Fit>("fit", resizeFits, "scale-down");
  const dpr = number("dpr", (n) => n >= 1 && n <= maxDpr) ?? 1;
  const options = { format: pick("format", outputFormats, "png"), quality, metadata: pick("metadata", metadataModes, "copyright") };
  if (width === undefined && height === undefined) return options;
  return { ...options, resize: { ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}), fit, dpr } };
}

const white = { r: 255, g: 255, b: 255, alpha: 1 };
const transparent = { r: 0, g: 0, b: 0, alpha: 0 };

/** A float result in [0, 1] (clamped) rounded to 8 bits, as it is encoded; with alpha, interleaved as RGBA. */
export function quantize(pixels: Float32Array, alpha?: Uint8Array): Uint8Array {
  const channels = alpha ? 4 : 3;
  const bytes = new Uint8Array((pixels.length / 3) * channels);
  for (let p = 0, i = 0; i < pixels.length; p++) {
    const o = p * channels;
    for (let c = 0; c < 3; c++, i++) bytes[o + c] = Math.round(Math.min(1, Math.max(0, pixels[i]!)) * 255);
    if (alpha) bytes[o + 3] = alpha[p]!;
  }
  return bytes;
}

/**
 * `original`: the uploaded file, for its metadata. `keep` rebuilds the output on the original (its pixels
 * replaced by ours), because sharp copies EXIF and XMP only from an input it decoded; sharp takes an ICC profile
 * to convert into only as a file, so the original's is written to a temporary one (our pixels are sRGB, and
 * go back into the original's colour space).
 */
export async function encodeOutput(image: RestoredImage, original: Uint8Array, o: OutputOptions): Promise<EncodedImage> {
  const channels = image.alpha ? 4 : 3;
  let pipeline = sharp(quantize(image.pixels, image.alpha), { raw: { width: image.width, height: image.height, channels } });
  let { width, height } = image;
  if (o.resize) {
    const plan = planResize(width, height, o.resize);
    ({ width, height } = plan);
    pipeline = pipeline.resize(width, height, { fit: plan.sharpFit, background: image.alpha ? transparent : white });
  }
  // JPEG has no alpha: transparent areas go onto white, as browsers show them on a page.
  if (o.format === "jpeg" && image.alpha) pipeline = pipeline.flatten({ background: white });

  let iccFile: string | undefined;
  if (o.metadata === "keep") {
    const { icc } = await sharp(original).metadata();
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    pipeline = sharp(original, { failOn: "none", limitInputPixels: false })
      .rotate()
      .resize(width, height, { fit: "fill" })
      .composite([{ input: data, raw: { width: info.width, height: info.height, channels: info.channels }, blend: "source" }])
      .keepMetadata();
    if (icc) {
      iccFile = join(tmpdir(), `edge-restore-${randomUUID()}.icc`);
      await writeFile(iccFile, icc);
      pipeline = pipeline.withIccProfile(iccFile);
    }
  } else if (o.metadata === "copyright") {
    const copyright = await exifCopyright(original);
    if (copyright) pipeline = pipeline.withExif({ IFD0: { Copyright: copyright } });
  }
  try {
    return { bytes: new Uint8Array(await encoder(pipeline, o).toBuffer()), width, height };
  } finally {
    if (iccFile) await rm(iccFile, { force: true });
  }
}

function encoder(pipeline: sharp.Sharp, o: OutputOptions): sharp.Sharp {
  switch (o.format) {
    case "png":
      return pipeline.png();
    case "jpeg":
      return pipeline.jpeg({ quality: o.quality });
    case "webp":
      return pipeline.webp({ quality: o.quality });
    case "avif":
      return pipeline.avif({ quality: o.quality });
  }
}

/** The EXIF copyright tag of an image, if it has one (an unreadable EXIF block counts as none). */
export async function exifCopyright(bytes: Uint8Array): Promise<string | undefined> {
  const { exif } = await sharp(bytes).metadata();
  if (!exif) return undefined;
  try {
    const copyright = exifReader(exif).Image?.Copyright;
    return typeof copyright === "string" && copyright.trim() !== "" ? copyright : undefined;
  } catch {
    return undefined;
  }
}
