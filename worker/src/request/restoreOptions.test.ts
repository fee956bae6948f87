import { describe, expect, it } from "vitest";
import { checkOutputSize, parseRestoreOptions, resolveOutputFormat } from "./restoreOptions.js";

const parse = (q: string) => parseRestoreOptions(new URLSearchParams(q));

describe("parseRestoreOptions", () => {
  it("applies defaults", () => {
    expect(parse("task=lowlight")).toEqual({ task: "lowlight", format: undefined, quality: 90, refine: true, metadata: "copyright", resize: undefined });
  });
  it("reads every option", () => {
    expect(parse("task=derain&format=avif&quality=55&refine=false&metadata=keep&width=320&height=200&fit=cover&dpr=1.5")).toEqual({
      task: "derain",
      format: "avif",
      quality: 55,
      refine: false,
      metadata: "keep",
      resize: { width: 320, height: 200, fit: "cover", dpr: 1.5 },
    });
    expect(parse("task=derain&height=200").resize).toEqual({ height: 200, fit: "scale-down", dpr: 1 });
  });
  it.each([
    "task=x",
    "",
    "task=denoise&quality=0",
    "task=denoise&quality=9.5",
    "task=denoise&refine=1",
    "task=denoise&format=gif",
    "task=denoise&foo=1",
    "task=denoise&metadata=all",
    "task=denoise&width=0",
    "task=denoise&width=12001",
    "task=denoise&width=1e3",
    "task=denoise&height=-5",
    "task=denoise&width=10&fit=fill",
    "task=denoise&width=10&dpr=5",
    "task=denoise&width=10&dpr=0.5",
    "task=denoise&width=10&dpr=1.333",
    "task=denoise&fit=cover",
    "task=denoise&dpr=2",
  ])(
    "refuses %s",
    (q) => expect(() => parse(q)).toThrow(),
  );
});

describe("checkOutputSize", () => {
  const limits = { maxBytes: 1e9, maxPixels: 1_000_000, maxDimension: 4000 };
  it("lets a shrink through and refuses an enlargement past maxPixels, in either orientation", () => {
    expect(() => checkOutputSize({ width: 320, fit: "scale-down", dpr: 2 }, { format: "png", width: 3000, height: 300 }, limits)).not.toThrow();
    expect(() => checkOutputSize({ width: 2000, height: 2000, fit: "cover", dpr: 1 }, { format: "png", width: 10, height: 10 }, limits)).toThrow(/2000x2000, over the limit/);
    // 100x1000 scaled to width 1000 is 1000x10000; turned by EXIF it would be 1000x100.
    expect(() => checkOutputSize({ width: 1000, fit: "contain", dpr: 1 }, { format: "jpeg", width: 1000, height: 100 }, limits)).toThrow(/over the limit/);
  });
});

describe("resolveOutputFormat", () => {
  it("prefers the explicit format", () => expect(resolveOutputFormat("png", "image/webp", "jpeg")).toBe("png"));
  it("takes the highest-q supported type from Accept", () =>
    expect(resolveOutputFormat(undefined, "image/avif;q=0.5,image/jpeg;q=0.8,image/webp;q=0.9,*/*;q=0.1", "png")).toBe("webp"));
  it("prefers AVIF, then WebP, among types of equal q (a browser's Accept)", () => {
    expect(resolveOutputFormat(undefined, "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "jpeg")).toBe("avif");
    expect(resolveOutputFormat(undefined, "image/png,image/webp,*/*;q=0.8", "jpeg")).toBe("webp");
    expect(resolveOutputFormat(undefined, "image/png,image/jpeg", "webp")).toBe("png");
  });
  it("ignores q=0 and wildcards, falling back to the input format", () => {
    expect(resolveOutputFormat(undefined, "image/webp;q=0, */*", "jpeg")).toBe("jpeg");
    expect(resolveOutputFormat(undefined, undefined, "png")).toBe("png");
  });
});
