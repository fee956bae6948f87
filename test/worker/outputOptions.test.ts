// What users of image CDNs expect, through the real worker and the endpoint's own output code (the fake endpoint
// runs it around its stand-in restoration): AVIF out, alpha kept, metadata as asked, resizing after restoring
// (cached apart from the full-size result), HEIC refused with its own code.
import { env } from "cloudflare:workers";
import { imageSize } from "image-size";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { callWorker, heicHeader, r2ObjectCount, restoreRequest, sampleAlphaPng, sampleAvif, sampleTaggedJpeg, uniquePng } from "./helpers.js";
import { expectConformsToSpec } from "./openapiConformance.js";
import { sha256Hex } from "../../worker/src/sha256.js";
import { get, originImage, signed, uniqueSeed } from "./transformHelpers.js";

const bytesOf = async (response: Response) => new Uint8Array(await response.clone().arrayBuffer());
const isAvif = (bytes: Uint8Array) => new TextDecoder().decode(bytes.subarray(4, 12)) === "ftypavif";
const contains = (bytes: Uint8Array, text: string) => new TextDecoder("latin1").decode(bytes).includes(text);

/** The tag ids of a JPEG's EXIF IFD0 (0x8298 copyright, 0x8825 the GPS directory, 0x010f camera make). */
function exifIfd0Tags(jpeg: Uint8Array): number[] {
  for (let at = 2; at + 4 < jpeg.length; ) {
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    if (jpeg[at + 1] === 0xe1 && new TextDecoder().decode(jpeg.subarray(at + 4, at + 8)) === "Exif") {
      const tiff = new DataView(jpeg.buffer, jpeg.byteOffset + at + 10);
      const little = tiff.getUint16(0) === 0x4949;
      const ifd = tiff.getUint32(4, little);
      return Array.from({ length: tiff.getUint16(ifd, little) }, (_, i) => tiff.getUint16(ifd + 2 + i * 12, little));
    }
    at += 2 + length;
  }
  return [];
}

describe("output formats", () => {
  it("encodes AVIF for format=avif, and for Accept: image/avif when format is left to the server", async () => {
    const explicit = await callWorker(restoreRequest(uniquePng(), { query: "task=denoise&format=avif&quality=60" }));
    expect(explicit.status).toBe(200);
    expect(explicit.headers.get("content-type")).toBe("image/avif");
    expect(isAvif(await bytesOf(explicit))).toBe(true);
    await expectConformsToSpec(explicit, "/v1/restore", "POST");

    // A browser's Accept names several types at q=1: AVIF is preferred.
    const negotiated = await callWorker(restoreRequest(uniquePng(), { headers: { accept: "image/avif,image/webp,image/apng,image/*,*/*;q=0.8" } }));
    expect(negotiated.headers.get("content-type")).toBe("image/avif");
    expect(negotiated.headers.get("vary")).toBe("Accept");
    expect(isAvif(await bytesOf(negotiated))).toBe(true);
  });

  it("takes AVIF uploads, answered as AVIF by default", async () => {
    const response = await callWorker(restoreRequest(sampleAvif, { headers: { "content-type": "image/avif" } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/avif");
  });

  it("refuses HEIC with heic_not_supported and says what to send instead", async () => {
    const response = await callWorker(restoreRequest(heicHeader, { headers: { "content-type": "image/heic" } }));
    expect(response.status).toBe(415);
    const body = (await response.clone().json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("heic_not_supported");
    expect(body.error.message).toContain("Send JPEG, PNG, WebP or AVIF");
    await expectConformsToSpec(response, "/v1/restore", "POST");
  });
});

describe("alpha", () => {
  it("gives a PNG with alpha back with the same alpha channel", async () => {
    const response = await callWorker(restoreRequest(sampleAlphaPng, { query: "task=lowlight&format=png" }));
    expect(response.status).toBe(200);
    const input = decode(sampleAlphaPng);
    const output = decode(await bytesOf(response));
    expect([input.channels, output.channels]).toEqual([4, 4]);
    const alpha = (image: typeof input) => Array.from({ length: image.width * image.height }, (_, p) => image.data[p * 4 + 3]);
    expect(alpha(output)).toEqual(alpha(input));
    // ... while the colour was restored (the fake brightens it).
    expect(output.data[4 * 95]).not.toBe(input.data[4 * 95]);
  });
});

describe("metadata", () => {
  it("keeps only the EXIF copyright by default (copyright), nothing with none, and EXIF with GPS and the ICC profile with keep", async () => {
    const copyright = await bytesOf(await callWorker(restoreRequest(sampleTaggedJpeg, { query: "task=denoise", headers: { "content-type": "image/jpeg" } })));
    expect(exifIfd0Tags(sampleTaggedJpeg)).toEqual(expect.arrayContaining([0x8298, 0x8825, 0x010f]));
    expect(exifIfd0Tags(copyright)).toContain(0x8298);
    expect(exifIfd0Tags(copyright)).not.toContain(0x8825);
    expect(exifIfd0Tags(copyright)).not.toContain(0x010f);
    expect(contains(copyright, "(c) Jane Doe 2026")).toBe(true);
    expect(contains(copyright, "ICC_PROFILE")).toBe(false);

    const none = await bytesOf(await callWorker(restoreRequest(sampleTaggedJpeg, { query: "task=denoise&metadata=none", headers: { "content-type": "image/jpeg" } })));
    expect(exifIfd0Tags(none)).toEqual([]);

    const keep = await bytesOf(await callWorker(restoreRequest(sampleTaggedJpeg, { query: "task=denoise&metadata=keep", headers: { "content-type": "image/jpeg" } })));
    expect(exifIfd0Tags(keep)).toEqual(expect.arrayContaining([0x8298, 0x8825, 0x010f]));
    expect(contains(keep, "ICC_PROFILE")).toBe(true);
  });
});

describe("resizing after restoration", () => {
  it("width=48,fit=scale-down answers 48 px wide, cached apart from the full-size result", async () => {
    const image = uniquePng(96, 64);
    const resized = await callWorker(restoreRequest(image, { query: "task=denoise&width=48&fit=scale-down" }));
    expect(resized.status).toBe(200);
    expect(imageSize(await bytesOf(resized))).toMatchObject({ width: 48, height: 32 });
    await expectConformsToSpec(resized, "/v1/restore", "POST");

    const full = await callWorker(restoreRequest(image, { query: "task=denoise" }));
    expect(imageSize(await bytesOf(full))).toMatchObject({ width: 96, height: 64 });
    expect(full.headers.get("cache-status")).toContain("fwd=uri-miss");
    expect(await r2ObjectCount(`results/denoise/${encodeURIComponent(env.MODEL_VERSION)}/${await sha256Hex(image)}/`)).toBe(2);

    const again = await callWorker(restoreRequest(image, { query: "task=denoise&width=48&fit=scale-down" }));
    expect(again.headers.get("cache-status")).toBe("edge-restore; hit");
    expect(await bytesOf(again)).toEqual(await bytesOf(resized));
  });

  it("applies dpr and the other fits", async () => {
    const image = uniquePng(96, 64);
    const size = async (query: string) => imageSize(await bytesOf(await callWorker(restoreRequest(image, { query: `task=denoise&${query}` }))));
    expect(await size("width=24&dpr=2")).toMatchObject({ width: 48, height: 32 });
    expect(await size("width=40&height=40&fit=cover")).toMatchObject({ width: 40, height: 40 });
    expect(await size("width=40&height=40&fit=pad")).toMatchObject({ width: 40, height: 40 });
    expect(await size("width=200&fit=contain")).toMatchObject({ width: 200, height: 133 });
    expect(await size("width=200")).toMatchObject({ width: 96, height: 64 });
  });

  it("refuses an output over the pixel limit before any work, and a fit without a size", async () => {
    const tooBig = await callWorker(restoreRequest(uniquePng(8, 8), { query: "task=denoise&width=12000&height=12000&fit=cover" }));
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "invalid_parameter", message: expect.stringContaining("over the limit") });
    const fitAlone = await callWorker(restoreRequest(uniquePng(), { query: "task=denoise&fit=cover" }));
    expect(fitAlone.status).toBe(400);
  });

  it("resizes URL transforms too (width, fit and dpr in the options, dpr with a decimal point)", async () => {
    const url = await signed(originImage(uniqueSeed()), { task: "denoise", width: 16, fit: "scale-down", dpr: 1.5, format: "avif" });
    expect(url).toContain("dpr=1.5");
    const response = await callWorker(get(url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/avif");
    expect(imageSize(await bytesOf(response))).toMatchObject({ width: 24, height: 18 });
  });
});
