import { describe, expect, it } from "vitest";
import { boxBlur } from "./boxBlur.js";

describe("boxBlur", () => {
  it("keeps a constant image and the mean of a smooth one, and spreads a point into a symmetric bump", () => {
    const width = 41;
    const height = 31;
    expect([...boxBlur(new Float32Array(width * height * 2).fill(0.3), width, height, 2, 4)].every((v) => Math.abs(v - 0.3) < 1e-6)).toBe(true);

    const point = new Float32Array(width * height);
    point[15 * width + 20] = 1;
    const bump = boxBlur(point, width, height, 1, 3);
    const at = (y: number, x: number) => bump[y * width + x]!;
    expect(bump.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5); // nothing reaches the edges, so nothing is lost
    expect(at(15, 20)).toBeGreaterThan(at(15, 22));
    expect(at(15, 22)).toBeGreaterThan(at(15, 26));
    expect(at(15, 17)).toBeCloseTo(at(15, 23), 6);
    expect(at(12, 20)).toBeCloseTo(at(15, 23), 6);
    expect(at(15, 30)).toBe(0); // three passes of radius 3 reach 9 pixels, no further
    // Channels stay apart.
    const two = new Float32Array(width * height * 2);
    two[(15 * width + 20) * 2 + 1] = 1;
    const blurred = boxBlur(two, width, height, 2, 3);
    expect(blurred.filter((_, i) => i % 2 === 0).every((v) => v === 0)).toBe(true);
    expect(blurred[(15 * width + 20) * 2 + 1]).toBeCloseTo(at(15, 20), 6);
  });
});
