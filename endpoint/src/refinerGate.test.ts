import { describe, expect, it } from "vitest";
import { applyGate, blendRefined, gateStatistics, gateWeight, type GateStatistics } from "./refinerGate.js";

describe("gateStatistics", () => {
  it("measures the base's change, the refiner's change and its global tone shift", () => {
    // Two pixels. Degraded 0 everywhere; the base lifts everything by 0.5; the refiner adds 0.1 to red only.
    const degraded = new Uint8Array(6);
    const base = Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const refined = Float32Array.from([0.6, 0.5, 0.5, 0.6, 0.5, 0.5]);
    const s = gateStatistics(degraded, base, refined);
    expect(s.baseChange).toBeCloseTo(0.5, 6);
    expect(s.refineChange).toBeCloseTo(Math.sqrt(0.01 / 3), 6);
    expect(s.refineTone).toBeCloseTo(Math.sqrt(0.01 / 3), 6);
    expect(s.totalChange).toBeCloseTo(Math.sqrt((0.36 + 0.25 + 0.25) / 3), 6);
    expect(s.baseLuma).toBeCloseTo(0.5, 6);
    expect(s.refinedLuma).toBeCloseTo(0.5 + 0.299 * 0.1, 6);
    expect(s.refineLumaShift).toBeCloseTo(0.299 * 0.1, 6);
    expect(s.refineShare).toBeCloseTo(Math.sqrt(0.01 / 3) / 0.5, 6);
  });

  it("tells a change that averages out (detail) from a tone shift", () => {
    const degraded = new Uint8Array(6);
    const base = new Float32Array(6).fill(0.5);
    const refined = Float32Array.from([0.6, 0.6, 0.6, 0.4, 0.4, 0.4]);
    const s = gateStatistics(degraded, base, refined);
    expect(s.refineChange).toBeCloseTo(0.1, 6);
    expect(s.refineTone).toBeCloseTo(0, 6);
    expect(s.refineLumaShift).toBeCloseTo(0, 6);
  });

  it("signs the refiner's brightness shift: negative where it darkens", () => {
    const degraded = new Uint8Array(3);
    const s = gateStatistics(degraded, Float32Array.from([0.5, 0.5, 0.5]), Float32Array.from([0.4, 0.4, 0.4]));
    expect(s.refineLumaShift).toBeCloseTo(-0.1, 6);
    expect(s.refinedLuma).toBeCloseTo(0.4, 6);
  });
});

describe("gateWeight", () => {
  const stats = (baseChange: number): GateStatistics => ({ baseChange, refineChange: 0, totalChange: 0, refineTone: 0, baseLuma: 0, refinedLuma: 0, refineLumaShift: 0, refineShare: 0 });

  it("is 0 at and below `off`, 1 at and above `full`, linear between", () => {
    const gate = { statistic: "baseChange" as const, off: 0.02, full: 0.04 };
    expect(gateWeight(gate, stats(0.01))).toBe(0);
    expect(gateWeight(gate, stats(0.02))).toBe(0);
    expect(gateWeight(gate, stats(0.03))).toBeCloseTo(0.5, 9);
    expect(gateWeight(gate, stats(0.05))).toBe(1);
  });

  it("keeps the change where the statistic is small when `off` is above `full`", () => {
    const gate = { statistic: "baseChange" as const, off: 0.04, full: 0.02 };
    expect(gateWeight(gate, stats(0.01))).toBe(1);
    expect(gateWeight(gate, stats(0.03))).toBeCloseTo(0.5, 9);
    expect(gateWeight(gate, stats(0.05))).toBe(0);
  });

  it("multiplies a second ramp on another statistic in, when the gate has one", () => {
    const gate = { statistic: "baseChange" as const, off: 0.02, full: 0.04, also: { statistic: "refineChange" as const, off: 0.2, full: 0.1 } };
    const both = (baseChange: number, refineChange: number) => ({ ...stats(baseChange), refineChange });
    expect(gateWeight(gate, both(0.05, 0.05))).toBe(1);
    expect(gateWeight(gate, both(0.03, 0.05))).toBeCloseTo(0.5, 9);
    expect(gateWeight(gate, both(0.03, 0.15))).toBeCloseTo(0.25, 9);
    expect(gateWeight(gate, both(0.05, 0.3))).toBe(0);
  });

  it("is a step when `off` equals `full`", () => {
    const gate = { statistic: "baseChange" as const, off: 0.03, full: 0.03 };
    expect(gateWeight(gate, stats(0.029))).toBe(0);
    expect(gateWeight(gate, stats(0.03))).toBe(1);
  });
});

describe("blendRefined", () => {
  it("keeps the given share of the refiner's change", () => {
    const base = Float32Array.from([0, 0.5, 1]);
    const refined = Float32Array.from([0.2, 0.3, 1]);
    expect(Array.from(blendRefined(base, refined, 0))).toEqual(Array.from(base));
    expect(Array.from(blendRefined(base, refined, 0.5)).map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.4, 1]);
    expect(blendRefined(base, refined, 1)).toBe(refined);
  });
});

describe("applyGate", () => {
  // A refiner that brightens the whole photo by 0.1 and adds a fine checkerboard of ±0.05: tone and detail.
  const width = 64;
  const height = 48;
  const degraded = new Uint8Array(width * height * 3).fill(60);
  const base = new Float32Array(width * height * 3).fill(0.4);
  const detail = (i: number) => ((Math.floor(i / 3) % width) + Math.floor(i / 3 / width)) % 2 === 0 ? 0.05 : -0.05;
  const refined = base.map((b, i) => b + 0.1 + detail(i));
  const closed = { statistic: "baseChange" as const, off: 1, full: 2 };

  it("without a tone scale, a closed gate gives the base", () => {
    const { weight, pixels } = applyGate(closed, degraded, base, refined, width, height);
    expect(weight).toBe(0);
    expect(Array.from(pixels)).toEqual(Array.from(base));
  });

  it("with a tone scale, a closed gate drops the change's tone and keeps its detail", () => {
    const { weight, pixels } = applyGate({ ...closed, toneScale: 1 / 16 }, degraded, base, refined, width, height);
    expect(weight).toBe(0);
    // Away from the edges (where the blur repeats them) the checkerboard averages out of the tone.
    for (const [y, x] of [[24, 32], [20, 30], [30, 40]] as const) {
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        expect(pixels[i]).toBeCloseTo(base[i]! + detail(i), 2);
      }
    }
    const open = applyGate({ ...closed, off: -2, full: -1, toneScale: 1 / 16 }, degraded, base, refined, width, height);
    expect(open.weight).toBe(1);
    expect(open.pixels).toBe(refined);
  });
});
