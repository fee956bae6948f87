import { describe, expect, it } from "vitest";
import { planResize } from "./outputSize.js";

// A 300x200 image in a box, as Cloudflare Images describes each fit.
describe("planResize", () => {
  it("scale-down fits inside and never enlarges", () => {
    expect(planResize(300, 200, { width: 120, height: 120, fit: "scale-down", dpr: 1 })).toEqual({ width: 120, height: 80, sharpFit: "fill" });
    expect(planResize(300, 200, { width: 600, height: 600, fit: "scale-down", dpr: 1 })).toEqual({ width: 300, height: 200, sharpFit: "fill" });
  });
  it("contain fits inside, enlarging", () => {
    expect(planResize(300, 200, { width: 600, height: 600, fit: "contain", dpr: 1 })).toEqual({ width: 600, height: 400, sharpFit: "fill" });
  });
  it("cover fills the box exactly", () => {
    expect(planResize(300, 200, { width: 100, height: 100, fit: "cover", dpr: 1 })).toEqual({ width: 100, height: 100, sharpFit: "cover" });
    expect(planResize(300, 200, { width: 600, height: 600, fit: "cover", dpr: 1 })).toEqual({ width: 600, height: 600, sharpFit: "cover" });
  });
  it("crop is cover that never enlarges: a side shorter than the box stays as it is", () => {
    expect(planResize(300, 200, { width: 100, height: 100, fit: "crop", dpr: 1 })).toEqual({ width: 100, height: 100, sharpFit: "cover" });
    expect(planResize(300, 200, { width: 250, height: 400, fit: "crop", dpr: 1 })).toEqual({ width: 250, height: 200, sharpFit: "cover" });
  });
  it("pad fits inside and pads to the box", () => {
    expect(planResize(300, 200, { width: 100, height: 100, fit: "pad", dpr: 1 })).toEqual({ width: 100, height: 100, sharpFit: "contain" });
  });
  it("with one side given, scales to it (scale-down and crop only ever shrink)", () => {
    expect(planResize(300, 200, { width: 150, fit: "scale-down", dpr: 1 })).toEqual({ width: 150, height: 100, sharpFit: "fill" });
    expect(planResize(300, 200, { height: 400, fit: "cover", dpr: 1 })).toEqual({ width: 600, height: 400, sharpFit: "fill" });
    expect(planResize(300, 200, { height: 400, fit: "crop", dpr: 1 })).toEqual({ width: 300, height: 200, sharpFit: "fill" });
  });
  it("multiplies the box by dpr", () => {
    expect(planResize(3000, 2000, { width: 320, fit: "scale-down", dpr: 2 })).toEqual({ width: 640, height: 427, sharpFit: "fill" });
    expect(planResize(3000, 2000, { width: 100, height: 100, fit: "cover", dpr: 1.5 })).toEqual({ width: 150, height: 150, sharpFit: "cover" });
  });
  it("never plans a zero side", () => {
    expect(planResize(4000, 10, { width: 100, fit: "scale-down", dpr: 1 })).toEqual({ width: 100, height: 1, sharpFit: "fill" });
  });
});
