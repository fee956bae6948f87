import exifReader from "exif-reader";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { planResize, resizeFits, type Resize } from "../../common/src/outputSize.js";
import { encodeOutput, outputOptionsFrom, quantize, type OutputOptions } from "./outputImage.js";
import { decodeImage } from "./restorePipeline.js";

const toFloat = (rgb: Uint8Array) => Float32Array.from(rgb, (v) => v / 255);

/** What the pipeline does around the networks, with an identity restoration in between. */
async function roundTrip(input: Buffer, o: OutputOptions) {
  const decoded = await decodeImage(new Uint8Array(input), 1e7);
  const out = await encodeOutput({ pixels: toFloat(decoded.rgb), width: decoded.width, height: decoded.height, alpha: decoded.alpha }, new Uint8Array(input), o);
  return { decoded, out, meta: await sharp(out.bytes).metadata() };
}

const photo = (width = 64, height = 48) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 30 } } });
const options = (o: Partial<OutputOptions> = {}): OutputOptions => ({ format: "png", quality: 90, metadata: "none", ...o });

describe("quantize", () => {
  it("rounds float results to 8 bits with clamping, as they are encoded", () => {
    expect([...quantize(Float32Array.from([-0.2, 0, 0.5, 1, 1.3, 0.998]))]).toEqual([0, 0, 128, 255, 255, 254]);
  });
  it("interleaves an alpha channel", () => {
    expect([...quantize(Float32Array.from([0, 0.5, 1, 1, 1, 1]), Uint8Array.from([7, 200]))]).toEqual([0, 128, 255, 7, 255, 255, 255, 200]);
  });
});

describe("encodeOutput", () => {
  it("encodes AVIF", async () => {
    const { out, meta } = await roundTrip(await photo().png().toBuffer(), options({ format: "avif", quality: 60 }));
    expect(meta.format).toBe("heif");
    expect(meta.compression).toBe("av1");
    expect(Buffer.from(out.bytes.subarray(4, 12)).toString("latin1")).toBe("ftypavif");
  });

  it("gives a PNG with alpha back the same alpha channel, and JPEG flattens it onto white", async () => {
    const width = 32;
    const height = 16;
    const rgba = Buffer.alloc(width * height * 4);
    // The left half fully transparent, the right half every alpha value.
    for (let p = 0; p < width * height; p++) rgba.set([10, 120, 230, p % width < 16 ? 0 : (p * 37) % 256], p * 4);
    const input = await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer();
    const { decoded, out } = await roundTrip(input, options());
    expect(decoded.alpha).toBeDefined();
    const alphaOut = await sharp(out.bytes).extractChannel(3).raw().toBuffer();
    expect([...alphaOut]).toEqual([...decoded.alpha!]);
    expect([...alphaOut].slice(14, 18)).toEqual([0, 0, 80, 117]);

    const jpeg = await roundTrip(input, options({ format: "jpeg", quality: 100 }));
    expect(jpeg.meta.channels).toBe(3);
    const [r] = await sharp(jpeg.out.bytes).raw().toBuffer();
    // The first pixel is in the transparent half: white.
    expect(r).toBeGreaterThan(245);
  });

  it("metadata=copyright keeps only the EXIF copyright; none keeps nothing", async () => {
    const input = await photo()
      .withExif({ IFD0: { Copyright: "(c) Jane Doe", Make: "PhoneCo" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } })
      .jpeg()
      .toBuffer();
    const copyright = await roundTrip(input, options({ format: "jpeg", metadata: "copyright" }));
    const exif = exifReader(copyright.meta.exif!);
    expect(exif.Image?.Copyright).toBe("(c) Jane Doe");
    expect(exif.Image?.Make).toBeUndefined();
    expect(exif.GPSInfo).toBeUndefined();
    const none = await roundTrip(input, options({ format: "jpeg", metadata: "none" }));
    expect(none.meta.exif).toBeUndefined();
  });

  it.each(["jpeg", "webp", "avif", "png"] as const)("metadata=keep keeps EXIF (GPS too) and the ICC profile in %s, the colours converted back into it", async (format) => {
    const input = await photo().withIccProfile("p3").withExif({ IFD0: { Copyright: "(c) Jane Doe" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } }).jpeg({ quality: 100 }).toBuffer();
    const inputIcc = (await sharp(input).metadata()).icc!;
    const { decoded, meta, out } = await roundTrip(input, options({ format, quality: 100, metadata: "keep" }));
    expect(meta.icc?.equals(inputIcc)).toBe(true);
    expect(exifReader(meta.exif!).GPSInfo?.GPSLatitude).toEqual([51, 30, 0]);
    // Seen through the profile (as a colour-managed viewer does), the output is the restored sRGB image.
    const seen = await sharp(out.bytes).toColourspace("srgb").raw().toBuffer();
    for (let c = 0; c < 3; c++) expect(Math.abs(seen[c]! - decoded.rgb[c]!)).toBeLessThanOrEqual(format === "avif" ? 4 : 2);
    // Without keep, the result is plain sRGB.
    const plain = await roundTrip(input, options({ format, metadata: "copyright" }));
    expect(plain.meta.icc).toBeUndefined();
  });

  it("metadata=keep does not keep an EXIF orientation already applied to the pixels", async () => {
    const input = await photo(64, 48).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const { meta } = await roundTrip(input, options({ format: "jpeg", metadata: "keep" }));
    expect([meta.width, meta.height]).toEqual([48, 64]);
    expect(meta.orientation ?? 1).toBe(1);
  });

  it("resizes after restoring, to the planned size, for every fit", async () => {
    const input = await photo(300, 200).png().toBuffer();
    for (const fit of resizeFits) {
      for (const resize of [{ width: 120, fit, dpr: 1 }, { width: 100, height: 100, fit, dpr: 1.5 }, { width: 600, height: 150, fit, dpr: 1 }, { height: 400, fit, dpr: 1 }] satisfies Resize[]) {
        const { out, meta } = await roundTrip(input, options({ resize }));
        const plan = planResize(300, 200, resize);
        expect([out.width, out.height, meta.width, meta.height], `${JSON.stringify(resize)}`).toEqual([plan.width, plan.height, plan.width, plan.height]);
      }
    }
  });
});

describe("outputOptionsFrom", () => {
  it("reads the inference parameters, with defaults", () => {
    expect(outputOptionsFrom({})).toEqual({ format: "png", quality: 90, metadata: "copyright" });
    expect(outputOptionsFrom({ format: "avif", quality: 50, metadata: "keep", width: 320, fit: "cover", dpr: 2 })).toEqual({
      format: "avif",
      quality: 50,
      metadata: "keep",
      resize: { width: 320, fit: "cover", dpr: 2 },
    });
  });
  it.each([{ format: "gif" }, { quality: 0 }, { metadata: "all" }, { width: 0 }, { height: 1.5 }, { width: 10, fit: "fill" }, { width: 10, dpr: 5 }, { width: "10" }])(
    "refuses %o",
    (parameters) => expect(() => outputOptionsFrom(parameters)).toThrow(/parameter/),
  );
});
