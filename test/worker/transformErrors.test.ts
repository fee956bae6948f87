// Every way a transform URL is refused, from a real worker response: status, stable code, spec-conformant body,
// no-store, nothing stored in R2. Covers the codes only transforms answer (the afterAll checks it).
import { afterAll, describe, expect, it } from "vitest";
import { callWorkerWith, endpoints, r2ObjectCount } from "./helpers.js";
import { expectConformsToSpec, specErrorCodes, transformOnlyErrorCodes } from "./openapiConformance.js";
import { edge, get, origin, originCount, originImage, signed, signingKey, transformPath, uniqueSeed } from "./transformHelpers.js";

const covered = new Set<string>();
const past = Math.floor(Date.now() / 1000) - 60;

interface Case {
  name: string;
  code: string;
  status: number;
  url: () => Promise<string>;
  overrides?: Record<string, string>;
  /** Checks the case must also pass, e.g. how quickly it was refused. */
  within?: number;
}

const cases: Case[] = [
  { name: "unknown option", code: "invalid_transform", status: 400, url: async () => `${edge}/cdn-cgi/restore/task=denoise,blur=100/${originImage("x")}` },
  { name: "missing task", code: "invalid_transform", status: 400, url: async () => `${edge}/cdn-cgi/restore/format=png/${originImage("x")}` },
  { name: "bad quality", code: "invalid_transform", status: 400, url: async () => `${edge}/cdn-cgi/restore/task=denoise,quality=500/${originImage("x")}` },
  { name: "relative source", code: "invalid_transform", status: 400, url: async () => `${edge}/cdn-cgi/restore/task=denoise/photos/x.png` },
  { name: "no options segment", code: "invalid_transform", status: 400, url: async () => `${edge}/cdn-cgi/restore/task=denoise` },
  { name: "unsigned when signatures are required", code: "signature_required", status: 401, url: async () => `${edge}/cdn-cgi/restore/task=denoise/${originImage("x")}` },
  {
    name: "unsigned for a source not listed for unsigned use",
    code: "signature_required",
    status: 401,
    url: async () => `${edge}/cdn-cgi/restore/task=denoise/${originImage("x")}`,
    overrides: { TRANSFORM_REQUIRE_SIGNATURE: "false", TRANSFORM_UNSIGNED_SOURCES: `${origin}/allowed/public/` },
  },
  { name: "tampered option", code: "invalid_signature", status: 403, url: async () => (await signed(originImage("x"), { task: "denoise" })).replace("task=denoise", "task=derain") },
  { name: "tampered source", code: "invalid_signature", status: 403, url: async () => (await signed(originImage("x"))).replace("/img/x.png", "/img/y.png") },
  { name: "option added after signing", code: "invalid_signature", status: 403, url: async () => (await signed(originImage("x"))).replace("task=denoise", "task=denoise,refine=false") },
  {
    name: "tampered exp",
    code: "invalid_signature",
    status: 403,
    url: async () => (await signed(originImage("x"), undefined, { key: signingKey, expiresAt: past })).replace(`exp=${past}`, `exp=${past + 86400}`),
  },
  { name: "wrong key", code: "invalid_signature", status: 403, url: () => signed(originImage("x"), undefined, { key: "not-a-configured-key-0123456789abcdef" }) },
  { name: "malformed sig", code: "invalid_signature", status: 403, url: async () => `${edge}/cdn-cgi/restore/task=denoise,sig=abc/${originImage("x")}` },
  { name: "signed but no keys configured", code: "invalid_signature", status: 403, url: () => signed(originImage("x")), overrides: { TRANSFORM_SIGNING_KEYS: "" } },
  { name: "expired", code: "signature_expired", status: 403, url: () => signed(originImage("x"), undefined, { key: signingKey, expiresAt: past }) },
  { name: "source not on the allow-list", code: "source_not_allowed", status: 403, url: () => signed(`${origin}/forbidden/img/x.png`) },
  { name: "loopback with the test exception off", code: "source_not_allowed", status: 403, url: () => signed(originImage("x")), overrides: { TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS: "false" } },
  { name: "Content-Length over the limit", code: "source_too_large", status: 413, url: () => signed(originImage(uniqueSeed())), overrides: { TRANSFORM_MAX_SOURCE_BYTES: "200" } },
  { name: "chunked body over the limit", code: "source_too_large", status: 413, url: () => signed(originImage(uniqueSeed(), "chunked")), overrides: { TRANSFORM_MAX_SOURCE_BYTES: "200" } },
  // The origin sends the header and then holds the body for 10 s: refused from the header alone.
  { name: "PNG header claiming 60000x60000", code: "image_too_large", status: 413, url: () => signed(`${origin}/allowed/bomb.png`), within: 3000 },
  { name: "image over MAX_PIXELS", code: "image_too_large", status: 413, url: async () => signed(`${originImage(uniqueSeed())}?w=64&h=64`), overrides: { MAX_PIXELS: "1000" } },
  { name: "source is HTML", code: "unsupported_media_type", status: 415, url: () => signed(`${origin}/allowed/page.html`) },
  { name: "source answers 404", code: "source_unavailable", status: 502, url: () => signed(`${origin}/allowed/missing.png`) },
  { name: "source refuses connections", code: "source_unavailable", status: 502, url: () => signed(`${endpoints.down}/x.png`), overrides: { TRANSFORM_SOURCES: `${endpoints.down}/` } },
  { name: "too many redirects", code: "source_unavailable", status: 502, url: () => signed(`${origin}/allowed/hops/3/${uniqueSeed()}.png`) },
  { name: "source too slow", code: "source_timeout", status: 504, url: () => signed(originImage(uniqueSeed(), "slow")), overrides: { TRANSFORM_FETCH_TIMEOUT_MS: "300" }, within: 3000 },
  { name: "transforms not enabled", code: "not_found", status: 404, url: () => signed(originImage("x")), overrides: { TRANSFORM_SOURCES: "" } },
  { name: "signing key too short to be safe", code: "internal_error", status: 500, url: () => signed(originImage("x")), overrides: { TRANSFORM_SIGNING_KEYS: "short" } },
  { name: "inference endpoint down", code: "upstream_unavailable", status: 503, url: () => signed(originImage(uniqueSeed())), overrides: { INFERENCE_URL: endpoints.down } },
  { name: "inference endpoint too slow", code: "upstream_timeout", status: 504, url: () => signed(originImage(uniqueSeed())), overrides: { INFERENCE_URL: endpoints.slow, INFERENCE_TIMEOUT_MS: "300" } },
];

describe("transform error responses", () => {
  it.each(cases)("$name → $status $code", async (c) => {
    const before = await r2ObjectCount();
    const started = Date.now();
    const response = await callWorkerWith(get(await c.url()), c.overrides ?? {});
    const elapsed = Date.now() - started;
    const body = (await response.clone().json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(c.status);
    expect(body.error.code).toBe(c.code);
    expect(response.headers.get("cache-control")).toBe("no-store");
    if (c.status === 401) expect(response.headers.get("www-authenticate")).toBe('SignedURL realm="edge-restore"');
    // Keys and signatures never appear in an answer.
    expect(body.error.message).not.toMatch(/sig=|transform-test-key/);
    if (c.within) expect(elapsed).toBeLessThan(c.within);
    await expectConformsToSpec(response, transformPath, "GET");
    expect(await r2ObjectCount()).toBe(before);
    covered.add(c.code);
  });

  it("refuses a bomb without waiting for its body", async () => {
    const before = await originCount("/allowed/bomb.png");
    const response = await callWorkerWith(get(await signed(`${origin}/allowed/bomb.png`)), {});
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "image_too_large", details: { width: 60000, height: 60000 } } });
    expect(await originCount("/allowed/bomb.png")).toBe(before + 1);
  });

  it("answers other methods with 405 and Allow: GET, HEAD", async () => {
    const response = await callWorkerWith(new Request(await signed(originImage("x")), { method: "POST", body: "x" }), {});
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  afterAll(() => {
    for (const code of transformOnlyErrorCodes) expect(specErrorCodes, code).toContain(code);
    expect(transformOnlyErrorCodes.filter((code) => !covered.has(code))).toEqual([]);
  });
});
