// Full-reference quality of an 8-bit RGB result against the clean photo: PSNR over all RGB values, SSIM
// (ssim.js, Wang et al. 2004 "original" algorithm: 11x11 Gaussian window, on BT.601 luma, no downsampling), and
// for low light a diagnostic, "GT-mean" PSNR: the result's brightness scaled to the clean photo's mean luma
// first, as low-light papers report beside plain PSNR (the exposure a dark photo should get is ambiguous).
import { ssim } from "ssim.js";
import { agreement } from "../../../converter/src/imageMetrics.js";

export interface Quality {
  psnr: number;
  ssim: number;
  /** PSNR after scaling the result by (clean mean luma) / (result mean luma), clipped to 0..255. */
  psnrGtMean: number;
}

export function psnr(a: Uint8Array, b: Uint8Array): number {
  return agreement(a, b, 255).psnr;
}

function rgba(rgb: Uint8Array, width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    data[j] = rgb[i]!;
    data[j + 1] = rgb[i + 1]!;
    data[j + 2] = rgb[i + 2]!;
    data[j + 3] = 255;
  }
  return { data, width, height };
}

function meanLuma(rgb: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < rgb.length; i += 3) sum += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
  return sum / (rgb.length / 3);
}

/** `result` with its mean luma brought to `clean`'s by one factor (rounded to 8 bits, clipped). */
export function matchMeanLuma(result: Uint8Array, clean: Uint8Array): Uint8Array {
  const factor = meanLuma(clean) / Math.max(meanLuma(result), 1e-6);
  return result.map((v) => Math.min(255, Math.round(v * factor)));
}

export function quality(result: Uint8Array, clean: Uint8Array, width: number, height: number): Quality {
  const { mssim } = ssim(rgba(result, width, height), rgba(clean, width, height), { ssim: "original", downsample: false });
  return { psnr: psnr(result, clean), ssim: mssim, psnrGtMean: psnr(matchMeanLuma(result, clean), clean) };
}
