// Full-reference quality of an 8-bit RGB result against the clean photo: PSNR over all RGB values, and SSIM
// (ssim.js, Wang et al. 2004 "original" algorithm: 11x11 Gaussian window, on BT.601 luma, no downsampling).
import { ssim } from "ssim.js";
import { agreement } from "../../../converter/src/imageMetrics.js";

export interface Quality {
  psnr: number;
  ssim: number;
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

export function quality(result: Uint8Array, clean: Uint8Array, width: number, height: number): Quality {
  const { mssim } = ssim(rgba(result, width, height), rgba(clean, width, height), { ssim: "original", downsample: false });
  return { psnr: psnr(result, clean), ssim: mssim };
}
