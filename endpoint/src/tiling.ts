// Splits an image into fixed-size overlapping tiles and blends the processed tiles back without seams:
// each output pixel is a weighted mean of the tiles covering it, weights ramping linearly across overlaps.
// Images smaller than a tile are padded by edge reflection. Tiles may be rectangular; `chooseTileShape` picks,
// among the shapes a base network is built at, the one that computes the fewest pixels for an image.

export interface Tile {
  /** Top-left corner of the tile in image coordinates (may extend past the image; padded by reflection). */
  top: number;
  left: number;
}

export type { TileShape } from "../../common/src/modelRepository.js";
import type { TileShape } from "../../common/src/modelRepository.js";

/** Tile origins along one axis: evenly spread, overlapping by at least `overlap`, covering [0, size). */
export function tileOrigins(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const stride = tile - overlap;
  const count = Math.ceil((size - tile) / stride) + 1;
  // Spread the last tile back to end exactly at the image edge.
  return Array.from({ length: count }, (_, i) => Math.round((i * (size - tile)) / (count - 1)));
}

export function tileGrid(height: number, width: number, tile: TileShape, overlap: number): Tile[] {
  return tileOrigins(height, tile.height, overlap).flatMap((top) => tileOrigins(width, tile.width, overlap).map((left) => ({ top, left })));
}

export interface TilePlan {
  tile: TileShape;
  tiles: number;
  /** Pixels the base network computes per output pixel (tiles × tile area / image area): 1 is no waste. */
  pixelsPerOutputPixel: number;
}

/**
 * The shape whose tile grid computes the fewest pixels for a height x width image (every tile costs the same per
 * pixel, whatever its shape: measured in `npm run bench:models`); ties go to fewer, larger tiles.
 */
export function chooseTileShape(height: number, width: number, shapes: readonly TileShape[], overlap: number): TilePlan {
  if (!shapes.length) throw new Error("no tile shapes to choose from");
  const plans = shapes.map((tile) => {
    const tiles = tileOrigins(height, tile.height, overlap).length * tileOrigins(width, tile.width, overlap).length;
    return { tile, tiles, pixelsPerOutputPixel: (tiles * tile.height * tile.width) / (height * width) };
  });
  return plans.reduce((best, p) =>
    p.pixelsPerOutputPixel < best.pixelsPerOutputPixel - 1e-9 || (Math.abs(p.pixelsPerOutputPixel - best.pixelsPerOutputPixel) <= 1e-9 && p.tiles < best.tiles) ? p : best,
  );
}

function reflect(i: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((i % period) + period) % period;
  return m < size ? m : period - m;
}

/**
 * Copies a tile (HWC float, 3 channels) out of the image, reflecting past the edges, divided by `divisor` (so an
 * 8-bit image gives [0, 1] tiles without a float copy of the whole image: 288 MB at 24 MP).
 */
export function extractTile(image: Float32Array | Uint8Array, height: number, width: number, at: Tile, tile: TileShape, divisor = 1): Float32Array {
  const out = new Float32Array(tile.height * tile.width * 3);
  for (let y = 0; y < tile.height; y++) {
    const sy = reflect(at.top + y, height);
    for (let x = 0; x < tile.width; x++) {
      const src = (sy * width + reflect(at.left + x, width)) * 3;
      const dst = (y * tile.width + x) * 3;
      out[dst] = image[src]! / divisor;
      out[dst + 1] = image[src + 1]! / divisor;
      out[dst + 2] = image[src + 2]! / divisor;
    }
  }
  return out;
}

/** Weight of a tile pixel: 1 inside, ramping towards 0 across `overlap` pixels at edges shared with others. */
function rampWeight(i: number, tile: number, overlap: number, rampStart: boolean, rampEnd: boolean): number {
  let w = 1;
  if (rampStart && i < overlap) w = Math.min(w, (i + 1) / (overlap + 1));
  if (rampEnd && i >= tile - overlap) w = Math.min(w, (tile - i) / (overlap + 1));
  return w;
}

/** Accumulates processed tiles into the output image. */
export class TileBlender {
  readonly #sum: Float32Array;
  readonly #weight: Float32Array;

  constructor(
    readonly height: number,
    readonly width: number,
    readonly tile: TileShape,
    readonly overlap: number,
  ) {
    this.#sum = new Float32Array(height * width * 3);
    this.#weight = new Float32Array(height * width);
  }

  add(at: Tile, pixels: Float32Array): void {
    const { height, width, overlap } = this;
    const { height: tileHeight, width: tileWidth } = this.tile;
    for (let y = 0; y < tileHeight; y++) {
      const iy = at.top + y;
      if (iy >= height) break;
      const wy = rampWeight(y, tileHeight, overlap, at.top > 0, at.top + tileHeight < height);
      for (let x = 0; x < tileWidth; x++) {
        const ix = at.left + x;
        if (ix >= width) break;
        const w = wy * rampWeight(x, tileWidth, overlap, at.left > 0, at.left + tileWidth < width);
        const p = iy * width + ix;
        const src = (y * tileWidth + x) * 3;
        for (let c = 0; c < 3; c++) this.#sum[p * 3 + c] = this.#sum[p * 3 + c]! + w * pixels[src + c]!;
        this.#weight[p] = this.#weight[p]! + w;
      }
    }
  }

  /** The blended image. Normalises in place (no second full-size buffer), so call it once, after the last add. */
  result(): Float32Array {
    const sum = this.#sum;
    for (let p = 0; p < this.#weight.length; p++) {
      const w = this.#weight[p]!;
      sum[p * 3] = sum[p * 3]! / w;
      sum[p * 3 + 1] = sum[p * 3 + 1]! / w;
      sum[p * 3 + 2] = sum[p * 3 + 2]! / w;
    }
    return sum;
  }
}
