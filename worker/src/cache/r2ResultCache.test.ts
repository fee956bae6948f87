import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../sha256.js";
import { getCachedResult, putCachedResult, resultCacheKey } from "./r2ResultCache.js";

const bucket = env.RESULTS;

describe("r2ResultCache", () => {
  it("builds distinct, readable keys per variant", () => {
    const base = { inputSha256: "ab".repeat(32), task: "denoise" as const, modelVersion: "1", refine: true, format: "jpeg" as const, quality: 90, metadata: "copyright" as const, resize: undefined };
    expect(resultCacheKey(base)).toBe(`results/denoise/1/${"ab".repeat(32)}/refined.jpeg.q90.m-copyright`);
    expect(resultCacheKey({ ...base, format: "png", quality: 10 })).toBe(resultCacheKey({ ...base, format: "png", quality: 90 }));
    expect(resultCacheKey({ ...base, refine: false })).not.toBe(resultCacheKey(base));
    expect(resultCacheKey({ ...base, metadata: "keep" })).not.toBe(resultCacheKey(base));
    const resized = resultCacheKey({ ...base, resize: { width: 320, fit: "scale-down", dpr: 2 } });
    expect(resized).toBe(`results/denoise/1/${"ab".repeat(32)}/refined.jpeg.q90.m-copyright.r-320x_-scale-down-2`);
    expect(resultCacheKey({ ...base, resize: { height: 320, fit: "scale-down", dpr: 2 } })).not.toBe(resized);
    expect(resultCacheKey({ ...base, resize: { width: 320, fit: "cover", dpr: 2 } })).not.toBe(resized);
  });

  it("round-trips a result with its checksum", async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(1000));
    const result = { bytes, contentType: "image/png", sha256: await sha256Hex(bytes), modelVersion: "restore-denoise/1", refineApplied: true };
    expect(await putCachedResult(bucket, "results/test/roundtrip", result)).toBe(true);
    expect(await getCachedResult(bucket, "results/test/roundtrip")).toEqual(result);
  });

  it("refuses to store bytes whose checksum does not match (R2 verifies the sha256)", async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const ok = await putCachedResult(bucket, "results/test/bad-put", {
      bytes, contentType: "image/png", sha256: "00".repeat(32), modelVersion: "m", refineApplied: false,
    });
    expect(ok).toBe(false);
    expect(await bucket.head("results/test/bad-put")).toBeNull();
  });

  it("drops an object whose bytes no longer match its recorded checksum", async () => {
    await bucket.put("results/test/corrupt", new Uint8Array([9, 9, 9]), {
      httpMetadata: { contentType: "image/png" },
      customMetadata: { sha256: await sha256Hex(new Uint8Array([1, 2, 3])), modelVersion: "m", refineApplied: "false" },
    });
    expect(await getCachedResult(bucket, "results/test/corrupt")).toBeUndefined();
    expect(await bucket.head("results/test/corrupt")).toBeNull();
  });
});
