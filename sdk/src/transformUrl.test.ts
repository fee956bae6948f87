import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { knownAnswer } from "../../test/fakes/transformKnownAnswer.js";
import { transformUrl } from "./transformUrl.js";

// The same known answer fixes the format in the worker's test (worker/src/transform/signature.test.ts), and the
// worker accepts this exact URL (test/worker/transformSuccess.test.ts).
describe("transformUrl", () => {
  afterEach(() => vi.useRealTimers());

  it("matches the known answer", async () => {
    const url = await transformUrl(knownAnswer.baseUrl, knownAnswer.source, knownAnswer.options, { key: knownAnswer.key, expiresAt: knownAnswer.exp });
    expect(url).toBe(knownAnswer.url);
    expect(createHmac("sha256", knownAnswer.key).update(knownAnswer.canonical).digest("base64url")).toBe(knownAnswer.sig);
  });

  it("signs the documented canonical string (checked with node:crypto, not Web Crypto)", async () => {
    const url = await transformUrl("https://img.example.com/", "https://cdn.example.com/a b.jpg?v=2&x=ü#frag", { task: "denoise", format: "auto", refine: false, onerror: "redirect" }, { key: knownAnswer.key, expiresAt: new Date(4102444800_000) });
    const source = "https://cdn.example.com/a%20b.jpg?v=2&x=%C3%BC";
    const canonical = `/cdn-cgi/restore/exp=4102444800,format=auto,onerror=redirect,refine=false,task=denoise/${source}`;
    const sig = createHmac("sha256", knownAnswer.key).update(canonical).digest("base64url");
    expect(url).toBe(`https://img.example.com/cdn-cgi/restore/task=denoise,format=auto,refine=false,onerror=redirect,exp=4102444800,sig=${sig}/${source}`);
    // The URL survives parsing unchanged: what the worker reads back is what was signed.
    expect(new URL(url).href).toBe(url);
  });

  it("puts the same signature under /v1/transform/ when asked", async () => {
    const alias = await transformUrl(knownAnswer.baseUrl, knownAnswer.source, knownAnswer.options, { key: knownAnswer.key, expiresAt: knownAnswer.exp }, "/v1/transform/");
    expect(alias).toBe(knownAnswer.url.replace("/cdn-cgi/restore/", "/v1/transform/"));
  });

  it("computes exp from expiresIn", async () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00.400Z") });
    const url = await transformUrl("https://img.example.com", knownAnswer.source, { task: "derain" }, { key: knownAnswer.key, expiresIn: 3600 });
    expect(url).toContain(`,exp=${1893456000 + 3600},sig=`);
  });

  it("builds unsigned URLs and URLs that never expire", async () => {
    expect(await transformUrl("https://img.example.com", "https://cdn.example.com/x.png?", { task: "deblur" })).toBe(
      "https://img.example.com/cdn-cgi/restore/task=deblur/https://cdn.example.com/x.png",
    );
    expect(await transformUrl("https://img.example.com", "https://cdn.example.com/x.png", { task: "deblur" }, { key: knownAnswer.key })).toMatch(
      /^https:\/\/img\.example\.com\/cdn-cgi\/restore\/task=deblur,sig=[A-Za-z0-9_-]{43}\/https:\/\/cdn\.example\.com\/x\.png$/,
    );
  });

  it("writes the output options, resizing included, as the worker reads them", async () => {
    expect(
      await transformUrl("https://img.example.com", "https://cdn.example.com/x.png", { task: "deblur", format: "avif", metadata: "keep", width: 320, height: 200, fit: "cover", dpr: 1.5 }),
    ).toBe("https://img.example.com/cdn-cgi/restore/task=deblur,format=avif,metadata=keep,width=320,height=200,fit=cover,dpr=1.5/https://cdn.example.com/x.png");
  });

  it.each([
    ["a base URL with a path", () => transformUrl("https://img.example.com/v1", knownAnswer.source, { task: "denoise" })],
    ["a relative source", () => transformUrl("https://img.example.com", "/photo.jpg", { task: "denoise" })],
    ["a non-http source", () => transformUrl("https://img.example.com", "file:///etc/passwd", { task: "denoise" })],
    ["quality 0", () => transformUrl("https://img.example.com", knownAnswer.source, { task: "denoise", quality: 0 })],
    ["width 0", () => transformUrl("https://img.example.com", knownAnswer.source, { task: "denoise", width: 0 })],
    ["dpr 1.333", () => transformUrl("https://img.example.com", knownAnswer.source, { task: "denoise", width: 10, dpr: 1.333 })],
    ["fit without a size", () => transformUrl("https://img.example.com", knownAnswer.source, { task: "denoise", fit: "cover" })],
    ["expiresIn 0", () => transformUrl("https://img.example.com", knownAnswer.source, { task: "denoise" }, { key: knownAnswer.key, expiresIn: 0 })],
    ["an empty key", () => transformUrl("https://img.example.com", knownAnswer.source, { task: "denoise" }, { key: "" })],
  ])("refuses %s", async (_name, build) => {
    await expect(build()).rejects.toThrow();
  });
});
