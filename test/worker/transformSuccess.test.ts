// URL transforms that work: a signed URL restores and is cached (edge, then R2 by content), format=auto
// negotiates and varies, concurrent identical requests share one download and one inference, onerror=redirect,
// and the worker accepts exactly what the SDK signs (the known answer included).
import { afterEach, describe, expect, it, vi } from "vitest";
// The endpoint's version: the worker's MODEL_VERSION (wrangler.toml) must agree with it.
import { pipelineVersion } from "../../endpoint/src/pipelineVersion.js";
import { knownAnswer } from "../fakes/transformKnownAnswer.js";
import { seededPng } from "../fakes/seededPng.js";
import { callWorker, callWorkerWith, endpoints, inferenceCount, pngSize } from "./helpers.js";
import { expectConformsToSpec } from "./openapiConformance.js";
import { edge, get, origin, originCount, originImage, recordingFetches, rotatedKey, signed, transformPath, uniqueSeed } from "./transformHelpers.js";

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe("GET /cdn-cgi/restore: signed URLs", () => {
  it("restores a signed URL, stores it, then answers the repeat from the edge cache with no download or inference", async () => {
    const seed = uniqueSeed();
    const url = await signed(originImage(seed), { task: "denoise" });
    const first = await callWorker(get(url));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("cache-status")).toBe("edge-restore; fwd=uri-miss; stored");
    expect(first.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(first.headers.get("x-model-version")).toBe(`restore-denoise/${pipelineVersion}`);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("server-timing")).toMatch(/source;dur=.*infer;dur=/);
    expect(first.headers.get("vary")).toBeNull();
    await expectConformsToSpec(first, transformPath, "GET");
    const firstBytes = await bytesOf(first);
    expect(pngSize(firstBytes)).toEqual({ width: 32, height: 24 });

    const second = await callWorker(get(url));
    expect(second.status).toBe(200);
    expect(second.headers.get("cache-status")).toBe("edge-restore; hit; detail=edge");
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    await expectConformsToSpec(second, transformPath, "GET");
    expect(await bytesOf(second)).toEqual(firstBytes);
    expect(await originCount(`/allowed/img/${seed}.png`)).toBe(1);
    expect(await inferenceCount(endpoints.ok, seededPng(seed))).toBe(1);
  });

  it("serves the same signed URL at /v1/transform/ (Cloudflare keeps /cdn-cgi/ for itself), sharing its cache", async () => {
    const seed = uniqueSeed();
    const url = await signed(originImage(seed), { task: "deblur" });
    const alias = url.replace("/cdn-cgi/restore/", "/v1/transform/");
    expect(alias).not.toBe(url);
    const first = await callWorker(get(alias));
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-status")).toBe("edge-restore; fwd=uri-miss; stored");
    const viaCanonical = await callWorker(get(url));
    expect(viaCanonical.headers.get("cache-status")).toBe("edge-restore; hit; detail=edge");
    expect(await bytesOf(viaCanonical)).toEqual(await bytesOf(first));
    const tampered = await callWorker(get(alias.replace("task=deblur", "task=denoise")));
    expect(tampered.status).toBe(403);
    await tampered.arrayBuffer();
  });

  it("reuses the R2 result by content: another URL for the same bytes downloads but runs no inference", async () => {
    const seed = uniqueSeed();
    const first = await callWorker(get(await signed(originImage(seed))));
    const firstBytes = await bytesOf(first);
    // Same PNG bytes, served chunked under another path.
    const other = await callWorker(get(await signed(originImage(seed, "chunked"))));
    expect(other.status).toBe(200);
    expect(other.headers.get("cache-status")).toBe("edge-restore; hit");
    expect(await bytesOf(other)).toEqual(firstBytes);
    expect(await originCount(`/allowed/chunked/${seed}.png`)).toBe(1);
    expect(await inferenceCount(endpoints.ok, seededPng(seed))).toBe(1);
  });

  it("accepts every rotation key, and a re-signed URL (new exp) still hits the edge cache with max-age capped at exp", async () => {
    const seed = uniqueSeed();
    const first = await callWorker(get(await signed(originImage(seed), { task: "derain" }, { key: rotatedKey, expiresIn: 600 })));
    expect(first.status).toBe(200);
    expect(Number(/max-age=(\d+)/.exec(first.headers.get("cache-control")!)![1])).toBeLessThanOrEqual(600);
    await first.arrayBuffer();
    const resigned = await callWorker(get(await signed(originImage(seed), { task: "derain" }, { key: rotatedKey, expiresIn: 7200 })));
    expect(resigned.headers.get("cache-status")).toBe("edge-restore; hit; detail=edge");
    expect(Number(/max-age=(\d+)/.exec(resigned.headers.get("cache-control")!)![1])).toBeGreaterThan(600);
    await resigned.arrayBuffer();
    expect(await originCount(`/allowed/img/${seed}.png`)).toBe(1);
  });

  it("answers 304 to a matching If-None-Match, and HEAD without a body", async () => {
    const url = await signed(originImage(uniqueSeed()));
    const first = await callWorker(get(url));
    await first.arrayBuffer();
    const again = await callWorker(get(url, { "if-none-match": first.headers.get("etag")! }));
    expect(again.status).toBe(304);
    await expectConformsToSpec(again, transformPath, "GET");
    const head = await callWorker(new Request(url, { method: "HEAD" }));
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(first.headers.get("etag"));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it("downloads once and runs one inference for identical concurrent requests", async () => {
    const seed = uniqueSeed();
    const url = await signed(originImage(seed), { task: "lowlight" });
    const responses = await Promise.all(Array.from({ length: 5 }, () => callWorker(get(url))));
    const bodies = await Promise.all(responses.map(bytesOf));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(await originCount(`/allowed/img/${seed}.png`)).toBe(1);
    expect(await inferenceCount(endpoints.ok, seededPng(seed))).toBe(1);
    expect(responses.filter((r) => r.headers.get("cache-status")?.includes("collapsed")).length).toBeGreaterThan(0);
  });

  it("serves unsigned URLs only for listed sources, and only where signatures are not required", async () => {
    const seed = uniqueSeed();
    const unsigned = `${edge}/cdn-cgi/restore/task=denoise/${originImage(seed)}`;
    const open = { TRANSFORM_REQUIRE_SIGNATURE: "false", TRANSFORM_UNSIGNED_SOURCES: `${origin}/allowed/img/` };
    const ok = await callWorkerWith(get(unsigned), open);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const notListed = await callWorkerWith(get(`${edge}/cdn-cgi/restore/task=denoise/${originImage(seed, "chunked")}`), open);
    expect(notListed.status).toBe(401);
    expect(await notListed.json()).toMatchObject({ error: { code: "signature_required" } });
    const required = await callWorkerWith(get(unsigned), { ...open, TRANSFORM_REQUIRE_SIGNATURE: "true" });
    expect(required.status).toBe(401);
  });
});

describe("GET /cdn-cgi/restore: format", () => {
  it("format=auto picks from Accept, varies on it, and caches each negotiated format apart", async () => {
    const seed = uniqueSeed();
    const url = await signed(originImage(seed), { task: "denoise", format: "auto" });
    const cases = [
      { accept: "image/avif,image/webp,image/apng,*/*;q=0.8", type: "image/avif" },
      { accept: "image/webp,*/*;q=0.8", type: "image/webp" },
      { accept: "image/jpeg", type: "image/jpeg" },
      { accept: "*/*", type: "image/png" },
    ];
    for (const { accept, type } of cases) {
      const miss = await callWorker(get(url, { accept }));
      expect(miss.headers.get("content-type"), accept).toBe(type);
      expect(miss.headers.get("vary")).toBe("Accept");
      expect(miss.headers.get("cache-status")).not.toContain("detail=edge");
      await expectConformsToSpec(miss, transformPath, "GET");
      await miss.arrayBuffer();
      const hit = await callWorker(get(url, { accept }));
      expect(hit.headers.get("content-type"), accept).toBe(type);
      expect(hit.headers.get("vary")).toBe("Accept");
      expect(hit.headers.get("cache-status")).toBe("edge-restore; hit; detail=edge");
      await hit.arrayBuffer();
    }
    // Four formats, four inferences; one download per edge key.
    expect(await inferenceCount(endpoints.ok, seededPng(seed))).toBe(4);
  });

  it("an explicit format does not vary; no format keeps the source's", async () => {
    const jpeg = await callWorker(get(await signed(originImage(uniqueSeed()), { task: "denoise", format: "jpeg", quality: 60 }), { accept: "image/webp" }));
    expect(jpeg.headers.get("content-type")).toBe("image/jpeg");
    expect(jpeg.headers.get("vary")).toBeNull();
    await jpeg.arrayBuffer();
    const same = await callWorker(get(await signed(originImage(uniqueSeed())), { accept: "image/webp" }));
    expect(same.headers.get("content-type")).toBe("image/png");
    await same.arrayBuffer();
  });
});

describe("GET /cdn-cgi/restore: onerror=redirect", () => {
  it("redirects to the source when the source fails or inference fails", async () => {
    const missing = `${origin}/allowed/missing.png`;
    // Called directly, not through the self binding (exports.default.fetch), which would follow the redirect.
    const response = await callWorkerWith(get(await signed(missing, { task: "denoise", onerror: "redirect" })), {});
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(missing);
    expect(response.headers.get("x-restore-error")).toBe("source_unavailable");
    expect(response.headers.get("cache-control")).toBe("no-store");
    await expectConformsToSpec(response, transformPath, "GET");

    const source = originImage(uniqueSeed());
    const down = await callWorkerWith(get(await signed(source, { task: "denoise", onerror: "redirect" })), { INFERENCE_URL: endpoints.down });
    expect(down.status).toBe(302);
    expect(down.headers.get("location")).toBe(source);
    expect(down.headers.get("x-restore-error")).toBe("upstream_unavailable");
  });

  it("never redirects before the URL is authorized and its source allowed (no open redirect)", async () => {
    const forbidden = await callWorker(get(await signed(`${origin}/forbidden/img/x.png`, { task: "denoise", onerror: "redirect" })));
    expect(forbidden.status).toBe(403);
    const unsigned = await callWorker(get(`${edge}/cdn-cgi/restore/task=denoise,onerror=redirect/${originImage(uniqueSeed())}`));
    expect(unsigned.status).toBe(401);
  });
});

describe("GET /cdn-cgi/restore: the SDK and the worker agree", () => {
  afterEach(() => vi.restoreAllMocks());

  it("accepts the SDK's known-answer URL byte for byte and restores it", async () => {
    const real = globalThis.fetch;
    const photo = seededPng(uniqueSeed(), 40, 30);
    // cdn.example.com is not reachable from tests: answer it here, pass everything else (the inference call) on.
    const cdn = vi.fn(async () => new Response(photo, { headers: { "content-type": "image/png" } }));
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) =>
      String(input instanceof Request ? input.url : input).startsWith("https://cdn.example.com/") ? cdn() : real(input, init),
    );
    const response = await callWorkerWith(get(knownAnswer.url), {
      TRANSFORM_SOURCES: "https://cdn.example.com/photos/",
      TRANSFORM_SIGNING_KEYS: knownAnswer.key,
      TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS: "false",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(cdn).toHaveBeenCalledTimes(1);
  });

  it("accepts what the SDK signs for sources with spaces, non-ASCII and query strings", async () => {
    const seed = uniqueSeed();
    const source = `${origin}/allowed/img/${seed}.png?note=a b ü&w=20&h=10`;
    const { value: response, fetched } = await recordingFetches(async () =>
      callWorker(get(await signed(source, { task: "deblur", format: "png", refine: false }, { key: rotatedKey, expiresIn: 60 }))),
    );
    expect(response.status).toBe(200);
    expect(pngSize(await bytesOf(response))).toEqual({ width: 20, height: 10 });
    expect(fetched.filter((u) => u.startsWith(origin)).length).toBeGreaterThan(0);
  });
});
