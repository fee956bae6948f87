// Every error code, from a real worker response: right status, spec-conformant body, and nothing in R2.
import { afterAll, describe, expect, it } from "vitest";
import { expectConformsToSpec, jobOnlyErrorCodes, specErrorCodes, transformOnlyErrorCodes } from "./openapiConformance.js";
import {
  callWorker,
  callWorkerWith,
  endpoints,
  heicHeader,
  pngClaiming,
  r2ObjectCount,
  restoreRequest,
  sampleJpeg,
  uniquePng,
} from "./helpers.js";

const covered = new Set<string>();

interface Case {
  name: string;
  code: string;
  status: number;
  request: () => Request;
  overrides?: Record<string, unknown>;
  path?: string;
  method?: string;
}

function multipart(field: string, bytes: Uint8Array, type = "image/png"): FormData {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), "photo.png");
  return form;
}

const cases: Case[] = [
  { name: "empty body", code: "empty_body", status: 400, request: () => restoreRequest(new Uint8Array(0)) },
  { name: "text file", code: "unsupported_media_type", status: 415, request: () => restoreRequest(new TextEncoder().encode("hello, not an image"), { headers: { "content-type": "application/octet-stream" } }) },
  { name: "HTML sent as image/png", code: "unsupported_media_type", status: 415, request: () => restoreRequest(new TextEncoder().encode("<html><script>alert(1)</script></html>")) },
  { name: "truncated JPEG", code: "invalid_image", status: 422, request: () => restoreRequest(sampleJpeg.subarray(0, Math.floor(sampleJpeg.length / 2)), { headers: { "content-type": "image/jpeg" } }) },
  { name: "JPEG cut inside its header", code: "invalid_image", status: 422, request: () => restoreRequest(sampleJpeg.subarray(0, 40), { headers: { "content-type": "image/jpeg" } }) },
  { name: "PNG claiming 60000x60000", code: "image_too_large", status: 413, request: () => restoreRequest(pngClaiming(60000, 60000)) },
  { name: "PNG claiming 9000x10", code: "image_too_large", status: 413, request: () => restoreRequest(pngClaiming(9000, 10)) },
  { name: "JPEG bytes labelled image/png", code: "media_type_mismatch", status: 415, request: () => restoreRequest(sampleJpeg) },
  { name: "an iPhone's HEIC", code: "heic_not_supported", status: 415, request: () => restoreRequest(heicHeader, { headers: { "content-type": "image/heic" } }) },
  { name: "bad metadata", code: "invalid_parameter", status: 400, request: () => restoreRequest(uniquePng(), { query: "task=denoise&metadata=all" }) },
  { name: "resize past the pixel limit", code: "invalid_parameter", status: 400, request: () => restoreRequest(uniquePng(4, 4), { query: "task=denoise&width=12000&height=12000&fit=pad" }) },
  { name: "unknown task", code: "invalid_task", status: 400, request: () => restoreRequest(uniquePng(), { query: "task=colorize" }) },
  { name: "missing task", code: "invalid_task", status: 400, request: () => restoreRequest(uniquePng(), { query: "" }) },
  { name: "bad format", code: "invalid_parameter", status: 400, request: () => restoreRequest(uniquePng(), { query: "task=denoise&format=gif" }) },
  { name: "bad quality", code: "invalid_parameter", status: 400, request: () => restoreRequest(uniquePng(), { query: "task=denoise&format=jpeg&quality=101" }) },
  { name: "bad refine", code: "invalid_parameter", status: 400, request: () => restoreRequest(uniquePng(), { query: "task=denoise&refine=yes" }) },
  { name: "unknown parameter", code: "invalid_parameter", status: 400, request: () => restoreRequest(uniquePng(), { query: "task=denoise&scale=2" }) },
  { name: "multipart without image field", code: "invalid_multipart", status: 400, request: () => restoreRequest(multipart("photo", uniquePng()), { headers: { "content-type": "" } }) },
  { name: "broken multipart", code: "invalid_multipart", status: 400, request: () => restoreRequest(new TextEncoder().encode("--x\r\nbroken"), { headers: { "content-type": "multipart/form-data; boundary=x" } }) },
  { name: "missing key", code: "unauthorized", status: 401, request: () => restoreRequest(uniquePng(), { key: null }) },
  { name: "wrong key", code: "unauthorized", status: 401, request: () => restoreRequest(uniquePng(), { key: "test-key-3" }) },
  { name: "key as Basic auth", code: "unauthorized", status: 401, request: () => restoreRequest(uniquePng(), { key: null, headers: { authorization: "Basic dGVzdC1rZXktMTo=" } }) },
  { name: "body over the limit (Content-Length)", code: "payload_too_large", status: 413, request: () => restoreRequest(uniquePng(64, 64)), overrides: { MAX_BYTES: "1000" } },
  { name: "endpoint down", code: "upstream_unavailable", status: 503, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.down } },
  { name: "endpoint answers 500", code: "upstream_unavailable", status: 503, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.error500 } },
  { name: "endpoint overloaded", code: "upstream_unavailable", status: 503, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.overloaded } },
  { name: "endpoint sends a malformed body", code: "upstream_unavailable", status: 503, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.malformed } },
  { name: "endpoint drops the connection", code: "upstream_unavailable", status: 503, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.drop } },
  { name: "endpoint refuses the deployment's credentials", code: "upstream_unavailable", status: 503, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.authed } },
  { name: "endpoint too slow", code: "upstream_timeout", status: 504, request: () => restoreRequest(uniquePng()), overrides: { INFERENCE_URL: endpoints.slow, INFERENCE_TIMEOUT_MS: "300" } },
  { name: "misconfigured limit", code: "internal_error", status: 500, request: () => restoreRequest(uniquePng()), overrides: { MAX_BYTES: "lots" } },
  { name: "ready with endpoint down", code: "not_ready", status: 503, request: () => new Request("https://edge.test/v1/ready"), overrides: { INFERENCE_URL: endpoints.down }, path: "/v1/ready", method: "GET" },
];

describe("error responses", () => {
  it.each(cases)("$name → $status $code", async (c) => {
    const before = await r2ObjectCount();
    const response = c.overrides ? await callWorkerWith(c.request(), c.overrides) : await callWorker(c.request());
    const body = (await response.clone().json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(c.status);
    expect(body.error.code).toBe(c.code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(response.headers.get("content-type")).toContain("application/json");
    if (c.status === 503 || c.status === 504) expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    await expectConformsToSpec(response, c.path ?? "/v1/restore", c.method ?? "POST");
    expect(await r2ObjectCount()).toBe(before);
    covered.add(c.code);
  });

  it("refuses a chunked body over the limit without trusting Content-Length", async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(500));
        controller.close();
      },
    });
    const request = restoreRequest(chunks, { headers: { "content-type": "application/octet-stream" } });
    const response = await callWorkerWith(request, { MAX_BYTES: "1000" });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("authenticates to the endpoint with INFERENCE_API_KEY; a refused key says so, stays out of the body, and does not open the circuit", async () => {
    const refused = { INFERENCE_URL: endpoints.authed, INFERENCE_API_KEY: "a-wrong-key-0123456789", CIRCUIT_FAILURE_THRESHOLD: "1" };
    for (let i = 0; i < 2; i++) {
      const response = await callWorkerWith(restoreRequest(uniquePng()), refused);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).toMatch(/refused this deployment's credentials/); // the second one too: no open circuit
      expect(text).not.toContain("a-wrong-key");
    }
    const accepted = await callWorkerWith(restoreRequest(uniquePng()), { INFERENCE_URL: endpoints.authed, INFERENCE_API_KEY: "fake-endpoint-key-0123456789" });
    expect(accepted.status).toBe(200);
  });

  it("answers unknown paths and methods with spec errors", async () => {
    const notFound = await callWorker(new Request("https://edge.test/nope"));
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { code: string } }).error.code).toBe("not_found");
    covered.add("not_found");
    const wrongMethod = await callWorker(new Request("https://edge.test/v1/restore?task=denoise"));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    covered.add("method_not_allowed");
  });

  it("limits requests per API key with 429 and Retry-After", async () => {
    let limited: Response | undefined;
    // wrangler.toml allows 120 per minute per key; a key of its own keeps other tests unaffected.
    for (let i = 0; i < 130 && !limited; i++) {
      const response = await callWorkerWith(restoreRequest(new Uint8Array(0), { key: "rate-test-key" }), { API_KEYS: "rate-test-key" });
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(400);
    }
    expect(limited, "a 429 within 130 requests").toBeDefined();
    expect(limited!.headers.get("retry-after")).toBe("60");
    await expectConformsToSpec(limited!, "/v1/restore", "POST");
    covered.add(((await limited!.json()) as { error: { code: string } }).error.code);
  });

  afterAll(() => {
    // Together with transformErrors.test.ts, every code in the spec is answered by a real response.
    expect([...covered, ...transformOnlyErrorCodes, ...jobOnlyErrorCodes].sort()).toEqual([...specErrorCodes].sort());
  });
});
