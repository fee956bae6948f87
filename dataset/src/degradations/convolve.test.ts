import { describe, expect, it } from "vitest";
import { convolve2d, reflectIndex } from "./convolve.js";

describe("reflectIndex", () => {
  it("reflects without repeating the edge, folding as often as needed", () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(reflectIndex(-9, 4)).toBe(3);
    expect(reflectIndex(13, 4)).toBe(1);
    expect(reflectIndex(5, 1)).toBe(0);
  });
});

describe("convolve2d", () => {
  it("leaves the image unchanged with a centred impulse", () => {
    const src = Float32Array.from({ length: 5 * 4 * 3 }, (_, i) => i / 7);
    const k = new Float32Array(9);
    k[4] = 1;
    expect(Array.from(convolve2d(src, 5, 4, 3, k, 3, 3))).toEqual(Array.from(src));
  });

  it("is a true convolution: an impulse reproduces the kernel, not its mirror image", () => {
    const w = 9;
    const h = 9;
    const src = new Float32Array(w * h);
    src[4 * w + 4] = 1;
    const k = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const out = convolve2d(src, w, h, 1, k, 3, 3);
    const patch = [3, 4, 5].flatMap((y) => [3, 4, 5].map((x) => out[y * w + x]));
    expect(patch).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("pads by reflection (a ramp stays a ramp under a symmetric blur) and keeps flat images flat", () => {
    const w = 6;
    const src = Float32Array.from({ length: w }, (_, x) => x);
    const box = Float32Array.from([1 / 3, 1 / 3, 1 / 3]);
    const out = convolve2d(src, w, 1, 1, box, 3, 1);
    // reflect-101 at x = 0 reads x = 1 on both sides: (1 + 0 + 1) / 3
    expect(out[0]).toBeCloseTo(2 / 3, 6);
    expect(Array.from(out.slice(1, 5)).map((v) => +v.toFixed(5))).toEqual([1, 2, 3, 4]);
    const flat = new Float32Array(7 * 5 * 3).fill(0.25);
    const k = new Float32Array(31 * 31).fill(1 / 961); // larger than the image
    for (const v of convolve2d(flat, 7, 5, 3, k, 31, 31)) expect(v).toBeCloseTo(0.25, 5);
  });

  it("skips zero taps and handles even kernel sizes", () => {
    const src = Float32Array.from({ length: 8 * 8 }, (_, i) => (i * 37) % 11);
    const dense = Float32Array.from([0.5, 0.5]);
    const out = convolve2d(src, 8, 8, 1, dense, 2, 1);
    // anchor ⌊(2−1)/2⌋ = 0: out(x) = 0.5·in(x) + 0.5·in(x−1)
    expect(out[8 + 3]).toBeCloseTo(0.5 * src[8 + 3]! + 0.5 * src[8 + 2]!, 6);
    const sparse = new Float32Array(25);
    sparse[0] = 0.5;
    sparse[24] = 0.5;
    const y = 4;
    const x = 4;
    expect(convolve2d(src, 8, 8, 1, sparse, 5, 5)[y * 8 + x]).toBeCloseTo(
      0.5 * src[(y + 2) * 8 + x + 2]! + 0.5 * src[(y - 2) * 8 + x - 2]!,
      6,
    );
  });
});
