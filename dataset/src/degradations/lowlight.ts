// Low light, imitating LOL (real photos taken with short exposure / low ISO; MAXIM-Enhancement was trained on it):
// in linear light, darken (exposure × a gamma that crushes shadows more than highlights), shift the colour a little,
// then add the noise of a sensor that caught few photons — Poisson shot noise plus Gaussian read noise — and
// quantise back to 8-bit sRGB (which is where most of the dark banding in real low-light photos comes from).
import { SRGB8_TO_LINEAR, linearToSrgbValue, type Degraded, type RgbImage } from "./colour.js";
import type { Rng } from "./random.js";

export const LOWLIGHT_RANGES = {
  /** Linear exposure factor, log-uniform (darker images as likely per octave as brighter ones). */
  exposure: [0.03, 0.25],
  /** Power applied to linear values before the exposure factor, uniform. */
  gamma: [1.2, 1.8],
  /** Per-channel gain (R, G, B independently), uniform. */
  channelGain: [0.85, 1.15],
  /** Photons collected at linear value 1.0 (after darkening), log-uniform. Shot noise var = value / photons. */
  photons: [400, 4000],
  /** Read noise in photo-electrons (std), uniform; its std in linear units is readElectrons / photons. */
  readElectrons: [0.5, 3],
} as const;

export interface LowlightOptions {
  /** Default true; false skips the noise (same parameters are still sampled). For tests. */
  noise?: boolean;
  /** Replace sampled values (they are still drawn, so the rest of the sequence is unchanged). For tests. */
  fixed?: Partial<Record<"exposure" | "gamma" | "photons" | "readElectrons", number>>;
}

export function lowlight(image: RgbImage, rng: Rng, options: LowlightOptions = {}): Degraded {
  const r = LOWLIGHT_RANGES;
  const fixed = options.fixed ?? {};
  const sampledExposure = rng.logUniform(r.exposure[0], r.exposure[1]);
  const sampledGamma = rng.uniform(r.gamma[0], r.gamma[1]);
  const gains = [0, 1, 2].map(() => rng.uniform(r.channelGain[0], r.channelGain[1]));
  const sampledPhotons = rng.logUniform(r.photons[0], r.photons[1]);
  const sampledReadElectrons = rng.uniform(r.readElectrons[0], r.readElectrons[1]);
  const exposure = fixed.exposure ?? sampledExposure;
  const gamma = fixed.gamma ?? sampledGamma;
  const photons = fixed.photons ?? sampledPhotons;
  const readElectrons = fixed.readElectrons ?? sampledReadElectrons;
  const readStd = readElectrons / photons;
  const noise = options.noise ?? true;

  // The clean darkened value depends only on the 8-bit code and the channel: one table per channel.
  const table = new Float64Array(256 * 3);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = exposure * gains[c]! * Math.pow(SRGB8_TO_LINEAR[v]!, gamma);
  }

  const { data, width, height } = image;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      let y = table[c * 256 + data[i + c]!]!;
      if (noise) y = rng.poisson(y * photons) / photons + readStd * rng.normal();
      out[i + c] = Math.round(linearToSrgbValue(y < 0 ? 0 : y > 1 ? 1 : y) * 255);
    }
  }
  return {
    image: { data: out, width, height },
    params: { exposure, gamma, channelGains: gains, photons, readElectrons, readStd },
  };
}
