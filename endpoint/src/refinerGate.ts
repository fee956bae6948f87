// A per-photo gate on PTG-RM: what the endpoint can measure on a whole photo without its clean version, from
// which a gate decides how much of the refiner's change to keep (result = base + g·(refined − base)).
import { boxBlur } from "./boxBlur.js";

export interface GateStatistics {
  /** RMS of base − degraded input, in 0..1 units: how much the base network changed the photo. */
  baseChange: number;
  /** RMS of refined − base: how much the refiner changed the base's result. */
  refineChange: number;
  /** RMS of refined − degraded input: how much the two together changed the photo. */
  totalChange: number;
  /** RMS over R, G, B of each channel's mean refined − base: the refiner's global tone shift. */
  refineTone: number;
  /** Mean BT.601 luma of the base's result, 0..1. */
  baseLuma: number;
  /** Mean BT.601 luma of the refined result, 0..1: where the refiner leaves the photo's brightness. */
  refinedLuma: number;
  /** refinedLuma − baseLuma, signed: whether the refiner brightens (> 0) or darkens the base's result. */
  refineLumaShift: number;
  /** refineChange / baseChange: how much the refiner changes against how much the base did. */
  refineShare: number;
}

/** `refineShare` from the two changes (also for statistics recorded before it was measured). */
export function refineShare(s: Pick<GateStatistics, "refineChange" | "baseChange">): number {
  return s.refineChange / Math.max(s.baseChange, 1e-6);
}

/** `degraded`: 8-bit HWC RGB; `base`, `refined`: HWC float in 0..1 (unclamped), the same size. */
export function gateStatistics(degraded: Uint8Array, base: Float32Array, refined: Float32Array): GateStatistics {
  let baseSq = 0;
  let refineSq = 0;
  let totalSq = 0;
  let luma = 0;
  let refinedLuma = 0;
  const channelShift = [0, 0, 0];
  for (let i = 0; i < base.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const b = base[i + c]!;
      const r = refined[i + c]!;
      const x = degraded[i + c]! / 255;
      const d = r - b;
      baseSq += (b - x) * (b - x);
      refineSq += d * d;
      totalSq += (r - x) * (r - x);
      channelShift[c]! += d;
    }
    luma += 0.299 * base[i]! + 0.587 * base[i + 1]! + 0.114 * base[i + 2]!;
    refinedLuma += 0.299 * refined[i]! + 0.587 * refined[i + 1]! + 0.114 * refined[i + 2]!;
  }
  const pixels = base.length / 3;
  const baseChange = Math.sqrt(baseSq / base.length);
  const refineChange = Math.sqrt(refineSq / base.length);
  return {
    baseChange,
    refineChange,
    totalChange: Math.sqrt(totalSq / base.length),
    refineTone: Math.sqrt(channelShift.reduce((s, v) => s + (v / pixels) ** 2, 0) / 3),
    baseLuma: luma / pixels,
    refinedLuma: refinedLuma / pixels,
    refineLumaShift: (refinedLuma - luma) / pixels,
    refineShare: refineShare({ refineChange, baseChange }),
  };
}

/** A fitted gate, as `models/manifest.json` records it on a refiner (`npx tsx bench/fitGate.ts`). */
export interface RefinerGate {
  /** The statistic the gate reads. */
  statistic: keyof GateStatistics;
  /** Where the gate is closed (the base result alone) and where fully open (the refined result), the weight linear
   * in between; `off` above `full` keeps the refiner's change where the statistic is small instead. */
  off: number;
  full: number;
  /** When set, the gate weighs only the tone of the refiner's change (that change blurred over a radius of this
   * fraction of the photo's short side) and the rest of it, its detail, is always kept. */
  toneScale?: number;
  /** A second ramp on another statistic, read the same way; the weight is the product of the two. */
  also?: GateRamp;
}

/** One ramp of a gate: closed at `off`, open at `full`. */
export type GateRamp = Pick<RefinerGate, "statistic" | "off" | "full">;

/** How much of the refiner's change to keep, 0..1. */
export function gateWeight(gate: RefinerGate, statistics: GateStatistics): number {
  return rampWeight(gate, statistics) * (gate.also ? rampWeight(gate.also, statistics) : 1);
}

function rampWeight(ramp: GateRamp, statistics: GateStatistics): number {
  const x = statistics[ramp.statistic];
  if (ramp.off === ramp.full) return x >= ramp.full ? 1 : 0;
  return Math.min(1, Math.max(0, (x - ramp.off) / (ramp.full - ramp.off)));
}

/** The tone of the refiner's change: refined − base blurred over `scale` of the photo's short side. */
export function toneOfChange(base: Float32Array, refined: Float32Array, width: number, height: number, scale: number): Float32Array {
  const change = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) change[i] = refined[i]! - base[i]!;
  return boxBlur(change, width, height, 3, scale * Math.min(width, height));
}

/** base + weight·(refined − base), a new array; with `tone` (the change's tone), only the tone is weighed and the
 * detail kept: refined − (1 − weight)·tone. */
export function blendRefined(base: Float32Array, refined: Float32Array, weight: number, tone?: Float32Array): Float32Array {
  if (weight === 1) return refined;
  const out = new Float32Array(base.length);
  if (tone) for (let i = 0; i < base.length; i++) out[i] = refined[i]! - (1 - weight) * tone[i]!;
  else for (let i = 0; i < base.length; i++) out[i] = base[i]! + weight * (refined[i]! - base[i]!);
  return out;
}

/** The gate applied to one photo's HWC base and refined results: the weight it gives and the pixels it keeps. */
export function applyGate(gate: RefinerGate, degraded: Uint8Array, base: Float32Array, refined: Float32Array, width: number, height: number): { weight: number; pixels: Float32Array } {
  const weight = gateWeight(gate, gateStatistics(degraded, base, refined));
  const tone = gate.toneScale !== undefined && weight < 1 ? toneOfChange(base, refined, width, height, gate.toneScale) : undefined;
  return { weight, pixels: blendRefined(base, refined, weight, tone) };
}
