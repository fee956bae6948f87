import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { largestJpeg } from "./edjJpeg.js";

const jpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 90, b: 30 } } }).jpeg({ quality: 90 }).toBuffer();

describe("largest JPEG in an .edj", () => {
  it("returns the larger of two embedded JPEGs byte for byte, ignoring junk and false starts", async () => {
    const small = await jpeg(64, 48);
    const large = await jpeg(320, 200);
    const file = Buffer.concat([
      Buffer.from("\u00ee\u00c1\u00fe\u00f0eet header"), // junk
      Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x12]), // looks like an SOI but the markers do not chain
      small,
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)),
      large,
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]), // a stream cut off at the end of the file
    ]);
    const found = largestJpeg(file);
    expect(found).toMatchObject({ width: 320, height: 200, offset: file.indexOf(large) });
    expect(Buffer.from(found!.bytes).equals(large)).toBe(true);
    expect((await sharp(found!.bytes).metadata()).width).toBe(320);
  });

  it("keeps the first of two equal sizes and answers undefined when there is no JPEG", async () => {
    const a = await jpeg(100, 100);
    const b = await jpeg(100, 100);
    expect(largestJpeg(Buffer.concat([a, b]))?.offset).toBe(0);
    expect(largestJpeg(Buffer.from("no pictures here"))).toBeUndefined();
  });
});
