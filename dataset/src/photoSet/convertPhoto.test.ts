import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { convertPhoto } from "./convertPhoto.js";

type Colour = { r: number; g: number; b: number };
const red = { r: 255, g: 0, b: 0 };
const blue = { r: 0, g: 0, b: 255 };

const solid = (width: number, height: number, colour: Colour = { r: 40, g: 120, b: 200 }) =>
  sharp({ create: { width, height, channels: 3, background: colour } });

/** Left half red, right half blue, stored with the given EXIF orientation. */
async function halves(width: number, height: number, orientation?: number) {
  const left = await solid(width / 2, height, red).png().toBuffer();
  const image = solid(width, height, blue).composite([{ input: left, left: 0, top: 0 }]).jpeg({ quality: 95 });
  return (orientation ? image.withMetadata({ orientation }) : image).toBuffer();
}

/** Decoded output: size, channels, depth, and the colour at a point. */
async function inspect(png: Buffer, x = 0, y = 0) {
  const meta = await sharp(png).metadata();
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return {
    format: meta.format,
    width: info.width,
    height: info.height,
    channels: info.channels,
    depth: meta.depth,
    exif: meta.exif !== undefined || meta.icc !== undefined,
    pixel: { r: data[at]!, g: data[at + 1]!, b: data[at + 2]! },
  };
}

const near = (c: Colour) => ({ r: expect.closeTo(c.r, -1), g: expect.closeTo(c.g, -1), b: expect.closeTo(c.b, -1) });

describe("convertPhoto", () => {
  it("makes test photos Kodak-sized: landscape 768x512, portrait 512x768, 8-bit sRGB PNG without metadata", async () => {
    const landscape = await convertPhoto(await solid(1600, 900).jpeg().withMetadata().toBuffer(), "test", "x");
    expect(landscape).toMatchObject({ width: 768, height: 512 });
    expect(await inspect(landscape.png)).toMatchObject({ format: "png", width: 768, height: 512, channels: 3, depth: "uchar", exif: false });

    const portrait = await convertPhoto(await solid(300, 700).png().toBuffer(), "test", "x");
    expect(await inspect(portrait.png)).toMatchObject({ width: 512, height: 768, channels: 3 });

    // A square counts as landscape, and small sources are enlarged to fill the frame.
    expect(await convertPhoto(await solid(200, 200).png().toBuffer(), "test", "x")).toMatchObject({ width: 768, height: 512 });
  });

  it("crops test photos around the centre", async () => {
    // 3000x512 stripes: red, then blue in the middle third, then red; cover keeps only the middle 768 columns.
    const side = await solid(1000, 512, red).png().toBuffer();
    const input = await solid(3000, 512, blue)
      .composite([{ input: side, left: 0, top: 0 }, { input: side, left: 2000, top: 0 }])
      .png()
      .toBuffer();
    const { png } = await convertPhoto(input, "test", "x");
    expect((await inspect(png, 0, 256)).pixel).toEqual(blue);
    expect((await inspect(png, 767, 256)).pixel).toEqual(blue);
  });

  it("applies EXIF orientation 6 (rotate 90° clockwise) before choosing the frame", async () => {
    // Stored 600x400 landscape; shown upright it is 400x600 portrait with the stored left (red) half on top.
    const input = await halves(600, 400, 6);
    const test = await convertPhoto(input, "test", "x");
    expect(await inspect(test.png, 256, 10)).toMatchObject({ width: 512, height: 768, pixel: near(red) });
    expect((await inspect(test.png, 256, 757)).pixel).toEqual(near(blue));

    const train = await convertPhoto(input, "train", "x");
    expect(await inspect(train.png, 200, 10)).toMatchObject({ width: 400, height: 600, pixel: near(red), exif: false });
  });

  it("drops alpha like ImageMagick's -alpha off: 3 channels, the colour under transparent pixels kept", async () => {
    const width = 3000;
    const height = 600;
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba[i] = 255; // red, alpha 0 everywhere
    const input = await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer();
    for (const split of ["train", "test"] as const) {
      const { png } = await convertPhoto(input, split, "x");
      expect(await inspect(png, 100, 100)).toMatchObject({ channels: 3, pixel: red });
    }
  });

  it("turns grey and 16-bit inputs into 8-bit 3-channel sRGB", async () => {
    const grey = await solid(300, 200, { r: 90, g: 90, b: 90 }).toColourspace("b-w").png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    expect(await inspect((await convertPhoto(grey, "train", "x")).png)).toMatchObject({ channels: 3, depth: "uchar", pixel: { r: 90, g: 90, b: 90 } });

    const deep = await solid(300, 200).toColourspace("rgb16").png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe("ushort");
    expect(await inspect((await convertPhoto(deep, "train", "x")).png)).toMatchObject({ channels: 3, depth: "uchar", pixel: near({ r: 40, g: 120, b: 200 }) });
  });

  it("caps training photos at 2048 on the long side without enlarging, and halves gc_erase_ photos first", async () => {
    const png = async (w: number, h: number) => solid(w, h).png({ compressionLevel: 1 }).toBuffer();
    expect(await convertPhoto(await png(4096, 1024), "train", "x")).toMatchObject({ width: 2048, height: 512 });
    expect(await convertPhoto(await png(1000, 3000), "train", "x")).toMatchObject({ width: 683, height: 2048 });
    expect(await convertPhoto(await png(640, 480), "train", "x")).toMatchObject({ width: 640, height: 480 });
    expect(await convertPhoto(await png(1000, 800), "train", "gc_erase_bee")).toMatchObject({ width: 500, height: 400 });
    expect(await convertPhoto(await png(5000, 3000), "train", "gc_erase_bee")).toMatchObject({ width: 2048, height: 1229 });
    // Odd sizes round half up, as ImageMagick's -resize 50% did.
    expect(await convertPhoto(await png(1885, 1060), "train", "gc_erase_bee")).toMatchObject({ width: 943, height: 530 });
  });

  it("uses only the first frame of an animated input", async () => {
    const frames = [await solid(120, 80, red).png().toBuffer(), await solid(120, 80, blue).png().toBuffer()];
    const animated = await sharp(frames, { join: { animated: true } }).webp({ lossless: true }).toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(2);
    expect(await inspect((await convertPhoto(animated, "train", "x")).png, 60, 40)).toMatchObject({ width: 120, height: 80, pixel: red });
  });
});
