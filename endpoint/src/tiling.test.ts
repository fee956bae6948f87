import { describe, expect, it } from "vitest";
import { extractTile, TileBlender, tileGrid, tileOrigins } from "./tiling.js";

function randomImage(h: number, w: number): Float32Array {
  return Float32Array.from({ length: h * w * 3 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
}

/** Runs `filter` tile by tile and blends, as the pipeline does. */
function tiled(image: Float32Array, h: number, w: number, tile: number, overlap: number, filter: (t: Float32Array) => Float32Array) {
  const blender = new TileBlender(h, w, tile, overlap);
  for (const at of tileGrid(h, w, tile, overlap)) blender.add(at, filter(extractTile(image, h, w, at, tile)));
  return blender.result();
}

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

  it.each([[37, 53], [64, 64], [130, 97], [300, 211]])("reproduces a %ix%i image exactly through an identity model", (h, w) => {
    const image = randomImage(h, w);
    const out = tiled(image, h, w, 64, 16, (t) => t);
    let max = 0;
    for (let i = 0; i < image.length; i++) max = Math.max(max, Math.abs(out[i]! - image[i]!));
    expect(max).toBeLessThan(1e-6);
  });

  it("gives the same result tiled and untiled for a per-pixel filter, with no seams", () => {
    const [h, w] = [150, 170];
    const image = randomImage(h, w);
    const gamma = (t: Float32Array) => t.map((v) => Math.sqrt(v));
    const out = tiled(image, h, w, 64, 16, gamma);
    const whole = gamma(image);
    let max = 0;
    for (let i = 0; i < image.length; i++) max = Math.max(max, Math.abs(out[i]! - whole[i]!));
    expect(max).toBeLessThan(1e-6);
  });
});
