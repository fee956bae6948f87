import { describe, expect, it } from "vitest";
import { bestGainWithin, validationCurve, type CurvePoint } from "./validationCurve.js";

describe("validationCurve", () => {
  it("keeps step, seconds, gain over the base and worse crops; step 0 has no seconds", () => {
    const curve = validationCurve([
      { step: 0, val_base_psnr: 20, val_refined_psnr: 20, val_worse: 0 },
      { step: 250, val_base_psnr: 20, val_refined_psnr: 20.12345, val_worse: 3, seconds: 61.2 },
    ]);
    expect(curve).toEqual([
      [0, 0, 0, 0],
      [250, 61.2, 0.123, 3],
    ]);
  });
});

describe("bestGainWithin", () => {
  const curve: CurvePoint[] = [
    [0, 0, 0, 0],
    [250, 100, 0.5, 4],
    [500, 200, 0.3, 5],
    [750, 300, 0.8, 2],
  ];
  it("is the best gain so far, as train.py keeps the best checkpoint", () => {
    expect(bestGainWithin(curve, 500, "steps")).toBe(0.5);
    expect(bestGainWithin(curve, 250, "seconds")).toBe(0.5);
    expect(bestGainWithin(curve, 300, "seconds")).toBe(0.8);
  });
  it("is undefined past the end of the run", () => {
    expect(bestGainWithin(curve, 1000, "steps")).toBeUndefined();
    expect(bestGainWithin(curve, 301, "seconds")).toBeUndefined();
  });
});
