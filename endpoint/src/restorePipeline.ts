// The restore-<task> pipeline: decode (EXIF orientation applied) → overlapped tiles → base network → blend →
// encode. PTG-RM refinement is not trained yet: `refine` falls back to the base result and says so.
import sharp from "sharp";
import type { Task } from "../../converter/src/maximModels.js";
import type { BaseModels } from "./baseModels.js";
import { extractTile, TileBlender, tileGrid } from "./tiling.js";

export type OutputFormat = "png" | "jpeg" | "webp";

export interface RestoreRequest {
  task: Task;
  image: Uint8Array;
  format: OutputFormat;
  quality: number;
  refine: boolean;
}

export interface RestoreResult {
  image: Uint8Array;
  width: number;
  height: number;
  refineApplied: boolean;
  baseModel: string;
  timingsMs: { decode: number; base: number; encode: number };
}

/** The image could not be decoded or is over the limits: the client's fault (HTTP 400). */
export class InvalidImageError extends Error {
  override name = "InvalidImageError";
}

export const tileOverlap = 32;

export async function restoreImage(models: BaseModels, request: RestoreRequest, maxPixels: number): Promise<RestoreResult> {
  let started = performance.now();
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    // limitInputPixels makes sharp check the header's dimensions before decoding any pixel.
    decoded = await sharp(request.image, { limitInputPixels: maxPixels, failOn: "error", animated: false })
      .rotate()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new InvalidImageError(`cannot decode image: ${(error as Error).message}`);
  }
  const { width, height } = decoded.info;
  const pixels = Float32Array.from(decoded.data, (v) => v / 255);
  const decodeMs = performance.now() - started;

  started = performance.now();
  const model = await models.model(request.task);
  const tile = model.entry.tile.height;
  const blender = new TileBlender(height, width, tile, tileOverlap);
  for (const at of tileGrid(height, width, tile, tileOverlap)) {
    blender.add(at, await model.run(extractTile(pixels, height, width, at, tile)));
  }
  const restored = blender.result();
  const baseMs = performance.now() - started;

  started = performance.now();
  const bytes = Uint8Array.from(restored, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  const encoder = sharp(bytes, { raw: { width, height, channels: 3 } });
  const encoded =
    request.format === "png" ? encoder.png() : request.format === "jpeg" ? encoder.jpeg({ quality: request.quality }) : encoder.webp({ quality: request.quality });
  const image = new Uint8Array(await encoded.toBuffer());
  return {
    image,
    width,
    height,
    refineApplied: false,
    baseModel: model.entry.name,
    timingsMs: { decode: decodeMs, base: baseMs, encode: performance.now() - started },
  };
}
