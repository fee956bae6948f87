// Images and colour helpers shared by the degradations: packed 8-bit RGB in, float planes in between.
// The sRGB transfer functions are the exact IEC 61966-2-1 piecewise curves, not a 2.2 power.

/** Packed RGB, 8 bits per channel, row-major, 3 channels: `data.length === width * height * 3`. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** What was sampled for one degraded image, for data set indexes. */
export type DegradationParams = Record<string, number | number[] | string>;

export interface Degraded {
  image: RgbImage;
  params: DegradationParams;
}

export function assertRgbImage(image: RgbImage): void {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array)) throw new TypeError("image data must be a Uint8Array");
  if (data.length !== width * height * 3) {
    const expected = width * height * 3;
    throw new RangeError(`image data has ${data.length} bytes, expected ${expected} for ${width}x${height} RGB`);
  }
}

/** sRGB EOTF: encoded value in [0, 1] → linear light. */
export function srgbToLinearValue(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** sRGB OETF: linear light in [0, 1] → encoded value. */
export function linearToSrgbValue(v: number): number {
  return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
}

/** Linear value of each 8-bit sRGB code. */
export const SRGB8_TO_LINEAR: Float32Array = (() => {
  const lut = new Float32Array(256);
  for (let i = 0; i < 256; i++) lut[i] = srgbToLinearValue(i / 255);
  return lut;
})();

/** 8-bit sRGB → linear light, same layout. */
export function bytesToLinear(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = SRGB8_TO_LINEAR[data[i]!]!;
  return out;
}

/** 8-bit → encoded values in [0, 1], same layout. */
export function bytesToUnit(data: Uint8Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! / 255;
  return out;
}

/** Encoded values → 8-bit: clipped to [0, 1], rounded to nearest. */
export function unitToBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255); // NaN → 0
  }
  return out;
}

/** Linear light → encoded sRGB, clipped to [0, 1] first. New array. */
export function linearToSrgb(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = linearToSrgbValue(v < 0 ? 0 : v > 1 ? 1 : v);
  }
  return out;
}

/** Encoded sRGB → linear light, clipped to [0, 1] first. New array. */
export function srgbToLinear(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = srgbToLinearValue(v < 0 ? 0 : v > 1 ? 1 : v);
  }
  return out;
}

/** Linear light → 8-bit sRGB: clipped, exact OETF, rounded to nearest. */
export function linearToBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Math.round(linearToSrgbValue(v < 0 ? 0 : v > 1 ? 1 : v) * 255);
  }
  return out;
}
