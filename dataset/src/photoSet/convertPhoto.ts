// Turns one source image into a data-set PNG: upright, 8-bit sRGB, 3 channels, no metadata.
// Test photos are Kodak-like 768x512 (512x768 if portrait) centre crops; training photos keep most of their pixels.
import sharp from "sharp";

export type Split = "train" | "test";

export const TEST_LONG = 768;
export const TEST_SHORT = 512;
export const TRAIN_MAX_SIDE = 2048;

export interface ConvertedPhoto {
  png: Buffer;
  width: number;
  height: number;
}

export async function convertPhoto(input: Uint8Array, split: Split, name: string): Promise<ConvertedPhoto> {
  // Only the first frame of animated or multi-page inputs, as ImageMagick's `file[0]` did.
  const open = (data: Uint8Array) => sharp(data, { pages: 1, page: 0 });
  const meta = await open(input).metadata();
  // Size after EXIF auto-orientation: decides portrait vs landscape and the training size.
  const { width, height } = meta.autoOrient;

  let image = open(input).rotate();
  if (meta.hasAlpha) {
    // Drop alpha in a pass of its own: sharp removes it only after resizing, and resizing premultiplies, which
    // would blacken fully transparent pixels. Like ImageMagick's `-alpha off`, keep the colour underneath instead.
    const { data, info } = await image.removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  }

  if (split === "test") {
    const portrait = height > width;
    image = image.resize(portrait ? TEST_SHORT : TEST_LONG, portrait ? TEST_LONG : TEST_SHORT, { fit: "cover", position: "centre" });
  } else {
    const size = trainSize(width, height, name);
    // `fill` because trainSize already keeps the aspect ratio; `fit: "inside"` would round on its own
    // (1885 px halved gave 942, the recipe's ImageMagick 943).
    if (size.width !== width || size.height !== height) image = image.resize(size.width, size.height, { fit: "fill" });
  }

  // toColourspace("srgb") makes grey inputs 3-channel and 16-bit inputs 8-bit; sharp strips metadata by default.
  const { data, info } = await image.removeAlpha().toColourspace("srgb").png().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${name}: expected 3 channels, got ${info.channels}`);
  return { png: data, width: info.width, height: info.height };
}

/**
 * A training photo's size, rounded as the ImageMagick recipe did: the long side capped at 2048 without enlarging,
 * after halving the GCompris 'erase' pictures (over-sharpened at full size; halving tames that).
 */
export function trainSize(width: number, height: number, name: string): { width: number; height: number } {
  const halve = name.startsWith("gc_erase_");
  const w = halve ? Math.round(width / 2) : width;
  const h = halve ? Math.round(height / 2) : height;
  const scale = Math.min(1, TRAIN_MAX_SIDE / Math.max(w, h));
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}
