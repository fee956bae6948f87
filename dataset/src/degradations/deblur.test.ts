import { describe, expect, it } from "vitest";
import { SRGB8_TO_LINEAR, type RgbImage } from "./colour.js";
import { DEBLUR_RANGES, deblur, motionKernel } from "./deblur.js";
import { Rng } from "./random.js";

function grey(width: number, height: number, value: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.fill(value(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  return { data, width, height };
}

/** Mean squared difference between horizontal and vertical neighbours (green channel). */
function highFrequencyEnergy(image: RgbImage): number {
  const { data, width, height } = image;
  let s = 0;
  let n = 0;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const v = data[(y * width + x) * 3 + 1]!;
      s += (data[(y * width + x + 1) * 3 + 1]! - v) ** 2 + (data[((y + 1) * width + x) * 3 + 1]! - v) ** 2;
      n++;
    }
  }
  return s / n;
}

describe("motionKernel", () => {
  it("is a normalised, non-negative, centred camera-shake kernel of the sampled size", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { kernel, size, params } = motionKernel(new Rng(seed));
      expect(size % 2).toBe(1);
      expect(size).toBeGreaterThanOrEqual(DEBLUR_RANGES.kernelSize[0]);
      expect(size).toBeLessThanOrEqual(DEBLUR_RANGES.kernelSize[1]);
      expect(kernel.length).toBe(size * size);
      let sum = 0;
      let mx = 0;
      let my = 0;
      let support = 0;
      let minX = size;
      let maxX = 0;
      let minY = size;
      let maxY = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = kernel[y * size + x]!;
          expect(v).toBeGreaterThanOrEqual(0);
          sum += v;
          mx += v * x;
          my += v * y;
          if (v > 0) {
            support++;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
          }
        }
      }
      expect(sum).toBeCloseTo(1, 5);
      // Centroid at the centre pixel: the blur does not shift the image.
      expect(mx).toBeCloseTo((size - 1) / 2, 3);
      expect(my).toBeCloseTo((size - 1) / 2, 3);
      // Never touches the border, and spans most of the kernel along its longer side.
      expect(minX).toBeGreaterThan(0);
      expect(minY).toBeGreaterThan(0);
      expect(maxX).toBeLessThan(size - 1);
      expect(maxY).toBeLessThan(size - 1);
      expect(Math.max(maxX - minX, maxY - minY)).toBeGreaterThanOrEqual(Math.floor(0.6 * (size - 3)));
      expect(support).toBeGreaterThan(size);
      expect(params.pathLength).toBeGreaterThan(0);
    }
  });

  it("honours a requested size", () => {
    expect(motionKernel(new Rng(1), 15).size).toBe(15);
  });
});

describe("deblur", () => {
  it("is deterministic per seed and keeps the size (odd sizes too)", () => {
    const image = grey(97, 61, (x, y) => ((x >> 3) + (y >> 3)) % 2 ? 220 : 30);
    const a = deblur(image, new Rng(8));
    expect(a.image.data).toEqual(deblur(image, new Rng(8)).image.data);
    expect(a.image.data).not.toEqual(deblur(image, new Rng(9)).image.data);
    expect([a.image.width, a.image.height, a.image.data.length]).toEqual([97, 61, 97 * 61 * 3]);
  });

  it("widens sharp edges: a white square on black gets a wide band of intermediate values", () => {
    const size = 96;
    const square = grey(size, size, (x, y) => (x >= 28 && x < 68 && y >= 28 && y < 68 ? 255 : 0));
    const intermediate = (img: RgbImage) => {
      let n = 0;
      for (let i = 1; i < img.data.length; i += 3) if (img.data[i]! > 25 && img.data[i]! < 230) n++;
      return n;
    };
    expect(intermediate(square)).toBe(0);
    for (let seed = 1; seed <= 6; seed++) {
      const { image, params } = deblur(square, new Rng(seed));
      // The kernel spans at least ~0.6·(size − 3) ≥ 7 px along one axis: two 40 px edges smear over ≥ 4 px each.
      expect(intermediate(image)).toBeGreaterThan(2 * 40 * 4);
      expect(params.kernelSize).toBeGreaterThanOrEqual(15);
      // Blurred in linear light: the total light is kept, and the sRGB-encoded edges come out brighter than an
      // sRGB-space blur would make them (mixing black and white in linear light encodes above mid-grey).
      const linearSum = (img: RgbImage) => img.data.reduce((s, v) => s + SRGB8_TO_LINEAR[v]!, 0);
      const codeSum = (img: RgbImage) => img.data.reduce((s, v) => s + v, 0);
      expect(linearSum(image) / linearSum(square)).toBeCloseTo(1, 1);
      expect(codeSum(image) / codeSum(square)).toBeGreaterThan(1.1);
    }
  });

  it("removes most high-frequency energy of a checkerboard", () => {
    const board = grey(96, 96, (x, y) => ((x >> 2) + (y >> 2)) % 2 ? 255 : 0);
    for (let seed = 1; seed <= 6; seed++) {
      const { image } = deblur(board, new Rng(seed));
      expect(highFrequencyEnergy(image)).toBeLessThan(0.3 * highFrequencyEnergy(board));
    }
  });

  it("adds only slight noise (a flat image stays flat within a few levels)", () => {
    const image = grey(40, 30, () => 128);
    const { image: out, params } = deblur(image, new Rng(4));
    expect(params.noiseSigma).toBeGreaterThanOrEqual(DEBLUR_RANGES.noiseSigma[0]);
    expect(params.noiseSigma).toBeLessThan(DEBLUR_RANGES.noiseSigma[1]);
    for (const v of out.data) expect(Math.abs(v - 128)).toBeLessThanOrEqual(10);
    const clean = deblur(image, new Rng(4), { noise: false }).image;
    expect(clean.data.every((v) => v === 128)).toBe(true);
  });
});
