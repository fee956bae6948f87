import { describe, expect, it } from "vitest";
import { chooseTileShape, extractTile, TileBlender, tileGrid, tileOrigins, type TileShape } from "./tiling.js";

function randomImage(h: number, w: number): Float32Array {
  return Float32Array.from({ length: h * w * 3 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
}

/** Runs `filter` tile by tile and blends, as the pipeline does. */
function tiled(image: Float32Array, h: number, w: number, tile: TileShape, overlap: number, filter: (t: Float32Array) => Float32Array) {
  const blender = new TileBlender(h, w, tile, overlap);
  for (const at of tileGrid(h, w, tile, overlap)) blender.add(at, filter(extractTile(image, h, w, at, tile)));
  return blender.result();
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i]!)), 0);
const square = (n: number) => ({ height: n, width: n });

describe("tiling", () => {
  it("covers every size with overlapping tiles ending at the edge", () => {
    expect(tileOrigins(100, 256, 32)).toEqual([0]);
    expect(tileOrigins(256, 256, 32)).toEqual([0]);
    expect(tileOrigins(300, 256, 32)).toEqual([0, 44]);
    const origins = tileOrigins(1080, 256, 32);
    expect(origins[0]).toBe(0);
    expect(origins.at(-1)).toBe(1080 - 256);
    for (let i = 1; i < origins.length; i++) expect(origins[i - 1]! + 256 - origins[i]!).toBeGreaterThanOrEqual(32);
  });

  it.each([[37, 53], [64, 64], [130, 97], [300, 211]])("reproduces a %ix%i image exactly through an identity model, square or oblong tiles", (h, w) => {
    const image = randomImage(h, w);
    for (const tile of [square(64), { height: 64, width: 96 }, { height: 96, width: 64 }]) {
      expect(maxDiff(tiled(image, h, w, tile, 16, (t) => t), image)).toBeLessThan(1e-6);
    }
  });

  it("gives the same result tiled and untiled for a per-pixel filter, with no seams", () => {
    const [h, w] = [150, 170];
    const image = randomImage(h, w);
    const gamma = (t: Float32Array) => t.map((v) => Math.sqrt(v));
    expect(maxDiff(tiled(image, h, w, { height: 64, width: 96 }, 16, gamma), gamma(image))).toBeLessThan(1e-6);
  });

  it("chooses the tile shape that computes the fewest pixels, and says how many per output pixel", () => {
    const shapes = [256, 384, 512].flatMap((height) => [256, 384, 512].map((width) => ({ height, width })));
    // 1920x1080: 3 rows of 384 and 4 columns of 512 (1.14 pixels per output pixel); 256x256 tiles need 45 (1.42).
    expect(chooseTileShape(1080, 1920, shapes, 32)).toEqual({ tile: { height: 384, width: 512 }, tiles: 12, pixelsPerOutputPixel: (12 * 384 * 512) / (1080 * 1920) });
    expect(chooseTileShape(1080, 1920, [square(256)], 32)).toMatchObject({ tiles: 45 });
    // A 384x256 photo fits one tile exactly; one smaller than every tile takes the smallest.
    expect(chooseTileShape(384, 256, shapes, 32)).toMatchObject({ tile: { height: 384, width: 256 }, tiles: 1, pixelsPerOutputPixel: 1 });
    expect(chooseTileShape(100, 50, shapes, 32).tile).toEqual(square(256));
  });
});
