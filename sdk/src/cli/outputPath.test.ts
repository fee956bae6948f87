import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseOutputPath, defaultOutputPath, extensionFor } from "./outputPath.js";

describe("extensionFor", () => {
  it.each([
    ["image/png", "png"],
    ["image/jpeg", "jpg"],
    ["IMAGE/WEBP", "webp"],
    ["image/png; charset=binary", "png"],
    ["image/avif", "avif"],
    ["application/octet-stream", "bin"],
    ["", "bin"],
  ])("%j → %s", (contentType, ext) => {
    expect(extensionFor(contentType)).toBe(ext);
  });
});

describe("output path", () => {
  it("puts the result beside the input, named after it, with the result's extension", () => {
    expect(defaultOutputPath("dark.jpg", "image/png")).toBe("dark.restored.png");
    expect(defaultOutputPath(join("photos", "2024", "rain.png"), "image/jpeg")).toBe(join("photos", "2024", "rain.restored.jpg"));
    expect(defaultOutputPath("/tmp/a.b.webp", "image/webp")).toBe("/tmp/a.b.restored.webp");
    expect(defaultOutputPath("noext", "image/png")).toBe("noext.restored.png");
  });

  it("uses -o as given", () => {
    expect(chooseOutputPath("dark.jpg", "out/x.png", "image/jpeg")).toBe("out/x.png");
    expect(chooseOutputPath("dark.jpg", null, "image/jpeg")).toBe("dark.restored.jpg");
  });
});
