// The source policy against server-side request forgery: every forbidden form is refused before any request
// leaves the worker (every fetch the worker makes is recorded), even when the deployment lists it and the URL is
// validly signed; redirects are re-checked hop by hop, and a forbidden hop is never requested.
import { describe, expect, it } from "vitest";
import { callWorkerWith, endpoints } from "./helpers.js";
import { expectConformsToSpec } from "./openapiConformance.js";
import { ssrfForms as forms } from "./ssrfForms.js";
import { get, origin, originCount, originImage, recordingFetches, signed, signedRaw, transformPath, uniqueSeed } from "./transformHelpers.js";

const port = new URL(origin).port;

/** The deployment lists the form's own origin, so the rule, not a missing list entry, must refuse it. */
function listing(source: string): string {
  const url = new URL(source);
  const listed = [`${origin}/allowed/`, "https://cdn.example.com/"];
  if ((url.protocol === "http:" || url.protocol === "https:") && !source.includes("evil.example")) listed.push(`${url.protocol}//${url.host}/`);
  return listed.join(",");
}

describe("transform sources: SSRF forms", () => {
  it.each(forms)("refuses $name before any request leaves the worker", async ({ source, reason }) => {
    const before = await originCount();
    const url = await signedRaw("task=denoise", source);
    const overrides = { TRANSFORM_SOURCES: listing(source), TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS: "false" };
    const { value: response, fetched } = await recordingFetches(() => callWorkerWith(get(url), overrides));
    expect(fetched).toEqual([]);
    expect(response.status).toBe(403);
    expect(await response.clone().json()).toMatchObject({ error: { code: "source_not_allowed", details: { reason } } });
    await expectConformsToSpec(response, transformPath, "GET");
    expect(await originCount()).toBe(before);
  });

  it("refuses them for unsigned URLs too, where unsigned use is allowed", async () => {
    const source = "http://169.254.169.254/latest/meta-data/";
    const list = `${origin}/allowed/,http://169.254.169.254/`;
    const overrides = { TRANSFORM_SOURCES: list, TRANSFORM_UNSIGNED_SOURCES: list, TRANSFORM_REQUIRE_SIGNATURE: "false", TRANSFORM_ALLOW_LOOPBACK_FOR_TESTS: "false" };
    const { value: response, fetched } = await recordingFetches(() => callWorkerWith(get(`https://edge.test/cdn-cgi/restore/task=denoise/${source}`), overrides));
    expect(fetched).toEqual([]);
    expect(response.status).toBe(403);
  });
});

describe("transform sources: redirects", () => {
  const redirectTo = (target: string) => `${origin}/allowed/redirect?to=${encodeURIComponent(target)}`;

  it.each([
    { name: "a path off the allow-list on the same origin", target: (seed: string) => `${origin}/forbidden/img/${seed}.png`, reason: "not-listed" },
    { name: "cloud metadata", target: () => "http://169.254.169.254/latest/meta-data/", reason: "private-address" },
    { name: "metadata as decimal", target: () => "http://2852039166/latest/meta-data/", reason: "private-address" },
    { name: "localhost", target: (seed: string) => `http://localhost:${port}/allowed/img/${seed}.png`, reason: "local-hostname" },
    { name: "IPv4-mapped loopback", target: (seed: string) => `http://[::ffff:127.0.0.1]:${port}/allowed/img/${seed}.png`, reason: "private-address" },
    { name: "user info", target: (seed: string) => `http://x@127.0.0.1:${port}/allowed/img/${seed}.png`, reason: "userinfo" },
    { name: "file:", target: () => "file:///etc/passwd", reason: "scheme" },
  ])("refuses a redirect from an allowed source to $name, and never requests it", async ({ target, reason }) => {
    const seed = uniqueSeed();
    const hop = target(seed);
    const { value: response, fetched } = await recordingFetches(async () => callWorkerWith(get(await signed(redirectTo(hop))), {}));
    expect(response.status).toBe(403);
    expect(await response.clone().json()).toMatchObject({ error: { code: "source_not_allowed", details: { reason } } });
    await expectConformsToSpec(response, transformPath, "GET");
    // Exactly one request left the worker: the allowed first hop.
    expect(fetched).toEqual([redirectTo(hop)]);
    expect(await originCount(`/forbidden/img/${seed}.png`)).toBe(0);
    expect(await originCount(`/allowed/img/${seed}.png`)).toBe(0);
  });

  it("follows redirects within the allow-list, up to the hop limit", async () => {
    const seed = uniqueSeed();
    const ok = await callWorkerWith(get(await signed(redirectTo(originImage(seed)))), {});
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const threeHops = await callWorkerWith(get(await signed(`${origin}/allowed/hops/2/${seed}.png`, { task: "deblur" })), {});
    expect(threeHops.status).toBe(200);
    await threeHops.arrayBuffer();
    const noneAllowed = await callWorkerWith(get(await signed(`${origin}/allowed/hops/0/${seed}.png`, { task: "derain" })), { TRANSFORM_MAX_REDIRECTS: "0" });
    expect(noneAllowed.status).toBe(502);
    expect(await noneAllowed.json()).toMatchObject({ error: { code: "source_unavailable", details: { maxRedirects: 0 } } });
  });

  it("refuses a redirect to another service on a listed host's address (the inference endpoint), and never requests it", async () => {
    const internal = `${endpoints.ok}/v2/models/restore-denoise/ready`;
    const { value: response, fetched } = await recordingFetches(async () => callWorkerWith(get(await signed(redirectTo(internal))), {}));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "source_not_allowed", details: { reason: "not-listed" } } });
    expect(fetched).toEqual([redirectTo(internal)]);
  });
});
