// Shared by the URL-transform tests: the fake image origin, signed URLs (made by the SDK, as users make them),
// and a record of every fetch the worker makes, to assert that a refused source never left the worker.
import { inject, vi } from "vitest";
import { transformUrl, type TransformOptions, type TransformSigning } from "../../sdk/src/transformUrl.js";
import { canonicalTransform } from "../../worker/src/transform/signature.js";
import { parseTransformPath } from "../../worker/src/transform/transformPath.js";

export const origin = inject("imageOrigin");
export const edge = "https://edge.test";
/** The keys vitest.config.ts configures (TRANSFORM_SIGNING_KEYS). */
export const signingKey = "transform-test-key-1-0123456789abcdef";
export const rotatedKey = "transform-test-key-2-0123456789abcdef";
export const transformPath = "/cdn-cgi/restore/{options}/{source}";

/** A seed no other test uses: per-test origin counts, inference counts and cache entries. */
export function uniqueSeed(): string {
  return crypto.randomUUID();
}

export function originImage(seed: string, kind: "img" | "chunked" | "slow" = "img"): string {
  return `${origin}/allowed/${kind}/${seed}.png`;
}

export function signed(source: string, options: TransformOptions = { task: "denoise" }, signing: TransformSigning = { key: signingKey }): Promise<string> {
  return transformUrl(edge, source, options, signing);
}

export function get(url: string, headers: Record<string, string> = {}): Request {
  return new Request(url, { headers });
}

/**
 * A signed URL whose source is written exactly as given (`http://2130706433/…` stays decimal in the path), signed
 * over what the worker will canonicalize: for testing the source policy on raw forms the SDK would normalize.
 */
export async function signedRaw(options: string, rawSource: string, key = signingKey): Promise<string> {
  const t = parseTransformPath(new URL(`${edge}/cdn-cgi/restore/${options}/${rawSource}`));
  const hmac = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(canonicalTransform(t.signedOptions, t.source))));
  const sig = btoa(String.fromCharCode(...mac)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${edge}/cdn-cgi/restore/${options},sig=${sig}/${rawSource}`;
}

/** Requests the fake origin received for a path (with query), or for all paths. */
export async function originCount(path?: string): Promise<number> {
  const response = await fetch(`${origin}/__stats${path === undefined ? "" : `?path=${encodeURIComponent(path)}`}`);
  return ((await response.json()) as { count: number }).count;
}

/** Records every outgoing fetch (the worker runs in this isolate) while `work` runs; passes them through. */
export async function recordingFetches<T>(work: () => Promise<T>): Promise<{ value: T; fetched: string[] }> {
  const spy = vi.spyOn(globalThis, "fetch");
  try {
    const value = await work();
    const fetched = spy.mock.calls.map(([input]) => (input instanceof Request ? input.url : String(input)));
    return { value, fetched };
  } finally {
    spy.mockRestore();
  }
}
