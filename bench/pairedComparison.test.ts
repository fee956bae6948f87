import { describe, expect, it } from "vitest";
import { pairedComparison } from "./pairedComparison.js";

describe("pairedComparison", () => {
  it("finds a consistent small difference despite large photo-to-photo spread", () => {
    const b = Array.from({ length: 24 }, (_, i) => 15 + i); // photos from 15 to 38 dB
    const a = b.map((v, i) => v + 0.2 + (i % 2 ? 0.05 : -0.05)); // every photo 0.15–0.25 dB better
    const r = pairedComparison(a, b);
    expect(r.meanDifference).toBeCloseTo(0.2, 10);
    expect(r.pValue).toBeLessThan(0.001);
    expect(r.ci95[0]).toBeGreaterThan(0.15);
    expect(r.ci95[1]).toBeLessThan(0.25);
    expect([r.wins, r.losses, r.n]).toEqual([24, 0, 24]);
  });

  it("does not call noise a difference", () => {
    const b = Array.from({ length: 24 }, (_, i) => 20 + (i % 5));
    const a = b.map((v, i) => v + (i % 2 ? 0.3 : -0.3)); // as many photos better as worse
    const r = pairedComparison(a, b);
    expect(r.meanDifference).toBeCloseTo(0, 10);
    expect(r.pValue).toBeGreaterThan(0.5);
    expect(r.ci95[0]).toBeLessThan(0);
    expect(r.ci95[1]).toBeGreaterThan(0);
    expect([r.wins, r.losses]).toEqual([12, 12]);
  });

  it("is reproducible for a seed", () => {
    const a = [1, 2, 3.5, 4], b = [1.1, 1.8, 3, 4.2];
    expect(pairedComparison(a, b)).toEqual(pairedComparison(a, b));
  });
});
