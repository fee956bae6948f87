// The restore-<task> pipeline: decode (EXIF orientation applied, alpha set aside) → OSF once per image on a
// squeezed copy → overlapped tiles (of the built shape that computes the fewest pixels for this image) → base
// network → PTG-RM (when asked for and trained for the task) → blend → the refiner's per-photo gate (when one is
// fitted) → output (alpha back, resize, metadata, encode: outputImage.ts).
import sharp from "sharp";
import type { Task } from "../../common/src/tasks.js";
import type { PipelineModels, Refiner } from "./pipelineModels.js";
import { CanceledError, type Stage } from "./inferRequests.js";
import { planResize } from "../../common/src/outputSize.js";
import { encodeOutput, type OutputOptions } from "./outputImage.js";
import { applyGate } from "./refinerGate.js";
import { chooseTileShape, extractTile, TileBlender, tileGrid, type TilePlan } from "./tiling.js";
import { AbandonedError } from "./workQueue.js";

export interface RestoreRequest extends OutputOptions {
  task: Task;
  image: Uint8Array;
  refine: boolean;
}

export interface RestoreResult {
  image: Uint8Array;
  /** The output's size (the input's unless resized). */
  width: number;
  height: number;
  /** True only when a trained PTG-RM refined this result. */
  refineApplied: boolean;
  baseModel: string;
  refineModel?: string;
  /** When the refiner has a per-photo gate: the share of its change kept, 0..1. */
  refineWeight?: number;
  /** The tile shape and count used, and the pixels computed per output pixel. */
  tiling: TilePlan;
  timingsMs: { decode: number; osf: number; base: number; refine: number; encode: number };
}

export interface DecodedImage {
  /** 8-bit sRGB, HWC, 3 channels. */
  rgb: Uint8Array;
  width: number;
  height: number;
  /** The input's alpha channel, one byte per pixel, when it has one: not restored, re-attached to the output. */
  alpha?: Uint8Array;
}

/** The image could not be decoded or is over the limits: the client's fault (HTTP 400). */
export class InvalidImageError extends Error {
  override name = "InvalidImageError";
}

export const tileOverlap = 32;

/** How a caller follows and stops a restoration. */
export interface PipelineHooks {
  /** Checked before each tile (group): once aborted, no further tile starts. */
  signal?: AbortSignal;
  onStage?: (stage: Stage) => void;
  /** After each tile (group) of the base network and refiners: tiles done of the total, never decreasing. */
  onTiles?: (done: number, total: number) => void;
}

/** Once aborted: a CanceledError when the request was canceled, else AbandonedError (client gone, deadline passed). */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof CanceledError ? signal.reason : new AbandonedError(`stopped: ${String(signal.reason)}`);
}

export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<DecodedImage> {
  try {
    // limitInputPixels makes sharp check the header's dimensions before decoding any pixel.
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "error", animated: false })
      .rotate()
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    if (info.channels === 3) return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
    // RGBA: the colour is restored as it is stored (unpremultiplied), the alpha kept aside.
    const rgb = new Uint8Array(width * height * 3);
    const alpha = new Uint8Array(width * height);
    for (let p = 0; p < width * height; p++) {
      rgb[p * 3] = data[p * 4]!;
      rgb[p * 3 + 1] = data[p * 4 + 1]!;
      rgb[p * 3 + 2] = data[p * 4 + 2]!;
      alpha[p] = data[p * 4 + 3]!;
    }
    return { rgb, width, height, alpha };
  } catch (error) {
    throw new InvalidImageError(`cannot decode image: ${(error as Error).message}`);
  }
}

export interface RestoredPixels {
  /** The blended base-network result, HWC float (unclamped). */
  base: Float32Array;
  /** One blended result per refiner, in the order given. */
  refined: Float32Array[];
  timingsMs: { osf: number; base: number; refine: number };
  /** Per refiner (same order): its own tile time plus the time of its encoder, in ms. */
  refinerCostMs: number[];
  tiling: TilePlan;
  /** The base network file that ran (its tile shape's). */
  baseModel: string;
}

/**
 * Runs the base network once per tile and every refiner on each base tile, so that an evaluation can compare
 * refiners on the very same base output. The endpoint passes zero or one refiner.
 */
export async function restorePixels(models: PipelineModels, task: Task, image: DecodedImage, refiners: Refiner[], hooks: PipelineHooks = {}): Promise<RestoredPixels> {
  const { rgb, width, height } = image;
  throwIfAborted(hooks.signal);
  if (refiners.some((r) => r.osfEncoder !== null)) hooks.onStage?.("osf");
  let started = performance.now();
  const osf = new Map<Refiner, Float32Array>();
  const byEncoder = new Map<string, { features: Float32Array; ms: number }>();
  for (const refiner of refiners) {
    const name = refiner.osfEncoder;
    if (name === null) {
      osf.set(refiner, new Float32Array(refiner.osfDim));
      continue;
    }
    if (!byEncoder.has(name)) {
      const t0 = performance.now();
      const features = await (await models.encoder(name)).features(rgb, width, height);
      byEncoder.set(name, { features, ms: performance.now() - t0 });
    }
    osf.set(refiner, byEncoder.get(name)!.features);
  }
  const osfMs = performance.now() - started;
  const refinerCostMs = refiners.map((r) => (r.osfEncoder === null ? 0 : byEncoder.get(r.osfEncoder)!.ms));

  const tiling = chooseTileShape(height, width, models.tileShapes(task), tileOverlap);
  const { tile } = tiling;
  const model = await models.model(task, tile);
  const baseBlender = new TileBlender(height, width, tile, tileOverlap);
  const refinedBlenders = refiners.map(() => new TileBlender(height, width, tile, tileOverlap));
  let baseMs = 0;
  let refineMs = 0;
  const grid = tileGrid(height, width, tile, tileOverlap);
  hooks.onStage?.("tiles");
  hooks.onTiles?.(0, grid.length);
  // Up to one batch of this request's tiles is submitted at once (other requests' tiles may join the batch).
  for (let first = 0; first < grid.length; first += model.maxBatch) {
    // onnxruntime-node's CPU runs hold the event loop, and awaiting their results yields only to promise
    // callbacks: let a whole turn of the loop pass (pending I/O, then closed sockets) so that a cancel or a client
    // that left is seen before the next tile starts.
    if (hooks.signal) await new Promise((resolve) => setTimeout(resolve, 0));
    throwIfAborted(hooks.signal);
    const group = grid.slice(first, first + model.maxBatch);
    started = performance.now();
    const degradedTiles = group.map((at) => extractTile(rgb, height, width, at, tile, 255));
    const baseTiles = await Promise.all(degradedTiles.map((t) => model.run(t)));
    group.forEach((at, k) => baseBlender.add(at, baseTiles[k]!));
    baseMs += performance.now() - started;
    for (const [k, at] of group.entries()) {
      for (const [i, refiner] of refiners.entries()) {
        started = performance.now();
        refinedBlenders[i]!.add(at, await refiner.run(baseTiles[k]!, degradedTiles[k]!, osf.get(refiner)!, tile, { at, imageHeight: height, imageWidth: width }));
        const ms = performance.now() - started;
        refinerCostMs[i] = refinerCostMs[i]! + ms;
        refineMs += ms;
      }
    }
    hooks.onTiles?.(first + group.length, grid.length);
  }
  return {
    base: baseBlender.result(),
    refined: refinedBlenders.map((b) => b.result()),
    timingsMs: { osf: osfMs, base: baseMs, refine: refineMs },
    refinerCostMs,
    tiling,
    baseModel: model.entry.name,
  };
}

export async function restoreImage(models: PipelineModels, request: RestoreRequest, maxPixels: number, hooks: PipelineHooks = {}): Promise<RestoreResult> {
  throwIfAborted(hooks.signal);
  hooks.onStage?.("decode");
  let started = performance.now();
  const decoded = await decodeImage(request.image, maxPixels);
  const decodeMs = performance.now() - started;
  if (request.resize) {
    // Refused before any tile runs: an enlargement may ask for far more pixels than the input has.
    const { width, height } = planResize(decoded.width, decoded.height, request.resize);
    if (width * height > maxPixels) throw new InvalidImageError(`the resized output would be ${width}x${height}, over ${maxPixels} pixels`);
  }

  // Without trained weights for the task, `refine` falls back to the base result, and the response says so.
  const refinerEntry = request.refine ? models.refinerFor(request.task) : undefined;
  const refiners = refinerEntry ? [await models.refiner(refinerEntry.name)] : [];
  const restored = await restorePixels(models, request.task, decoded, refiners, hooks);

  // A refiner with a fitted gate keeps only as much of its change as the gate gives this photo.
  let pixels = restored.refined[0] ?? restored.base;
  let refineWeight: number | undefined;
  if (restored.refined[0] && refinerEntry?.gate) {
    started = performance.now();
    ({ weight: refineWeight, pixels } = applyGate(refinerEntry.gate, decoded.rgb, restored.base, restored.refined[0], decoded.width, decoded.height));
    restored.timingsMs.refine += performance.now() - started;
  }

  hooks.onStage?.("encode");
  started = performance.now();
  const output = await encodeOutput(
    { pixels, width: decoded.width, height: decoded.height, alpha: decoded.alpha },
    request.image,
    request,
  );
  return {
    image: output.bytes,
    width: output.width,
    height: output.height,
    refineApplied: refiners.length > 0,
    baseModel: restored.baseModel,
    ...(refinerEntry ? { refineModel: refinerEntry.name } : {}),
    ...(refineWeight !== undefined ? { refineWeight } : {}),
    tiling: restored.tiling,
    timingsMs: { decode: decodeMs, ...restored.timingsMs, encode: performance.now() - started },
  };
}
