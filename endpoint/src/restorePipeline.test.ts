import { describe, expect, it } from "vitest";
import { quantize } from "./restorePipeline.js";

describe("quantize", () => {
  it("rounds float results to 8 bits with clamping, as they are encoded", () => {
    expect([...quantize(Float32Array.from([-0.2, 0, 0.5, 1, 1.3, 0.998]))]).toEqual([0, 0, 128, 255, 255, 254]);
  });
});
