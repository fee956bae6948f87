import { describe, expect, it } from "vitest";
import { ApiError } from "../apiError.js";
import { inspectImage, peekImageHeader, sniffFormat } from "./inspectImage.js";
import { heicHeader, pngClaiming, sampleAvif, sampleJpeg, sampleWebp, uniquePng } from "../../../test/worker/helpers.js";

const limits = { maxBytes: 1e9, maxPixels: 1_000_000, maxDimension: 2000 };

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof ApiError ? error.code : `not an ApiError: ${String(error)}`;
  }
  return undefined;
}

describe("inspectImage", () => {
  it("reads format and size of complete images", () => {
    expect(inspectImage(uniquePng(33, 17), limits, "image/png")).toEqual({ format: "png", width: 33, height: 17 });
    expect(inspectImage(sampleJpeg, limits, undefined)).toEqual({ format: "jpeg", width: 96, height: 64 });
    expect(inspectImage(sampleWebp, limits, "application/octet-stream")).toEqual({ format: "webp", width: 96, height: 64 });
    expect(inspectImage(sampleAvif, limits, "image/avif")).toEqual({ format: "avif", width: 96, height: 64 });
  });

  it("refuses HEIC with its own code and says what to send", () => {
    expect(codeOf(() => inspectImage(heicHeader, limits, "image/heic"))).toBe("heic_not_supported");
    expect(() => inspectImage(heicHeader, limits, undefined)).toThrow(/Send JPEG, PNG, WebP or AVIF/);
    expect(codeOf(() => peekImageHeader(heicHeader, limits))).toBe("heic_not_supported");
  });

  it("sniffs from bytes, not from names", () => {
    expect(sniffFormat(new TextEncoder().encode("GIF89a....."))).toBeUndefined();
    expect(sniffFormat(new TextEncoder().encode("RIFF\0\0\0\0WAVE"))).toBeUndefined();
    expect(sniffFormat(sampleWebp)).toBe("webp");
  });

  it("refuses by declared size before decoding", () => {
    expect(codeOf(() => inspectImage(pngClaiming(1001, 1000), limits, "image/png"))).toBe("image_too_large");
    expect(codeOf(() => inspectImage(pngClaiming(2001, 1), limits, "image/png"))).toBe("image_too_large");
    expect(inspectImage(pngClaiming(1000, 1000), limits, "image/png")).toMatchObject({ width: 1000, height: 1000 });
    expect(codeOf(() => inspectImage(pngClaiming(0, 10), limits, "image/png"))).toBe("invalid_image");
  });

  it("refuses truncated files of each format", () => {
    const png = uniquePng();
    expect(codeOf(() => inspectImage(png.subarray(0, png.length - 5), limits, "image/png"))).toBe("invalid_image");
    expect(codeOf(() => inspectImage(sampleJpeg.subarray(0, sampleJpeg.length - 10), limits, "image/jpeg"))).toBe("invalid_image");
    expect(codeOf(() => inspectImage(sampleWebp.subarray(0, sampleWebp.length - 10), limits, "image/webp"))).toBe("invalid_image");
    expect(codeOf(() => inspectImage(sampleAvif.subarray(0, sampleAvif.length - 10), limits, "image/avif"))).toBe("invalid_image");
  });

  it("tolerates zero padding after a JPEG's end marker", () => {
    const padded = new Uint8Array(sampleJpeg.length + 16);
    padded.set(sampleJpeg);
    expect(inspectImage(padded, limits, "image/jpeg").format).toBe("jpeg");
  });

  it("refuses a Content-Type naming another image type, accepts generic ones", () => {
    expect(codeOf(() => inspectImage(sampleJpeg, limits, "image/png"))).toBe("media_type_mismatch");
    expect(codeOf(() => inspectImage(sampleJpeg, limits, "image/jpeg; charset=binary"))).toBeUndefined();
    expect(codeOf(() => inspectImage(new Uint8Array(0), limits, "image/png"))).toBe("empty_body");
  });
});

describe("peekImageHeader", () => {
  it("waits for the header, then reads it from a prefix of each format", () => {
    for (const [bytes, format] of [[uniquePng(33, 17), "png"], [sampleJpeg, "jpeg"], [sampleWebp, "webp"], [sampleAvif, "avif"]] as const) {
      expect(peekImageHeader(bytes.subarray(0, 8), limits)).toBeUndefined();
      let info;
      for (let n = 12; n <= bytes.length && !info; n += 7) info = peekImageHeader(bytes.subarray(0, n), limits);
      expect(info, format).toMatchObject({ format });
      expect(info).toEqual(inspectImage(bytes, limits, undefined));
    }
  });

  it("refuses a bomb's header and a non-image from the first bytes", () => {
    // The header alone, no IEND: the body never needs to arrive for the refusal.
    expect(codeOf(() => peekImageHeader(pngClaiming(60000, 60000).subarray(0, 33), limits))).toBe("image_too_large");
    expect(codeOf(() => peekImageHeader(new TextEncoder().encode("<!doctype html><html>"), limits))).toBe("unsupported_media_type");
  });
});
