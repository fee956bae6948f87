// Camera-shake blur, imitating GoPro (blur made by averaging consecutive high-speed frames of a hand-held camera,
// so it is averaged in (roughly) linear light; MAXIM-Deblurring was trained on it). The kernel is the path of a
// random camera-shake trajectory — Boracchi & Foi 2012, "Modeling the Performance of Image Restoration From
// Motion Blur", as implemented in DeblurGAN (Kupyn et al. 2018, motion_blur/generate_trajectory.py): a 2-D random
// walk with inertia, a pull back towards the start, Gaussian jitter and rare impulsive reversals — rasterised with
// bilinear splatting. The image is convolved in linear light, encoded back to sRGB, and gets slight Gaussian noise.
import { bytesToLinear, linearToSrgbValue, type Degraded, type RgbImage } from "./colour.js";
import { convolve2d } from "./convolve.js";
import type { Rng } from "./random.js";

export const DEBLUR_RANGES = {
  /** Kernel side in pixels, odd, uniform over the odd sizes in range. */
  kernelSize: [15, 31],
  /** Largest distance of the path from its centroid, as a fraction of (size − 3) / 2, uniform: how much of the
   * kernel it fills. */
  fill: [0.6, 1.0],
  /** DeblurGAN's "anxiety" (expl), uniform over the range of the values its blur script chooses from. */
  anxiety: [0.003, 0.01],
  /** Gaussian noise std after blurring, in 8-bit levels, uniform. */
  noiseSigma: [0.5, 2],
} as const;

/** Trajectory samples (DeblurGAN: 2000), and the path length they are generated at (DeblurGAN's max_len 60). */
const ITERATIONS = 2000;
const GENERATED_LENGTH = 60;

export interface MotionKernel {
  /** Row-major size × size, non-negative, sums to 1, centroid at the centre pixel. */
  kernel: Float32Array;
  size: number;
  params: Record<string, number>;
}

export function motionKernel(rng: Rng, size?: number): MotionKernel {
  const r = DEBLUR_RANGES;
  const kernelSize = size ?? r.kernelSize[0] + 2 * rng.int(0, (r.kernelSize[1] - r.kernelSize[0]) / 2);
  const fill = rng.uniform(r.fill[0], r.fill[1]);
  const anxiety = rng.uniform(r.anxiety[0], r.anxiety[1]);
  // DeblurGAN's Trajectory.fit: centripetal, prob_big_shake, gaussian_shake, init_angle.
  const centripetal = 0.7 * rng.random();
  const probBigShake = 0.2 * rng.random();
  const gaussianShake = 10 * rng.random();
  const initAngle = 2 * Math.PI * rng.random();

  const step = GENERATED_LENGTH / (ITERATIONS - 1);
  const xs = new Float64Array(ITERATIONS);
  const ys = new Float64Array(ITERATIONS);
  let vx = Math.cos(initAngle) * anxiety;
  let vy = Math.sin(initAngle) * anxiety;
  let bigShakes = 0;
  for (let t = 0; t < ITERATIONS - 1; t++) {
    let nx = 0;
    let ny = 0;
    if (rng.random() < probBigShake * anxiety) {
      // Impulsive change: twice the velocity, turned round by π ± 0.5 rad.
      const turn = Math.PI + (rng.random() - 0.5);
      nx = 2 * (vx * Math.cos(turn) - vy * Math.sin(turn));
      ny = 2 * (vx * Math.sin(turn) + vy * Math.cos(turn));
      bigShakes++;
    }
    const gx = rng.normal();
    const gy = rng.normal();
    vx += nx + anxiety * (gaussianShake * gx - centripetal * xs[t]!) * step;
    vy += ny + anxiety * (gaussianShake * gy - centripetal * ys[t]!) * step;
    const speed = Math.hypot(vx, vy) || 1;
    vx = (vx / speed) * step;
    vy = (vy / speed) * step;
    xs[t + 1] = xs[t]! + vx;
    ys[t + 1] = ys[t]! + vy;
  }

  // Centre on the centroid (so the blur does not shift the image) and scale the path to fill the kernel.
  let mx = 0;
  let my = 0;
  for (let t = 0; t < ITERATIONS; t++) {
    mx += xs[t]!;
    my += ys[t]!;
  }
  mx /= ITERATIONS;
  my /= ITERATIONS;
  let reach = 0;
  for (let t = 0; t < ITERATIONS; t++) reach = Math.max(reach, Math.abs(xs[t]! - mx), Math.abs(ys[t]! - my));
  const half = (kernelSize - 1) / 2;
  // Reach is at most half − 1 pixels, so the 2×2 splat of every sample stays inside the kernel.
  const scale = (fill * (half - 1)) / (reach || 1);

  const kernel = new Float32Array(kernelSize * kernelSize);
  const acc = new Float64Array(kernelSize * kernelSize);
  for (let t = 0; t < ITERATIONS; t++) {
    const px = half + (xs[t]! - mx) * scale;
    const py = half + (ys[t]! - my) * scale;
    const x0 = Math.floor(px);
    const y0 = Math.floor(py);
    const fx = px - x0;
    const fy = py - y0;
    const i = y0 * kernelSize + x0;
    acc[i]! += (1 - fx) * (1 - fy);
    acc[i + 1]! += fx * (1 - fy);
    acc[i + kernelSize]! += (1 - fx) * fy;
    acc[i + kernelSize + 1]! += fx * fy;
  }
  let total = 0;
  for (let i = 0; i < acc.length; i++) total += acc[i]!;
  for (let i = 0; i < acc.length; i++) kernel[i] = acc[i]! / total;

  return {
    kernel,
    size: kernelSize,
    params: {
      kernelSize,
      fill,
      pathLength: GENERATED_LENGTH * scale,
      anxiety,
      centripetal,
      probBigShake,
      gaussianShake,
      initAngleDeg: (initAngle * 180) / Math.PI,
      bigShakes,
    },
  };
}

export interface DeblurOptions {
  /** Default true; false skips the Gaussian noise. For tests. */
  noise?: boolean;
}

export function deblur(image: RgbImage, rng: Rng, options: DeblurOptions = {}): Degraded {
  const { kernel, size, params } = motionKernel(rng);
  const noiseSigma = rng.uniform(DEBLUR_RANGES.noiseSigma[0], DEBLUR_RANGES.noiseSigma[1]);
  const noise = options.noise ?? true;
  const { data, width, height } = image;
  const blurred = convolve2d(bytesToLinear(data), width, height, 3, kernel, size, size);
  const out = new Uint8Array(data.length);
  const sigma = noiseSigma / 255;
  for (let i = 0; i < blurred.length; i++) {
    const v = blurred[i]!;
    let s = linearToSrgbValue(v < 0 ? 0 : v > 1 ? 1 : v);
    if (noise) s += sigma * rng.normal();
    out[i] = Math.round((s < 0 ? 0 : s > 1 ? 1 : s) * 255);
  }
  return { image: { data: out, width, height }, params: { ...params, noiseSigma } };
}
