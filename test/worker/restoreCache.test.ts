// A miss runs inference once and stores the result whole; the same request is then a hit that never touches
// the endpoint; identical concurrent requests run one inference.
import { describe, expect, it } from "vitest";
// The endpoint's version: the worker's MODEL_VERSION (wrangler.toml) must agree with it.
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";
import { callWorker, callWorkerWith, endpoints, inferenceCount, pngSize, restoreRequest, uniquePng } from "./helpers.js";

describe("POST /v1/restore caching", () => {
  it("misses, stores, then hits with identical bytes and no second inference", async () => {
    const image = uniquePng(40, 30);
    const first = await callWorker(restoreRequest(image));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("cache-status")).toBe("edge-restore; fwd=uri-miss; stored");
    expect(first.headers.get("x-model-version")).toBe(`restore-denoise/${pipelineVersion}`);
    expect(first.headers.get("x-refine-applied")).toBe("false");
    expect(first.headers.get("server-timing")).toMatch(/infer;dur=/);
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    expect(pngSize(firstBytes)).toEqual({ width: 40, height: 30 });
    expect(firstBytes).not.toEqual(image);

    const second = await callWorker(restoreRequest(image));
    expect(second.status).toBe(200);
    expect(second.headers.get("cache-status")).toBe("edge-restore; hit");
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(firstBytes);
    expect(await inferenceCount(endpoints.ok, image)).toBe(1);
  });

  it("keys the cache on task, refine, format and quality", async () => {
    const image = uniquePng();
    const variants = ["task=denoise", "task=deblur", "task=denoise&refine=false", "task=denoise&format=jpeg", "task=denoise&format=jpeg&quality=50"];
    for (const query of variants) {
      const response = await callWorker(restoreRequest(image, { query }));
      expect(response.status, query).toBe(200);
      expect(response.headers.get("cache-status"), query).toContain("fwd=uri-miss");
      await response.arrayBuffer();
    }
    expect(await inferenceCount(endpoints.ok, image)).toBe(variants.length);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const image = uniquePng();
    const first = await callWorker(restoreRequest(image));
    await first.arrayBuffer();
    const etag = first.headers.get("etag")!;
    const again = await callWorker(restoreRequest(image, { headers: { "if-none-match": etag } }));
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it("runs one inference for identical concurrent requests", async () => {
    const image = uniquePng(64, 64);
    const responses = await Promise.all(Array.from({ length: 5 }, () => callWorker(restoreRequest(image))));
    const bodies = await Promise.all(responses.map(async (r) => new Uint8Array(await r.arrayBuffer())));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(await inferenceCount(endpoints.ok, image)).toBe(1);
    expect(responses.filter((r) => r.headers.get("cache-status")?.includes("collapsed")).length).toBeGreaterThan(0);
  });
});

describe("POST /v1/restore when R2 fails", () => {
  // The one double in these tests: a bucket that throws, since the local R2 cannot be made to fail on demand.
  const failingBucket = {
    get: () => Promise.reject(new Error("R2 get timed out")),
    put: () => Promise.reject(new Error("R2 put timed out")),
    head: () => Promise.reject(new Error("R2 head timed out")),
    delete: () => Promise.reject(new Error("R2 delete timed out")),
  } as unknown as R2Bucket;

  it("still restores, stores nothing, and says why in Cache-Status", async () => {
    const image = uniquePng();
    const response = await callWorkerWith(restoreRequest(image), { RESULTS: failingBucket });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-status")).toBe('edge-restore; fwd=uri-miss; detail="r2-unavailable"');
    expect(pngSize(new Uint8Array(await response.arrayBuffer()))).toEqual({ width: 32, height: 24 });
  });

  it("answers a result whose put failed, uncached", async () => {
    const image = uniquePng();
    const bucket = { get: () => Promise.resolve(null), put: failingBucket.put } as unknown as R2Bucket;
    const response = await callWorkerWith(restoreRequest(image), { RESULTS: bucket });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-status")).toBe("edge-restore; fwd=uri-miss");
  });

  it("reports R2 in /v1/ready", async () => {
    const response = await callWorkerWith(new Request("https://edge.test/v1/ready"), { RESULTS: failingBucket });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: "not_ready", details: { checks: { r2: "failed" } } } });
  });
});
