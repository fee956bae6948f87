import { describe, expect, it } from "vitest";
import { linearToSrgbValue, srgbToLinearValue, type RgbImage } from "./colour.js";
import {
  DENOISE_RANGES,
  bayerChannel,
  demosaicBilinear,
  denoise,
  inverseSmoothstep,
  invert3,
  randomCcm,
  smoothstep,
} from "./denoise.js";
import { Rng } from "./random.js";

function flat(width: number, height: number, rgb: readonly number[]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3]!;
  return { data, width, height };
}

function channelStats(image: RgbImage, c: number): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let i = c; i < image.data.length; i += 3) {
    s += image.data[i]!;
    s2 += image.data[i]! ** 2;
    n++;
  }
  return { mean: s / n, std: Math.sqrt(s2 / n - (s / n) ** 2) };
}

describe("denoise helpers", () => {
  it("inverts the tone curve, the CCM and the mosaic", () => {
    for (let i = 0; i <= 100; i++) expect(smoothstep(inverseSmoothstep(i / 100))).toBeCloseTo(i / 100, 9);
    const rng = new Rng(1);
    for (let k = 0; k < 5; k++) {
      const { rgbToCam, camToRgb, weights } = randomCcm(rng);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      for (let r = 0; r < 3; r++) {
        expect(rgbToCam[r * 3]! + rgbToCam[r * 3 + 1]! + rgbToCam[r * 3 + 2]!).toBeCloseTo(1, 9);
      }
      const identity = [0, 1, 2].flatMap((i) =>
        [0, 1, 2].map((j) => [0, 1, 2].reduce((s, m) => s + rgbToCam[i * 3 + m]! * camToRgb[m * 3 + j]!, 0)),
      );
      identity.forEach((v, i) => expect(v).toBeCloseTo(i % 4 === 0 ? 1 : 0, 9));
    }
    expect(invert3([2, 1, 0, 0, 1, 0, 0, 0, 4]).map((v) => v + 0)).toEqual([0.5, -0.5, 0, 0, 1, 0, 0, 0, 0.25]);
    expect([bayerChannel(0, 0), bayerChannel(1, 0), bayerChannel(0, 1), bayerChannel(1, 1)]).toEqual([0, 1, 1, 2]);
  });

  it("demosaics a flat mosaic back to flat colour, borders included, at odd sizes", () => {
    const w = 7;
    const h = 5;
    const colour = [0.2, 0.5, 0.8];
    const raw = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * w + x] = colour[bayerChannel(x, y)]!;
    const rgb = demosaicBilinear(raw, w, h);
    for (let i = 0; i < rgb.length; i++) expect(rgb[i]).toBeCloseTo(colour[i % 3]!, 6);
  });
});

describe("denoise", () => {
  it("is deterministic per seed and keeps the size (odd sizes too)", () => {
    const image = flat(97, 61, [120, 130, 90]);
    const a = denoise(image, new Rng(3));
    expect(a.image.data).toEqual(denoise(image, new Rng(3)).image.data);
    expect(a.image.data).not.toEqual(denoise(image, new Rng(4)).image.data);
    expect([a.image.width, a.image.height, a.image.data.length]).toEqual([97, 61, 97 * 61 * 3]);
  });

  it("without noise, unprocess then process is near-identity on flat colours", () => {
    const colours = [
      [128, 128, 128],
      [30, 30, 30],
      [200, 200, 200],
      [180, 120, 90],
      [60, 140, 80],
      [110, 120, 190],
      [230, 210, 170],
    ];
    for (let seed = 1; seed <= 6; seed++) {
      for (const colour of colours) {
        const out = denoise(flat(6, 5, colour), new Rng(seed), { noise: false }).image;
        for (let c = 0; c < 3; c++) {
          for (let i = c; i < out.data.length; i += 3) {
            expect(Math.abs(out.data[i]! - colour[c]!)).toBeLessThanOrEqual(1);
          }
        }
      }
    }
  });

  it("gives a flat grey image noise of the expected strength around an unchanged mean", () => {
    const image = flat(64, 64, [128, 128, 128]);
    const shots: number[] = [];
    const greenStds: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const { image: out, params } = denoise(image, new Rng(seed));
      const shot = params.shotNoise as number;
      const read = params.readNoise as number;
      const gain = params.brightnessGain as number;
      expect(shot).toBeGreaterThanOrEqual(DENOISE_RANGES.shotNoise[0]);
      expect(shot).toBeLessThan(DENOISE_RANGES.shotNoise[1]);
      // Expected std of the green output, ignoring demosaic and CCM: raw green std (variance shot·x + read),
      // times the brightness gain, times the slope of gamma∘tone curve at the pixel's linear value.
      const linear = srgbToLinearValue(inverseSmoothstep(128 / 255));
      const rawStd = Math.sqrt((linear / gain) * shot + read);
      const d = 1e-4;
      const slope = (smoothstep(linearToSrgbValue(linear + d)) - smoothstep(linearToSrgbValue(linear - d))) / (2 * d);
      const predicted = rawStd * gain * slope * 255;
      for (let c = 0; c < 3; c++) {
        const { mean, std } = channelStats(out, c);
        expect(Math.abs(mean - 128)).toBeLessThan(5);
        // Green is interpolated at half the sites (lower std), red and blue gain more from WB and the CCM.
        expect(std / predicted).toBeGreaterThan(c === 1 ? 0.9 : 1.1);
        expect(std / predicted).toBeLessThan(c === 1 ? 1.7 : 2.6);
        // Over the paper's noise range, between barely visible and strong (SIDD-like) noise.
        expect(std).toBeGreaterThan(1.5);
        expect(std).toBeLessThan(45);
      }
      shots.push(shot);
      greenStds.push(channelStats(out, 1).std);
    }
    // More shot noise, more noise: ranks agree.
    const rank = (v: number[]) => v.map((x) => v.filter((y) => y < x).length);
    const rs = rank(shots);
    const rg = rank(greenStds);
    const agreement = rs.filter((r, i) => Math.abs(r - rg[i]!) <= 1).length;
    expect(agreement).toBeGreaterThanOrEqual(8);
  });
});
