import { describe, expect, it } from "vitest";
import { parseRestoreOptions, resolveOutputFormat } from "./restoreOptions.js";

const parse = (q: string) => parseRestoreOptions(new URLSearchParams(q));

describe("parseRestoreOptions", () => {
  it("applies defaults", () => {
    expect(parse("task=lowlight")).toEqual({ task: "lowlight", format: undefined, quality: 90, refine: true });
  });
  it("reads every option", () => {
    expect(parse("task=derain&format=webp&quality=55&refine=false")).toEqual({ task: "derain", format: "webp", quality: 55, refine: false });
  });
  it.each(["task=x", "", "task=denoise&quality=0", "task=denoise&quality=9.5", "task=denoise&refine=1", "task=denoise&format=avif", "task=denoise&foo=1"])(
    "refuses %s",
    (q) => expect(() => parse(q)).toThrow(),
  );
});

describe("resolveOutputFormat", () => {
  it("prefers the explicit format", () => expect(resolveOutputFormat("png", "image/webp", "jpeg")).toBe("png"));
  it("takes the highest-q supported type from Accept", () =>
    expect(resolveOutputFormat(undefined, "image/avif,image/jpeg;q=0.8,image/webp;q=0.9,*/*;q=0.1", "png")).toBe("webp"));
  it("ignores q=0 and wildcards, falling back to the input format", () => {
    expect(resolveOutputFormat(undefined, "image/webp;q=0, */*", "jpeg")).toBe("jpeg");
    expect(resolveOutputFormat(undefined, undefined, "png")).toBe("png");
  });
});
