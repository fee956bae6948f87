import { describe, expect, it } from "vitest";
import { createEdgeRestoreClient, type EdgeRestoreClientOptions, type FetchLike } from "./client.js";
import { EdgeRestoreError } from "./errors.js";

const BASE = "http://api.test";
const KEY = "test-key-1";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const RESULT = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 8, 7, 6]);

type Reply = (request: Request) => Response | Promise<Response>;

/** A fetch that answers from a script (last entry repeats) and records every request. */
function scripted(...replies: Reply[]) {
  const requests: Request[] = [];
  const fetch: FetchLike = async (request) => {
    requests.push(request);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
    return reply(request);
  };
  return { fetch, requests };
}

/** A sleep that records the delays and returns at once. */
function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

function client(fetch: FetchLike, extra: Partial<EdgeRestoreClientOptions> = {}) {
  return createEdgeRestoreClient({ baseUrl: BASE, apiKey: KEY, fetch, sleep: recordingSleep().sleep, ...extra });
}

const image = (headers: Record<string, string> = {}): Reply => () =>
  new Response(RESULT, {
    status: 200,
    headers: {
      "content-type": "image/png",
      etag: '"r-abc"',
      "cache-status": "edge-restore; fwd=uri-miss; stored",
      "x-model-version": "restore-lowlight/1.0.0",
      "x-refine-applied": "true",
      "server-timing": "cache;dur=2, inference;dur=840",
      ...headers,
    },
  });

const apiError = (status: number, code: string, message = `${code} happened`, extra: { details?: object; headers?: Record<string, string> } = {}): Reply => () =>
  new Response(JSON.stringify({ error: { code, message, ...(extra.details ? { details: extra.details } : {}) } }), {
    status,
    headers: { "content-type": "application/json", ...extra.headers },
  });

const hang: Reply = (request) =>
  new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true }));

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

async function caughtApiError(promise: Promise<unknown>): Promise<EdgeRestoreError> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(EdgeRestoreError);
  return error as EdgeRestoreError;
}

describe("restore request", () => {
  it("POSTs the raw bytes with task, options, auth and octet-stream", async () => {
    const { fetch, requests } = scripted(image());
    await createEdgeRestoreClient({ baseUrl: `${BASE}/`, apiKey: KEY, fetch }).restore(PNG, {
      task: "lowlight",
      format: "webp",
      quality: 80,
      refine: false,
    });
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe("POST");
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe(`${BASE}/v1/restore`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ task: "lowlight", format: "webp", quality: "80", refine: "false" });
    expect(request.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(request.headers.get("content-type")).toBe("application/octet-stream");
    expect(request.headers.get("if-none-match")).toBeNull();
    expect(new Uint8Array(await request.arrayBuffer())).toEqual(PNG);
  });

  it("sends only the task when no options are given", async () => {
    const { fetch, requests } = scripted(image());
    await client(fetch).restore(PNG, { task: "denoise" });
    expect(new URL(requests[0]!.url).search).toBe("?task=denoise");
  });

  it("declares a Blob's own type only when it is a supported image type", async () => {
    const { fetch, requests } = scripted(image());
    const c = client(fetch);
    await c.restore(new Blob([PNG], { type: "image/png" }), { task: "derain" });
    await c.restore(new Blob([PNG], { type: "text/plain" }), { task: "derain" });
    await c.restore(new Blob([PNG]), { task: "derain" });
    expect(requests.map((r) => r.headers.get("content-type"))).toEqual([
      "image/png",
      "application/octet-stream",
      "application/octet-stream",
    ]);
    expect(new Uint8Array(await requests[0]!.arrayBuffer())).toEqual(PNG);
  });

  it("accepts ArrayBuffer, Uint8Array views and ReadableStream, sending exactly their bytes", async () => {
    const { fetch, requests } = scripted(image());
    const c = client(fetch);
    const padded = new Uint8Array([0xff, ...PNG, 0xff]);
    await c.restore(PNG.slice().buffer, { task: "deblur" });
    await c.restore(padded.subarray(1, 1 + PNG.length), { task: "deblur" });
    await c.restore(new Blob([PNG]).stream(), { task: "deblur" });
    for (const request of requests) expect(new Uint8Array(await request.arrayBuffer())).toEqual(PNG);
  });

  it("rejects an unsupported image value before any request", async () => {
    const { fetch, requests } = scripted(image());
    const error = await caught(client(fetch).restore("not bytes" as unknown as Blob, { task: "deblur" }));
    expect(error).toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(0);
  });

  it("sends If-None-Match when given", async () => {
    const { fetch, requests } = scripted(() => new Response(null, { status: 304, headers: { etag: '"r-abc"' } }));
    await client(fetch).restore(PNG, { task: "lowlight", ifNoneMatch: '"r-abc"' });
    expect(requests[0]!.headers.get("if-none-match")).toBe('"r-abc"');
  });
});

describe("restore result", () => {
  it("returns the image and what the headers say", async () => {
    const { fetch } = scripted(image());
    const result = await client(fetch).restore(PNG, { task: "lowlight" });
    expect(new Uint8Array(await result.blob.arrayBuffer())).toEqual(RESULT);
    expect(await result.bytes()).toEqual(RESULT);
    expect(result).toMatchObject({
      contentType: "image/png",
      etag: '"r-abc"',
      cacheStatus: "edge-restore; fwd=uri-miss; stored",
      cacheHit: false,
      modelVersion: "restore-lowlight/1.0.0",
      refineApplied: true,
      serverTiming: "cache;dur=2, inference;dur=840",
      notModified: false,
    });
  });

  it("reports a cache hit and a base-only result", async () => {
    const { fetch } = scripted(image({ "cache-status": "edge-restore; hit", "x-refine-applied": "false" }));
    const result = await client(fetch).restore(PNG, { task: "lowlight", refine: false });
    expect(result.cacheHit).toBe(true);
    expect(result.refineApplied).toBe(false);
  });

  it("returns notModified with an empty blob on 304", async () => {
    const { fetch } = scripted(
      () => new Response(null, { status: 304, headers: { etag: '"r-abc"', "cache-status": "edge-restore; hit" } }),
    );
    const result = await client(fetch).restore(PNG, { task: "lowlight", ifNoneMatch: '"r-abc"' });
    expect(result.notModified).toBe(true);
    expect(result.blob.size).toBe(0);
    expect((await result.bytes()).byteLength).toBe(0);
    expect(result.etag).toBe('"r-abc"');
    expect(result.cacheHit).toBe(true);
    expect(result.contentType).toBe("");
  });

  it("refuses a 200 that is not an image", async () => {
    const { fetch } = scripted(() => new Response("<html>login</html>", { status: 200, headers: { "content-type": "text/html" } }));
    const error = await caughtApiError(client(fetch).restore(PNG, { task: "lowlight" }));
    expect(error.code).toBe("invalid_response");
    expect(error.status).toBe(200);
    expect(error.message).toContain("text/html");
  });

  it("refuses a 200 with an empty body", async () => {
    const { fetch } = scripted(() => new Response(new Uint8Array(0), { status: 200, headers: { "content-type": "image/png" } }));
    const error = await caughtApiError(client(fetch).restore(PNG, { task: "lowlight" }));
    expect(error.code).toBe("invalid_response");
  });
});

describe("restore errors", () => {
  it.each([
    [400, "invalid_task"],
    [400, "invalid_parameter"],
    [400, "empty_body"],
    [401, "unauthorized"],
    [413, "payload_too_large"],
    [413, "image_too_large"],
    [415, "unsupported_media_type"],
    [415, "media_type_mismatch"],
    [422, "invalid_image"],
    [500, "internal_error"],
    [504, "upstream_timeout"],
  ])("maps %i %s to EdgeRestoreError without retrying", async (status, code) => {
    const { fetch, requests } = scripted(apiError(status, code, `the ${code} message`));
    const { sleep, delays } = recordingSleep();
    const error = await caughtApiError(client(fetch, { sleep }).restore(PNG, { task: "lowlight" }));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`the ${code} message`);
    expect(error.name).toBe("EdgeRestoreError");
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("keeps error details", async () => {
    const details = { maxBytes: 10_485_760, received: 20_000_000 };
    const { fetch } = scripted(apiError(413, "payload_too_large", "too big", { details }));
    const error = await caughtApiError(client(fetch).restore(PNG, { task: "lowlight" }));
    expect(error.details).toEqual(details);
    expect(error.retryAfterSeconds).toBeNull();
  });

  it("gives a clear invalid_response error for a non-JSON error body", async () => {
    const { fetch } = scripted(
      () => new Response("<html><body>502 Bad Gateway</body></html>", { status: 502, statusText: "Bad Gateway", headers: { "content-type": "text/html" } }),
    );
    const error = await caughtApiError(client(fetch).restore(PNG, { task: "lowlight" }));
    expect(error.status).toBe(502);
    expect(error.code).toBe("invalid_response");
    expect(error.message).toBe("HTTP 502 Bad Gateway without an API error body (<html><body>502 Bad Gateway</body></html>)");
  });

  it("gives a clear error for an empty error body", async () => {
    const { fetch } = scripted(() => new Response(null, { status: 500 }));
    const error = await caughtApiError(client(fetch).restore(PNG, { task: "lowlight" }));
    expect(error.status).toBe(500);
    expect(error.code).toBe("invalid_response");
    expect(error.message).toContain("empty body");
  });

  it("keeps a code this SDK does not know yet", async () => {
    const { fetch } = scripted(apiError(400, "brand_new_code"));
    const error = await caughtApiError(client(fetch).restore(PNG, { task: "lowlight" }));
    expect(error.code).toBe("brand_new_code");
  });
});

describe("retries", () => {
  it("retries 429 after the Retry-After seconds", async () => {
    const { fetch, requests } = scripted(apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "3" } }), image());
    const { sleep, delays } = recordingSleep();
    const result = await client(fetch, { sleep }).restore(PNG, { task: "lowlight" });
    expect(await result.bytes()).toEqual(RESULT);
    expect(requests).toHaveLength(2);
    expect(delays).toEqual([3000]);
    // The retry sends the same bytes again.
    expect(new Uint8Array(await requests[1]!.arrayBuffer())).toEqual(PNG);
  });

  it("retries 503 after a Retry-After HTTP date", async () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    const { fetch, requests } = scripted(apiError(503, "upstream_unavailable", "busy", { headers: { "retry-after": at } }), image());
    const { sleep, delays } = recordingSleep();
    await client(fetch, { sleep }).restore(PNG, { task: "lowlight" });
    expect(requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(4000);
    expect(delays[0]).toBeLessThanOrEqual(5000);
  });

  it("caps a long Retry-After at 30 s", async () => {
    const { fetch } = scripted(apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "3600" } }), image());
    const { sleep, delays } = recordingSleep();
    await client(fetch, { sleep }).restore(PNG, { task: "lowlight" });
    expect(delays).toEqual([30_000]);
  });

  it("backs off exponentially with jitter without Retry-After", async () => {
    const { fetch, requests } = scripted(apiError(503, "upstream_unavailable"), apiError(503, "upstream_unavailable"), image());
    const { sleep, delays } = recordingSleep();
    await client(fetch, { sleep }).restore(PNG, { task: "lowlight" });
    expect(requests).toHaveLength(3);
    expect(delays[0]).toBeGreaterThanOrEqual(250);
    expect(delays[0]).toBeLessThanOrEqual(500);
    expect(delays[1]).toBeGreaterThanOrEqual(500);
    expect(delays[1]).toBeLessThanOrEqual(1000);
  });

  it("gives up after `retries` retries with the last error", async () => {
    const { fetch, requests } = scripted(apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "1" } }));
    const { sleep, delays } = recordingSleep();
    const error = await caughtApiError(client(fetch, { sleep }).restore(PNG, { task: "lowlight" }));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryAfterSeconds: 1 });
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([1000, 1000]);
  });

  it("does not retry with retries: 0", async () => {
    const { fetch, requests } = scripted(apiError(503, "upstream_unavailable"), image());
    const error = await caughtApiError(client(fetch, { retries: 0 }).restore(PNG, { task: "lowlight" }));
    expect(error.code).toBe("upstream_unavailable");
    expect(requests).toHaveLength(1);
  });

  it("retries network errors and reports the cause when they persist", async () => {
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8787"), { code: "ECONNREFUSED" }) });
    const { fetch, requests } = scripted(() => Promise.reject(refused));
    const { sleep, delays } = recordingSleep();
    const error = await caughtApiError(client(fetch, { sleep }).restore(PNG, { task: "lowlight" }));
    expect(error.status).toBe(0);
    expect(error.code).toBe("network_error");
    expect(error.message).toBe("network error: fetch failed (connect ECONNREFUSED 127.0.0.1:8787)");
    expect(error.cause).toBe(refused);
    expect(requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("recovers when the network comes back", async () => {
    const { fetch, requests } = scripted(() => Promise.reject(new TypeError("fetch failed")), image());
    const result = await client(fetch).restore(PNG, { task: "lowlight" });
    expect(result.modelVersion).toBe("restore-lowlight/1.0.0");
    expect(requests).toHaveLength(2);
  });
});

describe("abort and timeout", () => {
  it("rejects with the caller's abort reason while the request is in flight", async () => {
    const { fetch, requests } = scripted(hang);
    const controller = new AbortController();
    const pending = client(fetch).restore(PNG, { task: "lowlight", signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await caught(pending);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    expect(requests).toHaveLength(1);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const { fetch, requests } = scripted(image());
    const reason = new Error("user went away");
    const error = await caught(client(fetch).restore(PNG, { task: "lowlight", signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    expect(requests).toHaveLength(0);
  });

  it("stops waiting for a retry when the caller aborts", async () => {
    const { fetch, requests } = scripted(apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "20" } }), image());
    const controller = new AbortController();
    // The real sleep: the abort must cut the 20 s wait short.
    const pending = createEdgeRestoreClient({ baseUrl: BASE, fetch }).restore(PNG, { task: "lowlight", signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const error = await caught(pending);
    expect((error as DOMException).name).toBe("AbortError");
    expect(requests).toHaveLength(1);
  });

  it("times out with code timeout", async () => {
    const { fetch } = scripted(hang);
    const started = Date.now();
    const error = await caughtApiError(client(fetch, { timeoutMs: 50 }).restore(PNG, { task: "lowlight" }));
    expect(error).toMatchObject({ status: 0, code: "timeout", message: "request timed out after 50 ms" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not wait past the timeout: returns the rate limit error instead", async () => {
    const { fetch, requests } = scripted(apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "10" } }), image());
    const { sleep, delays } = recordingSleep();
    const error = await caughtApiError(client(fetch, { sleep, timeoutMs: 2_000 }).restore(PNG, { task: "lowlight" }));
    expect(error.code).toBe("rate_limited");
    expect(delays).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it("validates its options", () => {
    const { fetch } = scripted(image());
    expect(() => createEdgeRestoreClient({ baseUrl: BASE, fetch, retries: -1 })).toThrow(RangeError);
    expect(() => createEdgeRestoreClient({ baseUrl: BASE, fetch, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createEdgeRestoreClient({ baseUrl: "not a url", fetch })).toThrow(TypeError);
  });
});

describe("models, health, ready", () => {
  const modelList = {
    tasks: [{ task: "lowlight", model: "restore-lowlight", version: "1.0.0", available: true, parameters: { base: 14_100_000, refiner: 220_000 } }],
    limits: { maxBytes: 10_485_760, maxPixels: 16_777_216, maxDimension: 4096, inputFormats: ["jpeg", "png", "webp"], outputFormats: ["png", "jpeg", "webp"] },
  };
  const json = (body: unknown, status = 200): Reply => () => Response.json(body, { status });

  it("models() GETs /v1/models without the API key and returns the typed body", async () => {
    const { fetch, requests } = scripted(json(modelList));
    const list = await client(fetch).models();
    expect(list).toEqual(modelList);
    expect(requests[0]!.method).toBe("GET");
    expect(requests[0]!.url).toBe(`${BASE}/v1/models`);
    expect(requests[0]!.headers.get("authorization")).toBeNull();
  });

  it("health() and ready() return their bodies", async () => {
    const { fetch, requests } = scripted(json({ status: "ok" }), json({ status: "ready", checks: { r2: "ok", endpoint: "ok" } }));
    const c = client(fetch);
    expect(await c.health()).toEqual({ status: "ok" });
    expect(await c.ready()).toEqual({ status: "ready", checks: { r2: "ok", endpoint: "ok" } });
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(["/v1/health", "/v1/ready"]);
  });

  it("ready() throws not_ready with the failed checks, without retrying", async () => {
    const checks = { r2: "ok", endpoint: "failed" };
    const { fetch, requests } = scripted(apiError(503, "not_ready", "endpoint down", { details: { checks }, headers: { "retry-after": "5" } }));
    const error = await caughtApiError(client(fetch).ready());
    expect(error).toMatchObject({ status: 503, code: "not_ready", details: { checks }, retryAfterSeconds: 5 });
    expect(requests).toHaveLength(1);
  });

  it("models() retries a 503", async () => {
    const { fetch, requests } = scripted(apiError(503, "upstream_unavailable"), json(modelList));
    expect(await client(fetch).models()).toEqual(modelList);
    expect(requests).toHaveLength(2);
  });

  it("models() refuses a 200 that is not JSON", async () => {
    const { fetch } = scripted(() => new Response("<html></html>", { status: 200, headers: { "content-type": "text/html" } }));
    const error = await caughtApiError(client(fetch).models());
    expect(error.code).toBe("invalid_response");
  });

  it("models() maps a 500", async () => {
    const { fetch } = scripted(apiError(500, "internal_error", "boom"));
    const error = await caughtApiError(client(fetch).models());
    expect(error).toMatchObject({ status: 500, code: "internal_error", message: "boom" });
  });
});
