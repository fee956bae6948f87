import { describe, expect, it } from "vitest";
import type { RgbImage } from "./colour.js";
import { convolve2d } from "./convolve.js";
import { DERAIN_RANGES, derain, rainLayer } from "./derain.js";
import { Rng } from "./random.js";

function flat(width: number, height: number, value: number): RgbImage {
  return { data: new Uint8Array(width * height * 3).fill(value), width, height };
}

function meanOf(data: Uint8Array): number {
  return data.reduce((s, v) => s + v, 0) / data.length;
}

/**
 * Streak angle from vertical (degrees, positive = bottom end to the right) from the structure tensor of the green
 * channel: gradients are perpendicular to the streaks, so the streak direction is the tensor's minor eigenvector.
 * The image is smoothed first (Gaussian, σ 1.5 px): central differences of 1–2 px lines are anisotropic and bias
 * the angle away from vertical by up to ~10° on the raw pixels.
 */
function dominantStreakAngle(image: RgbImage): number {
  const { data, width, height } = image;
  const green = Float32Array.from({ length: width * height }, (_, i) => data[i * 3 + 1]!);
  const r = 5;
  const gauss = Float32Array.from({ length: (2 * r + 1) ** 2 }, (_, i) => {
    const dx = (i % (2 * r + 1)) - r;
    const dy = Math.floor(i / (2 * r + 1)) - r;
    return Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
  });
  const total = gauss.reduce((a, b) => a + b, 0);
  const smooth = convolve2d(green, width, height, 1, gauss.map((v) => v / total), 2 * r + 1, 2 * r + 1);
  const at = (x: number, y: number) => smooth[y * width + x]!;
  let jxx = 0;
  let jyy = 0;
  let jxy = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const gx = (at(x + 1, y) - at(x - 1, y)) / 2;
      const gy = (at(x, y + 1) - at(x, y - 1)) / 2;
      jxx += gx * gx;
      jyy += gy * gy;
      jxy += gx * gy;
    }
  }
  // Gradient orientation φ from the x axis; the streak runs at φ + 90°, i.e. at −φ from vertical.
  const phi = 0.5 * Math.atan2(2 * jxy, jxx - jyy);
  return (-phi * 180) / Math.PI;
}

/** Difference of two orientations, in [0, 90]. */
function orientationDifference(a: number, b: number): number {
  const d = (((a - b) % 180) + 180) % 180;
  return Math.min(d, 180 - d);
}

describe("derain", () => {
  it("is deterministic per seed and keeps the size (odd sizes too)", () => {
    const image = flat(97, 61, 90);
    const a = derain(image, new Rng(2));
    expect(a.image.data).toEqual(derain(image, new Rng(2)).image.data);
    expect(a.image.data).not.toEqual(derain(image, new Rng(3)).image.data);
    expect([a.image.width, a.image.height, a.image.data.length]).toEqual([97, 61, 97 * 61 * 3]);
  });

  it("only brightens, and raises the mean", () => {
    const image = flat(128, 96, 100);
    for (let seed = 1; seed <= 10; seed++) {
      const { image: out, params } = derain(image, new Rng(seed));
      expect(out.data.every((v) => v >= 100)).toBe(true);
      expect(meanOf(out.data)).toBeGreaterThan(100.5);
      expect(["add", "screen"]).toContain(params.blend);
    }
  });

  it("draws streaks at the sampled angle (structure tensor of the rain on black within 10°)", () => {
    const black = flat(160, 160, 0);
    for (let seed = 1; seed <= 16; seed++) {
      const { image, params } = derain(black, new Rng(seed));
      const angle = params.angleDeg as number;
      expect(Math.abs(angle)).toBeLessThanOrEqual(DERAIN_RANGES.angleDeg[1]);
      expect(orientationDifference(dominantStreakAngle(image), angle)).toBeLessThan(10);
    }
  });

  it("makes a sparse, streaky layer in [0, 1] with lengths and widths in range", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { layer, params } = rainLayer(120, 90, new Rng(seed));
      expect(Math.min(...layer)).toBe(0);
      expect(Math.max(...layer)).toBeLessThanOrEqual(1);
      const coverage = layer.filter((v) => v > 0.05).length / layer.length;
      expect(coverage).toBeGreaterThan(0.005);
      expect(coverage).toBeLessThan(0.8);
      expect(params.meanLength).toBeGreaterThanOrEqual(DERAIN_RANGES.meanLength[0]);
      expect(params.meanLength).toBeLessThan(DERAIN_RANGES.meanLength[1]);
      expect(params.streakWidth).toBeGreaterThanOrEqual(1);
      expect(params.streakWidth).toBeLessThan(2);
    }
  });
});
