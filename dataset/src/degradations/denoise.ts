// Real-camera noise, imitating SIDD (smartphone photos, noise added on the raw sensor data and then carried
// through the camera's processing; MAXIM-Denoising was trained on it). Follows Brooks et al. 2019, "Unprocessing
// Images for Learned Raw Denoising" (CVPR), and their reference code (google-research/unprocessing):
//   unprocess: inverse tone curve (smoothstep), inverse gamma, RGB→camera CCM, inverse white balance and
//              brightness (saturation-safe), clip, RGGB Bayer mosaic;
//   noise:     heteroscedastic Gaussian, variance = shot·x + read, shot log-uniform, read from their log-log line;
//   process:   white balance and brightness, clip, bilinear demosaic, camera→RGB CCM, clip, gamma, tone curve.
// Departures from the paper (to return an image in the same colour and brightness as the input, which is what a
// (clean, noisy) pair needs): the exact sRGB curves instead of a 2.2 power, and `process` re-applies the brightness
// gain and the smoothstep tone curve (the paper's process leaves both out, so its output is darker than its input).
import { linearToSrgbValue, srgbToLinearValue, type Degraded, type RgbImage } from "./colour.js";
import { convolve2d } from "./convolve.js";
import type { Rng } from "./random.js";

/** XYZ → camera matrices of four cameras, from Brooks et al.'s code (rows are camera channels R, G, B). */
export const XYZ_TO_CAMS: readonly (readonly number[])[] = [
  [1.0234, -0.2969, -0.2266, -0.5625, 1.6328, -0.0469, -0.0703, 0.2188, 0.6406],
  [0.4913, -0.0541, -0.0202, -0.613, 1.3513, 0.2906, -0.1564, 0.2151, 0.7183],
  [0.838, -0.263, -0.0639, -0.2887, 1.0725, 0.2496, -0.0627, 0.1427, 0.5438],
  [0.6596, -0.2079, -0.0562, -0.4782, 1.3016, 0.1933, -0.097, 0.1581, 0.5181],
];

/** Linear sRGB (D65) → XYZ. */
export const RGB_TO_XYZ: readonly number[] = [
  0.4124564, 0.3575761, 0.1804375, 0.2126729, 0.7151522, 0.072175, 0.0193339, 0.119192, 0.9503041,
];

export const DENOISE_RANGES = {
  /** White balance gains (the inverse is applied when unprocessing), uniform. */
  redGain: [1.9, 2.4],
  blueGain: [1.5, 1.9],
  /** 1 / brightness gain ~ N(0.8, 0.1) as in the paper, clamped to this range (a guard the paper lacks). */
  inverseBrightness: [0.5, 1.1],
  /** Shot noise level, log-uniform; read noise: log(read) = 2.18·log(shot) + 1.20 + N(0, 0.26). */
  shotNoise: [0.0001, 0.012],
} as const;

function matMul3(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[i * 3 + k]! * b[k * 3 + j]!;
      out.push(s);
    }
  }
  return out;
}

type Matrix3 = [number, number, number, number, number, number, number, number, number];

export function invert3(m: ArrayLike<number>): number[] {
  const [a, b, c, d, e, f, g, h, i] = Array.from(m, Number) as Matrix3;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError("singular 3x3 matrix");
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
}

/** Random RGB → camera CCM: a random convex mix of the XYZ→camera matrices, times RGB→XYZ, rows summing to 1. */
export function randomCcm(rng: Rng): { rgbToCam: number[]; camToRgb: number[]; weights: number[] } {
  // The paper draws weights uniform in [1e-8, 1e8] and normalises: the same as uniform in (0, 1].
  const weights = XYZ_TO_CAMS.map(() => rng.uniform(1e-8, 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const xyzToCam = new Array<number>(9).fill(0);
  XYZ_TO_CAMS.forEach((m, k) => {
    for (let i = 0; i < 9; i++) xyzToCam[i]! += (m[i]! * weights[k]!) / total;
  });
  const rgbToCam = matMul3(xyzToCam, RGB_TO_XYZ);
  for (let r = 0; r < 3; r++) {
    const sum = rgbToCam[r * 3]! + rgbToCam[r * 3 + 1]! + rgbToCam[r * 3 + 2]!;
    for (let c = 0; c < 3; c++) rgbToCam[r * 3 + c]! /= sum;
  }
  return { rgbToCam, camToRgb: invert3(rgbToCam), weights: weights.map((w) => w / total) };
}

export function randomGains(rng: Rng): { brightnessGain: number; redGain: number; blueGain: number } {
  const r = DENOISE_RANGES;
  const inverse = Math.min(r.inverseBrightness[1], Math.max(r.inverseBrightness[0], rng.normal(0.8, 0.1)));
  return {
    brightnessGain: 1 / inverse,
    redGain: rng.uniform(r.redGain[0], r.redGain[1]),
    blueGain: rng.uniform(r.blueGain[0], r.blueGain[1]),
  };
}

export function randomNoiseLevels(rng: Rng): { shotNoise: number; readNoise: number } {
  const logShot = rng.uniform(Math.log(DENOISE_RANGES.shotNoise[0]), Math.log(DENOISE_RANGES.shotNoise[1]));
  const logRead = 2.18 * logShot + 1.2 + rng.normal(0, 0.26);
  return { shotNoise: Math.exp(logShot), readNoise: Math.exp(logRead) };
}

/** Global tone curve assumed by the paper. */
export function smoothstep(x: number): number {
  return 3 * x * x - 2 * x * x * x;
}

export function inverseSmoothstep(y: number): number {
  const v = y < 0 ? 0 : y > 1 ? 1 : y;
  return 0.5 - Math.sin(Math.asin(1 - 2 * v) / 3);
}

/** Colour of Bayer site (x, y) in an RGGB mosaic: 0 red, 1 green, 2 blue. */
export function bayerChannel(x: number, y: number): number {
  return (y & 1) + (x & 1);
}

// Bilinear demosaic as convolutions of the masked planes (with reflect padding a mirrored neighbour keeps its
// Bayer colour, so borders are interpolated the same way as the interior).
const RB_KERNEL = [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25];
const G_KERNEL = [0, 0.25, 0, 0.25, 1, 0.25, 0, 0.25, 0];

export function demosaicBilinear(raw: Float32Array, width: number, height: number): Float32Array {
  const planes = [0, 1, 2].map(() => new Float32Array(width * height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) planes[bayerChannel(x, y)]![y * width + x] = raw[y * width + x]!;
  }
  const out = new Float32Array(width * height * 3);
  for (let c = 0; c < 3; c++) {
    const full = convolve2d(planes[c]!, width, height, 1, c === 1 ? G_KERNEL : RB_KERNEL, 3, 3);
    for (let p = 0; p < width * height; p++) out[p * 3 + c] = full[p]!;
  }
  return out;
}

export interface DenoiseOptions {
  /** Default true; false skips the raw noise (same parameters are still sampled): the pipeline is then
   * unprocess∘process. For tests. */
  noise?: boolean;
}

export function denoise(image: RgbImage, rng: Rng, options: DenoiseOptions = {}): Degraded {
  const { rgbToCam, camToRgb, weights } = randomCcm(rng);
  const { brightnessGain, redGain, blueGain } = randomGains(rng);
  const { shotNoise, readNoise } = randomNoiseLevels(rng);
  const noise = options.noise ?? true;
  const { data, width, height } = image;
  const n = width * height;

  // Unprocess. Inverse tone curve then inverse gamma depend only on the 8-bit code: one table.
  const toLinear = new Float64Array(256);
  for (let v = 0; v < 256; v++) toLinear[v] = srgbToLinearValue(inverseSmoothstep(v / 255));
  const inverseGains = [1 / redGain / brightnessGain, 1 / brightnessGain, 1 / blueGain / brightnessGain];
  const raw = new Float32Array(n);
  const cam = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const r = toLinear[data[p * 3]!]!;
      const g = toLinear[data[p * 3 + 1]!]!;
      const b = toLinear[data[p * 3 + 2]!]!;
      for (let k = 0; k < 3; k++) cam[k] = rgbToCam[k * 3]! * r + rgbToCam[k * 3 + 1]! * g + rgbToCam[k * 3 + 2]! * b;
      // Saturation-safe inverse gains: near white (grey > 0.9) the gain fades to 1 so highlights stay clipped.
      const grey = (cam[0]! + cam[1]! + cam[2]!) / 3;
      const over = grey > 0.9 ? (grey - 0.9) / 0.1 : 0;
      const mask = over * over;
      const c = bayerChannel(x, y);
      const gain = inverseGains[c]!;
      let v = cam[c]! * Math.max(mask + (1 - mask) * gain, gain);
      v = v < 0 ? 0 : v > 1 ? 1 : v;
      if (noise) v += Math.sqrt(v * shotNoise + readNoise) * rng.normal();
      raw[p] = v;
    }
  }

  // Process: white balance and brightness, clip, demosaic, CCM, clip, gamma, tone curve.
  const gains = [redGain * brightnessGain, brightnessGain, blueGain * brightnessGain];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const v = raw[p]! * gains[bayerChannel(x, y)]!;
      raw[p] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  const rgb = demosaicBilinear(raw, width, height);
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const r = rgb[p * 3]!;
    const g = rgb[p * 3 + 1]!;
    const b = rgb[p * 3 + 2]!;
    for (let k = 0; k < 3; k++) {
      let v = camToRgb[k * 3]! * r + camToRgb[k * 3 + 1]! * g + camToRgb[k * 3 + 2]! * b;
      v = v < 0 ? 0 : v > 1 ? 1 : v;
      out[p * 3 + k] = Math.round(smoothstep(linearToSrgbValue(v)) * 255);
    }
  }
  return {
    image: { data: out, width, height },
    params: { rgbToCam, ccmWeights: weights, brightnessGain, redGain, blueGain, shotNoise, readNoise },
  };
}
