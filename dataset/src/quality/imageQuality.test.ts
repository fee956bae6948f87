import { describe, expect, it } from "vitest";
import { matchMeanLuma, psnr, quality } from "./imageQuality.js";

function noisy(base: Uint8Array, amplitude: number, seed: number): Uint8Array {
  let s = seed;
  return base.map((v) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return Math.min(255, Math.max(0, v + Math.round(((s / 0x7fffffff) * 2 - 1) * amplitude)));
  });
}

describe("image quality", () => {
  const width = 48;
  const height = 32;
  const clean = Uint8Array.from({ length: width * height * 3 }, (_, i) => (Math.floor(i / 3) % width) * 5);

  it("PSNR follows its definition: a uniform error of 1 level is 48.13 dB, identical images are infinite", () => {
    expect(psnr(clean, clean)).toBe(Infinity);
    expect(psnr(clean, clean.map((v) => (v === 255 ? 254 : v + 1)))).toBeCloseTo(10 * Math.log10(255 * 255), 2);
  });

  it("SSIM is 1 for identical images and falls as noise grows", () => {
    expect(quality(clean, clean, width, height).ssim).toBeCloseTo(1, 6);
    const mild = quality(noisy(clean, 5, 1), clean, width, height);
    const strong = quality(noisy(clean, 40, 1), clean, width, height);
    expect(mild.ssim).toBeLessThan(1);
    expect(strong.ssim).toBeLessThan(mild.ssim);
    expect(strong.psnr).toBeLessThan(mild.psnr);
  });

  it("GT-mean PSNR forgives a wrong exposure but not a wrong structure", () => {
    const dim = clean.map((v) => Math.round(v * 0.6));
    const scored = quality(dim, clean, width, height);
    expect(scored.psnr).toBeLessThan(20);
    expect(scored.psnrGtMean).toBeGreaterThan(40);
    const noise = quality(noisy(clean, 40, 1), clean, width, height);
    expect(noise.psnrGtMean).toBeLessThan(30);
    expect(matchMeanLuma(clean, clean)).toEqual(clean);
  });

});
