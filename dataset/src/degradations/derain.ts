// Synthetic rain streaks, imitating Rain13k (the union of Rain100L/H, Rain800, Rain1200 and Rain1400, all made by
// rendering streaks over clean photos; MAXIM-Deraining was trained on it). The usual recipe is sparse random noise
// motion-blurred along one direction; here each noise seed is drawn directly as the segment that blur would make
// (an anti-aliased line of the sampled length and width), which also allows a small per-streak angle jitter.
// The rain layer is grey (streaks are colourless) and is composited in sRGB, additively (Rain100-style O = B + R)
// or as a screen blend (Photoshop-style, as in Rain1400), then clipped.
import type { Degraded, RgbImage } from "./colour.js";
import type { Rng } from "./random.js";

export const DERAIN_RANGES = {
  /** Dominant angle from vertical in degrees, uniform; positive leans the bottom end to the right (+x as +y). */
  angleDeg: [-30, 30],
  /** Std of each streak's angle around the dominant one, degrees, uniform. */
  angleJitterDeg: [0, 3],
  /** Mean streak length in pixels, uniform; each streak's length is the mean × U(0.7, 1.3). */
  meanLength: [12, 32],
  /** Streak width in pixels (anti-aliased), uniform, one per image. */
  width: [1, 2],
  /** Streaks per pixel, log-uniform (light drizzle to Rain100H-like downpour). */
  density: [0.0015, 0.012],
  /** Peak streak intensity in [0, 1] sRGB units, uniform; each streak's is this × U(0.5, 1). */
  intensity: [0.25, 0.8],
} as const;

const MARGIN = 24; // streaks are centred up to this far outside the image, so borders get partial streaks too

export interface RainLayer {
  /** width × height, values in [0, 1]. */
  layer: Float32Array;
  params: Record<string, number>;
}

export function rainLayer(width: number, height: number, rng: Rng): RainLayer {
  const r = DERAIN_RANGES;
  const angleDeg = rng.uniform(r.angleDeg[0], r.angleDeg[1]);
  const angleJitterDeg = rng.uniform(r.angleJitterDeg[0], r.angleJitterDeg[1]);
  const meanLength = rng.uniform(r.meanLength[0], r.meanLength[1]);
  const streakWidth = rng.uniform(r.width[0], r.width[1]);
  const density = rng.logUniform(r.density[0], r.density[1]);
  const intensity = rng.uniform(r.intensity[0], r.intensity[1]);

  const spanX = width + 2 * MARGIN;
  const spanY = height + 2 * MARGIN;
  const streaks = Math.round(density * spanX * spanY);
  const layer = new Float32Array(width * height);
  const halfWidth = streakWidth / 2;

  for (let s = 0; s < streaks; s++) {
    const cx = rng.uniform(-MARGIN, width + MARGIN);
    const cy = rng.uniform(-MARGIN, height + MARGIN);
    const theta = ((angleDeg + angleJitterDeg * rng.normal()) * Math.PI) / 180;
    const halfLength = (meanLength * rng.uniform(0.7, 1.3)) / 2;
    const peak = intensity * rng.uniform(0.5, 1);
    // Along the streak d = (sin θ, cos θ); across it n = (cos θ, −sin θ). Pixel centres at integer coordinates.
    const dx = Math.sin(theta);
    const dy = Math.cos(theta);
    const ex = Math.abs(dx) * halfLength + Math.abs(dy) * halfWidth + 1;
    const ey = Math.abs(dy) * halfLength + Math.abs(dx) * halfWidth + 1;
    const x0 = Math.max(0, Math.floor(cx - ex));
    const x1 = Math.min(width - 1, Math.ceil(cx + ex));
    const y0 = Math.max(0, Math.floor(cy - ey));
    const y1 = Math.min(height - 1, Math.ceil(cy + ey));
    for (let y = y0; y <= y1; y++) {
      const ry = y - cy;
      for (let x = x0; x <= x1; x++) {
        const rx = x - cx;
        // Box-filtered coverage of a w × L rectangle, approximated separably along and across the streak.
        const across = halfWidth + 0.5 - Math.abs(rx * dy - ry * dx);
        if (across <= 0) continue;
        const along = halfLength + 0.5 - Math.abs(rx * dx + ry * dy);
        if (along <= 0) continue;
        layer[y * width + x]! += peak * (across > 1 ? 1 : across) * (along > 1 ? 1 : along);
      }
    }
  }
  for (let i = 0; i < layer.length; i++) if (layer[i]! > 1) layer[i] = 1;
  return {
    layer,
    params: { angleDeg, angleJitterDeg, meanLength, streakWidth, density, streaks, intensity },
  };
}

export function derain(image: RgbImage, rng: Rng): Degraded {
  const { data, width, height } = image;
  const { layer, params } = rainLayer(width, height, rng);
  const blend = rng.random() < 0.5 ? "add" : "screen";
  const out = new Uint8Array(data.length);
  for (let p = 0; p < width * height; p++) {
    const rain = layer[p]!;
    for (let c = 0; c < 3; c++) {
      const b = data[p * 3 + c]! / 255;
      const v = blend === "add" ? b + rain : 1 - (1 - b) * (1 - rain);
      out[p * 3 + c] = Math.round((v > 1 ? 1 : v) * 255);
    }
  }
  return { image: { data: out, width, height }, params: { ...params, blend } };
}
