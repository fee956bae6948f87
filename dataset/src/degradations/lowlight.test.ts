import { describe, expect, it } from "vitest";
import { SRGB8_TO_LINEAR, type RgbImage } from "./colour.js";
import { LOWLIGHT_RANGES, lowlight } from "./lowlight.js";
import { Rng } from "./random.js";

function flat(width: number, height: number, value: number): RgbImage {
  return { data: new Uint8Array(width * height * 3).fill(value), width, height };
}

/** Side-by-side flat patches of the given grey levels, each `size` × `size`. */
function patches(values: number[], size: number): RgbImage {
  const width = size * values.length;
  const data = new Uint8Array(width * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < width; x++) {
      data.fill(values[Math.floor(x / size)]!, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height: size };
}

/** Mean and variance in linear light of one patch (all channels), channel gains divided out. */
function linearStats(
  image: RgbImage,
  patch: number,
  size: number,
  gains: number[],
): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let y = 0; y < size; y++) {
    for (let x = patch * size; x < (patch + 1) * size; x++) {
      for (let c = 0; c < 3; c++) {
        const v = SRGB8_TO_LINEAR[image.data[(y * image.width + x) * 3 + c]!]! / gains[c]!;
        s += v;
        s2 += v * v;
        n++;
      }
    }
  }
  return { mean: s / n, variance: s2 / n - (s / n) ** 2 };
}

function meanOf(data: Uint8Array): number {
  return data.reduce((s, v) => s + v, 0) / data.length;
}

describe("lowlight", () => {
  it("is deterministic per seed and keeps the size", () => {
    const image = patches([20, 90, 160, 250], 16);
    const a = lowlight(image, new Rng(5));
    expect(a.image.data).toEqual(lowlight(image, new Rng(5)).image.data);
    expect(a.image.data).not.toEqual(lowlight(image, new Rng(6)).image.data);
    expect([a.image.width, a.image.height, a.image.data.length]).toEqual([64, 16, 64 * 16 * 3]);
  });

  it("darkens a mid-grey image a lot, within the documented ranges", () => {
    const image = flat(48, 32, 128);
    for (let seed = 1; seed <= 12; seed++) {
      const { image: out, params } = lowlight(image, new Rng(seed));
      expect(meanOf(out.data)).toBeLessThan(0.5 * 128);
      expect(params.exposure).toBeGreaterThanOrEqual(LOWLIGHT_RANGES.exposure[0]);
      expect(params.exposure).toBeLessThan(LOWLIGHT_RANGES.exposure[1]);
      expect(params.gamma).toBeGreaterThanOrEqual(LOWLIGHT_RANGES.gamma[0]);
      expect(params.gamma).toBeLessThan(LOWLIGHT_RANGES.gamma[1]);
    }
  });

  it("without noise is exactly exposure · gain · linear^gamma", () => {
    const image = patches([0, 128, 255], 4);
    const { image: out, params } = lowlight(image, new Rng(9), { noise: false });
    const gains = params.channelGains as number[];
    for (const [patch, code] of [[0, 0], [1, 128], [2, 255]] as const) {
      for (let c = 0; c < 3; c++) {
        const exposure = params.exposure as number;
        const expected = exposure * gains[c]! * Math.pow(SRGB8_TO_LINEAR[code]!, params.gamma as number);
        const got = SRGB8_TO_LINEAR[out.data[(patch * 4 + 1) * 3 + c]!]!;
        expect(Math.abs(got - expected)).toBeLessThan(0.002);
      }
    }
  });

  it("adds Poisson noise: variance in linear light = signal / photons + read²", () => {
    // Fixed exposure and photon count, so every patch is well above 0 and the check is tight.
    const size = 48;
    const image = patches([100, 180, 255], size);
    const photons = 1000;
    const { image: out, params } = lowlight(image, new Rng(11), {
      fixed: { exposure: 0.25, gamma: 1.2, photons, readElectrons: 0.5 },
    });
    const gains = params.channelGains as number[];
    const stats = [0, 1, 2].map((p) => linearStats(out, p, size, gains));
    // Channel c holds (gain_c·s + noise) / gain_c, whose variance is s / (gain_c·photons) + read² / gain_c².
    const invGain = gains.reduce((a, g) => a + 1 / g, 0) / 3;
    const invGain2 = gains.reduce((a, g) => a + 1 / (g * g), 0) / 3;
    for (const { mean, variance } of stats) {
      const expected = (mean / photons) * invGain + (0.5 / photons) ** 2 * invGain2;
      expect(variance / expected).toBeGreaterThan(0.9);
      expect(variance / expected).toBeLessThan(1.1);
    }
    expect(stats[1]!.variance).toBeGreaterThan(2 * stats[0]!.variance);
    expect(stats[2]!.variance).toBeGreaterThan(1.5 * stats[1]!.variance);
  });

  it("with sampled parameters, noise variance still grows with signal", () => {
    const size = 48;
    const image = patches([140, 255], size);
    for (let seed = 1; seed <= 8; seed++) {
      const { image: out, params } = lowlight(image, new Rng(seed));
      const gains = params.channelGains as number[];
      const grey = linearStats(out, 0, size, gains);
      const white = linearStats(out, 1, size, gains);
      expect(white.mean).toBeGreaterThan(grey.mean);
      expect(white.variance).toBeGreaterThan(grey.variance);
    }
  });
});
