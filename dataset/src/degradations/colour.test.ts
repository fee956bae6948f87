import { describe, expect, it } from "vitest";
import {
  SRGB8_TO_LINEAR,
  assertRgbImage,
  bytesToLinear,
  bytesToUnit,
  linearToBytes,
  linearToSrgb,
  linearToSrgbValue,
  srgbToLinear,
  srgbToLinearValue,
  unitToBytes,
} from "./colour.js";

describe("sRGB ↔ linear", () => {
  it("round-trips every 8-bit code exactly", () => {
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(Array.from(linearToBytes(bytesToLinear(codes)))).toEqual(Array.from(codes));
    expect(Array.from(unitToBytes(bytesToUnit(codes)))).toEqual(Array.from(codes));
    expect(Array.from(unitToBytes(linearToSrgb(srgbToLinear(bytesToUnit(codes)))))).toEqual(Array.from(codes));
  });

  it("round-trips floats and uses the exact piecewise curve", () => {
    for (let i = 0; i <= 1000; i++) {
      const v = i / 1000;
      expect(linearToSrgbValue(srgbToLinearValue(v))).toBeCloseTo(v, 10);
      expect(srgbToLinearValue(linearToSrgbValue(v))).toBeCloseTo(v, 10);
    }
    expect(srgbToLinearValue(0.5)).toBeCloseTo(0.214041, 6); // not 0.5^2.2 = 0.2176
    expect(srgbToLinearValue(0.04045)).toBeCloseTo(0.04045 / 12.92, 12);
    // continuous at the joins
    expect(srgbToLinearValue(0.04045 + 1e-9)).toBeCloseTo(srgbToLinearValue(0.04045), 7);
    expect(linearToSrgbValue(0.0031308 + 1e-9)).toBeCloseTo(linearToSrgbValue(0.0031308), 7);
    expect(SRGB8_TO_LINEAR[0]).toBe(0);
    expect(SRGB8_TO_LINEAR[255]).toBeCloseTo(1, 6);
  });

  it("clips out-of-range values when encoding", () => {
    expect(Array.from(linearToBytes(Float32Array.of(-0.5, 2, Number.NaN)))).toEqual([0, 255, 0]);
    expect(Array.from(unitToBytes(Float32Array.of(-1, 1.5)))).toEqual([0, 255]);
  });

  it("checks image layout", () => {
    expect(() => assertRgbImage({ data: new Uint8Array(12), width: 2, height: 2 })).not.toThrow();
    expect(() => assertRgbImage({ data: new Uint8Array(11), width: 2, height: 2 })).toThrow(RangeError);
    expect(() => assertRgbImage({ data: new Uint8Array(0), width: 0, height: 0 })).toThrow(RangeError);
    expect(() => assertRgbImage({ data: new Uint8Array(3), width: 1.5, height: 2 })).toThrow(RangeError);
  });
});
