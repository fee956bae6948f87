// Successful restorations in every input and output form, each checked against openapi.yaml.
import { describe, expect, it } from "vitest";
import { expectConformsToSpec } from "./openapiConformance.js";
import { callWorker, pngSize, restoreRequest, sampleJpeg, sampleWebp, uniquePng } from "./helpers.js";

const jpegMagic = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

describe("POST /v1/restore success", () => {
  it("returns the input's format by default and conforms to the spec", async () => {
    const response = await callWorker(restoreRequest(sampleJpeg, { query: "task=lowlight&refine=false", headers: { "content-type": "image/jpeg" } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("vary")).toBe("Accept");
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(startsWith(new Uint8Array(await response.clone().arrayBuffer()), jpegMagic)).toBe(true);
    await expectConformsToSpec(response, "/v1/restore", "POST");
  });

  it("picks the output format from Accept when format is not given", async () => {
    const response = await callWorker(restoreRequest(uniquePng(), { headers: { accept: "image/avif;q=0.8, image/webp;q=0.9, image/png;q=0.5" } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    await expectConformsToSpec(response, "/v1/restore", "POST");
  });

  it("lets an explicit format win over Accept, and omits Vary then", async () => {
    const response = await callWorker(restoreRequest(uniquePng(), { query: "task=derain&format=jpeg&quality=70", headers: { accept: "image/webp" } }));
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.has("vary")).toBe(false);
    await expectConformsToSpec(response, "/v1/restore", "POST");
  });

  it("accepts WebP, application/octet-stream, and multipart uploads", async () => {
    const webp = await callWorker(restoreRequest(sampleWebp, { headers: { "content-type": "application/octet-stream" } }));
    expect(webp.status).toBe(200);
    expect(webp.headers.get("content-type")).toBe("image/webp");

    const image = uniquePng(20, 10);
    const form = new FormData();
    form.append("image", new Blob([image], { type: "image/png" }), "photo.png");
    const multipart = await callWorker(restoreRequest(form, { query: "task=deblur", headers: { "content-type": "" } }));
    expect(multipart.status).toBe(200);
    expect(pngSize(new Uint8Array(await multipart.clone().arrayBuffer()))).toEqual({ width: 20, height: 10 });
    await expectConformsToSpec(multipart, "/v1/restore", "POST");
  });

  it("accepts every key in API_KEYS (rotation)", async () => {
    const response = await callWorker(restoreRequest(uniquePng(), { key: "test-key-2" }));
    expect(response.status).toBe(200);
  });

  it("conforms for 304 Not Modified", async () => {
    const image = uniquePng();
    const first = await callWorker(restoreRequest(image));
    await first.arrayBuffer();
    const notModified = await callWorker(restoreRequest(image, { headers: { "if-none-match": first.headers.get("etag")! } }));
    expect(notModified.status).toBe(304);
    await expectConformsToSpec(notModified, "/v1/restore", "POST");
  });
});
